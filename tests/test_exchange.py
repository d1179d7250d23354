"""Export and import: a complete, open copy of the database that merges back without duplicates,
a readable mastery record, and one clear sentence (with nothing written) for a bad file."""

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store import schema
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.export import TABLES, ExchangeError, export_data, to_json, write_export
from efficacy_tui.store.importer import import_file
from efficacy_tui.store.markdown import md_escape

from conftest import Clock, rows

MARKUP = "# Big | [talk] *now*"
WIN_DID = "Wrote *three* cue cards\nand rehearsed <twice>"


def add_extras(store) -> None:
    """Rows in every table the demo may not fill, with references in every direction: a rung
    split from a rung with a higher id, a reframe on a setback, a readiness walkthrough linked to
    a model, feedback and its outcome, an audit sitting with its success, a feedback request
    answered and one waiting, a scale with a rating, a setting and a deleted domain."""
    db, now = store.db, store.stamp()
    with store.transaction():
        domain = db["domains"].insert({"uid": new_uid(), "name": MARKUP, "goal": "Say `hi` <b>",
                                       "position": 9, "created_at": now}).last_pk
        rung = {"domain_id": domain, "criterion": "- no notes | none", "created_at": now}
        low = db["rungs"].insert({**rung, "uid": new_uid(), "title": "Speak | twice",
                                  "difficulty": 30, "position": 1, "status": "active"}).last_pk
        high = db["rungs"].insert({**rung, "uid": new_uid(), "title": "Speak for ten minutes",
                                   "difficulty": 45, "position": 2}).last_pk
        db["rungs"].update(low, {"split_from": high})
        attempt = {"domain_id": domain, "rung_id": low, "happened_at": now, "created_at": now,
                   "updated_at": now, "confidence": 40}
        setback = db["attempts"].insert({**attempt, "uid": new_uid(), "title": "First try",
                                         "outcome": "setback"}).last_pk
        win = db["attempts"].insert({**attempt, "uid": new_uid(), "title": "Second try",
                                     "outcome": "success", "what_i_did": WIN_DID}).last_pk
        db["reframes"].insert({
            "uid": new_uid(), "attempt_id": setback, "domain_id": domain,
            "what_happened": "Froze | blanked", "locus": "internal", "stability": "temporary",
            "controllability": "controllable", "cause": "preparation",
            "new_explanation": "I had not rehearsed out loud", "if_situation": "I blank",
            "then_action": "look at my first card", "controllable_temporary": 1,
            "split_rung_id": high, "created_at": now, "updated_at": now,
        })
        model = db["models"].insert({
            "uid": new_uid(), "domain_id": domain, "who": "Maria", "like_me": "quiet engineer",
            "what_they_did": "Practised with one colleague first", "created_at": now,
            "updated_at": now,
        }).last_pk
        feedback = db["feedback"].insert({
            "uid": new_uid(), "domain_id": domain, "who": "Coach Sam", "credibility": 4,
            "what_they_said": "Your pacing held up", "given_at": now, "created_at": now,
            "updated_at": now,
        }).last_pk
        performance = db["readiness"].insert({
            "uid": new_uid(), "domain_id": domain, "title": "Team talk", "scheduled_for": now,
            "sleep_hours": 7.5, "model_id": model, "feedback_id": feedback, "attempt_id": win,
            "breathing": "box", "breathing_seconds": 60, "created_at": now, "updated_at": now,
        }).last_pk
        sitting = db["audits"].insert({"uid": new_uid(), "domain_id": domain,
                                       "created_at": now}).last_pk
        db["attempts"].insert({**attempt, "uid": new_uid(), "title": "Spoke up | once",
                               "outcome": "success", "confidence": None, "source": "audit",
                               "audit_id": sitting})
        request = {"domain_id": domain, "whom": "Coach Sam", "created_at": now}
        db["feedback_requests"].insert({
            **request, "uid": new_uid(), "attempt_id": win, "readiness_id": performance,
            "question": "Did my *pacing* hold?", "feedback_id": feedback, "answered_at": now,
        })
        db["feedback_requests"].insert({**request, "uid": new_uid(), "attempt_id": setback,
                                        "question": "What froze me?"})
        item = db["scale_items"].insert({"uid": new_uid(), "domain_id": domain,
                                         "text": "I can speak first", "position": 1,
                                         "created_at": now}).last_pk
        db["scale_ratings"].insert({"uid": new_uid(), "item_id": item, "session": new_uid(),
                                    "rating": 70, "rated_at": now})
        db["settings"].insert({"key": "theme", "uid": new_uid(), "value": '"textual-dark"',
                               "updated_at": now})
        db["domains"].insert({"uid": new_uid(), "name": "Old hobby", "position": 10,
                              "created_at": now, "deleted_at": now})


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A closed demo database (60 days, 2,000 attempts) with a row in every exported table."""
    path = tmp_path_factory.mktemp("source") / "demo.db"
    store = open_store(path, clock=Clock())
    build_demo(store, days=60, attempts=2000)
    add_extras(store)
    store.close()
    return path


@pytest.fixture
def demo(source, tmp_path, clock):
    """A fresh copy of the demo database, open."""
    path = tmp_path / "demo.db"
    shutil.copy(source, path)
    store = open_store(path, clock=clock)
    yield store
    store.close()


@pytest.fixture
def export_json(demo, tmp_path):
    return write_export(demo, "json", tmp_path / "export.json")


def without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if '"exported_at"' not in line)


def counts(path) -> dict[str, int]:
    return {t: rows(path, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in TABLES}


def dump(path) -> dict[str, list]:
    return {t: rows(path, f"SELECT * FROM {t}") for t in (*TABLES, "drafts")}


def fresh(tmp_path, clock, name="empty.db"):
    return open_store(tmp_path / name, clock=clock)


# -- JSON --------------------------------------------------------------------------------------


def test_json_holds_every_table_exactly_as_stored(demo, export_json):
    data = json.loads(export_json.read_text("utf-8"))
    assert list(data) == ["format", "schema_version", "exported_at", *TABLES]
    assert data["format"] == "efficacy-export"
    assert data["schema_version"] == schema.schema_version()
    assert data["exported_at"] == "2026-11-26T09:30:00+00:00"
    for table in TABLES:
        order = "key" if table == "settings" else "id"
        assert data[table] == rows(demo.path, f"SELECT * FROM {table} ORDER BY {order}"), table
        assert data[table], f"{table} should have rows in this test"
    assert any(d["deleted_at"] for d in data["domains"])  # soft-deleted rows are kept
    assert not any(key.endswith("_fts") or key == "drafts" for key in data)
    text = export_json.read_text("utf-8")
    assert text == to_json(export_data(demo)) and text.endswith("}\n")
    assert MARKUP in text  # ensure_ascii=False keeps text readable
    assert stat.S_IMODE(os.stat(export_json).st_mode) == 0o600


def test_export_import_export_is_identical_apart_from_exported_at(demo, export_json, tmp_path,
                                                                  clock):
    target = fresh(tmp_path, clock)
    result = import_file(target, export_json)
    assert result.added == counts(demo.path)
    assert set(result.skipped.values()) == {0} and result.renamed == {}
    clock.at(clock.current.replace(tzinfo=None, hour=18, minute=0))
    again = write_export(target, "json", tmp_path / "again.json")
    assert '"exported_at": "2026-11-26T18:00:00+00:00"' in again.read_text("utf-8")
    assert without_stamp(again.read_text("utf-8")) == without_stamp(export_json.read_text("utf-8"))
    assert rows(target.path, "PRAGMA foreign_key_check") == []
    target.close()


def test_importing_the_same_file_twice_adds_nothing(demo, export_json, tmp_path, clock):
    target = fresh(tmp_path, clock)
    import_file(target, export_json)
    before = dump(target.path)
    result = import_file(target, export_json)
    assert set(result.added.values()) == {0}
    assert result.skipped == counts(demo.path)
    assert dump(target.path) == before
    # importing a database's own export into itself is the same
    assert set(import_file(demo, export_json).added.values()) == {0}
    target.close()


def test_import_merges_into_a_database_with_its_own_history(demo, export_json, tmp_path, clock):
    data = json.loads(export_json.read_text("utf-8"))
    won = next(a["checkin_id"] for a in reversed(data["attempts"]) if a["checkin_id"])
    day = next(c["day"] for c in data["checkins"] if c["id"] == won)
    target = fresh(tmp_path, clock)
    now = target.stamp()
    with target.transaction():
        mine = target.db["domains"].insert({"uid": new_uid(), "name": "PUBLIC SPEAKING",
                                            "created_at": now}).last_pk
        target.db["rungs"].insert({"uid": new_uid(), "domain_id": mine, "title": "Mine",
                                   "difficulty": 20, "status": "active", "created_at": now})
        local_checkin = target.db["checkins"].insert({"uid": new_uid(), "day": day,
                                                      "created_at": now,
                                                      "updated_at": now}).last_pk
        target.db["settings"].insert({"key": "theme", "uid": new_uid(), "value": '"nord"',
                                      "updated_at": now})
    local = dump(target.path)

    result = import_file(target, export_json)

    assert result.renamed == {"Public speaking": "Public speaking (imported)"}
    assert result.skipped["checkins"] == 1 and result.skipped["settings"] == 1
    assert result.added["checkins"] == len(data["checkins"]) - 1
    assert result.added["attempts"] == len(data["attempts"])
    assert rows(target.path, "PRAGMA foreign_key_check") == []
    merged = dump(target.path)
    for table, before in local.items():  # what was here is untouched
        assert merged[table][: len(before)] == before, table
    names = [d["name"] for d in merged["domains"] if not d["deleted_at"]]
    assert names.count("PUBLIC SPEAKING") == 1 and "Public speaking (imported)" in names
    # ids free here are kept; taken ones get the next free id
    file_domains = {d["uid"]: d["id"] for d in data["domains"]}
    here = {d["uid"]: d["id"] for d in merged["domains"]}
    assert here[data["domains"][0]["uid"]] == len(data["domains"]) + 1
    assert all(here[u] == i for u, i in file_domains.items() if i != 1)
    # every reference follows its row through the uids
    uid_of = {t: {r["id"]: r["uid"] for r in merged[t]} for t in TABLES if t != "settings"}
    file_uid_of = {t: {r["id"]: r["uid"] for r in data[t]} for t in TABLES if t != "settings"}
    mine_by_uid = {r["uid"]: r for r in merged["attempts"]}
    for attempt in data["attempts"]:
        copy = mine_by_uid[attempt["uid"]]
        for column, table in (("domain_id", "domains"), ("rung_id", "rungs")):
            if attempt[column] is not None:
                assert uid_of[table][copy[column]] == file_uid_of[table][attempt[column]]
    skipped_id = next(c["id"] for c in data["checkins"] if c["day"] == day)
    linked = [a for a in data["attempts"] if a["checkin_id"] == skipped_id]
    assert linked and all(mine_by_uid[a["uid"]]["checkin_id"] == local_checkin for a in linked)
    rung_uids = {r["uid"]: r for r in merged["rungs"]}
    for rung in data["rungs"]:
        if rung["split_from"]:
            copy = rung_uids[rung["uid"]]
            assert uid_of["rungs"][copy["split_from"]] == file_uid_of["rungs"][rung["split_from"]]
    target.close()


def test_a_renamed_domain_takes_the_next_free_name(tmp_path, clock):
    target = fresh(tmp_path, clock)
    now = target.stamp()
    for name in ("Chess", "chess (imported)"):
        target.db["domains"].insert({"uid": new_uid(), "name": name, "created_at": now})
    file = tmp_path / "chess.json"
    file.write_text(json.dumps({
        "format": "efficacy-export", "schema_version": schema.schema_version(),
        **{t: [] for t in TABLES},
        "domains": [{"id": 1, "uid": new_uid(), "name": "CHESS", "created_at": now}],
    }))
    assert import_file(target, file).renamed == {"CHESS": "CHESS (imported 2)"}
    target.close()


def test_a_renamed_name_with_a_line_break_is_said_on_one_line(tmp_path, clock):
    target = fresh(tmp_path, clock)
    now = target.stamp()
    target.db["domains"].insert({"uid": new_uid(), "name": "Two\nlines", "created_at": now})
    file = tmp_path / "two.json"
    file.write_text(json.dumps({
        "format": "efficacy-export", "schema_version": schema.schema_version(),
        **{t: [] for t in TABLES},
        "domains": [{"id": 1, "uid": new_uid(), "name": "two\nlines", "created_at": now}],
    }))
    result = import_file(target, file)
    assert result.renamed == {"two\nlines": "two\nlines (imported)"}
    assert result.lines()[-1] == ('Renamed to keep domain names distinct: '
                                  '"two\u240alines" → "two\u240alines (imported)".')
    target.close()


def test_an_older_export_without_the_newer_tables_imports(demo, export_json, tmp_path, clock):
    data = json.loads(export_json.read_text("utf-8"))
    data["schema_version"] = 3  # before readiness, models, feedback and audit sittings existed
    for table in ("readiness", "models", "feedback", "settings", "audits", "feedback_requests"):
        del data[table]
    for row in data["attempts"]:
        del row["audit_id"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    target = fresh(tmp_path, clock)
    result = import_file(target, old)
    assert result.added["attempts"] == len(data["attempts"]) and result.added["models"] == 0
    target.close()


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_zip_has_one_file_per_table_and_reads_back(demo, export_json, tmp_path, clock):
    path = write_export(demo, "csv", tmp_path / "export.zip")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["manifest.json", *(f"{t}.csv" for t in TABLES)]
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "efficacy-export"
        assert manifest["schema_version"] == schema.schema_version()
        assert manifest["exported_at"] == "2026-11-26T09:30:00+00:00"
        for table, count in counts(demo.path).items():
            lines = list(csv.reader(io.StringIO(archive.read(f"{table}.csv").decode("utf-8"))))
            stored = rows(demo.path, f"SELECT * FROM {table}")
            assert lines[0] == list(stored[0]), table
            assert len(lines) - 1 == count == manifest["tables"][table], table
        domains = list(csv.DictReader(io.StringIO(archive.read("domains.csv").decode())))
        assert domains[0]["deleted_at"] == "" and domains[-1]["deleted_at"]  # NULL is empty
    # deterministic: the same clock gives the same bytes
    second = write_export(demo, "csv", tmp_path / "second.zip")
    assert path.read_bytes() == second.read_bytes()
    # and it imports to the same rows as the JSON export
    target = fresh(tmp_path, clock)
    assert import_file(target, path).added == counts(demo.path)
    again = write_export(target, "json", tmp_path / "from-csv.json")
    assert again.read_text("utf-8") == export_json.read_text("utf-8")
    target.close()


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_is_a_readable_mastery_record(demo, tmp_path):
    text = write_export(demo, "md", tmp_path / "record.md").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Mastery record"
    assert "## \\# Big \\| \\[talk\\] \\*now\\*" in lines
    assert not any(line.startswith("# Big") for line in lines)
    assert "**Goal:** Say \\`hi\\` \\<b\\>" in lines
    # the ladder, hardest at the top, with status symbols
    assert "| ▶ | Speak \\| twice | 30 | \\- no notes \\| none |" in lines
    section = text.split("## Public speaking")[1].split("\n## ")[0]
    table = [line for line in section.splitlines() if line.startswith("| ") and "|:-:" not in line]
    difficulties = [int(line.split(" | ")[2]) for line in table[1:]]
    assert difficulties == sorted(difficulties, reverse=True) and len(difficulties) == 7
    assert "| ✓ |" in section and "| ▶ |" in section
    # wins with what was done, newest first, capped with a count of the rest
    assert "- **2026-11-26** Second try — *What I did:* Wrote \\*three\\* cue cards and " \
           "rehearsed \\<twice\\>" in lines
    wins = rows(demo.path, "SELECT count(*) AS n FROM attempts a JOIN domains d "
                "ON d.id = a.domain_id WHERE d.name = 'Public speaking' "
                "AND outcome = 'success' AND a.deleted_at IS NULL")[0]["n"]
    assert wins > 50
    assert f"…and {wins - 50} more" in section
    listed = section.split("### Wins")[1].split("\n### ")[0]
    assert sum(line.startswith("- **") for line in listed.splitlines()) == 50
    # reframes, models and feedback
    assert "- **2026-11-26** Froze \\| blanked → I had not rehearsed out loud" in lines
    assert "  - If I blank, then I will look at my first card." in lines
    assert "- **Maria** — like me: quiet engineer — what they did: Practised with one " \
           "colleague first" in lines
    assert "- **Coach Sam** (credibility 4/5, 2026-11-26): Your pacing held up" in lines
    assert "Old hobby" not in text  # deleted


@pytest.mark.parametrize("raw, expected", [
    ("# heading", "\\# heading"),
    ("a | b", "a \\| b"),
    ("- item", "\\- item"),
    ("1. first", "1\\. first"),
    ("[link](x)", "\\[link\\](x)"),
    ("two\nlines", "two lines"),
    ("R&D &amp;", "R&D \\&amp;"),
    ("plain words", "plain words"),
])
def test_markdown_escaping(raw, expected):
    assert md_escape(raw) == expected


# -- files -------------------------------------------------------------------------------------


def test_default_names_never_overwrite(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = write_export(demo, "json", None)
    assert first == tmp_path / "efficacy-export-2026-11-26.json"
    assert write_export(demo, "json", None) == tmp_path / "efficacy-export-2026-11-26-2.json"
    assert write_export(demo, "md", tmp_path) == tmp_path / "efficacy-export-2026-11-26.md"
    assert write_export(demo, "csv", None) == tmp_path / "efficacy-export-2026-11-26.zip"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_write_leaves_the_old_file_whole(demo, tmp_path):
    target = write_export(demo, "json", tmp_path / "export.json")
    before = target.read_bytes()
    demo.close()  # reading fails half-way through writing
    with pytest.raises(sqlite3.ProgrammingError):
        write_export(demo, "json", target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    other = open_store(tmp_path / "x.db")
    with pytest.raises(ExchangeError, match=r"^Could not write .*missing.*\.$"):
        write_export(other, "json", tmp_path / "missing" / "x.json")
    other.close()


# -- refusing bad files ------------------------------------------------------------------------


def change(data: dict, how: str) -> dict | list | str:
    if how == "format":
        data["format"] = "something-else"
    elif how == "newer":
        data["schema_version"] = schema.schema_version() + 1
    elif how == "version_text":
        data["schema_version"] = "5"
    elif how == "missing_table":
        del data["rungs"]
    elif how == "table_not_list":
        data["attempts"] = {"1": data["attempts"][0]}
    elif how == "bad_row":
        data["attempts"][-1]["confidence"] = 75
    elif how == "bad_type":
        data["attempts"][-1]["title"] = ["a", "list"]
    elif how == "unknown_column":
        data["domains"][0]["colour"] = "red"
    elif how == "dangling":
        data["attempts"][-1]["rung_id"] = 99_999
    elif how == "duplicate":
        data["rungs"][1]["uid"] = data["rungs"][0]["uid"]
    elif how == "array":
        return [data]
    return data


BAD = [
    ("format", 'is not an efficacy export: its "format" is not "efficacy-export".'),
    ("newer", "was exported by a newer version of efficacy"),
    ("version_text", 'its "schema_version" is not a whole number'),
    ("missing_table", 'is not a complete efficacy export: it has no "rungs" list.'),
    ("table_not_list", '"attempts" is not a list of rows.'),
    ("bad_row", 'cannot be imported: row 2003 of "attempts" breaks a rule of the database '
                "(CHECK constraint failed"),
    ("bad_type", 'row 2003 of "attempts" has a value for "title" that is not text'),
    ("unknown_column", 'row 1 of "domains" has a column "colour"'),
    ("dangling", 'row 2003 of "attempts" refers to rungs id 99999, which is not in the file.'),
    ("duplicate", 'appears twice in "rungs".'),
    ("array", "does not hold one JSON object."),
]


@pytest.fixture
def small(tmp_path, clock):
    """A database with a little history of its own, to show a refused import changes nothing."""
    store = fresh(tmp_path, clock, "small.db")
    store.db["domains"].insert({"uid": new_uid(), "name": "Chess", "created_at": store.stamp()})
    yield store
    store.close()


@pytest.mark.parametrize("how, expected", BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_with_one_sentence_and_nothing_written(export_json, small, how,
                                                                      expected, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(change(json.loads(export_json.read_text("utf-8")), how)))
    before = dump(small.path)
    with pytest.raises(ExchangeError) as caught:
        import_file(small, bad)
    sentence = str(caught.value)
    assert expected in sentence and sentence.startswith(str(bad))
    assert "\n" not in sentence and sentence.endswith(".")
    assert dump(small.path) == before


@pytest.mark.parametrize("content, expected", [
    (b"hello, I am not an export", "is neither a JSON export nor a CSV zip."),
    (b"\xff\xfe\x00binary", "is neither a JSON export nor a CSV zip."),
    (b"PK\x03\x04broken zip", "is neither a JSON export nor a CSV zip."),
    ("zip-without-manifest", "the zip has no manifest.json."),
])
def test_files_that_are_not_exports_are_refused(small, tmp_path, content, expected):
    bad = tmp_path / "bad.bin"
    if content == "zip-without-manifest":
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("domains.csv", "id,uid\n")
    else:
        bad.write_bytes(content)
    before = dump(small.path)
    with pytest.raises(ExchangeError, match=expected.replace(".", r"\.") + "$"):
        import_file(small, bad)
    assert dump(small.path) == before
    with pytest.raises(ExchangeError, match=r"^There is no file at .*nothing\.json\.$"):
        import_file(small, tmp_path / "nothing.json")


# -- the command line --------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_export_to_a_file_and_to_standard_output(demo, tmp_path):
    demo.close()
    db = str(demo.path)
    out = tmp_path / "out.json"
    result = run("--db", db, "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Exported to {out}\n"
    assert json.loads(out.read_text("utf-8"))["format"] == "efficacy-export"
    result = run("--db", db, "export", "-o", "-")
    assert result.exit_code == 0
    assert without_stamp(result.stdout) == without_stamp(out.read_text("utf-8"))
    result = run("--db", db, "export", "--format", "md", "-o", "-")
    assert result.stdout.startswith("# Mastery record\n")
    result = run("--db", db, "export", "--format", "csv", "-o", "-")
    assert result.exit_code == 2 and "give a file name with -o" in result.stderr
    result = run("--db", db, "export", "--format", "csv", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Exported to {tmp_path}/efficacy-export-")
    assert result.stdout.rstrip().endswith(".zip")


def test_cli_export_without_a_database_says_so(tmp_path):
    result = run("--db", str(tmp_path / "none.db"), "export")
    assert result.exit_code == 1 and "There is no database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_cli_import_reports_counts(demo, export_json, tmp_path):
    every = ", ".join(f"{table} {n}" for table, n in counts(demo.path).items())
    db = str(tmp_path / "new" / "efficacy.db")
    first = run("--db", db, "import", str(export_json))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"Added: {every}.", "Skipped (already in this database): nothing."
    ]
    second = run("--db", db, "import", str(export_json))
    assert second.stdout.splitlines() == [
        "Added: nothing.", f"Skipped (already in this database): {every}."
    ]


def test_cli_refuses_a_bad_file_and_leaves_the_database_as_it_was(export_json, tmp_path):
    db = tmp_path / "here.db"
    assert run("--db", str(db), "import", str(export_json)).exit_code == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "efficacy-export", "schema_version": 999}')
    result = run("--db", str(db), "import", str(bad))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"{bad} was exported by a newer version of efficacy")
    assert result.stderr.count("\n") == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    # a refused import into a database that did not exist leaves no database behind
    missing = tmp_path / "fresh" / "efficacy.db"
    result = run("--db", str(missing), "import", str(bad))
    assert result.exit_code == 1 and not missing.parent.exists()


def test_export_and_import_do_not_import_textual(export_json, tmp_path):
    db = tmp_path / "cli.db"
    code = (
        "import sys; from efficacy_tui.cli import main\n"
        "for args in (['import', {export!r}], ['export', '-o', {out!r}]):\n"
        "    try:\n"
        "        main(['--db', {db!r}, *args])\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    ).format(export=str(export_json), out=str(tmp_path / "out.md"), db=str(db))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.md").exists()
