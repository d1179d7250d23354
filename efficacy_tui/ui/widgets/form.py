"""A modal form: labelled fields, ctrl+s to save, escape to cancel, one error sentence at a time."""

from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.ui.widgets.rating import Rating

T = TypeVar("T")


def labelled(label: str, widget: Widget, hint: str = "") -> list[Widget]:
    """A field's label, the field, and an optional hint line, in compose order."""
    parts: list[Widget] = [Label(Content(label), classes="field-label"), widget]
    if hint:
        parts.append(Static(Content(hint), classes="hint"))
    return parts


class FormScreen(ModalScreen[T]):
    """Subclasses yield their fields from `fields()` and turn values into a result in `submit()`,
    raising InvalidValue (with the field's id) for bad input; nothing is written until it returns."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save and close"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
    ]
    form_title: str = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box") as box:
            box.border_title = Content(self.form_title)
            yield Static(id="error", classes="error")
            yield from self.fields()
            yield Static(Content("ctrl+s saves · escape cancels"), classes="hint form-keys")

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        first = next(iter(self.query("Input, Rating, TextArea, RadioSet, Select")), None)
        if first is not None:
            first.focus()

    def value(self, field: str) -> Any:
        """The raw value of the field with this id."""
        widget = self.query_one(f"#{field}")
        if isinstance(widget, Rating):
            return widget.value
        if isinstance(widget, Input):
            return widget.value
        return getattr(widget, "value", None)

    def show_error(self, message: str, field: str = "") -> None:
        error = self.query_one("#error", Static)
        error.update(Content(message))
        error.display = True
        if field:
            matches = self.query(f"#{field}")
            if matches:
                matches.first().focus()
        error.scroll_visible()

    def submit(self) -> T:
        raise NotImplementedError

    def action_save(self) -> None:
        try:
            result = self.submit()
        except InvalidValue as err:
            self.show_error(str(err), err.field)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or enter confirms, n or escape declines."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Confirm"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Decline"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box confirm") as box:
            box.border_title = self.title_text
            yield Static(Content(self.question))
            yield Static(Content("y or enter: yes · n or escape: no"), classes="hint form-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
