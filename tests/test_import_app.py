"""Importing from the app: the palette's "Import…" opens a path field that completes folders and
files; the file goes through the importer `efficacy import` uses, in a worker, and the form shows
the summary the command prints. A file that is no valid export gets one sentence, nothing written."""

import json
import os
import shutil

from click.testing import CliRunner
from helpers import enter, settle, shown, speaking_ladder
from test_palette import run_command
from textual.widgets import Input

from efficacy_tui.cli import main
from efficacy_tui.store import ladder
from efficacy_tui.store.core import open_store
from efficacy_tui.store.export import write_export
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.import_form import ImportScreen
from efficacy_tui.ui.widgets.path_suggester import complete_path

from conftest import rows


def export_of_another_database(tmp_path, clock):
    """An export from someone else's database: the speaking ladder and its two successes."""
    other = open_store(tmp_path / "other.db", clock=clock)
    speaking_ladder(other)
    folder = tmp_path / "exports"
    folder.mkdir()
    written = write_export(other, "json", folder / "efficacy-export.json")
    other.close()
    return written


def counts(db_path) -> dict[str, int]:
    return {table: rows(db_path, f"SELECT count(*) AS n FROM {table}")[0]["n"]
            for table in ("domains", "rungs", "attempts")}


async def test_import_from_the_palette_shows_what_efficacy_import_prints(
        store, db_path, make_app, tmp_path, clock):
    ladder.add_domain(store, "Running")
    store.close()
    export = export_of_another_database(tmp_path, clock)
    twin = tmp_path / "twin.db"
    shutil.copy(db_path, twin)  # its mode too, so the command has nothing to tighten
    printed = CliRunner().invoke(main, ["--db", str(twin), "import", str(export)])
    assert printed.exit_code == 0, printed.output
    before = counts(db_path)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Import…")
        assert isinstance(app.screen, ImportScreen)
        field = app.screen.query_one("#import-path", Input)
        assert app.focused is field
        await enter(pilot, str(export.parent / "efficacy-ex"))
        await settle(pilot, lambda: field._suggestion == str(export), what="the completion")
        await pilot.press("right")
        assert field.value == str(export)
        await pilot.press("enter")
        summary = await settle(pilot, lambda: app.screen.query_one("#import-summary").display
                               and "Added" in shown(app, "#import-summary")
                               and shown(app, "#import-summary"), what="the summary")
        assert summary == printed.output.strip()
        assert not app.screen.query_one("#error").display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    after = counts(db_path)
    assert after == {"domains": before["domains"] + 1, "rungs": before["rungs"] + 2,
                     "attempts": before["attempts"] + 2}
    assert {r["name"] for r in rows(db_path, "SELECT name FROM domains")} == {
        "Running", "Public speaking"}


async def test_a_crafted_file_is_refused_with_one_sentence_and_nothing_written(
        store, db_path, make_app, tmp_path, clock):
    ladder.add_domain(store, "Running")
    store.close()
    export = export_of_another_database(tmp_path, clock)
    data = json.loads(export.read_text())
    data["rungs"][0]["title"] = "x" * 10_000  # longer than any form takes
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data))
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    before = counts(db_path)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Import…")

        async def refused(typed: str) -> str:
            field = app.screen.query_one("#import-path", Input)
            field.value = ""
            await enter(pilot, typed)
            await pilot.press("enter")
            return await settle(pilot, lambda: app.screen.query_one("#error").display
                                and shown(app, "#error"), what="the refusal")

        sentences = [await refused(str(crafted))]
        assert sentences[0].startswith(f"{crafted} cannot be imported")
        assert "nothing was imported" in sentences[0]
        app.screen.query_one("#error").display = False
        sentences.append(await refused(str(fifo)))
        assert sentences[1] == f"{fifo} is not a regular file (it is a folder, pipe, device or " \
            "socket), so it was not read."
        app.screen.query_one("#error").display = False
        sentences.append(await refused("https://example.com/export.json"))
        assert "is not a file on this computer" in sentences[2]
        for sentence in sentences:
            assert "\n" not in sentence and sentence.endswith(".")
        assert not app.screen.query_one("#import-summary").display
    assert counts(db_path) == before


def test_completion_offers_folders_and_files_never_a_pipe(tmp_path, monkeypatch):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "2026").mkdir()
    (tmp_path / "exports" / "efficacy-export.json").write_text("{}")
    (tmp_path / ".hidden").mkdir()
    os.mkfifo(tmp_path / "pipe")
    base = str(tmp_path)
    assert complete_path(base + "/ex") == base + "/exports/"
    assert complete_path(base + "/exports/") == base + "/exports/2026/"
    assert complete_path(base + "/exports/e") == base + "/exports/efficacy-export.json"
    assert complete_path(base + "/exports/efficacy-export.json") is None
    assert complete_path(base + "/pi") is None
    assert complete_path(base + "/") == base + "/exports/"  # hidden names wait for a "."
    assert complete_path(base + "/.h") == base + "/.hidden/"
    assert complete_path(base + "/nothing/here") is None
    monkeypatch.setenv("HOME", base)
    assert complete_path("~") == "~/"
    assert complete_path("~/exp") == "~/exports/"
    assert complete_path("https://example.com/e") is None
    assert complete_path("") is None
