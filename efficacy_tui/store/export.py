"""Export and import of the whole database in open formats: JSON, a zip of CSV files, and a
Markdown "mastery record" to read.

An export holds every row of every user table exactly as stored (soft-deleted rows included), so
it is a complete copy another program can use. An import merges by `uid`, so the same file can be
imported twice, or into a database with its own history, without duplicates; export → import into
an empty database → export gives the same file apart from `exported_at`.

Used by `efficacy export|import` and by the review screen; no Textual import.
"""

import csv
import io
import json
import math
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from efficacy_tui.content import load
from efficacy_tui.store import schema
from efficacy_tui.store.core import Store, reader

FORMAT = "efficacy-export"
# Export order is dependency order: every table refers only to tables before it (or itself).
TABLES = (
    "domains", "rungs", "checkins", "attempts", "reframes", "models", "feedback", "readiness",
    "scale_items", "scale_ratings", "settings",
)
OPTIONAL = ("settings",)
EXTENSIONS = {"json": "json", "csv": "zip", "md": "md"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MD_LIMIT = 50
BATCH = 500
MAX_INT = 2**63 - 1
NAME_LIMIT = 200


class ExchangeError(ValueError):
    """An export or import that cannot be done; str() is one sentence and nothing was written."""


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
            return ", ".join(parts) or _say("nothing")

        out = [_say("added", counts=counts(self.added)),
               _say("skipped", counts=counts(self.skipped))]
        if self.renamed:
            pairs = ", ".join(_say("renamed_pair", old=o, new=n) for o, n in self.renamed.items())
            out.append(_say("renamed", pairs=pairs))
        return out


def _say(key: str, **values: Any) -> str:
    return load("export")["messages"][key].format(**values)


def _key(table: str) -> str:
    return "key" if table == "settings" else "id"


# -- export ------------------------------------------------------------------------------------


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction, so every table is read as of the same moment."""
    if store.conn.in_transaction:
        yield
        return
    store.conn.execute("BEGIN")
    try:
        yield
    finally:
        store.conn.execute("COMMIT")


def _cursor(store: Store, table: str) -> tuple[list[str], Iterator[tuple]]:
    cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY {_key(table)}")
    return [d[0] for d in cursor.description], cursor


def _rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    names, cursor = _cursor(store, table)
    for row in cursor:
        yield dict(zip(names, row))


def _header(store: Store) -> dict[str, Any]:
    return {"format": FORMAT, "schema_version": schema.schema_version(),
            "exported_at": store.stamp()}


def export_data(store: Store) -> dict[str, Any]:
    """The JSON export as one dict: the header, then every table's rows ordered by id."""
    with _snapshot(store):
        data = _header(store)
        for table in TABLES:
            data[table] = list(_rows(store, table))
    return data


def to_json(data: dict[str, Any]) -> str:
    """The JSON text of an export, exactly as `write_export` writes it."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _write_json(store: Store, out: IO[str]) -> None:
    """Row by row, so a 100,000-attempt export never holds every row at once; the text is
    identical to `to_json(export_data(store))`."""
    with _snapshot(store):
        out.write("{\n")
        for key, value in _header(store).items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        for number, table in enumerate(TABLES):
            out.write(f"  {json.dumps(table)}: ")
            first = True
            for row in _rows(store, table):
                out.write("[\n    " if first else ",\n    ")
                out.write(json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n    "))
                first = False
            out.write("[]" if first else "\n  ]")
            out.write(",\n" if number < len(TABLES) - 1 else "\n")
        out.write("}\n")


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A fixed timestamp and mode, so the zip's bytes depend only on its content."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _write_zip(store: Store, handle: IO[bytes]) -> None:
    """One `<table>.csv` per table (a header row, then rows by id; NULL is an empty cell) and a
    manifest.json with the export header and each table's row count."""
    with _snapshot(store), zipfile.ZipFile(handle, "w") as archive:
        manifest = _header(store)
        manifest["tables"] = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}
        manifest["null"] = load("export")["csv"]["null"]
        archive.writestr(_zip_entry("manifest.json"), to_json(manifest).encode("utf-8"))
        for table in TABLES:
            names, cursor = _cursor(store, table)
            with archive.open(_zip_entry(f"{table}.csv"), "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow(names)
                for row in cursor:
                    writer.writerow(["" if value is None else value for value in row])
                text.flush()
                text.detach()


# -- the Markdown mastery record ----------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_MARKER = re.compile(r"^([-+=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def md_escape(text: Any) -> str:
    """User text as literal Markdown on one line: markup characters are backslash-escaped and
    line breaks become spaces, so a title like "# Me | [x]" cannot start a heading, split a
    table cell or make a link."""
    flat = " ".join(str(text).split())
    flat = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", flat))
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_MARKER.sub(r"\\\1", flat))


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10]


def _write_markdown(store: Store, out: IO[str]) -> None:
    """Per live domain: goal, ladder (hardest first), the most recent wins, reframes, models and
    feedback. Soft-deleted rows are left out; the JSON and CSV exports hold everything."""
    words = load("export")["markdown"]
    live = "deleted_at IS NULL"
    with _snapshot(store):
        out.write(f"# {words['title']}\n\n{words['intro'].format(date=store.today())}\n")
        domains = store.query(f"SELECT * FROM domains WHERE {live} ORDER BY position, id")
        if not domains:
            out.write(f"\n{words['no_domains']}\n")
        for domain in domains:
            archived = f" {words['archived']}" if domain["archived_at"] else ""
            out.write(f"\n## {md_escape(domain['name'])}{archived}\n")
            for label in ("goal", "why"):
                if domain[label].strip():
                    out.write(f"\n**{words[label]}:** {md_escape(domain[label])}\n")
            _md_ladder(store, out, words, domain["id"])
            _md_wins(store, out, words, "domain_id = ?", [domain["id"]])
            _md_reframes(store, out, words, domain["id"])
            _md_models(store, out, words, domain["id"])
        if store.scalar(f"SELECT 1 FROM attempts WHERE domain_id IS NULL AND {live} "
                        "AND outcome = 'success' LIMIT 1"):
            out.write(f"\n## {words['other']}\n")
            _md_wins(store, out, words, "domain_id IS NULL", [], heading=False)


def _md_ladder(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    out.write(f"\n### {words['ladder']}\n\n")
    rungs = store.query("SELECT * FROM rungs WHERE domain_id = ? AND deleted_at IS NULL "
                        "ORDER BY position DESC, id DESC", [domain_id])
    if not rungs:
        out.write(f"{words['no_rungs']}\n")
        return
    out.write(f"{words['ladder_note']}\n\n")
    out.write("| " + " | ".join(words["ladder_columns"]) + " |\n|:-:|---|--:|---|\n")
    for rung in rungs:
        cells = [words["status"].get(rung["status"], "·"), md_escape(rung["title"]),
                 str(rung["difficulty"]), md_escape(rung["criterion"])]
        out.write("| " + " | ".join(cells) + " |\n")


def _md_wins(store: Store, out: IO[str], words: dict, where: str, params: list,
             heading: bool = True) -> None:
    where = f"{where} AND outcome = 'success' AND deleted_at IS NULL"
    total = store.scalar(f"SELECT count(*) FROM attempts WHERE {where}", params)
    if heading:
        out.write(f"\n### {words['wins']}\n\n")
    else:
        out.write("\n")
    if not total:
        out.write(f"{words['no_wins']}\n")
        return
    wins = store.query(f"SELECT happened_at, title, what_i_did FROM attempts WHERE {where} "
                       "ORDER BY happened_at DESC, id DESC LIMIT ?", [*params, MD_LIMIT])
    note = words["wins_all"] if total <= MD_LIMIT else words["wins_recent"]
    out.write(note.format(count=total, shown=len(wins)) + "\n\n")
    for win in wins:
        line = f"- **{_day(win['happened_at'])}** {md_escape(win['title'])}"
        if win["what_i_did"].strip():
            line += f" — *{words['win_did']}* {md_escape(win['what_i_did'])}"
        out.write(line + "\n")
    if total > len(wins):
        out.write(f"\n{words['more'].format(count=total - len(wins))}\n")


def _md_reframes(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    where = ("coalesce(r.domain_id, a.domain_id) = ? AND r.deleted_at IS NULL")
    source = "reframes r LEFT JOIN attempts a ON a.id = r.attempt_id"
    total = store.scalar(f"SELECT count(*) FROM {source} WHERE {where}", [domain_id])
    if not total:
        return
    reframes = store.query(f"SELECT r.* FROM {source} WHERE {where} "
                           "ORDER BY r.created_at DESC, r.id DESC LIMIT ?", [domain_id, MD_LIMIT])
    out.write(f"\n### {words['reframes']}\n\n{words['reframes_note']}\n\n")
    for reframe in reframes:
        line = f"- **{_day(reframe['created_at'])}** {md_escape(reframe['what_happened'])}"
        if reframe["new_explanation"].strip():
            line += f" → {md_escape(reframe['new_explanation'])}"
        plan = words["plan"].format(situation=md_escape(reframe["if_situation"]),
                                    action=md_escape(reframe["then_action"]))
        out.write(f"{line}\n  - {plan}\n")
    if total > len(reframes):
        out.write(f"\n{words['more'].format(count=total - len(reframes))}\n")


def _md_models(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    models = store.query("SELECT * FROM models WHERE domain_id = ? AND deleted_at IS NULL "
                         "ORDER BY created_at, id", [domain_id])
    if models:
        out.write(f"\n### {words['models']}\n\n")
        for model in models:
            line = f"- **{md_escape(model['who'])}**"
            if model["like_me"].strip():
                line += f" — {words['model_like_me']} {md_escape(model['like_me'])}"
            out.write(f"{line} — {words['model_did']} {md_escape(model['what_they_did'])}\n")
    feedback = store.query("SELECT * FROM feedback WHERE domain_id = ? AND deleted_at IS NULL "
                           "ORDER BY given_at DESC, id DESC", [domain_id])
    if feedback:
        out.write(f"\n### {words['feedback']}\n\n")
        for said in feedback:
            meta = words["feedback_meta"].format(credibility=said["credibility"],
                                                 date=_day(said["given_at"]))
            out.write(f"- **{md_escape(said['who'])}** ({meta}): "
                      f"{md_escape(said['what_they_said'])}\n")


# -- writing files -------------------------------------------------------------------------------


def _writer(store: Store, fmt: str) -> Callable[[IO[bytes]], None]:
    if fmt not in EXTENSIONS:
        raise ExchangeError(_say("unknown_format", value=fmt))
    if fmt == "csv":
        return lambda handle: _write_zip(store, handle)
    write_text = _write_json if fmt == "json" else _write_markdown

    def write(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        write_text(store, text)
        text.flush()
        text.detach()

    return write


def write_stream(store: Store, fmt: str, handle: IO[bytes]) -> None:
    """Write a JSON or Markdown export to an open binary stream (standard output for `-o -`)."""
    if fmt == "csv":
        raise ExchangeError(_say("csv_to_stdout"))
    _writer(store, fmt)(handle)
    handle.flush()


def default_path(store: Store, fmt: str, folder: Path | None = None) -> Path:
    """`efficacy-export-<today>.<ext>` in the folder (the current one by default), with -2, -3...
    added rather than replacing an earlier export of the same day."""
    folder = Path.cwd() if folder is None else folder
    stem = f"efficacy-export-{store.today().isoformat()}"
    ext = EXTENSIONS[fmt]
    path, n = folder / f"{stem}.{ext}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.{ext}"
    return path


def write_export(store: Store, fmt: str = "json", path: str | os.PathLike | None = None) -> Path:
    """Write an export (fmt json, csv or md) and return where it went. With no path, or a folder,
    the file gets the default name. The file is private (0600) and written to a temporary file
    beside it that replaces it only when complete, so a crash never leaves half a file."""
    write = _writer(store, fmt)
    target = None if path is None else Path(path).expanduser()
    if target is None or target.is_dir():
        target = default_path(store, fmt, target)
    target = target.absolute()
    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except OSError as err:
        if temp:
            Path(temp).unlink(missing_ok=True)
        reason = err.strerror or str(err)
        raise ExchangeError(_say("write_failed", path=target, error=reason.lower())) from None
    except BaseException:
        if temp:
            Path(temp).unlink(missing_ok=True)
        raise
    return target


export_to_file = write_export


def export_in_worker(store: Store, fmt: str) -> Path:
    """`write_export` to the default name, for a worker thread: it reads through a read-only
    connection of its own, so the screen stays responsive and no connection crosses threads."""
    with reader(store) as own:
        return write_export(own, fmt)


# -- reading a file ------------------------------------------------------------------------------


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
        raise ExchangeError(_say("no_file", path=path)) from None
    except OSError as err:
        raise ExchangeError(_say("unreadable", path=path,
                                 error=(err.strerror or str(err)).lower())) from None
    if raw.startswith(b"PK\x03\x04"):
        data = _read_zip(store, path, raw)
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ExchangeError(_say("not_export", path=path)) from None
    return _check(store, path, data)


def _read_zip(store: Store, path: Path, raw: bytes) -> dict[str, Any]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        manifest = archive.read("manifest.json") if "manifest.json" in names else None
        data = None if manifest is None else json.loads(manifest.decode("utf-8"))
    except (zipfile.BadZipFile, UnicodeDecodeError, ValueError, OSError):
        raise ExchangeError(_say("not_export", path=path)) from None
    if manifest is None:
        raise ExchangeError(_say("no_manifest", path=path))
    if not isinstance(data, dict):
        raise ExchangeError(_say("not_object", path=path))
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
        raise ExchangeError(_say("bad_csv", path=path, table=table, error=err)) from None
    rows = []
    for n, cells in enumerate(lines, start=1):
        if len(cells) != len(header):
            raise ExchangeError(_say("uneven_columns", path=path, n=n, table=table))
        row: dict[str, Any] = {}
        for name, cell in zip(header, cells):
            column = columns.get(name)
            if column is None:
                raise ExchangeError(_say("unknown_column", path=path, n=n, table=table,
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
        raise ExchangeError(_say("bad_cell", path=path, n=n, table=table, column=column.name,
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
        raise ExchangeError(_say("not_object", path=path))
    if data.get("format") != FORMAT:
        raise ExchangeError(_say("wrong_format", path=path))
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeError(_say("bad_version", path=path))
    if version > schema.schema_version():
        raise ExchangeError(_say("newer_version", path=path, version=version,
                                 known=schema.schema_version()))
    present = _tables_at(version)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        rows = data.get(table)
        if rows is None and (table in OPTIONAL or table not in present):
            rows = []
        if rows is None:
            raise ExchangeError(_say("missing_table", path=path, table=table))
        if not isinstance(rows, list):
            raise ExchangeError(_say("not_list", path=path, table=table))
        _check_rows(store, path, table, rows)
        tables[table] = rows
    return tables


def _check_rows(store: Store, path: Path, table: str, rows: list) -> None:
    columns = _columns(store, table)
    first: set[str] | None = None
    seen: dict[str, set] = {_key(table): set(), "uid": set()}
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ExchangeError(_say("not_row", path=path, n=n, table=table))
        for column, value in row.items():
            if column not in columns:
                raise ExchangeError(_say("unknown_column", path=path, n=n, table=table,
                                         column=column))
            if not _is_scalar(value):
                raise ExchangeError(_say("bad_value", path=path, n=n, table=table,
                                         column=column))
        if first is None:
            first = set(row)
        elif set(row) != first:
            raise ExchangeError(_say("uneven_columns", path=path, n=n, table=table))
        for column, kind in ((_key(table), int if table != "settings" else str), ("uid", str)):
            value = row.get(column)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ExchangeError(_say("missing_key", path=path, n=n, table=table,
                                         column=column))
            if value in seen[column]:
                raise ExchangeError(_say("duplicate", path=path, table=table, column=column,
                                         value=value))
            seen[column].add(value)


# -- import --------------------------------------------------------------------------------------


def _fold(name: str) -> str:
    """Case folding as SQLite's NOCASE does it (ASCII letters only), for the live-name index."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _free_name(name: str, taken: set[str]) -> str:
    for n in range(1, 10_000):
        suffix = _say("imported_suffix") if n == 1 else _say("imported_suffix_n", n=n)
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
            plan, key = plans[table], _key(table)
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
                        raise ExchangeError(_say("dangling", path=path, n=n, table=table,
                                                 target=target, value=value))
                    if target not in TABLES[:position]:
                        # the row it points at may come later in the file: link it afterwards
                        later.append((table, values[key], column, mapped))
                        mapped = None
                    values[column] = mapped
                rows.append((n, values))
            _insert(store, path, table, rows)
        for table, pk, column, value in later:
            store.db[table].update(pk, {column: value})
    return ImportResult(
        added={t: len(plans[t].new) for t in TABLES},
        skipped={t: plans[t].skipped for t in TABLES},
        renamed=renamed,
    )


def _plan(store: Store, table: str, rows: list[dict], renamed: dict[str, str]) -> _Plan:
    """Which rows are new, which are already here, and the id each file row has here."""
    plan = _Plan()
    key = _key(table)
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
            store.db[table].insert_all([columns, *chunk])
            continue
        except (sqlite3.Error, OverflowError):
            pass
        for offset, line in enumerate(chunk):
            try:
                store.db[table].insert_all([columns, line])
            except (sqlite3.Error, OverflowError) as err:
                raise ExchangeError(_say("bad_row", path=path, n=rows[start + offset][0],
                                         table=table, error=" ".join(str(err).split()))) from None
        raise ExchangeError(_say("bad_row", path=path, n=rows[start][0], table=table,
                                 error="a batch failed"))  # pragma: no cover
