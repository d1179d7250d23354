"""Copies of the database through SQLite's backup API: before a migration, once a day, on request.

Copies go to a `backups` folder beside the database (0700, files 0600). Each is written to a
hidden `.partial` file, checked with `PRAGMA quick_check` and only then renamed, so a copy with a
good name is always whole and sound, and a damaged database never pushes good copies out. The
automatic ones are named `<stem>-<day>.db` (daily) and `<stem>-<day>-before-<migration>.db`;
the last KEEP of them are kept. Copies made with `efficacy backup` carry a time and are never
deleted. The day of the last daily copy is read from the file names, never from the database.
"""

import os
import re
import sqlite3
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from efficacy_tui.content import say
from efficacy_tui.sealed import is_sealed, seal
from efficacy_tui.store import paths
from efficacy_tui.store.core import connect

if TYPE_CHECKING:
    from efficacy_tui.store.core import Progress, Store

FOLDER = "backups"
KEEP = 7
PAGES = 1024  # pages copied between two progress reports


class BackupError(Exception):
    """A copy could not be made or failed its check; str() is one sentence for the user,
    `reason` the cause alone and `damaged` whether the database itself is at fault."""

    def __init__(self, sentence: str, reason: str = "", damaged: bool = False) -> None:
        super().__init__(sentence)
        self.reason = reason
        self.damaged = damaged


class _Damaged(Exception):
    """The copy failed `PRAGMA quick_check`, so the database it came from is damaged."""


def backups_dir(db_path: Path | str) -> Path:
    """The folder beside the database that holds its copies."""
    return Path(db_path).absolute().parent / FOLDER


def daily_path(db_path: Path | str, day: date) -> Path:
    """Where the day's automatic copy goes; its existence means the day is done."""
    return backups_dir(db_path) / f"{Path(db_path).stem}-{day.isoformat()}.db"


def _automatic(db_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(db_path.stem) + r"-\d{4}-\d{2}-\d{2}(-before-\w+)?\.db")


def automatic_backups(db_path: Path | str) -> list[Path]:
    """The automatic copies of this database, oldest first (their names sort by day)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = _automatic(Path(db_path))
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def prune(db_path: Path | str, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` automatic copies, and half copies left by a process that
    was killed over an hour ago; return what was deleted."""
    old = automatic_backups(db_path)[:-keep] if keep else automatic_backups(db_path)
    an_hour_ago = time.time() - 3600
    old += [p for p in backups_dir(db_path).glob(f".{Path(db_path).stem}-*.partial")
            if p.stat().st_mtime < an_hour_ago]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _problem(conn: sqlite3.Connection) -> str | None:
    """The first thing `PRAGMA quick_check` finds wrong, or None when the copy is sound."""
    try:
        first = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as err:
        return str(err)
    return None if first == "ok" else first


def _copy(source: sqlite3.Connection, dest: Path, progress: "Progress | None" = None) -> None:
    """Backup API into a new private file at `dest`, made a single self-contained file (no -wal)
    and checked before the caller gives it its name. Raises sqlite3.Error, OSError, _Damaged."""
    os.close(paths.create_private(dest))
    target = connect(dest)
    try:
        if progress:
            source.backup(target, pages=PAGES, progress=lambda _status, remaining, total:
                          progress("copying", total - remaining, total))
        else:
            source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        problem = _problem(target)
    finally:
        target.close()
    if problem:
        raise _Damaged(problem)
    with open(dest, "rb") as handle:
        os.fsync(handle.fileno())


def _source(origin: "Store | Path | str") -> tuple[sqlite3.Connection, Path, bool]:
    if isinstance(origin, (str, os.PathLike)):
        path = Path(origin)
        return connect(path), path, True
    return origin.conn, origin.path, False


def _resolve(db_path: Path, dest: Path | str | None, now: datetime) -> Path:
    stamped = f"{db_path.stem}-{now.strftime('%Y-%m-%dT%H%M%S')}.db"
    if dest is None:
        return backups_dir(db_path) / stamped
    folder = str(dest).endswith(("/", os.sep))
    dest = Path(dest).expanduser()
    if dest.is_dir() or folder:
        return dest / stamped
    return dest


def backup_to(origin: "Store | Path | str", dest: Path | str | None = None,
              now: datetime | None = None, progress: "Progress | None" = None,
              passphrase: str | None = None) -> Path:
    """Copy the database (an open Store, or the path of one) to `dest`: a file, a folder (which
    gets a timestamped name) or None (the backups folder). Returns the file written. Missing
    folders are created 0700 and the file 0600. Raises BackupError with one sentence.
    `progress` hears ("copying", pages copied, pages in all) after every PAGES pages. With a
    `passphrase` the copy is age-encrypted (".age" added to its name) and never lands on disk
    unencrypted."""
    conn, db_path, own = _source(origin)
    try:
        if now is None:
            now = datetime.now() if isinstance(origin, (str, os.PathLike)) else origin.now()
        target = _resolve(db_path, dest, now).absolute()
        if passphrase and not target.name.endswith(".age"):
            target = target.with_name(target.name + ".age")
        if target.exists() and target.samefile(db_path):
            raise BackupError(say("faults.backup_is_database", dest=target))
        if target.is_file():
            with open(target, "rb") as handle:
                head = handle.read(32)
            if not (is_sealed(head) if passphrase else head[:16] == b"SQLite format 3\x00"):
                raise BackupError(say("faults.backup_not_sqlite", dest=target))
        if passphrase:
            _write_sealed(conn, db_path, target, passphrase)
        else:
            _write(conn, db_path, target, progress)
    finally:
        if own:
            conn.close()
    return target


def _write(conn: sqlite3.Connection, db_path: Path, target: Path,
           progress: "Progress | None" = None) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    new_folder = not target.parent.exists()
    try:
        paths.make_private_dir(target.parent)
        _copy(conn, partial, progress)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except (sqlite3.Error, OSError, _Damaged) as err:
        _discard(partial, target.parent if new_folder else None)
        raise _failed(err, db_path, target) from None


def _write_sealed(conn: sqlite3.Connection, db_path: Path, target: Path,
                  passphrase: str) -> None:
    """The copy made in memory, checked, encrypted, then written as `_write` writes a file."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    new_folder = not target.parent.exists()
    memory = sqlite3.connect(":memory:")
    try:
        conn.backup(memory)
        problem = _problem(memory)
        if problem:
            raise _Damaged(problem)
        sealed = seal(memory.serialize(), passphrase)
        paths.make_private_dir(target.parent)
        os.close(paths.create_private(partial))
        with open(partial, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _sync_folder(target.parent)
    except (sqlite3.Error, OSError, _Damaged) as err:
        _discard(partial, target.parent if new_folder else None)
        raise _failed(err, db_path, target) from None
    finally:
        memory.close()


def _failed(err: Exception, db_path: Path, target: Path) -> BackupError:
    """The sentence for a copy that could not be made: a damaged database, or the copy's own
    failure."""
    reason = getattr(err, "strerror", None) or str(err)
    if _is_damage(err):
        return BackupError(say("faults.backup_damaged", path=db_path, reason=reason,
                               backups=backups_dir(db_path)), reason, damaged=True)
    reason = reason[:1].lower() + reason[1:]
    return BackupError(say("faults.backup_failed", dest=target, reason=reason), reason)


def _discard(partial: Path, new_folder: Path | None) -> None:
    """Leave no half copy, and no backups folder that was made for it alone."""
    for remove in (partial.unlink, getattr(new_folder, "rmdir", None)):
        try:
            if remove:
                remove()
        except OSError:
            pass


def _is_damage(err: BaseException) -> bool:
    name = getattr(err, "sqlite_errorname", "") or ""
    return isinstance(err, _Damaged) or name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def before_migration(store: "Store", migration: str) -> Path:
    """The copy taken before `migration` changes a database that already has data."""
    day = store.today().isoformat()
    target = backups_dir(store.path) / f"{store.path.stem}-{day}-before-{migration}.db"
    _write(store.conn, store.path, target)
    prune(store.path)
    return target


def daily(db_path: Path | str, day: date) -> Path | None:
    """Today's copy if there is none yet (the first start of the day), then keep the last KEEP.
    Returns the copy, or None when the day already had one."""
    target = daily_path(db_path, day)
    if target.exists():
        return None
    conn, path, _ = _source(Path(db_path))
    try:
        _write(conn, path, target)
    finally:
        conn.close()
    prune(path)
    return target


class DailyBackup:
    """Today's copy on a background thread, started once the first screen is up, so the first
    start of the day paints as fast as any other. `finish()` waits for it and returns the
    sentence to show when it failed."""

    def __init__(self, db_path: Path, day: date) -> None:
        self.db_path = db_path
        self.day = day
        self.problem: str | None = None
        self.thread: threading.Thread | None = None

    def due(self) -> bool:
        return not daily_path(self.db_path, self.day).exists()

    def start(self) -> None:
        if self.thread is None and self.due():
            self.thread = threading.Thread(target=self._run, name="efficacy-daily-backup")
            self.thread.start()

    def _run(self) -> None:
        try:
            daily(self.db_path, self.day)
        except BackupError as err:
            self.problem = str(err)
        except (sqlite3.Error, OSError) as err:
            self.problem = say("faults.daily_failed", path=self.db_path,
                                backups=backups_dir(self.db_path), reason=err)

    def finish(self) -> str | None:
        if self.thread is not None:
            self.thread.join()
        return self.problem
