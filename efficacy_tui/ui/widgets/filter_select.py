"""A compact Select for a bar of filters that costs less to open and to change.

Textual's Select builds its drop-down list (an OptionList) with the widget, though most visits
never open it, keeps two arrows and hides one, and relabels itself with a full layout of the
screen on every change of value. Here the list is built the first time it opens, one arrow turns,
and the label, one line in a bar of fixed height, is repainted without a layout. It looks and
works as a Select: same keys, same messages, same picture."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import Select, Static
from textual.widgets._select import (
    NonSelectableStatic,
    NoSelection,
    SelectCurrent,
    SelectOverlay,
)


class FilterCurrent(SelectCurrent):
    """The shown value, repainted in place: the bar's height does not depend on it. One arrow
    that turns when the list opens, where Select keeps two and hides one."""

    def compose(self) -> ComposeResult:
        yield NonSelectableStatic(self.placeholder, id="label")
        yield NonSelectableStatic("▼", classes="arrow")

    def point(self, up: bool) -> None:
        self.query_one(".arrow", Static).update("▲" if up else "▼", layout=False)

    def update(self, label: RenderableType | NoSelection) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.query_one("#label", Static).update(
            self.placeholder if isinstance(label, NoSelection) else label, layout=False)


class FilterSelect(Select[Any]):
    """A Select whose option list is mounted the first time it is opened."""

    BINDINGS = [Binding("enter,down,space,up", "open_list", "Show menu", show=False,
                        id="filters.open", tooltip="Open the filter's list of choices")]

    def compose(self) -> ComposeResult:
        yield FilterCurrent(self.prompt)

    def _overlay(self) -> SelectOverlay | None:
        try:
            return self.query_one(SelectOverlay)
        except NoMatches:
            return None

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        try:
            self.query_one(FilterCurrent).point(expanded)
        except NoMatches:
            pass

    def _setup_options_renderables(self) -> None:
        if self._overlay() is not None:
            super()._setup_options_renderables()

    def _watch_value(self, value: Any) -> None:
        if self._overlay() is not None:
            super()._watch_value(value)
            return
        self._value = value
        try:
            current = self.query_one(FilterCurrent)
        except NoMatches:
            return
        if value == self.NULL:
            current.update(self.NULL)
        else:
            for prompt, option in self._options:
                if option == value:
                    current.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_prompt(self, prompt: str) -> None:
        if self._overlay() is not None:
            super()._watch_prompt(prompt)
        elif self.is_mounted:
            current = self.query_one(FilterCurrent)
            current.placeholder = prompt
            if self.value == self.NULL:
                current.update(self.NULL)

    async def _build_overlay(self) -> None:
        """Mount the option list, with the options and the highlighted value Select gives it."""
        if self._overlay() is None:
            overlay = SelectOverlay(type_to_search=self._type_to_search)
            overlay.compact = self.compact
            await self.mount(overlay)
            super()._setup_options_renderables()
            if self.value != self.NULL:
                for index, (_prompt, option) in enumerate(self._options):
                    if option == self.value:
                        self.query_one(SelectOverlay).highlighted = index
                        break

    async def action_open_list(self) -> None:
        await self._build_overlay()
        self.action_show_overlay()

    @on(SelectCurrent.Toggle)
    async def _toggle_list(self, event: SelectCurrent.Toggle) -> None:
        event.stop()
        event.prevent_default()  # Select's own handler would toggle it back
        await self._build_overlay()
        self.expanded = not self.expanded
