"""Export of the whole database in open formats: JSON, a zip of CSV files, and (rendered by
store/markdown.py) a Markdown "mastery record" to read.

An export holds every row of every user table exactly as stored (soft-deleted rows included), so
it is a complete copy another program can use; store/importer.py reads it back, so export →
import into an empty database → export gives the same file apart from `exported_at`.

Used by `efficacy export` and by the review screen; no Textual import.
"""

import csv
import errno
import fcntl
import io
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from efficacy_tui.content import say
from efficacy_tui.sealed import MAGIC, seal
from efficacy_tui.store import schema
from efficacy_tui.store.backup import backups_dir
from efficacy_tui.store.core import Progress, Store, reader
from efficacy_tui.store.markdown import write_markdown

FORMAT = "efficacy-export"
# Export order is dependency order: every table refers only to tables before it (or itself).
TABLES = (
    "domains", "rungs", "checkins", "audits", "attempts", "reframes", "models", "feedback",
    "readiness", "feedback_requests", "scale_items", "scale_ratings", "settings",
)
OPTIONAL = ("settings",)
# Tables that stay on the device that wrote them: a sync folder never carries them.
DEVICE_ONLY = ("settings",)
EXTENSIONS = {"json": "json", "csv": "zip", "md": "md"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PARTIAL = ".efficacy-part"  # the end of a half-written export's hidden name
SNIFF = 4096  # bytes read from an existing file to tell whether it is an earlier export
COMPANIONS = ("", "-wal", "-shm", "-journal")
PROGRESS_EVERY = 500  # rows written between two progress reports
# JSON escapes C0 controls itself; DEL and the C1 ones (0x9b is CSI) are escaped as well, so an
# export printed to a terminal cannot drive it. Escaped, the text is still exact.
_JSON_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
# A cell a spreadsheet would run as a formula (OWASP's list) is written after an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def portable_export(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    """An export of `store` (`export_data`, or its JSON file read back) without what is local to
    the device, so two devices that have synced give the same one (docs/SYNC.md): no
    `exported_at`; no DEVICE_ONLY tables (the theme); rows without their `id`, every reference
    to another row written as that row's uid, and rows ordered by uid."""
    kept = [table for table in TABLES if table not in DEVICE_ONLY]
    uids = {table: {row["id"]: row["uid"] for row in data[table]} for table in kept}
    out = {key: value for key, value in data.items()
           if key not in TABLES and key != "exported_at"}
    for table in kept:
        refers = {r[3]: r[2] for r in store.conn.execute(f"PRAGMA foreign_key_list({table})")}
        rows = []
        for row in data[table]:
            row = {column: value for column, value in row.items() if column != "id"}
            for column, target in refers.items():
                if row.get(column) is not None:
                    row[column] = uids[target][row[column]]
            rows.append(row)
        out[table] = sorted(rows, key=lambda r: r["uid"])
    return out


def dumps(value: Any, **options: Any) -> str:
    """`json.dumps` with readable non-ASCII text and every control character escaped."""
    return json.dumps(value, ensure_ascii=False, **options).translate(_JSON_CONTROLS)


def to_json(data: dict[str, Any]) -> str:
    """The JSON text of an export, exactly as `write_export` writes it."""
    return dumps(data, indent=2) + "\n"


def csv_cell(value: Any) -> Any:
    """A value as its CSV cell: NULL is empty; text a spreadsheet would run as a formula gets a
    leading apostrophe, and so does text that is apostrophes before such a start, so that
    `csv_text` can take exactly one off again."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """The text a CSV cell of a text column holds: `csv_cell` undone."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


class _Counter:
    """Tells `progress` ("exporting", rows written, rows in all) after every PROGRESS_EVERY rows."""

    def __init__(self, store: Store, progress: Progress | None) -> None:
        self.progress, self.done, self.total = progress, 0, 0
        if progress:
            self.total = sum(store.scalar(f"SELECT count(*) FROM {t}") for t in TABLES)
            progress("exporting", 0, self.total)

    def row(self) -> None:
        self.done += 1
        if self.progress and (self.done % PROGRESS_EVERY == 0 or self.done == self.total):
            self.progress("exporting", self.done, self.total)


def _write_json(store: Store, out: IO[str], progress: Progress | None = None) -> None:
    """Row by row, so a 100,000-attempt export never holds every row at once; the text is
    identical to `to_json(export_data(store))`."""
    with snapshot(store):
        counter = _Counter(store, progress)
        out.write("{\n")
        for key, value in _header(store).items():
            out.write(f"  {dumps(key)}: {dumps(value)},\n")
        for number, table in enumerate(TABLES):
            out.write(f"  {dumps(table)}: ")
            first = True
            for row in _rows(store, table):
                out.write("[\n    " if first else ",\n    ")
                out.write(dumps(row, indent=2).replace("\n", "\n    "))
                first = False
                counter.row()
            out.write("[]" if first else "\n  ]")
            out.write(",\n" if number < len(TABLES) - 1 else "\n")
        out.write("}\n")


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A fixed timestamp and mode, so the zip's bytes depend only on its content."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _write_zip(store: Store, handle: IO[bytes], progress: Progress | None = None) -> None:
    """One `<table>.csv` per table (a header row, then rows by id; NULL is an empty cell, and
    text that would start a formula has an apostrophe before it) and a manifest.json with the
    export header and each table's row count."""
    with snapshot(store), zipfile.ZipFile(handle, "w") as archive:
        counter = _Counter(store, progress)
        manifest = _header(store)
        manifest["tables"] = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}
        manifest["null"] = say("export.csv.null")
        manifest["formula"] = say("export.csv.formula")
        archive.writestr(_zip_entry("manifest.json"), to_json(manifest).encode("utf-8"))
        for table in TABLES:
            names, cursor = _cursor(store, table)
            with archive.open(_zip_entry(f"{table}.csv"), "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow(names)
                for row in cursor:
                    writer.writerow([csv_cell(value) for value in row])
                    counter.row()
                text.flush()
                text.detach()


# -- writing files -------------------------------------------------------------------------------


def _writer(store: Store, fmt: str,
            progress: Progress | None = None) -> Callable[[IO[bytes]], None]:
    if fmt not in EXTENSIONS:
        raise ExchangeError(say("export.unknown_format", value=fmt))
    if fmt == "csv":
        return lambda handle: _write_zip(store, handle, progress)

    def write(handle: IO[bytes]) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
        with snapshot(store):
            if fmt == "json":
                _write_json(store, text, progress)
            else:
                write_markdown(store, text)
        text.flush()
        text.detach()

    return write


def write_stream(store: Store, fmt: str, handle: IO[bytes]) -> None:
    """Write a JSON or Markdown export to an open binary stream (standard output for `-o -`)."""
    if fmt == "csv":
        raise ExchangeError(say("export.csv_to_stdout"))
    _writer(store, fmt)(handle)
    handle.flush()


def _sealed(write: Callable[[IO[bytes]], None], passphrase: str) -> Callable[[IO[bytes]], None]:
    """`write`, age-encrypted with the passphrase: the export is made in memory, so it never
    reaches the disk unencrypted."""

    def sealed(handle: IO[bytes]) -> None:
        plain = io.BytesIO()
        write(plain)
        handle.write(seal(plain.getvalue(), passphrase))

    return sealed


def default_path(store: Store, fmt: str, folder: Path | None = None,
                 sealed: bool = False) -> Path:
    """`efficacy-export-<today>.<ext>` in the folder (the current one by default), with -2, -3...
    added rather than replacing an earlier export of the same day."""
    folder = Path.cwd() if folder is None else folder
    stem = f"efficacy-export-{store.today().isoformat()}"
    ext = EXTENSIONS[fmt] + (".age" if sealed else "")
    path, n = folder / f"{stem}.{ext}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.{ext}"
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _is_previous_export(path: Path, fmt: str, sealed: bool = False) -> bool:
    """True when `path` is a regular file that an earlier export in `fmt` wrote (its first
    bytes, or a zip's manifest, say so; for an encrypted export, that it is an age file whose
    name ends in .age); read only that far, and never a FIFO or device."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with open(path, "rb") as handle:
            head = handle.read(SNIFF)
            if sealed:
                return path.name.endswith(".age") and head.startswith(MAGIC)
            if fmt == "json":
                return head.startswith(b'{\n  "format": "' + FORMAT.encode() + b'"')
            if fmt == "md":
                words = say("export.markdown")
                intro = words["intro"].split("{", 1)[0]
                return head.startswith(f"# {words['title']}\n\n{intro}".encode())
            if not head.startswith(b"PK\x03\x04"):
                return False
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                info = archive.getinfo("manifest.json")
                if info.file_size > SNIFF:
                    return False
                with archive.open(info) as manifest:
                    data = json.loads(manifest.read(SNIFF + 1))
                return isinstance(data, dict) and data.get("format") == FORMAT
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False


def check_target(store: Store, fmt: str, target: Path, force: bool = False,
                 sealed: bool = False) -> None:
    """Refuse (ExchangeError) to write an export over the database, its -wal, -shm or -journal,
    anything in its backups folder, a pipe, device or socket, or, unless `force`, an existing
    file that is not an earlier export in the same format."""
    database = Path(store.path).absolute()
    for suffix in COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if target == companion or _same_file(target, companion):
            raise ExchangeError(say("export.is_database", path=target))
    backups, real = backups_dir(database).resolve(), target.resolve()
    if backups == real or backups in real.parents:
        raise ExchangeError(say("export.in_backups", path=target, backups=backups))
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ExchangeError(say("export.not_regular_target", path=target))
    if not force and (target.exists() or target.is_symlink()) and not _is_previous_export(
            target, fmt, sealed):
        raise ExchangeError(say("export.not_previous", path=target, format=fmt))


def clear_partials(folder: Path) -> None:
    """Delete half-written exports that a killed export left in `folder`: each is locked while
    its export runs, so one that can be locked has no writer left."""
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(".")
                 and p.name.endswith(PARTIAL)]
    except OSError:
        return
    for partial in names:
        try:
            fd = os.open(partial, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                partial.unlink(missing_ok=True)
        except OSError as err:
            if err.errno not in (errno.EWOULDBLOCK, errno.EACCES, errno.EPERM, errno.ENOENT):
                raise
        finally:
            os.close(fd)


def write_export(store: Store, fmt: str = "json", path: str | os.PathLike | None = None,
                 force: bool = False, progress: Progress | None = None,
                 passphrase: str | None = None) -> Path:
    """Write an export (fmt json, csv or md) and return where it went. With no path, or a folder,
    the file gets the default name; what `check_target` refuses is refused. The file is private
    (0600) and written to a hidden temporary file beside it, locked while it is written, that
    replaces it only when complete, so a crash never leaves half a file under the name; the
    next export in that folder deletes such a leftover. `progress` hears how many rows of
    a JSON or CSV export are written. With a `passphrase` the file is age-encrypted and its
    default name ends in .age."""
    write = _writer(store, fmt, progress)
    if passphrase:
        write = _sealed(write, passphrase)
    target = None if path is None else Path(path).expanduser()
    if target is None or target.is_dir():
        target = default_path(store, fmt, target, sealed=bool(passphrase))
    target = target.absolute()
    check_target(store, fmt, target, force, sealed=bool(passphrase))
    clear_partials(target.parent)
    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL)
        with os.fdopen(fd, "wb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
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
