"""The Textual application: owns the open store and moves between screens."""

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from efficacy_tui.content import load
from efficacy_tui.store.core import Store
from efficacy_tui.store.settings import save_theme, saved_theme
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.widgets.safe_text import control_filter, show_control_characters
from efficacy_tui.ui.themes import OUR_THEMES

WARM_UP_SECONDS = 0.5
SCREENS = {
    "checkin": ("efficacy_tui.ui.screens.checkin", "CheckinScreen"),
    "ladder": ("efficacy_tui.ui.screens.ladder", "LadderScreen"),
    "reframe": ("efficacy_tui.ui.screens.reframe", "ReframeScreen"),
    "ready": ("efficacy_tui.ui.screens.readiness", "ReadinessScreen"),
    "review": ("efficacy_tui.ui.screens.review", "ReviewScreen"),
    "models": ("efficacy_tui.ui.screens.models", "ModelsScreen"),
    "scale": ("efficacy_tui.ui.screens.scale", "ScaleScreen"),
    "audit": ("efficacy_tui.ui.screens.audit", "AuditScreen"),
}
WARM_SCREENS = ("checkin", "ladder", "review")


def _palette_commands():
    """Our command-palette provider, imported only when the palette first opens."""
    from efficacy_tui.ui.commands import EfficacyCommands

    return EfficacyCommands


class EfficacyApp(App):
    """Screens ask `app.store` for data and the coach for what it means."""

    CSS_PATH = ["styles/app.tcss", "styles/themes.tcss"]
    COMMANDS = App.COMMANDS | {_palette_commands}
    TITLE = load("home")["title"]
    BINDINGS = [
        Binding("f1", "help", "Help", show=False, id="app.help", tooltip="Keys and the science"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Leave efficacy"),
    ]

    def __init__(self, store: Store, start: str = "home", warm_up: bool = True) -> None:
        super().__init__()
        self.store = store
        self.warms_up = warm_up
        self.fatal = ""
        self.start = start
        # Records deleted on the review screen, newest last: kept for the whole session, so `u`
        # still brings one back after leaving review and coming back.
        self.review_deleted: list = []
        show_control_characters()
        self._control_filter = control_filter()
        for theme in OUR_THEMES:
            self.register_theme(theme)
        self.saved_theme = saved_theme(store)
        if self.saved_theme in self.available_themes:
            self.theme = self.saved_theme

    def watch_theme(self, name: str) -> None:
        """Remember a theme chosen from the palette, so the next start uses it."""
        if name == getattr(self, "saved_theme", name) or not self.store.is_open:
            return
        save_theme(self.store, name)
        self.saved_theme = name
        self.notify(load("palette")["theme_saved"].format(name=name))

    def get_line_filters(self):
        """Textual's filters, then one that keeps control characters in the user's words from
        ever reaching the terminal."""
        return [*super().get_line_filters(), self._control_filter]

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.start == "reframe":
            self.action_reframe()
        elif self.start != "home":
            self.action_open(self.start)
        if self.warms_up:
            self.set_timer(WARM_UP_SECONDS, self._warm_up)

    def _warm_up(self) -> None:
        """While the user reads the first screen, load what the first keystrokes need: sqlite-utils
        for writes, and the screens home opens most, so a first switch costs no import."""
        from importlib import import_module

        self.store.warm_up()
        for name in WARM_SCREENS:
            import_module(SCREENS[name][0])

    def action_open(self, name: str, *args: object) -> None:
        """Open an activity's screen on top of home; screen modules load on first use."""
        from importlib import import_module

        module, cls = SCREENS[name]
        self.push_screen(getattr(import_module(module), cls)(*args))

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
        from efficacy_tui.ui.screens.audit import AuditScreen
        from efficacy_tui.ui.screens.checkin import CheckinScreen
        from efficacy_tui.ui.screens.help import HelpScreen
        from efficacy_tui.ui.screens.scale import ScaleScreen
        from efficacy_tui.ui.screens.ladder import LadderScreen
        from efficacy_tui.ui.screens.models import ModelsScreen
        from efficacy_tui.ui.screens.readiness import ReadinessScreen
        from efficacy_tui.ui.screens.reframe import ReframeScreen
        from efficacy_tui.ui.screens.review import ReviewScreen
        from efficacy_tui.ui.widgets.form import ConfirmScreen, FormScreen
        from efficacy_tui.ui.widgets.rating import Rating

        if isinstance(self.screen, HelpScreen):
            return
        screens = [
            ("Home", HomeScreen),
            ("Check-in", CheckinScreen),
            ("Ladder", LadderScreen),
            ("Readiness walkthrough", ReadinessScreen),
            ("Models and feedback", ModelsScreen),
            ("Self-efficacy audit", AuditScreen),
            ("Self-efficacy scale", ScaleScreen),
            ("Reframe", ReframeScreen),
            ("Review", ReviewScreen),
            ("Forms", FormScreen),
            ("Questions", ConfirmScreen),
        ]
        sections = [(title, screen.BINDINGS) for title, screen in screens] + [
            ("Rating scales", Rating.BINDINGS),
            ("Everywhere", [*self.BINDINGS, Binding(
                "ctrl+p", "command_palette", "Commands", id="app.commands",
                tooltip="Command palette: any screen or domain, export, theme")]),
        ]
        here = next((n for n, (_, screen) in enumerate(screens)
                     if isinstance(self.screen, screen)), 0)
        self.push_screen(HelpScreen(sections, here))

    def notify(
        self, message: str, *, title: str = "", severity: str = "information",
        timeout: float | None = None, markup: bool = False,
    ) -> None:
        """Every notification is plain text: many quote the user's own words (rung titles,
        domain names), which must never be read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """ctrl+c copies in a text field; say how to quit instead, in plain text."""
        self.notify(load("help")["quit_hint"])

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

    def on_unmount(self) -> None:
        self.store.close()
