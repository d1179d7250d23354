"""The review's table of records: one page at a time, each record one line cut to its column.

Painting a page of new rows is most of what a search keystroke or a filter change costs, so the
table lays a record's cell out directly and measures nothing: every column has a fixed width."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets._data_table import Row
from textual.widgets.data_table import DuplicateKey, RowKey

from efficacy_tui.content import say

# Fixed column widths (When, Type, Domain, Outcome, Conf.); the Record column takes the rest.
# Below WIDE columns the Domain column (shown in the detail pane) gives way to the Record column,
# so every row keeps its date and time.
WIDTHS = {"when": 16, "kind": 11, "domain": 12, "outcome": 9, "confidence": 5}
NARROW = ("domain",)
WIDE = 100
RECORD_MIN = 12
COLUMNS = ("when", "kind", "domain", "record", "outcome", "confidence")


class RecordsTable(DataTable):
    """One page of records. The Record column fits the width left by the others; moving past
    the last or first row asks for the next or previous page."""

    # Rows fit the width, so home and end go to the first and last row, not a column.
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False, id="review.first",
                tooltip="The first record on the page"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="review.last",
                tooltip="The last record on the page"),
    ]

    @dataclass
    class PageEdge(Message):
        step: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.cells: list[tuple[str, list[str]]] = []
        self.widths: dict[str, int] = {}
        self.waiting = 0  # the cursor row for rows shown before the first layout

    def show(self, cells: list[tuple[str, list[str]]], cursor: int = 0) -> None:
        """Replace the rows; each is (key, [when, type, domain, record, outcome, confidence]).
        Columns are rebuilt only when the width calls for it, and an unchanged page (the next
        letter of a word often finds the same newest records) is left as it is, so a keystroke
        costs at most one page of rows and no column measuring. Before the table has been laid
        out the rows wait for its first resize, so they are added once, at their real width."""
        if not self.size.width:
            self.cells, self.waiting = cells, cursor
            return
        widths = self._widths()
        if cells == self.cells and widths == self.widths and self.row_count == len(cells):
            if cells and cursor != self.cursor_row:
                self.move_cursor(row=min(cursor, len(cells) - 1), animate=False)
            return
        self.cells = cells
        if widths != self.widths:
            self._columns(widths)
        else:
            self.clear()
        shown = [n for n, key in enumerate(COLUMNS) if key in widths]
        self._add_rows([(key, [Text(values[n], no_wrap=True, overflow="ellipsis")
                               for n in shown]) for key, values in cells])
        if cells:
            self.move_cursor(row=min(cursor, len(cells) - 1), animate=False)

    def _add_rows(self, rows: list[tuple[str, list[Text]]]) -> None:
        """What DataTable.add_row does for each row, done for the page at once: add_row lists
        the columns twice and resets the cursor (a reactive, with its watchers) for every row,
        half of what a page of new rows costs."""
        columns = [column.key for column in self.ordered_columns]
        start = self.row_count
        for offset, (key, texts) in enumerate(rows):
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            self._row_locations[row_key] = start + offset
            self._data[row_key] = dict(zip(columns, texts, strict=True))
            self.rows[row_key] = Row(row_key, 1)
            self._new_rows.add(row_key)
        if not rows:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if not start and columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        # A record's cell is one line of plain text cut to the column: laid out here directly,
        # where DataTable pads, wraps and crops it through Rich's general renderer, which is
        # most of what painting a new page costs. Headers and anything else go that way still.
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if (row_key is None or column_key is None or row_index < self.fixed_rows
                or column_index < self.fixed_columns):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)
        cache = self._cell_render_cache
        if key in cache:
            return cache[key]
        cell = self._get_row_renderables(row_index).cells[column_index]
        if (not isinstance(cell, Text) or self.rows[row_key].height != 1
                or "\n" in cell.plain or "\t" in cell.plain):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        pad = self.cell_padding
        text = cell.copy()
        text.truncate(max(0, width - 2 * pad), overflow=cell.overflow or "ellipsis", pad=True)
        segments = [Segment(" " * pad), *text.render(self.app.console, end=""),
                    Segment(" " * pad)]
        line = list(Segment.apply_style(segments, style + component_style, post_style))
        cache[key] = lines = [line]
        return lines

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Every column has a fixed width and every row is one line without a label, so the new
        # rows have nothing to measure: DataTable would measure each of their cells, a third of
        # what a page of new rows costs.
        super()._update_dimensions(())

    def _widths(self) -> dict[str, int]:
        """Each column's width for the table's current size (the app's before first layout)."""
        width = self.size.width or self.app.size.width
        widths = {key: w for key, w in WIDTHS.items() if width >= WIDE or key not in NARROW}
        fixed = sum(widths.values()) + 2 * self.cell_padding * (len(widths) + 1)
        used = fixed + self.styles.scrollbar_size_vertical
        return {**widths, "record": max(RECORD_MIN, width - used)}

    def _columns(self, widths: dict[str, int]) -> None:
        text = say("review.columns")
        self.widths = widths
        self.clear(columns=True)
        for key in COLUMNS:
            if key in widths:
                self.add_column(Text(text[key]), width=widths[key], key=key)

    def on_resize(self) -> None:
        if self._widths() != self.widths:
            cells, self.cells = self.cells, []
            self.show(cells, self.cursor_row if self.widths else self.waiting)

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageEdge(1))
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.PageEdge(-1))
            return
        super().action_cursor_up()
