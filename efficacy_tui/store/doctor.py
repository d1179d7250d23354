"""Rows whose dates name no real moment, and mending them, for `efficacy doctor`.

Import refuses an impossible date, but a file edited by hand or written by an older version may
hold one ("2026-11-39", hour 99). The app shows such a row marked unreadable; this finds every one
and either repairs it, where the right value is plain, or removes it. A stamp that only records
when the row was written or changed (created_at, updated_at) or when its state changed (archived,
mastered, deleted, completed...) is repaired from the row's other stamps (or now); a row whose
own date is impossible (a check-in's day, when an attempt happened) cannot be guessed, so it is
removed, and rows that pointed at it keep their place without the link.
"""

from dataclasses import dataclass
from typing import Any

from efficacy_tui import stamps
from efficacy_tui.store.core import Store
from efficacy_tui.store.export import TABLES, key_column

# A row's own date: nothing else in the row says what it should be.
OWN_DATES = frozenset({"day", "happened_at", "scheduled_for", "given_at", "rated_at"})
# Where a repaired stamp is taken from, first readable one first.
SOURCES = ("updated_at", "created_at", "completed_at", "started_at", "happened_at",
           "scheduled_for", "given_at", "rated_at")
CHECKED = (*TABLES, "drafts")


@dataclass(frozen=True)
class Unreadable:
    """One impossible date: where it is, what it holds, and the stamp that mends it (None: the
    row is removed)."""

    table: str
    key: Any
    uid: str
    column: str
    raw: Any
    repair: str | None


def _date_columns(store: Store, table: str) -> list[str]:
    names = [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")]
    return [name for name in names if stamps.is_date_column(name)]


def unreadable_rows(store: Store) -> list[Unreadable]:
    """Every impossible date in the file, table by table. Reads only."""
    found = []
    for table in CHECKED:
        columns = _date_columns(store, table)
        key = key_column(table)
        listed = ", ".join(dict.fromkeys([key, "uid", *columns, *(
            c for c in SOURCES if c in columns)]))
        for row in store.query(f"SELECT {listed} FROM {table}"):
            bad = [Unreadable(table, row[key], str(row["uid"]), column, row[column],
                              _repair(column, row, store.stamp()))
                   for column in columns if not stamps.is_readable(column, row[column])]
            removed = [b for b in bad if b.repair is None]
            found.extend(removed or bad)  # a row that goes needs none of its stamps mended
    return found


def _repair(column: str, row: dict[str, Any], now: str) -> str | None:
    """The row's first readable other stamp, else now; None for the row's own date."""
    if column in OWN_DATES:
        return None
    for source in SOURCES:
        value = row.get(source)
        if source != column and isinstance(value, str) and stamps.moment(value) is not None:
            return value
    return now


def removed_rows(rows: list[Unreadable]) -> set[tuple[str, Any]]:
    """The (table, key) of each row that `mend` removes."""
    return {(bad.table, bad.key) for bad in rows if bad.repair is None}


def mend(store: Store, rows: list[Unreadable]) -> tuple[int, int]:
    """Repair what can be repaired and remove the rest, in one write: (repaired, removed)."""
    removed = removed_rows(rows)
    repaired = 0
    with store.transaction():
        for bad in rows:
            if bad.repair is not None and (bad.table, bad.key) not in removed:
                key = key_column(bad.table)
                store.conn.execute(f"UPDATE {bad.table} SET {bad.column} = ? WHERE {key} = ?",
                                   [bad.repair, bad.key])
                repaired += 1
        for table, pk in sorted(removed, key=lambda item: -CHECKED.index(item[0])):
            _unlink(store, table, pk)
            key = key_column(table)
            store.conn.execute(f"DELETE FROM {table} WHERE {key} = ?", [pk])
    return repaired, len(removed)


def _unlink(store: Store, table: str, pk: Any) -> None:
    """Rows pointing at a row about to be removed lose the link. Every such reference is
    nullable: only domains and scale items are pointed at by NOT NULL ones, and none of their
    dates is their own, so they are always repaired, never removed."""
    for other in TABLES:
        for ref in store.conn.execute(f"PRAGMA foreign_key_list({other})").fetchall():
            if ref[2] == table:
                store.conn.execute(f"UPDATE {other} SET {ref[3]} = NULL WHERE {ref[3]} = ?",
                                   [pk])
