"""Bad database files: each gets one sentence and exit status 1 from `efficacy`, `efficacy log`
and `efficacy stats`, and the file (and the folder around it) is left exactly as it was."""

import ctypes
import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import in_terminal

from efficacy_tui.cli import main
from efficacy_tui.store import attempts, domains
from efficacy_tui.store.core import open_store

from conftest import rows

COMMANDS = {
    "app": [],
    "log": ["log", "Public speaking", "Spoke up", "--outcome", "success"],
    "stats": ["stats"],
}


@pytest.fixture
def with_data(db_path, clock):
    store = open_store(db_path, clock=clock)
    domain = domains.get_or_create_domain(store, "Public speaking")
    for n in range(30):
        attempts.add_attempt(store, domain_id=domain.id, title=f"Talk {n} " + "x" * 300,
                             happened_at=store.stamp(), outcome="success", source="log")
    store.close()
    return db_path


def state(path: Path) -> dict:
    """Everything that could change: the folder's listing, and each entry's bytes and mtime."""
    folder = path if path.is_dir() else path.parent
    seen = {}
    for entry in sorted(folder.iterdir()):
        info = entry.stat()
        data = entry.read_bytes() if entry.is_file() else None
        seen[entry.name] = (data, info.st_mtime_ns, info.st_mode)
    return seen


def page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def root_page(path: Path, table: str) -> int:
    """The top page of a table's b-tree: the schema does not touch it, every read of the table
    does."""
    return rows(path, "SELECT rootpage FROM sqlite_master WHERE name = ?", [table])[0]["rootpage"]


def overwrite(path: Path, offset: int, length: int) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(length)))


def folder(db: Path) -> Path:
    (db.parent / "folder").mkdir()
    return db.parent / "folder"


def not_sqlite(db: Path) -> Path:
    notes = db.parent / "notes.txt"
    notes.write_text("my private notes\n")
    return notes


def cut_mid_page(db: Path) -> Path:
    os.truncate(db, db.stat().st_size - 1000)
    return db


def cut_at_page(db: Path) -> Path:
    size = page_size(db)
    os.truncate(db, (db.stat().st_size // size // 2) * size)
    return db


def header_scrambled(db: Path) -> Path:
    overwrite(db, 16, 84)
    return db


def schema_page_scrambled(db: Path) -> Path:
    overwrite(db, 100, page_size(db) - 100)
    return db


def newer(db: Path) -> Path:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('efficacy', 'm999_from_the_future', 'x')")
    conn.close()
    return db


def foreign(db: Path) -> Path:
    other = db.parent / "recipes.db"
    conn = sqlite3.connect(other)
    with conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.close()
    return other


def damaged(reason: str) -> str:
    return ("{path} is damaged (" + reason + ") and was left as it is; restore the latest copy "
            "from {backups} as the README's \"Backups and restore\" section explains.")


CASES = {
    "folder": (folder, "{path} is a folder, not a database file; give a file path with --db."),
    "not SQLite": (not_sqlite, "{path} is not an efficacy database (it is not a SQLite file)."),
    "cut mid-page": (cut_mid_page, damaged("its length is not a whole number of pages, so it "
                                          "was cut short")),
    "cut at a page": (cut_at_page, damaged("it holds {have} of its {pages} pages, so it was cut "
                                           "short")),
    "header scrambled": (header_scrambled, damaged("its header gives an impossible page size")),
    "schema scrambled": (schema_page_scrambled, damaged("{any}")),
    "newer schema": (newer, "{path} was written by a newer version of efficacy; upgrade "
                            "efficacy to open it."),
    "another program's SQLite": (foreign, "{path} is a SQLite database from another program, "
                                          "not an efficacy database; give another file with --db."),
}


def expected_for(template: str, path: Path, pages: tuple[int, int]) -> str:
    return template.format(path=path, backups=path.parent / "backups", have=pages[0],
                           pages=pages[1], any="{any}")


def matches(said: str, expected: str) -> bool:
    if "{any}" not in expected:
        return said == expected
    head, tail = expected.split("{any}")
    return said.startswith(head) and said.endswith(tail) and len(said) > len(head + tail)


def run_app(path: Path, *extra: str, env: dict | None = None,
            preexec=None) -> subprocess.CompletedProcess:
    """The real `efficacy` in a subprocess, in a terminal: if a bad file were accepted, the app
    would start and wait there for keys."""
    return in_terminal([sys.executable, "-m", "efficacy_tui", "--db", str(path), *extra],
                       env={**os.environ, **(env or {})}, preexec=preexec)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_gets_one_sentence_and_is_left_alone(with_data, case, command):
    make, template = CASES[case]
    size, pages_before = page_size(with_data), with_data.stat().st_size // page_size(with_data)
    path = make(with_data)
    pages = (path.stat().st_size // size if path.is_file() else 0, pages_before)
    expected = expected_for(template, path, pages)
    before = state(path)
    if command == "app":
        result = run_app(path)
        code, said = result.returncode, result.stderr
    else:
        result = CliRunner().invoke(main, ["--db", str(path), *COMMANDS[command]],
                                    catch_exceptions=False)
        code, said = result.exit_code, result.stderr
    assert code == 1, said
    assert said.endswith("\n") and said.count("\n") == 1, said
    assert matches(said.strip(), expected), said
    assert state(path) == before


def test_damage_deep_in_a_table_is_one_sentence_where_it_is_read(with_data):
    """A scrambled page of attempts passes the cheap checks at open; `log` and `stats` reach it
    and say so in one sentence, the app stops with status 1 and the same sentence, `efficacy
    backup` keeps no copy of
    it, and the file is never changed."""
    page = root_page(with_data, "attempts")
    overwrite(with_data, (page - 1) * page_size(with_data), page_size(with_data))
    before = state(with_data)
    sentence = damaged("database disk image is malformed").format(
        path=with_data, backups=with_data.parent / "backups")
    for command in ("log", "stats"):
        result = CliRunner().invoke(main, ["--db", str(with_data), *COMMANDS[command]])
        assert (result.exit_code, result.stderr.strip()) == (1, sentence)
    result = run_app(with_data)
    assert result.returncode == 1
    # After the terminal is given back (its control sequences), the one sentence, no traceback.
    assert result.stderr.endswith(sentence + "\n") and "Traceback" not in result.stderr
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"{with_data} is damaged (")
    assert "the copy was not kept" in result.stderr
    assert state(with_data) == before


def without_root_override():
    """Make permission bits bind a root test run too: drop the capabilities that let root write
    to read-only files and folders, in the child only (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_user(path: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command line, with permissions enforced even when the tests run as root."""
    if os.geteuid() != 0:
        return run_app(path, *args)
    if not sys.platform.startswith("linux"):
        pytest.skip("needs Linux to drop root's override of file permissions")
    return run_app(path, *args, preexec=without_root_override)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_is_refused_and_nothing_is_written(with_data, what, command):
    target = with_data if what == "file" else with_data.parent
    mode = target.stat().st_mode
    target.chmod(0o400 if what == "file" else 0o500)
    try:
        before = state(with_data)
        result = as_user(with_data, *COMMANDS[command])
        after = state(with_data)
    finally:
        target.chmod(mode)
    if what == "file":
        expected = (f"{with_data} is read-only and efficacy needs to write to it; make it "
                    "writable (chmod u+w) or give another file with --db.")
    else:
        expected = (f"The folder {with_data.parent} is read-only and efficacy needs to write "
                    f"there to use {with_data}; make the folder writable or give another file "
                    "with --db.")
    assert (result.returncode, result.stderr) == (1, expected + "\n")
    assert after == before


def test_a_new_database_in_a_read_only_folder_is_refused(tmp_path):
    tmp_path.chmod(0o500)
    try:
        result = as_user(tmp_path / "efficacy.db", "stats")
        app = as_user(tmp_path / "efficacy.db")
    finally:
        tmp_path.chmod(0o700)
    assert result.returncode == 1 and "There is no database" in result.stderr
    assert app.returncode == 1
    assert app.stderr.startswith(f"The folder {tmp_path} is read-only")
    assert list(tmp_path.iterdir()) == []


LOCKER = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "whole file":
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
other.execute("BEGIN EXCLUSIVE")
other.execute("UPDATE domains SET position = position")
print("locked", flush=True)
sys.stdin.read()
other.rollback()
"""


@contextmanager
def locked(path: Path, whole_file: bool = False):
    """Another program in the middle of a write. With `whole_file` it also keeps readers out
    (`locking_mode = EXCLUSIVE`), as a program that opened the file exclusively would. It is a
    separate process because closing any handle on the file in this one drops its locks."""
    other = subprocess.Popen([sys.executable, "-c", LOCKER, str(path),
                              "whole file" if whole_file else "write"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "locked"
        yield
    finally:
        other.stdin.close()
        other.wait(60)


LOCKED = ("{path} is locked by another program that is writing to it; efficacy waited 0.2 s, "
          "saved nothing, and you can try again once that program has finished.")


def test_log_into_a_database_locked_past_the_timeout_writes_nothing(with_data):
    with locked(with_data):
        before = state(with_data)
        env = {"EFFICACY_BUSY_TIMEOUT_MS": "200"}
        result = CliRunner().invoke(main, ["--db", str(with_data), *COMMANDS["log"]], env=env)
        assert (result.exit_code, result.stderr) == (1, LOCKED.format(path=with_data) + "\n")
        read = CliRunner().invoke(main, ["--db", str(with_data), "stats"], env=env)
        assert read.exit_code == 0, "in WAL mode a writer does not keep readers out"
        assert state(with_data) == before
    assert rows(with_data, "SELECT count(*) AS n FROM attempts WHERE title = 'Spoke up'") == [
        {"n": 0}]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_held_exclusively_is_one_sentence_for_every_command(with_data, command):
    with locked(with_data, whole_file=True):
        before = state(with_data)
        result = run_app(with_data, *COMMANDS[command], env={"EFFICACY_BUSY_TIMEOUT_MS": "200"})
        assert (result.returncode, result.stderr) == (1, LOCKED.format(path=with_data) + "\n")
        assert state(with_data) == before


def test_a_bad_busy_timeout_is_one_sentence(with_data):
    result = CliRunner().invoke(main, ["--db", str(with_data), "stats"],
                                env={"EFFICACY_BUSY_TIMEOUT_MS": "soon"})
    assert result.exit_code == 1
    assert result.stderr == ('EFFICACY_BUSY_TIMEOUT_MS must be a whole number of milliseconds, '
                             'such as 5000; "soon" is not.\n')
