"""A form's field as it is laid out everywhere: its label, the field, and an optional hint."""

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

from efficacy_tui.content import say


def required(label: str) -> str:
    """A label marked as a field that must be filled, shown from the start rather than only
    when saving is refused."""
    return label + say("common.required_mark")


def labelled(label: str, widget: Widget, hint: str = "") -> list[Widget]:
    """A field's label, the field, and an optional hint line, in compose order."""
    parts: list[Widget] = [Label(Content(label), classes="field-label"), widget]
    if hint:
        parts.append(Static(Content(hint), classes="hint"))
    return parts
