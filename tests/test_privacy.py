"""Everything efficacy writes is readable by the user alone: files 0600, the folders it creates
0700, even when the umask would allow more."""

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store import attempts, backup, domains, schema
from efficacy_tui.store.core import open_store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """A umask that would leave files readable by everyone, so only explicit modes pass."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_database_and_its_wal_and_shm_are_private(tmp_path, clock, open_umask):
    db = tmp_path / "a" / "b" / "efficacy.db"
    store = open_store(db, clock=clock)
    domain = domains.get_or_create_domain(store, "Running")
    attempts.add_attempt(store, domain_id=domain.id, title="5k", happened_at=store.stamp(),
                         outcome="success", source="log")
    try:
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(db.parent) == mode(db.parent.parent) == 0o700
    finally:
        store.close()


def test_backups_are_private(db_path, clock, open_umask):
    store = open_store(db_path, clock=clock)
    domains.get_or_create_domain(store, "Running")
    store.close()
    by_hand = backup.backup_to(db_path)
    daily = backup.daily(db_path, date(2026, 11, 26))

    def m999_test_extra(db):
        db.execute("CREATE TABLE test_extra (id INTEGER PRIMARY KEY)")

    schema.MIGRATIONS.append(m999_test_extra)
    try:
        open_store(db_path, clock=clock).close()
    finally:
        schema.MIGRATIONS.remove(m999_test_extra)
    folder = backup.backups_dir(db_path)
    made = sorted(folder.iterdir())
    assert {by_hand, daily} < set(made) and len(made) == 3
    assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert mode(folder) == 0o700


def test_exports_are_private(db_path, clock, tmp_path, open_umask):
    open_store(db_path, clock=clock).close()
    for fmt in ("json", "csv", "md"):
        out = tmp_path / f"export.{fmt}"
        result = CliRunner().invoke(main, ["--db", str(db_path), "export", "--format", fmt,
                                           "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o600, fmt


def test_the_command_line_sets_a_private_umask(tmp_path, open_umask):
    """So any file a library creates on efficacy's behalf is private too."""
    CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "stats"])
    assert os.umask(0o077) == 0o077
