"""The command palette: ctrl+p, type a few letters, enter, and you are there; themes chosen there
are remembered; user text in it is shown literally."""

import json
from datetime import timedelta

import pytest
from helpers import enter, palette_settled
from textual.widgets import TabbedContent

from efficacy_tui.store import ladder
from efficacy_tui.store.readiness import schedule_performance
from efficacy_tui.store.settings import get_setting, save_theme, saved_theme
from efficacy_tui.ui.app import SCREENS
from efficacy_tui.ui.commands import palette_commands
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.screens.performance_forms import ScheduleForm
from efficacy_tui.ui.screens.readiness import ReadinessScreen
from efficacy_tui.ui.screens.review import ReviewScreen
from efficacy_tui.ui.screens.role_models import RoleModelsScreen
from efficacy_tui.ui.screens.scale import ScaleScreen
from efficacy_tui.ui.themes import HIGH_CONTRAST_NAME

from conftest import rows

ODD_NAME = "[bold]x[/]"


@pytest.fixture
def domains(store):
    made = {name: ladder.add_domain(store, name) for name in ("Public speaking", "Running",
                                                              ODD_NAME)}
    store.close()
    return made


async def prompts(pilot) -> list[str]:
    """The palette's lines once its search has settled (the first line of each option)."""
    listed = await palette_settled(pilot)
    return [str(listed.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(listed.option_count)]


async def run_command(pilot, typed: str, expect: str | None = None) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await enter(pilot, typed)
    found = await prompts(pilot)
    assert found[0] == (expect or typed), found
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_check_in_from_the_palette(make_app, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Check-in")
        assert isinstance(app.screen, CheckinScreen)


async def test_a_domains_ladder_from_the_palette(make_app, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Ladder: Running")
        assert isinstance(app.screen, LadderScreen)
        assert app.screen.domain_id == domains["Running"].id


async def test_user_text_is_shown_literally_and_opens_its_ladder(make_app, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        listed = await prompts(pilot)
        assert f"Ladder: {ODD_NAME}" in listed
        assert f"Models and feedback: {ODD_NAME}" in listed
        await pilot.press("escape")
        await pilot.pause()
        await run_command(pilot, f"Ladder: {ODD_NAME}")
        assert isinstance(app.screen, LadderScreen)
        assert app.screen.domain_id == domains[ODD_NAME].id


async def test_models_and_scale_of_a_domain(make_app, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Models and feedback: Running")
        assert isinstance(app.screen, RoleModelsScreen)
        await run_command(pilot, "Self-efficacy scale: Public speaking")
        assert isinstance(app.screen, ScaleScreen)


async def test_review_opens_on_the_chosen_tab(make_app, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Review: calibration")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one("#review-tabs", TabbedContent).active == "calibration"


async def test_readiness_for_a_coming_performance(store, make_app, clock):
    performance = schedule_performance(store, "Team talk", None, clock() + timedelta(hours=3))
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Get ready for: Team talk")
        assert isinstance(app.screen, ReadinessScreen)
        assert app.screen.performance_id == performance.id


async def test_schedule_from_another_screen_and_home_again(make_app, domains):
    app = make_app("ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await run_command(pilot, "Schedule a performance")
        assert isinstance(app.screen, ScheduleForm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        await run_command(pilot, "Home")
        assert isinstance(app.screen, HomeScreen)


async def test_home_keeps_the_check_in_draft(make_app, db_path, domains):
    app = make_app("checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        await run_command(pilot, "Home")
        assert isinstance(app.screen, HomeScreen)
    assert rows(db_path, "SELECT kind FROM drafts") == [{"kind": "checkin"}]


async def test_export_from_the_palette(make_app, domains, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Export as JSON")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [written] = folder.iterdir()
        said = [n.message for n in app._notifications]
        assert f"Exported to {written}." in said
    data = json.loads(written.read_text())
    assert {d["name"] for d in data["domains"]} == set(domains)


async def test_a_theme_chosen_in_the_palette_is_remembered(make_app, db_path, domains):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Theme: high contrast")
        assert app.theme == HIGH_CONTRAST_NAME
    assert rows(db_path, "SELECT key, value FROM settings") == [
        {"key": "theme", "value": json.dumps(HIGH_CONTRAST_NAME)}]
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == HIGH_CONTRAST_NAME
        await run_command(pilot, "Choose a theme")
        await enter(pilot, "nord")
        await prompts(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert again.theme == "nord"
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'theme'") == [
        {"value": '"nord"'}]


async def test_an_unknown_saved_theme_is_ignored(store, make_app):
    save_theme(store, "from-a-newer-version")
    store.close()
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.theme == "textual-dark"


async def test_every_screen_is_in_the_palette(make_app, domains):
    app = make_app("ladder")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = {c.key for c in palette_commands(app, on_home=False)}
    opened = {"ladder_of": "ladder", "models_of": "role_models", "scale_of": "scale",
              "review_trends": "review", "readiness_for": "readiness"}
    assert set(SCREENS) <= keys | set(opened.values())
    assert {"home", "checkin", "ladder", "reframe", "readiness", "review", "audit", "help", "theme",
            "export_json", "export_csv", "export_md", "schedule"} <= keys


def test_settings_round_trip(store):
    assert saved_theme(store) is None and get_setting(store, "other", 5) == 5
    save_theme(store, "nord")
    save_theme(store, "dracula")
    assert saved_theme(store) == "dracula"
    assert store.scalar("SELECT count(*) FROM settings") == 1


async def test_help_from_the_palette_names_the_palette(make_app, domains):
    from efficacy_tui.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Help")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#keys").render())
        assert "ctrl+p" in keys and "Command palette" in keys
        not_this = " ".join(str(app.screen.query_one("#not-this").render()).split())
        assert "It is not self-esteem" in not_this and "specific to a domain" in not_this
        assert "calibrated confidence" in not_this and "not simply more confidence" in not_this


async def test_help_opens_on_the_keys_of_the_screen_it_was_asked_from(make_app, domains):
    from efficacy_tui.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        here = help_screen.query_one("#keys-here")
        assert str(here.render()).startswith("Review")
        assert help_screen.query_one("#help").scroll_y == 0
        assert here.region.y < help_screen.query_one("#science").region.y  # the science after


def test_a_long_key_list_gets_a_line_of_its_own():
    from textual.binding import Binding

    from efficacy_tui.ui.screens.help import key_table

    table = str(key_table([("Steps", [
        Binding("pagedown,ctrl+n", "next", "Next", tooltip="Check this step and go on"),
        Binding("s", "save", "Save", tooltip="Save"),
    ])]))
    assert table.splitlines() == [
        "Steps", "  pagedown, ctrl+n", "                  Check this step and go on",
        "  s               Save"]
