"""`efficacy log` killed with SIGKILL in the middle of a stream of writes: the file stays sound
and every write whose "Logged ..." line was printed is in it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from efficacy_tui.store import domains
from efficacy_tui.store.core import open_store

from conftest import rows

pytestmark = pytest.mark.serial  # writers killed mid-stream

EFFICACY = str(Path(sys.executable).parent / "efficacy")

ONE_PROCESS = """
import sys
from efficacy_tui.cli import main
for n in range(1, 1_000_000):
    main(["--db", sys.argv[1], "log", "Running", f"run {n}", "--outcome", "success"],
         standalone_mode=False)
    sys.stdout.flush()
"""

MANY_PROCESSES = """
n=0
while true; do
    n=$((n + 1))
    "$EFFICACY" --db "$DB" log Running "run $n" --outcome success || exit 1
done
"""


@pytest.fixture
def running(db_path, clock):
    store = open_store(db_path, clock=clock)
    domains.get_or_create_domain(store, "Running")
    store.close()
    return db_path


def kill_mid_stream(args: list[str], acks_before_kill: int, pause: float,
                    env: dict | None = None) -> list[str]:
    """Run a writer, SIGKILL it (and its children) after that many acknowledgements and a pause,
    and return every title it acknowledged."""
    writer = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, start_new_session=True,
                              env={**os.environ, **(env or {})})
    acked = []
    try:
        while len(acked) < acks_before_kill:
            line = writer.stdout.readline()
            assert line, "the writer stopped before it was killed"
            acked.append(line)
        time.sleep(pause)
        assert writer.poll() is None, "the writer stopped before it was killed"
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        acked += writer.stdout.readlines()
        writer.wait(30)
    assert writer.returncode == -signal.SIGKILL
    prefix = "Logged success in Running: "
    assert all(line.startswith(prefix) for line in acked), acked
    return [line[len(prefix):].strip() for line in acked]


def assert_sound_and_complete(db_path: Path, acked: list[str]) -> None:
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    stored = [r["title"] for r in rows(db_path, "SELECT title FROM attempts ORDER BY id")]
    assert stored[: len(acked)] == acked, "an acknowledged write is missing"
    assert len(stored) <= len(acked) + 1, "at most the write in flight was not yet acknowledged"


@pytest.mark.parametrize("pause", [0.0, 0.003, 0.011])
def test_one_process_logging_in_a_loop_killed_mid_stream(running, pause):
    acked = kill_mid_stream([sys.executable, "-c", ONE_PROCESS, str(running)], 25, pause)
    assert_sound_and_complete(running, acked)
    more = kill_mid_stream([sys.executable, "-c", ONE_PROCESS, str(running)], 5, pause)
    stored = [r["title"] for r in rows(running, "SELECT title FROM attempts")]
    assert set(more) <= set(stored), "the file still takes writes after the crash"


def test_a_stream_of_efficacy_log_commands_killed_mid_stream(running):
    acked = kill_mid_stream(["sh", "-c", MANY_PROCESSES], 6, 0.05,
                            env={"EFFICACY": EFFICACY, "DB": str(running)})
    assert_sound_and_complete(running, acked)
