"""Every screen and form not pictured elsewhere, at 80x24 on the demo database (plain `def`:
snap_compare runs its own loop). Each scene starts on home and presses the keys a person would,
so the pictures also show that each screen can be reached and fits the smallest terminal.
Home, the check-in, the ladder, the readiness steps, review's tabs and models have theirs in the
other test_snapshots_*.py files."""

import shutil
from datetime import timedelta

import pytest
from helpers import Typed, press

from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.readiness import schedule_performance
from efficacy_tui.ui.app import EfficacyApp

from conftest import NOW, Clock

WHY = "I always give up, I'm just not a natural runner"
SCENES = {
    "audit": ["l", "t"],
    "audit-success": ["l", "t", Typed("Cooking"), "enter", "enter", "enter"],
    "audit-plan": ["l", "t", Typed("Cooking"), "enter", "enter", "enter",
                   Typed("Made bread"), "enter", Typed("last week"), "enter",
                   Typed("followed a video"), "enter",
                   Typed("Soup"), "enter", "enter", Typed("prepped everything first"), "enter",
                   Typed("Pie"), "enter", "enter", Typed("asked for the recipe"), "enter"],
    "scale": ["l", "i"],
    "reframe": ["r"],
    "reframe-why": ["r", "enter", Typed(WHY)],
    "reframe-questions": ["r", "enter", Typed(WHY), "enter"],
    "reframe-history": ["r", "f2"],
    "help": ["question_mark"],
    "rung-form": ["l", "a"],
    "domain-form": ["l", "n"],
    "plan-form": ["l", "p"],
    "outcome-form": ["l", "o"],
    "model-form": ["l", "m", "a"],
    "feedback-form": ["l", "m", "f"],
    "schedule-form": ["s"],
    "review-edit": ["v", "e"],
    "review-export": ["v", "x"],
}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo built once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(path, clock=Clock(NOW))
    build_demo(store, days=60, attempts=240, seed=3)
    store.close()
    return path


def app_on_copy(demo_file, tmp_path) -> EfficacyApp:
    path = tmp_path / "e.db"
    shutil.copyfile(demo_file, path)
    path.chmod(0o600)  # as the app makes its own files: a copy open to others would be told so
    return EfficacyApp(open_store(path, clock=Clock(NOW)), warm_up=False)


def pressing(keys: list[str]):
    """Press the keys one at a time, as a person would, letting each screen settle; a `Typed`
    text is entered in one step."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await press(pilot, key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("scene", list(SCENES))
def test_screen_at_80x24(snap_compare, demo_file, tmp_path, scene):
    app = app_on_copy(demo_file, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing(SCENES[scene]))


def test_followup_form_at_80x24(snap_compare, demo_file, tmp_path):
    """Home asks how a performance went once its time has passed; o answers."""
    app = app_on_copy(demo_file, tmp_path)
    schedule_performance(app.store, "Team update", None, (NOW - timedelta(hours=2)).astimezone())
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing(["o"]))


def test_screenshots_command_writes_an_svg(tmp_path):
    """`python -m efficacy_tui.screenshots` makes the README's pictures; one scene, small."""
    from efficacy_tui import screenshots

    written = screenshots.write_screenshots(tmp_path, (80, 24), only=["home"])
    assert written == [tmp_path / "home.svg"]
    svg = written[0].read_text()
    assert svg.startswith("<svg") and "efficacy&#160;—&#160;home" in svg
    assert "streak" in svg  # the demo's check-ins are there


def test_import_form_at_80x24(snap_compare, demo_file, tmp_path, monkeypatch):
    """The palette's import form after importing the demo's own export: everything skipped."""
    from efficacy_tui.store.export import write_export

    app = app_on_copy(demo_file, tmp_path)
    write_export(app.store, "json", tmp_path / "export.json")
    monkeypatch.chdir(tmp_path)
    keys = pressing(["ctrl+p", Typed("Import…")])

    async def run_before(pilot) -> None:
        from test_palette import prompts

        await keys(pilot)
        await prompts(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await press(pilot, Typed("export.json"), "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
