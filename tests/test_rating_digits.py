"""A digit typed on a rating sets it (tenths of a 0-100 scale, the digit itself on 0-10), and
the ratings a form needs are marked as required from the start."""

from helpers import shown

from efficacy_tui.coach.ratings import scale
from efficacy_tui.content import say
from efficacy_tui.ui.screens.checkin import CheckinScreen

from conftest import rows


async def test_digits_set_ratings_and_required_ones_are_marked(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        mark = say("common.required_mark")
        assert shown(app, "#label-energy").endswith(mark)
        assert shown(app, "#label-anxiety").endswith(mark)
        assert not shown(app, "#label-sleep_hours").endswith(mark)
        assert not shown(app, "#label-focus_confidence").endswith(mark)
        await pilot.press("tab", "7")  # energy, 0-10: 7
        await pilot.press("tab", "9", "0", "7")  # anxiety, 0-100: the last digit, 7 -> 70
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = rows(db_path, "SELECT energy, anxiety FROM checkins")
    assert saved == [{"energy": 7, "anxiety": 70}]


async def test_zero_sets_the_lowest_and_end_the_highest(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab", "0", "tab", "0")
        energy, anxiety = (app.screen.query_one(f"#{n}").value for n in ("energy", "anxiety"))
        assert (energy, anxiety) == (0, 0)
        await pilot.press("end")
        assert app.screen.query_one("#anxiety").value == 100
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert rows(db_path, "SELECT energy, anxiety FROM checkins") == [{"energy": 0, "anxiety": 100}]


def test_each_scale_reads_a_digit_its_own_way():
    assert [scale("confidence").from_digit(d) for d in (0, 1, 7, 9)] == [0, 10, 70, 90]
    assert scale("difficulty").from_digit(7) == 70
    assert [scale("energy").from_digit(d) for d in (0, 7, 9)] == [0, 7, 9]
    assert [scale("effort").from_digit(d) for d in (0, 1, 5, 7)] == [None, 1, 5, None]
