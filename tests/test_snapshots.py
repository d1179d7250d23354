"""Snapshots of home and the check-in at 80x24 and 120x40 (plain `def`: snap_compare runs its own loop)."""

from datetime import timedelta

import pytest

from efficacy_tui.coach.checkin import read_checkin
from efficacy_tui.store import checkins, ladder
from efficacy_tui.store.core import open_store
from efficacy_tui.ui.app import EfficacyApp

from conftest import NOW, Clock

SIZES = [(80, 24), (120, 40)]


def history_app(db_path, start: str = "home") -> EfficacyApp:
    """Twelve of the last fourteen days checked in, two domains, wins with what was done."""
    clock = Clock()
    store = open_store(db_path, clock=clock)
    for back in range(13, -1, -1):
        if back in (4, 9):
            continue
        day = NOW - timedelta(days=back)
        clock.at(day.replace(hour=8))
        domain = "Public speaking" if back % 3 else "Running"
        rung = "Ask one question in a meeting" if domain == "Public speaking" else "Run 3 km"
        entry = read_checkin(day.date(), {
            "sleep_hours": "7", "energy": 4 + back % 5, "anxiety": 20 + (back * 37) % 70,
            "focus_domain": domain, "focus_rung": rung,
            "focus_confidence": 40 + (13 - back) * 4 // 10 * 10,
            "win_title": f"Win number {14 - back}", "win_did": "Prepared the night before",
            "if_situation": "I hesitate", "then_action": "I start with one sentence",
        })
        checkins.save_checkin(store, entry)
    store.close()
    return EfficacyApp(open_store(db_path, clock=Clock(NOW)), start=start, warm_up=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_history(snap_compare, tmp_path, size):
    assert snap_compare(history_app(tmp_path / "e.db"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_first_run(snap_compare, tmp_path, size):
    app = EfficacyApp(open_store(tmp_path / "e.db", clock=Clock(NOW)), warm_up=False)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checkin_form(snap_compare, tmp_path, size):
    async def partly_filled(pilot):
        await pilot.press("7", "tab", "right", "right", "tab", "left", "tab", *"Running")
        await pilot.pause()

    app = EfficacyApp(open_store(tmp_path / "e.db", clock=Clock(NOW)), start="checkin",
                      warm_up=False)
    assert snap_compare(app, terminal_size=size, run_before=partly_filled)


def demo_app(db_path, start: str) -> EfficacyApp:
    from efficacy_tui.store.demo import build_demo

    store = open_store(db_path, clock=Clock(NOW))
    build_demo(store, days=60, attempts=240, seed=3)
    store.close()
    return EfficacyApp(open_store(db_path, clock=Clock(NOW)), start=start, warm_up=False)


def test_checkin_asks_before_starting_a_rung(snap_compare, tmp_path):
    async def new_rung(pilot):
        await pilot.press("tab", "right", "tab", "right", "tab", *"Running", "tab", *"Run 5 km",
                          "ctrl+s")
        await pilot.pause()

    store = open_store(tmp_path / "e.db", clock=Clock(NOW))
    running = ladder.add_domain(store, "Running")
    ladder.add_rung(store, running.id, "Run 3 km", "Three laps of the park", 30)
    app = EfficacyApp(store, start="checkin", warm_up=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=new_rung)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ladder_screen(snap_compare, tmp_path, size):
    assert snap_compare(demo_app(tmp_path / "e.db", "ladder"), terminal_size=size)
