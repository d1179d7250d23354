"""What syncing keeps in the database: changes captured and stamped, the outbox of changes not yet
written to the folder, other devices' changes merged one device's batch per transaction, the
conflicts list and its restore, and the status line. SQL only; the rules themselves are in
coach/merge.py and the folder's files in sync_folder.py.

A record travels as its row without `id`, every reference written as the uid of the record it
points at, so it means the same in every database whatever ids it has there.
"""

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from efficacy_tui.coach import merge
from efficacy_tui.coach.merge import Stamp
from efficacy_tui.records import Record
from efficacy_tui.store.core import Store, fits
from efficacy_tui.store.schema import SYNCED

ORDER = {table: n for n, table in enumerate(SYNCED)}


@dataclass(frozen=True)
class Change:
    """One record's version as a change file carries it; `data` None is a record removed."""

    table: str
    uid: str
    stamp: str
    base: str | None
    data: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "uid": self.uid, "stamp": self.stamp, "base": self.base,
                "data": self.data}


@dataclass(frozen=True)
class Device:
    """This device as the sync sees it."""

    uid: str
    clock: str | None
    next_file: int
    synced_at: str | None


@dataclass(frozen=True)
class Conflict(Record):
    """A losing version kept for review: `target` is the record it can be restored onto."""

    id: int
    tbl: str
    uid: str
    target: str
    stamp: str
    data: str
    reason: str
    found_at: str
    restored_at: str | None = None

    @property
    def values(self) -> dict[str, Any]:
        return json.loads(self.data)


@dataclass(frozen=True)
class Waiting:
    """What is waiting: changes made here not yet in a file, and the other devices known."""

    pending: int
    peers: list[tuple[str, int, str | None]]
    synced_at: str | None
    conflicts: int


def device(store: Store) -> Device:
    row = store.query("SELECT uid, clock, next_file, synced_at FROM sync_device WHERE id = 1")[0]
    return Device(**row)


def _wall_ms(store: Store) -> int:
    return int(store.now().timestamp() * 1000)


def _clock(store: Store) -> tuple[Stamp | None, str]:
    me = device(store)
    return (Stamp.parse(me.clock) if me.clock else None), me.uid


def _references(store: Store, table: str) -> dict[str, str]:
    rows = store.conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
    return {r[3]: r[2] for r in rows}


class _Ids:
    """uid <-> id lookups for one batch, cached, following aliases to the record that kept a
    place."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.refs = {table: _references(store, table) for table in SYNCED}
        self._uids: dict[tuple[str, int], str | None] = {}

    def uid_of(self, table: str, row_id: int) -> str | None:
        key = (table, row_id)
        if key not in self._uids:
            self._uids[key] = self.store.scalar(f"SELECT uid FROM {table} WHERE id = ?",
                                                [row_id])
        return self._uids[key]

    def id_of(self, table: str, uid: str) -> int | None:
        for _ in range(10):
            winner = self.store.scalar(
                "SELECT winner FROM sync_aliases WHERE tbl = ? AND uid = ?", [table, uid])
            if winner is None:
                break
            uid = winner
        return self.store.scalar(f"SELECT id FROM {table} WHERE uid = ?", [uid])

    def portable(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        """The row as it travels: no id, references as uids."""
        out = {k: v for k, v in row.items() if k != "id"}
        for column, target in self.refs[table].items():
            if out.get(column) is not None:
                out[column] = self.uid_of(target, out[column])
        return out

    def local(self, table: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """The travelling row with its references as ids here, or None while one of the records
        it refers to is not here yet."""
        out = dict(data)
        for column, target in self.refs[table].items():
            if out.get(column) is not None:
                found = self.id_of(target, out[column])
                if found is None:
                    return None
                out[column] = found
        return out


def _row(store: Store, table: str, uid: str) -> dict[str, Any] | None:
    found = store.query(f"SELECT * FROM {table} WHERE uid = ?", [uid])
    return found[0] if found else None


def _dumps(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, sort_keys=True, ensure_ascii=False)


def capture(store: Store) -> int:
    """Stamp every record changed here since the last capture and put it in the outbox; the
    number of changes captured. Runs inside the caller's transaction, or its own."""
    with store.transaction():
        pending = store.conn.execute("SELECT tbl, uid FROM sync_pending").fetchall()
        if not pending:
            return 0
        pending.sort(key=lambda p: (ORDER.get(p[0], len(ORDER)), p[1]))
        last, me = _clock(store)
        ids = _Ids(store)
        wall = _wall_ms(store)
        captured = 0
        for table, uid in pending:
            if table not in ORDER:
                continue
            row = _row(store, table, uid)
            data = ids.portable(table, row) if row else None
            held = store.query("SELECT stamp, digest FROM sync_rows WHERE tbl = ? AND uid = ?",
                               [table, uid])
            if held and held[0]["digest"] == _digest(data):
                continue  # written again with the same values
            base = held[0]["stamp"] if held else None
            last = merge.tick(last, wall, me)
            store.conn.execute(
                "INSERT INTO sync_outbox (tbl, uid, stamp, base, data) VALUES (?, ?, ?, ?, ?)",
                [table, uid, str(last), base, _dumps(data)])
            _hold(store, table, uid, str(last), base, data)
            captured += 1
        store.conn.execute("DELETE FROM sync_pending")
        if last is not None:
            store.conn.execute("UPDATE sync_device SET clock = ? WHERE id = 1", [str(last)])
        return captured


def _digest(data: dict[str, Any] | None) -> str | None:
    text = _dumps(data)
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hold(store: Store, table: str, uid: str, stamp: str, base: str | None,
          data: dict[str, Any] | None) -> None:
    store.conn.execute(
        "INSERT INTO sync_rows (tbl, uid, stamp, base, digest) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (tbl, uid) DO UPDATE SET stamp = excluded.stamp, base = excluded.base, "
        "digest = excluded.digest", [table, uid, stamp, base, _digest(data)])


def outbox(store: Store, limit: int) -> tuple[int, list[Change]]:
    """The first `limit` changes not yet written to a change file, oldest first, and the last
    one's number."""
    rows = store.query("SELECT * FROM sync_outbox ORDER BY seq LIMIT ?", [limit])
    changes = [Change(r["tbl"], r["uid"], r["stamp"], r["base"],
                      json.loads(r["data"]) if r["data"] is not None else None) for r in rows]
    return (rows[-1]["seq"] if rows else 0), changes


def file_written(store: Store, number: int, upto: int) -> None:
    """Change file `number` holds the outbox up to `upto`: take those out of it."""
    with store.transaction():
        store.conn.execute("DELETE FROM sync_outbox WHERE seq <= ?", [upto])
        store.conn.execute("UPDATE sync_device SET next_file = ? WHERE id = 1", [number + 1])


def take_new_uid(store: Store, uid: str) -> None:
    """Another device writes under this device's uid (the database was copied): sync as `uid`
    from now on, reading what was written under the old uid as another device's files."""
    me = device(store)
    with store.transaction():
        store.conn.execute(
            "INSERT INTO sync_peers (device, applied) VALUES (?, ?) ON CONFLICT (device) "
            "DO UPDATE SET applied = excluded.applied", [me.uid, me.next_file - 1])
        store.conn.execute("UPDATE sync_device SET uid = ?, next_file = 1 WHERE id = 1", [uid])


def applied(store: Store, peer: str) -> int:
    """The number of the last change file of `peer` merged here (0 for none)."""
    return store.scalar("SELECT applied FROM sync_peers WHERE device = ?", [peer]) or 0


def _merge_order(change: Change) -> tuple[bool, int]:
    """Records before those that refer to them; removals last, in the reverse order, so a record
    is removed after the changes that stopped referring to it (as `efficacy doctor` unlinks a
    row before it removes it) and is gone on every device, not merely marked deleted here."""
    place = ORDER.get(change.table, len(ORDER))
    return (change.data is None, -place if change.data is None else place)


def apply_batch(store: Store, peer: str, number: int, changes: list[Change]) -> int:
    """Merge another device's new change files, up to file `number`, in one transaction: a sync
    killed midway leaves none of it applied, and the next one applies it whole. Changes made here
    meanwhile are stamped first, so they take part in the merge. The number applied."""
    with store.transaction():
        capture(store)
        merger = _Merger(store)
        for change in sorted(changes, key=_merge_order):
            merger.offer(change, peer)
        merger.retry_waiting()
        store.conn.execute(
            "INSERT INTO sync_peers (device, applied, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT (device) DO UPDATE SET applied = excluded.applied, "
            "seen_at = excluded.seen_at", [peer, number, store.stamp()])
        # Writes made by the merge itself are not changes of this device's.
        store.conn.execute("DELETE FROM sync_pending")
        if merger.latest is not None:
            last, me = _clock(store)
            clock = merge.receive(last, merger.latest, _wall_ms(store), me)
            store.conn.execute("UPDATE sync_device SET clock = ? WHERE id = 1", [str(clock)])
        return merger.applied


class _Merger:
    """One batch's merge: newest stamp wins per record, losers worth keeping go to the conflicts
    list, records that mean the same become one, and changes that refer to a record not here
    yet wait for it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids = _Ids(store)
        self.latest: Stamp | None = None
        self.applied = 0

    def offer(self, change: Change, peer: str) -> None:
        stamp = Stamp.parse(change.stamp)
        if self.latest is None or stamp > self.latest:
            self.latest = stamp
        if not self._apply(change):
            self.store.conn.execute(
                "INSERT OR IGNORE INTO sync_waiting (tbl, uid, stamp, base, device, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [change.table, change.uid, change.stamp, change.base, peer, _dumps(change.data)])

    def retry_waiting(self) -> None:
        """Apply waiting changes whose records have arrived, until none more can be."""
        while True:
            rows = self.store.query("SELECT * FROM sync_waiting ORDER BY stamp")
            rows.sort(key=lambda r: ORDER.get(r["tbl"], len(ORDER)))
            progress = False
            for r in rows:
                change = Change(r["tbl"], r["uid"], r["stamp"], r["base"],
                                json.loads(r["data"]) if r["data"] is not None else None)
                if self._apply(change):
                    self.store.conn.execute(
                        "DELETE FROM sync_waiting WHERE tbl = ? AND uid = ? AND stamp = ?",
                        [r["tbl"], r["uid"], r["stamp"]])
                    progress = True
            if not progress:
                return

    def _apply(self, change: Change) -> bool:
        """Merge one change; False when it must wait for a record it refers to."""
        store, table = self.store, change.table
        held = store.query("SELECT stamp, base FROM sync_rows WHERE tbl = ? AND uid = ?",
                           [table, change.uid])
        mine = held[0] if held else None
        row = _row(store, table, change.uid)
        current = self.ids.portable(table, row) if row else None
        if mine is not None and change.stamp <= mine["stamp"]:
            if change.stamp < mine["stamp"] and change.data is not None and merge.is_conflict(
                    change.stamp, mine["base"], change.data == current):
                self._conflict(table, change.uid, change.uid, change.stamp, change.data, "edited")
            return True
        held_data = change.data
        if change.data is None:
            self._remove(table, row)
        else:
            values = self.ids.local(table, change.data)
            if values is None:
                return False
            if mine is not None and current is not None and merge.is_conflict(
                    mine["stamp"], change.base, current == change.data):
                self._conflict(table, change.uid, change.uid, mine["stamp"], current, "edited")
            values, moved = self._one_per_meaning(table, change, values)
            self._write(table, row, values)
            if moved is not None:
                self._repoint(table, moved, change.uid)
            if "deleted_at" in change.data:
                held_data = {**change.data, "deleted_at": values["deleted_at"]}
        _hold(store, table, change.uid, change.stamp, change.base, held_data)
        self.applied += 1
        return True

    def _one_per_meaning(self, table: str, change: Change, values: dict[str, Any]
                         ) -> tuple[dict[str, Any], int | None]:
        """If a live record here means the same as the incoming one, the one created first keeps
        its place and the other is deleted, its references moved over, and it is kept in the
        conflicts list to restore onto the one that stayed."""
        if not merge.must_be_unique(table, values):
            return values, None
        other = self._same_meaning(table, values, change.uid)
        if other is None:
            return values, None
        other_data = self.ids.portable(table, other)
        when = merge.merged_at(values, other)
        if merge.keeps_place(values, other):
            self.store.conn.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ?",
                                    [when, other["id"]])
            self._alias(table, other["uid"], change.uid)
            held = self.store.scalar("SELECT stamp FROM sync_rows WHERE tbl = ? AND uid = ?",
                                     [table, other["uid"]]) or change.stamp
            self._conflict(table, other["uid"], change.uid, held, other_data, "same_meaning")
            return values, other["id"]
        self._alias(table, change.uid, other["uid"])
        if change.data is not None:
            self._conflict(table, change.uid, other["uid"], change.stamp, change.data,
                           "same_meaning")
        return {**values, "deleted_at": when}, None

    def _same_meaning(self, table: str, values: dict[str, Any], uid: str) -> dict[str, Any] | None:
        """The live record here, other than `uid`, that means what `values` does (UNIQUE_BY)."""
        columns = merge.UNIQUE_BY[table]
        sql = " AND ".join(f"{c} = ? COLLATE NOCASE" if c in merge.CASELESS else f"{c} = ?"
                           for c in columns)
        params = [values[c] for c in columns]
        found = self.store.query(
            f"SELECT * FROM {table} WHERE {sql} AND deleted_at IS NULL AND uid != ? LIMIT 1",
            [*params, uid])
        return found[0] if found else None

    def _alias(self, table: str, loser: str, winner: str) -> None:
        self.store.conn.execute(
            "INSERT INTO sync_aliases (tbl, uid, winner) VALUES (?, ?, ?) "
            "ON CONFLICT (tbl, uid) DO UPDATE SET winner = excluded.winner",
            [table, loser, winner])

    def _conflict(self, table: str, uid: str, target: str, stamp: str, data: dict[str, Any],
                  reason: str) -> None:
        """Keep a losing version, once: the same words lost again are not listed twice."""
        if self.store.scalar(
                "SELECT 1 FROM sync_conflicts WHERE tbl = ? AND uid = ? AND data = ? "
                "AND restored_at IS NULL", [table, uid, _dumps(data)]):
            return
        self.store.conn.execute(
            "INSERT OR IGNORE INTO sync_conflicts (tbl, uid, target, stamp, data, reason, "
            "found_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [table, uid, target, stamp, _dumps(data), reason, self.store.stamp()])

    def _write(self, table: str, row: dict[str, Any] | None, values: dict[str, Any]) -> None:
        columns = [c for c in values if c != "id"]
        if row is None:
            self.store.insert(table, {c: values[c] for c in columns})
        else:
            sets = ", ".join(f"{c} = ?" for c in columns)
            self.store.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                                    [*(values[c] for c in columns), row["id"]])

    def _repoint(self, table: str, old_id: int, winner_uid: str) -> None:
        """What referred to the record that gave up its place now refers to the one that kept
        it, as every other device does when it merges the same two."""
        new_id = self.ids.id_of(table, winner_uid)
        for other in SYNCED:
            for column, refers in self.ids.refs[other].items():
                if refers == table:
                    self.store.conn.execute(
                        f"UPDATE {other} SET {column} = ? WHERE {column} = ?", [new_id, old_id])

    def _remove(self, table: str, row: dict[str, Any] | None) -> None:
        """A record removed on another device (not merely deleted, which is an edit): removed
        here too, or, while others still refer to it, marked deleted."""
        if row is None:
            return
        try:
            self.store.conn.execute("SAVEPOINT sync_remove")
            self.store.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row["id"]])
            self.store.conn.execute("RELEASE sync_remove")
        except sqlite3.IntegrityError:
            self.store.conn.execute("ROLLBACK TO sync_remove")
            self.store.conn.execute("RELEASE sync_remove")
            if row.get("deleted_at") is None and "deleted_at" in row:
                self.store.conn.execute(f"UPDATE {table} SET deleted_at = ? WHERE id = ?",
                                        [self.store.stamp(), row["id"]])


def synced(store: Store) -> None:
    """Remember that this device has just synced."""
    with store.transaction():
        store.conn.execute("UPDATE sync_device SET synced_at = ? WHERE id = 1", [store.stamp()])


def waiting(store: Store) -> Waiting:
    """What `efficacy sync --status` and home say: changes waiting here, each other device with
    the last file merged from it and when, and when this device last synced."""
    pending = (store.scalar("SELECT count(*) FROM sync_pending")
               + store.scalar("SELECT count(*) FROM sync_outbox"))
    peers = [(r[0], r[1], r[2]) for r in store.conn.execute(
        "SELECT device, applied, seen_at FROM sync_peers ORDER BY device")]
    conflicts = store.scalar("SELECT count(*) FROM sync_conflicts WHERE restored_at IS NULL")
    return Waiting(pending, peers, device(store).synced_at, conflicts)


def conflicts(store: Store) -> list[Conflict]:
    """The losing versions not restored, newest found first."""
    return store.records(Conflict, "SELECT * FROM sync_conflicts WHERE restored_at IS NULL "
                                   "ORDER BY found_at DESC, id DESC")


def restore_conflict(store: Store, conflict_id: int) -> bool:
    """Put a losing version's words and values back onto the record it lost to (its id, uid and
    creation time stay), as an edit made here now, so it wins on every device at the next sync.
    False when that record or one it refers to is no longer here."""
    found = store.record(Conflict, "SELECT * FROM sync_conflicts WHERE id = ?", [conflict_id])
    if found is None:
        return False
    with store.transaction():
        ids = _Ids(store)
        row = _row(store, found.tbl, found.target)
        values = ids.local(found.tbl, found.values)
        if row is None or values is None:
            return False
        keep = ("uid", "id", "created_at")
        changes = {k: v for k, v in values.items() if k not in keep and k in row}
        sets = ", ".join(f"{c} = ?" for c in changes)
        store.conn.execute(f"UPDATE {found.tbl} SET {sets} WHERE id = ?",
                           [*changes.values(), row["id"]])
        store.conn.execute("UPDATE sync_conflicts SET restored_at = ? WHERE id = ?",
                           [store.stamp(), conflict_id])
    return True


def columns(store: Store) -> dict[str, set[str]]:
    """Each synced table's columns, to check a change file against."""
    return {table: {r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")}
            for table in SYNCED}


def checked_change(known: dict[str, set[str]], item: object, name: str) -> Change:
    """A change as read from a file, checked for shape (values are left to the schema's
    CHECKs); ValueError with one sentence naming the file otherwise."""
    from efficacy_tui.content import say

    def bad() -> ValueError:
        return ValueError(say("sync.bad_file", path=name, reason=say("sync.reasons.format")))

    if not isinstance(item, dict):
        raise bad()
    table, uid, stamp, base, data = (item.get(k) for k in ("table", "uid", "stamp", "base",
                                                            "data"))
    if not isinstance(table, str) or table not in known or not isinstance(uid, str) \
            or len(uid) != 36:
        raise bad()
    try:
        parsed = Stamp.parse(stamp) if isinstance(stamp, str) else None
        Stamp.parse(base) if isinstance(base, str) else None
    except ValueError:
        raise bad() from None
    if parsed is not None and not merge.can_follow(parsed):
        raise bad()
    if not isinstance(stamp, str) or not (base is None or isinstance(base, str)):
        raise bad()
    if data is not None:
        if not isinstance(data, dict) or data.get("uid") != uid or "id" in data:
            raise bad()
        if not set(data) <= known[table] or not all(
                v is None or isinstance(v, (str, int, float)) and not isinstance(v, bool)
                for v in data.values()):
            raise bad()
        if any(isinstance(v, int) and not fits(v) for v in data.values()):
            raise ValueError(say("sync.bad_file", path=name, reason=say("sync.reasons.refused")))
        if any(column not in data for column in merge.needed(table)):
            raise bad()
    return Change(table, uid, stamp, base, data)


def record_state(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every synced record as it travels (no ids, references as uids), by table and uid: what
    two devices that have synced hold alike, whatever ids their rows have."""
    ids = _Ids(store)
    return {table: sorted((ids.portable(table, row)
                           for row in store.query(f"SELECT * FROM {table}")),
                          key=lambda r: r["uid"]) for table in SYNCED}
