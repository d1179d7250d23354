"""Snapshots of the Trends and Calibration tabs at 80x24 and 120x40, on the demo database built
with a fixed seed and the fixed clock (plain `def`: snap_compare runs its own loop)."""

import pytest
from textual.app import App, ComposeResult

from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.ui.widgets.calibration_chart import CalibrationPane
from efficacy_tui.ui.widgets.trends import TrendsPane

from conftest import NOW, Clock

SIZES = [(80, 24), (120, 40)]


class PaneApp(App):
    """A host with a `store` that composes only the pane, as the review screen's tab would."""

    def __init__(self, store, pane: type) -> None:
        super().__init__()
        self.store = store
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane()

    def on_unmount(self) -> None:
        self.store.close()


def demo_app(db_path, pane: type) -> PaneApp:
    store = open_store(db_path, clock=Clock(NOW))
    build_demo(store, days=120, attempts=360, seed=3)
    store.close()
    return PaneApp(open_store(db_path, clock=Clock(NOW)), pane)


async def loaded(pilot) -> None:
    """Wait for the pane's worker to read the figures and the pane to paint them."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_trends_pane(snap_compare, tmp_path, size):
    app = demo_app(tmp_path / "e.db", TrendsPane)
    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_calibration_pane(snap_compare, tmp_path, size):
    app = demo_app(tmp_path / "e.db", CalibrationPane)
    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_trends_pane_calendar(snap_compare, tmp_path, size):
    """Scrolled to the end: the check-in chart and the calendar of check-ins and wins."""

    async def to_the_calendar(pilot) -> None:
        await loaded(pilot)
        pilot.app.query_one(TrendsPane).scroll_end(animate=False)
        await pilot.pause()

    app = demo_app(tmp_path / "e.db", TrendsPane)
    assert snap_compare(app, terminal_size=size, run_before=to_the_calendar)
