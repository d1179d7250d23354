"""Import of an export (JSON, or a zip of CSV files) with its validation: the file is checked to
be a well-formed export this version can read, then merged by `uid`, so the same file can be
imported twice, or into a database with its own history, without duplicates. A file that is not
a valid export is refused with one sentence and nothing is written.

Used by `efficacy import`; no Textual import.
"""

import csv
import io
import json
import math
import os
import sqlite3
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from efficacy_tui import stamps
from efficacy_tui.coach.validate import NAME_LIMIT
from efficacy_tui.content import say
from efficacy_tui.store import schema
from efficacy_tui.store.core import Store
from efficacy_tui.store.export import (
    FORMAT,
    OPTIONAL,
    TABLES,
    ExchangeError,
    key_column,
)

BATCH = 500
MAX_INT = 2**63 - 1


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
            pairs = ", ".join(say("export.renamed_pair", old=o, new=n)
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


def read_export(store: Store, path: str | os.PathLike) -> dict[str, list[dict[str, Any]]]:
    """The rows of a JSON export or CSV zip, checked to be a well-formed export this version
    can read; anything else is refused with one sentence (ExchangeError)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(say("export.no_file", path=path)) from None
    except OSError as err:
        raise ExchangeError(say("export.unreadable", path=path,
                                 error=(err.strerror or str(err)).lower())) from None
    if raw.startswith(b"PK\x03\x04"):
        data = _read_zip(store, path, raw)
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ExchangeError(say("export.not_export", path=path)) from None
    return _check(store, path, data)


def _read_zip(store: Store, path: Path, raw: bytes) -> dict[str, Any]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        manifest = archive.read("manifest.json") if "manifest.json" in names else None
        data = None if manifest is None else json.loads(manifest.decode("utf-8"))
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, OSError):
        raise ExchangeError(say("export.not_export", path=path)) from None
    if manifest is None:
        raise ExchangeError(say("export.no_manifest", path=path))
    if not isinstance(data, dict):
        raise ExchangeError(say("export.not_object", path=path))
    for table in TABLES:
        if f"{table}.csv" in names:
            data[table] = _read_csv(store, path, archive, table)
        else:
            data.pop(table, None)
    return data


def _read_csv(store: Store, path: Path, archive: zipfile.ZipFile, table: str) -> list[dict]:
    """Rows of one CSV file with their values typed from the schema; an empty cell is NULL in a
    nullable column and '' in a NOT NULL one."""
    columns = _columns(store, table)
    try:
        with archive.open(f"{table}.csv") as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            header = next(reader, None) or []
            lines = list(reader)
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, OSError) as err:
        raise ExchangeError(say("export.bad_csv", path=path, table=table, error=err)) from None
    rows = []
    for n, cells in enumerate(lines, start=1):
        if len(cells) != len(header):
            raise ExchangeError(say("export.uneven_columns", path=path, n=n, table=table))
        row: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=True):
            column = columns.get(name)
            if column is None:
                raise ExchangeError(say("export.unknown_column", path=path, n=n, table=table,
                                         column=name))
            row[name] = _cell(path, table, n, column, cell)
        rows.append(row)
    return rows


def _cell(path: Path, table: str, n: int, column: _Column, cell: str) -> Any:
    if cell == "":
        return None if column.nullable else ""
    try:
        if column.type in ("INTEGER", "INT"):
            return int(cell)
        if column.type == "REAL":
            return float(cell)
    except ValueError:
        raise ExchangeError(say("export.bad_cell", path=path, n=n, table=table, column=column.name,
                                 value=cell[:40])) from None
    return cell


def _is_scalar(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_INT - 1 <= value <= MAX_INT
    return isinstance(value, float) and math.isfinite(value)


def _check(store: Store, path: Path, data: Any) -> dict[str, list[dict[str, Any]]]:
    """The header, the tables and every row's shape; values are left to the schema's CHECKs."""
    if not isinstance(data, dict):
        raise ExchangeError(say("export.not_object", path=path))
    if data.get("format") != FORMAT:
        raise ExchangeError(say("export.wrong_format", path=path))
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeError(say("export.bad_version", path=path))
    if version > schema.schema_version():
        raise ExchangeError(say("export.newer_version", path=path, version=version,
                                 known=schema.schema_version()))
    present = _tables_at(version)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = data.get(table)
        if rows is None and (table in OPTIONAL or table not in present):
            rows = []
        if rows is None:
            raise ExchangeError(say("export.missing_table", path=path, table=table))
        if not isinstance(rows, list):
            raise ExchangeError(say("export.not_list", path=path, table=table))
        _check_rows(store, path, table, rows)
        tables[table] = rows
    return tables


def _check_rows(store: Store, path: Path, table: str, rows: list) -> None:
    columns = _columns(store, table)
    first: set[str] | None = None
    seen: dict[str, set] = {key_column(table): set(), "uid": set()}
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ExchangeError(say("export.not_row", path=path, n=n, table=table))
        for column, value in row.items():
            if column not in columns:
                raise ExchangeError(say("export.unknown_column", path=path, n=n, table=table,
                                         column=column))
            if not _is_scalar(value):
                raise ExchangeError(say("export.bad_value", path=path, n=n, table=table,
                                         column=column))
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
                                         value=value))
            seen[column].add(value)
        _check_dates(path, table, row)


def _check_dates(path: Path, table: str, row: dict[str, Any]) -> None:
    """Refuse a day or moment that is no real one (month 19, day 39, hour 99): the schema only
    checks its shape, and every screen that reads it would have to guess."""
    for column, value in row.items():
        if stamps.is_date_column(column) and not stamps.is_readable(column, value):
            raise ExchangeError(say("export.impossible_date", path=path, table=table,
                                     uid=row.get("uid"), column=column, value=str(value)[:40]))


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
    """One table's share of an import: rows to add (numbered by their place in the file, for
    error sentences), the skipped count, and the file-id -> database-id map that references to
    this table go through."""

    new: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ids: dict[Any, int] = field(default_factory=dict)
    skipped: int = 0


def import_file(store: Store, path: str | os.PathLike) -> ImportResult:
    """Merge a JSON export (or CSV zip) into the database in one transaction.

    A row whose uid is already here is skipped. A new row keeps its id when that id is free here
    and otherwise gets the next free one; every reference (all REFERENCES in the schema) is
    remapped from the file's ids to this database's through uids. Other unique rules merge so:
    a live domain whose name (any case) is already taken by a live domain here is added under
    "<name> (imported)" (reported in `renamed`), keeping both ladders intact; a live check-in
    for a day that already has one here is skipped, and rows that pointed at it (its win) point
    at this database's check-in for that day; a setting whose key is set here keeps this
    database's value. A file that is not a valid export is refused with one sentence
    (ExchangeError) and nothing is written."""
    return import_rows(store, read_export(store, path), Path(path))


def import_rows(store: Store, tables: dict[str, list[dict[str, Any]]],
                path: Path) -> ImportResult:
    """The merge of `import_file`, for rows already read and checked by `read_export`."""
    renamed: dict[str, str] = {}
    with store.transaction():
        plans = {table: _plan(store, table, tables[table], renamed) for table in TABLES}
        later: list[tuple[str, int, str, int]] = []
        for position, table in enumerate(TABLES):
            plan, key = plans[table], key_column(table)
            refs = _references(store, table)
            rows = []
            for n, row in plan.new:
                values = dict(row)
                if key == "id":
                    values["id"] = plan.ids[row["id"]]
                for column, target in refs.items():
                    value = row.get(column)
                    if value is None:
                        continue
                    mapped = plans[target].ids.get(value) if target in plans else None
                    if mapped is None:
                        raise ExchangeError(say("export.dangling", path=path, n=n, table=table,
                                                 target=target, value=value))
                    if target not in TABLES[:position]:
                        # the row it points at may come later in the file: link it afterwards
                        later.append((table, values[key], column, mapped))
                        mapped = None
                    values[column] = mapped
                rows.append((n, values))
            _insert(store, path, table, rows)
        for table, pk, column, value in later:
            store.db.table(table).update(pk, {column: value})
    return ImportResult(
        added={t: len(plans[t].new) for t in TABLES},
        skipped={t: plans[t].skipped for t in TABLES},
        renamed=renamed,
    )


def _plan(store: Store, table: str, rows: list[dict], renamed: dict[str, str]) -> _Plan:
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
    for n, row in enumerate(rows, start=1):
        live = row.get("deleted_at") is None
        if row["uid"] in existing:
            plan.ids[row[key]] = existing[row["uid"]]
        elif table == "settings" and row["key"] in used:
            pass
        elif table == "checkins" and live and row.get("day") in days:
            plan.ids[row[key]] = days[row["day"]]
        else:
            if table == "domains" and live and isinstance(row.get("name"), str):
                if _fold(row["name"]) in taken:
                    renamed[row["name"]] = _free_name(row["name"], taken)
                    row = {**row, "name": renamed[row["name"]]}
                taken.add(_fold(row["name"]))
            plan.new.append((n, row))
            continue
        plan.skipped += 1
    if key == "id":
        free = [row["id"] for _, row in plan.new if row["id"] not in used]
        next_id = max(used | set(free), default=0) + 1
        for _, row in plan.new:
            if row["id"] in used:
                plan.ids[row["id"]] = next_id
                next_id += 1
            else:
                plan.ids[row["id"]] = row["id"]
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
