"""The rating widget, used for every scale in the app."""

import pytest
from textual.app import App, ComposeResult

from efficacy_tui.coach.ratings import scale
from efficacy_tui.ui.widgets.rating import BAR_CELLS, Rating
from efficacy_tui.ui.widgets.spark import spark

pytestmark = pytest.mark.paints  # draws every frame, as a terminal would


class RatingApp(App):
    CSS = "Rating { padding: 0 2; height: 1; }"
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[int | None] = []

    def compose(self) -> ComposeResult:
        yield Rating(scale("confidence"), id="confidence")

    def on_rating_changed(self, event: Rating.Changed) -> None:
        self.changes.append(event.value)


async def test_keys_move_by_a_step_and_jump_to_the_ends():
    app = RatingApp()
    async with app.run_test() as pilot:
        rating = app.query_one(Rating)
        rating.focus()
        assert rating.value is None
        assert "not rated" in str(rating.render())
        await pilot.press("right")
        assert rating.value == 50
        await pilot.press("right", "up")
        assert rating.value == 70
        assert "quite certain I can do" in str(rating.render())
        await pilot.press("left", "down")
        assert rating.value == 50
        await pilot.press("end", "right")
        assert rating.value == 100
        assert "highly certain I can do" in str(rating.render())
        await pilot.press("home", "left")
        assert rating.value == 0
        assert "cannot do at all" in str(rating.render())
        await pilot.pause()
        assert app.changes[-1] == 0


async def test_a_click_sets_the_value():
    app = RatingApp()
    async with app.run_test() as pilot:
        rating = app.query_one(Rating)
        padding = rating.styles.padding.left
        assert padding == 2
        await pilot.click(Rating, offset=(padding + BAR_CELLS - 1, 0))
        assert rating.value == 100
        await pilot.click(Rating, offset=(padding + (BAR_CELLS - 1) // 2, 0))
        assert rating.value == 50
        assert app.focused is rating
        await pilot.click(Rating, offset=(0, 0))
        assert rating.value == 50


def test_sparkline_shows_gaps_and_heights():
    assert spark([0, None, 100, 50], 0, 100) == "▁·█▅"
    assert spark([], 0, 100) == ""
