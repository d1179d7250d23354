"""Long commands report progress: the store's callback counts up to the total after each batch,
and on a terminal the CLI draws it as a bar on standard error (elsewhere only the closing line)."""

import os
import pty
import select
import subprocess
import sys
import time

from efficacy_tui.store.backup import backup_to
from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.export import write_export
from efficacy_tui.store.importer import import_file


def _heard():
    calls: list[tuple[str, int, int]] = []
    return calls, lambda phase, done, total: calls.append((phase, done, total))


def _counts_up(calls, phase):
    mine = [(done, total) for p, done, total in calls if p == phase]
    assert len(mine) >= 2, calls
    dones = [done for done, _ in mine]
    assert dones == sorted(dones) and dones[-1] > dones[0]
    totals = {total for _, total in mine}
    assert len(totals) == 1 and dones[-1] == totals.pop() > 0


def test_each_long_store_function_counts_up_to_its_total(store, tmp_path, clock):
    calls, progress = _heard()
    build_demo(store, days=200, attempts=1_200, progress=progress)
    _counts_up(calls, "writing")

    calls, progress = _heard()
    exported = write_export(store, "json", tmp_path / "all.json", progress=progress)
    _counts_up(calls, "exporting")

    calls, progress = _heard()
    write_export(store, "csv", tmp_path / "all.zip", progress=progress)
    _counts_up(calls, "exporting")

    calls, progress = _heard()
    other = open_store(tmp_path / "other.db", clock=clock)
    try:
        result = import_file(other, exported, progress=progress)
    finally:
        other.close()
    assert result.added["attempts"] == 1_200
    _counts_up(calls, "importing")
    assert [done for p, done, _ in calls if p == "checking"][-1] > 1_200

    calls, progress = _heard()
    backup_to(store, tmp_path / "copy.db", progress=progress)
    copied = [(done, total) for p, done, total in calls if p == "copying"]
    assert copied and copied[-1][0] == copied[-1][1] > 0


def _run_in_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with standard error (and output) on a pseudo-terminal; return all it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "efficacy_tui", *args], stdin=follower,
                               stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
        elif process.poll() is not None:
            break
    out = process.communicate(timeout=60)[0]
    os.close(leader)
    return process.returncode, drawn.decode("utf-8", "replace") + "\n" + out.decode()


def test_demo_on_a_terminal_shows_what_it_is_writing_and_ends_with_its_line(tmp_path):
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("NO_COLOR", None)
    target = tmp_path / "demo.db"
    code, drawn = _run_in_terminal(
        ["demo", "--db", str(target), "--days", "30", "--attempts", "3000", "--no-open"], env)
    assert code == 0, drawn
    assert "Writing demo rows" in drawn
    assert f"Demo database written to {target}" in drawn
