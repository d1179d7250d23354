"""Two efficacy windows on one database file: both keep working, and a record saved in both is
never lost without a word (the later save wins and says so).

Each app has its own connection, as two processes would; the two Pilot sessions run side by side
in one event loop, so their steps interleave exactly as written."""

import threading
from contextlib import AsyncExitStack

import pytest
from helpers import Typed, notes, press
from textual.widgets import Input

from efficacy_tui.content import say
from efficacy_tui.store import attempts, checkins, ladder, review
from efficacy_tui.store.core import open_store
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.review import ReviewScreen

from conftest import rows

pytestmark = pytest.mark.serial  # two windows on one file

SIZE = (100, 30)
WORDS = say("checkin")


async def both(make_app, stack: AsyncExitStack, start: str = "home"):
    """Two running apps on the same file and their pilots."""
    first, second = make_app(start), make_app(start)
    one = await stack.enter_async_context(first.run_test(size=SIZE))
    two = await stack.enter_async_context(second.run_test(size=SIZE))
    return first, one, second, two


async def fill_checkin(pilot, energy: int, anxiety_steps: int, plan: tuple[str, str]) -> None:
    """Set energy and anxiety on the open check-in and type an if-then plan; nothing saved."""
    screen = pilot.app.screen
    assert isinstance(screen, CheckinScreen)
    screen.query_one("#energy").value = energy
    screen.query_one("#anxiety").value = anxiety_steps
    screen.query_one("#if_situation", Input).value = plan[0]
    screen.query_one("#then_action", Input).value = plan[1]
    await pilot.pause()


async def open_checkin(pilot) -> CheckinScreen:
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CheckinScreen)
    return pilot.app.screen


async def test_both_windows_keep_saving_while_the_other_is_open(make_app, store, db_path):
    domain = ladder.add_domain(store, "Running")
    ladder.add_rung(store, domain.id, "Five km", "", 30)
    async with AsyncExitStack() as stack:
        first, one, second, two = await both(make_app, stack)
        await one.press("l")
        await two.press("l")
        await one.pause()
        await two.pause()
        # An attempt planned in one window and logged in the other, each a write of its own.
        await one.press("p")
        await one.pause()
        first.screen.query_one("#confidence").value = 70
        await one.press("ctrl+s")
        await one.pause()
        await two.press("g")
        await two.pause()
        await two.press("tab", "tab", "enter")  # outcome: success
        await two.press("ctrl+s")
        await two.pause()
        # Each window sees the other's attempt once it reads again.
        first.screen.refresh_ladder()
        second.screen.refresh_ladder()
        for app in (first, second):
            assert [o for o in app.screen.lines[0].outcomes] == ["success"]
        await one.press("escape", "c")
        await one.pause()
        await fill_checkin(one, 6, 30, ("I feel rushed", "I will slow my first km"))
        await one.press("ctrl+s")
        await one.pause()
        assert WORDS["saved"] in notes(first)
        # A reframe written in the second window while the first has the check-in saved.
        await two.press("escape")
        await two.pause()
        second.action_reframe()
        await two.pause()
        reframe = second.screen
        typed = {"what": "Walked the hills", "domain": "Running", "why": "I started too fast",
                 "new-explanation": "I paced badly", "if-situation": "a hill comes",
                 "then-action": "I will shorten my stride"}
        for name, value in typed.items():
            reframe.query_one(f"#{name}", Input).value = value
        for _ in range(7):
            await two.press("ctrl+n")
            await two.pause()
        await two.press("ctrl+s")
        await two.pause()
        assert second.screen is not reframe
        await one.press("escape", "l")
        await one.pause()
        assert first.screen.domain_list[0].name == "Running"
    assert rows(db_path, "SELECT what_happened FROM reframes") == [
        {"what_happened": "Walked the hills"}]
    saved = rows(db_path, "SELECT title, outcome, confidence, source FROM attempts ORDER BY id")
    assert saved == [
        {"title": "Five km", "outcome": None, "confidence": 70, "source": "app"},
        {"title": "Five km", "outcome": "success", "confidence": None, "source": "app"},
    ]
    assert rows(db_path, "SELECT energy, if_situation FROM checkins") == [
        {"energy": 6, "if_situation": "I feel rushed"}]


async def test_a_checkin_saved_in_both_windows_says_the_later_one_replaced_it(
        make_app, db_path, clock):
    async with AsyncExitStack() as stack:
        first, one, second, two = await both(make_app, stack)
        await open_checkin(one)
        await open_checkin(two)
        await fill_checkin(one, 3, 40, ("the bus is late", "I will read my notes"))
        await fill_checkin(two, 8, 20, ("I sit down to write", "I will start with one line"))
        await one.press("ctrl+s")
        await one.pause()
        assert notes(first)[-1] == WORDS["saved"]
        await two.press("ctrl+s")
        await two.pause()
        assert notes(second)[-1] == WORDS["saved_over"]
        assert not isinstance(second.screen, CheckinScreen)
    # The later save is the one kept, whole; nothing else was half-written.
    assert rows(db_path, "SELECT energy, anxiety, if_situation, then_action FROM checkins") == [
        {"energy": 8, "anxiety": 20, "if_situation": "I sit down to write",
         "then_action": "start with one line"}]


async def test_same_second_saves_are_still_told_apart(make_app, db_path):
    """The fixed clock stamps both saves with the same second: whole rows are compared."""
    async with AsyncExitStack() as stack:
        first, one, second, two = await both(make_app, stack)
        await open_checkin(one)
        await fill_checkin(one, 5, 50, ("", ""))
        await one.press("ctrl+s")
        await one.pause()
        await open_checkin(two)  # opened after the first save: it edits that one
        await open_checkin(one)
        await fill_checkin(two, 6, 50, ("", ""))
        await fill_checkin(one, 7, 50, ("", ""))
        await two.press("ctrl+s")
        await two.pause()
        assert notes(second)[-1] == WORDS["saved"]
        await one.press("ctrl+s")
        await one.pause()
        assert notes(first)[-1] == WORDS["saved_over"]
    assert rows(db_path, "SELECT energy FROM checkins") == [{"energy": 7}]


async def test_saving_again_in_the_same_window_is_not_called_a_conflict(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for energy in (4, 5):
            await open_checkin(pilot)
            await fill_checkin(pilot, energy, 50, ("", ""))
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert notes(app)[-1] == WORDS["saved"]
    assert rows(db_path, "SELECT energy FROM checkins") == [{"energy": 5}]


@pytest.fixture
def attempt(store):
    domain = ladder.add_domain(store, "Public speaking")
    return attempts.add_attempt(store, domain_id=domain.id, title="Gave the update",
                                happened_at="2026-11-25T09:00:00+00:00", outcome="partial")


async def edit_title(pilot, extra: str) -> None:
    """Open the edit form on the review screen's first record and add to its title."""
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormScreen)
    await press(pilot, "end", Typed(extra))


async def test_a_record_edited_in_both_review_windows_says_the_later_one_replaced_it(
        make_app, attempt, db_path):
    async with AsyncExitStack() as stack:
        first, one, second, two = await both(make_app, stack)
        for pilot in (one, two):
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ReviewScreen)
            await pilot.press("down")  # from the search box to the table
        await edit_title(one, " (first)")
        await edit_title(two, " (second)")
        await one.press("ctrl+s")
        await one.pause()
        assert notes(first)[-1] == say("review.saved", undo="u")
        await two.press("ctrl+s")
        await two.pause()
        assert notes(second)[-1] == say("review.conflict.replaced")
    assert rows(db_path, "SELECT title FROM attempts") == [{"title": "Gave the update (second)"}]


async def test_an_edit_of_a_record_deleted_in_the_other_window_brings_it_back(
        make_app, attempt, db_path):
    async with AsyncExitStack() as stack:
        first, one, second, two = await both(make_app, stack)
        for pilot in (one, two):
            await pilot.press("v")
            await pilot.pause()
            await pilot.press("down")
        await edit_title(two, " again")
        await one.press("d")
        await one.pause()
        assert rows(db_path, "SELECT deleted_at IS NOT NULL AS gone FROM attempts") == [
            {"gone": 1}]
        await two.press("ctrl+s")
        await two.pause()
        assert notes(second)[-1] == say("review.conflict.restored", delete="d")
    assert rows(db_path, "SELECT title, deleted_at FROM attempts") == [
        {"title": "Gave the update again", "deleted_at": None}]


def test_edited_since_compares_whole_records(store, attempt):
    record = review.get_record(store, "attempt", attempt.id)
    assert not review.edited_since(store, record)
    review.update_record(store, "attempt", attempt.id, {"note": "same second"})
    assert review.edited_since(store, record)


def test_checkin_version_changes_with_the_win(store):
    from efficacy_tui.coach.checkin import read_checkin

    day = store.today()
    checkins.save_checkin(store, read_checkin(day, {"energy": 5, "anxiety": 50}))
    before = checkins.checkin_version(store, day.isoformat())
    checkins.save_checkin(store, read_checkin(day, {"energy": 5, "anxiety": 50,
                                                    "win_title": "Ran"}))
    assert checkins.checkin_version(store, day.isoformat()) != before


def test_a_read_then_write_waits_for_the_other_window_instead_of_failing(db_path, clock):
    """Window A reads inside its transaction; window B commits a write meanwhile (from another
    thread, as another process would); A's write must then wait and succeed, not fail."""
    a = open_store(db_path, clock=clock)
    b = open_store(db_path, clock=clock)
    a.warm_up()
    b.warm_up()
    done = threading.Event()

    def other_window() -> None:
        with b.transaction():
            ladder.add_domain(b, "Chess")
        done.set()

    try:
        with a.transaction():
            a.scalar("SELECT count(*) FROM domains")
            thread = threading.Thread(target=other_window)
            thread.start()
            done.wait(timeout=1)
            ladder.add_domain(a, "Running")
        thread.join(timeout=10)
    finally:
        a.close()
        b.close()
    assert {r["name"] for r in rows(db_path, "SELECT name FROM domains")} == {"Chess", "Running"}
