"""The draft keeper: a write at most every half second while typing, one at once on leaving, and
while another program holds the file's write lock the app keeps running with the words in memory."""

import json
import time

import pytest
from helpers import hold_write_lock, settle
from textual.widgets import Input

from efficacy_tui.content import say
from efficacy_tui.store import drafts
from efficacy_tui.ui import draft_keeper
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.widgets.rating import Rating

from conftest import rows

WAITING = say("common.draft_waiting")
KEPT = say("checkin.draft_kept")


@pytest.fixture
def writes(monkeypatch) -> list[bool]:
    """Every draft write the keeper tries, True for each that reached the file."""
    tried: list[bool] = []
    keep = drafts.keep_draft

    def counted(*args, **kwargs) -> bool:
        tried.append(keep(*args, **kwargs))
        return tried[-1]

    monkeypatch.setattr(drafts, "keep_draft", counted)
    return tried


def kept(db_path) -> list[dict]:
    return [json.loads(row["data"]) for row in rows(db_path, "SELECT data FROM drafts")]


def said(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def open_checkin(pilot) -> CheckinScreen:
    await pilot.press("c")
    await settle(pilot, lambda: isinstance(pilot.app.screen, CheckinScreen))
    await settle(pilot, lambda: pilot.app.focused is not None
                and pilot.app.focused.id == "sleep_hours")
    return pilot.app.screen


async def test_typing_writes_a_few_drafts_and_keeps_the_last_words(make_app, db_path, writes):
    typed = "Running before breakfast"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await pilot.press("tab", "tab", "tab")  # to today's focus
        started = time.monotonic()
        await pilot.press(*typed)
        took = time.monotonic() - started
        await settle(pilot, lambda: [d["focus_domain"] for d in kept(db_path)] == [typed])
        assert isinstance(app.screen, CheckinScreen)
    assert 1 <= len(writes) <= 2 + took / draft_keeper.WRITE_EVERY
    assert len(writes) < len(typed)


async def test_leaving_writes_the_draft_at_once(make_app, db_path, writes, monkeypatch):
    monkeypatch.setattr(draft_keeper, "WRITE_EVERY", 3600)  # only leaving can write it
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await pilot.press("7", ".", "5")
        await pilot.pause()
        assert kept(db_path) == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [d["sleep_hours"] for d in kept(db_path)] == ["7.5"]
        assert writes == [True]
        assert KEPT in said(app)


async def test_quitting_writes_the_draft_at_once(make_app, db_path, monkeypatch):
    monkeypatch.setattr(draft_keeper, "WRITE_EVERY", 3600)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        await pilot.press("9")
        await pilot.pause()
        assert kept(db_path) == []
        await pilot.press("ctrl+q")
    assert [d["sleep_hours"] for d in kept(db_path)] == ["9"]


async def test_a_locked_file_keeps_the_draft_in_memory_until_it_can_be_written(
        make_app, db_path, writes):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin(pilot)
        other = hold_write_lock(db_path)
        try:
            await pilot.press("6", ".", "5")
            await settle(pilot, lambda: WAITING in said(app))
            await settle(pilot, lambda: writes.count(False) >= 3)  # tried again on each tick
            assert said(app).count(WAITING) == 1
            assert app.is_running and app.screen is screen
            assert screen.query_one("#sleep_hours", Input).value == "6.5"
            assert kept(db_path) == []
        finally:
            other.commit()
            other.close()
        await settle(pilot, lambda: [d["sleep_hours"] for d in kept(db_path)] == ["6.5"])
        assert said(app).count(WAITING) == 1
        # Once a write has gone through, a later lock is named again.
        other = hold_write_lock(db_path)
        try:
            await pilot.press("backspace")
            await settle(pilot, lambda: said(app).count(WAITING) == 2)
        finally:
            other.commit()
            other.close()
        await settle(pilot, lambda: [d["sleep_hours"] for d in kept(db_path)] == ["6."])
        assert app.screen is screen


async def test_a_draft_left_while_locked_comes_back_and_is_written_later(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checkin(pilot)
        other = hold_write_lock(db_path)
        try:
            await pilot.press("8")
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert WAITING in said(app)
            screen = await open_checkin(pilot)  # the words still waiting come back, not the file's
            assert screen.query_one("#sleep_hours", Input).value == "8"
            assert kept(db_path) == []
        finally:
            other.commit()
            other.close()
        await settle(pilot, lambda: [d["sleep_hours"] for d in kept(db_path)] == ["8"])


SAVE_WAITING = "Could not save yet"


async def test_saving_while_another_program_holds_the_lock_keeps_the_form_open(
        make_app, db_path, monkeypatch):
    monkeypatch.setenv("EFFICACY_BUSY_TIMEOUT_MS", "200")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checkin(pilot)
        await pilot.press("6", ".", "5", "tab", "right", "tab", "left")  # sleep, energy, anxiety
        other = hold_write_lock(db_path)
        try:
            await pilot.press("ctrl+s")  # waits the busy timeout, then says so
            await settle(pilot, lambda: SAVE_WAITING in str(
                screen.query_one("#error").render()))
            assert app.is_running and app.screen is screen
            assert screen.query_one("#sleep_hours", Input).value == "6.5"
            assert rows(db_path, "SELECT 1 FROM checkins") == []
            assert screen.query_one("#energy", Rating).value == 5
            await pilot.press("end", "5")  # typing goes on; the draft waits in memory
            await settle(pilot, lambda: WAITING in said(app))
            assert "6.55" not in [d["sleep_hours"] for d in kept(db_path)]
        finally:
            other.commit()
            other.close()
        await settle(pilot, lambda: [d["sleep_hours"] for d in kept(db_path)] == ["6.55"])
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert [r["sleep_hours"] for r in rows(db_path, "SELECT sleep_hours FROM checkins")] == [6.55]
    assert kept(db_path) == []
