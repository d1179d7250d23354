"""The footer of key hints, rebuilt only when what it would show has changed, with help always in
it.

Textual's Footer rebuilds all its keys whenever a screen's bindings are refreshed, which happens on
every focus change and every step of a guided screen; most of those refreshes leave the same keys,
and each rebuild restyles every key, which is most of the work a keystroke costs on a form.

Textual's Footer also lets keys run off the right edge of a narrow terminal, and help, declared
late, is the first to go. Here the help key is pinned last, beside the palette, and the keys are
fitted to the width: the footer turns compact, then drops keys from the end of the screen's list
(the least needed are declared last) until the rest fit. In a text field, where `?` is typed, the
help key shown is one that is not typed (f1).

A key is made in its final style: Textual's key starts compact and is then told the footer's
style as it mounts, which restyles it twice, in every rebuild."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("app.help", "help")
Shown = tuple[Binding, bool, str]  # a binding, whether it is enabled, its tooltip


class KeyFooter(Footer):
    """A Footer that skips a rebuild when the keys, their labels, their states and the width are
    as shown, keeps a help key in view and fits the rest to the width."""

    _shown: tuple[Any, ...] | None = None

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self.always_compact = compact
        self._keys: list[Shown] = []
        self._help: Shown | None = None
        self._palette: Shown | None = None

    def _plan(self, screen: Screen[Any]) -> tuple[list[Shown], Shown | None, Shown | None,
                                                   bool]:
        """The keys to show, the help key, the palette key and whether compact, for the width."""
        active = screen.active_bindings
        by_action: defaultdict[str, list[Shown]] = defaultdict(list)
        helps: list[Shown] = []
        for _node, binding, enabled, tooltip in active.values():
            if binding.action in HELP_ACTIONS:
                helps.append((binding, enabled, tooltip))
            elif binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        keys = [found[0] for found in by_action.values()]
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found.binding, found.enabled, found.tooltip)
                keys = [k for k in keys if k[0].action != found.binding.action]
        help_key = self._help_key(helps, screen)
        width = self.size.width or self.app.size.width
        for compact in ((True,) if self.always_compact else (False, True)):
            fitted = self._fit(keys, help_key, palette, compact, width)
            if fitted is not None:
                return fitted, help_key, palette, compact
        return [], help_key, palette, True

    def _help_key(self, helps: list[Shown], screen: Screen[Any]) -> Shown | None:
        """The help binding to show: the one the screen shows (`?`), unless the screen's focus
        is in a text field, where a key that types nothing is needed."""
        typing = isinstance(screen.focused, Input)
        usable = [h for h in helps if not (typing and key_to_character(h[0].key))]
        usable.sort(key=lambda h: not h[0].show)
        return usable[0] if usable else None

    def _fit(self, keys: list[Shown], help_key: Shown | None, palette: Shown | None,
             compact: bool, width: int) -> list[Shown] | None:
        """As many of `keys`, from the first, as fit beside help and the palette; None when
        dropping keys would be needed and a compact footer is still to be tried."""
        spacing = 2 if compact else 3  # the space between key and words, and around them

        def cells(shown: Shown) -> int:
            binding = shown[0]
            return (cell_len(self.app.get_key_display(binding)) + cell_len(binding.description)
                    + spacing)

        used = sum(cells(shown) for shown in (help_key, palette) if shown)
        fitted: list[Shown] = []
        for shown in keys:
            used += cells(shown)
            if used > width:
                return fitted if compact or self.always_compact else None
            fitted.append(shown)
        return fitted

    def _signature(self, plan: tuple[list[Shown], Shown | None, Shown | None, bool]
                   ) -> tuple[Any, ...]:
        keys, help_key, palette, compact = plan
        return (compact, *(
            (binding.key, self.app.get_key_display(binding), binding.description,
             binding.action, enabled, tooltip)
            for binding, enabled, tooltip in [*keys, *filter(None, (help_key, palette))]
        ))

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        self._replan(screen)

    def _replan(self, screen: Screen[Any]) -> None:
        plan = self._plan(screen)
        signature = self._signature(plan)
        if signature == self._shown:
            return
        self._shown = signature
        self._keys, self._help, self._palette, compact = plan
        self.compact = compact
        self.call_after_refresh(self.recompose)

    def on_resize(self) -> None:
        if self._bindings_ready and self.is_attached:
            self._replan(self.screen)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        for binding, enabled, tooltip in filter(None, (*self._keys, self._help)):
            yield self._key(binding, enabled, tooltip, self.compact).data_bind(
                compact=Footer.compact)
        if self._palette is not None:
            binding, enabled, _tooltip = self._palette
            # The palette's key is not bound to the footer's style: it stays compact.
            yield self._key(binding, enabled, binding.tooltip or binding.description, True,
                            classes="-command-palette")

    def _key(self, binding: Binding, enabled: bool, tooltip: str, compact: bool,
             classes: str = "") -> FooterKey:
        key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                        binding.action, disabled=not enabled, tooltip=tooltip, classes=classes)
        key.set_reactive(FooterKey.compact, compact)
        key.set_class(compact, "-compact", update=False)
        return key
