"""The Textual application: owns the open store and moves between screens."""

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from efficacy_tui.content import load
from efficacy_tui.store.core import Store
from efficacy_tui.ui.screens.home import HomeScreen

WARM_UP_SECONDS = 0.5
SCREENS = {
    "checkin": ("efficacy_tui.ui.screens.checkin", "CheckinScreen"),
    "ladder": ("efficacy_tui.ui.screens.ladder", "LadderScreen"),
    "reframe": ("efficacy_tui.ui.screens.reframe", "ReframeScreen"),
    "ready": ("efficacy_tui.ui.screens.readiness", "ReadinessScreen"),
    "review": ("efficacy_tui.ui.screens.review", "ReviewScreen"),
    "models": ("efficacy_tui.ui.screens.models", "ModelsScreen"),
}


class EfficacyApp(App):
    """Screens ask `app.store` for data and the coach for what it means."""

    CSS_PATH = ["styles/app.tcss"]
    TITLE = load("home")["title"]
    BINDINGS = [
        Binding("f1", "help", "Help", show=False, id="app.help", tooltip="Keys and the science"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", tooltip="Leave efficacy"),
    ]

    def __init__(self, store: Store, start: str = "home") -> None:
        super().__init__()
        self.store = store
        self.start = start

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.start == "reframe":
            self.action_reframe()
        elif self.start != "home":
            self.action_open(self.start)
        # Load sqlite-utils (for writes) while the user reads, not on their first keystroke.
        self.set_timer(WARM_UP_SECONDS, self.store.warm_up)

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
        sections = [
            ("Home", HomeScreen.BINDINGS),
            ("Check-in", CheckinScreen.BINDINGS),
            ("Ladder", LadderScreen.BINDINGS),
            ("Readiness walkthrough", ReadinessScreen.BINDINGS),
            ("Models and feedback", ModelsScreen.BINDINGS),
            ("Self-efficacy audit", AuditScreen.BINDINGS),
            ("Self-efficacy scale", ScaleScreen.BINDINGS),
            ("Reframe", ReframeScreen.BINDINGS),
            ("Review", ReviewScreen.BINDINGS),
            ("Forms", FormScreen.BINDINGS),
            ("Questions", ConfirmScreen.BINDINGS),
            ("Rating scales", Rating.BINDINGS),
            ("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "command_palette", "Commands",
                                                    tooltip="Command palette")]),
        ]
        self.push_screen(HelpScreen(sections))

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

    def on_unmount(self) -> None:
        self.store.close()
