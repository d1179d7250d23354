"""The review screen's Calibration tab: confidence given before an attempt against how it went,
overall or for one domain, as a plot with the diagonal, a table of the five bins, the Brier score
and bias, and the sentence in plain words.

The figures are those of `efficacy stats --format json`, read by the same function
(figures.domain_calibrations) and rounded by the same calibration.as_dict. They are read in a
worker on a second connection, as the trends are.
"""

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Select, Static

from efficacy_tui.coach import calibration, charts
from efficacy_tui.content import say
from efficacy_tui.figures import PerDomain, domain_calibrations, figures_line
from efficacy_tui.store.core import Store
from efficacy_tui.ui.widgets.chart import Chart
from efficacy_tui.ui.widgets.figures_pane import FiguresPane, Reading

OVERALL = "overall"
NAME_WIDTH = 24
SIDE_BY_SIDE_GAP = 4


def figures(cal: calibration.Calibration) -> dict[str, Any]:
    """Brier, bias and count as `efficacy stats --format json` prints them (3 decimals)."""
    data = calibration.as_dict(cal)
    return {"brier": data["brier"], "bias": data["bias"], "rated": data["rated_attempts"]}


def reading_word(cal: calibration.Calibration, text: dict) -> str:
    if cal.status == "none" or cal.direction is None:
        return text["reading"]["none"]
    word = text["reading"][cal.direction]
    return word + (text["reading"]["early"] if cal.status == "early" else "")


def short(name: str, width: int = NAME_WIDTH) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def by_domain_table(rows: list[tuple[str, calibration.Calibration]], text: dict) -> list[str]:
    """Every domain and the overall figures in one table, from the same rounded figures."""
    table = [list(text["by_domain_headers"])]
    for name, cal in rows:
        if cal.status == "none":
            brier = bias = text["none_figure"]
        else:
            shown = figures(cal)
            brier, bias = f"{shown['brier']:.3f}", f"{shown['bias']:+.3f}"
        table.append([short(name), f"{cal.rated:,}", brier, bias, reading_word(cal, text)])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return [
        "  ".join(cell.rjust(w) if i in (1, 2, 3) else cell.ljust(w)
                  for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in table
    ]


class CalibrationPane(FiguresPane):
    """Calibration overall, or for the domain chosen in the selector."""

    DEFAULT_CSS = """
    CalibrationPane {
        padding: 0 1;
    }
    CalibrationPane #calibration-top {
        height: 1;
        margin: 0 0 1 0;
    }
    CalibrationPane #calibration-top Label {
        padding: 0 1 0 0;
    }
    CalibrationPane #calibration-scope {
        width: 40;
    }
    CalibrationPane .chart-title {
        text-style: bold;
    }
    CalibrationPane #calibration-early {
        text-style: italic;
    }
    CalibrationPane #calibration-figures {
        text-style: bold;
    }
    CalibrationPane #calibration-hint {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    CalibrationPane #calibration-sentence {
        margin: 0 0 1 0;
    }
    CalibrationPane Chart, CalibrationPane #calibration-above-below {
        margin: 0 0 1 0;
    }
    CalibrationPane #calibration-plot {
        margin: 0;
    }
    """

    @dataclass
    class Loaded(Message):
        overall: calibration.Calibration
        per_domain: PerDomain
        request: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = say("calibration")
        self.scope: int | None = None  # a domain id, or None for all domains
        self.overall: calibration.Calibration | None = None
        self.per_domain: PerDomain = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="calibration-top"):
            yield Label(self.text["domain_label"])
            yield Select([(Text(self.text["overall"]), OVERALL)], allow_blank=False,
                         compact=True, id="calibration-scope")
        yield Static(self.text["loading"], id="calibration-title", classes="chart-title")
        yield Static(id="calibration-early")
        yield Static(id="calibration-sentence")
        yield Static(id="calibration-figures")
        yield Static(self.text["brier_hint"], id="calibration-hint")
        yield Chart(id="calibration-plot")
        yield Static(self.text["above_below"], id="calibration-above-below")
        yield Static(self.text["by_domain_title"], id="calibration-by-domain-title",
                     classes="chart-title")
        yield Chart(id="calibration-by-domain")

    def on_mount(self) -> None:
        for name in ("early", "sentence", "figures", "hint", "plot", "above-below",
                     "by-domain-title", "by-domain"):
            self.query_one(f"#calibration-{name}").display = False
        self.refresh_data()

    def _reading(self) -> Reading:
        return self._read

    def _read(self, store: Store, request: int) -> Loaded:
        overall, per_domain = domain_calibrations(store)
        return self.Loaded(overall, per_domain, request)

    @on(FiguresPane.Failed)
    def _failed(self, event: FiguresPane.Failed) -> None:
        self.query_one("#calibration-title", Static).update(
            Content(self.text["failed"].format(error=event.error)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.request != self._request:
            return
        known = [(d.id, d.name) for d, _ in self.per_domain]
        self.overall, self.per_domain = event.overall, event.per_domain
        if self.scope is not None and all(d.id != self.scope for d, _ in self.per_domain):
            self.scope = None
        select = self.query_one("#calibration-scope", Select)
        with select.prevent(Select.Changed):
            if known != [(d.id, d.name) for d, _ in self.per_domain]:
                select.set_options([(Text(self.text["overall"]), OVERALL)]
                                   + [(Text(d.name), d.id) for d, _ in self.per_domain])
            wanted = OVERALL if self.scope is None else self.scope
            if select.value != wanted:
                select.value = wanted
        self._paint()

    @on(Select.Changed, "#calibration-scope")
    def _scope_chosen(self, event: Select.Changed) -> None:
        event.stop()
        self.scope = event.value if isinstance(event.value, int) else None  # else overall
        if self.overall is not None:
            self._paint()

    def chosen(self) -> tuple[str, calibration.Calibration]:
        """The name and calibration of what the selector shows."""
        assert self.overall is not None
        for domain, cal in self.per_domain:
            if domain.id == self.scope:
                return domain.name, cal
        return self.text["overall"], self.overall

    def _paint(self) -> None:
        text, overall = self.text, self.overall
        assert overall is not None
        name, cal = self.chosen()
        shown = cal.status != "none"
        self.query_one("#calibration-title", Static).update(
            Content(text["title"].format(name=name) if shown else text["not_enough"]))
        early = self.query_one("#calibration-early", Static)
        early.update(Content(text["early"].format(needed=calibration.EARLY_BELOW)))
        early.display = cal.status == "early"
        sentence = self.query_one("#calibration-sentence", Static)
        sentence.update(Content(cal.sentence))
        sentence.display = True
        numbers = self.query_one("#calibration-figures", Static)
        numbers.update(Content(figures_line(cal)) if shown else "")
        numbers.display = shown
        self.query_one("#calibration-hint", Static).display = shown
        plot = self.query_one("#calibration-plot", Chart)
        plot.show((lambda width: self._plot(cal, width)) if shown else None)
        plot.display = shown
        self.query_one("#calibration-above-below", Static).display = shown
        self.query_one("#calibration-by-domain-title", Static).display = bool(self.per_domain)
        table = self.query_one("#calibration-by-domain", Chart)
        rows = [(d.name, c) for d, c in self.per_domain] + [(text["overall"], overall)]
        lines = by_domain_table(rows, text)
        table.show((lambda width: charts.fit(lines, width)) if self.per_domain else None)
        table.display = bool(self.per_domain)

    def _plot(self, cal: calibration.Calibration, width: int) -> list[str]:
        text = self.text
        table = charts.calibration_table(cal.bins, text["table_headers"], text["none_figure"])
        table_w = max(len(line) for line in table)
        plot_room = width - table_w - SIDE_BY_SIDE_GAP
        key = [(charts.POINT, text["point"]), (charts.DIAGONAL, text["diagonal"])]
        if plot_room >= 50:
            plot = charts.calibration_plot(cal.bins, plot_room, x_title=text["x_title"],
                                           y_title=text["y_title"])
            joined = charts.side_by_side(plot, [""] * 2 + table, width, SIDE_BY_SIDE_GAP)
            if joined is not None:
                return joined + charts.legend(key, width)
        plot = charts.calibration_plot(cal.bins, width, x_title=text["x_title"],
                                       y_title=text["y_title"])
        return plot + charts.legend(key, width) + [""] + charts.fit(table, width)
