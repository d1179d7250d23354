"""Import of an export (JSON, or a zip of CSV files) with its validation: the file is checked to
be a well-formed export this version can read, then merged by `uid`, so the same file can be
imported twice, or into a database with its own history, without duplicates. A file that is not
a valid export is refused with one sentence and nothing is written.

Used by `efficacy import` and the app's import form; no Textual import.
"""

import io
import json
import math
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from efficacy_tui import stamps
from efficacy_tui.coach.feedback import QUESTION_LIMIT
from efficacy_tui.coach.scale import MAX_ITEM_CHARS
from efficacy_tui.coach.validate import NAME_LIMIT, TITLE_LIMIT
from efficacy_tui.content import say
from efficacy_tui.control_chars import one_line
from efficacy_tui.sealed import MAGIC, SealError, is_sealed, unseal
from efficacy_tui.store import schema
from efficacy_tui.store.core import Progress, Store, fits, writer
from efficacy_tui.store.export import (
    FORMAT,
    OPTIONAL,
    TABLES,
    ExchangeError,
    csv_text,
    key_column,
)
from efficacy_tui.store.export_files import Rows, Source, Unreadable, open_export, source

BATCH = 500
# The longest text each limited column takes, as the app's forms count it (after stripping), so
# an import cannot store what a form or `efficacy log` would refuse: the schema's CHECKs count
# only up to a NUL. Free-text columns have no limit but the file's size.
TEXT_LIMITS = {
    ("domains", "name"): NAME_LIMIT,
    ("rungs", "title"): TITLE_LIMIT,
    ("readiness", "title"): TITLE_LIMIT,
    ("scale_items", "text"): MAX_ITEM_CHARS,
    ("models", "who"): NAME_LIMIT,
    ("feedback", "who"): NAME_LIMIT,
    ("feedback_requests", "whom"): NAME_LIMIT,
    ("feedback_requests", "question"): QUESTION_LIMIT,
}


@dataclass(frozen=True)
class ImportResult:
    """Rows added and rows skipped (already present) per table, and domains renamed on the way."""

    added: dict[str, int]
    skipped: dict[str, int]
    renamed: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What `efficacy import` prints: added, skipped, and renames when there were any."""
        def counts(numbers: dict[str, int]) -> str:
            parts = [f"{table} {n}" for table, n in numbers.items() if n]
            return ", ".join(parts) or say("export.nothing")

        out = [say("export.added", counts=counts(self.added)),
               say("export.skipped", counts=counts(self.skipped))]
        if self.renamed:
            pairs = ", ".join(say("export.renamed_pair", old=one_line(o), new=one_line(n))
                              for o, n in self.renamed.items())
            out.append(say("export.renamed", pairs=pairs))
        return out


@dataclass(frozen=True)
class _Column:
    name: str
    type: str
    nullable: bool


def _columns(store: Store, table: str) -> dict[str, _Column]:
    rows = store.conn.execute(f"PRAGMA table_info({table})").fetchall()
    return {r[1]: _Column(r[1], r[2].upper(), not r[3] and not r[5]) for r in rows}


def _references(store: Store, table: str) -> dict[str, str]:
    """Every REFERENCES of the table: column -> referenced table (always by its id)."""
    rows = store.conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
    return {r[3]: r[2] for r in rows}


@cache
def _tables_at(version: int) -> frozenset[str]:
    """The export tables that existed at a schema version, so an older file may lack the rest."""
    if version >= schema.schema_version():
        return frozenset(TABLES)
    from sqlite_utils import Database

    db = Database(memory=True)
    for step in schema.MIGRATIONS[:version]:
        step(db)
    return frozenset(db.table_names()) & frozenset(TABLES)


def _typed(store: Store, path: Path, table: str, rows: Rows, formulas: bool) -> Rows:
    """A CSV file's rows with their values typed from the schema; an empty cell is NULL in a
    nullable column and '' in a NOT NULL one. With `formulas` (the manifest says the export put
    an apostrophe before formula-like text), that apostrophe is taken off again."""
    columns = _columns(store, table)
    for n, cells in enumerate(rows, start=1):
        row: dict[str, Any] = {}
        for name, cell in cells.items():
            column = columns.get(name)
            if column is None:
                raise Unreadable(say("export.unknown_column", path=path, n=n, table=table,
                                     column=_shown(name)))
            value = _cell(path, table, n, column, cell)
            row[name] = csv_text(value) if formulas and isinstance(value, str) else value
        yield row


def _tables(store: Store, path: Path, file: Source) -> Iterator[tuple[str, Rows]]:
    for table, rows in file.tables():
        yield table, rows if file.typed else _typed(store, path, table, rows,
                                                    "formula" in file.header)


def _cell(path: Path, table: str, n: int, column: _Column, cell: str) -> Any:
    if cell == "":
        return None if column.nullable else ""
    try:
        if column.type in ("INTEGER", "INT"):
            return int(cell)
        if column.type == "REAL":
            return float(cell)
    except ValueError:
        raise Unreadable(say("export.bad_cell", path=path, n=n, table=table, column=column.name,
                             value=_shown(cell))) from None
    return cell


def _shown(value: Any) -> str:
    """The file's text as a sentence quotes it: its first 40 characters, on one line and
    printable (control characters and a newline as their pictures, a lone surrogate as �)."""
    text = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char
                   for char in str(value)[:40])
    return one_line(text)


def _is_scalar(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return _is_text(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return fits(value)
    return isinstance(value, float) and math.isfinite(value)


def _is_text(value: str) -> bool:
    """Whether a str is text SQLite can store: a lone surrogate (a JSON \\ud800 escape) has no
    UTF-8, so binding it would fail."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# One row of the file as the merge plans it: its number in its table, its key (id, or a
# setting's key), uid, whether it is live, and its name (domains) or day (check-ins).
_Stub = tuple[int, Any, str, bool, Any]


def _check(store: Store, path: Path, file: Source, tell: Progress) -> dict[str, list[_Stub]]:
    """The header, the tables and every row's shape; values are left to the schema's CHECKs.
    Reads the file once, keeping of each row only its stub."""
    stubs: dict[str, list[_Stub]] = {table: [] for table in TABLES}
    problems: dict[str, ExchangeError] = {}
    for table, rows in _tables(store, path, file):
        try:
            stubs[table] = _check_rows(store, path, table, rows)
        except Unreadable:
            raise
        except ExchangeError as err:  # said once the header is known to be an export's
            problems[table] = err
        tell("checking", sum(map(len, stubs.values())), 0)
    if not file.is_object:
        raise ExchangeError(say("export.not_object", path=path))
    data = file.header
    if data.get("format") != FORMAT:
        raise ExchangeError(say("export.wrong_format", path=path))
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeError(say("export.bad_version", path=path))
    if version > schema.schema_version():
        raise ExchangeError(say("export.newer_version", path=path, version=version,
                                 known=schema.schema_version()))
    present = _tables_at(version)
    for table in TABLES:
        if table not in file.present and (table in OPTIONAL or table not in present):
            continue
        if table not in file.present:
            raise ExchangeError(say("export.missing_table", path=path, table=table))
        if table in file.not_lists:
            raise ExchangeError(say("export.not_list", path=path, table=table))
        if table in problems:
            raise problems[table]
    return stubs


def _check_rows(store: Store, path: Path, table: str, rows: Rows) -> list[_Stub]:
    columns = _columns(store, table)
    first: set[str] | None = None
    seen: dict[str, set] = {key_column(table): set(), "uid": set()}
    stubs: list[_Stub] = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ExchangeError(say("export.not_row", path=path, n=n, table=table))
        for column, value in row.items():
            if column not in columns:
                raise ExchangeError(say("export.unknown_column", path=path, n=n, table=table,
                                         column=_shown(column)))
            if not _is_scalar(value):
                raise ExchangeError(say("export.bad_value", path=path, n=n, table=table,
                                         column=column))
            limit = TEXT_LIMITS.get((table, column))
            if limit is not None and isinstance(value, str) and len(value.strip()) > limit:
                raise ExchangeError(say("export.too_long", path=path, n=n, table=table,
                                         column=column, limit=limit))
        if first is None:
            first = set(row)
        elif set(row) != first:
            raise ExchangeError(say("export.uneven_columns", path=path, n=n, table=table))
        key_kind = int if table != "settings" else str
        for column, kind in ((key_column(table), key_kind), ("uid", str)):
            value = row.get(column)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ExchangeError(say("export.missing_key", path=path, n=n, table=table,
                                         column=column))
            if value in seen[column]:
                raise ExchangeError(say("export.duplicate", path=path, table=table, column=column,
                                         value=_shown(value)))
            seen[column].add(value)
        stubs.append((n, row[key_column(table)], row["uid"], row.get("deleted_at") is None,
                      row.get("name") if table == "domains" else row.get("day")))
        _check_dates(path, table, row)
    return stubs

def _check_dates(path: Path, table: str, row: dict[str, Any]) -> None:
    """Refuse a day or moment that is no real one (month 19, day 39, hour 99): the schema only
    checks its shape, and every screen that reads it would have to guess."""
    for column, value in row.items():
        if stamps.is_date_column(column) and not stamps.is_readable(column, value):
            raise ExchangeError(say("export.impossible_date", path=path, table=table,
                                     uid=_shown(row.get("uid")), column=column,
                                     value=_shown(value)))


def _fold(name: str) -> str:
    """Case folding as SQLite's NOCASE does it (ASCII letters only), for the live-name index."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _free_name(name: str, taken: set[str]) -> str:
    for n in range(1, 10_000):
        suffix = say("export.imported_suffix") if n == 1 else say("export.imported_suffix_n", n=n)
        candidate = name.strip()[: NAME_LIMIT - len(suffix)].rstrip() + suffix
        if _fold(candidate) not in taken:
            return candidate
    return name  # pragma: no cover - ten thousand clashes; the insert will say what is wrong


@dataclass
class _Plan:
    """One table's share of an import: the numbers (place in the file) of rows to add, new names
    of renamed domains by row number, the skipped count, and the file-id -> database-id map that
    references to this table go through."""

    new: set[int] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)
    ids: dict[Any, int] = field(default_factory=dict)
    skipped: int = 0


def import_file(store: Store, path: str | os.PathLike,
                progress: Progress | None = None, passphrase: str | None = None) -> ImportResult:
    """Merge a JSON export (or CSV zip) into the database in one transaction.

    A row whose uid is already here is skipped. A new row keeps its id when that id is free here
    and otherwise gets the next free one; every reference (all REFERENCES in the schema) is
    remapped from the file's ids to this database's through uids. Other unique rules merge so:
    a live domain whose name (any case) is already taken by a live domain here is added under
    "<name> (imported)" (reported in `renamed`), keeping both ladders intact; a live check-in
    for a day that already has one here is skipped, and rows that pointed at it (its win) point
    at this database's check-in for that day; a setting whose key is set here keeps this
    database's value. A file that is not a valid export is refused with one sentence
    (ExchangeError) and nothing is written.

    The file is read twice as a stream: once to check it and plan the merge (keeping of each
    row its number, key, uid and name or day), then to insert the new rows in batches, so memory
    holds one batch of rows, never the whole file. `progress` hears ("checking", rows, 0) after
    each table is read and ("importing", added, total) after each batch is written.

    An age-encrypted export (`efficacy export --encrypt`) is decrypted in memory with
    `passphrase`; a wrong one is one sentence and nothing is written."""
    path = Path(path)
    tell = progress or _silent
    with open_export(path) as opened:
        handle: IO[bytes] = opened
        if is_sealed(opened.read(len(MAGIC))):
            if not passphrase:
                raise ExchangeError(say("sync.export_sealed", path=path))
            opened.seek(0)
            try:
                handle = io.BytesIO(unseal(opened.read(), passphrase, path))
            except SealError as err:
                raise ExchangeError(str(err)) from None
        opened.seek(0)
        file = source(path, handle)
        stubs = _check(store, path, file, tell)
        return _merge(store, path, file, stubs, tell)


def import_in_worker(store: Store, path: str | os.PathLike) -> ImportResult:
    """`import_file` for a worker thread: it writes through a connection of its own, so the
    screen stays responsive and no connection crosses threads."""
    with writer(store) as own:
        return import_file(own, path)


def _silent(phase: str, done: int, total: int) -> None:
    """The progress report nobody listens to."""


def _merge(store: Store, path: Path, file: Source, stubs: dict[str, list[_Stub]],
           tell: Progress) -> ImportResult:
    renamed: dict[str, str] = {}
    with store.transaction():
        plans = {table: _plan(store, table, stubs.pop(table), renamed) for table in TABLES}
        total, written = sum(len(plan.new) for plan in plans.values()), 0
        tell("importing", 0, total)
        later: list[tuple[str, int, str, int]] = []
        done: set[str] = set()
        for table, rows in _tables(store, path, file):
            plan, key = plans[table], key_column(table)
            refs = _references(store, table)
            batch: list[tuple[int, dict[str, Any]]] = []
            for n, row in enumerate(rows, start=1):
                if n not in plan.new:
                    continue
                values = dict(row)
                if n in plan.names:
                    values["name"] = plan.names[n]
                if key == "id":
                    values["id"] = plan.ids[row["id"]]
                for column, target in refs.items():
                    value = row.get(column)
                    if value is None:
                        continue
                    mapped = plans[target].ids.get(value) if target in plans else None
                    if mapped is None:
                        raise ExchangeError(say("export.dangling", path=path, n=n, table=table,
                                                 target=target, value=_shown(value)))
                    if target not in done:
                        # the row it points at may come later in the file: link it afterwards
                        later.append((table, values[key], column, mapped))
                        mapped = None
                    values[column] = mapped
                batch.append((n, values))
                if len(batch) == BATCH:
                    _insert(store, path, table, batch)
                    _time_confidence(store, table, batch)
                    written += len(batch)
                    tell("importing", written, total)
                    batch = []
            _insert(store, path, table, batch)
            _time_confidence(store, table, batch)
            if batch:
                written += len(batch)
                tell("importing", written, total)
            done.add(table)
        for table, pk, column, value in later:
            store.db.table(table).update(pk, {column: value})
    return ImportResult(
        added={t: len(plans[t].new) for t in TABLES},
        skipped={t: plans[t].skipped for t in TABLES},
        renamed=renamed,
    )


def _time_confidence(store: Store, table: str, rows: list[tuple[int, dict]]) -> None:
    """Attempts from an export older than the confidence_timing column get it by the rule the
    migration used on existing files."""
    if table != "attempts" or not rows or "confidence_timing" in rows[0][1]:
        return
    store.conn.execute(
        f"UPDATE attempts SET confidence_timing = {schema.CONFIDENCE_TIMING_RULE} "
        "WHERE confidence IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
        [json.dumps([values["id"] for _, values in rows])],
    )


def _plan(store: Store, table: str, stubs: list[_Stub], renamed: dict[str, str]) -> _Plan:
    """Which rows are new, which are already here, and the id each file row has here."""
    plan = _Plan()
    key = key_column(table)
    existing = dict(store.conn.execute(f"SELECT uid, {key} FROM {table}").fetchall())
    used = set(existing.values())
    taken = {_fold(r[0]) for r in store.conn.execute(
        "SELECT name FROM domains WHERE deleted_at IS NULL")} if table == "domains" else set()
    days = dict(store.conn.execute(
        "SELECT day, id FROM checkins WHERE deleted_at IS NULL").fetchall()
    ) if table == "checkins" else {}
    added: list[Any] = []
    for n, file_key, uid, live, name_or_day in stubs:
        if uid in existing:
            plan.ids[file_key] = existing[uid]
        elif table == "settings" and file_key in used:
            pass
        elif table == "checkins" and live and name_or_day in days:
            plan.ids[file_key] = days[name_or_day]
        else:
            if table == "domains" and live and isinstance(name_or_day, str):
                name = name_or_day
                if _fold(name) in taken:
                    renamed[name_or_day] = plan.names[n] = name = _free_name(name, taken)
                taken.add(_fold(name))
            plan.new.add(n)
            added.append(file_key)
            continue
        plan.skipped += 1
    if key == "id":
        free = [file_key for file_key in added if file_key not in used]
        next_id = max(used | set(free), default=0) + 1
        for file_key in added:
            if file_key in used:
                plan.ids[file_key] = next_id
                next_id += 1
            else:
                plan.ids[file_key] = file_key
    return plan


def _insert(store: Store, path: Path, table: str, rows: list[tuple[int, dict]]) -> None:
    """Insert in batches; when a batch is refused, find and name the row that broke a rule."""
    if not rows:
        return
    columns = list(rows[0][1])
    values = [[row[c] for c in columns] for _, row in rows]
    for start in range(0, len(values), BATCH):
        chunk = values[start:start + BATCH]
        try:
            store.db.table(table).insert_all([columns, *chunk])
            continue
        except (sqlite3.Error, OverflowError):
            pass
        for offset, line in enumerate(chunk):
            try:
                store.db.table(table).insert_all([columns, line])
            except (sqlite3.Error, OverflowError) as err:
                raise ExchangeError(say("export.bad_row", path=path, n=rows[start + offset][0],
                                         table=table, error=" ".join(str(err).split()))) from None
        raise ExchangeError(say("export.bad_row", path=path, n=rows[start][0], table=table,
                                 error="a batch failed"))  # pragma: no cover
