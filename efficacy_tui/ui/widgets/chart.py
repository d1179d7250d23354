"""A widget that shows a plain-text chart drawn for exactly the width it is given.

The chart functions in coach/charts.py take a width; this widget asks for the chart again
whenever its width changes, so a chart fits 80 columns and spreads out at 120 without wrapping.
"""

from collections.abc import Callable

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Draw = Callable[[int], list[str]]


class Chart(Widget):
    """Lines from `draw(width)`, as plain content (never markup)."""

    DEFAULT_CSS = """
    Chart {
        height: auto;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, draw: Draw | None = None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw
        self._cache: tuple[int, list[str]] | None = None

    def show(self, draw: Draw | None) -> None:
        """Draw a new chart (None shows nothing)."""
        self._draw = draw
        self._cache = None
        self.refresh(layout=True)

    def lines(self, width: int) -> list[str]:
        """The chart drawn for `width` columns, remembered until the width or chart changes."""
        if self._draw is None or width <= 0:
            return []
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, self._draw(width))
        return self._cache[1]

    @property
    def text(self) -> str:
        """What is on screen now, for tests and copying."""
        return "\n".join(self.lines(self.content_size.width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n".join(self.lines(self.content_size.width)))
