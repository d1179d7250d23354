"""The review screen driven with keys only through Pilot: open it from home, search as you type,
filter, read a record, edit it, delete and undo, and export, against a real database file."""

from pathlib import Path

import pytest
from helpers import Typed, at, notes, press, shown
from textual.widgets import Input, Select, Static

from efficacy_tui.store import attempts, ladder
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.review import ReviewScreen

from conftest import rows


@pytest.fixture
def history(store):
    """Two domains and five attempts; one title holds markup-like text."""
    speak = ladder.add_domain(store, "Public speaking")
    run = ladder.add_domain(store, "Running")
    for domain, title, when, outcome, did in [
        (run, "Five km along the river", "2026-11-10 07:00", "success", "Slow first km"),
        (speak, "Asked a question in the all-hands", "2026-11-18 15:00", "success", "Wrote it"),
        (speak, "Gave the [bold]stand-up[/] update", "2026-11-20 09:00", "setback", ""),
        (run, "Hill repeats", "2026-11-22 07:00", "partial", ""),
        (speak, "Asked two questions at the meetup", "2026-11-24 19:00", "success", "Sat front"),
    ]:
        attempts.add_attempt(store, domain_id=domain.id, title=title, happened_at=at(when),
                             outcome=outcome, what_i_did=did)
    return {"speak": speak, "run": run}


def titles(screen: ReviewScreen) -> list[str]:
    return [r.title for r in screen.rows]


async def open_review(pilot) -> ReviewScreen:
    await pilot.press("v")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def edit_first(pilot, title: str) -> FormScreen:
    """Open review, check the newest record is `title`, and open its edit form."""
    screen = await open_review(pilot)
    assert titles(screen)[0] == title
    await pilot.press("e")
    await pilot.pause()
    return pilot.app.screen


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def choose(pilot, *moves: str, steps: int) -> None:
    """Move to a Select, open its list, go down `steps` options (past the blank one) and pick."""
    await pilot.press(*moves, "enter")
    await pilot.pause()
    for _ in range(steps):
        await pilot.press("down")
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.long
async def test_search_filter_read_edit_delete_undo(make_app, history, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        assert titles(screen)[0] == "Asked two questions at the meetup"
        assert "5 records" in shown(screen, "#review-status")
        assert "[bold]stand-up[/]" in str(screen.table.get_row_at(2)[2])  # the Record column

        await pilot.press("slash", *"asked que")
        await pilot.pause()
        assert screen.focused is screen.query_one("#search", Input)
        assert titles(screen) == ["Asked two questions at the meetup",
                                  "Asked a question in the all-hands"]
        assert "2 records" in shown(screen, "#review-status")

        await pilot.press("tab", *"last 7 days")  # the dates input
        await pilot.pause()
        assert titles(screen) == ["Asked two questions at the meetup"]
        await pilot.press(*["backspace"] * 11, *"sometime")
        await pilot.pause()
        assert "Could not read the period \"sometime\"" in shown(screen, "#review-status")
        assert len(screen.rows) == 2
        await pilot.press(*["backspace"] * 8)
        await pilot.pause()

        await pilot.press("shift+tab", *["backspace"] * 9)  # back to the search, cleared
        await choose(pilot, "tab", "tab", steps=2)  # domain: Running
        assert screen.query_one("#domain", Select).value == history["run"].id
        assert titles(screen) == ["Hill repeats", "Five km along the river"]
        await choose(pilot, "tab", "tab", steps=2)  # outcome: partial
        assert titles(screen) == ["Hill repeats"]

        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "down")
        await pilot.pause()
        assert screen.focused is screen.table
        detail = shown(screen, "#record-detail")
        assert "Hill repeats" in detail and "◐ partial" in detail and "Running" in detail

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("end", *" in the rain", "tab", *"Kept the effort even")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = rows(db_path, "SELECT title, what_i_did, outcome FROM attempts WHERE title LIKE "
                              "'Hill%'")
        assert saved == [{"title": "Hill repeats in the rain",
                          "what_i_did": "Kept the effort even", "outcome": "partial"}]
        assert "Kept the effort even" in shown(screen, "#record-detail")

        await pilot.press("d")
        await pilot.pause()
        assert screen.rows == []
        assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE deleted_at IS NOT NULL"
                    ) == [{"n": 1}]
        await pilot.press("u")
        await pilot.pause()
        assert titles(screen) == ["Hill repeats in the rain"]
        assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE deleted_at IS NOT NULL"
                    ) == [{"n": 0}]


async def test_edit_refuses_an_empty_title(make_app, history, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("home", "ctrl+k", "ctrl+s")  # the title, emptied
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert shown(form, "#error") == "Title cannot be empty."
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE title = ''") == [{"n": 0}]


async def test_edit_refuses_an_outcome_for_an_attempt_still_ahead(make_app, store, history,
                                                                   db_path):
    """Only something that has happened can have an outcome, as on the ladder and in `log`."""
    attempts.add_attempt(store, domain_id=history["speak"].id, title="Meetup talk",
                         happened_at=at("2026-12-02 19:00"), outcome=None, confidence=60)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        form = await edit_first(pilot, "Meetup talk")
        form.query_one("#outcome-success").value = True
        await save(pilot)
        assert app.screen is form
        assert shown(form, "#error") == (
            'The time "2026-12-02 19:00" is in the future; an outcome can only be logged for '
            "something that has happened.")
    assert rows(db_path, "SELECT outcome FROM attempts WHERE title = 'Meetup talk'") == [
        {"outcome": None}]


async def test_edit_moves_a_record_in_time(make_app, store, history, db_path):
    """A wrongly dated attempt is put right in the edit form, in everyday words; an attempt with
    an outcome cannot be moved into the future."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        form = await edit_first(pilot, "Asked two questions at the meetup")
        screen = app.screen_stack[-2]
        when = form.query_one("#happened_at", Input)
        assert when.value == "2026-11-24 19:00"
        when.value = "next friday 9am"
        await save(pilot)
        assert app.screen is form
        assert shown(form, "#error").startswith('The time "2026-11-27 09:00" is in the future')
        when.value = "2026-11-12 18:30"
        await save(pilot)
        assert app.screen is screen
        assert titles(screen)[:2] == ["Hill repeats", "Gave the [bold]stand-up[/] update"]
    [moved] = rows(db_path, "SELECT happened_at FROM attempts WHERE title LIKE 'Asked two%'")
    assert moved["happened_at"] == at("2026-11-12 18:30")


async def test_undo_still_works_after_leaving_review_and_coming_back(make_app, history, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        deleted = titles(screen)[0]
        await pilot.press("d", "escape")
        await pilot.pause()
        screen = await open_review(pilot)
        assert deleted not in titles(screen)
        await pilot.press("u")
        await pilot.pause()
        assert titles(screen)[0] == deleted
    assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE deleted_at IS NOT NULL") == [
        {"n": 0}]


async def test_export_from_the_app_says_where_it_wrote(make_app, history, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = [n.message for n in app._notifications]
    said = [n for n in notes if n.startswith("Exported to ")]
    assert len(said) == 1
    path = Path(said[0].removeprefix("Exported to "))
    assert path.parent == tmp_path.resolve() and path.suffix == ".json"
    assert "Asked two questions at the meetup" in path.read_text("utf-8")


async def test_tabs_open_lazily_and_record_keys_rest_there(make_app, history):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        assert not screen.query_one("#trends").children
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one("#trends").children
        assert not screen.check_action("delete", ())
        await pilot.press("d")  # not bound on this tab: nothing is deleted
        await pilot.press("1")
        await pilot.pause()
        assert screen.check_action("delete", ())
        assert len(screen.rows) == 5

        await pilot.press("question_mark")
        await pilot.pause()
        keys = str(app.screen.query_one("#keys-here", Static).render())
        assert "Review" in keys and "Export everything as JSON, CSV or Markdown" in keys


async def test_paging_keys_and_escape_back_to_the_records(make_app, store, history):
    """The hint names only the page keys that go somewhere; home and end reach the first and
    last row; escape from the search returns to the records, keeping the search, then home."""
    for n in range(150):
        attempts.add_attempt(store, domain_id=history["run"].id, title=f"Easy run {n}",
                             happened_at=at(f"2026-10-{1 + n % 28:02d} 07:00"), outcome="success")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        status = shown(screen, "#review-status")
        assert "n next page" in status and "b previous" not in status
        await pilot.press("end")
        assert screen.table.cursor_row == len(screen.rows) - 1
        await pilot.press("home")
        assert screen.table.cursor_row == 0
        await pilot.press("n")
        await pilot.pause()
        status = shown(screen, "#review-status")
        assert "b previous page" in status and "n next" not in status

        await press(pilot, "slash", Typed("easy"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.focused is screen.table
        assert screen.query_one("#search", Input).value == "easy"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_the_whole_record_at_80x24(make_app, store, history, db_path):
    """At 80x24 every record keeps its date and time; a walkthrough shows everything it stored,
    a performance never walked through is listed as a performance, the search finds a role
    model by name with its kind, and the export question sits in the middle of the screen."""
    from datetime import datetime

    from efficacy_tui.store import readiness, role_models
    from efficacy_tui.store.readiness import WalkthroughEntry

    speak = history["speak"]
    model = role_models.add_model(store, speak.id, "Yusuf", "shy like me",
                                  "Opened every meetup with a question")
    readiness.save_walkthrough(store, WalkthroughEntry(
        sleep_hours=6.5, energy=7, anxiety_before=60, anxiety_after=30, confidence_before=50,
        confidence_after=70, readiness_before=40, readiness_after=80, said_aloud=True,
        reappraisal="This is excitement", breathing="sighing", breathing_seconds=120,
        model_id=model.id,
    ), title="Quarterly review talk", domain_id=speak.id,
        when=datetime(2026, 11, 25, 10, 0).astimezone())
    readiness.schedule_performance(store, "Panel at the library", speak.id,
                                   datetime(2026, 11, 25, 18, 0).astimezone())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        table = screen.table
        assert [c.key.value for c in table.ordered_columns] == [
            "when", "kind", "record", "outcome", "confidence"]
        whens = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert whens[:4] == ["2026-11-26 09:30", "2026-11-25 18:00", "2026-11-25 10:00",
                             "2026-11-24 19:00"]
        assert all(len(w) == 16 for w in whens)
        assert [str(table.get_row_at(n)[1]) for n in range(3)] == [
            "role model", "performance", "walkthrough"]
        await press(pilot, "down")
        assert "No readiness walkthrough before it." in shown(screen, "#record-detail")

        await press(pilot, "down")
        detail = shown(screen, "#record-detail")
        for line in ("walkthrough  2026-11-25 10:00  Public speaking", "Sleep (hours): 6.5",
                     "Energy (0-10): 7", "Readiness (before → after): 40 → 80",
                     "Anxiety (before → after): 60 → 30",
                     "Confidence (before → after): 50 → 70", "Said “I am excited” aloud: yes",
                     "Breathing: Cyclic sighing, 120 s", "Role model: Yusuf"):
            assert line in detail
        assert "No readiness walkthrough" not in detail

        await press(pilot, "slash", Typed("yusuf"), "enter")
        assert [(r.kind, r.title) for r in screen.rows] == [("model", "Yusuf")]
        assert str(table.get_row_at(0)[1]) == "role model"
        assert "Yusuf: Opened every meetup" in str(table.get_row_at(0)[2])
        assert "Like me in: shy like me" in shown(screen, "#record-detail")
        await press(pilot, "e")
        assert app.screen.form_title == "Edit role model"
        app.screen.query_one("#what_they_did", Input).value = "Opened every meetup"
        await save(pilot)
        assert rows(db_path, "SELECT what_they_did FROM models") == [
            {"what_they_did": "Opened every meetup"}]
        await press(pilot, "u")
        assert rows(db_path, "SELECT what_they_did FROM models") == [
            {"what_they_did": "Opened every meetup with a question"}]

        await pilot.press("x")
        await pilot.pause()
        box = app.screen.query_one(".form-box").region
        assert abs(box.x - (80 - box.right)) <= 1 and abs(box.y - (24 - box.bottom)) <= 1


async def test_edit_rung_effort_and_confidence_then_undo_edit_and_delete(make_app, store,
                                                                        history, db_path):
    """The edit form changes an attempt's rung, effort and confidence; a confidence given once
    the outcome is known is stored as recalled. One undo stack takes back, newest first, a
    delete and then the edit."""
    ladder.add_rung(store, history["run"].id, "Hill repeats x6", "", 40)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        await press(pilot, "slash", Typed("hill"), "enter", "e")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#rung_id").focus()
        await press(pilot, "enter", "down", "enter")  # the first rung, past "No rung"
        form.query_one("#effort").focus()
        await press(pilot, "4")
        form.query_one("#confidence").focus()
        await press(pilot, "8")
        await save(pilot)
        assert app.screen is screen
        hill = "SELECT r.title AS rung, effort, confidence, confidence_timing FROM attempts a " \
               "LEFT JOIN rungs r ON r.id = a.rung_id WHERE a.title = 'Hill repeats'"
        assert rows(db_path, hill) == [{"rung": "Hill repeats x6", "effort": 4, "confidence": 80,
                                        "confidence_timing": "recalled"}]
        detail = shown(screen, "#record-detail")
        assert "Rung: Hill repeats x6" in detail and "Effort (1-5): 4" in detail
        assert "Confidence, recalled after the outcome" in detail
        assert notes(app)[-1] == "Saved. Press u to undo the edit."

        await press(pilot, "slash", *["backspace"] * 4, "enter", "d")  # the newest record
        assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE deleted_at IS NOT NULL"
                    ) == [{"n": 1}]
        await press(pilot, "u")
        assert notes(app)[-1].startswith("Brought back")
        assert rows(db_path, "SELECT count(*) AS n FROM attempts WHERE deleted_at IS NOT NULL"
                    ) == [{"n": 0}]
        await press(pilot, "u")
        assert notes(app)[-1] == "Undid the edit of “Hill repeats”."
        assert rows(db_path, hill) == [{"rung": None, "effort": None, "confidence": None,
                                        "confidence_timing": None}]
        await press(pilot, "u")
        assert notes(app)[-1] == "Nothing to undo."


async def test_the_warm_up_leaves_review_nothing_to_parse(make_app, history):
    """Once the warm-up has run, opening review adds no stylesheet source: one added as a
    screen opens makes Textual parse every rule again and restyle every widget on home."""
    import inspect

    from helpers import settle

    sheet = str((Path(inspect.getfile(ReviewScreen)).parent / ReviewScreen.CSS_PATH).resolve())
    app = make_app(warm_up=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.stylesheet.has_source(sheet, ""), what="the warm-up")
        sources = set(app.stylesheet.source)
        screen = await open_review(pilot)
        assert set(app.stylesheet.source) == sources
        assert "5 records" in shown(screen, "#review-status")
        margins = [screen.query_one(f"#{name}").styles.margin.right
                   for name in ("domain", "kind", "outcome")]
        assert margins == [1, 1, 0]
