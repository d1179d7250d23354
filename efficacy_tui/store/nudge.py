"""Reading what `efficacy nudge` needs without ever changing the database: no file is created,
no migration runs, no setting of the file changes, so a shell prompt can call it as often as it
likes."""

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from efficacy_tui.store.checkins import get_checkin
from efficacy_tui.store.core import Store, check_path, connect, probe, system_now
from efficacy_tui.store.readiness import upcoming_performances


def open_for_reading(path: Path, clock: Callable[[], datetime] | None = None) -> Store | None:
    """The store at `path` opened without creating it (None when there is no file yet), after
    the same checks as any command but for write permission (StoreError, one sentence).

    Read-write rather than read-only: it cannot create the file either, and as the last
    connection it tidies the WAL side files away on close instead of leaving them behind."""
    if probe(path) is None:
        return None
    check_path(path, write=False)
    try:
        conn = connect(path, "existing")
    except sqlite3.OperationalError:  # a read-only file
        conn = connect(path, "ro")
    return Store(conn=conn, path=path, clock=clock or system_now)


def _tables(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def nudge_facts(store: Store) -> tuple[bool, tuple[str, str] | None]:
    """Whether today's check-in is done, and the (title, scheduled_for) of the soonest upcoming
    performance whose walkthrough is not done yet. A database without the tables (empty, or
    from before performances existed) counts as checked in and with nothing scheduled."""
    tables = _tables(store)
    today = store.today().isoformat()
    checked_in = "checkins" not in tables or get_checkin(store, today) is not None
    performance = None
    if "readiness" in tables:
        for found in upcoming_performances(store, limit=None):
            if found.completed_at is None:
                performance = (found.title, found.scheduled_for)
                break
    return checked_in, performance
