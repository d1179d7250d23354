"""An export another program wrote, or one edited by hand, can hold anything: random structural
mutations of a real JSON export (keys dropped at any level, values of other JSON types, unknown
tables and columns, uids and ids of the wrong kind or another row's, references to rows that
are not there or are in another table, duplicated and moved rows, days and moments that name no
real one, other format and schema versions, tables reordered) imported into a database with
rows of its own, some of them the file's. The import either merges the file or refuses it with
one sentence of export.toml and writes nothing; the database stays whole either way, and a
merged file imported again adds nothing. A smaller property does the same for CSV zips (cells,
header rows, members' names and bytes, members marked encrypted), and a test decrypts a bad
export and forged age headers."""

import copy
import csv
import hashlib
import io
import json
import re
import shutil
import tempfile
import tomllib
import warnings
import zipfile
from pathlib import Path

import pytest
from helpers import json_at, json_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_exchange import add_extras

from efficacy_tui.store import schema
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.export import TABLES, ExchangeError, write_export
from efficacy_tui.store.importer import import_file

from conftest import Clock

CONTENT = Path(__file__).parent.parent / "efficacy_tui" / "content"
SAID = [*tomllib.loads((CONTENT / "export.toml").read_text()).values(),
        *(tomllib.loads((CONTENT / "sync.toml").read_text())[key]
          for key in ("export_sealed", "wrong_passphrase"))]
SENTENCES = [re.compile("".join(".+" if n % 2 else re.escape(part) for n, part in
                                enumerate(re.split(r"\{\w+\}", text))) + r"\Z")
             for text in SAID if isinstance(text, str)]

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.sampled_from([2**63, 2**63 - 1, -(2**63) - 1, 2**64, 10**40, 1e308, -0.0, 0.5,
                     float("nan"), float("inf"), -float("inf")]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["NaN", "Infinity", "", " ", "2026-13-45", "2026-02-30", "running",
                     "Running", "2026-11-24", "2026-11-26T09:30:00+00:00", "success", "active",
                     "internal", "[]", "null", "-1", "1", "1.5", "١", "theme",
                     "\"textual-dark\""]),
    st.sampled_from(["\ud800", "a\udfffb", "\udbff\udfff", "\x00", "a\x00b", "a\nb", "\r",
                     "\x1b[31m", "\u202e", "\ufeff", "x" * 5000, "é" * 300_000]),
    st.text(st.characters(), max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
BAD_DATES = st.sampled_from([
    "2026-02-30", "2026-13-01", "2026-11-26T24:00:00+00:00", "2026-11-26T09:60",
    "2026-11-26T09:30:00+25:00", "2026-11-26 09:30", "0000-01-01", "0000-01-01T00:00",
    "9999-12-31T23:59:59.999999-23:59", "0001-01-01T00:00:00+01:00", "２０２６-11-26",
    "2026-11-26T09:30:00.1234567", "2026-11-26T", "2026-11-26Z", "", None, 20261126,
    "2026-11-26T09:30:00+00:00", "2026-11-24"])
TABLE_NAMES = st.sampled_from([*TABLES, "drafts", "sync_pending", "sqlite_master",
                               "_sqlite_migrations", "", "Domains", "domains; DROP TABLE x"])
COLUMNS = st.sampled_from(["colour", "id", "uid", "name", "domain_id", "rung_id", "attempt_id",
                           "item_id", "checkin_id", "split_from", "model_id", "key", "value",
                           "day", "title", "created_at", "deleted_at", "rowid", "oid", "_rowid_",
                           "name COLLATE", "\"name\"", "", "ID", "Name", "a\nb", "a\rb", "\ud800",
                           "c" * 300])
IDS = st.one_of(st.sampled_from([0, -1, 1, 2, 3, 2**31, 2**63 - 1, -(2**63), 2**63, 1.0, "1", "1\n2",
                                 True, None]), st.integers(-3, 40))
# Stand for the uid of the target's copy of the file's first domain, of the target's own
# domain, and of another row of the file.
SHARED, MINE, OTHER = "<shared>", "<mine>", "<other>"
UIDS = st.one_of(st.sampled_from(["", "x", "0" * 35, "0" * 36, "0" * 37, "\ud800" * 36,
                                  SHARED, MINE, OTHER]), st.uuids().map(str), ODD)
HEADERS = st.tuples(st.sampled_from(["format", "schema_version", "exported_at", "tables"]),
                    st.one_of(ODD, st.integers(0, schema.schema_version() + 2),
                              st.sampled_from(["efficacy-export", "efficacy-export "])))
MEANINGS = st.sampled_from(["running", "RUNNING", " Running", "Running (imported)", "Mine",
                            "mine", "2026-11-24", "2026-11-25", "theme", 1, 2])

mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 10**6)),
    st.tuples(st.just("set"), st.integers(0, 10**6), ODD),
    st.tuples(st.just("drop_column"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("column"), st.integers(0, 10**6), st.integers(0, 10**6),
              st.one_of(st.integers(0, 10**6), COLUMNS), ODD),
    st.tuples(st.just("uid"), st.integers(0, 10**6), st.integers(0, 10**6), UIDS),
    st.tuples(st.just("key"), st.integers(0, 10**6), st.integers(0, 10**6), IDS),
    st.tuples(st.just("refer"), st.integers(0, 10**6), st.integers(0, 10**6),
              st.integers(0, 10**6), st.one_of(IDS, st.just(OTHER))),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(0, 10**6),
              st.booleans(), st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 10**6), st.integers(0, 10**6), TABLE_NAMES),
    st.tuples(st.just("date"), st.integers(0, 10**6), st.integers(0, 10**6), BAD_DATES),
    st.tuples(st.just("header"), HEADERS),
    st.tuples(st.just("table"), st.integers(0, 10**6), TABLE_NAMES, st.booleans()),
    st.tuples(st.just("first"), st.integers(0, 10**6)),
    st.tuples(st.just("meaning"), st.integers(0, 10**6), st.integers(0, 10**6), MEANINGS),
)


def _row(doc: dict, t: int, r: int) -> tuple[str, dict] | None:
    """The r-th row (modulo) of the t-th list of rows (modulo) in the file, if any."""
    tables = [k for k, v in doc.items() if isinstance(v, list) and v]
    if not tables:
        return None
    table = tables[t % len(tables)]
    row = doc[table][r % len(doc[table])]
    return (table, row) if isinstance(row, dict) else None


def _any_row(doc: dict, n: int) -> dict | None:
    rows = [row for v in doc.values() if isinstance(v, list) for row in v if isinstance(row, dict)]
    return rows[n % len(rows)] if rows else None


def mutate(doc: dict, steps: list[tuple], known: dict[str, str]) -> dict:
    """The export's JSON with each step applied in turn, indices taken modulo what is there (a
    step that finds nothing to work on does nothing), `known`'s names replaced by real uids."""
    doc = copy.deepcopy(doc)
    for step in steps:
        op = step[0]
        if op in ("drop", "set"):
            paths = json_paths(doc)
            if paths:
                path = paths[step[1] % len(paths)]
                parent = json_at(doc, path[:-1])
                if op == "drop":
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = copy.deepcopy(step[2])
        elif op == "header":
            doc[step[1][0]] = step[1][1]
        elif op == "table":
            tables = [k for k in doc if isinstance(doc[k], list)]
            if tables:
                old = tables[step[1] % len(tables)]
                rows = doc.pop(old) if step[3] else copy.deepcopy(doc[old])
                doc[step[2]] = rows
        elif op == "first":
            keys = list(doc)
            if keys:
                key = keys[step[1] % len(keys)]
                doc = {key: doc[key], **{k: v for k, v in doc.items() if k != key}}
        elif op == "drop_column":
            found = _row(doc, step[1], 0)
            if found and found[1]:
                table, row = found
                column = sorted(row)[step[2] % len(row)]
                for other in doc[table]:
                    if isinstance(other, dict):
                        other.pop(column, None)
        else:
            found = _row(doc, step[1], step[2])
            if found is None:
                continue
            table, row = found
            if op == "column":
                column = step[3] if isinstance(step[3], str) or not row else \
                    sorted(row)[step[3] % len(row)]
                row[column] = copy.deepcopy(step[4])
            elif op == "uid":
                other = _any_row(doc, step[2] // 7)
                row["uid"] = other.get("uid") if step[3] == OTHER and other else \
                    known.get(step[3], step[3]) if isinstance(step[3], str) else step[3]
            elif op == "key":
                row["key" if table == "settings" else "id"] = step[3]
            elif op == "refer":
                refs = sorted(k for k in row if k.endswith("_id") or k == "split_from")
                if refs:
                    other = _any_row(doc, step[3])
                    row[refs[step[3] % len(refs)]] = other.get("id") if step[4] == OTHER \
                        and other else step[4]
            elif op == "duplicate":
                twin = copy.deepcopy(row)
                if step[3]:
                    twin["uid"] = new_uid()
                if step[4] and isinstance(twin.get("id"), int):
                    twin["id"] = twin["id"] + 1000
                doc[table].insert(step[2] % (len(doc[table]) + 1), twin)
            elif op == "move":
                doc[table].remove(row)
                target = doc.setdefault(step[3], [])
                if isinstance(target, list):
                    target.append(row)
            elif op == "date":
                dates = sorted(k for k in row if k.endswith("_at") or k in ("day",
                                                                            "scheduled_for"))
                if dates:
                    row[dates[step[2] % len(dates)]] = step[3]
            elif op == "meaning":
                column = {"domains": "name", "checkins": "day", "settings": "key"}.get(table)
                if column:
                    row[column] = step[3]
    return doc


def _write(path: Path, doc: dict, ascii_only: bool) -> None:
    """As JSON (NaN and Infinity as Python writes them); a lone surrogate either as its escape
    or, not ASCII only, as the bytes no UTF-8 reader takes."""
    text = json.dumps(doc, ensure_ascii=ascii_only)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(store) -> dict[str, list]:
    names = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {name: store.conn.execute(f"SELECT * FROM \"{name}\"").fetchall() for name in names}


def _whole(store) -> None:
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def one_sentence(err: ExchangeError) -> None:
    text = str(err)
    assert "\n" not in text and "\r" not in text and "Traceback" not in text, text
    assert any(sentence.match(text) for sentence in SENTENCES), text
    text.encode("utf-8")  # printable: no lone surrogate of the file's in it


class Origin:
    """Built once: a real JSON export of a small demo database with a row in every table, and a
    database to import into that already holds the file's first domain (same uid), a domain
    and a check-in of its own named and dated like the file's, and a setting of the same key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        source = open_store(root / "source.db", clock=Clock())
        build_demo(source, days=3, attempts=6)
        add_extras(source)
        self.text = write_export(source, "json", root / "export.json").read_text("utf-8")
        self.zip = write_export(source, "csv", root / "export.zip").read_bytes()
        source.close()
        self.doc = json.loads(self.text)
        shared = root / "shared.json"
        shared.write_text(json.dumps({**{k: v for k, v in self.doc.items() if k not in TABLES},
                                      **{t: [] for t in TABLES},
                                      "domains": self.doc["domains"][:1]}))
        target = open_store(root / "target.db", clock=Clock())
        import_file(target, shared)
        with target.transaction():
            mine = new_uid()
            target.db["domains"].insert({"uid": mine, "name": "running", "position": 2,
                                         "created_at": target.stamp()})
            target.db["checkins"].insert({"uid": new_uid(), "day": self.doc["checkins"][0]["day"],
                                          "created_at": target.stamp(),
                                          "updated_at": target.stamp()})
            target.db["settings"].insert({"key": "theme", "uid": new_uid(),
                                          "value": '"textual-light"',
                                          "updated_at": target.stamp()})
        self.known = {SHARED: self.doc["domains"][0]["uid"], MINE: mine}
        self.before = _dump(target)
        target.close()
        self.target = root / "target.db"
        self.digest = _digest(self.target)


@pytest.fixture(scope="module")
def origin():
    with tempfile.TemporaryDirectory() as temp:
        yield Origin(Path(temp))


def check_import(origin: Origin, root: Path, path: Path,
                 passphrase: str | None = None) -> bool:
    """Import `path` into a copy of the target: merged (True) or refused in one sentence with
    nothing written (False), the database whole either way."""
    copy_of = root / "target.db"
    shutil.copy(origin.target, copy_of)
    store = open_store(copy_of, clock=Clock())
    try:
        try:
            result = import_file(store, path, passphrase=passphrase)
        except ExchangeError as err:
            one_sentence(err)
            _whole(store)
            assert _dump(store) == origin.before
            store.close()
            assert _digest(copy_of) == origin.digest
            return False
        _whole(store)
        merged = _dump(store)
        again = import_file(store, path, passphrase=passphrase)
        assert not any(again.added.values()), again
        assert sum(again.skipped.values()) == sum(result.added.values()) + sum(
            result.skipped.values())
        assert _dump(store) == merged
        return True
    finally:
        store.close()


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(steps=st.lists(mutation, min_size=1, max_size=4), ascii_only=st.booleans())
@example(steps=[], ascii_only=True)
@example(steps=[("column", 0, 1, "goal", "a\udfffb")], ascii_only=True)  # a lone surrogate
@example(steps=[("uid", 0, 0, "\ud800" * 36)], ascii_only=True)  # escape: JSON, but no text
@example(steps=[("column", 0, 1, "a\nb", 1)], ascii_only=True)  # the file's text quoted in
@example(steps=[("column", 0, 1, "\ud800", 1)], ascii_only=True)  # the sentence, on one line
@example(steps=[("refer", 1, 0, 0, "1\n2")], ascii_only=True)
def test_a_mutated_export_is_merged_or_refused_in_one_sentence(origin, steps, ascii_only):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        path = root / "mutated.json"
        _write(path, mutate(origin.doc, steps, origin.known), ascii_only)
        merged = check_import(origin, root, path)
        if not steps:
            assert merged



CELLS = st.one_of(ODD.map(lambda value: value if isinstance(value, str) else json.dumps(value)),
                  st.sampled_from(["", "١", "1_0", " 1 ", "nan", "inf", "1e400", "9" * 30,
                                   "9" * 5000, "'=1", "'", "0x10", "１", "-0", "2026-02-30",
                                   "\x00", "a\r\nb", "\"", "=1+1"]))
MEMBERS = st.sampled_from(["../domains.csv", "Domains.csv", "domains.csv/", "dir/domains.csv",
                           "domains.csv ", "", "manifest.json", "domains.csv", "rungs.csv",
                           "settings.csv", "drafts.csv", "manifest.JSON", "é.csv"])
zip_mutation = st.one_of(
    st.tuples(st.just("cell"), st.integers(0, 10**6), st.integers(0, 10**6),
              st.integers(0, 10**6), CELLS),
    st.tuples(st.just("header"), st.integers(0, 10**6), st.integers(0, 10**6),
              st.one_of(COLUMNS, CELLS)),
    st.tuples(st.just("drop_column"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("drop_row"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("twin_row"), st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("rename"), st.integers(0, 10**6), MEMBERS, st.booleans()),
    st.tuples(st.just("drop_member"), st.integers(0, 10**6)),
    st.tuples(st.just("manifest"), st.just(0), HEADERS),
    st.tuples(st.just("bytes"), st.integers(0, 10**6), st.binary(max_size=8)),
    st.tuples(st.just("encrypted"), st.integers(0, 10**6)),
)


def _members(data: bytes) -> list[list]:
    """The zip's members in order as [name, rows of cells] (CSV) or [name, bytes]."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            out.append([name, list(csv.reader(io.StringIO(raw.decode(), newline="")))
                        if name.endswith(".csv") else raw])
    return out


def mutate_zip(data: bytes, steps: list[tuple]) -> bytes:
    members, encrypted = _members(data), set()
    for step in steps:
        op, n = step[0], step[1]
        if not members:
            break
        member = members[n % len(members)]
        rows = member[1] if isinstance(member[1], list) else None
        if op == "rename":
            name = member[0]
            if step[3]:
                member = copy.deepcopy(member)
                members.append(member)
            member[0] = step[2] if step[2] != name else name.upper()
        elif op == "drop_member":
            members.remove(member)
        elif op == "manifest":
            for other in members:
                if other[0] == "manifest.json" and isinstance(other[1], bytes):
                    try:
                        manifest = json.loads(other[1])
                        manifest[step[2][0]] = step[2][1]
                        other[1] = json.dumps(manifest).encode("utf-8", "surrogatepass")
                    except (ValueError, TypeError):
                        pass
        elif op == "bytes":
            raw = member[1] if isinstance(member[1], bytes) else _csv(member[1])
            at = step[1] // 7 % (len(raw) + 1)
            member[1] = raw[:at] + step[2] + raw[at + len(step[2]):]
        elif op == "encrypted":
            encrypted.add(member[0])
        elif rows:
            r = step[2] % len(rows)
            if op == "cell" and rows[r]:
                rows[r][step[3] % len(rows[r])] = step[4]
            elif op == "header" and rows[0]:
                rows[0][step[2] % len(rows[0])] = step[3]
            elif op == "drop_column" and rows[0]:
                c = step[2] % len(rows[0])
                for row in rows:
                    del row[c:c + 1]
            elif op == "drop_row" and r:
                del rows[r]
            elif op == "twin_row":
                rows.insert(r, list(rows[r]))
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # a name twice is what this zip is for
        for name, content in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content if isinstance(content, bytes) else _csv(content))
    return _encrypt(out.getvalue(), encrypted)


def _csv(rows: list[list]) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8", "surrogatepass")


def _encrypt(data: bytes, names: set[str]) -> bytes:
    """The zip with each named member marked encrypted (its data left as it is), in its local
    and central headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    central = data.find(b"PK\x01\x02")
    for info in infos:
        if info.filename in names:
            out[info.header_offset + 6] |= 1
            out[central + 8] |= 1
        central = data.find(b"PK\x01\x02", central + 46)
    return bytes(out)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(steps=st.lists(zip_mutation, min_size=1, max_size=3))
@example(steps=[])
@example(steps=[("encrypted", 1)])  # zipfile reads it only with a password: RuntimeError
@example(steps=[("encrypted", 0)])
def test_a_mutated_csv_zip_is_merged_or_refused_in_one_sentence(origin, steps):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        path = root / "mutated.zip"
        path.write_bytes(mutate_zip(origin.zip, steps))
        merged = check_import(origin, root, path)
        if not steps:
            assert merged


@pytest.mark.long
def test_an_encrypted_export_is_checked_as_the_plain_one_and_forged_headers_are_one_sentence(
        origin, tmp_path):
    """Decrypted in memory, a bad export is refused as the plain file is; an age header cut
    short, garbled, for another kind of recipient or asking for impossible work is the
    sentence for a passphrase that does not open the file. Scrypt makes this slow."""
    from efficacy_tui.sealed import MAGIC, seal

    phrase = "correct horse battery"
    plain = tmp_path / "plain.json"
    _write(plain, mutate(origin.doc, [("column", 0, 1, "goal", "a\udfffb")], origin.known), True)
    sealed = seal(plain.read_bytes(), phrase)
    work = re.search(rb"-> scrypt (\S+) \d+\n", sealed)
    assert work is not None
    forged = {
        "sealed": sealed,
        "magic": MAGIC,
        "garbled": MAGIC + b"-> x\n\x00\xff\n",
        "cut": sealed[:len(MAGIC) + 30],
        "work": sealed.replace(work.group(0), b"-> scrypt " + work.group(1) + b" 0\n"),
        "greedy": sealed.replace(work.group(0), b"-> scrypt " + work.group(1) + b" 64\n"),
    }
    for name, data in forged.items():
        path = tmp_path / f"{name}.json.age"
        path.write_bytes(data)
        assert not check_import(origin, tmp_path, path, passphrase=phrase), name
