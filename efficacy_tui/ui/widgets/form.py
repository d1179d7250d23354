"""A form's field as it is laid out everywhere: its label, the field, and an optional hint."""

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static


def labelled(label: str, widget: Widget, hint: str = "") -> list[Widget]:
    """A field's label, the field, and an optional hint line, in compose order."""
    parts: list[Widget] = [Label(Content(label), classes="field-label"), widget]
    if hint:
        parts.append(Static(Content(hint), classes="hint"))
    return parts
