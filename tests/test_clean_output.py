"""Exports printed to a terminal or opened in a spreadsheet cannot drive them: Markdown shows
control characters as symbols, JSON escapes them (keeping the text exact), and a CSV cell that
would start a formula has an apostrophe before it."""

import csv
import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store.core import new_uid, open_store

from conftest import Clock

# ESC c resets a terminal, BEL rings, NUL, DEL, CSI (C1), NEL (C1), an OSC title
NASTY = "Talk\x1bc\x07\x00\x7f\x9b31m\x85\x1b]0;owned\x07 end"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA = "=HYPERLINK(\"http://x.example\",\"click\")"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "efficacy.db"
    store = open_store(path, clock=Clock())
    stamp = store.stamp()
    with store.transaction():
        domain = store.db["domains"].insert({"uid": new_uid(), "name": NASTY, "goal": NASTY,
                                             "position": 1, "created_at": stamp}).last_pk
        store.db["rungs"].insert({"uid": new_uid(), "domain_id": domain, "title": NASTY,
                                  "criterion": FORMULA, "difficulty": 30, "position": 1,
                                  "status": "active", "created_at": stamp})
        store.db["attempts"].insert({"uid": new_uid(), "domain_id": domain, "title": FORMULA,
                                     "outcome": "success", "what_i_did": NASTY,
                                     "happened_at": stamp, "created_at": stamp,
                                     "updated_at": stamp})
    store.close()
    return path


def export(db, *args: str):
    result = CliRunner().invoke(main, ["--db", str(db), "export", *args])
    assert result.exit_code == 0, result.output
    return result


def test_markdown_shows_control_characters_as_symbols(db, tmp_path):
    printed = export(db, "--format", "md", "-o", "-").stdout_bytes.decode("utf-8")
    export(db, "--format", "md", "-o", str(tmp_path / "record.md"))
    for text in (printed, (tmp_path / "record.md").read_text("utf-8")):
        assert not CONTROLS.search(text), repr(CONTROLS.search(text))
        assert "Talk␛c␇␀␡\ufffd31m" in text


def test_json_escapes_control_characters_and_keeps_the_text_exact(db, tmp_path):
    printed = export(db, "-o", "-").stdout_bytes.decode("utf-8")
    export(db, "-o", str(tmp_path / "export.json"))
    for text in (printed, (tmp_path / "export.json").read_text("utf-8")):
        assert not CONTROLS.search(text), repr(CONTROLS.search(text))
        assert "\\u001bc\\u0007\\u0000\\u007f\\u009b31m\\u0085" in text
        data = json.loads(text)
        assert data["domains"][0]["name"] == NASTY
        assert data["attempts"][0]["what_i_did"] == NASTY
        assert data["attempts"][0]["title"] == FORMULA


def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe(db, tmp_path):
    export(db, "--format", "csv", "-o", str(tmp_path / "export.zip"))
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        attempts = list(csv.DictReader(io.StringIO(archive.read("attempts.csv").decode(),
                                                   newline="")))
        rungs = list(csv.DictReader(io.StringIO(archive.read("rungs.csv").decode(),
                                                newline="")))
    assert attempts[0]["title"] == "'" + FORMULA
    assert rungs[0]["criterion"] == "'" + FORMULA
    assert attempts[0]["what_i_did"] == NASTY  # the CSV keeps the text itself
    assert attempts[0]["happened_at"][0].isdigit()  # numbers and times are left as they are
    other = tmp_path / "other.db"
    result = CliRunner().invoke(main, ["--db", str(other), "import",
                                       str(tmp_path / "export.zip")])
    assert result.exit_code == 0, result.output
    again = json.loads(export(other, "-o", "-").stdout)
    assert again["attempts"][0]["title"] == FORMULA
    assert again["rungs"][0]["criterion"] == FORMULA
    assert again["domains"][0]["name"] == NASTY


def test_a_csv_export_from_before_the_apostrophes_keeps_its_own(db, tmp_path):
    """A zip whose manifest does not say that formula-like text got an apostrophe was written
    before it did: its cells are taken as they are."""
    export(db, "--format", "csv", "-o", str(tmp_path / "export.zip"))
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(tmp_path / "export.zip") as new, zipfile.ZipFile(older, "w") as old:
        for name in new.namelist():
            data = new.read(name)
            if name == "manifest.json":
                manifest = json.loads(data)
                del manifest["formula"]
                data = json.dumps(manifest).encode()
            old.writestr(name, data)
    other = tmp_path / "other.db"
    result = CliRunner().invoke(main, ["--db", str(other), "import", str(older)])
    assert result.exit_code == 0, result.output
    assert json.loads(export(other, "-o", "-").stdout)["attempts"][0]["title"] == "'" + FORMULA
