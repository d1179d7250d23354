"""A form saved while another program holds the file's write lock past the busy timeout: the
form stays open with everything typed and says it could not save yet; saved again once the file
is free, it is written once. Every modal form saves through the same engine, so one form of each
kind of caller stands for the rest."""

from datetime import datetime

import pytest
from helpers import enter, hold_write_lock, settle, shown, speaking_ladder
from textual.widgets import Input

from efficacy_tui.store import attempts, role_models
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.screens.review import ReviewScreen
from efficacy_tui.ui.screens.role_models import RoleModelsScreen

from conftest import rows

SAVE_WAITING = "Could not save yet"


@pytest.fixture(autouse=True)
def short_wait(monkeypatch):
    monkeypatch.setenv("EFFICACY_BUSY_TIMEOUT_MS", "200")


async def open_form(pilot, *keys: str) -> FormScreen:
    await pilot.press(*keys)
    await settle(pilot, lambda: isinstance(pilot.app.screen, FormScreen))
    return pilot.app.screen


async def save_while_locked(pilot, db_path, form: FormScreen, typed: dict[str, str],
                            *answers: str) -> None:
    """ctrl+s (and the `answers` to any question it asks) while another program writes: the
    form stays with the sentence and every field as typed; then the other program finishes."""
    other = hold_write_lock(db_path)
    try:
        await pilot.press("ctrl+s", *answers)
        await settle(pilot, lambda: SAVE_WAITING in shown(form, "#error"))
        assert pilot.app.is_running and pilot.app.screen is form
        assert {name: form.query_one(f"#{name}", Input).value for name in typed} == typed
    finally:
        other.commit()
        other.close()


async def save_again(pilot, form: FormScreen, then: type, *answers: str) -> None:
    await pilot.press("ctrl+s", *answers)
    await settle(pilot, lambda: isinstance(pilot.app.screen, then))


async def test_a_ladder_form_keeps_its_words_under_a_lock(make_app, store, db_path):
    speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LadderScreen))
        form = await open_form(pilot, "a")
        await enter(pilot, "Chair the weekly meeting", "title")
        await enter(pilot, "Keep it to the agenda", "criterion")
        typed = {"title": "Chair the weekly meeting", "criterion": "Keep it to the agenda"}
        await save_while_locked(pilot, db_path, form, typed)
        assert rows(db_path, "SELECT 1 FROM rungs WHERE title = 'Chair the weekly meeting'") == []
        await save_again(pilot, form, LadderScreen)
    assert rows(db_path, "SELECT criterion FROM rungs WHERE title = 'Chair the weekly meeting'"
                ) == [{"criterion": "Keep it to the agenda"}]


async def test_the_review_edit_form_keeps_its_words_under_a_lock(make_app, store, db_path):
    ladder = speaking_ladder(store)
    attempts.add_attempt(store, domain_id=ladder.domain.id, title="Asked in the all-hands",
                         happened_at="2026-11-25T15:00:00+00:00", outcome="success")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        form = await open_form(pilot, "e")
        await pilot.press("end")
        await enter(pilot, " twice", "title")
        await save_while_locked(pilot, db_path, form, {"title": "Asked in the all-hands twice"})
        assert rows(db_path, "SELECT 1 FROM attempts WHERE title LIKE '%twice'") == []
        await save_again(pilot, form, ReviewScreen)
    assert rows(db_path, "SELECT title FROM attempts WHERE title LIKE 'Asked in%'") == [
        {"title": "Asked in the all-hands twice"}]


async def test_a_performance_form_keeps_its_words_under_a_lock(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen))
        form = await open_form(pilot, "s")
        typed = {"title": "Team update", "domain": "Public speaking", "when": "tomorrow 9am"}
        for name, text in typed.items():
            await enter(pilot, text, name)
        # The domain is new: yes to starting it, and the save waits on the lock all the same.
        await save_while_locked(pilot, db_path, form, typed, "y")
        assert rows(db_path, "SELECT 1 FROM readiness") == []
        assert rows(db_path, "SELECT 1 FROM domains") == []
        await save_again(pilot, form, HomeScreen, "y")
    assert rows(db_path, "SELECT title FROM readiness") == [{"title": "Team update"}]
    assert rows(db_path, "SELECT name FROM domains") == [{"name": "Public speaking"}]


async def test_a_role_model_form_keeps_its_words_under_a_lock(make_app, store, db_path):
    ladder = speaking_ladder(store)
    role_models.add_feedback(store, ladder.domain.id, "Coach", 5, "Strong close",
                             datetime(2026, 11, 20))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LadderScreen))
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, RoleModelsScreen))
        form = await open_form(pilot, "a")
        typed = {"who": "Maya", "like_me": "also an introvert",
                 "what_they_did": "rehearsed her opening three times"}
        for name, text in typed.items():
            await enter(pilot, text, name)
        await save_while_locked(pilot, db_path, form, typed)
        assert rows(db_path, "SELECT 1 FROM models") == []
        await save_again(pilot, form, RoleModelsScreen)
    assert rows(db_path, "SELECT who, what_they_did FROM models") == [
        {"who": "Maya", "what_they_did": "rehearsed her opening three times"}]
