"""One sync through a folder: this device's changes stamped and written as its next change file,
then each other device's new files merged, one device's batch per transaction. The command line
and the app both call `sync_now`; the rules are in docs/SYNC.md.
"""

import fcntl
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from efficacy_tui.content import say
from efficacy_tui.store import schema, sync_log
from efficacy_tui.store.core import Store
from efficacy_tui.sync_folder import BadFile, Folder, FolderError, kind, open_folder

FILE_LIMIT = 5000  # changes per change file


@dataclass
class SyncReport:
    """What one sync did: changes written, changes merged, and one sentence per problem (a bad
    file skipped, another program's file, a copied database)."""

    sent: int = 0
    merged: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [say("sync.done", sent=self.sent, merged=self.merged), *self.problems]


@contextmanager
def _one_at_a_time(store: Store) -> Iterator[None]:
    """One sync of a database at a time (the app's and the command line's), by a lock on a file
    beside it, never in the sync folder."""
    lock = Path(f"{store.path}.sync-lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def sync_now(store: Store, path: Path, passphrase: str | None) -> SyncReport:
    """Sync the database through the folder at `path` (FolderError when it cannot be used)."""
    folder = open_folder(path, passphrase)
    report = SyncReport()
    with _one_at_a_time(store):
        sync_log.capture(store)
        _send(store, folder, report)
        devices, foreign = folder.devices()
        report.problems += [say("sync.foreign", path=folder.path / name) for name in foreign]
        me = sync_log.device(store).uid
        for peer in devices:
            if peer != me:
                _receive(store, folder, peer, report)
        sync_log.synced(store)
        folder.touch(sync_log.device(store).uid)
    return report


def _send(store: Store, folder: Folder, report: SyncReport) -> None:
    """Write the outbox as this device's next change files."""
    while True:
        upto, changes = sync_log.outbox(store, FILE_LIMIT)
        if not changes:
            return
        me = sync_log.device(store)
        payload = [c.as_json() for c in changes]
        target = folder.change_path(me.uid, me.next_file)
        if target.exists() and not _ours(folder, me.uid, me.next_file, target, payload):
            new = str(uuid.uuid4())
            report.problems.append(say("sync.same_uid", uid=me.uid, new=new))
            sync_log.take_new_uid(store, new)
            continue
        if not target.exists():
            folder.write_changes(me.uid, me.next_file, payload, schema.schema_version())
        sync_log.file_written(store, me.next_file, upto)
        report.sent += len(changes)


def _ours(folder: Folder, me: str, number: int, target: Path, payload: list) -> bool:
    """Whether a change file already under this device's next number is the one a sync killed
    after writing it wrote (the same changes), rather than another device's with our uid."""
    try:
        return folder.read_changes(me, number, target, schema.schema_version()) == payload
    except BadFile:
        return False


def _receive(store: Store, folder: Folder, peer: str, report: SyncReport) -> None:
    """Merge the new change files of one device in one transaction, up to a bad one, which is
    named and skipped (with the files after it, which wait for it)."""
    done = sync_log.applied(store, peer)
    files, foreign = folder.files(peer, done)
    report.problems += [say("sync.foreign", path=folder.path / name) for name in foreign]
    read: list[tuple[int, str, list[sync_log.Change]]] = []
    columns = sync_log.columns(store)
    for number, path in files:
        if number != (read[-1][0] if read else done) + 1:
            break  # a file the sync service has not brought yet: the rest wait for it
        name = f"{peer}/{path.name}"
        try:
            raw = folder.read_changes(peer, number, path, schema.schema_version())
            read.append((number, name,
                         [sync_log.checked_change(columns, item, name) for item in raw]))
        except (BadFile, ValueError) as err:
            report.problems.append(str(err))
            break
    if not read:
        return
    try:
        report.merged += sync_log.apply_batch(
            store, peer, read[-1][0], [c for _, _, changes in read for c in changes])
    except sqlite3.IntegrityError:
        # A value the schema refuses: merge file by file up to the one that holds it.
        for number, name, changes in read:
            try:
                report.merged += sync_log.apply_batch(store, peer, number, changes)
            except sqlite3.IntegrityError:
                report.problems.append(say("sync.bad_file", path=name,
                                           reason=say("sync.reasons.refused")))
                return


def sync_in_worker(db_path: Path, clock: Callable[[], datetime],
                   folder: Path) -> tuple[list[str], bool]:
    """`sync_now` for a worker thread, on a connection of its own, the passphrase (if the folder
    is encrypted) from EFFICACY_PASSPHRASE_FILE: the lines to show, and whether any is a
    problem. Never raises for a folder, file or passphrase that cannot be used."""
    from efficacy_tui.sealed import SealError, passphrase_from_file
    from efficacy_tui.store.core import StoreError, describe, writer_at

    try:
        passphrase = passphrase_from_file()
        if passphrase is None and kind(folder) == "sealed":
            return [say("sync.encrypted_needs_passphrase")], True
        with writer_at(db_path, clock) as store:
            report = sync_now(store, folder, passphrase)
    except (FolderError, SealError, StoreError) as err:
        return [say("sync.failed", error=err)], True
    except sqlite3.Error as err:
        return [say("sync.failed", error=describe(err, db_path) or err)], True
    return report.lines(), bool(report.problems)


def status_lines(store: Store, path: Path | None) -> list[str]:
    """What `efficacy sync --status` prints: the folder, when each device last synced, and what
    is waiting."""
    waiting = sync_log.waiting(store)
    me = sync_log.device(store)
    lines = [say("sync.status.folder", path=path) if path else say("sync.status.no_folder")]
    lines.append(say("sync.status.this_device", uid=me.uid,
                     when=waiting.synced_at or say("sync.status.never")))
    folder = Folder(path, None) if path is not None and path.is_dir() else None
    merged = {peer: applied for peer, applied, _seen in waiting.peers}
    present = set(folder.devices()[0]) if folder else set()
    for peer in sorted((present | set(merged)) - {me.uid}):
        mtime = folder.last_synced(peer) if folder else None
        when = (datetime.fromtimestamp(mtime).astimezone().replace(microsecond=0).isoformat()
                if mtime else say("sync.status.never"))
        lines.append(say("sync.status.device", uid=peer, when=when, files=merged.get(peer, 0)))
    lines.append(say("sync.status.waiting", count=waiting.pending))
    if waiting.conflicts:
        lines.append(say("sync.status.conflicts", count=waiting.conflicts))
    return lines
