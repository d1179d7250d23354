"""Shared fixtures: a real SQLite file in a temporary folder, a fixed clock, and the app on it.

Every test runs in Europe/London so dates, daylight saving and snapshots are the same everywhere,
and with EFFICACY_CONFIG naming a file that does not exist, so no test reads or writes the user's
own config; a test that needs a keymap points it at a file of its own.
"""

import os
import sqlite3
import tempfile
import time
from datetime import datetime

import pytest

os.environ["TZ"] = "Europe/London"
time.tzset()
os.environ.pop("EFFICACY_DB", None)
os.environ["EFFICACY_CONFIG"] = os.path.join(tempfile.mkdtemp(prefix="efficacy-tests-"),
                                             "missing", "config.toml")

from efficacy_tui.store.core import open_store  # noqa: E402
from efficacy_tui.ui.app import EfficacyApp  # noqa: E402

NOW = datetime(2026, 11, 26, 9, 30)


class Clock:
    """A settable local clock; `at` takes a naive local time."""

    def __init__(self, naive: datetime = NOW) -> None:
        self.at(naive)

    def at(self, naive: datetime) -> "Clock":
        self.current = naive.astimezone()
        return self

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "efficacy.db"


@pytest.fixture
def store(db_path, clock):
    opened = open_store(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def make_app(db_path, clock):
    """Build the app on the test's database file, as `efficacy --db PATH` would."""

    def make(start: str = "home") -> EfficacyApp:
        return EfficacyApp(open_store(db_path, clock=clock), start=start)

    return make


def rows(db_path, sql: str, params=()) -> list[dict]:
    """Read the file through a separate connection, as another program would see it."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


async def until(pilot, holds, seconds: float = 15.0) -> None:
    """Let the app run until `holds()` is true (what the file holds or the screen shows), so a
    test waits for the thing itself, never for a fixed time."""
    deadline = time.monotonic() + seconds
    while not holds():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.05)
