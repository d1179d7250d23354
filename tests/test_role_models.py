"""Vicarious models and credible feedback: the store functions, then the screen driven with keys
only from home, against a real database file."""

from datetime import datetime

import pytest
from helpers import Typed, press
from textual.widgets import OptionList

from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.store import ladder, role_models
from efficacy_tui.store.core import StoreError
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.screens.role_models import FeedbackForm, RoleModelForm, RoleModelsScreen

from conftest import rows


@pytest.fixture
def domain(store):
    return ladder.add_domain(store, "Public speaking", "Speak at a meetup")


def test_models_are_listed_newest_first_and_soft_deleted(store, clock, domain, db_path):
    first = role_models.add_model(store, domain.id, " Maya ", "also an introvert",
                                   "rehearsed her opening out loud three times")
    clock.at(datetime(2026, 11, 26, 10, 0))
    second = role_models.add_model(store, domain.id, "Sam", "", "joined a Toastmasters club")
    assert first.who == "Maya" and first.created_at == "2026-11-26T09:30:00+00:00"
    assert [m.who for m in role_models.models_for(store, domain.id)] == ["Sam", "Maya"]

    clock.at(datetime(2026, 11, 26, 11, 0))
    updated = role_models.update_model(store, first.id, "Maya R.", "introvert, new job",
                                        "rehearsed and timed it")
    assert updated.updated_at == "2026-11-26T11:00:00+00:00"
    assert updated.created_at == first.created_at

    role_models.delete_model(store, second.id)
    assert [m.id for m in role_models.models_for(store, domain.id)] == [first.id]
    [row] = rows(db_path, "SELECT deleted_at FROM models WHERE id = ?", [second.id])
    assert row["deleted_at"] == "2026-11-26T11:00:00+00:00"
    with pytest.raises(StoreError):
        role_models.update_model(store, second.id, "Sam", "", "x")
    role_models.restore_model(store, second.id)
    assert [m.id for m in role_models.models_for(store, domain.id)] == [second.id, first.id]


def test_feedback_is_listed_most_credible_first_then_newest(store, domain):
    def add(who: str, credibility: int, day: int):
        return role_models.add_feedback(store, domain.id, who, credibility, "slow down",
                                         datetime(2026, 11, day, 12, 0))

    add("Friend", 2, 25)
    coach = add("Coach", 5, 10)
    add("Manager", 4, 20)
    add("Mentor", 4, 24)
    assert coach.given_at == "2026-11-10T12:00:00+00:00"
    assert [f.who for f in role_models.feedback_for(store, domain.id)] == [
        "Coach", "Mentor", "Manager", "Friend"]

    role_models.update_feedback(store, coach.id, "Coach", 1, "pace it", datetime(2026, 11, 10))
    assert role_models.feedback_for(store, domain.id)[-1].what_they_said == "pace it"
    role_models.delete_feedback(store, coach.id)
    assert "Coach" not in [f.who for f in role_models.feedback_for(store, domain.id)]
    assert role_models.restore_feedback(store, coach.id).deleted_at is None


@pytest.mark.parametrize("call, sentence", [
    (lambda s, d: role_models.add_model(s, d, "  ", "", "practised"), "Who cannot be empty."),
    (lambda s, d: role_models.add_model(s, d, "Maya", "", " "), "What they did cannot be empty."),
    (lambda s, d: role_models.add_model(s, d, "x" * 201, "", "practised"),
     "Who can be at most 200 characters long."),
    (lambda s, d: role_models.add_feedback(s, d, "Priya", 6, "good", datetime(2026, 11, 1)),
     'Credibility must be a whole number from 1 to 5; "6" is not.'),
    (lambda s, d: role_models.add_feedback(s, d, "Priya", 0, "good", datetime(2026, 11, 1)),
     'Credibility must be a whole number from 1 to 5; "0" is not.'),
    (lambda s, d: role_models.add_feedback(s, d, "", 3, "good", datetime(2026, 11, 1)),
     "Who said it cannot be empty."),
    (lambda s, d: role_models.add_feedback(s, d, "Priya", 3, "", datetime(2026, 11, 1)),
     "What they said cannot be empty."),
    # In the form's order: who first, then the credibility not yet rated.
    (lambda s, d: role_models.add_feedback(s, d, "", None, "", datetime(2026, 11, 1)),
     "Who said it cannot be empty."),
    (lambda s, d: role_models.add_feedback(s, d, "Priya", None, "", datetime(2026, 11, 1)),
     "Rate how credible they are before saving (type a digit or use ← → on the rating)."),
    (lambda s, d: role_models.add_feedback(s, d, "Priya", 3, "good", datetime(2026, 12, 1)),
     '"2026-12-01 00:00" is in the future; record feedback once it has been given.'),
])
def test_bad_input_is_refused_with_one_sentence_and_nothing_written(store, domain, db_path,
                                                                    call, sentence):
    with pytest.raises(InvalidValue) as err:
        call(store, domain.id)
    assert str(err.value) == sentence
    assert rows(db_path, "SELECT * FROM models") == []
    assert rows(db_path, "SELECT * FROM feedback") == []


def test_bad_edits_and_missing_domains_leave_the_file_alone(store, domain, db_path):
    model = role_models.add_model(store, domain.id, "Maya", "", "practised")
    feedback = role_models.add_feedback(store, domain.id, "Priya", 4, "clear",
                                         datetime(2026, 11, 1))

    def both():
        return rows(db_path, "SELECT * FROM models"), rows(db_path, "SELECT * FROM feedback")

    before = both()
    with pytest.raises(InvalidValue):
        role_models.update_model(store, model.id, "Maya", "", "")
    with pytest.raises(InvalidValue):
        role_models.update_feedback(store, feedback.id, "Priya", "lots", "clear",
                                     datetime(2026, 11, 1))
    with pytest.raises(StoreError, match="That domain no longer exists."):
        role_models.add_model(store, 999, "Maya", "", "practised")
    with pytest.raises(StoreError, match="That model no longer exists."):
        role_models.delete_model(store, 999)
    assert both() == before


# --- the screen, keys only ---------------------------------------------------------------------


def prompts(screen, kind: str) -> list[str]:
    options = screen.query_one(f"#{kind}", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_models_and_feedback_through_the_ladder_with_keys_only(make_app, store, db_path,
                                                                     domain):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoleModelsScreen) and screen.domain_id == domain.id
        assert "No models yet" in prompts(screen, "models")[0]
        assert "No feedback yet" in prompts(screen, "feedback")[0]

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RoleModelForm)
        await pilot.press("ctrl+s")  # nothing typed: one sentence, the form stays
        await pilot.pause()
        assert isinstance(app.screen, RoleModelForm)
        assert "Who cannot be empty." in str(app.screen.query_one("#error").render())
        await press(pilot, Typed("[bold]Maya[/]"), "tab", Typed("also an introvert"), "tab",
                    Typed("rehearsed her opening three times"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        [model] = rows(db_path, "SELECT * FROM models")
        assert (model["who"], model["like_me"], model["what_they_did"], model["domain_id"]) == (
            "[bold]Maya[/]", "also an introvert", "rehearsed her opening three times", domain.id)
        shown = prompts(screen, "models")[0]
        assert "[bold]Maya[/]" in shown and "rehearsed her opening" in shown

        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackForm)
        # Credibility not rated yet.
        await press(pilot, Typed("Priya, my manager"), "tab", "ctrl+s")
        await pilot.pause()
        assert "Rate how credible" in str(app.screen.query_one("#error").render())
        await press(pilot, "right", "right", "tab", Typed("Your examples were concrete"), "tab")
        await press(pilot, *["backspace"] * 5, Typed("yesterday 5pm"), "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        [feedback] = rows(db_path, "SELECT * FROM feedback")
        assert (feedback["who"], feedback["credibility"], feedback["what_they_said"]) == (
            "Priya, my manager", 4, "Your examples were concrete")
        assert feedback["given_at"] == "2026-11-25T17:00:00+00:00"
        assert "credibility 4/5" in prompts(screen, "feedback")[0]
        assert screen.current == "feedback"

        await pilot.press("e")  # edit the highlighted feedback
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        assert form.query_one("#when").value == "2026-11-25 17:00"
        await pilot.press("tab", "right", "ctrl+s")
        await pilot.pause()
        assert rows(db_path, "SELECT credibility FROM feedback") == [{"credibility": 5}]

        await pilot.press("shift+tab")  # back to the models list
        assert screen.current == "models"
        await pilot.press("enter")  # enter edits too
        await pilot.pause()
        assert isinstance(app.screen, RoleModelForm)
        await press(pilot, "tab", "tab", "end", Typed(", then timed it"), "ctrl+s")
        await pilot.pause()
        assert rows(db_path, "SELECT what_they_did FROM models")[0]["what_they_did"] == (
            "rehearsed her opening three times, then timed it")

        await pilot.press("d")
        await pilot.pause()
        assert rows(db_path, "SELECT deleted_at FROM models")[0]["deleted_at"] is not None
        assert "No models yet" in prompts(screen, "models")[0]
        assert any("Deleted “[bold]Maya[/]” — u to undo." in n.message
                   for n in app._notifications)
        await pilot.press("u")
        await pilot.pause()
        assert rows(db_path, "SELECT deleted_at FROM models")[0]["deleted_at"] is None
        assert "[bold]Maya[/]" in prompts(screen, "models")[0]

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)


async def test_opened_by_name_with_feedback_focused(make_app, store, domain):
    role_models.add_feedback(store, domain.id, "Coach", 5, "Strong close", datetime(2026, 11, 20))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("role_models", domain.id)
        await pilot.pause()
        assert isinstance(app.screen, RoleModelsScreen)
        app.pop_screen()
        await pilot.pause()
        app.push_screen(RoleModelsScreen(domain.id, focus="feedback"))
        await pilot.pause()
        screen = app.screen
        assert screen.focused is screen.query_one("#feedback")
        assert screen.selected().who == "Coach"
        await pilot.press("u")  # nothing deleted yet: says so, changes nothing
        await pilot.pause()
        assert isinstance(app.screen, RoleModelsScreen)
        await pilot.press("f1")
        await pilot.pause()
        keys = str(app.screen.query_one("#keys-here").render())
        assert "Models and feedback" in keys and "Add specific feedback" in keys
