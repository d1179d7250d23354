"""Opening the database safely: privacy, pragmas, schema checks and migrations.

A file that is not ours (another program's, or another user's: the database or a -wal or -shm
they made first), is not a regular file (a FIFO, device or socket, seen with stat and never
opened), sits below a folder that cannot be entered or created, is damaged or cut short, comes
from a newer version, is read-only or is locked past the busy timeout is refused with one sentence
(content/faults.toml) and left byte-for-byte as it was: nothing is written to an existing file
until it has passed these checks. Only then is the user's own file that others could read made
private, and that said once.
The checks at open are cheap (the 100-byte header, the file size, the schema); the full
`PRAGMA quick_check` runs on each backup copy instead (store/backup.py).

Reads, inserts and transactions go straight through sqlite3; sqlite-utils, which costs tens of
milliseconds to import, is loaded on the first update or migration, so the home screen paints as
fast as a bare Textual app and a quick capture (`efficacy log`) never waits for it.
"""

import itertools
import os
import sqlite3
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote

from efficacy_tui.content import say
from efficacy_tui.store import paths, schema

if TYPE_CHECKING:
    from sqlite_utils import Database

    from efficacy_tui.records import Record

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BUSY_TIMEOUT_ENV = "EFFICACY_BUSY_TIMEOUT_MS"

T = TypeVar("T")
_savepoints = itertools.count(1)
R = TypeVar("R", bound="Record")
Mode = Literal["rw", "ro", "existing"]
# Told (phase, done, total) after each batch of long work; total 0 when it is not known yet.
Progress = Callable[[str, int, int], None]


class StoreError(Exception):
    """A problem with the database file; str() is one sentence for the user."""


def busy_timeout_ms() -> int:
    """How long to wait for another program's write: EFFICACY_BUSY_TIMEOUT_MS, else 5 s."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return BUSY_TIMEOUT_MS
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise StoreError(say("faults.busy_timeout", value=raw))
    return value


def describe(err: sqlite3.Error, path: Path) -> str | None:
    """The sentence for an SQLite error that is about the file (damaged, locked by another
    program, read-only, not openable), or None when the error is about something else."""
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        from efficacy_tui.store.backup import backups_dir

        return say("faults.damaged", path=path, reason=err, backups=backups_dir(path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return say("faults.locked", path=path, seconds=f"{busy_timeout_ms() / 1000:g}")
    if name.startswith("SQLITE_READONLY"):
        return say("faults.read_only_file", path=path)
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return say("faults.cannot_open", path=path)
    return None


def is_busy(err: sqlite3.Error) -> bool:
    """Whether an SQLite error only means that another connection holds the file's lock."""
    name = getattr(err, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


@contextmanager
def waiting_at_most(store: "Store", ms: int) -> Iterator[None]:
    """Inside, a write waits at most `ms` (and never longer than the busy timeout) for another
    program's lock before it fails, so a write that can wait for later never freezes the screen."""
    previous = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    store.conn.execute(f"PRAGMA busy_timeout = {min(ms, previous)}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {previous}")


def system_now() -> datetime:
    """The current local time with its UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def new_uid() -> str:
    """A row's merge key, so an export can be imported elsewhere without duplicates."""
    return str(uuid.uuid4())


def fits(value: int) -> bool:
    """Whether SQLite's 64-bit integer holds `value`; binding a larger one raises OverflowError,
    so a number read from a file is checked first."""
    return -(2**63) <= value < 2**63


def written(value: T | None) -> T:
    """A row (or its id) this process has just written and reads back: it is always there, so
    None here is a bug, not something the user did."""
    if value is None:
        raise LookupError("a row just written could not be read back")
    return value


@dataclass
class Store:
    """An open database and the clock that stamps what is written to it."""

    conn: sqlite3.Connection
    path: Path
    clock: Callable[[], datetime] = field(default=system_now)
    _db: "Database | None" = field(default=None, repr=False)
    is_open: bool = field(default=True, repr=False)
    # Said once on opening: the user's own files that others could read, made private.
    notices: list[str] = field(default_factory=list, repr=False)

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
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def records(self, kind: type[R], sql: str, params: Any = ()) -> list[R]:
        """Rows of a read as records of `kind`."""
        return [kind.from_row(row) for row in self.query(sql, params)]

    def record(self, kind: type[R], sql: str, params: Any = ()) -> R | None:
        """The first row of a read as a record of `kind`, or None."""
        rows = self.query(sql, params)
        return kind.from_row(rows[0]) if rows else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        """The first column of the first row of a read, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def version(self) -> tuple[int, int]:
        """Where the file's data stands for this connection: commits by other connections
        (another window, a sync) and this connection's own changes. Two equal versions mean
        nothing was written in between, so what was read then still holds."""
        return self.scalar("PRAGMA data_version"), self.conn.total_changes

    def now(self) -> datetime:
        return self.clock()

    def stamp(self) -> str:
        """Now as ISO 8601 with the local offset, the form every *_at column holds."""
        return self.clock().replace(microsecond=0).isoformat()

    def today(self) -> date:
        """The local calendar day, which is what a check-in belongs to."""
        return self.clock().date()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write, all or nothing (nestable: an inner one is a savepoint). The outermost one
        takes the write lock at once (BEGIN IMMEDIATE), so with two windows open a write waits
        for the other one's instead of failing when a read inside it has gone stale. Plain SQL,
        so a write that needs no sqlite-utils (`efficacy log`) never loads it; one that does (an
        update) loads it on first use, which the app has done in its warm-up, and a command
        line's first update does inside its transaction, once (tens of milliseconds)."""
        if self.conn.in_transaction:
            name = f"efficacy_{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:  # an error (a full disk) may have ended it all
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row and return its id, in one statement of plain SQL. Table and column
        names come from the code, or from a file only once checked against the table's columns
        (sync); a value that SQLite does not store as it is (a date, a list) is a bug here, not
        something to convert quietly."""
        for name, value in values.items():
            if value is not None and not isinstance(value, (str, int, float, bytes)):
                raise TypeError(f"{table}.{name}: {type(value).__name__} is not stored as is")
        columns = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("?" * len(values))
        with self.transaction():
            cursor = self.conn.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(values.values()))
        return written(cursor.lastrowid)

    def close(self) -> None:
        self.is_open = False
        self.conn.close()

    def warm_up(self) -> None:
        """Load sqlite-utils ahead of the first write, if the store is still open: the app calls
        this once its first screen is up."""
        if self.is_open:
            _ = self.db


SIDE_FILES = ("-wal", "-shm", "-journal")
_KINDS = {stat.S_IFIFO: "fifo", stat.S_IFCHR: "char_device", stat.S_IFBLK: "block_device",
          stat.S_IFSOCK: "socket"}


def probe(path: Path) -> os.stat_result | None:
    """The status of `path` (None when it does not exist), without opening it, so a FIFO or a
    device is never read; a folder above it that cannot be entered is one sentence."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise StoreError(say("faults.parent_not_folder", path=path,
                             folder=_first(path, lambda f: not f.is_dir()))) from None
    except PermissionError:
        raise StoreError(say("faults.no_permission", path=path, folder=_first(
            path, lambda f: not os.access(f, os.X_OK)))) from None
    except OSError as err:  # a loop of links, a name too long
        raise StoreError(say("faults.cannot_use", path=path,
                             reason=(err.strerror or str(err)).lower())) from None


def _first(path: Path, fails: Callable[[Path], bool]) -> Path:
    """The folder nearest the root above `path` for which `fails` holds (else its parent)."""
    for folder in reversed(path.absolute().parents):
        try:
            if fails(folder):
                return folder
        except OSError:
            return folder
    return path.absolute().parent


def _regular(path: Path, found: os.stat_result) -> None:
    if stat.S_ISDIR(found.st_mode):
        raise StoreError(say("faults.folder", path=path))
    if not stat.S_ISREG(found.st_mode):
        kind = _KINDS.get(stat.S_IFMT(found.st_mode), "other")
        raise StoreError(say("faults.not_regular", path=path, kind=say(f"faults.kinds.{kind}")))


def _owned(path: Path, found: os.stat_result) -> None:
    """Refuse a file another user owns: they could read, or have planted, what it holds."""
    if found.st_uid != os.geteuid():
        raise StoreError(say("faults.not_owner", path=path, owner=found.st_uid))


def _tighten(path: Path, found: os.stat_result, notices: list[str]) -> None:
    """Take group and other permissions off the user's own file, and say so."""
    mode = stat.S_IMODE(found.st_mode)
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
        notices.append(say("faults.tightened", path=path, old=f"{mode:04o}",
                           new=f"{mode & 0o700:04o}"))


def _side_files(path: Path) -> list[tuple[Path, os.stat_result]]:
    """The -wal, -shm and -journal beside the database that exist, each checked to be a regular
    file of this user's: another user who made one first could read what SQLite writes there."""
    found = []
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        status = probe(side)
        if status is not None:
            _regular(side, status)
            _owned(side, status)
            found.append((side, status))
    return found


def check_path(path: Path, write: bool = True) -> None:
    """Refuse, before SQLite touches it, a path efficacy cannot safely use: a folder above it that
    cannot be entered or created, a folder, a FIFO, device or socket (found with stat, never
    opened), a file or side file another user owns; then, to `write`, a SQLite header that shows
    damage and a read-only file or folder."""
    found = probe(path)
    _side_files(path)  # each one there must be a regular file of this user's
    folder = path.absolute().parent
    if found is None:
        if write:
            _check_folder(path, folder)
        return
    _regular(path, found)
    _owned(path, found)
    if not write:
        return
    try:
        # Non-blocking, and checked again once open: a FIFO swapped in after the stat never hangs.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            opened = os.fstat(handle.fileno())
            _regular(path, opened)
            header = handle.read(100)
            size = opened.st_size
    except PermissionError:
        raise StoreError(say("faults.cannot_read", path=path)) from None
    if header[:16] != SQLITE_HEADER[: len(header[:16])]:
        raise StoreError(say("faults.not_sqlite", path=path))
    reason = _header_damage(path, header, size) if header else None
    if reason:
        from efficacy_tui.store.backup import backups_dir

        raise StoreError(say("faults.damaged", path=path, reason=reason, backups=backups_dir(path)))
    if not os.access(path, os.W_OK):
        raise StoreError(say("faults.read_only_file", path=path))
    if not os.access(folder, os.W_OK):
        raise StoreError(say("faults.read_only_folder", folder=folder, path=path))


def make_private(path: Path, before: list[tuple[Path, os.stat_result]]) -> list[str]:
    """Take group and other permissions off the database and its side files, once the file is
    known to be this user's efficacy database (another program's file is left as it was). Files
    there `before` SQLite opened it are named in the sentences returned; side files SQLite made
    while opening it took the database's old mode, and are made private without a word."""
    notices: list[str] = []
    for target, status in before:
        _tighten(target, status, notices)
    quiet: list[str] = []
    for target, status in _side_files(path):
        _tighten(target, status, quiet)
    return notices


def present(path: Path) -> list[tuple[Path, os.stat_result]]:
    """The database and its side files as they are now, for `make_private`."""
    found = probe(path)
    return [*([(path, found)] if found else []), *_side_files(path)]


def _check_folder(path: Path, folder: Path) -> None:
    """A new database needs its folder writable, or the nearest existing one above it, where
    the missing folders will be made."""
    existing = folder
    while probe(existing) is None and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise StoreError(say("faults.parent_not_folder", path=path, folder=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == folder:
            raise StoreError(say("faults.read_only_folder", folder=folder, path=path))
        raise StoreError(say("faults.cannot_create_folder", folder=folder, path=path,
                             reason=say("faults.reasons.no_write", folder=existing)))


def _header_damage(path: Path, header: bytes, size: int) -> str | None:
    """Why the header and the file size cannot belong to a whole database, or None. Skipped while
    a -wal or -journal file holds changes, since SQLite completes the file from it on open."""
    if len(header) < 100:
        return say("faults.reasons.short_header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return say("faults.reasons.page_size")
    if _has_journal(path):
        return None
    if size % page_size:
        return say("faults.reasons.partial_page")
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[92:96] == header[24:28] and size < pages * page_size:
        return say("faults.reasons.missing_pages", have=size // page_size, pages=pages)
    return None


def _has_journal(path: Path) -> bool:
    for suffix in ("-wal", "-journal"):
        try:
            if os.stat(f"{path}{suffix}").st_size:
                return True
        except OSError:
            pass
    return False


def connect(path: Path | str, mode: Mode = "rw") -> sqlite3.Connection:
    """The one way efficacy opens an SQLite file. `rw` reads and writes, creating the file when
    it is missing; `ro` only reads; `existing` reads and writes but never creates the file.
    Every connection waits up to EFFICACY_BUSY_TIMEOUT_MS for another program's lock, may be
    handed to a worker thread, and enforces foreign keys; none changes the file by opening it."""
    timeout = busy_timeout_ms() / 1000
    if mode == "rw":
        conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    else:
        uri = f"file:{quote(str(Path(path).resolve()))}?mode={'ro' if mode == 'ro' else 'rw'}"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    # As sqlite-utils sets it: a row that REPLACE deletes fires its delete triggers, whether or
    # not this process has loaded sqlite-utils.
    conn.execute("PRAGMA recursive_triggers = ON")
    return conn


@contextmanager
def reader(store: Store) -> Iterator[Store]:
    """A second connection to the same file, read-only, for a worker thread: aggregates over a
    large history run there while the app's own connection stays free for the screen (WAL lets
    both read at once)."""
    conn = connect(store.path, "ro")
    try:
        yield Store(conn=conn, path=store.path, clock=store.clock)
    finally:
        conn.close()


@contextmanager
def writer(store: Store) -> Iterator[Store]:
    """A second connection to the same file that may write, for a worker thread: a long write
    (an import) runs there while the app's own connection stays with the screen. It never
    creates the file, and waits for the app's lock like any other program."""
    with writer_at(store.path, store.clock) as own:
        yield own


@contextmanager
def writer_at(path: Path, clock: Callable[[], datetime]) -> Iterator[Store]:
    """`writer` for a file known by its path, when the app's store may be closed already (the
    sync after quitting)."""
    conn = connect(path, "existing")
    try:
        _use_wal(conn)
        yield Store(conn=conn, path=path, clock=clock)
    finally:
        conn.close()


def _use_wal(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def _pending(store: Store) -> tuple[list[str], list[str]]:
    """The migrations the file has had and those it still needs, after refusing a file from a
    newer version or another program's SQLite database. Reads only."""
    known = schema.known_migrations()
    applied = schema.applied_migrations(store.conn)
    if any(name not in known for name in applied):
        raise StoreError(say("faults.newer", path=store.path))
    if not applied and store.scalar("SELECT 1 FROM sqlite_master LIMIT 1"):
        raise StoreError(say("faults.foreign", path=store.path))
    return applied, known[len(applied):]


def _migrate(store: Store, applied: list[str], pending: list[str]) -> None:
    """Apply pending migrations, first copying a database that has data into backups/."""
    if not pending:
        return
    if applied:
        from efficacy_tui.store.backup import BackupError, before_migration

        try:
            before_migration(store, pending[0])
        except BackupError as err:
            if err.damaged:
                raise StoreError(str(err)) from None
            raise StoreError(
                say("faults.backup_before_migration", path=store.path, reason=err.reason)
            ) from None
    schema.apply(store.db)


def open_store(
    path: Path | str, clock: Callable[[], datetime] | None = None, migrate: bool = True
) -> Store:
    """Open (creating privately if missing) and migrate the database at `path`. An existing file
    is only read until it has passed every check; then WAL is switched on and migrations run."""
    path = Path(path)
    check_path(path)
    before = present(path)
    busy_timeout_ms()  # a bad setting is refused before any file is created
    created = False
    try:
        created = paths.create_private_file(path)
        conn = connect(path)
    except PermissionError:
        raise StoreError(say("faults.cannot_open", path=path)) from None
    except OSError as err:  # a folder on the way could not be made
        raise StoreError(say("faults.cannot_create_folder", folder=path.parent, path=path,
                             reason=(err.strerror or str(err)).lower())) from None
    except sqlite3.DatabaseError as err:
        raise StoreError(describe(err, path)
                         or say("faults.unreadable", path=path, reason=err)) from None
    store = Store(conn=conn, path=path, clock=clock or system_now)
    try:
        applied, pending = _pending(store) if migrate else ([], [])
        store.notices = make_private(path, before)
        _use_wal(conn)
        _side_files(path)  # none was slipped in by another user while SQLite opened the file
        _migrate(store, applied, pending)
    except sqlite3.DatabaseError as err:
        store.close()
        if created:
            path.unlink(missing_ok=True)
        raise StoreError(describe(err, path)
                         or say("faults.unreadable", path=path, reason=err)) from None
    except StoreError:
        store.close()
        raise
    return store
