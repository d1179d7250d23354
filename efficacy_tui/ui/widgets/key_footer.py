"""The footer of key hints, rebuilt only when what it would show has changed.

Textual's Footer rebuilds all its keys whenever a screen's bindings are refreshed, which happens on
every focus change and every step of a guided screen; most of those refreshes leave the same keys,
and each rebuild restyles every key, which is most of the work a keystroke costs on a form.

A key is also restyled twice more as it mounts: its `compact` starts True, which adds the class
"-compact", and the footer's value then takes it away again. Keys here are made in their final
style, so mounting restyles nothing."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A Footer that skips a rebuild when the keys, their labels and their states are as shown."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action,
             enabled, tooltip, binding.group)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The palette's key is not bound to the footer's style: it stays compact.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        signature = self._signature(screen)
        if signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)
