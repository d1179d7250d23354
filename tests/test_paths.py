"""Every path problem is one sentence, and files another user could read or planted are never
used: a database, -wal or -shm owned by someone else is refused, the user's own file that others
could read is made private (and said once), a FIFO, device or socket is found with stat and never
opened, a folder that cannot be entered or created is named. And home paints quickly with a
10 MB field in the file."""

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import in_terminal
from test_bad_files import as_user, run_app, state

from efficacy_tui.cli import main
from efficacy_tui.store import attempts, domains
from efficacy_tui.store.core import open_store
from efficacy_tui.store.export import write_export

from conftest import rows

NOBODY = 65534
# Every command that opens the database, with what it needs to get that far.
COMMANDS = {
    "app": [],
    "log": ["log", "Public speaking", "Spoke up", "--outcome", "success"],
    "stats": ["stats"],
    "nudge": ["nudge"],
    "doctor": ["doctor", "--yes"],
    "backup": ["backup"],
    "export": ["export", "-o", "-"],
}

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not sys.platform.startswith("linux"),
    reason="a second user can only be played by a test running as root (on Linux), which "
           "drops to uid 65534 in a subprocess")


@pytest.fixture
def shared():
    """A world-writable sticky folder, like /tmp, that the second user can reach."""
    folder = Path(tempfile.mkdtemp(prefix="efficacy-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_second_user(path: Path, mode: int = 0o666) -> None:
    """Another local user creates `path` first, readable and writable by all."""
    subprocess.run([sys.executable, "-c", (
        "import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); os.umask(0); "
        "os.close(os.open(sys.argv[1], os.O_CREAT | os.O_EXCL | os.O_WRONLY, int(sys.argv[2])))"
    ), str(path), str(mode)], check=True, timeout=30)
    assert path.stat().st_uid == NOBODY


def one_sentence(code: int, said: str) -> str:
    assert code == 1, said
    assert said.endswith("\n") and said.count("\n") == 1, said
    assert "Traceback" not in said
    return said.strip()


def invoke(path: Path, command: str) -> tuple[int, str]:
    """A command on the database at `path`: the app in a subprocess (were it to start, it would
    wait for keys), the others through click."""
    if command == "app":
        result = run_app(path)
        return result.returncode, result.stderr
    outcome = CliRunner().invoke(main, ["--db", str(path), *COMMANDS[command]],
                                 catch_exceptions=False)
    return outcome.exit_code, outcome.stderr


@needs_root
@pytest.mark.parametrize("command", ["app", "import", "demo"])
@pytest.mark.parametrize("planted", ["-wal", "-shm", ""])
def test_a_file_another_user_made_first_gets_the_database_refused(
        shared, tmp_path, store, planted, command):
    """In a world-writable folder another user creates the database, its -wal or its -shm
    first, mode 0666, to read what efficacy would write there: it is refused, nothing is
    written."""
    domains.get_or_create_domain(store, "Public speaking")
    export = write_export(store, "json", tmp_path / "mine.json")
    path = shared / "efficacy.db"
    as_second_user(Path(f"{path}{planted}"))
    before = state(path)
    if command == "app":
        code, said = invoke(path, command)
    else:
        args = ["import", str(export)] if command == "import" else ["demo", "--no-open"]
        outcome = CliRunner().invoke(main, ["--db", str(path), *args])
        code, said = outcome.exit_code, outcome.stderr
    sentence = one_sentence(code, said)
    assert sentence.startswith(f"{path}{planted} belongs to another user (uid {NOBODY})")
    assert state(path) == before


def test_an_own_database_readable_by_others_is_made_private_and_said_once(db_path, store):
    store.close()
    db_path.chmod(0o644)
    first = CliRunner().invoke(main, ["--db", str(db_path), "stats"])
    assert first.exit_code == 0
    assert first.stderr == (f"{db_path} could be read or written by other users (mode 0644); "
                            "efficacy has made it private (mode 0600).\n")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    again = CliRunner().invoke(main, ["--db", str(db_path), "stats"])
    assert again.exit_code == 0 and again.stderr == ""


def test_an_own_wal_left_open_to_others_is_made_private(db_path, store):
    other = open_store(db_path)  # a second connection keeps the -wal beside the file
    try:
        wal = Path(f"{db_path}-wal")
        wal.chmod(0o666)
        result = CliRunner().invoke(main, ["--db", str(db_path), "stats"])
        assert result.exit_code == 0
        assert f"{wal} could be read or written by other users (mode 0666)" in result.stderr
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        other.close()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_that_cannot_be_entered_is_one_sentence(tmp_path, command):
    locked = tmp_path / "locked"
    (locked / "data").mkdir(parents=True)
    open_store(locked / "data" / "efficacy.db").close()
    locked.chmod(0o000)
    try:
        result = as_user(locked / "data" / "efficacy.db", *COMMANDS[command])
    finally:
        locked.chmod(0o700)
    sentence = one_sentence(result.returncode, result.stderr)
    assert sentence == (f"Cannot reach {locked}/data/efficacy.db: permission denied on the "
                        f"folder {locked}; give a path in a folder you can open.")


@pytest.mark.parametrize("where", ["export -o", "backup"])
def test_an_export_or_backup_into_a_folder_that_cannot_be_entered_is_one_sentence(
        db_path, store, tmp_path, where):
    store.close()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o000)
    try:
        result = as_user(db_path, *where.split(), str(locked / "out"))
        folder = as_user(db_path, *where.split(), f"{locked}/")
    finally:
        locked.chmod(0o700)
    assert one_sentence(result.returncode, result.stderr).startswith(
        f"Cannot reach {locked}/out: permission denied on the folder {locked}")
    assert one_sentence(folder.returncode, folder.stderr).startswith(f"Cannot reach {locked}")
    assert list(locked.iterdir()) == []


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.db"
    os.mkfifo(path)
    return path


def unix_socket(tmp_path: Path) -> Path:
    path = tmp_path / "socket.db"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("make", "kind"), [
    (fifo, "a named pipe (FIFO)"),
    (unix_socket, "a socket"),
    (lambda _: Path("/dev/null"), "a character device"),
], ids=["fifo", "socket", "device"])
def test_a_file_that_is_not_regular_is_one_sentence_and_never_opened(
        tmp_path, make, kind, command):
    path = make(tmp_path)
    # A FIFO opened for reading would wait here for a writer forever.
    result = in_terminal([sys.executable, "-m", "efficacy_tui", "--db", str(path),
                          *COMMANDS[command]], timeout=60)
    sentence = one_sentence(result.returncode, result.stderr)
    assert sentence == (f"{path} is {kind}, not a database file, and was left alone; give a "
                        "file path with --db.")
    for suffix in ("-journal", "-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists()


def test_a_missing_parent_that_cannot_be_created_is_one_sentence(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    below_a_file = tmp_path / "file" / "sub" / "efficacy.db"
    for command in ("app", "log", "stats"):
        code, said = invoke(below_a_file, command)
        assert one_sentence(code, said) in (
            f"Cannot use {below_a_file}: {tmp_path / 'file'} is a file, not a folder; give "
            "another path.",
            'There is no domain named "Public speaking". There are no domains yet: name one '
            "as today's focus in a check-in.")  # log reads nothing when there is no file
    read_only = tmp_path / "read-only"
    read_only.mkdir(mode=0o500)
    try:
        result = as_user(read_only / "new" / "efficacy.db")
    finally:
        read_only.chmod(0o700)
    assert one_sentence(result.returncode, result.stderr) == (
        f"Cannot create the folder {read_only / 'new'} for {read_only / 'new' / 'efficacy.db'} "
        f"({read_only} is not writable); create it yourself or give another path with --db.")
    assert list(read_only.iterdir()) == []


@pytest.mark.paints
async def test_home_paints_quickly_with_a_ten_megabyte_field(db_path, store, make_app):
    big = "word " * 2_000_000  # 10 MB
    domain = domains.get_or_create_domain(store, "Running")
    now = store.now()
    win = attempts.add_attempt(store, domain_id=domain.id, title=big + "won",
                               happened_at=now.isoformat(), outcome="success", what_i_did=big)
    attempts.add_attempt(store, domain_id=domain.id, title=big + "planned", confidence=50,
                         happened_at=now.replace(year=now.year + 1).isoformat(), outcome=None)
    store.close()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        painted = str(app.screen.query_one("#win-text").render())
    # Only a preview is laid out (in full it took minutes); the time is the benchmark's to measure.
    assert len(painted) < 2000 and painted.startswith("✓ word word")
    kept = rows(db_path, "SELECT title, what_i_did FROM attempts WHERE id = ?", [win.id])[0]
    assert kept == {"title": big + "won", "what_i_did": big}  # the record keeps every word
