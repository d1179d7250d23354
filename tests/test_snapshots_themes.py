"""Home and the ladder without colour (NO_COLOR=1), and home in the high-contrast theme, at 80x24:
every signal must still read from symbols and words."""

import pytest
from helpers import palette_settled

from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.settings import save_theme
from efficacy_tui.ui.app import EfficacyApp
from efficacy_tui.ui.themes import HIGH_CONTRAST_NAME

from conftest import NOW, Clock


def demo_app(db_path, start: str = "home", theme: str | None = None) -> EfficacyApp:
    store = open_store(db_path, clock=Clock(NOW))
    build_demo(store, days=60, attempts=240, seed=3)
    if theme:
        save_theme(store, theme)
    store.close()
    return EfficacyApp(open_store(db_path, clock=Clock(NOW)), start=start, warm_up=False)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def test_home_without_colour(snap_compare, tmp_path, no_color):
    assert snap_compare(demo_app(tmp_path / "e.db"), terminal_size=(80, 24))


def test_ladder_without_colour(snap_compare, tmp_path, no_color):
    assert snap_compare(demo_app(tmp_path / "e.db", "ladder"), terminal_size=(80, 24))


def test_palette_without_colour(snap_compare, tmp_path, no_color):
    async def search(pilot):
        await pilot.press("ctrl+p", *"lad")
        await palette_settled(pilot)

    assert snap_compare(demo_app(tmp_path / "e.db"), run_before=search, terminal_size=(80, 24))


def test_home_high_contrast(snap_compare, tmp_path):
    assert snap_compare(demo_app(tmp_path / "e.db", theme=HIGH_CONTRAST_NAME),
                        terminal_size=(80, 24))
