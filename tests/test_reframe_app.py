"""Attribution reframing after a setback, driven with keys only through Pilot on a real file."""

import json
from datetime import datetime

import pytest
from helpers import Typed, enter, notes, press, setback, settle, shown, success
from helpers import speaking_ladder as ladder_of
from textual.widgets import Input, RadioSet, Static

from efficacy_tui.coach.attribution import SEED_QUESTION
from efficacy_tui.store import reframes
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.reframe import ReframeScreen

from conftest import NOW, rows

WHY = "I'm just not good at this, I froze"
MARKUP = "[bold]x[/]"


def progress(app) -> str:
    return shown(app, "#reframe-progress")


def pressed(app, radio: str) -> str:
    button = app.screen.query_one(f"#{radio}", RadioSet).pressed_button
    return button.id if button else ""


def speaking_ladder(store, domain_name="Public speaking", setbacks=1):
    """The speaking ladder with its current rung (50) between the easier and the harder one, a
    third past success, and a setback with effort 5 on the current rung (the last of `setbacks`
    in a row)."""
    built = ladder_of(store, domain_name, current=True)
    older_easy = success(store, built.easy, "Asked in the all-hands",
                         "2026-10-01T10:00:00+01:00", "Sat near the front")
    for day in range(1, setbacks):
        setback(store, built.current, "Lost my place", f"2026-11-2{day}T09:00:00+00:00", effort=3)
    last = setback(store, built.current, "Froze in the update", "2026-11-26T09:00:00+00:00",
                   effort=5)
    return {"domain": built.domain, "current": built.current, "setback": last,
            "wins": [built.june_talk, built.roadmap_question, older_easy]}


async def open_reframe(app, pilot, attempt_id=None) -> list:
    """Push the screen as the lead's wiring will, collecting what it dismisses with."""
    results: list = []
    app.push_screen(ReframeScreen(attempt_id=attempt_id), results.append)
    await pilot.pause()
    return results


async def type_and_enter(pilot, *steps) -> None:
    """Press the keys and enter each `Typed` text, then enter to go on."""
    await press(pilot, *steps, "enter")
    await pilot.pause()


async def reach_plan(pilot, why=WHY, explanation="I changed my opening too late") -> None:
    """From step 1 of an attempt's reframe to the plan, accepting every pre-selection, the
    first cause offered and the second look as it starts."""
    await type_and_enter(pilot)  # the attempt's title, as prefilled
    await type_and_enter(pilot, Typed(why))
    await type_and_enter(pilot, "enter", "enter")  # the three questions as pre-selected
    await type_and_enter(pilot, "enter", "enter")  # the first cause, the answers kept
    await type_and_enter(pilot, Typed(explanation))
    await type_and_enter(pilot)  # the evidence


def nothing_written(db_path, rungs_before: int) -> bool:
    return (rows(db_path, "SELECT * FROM reframes") == []
            and len(rows(db_path, "SELECT * FROM rungs")) == rungs_before)


@pytest.mark.long
async def test_a_whole_reframe_with_keys_only_is_in_the_file(make_app, db_path, store):
    built = speaking_ladder(store)
    setback = built["setback"]
    hard_win, easy_win, older_easy = built["wins"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot, setback.id)
        assert isinstance(app.screen, ReframeScreen)
        assert progress(app).startswith("Step 1 of 7")
        card = shown(app, "#attempt-card")
        for line in ("Attempt: Froze in the update", "Domain: Public speaking",
                     "Rung: Five-minute update (difficulty 50)", "Outcome: setback"):
            assert line in card
        assert app.screen.query_one("#what", Input).value == "Froze in the update"
        await type_and_enter(pilot)
        assert progress(app).startswith("Step 2 of 7")
        assert shown(app, "#step-2 .step-heading") == "Why do you think it went that way?"

        # Fixed-ability wording is marked (reverse and brackets) and named as it is typed.
        await pilot.press(*WHY)
        await pilot.pause()
        view = app.screen.query_one("#why-view", Static)
        assert str(view.render()) == "As you wrote it: ⟨I'm just not good at⟩ this, I froze"
        content = view.render()
        marked = [str(content)[span.start:span.end] for span in content.spans
                  if "reverse" in str(span.style)]
        assert marked == ["I'm just not good at"]
        assert ("“I'm just not good at” describes a fixed ability, not something you did."
                in shown(app, "#why-findings"))
        await pilot.press("enter")
        await pilot.pause()

        # The three questions open pre-selected from the words; enter keeps each and goes on.
        assert progress(app).startswith("Step 3 of 7")
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "locus-internal", "stability-stable", "controllability-uncontrollable"]
        assert app.focused.id == "locus"
        await type_and_enter(pilot, "enter", "enter")

        # Stable and uncontrollable: the retraining question, strategy first after effort 5.
        assert progress(app).startswith("Step 4 of 7")
        assert shown(app, "#seed-question") == SEED_QUESTION
        causes = [b.id for b in app.screen.query("#cause RadioButton")]
        assert causes[0] == "cause-strategy" and causes[-1] == "cause-effort"
        await pilot.press("enter")
        await pilot.pause()
        # The second look starts from the answers of step 3; with strategy in mind, the user
        # sees the cause can change and is in their hands.
        assert app.focused.id == "final-stability"
        assert [pressed(app, f"final-{d}") for d in ("stability", "controllability")] == [
            "final-stability-stable", "final-controllability-uncontrollable"]
        await type_and_enter(pilot, "down", "enter", "up")

        assert progress(app).startswith("Step 5 of 7")
        assert shown(app, "#explanation-hint").startswith(
            "e.g. 'I changed my opening too late; next time I'll rehearse it the day before'")
        await type_and_enter(pilot, *"I changed my opening too late")

        # Counter-evidence: the harder rung's success first, then the most recent others.
        assert progress(app).startswith("Step 6 of 7")
        evidence = shown(app, "#evidence")
        order = [evidence.index(title) for title in (
            "Meetup talk in June", "Asked about the roadmap", "Asked in the all-hands")]
        assert order == sorted(order)
        assert "Wed 10 Jun 2026 · on “Meetup talk” (difficulty 70)" in evidence
        assert "What you did: Rehearsed twice with a colleague" in evidence
        await type_and_enter(pilot)

        # One setback on the rung: no split is offered.
        assert progress(app).startswith("Step 7 of 7")
        assert not app.screen.query("#split")
        await type_and_enter(pilot, *"I lose my place")
        await type_and_enter(pilot, *"look at my one-line notes")

        assert progress(app).startswith("Ready to save")
        summary = shown(app, "#summary")
        assert "What could be different: strategy" in summary
        assert ("Always, or can change: It will always be this way, then on a second look: "
                "It can change") in summary
        assert ("Could you influence it: It was out of my hands, then on a second look: "
                "I could influence it") in summary
        assert "Plan: If I lose my place, then I will look at my one-line notes." in summary
        assert "Evidence shown: 3 past successes" in summary
        assert "Ends on a cause you can control and change: ✓ yes" in summary
        assert rows(db_path, "SELECT * FROM reframes") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert results == [row["id"]]
    assert (row["locus"], row["stability"], row["controllability"]) == (
        "internal", "temporary", "controllable")
    assert row["cause"] == "strategy"
    assert row["what_happened"] == "Froze in the update"
    assert row["cause_text"] == WHY
    assert json.loads(row["flagged"]) == ["I'm just not good at"]
    assert row["new_explanation"] == "I changed my opening too late"
    assert (row["if_situation"], row["then_action"]) == (
        "I lose my place", "look at my one-line notes")
    assert json.loads(row["evidence"]) == [hard_win.uid, easy_win.uid, older_easy.uid]
    assert row["controllable_temporary"] == 1
    assert (row["attempt_id"], row["domain_id"]) == (setback.id, built["domain"].id)
    assert row["split_rung_id"] is None
    assert len(rows(db_path, "SELECT * FROM rungs")) == 3


async def test_a_changeable_cause_skips_step_four_and_free_text_picks_a_domain(
        make_app, db_path, store):
    built = speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot)
        assert not app.screen.query("#attempt-card")
        # An unknown domain is refused with the store's sentence naming the known ones.
        await press(pilot, Typed("Rushed the toast"), "tab", Typed("Chess"), "enter")
        await pilot.pause()
        assert progress(app).startswith("Step 1 of 7")
        assert shown(app, "#error") == (
            'There is no domain named "Chess". Known domains: Public speaking.')
        assert app.focused.id == "domain"
        # A blank one too, while domains exist.
        await pilot.press("end", "ctrl+u", "enter")
        await pilot.pause()
        assert shown(app, "#error").startswith("Say which domain this was in")
        assert app.focused.id == "domain"
        await type_and_enter(pilot, Typed("public speaking"))
        assert progress(app).startswith("Step 2 of 7")

        await type_and_enter(pilot, Typed("I rushed it because I didn't prepare enough"))
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "locus-internal", "stability-temporary", "controllability-controllable"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Temporary and controllable already: step 4 is skipped, and the progress says so.
        assert progress(app).startswith("Step 5 of 7  ●●●–●○○")
        assert "(step 4 skipped)" in progress(app)
        assert shown(app, "#explanation-hint").startswith("e.g. 'I started too late")
        # Back goes round the skipped step too.
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert progress(app).startswith("Step 3 of 7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_and_enter(pilot, Typed("I left the preparation for the morning"))
        # Free text: the domain's most recent successes, whatever the rung.
        evidence = shown(app, "#evidence")
        assert evidence.index("Asked about the roadmap") < evidence.index("Asked in the all-hands")
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("I am asked to give a toast"))
        await type_and_enter(pilot, Typed("write three lines the day before"))
        summary = shown(app, "#summary")
        assert "What could be different: (step skipped: the cause can already change)" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert results == [row["id"]]
    assert row["cause"] is None
    assert (row["stability"], row["controllability"]) == ("temporary", "controllable")
    assert row["controllable_temporary"] == 1
    assert (row["attempt_id"], row["domain_id"]) == (None, built["domain"].id)
    assert row["flagged"] == "[]"
    assert len(json.loads(row["evidence"])) == 3


async def test_changing_an_answer_by_keys_brings_step_four_back(make_app, db_path, store):
    built = speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, built["setback"].id)
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("I didn't prepare enough"))
        assert pressed(app, "stability") == "stability-temporary"
        # Tab to the second question, move to "It will always be this way", choose it.
        await pilot.press("tab", "up", "enter", "enter")
        await pilot.pause()
        assert progress(app).startswith("Step 4 of 7")
        await pilot.press("down", "enter", "enter", "enter")  # preparation, answers kept
        await pilot.pause()
        await type_and_enter(pilot, Typed("I prepared the slides but not the questions"))
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("someone asks a question"))
        await type_and_enter(pilot, Typed("repeat it back before answering"))
        await pilot.press("ctrl+s")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM reframes")
    # The answers the user kept say "always this way": the reframe does not count as ending on
    # a cause that can change, whatever the cause chosen.
    assert (row["stability"], row["cause"], row["controllable_temporary"]) == (
        "stable", "preparation", 0)


async def test_three_setbacks_in_a_row_offer_the_split_and_it_is_saved_together(
        make_app, db_path, store):
    built = speaking_ladder(store, setbacks=3)
    current = built["current"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot, built["setback"].id)
        await reach_plan(pilot)
        assert progress(app).startswith("Step 7 of 7")
        split = app.screen.query_one("#split")
        assert split.value is True
        assert str(split.label) == "Add an easier rung below “Five-minute update”"
        assert app.screen.query_one("#split-title", Input).value == (
            "A smaller step toward: Five-minute update")
        await type_and_enter(pilot, Typed("I lose my place"))
        await type_and_enter(pilot, Typed("look at my notes"))
        assert app.focused.id == "split"
        await type_and_enter(pilot)  # enter moves on; space would untick it
        assert app.focused.id == "split-title"
        await type_and_enter(pilot, "end", "ctrl+u", Typed("Two-minute update"))
        assert progress(app).startswith("Ready to save")
        assert "Easier rung: “Two-minute update” below “Five-minute update”" in shown(
            app, "#summary")
        assert len(rows(db_path, "SELECT * FROM rungs")) == 3
        await pilot.press("ctrl+s")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert results == [row["id"]]
    [new] = rows(db_path, "SELECT * FROM rungs WHERE split_from IS NOT NULL")
    assert (new["title"], new["split_from"], new["domain_id"]) == (
        "Two-minute update", current.id, built["domain"].id)
    assert 30 < new["difficulty"] < 50
    assert row["split_rung_id"] == new["id"]
    assert new["created_at"] == row["created_at"]


async def test_an_unticked_split_adds_no_rung(make_app, db_path, store):
    built = speaking_ladder(store, setbacks=3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, built["setback"].id)
        await reach_plan(pilot)
        await type_and_enter(pilot, Typed("I lose my place"))
        await type_and_enter(pilot, Typed("look at my notes"))
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.query_one("#split-title", Input).disabled
        await type_and_enter(pilot)  # the unticked box is the step's last field now
        assert progress(app).startswith("Ready to save")
        assert "Easier rung" not in shown(app, "#summary")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert row["split_rung_id"] is None
    assert len(rows(db_path, "SELECT * FROM rungs")) == 3


async def test_escape_midway_writes_nothing_but_the_draft(make_app, db_path, store):
    built = speaking_ladder(store, setbacks=3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot, built["setback"].id)
        await reach_plan(pilot)
        await type_and_enter(pilot, Typed("I lose my place"))
        await pilot.press("escape")  # nothing is lost, so nothing is asked
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Draft kept: open this reframe again to carry on where you left it." in notes(app)
    assert results == [None]
    assert nothing_written(db_path, 3)
    assert [(d["kind"], d["key"]) for d in drafts_in(db_path)] == [
        ("reframe", str(built["setback"].id))]


def drafts_in(db_path) -> list[dict]:
    return rows(db_path, "SELECT kind, key, data FROM drafts ORDER BY key")


def value(app, field: str) -> str:
    return app.screen.query_one(f"#{field}", Input).value


async def test_every_step_comes_back_after_escape_and_saving_drops_the_draft(
        make_app, db_path, store):
    built = speaking_ladder(store, setbacks=3)  # three in a row: the split is offered
    setback = built["setback"]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, setback.id)
        await type_and_enter(pilot)  # the attempt's title, as prefilled
        await type_and_enter(pilot, Typed(WHY))
        await pilot.press("down", "enter", "enter", "enter")  # about the situation, by hand
        await pilot.pause()
        await pilot.press("down", "enter", "enter", "enter")  # preparation, answers kept
        await pilot.pause()
        await type_and_enter(pilot, Typed("I prepared the slides but not the questions"))
        await type_and_enter(pilot)  # the evidence
        await type_and_enter(pilot, Typed("someone asks a question"))
        await type_and_enter(pilot, Typed("repeat it back"))
        await pilot.press("space")  # no easier rung after all
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        results = await open_reframe(app, pilot, setback.id)
        assert progress(app).startswith("Step 7 of 7")
        assert ("Restored the reframe you left today at 09:30, at the step "
                "“A plan for next time”.") in notes(app)
        assert (value(app, "why"), value(app, "new-explanation"), value(app, "if-situation"),
                value(app, "then-action")) == (
            WHY, "I prepared the slides but not the questions", "someone asks a question",
            "repeat it back")
        assert app.screen.query_one("#split").value is False
        assert app.screen.query_one("#split-title", Input).disabled
        assert app.screen.choices["cause"] == "preparation"
        # The answer changed by hand is not guessed over again from the words.
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b")
        await pilot.pause()
        assert progress(app).startswith("Step 3 of 7")
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "locus-external", "stability-stable", "controllability-uncontrollable"]
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert progress(app).startswith("Ready to save")
        assert "escape: leave, draft kept" in shown(app, "#reframe-keys")
        assert await settle(pilot, lambda: drafts_in(db_path), what="the draft in the file")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert results == [row["id"]]
    assert (row["locus"], row["cause"], row["cause_text"], row["then_action"]) == (
        "external", "preparation", WHY, "repeat it back")
    assert row["split_rung_id"] is None and json.loads(row["evidence"])
    assert drafts_in(db_path) == []


async def test_a_draft_comes_back_only_for_its_own_setback(make_app, db_path, store):
    built = speaking_ladder(store)
    other = setback(store, built["current"], "Rushed the demo", "2026-11-25T09:00:00+00:00")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, built["setback"].id)
        await type_and_enter(pilot)
        await press(pilot, Typed("I ran out of time"), "escape")
        await pilot.pause()
        for attempt_id, title in ((other.id, "Rushed the demo"), (None, "")):
            await open_reframe(app, pilot, attempt_id)
            assert progress(app).startswith("Step 1 of 7")
            assert (value(app, "what"), value(app, "why")) == (title, "")
            assert not [note for note in notes(app) if note.startswith("Restored")]
            await pilot.press("escape")  # nothing typed: no draft
            await pilot.pause()
        await open_reframe(app, pilot)
        await press(pilot, Typed("Missed the bus"), "escape")
        await pilot.pause()
        await open_reframe(app, pilot, built["setback"].id)
        assert progress(app).startswith("Step 2 of 7")
        assert value(app, "why") == "I ran out of time"
        await pilot.press("escape")
        await pilot.pause()
        await open_reframe(app, pilot)
        assert value(app, "what") == "Missed the bus"
    assert [d["key"] for d in drafts_in(db_path)] == [str(built["setback"].id), "free"]


async def test_a_missing_half_of_the_plan_is_refused(make_app, db_path, store):
    built = speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, built["setback"].id)
        await reach_plan(pilot)
        await type_and_enter(pilot, Typed("I lose my place"))
        await type_and_enter(pilot)  # "then I will" left blank
        sentence = ('An if-then plan needs both parts: the situation after "If" and the action '
                    'after "then I will".')
        assert progress(app).startswith("Step 7 of 7")
        assert shown(app, "#error") == sentence
        assert app.focused.id == "then-action"
        # The other half missing, from ctrl+s: focus goes to it.
        await press(pilot, Typed("look at my notes"), "shift+tab", "end", "ctrl+u", "ctrl+s")
        await pilot.pause()
        assert shown(app, "#error") == sentence
        assert app.focused.id == "if-situation"
        assert progress(app).startswith("Step 7 of 7")
    assert nothing_written(db_path, 3)


async def test_blank_answers_are_refused_on_their_step(make_app, db_path, store):
    built = speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot, built["setback"].id)
        await type_and_enter(pilot, "end", "ctrl+u")
        assert shown(app, "#error") == "What happened cannot be empty."
        assert app.focused.id == "what"
        await type_and_enter(pilot, Typed("Froze"))
        await type_and_enter(pilot, " ")
        assert shown(app, "#error") == "Why it went that way cannot be empty."
        assert progress(app).startswith("Step 2 of 7")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not app.screen.query_one("#error").display
    assert nothing_written(db_path, 3)


async def test_markup_in_every_text_field_is_stored_and_shown_literally(
        make_app, db_path, store):
    built = speaking_ladder(store, domain_name="[b]Talks[/]", setbacks=3)
    with store.transaction():
        store.db["rungs"].update(built["current"].id, {"title": "[i]Update[/i]"})
        store.db["attempts"].update(built["setback"].id, {"title": "[red]Froze[/]"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot, built["setback"].id)
        card = shown(app, "#attempt-card")
        assert "Attempt: [red]Froze[/]" in card and "Domain: [b]Talks[/]" in card
        assert "Rung: [i]Update[/i] (difficulty 50)" in card
        await type_and_enter(pilot, "end", Typed(MARKUP))
        why = f"I can't sing {MARKUP}"
        await enter(pilot, why)
        await pilot.pause()
        assert shown(app, "#why-view") == f"As you wrote it: ⟨I can't sing⟩ {MARKUP}"
        await type_and_enter(pilot)
        await type_and_enter(pilot, "enter", "enter")
        await type_and_enter(pilot, "enter", "enter")
        await type_and_enter(pilot, Typed(f"new {MARKUP}"))
        assert "on “Meetup talk” (difficulty 70)" in shown(app, "#evidence")
        await type_and_enter(pilot)
        assert str(app.screen.query_one("#split").label) == (
            "Add an easier rung below “[i]Update[/i]”")
        await type_and_enter(pilot, Typed(f"If {MARKUP}"))
        await type_and_enter(pilot, Typed(f"then I will {MARKUP}"))
        await type_and_enter(pilot)
        await type_and_enter(pilot, "end", "ctrl+u", Typed(f"rung {MARKUP}"))
        summary = shown(app, "#summary")
        for line in (f"What happened: [red]Froze[/]{MARKUP}", "Domain: [b]Talks[/]",
                     f"Why, in your words: {why}", f"New explanation: new {MARKUP}",
                     f"Plan: If {MARKUP}, then I will {MARKUP}.",
                     f"Easier rung: “rung {MARKUP}” below “[i]Update[/i]”"):
            assert line in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        # Free text: a domain typed with markup is found and shown as typed.
        free: list = []
        app.push_screen(ReframeScreen(), free.append)
        await pilot.pause()
        await press(pilot, Typed(MARKUP), "tab", Typed("[b]talks[/]"), "enter")
        await pilot.pause()
        await type_and_enter(pilot, Typed("I didn't prepare"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_and_enter(pilot, Typed(MARKUP))
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("a"), "enter", Typed("b"))
        summary = shown(app, "#summary")
        assert f"What happened: {MARKUP}" in summary and "Domain: [b]Talks[/]" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f2")  # nothing: the home screen has no f2
    first, second = rows(db_path, "SELECT * FROM reframes ORDER BY id")
    assert results == [first["id"]] and free == [second["id"]]
    assert first["what_happened"] == f"[red]Froze[/]{MARKUP}"
    assert first["cause_text"] == why and json.loads(first["flagged"]) == ["I can't sing"]
    assert first["new_explanation"] == f"new {MARKUP}"
    assert (first["if_situation"], first["then_action"]) == (MARKUP, MARKUP)
    [rung] = rows(db_path, "SELECT * FROM rungs WHERE id = ?", [first["split_rung_id"]])
    assert rung["title"] == f"rung {MARKUP}"
    assert (second["what_happened"], second["domain_id"], second["new_explanation"]) == (
        MARKUP, built["domain"].id, MARKUP)


def saved_reframe(store, what, controllable_temporary, cause="strategy"):
    return reframes.save_reframe(store, reframes.ReframeEntry(
        what_happened=what, cause_text="I'm just not good at this",
        flagged=["I'm just not good at"], locus="internal", stability="stable",
        controllability="uncontrollable", cause=cause, new_explanation="I rushed it",
        if_situation="I rush", then_action="slow down", evidence=[],
        controllable_temporary=controllable_temporary,
    ))


async def test_the_history_shows_recent_reframes_and_the_monthly_share(
        make_app, db_path, store, clock):
    clock.at(datetime(2026, 10, 5, 9, 0))
    saved_reframe(store, "Lost the chess game", True)
    saved_reframe(store, "Blanked in the exam", False, cause="circumstance")
    clock.at(datetime(2026, 11, 2, 9, 0))
    saved_reframe(store, "Froze in the update", True)
    saved_reframe(store, "Missed the [b]deadline[/]", True)
    saved_reframe(store, "Skipped the run", False, cause=None)
    saved_reframe(store, "Dropped the ball", True)
    clock.at(NOW)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot)
        await enter(pilot, "Stumbled")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one("#reframe-steps").current == "history"
        trend = shown(app, "#history-trend")
        assert "Oct 2026  ██████████░░░░░░░░░░   50%  (1 of 2)" in trend
        assert "Nov 2026  ███████████████░░░░░   75%  (3 of 4)" in trend
        assert trend.index("Oct 2026") < trend.index("Nov 2026")
        recent = shown(app, "#history-recent")
        assert "· Mon 2 Nov 2026  Skipped the run  cause: already changeable" in recent
        assert "✓ Mon 2 Nov 2026  Missed the [b]deadline[/]  cause: strategy" in recent
        assert "· Mon 5 Oct 2026  Blanked in the exam  cause: circumstances" in recent
        assert recent.index("Skipped the run") < recent.index("Froze in the update")
        assert "Dropped the ball" in recent
        assert "Lost the chess game" not in recent  # the last five only
        # Escape closes the history first, back to the step as it was.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReframeScreen)
        assert app.screen.query_one("#reframe-steps").current == "step-1"
        assert app.focused.id == "what"
        assert app.screen.query_one("#what", Input).value == "Stumbled"
        await pilot.press("f2", "f2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(rows(db_path, "SELECT * FROM reframes")) == 6


async def test_the_history_with_no_reframes_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot)
        assert "There are no domains yet" not in progress(app)
        await pilot.press("f2")
        await pilot.pause()
        assert shown(app, "#history-recent").endswith(
            "No reframes yet. The first one is saved at the end of this screen.")
        assert "Your first month appears here" in shown(app, "#history-trend")


async def test_without_domains_a_blank_domain_is_allowed(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_reframe(app, pilot)
        await press(pilot, Typed("Forgot my lines"), "enter", "enter")
        await pilot.pause()
        assert progress(app).startswith("Step 2 of 7")
        await type_and_enter(pilot, Typed("I never get it right"))
        await type_and_enter(pilot, "enter", "enter")
        # No effort recorded: effort comes first; the answers are kept on the second look.
        assert [b.id for b in app.screen.query("#cause RadioButton")][:2] == [
            "cause-effort", "cause-preparation"]
        await type_and_enter(pilot, "down", "enter", "enter")  # preparation
        await type_and_enter(pilot, Typed("I skimmed the script once"))
        assert shown(app, "#evidence-intro").startswith("Without a domain")
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("I read the script"), "enter",
                             Typed("read it aloud twice"))
        await pilot.press("ctrl+s")
        await pilot.pause()
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert results == [row["id"]]
    assert (row["domain_id"], row["cause"], row["evidence"]) == (None, "preparation", "[]")


def test_every_binding_has_an_id_and_a_tooltip():
    for binding in ReframeScreen.BINDINGS:
        assert binding.id and binding.tooltip


SILENT_WHY = "The slides were in a different order from my notes"


async def test_kept_answers_of_always_and_out_of_my_hands_never_end_ticked(make_app, db_path):
    """The detector finds nothing, so nothing is chosen for the user; they answer "It will
    always be this way" and "It was out of my hands", go through step 4 and keep both answers
    on its second look: no ✓ on the summary, in the file or in the monthly trend."""
    from efficacy_tui.coach.attribution import detect, preselect

    assert detect(SILENT_WHY) == [] and preselect(SILENT_WHY) is None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot)
        await press(pilot, Typed("Lost my place in the talk"), "enter", "enter")
        await type_and_enter(pilot, Typed(SILENT_WHY))
        assert progress(app).startswith("Step 3 of 7")
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "", "", ""]
        # About me; it will always be this way; it was out of my hands.
        await type_and_enter(pilot, "enter", "enter", "down")
        assert progress(app).startswith("Step 4 of 7")
        await type_and_enter(pilot, "enter", "enter")  # effort, both answers kept
        assert progress(app).startswith("Step 5 of 7")
        await type_and_enter(pilot, Typed("I did not look at the order beforehand"))
        await type_and_enter(pilot)
        await type_and_enter(pilot, Typed("I get my slides"), "enter",
                             Typed("check them against my notes"))
        summary = shown(app, "#summary")
        assert "Always, or can change: It will always be this way" in summary
        assert "Could you influence it: It was out of my hands" in summary
        assert "What could be different: effort" in summary
        assert "✓" not in summary
        assert ("Ends on a cause you can control and change: · not this time, and that is all "
                "right: the plan still counts") in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        await open_reframe(app, pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert "  0%  (0 of 1)" in shown(app, "#history-trend")
        assert "✓" not in shown(app, "#history-recent").split("\n")[1]
    [row] = rows(db_path, "SELECT * FROM reframes")
    assert (row["stability"], row["controllability"], row["cause"]) == (
        "stable", "uncontrollable", "effort")
    assert row["controllable_temporary"] == 0


async def test_answers_changed_by_hand_survive_a_new_guess(make_app, db_path):
    """Going back to change the words guesses again only the answers the user left as guessed."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reframe(app, pilot)
        await press(pilot, Typed("Stopped at 4 km"), "enter", "enter")
        await type_and_enter(pilot, Typed("I was exhausted"))
        # Fatigue: about me, can change, out of my hands (Weiner).
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "locus-internal", "stability-temporary", "controllability-uncontrollable"]
        await pilot.press("tab", "up", "enter")  # "It will always be this way", by hand
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        await type_and_enter(pilot, "end", Typed(" and I didn't prepare"))
        # Preparation now names the cause: the guessed answer follows it, the chosen one stays.
        assert [pressed(app, d) for d in ("locus", "stability", "controllability")] == [
            "locus-internal", "stability-stable", "controllability-controllable"]
        await pilot.press("escape")
        await pilot.pause()
