"""The command palette (ctrl+p): every screen, each domain's ladder, models and scale, today's
check-in, a walkthrough for each coming performance, export, import and themes, found by typing.

Commands are rebuilt from the store each time the palette opens, so new domains appear at once.
Domain names and performance titles are the user's own words, shown as plain content, never markup.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from efficacy_tui.content import say
from efficacy_tui.store import domains
from efficacy_tui.store.readiness import upcoming_performances
from efficacy_tui.ui.themes import HIGH_CONTRAST_NAME

REVIEW_TABS = {"review": "records", "review_trends": "trends",
               "review_calibration": "calibration"}
EXPORTS = {"export_json": "json", "export_csv": "csv", "export_md": "md"}


@dataclass(frozen=True)
class PaletteCommand:
    """One line of the palette: its title (plus the user's own name, if any), help and action."""

    key: str
    title: str
    help: str
    run: Callable[[], Any]
    name: str = ""

    @property
    def text(self) -> str:
        return self.title + self.name

    def prompt(self, offsets: Sequence[int] = (), style: Any = None) -> Content:
        content = Content(self.text)
        for offset in offsets:
            if not self.text[offset].isspace():
                content = content.stylize(style, offset, offset + 1)
        return content


def go_home(app: Any) -> None:
    """Leave screens down to home the way escape would, stopping where one asks about unsaved
    work."""
    from efficacy_tui.ui.screens.home import HomeScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, HomeScreen):
        top = app.screen
        leave = getattr(top, "action_leave", None) or getattr(top, "action_cancel", None)
        if leave is None:
            app.pop_screen()
            continue
        leave()
        if app.screen is not None and top in app.screen_stack:
            return


async def open_review(app: Any, tab: str) -> None:
    """The review screen on the given tab."""
    from efficacy_tui.ui.screens.review import ReviewScreen

    screen = ReviewScreen()
    await app.push_screen(screen)
    if tab != "records":
        screen.action_tab(tab)


def schedule(app: Any) -> None:
    """Home's schedule form, from wherever the palette was opened."""
    app.screen_stack[0].action_schedule()


def export(app: Any, fmt: str) -> None:
    """Write an export into the current folder in a worker with its own connection, then say
    where."""
    words = say("palette")
    store = app.store

    def write() -> None:
        import sqlite3

        from efficacy_tui.store.core import StoreError
        from efficacy_tui.store.export import export_in_worker

        try:
            path = Path(export_in_worker(store, fmt)).resolve()
        except (StoreError, ValueError, OSError, sqlite3.Error) as err:
            app.call_from_thread(app.notify, words["export_failed"].format(error=err),
                                 severity="error")
        else:
            app.call_from_thread(app.notify, words["exported"].format(path=path))

    app.notify(words["exporting"])
    app.run_worker(write, thread=True, group="export", exit_on_error=False)


def open_import(app: Any) -> None:
    """The import form, over whichever screen the palette was opened on."""
    from efficacy_tui.ui.screens.import_form import ImportScreen

    app.push_screen(ImportScreen())


def set_theme(app: Any, name: str) -> None:
    app.theme = name


def palette_commands(app: Any, on_home: bool) -> list[PaletteCommand]:
    """Every command, in the order the palette lists them before anything is typed."""
    said = say("palette.commands")
    store = app.store
    live = domains.list_domains(store)
    coming = upcoming_performances(store, store.now())

    def command(key: str, run: Callable[[], Any], name: str = "") -> PaletteCommand:
        return PaletteCommand(key, said[key]["title"], said[key]["help"], run, name)

    found = [] if on_home else [command("home", partial(go_home, app))]
    found += [
        command("checkin", partial(app.action_open, "checkin")),
        command("ladder", partial(app.action_open, "ladder")),
        *(command("ladder_of", partial(app.action_open, "ladder", d.id), d.name) for d in live),
        command("reframe", app.action_reframe),
        command("readiness", partial(app.action_open, "readiness")),
        *(command("readiness_for", partial(app.action_open, "readiness", p.id), p.title)
          for p in coming),
        command("schedule", partial(schedule, app)),
        *(command(key, partial(open_review, app, tab)) for key, tab in REVIEW_TABS.items()),
        *(command("models_of", partial(app.action_open, "role_models", d.id), d.name)
          for d in live),
        *(command("scale_of", partial(app.action_open, "scale", d.id), d.name) for d in live),
        command("audit", partial(app.action_open, "audit")),
        *(command(key, partial(export, app, fmt)) for key, fmt in EXPORTS.items()),
        command("import", partial(open_import, app)),
        command("sync_now", app.action_sync_now),
        command("conflicts", partial(app.action_open, "conflicts")),
        command("theme", app.action_change_theme),
        command("high_contrast", partial(set_theme, app, HIGH_CONTRAST_NAME)),
        command("help", app.action_help),
    ]
    return found


class EfficacyCommands(Provider):
    """Our commands beside Textual's own (theme, keys, screenshot, quit)."""

    async def startup(self) -> None:
        from efficacy_tui.ui.screens.home import HomeScreen

        self.commands = palette_commands(self.app, isinstance(self.screen, HomeScreen))

    async def discover(self) -> Hits:
        for item in self.commands:
            yield DiscoveryHit(item.prompt(), item.run, text=item.text,
                               help=Content(item.help))  # type: ignore[arg-type]  # never markup

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for item in self.commands:
            score, offsets = matcher.fuzzy_search.match(query, item.text)
            if score > 0:
                yield Hit(score, item.prompt(offsets, matcher.match_style), item.run,
                          text=item.text,
                          help=Content(item.help))  # type: ignore[arg-type]  # never markup
