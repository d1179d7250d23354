"""The mastery ladder, driven with keys only through Pilot against a real database file."""

import json
from datetime import datetime

import pytest
from click.testing import CliRunner
from helpers import Typed, enter, notes, press, type_keys
from helpers import shown as text_of
from textual.content import Content
from textual.widgets import OptionList, Static

from efficacy_tui.cli import main
from efficacy_tui.store import attempts, ladder
from efficacy_tui.ui.screens.base import ConfirmScreen, FormScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen

from conftest import rows

RUNGS = [
    ("Say good morning to the team", "Out loud, not in chat", 20),
    ("Ask one question in a meeting", "A full sentence", 30),
    ("Give the stand-up update", "Without reading", 40),
    ("Present five minutes", "Finish on time", 55),
    ("Give a meetup talk", "Ten minutes to strangers", 70),
]


async def open_ladder(pilot) -> LadderScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LadderScreen)
    return pilot.app.screen


async def add_domain(pilot, name: str, put=enter) -> None:
    """`put` enters each text (`type_keys` types it key by key)."""
    await pilot.press("n")
    await pilot.pause()
    for text, then in ((name, "tab"), ("Speak at a meetup", "tab"),
                       ("I want my voice heard", "ctrl+s")):
        await put(pilot, text)
        await pilot.press(then)
    await pilot.pause()


async def add_rung(pilot, title: str, criterion: str, difficulty: int, put=enter) -> None:
    """The rung form opens with a suggested difficulty; arrows move it by 5 to the target."""
    await pilot.press("a")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    for text in (title, criterion):
        await put(pilot, text)
        await pilot.press("tab")
    current = form.query_one("#difficulty").value
    step = "right" if difficulty > current else "left"
    await pilot.press(*[step] * (abs(difficulty - current) // 5))
    await pilot.press("ctrl+s")
    await pilot.pause()


async def plan(pilot, confidence: int) -> None:
    """Plan on the selected rung: confidence starts unrated, the first arrow sets 50."""
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("tab", "tab", "right")
    steps = (confidence - 50) // 10
    await pilot.press(*(["right"] * steps if steps > 0 else ["left"] * -steps))
    await pilot.press("ctrl+s")
    await pilot.pause()


OUTCOME_INDEX = {"success": 0, "partial": 1, "setback": 2}


async def choose_outcome(pilot, outcome: str, did: str, put=enter) -> None:
    """In an outcome form, focused on the outcome radio set."""
    await pilot.press(*["down"] * OUTCOME_INDEX[outcome], "enter", "tab", "right", "tab")
    await put(pilot, did)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def record(pilot, outcome: str, did: str = "prepared", put=enter) -> None:
    await pilot.press("o")
    await pilot.pause()
    await choose_outcome(pilot, outcome, did, put)


async def log_after(pilot, outcome: str) -> None:
    """Log after the fact; a setback or partial offers reframing, declined here with n."""
    await pilot.press("g")
    await pilot.pause()
    await pilot.press("tab", "tab")
    await choose_outcome(pilot, outcome, "tried")
    if outcome != "success":
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()


@pytest.mark.long
async def test_empty_database_to_a_working_ladder_with_keys_only(make_app, db_path, clock):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_ladder(pilot)
        assert "self-efficacy audit" in text_of(screen, "#domain-head")
        await add_domain(pilot, "Public speaking", put=type_keys)
        for title, criterion, difficulty in RUNGS:
            await add_rung(pilot, title, criterion, difficulty, put=type_keys)
        assert "0/5 rungs mastered" in text_of(screen, "#domain-head")
        assert not screen.query_one("#warnings").display
        options = screen.query_one("#rungs", OptionList)
        # Drawn hardest at the top; the first rung added is the active one.
        assert str(options.get_option_at_index(0).prompt).splitlines()[0].endswith("Give a meetup talk")
        await pilot.press("end")  # the bottom rung
        assert screen.selected_line().rung.status == "active"

        await plan(pilot, 40)
        [planned] = rows(db_path, "SELECT * FROM attempts WHERE outcome IS NULL")
        assert planned["confidence"] == 40 and planned["rung_id"] == screen.selected_rung_id()
        assert "said 40 beforehand" in text_of(screen, "#planned")
        clock.at(datetime(2026, 11, 26, 18, 0))
        await record(pilot, "success", "rehearsed the greeting", put=type_keys)
        [done] = rows(db_path, "SELECT * FROM attempts")
        assert done["outcome"] == "success" and done["effort"] == 3
        assert done["what_i_did"] == "rehearsed the greeting" and done["confidence"] == 40
        assert "keep going" in text_of(screen, "#rung-detail")

        for _ in range(2):
            await plan(pilot, 60)
            await record(pilot, "success")
        assert "All of the last 3 succeeded" in text_of(screen, "#rung-detail")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        statuses = {r["title"]: r["status"] for r in rows(db_path, "SELECT * FROM rungs")}
        assert statuses["Say good morning to the team"] == "mastered"
        assert statuses["Ask one question in a meeting"] == "active"
        assert "1/5 rungs mastered" in text_of(screen, "#domain-head")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1/5 rungs mastered" in text_of(app.screen, "#domain-list")
        assert "▶ Ask one question in a meeting" in text_of(app.screen, "#domain-list")


async def test_split_after_three_setbacks(store, make_app, db_path):
    domain = ladder.add_domain(store, "Running")
    easy = ladder.add_rung(store, domain.id, "Run 3 km", "no walking", 30)
    ladder.add_rung(store, domain.id, "Run 5 km", "no walking", 45)
    for _ in range(3):
        attempts.add_attempt(store, domain_id=domain.id, rung_id=easy.id, title="3 km",
                             happened_at="2026-11-20T07:00:00+00:00", outcome="success")
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected_line().rung.title == "Run 3 km"
        for _ in range(3):
            await log_after(pilot, "setback")
        assert "The last 3 attempts were setbacks" in text_of(screen, "#rung-detail")
        await pilot.press("s", "y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)  # the new rung opens for editing
        await press(pilot, "ctrl+a", "ctrl+k", Typed("Run 2 km with one walk break"), "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
    by_title = {r["title"]: r for r in rows(db_path, "SELECT * FROM rungs ORDER BY position")}
    new = by_title["Run 2 km with one walk break"]
    assert new["split_from"] == easy.id and new["status"] == "active"
    assert by_title["Run 3 km"]["status"] == "upcoming"
    assert [r["title"] for r in rows(db_path, "SELECT title FROM rungs ORDER BY position")] == [
        "Run 2 km with one walk break", "Run 3 km", "Run 5 km"]
    assert 0 <= new["difficulty"] < 30


async def test_designer_warns_reorders_deletes_and_undoes(store, make_app, db_path):
    domain = ladder.add_domain(store, "Spanish")
    ladder.add_rung(store, domain.id, "Order a coffee", "", 50)
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        warnings = text_of(screen, "#warnings")
        assert "50" in warnings and screen.query_one("#warnings").display
        await add_rung(pilot, "Chat for ten minutes", "", 80)
        warnings = text_of(screen, "#warnings")
        assert "30 apart" in warnings  # a warning, not a refusal: the rung is there
        assert len(rows(db_path, "SELECT * FROM rungs")) == 2
        await pilot.press("home")  # the top rung
        assert screen.selected_line().rung.title == "Chat for ten minutes"
        await pilot.press("shift+down")
        await pilot.pause()
        order = [r["title"] for r in rows(db_path, "SELECT title FROM rungs ORDER BY position")]
        assert order == ["Chat for ten minutes", "Order a coffee"]
        assert screen.selected_line().rung.title == "Chat for ten minutes"
        await pilot.press("d")
        await pilot.pause()
        live = rows(db_path, "SELECT title FROM rungs WHERE deleted_at IS NULL")
        assert live == [{"title": "Order a coffee"}]
        await pilot.press("u")
        await pilot.pause()
        live = rows(db_path, "SELECT title FROM rungs WHERE deleted_at IS NULL ORDER BY position")
        assert [r["title"] for r in live] == ["Chat for ten minutes", "Order a coffee"]


async def test_bad_rung_and_plan_input_is_refused(store, make_app, db_path):
    domain = ladder.add_domain(store, "Chess")
    ladder.add_rung(store, domain.id, "Play one rated game", "", 30)
    app = make_app(start="ladder")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert "The challenge cannot be empty." in str(form.query_one("#error", Static).render())
        await pilot.press("escape", "p")
        await pilot.pause()
        await press(pilot, "tab", "ctrl+a", "ctrl+k", Typed("someday maybe"), "tab", "right",
                    "ctrl+s")
        await pilot.pause()
        assert 'Could not read the time "someday maybe"' in str(
            app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
    assert len(rows(db_path, "SELECT * FROM rungs")) == 1
    assert rows(db_path, "SELECT * FROM attempts") == []


def test_ladder_screen_figures_match_stats_json(tmp_path, clock):
    """The demo database: what the ladder screen shows is what `efficacy stats` reports."""
    import asyncio

    from efficacy_tui.store.core import open_store
    from efficacy_tui.store.demo import build_demo
    from efficacy_tui.ui.app import EfficacyApp

    path = tmp_path / "demo.db"
    store = open_store(path, clock=clock)
    build_demo(store, days=120, attempts=600)
    store.close()
    result = CliRunner().invoke(main, ["--db", str(path), "stats", "--format", "json"])
    data = json.loads(result.output)

    async def check() -> None:
        app = EfficacyApp(open_store(path, clock=clock), start="ladder", warm_up=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            for index, expected in enumerate(data["domains"]):
                screen.query_one("#domain-list", OptionList).highlighted = index
                await pilot.pause()
                head = text_of(screen, "#domain-head")
                assert head.startswith(expected["name"])
                assert f"{expected['rungs_mastered']}/{expected['rungs_total']} rungs" in head
                assert expected["calibration"]["sentence"] in text_of(screen, "#calibration").replace("\n", " ")
                if expected["brier"] is not None and expected["rated_attempts"] >= 10:
                    assert f"Brier score {expected['brier']:.3f}" in text_of(screen, "#calibration")
                    if expected["recalled_attempts"]:
                        assert (f"{expected['recalled_attempts']} recalled afterwards, not counted"
                                in text_of(screen, "#calibration"))
                active = next(line for line in screen.lines if line.rung.status == "active")
                assert active.rung.title == expected["active_rung"]["title"]
                screen.query_one("#rungs", OptionList).highlighted = screen.lines.index(active)
                await pilot.pause()
                assert expected["suggestion"]["reason"] in text_of(screen, "#rung-detail").replace("\n", " ")

    asyncio.run(check())


async def test_a_setback_recorded_on_the_ladder_leads_into_reframing(store, make_app, db_path):
    """Keys only: plan, record a setback, accept the offer, complete every reframing step."""
    from test_reframe_app import reach_plan

    from efficacy_tui.ui.screens.reframe import ReframeScreen

    domain = ladder.add_domain(store, "Public speaking")
    current = ladder.add_rung(store, domain.id, "Five-minute update", "Finish on time", 50)
    harder = ladder.add_rung(store, domain.id, "Meetup talk", "Ten minutes", 70)
    win = attempts.add_attempt(store, domain_id=domain.id, rung_id=harder.id,
                               title="Meetup talk in June", outcome="success",
                               happened_at="2026-06-10T19:00:00+01:00",
                               what_i_did="Rehearsed twice with a colleague")
    app = make_app(start="ladder")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ladder_screen = app.screen
        assert ladder_screen.selected_line().rung.id == current.id
        await plan(pilot, 60)
        await pilot.press("o")
        await pilot.pause()
        await press(pilot, "down", "down", "enter", "tab", "end", "tab", Typed("winged it"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # one key from the setback to reframing
        await pilot.pause()
        assert isinstance(app.screen, ReframeScreen)
        await reach_plan(pilot, why="I'm just not good at this",
                         explanation="I skipped the rehearsal")
        await press(pilot, Typed("I feel rushed"), "enter", Typed("I rehearse the opening twice"),
                    "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is ladder_screen
    [setback] = rows(db_path, "SELECT * FROM attempts WHERE outcome = 'setback'")
    assert setback["effort"] == 5 and setback["confidence"] == 60
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert row["attempt_id"] == setback["id"] and row["domain_id"] == domain.id
    assert (row["locus"], row["stability"], row["controllability"]) == (
        "internal", "stable", "uncontrollable")
    assert row["cause"] == "strategy"  # offered first because effort was 5
    assert row["new_explanation"] == "I skipped the rehearsal"
    assert (row["if_situation"], row["then_action"]) == (
        "I feel rushed", "I rehearse the opening twice")
    assert json.loads(row["evidence"]) == [win.uid]
    # The answers were kept as they were on the second look: not ticked, whatever the cause.
    assert row["controllable_temporary"] == 0


async def test_home_offers_the_latest_setback_for_reframing(store, make_app):
    from efficacy_tui.ui.screens.reframe import ReframeScreen

    domain = ladder.add_domain(store, "Running")
    attempts.add_attempt(store, domain_id=domain.id, title="Stopped at 3 km",
                         happened_at="2026-11-25T07:00:00+00:00", outcome="setback")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Stopped at 3 km" in text_of(app.screen, "#setback")
        assert "Press r to reframe it." in text_of(app.screen, "#setback")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReframeScreen)
        assert app.screen.attempt is not None and app.screen.attempt.title == "Stopped at 3 km"


async def test_notifications_quote_user_text_literally(store, make_app):
    domain = ladder.add_domain(store, "[b]Chess[/b]")
    ladder.add_rung(store, domain.id, "[red]Play one game[/] [@click=app.quit]x[/]", "", 30)
    app = make_app(start="ladder")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        [note] = list(app._notifications)
        assert note.markup is False
        assert "[red]Play one game[/] [@click=app.quit]x[/]" in note.message
        await pilot.press("u")
        await pilot.pause()
        assert app.is_running
        assert "[b]Chess[/b]" in text_of(app.screen, "#domain-head")


async def test_markup_in_a_rung_title_is_shown_literally_in_its_forms(store, make_app, db_path):
    domain = ladder.add_domain(store, "Speaking")
    ladder.add_rung(store, domain.id, "Speak [/] clearly [b]", "", 30)
    app = make_app(start="ladder")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("p", "g"):
            await pilot.press(key)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            title = form.query_one(".form-box").border_title  # kept as escaped markup
            assert "Speak [/] clearly [b]" in Content.from_markup(title).plain
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running


async def test_a_deleted_focus_rung_is_not_brought_back_by_editing_the_checkin(
        store, make_app, db_path):
    from efficacy_tui.coach.checkin import read_checkin
    from efficacy_tui.store import checkins

    checkins.save_checkin(store, read_checkin(store.today(), {
        "energy": 5, "anxiety": 20, "focus_domain": "Speaking", "focus_rung": "Say hi"}))
    [rung] = rows(db_path, "SELECT * FROM rungs")
    ladder.delete_rung(store, rung["id"])
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#focus_rung").value == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert rows(db_path, "SELECT count(*) AS n FROM rungs WHERE deleted_at IS NULL") == [{"n": 0}]


async def test_an_accepted_split_is_not_offered_again(store, make_app, db_path, clock):
    """After a split only the smaller rung is active; the rung that was split says nothing and
    `s` on it is refused, and once the smaller rung is mastered the old setbacks do not count."""
    domain = ladder.add_domain(store, "Running")
    easy = ladder.add_rung(store, domain.id, "Run 3 km", "no walking", 30)
    for hour in (6, 7, 8):
        attempts.add_attempt(store, domain_id=domain.id, rung_id=easy.id, title="3 km",
                             happened_at=f"2026-11-26T0{hour}:00:00+00:00", outcome="setback")
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("s", "y")
        await pilot.pause()
        await pilot.press("escape")  # keep the suggested title
        await pilot.pause()
        assert app.screen is screen
        smaller = screen.selected_line().rung
        assert smaller.split_from == easy.id and smaller.status == "active"
        await pilot.press("up")  # the rung that was split, now upcoming
        line = screen.selected_line()
        assert line.rung.id == easy.id and line.outcomes == []
        assert "Coach:" not in str(screen.query_one("#rungs", OptionList).get_option_at_index(0).prompt)
        assert "Press s" not in text_of(screen, "#rung-detail")
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen  # no question asked
        assert "is upcoming: the coach's suggestions are for the rung you" in notes(app)[-1]
        assert len(rows(db_path, "SELECT * FROM rungs")) == 2
        clock.at(datetime(2026, 11, 26, 10, 0))
        for _ in range(3):
            attempts.add_attempt(store, domain_id=domain.id, rung_id=smaller.id, title="2 km",
                                 happened_at=store.stamp(), outcome="success")
        ladder.accept_advance(store, smaller.id)
        screen.refresh_ladder(select_rung=easy.id)
        await pilot.pause()
        assert screen.selected_line().rung.status == "active"
        assert "Coach: keep going" in text_of(screen, "#rung-detail")


async def test_no_suggestion_is_offered_for_a_mastered_rung(store, make_app, db_path):
    domain = ladder.add_domain(store, "Chess")
    first = ladder.add_rung(store, domain.id, "Play one game", "", 30)
    second = ladder.add_rung(store, domain.id, "Play two games", "", 40)
    for rung in (first, second):
        for _ in range(3):
            attempts.add_attempt(store, domain_id=domain.id, rung_id=rung.id, title="game",
                                 happened_at="2026-11-25T19:00:00+00:00", outcome="success")
    ladder.accept_advance(store, first.id)
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down")  # the mastered bottom rung
        assert screen.selected_line().rung.status == "mastered"
        detail = text_of(screen, "#rung-detail")
        assert "Press s" not in detail and "Mastered." in detail
        stamp = rows(db_path, "SELECT mastered_at FROM rungs WHERE id = ?", [first.id])
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen
        assert rows(db_path, "SELECT mastered_at FROM rungs WHERE id = ?", [first.id]) == stamp
        await pilot.press("up", "s", "y")  # the active top rung: the whole ladder mastered
        await pilot.pause()
        assert [r["status"] for r in rows(db_path, "SELECT status FROM rungs")] == ["mastered"] * 2
        assert screen.selected_line().rung.id == second.id
        assert "Press s" not in text_of(screen, "#rung-detail")


async def test_undoing_the_deletion_of_the_active_rung_restores_it_as_active(
        store, make_app, db_path):
    domain = ladder.add_domain(store, "Spanish")
    first = ladder.add_rung(store, domain.id, "Order a coffee", "", 20)
    ladder.add_rung(store, domain.id, "Ask the way", "", 30)
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected_line().rung.id == first.id
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert screen.selected_line().rung.status == "active"
    assert {r["title"]: r["status"] for r in rows(db_path, "SELECT * FROM rungs")} == {
        "Order a coffee": "active", "Ask the way": "upcoming"}


async def test_a_planned_weekday_is_the_coming_one(store, make_app, db_path):
    domain = ladder.add_domain(store, "Chess")
    ladder.add_rung(store, domain.id, "Play one rated game", "", 30)
    app = make_app(start="ladder")  # the clock says Thursday 26 November 2026
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await press(pilot, "tab", "ctrl+a", "ctrl+k", Typed("someday"), "tab", "right", "ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#error", Static).render())
        assert "tomorrow 9am" in error and "yesterday" not in error
        assert app.focused.id == "when"
        await press(pilot, "ctrl+a", "ctrl+k", Typed("friday 9am"), "ctrl+s")
        await pilot.pause()
    [planned] = rows(db_path, "SELECT * FROM attempts")
    assert planned["happened_at"] == "2026-11-27T09:00:00+00:00"


async def test_a_taken_domain_name_is_named_in_the_form_keeping_what_was_typed(
        store, make_app, db_path):
    ladder.add_domain(store, "Running")
    ladder.add_domain(store, "Chess")
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await add_domain(pilot, "running")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert 'already a domain named "running"' in str(form.query_one("#error", Static).render())
        assert [form.query_one(f"#{f}").value for f in ("name", "goal", "why")] == [
            "running", "Speak at a meetup", "I want my voice heard"]
        assert app.focused.id == "name"
        await pilot.press("escape", "r")  # rename the selected domain to a taken name
        await pilot.pause()
        await press(pilot, "ctrl+a", "ctrl+k", Typed("Chess"), "tab", Typed("win"), "ctrl+s")
        await pilot.pause()
        assert 'already a domain named "Chess"' in str(
            app.screen.query_one("#error", Static).render())
        assert app.screen.query_one("#goal").value == "win"
    assert [r["name"] for r in rows(db_path, "SELECT name FROM domains ORDER BY id")] == [
        "Running", "Chess"]


async def test_with_no_domain_the_keys_say_to_add_one_first(make_app):
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        shown = {key for key, b in screen.active_bindings.items() if b.binding.show}
        assert {"n", "t"} <= shown and not {"p", "s", "a", "o", "e", "i"} & shown
        for key in ("p", "s", "a"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
            assert notes(app)[-1].startswith("Add a domain first: press n")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await press(pilot, Typed("Chess"), "ctrl+s")
        await pilot.pause()
        shown = {key for key, b in screen.active_bindings.items() if b.binding.show}
        assert {"p", "s", "a"} <= shown and "n" not in shown


async def test_a_split_rung_keeps_its_difficulty_and_counts_what_came_before(
        store, make_app, db_path):
    """A split halfway between 20 and 35 is 27: the form shows 27 and saving keeps it; the rung
    that was split says how many attempts came before the split rather than "no attempts yet"."""
    domain = ladder.add_domain(store, "Running")
    walk = ladder.add_rung(store, domain.id, "Walk 2 km", "", 20)
    run = ladder.add_rung(store, domain.id, "Run 3 km", "no walking", 35)
    ladder.accept_advance(store, walk.id)
    for hour in (6, 7, 8):
        attempts.add_attempt(store, domain_id=domain.id, rung_id=run.id, title="3 km",
                             happened_at=f"2026-11-25T0{hour}:00:00+00:00", outcome="setback")
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.selected_line().rung.id == run.id
        await pilot.press("s", "y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#difficulty").value == 27
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        prompts = {line.rung.title: str(option.prompt) for line, option in zip(
            screen.lines, screen.query_one("#rungs", OptionList)._options, strict=True)}
        assert "no attempts since the split (3 before)" in prompts["Run 3 km"]
        assert "no attempts yet" in prompts["A smaller step toward: Run 3 km"]
        await pilot.press("e", "ctrl+s")  # opened and saved again, untouched
        await pilot.pause()
    split = rows(db_path, "SELECT difficulty FROM rungs WHERE split_from = ?", [run.id])
    assert split == [{"difficulty": 27}]


async def test_the_calibration_box_says_its_sentence_once_with_one_domain(
        store, make_app):
    chess = ladder.add_domain(store, "Chess")
    for n in range(12):
        planned = attempts.add_attempt(store, domain_id=chess.id, title="game",
                                       happened_at=f"2026-11-{10 + n}T19:00:00+00:00",
                                       outcome=None, confidence=80)
        attempts.record_outcome(store, planned.id, outcome="success" if n % 2 else "setback",
                                effort=None, what_i_did="", note="")
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        box = text_of(app.screen, "#calibration")
        assert "All domains:" not in box and box.count("Brier score") == 1
    ladder.add_domain(store, "Spanish")
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        box = text_of(app.screen, "#calibration")
        assert "All domains:" in box and box.count("Brier score") == 2


async def test_a_new_domain_named_like_a_known_one_is_asked_about(store, make_app, db_path):
    """Starting a domain is what the form is for, but "Runing" beside "Running" is asked about
    first: no goes back to the name with nothing written, yes starts it."""
    ladder.add_domain(store, "Running")
    app = make_app(start="ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await add_domain(pilot, "Runing")
        asked = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "New domain: Runing?" in asked and "Did you mean Running?" in asked
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.focused.id == "name"
        assert [r["name"] for r in rows(db_path, "SELECT name FROM domains")] == ["Running"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
    assert [r["name"] for r in rows(db_path, "SELECT name FROM domains ORDER BY id")] == [
        "Running", "Runing"]
