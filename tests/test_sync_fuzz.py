"""A change file another program or person wrote can hold anything: random structural mutations
of a real change file (keys dropped at any level, values of other JSON types, unknown tables and
columns, uids of the wrong length, stamps that do not parse, references to records that are not
there or are in another table, removals of records the file also writes, duplicates, children
before their parents), its digest recomputed so it is not simply refused as changed. Syncing
from it never raises; the file is either named in one sentence and nothing of it written, or
merged; the database stays whole; and the untouched file put back is merged by the next sync.
Files no mutation of the JSON makes (nested too deep to read, numbered in other digits, a file
where the device's own folder goes) have a test each."""

import copy
import json
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from helpers import json_at, json_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from efficacy_tui.store import attempts, demo, domains, ladder, schema, sync_log
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.sync import sync_now
from efficacy_tui.sync_folder import FolderError, digest

from conftest import NOW, Clock

CONTENT = Path(__file__).parent.parent / "efficacy_tui" / "content" / "sync.toml"
REASONS = tuple(tomllib.loads(CONTENT.read_text())["reasons"].values())

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**40, 1e308, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["NaN", "Infinity", "", "x" * 5000, "\ud800", "\x00", "2026-13-45",
                     "running", "Jog a block", "2026-11-26", "2026-11-26T09:30:00+00:00",
                     "upcoming", "success", "internal", "[]", "{\"a\": 1}",
                     "null", "-1", "0000000000000-0000-", "9" * 13 + "-9999-z"]),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
BAD_STAMPS = st.one_of(ODD, st.sampled_from([
    "1795685400000-0000", "179568540000-0000-x", "1795685400000-00a0-x", "x-y-z",
    "1795685400000-0000-", "9999999999999-9999-" + "f" * 36, "0000000000000-0000-a",
    "１７９５６８５４００００００-0000-x"]))
TABLES = st.sampled_from([*schema.SYNCED, "settings", "drafts", "sync_device", "sqlite_master",
                          "", "Domains", "domains; DROP TABLE domains"])
COLUMNS = st.sampled_from(["colour", "id", "uid", "name", "domain_id", "attempt_id", "rung_id",
                           "item_id", "checkin_id", "day", "title", "created_at", "deleted_at",
                           "rowid", "oid", "name COLLATE", "\"name\""])
OWN = ("B's domain", "B's rung")  # stand for the uids of B's own records
UIDS = st.one_of(st.sampled_from(["", "x", "0" * 35, "0" * 37, "0" * 36, "other", *OWN]),
                 st.uuids().map(str), ODD)

mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 10**6)),
    st.tuples(st.just("set"), st.integers(0, 10**6), ODD),
    st.tuples(st.just("table"), st.integers(0, 10**6), TABLES),
    st.tuples(st.just("column"), st.integers(0, 10**6), COLUMNS, ODD),
    st.tuples(st.just("uid"), st.integers(0, 10**6), UIDS, st.booleans()),
    st.tuples(st.just("stamp"), st.integers(0, 10**6), st.sampled_from(["stamp", "base"]),
              BAD_STAMPS),
    st.tuples(st.just("base_after"), st.integers(0, 10**6), st.integers(0, 10**9)),
    st.tuples(st.just("remove"), st.integers(0, 10**6), st.booleans(), st.integers(-5, 5)),
    st.tuples(st.just("refer"), st.integers(0, 10**6), st.integers(0, 10**6), UIDS),
    st.tuples(st.just("duplicate"), st.integers(0, 10**6), st.integers(0, 10**6), ODD),
    st.tuples(st.just("first"), st.integers(0, 10**6)),
    st.tuples(st.just("meaning"), st.integers(0, 10**6),
              st.sampled_from(["name", "title", "day", "position", "domain_id", "created_at"]),
              st.sampled_from(["Running", "running", "Spanish", "Piano", "Jog a block", 1, 2,
                               "2026-11-25", "2026-11-26", "2026-11-24T05:40:19+00:00",
                               "2026-11-26T09:30:00+00:00", *OWN, "other"])),
    st.tuples(st.just("remove_own"), st.integers(0, 10**6), st.sampled_from(OWN),
              st.booleans()),
)


def _later(stamp: Any, by: int) -> Any:
    """A stamp `by` milliseconds after `stamp` (a stamp as written), else `stamp` itself."""
    if not isinstance(stamp, str) or stamp[:13].isdigit() is False:
        return stamp
    return f"{int(stamp[:13]) + by:013d}{stamp[13:]}"


def mutate(doc: dict, steps: list[tuple], own: dict[str, str]) -> dict:
    """The change file's JSON with each step applied in turn, indices taken modulo what is
    there (a step that finds nothing to work on does nothing), `own`'s names replaced by B's
    uids."""
    doc = copy.deepcopy(doc)
    steps = [tuple(own.get(v, v) if isinstance(v, str) else v for v in step) for step in steps]
    for step in steps:
        op, n = step[0], step[1]
        changes = doc.get("changes")
        if op in ("drop", "set"):
            paths = json_paths(doc)
            if not paths:
                continue
            path = paths[n % len(paths)]
            parent = json_at(doc, path[:-1])
            if op == "drop":
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(step[2])
            continue
        if not isinstance(changes, list) or not changes:
            continue
        i = n % len(changes)
        change = changes[i]
        if not isinstance(change, dict):
            continue
        data = change.get("data") if isinstance(change.get("data"), dict) else None
        if op == "table":
            change["table"] = step[2]
        elif op == "column" and data is not None:
            data[step[2]] = copy.deepcopy(step[3])
        elif op == "uid":
            change["uid"] = step[2]
            if step[3] and data is not None:
                data["uid"] = step[2]
        elif op == "stamp":
            change[step[2]] = step[3]
        elif op == "base_after":
            change["base"] = _later(change.get("stamp"), 1 + step[2])
        elif op == "remove":
            gone = {"table": change.get("table"), "uid": change.get("uid"),
                    "stamp": _later(change.get("stamp"), step[3]), "base": change.get("stamp"),
                    "data": None}
            changes.insert(0 if step[2] else len(changes), gone)
        elif op == "refer" and data is not None:
            refs = sorted(k for k in data if k.endswith("_id"))
            if refs:
                other = changes[step[2] % len(changes)]
                uid = other.get("uid") if isinstance(other, dict) and step[3] == "other" \
                    else step[3]
                data[refs[step[2] % len(refs)]] = uid
        elif op == "duplicate":
            twin = copy.deepcopy(change)
            if data is not None and step[3] is not None:
                twin["data"]["note"] = step[3]
            changes.insert(step[2] % (len(changes) + 1), twin)
        elif op == "first":
            changes.insert(0, changes.pop(i))
        elif op == "meaning" and data is not None and step[2] in data:
            other = changes[step[1] // 7 % len(changes)]
            data[step[2]] = other.get("uid") if step[3] == "other" and isinstance(
                other, dict) else step[3]
        elif op == "remove_own":
            table = "domains" if step[2] == own[OWN[0]] else "rungs"
            changes.insert(i if step[3] else len(changes), {
                "table": table, "uid": step[2], "stamp": _later(change.get("stamp"), 1),
                "base": None, "data": None})
    return doc


def _write(path: Path, doc: dict) -> None:
    """As a device would write it, the digest made anew (unless the changes cannot be digested,
    a text that is no Unicode, in which case the old one stays)."""
    if isinstance(doc.get("changes"), list):
        try:
            doc["digest"] = digest(doc["changes"])
        except UnicodeEncodeError:
            pass
    path.write_text(json.dumps(doc, ensure_ascii=True))


class Origin:
    """Built once: a folder holding one real change file from device A (every kind of record the
    demo makes, a reframe, a check-in's win, a record removed) and one from device C, B's
    database with records of its own (a domain A also has, by name), and B's records after it
    merged C's file alone and both files untouched."""

    def __init__(self, root: Path) -> None:
        self.root = root
        a = open_store(root / "a.db", clock=Clock(NOW))
        demo.build_demo(a, days=3, attempts=6)
        attempt = a.query("SELECT id, domain_id FROM attempts ORDER BY id LIMIT 1")[0]
        with a.transaction():
            a.conn.execute(
                "INSERT INTO reframes (uid, attempt_id, domain_id, what_happened, locus, "
                "stability, controllability, if_situation, then_action, controllable_temporary, "
                "created_at, updated_at) VALUES (?, ?, ?, 'Tripped', 'internal', 'temporary', "
                "'controllable', 'at the start', 'look down', 1, ?, ?)",
                [new_uid(), attempt["id"], attempt["domain_id"], a.stamp(), a.stamp()])
        gone = ladder.add_domain(a, "Gone soon")
        with a.transaction():
            a.conn.execute("DELETE FROM domains WHERE id = ?", [gone.id])
        self.folder = root / "Sync"
        sync_now(a, self.folder, None)
        self.device = sync_log.device(a).uid
        a.close()
        self.file = self.folder / self.device / "00000001.json"
        self.text = self.file.read_text()
        c = open_store(root / "c.db", clock=Clock(NOW))
        piano = domains.get_or_create_domain(c, "Piano")
        attempts.add_attempt(c, domain_id=piano.id, title="Scales", happened_at=c.stamp(),
                             outcome="success")
        sync_now(c, self.folder, None)
        self.other = sync_log.device(c).uid
        c.close()
        b = open_store(root / "b.db", clock=Clock(NOW))
        mine = domains.get_or_create_domain(b, "Running")
        rung = ladder.add_rung(b, mine.id, "Jog a block", "", 10)
        self.own = dict(zip(OWN, (mine.uid, rung.uid), strict=True))
        b.close()
        self.without = self._merged(root / "without", skip=self.device)
        self.merged = self._merged(root / "with")

    def _merged(self, root: Path, skip: str = "") -> dict:
        shutil.copytree(self.folder, root / "Sync", ignore=lambda _, names: [
            n for n in names if n == skip])
        shutil.copy(self.root / "b.db", root / "b.db")
        merged = open_store(root / "b.db", clock=Clock(NOW))
        try:
            assert sync_now(merged, root / "Sync", None).problems == []
            return sync_log.record_state(merged)
        finally:
            merged.close()


@pytest.fixture(scope="module")
def origin():
    with tempfile.TemporaryDirectory() as temp:
        yield Origin(Path(temp))


def _whole(store) -> None:
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(steps=st.lists(mutation, min_size=1, max_size=4))
@example(steps=[("column", 0, "colour", "\ud800")])  # JSON, but text no digest can be made of
@example(steps=[("refer", 4, 0, 2**63)])  # more than SQLite's 64-bit integers hold
@example(steps=[("set", 5, -(2**63) - 1)])
@example(steps=[("table", 3, ["domains"])])  # a table name that cannot even be looked up
@example(steps=[("stamp", 0, "stamp", "9999999999999-9999-" + "f" * 36)])  # B's clock ends
def test_a_mutated_change_file_is_merged_or_named_and_never_stops_a_sync(origin, steps):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        folder = root / "Sync"
        shutil.copytree(origin.folder, folder)
        shutil.copy(origin.root / "b.db", root / "b.db")
        changed = folder / origin.device / origin.file.name
        _write(changed, mutate(json.loads(origin.text), steps, origin.own))
        b = open_store(root / "b.db", clock=Clock(NOW))
        try:
            report = sync_now(b, folder, None)
            _whole(b)
            shown = f"{origin.device}/{changed.name}"
            named = [p for p in report.problems if shown in p]
            for problem in named:
                assert problem.startswith(f"{shown} was skipped: "), problem
                assert any(f": {reason};" in problem for reason in REASONS), problem
            merged = sync_log.applied(b, origin.device) == 1
            assert bool(named) != merged, report.problems
            assert sync_log.applied(b, origin.other) == 1  # C's file merges whatever A's holds
            if named:
                assert sync_log.record_state(b) == origin.without
                changed.write_text(origin.text)
                report = sync_now(b, folder, None)
                assert report.problems == []
                assert sync_log.applied(b, origin.device) == 1
                assert sync_log.record_state(b) == origin.merged
            else:
                sync_now(b, folder, None)
            _whole(b)
            for n in range(2):  # B's own changes after the merge still make files A can read
                domains.get_or_create_domain(b, f"Written after {n}")
                assert sync_now(b, folder, None).sent == 1
            me = sync_log.device(b).uid
            written = sorted((folder / me).glob("*.json"))[-1]
            for item in json.loads(written.read_text())["changes"]:
                sync_log.checked_change(sync_log.columns(b), item, written.name)
        finally:
            b.close()


def test_a_file_numbered_in_other_digits_is_named_and_the_real_one_still_merges(origin, tmp_path):
    """Other scripts' digits (Arabic-Indic here) are digits to a regular expression and to
    int(), but no efficacy device writes them."""
    folder = tmp_path / "Sync"
    shutil.copytree(origin.folder, folder)
    real = folder / origin.device / "00000001.json"
    odd = real.rename(real.with_name("٠٠٠٠٠٠٠١.json"))
    shutil.copy(origin.root / "b.db", tmp_path / "b.db")
    b = open_store(tmp_path / "b.db", clock=Clock(NOW))
    try:
        report = sync_now(b, folder, None)
        assert report.problems == [f"{odd} is not efficacy's, so it was skipped."]
        assert sync_log.applied(b, origin.device) == 0
        odd.rename(real)
        assert sync_now(b, folder, None).problems == []
        assert sync_log.record_state(b) == origin.merged
    finally:
        b.close()


def test_a_change_file_nested_too_deep_to_read_is_named_and_the_rest_merges(origin, tmp_path):
    """JSON nested deeper than the interpreter's recursion reads is valid JSON all the same; no
    efficacy device writes it."""
    folder = tmp_path / "Sync"
    shutil.copytree(origin.folder, folder)
    real = folder / origin.device / "00000001.json"
    doc = json.loads(origin.text)
    nested = "[" * 100_000 + "]" * 100_000
    real.write_text(json.dumps({**doc, "changes": "NESTED"}).replace('"NESTED"', nested))
    shutil.copy(origin.root / "b.db", tmp_path / "b.db")
    b = open_store(tmp_path / "b.db", clock=Clock(NOW))
    try:
        report = sync_now(b, folder, None)
        assert report.problems == [f"{origin.device}/00000001.json was skipped: it is not an "
                                   "efficacy change file; the changes after it from that device "
                                   "wait for it."]
        assert sync_log.record_state(b) == origin.without
        real.write_text(origin.text)
        assert sync_now(b, folder, None).problems == []
        assert sync_log.record_state(b) == origin.merged
        (folder / "efficacy-sync.json").write_text(nested)  # the folder's marker, so nested
        with pytest.raises(FolderError, match="is not a sync folder"):
            sync_now(b, folder, None)
    finally:
        b.close()


def test_a_file_where_this_devices_folder_goes_is_a_folder_error_and_nothing_is_lost(
        origin, tmp_path):
    folder = tmp_path / "Sync"
    shutil.copytree(origin.folder, folder)
    shutil.copy(origin.root / "b.db", tmp_path / "b.db")
    b = open_store(tmp_path / "b.db", clock=Clock(NOW))
    try:
        mine = folder / sync_log.device(b).uid
        mine.write_text("not a folder")
        with pytest.raises(FolderError, match=f"Could not write {mine}/"):
            sync_now(b, folder, None)
        mine.unlink()
        report = sync_now(b, folder, None)
        assert (report.sent, report.problems) == (2, [])
        assert sync_log.record_state(b) == origin.merged
    finally:
        b.close()
