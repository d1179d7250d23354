"""Backups: a checked copy through SQLite's backup API before a migration, once a day, and with
`efficacy backup`; the last 7 automatic copies kept; and the README's restore procedure."""

import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import settle

from efficacy_tui.cli import main
from efficacy_tui.store import attempts, backup, domains, schema
from efficacy_tui.store.core import StoreError, open_store

from conftest import rows


@pytest.fixture
def with_data(db_path, clock):
    store = open_store(db_path, clock=clock)
    domain = domains.get_or_create_domain(store, "Public speaking")
    attempts.add_attempt(store, domain_id=domain.id, title="Gave the team update",
                         happened_at=store.stamp(), outcome="success", source="log")
    store.close()
    return db_path


def titles(path: Path) -> list[str]:
    return [r["title"] for r in rows(path, "SELECT title FROM attempts ORDER BY id")]


def sound(path: Path) -> bool:
    return rows(path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


def test_backup_command_writes_a_checked_private_copy(with_data):
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup"])
    assert result.exit_code == 0, result.output
    [copy] = (with_data.parent / "backups").iterdir()
    assert copy.name.startswith("efficacy-") and copy.name.endswith(".db")
    assert result.output == f"Backed up {with_data} to {copy}.\n"
    assert titles(copy) == ["Gave the team update"] and sound(copy)
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    assert oct(copy.parent.stat().st_mode & 0o777) == "0o700"
    assert not [p for p in copy.parent.iterdir() if p.name.endswith(("-wal", "-shm"))], (
        "a copy is one self-contained file")


def test_backup_command_to_a_file_or_a_folder(with_data, tmp_path):
    to_file = tmp_path / "elsewhere" / "copy.db"
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup", str(to_file)])
    assert result.exit_code == 0 and titles(to_file) == ["Gave the team update"]
    assert oct(to_file.parent.stat().st_mode & 0o777) == "0o700"
    again = CliRunner().invoke(main, ["--db", str(with_data), "backup", str(to_file)])
    assert again.exit_code == 0, "an earlier copy is replaced"
    folder = tmp_path / "shelf"
    folder.mkdir()
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup", str(folder)])
    [copy] = folder.iterdir()
    assert result.output == f"Backed up {with_data} to {copy}.\n" and sound(copy)


def test_backup_command_refuses_to_overwrite_what_is_not_a_copy(with_data, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup", str(notes)])
    assert result.exit_code == 1
    assert result.stderr == (f"{notes} exists and is not a SQLite file, so efficacy will not "
                             "overwrite it; give another file or a folder.\n")
    assert notes.read_text() == "mine"
    result = CliRunner().invoke(main, ["--db", str(with_data), "backup", str(with_data)])
    assert result.exit_code == 1
    assert result.stderr == f"{with_data} is the database itself; give another file or a folder.\n"


def test_backup_command_without_a_database_says_so(tmp_path):
    path = tmp_path / "none.db"
    result = CliRunner().invoke(main, ["--db", str(path), "backup"])
    assert result.exit_code == 1
    assert result.stderr == f"There is no database at {path} yet, so there is nothing to back up.\n"
    assert not path.exists()


def test_the_daily_copy_is_made_once_a_day_and_the_last_seven_are_kept(with_data):
    made = [backup.daily(with_data, date(2026, 11, day)) for day in range(10, 20)]
    assert all(made)
    assert backup.daily(with_data, date(2026, 11, 19)) is None, "the day already has its copy"
    kept = [p.name for p in backup.automatic_backups(with_data)]
    assert kept == [f"efficacy-2026-11-{day}.db" for day in range(13, 20)]
    assert all(sound(p) and titles(p) == ["Gave the team update"]
               for p in backup.automatic_backups(with_data))


def test_copies_made_by_hand_are_never_pruned(with_data):
    by_hand = backup.backup_to(with_data, now=datetime(2026, 11, 1, 8, 0))
    for day in range(10, 20):
        backup.daily(with_data, date(2026, 11, day))
    assert by_hand.exists() and by_hand.name == "efficacy-2026-11-01T080000.db"


def test_a_damaged_database_never_pushes_out_the_good_copies(with_data):
    for day in range(10, 17):
        backup.daily(with_data, date(2026, 11, day))
    good = backup.automatic_backups(with_data)
    conn = sqlite3.connect(with_data)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'attempts'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(with_data, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xa5" * size)
    daily = backup.DailyBackup(with_data, date(2026, 11, 17))
    daily.start()
    problem = daily.finish()
    assert problem.startswith(f"{with_data} is damaged (")
    assert backup.automatic_backups(with_data) == good
    assert not [p for p in good[0].parent.iterdir() if p.name.startswith(".")]


def test_a_copy_is_taken_before_a_migration_changes_a_database_with_data(with_data, clock):
    def m999_test_extra(db):
        db.execute("CREATE TABLE test_extra (id INTEGER PRIMARY KEY)")

    schema.MIGRATIONS.append(m999_test_extra)
    try:
        open_store(with_data, clock=clock).close()
    finally:
        schema.MIGRATIONS.remove(m999_test_extra)
    [copy] = backup.automatic_backups(with_data)
    assert copy.name == "efficacy-2026-11-26-before-m999_test_extra.db"
    assert titles(copy) == ["Gave the team update"] and sound(copy)
    assert not rows(copy, "SELECT name FROM sqlite_master WHERE name = 'test_extra'")
    assert rows(with_data, "SELECT name FROM sqlite_master WHERE name = 'test_extra'")


def test_no_copy_of_a_new_or_up_to_date_database(db_path, clock):
    open_store(db_path, clock=clock).close()
    open_store(db_path, clock=clock).close()
    assert not (db_path.parent / "backups").exists()


def test_a_migration_waits_for_its_copy(with_data, clock):
    """When the copy cannot be written, the database is left as it was and not migrated."""
    (with_data.parent / "backups").write_text("a file where the folder should be")

    def m999_test_extra(db):
        db.execute("CREATE TABLE test_extra (id INTEGER PRIMARY KEY)")

    before = with_data.read_bytes()
    schema.MIGRATIONS.append(m999_test_extra)
    try:
        with pytest.raises(StoreError) as raised:
            open_store(with_data, clock=clock)
    finally:
        schema.MIGRATIONS.remove(m999_test_extra)
    assert str(raised.value).startswith(f"Could not back up {with_data} before upgrading it (")
    assert str(raised.value).endswith("), so it was left as it is.")
    assert with_data.read_bytes() == before


RESTORE = """
set -e
cd "$DATA"
mkdir -m 700 -p replaced && mv efficacy.db* replaced/
cp backups/efficacy-2026-11-25.db efficacy.db
"""


CRASH_AFTER_A_WRITE = """
import os, sys
from efficacy_tui.store import attempts, domains
from efficacy_tui.store.core import open_store
store = open_store(sys.argv[1])
domain = domains.get_or_create_domain(store, "Public speaking")
attempts.add_attempt(store, domain_id=domain.id, title="Written after the copy",
                     happened_at=store.stamp(), outcome="setback", source="log")
os._exit(0)
"""


def test_the_documented_restore_brings_the_copy_back(with_data):
    """The commands of the README's "Backups and restore" section, run as written, after a
    crash that left the newest write in efficacy.db-wal."""
    backup.daily(with_data, date(2026, 11, 25))
    subprocess.run([sys.executable, "-c", CRASH_AFTER_A_WRITE, str(with_data)], check=True)
    assert Path(f"{with_data}-wal").stat().st_size > 0
    subprocess.run(["sh", "-c", RESTORE], env={**os.environ, "DATA": str(with_data.parent)},
                   check=True)
    result = CliRunner().invoke(main, ["--db", str(with_data), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert titles(with_data) == ["Gave the team update"] and sound(with_data)
    assert oct(with_data.stat().st_mode & 0o777) == "0o600"
    kept = with_data.parent / "replaced"
    assert sorted(p.name for p in kept.iterdir()) == [
        "efficacy.db", "efficacy.db-shm", "efficacy.db-wal"]
    assert titles(kept / "efficacy.db") == ["Gave the team update", "Written after the copy"]


async def test_the_warm_up_runs_what_waited_for_the_first_screen(make_app):
    """Once the first screen is up, the app runs what the command line queued for then (the
    day's copy); the tests' apps leave the warm-up out unless they ask for it."""
    app = make_app(warm_up=True)
    ran: list[str] = []
    app.after_start.append(lambda: ran.append(type(app.screen).__name__))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await settle(pilot, lambda: ran, what="the warm-up") == ["HomeScreen"]


@pytest.mark.serial
def test_the_app_makes_the_days_copy_after_it_has_started(with_data):
    """The real `efficacy` in a terminal: today's copy appears once the home screen is up, and
    quitting waits for it to be complete."""
    from test_killed_process import spawn_in_pty, wait_for

    today = backup.daily_path(with_data, datetime.now().astimezone().date())
    proc, master = spawn_in_pty([sys.executable, "-m", "efficacy_tui", "--db", str(with_data)])
    try:
        wait_for(today.exists, master)
        os.write(master, b"\x11")  # ctrl+q
        wait_for(lambda: proc.poll() is not None, master)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
        proc.wait(10)
        os.close(master)
    assert proc.returncode == 0
    assert sound(today) and titles(today) == ["Gave the team update"]
    assert [p.name for p in today.parent.iterdir()] == [today.name]


def test_half_copies_left_by_a_killed_process_are_cleared(with_data):
    folder = backup.backups_dir(with_data)
    folder.mkdir()
    stale, fresh = folder / ".efficacy-2026-11-01.db.111.partial", folder / ".efficacy-x.222.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"in progress")
    os.utime(stale, (0, 0))
    backup.daily(with_data, date(2026, 11, 26))
    assert not stale.exists() and fresh.exists()
