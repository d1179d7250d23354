"""Keys a person can find: help in the footer of every screen at 80x24, help opening on the keys
of the screen it was asked from, one key for the next domain on the ladder, the line under a
guided step saying what enter does in the focused field, and notifications that leave a form's
line of keys and the review's record pane in view."""

import pytest
from helpers import Typed, enter, press, shown, speaking_ladder
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from efficacy_tui.store import ladder
from efficacy_tui.ui.screens.audit import AuditScreen
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.help import HelpScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.screens.readiness import ReadinessScreen
from efficacy_tui.ui.screens.reframe import ReframeScreen
from efficacy_tui.ui.screens.review import ReviewScreen
from efficacy_tui.ui.screens.role_models import RoleModelsScreen
from efficacy_tui.ui.screens.scale import ScaleScreen


def help_key(app) -> str:
    """The footer's help key as shown, after checking it lies whole inside the screen and clear of
    every other key."""
    keys = list(app.screen.query_one(Footer).query(FooterKey))
    [found] = [key for key in keys if key.description == "Help"]
    width = app.screen.size.width
    assert 0 <= found.region.x and found.region.right <= width, found.region
    assert not any(key.region.overlaps(found.region) for key in keys if key is not found)
    return found.key_display


@pytest.mark.long
async def test_the_footer_keeps_help_on_every_screen_at_80x24(make_app, store):
    speaking_ladder(store)
    ladder.add_domain(store, "Running")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and help_key(app) == "?"
        # Each screen from home, and back: where the focus starts in a text field, `?` would be
        # typed there, so the footer names f1; `?` again once the focus leaves the field.
        for keys, screen, where in (
            (["l"], LadderScreen, "?"),
            (["l", "m"], RoleModelsScreen, "?"),
            (["l", "i"], ScaleScreen, "f1"),
            (["l", "t"], AuditScreen, "f1"),
            (["v"], ReviewScreen, "?"),
            (["c"], CheckinScreen, "f1"),
            (["p"], ReadinessScreen, "?"),
            (["r"], ReframeScreen, "f1"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            assert help_key(app) == where, screen
            if screen is CheckinScreen:
                await pilot.press("tab")  # from sleep onto the energy rating
                await pilot.pause()
                assert help_key(app) == "?"
                # The same keys on the next rating: the footer is not built again.
                built = list(app.screen.query(FooterKey))
                await pilot.press("tab")
                await pilot.pause()
                assert app.focused.id == "anxiety" and list(app.screen.query(FooterKey)) == built
                await pilot.press("question_mark")
                await pilot.pause()
                assert isinstance(app.screen, HelpScreen)
                await pilot.press("escape")
            while not isinstance(app.screen, HomeScreen):
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("l")
        await pilot.resize_terminal(50, 20)  # narrower still: keys give way, help stays
        await pilot.pause()
        await pilot.pause()
        assert help_key(app) == "?"
        assert len(app.screen.query(FooterKey)) < 8


async def test_help_from_the_ladder_lists_its_keys_as_they_are_before_the_science(
        make_app, store, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"ladder.plan" = "k"\n', "utf-8")
    monkeypatch.setenv("EFFICACY_CONFIG", str(config))
    speaking_ladder(store)
    app = make_app("ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        here = str(app.screen.query_one("#keys-here").render()).splitlines()
        assert here[0] == "Ladder"
        plan = next(line for line in here if "Plan an attempt" in line)
        assert plan.split()[0] == "k"  # the keymap's key, not the default p
        assert any(line.split()[0] == "d" and "Delete the selected rung" in line
                   for line in here)  # keys the footer has no room for are here
        assert not any("Today's two-minute check-in" in line for line in here)  # home's
        science = app.screen.query_one("#science")
        assert app.screen.query_one("#keys-here").region.y < science.region.y
        assert app.screen.query_one("#help").scroll_y == 0
        await pilot.press("escape", "a", "f1")  # over a form too, on the form's keys
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        here = str(app.screen.query_one("#keys-here").render()).splitlines()
        assert here[0] == "Forms" and any("Save and close" in line for line in here)


async def test_one_key_shows_the_next_domain_and_the_ladder_says_so(make_app, store):
    speaking_ladder(store)
    running = ladder.add_domain(store, "Running")
    app = make_app("ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LadderScreen)
        first = screen.domain_id
        head = shown(app, "#domain-head")
        assert head.startswith("Public speaking") and "domain 1 of 2 · l: next domain" in head
        footer = {key.key_display: key.description for key in screen.query(FooterKey)}
        assert footer["l"] == "Next domain"
        await pilot.press("l")
        await pilot.pause()
        assert screen.domain_id == running.id
        assert shown(app, "#domain-head").startswith("Running  domain 2 of 2")
        assert screen.query_one("#domain-list").highlighted == 1
        await pilot.press("l")  # after the last, the first again
        await pilot.pause()
        assert screen.domain_id == first


async def test_the_line_under_a_step_says_what_enter_does_in_the_focused_field(make_app):
    app = make_app("reframe")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReframeScreen) and app.focused.id == "what"
        assert shown(app, "#reframe-keys").startswith("enter: next field · ctrl+s: next step · ")
        await enter(pilot, "Froze in the stand-up")
        await pilot.press("enter")
        assert app.focused.id == "domain" and screen.step == 1
        assert shown(app, "#reframe-keys").startswith("enter or ctrl+s: next step · ")
        await pilot.press("enter")  # no domain: it is optional
        assert screen.step == 2 and isinstance(app.focused, Input)
        await press(pilot, Typed("I'm just not good at this"), "enter")
        assert screen.step == 3
        first = app.focused.id
        assert shown(app, "#reframe-keys").startswith(
            "↑↓ enter: choose and go on · ctrl+s: next step · ")
        await pilot.press("enter")
        assert screen.step == 3 and app.focused.id != first  # chosen, and on to the next
        assert screen.choices[first]


def toasts_clear_of(app, selector: str) -> int:
    """How many notifications are shown, after checking none covers the widget."""
    kept = app.screen.query_one(selector).region
    shown_now = list(app.screen.query(Toast))
    for toast in shown_now:
        assert not toast.region.overlaps(kept), (toast.region, kept)
    return len(shown_now)


async def test_notifications_leave_the_line_of_keys_and_the_record_pane_in_view(make_app, store):
    speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("d")  # deleting a record says so, and how to undo it
        await pilot.pause()
        await pilot.pause()
        assert toasts_clear_of(app, "#detail-pane") == 1
        await pilot.press("escape", "r")
        await pilot.pause()
        await enter(pilot, "Froze")
        await pilot.press("escape")  # the words are kept as a draft
        await pilot.pause()
        await pilot.press("r")  # and brought back, which the reframe says
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReframeScreen)
        assert toasts_clear_of(app, "#reframe-keys") >= 1
