"""Opening the database safely: privacy, pragmas, schema checks and migrations.

A file that is not ours, is damaged or comes from a newer version is refused with one sentence
and left byte-for-byte as it was. Reads go straight through sqlite3; sqlite-utils, which costs
tens of milliseconds to import, is loaded on the first write or migration, so the home screen
paints as fast as a bare Textual app.
"""

import sqlite3
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from efficacy_tui.store import paths, schema

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """A problem with the database file; str() is one sentence for the user."""


def system_now() -> datetime:
    """The current local time with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def new_uid() -> str:
    """A row's merge key, so an export can be imported elsewhere without duplicates."""
    return str(uuid.uuid4())


@dataclass
class Store:
    """An open database and the clock that stamps what is written to it."""

    conn: sqlite3.Connection
    path: Path
    clock: Callable[[], datetime] = field(default=system_now)
    _db: "Database | None" = field(default=None, repr=False)
    is_open: bool = field(default=True, repr=False)

    @property
    def db(self) -> "Database":
        """The sqlite-utils view of the same connection, for writes and migrations."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows of a read as dicts."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row of a read, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def now(self) -> datetime:
        return self.clock()

    def stamp(self) -> str:
        """Now as ISO 8601 with the local offset, the form every *_at column holds."""
        return self.clock().replace(microsecond=0).isoformat()

    def today(self) -> date:
        """The local calendar day, which is what a check-in belongs to."""
        return self.clock().date()

    def transaction(self) -> AbstractContextManager:
        """One write, all or nothing (nestable)."""
        return self.db.atomic()

    def close(self) -> None:
        self.is_open = False
        self.conn.close()

    def warm_up(self) -> None:
        """Load sqlite-utils ahead of the first write, if the store is still open."""
        if self.is_open:
            self.db


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file; give a file path with --db.")
    if not path.exists():
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise StoreError(f"Cannot read {path}: permission denied.") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path} is not an efficacy database (it is not a SQLite file).")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _migrate(store: Store) -> None:
    known = schema.known_migrations()
    applied = schema.applied_migrations(store.conn)
    if any(name not in known for name in applied):
        raise StoreError(
            f"{store.path} was written by a newer version of efficacy; upgrade efficacy to open it."
        )
    if len(applied) < len(known):
        schema.apply(store.db)


def open_store(
    path: Path | str, clock: Callable[[], datetime] | None = None, migrate: bool = True
) -> Store:
    """Open (creating privately if missing) and migrate the database at `path`."""
    path = Path(path)
    _check_file(path)
    created = False
    try:
        created = paths.create_private_file(path)
        conn = _connect(path)
    except PermissionError:
        raise StoreError(f"Cannot open {path}: permission denied.") from None
    except sqlite3.DatabaseError as err:
        raise StoreError(f"Cannot open {path}: {err}.") from None
    store = Store(conn=conn, path=path, clock=clock or system_now)
    try:
        if migrate:
            _migrate(store)
    except sqlite3.DatabaseError as err:
        store.close()
        if created:
            path.unlink(missing_ok=True)
        raise StoreError(f"{path} could not be read as an efficacy database ({err}).") from None
    except StoreError:
        store.close()
        raise
    return store
