"""Export of the whole database in open formats: JSON, a zip of CSV files, and (rendered by
store/markdown.py) a Markdown "mastery record" to read.

An export holds every row of every user table exactly as stored (soft-deleted rows included), so
it is a complete copy another program can use; store/importer.py reads it back, so export →
import into an empty database → export gives the same file apart from `exported_at`.

Used by `efficacy export` and by the review screen; no Textual import.
"""

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from efficacy_tui.content import say
from efficacy_tui.store import schema
from efficacy_tui.store.core import Store, reader
from efficacy_tui.store.markdown import write_markdown

FORMAT = "efficacy-export"
# Export order is dependency order: every table refers only to tables before it (or itself).
TABLES = (
    "domains", "rungs", "checkins", "audits", "attempts", "reframes", "models", "feedback",
    "readiness", "feedback_requests", "scale_items", "scale_ratings", "settings",
)
OPTIONAL = ("settings",)
EXTENSIONS = {"json": "json", "csv": "zip", "md": "md"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ExchangeError(ValueError):
    """An export or import that cannot be done; str() is one sentence and nothing was written."""


def key_column(table: str) -> str:
    """The column a table's rows are ordered and referred to by."""
    return "key" if table == "settings" else "id"


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
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
    cursor = store.conn.execute(f"SELECT * FROM {table} ORDER BY {key_column(table)}")
    return [d[0] for d in cursor.description], cursor


def _rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    names, cursor = _cursor(store, table)
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _header(store: Store) -> dict[str, Any]:
    return {"format": FORMAT, "schema_version": schema.schema_version(),
            "exported_at": store.stamp()}


def export_data(store: Store) -> dict[str, Any]:
    """The JSON export as one dict: the header, then every table's rows ordered by id."""
    with snapshot(store):
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
    with snapshot(store):
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
    with snapshot(store), zipfile.ZipFile(handle, "w") as archive:
        manifest = _header(store)
        manifest["tables"] = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}
        manifest["null"] = say("export.csv.null")
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


# -- writing files -------------------------------------------------------------------------------


def _writer(store: Store, fmt: str) -> Callable[[IO[bytes]], None]:
    if fmt not in EXTENSIONS:
        raise ExchangeError(say("export.unknown_format", value=fmt))
    if fmt == "csv":
        return lambda handle: _write_zip(store, handle)
    write_text = _write_json if fmt == "json" else write_markdown

    def write(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        with snapshot(store):
            write_text(store, text)
        text.flush()
        text.detach()

    return write


def write_stream(store: Store, fmt: str, handle: IO[bytes]) -> None:
    """Write a JSON or Markdown export to an open binary stream (standard output for `-o -`)."""
    if fmt == "csv":
        raise ExchangeError(say("export.csv_to_stdout"))
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
        raise ExchangeError(say("export.write_failed", path=target, error=reason.lower())) from None
    except BaseException:
        if temp:
            Path(temp).unlink(missing_ok=True)
        raise
    return target


def export_in_worker(store: Store, fmt: str) -> Path:
    """`write_export` to the default name, for a worker thread: it reads through a read-only
    connection of its own, so the screen stays responsive and no connection crosses threads."""
    with reader(store) as own:
        return write_export(own, fmt)
