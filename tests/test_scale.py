"""Per-domain self-efficacy scales: the coach's rules at their edges, then the screen driven with
keys only through Pilot against a real database file."""

from datetime import date, datetime

import pytest
from helpers import Typed, press
from textual.widgets import Input, Static

from efficacy_tui.coach.scale import (
    MAX_ITEMS,
    MIN_ITEMS,
    RERATE_DAYS,
    check_items,
    rerating_due,
    rerating_status,
    trend_line,
)
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.store.ladder import add_domain
from efficacy_tui.ui.screens.base import ConfirmScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.scale import ScaleScreen
from efficacy_tui.ui.widgets.rating import Rating

from conftest import rows

ITEMS = [
    "I can give a 5-minute talk even if I feel nervous",
    "I can answer a question I did not expect",
    "I can speak first in a meeting even if seniors are there",
]


def items(count: int) -> list[str]:
    return [f"I can do hard thing {n} even if I am tired" for n in range(1, count + 1)]


# The coach's rules


def test_limits_follow_the_brief():
    assert (MIN_ITEMS, MAX_ITEMS, RERATE_DAYS) == (3, 8, 14)


@pytest.mark.parametrize("count", [3, 8])
def test_three_to_eight_items_are_accepted(count):
    assert check_items(items(count)) == items(count)


def test_two_items_are_too_few_and_point_at_the_next_empty_slot():
    with pytest.raises(InvalidValue) as err:
        check_items([*items(2), "", "  "])
    assert err.value.field == "item-3"
    assert str(err.value) == (
        "Write at least 3 items so the scale covers several situations; there are 2 so far.")
    with pytest.raises(InvalidValue) as err:
        check_items(items(2))
    assert err.value.field == "item-3"


def test_nine_items_are_too_many_and_point_at_the_ninth():
    with pytest.raises(InvalidValue) as err:
        check_items(items(9))
    assert err.value.field == "item-9"
    assert str(err.value) == "Keep the scale to at most 8 items; there are 9."


def test_blanks_are_dropped_and_items_stripped_in_order():
    assert check_items(["", "  i CAN run 5k even if it rains  ", "", *items(2)]) == [
        "i CAN run 5k even if it rains", *items(2)]


@pytest.mark.parametrize("text", ["I will run 5k", "i'll run 5k", "I won't give up",
                                  "I am going to run"])
def test_will_do_items_are_refused_with_bandura_s_reason(text):
    with pytest.raises(InvalidValue) as err:
        check_items([*items(2), text])
    assert err.value.field == "item-3"
    assert str(err.value) == ('Item 3 says what you will do; Bandura\'s scales ask what you can '
                              'do, so start it with "I can".')


@pytest.mark.parametrize("text", ["Run 5k", "Icanrun", "I could run 5k", "We can run"])
def test_items_must_start_with_i_can(text):
    with pytest.raises(InvalidValue) as err:
        check_items([text, *items(3)])
    assert err.value.field == "item-1"
    assert str(err.value).startswith('Item 1 must start with "I can"')


@pytest.mark.parametrize("text", ["I cannot run", "I can't run", "i can not run"])
def test_cannot_items_are_refused(text):
    with pytest.raises(InvalidValue) as err:
        check_items([*items(3), text])
    assert err.value.field == "item-4"
    assert "what you cannot do" in str(err.value)


def test_a_repeated_item_is_refused():
    with pytest.raises(InvalidValue) as err:
        check_items([*items(3), items(1)[0].upper()])
    assert (err.value.field, str(err.value)) == (
        "item-4", "Item 4 repeats item 1; make each item a different situation.")


def test_rerating_is_due_when_never_rated_or_after_fourteen_local_days():
    today = date(2026, 11, 26)
    assert rerating_due(None, today)
    assert not rerating_due("2026-11-13T23:30:00+00:00", today)  # 13 days
    assert rerating_due("2026-11-12T00:10:00+00:00", today)  # 14 days
    assert not rerating_due("2026-11-26T08:00:00+00:00", today)
    # The stamp's own local date counts, whatever its offset.
    assert not rerating_due("2026-10-29T00:30:00+01:00", date(2026, 11, 11))  # 13 days
    assert rerating_due("2026-10-28T23:30:00+01:00", date(2026, 11, 11))  # 14 days


def test_rerating_status_in_words():
    today = date(2026, 11, 26)
    assert rerating_status(None, today).startswith("Not rated yet")
    assert rerating_status("2026-11-10T09:00:00+00:00", today) == (
        "Last rated 16 days ago: time to re-rate.")
    assert rerating_status("2026-11-23T09:00:00+00:00", today) == (
        "Rated 3 days ago; re-rate in 11 days.")
    assert rerating_status("2026-11-26T09:00:00+00:00", today).startswith("Rated today")


def test_trend_line_reads_without_colour():
    assert trend_line([]) == ""
    assert trend_line([42.5]) == "one sitting so far: mean 43"
    assert trend_line([42.0, 50.0, 63.3]) == "first 42 → latest 63 (▲ 21 over 3 sittings)"
    assert trend_line([60.0, 40.0]) == "first 60 → latest 40 (▼ 20 over 2 sittings)"
    assert trend_line([50.0, 50.0]) == "first 50 → latest 50 (no change over 2 sittings)"


# The screen


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_scale(app, pilot, domain_id: int) -> list:
    results: list = []
    app.push_screen(ScaleScreen(domain_id), results.append)
    await pilot.pause()
    return results


@pytest.fixture
def domain(store):
    return add_domain(store, "[b]Public speaking[/]", "Give a 10-minute talk")


async def test_write_rate_and_save_three_items(make_app, db_path, domain):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_scale(app, pilot, domain.id)
        assert isinstance(app.screen, ScaleScreen)
        assert shown(app, "#scale-heading").endswith("in [b]Public speaking[/]?")
        assert shown(app, "#scale-status").startswith("Not rated yet")
        assert app.focused.id == "item-1"
        # Unrated -> 50, then steps of 10.
        await press(pilot, Typed(ITEMS[0]), "tab", "right", "tab")
        await press(pilot, Typed(ITEMS[1]), "enter", "right", "right", "tab")
        await press(pilot, Typed(ITEMS[2]), "tab", "left", "left")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert results == [True]
    saved = rows(db_path, "SELECT * FROM scale_items ORDER BY position")
    assert [(i["text"], i["position"], i["domain_id"]) for i in saved] == [
        (text, n, domain.id) for n, text in enumerate(ITEMS, start=1)]
    ratings = rows(db_path, "SELECT * FROM scale_ratings ORDER BY item_id")
    assert [r["rating"] for r in ratings] == [50, 60, 40]
    assert [r["item_id"] for r in ratings] == [i["id"] for i in saved]
    assert len({r["session"] for r in ratings}) == 1
    assert {r["rated_at"] for r in ratings} == {"2026-11-26T09:30:00+00:00"}


async def test_reopen_prefills_and_a_re_rating_adds_a_sitting_to_the_trend(
        make_app, db_path, domain, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scale(app, pilot, domain.id)
        await press(pilot, Typed(ITEMS[0]), "tab", "right", "tab", Typed(ITEMS[1]), "tab",
                    "right", "tab", Typed(ITEMS[2]), "tab", "left", "left", "left", "ctrl+s")
        await pilot.pause()
    clock.at(datetime(2026, 12, 12, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_scale(app, pilot, domain.id)
        screen = app.screen
        assert [screen.query_one(f"#item-{n}", Input).value for n in range(1, 5)] == [*ITEMS, ""]
        assert screen.query_one("#rating-1", Rating).value is None  # rated afresh each sitting
        assert shown(app, "#scale-status") == "Last rated 16 days ago: time to re-rate."
        assert shown(app, "#hint-1") == "last rated 50 on 26 Nov"
        assert shown(app, "#hint-3") == "last rated 30 on 26 Nov"
        assert not screen.query_one("#hint-4").display
        assert "one sitting so far: mean 43" in shown(app, "#scale-trend")
        await pilot.press("tab", "end", "tab", "tab", "end", "tab", "tab", "right", "right",
                          "right")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert results == [True]
    sessions = rows(db_path, "SELECT session, avg(rating) AS mean, rated_at FROM scale_ratings "
                             "GROUP BY session ORDER BY rated_at")
    assert [round(s["mean"], 1) for s in sessions] == [43.3, 90.0]
    assert sessions[1]["rated_at"] == "2026-12-12T08:00:00+00:00"
    assert len(rows(db_path, "SELECT * FROM scale_items")) == 3  # same items, history kept
    clock.at(datetime(2026, 12, 15, 8, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scale(app, pilot, domain.id)
        trend = shown(app, "#scale-trend")
        assert "first 43 → latest 90 (▲ 47 over 2 sittings)" in trend
        assert "26 Nov: 43 · 12 Dec: 90" in trend
        assert shown(app, "#scale-status") == "Rated 3 days ago; re-rate in 11 days."
        assert shown(app, "#hint-2") == "last rated 100 on 12 Dec"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(rows(db_path, "SELECT * FROM scale_ratings")) == 6


async def save_refused(make_app, db_path, domain, keys: list[str]) -> tuple[str, str]:
    """Type `keys`, try to save, and return the error and the focused field."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_scale(app, pilot, domain.id)
        await press(pilot, *keys, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScaleScreen)
        assert app.screen.query_one("#error").display
        message, focused = shown(app, "#error"), app.focused.id
        await pilot.press("escape")  # unsaved work: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert results == [False]
    assert rows(db_path, "SELECT * FROM scale_items") == []
    assert rows(db_path, "SELECT * FROM scale_ratings") == []
    return message, focused


async def test_too_few_items_write_nothing(make_app, db_path, domain):
    message, focused = await save_refused(make_app, db_path, domain, [
        Typed(ITEMS[0]), "tab", "right", "tab", Typed(ITEMS[1]), "tab", "right"])
    assert message.startswith("Write at least 3 items")
    assert focused == "item-3"


async def test_a_will_item_writes_nothing(make_app, db_path, domain):
    message, focused = await save_refused(make_app, db_path, domain, [
        Typed(ITEMS[0]), "tab", "right", "tab", Typed("I will run"), "tab", "right", "tab",
        Typed(ITEMS[2]), "tab", "right"])
    assert "what you can do" in message
    assert focused == "item-2"


async def test_an_unrated_item_writes_nothing(make_app, db_path, domain):
    message, focused = await save_refused(make_app, db_path, domain, [
        Typed(ITEMS[0]), "tab", "right", "tab", Typed(ITEMS[1]), "tab", "tab", Typed(ITEMS[2]),
        "tab", "right"])
    assert message == "Rate item 2 before saving (type a digit or use ← → on its rating)."
    assert focused == "rating-2"
