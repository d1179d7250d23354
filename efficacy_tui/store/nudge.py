"""Reading what `efficacy nudge` needs without ever changing the database: no file is created,
no migration runs, the connection is read-only, so a shell prompt can call it as often as it
likes. Plain sqlite3 and the standard library only: the entry point's quick path (entry.py)
imports this before anything heavy, and the full command (cli.py) reads through the same code.

A read-only connection to a file in WAL mode that no other program has open leaves SQLite's
empty -wal and -shm files beside it (a reader may not remove them); the next program that writes
uses them, and the last one to close tidies them away."""

import os
import sqlite3
import stat
from datetime import datetime, timedelta

from efficacy_tui.coach.readiness import moment

SIDE_FILES = ("-wal", "-shm", "-journal")
# Wider than any two UTC offsets are apart, so a text bound with this margin never drops a row
# (as in store/readiness.py, whose `readiness_due` index this reads along).
_MARGIN = timedelta(days=2)


def plainly_readable(path: str) -> bool | None:
    """None when there is no file at `path` (nothing to say); True when it and any side files
    beside it are regular files of this user's, which is all a read needs from
    `core.check_path(path, write=False)`; False for anything else, which the full command
    explains in one sentence."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    if not _mine(found):
        return False
    for suffix in SIDE_FILES:
        try:
            side = os.stat(f"{path}{suffix}")
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not _mine(side):
            return False
    return True


def _mine(found: os.stat_result) -> bool:
    return stat.S_ISREG(found.st_mode) and found.st_uid == os.geteuid()


def uri(path: str) -> str:
    """The read-only SQLite URI of `path`: %, ? and # escaped, which would otherwise end it."""
    full = os.path.realpath(path)
    for char, code in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        full = full.replace(char, code)
    return f"file:{full}?mode=ro"


def nudge_facts(conn: sqlite3.Connection, now: datetime) -> tuple[bool, tuple[str, str] | None]:
    """Whether the check-in of `now`'s day is done, and the (title, scheduled_for) of the soonest
    performance still ahead whose walkthrough is not done. A database without the tables (empty,
    or from before performances existed) counts as checked in and with nothing scheduled."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    checked_in = "checkins" not in tables or conn.execute(
        "SELECT 1 FROM checkins WHERE day = ? AND deleted_at IS NULL LIMIT 1",
        [now.date().isoformat()],
    ).fetchone() is not None
    performance = None
    if "readiness" in tables:
        at = now.timestamp()
        rows = conn.execute(
            "SELECT p.id, p.title, p.scheduled_for FROM readiness AS p INDEXED BY readiness_due "
            "WHERE p.attempt_id IS NULL AND p.followup_at IS NULL AND p.deleted_at IS NULL "
            "AND p.completed_at IS NULL AND p.scheduled_for >= ?",
            [(now - _MARGIN).isoformat()],
        ).fetchall()
        ahead = [(moment(when), id_, title, when) for id_, title, when in rows
                 if moment(when) >= at]
        if ahead:
            _, _, title, when = min(ahead)
            performance = (title, when)
    return checked_in, performance
