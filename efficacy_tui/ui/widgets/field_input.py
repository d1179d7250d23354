"""A one-line text field of fixed size."""

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FieldInput(Input):
    """A one-line field of fixed size: its text scrolls inside it, so a keystroke repaints the
    field and never lays out the screen (Input's growing scroll width asks for a layout)."""

    virtual_size = Reactive(Size(0, 0), layout=False)
