"""`efficacy export -o` never replaces what is not its own: the database, its -wal/-shm/-journal,
anything in its backups folder, or an existing file that is not an earlier export of the same
format (unless --force); and a killed export's hidden partial file is private and is cleared
by the next export."""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.export import PARTIAL

from conftest import Clock

FORMATS = ("json", "csv", "md")


@pytest.fixture
def db(tmp_path) -> Path:
    """A small database with a domain, closed, with its backups folder and a copy in it."""
    path = tmp_path / "efficacy.db"
    store = open_store(path, clock=Clock())
    with store.transaction():
        store.db["domains"].insert({"uid": new_uid(), "name": "Talks", "position": 1,
                                    "created_at": store.stamp()})
    store.close()
    assert CliRunner().invoke(main, ["--db", str(path), "backup"]).exit_code == 0
    return path


def export(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "export", *args])


def state(folder: Path) -> dict[str, tuple]:
    """Every file below `folder` with its bytes, mode and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            found[str(path.relative_to(folder))] = (path.read_bytes(), info.st_mode,
                                                    info.st_mtime_ns)
    return found


def one_sentence(result, start: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(start), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_never_replaces_the_database_or_its_backups(db, tmp_path, fmt):
    store = open_store(db)  # an open store has its -wal and -shm beside it
    try:
        (tmp_path / "efficacy.db-journal").write_bytes(b"")
        (tmp_path / "hard.db").hardlink_to(db)
        (tmp_path / "soft.db").symlink_to(db)
        backups = tmp_path / "backups"
        copy = next(backups.iterdir())
        before = state(tmp_path)
        for target in ("efficacy.db", "efficacy.db-wal", "efficacy.db-shm", "efficacy.db-journal",
                       "hard.db", "soft.db"):
            for force in ((), ("--force",)):
                result = export(db, "--format", fmt, "-o", str(tmp_path / target), *force)
                one_sentence(result, f"{tmp_path / target} is the database")
        for target in (backups, copy, backups / "new.json"):
            for force in ((), ("--force",)):
                result = export(db, "--format", fmt, "-o", str(target), *force)
                one_sentence(result, str(target))
                assert f"is in the backups folder ({backups})" in result.stderr
        assert state(tmp_path) == before
    finally:
        store.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_replaces_an_earlier_export_but_nothing_else_without_force(db, tmp_path, fmt):
    earlier = tmp_path / f"earlier.{fmt}"
    assert export(db, "--format", fmt, "-o", str(earlier)).exit_code == 0
    other_format = tmp_path / "other"
    assert export(db, "--format", "md" if fmt != "md" else "json",
                  "-o", str(other_format)).exit_code == 0
    (tmp_path / "notes.txt").write_text("my own notes\n")
    (tmp_path / "fake.json").write_text('{"format": "efficacy-export"}')  # not as we write it
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "notes.txt")
    before = state(tmp_path)
    for force in ((), ("--force",)):  # a pipe is never replaced, nor a device or socket
        result = export(db, "--format", fmt, "-o", str(tmp_path / "pipe"), *force)
        one_sentence(result, f"{tmp_path / 'pipe'} is not a regular file")
    for name in ("other", "notes.txt", "fake.json", "link"):
        result = export(db, "--format", fmt, "-o", str(tmp_path / name))
        one_sentence(result, f"{tmp_path / name} already exists and is not an earlier efficacy "
                             f"{fmt} export")
        assert result.stderr.endswith("or add --force to replace it.\n")
    assert state(tmp_path) == before
    result = export(db, "--format", fmt, "-o", str(earlier))
    assert result.exit_code == 0, result.output
    result = export(db, "--format", fmt, "-o", str(tmp_path / "notes.txt"), "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt").read_bytes() != b"my own notes\n"
    assert stat.S_IMODE((tmp_path / "notes.txt").stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(PARTIAL)]


SLOW_EXPORT = """
import sys, time
from efficacy_tui.store import export
from efficacy_tui.store.core import open_store

def stalled(store, out, *_):  # half an export written, then the process is killed
    out.write('{"format": "efficacy-export", "secret": "personal notes"')
    out.flush()
    print("writing", flush=True)
    time.sleep(120)

export._write_json = stalled
export.write_export(open_store(sys.argv[1]), "json", sys.argv[2])
"""


def test_a_killed_exports_partial_file_is_private_and_the_next_export_clears_it(db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", SLOW_EXPORT, str(db), str(out / "a.json")],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        partials = [p for p in out.iterdir() if p.name.endswith(PARTIAL)]
        assert len(partials) == 1 and partials[0].name.startswith(".a.json.")
        assert stat.S_IMODE(partials[0].stat().st_mode) == 0o600
        # an export running at the same time is left to finish
        assert export(db, "-o", str(out / "b.json")).exit_code == 0
        assert partials[0].exists()
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()
    assert partials[0].exists() and not (out / "a.json").exists()
    result = export(db, "--format", "md", "-o", str(out / "c.md"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["b.json", "c.md"]
