"""Help: the keys of the screen it was opened from, then the sources of self-efficacy and the
science with citations, then every key of every screen."""

import textwrap
from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

from efficacy_tui.content import say
from efficacy_tui.ui.app import AppModalScreen
from efficacy_tui.ui.keyhint import hint, key_display

KEY_WIDTH = 16  # the key column; longer key lists get a line of their own
HELP_WIDTH, HELP_EDGES = 100, 6  # as #help in app.tcss: at most 100 wide; border, padding, bar


def key_table(sections: list[tuple[str, list[Binding]]],
              keymap: Mapping[str, str] | None = None, width: int = 0) -> Content:
    """Every binding of the given screens, listed by screen; built from BINDINGS and the user's
    keymap so it cannot drift. Given the `width` it is shown in, a long description wraps under
    itself rather than under the keys."""
    indent = " " * (KEY_WIDTH + 2)
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
            wrapped = textwrap.wrap(what, width - len(indent)) if width > len(indent) + 20 \
                else [what]
            lines.append(Content.assemble(f"  {keys:<{KEY_WIDTH}}", wrapped[0]))
            lines.extend(Content.assemble(indent, more) for more in wrapped[1:])
    return Content("\n").join(lines)


def keys_now(active: Iterable[ActiveBinding], screen: DOMNode) -> list[Binding]:
    """The keys that work where help was asked from, as they are now (remapped keys included):
    each enabled binding of ours once, with all its keys; the screen's own first, then those of
    the widget in focus, then the app's."""
    keys: dict[str, list[str]] = {}
    found: dict[str, tuple[int, Binding]] = {}
    for node, binding, enabled, _tooltip in active:
        if not (enabled and binding.id):
            continue
        shown = binding.key_display or key_display(binding.key)
        if shown not in keys.setdefault(binding.id, []):
            keys[binding.id].append(shown)
        rank = 0 if node is screen else 2 if node is screen.app else 1
        found.setdefault(binding.id, (rank, binding))
    ordered = sorted(found.items(), key=lambda item: item[1][0])  # stable: declared order kept
    return [binding.with_key(binding.key, key_display=", ".join(keys[id_]))
            for id_, (_rank, binding) in ordered]


class HelpScreen(AppModalScreen[None]):
    """A modal over the current screen, so closing it returns exactly where you were."""

    BINDINGS = [
        Binding("escape,question_mark,f1", "dismiss", "Close", id="help.close",
                tooltip="Close help"),
    ]

    def __init__(self, here: tuple[str, list[Binding]], sections: list[tuple[str, list[Binding]]],
                 keymap: Mapping[str, str] | None = None) -> None:
        """`here` is the screen help was asked from, with the keys that work there now (from
        `keys_now`): help opens on them, the science after them, every screen's keys last."""
        super().__init__()
        self.here = here
        self.sections = sections
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        text = say("help")
        with VerticalScroll(id="help"):
            yield Static(Content.styled(text["keys_here_title"], "bold underline"))
            yield Static(id="keys-here")
            yield Static(Content(text["intro"].strip()), id="science", classes="section")
            yield Static(Content(text["not_this"].strip()), id="not-this", classes="section")
            yield Static(Content(hint(self, text["sources"].strip())), classes="section")
            yield Static(Content(hint(self, text["science"].strip())), classes="section")
            yield Static(Content.styled(text["keys_title"], "bold underline"), classes="section")
            yield Static(id="keys")
            yield Static(Content.styled(hint(self, text["close"]), "italic"), classes="section")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = say("help.title")
        self._fill_keys()

    def on_resize(self) -> None:
        self._fill_keys()

    def _fill_keys(self) -> None:
        """The key tables, wrapped to the width of the help box (90% of the screen, at most
        100, less its border, padding and scroll bar)."""
        width = min(self.app.size.width * 9 // 10, HELP_WIDTH) - HELP_EDGES
        self.query_one("#keys-here", Static).update(key_table([self.here], width=width))
        self.query_one("#keys", Static).update(key_table(self.sections, self.keymap, width))
