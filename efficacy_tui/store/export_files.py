"""Reading an export file as a stream: the header, then each table's rows one at a time, so an
import holds one row (and one batch) in memory rather than the whole file. Nothing larger than
MAX_BYTES is read, nothing but a regular file is opened, and a zip is refused when its members
would unpack to more than MAX_BYTES (zipfile itself stops reading a member at its declared size
and checks its CRC). Used by store/importer.py; no Textual import.
"""

import codecs
import csv
import io
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from efficacy_tui.content import say
from efficacy_tui.store.export import TABLES, ExchangeError

MAX_BYTES = 256 * 2**20  # the largest file, and the most a zip may unpack to, that is imported
CHUNK = 2**18
NEAR_END = 8  # characters: longer than any escape or number prefix a cut can leave
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
ZIP_ERRORS = (zipfile.BadZipFile, UnicodeDecodeError, csv.Error, OSError, NotImplementedError,
              EOFError, zlib.error)

Rows = Iterator[dict[str, Any]]
ENCRYPTED = 0x1  # a zip member's flag bit for encryption, which zipfile reads only with a password
_MEMBERS = frozenset({"manifest.json", *(f"{table}.csv" for table in TABLES)})


class Unreadable(ExchangeError):
    """The file itself cannot be read as an export (as opposed to one of its rows)."""


def open_export(path: Path) -> IO[bytes]:
    """The file, open for reading, once `stat` shows a regular file no larger than MAX_BYTES;
    opened without blocking, so a FIFO swapped in meanwhile cannot hang the import."""
    try:
        info = path.stat()
        fd = None
        if stat.S_ISREG(info.st_mode):
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            info = os.fstat(fd)
    except FileNotFoundError:
        raise Unreadable(say("export.no_file", path=path)) from None
    except OSError as err:
        raise Unreadable(say("export.unreadable", path=path,
                                 error=(err.strerror or str(err)).lower())) from None
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = say("export.not_regular", path=path)
    elif info.st_size > MAX_BYTES:
        problem = say("export.too_large", path=path, limit=MAX_BYTES // 2**20)
    if problem:
        if fd is not None:
            os.close(fd)
        raise Unreadable(problem)
    assert fd is not None
    return os.fdopen(fd, "rb")


class Source:
    """An export file read as a stream. `tables()` yields (table, rows) in the file's order and
    may be run again from the start; once it has run, `header` holds the file's other keys,
    `present` the tables it holds and `not_lists` the tables whose value is not a list.
    `is_object` is False when a JSON file is not one object."""

    typed = True  # JSON rows hold numbers; a CSV file's cells are all text

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path, self.handle = path, handle
        self.header: dict[str, Any] = {}
        self.present: set[str] = set()
        self.not_lists: set[str] = set()
        self.is_object = True

    def tables(self) -> Iterator[tuple[str, Rows]]:
        raise NotImplementedError  # pragma: no cover

    def not_export(self) -> Unreadable:
        return Unreadable(say("export.not_export", path=self.path))


class JsonSource(Source):
    """A JSON export, parsed a value at a time from a sliding window of the file."""

    def tables(self) -> Iterator[tuple[str, Rows]]:
        self.handle.seek(0)
        self.header, self.present, self.not_lists = {}, set(), set()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text, self._at, self._read, self._ended = "", 0, 0, False
        try:
            yield from self._object()
        except Unreadable:
            raise
        except (UnicodeDecodeError, ValueError, RecursionError, OSError):
            raise self.not_export() from None

    def _fill(self) -> bool:
        """Add the next chunk of the file to the window; False at its end."""
        if self._ended:
            return False
        chunk = self.handle.read(CHUNK)
        self._read += len(chunk)
        if self._read > MAX_BYTES:
            raise Unreadable(say("export.too_large", path=self.path,
                                     limit=MAX_BYTES // 2**20))
        if not chunk:  # the window stays where it is: a caller may hold a place in it
            self._ended = True
            self._text += self._decoder.decode(b"", final=True)
            return False
        self._text = self._text[self._at:] + self._decoder.decode(chunk)
        self._at = 0
        return True

    def _more(self) -> bool:
        """Grow the window to at least twice what is left in it (so a long value is parsed a
        few times, not once per chunk); False when the file has no more."""
        want = 2 * (len(self._text) - self._at) + 1
        added = False
        while len(self._text) - self._at < want and self._fill():
            added = True
        return added

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            self._at = _SPACE.match(self._text, self._at).end()  # type: ignore[union-attr]
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._fill():
                return ""

    def _next(self) -> str:
        char = self._peek()
        self._at += 1
        return char

    def _value(self) -> Any:
        """The next JSON value. One cut by the window's end is read again with more of the
        file: an error at the end or an unterminated string, or a value ending just before it
        (a number such as 1.5e-3 may go on). An error anywhere else is the file's own."""
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError as err:
                cut = err.pos >= len(self._text) - NEAR_END or err.msg.startswith("Unterminated")
                if cut and self._more():
                    continue
                raise
            if end >= len(self._text) - NEAR_END and self._more():
                continue
            self._at = end
            return value

    def _rows(self) -> Rows:
        try:
            if self._peek() == "]":
                self._at += 1
                return
            while True:
                yield self._value()
                char = self._next()
                if char == "]":
                    return
                if char != ",":
                    raise ValueError("expected , or ]")
        except Unreadable:
            raise
        except (UnicodeDecodeError, ValueError, RecursionError, OSError):
            raise self.not_export() from None

    def _object(self) -> Iterator[tuple[str, Rows]]:
        if self._peek() != "{":
            self.is_object = False
            self._value()
            if self._peek():
                raise ValueError("more after the value")
            return
        self._at += 1
        if self._peek() == "}":
            self._at += 1
        else:
            while True:
                key = self._value()
                if not isinstance(key, str) or self._next() != ":":
                    raise ValueError("expected a key")
                if key in TABLES and key in self.present:
                    raise ValueError("a table twice")
                if key in TABLES and self._peek() == "[":
                    self._at += 1
                    self.present.add(key)
                    rows = self._rows()
                    yield key, rows
                    for _ in rows:  # what the reader left unread
                        pass
                elif key in TABLES:
                    if self._value() is not None:
                        self.present.add(key)
                        self.not_lists.add(key)
                else:
                    self.header[key] = self._value()
                char = self._next()
                if char == "}":
                    break
                if char != ",":
                    raise ValueError("expected , or }")
        if self._peek():
            raise ValueError("more after the object")


class ZipSource(Source):
    """A zip of CSV files: manifest.json is the header, `<table>.csv` each table's rows (cells
    as text, a header row naming the columns)."""

    typed = False

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        super().__init__(path, handle)
        try:
            self.archive = zipfile.ZipFile(handle)
            if sum(info.file_size for info in self.archive.infolist()) > MAX_BYTES:
                raise Unreadable(say("export.zip_too_large", path=path,
                                         limit=MAX_BYTES // 2**20))
            names = set(self.archive.namelist())
            for info in self.archive.infolist():
                if info.flag_bits & ENCRYPTED and info.filename in _MEMBERS:
                    raise Unreadable(say("export.zip_encrypted", path=path,
                                         member=info.filename))
            manifest = self.archive.read("manifest.json") if "manifest.json" in names else None
            data = None if manifest is None else json.loads(manifest.decode("utf-8"))
        except Unreadable:
            raise
        except (*ZIP_ERRORS, ValueError, RecursionError):
            raise self.not_export() from None
        if manifest is None:
            raise Unreadable(say("export.no_manifest", path=path))
        if not isinstance(data, dict):
            raise Unreadable(say("export.not_object", path=path))
        self.header = {key: value for key, value in data.items() if key not in TABLES}
        self.present = {table for table in TABLES if f"{table}.csv" in names}

    def tables(self) -> Iterator[tuple[str, Rows]]:
        for table in TABLES:
            if table in self.present:
                rows = self._rows(table)
                yield table, rows
                for _ in rows:
                    pass

    def _rows(self, table: str) -> Rows:
        """Each line of `<table>.csv` after the header as {column: cell}."""
        limit = csv.field_size_limit(MAX_BYTES)  # a cell may hold any text the file can
        try:
            with self.archive.open(f"{table}.csv") as raw:
                reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
                header = next(reader, None) or []
                for n, cells in enumerate(reader, start=1):
                    if len(cells) != len(header):
                        raise Unreadable(say("export.uneven_columns", path=self.path, n=n,
                                             table=table))
                    yield dict(zip(header, cells, strict=True))
        except ZIP_ERRORS as err:
            raise Unreadable(say("export.bad_csv", path=self.path, table=table,
                                     error=err)) from None
        finally:
            csv.field_size_limit(limit)


def source(path: Path, handle: IO[bytes]) -> Source:
    """The right reader for the file's first bytes."""
    try:
        head = handle.read(4)
        handle.seek(0)
    except OSError as err:
        raise Unreadable(say("export.unreadable", path=path,
                                 error=(err.strerror or str(err)).lower())) from None
    return ZipSource(path, handle) if head == b"PK\x03\x04" else JsonSource(path, handle)
