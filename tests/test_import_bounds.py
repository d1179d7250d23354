"""Import reads only what it can hold: a file that is not a regular file, over 256 MiB, or a zip
that would unpack to more is refused with one sentence before it is read; text limits are the
same as the app's forms; and a CSV export round-trips any text the app accepts, cells of any
length and cells a spreadsheet would run as formulas included."""

import csv
import hashlib
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.export import FORMULA_START, csv_cell, csv_text, write_export
from efficacy_tui.store.export_files import MAX_BYTES
from efficacy_tui.store.importer import TEXT_LIMITS, import_file

from conftest import Clock, rows

LONG = 1_000_000  # far past Python's default CSV field limit of 131,072 characters
HOSTILE = "a,b \"q\" ''\r\n\x1b[31m\x9b\x7f\x00 ✓ עברית e\u0301 [bold]"


def run(db, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(result, start: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.startswith(start), result.stderr
    assert result.stderr.count("\n") == 1


@pytest.fixture
def target(tmp_path):
    """A database with one domain, to import into, closed."""
    path = tmp_path / "target.db"
    store = open_store(path, clock=Clock())
    with store.transaction():
        store.db["domains"].insert({"uid": new_uid(), "name": "Mine", "position": 1,
                                    "created_at": store.stamp()})
    store.close()
    return path


def test_what_is_not_a_regular_file_or_is_too_large_is_refused_before_reading(target, tmp_path):
    before = digest(target)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # nothing ever writes to it: opening it for reading would wait forever
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:  # sparse: takes no room on the disk
        handle.truncate(MAX_BYTES + 1)
    for path, start in (
        ("/dev/zero", "/dev/zero is not a regular file"),
        (pipe, f"{pipe} is not a regular file"),
        (tmp_path, f"{tmp_path} is not a regular file"),
        (big, f"{big} is larger than 256 MiB, the most efficacy imports at once"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "efficacy_tui", "--db", str(target), "import", str(path)],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        assert result.returncode == 1 and result.stdout == "", result
        assert result.stderr.startswith(start) and result.stderr.count("\n") == 1, result.stderr
    assert digest(target) == before


def _small_zip(tmp_path, name: str = "small.zip") -> bytes:
    store = open_store(tmp_path / "source.db", clock=Clock())
    path = write_export(store, "csv", tmp_path / name)
    store.close()
    return path.read_bytes()


def _declare(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size, in its local and central headers, set to
    `size`: what a crafted zip can claim."""
    out = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    central = out.index(b"PK\x01\x02")
    while out[central + 46:central + 46 + len(member)] != member.encode():
        central = out.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", out, central + 24, size)
    return bytes(out)


def test_a_zip_is_checked_against_its_declared_and_actual_sizes(target, tmp_path):
    before = digest(target)
    data = _small_zip(tmp_path)
    bomb = tmp_path / "bomb.zip"  # says it unpacks to more than the limit
    bomb.write_bytes(_declare(data, "attempts.csv", MAX_BYTES))
    one_sentence(run(target, "import", str(bomb)),
                 f"{bomb} would unpack to more than 256 MiB, the most efficacy imports at once")
    liar = tmp_path / "liar.zip"  # says it is smaller than it is: reading stops there
    liar.write_bytes(_declare(data, "domains.csv", 10))
    one_sentence(run(target, "import", str(liar)), f"{liar} is not a valid efficacy export: "
                                                   "domains.csv cannot be read")
    assert digest(target) == before


def test_text_limits_are_the_same_for_import_as_for_the_forms(target, tmp_path):
    """Each limited column's limit is the schema's, and an import past it (even hidden behind
    a NUL, which SQLite's length() stops at) is refused with one sentence."""
    store = open_store(target)
    schema_sql = " ".join(r[0] for r in store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"))
    store.close()
    in_schema = {}
    for table, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\) STRICT", schema_sql, re.S):
        for column, limit in re.findall(r"length\(trim\((\w+)\)\) BETWEEN 1 AND (\d+)", body):
            in_schema[(table, column)] = int(limit)
    assert in_schema == TEXT_LIMITS
    before = digest(target)
    source = open_store(tmp_path / "limits.db", clock=Clock())
    with source.transaction():
        source.db["domains"].insert({"uid": new_uid(), "name": " " + "x" * 200 + " ",
                                     "position": 1, "created_at": source.stamp()})
    exported = json.loads(write_export(source, "json", tmp_path / "e.json").read_text())
    source.close()
    at_limit = tmp_path / "at-limit.json"
    at_limit.write_text(json.dumps(exported))
    assert run(target, "import", str(at_limit)).exit_code == 0
    after = digest(target)
    for n, name in enumerate(("x" * 201, "x\x00" + "y" * 199, "x\x00" + "y" * 500)):
        exported["domains"][0].update(uid=new_uid(), name=name)
        path = tmp_path / f"over-{n}.json"
        path.write_text(json.dumps(exported))
        one_sentence(run(target, "import", str(path)),
                     f"{path} cannot be imported: row 1 of \"domains\" has a \"name\" longer "
                     "than 200 characters")
        assert digest(target) == after != before


TRICKY = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "''=1", "'tis", "'", "''",
          "-", "=", "plain", "a=1", "x\n=1"]


@pytest.mark.parametrize("text", TRICKY)
def test_csv_cell_and_csv_text_undo_each_other(text):
    cell = csv_cell(text)
    assert csv_text(cell) == text
    assert not cell.startswith(FORMULA_START)


def test_csv_round_trips_any_text_at_the_limits(tmp_path):
    """Text at every column's limit, a free-text field of a million characters, hostile
    characters and formula starts: CSV export → import into an empty database → JSON export
    is the same as the first database's JSON export."""
    source = open_store(tmp_path / "source.db", clock=Clock())
    stamp = source.stamp()
    with source.transaction():
        db = source.db
        domain = db["domains"].insert({"uid": new_uid(), "name": "=" + "d" * 199, "position": 1,
                                       "goal": HOSTILE * 3, "created_at": stamp}).last_pk
        rung = db["rungs"].insert({"uid": new_uid(), "domain_id": domain, "position": 1,
                                   "title": "-" + HOSTILE + "t" * (499 - len(HOSTILE)),
                                   "difficulty": 30, "criterion": "@x", "status": "active",
                                   "created_at": stamp}).last_pk
        for n, text in enumerate(TRICKY):
            db["attempts"].insert({"uid": new_uid(), "domain_id": domain, "rung_id": rung,
                                   "title": "t" + text, "note": text, "happened_at": stamp,
                                   "created_at": stamp, "updated_at": stamp,
                                   "what_i_did": (HOSTILE + text) * (n + 1)})
        db["attempts"].insert({"uid": new_uid(), "domain_id": domain, "title": "long",
                               "happened_at": stamp, "created_at": stamp, "updated_at": stamp,
                               "what_i_did": "=" + (HOSTILE * LONG)[:LONG - 1]})
        db["models"].insert({"uid": new_uid(), "domain_id": domain, "who": "+" + "w" * 199,
                             "what_they_did": "=cmd|' /C calc'!A0", "created_at": stamp,
                             "updated_at": stamp})
    expected = write_export(source, "json", tmp_path / "source.json").read_text("utf-8")
    archive = write_export(source, "csv", tmp_path / "source.zip")
    source.close()
    limit = csv.field_size_limit(MAX_BYTES)
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            if name.endswith(".csv"):
                text = zipped.read(name).decode("utf-8")
                for line in csv.reader(io.StringIO(text, newline="")):
                    assert not any(cell.startswith(FORMULA_START) for cell in line), name
        manifest = json.loads(zipped.read("manifest.json"))
        assert "apostrophe" in manifest["formula"]
    csv.field_size_limit(limit)
    copy = open_store(tmp_path / "copy.db", clock=Clock())
    import_file(copy, archive)
    again = write_export(copy, "json", tmp_path / "copy.json").read_text("utf-8")
    copy.close()
    assert again == expected
    stored = rows(tmp_path / "copy.db", "SELECT what_i_did FROM attempts WHERE title = 'long'")
    assert len(stored[0]["what_i_did"]) == LONG


@pytest.mark.long
def test_import_memory_stays_within_three_times_the_database(tmp_path):
    """The figure bench/import_memory.py gives for 100,000 attempts, on a smaller export so the
    test stays quick: peak Python memory during the import over the database's growth."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import import_memory

    results = import_memory.run(4000, tmp_path)
    for fmt, result in results.items():
        assert result["ratio"] <= import_memory.BUDGET, (fmt, result)


def test_values_cut_by_the_read_window_are_read_whole(tmp_path):
    """The JSON is read in windows of CHUNK bytes: a number, a string or a key cut at a window's
    edge is still read whole, wherever the cut falls."""
    from efficacy_tui.store.export_files import CHUNK

    source = open_store(tmp_path / "source.db", clock=Clock())
    with source.transaction():
        source.db["domains"].insert({"id": 1234567, "uid": new_uid(), "name": "Talks ✓",
                                     "position": 98765, "created_at": source.stamp()})
    text = write_export(source, "json", tmp_path / "e.json").read_text("utf-8")
    source.close()
    number = text.index("1234567")
    for shift in range(-3, 12):  # the window's edge inside the id, the key after it, the name
        padded = "{" + " " * (CHUNK - number - shift) + text[1:]
        path = tmp_path / f"shift{shift}.json"
        path.write_text(padded, "utf-8")
        target = open_store(tmp_path / f"t{shift}.db", clock=Clock())
        import_file(target, path)
        target.close()
        [domain] = rows(tmp_path / f"t{shift}.db", "SELECT id, name, position FROM domains")
        assert domain == {"id": 1234567, "name": "Talks ✓", "position": 98765}, shift


@pytest.mark.parametrize("text, sentence", [
    ('{"format": "efficacy-export", "schema_version": 1, "domains": [', "is not an efficacy export"),
    ('{"format": "efficacy-export"} trailing', "is not an efficacy export"),
    ('{"format": "efficacy-export", "domains": [], "domains": []}', "is not an efficacy export"),
    ('[1, 2]', "does not hold one JSON object"),
    ('{"format": "efficacy-export", "schema_version": 1, "domains": [1}', "is not an efficacy"),
    ("[" * 100_000, "is not an efficacy export"),
])
def test_a_broken_json_file_is_one_sentence(target, tmp_path, text, sentence):
    path = tmp_path / "broken.json"
    path.write_text(text)
    before = digest(target)
    result = run(target, "import", str(path))
    one_sentence(result, str(path))
    assert sentence in result.stderr
    assert digest(target) == before


def test_numbers_and_escapes_cut_by_the_read_window_are_read_whole(tmp_path):
    from efficacy_tui.store.export_files import CHUNK, JsonSource

    tail = '"n": -1234.5e-3, "s": "a\\u00e9\\n\\"b", "t": true, "domains": [{"id": 1}]}'
    for shift in range(1, len(tail)):
        head = '{"format": "efficacy-export",'
        text = head + " " * (CHUNK - len(head) - shift) + tail
        path = tmp_path / "cut.json"
        path.write_text(text)
        with open(path, "rb") as handle:
            file = JsonSource(path, handle)
            tables = [(table, list(rows)) for table, rows in file.tables()]
        assert tables == [("domains", [{"id": 1}])], shift
        assert file.header == {"format": "efficacy-export", "n": -1.2345, "s": "aé\n\"b",
                               "t": True}, shift
