"""Shared fixtures: a real SQLite file in a temporary folder, a fixed clock, and the app on it.

Every test runs in Europe/London so dates, daylight saving and snapshots are the same everywhere,
and with EFFICACY_CONFIG naming a file that does not exist, so no test reads or writes the user's
own config; a test that needs a keymap points it at a file of its own.
"""

import os
import shutil
import sqlite3
import tempfile
import time
from datetime import datetime

import pytest

os.environ["TZ"] = "Europe/London"
time.tzset()
os.environ.pop("EFFICACY_DB", None)
os.environ["EFFICACY_CONFIG"] = os.path.join(tempfile.mkdtemp(prefix="efficacy-tests-"),
                                             "missing", "config.toml")

from efficacy_tui.store.core import open_store  # noqa: E402
from efficacy_tui.ui.app import EfficacyApp  # noqa: E402

NOW = datetime(2026, 11, 26, 9, 30)


class Clock:
    """A settable local clock; `at` takes a naive local time."""

    def __init__(self, naive: datetime = NOW) -> None:
        self.at(naive)

    def at(self, naive: datetime) -> "Clock":
        self.current = naive.astimezone()
        return self

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A text field's cursor stays shown instead of blinking, so what a test sees (a snapshot
    above all) does not depend on how long the machine took to get there."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True, scope="session")
def stylesheets_parsed_once():
    """Every app a test process starts parses the same CSS with the same theme variables; Textual
    keeps parsed rules per app, so each start parsed them again, about a tenth of a start. The
    process keeps them instead, keyed by the CSS, where it came from and the variables, so a
    theme change still parses anew."""
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope,
               tuple(self._variables.items()))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_rules)
        yield


def pytest_collection_finish(session):
    """What collection loaded (the package, Textual, the test modules) lives as long as the test
    process, so the garbage collector stops scanning it, and full collections, which scan
    everything left, run a tenth as often: they were about a tenth of a story's CPU."""
    import gc

    gc.collect()
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, 100)


QUIET_STEP = 0.002  # seconds between looks at the event loop while waiting for the app
QUIET_SOON = 0.025  # a timer due within this is work about to happen


@pytest.fixture(autouse=True, scope="session")
def idle_when_nothing_is_due():
    """Pilot waits for the app to be idle after every key and pause. Textual decides that by
    sleeping in slices of 20 ms until the process used almost no CPU in one, so a key costs at
    least 40 ms of waiting however little it did: most of a story's time. Here the wait looks at
    the event loop every 2 ms instead, and ends after two looks in a row find nothing ready to
    run, no active timer due within 25 ms and the process's CPU time standing still (so a thread
    at work still counts). A screen's pending update, which Textual runs on its next 60 Hz tick,
    is run at once, as `Pilot.pause` does at its end."""
    import asyncio
    from time import monotonic, process_time

    import textual.app
    import textual.pilot

    def timer_of(handle):
        """The Textual Timer whose sleep this scheduled handle ends, or None."""
        try:
            task = handle._args[0]._callbacks[0][0].__self__
            frame = task.get_coro().cr_frame
        except (AttributeError, IndexError, TypeError):
            return None
        return frame.f_locals.get("self") if frame.f_code.co_name == "_run_timer" else None

    def busy(loop) -> bool:
        if loop._ready:
            return True
        now = loop.time()
        for handle in loop._scheduled:
            if handle._cancelled or handle._when - now >= QUIET_SOON:
                continue
            timer = timer_of(handle)
            if timer is not None and not timer._active.is_set():
                continue  # a paused timer wakes only to wait again
            if timer is not None and timer.name == "screen_update":
                timer._callback()
            return True
        return False

    async def wait_for_idle(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
        loop = asyncio.get_running_loop()
        start = monotonic()
        quiet = 0
        while True:
            cpu = process_time()
            await asyncio.sleep(QUIET_STEP)
            elapsed = monotonic() - start
            if elapsed >= max_sleep:
                return
            if busy(loop) or process_time() - cpu > QUIET_STEP / 2:
                quiet = 0
                continue
            quiet += 1
            if quiet >= 2 and elapsed >= min_sleep:
                return

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual.app, "wait_for_idle", wait_for_idle)
        patch.setattr(textual.pilot, "wait_for_idle", wait_for_idle)
        yield


@pytest.fixture(autouse=True, scope="session")
def scrolls_jump():
    """A container scrolled to show the focused field glides there over 0.2 s; a story waits
    for every glide. Here it jumps, as with animations off, and nothing else changes (the
    breathing pacer, which reads the animation level, still animates)."""
    from textual.widget import Widget

    scroll_to = Widget._scroll_to

    def jump(self, *args, **kwargs):
        kwargs["animate"] = False
        return scroll_to(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Widget, "_scroll_to", jump)
        yield


@pytest.fixture(autouse=True)
def frames_unwritten(request, monkeypatch):
    """In a Pilot story the headless terminal throws every frame away, so the story skips
    composing them: layout, widgets and what they render are all still run and read, only the
    frame's cells are not drawn. Drawing costs about a third of a story's time. Tests that take
    a picture (snapshots) and tests marked `paints` (a 10 MB field, the widgets, a whole
    session) draw every frame as a terminal would; the hostile-text tests draw the screen in
    full at each check."""
    pictured = {"snap_compare", "picture"} & set(request.fixturenames)
    if pictured or request.node.get_closest_marker("paints"):
        return
    from textual.screen import Screen

    draw = Screen._compositor_refresh

    def refresh(screen: Screen) -> None:
        app = screen.app
        if not (app.is_headless and screen is app.screen) or app.is_inline:
            draw(screen)
            return
        screen._dirty_widgets.clear()
        screen._compositor._dirty_regions.clear()
        app._update_mouse_over(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", refresh)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "efficacy.db"


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """An empty database with every migration applied, made once per test process."""
    path = tmp_path_factory.mktemp("migrated") / "efficacy.db"
    open_store(path).close()
    return path


def seed(db_path, migrated) -> None:
    """Start the test's database as a copy of the migrated one, where nothing is there yet.
    Making and migrating a file costs about 30 ms of CPU and several fsyncs, in every story;
    the tests of making the file and of each migration use paths of their own."""
    if db_path.parent.exists():
        return
    db_path.parent.mkdir(mode=0o700, parents=True)
    shutil.copyfile(migrated, db_path)
    db_path.chmod(0o600)


@pytest.fixture
def store(db_path, clock, migrated):
    seed(db_path, migrated)
    opened = open_store(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def make_app(db_path, clock, migrated):
    """Build the app on the test's database file, as `efficacy --db PATH` would, without the
    start-up warm-up (a timer that only loads modules early; its own test keeps it)."""

    def make(start: str = "home", warm_up: bool = False) -> EfficacyApp:
        seed(db_path, migrated)
        return EfficacyApp(open_store(db_path, clock=clock), start=start, warm_up=warm_up)

    return make


def rows(db_path, sql: str, params=()) -> list[dict]:
    """Read the file through a separate connection, as another program would see it."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


@pytest.fixture
def picture(snapshot):
    """Several named snapshots from one app session: `await picture(pilot, "step1")` compares the
    screen with tests/__snapshots__/<module>/<test>[step1].svg, taken as snap_compare takes its
    one picture at the end of a run. Run the app with run_test(size, tooltips=True,
    notifications=True), as snap_compare runs it."""
    from pytest_textual_snapshot import SVGImageExtension

    pictures = snapshot.use_extension(SVGImageExtension)

    async def take(pilot, name: str) -> None:
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        svg = pilot.app.export_screenshot(title=pilot.app.title, simplify=True)
        assert pictures(name=name) == svg, f"the picture {name!r} differs"

    return take


def pytest_collection_modifyitems(items):
    """Tests marked `serial` run one after another on a worker of their own (with pytest-xdist's
    `--dist loadgroup`), beside the rest of the suite. The longest tests are handed out first, so
    the quick ones fill the gaps at the end instead of a long one starting last and keeping the
    others waiting: serial tests, then those marked `long`, then Pilot stories and pictures, then
    the rest."""
    import inspect

    for item in items:
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.xdist_group("serial"))

    def long_first(item: pytest.Item) -> int:
        if item.get_closest_marker("serial"):
            return 0
        if item.get_closest_marker("long"):
            return 1
        function = getattr(item, "function", None)
        story = function is not None and inspect.iscoroutinefunction(function)
        pictured = {"snap_compare", "picture"} & set(getattr(item, "fixturenames", ()))
        return 2 if story or pictured else 3

    items.sort(key=long_first)
