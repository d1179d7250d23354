"""The Textual application: owns the open store and moves between screens; and the bases of our
screens, through which they reach it typed."""

import gc
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from textual import events, getters, on
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from efficacy_tui.content import say
from efficacy_tui.store.core import Store
from efficacy_tui.store.settings import save_theme, saved_theme
from efficacy_tui.ui.bindings import user_keymap
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.themes import OUR_THEMES
from efficacy_tui.ui.widgets.safe_text import control_filter, show_control_characters

if TYPE_CHECKING:
    from efficacy_tui.store.review import Change

ResultType = TypeVar("ResultType")
Answer = TypeVar("Answer")

WARM_UP_SECONDS = 0.5
SCREENS = {
    "checkin": ("efficacy_tui.ui.screens.checkin", "CheckinScreen"),
    "ladder": ("efficacy_tui.ui.screens.ladder", "LadderScreen"),
    "reframe": ("efficacy_tui.ui.screens.reframe", "ReframeScreen"),
    "readiness": ("efficacy_tui.ui.screens.readiness", "ReadinessScreen"),
    "review": ("efficacy_tui.ui.screens.review", "ReviewScreen"),
    "role_models": ("efficacy_tui.ui.screens.role_models", "RoleModelsScreen"),
    "scale": ("efficacy_tui.ui.screens.scale", "ScaleScreen"),
    "audit": ("efficacy_tui.ui.screens.audit", "AuditScreen"),
    "conflicts": ("efficacy_tui.ui.screens.conflicts", "ConflictsScreen"),
}
WARM_SCREENS = ("checkin", "ladder", "review")
KEEP_CLEAR = "keep-clear"  # the class of what notifications must never cover


def _palette_commands():
    """Our command-palette provider, imported only when the palette first opens."""
    from efficacy_tui.ui.commands import EfficacyCommands

    return EfficacyCommands


class EfficacyApp(App):
    """Screens ask `app.store` for data and the coach for what it means."""

    CSS_PATH = ["styles/app.tcss", "styles/themes.tcss"]
    COMMANDS = App.COMMANDS | {_palette_commands}
    TITLE = say("home.title")
    BINDINGS = [
        Binding("f1", "help", "Help", show=False, id="app.help", tooltip="Keys and the science"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Leave efficacy"),
        # Textual's own palette key, declared here so it has an id; "palette" is the footer's word.
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                id="app.commands", tooltip="Command palette: any screen or domain, export, theme"),
    ]

    def __init__(self, store: Store, start: str = "home",
                 after_start: Iterable[Callable[[], None]] = (), warm_up: bool = True,
                 sync_path: Path | None = None) -> None:
        """`after_start` is work for once the first screen is up (the command line's daily
        backup copy), run by the warm-up so it never delays the first paint; tests that do not
        test the warm-up leave it out with `warm_up=False`. With a `sync_path` (the config's
        sync folder) the warm-up syncs through it, in a worker."""
        super().__init__()
        self.store = store
        self.sync_path = sync_path
        self.warms_up = warm_up
        self.fatal = ""
        self.start = start
        self.after_start = list(after_start)
        # Deletes and edits made on the review screen, newest last: kept for the whole session,
        # so `u` still takes one back after leaving review and coming back.
        self.review_changes: list[Change] = []
        show_control_characters()
        self._control_filter = control_filter()
        for theme in OUR_THEMES:
            self.register_theme(theme)
        self.saved_theme = saved_theme(store)
        if self.saved_theme in self.available_themes:
            self.theme = self.saved_theme
        keymap = user_keymap()
        self.keymap = keymap.keys
        self.keymap_problems = keymap.problems
        if self.keymap:
            self.set_keymap(self.keymap)
            if "app.commands" in self.keymap:
                # A class setting in Textual, which the footer reads from the app: this keymap's.
                key = self.keymap["app.commands"].split(",")[0]
                self.COMMAND_PALETTE_BINDING = key  # type: ignore[misc]  # set for this app only

    def watch_theme(self, name: str) -> None:
        """Remember a theme chosen from the palette, so the next start uses it."""
        if name == getattr(self, "saved_theme", name) or not self.store.is_open:
            return
        save_theme(self.store, name)
        self.saved_theme = name
        self.notify(say("palette.theme_saved", name=name))

    def get_line_filters(self):
        """Textual's filters, then one that keeps control characters in the user's words from
        ever reaching the terminal."""
        return [*super().get_line_filters(), self._control_filter]

    def get_default_screen(self) -> Screen:
        # Imported here: the screens' bases below need this class, and home needs them.
        from efficacy_tui.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        for problem in [*self.store.notices, *self.keymap_problems]:
            self.notify(problem, severity="warning", timeout=10)
        if self.start == "reframe":
            self.action_reframe()
        elif self.start != "home":
            self.action_open(self.start)
        if self.warms_up:
            self.set_timer(WARM_UP_SECONDS, self._warm_up)

    def _warm_up(self) -> None:
        """While the user reads the first screen, load what the first keystrokes need: sqlite-utils
        for writes, and the screens home opens most, so a first switch costs no import; then run
        the work queued in `after_start`, if the store is still open."""
        from importlib import import_module

        self.store.warm_up()
        while self.after_start and self.store.is_open:
            self.after_start.pop(0)()
        if self.sync_path is not None:
            self.action_sync_now()
        for name in WARM_SCREENS:
            module, cls = SCREENS[name]
            screen = getattr(import_module(module), cls)
            if issubclass(screen, AppScreen):
                screen.warm_styles(self)
        # What is alive now lives as long as the app: frozen, a full collection never walks it
        # again, where on a large heap one would pause a screen switch or a keystroke for up to
        # a hundred milliseconds. Not collected first: that alone takes tens of milliseconds,
        # for the few hundred objects of garbage start-up leaves.
        gc.freeze()

    def action_open(self, name: str, *args: object) -> None:
        """Open an activity's screen on top of home; screen modules load on first use."""
        from importlib import import_module

        module, cls = SCREENS[name]
        self.push_screen(getattr(import_module(module), cls)(*args))

    def action_sync_now(self) -> None:
        """Sync through the sync folder in a worker with its own connection, so typing never
        waits for it; what it did, or why it could not, is one notification."""
        if self.sync_path is None:
            self.notify(say("sync.no_folder"), severity="warning")
            return
        path, db_path, clock = self.sync_path, self.store.path, self.store.clock
        self.notify(say("sync.syncing"), timeout=2)

        def run() -> None:
            from efficacy_tui.sync import sync_in_worker

            lines, problem = sync_in_worker(db_path, clock, path)
            self.call_from_thread(self._synced, lines, problem)

        self.run_worker(run, thread=True, group="sync", exclusive=True, exit_on_error=False)

    def _synced(self, lines: list[str], problem: bool) -> None:
        self.notify("\n".join(lines), severity="warning" if problem else "information")
        refresh = getattr(self.screen_stack[0], "refresh_data", None)
        if refresh is not None and self.store.is_open:
            refresh()

    def action_reframe(self, attempt_id: int | None = None) -> None:
        """Reframe a setback: the given one, else the latest recent one not yet reframed (the one
        home shows), else one described in free text."""
        from efficacy_tui.store.home import recent_since
        from efficacy_tui.store.reframes import latest_unreframed_setback

        if attempt_id is None:
            setback = latest_unreframed_setback(self.store, recent_since(self.store))
            attempt_id = setback.id if setback else None
        self.action_open("reframe", *([attempt_id] if attempt_id else []))

    def action_help(self) -> None:
        """Help on the keys that work on the current screen now, then the science, then every
        screen's keys."""
        from efficacy_tui.ui.bindings import keyed
        from efficacy_tui.ui.screens.help import HelpScreen, keys_now

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        every = keyed()
        title = next((k.title for k in every if isinstance(screen, k.cls)),
                     screen.sub_title or say("help.keys_here_untitled"))
        here = (title, keys_now(screen.active_bindings.values(), screen))
        sections = [(k.title, k.bindings) for k in every if k.in_help]
        self.push_screen(HelpScreen(here, sections, self.keymap))

    def notify(
        self, message: str, *, title: str = "",
        severity: Literal["information", "warning", "error"] = "information",
        timeout: float | None = None, markup: bool = False,
    ) -> None:
        """Every notification is plain text: many quote the user's own words (rung titles,
        domain names), which must never be read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c copies in a text field; say how to quit instead, in plain text."""
        self.notify(hint(self, say("help.quit_hint")))

    def _handle_exception(self, error: Exception) -> None:
        """The file damaged, locked or made read-only under a running app ends it with one
        sentence and exit status 1, as the command line does, rather than a traceback."""
        import sqlite3

        from efficacy_tui.store.core import describe

        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, sqlite3.Error):
            cause = cause.__cause__ or cause.__context__
        sentence = describe(cause, self.store.path) if cause is not None else None
        if sentence is None:
            super()._handle_exception(error)
            return
        self.fatal = sentence  # the command line prints it once the terminal is back
        self.exit(return_code=1)

    def _fatal_error(self) -> None:
        """Textual's ending on a bug, but its traceback shows no local variables: they would
        print the user's own words (a note, a reframe) to the terminal."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options)))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.store.close()


def place_toasts(screen: Screen) -> None:
    """Notifications stack up from just above the highest shown widget of class `keep-clear`
    (a form's line of keys, the review's record pane), so they never cover it; on a screen
    without one they sit where Textual puts them, above the footer. Run after each layout, so
    it follows the widgets as they grow, move or hide; only while a notification is shown."""
    racks = screen.query_children("ToastRack")
    if not racks or not racks.first().display:
        return
    rack = racks.first()
    height = screen.size.height
    tops = [widget.region.y for widget in screen.query(f".{KEEP_CLEAR}")
            if widget.region.height and 0 < widget.region.y < height]
    bottom = max(1, height - min(tops)) if tops else 1
    if rack.styles.margin.bottom != bottom:
        rack.styles.margin = (0, 0, bottom, 0)


class AppScreen(Screen[ResultType]):
    """A screen whose `app` is typed as ours, so `self.app.store` is checked."""

    app = getters.app(EfficacyApp)

    @on(events.Mount)
    def _keep_clear_of_toasts(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, place_toasts)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume follows the mount, which styled every widget as it came: restyling
        # them all again costs as much as the mount's styling and changes nothing.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    _resumed = False

    def _screen_resized(self, size: Size) -> None:
        # A screen is sent a resize as it is first laid out, and passes it on to every screen
        # below it: one below, at the very size it was laid out at, would be laid out again
        # for nothing, on the way to the new screen's first paint.
        if self.app.screen is self or size != self._compositor.size:
            super()._screen_resized(size)

    # Widgets the screen shows that home does not: their default CSS is parsed in the warm-up.
    WARM_WIDGETS: ClassVar[tuple[type[Widget], ...]] = ()

    @classmethod
    def warm_styles(cls, app: EfficacyApp) -> None:
        """Add the screen's stylesheet and its widgets' default CSS to the app's while the user
        reads home: added as the screen opens, Textual parses every rule of the app again and
        restyles every widget on home on the way to the screen's first paint."""
        stylesheet = app.stylesheet
        paths = [] if cls.CSS_PATH is None else (
            list(cls.CSS_PATH) if isinstance(cls.CSS_PATH, list) else [cls.CSS_PATH])
        folder = Path(inspect.getfile(cls)).parent
        new = [str((folder / path).resolve()) for path in paths]
        new = [path for path in new if not stylesheet.has_source(path, "")]
        for path in new:
            stylesheet.read(path)
        for widget in cls.WARM_WIDGETS:
            # The sources Textual adds when such a widget is first mounted (its class's and
            # its bases' default CSS), read from the class alone.
            for read_from, css, tie_breaker, scope in widget.__new__(widget)._get_default_css():
                stylesheet.add_source(css, read_from=read_from, is_default_css=True,
                                      tie_breaker=tie_breaker, scope=scope)
        if new:
            stylesheet.reparse()
            stylesheet.update(app)
        else:
            stylesheet.parse()

    def ask(self, screen: Screen[Answer], then: Callable[[Answer], object]) -> None:
        """Open a form or a question on top; `then` gets its answer, unless it was cancelled or
        declined."""

        def answered(answer: Answer | None) -> None:
            if answer:
                then(answer)

        self.app.push_screen(screen, answered)


class AppModalScreen(ModalScreen[ResultType]):
    """A modal screen whose `app` is typed as ours."""

    app = getters.app(EfficacyApp)

    @on(events.Mount)
    def _keep_clear_of_toasts(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, place_toasts)
