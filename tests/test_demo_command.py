"""`efficacy demo` with no arguments: a fresh 90-day demo in a private temporary folder, opened in
the app, and the user's own database (EFFICACY_DB or the platformdirs default) never touched."""

import hashlib
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

import efficacy_tui.cli as cli
from efficacy_tui import launch
from efficacy_tui.content import say
from efficacy_tui.store import domains
from efficacy_tui.store.core import open_store
from efficacy_tui.ui.app import EfficacyApp

from conftest import rows


@pytest.fixture
def own(tmp_path, monkeypatch):
    """A fake home: EFFICACY_DB unset, platformdirs pointed at an empty folder, temporary files
    kept inside the test's folder, and the app replaced by a note of what it would open (on a
    terminal, which the note stands in for)."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home if name == "HOME" else home / name.lower()))
    monkeypatch.delenv("EFFICACY_DB", raising=False)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    opened = []
    monkeypatch.setattr(launch, "has_terminal", lambda: True)
    monkeypatch.setattr(cli, "_run_app",
                        lambda ctx, start="home", db_path=None: opened.append((start, db_path)))
    return {"home": home, "temp": temp, "opened": opened}


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def demo(*args: str):
    return CliRunner().invoke(cli.main, ["demo", *args], catch_exceptions=False)


def test_demo_writes_a_fresh_private_database_and_opens_it(own):
    result = demo()
    assert result.exit_code == 0, result.output
    [folder] = own["temp"].iterdir()
    assert folder.name.startswith("efficacy-demo-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    path = folder / "demo.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert own["opened"] == [("home", path)]
    [line] = result.output.splitlines()
    assert str(path) in line and "your own database is untouched" in line
    assert everything_under(own["home"]) == []


def test_the_demo_is_90_days_of_everything(own):
    demo()
    [(_, path)] = own["opened"]
    count = {table: rows(path, f"SELECT count(*) AS n FROM {table}")[0]["n"]
             for table in ("domains", "rungs", "attempts", "checkins", "reframes", "readiness",
                           "models", "feedback")}
    assert count["domains"] == 3
    assert all(count.values()), count
    [span] = rows(path, "SELECT min(day) AS first, max(day) AS last FROM checkins")
    days = (_date(span["last"]) - _date(span["first"])).days
    assert 80 <= days <= 90
    planned = rows(path, "SELECT count(*) AS n FROM attempts WHERE outcome IS NULL")[0]["n"]
    rated = rows(path, "SELECT count(*) AS n FROM attempts WHERE confidence IS NOT NULL "
                       "AND outcome IS NOT NULL")[0]["n"]
    assert planned >= 1 and rated >= 30


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def test_each_run_gets_its_own_folder(own):
    demo()
    demo()
    first, second = [path for _, path in own["opened"]]
    assert first.parent != second.parent
    assert len(list(own["temp"].iterdir())) == 2


def test_efficacy_db_is_never_read_or_written(own, tmp_path, monkeypatch, clock):
    mine = tmp_path / "mine" / "efficacy.db"
    store = open_store(mine, clock=clock)
    domains.get_or_create_domain(store, "My own domain")
    store.close()
    before = hashlib.sha256(mine.read_bytes()).hexdigest()
    listing = everything_under(mine.parent)
    monkeypatch.setenv("EFFICACY_DB", str(mine))
    missing = tmp_path / "never" / "efficacy.db"

    assert demo().exit_code == 0
    assert hashlib.sha256(mine.read_bytes()).hexdigest() == before
    assert everything_under(mine.parent) == listing

    monkeypatch.setenv("EFFICACY_DB", str(missing))
    assert demo().exit_code == 0
    assert not missing.parent.exists()
    assert everything_under(own["home"]) == []


def test_no_open_writes_and_says_where(own):
    result = demo("--no-open", "--days", "10")
    assert result.exit_code == 0
    assert own["opened"] == []
    [folder] = own["temp"].iterdir()
    assert str(folder / "demo.db") in result.output


async def test_the_app_opens_populated_on_the_demo(own):
    demo()
    [(_, path)] = own["opened"]
    app = EfficacyApp(open_store(path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = str(app.screen.query_one("#domain-list", Static).render())
        for name in ("Public speaking", "Running", "Spanish"):
            assert name in listed
        assert not app.screen.query_one("#welcome").display
    assert everything_under(own["home"]) == []


def test_without_a_terminal_the_demo_writes_nothing_unless_told_not_to_open_it(own, monkeypatch):
    """A script running `efficacy demo` gets one sentence, and no demo it cannot open; with
    --no-open it gets the demo."""
    monkeypatch.setattr(launch, "has_terminal", lambda: False)
    result = CliRunner().invoke(cli.main, ["demo"])
    assert result.exit_code == 1
    assert result.stderr.strip() == say("demo.no_terminal")
    assert everything_under(own["temp"]) == [] and own["opened"] == []
    assert demo("--no-open").exit_code == 0
    assert [p.name for p in everything_under(own["temp"]) if p.suffix == ".db"] == ["demo.db"]
