"""The review screen's Trends tab: the efficacy trajectory, rungs mastered, check-in anxiety and
energy, and a calendar of check-ins and wins, for all domains or one.

Each chart has a title and one line in plain words, and reads without colour. The figures come
from store/trends.py in a worker thread on a second, read-only connection, because a year of
100,000 attempts takes tens of milliseconds to aggregate and the screen must not wait for it.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Select, Static

from efficacy_tui import stamps
from efficacy_tui.coach import charts
from efficacy_tui.coach import trends as readings
from efficacy_tui.content import say
from efficacy_tui.records import Domain
from efficacy_tui.store import domains, trends
from efficacy_tui.store.core import Store
from efficacy_tui.ui.widgets.chart import Chart, Draw
from efficacy_tui.ui.widgets.figures_pane import FiguresPane, Reading

ALL = "all"
SECTIONS = ("efficacy", "mastered", "checkins", "heatmap")
ENERGY_TICKS = ((0.0, "0"), (0.5, "5"), (1.0, "10"))
# The fewest periods a chart shows when the history is shorter than its window.
MIN_WEEKS, MIN_MONTHS = 8, 4
ANXIETY_TICKS = ((0.0, "0"), (0.5, "50"), (1.0, "100"))


def week_label(start: str, text: dict) -> str:
    day = date.fromisoformat(start)
    return text["axis"]["week"].format(day=day.day, month=text["axis"]["months"][day.month - 1])


def month_label(period: str, text: dict) -> str:
    return text["axis"]["months"][int(period[5:7]) - 1]


class TrendsPane(FiguresPane):
    """Trends for the domain chosen in the selector ("All domains" to begin with)."""

    DEFAULT_CSS = """
    TrendsPane {
        padding: 0 1;
    }
    TrendsPane #trends-top {
        height: 1;
        margin: 0 0 1 0;
    }
    TrendsPane #trends-top Label {
        padding: 0 1 0 0;
    }
    TrendsPane #trends-domain {
        width: 40;
    }
    TrendsPane .chart-title {
        text-style: bold;
    }
    TrendsPane .chart-reading {
        margin: 0 0 1 0;
    }
    TrendsPane Chart {
        margin: 0 0 1 0;
    }
    """

    @dataclass
    class Loaded(Message):
        """The figures for one domain (or all), read in the worker."""

        data: trends.TrendsData
        domain_list: list[Domain]
        request: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = say("trends")
        self.domain_id: int | None = None
        self.domain_list: list[Domain] = []
        self.data: trends.TrendsData | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="trends-top"):
            yield Label(self.text["domain_label"])
            yield Select([(Text(self.text["all_domains"]), ALL)], allow_blank=False,
                         compact=True, id="trends-domain")
        yield Static(self.text["loading"], id="trends-status")
        for key in SECTIONS:
            yield Static(classes="chart-title", id=f"trends-{key}-title")
            yield Static(classes="chart-reading", id=f"trends-{key}-reading")
            yield Chart(id=f"trends-{key}-chart")

    def on_mount(self) -> None:
        for key in SECTIONS:
            self.query_one(f"#trends-{key}-title", Static).display = False
            self.query_one(f"#trends-{key}-reading", Static).display = False
        self.refresh_data()

    def _reading(self) -> Reading:
        return partial(self._read, self.domain_id)

    def _read(self, domain_id: int | None, store: Store, request: int) -> Loaded:
        domain_list = domains.list_domains(store)
        if domain_id is not None and all(d.id != domain_id for d in domain_list):
            domain_id = None
        return self.Loaded(trends.trends_data(store, domain_id), domain_list, request)

    @on(FiguresPane.Failed)
    def _failed(self, event: FiguresPane.Failed) -> None:
        status = self.query_one("#trends-status", Static)
        status.update(Content(self.text["failed"].format(error=event.error)))
        status.display = True

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.request != self._request:
            return
        self.data = event.data
        self.domain_id = event.data.domain_id
        self._set_domains(event.domain_list)
        self.query_one("#trends-status", Static).display = False
        self._paint()

    def _set_domains(self, domain_list: list[Domain]) -> None:
        select = self.query_one("#trends-domain", Select)
        if [(d.id, d.name) for d in domain_list] != [(d.id, d.name) for d in self.domain_list]:
            self.domain_list = domain_list
            options: list[tuple[Text, str | int]] = [(Text(self.text["all_domains"]), ALL)]
            options += [(Text(d.name), d.id) for d in domain_list]
            with select.prevent(Select.Changed):
                select.set_options(options)
        wanted = ALL if self.domain_id is None else self.domain_id
        if select.value != wanted:
            with select.prevent(Select.Changed):
                select.value = wanted

    @on(Select.Changed, "#trends-domain")
    def _domain_chosen(self, event: Select.Changed) -> None:
        event.stop()
        chosen = event.value if isinstance(event.value, int) else None  # else all domains
        if chosen != self.domain_id:
            self.domain_id = chosen
            self.refresh_data()

    def _section(self, key: str, title: str, reading: str, draw: Draw | None) -> None:
        head = self.query_one(f"#trends-{key}-title", Static)
        head.update(Content(title))
        head.display = True
        line = self.query_one(f"#trends-{key}-reading", Static)
        line.update(Content(reading))
        line.display = True
        chart = self.query_one(f"#trends-{key}-chart", Chart)
        chart.show(draw)
        chart.display = draw is not None

    def _paint(self) -> None:
        data, text = self.data, self.text
        assert data is not None
        self._paint_efficacy(data, text)
        self._paint_mastered(data, text)
        self._paint_checkins(data, text)
        self._paint_heatmap(data, text)

    def _paint_efficacy(self, data: trends.TrendsData, text: dict) -> None:
        t = text["efficacy"]
        weeks = data.efficacy
        reading = readings.efficacy_reading(
            [(w.halves / 2, w.attempts) for w in weeks], [(w.points, w.rated) for w in weeks],
            [w.successes for w in weeks], [w.wins for w in weeks])
        weeks = charts.from_first(weeks, lambda w: w.attempts > 0, MIN_WEEKS)
        labels = [week_label(w.week, text) for w in weeks]
        series = [
            charts.Series(t["score"], "●", [w.score for w in weeks]),
            charts.Series(t["confidence"], "○",
                          [None if w.confidence is None else w.confidence / 100 for w in weeks]),
        ]
        has_data = any(w.attempts for w in weeks)
        self._section("efficacy", t["title"], reading, (lambda width: charts.line_chart(
            series, labels, width, both_label=text["axis"]["both"],
            gap_label=text["axis"]["no_week"])) if has_data else None)

    def _paint_mastered(self, data: trends.TrendsData, text: dict) -> None:
        t = text["mastered"]
        reading = readings.mastered_reading([m.count for m in data.mastered], data.mastered_total)
        months = charts.from_first(data.mastered, lambda m: m.count > 0, MIN_MONTHS)
        counts = [m.count for m in months]
        labels = [month_label(m.period, text) for m in months]
        self._section("mastered", t["title"], reading, (lambda width: charts.bar_chart(
            counts, labels, width, gap_label=text["axis"]["no_month"]))
            if data.mastered_total else None)

    def _paint_checkins(self, data: trends.TrendsData, text: dict) -> None:
        t = text["checkins"]
        weeks = data.checkins
        reading = readings.checkin_reading(
            [(w.anxiety_sum, w.anxiety_count) for w in weeks],
            [(w.energy_sum, w.energy_count) for w in weeks])
        weeks = charts.from_first(weeks, lambda w: w.checkins > 0, MIN_WEEKS)
        labels = [week_label(w.period, text) for w in weeks]
        series = [
            charts.Series(t["anxiety"], "■", [None if w.anxiety is None else w.anxiety / 100
                                             for w in weeks]),
            charts.Series(t["energy"], "□", [None if w.energy is None else w.energy / 10
                                            for w in weeks]),
        ]
        has_data = any(w.checkins for w in weeks)
        self._section("checkins", t["title"], reading, (lambda width: charts.line_chart(
            series, labels, width, left=ANXIETY_TICKS, right=ENERGY_TICKS,
            both_label=text["axis"]["both"], gap_label=text["axis"]["no_week"]))
            if has_data else None)

    def _paint_heatmap(self, data: trends.TrendsData, text: dict) -> None:
        t = text["heatmap"]
        name = next((d.name for d in self.domain_list if d.id == data.domain_id), None)
        title = t["title_domain"].format(domain=name) if name else t["title"]
        days = data.days
        reading = readings.heatmap_reading([(d.checkin, d.wins) for d in days])
        read = {d.day: stamps.day(d.day) for d in days}  # a day that names none is left out
        checked = {day for d in days if d.checkin and (day := read[d.day]) is not None}
        wins = {day: d.wins for d in days if d.wins and (day := read[d.day]) is not None}
        end = date.fromisoformat(data.today)
        key = [(charts.NOTHING, t["nothing"]), (charts.CHECKIN, t["checkin"]),
               (charts.WIN, t["win"]), (charts.CHECKIN_AND_WIN, t["both"])]

        def draw(width: int) -> list[str]:
            grid = charts.heatmap(end, checked, wins, width, text["axis"]["days"],
                                  text["axis"]["months"], weeks=trends.HEATMAP_WEEKS)
            return grid + charts.legend(key, width)

        self._section("heatmap", title, reading, draw)

