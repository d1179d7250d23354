"""The benchmark's baseline: the smallest Textual app with the home screen's parts (Header,
Static, DataTable, Footer), showing the same marker text, so start time and memory can be given as
ratios."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

ROWS = [
    ("Public speaking", "Give a 5-minute talk", "success", "70"),
    ("Running", "Run 5 km without stopping", "partial", "55"),
    ("Cooking", "Cook a new recipe for guests", "setback", "40"),
    ("Spanish", "Order dinner in Spanish", "success", "65"),
]


class MinimalApp(App):
    """Header, a Static with the marker, a small DataTable and a Footer; `q` quits."""

    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Check-in streak: 0 days")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Domain", "Attempt", "Outcome", "Confidence")
        table.add_rows(ROWS)


if __name__ == "__main__":
    MinimalApp().run()
