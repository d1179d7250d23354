"""The daily check-in, driven with keys only through Pilot against a real database file."""

from datetime import datetime

import pytest
from helpers import Typed, enter, press, save_checkin, settle, type_keys
from helpers import shown as screen_text
from textual.widgets import Input, Static

from efficacy_tui.store import ladder
from efficacy_tui.ui.screens.base import ConfirmScreen
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.checkin_forms import NewRungForm
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.widgets.rating import Rating

from conftest import rows


async def fill_whole_checkin(pilot, put=enter) -> None:
    """Every field, in tab order; `put` enters each text (`type_keys` types it key by key)."""
    await put(pilot, "7.5")
    await pilot.press("tab")  # sleep
    await pilot.press("right", "right", "right", "tab")  # energy: unrated -> 5 (middle) -> 7
    await pilot.press("left", "left", "left", "tab")  # anxiety: unrated -> 50 -> 30
    for text in ("Public speaking", "Speak up in the stand-up"):
        await put(pilot, text)
        await pilot.press("tab")
    await pilot.press("right", "right", "right", "tab")  # confidence: unrated -> 50 -> 70
    await put(pilot, "Asked a question in the review")
    await pilot.press("tab", "tab")  # the win's domain: already today's focus
    for text in ("Wrote the question down first", "my mind goes blank"):
        await put(pilot, text)
        await pilot.press("tab")
    await put(pilot, "look at my notes and start with one sentence")
    await pilot.pause()


async def test_first_run_shows_welcome_and_offers_checkin(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        welcome = screen_text(app, "#welcome-text")
        assert "Welcome" in app.screen.query_one("#welcome").border_title
        assert "Press c to start your first check-in" in welcome
        assert "l to build your first mastery ladder" in welcome
        flat = " ".join(welcome.split())
        assert "not self-esteem" in flat and "specific to a domain" in flat
        assert "calibrated confidence" in flat and "not simply more confidence" in flat
        assert not app.screen.query_one("#streak").display
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


@pytest.mark.long
async def test_whole_checkin_with_keys_only_is_in_the_file(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await fill_whole_checkin(pilot, put=type_keys)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The domain and the rung are new: saving asks first, with the rung's criterion.
        assert isinstance(app.screen, NewRungForm)
        assert screen_text(app, "#new-names").splitlines()[:2] == [
            "New domain: Public speaking?",
            "New rung in Public speaking: Speak up in the stand-up?"]
        await type_keys(pilot, "I say one thing")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "done" in screen_text(app, "#status")
        assert screen_text(app, "#streak") == "Check-in streak: 1 day"
        assert "Public speaking: ▶ Speak up in the stand-up" in screen_text(app, "#domain-list")
        assert "Asked a question in the review" in screen_text(app, "#win-text")
    [checkin] = rows(db_path, "SELECT * FROM checkins")
    assert checkin["day"] == "2026-11-26"
    assert (checkin["sleep_hours"], checkin["energy"], checkin["anxiety"]) == (7.5, 7, 30)
    assert checkin["focus_confidence"] == 70
    assert checkin["if_situation"] == "my mind goes blank"
    assert checkin["then_action"] == "look at my notes and start with one sentence"
    [domain] = rows(db_path, "SELECT * FROM domains")
    [rung] = rows(db_path, "SELECT * FROM rungs")
    assert (checkin["focus_domain_id"], checkin["focus_rung_id"]) == (domain["id"], rung["id"])
    assert rung["status"] == "active" and rung["title"] == "Speak up in the stand-up"
    assert (rung["criterion"], rung["difficulty"]) == ("I say one thing", 30)
    [win] = rows(db_path, "SELECT * FROM attempts")
    assert win["outcome"] == "success" and win["source"] == "checkin"
    assert win["checkin_id"] == checkin["id"]
    assert win["what_i_did"] == "Wrote the question down first"
    assert win["happened_at"] == "2026-11-25T12:00:00+00:00"
    assert len(win["uid"]) == 36 and len(checkin["uid"]) == 36
    assert rows(db_path, "SELECT * FROM drafts") == []


async def test_reopening_the_same_day_edits_that_checkin(make_app, db_path, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await fill_whole_checkin(pilot)
        await save_checkin(pilot)
    clock.at(datetime(2026, 11, 26, 21, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#focus_domain", Input).value == "Public speaking"
        assert screen.query_one("#win_title", Input).value == "Asked a question in the review"
        assert screen.query_one("#anxiety", Rating).value == 30
        await pilot.press("tab", "tab")  # to anxiety
        await pilot.press("end")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin] = rows(db_path, "SELECT * FROM checkins")
    assert checkin["anxiety"] == 100
    assert checkin["updated_at"] == "2026-11-26T21:00:00+00:00"
    assert len(rows(db_path, "SELECT * FROM attempts WHERE deleted_at IS NULL")) == 1


async def test_draft_is_restored_after_escape(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, Typed("6"), "tab", "right", "tab", "tab", Typed("Running"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert rows(db_path, "SELECT * FROM checkins") == []
        status = str(app.screen.query_one("#status").render())
        assert "is kept, not yet saved: press c to finish it" in status  # home says it waits
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sleep_hours", Input).value == "6"
        assert screen.query_one("#energy", Rating).value == 5
        assert screen.query_one("#focus_domain", Input).value == "Running"


async def test_draft_survives_quitting_without_saving(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("8", "tab", "end", "tab", "home")
        # Written as typed: another program sees the draft before anything is left or saved.
        [draft] = await settle(pilot, lambda: rows(db_path, "SELECT * FROM drafts"),
                               what="the draft in the file")
        assert draft["kind"] == "checkin" and draft["key"] == "2026-11-26"
        await pilot.press("ctrl+q")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sleep_hours", Input).value == "8"
        assert screen.query_one("#energy", Rating).value == 10
        assert screen.query_one("#anxiety", Rating).value == 0


async def test_checkin_command_opens_the_form(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def bad_save(make_app, db_path, keys: list[str]) -> tuple[str, str, dict]:
    """Type `keys` into a new check-in, try to save, and return the error, the focused field
    and what the form still holds."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, *keys)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        error = app.screen.query_one("#error", Static)
        assert error.display
        message, focused, kept = str(error.render()), app.focused.id, app.screen.values()
    assert rows(db_path, "SELECT * FROM checkins") == []
    assert rows(db_path, "SELECT * FROM attempts") == []
    assert rows(db_path, "SELECT * FROM domains") == []
    return message, focused, kept


async def test_sleep_out_of_range_is_refused(make_app, db_path):
    keys = [Typed("30"), "tab", "right", "tab", "right"]
    message, focused, _ = await bad_save(make_app, db_path, keys)
    assert message == 'Sleep must be a number of hours from 0 to 24, such as 7 or 7.5; "30" is not.'
    assert focused == "sleep_hours"


async def test_unrated_energy_is_refused(make_app, db_path):
    message, focused, _ = await bad_save(make_app, db_path, [Typed("7"), "tab", "tab", "right"])
    assert message == "Rate your energy before saving (type a digit or use ← → on it)."
    assert focused == "energy"


async def test_half_an_if_then_plan_is_refused(make_app, db_path):
    keys = ["tab", "right", "tab", "right", "tab", Typed("Running"), "tab", "tab", "tab", "tab",
            "tab", "tab", Typed("it rains")]
    message, focused, _ = await bad_save(make_app, db_path, keys)
    assert "needs both parts" in message
    assert focused == "then_action"


async def test_what_i_did_without_a_win_is_refused(make_app, db_path):
    keys = ["tab", "right", "tab", "right", "tab", "tab", "tab", "tab", "tab", "tab",
            Typed("prepared")]
    message, focused, _ = await bad_save(make_app, db_path, keys)
    assert message.startswith("Say what yesterday's win was")
    assert focused == "win_title"


async def test_user_text_is_shown_literally_never_as_markup(make_app, db_path):
    hostile = "[bold]loud[/] [@click=app.quit]x[/]"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, "tab", "right", "tab", "right", "tab", Typed("[red]Running[/]"), "tab",
                    Typed("[b]5k"), "tab", "tab", Typed(hostile), "tab", "tab", Typed("[/]"))
        await save_checkin(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert hostile in screen_text(app, "#win-text")
        assert "[/]" in screen_text(app, "#win-text")
        assert "[red]Running[/]: ▶ [b]5k" in screen_text(app, "#domain-list")
    [win] = rows(db_path, "SELECT title, what_i_did FROM attempts")
    assert win == {"title": hostile, "what_i_did": "[/]"}


async def test_streak_on_home_crosses_the_autumn_clock_change(db_path, clock, make_app):
    """Check-ins every morning from 22 to 28 October 2026; clocks went back on the 25th."""
    for day in range(22, 29):
        clock.at(datetime(2026, 10, day, 7, 45))
        app = make_app(start="checkin")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("tab", "right", "tab", "right", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    clock.at(datetime(2026, 10, 29, 6, 0))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen_text(app, "#streak") == "Check-in streak: 7 days"
        assert "not done yet" in screen_text(app, "#status")
    offsets = {r["created_at"][-6:] for r in rows(db_path, "SELECT created_at FROM checkins")}
    assert offsets == {"+01:00", "+00:00"}


# -- yesterday's win keeps a domain of its own --------------------------------------------------


def win_domain(db_path) -> str | None:
    [win] = rows(db_path, "SELECT d.name FROM attempts a LEFT JOIN domains d ON d.id = a.domain_id "
                          "WHERE a.source = 'checkin' AND a.deleted_at IS NULL")
    return win["name"]


async def edit_today(app, pilot, **values) -> None:
    """Open today's check-in again, set fields by id, and save."""
    await pilot.press("c")
    await pilot.pause()
    screen = app.screen
    for name, value in values.items():
        screen.query_one(f"#{name}").value = value
    await pilot.pause()
    await save_checkin(pilot)
    assert isinstance(app.screen, HomeScreen)


async def test_editing_the_focus_never_moves_a_recorded_win(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await fill_whole_checkin(pilot)
        # The first save files the win under today's focus, shown in its own field.
        assert app.screen.query_one("#win_domain", Input).value == "Public speaking"
        await save_checkin(pilot)
        assert win_domain(db_path) == "Public speaking"
        await edit_today(app, pilot, focus_domain="Running", focus_rung="Run 3 km")
        [checkin] = rows(db_path, "SELECT d.name FROM checkins c "
                                  "JOIN domains d ON d.id = c.focus_domain_id")
        assert checkin["name"] == "Running"
        assert win_domain(db_path) == "Public speaking"
        await edit_today(app, pilot, focus_domain="", focus_rung="", focus_confidence=None)
        assert rows(db_path, "SELECT focus_domain_id FROM checkins") == [{"focus_domain_id": None}]
        assert win_domain(db_path) == "Public speaking"


async def test_the_win_can_be_filed_under_another_domain_or_none(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#energy").value = 5
        screen.query_one("#anxiety").value = 40
        screen.query_one("#focus_domain", Input).value = "Running"
        screen.query_one("#win_title", Input).value = "Asked a question in standup"
        await pilot.pause()
        assert screen.query_one("#win_domain", Input).value == "Running"
        screen.query_one("#win_domain", Input).value = "Public speaking"
        await pilot.pause()
        # Once changed by the user, the win's domain no longer follows the focus.
        screen.query_one("#focus_domain", Input).value = "Cooking"
        await pilot.pause()
        assert screen.query_one("#win_domain", Input).value == "Public speaking"
        await save_checkin(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert win_domain(db_path) == "Public speaking"
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#win_domain", Input).value == "Public speaking"
        app.screen.query_one("#win_domain", Input).value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert win_domain(db_path) is None
    assert {d["name"] for d in rows(db_path, "SELECT name FROM domains")} == {
        "Cooking", "Public speaking"}


# -- a rung or a confidence rating without a domain is asked about, never dropped ---------------


async def test_a_rung_without_a_domain_asks_for_the_domain_and_keeps_everything(make_app, db_path):
    keys = ["tab", "right", "tab", "right", "tab", "tab", Typed("Speak first in standup"),
            "tab", "right", "right"]
    message, focused, kept = await bad_save(make_app, db_path, keys)
    assert message == "A rung belongs to a domain: name today's focus domain, or clear the rung."
    assert focused == "focus_domain"
    assert kept["focus_rung"] == "Speak first in standup"
    assert (kept["energy"], kept["anxiety"], kept["focus_confidence"]) == (5, 50, 60)


async def test_a_confidence_without_a_domain_is_asked_about_and_can_be_cleared(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("tab", "right", "tab", "right", "tab", "tab", "tab", "right", "right")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert str(screen.query_one("#error", Static).render()).startswith(
            "Your confidence rating is about today's focus: name its domain")
        assert app.focused.id == "focus_domain"
        assert rows(db_path, "SELECT * FROM checkins") == []
        assert screen.query_one("#focus_confidence", Rating).value == 60
        await pilot.press("tab", "tab", "delete")  # on the rating: back to unrated
        assert screen.query_one("#focus_confidence", Rating).value is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin] = rows(db_path, "SELECT focus_domain_id, focus_confidence FROM checkins")
    assert checkin == {"focus_domain_id": None, "focus_confidence": None}


# -- a rung or domain offered, completed, and started only when the user says so ---------------


def running_ladder(store):
    """Running, with "Run 5 km in under 32 minutes" (50) active below "Run 10 km" (70)."""
    domain = ladder.add_domain(store, "Running")
    five = ladder.add_rung(store, domain.id, "Run 5 km in under 32 minutes", "", 50)
    ten = ladder.add_rung(store, domain.id, "Run 10 km", "", 70)
    return five, ten


async def test_the_offered_rung_is_replaced_by_typing_and_names_complete(make_app, db_path,
                                                                          store):
    _, ten = running_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, "tab", "right", "tab", "right", "tab", Typed("run"))
        await pilot.pause()  # the completion is looked up as the text changes
        await pilot.press("tab")
        domain = app.screen.query_one("#focus_domain", Input)
        assert (domain.value, app.focused) == ("Running", domain)  # completed, still there
        await pilot.press("tab")
        rung = app.screen.query_one("#focus_rung", Input)
        assert app.focused is rung
        assert rung.value == "Run 5 km in under 32 minutes"  # the active rung, offered...
        assert rung.selected_text == rung.value  # ...selected, so typing replaces it
        await type_keys(pilot, "Run 1")
        assert rung.value == "Run 1"
        await pilot.pause()
        await pilot.press("tab")
        assert (rung.value, app.focused) == ("Run 10 km", rung)
        await pilot.press("ctrl+s")  # both exist: nothing to ask
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin] = rows(db_path, "SELECT focus_rung_id FROM checkins")
    assert checkin["focus_rung_id"] == ten.id
    assert len(rows(db_path, "SELECT * FROM rungs")) == 2


async def test_a_new_rung_is_asked_about_and_written_only_on_yes(make_app, db_path, store):
    five, ten = running_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, "tab", "right", "tab", "right", "tab", Typed("Running"), "tab",
                    Typed("Run a half marathon"))
        form = app.screen
        assert form.query_one("#focus_rung", Input).value == "Run a half marathon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewRungForm)
        assert screen_text(app, "#new-names").startswith(
            "New rung in Running: Run a half marathon?")
        assert app.screen.query_one("#difficulty", Rating).value == 80  # above the top rung
        await pilot.press("escape")  # no: back to the form, as it was, nothing written
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#focus_rung", Input).value == "Run a half marathon"
        assert rows(db_path, "SELECT * FROM checkins") == []
        assert len(rows(db_path, "SELECT * FROM rungs")) == 2
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")  # the criterion is required
        await pilot.pause()
        assert isinstance(app.screen, NewRungForm)
        assert "success criterion" in screen_text(app, "#error")
        await press(pilot, Typed("Finish in under 2 h 10"), "tab", "right")
        assert app.screen.query_one("#difficulty", Rating).value == 85
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [rung] = rows(db_path, "SELECT * FROM rungs WHERE id NOT IN (?, ?)", [five.id, ten.id])
    assert (rung["title"], rung["criterion"], rung["difficulty"], rung["status"]) == (
        "Run a half marathon", "Finish in under 2 h 10", 85, "upcoming")
    [checkin] = rows(db_path, "SELECT focus_rung_id FROM checkins")
    assert checkin["focus_rung_id"] == rung["id"]


async def test_a_new_domain_is_asked_about_and_written_only_on_yes(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, "tab", "right", "tab", "right", "tab", Typed("Cooking"))
        form = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one(Static).render()).startswith("New domain: Cooking?")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.values()["focus_domain"] == "Cooking"
        assert rows(db_path, "SELECT * FROM checkins") == []
        assert rows(db_path, "SELECT * FROM domains") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin] = rows(db_path, "SELECT d.name FROM checkins c JOIN domains d "
                              "ON d.id = c.focus_domain_id")
    assert checkin["name"] == "Cooking"


async def test_a_new_domain_close_to_a_known_one_is_named_in_the_question(make_app, store,
                                                                          db_path):
    ladder.add_domain(store, "Cooking")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await press(pilot, "tab", "right", "tab", "right", "tab", Typed("Cookng"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one(Static).render()).splitlines()[:2] == [
            "New domain: Cookng?", "Did you mean Cooking? That domain is there already."]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
    assert rows(db_path, "SELECT name FROM domains") == [{"name": "Cooking"}]
