"""The floor for screen switches: the minimal app (bench/minimal_app.py) that, on a key, pushes a
screen of the shape of the app's own screens, so a screen switch is held against the least any
Textual app pays to build, mount and paint that much.

    python bench/floor_app.py table   # `v` pushes a search Input and a 100-row DataTable (review)
    python bench/floor_app.py form    # `c` pushes a form of ten labelled Inputs (the check-in)

Each pushed screen paints its marker line with its data ("floor records · page 1",
"floor form of ten fields"); ctrl+q quits."""

import sys

from minimal_app import MinimalApp
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

COLUMNS = ("When", "Domain", "Kind", "Title", "Outcome", "Confidence")
OUTCOMES = ("success", "partial", "setback")


class TableScreen(Screen):
    """A search Input, a status line and a 100-row DataTable, filled on mount (the review's
    shape)."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search")
        yield Static("100 floor records · page 1", id="status")
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(
            (f"2026-11-{1 + n % 28:02d} 09:{n % 60:02d}", f"Domain {n % 3}", "attempt",
             f"Attempt number {n} at the rung", OUTCOMES[n % 3], str(n % 101))
            for n in range(100)
        )
        table.focus()


class FormScreen(Screen):
    """Ten labelled Inputs in a scrolling column (the check-in's shape)."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("The floor form of ten fields")
            for n in range(10):
                yield Label(f"Field {n + 1}")
                yield Input(placeholder=f"value {n + 1}", id=f"field-{n}")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#field-0", Input).focus()


class FloorApp(MinimalApp):
    """The minimal app with one more key: `v` pushes the table screen, `c` the form."""

    def __init__(self, shape: str) -> None:
        super().__init__()
        self.shape = shape

    BINDINGS = [*MinimalApp.BINDINGS, ("v", "push('table')", "Table"),
                ("c", "push('form')", "Form")]

    def action_push(self, shape: str) -> None:
        if shape == self.shape:
            self.push_screen(TableScreen() if shape == "table" else FormScreen())


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("table", "form"):
        sys.exit(__doc__.split("\n\n")[1])
    FloorApp(sys.argv[1]).run()
