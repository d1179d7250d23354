"""Help: the sources of self-efficacy, the science with citations, and every key of every screen."""

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from efficacy_tui.content import say
from efficacy_tui.ui.app import AppModalScreen
from efficacy_tui.ui.keyhint import hint, key_display

KEY_WIDTH = 16  # the key column; longer key lists get a line of their own


def key_table(sections: list[tuple[str, list[Binding]]],
              keymap: Mapping[str, str] | None = None) -> Content:
    """Every binding of the given screens, listed by screen; built from BINDINGS and the user's
    keymap so it cannot drift."""
    lines: list[Content] = []
    for title, bindings in sections:
        lines.append(Content.styled(title, "bold"))
        for binding in bindings:
            if keymap and binding.id is not None and binding.id in keymap:
                keys = ", ".join(key_display(k) for k in keymap[binding.id].split(","))
            else:
                keys = binding.key_display or ", ".join(
                    k.replace("_", " ") for k in binding.key.split(",")
                )
            what = binding.tooltip or binding.description
            if len(keys) >= KEY_WIDTH:
                lines.append(Content(f"  {keys}"))
                keys = ""
            lines.append(Content.assemble(f"  {keys:<{KEY_WIDTH}}", what))
    return Content("\n").join(lines)


class HelpScreen(AppModalScreen[None]):
    """A modal over the current screen, so closing it returns exactly where you were."""

    BINDINGS = [
        Binding("escape,question_mark,f1", "dismiss", "Close", id="help.close",
                tooltip="Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]], current: int = 0,
                 keymap: Mapping[str, str] | None = None) -> None:
        """`current` is the index of the section of the screen help was asked from: help opens
        at its keys (from home, at the top: the science first)."""
        super().__init__()
        self.sections = sections
        self.current = current
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        text = say("help")
        with VerticalScroll(id="help"):
            yield Static(Content(text["intro"].strip()))
            yield Static(Content(text["not_this"].strip()), id="not-this", classes="section")
            yield Static(Content(hint(self, text["sources"].strip())), classes="section")
            yield Static(Content(hint(self, text["science"].strip())), classes="section")
            yield Static(Content.styled(text["keys_title"], "bold underline"), classes="section")
            yield Static(key_table(self.sections[self.current:self.current + 1], self.keymap),
                         id="keys-here")
            yield Static(key_table(self.sections[:self.current] + self.sections[self.current + 1:],
                                   self.keymap),
                         id="keys")
            yield Static(Content.styled(hint(self, text["close"]), "italic"), classes="section")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = say("help.title")
        if self.current:
            self.call_after_refresh(self._open_at_keys)

    def _open_at_keys(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_to_widget(
            self.query_one("#keys-here"), top=True, animate=False)
