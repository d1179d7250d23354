"""The readiness walkthrough, scheduling and the follow-up, driven with keys only on a real file."""

import json
from datetime import datetime

import pytest
from helpers import (
    Typed,
    enter,
    notes,
    press,
    setback,
    settle,
    shown,
    speaking_ladder,
    success,
    type_keys,
)
from textual.widgets import Input

from efficacy_tui.coach.checkin import CheckinEntry
from efficacy_tui.store import checkins
from efficacy_tui.ui.screens import readiness as readiness_screen
from efficacy_tui.ui.screens.base import ConfirmScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.performance_forms import ScheduleForm
from efficacy_tui.ui.screens.readiness import ReadinessScreen
from efficacy_tui.ui.screens.reframe import ReframeScreen

from conftest import rows

MARKUP = "[bold]x[/]"


def speaking(store):
    """The speaking ladder, its two successes and a setback on the hard rung."""
    built = speaking_ladder(store)
    setback(store, built.hard, "Lost my place", "2026-11-21T10:00:00+00:00")
    return built.domain


def forget_drafts(store) -> None:
    """For a test that opens the walkthrough again and expects it blank, not as left before."""
    with store.transaction():
        store.db.execute("DELETE FROM drafts")


def checkin(store, day: str, *, sleep: float, energy: int, anxiety: int) -> None:
    checkins.save_checkin(store, CheckinEntry(
        day=day, sleep_hours=sleep, energy=energy, anxiety=anxiety, focus_domain="",
        focus_rung="", focus_confidence=None, win_title="", win_did="", if_situation="",
        then_action=""))


async def schedule(pilot, title: str, domain: str, when: str, put=enter) -> None:
    """`put` enters each text (`type_keys` types it key by key)."""
    await pilot.press("s")
    await pilot.pause()
    await put(pilot, title)
    await pilot.press("tab")
    await put(pilot, domain)
    await pilot.press("tab")
    await put(pilot, when)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def walk_through(pilot, *, breathe: bool = False, put=enter) -> None:
    """Every step by keys: the scheduled performance is already chosen on step 1."""
    app = pilot.app
    await pilot.press("enter")  # step 1: the highlighted performance
    assert app.screen.step == 2
    await put(pilot, "6.5")
    # The first arrow on an unrated scale sets its middle; each one after moves a step.
    await pilot.press("enter", "right", "enter")  # energy 5
    await pilot.press("right", "right", "right", "enter")  # anxiety 70
    await pilot.press("left", "enter")  # confidence 50
    await pilot.press("left", "left", "enter")  # readiness 40
    assert app.screen.step == 3
    await pilot.press("enter", "tab")  # said it aloud: enter ticks it, as space does
    await put(pilot, "my racing heart is getting me ready " + MARKUP)
    await pilot.press("enter")
    assert app.screen.step == 4
    if breathe:
        await pilot.press("s")
        # A one-second session. The bar's own last line ("Done · 1 s") is drawn a moment before
        # the screen hears the session ended; enter goes on once the pacer says so.
        pacer = app.screen.query_one("#pacer")
        await settle(pilot, lambda: "to go on" in str(pacer.render()), what="the breathing to end")
        await pilot.press("enter")
    else:
        await pilot.press("ctrl+s")
    assert app.screen.step == 5
    await pilot.press("enter")
    assert app.screen.step == 6
    await put(pilot, "my mind goes blank")
    await pilot.press("enter")
    await put(pilot, "pause and read the slide title aloud")
    await pilot.press("enter")
    assert app.screen.step == 7
    await pilot.press("left", "left", "enter")  # anxiety 40
    await pilot.press("right", "right", "enter")  # confidence 60
    await pilot.press("right", "right", "right", "enter")  # readiness 70
    assert app.screen.step == 8


@pytest.mark.long
async def test_schedule_then_walk_through_with_breathing_skipped(make_app, store, db_path):
    speaking(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await schedule(pilot, "Team update", "Public speaking", "tomorrow 9am", put=type_keys)
        assert isinstance(app.screen, HomeScreen)
        coming = shown(app, "#performance-list")
        assert "Team update" in coming and "tomorrow 09:00" in coming
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ReadinessScreen)
        await walk_through(pilot, put=type_keys)
        card = shown(app, "#summary")
        assert "70 → 40 (−30)" in card and "50 → 60 (+10)" in card
        assert MARKUP in card  # the user's words, shown literally
        assert "Meetup talk in June" in card  # hardest evidence first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "You are ready" in shown(app, "#summary-heading")
        assert "If my mind goes blank, then I will pause" in shown(app, "#summary")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = rows(db_path, "SELECT * FROM readiness")
    assert len(saved) == 1
    row = saved[0]
    assert row["title"] == "Team update"
    assert row["scheduled_for"].startswith("2026-11-27T09:00")
    assert (row["anxiety_before"], row["anxiety_after"]) == (70, 40)
    assert (row["confidence_before"], row["confidence_after"]) == (50, 60)
    assert (row["readiness_before"], row["readiness_after"]) == (40, 70)
    assert row["sleep_hours"] == 6.5 and row["energy"] == 5 and row["said_aloud"] == 1
    assert row["reappraisal"].endswith(MARKUP)
    assert row["breathing"] is None and row["breathing_seconds"] == 0
    assert row["if_situation"] == "my mind goes blank"
    assert row["completed_at"] is not None
    shown_uids = json.loads(row["evidence"])
    titles = [r["title"] for r in rows(db_path, "SELECT uid, title FROM attempts")
              if r["uid"] in shown_uids]
    assert set(titles) == {"Meetup talk in June", "Asked about the roadmap"}


@pytest.mark.serial  # a one-second breathing session, timed
async def test_walk_through_with_a_short_breathing_session(make_app, store, db_path,
                                                           monkeypatch):
    monkeypatch.setattr(readiness_screen, "BREATH_SECONDS", (1, 2))
    speaking(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await schedule(pilot, "Exam", "Public speaking", "in 2 hours")
        await pilot.press("p")
        await pilot.pause()
        await walk_through(pilot, breathe=True)
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = rows(db_path, "SELECT breathing, breathing_seconds FROM readiness")[0]
    assert row == {"breathing": "resonance", "breathing_seconds": 1}


async def test_a_bad_step_is_named_and_nothing_is_written(make_app, store, db_path):
    speaking(store)
    app = make_app("readiness")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.step == 1
        await pilot.press("enter")  # "A new performance" is the only choice
        await pilot.press("enter", "enter", "enter")  # blank title, domain and time
        assert app.screen.step == 1
        assert "cannot be empty" in shown(app, "#error")
        assert app.screen.focused.id == "title"
        await enter(pilot, "Match")
        await pilot.press("tab", "tab")
        await enter(pilot, "the day after never")
        await pilot.press("enter")
        assert app.screen.step == 1
        assert "Could not read the time" in shown(app, "#error")
        await pilot.press("ctrl+u")
        await pilot.press("enter")  # blank time means now
        assert app.screen.step == 2
        await pilot.press("enter", "enter", "enter", "enter", "enter")
        assert app.screen.step == 2
        assert "Rate your anxiety" in shown(app, "#error")
        await pilot.press("escape")  # leaves at once: what was typed is a draft
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert rows(db_path, "SELECT * FROM readiness") == []


async def test_the_outcome_is_asked_once_the_time_has_passed(make_app, store, db_path, clock):
    domain = speaking(store)
    from efficacy_tui.store.readiness import schedule_performance

    schedule_performance(store, "Board update", domain.id, datetime(2026, 11, 26, 8, 0).astimezone())
    schedule_performance(store, "Later talk", domain.id, datetime(2026, 11, 30, 8, 0).astimezone())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "How did “Board update” go?" in shown(app, "#followup")
        assert "Later talk" in shown(app, "#performance-list")
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # setback
        await pilot.press("tab")
        await enter(pilot, "I rushed the intro")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReframeScreen)
        assert app.screen.attempt is not None and app.screen.attempt.title == "Board update"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#followup").display
    attempt = rows(db_path, "SELECT * FROM attempts WHERE source = 'readiness'")
    assert len(attempt) == 1
    assert attempt[0]["outcome"] == "setback" and attempt[0]["what_i_did"] == "I rushed the intro"
    linked = rows(db_path, "SELECT attempt_id, followup_at FROM readiness "
                           "WHERE title = 'Board update'")[0]
    assert linked["attempt_id"] == attempt[0]["id"] and linked["followup_at"]


@pytest.mark.parametrize("answer", ["success", "skipped"])
async def test_a_follow_up_is_asked_only_once(make_app, store, db_path, answer):
    from efficacy_tui.store.readiness import schedule_performance

    schedule_performance(store, "Interview", None, datetime(2026, 11, 25, 15, 0).astimezone())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*(["enter"] if answer == "success" else ["up", "enter"]))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#followup").display
    count = rows(db_path, "SELECT count(*) AS n FROM attempts WHERE source = 'readiness'")[0]["n"]
    assert count == (1 if answer == "success" else 0)


@pytest.mark.serial  # reads the pacer 0.3 s into a session
@pytest.mark.parametrize("level", ["full", "none"])
async def test_the_pacer_shows_the_same_pacing_with_or_without_animation(make_app, store,
                                                                        level):
    from efficacy_tui.coach.pacer import PATTERNS
    from efficacy_tui.ui.widgets.pacer import Pacer

    app = make_app("readiness")
    async with app.run_test(size=(100, 40)) as pilot:
        app.animation_level = level
        pacer = app.screen.query_one("#pacer", Pacer)
        pacer.start(PATTERNS["resonance"], 60)
        await pilot.pause(0.3)
        drawn = str(pacer.render())
        assert "Breathe in" in drawn and "left" in drawn
        assert ("█" in drawn or "░" in drawn) == (level == "full")
        assert pacer.stop() < 60 and not pacer.running


def test_the_walkthrough_never_says_calm_down():
    from efficacy_tui.content import say

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    said = " ".join(strings(say("readiness")))
    for phrase in ("calm down", "relax", "don't be nervous", "do not be nervous"):
        assert phrase not in said.lower()


async def test_scheduling_reads_a_weekday_ahead_and_refuses_a_time_past(make_app, store,
                                                                       db_path):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await schedule(pilot, "Old talk", "", "yesterday 9am")
        assert "already passed" in shown(app, "#error")
        await pilot.press("escape")
        await pilot.pause()
        await schedule(pilot, "Friday talk", "", "friday 9am")  # today is Thursday 26 Nov
        assert isinstance(app.screen, HomeScreen)
    assert [r["scheduled_for"][:16] for r in rows(db_path, "SELECT * FROM readiness")] == [
        "2026-11-27T09:00"]


def sooner_and_later(store):
    """Two performances, today at noon and tomorrow at noon."""
    from efficacy_tui.store.readiness import schedule_performance

    return [schedule_performance(store, title, None, datetime(2026, 11, day, 12, 0).astimezone())
            for title, day in (("Sooner", 26), ("Later", 27))]


async def walk_through_for(app, pilot, performance_id: int) -> None:
    """Open the walkthrough on one performance and take its first step."""
    app.push_screen(ReadinessScreen(performance_id))
    await pilot.pause()
    await pilot.press("enter")


async def test_a_performance_asked_for_is_the_one_enter_chooses(make_app, store, db_path):
    _, later = sooner_and_later(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await walk_through_for(app, pilot, later.id)
        assert app.screen.step == 2
        assert app.screen.choices["performance"] == str(later.id)


# What a tester found at 80x24, one story each.

BODY = ["enter", "right", "enter", "right", "enter", "enter", "enter"]  # energy, anxiety, ...


async def reach(pilot, step: int, *, new: tuple[str, str, str] | None = None,
                start: int = 1) -> None:
    """From step `start` (1 unless given) to `step` by keys: on step 1 the highlighted
    performance, or a new one (title, domain, when) when only "A new performance" is offered."""
    app = pilot.app
    if start == 1:
        await pilot.press("enter")
        if new is not None:
            for value in new:
                await enter(pilot, value)
                await pilot.press("enter")
        assert app.screen.step == 2
    for number, keys in ((2, ["enter", "right", "enter", "right", "enter", "right", "enter",
                              "right", "enter"]),
                         (3, ["tab", Typed("ok"), "enter"]),
                         (4, ["ctrl+s"]),
                         (5, ["enter"]),
                         (6, [Typed("x"), "enter", Typed("y"), "enter"]),
                         (7, ["right", "enter", "right", "enter", "right", "enter"])):
        if number < start:
            continue
        if step <= number:
            break
        await press(pilot, *keys)
        assert app.screen.step == number + 1, shown(app, "#error")


def question(app) -> str:
    """The question a yes/no screen asks, as shown."""
    assert isinstance(app.screen, ConfirmScreen), app.screen
    return shown(app.screen, "Static")


async def test_a_new_domain_typed_on_step_1_is_known_on_step_5(make_app, store, db_path):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 5, new=("Opening", "Chess", "in 2 hours"))
        intro = shown(app, "#evidence-intro")
        assert "No successes recorded in Chess yet" in intro and "no domain" not in intro
        assert "m: add a model" in shown(app, "#readiness-keys")
        walkthrough = app.screen
        await pilot.press("m")  # the domain is not there yet: m asks before starting it
        await pilot.pause()
        assert question(app).startswith("New domain: Chess?\nYes starts it now")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is walkthrough and walkthrough.step == 5
        assert rows(db_path, "SELECT name FROM domains") == []
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "RoleModelsScreen"
        assert rows(db_path, "SELECT name FROM domains") == [{"name": "Chess"}]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.step == 5


async def test_step_5_says_what_it_shows(make_app, store):
    from efficacy_tui.store.readiness import schedule_performance

    speaking(store)
    schedule_performance(store, "Chat", None, datetime(2026, 11, 26, 12, 0).astimezone())
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 5)
        assert "scheduled without a domain" in shown(app, "#evidence-intro")
        assert "hard things" not in shown(app, "#evidence-intro")
        assert "m: add" not in shown(app, "#readiness-keys")
    forget_drafts(store)
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")  # "A new performance"
        await reach(pilot, 5, new=("Talk", "public speaking", ""))
        assert "hard things in public speaking before" in shown(app, "#evidence-intro")
        assert "Meetup talk in June" in shown(app, "#evidence-list")


async def test_enter_on_a_breathing_list_chooses_without_leaving_the_step(make_app, store):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 4, new=("Match", "", ""))
        await pilot.press("down", "enter")  # pattern: cyclic sighing
        assert app.screen.step == 4 and app.screen.choices["pattern"] == "sighing"
        await pilot.press("tab", "down", "enter")  # how long: 2 min
        assert app.screen.step == 4 and app.screen.choices["duration"] == "120"
        await pilot.press("ctrl+s")
        assert app.screen.step == 5


@pytest.mark.serial  # breathes for 1.3 s and counts the seconds
async def test_s_stops_the_breathing_and_a_stopped_pacer_says_so(make_app, store, db_path):
    from efficacy_tui.ui.widgets.pacer import Pacer

    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 4, new=("Match", "", ""))
        pacer = app.screen.query_one("#pacer", Pacer)
        await pilot.press("s")
        assert pacer.running and "s: stop breathing" in shown(app, "#readiness-keys")
        started = pacer.started
        await pilot.pause(1.3)
        await pilot.press("s")  # stops; never starts again from zero
        assert not pacer.running and pacer.started == started
        assert "Stopped after 1 s of Resonance" in str(pacer.render())
        assert app.screen.breathed == ("resonance", 1)
        await pilot.press("s")  # stopped, s starts again
        await pilot.pause(1.3)
        await pilot.press("ctrl+s", "ctrl+b")  # moving on stops it too
        assert app.screen.step == 4 and not pacer.running
        assert "Breathe in" not in str(pacer.render())
        assert "Stopped after 1 s" in str(pacer.render())


async def test_a_second_walkthrough_is_marked_and_says_it_replaces_the_first(make_app, store,
                                                                             db_path):
    from efficacy_tui.store.readiness import schedule_performance

    schedule_performance(store, "Talk", None, datetime(2026, 11, 26, 12, 0).astimezone())
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "walked through" not in str(app.screen.query_one("#performance").render())
        await reach(pilot, 8)
        assert "replaces" not in shown(app, "#summary-intro")
        await pilot.press("ctrl+s")
        await pilot.pause()
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        label = app.screen.query_one("#performance-" + str(app.screen.upcoming[0].id))
        assert "✓ walked through" in str(label.render())
        await reach(pilot, 8)
        assert "ctrl+s replaces that card" in shown(app, "#summary-intro")


async def test_if_and_then_i_will_typed_again_are_not_repeated(make_app, store, db_path):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 6, new=("Talk", "", ""))
        await enter(pilot, "If my voice shakes")
        await pilot.press("enter")
        await enter(pilot, "Then I will say hello.")
        await pilot.press("enter")
        await reach_rest(pilot)
        assert "If my voice shakes, then I will say hello." in shown(app, "#summary")
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = rows(db_path, "SELECT if_situation, then_action FROM readiness")[0]
    assert row == {"if_situation": "my voice shakes", "then_action": "say hello"}


async def reach_rest(pilot) -> None:
    """Step 7's ratings, to the card."""
    await pilot.press("right", "enter", "right", "enter", "right", "enter")
    assert pilot.app.screen.step == 8


async def test_an_empty_plan_field_is_named(make_app, store):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 6, new=("Talk", "", ""))
        await enter(pilot, "If")
        await pilot.press("enter", "enter")
        assert app.screen.step == 6
        assert shown(app, "#error") == "The situation after “If” cannot be empty."


async def test_question_mark_opens_help_on_every_step_but_is_typed_in_a_field(make_app, store):
    from efficacy_tui.ui.screens.help import HelpScreen

    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        now = 1
        for step in (1, 2, 3, 4, 5, 7, 8):  # step 6 has only text fields, where ? is typed
            if step > now:
                await reach(pilot, step, new=("Talk", "", ""), start=now)
                now = step
            if step == 2:
                await pilot.press("tab")  # out of the sleep field, onto the energy scale
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), step
            await pilot.press("escape")  # back to the same step, to go on from there
            await pilot.pause()
            assert isinstance(app.screen, ReadinessScreen) and app.screen.step == step
            if step == 2:
                await pilot.press("shift+tab")
    forget_drafts(store)
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await type_keys(pilot, "Why?")  # typed, key by key
        assert app.screen.query_one("#title").value == "Why?"


async def test_enter_ticks_and_unticks_i_said_it_aloud(make_app, store):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 3, new=("Talk", "", ""))
        tick = app.screen.query_one("#said-aloud")
        assert app.screen.focused is tick
        assert shown(app, "#readiness-keys").startswith("enter/space: tick/untick")
        await pilot.press("enter")
        assert tick.value and app.screen.step == 3
        await pilot.press("enter")
        assert not tick.value and app.screen.step == 3


async def test_the_keys_and_progress_agree_before_and_after_saving(make_app, store):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "ctrl+b" not in shown(app, "#readiness-keys")  # step 1 has no step before it
        await pilot.press("tab")
        assert "ctrl+b" not in shown(app, "#readiness-keys")
        await pilot.press("shift+tab")
        await reach(pilot, 8, new=("Talk", "", ""))
        assert "Check and save" in shown(app, "#readiness-progress")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Saved" in shown(app, "#readiness-progress")
        assert "Check and save" not in shown(app, "#readiness-progress")
        assert shown(app, "#readiness-keys").startswith("escape: leave")


async def test_scheduling_asks_before_a_new_domain_and_names_a_near_one(make_app, store,
                                                                        db_path):
    known = speaking(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await schedule(pilot, "Team update", " Public speking", "tomorrow 9am")
        asked = question(app)
        assert asked.splitlines()[:2] == ["New domain: Public speking?",
                                          "Did you mean Public speaking? That domain is there "
                                          "already."]
        assert "no goes back to the form" in asked
        await pilot.press("n")  # back to the form as it was, to fix the slip
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScheduleForm)
        assert [form.value(name) for name in ("title", "domain", "when")] == [
            "Team update", " Public speking", "tomorrow 9am"]
        assert rows(db_path, "SELECT * FROM readiness") == []
        assert rows(db_path, "SELECT name FROM domains") == [{"name": "Public speaking"}]

        domain = form.query_one("#domain", Input)
        assert form.focused is domain  # the field the question was about, to put it right
        domain.select_all()
        await enter(pilot, "Chess")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert question(app).startswith("New domain: Chess?\nYes starts it and schedules")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        await schedule(pilot, "Meetup talk", "public SPEAKING", "friday 7pm")  # no question
        assert isinstance(app.screen, HomeScreen)
    chess = rows(db_path, "SELECT id FROM domains WHERE name = 'Chess'")[0]["id"]
    assert [(r["title"], r["domain_id"]) for r in rows(
        db_path, "SELECT title, domain_id FROM readiness ORDER BY id")] == [
        ("Team update", chess), ("Meetup talk", known.id)]
    assert len(rows(db_path, "SELECT * FROM domains")) == 2


async def test_saving_the_walkthrough_asks_before_starting_its_domain(make_app, store, db_path):
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 8, new=("Opening", "Chess", ""))
        walkthrough = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert question(app).startswith("New domain: Chess?\nYes starts it and saves your")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is walkthrough and walkthrough.step == 8
        assert walkthrough.saved is None
        assert rows(db_path, "SELECT * FROM domains") == []
        assert rows(db_path, "SELECT * FROM readiness") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # yes, though enter goes on in the walkthrough below
        await pilot.pause()
        assert walkthrough.saved is not None
    [row] = rows(db_path, "SELECT r.title, d.name FROM readiness r JOIN domains d "
                          "ON d.id = r.domain_id")
    assert row == {"title": "Opening", "name": "Chess"}


async def test_scheduling_an_unreadable_time_suggests_future_phrases(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await schedule(pilot, "Talk", "", "blah blah")
        error = shown(app, "#error")
        assert "Could not read the time" in error and "tomorrow 9am" in error
        assert "yesterday" not in error and "ago" not in error


# Escape keeps a draft; opening the walkthrough again for the same performance brings it back.

def value(app, field: str):
    return app.screen.query_one(f"#{field}").value


async def test_escape_keeps_every_step_and_saving_drops_the_draft(make_app, store, db_path):
    from efficacy_tui.coach.pacer import PATTERNS

    speaking(store)
    second_pattern = list(PATTERNS)[1]
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await schedule(pilot, "Team update", "Public speaking", "tomorrow 9am")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await enter(pilot, "6.5")
        await pilot.press("enter", "right", "enter")  # energy 5
        await pilot.press("right", "right", "right", "enter")  # anxiety 70
        await pilot.press("left", "enter")  # confidence 50
        await pilot.press("left", "left", "enter")  # readiness 40
        await pilot.press("enter", "tab")  # said it aloud
        await enter(pilot, "my heart is getting ready " + MARKUP)
        await pilot.press("enter")
        await pilot.press("down", "enter")  # the second breathing pattern, not breathed
        await pilot.press("ctrl+s", "enter")  # skip breathing; past the evidence
        await enter(pilot, "my mind goes blank")
        await pilot.press("enter")
        await enter(pilot, "pause")
        assert app.screen.step == 6
        await pilot.press("escape")  # nothing is lost, so nothing is asked
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert ("Draft kept: open the walkthrough for this performance again to carry on."
                in notes(app))
        [performance] = rows(db_path, "SELECT id, completed_at FROM readiness")
        assert performance["completed_at"] is None
        [draft] = await settle(pilot, lambda: rows(db_path, "SELECT kind, key FROM drafts"),
                               what="the draft in the file")
        assert draft == {"kind": "readiness", "key": str(performance["id"])}

        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert screen.step == 6
        assert ("Restored the walkthrough you left today at 09:30, at the step “If-then plan”."
                in notes(app))
        assert [value(app, name) for name in (
            "sleep", "energy", "anxiety-before", "confidence-before", "readiness-before",
            "said-aloud", "reappraisal", "if-situation", "then-action")] == [
            "6.5", 5, 70, 50, 40, True, "my heart is getting ready " + MARKUP,
            "my mind goes blank", "pause"]
        assert screen.choices["pattern"] == second_pattern
        assert screen.focused.id == "if-situation"
        await pilot.press("enter", "enter")
        await pilot.press("left", "left", "enter", "right", "right", "enter",
                          "right", "right", "right", "enter")
        assert screen.step == 8
        assert "escape: leave, draft kept" in shown(app, "#readiness-keys")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.saved is not None
        assert rows(db_path, "SELECT * FROM drafts") == []
        await pilot.press("escape")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM readiness")
    assert (row["sleep_hours"], row["anxiety_before"], row["anxiety_after"]) == (6.5, 70, 40)
    assert row["then_action"] == "pause" and row["said_aloud"] == 1
    assert json.loads(row["evidence"])  # step 5, passed over on the way back, still counted
    assert rows(db_path, "SELECT * FROM drafts") == []


async def test_a_draft_comes_back_only_for_its_own_performance(make_app, store, db_path):
    sooner, later = sooner_and_later(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await walk_through_for(app, pilot, sooner.id)
        await enter(pilot, "7")
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(ReadinessScreen(later.id))
        await pilot.pause()
        assert app.screen.step == 1 and value(app, "sleep") == ""
        assert not [note for note in notes(app) if note.startswith("Restored")]
        await pilot.press("escape")  # nothing typed: no draft
        await pilot.pause()
        await pilot.press("p")  # the soonest, not prepared for yet
        await pilot.pause()
        assert app.screen.step == 2 and value(app, "sleep") == "7"
    assert [d["key"] for d in rows(db_path, "SELECT key FROM drafts")] == [str(sooner.id)]


async def test_a_new_performance_keeps_its_draft_and_its_choice(make_app, store, db_path):
    from efficacy_tui.store.readiness import schedule_performance

    schedule_performance(store, "Chat", None, datetime(2026, 11, 26, 12, 0).astimezone())
    app = make_app("readiness")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # "A new performance", not the one scheduled
        await enter(pilot, "Board talk")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.choices["performance"] == "new"
        assert app.screen.query_one("#new-performance").display
        assert value(app, "title") == "Board talk"
        assert app.screen.focused.id == "performance"


async def test_evidence_names_a_rung_only_when_it_differs_from_the_title(make_app, store):
    built = speaking_ladder(store)
    success(store, built.hard, "Meetup talk", "2026-11-24T19:00:00+00:00", "Slept well before")
    app = make_app("readiness")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await reach(pilot, 5, new=("Talk", "public speaking", ""))
        listing = shown(app, "#evidence-list")
        assert "✓ Meetup talk  (24 Nov 2026)" in listing
        assert "· Meetup talk)" not in listing.replace("in June  (10 Jun 2026 · Meetup talk)", "")
        assert "Meetup talk in June  (10 Jun 2026 · Meetup talk)" in listing


async def test_the_body_check_starts_from_todays_checkin_and_stays_editable(
        make_app, store, db_path):
    from efficacy_tui.ui.widgets.rating import Rating

    checkin(store, "2026-11-26", sleep=6.5, energy=4, anxiety=60)
    checkin(store, "2026-11-25", sleep=9, energy=9, anxiety=10)  # yesterday's is not used
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await reach(pilot, 2, new=("Talk", "", ""))
        screen = app.screen
        assert screen.query_one("#sleep").value == "6.5"
        assert screen.query_one("#energy", Rating).value == 4
        assert screen.query_one("#anxiety-before", Rating).value == 60
        assert "today's check-in" in shown(app, "#from-checkin")
        await enter(pilot, "7")
        await pilot.press("enter", "right", "enter")  # energy 4 → 5
        await pilot.press("enter", "right", "enter", "right", "enter")  # anxiety kept: 60
        assert screen.step == 3
        for number in range(3, 8):
            await reach(pilot, number + 1, start=number)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = rows(db_path, "SELECT sleep_hours, energy, anxiety_before FROM readiness")
    assert saved == [{"sleep_hours": 7.0, "energy": 5, "anxiety_before": 60}]
    forget_drafts(store)
    with store.transaction():
        store.db.execute("DELETE FROM checkins")
    app = make_app("readiness")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await reach(pilot, 2, new=("Talk", "", ""))
        assert app.screen.query_one("#sleep").value == ""
        assert app.screen.query_one("#energy", Rating).value is None
        assert not app.screen.query("#from-checkin")
