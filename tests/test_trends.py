"""The review screen's Trends and Calibration tabs: SQL aggregates checked against a database
built by hand, the plain-words readings, and both panes mounted in a small app at 80x24 and
120x40, with the calibration figures checked against `efficacy stats --format json`."""

import math
import re
from datetime import date, datetime, timedelta

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Select, Static

from efficacy_tui.coach import trends as readings
from efficacy_tui.coach.checkin import CheckinEntry
from efficacy_tui.content import say
from efficacy_tui.figures import stats as gather
from efficacy_tui.store import attempts, checkins, ladder, trends
from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.ui.widgets.calibration_chart import CalibrationPane
from efficacy_tui.ui.widgets.chart import Chart
from efficacy_tui.ui.widgets.trends import TrendsPane

from conftest import NOW, Clock

SIZES = [(80, 24), (120, 40)]


def at(*parts: int) -> str:
    """A local time as the store writes it: ISO 8601 with the offset of that moment."""
    return datetime(*parts).astimezone().isoformat()


def attempt(store, domain, when, outcome, confidence=None):
    """An attempt; one with a confidence was planned with it and its outcome recorded later,
    so the confidence is a prediction."""
    if confidence is None or outcome is None:
        return attempts.add_attempt(store, domain_id=domain.id, title="Try", happened_at=when,
                                    outcome=outcome, confidence=confidence)
    planned = attempts.add_attempt(store, domain_id=domain.id, title="Try", happened_at=when,
                                   outcome=None, confidence=confidence)
    return attempts.record_outcome(store, planned.id, outcome=outcome, effort=None,
                                   what_i_did="", note="")


def checkin(store, day, anxiety, energy):
    checkins.save_checkin(store, CheckinEntry(
        day=day, sleep_hours=7, energy=energy, anxiety=anxiety, focus_domain="",
        focus_rung="", focus_confidence=None, win_title="", win_did="", if_situation="",
        then_action=""))


@pytest.fixture
def history(store, clock):
    """Two domains. Now is Thursday 26 Nov 2026; this week began Monday 23 Nov."""
    running = ladder.add_domain(store, "Running")
    spanish = ladder.add_domain(store, "Spanish")
    # week of 16 Nov: success (60), partial (40), setback late on Sunday (no confidence)
    attempt(store, running, at(2026, 11, 16, 10), "success", 60)
    attempt(store, running, at(2026, 11, 18, 19), "partial", 40)
    attempt(store, running, at(2026, 11, 22, 23, 30), "setback")
    deleted = attempt(store, running, at(2026, 11, 17, 9), "success", 80)
    with store.transaction():
        store.db["attempts"].update(deleted.id, {"deleted_at": store.stamp()})
    attempt(store, running, at(2026, 11, 27, 9), None, 90)  # planned: no outcome yet
    # week of 23 Nov: a success just after midnight on Monday, a setback in Spanish
    attempt(store, running, at(2026, 11, 23, 0, 10), "success", 100)
    attempt(store, spanish, at(2026, 11, 24, 12), "setback", 20)
    # 00:30 on Monday 6 July is still Sunday 5 July in UTC (summer time): it counts on Monday
    attempt(store, running, at(2026, 7, 6, 0, 30), "success", 70)
    attempt(store, running, at(2026, 3, 2, 12), "success", 50)  # before the 26-week window

    rungs = [ladder.add_rung(store, running.id, f"Step {n}", "", 20 + 10 * n) for n in range(4)]
    ladder.add_rung(store, spanish.id, "Hola", "", 20)
    for rung, moment in zip(rungs, [(2026, 9, 10, 8), (2026, 11, 2, 8), (2026, 11, 20, 8),
                                    (2026, 11, 21, 8)], strict=True):
        clock.at(datetime(*moment))
        ladder.accept_advance(store, rung.id)
    ladder.delete_rung(store, rungs[3].id)  # mastered, then deleted: not counted
    clock.at(datetime(2026, 11, 21, 9))
    ladder.accept_advance(store, ladder.ladder_lines(store, spanish.id)[0].rung.id)
    checkin(store, "2026-11-24", 40, 6)
    checkin(store, "2026-11-25", 60, None)
    checkin(store, "2026-11-10", 80, 2)
    clock.at(NOW)
    return running, spanish


# -- store ---------------------------------------------------------------------------------------


def test_weekly_score_and_confidence_for_all_domains(store, history):
    weeks = trends.weekly_efficacy(store)
    assert len(weeks) == 26
    assert weeks[0].week == "2026-06-01" and weeks[-1].week == "2026-11-23"
    by_week = {w.week: w for w in weeks}
    this, last = by_week["2026-11-23"], by_week["2026-11-16"]
    assert (this.attempts, this.score, this.rated, this.confidence) == (2, 0.5, 2, 60)
    # the deleted and the planned attempt are left out; the setback without a confidence
    # counts for the score but not for the mean confidence
    assert (last.attempts, last.score, last.rated, last.confidence) == (3, 0.5, 2, 50)
    assert (last.successes, last.partials, last.wins) == (1, 1, 0)
    assert by_week["2026-07-06"].attempts == 1 and by_week["2026-06-29"].attempts == 0
    assert by_week["2026-11-09"].score is None and by_week["2026-11-09"].confidence is None
    assert sum(w.attempts for w in weeks) == 6  # March is outside the window


def test_weekly_figures_for_one_domain(store, history):
    running, spanish = history
    this = trends.weekly_efficacy(store, running.id)[-1]
    assert (this.attempts, this.score, this.confidence) == (1, 1.0, 100)
    other = trends.weekly_efficacy(store, spanish.id)
    assert [(w.attempts, w.score, w.confidence) for w in other if w.attempts] == [(1, 0.0, 20)]


def test_rungs_mastered_by_month_and_week(store, history):
    running, spanish = history
    months = trends.mastered_by_month(store)
    assert len(months) == 12 and months[0].period == "2025-12" and months[-1].period == "2026-11"
    assert {m.period: m.count for m in months if m.count} == {"2026-09": 1, "2026-11": 3}
    assert {m.period: m.count for m in trends.mastered_by_month(store, running.id)
            if m.count} == {"2026-09": 1, "2026-11": 2}
    weeks = {w.period: w.count for w in trends.mastered_by_week(store) if w.count}
    assert weeks == {"2026-09-07": 1, "2026-11-02": 1, "2026-11-16": 2}
    assert trends.mastered_total(store) == 4 and trends.mastered_total(store, spanish.id) == 1


def test_checkin_anxiety_and_energy_by_week_and_day(store, history):
    weeks = {w.period: w for w in trends.checkin_trend(store)}
    this = weeks["2026-11-23"]
    assert (this.checkins, this.anxiety, this.energy) == (2, 50, 6)  # energy left blank once
    assert (weeks["2026-11-09"].anxiety, weeks["2026-11-09"].energy) == (80, 2)
    assert weeks["2026-11-16"].checkins == 0 and weeks["2026-11-16"].anxiety is None
    days = trends.checkin_trend(store, by="day", count=3)
    assert [(d.period, d.anxiety, d.energy) for d in days] == [
        ("2026-11-24", 40, 6), ("2026-11-25", 60, None), ("2026-11-26", None, None)]


def test_heatmap_counts_checkins_and_wins_per_local_day(store, history):
    running, spanish = history
    days = trends.heatmap_days(store)
    assert days[0].day == "2025-11-24" and days[-1].day == "2026-11-26"
    assert len(days) == 52 * 7 + 4
    found = {d.day: (d.checkin, d.wins) for d in days if d.checkin or d.wins}
    assert found == {
        "2026-03-02": (False, 1), "2026-07-06": (False, 1), "2026-11-10": (True, 0),
        "2026-11-16": (False, 1), "2026-11-23": (False, 1), "2026-11-24": (True, 0),
        "2026-11-25": (True, 0),
    }
    only_spanish = {d.day for d in trends.heatmap_days(store, spanish.id) if d.wins}
    assert only_spanish == set()


def test_an_empty_database_gives_empty_windows(store):
    data = trends.trends_data(store)
    assert len(data.efficacy) == 26 and not any(w.attempts for w in data.efficacy)
    assert data.mastered_total == 0 and not any(d.checkin or d.wins for d in data.days)


# -- readings ------------------------------------------------------------------------------------


def test_efficacy_reading_compares_four_weeks_with_the_four_before():
    scores = [(0, 0)] * 4 + [(3, 5)] * 4 + [(4, 5)] * 4
    confidence = [(0, 0)] * 8 + [(240, 4)] * 4
    successes = [0] * 4 + [3] * 4 + [3] * 4
    assert readings.efficacy_reading(scores, confidence, successes) == (
        "Score over the last 4 weeks 80% (12 successes, 8 partials of 20 attempts), up from 60% "
        "in the 4 weeks before. Confidence beforehand 60%.")
    assert readings.efficacy_reading([(0, 0)] * 26, []) == load_text("efficacy", "empty")
    one = [(0, 0)] * 11 + [(0.5, 1)]
    assert readings.efficacy_reading(one, [], [0] * 12, [0] * 11 + [2]) == (
        "Score over the last 4 weeks 50% (0 successes, 1 partial of 1 attempt). "
        "Wins recorded in check-ins and the audit in the last 4 weeks: 2, not counted in the "
        "score.")


def test_checkin_and_heatmap_readings():
    anxiety = [(50, 1)] * 4 + [(120, 3)] * 4
    energy = [(5, 1)] * 4 + [(19, 3)] * 4
    assert readings.checkin_reading(anxiety, energy) == (
        "Over the last 4 weeks anxiety averaged 40, down from 50; energy 6.3/10, up from 5.0.")
    days = [(True, 2)] * 300 + [(False, 0)] * 20 + [(True, 1)] * 8
    assert readings.heatmap_reading(days) == (
        "Checked in on 8 of the last 28 days, with 8 successes in that time; 308 check-ins and "
        "608 successes over the whole calendar.")
    assert readings.mastered_reading([1, 0, 0, 0], 1) == (
        "0 rungs mastered in the last 3 months; 1 in all.")


def load_text(section: str, key: str) -> str:
    from efficacy_tui.content import say

    return say("trends")[section][key]


# -- the panes, mounted --------------------------------------------------------------------------


class PaneApp(App):
    """The smallest host for a pane: an app with a `store`, composing only the pane."""

    def __init__(self, store, pane: type) -> None:
        super().__init__()
        self.store = store
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane()


async def settle(app, pilot) -> None:
    """Let the pane's worker read the figures and the pane paint them."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def shown(widget) -> str:
    return str(widget.render())


@pytest.fixture
def demo_store(tmp_path):
    store = open_store(tmp_path / "demo.db", clock=Clock(NOW))
    build_demo(store, days=120, attempts=360, seed=3)
    yield store
    store.close()


def numbers(line: str) -> tuple[float, float, int]:
    brier, bias, rated = re.search(
        r"Brier score (\d\.\d{3}) · bias ([+-]\d\.\d{3}) · ([\d,]+) rated", line).groups()
    return float(brier), float(bias), int(rated.replace(",", ""))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_calibration_pane_shows_the_figures_of_efficacy_stats(demo_store, size):
    stats = gather(demo_store)
    app = PaneApp(demo_store, CalibrationPane)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        pane = app.query_one(CalibrationPane)
        line = shown(pane.query_one("#calibration-figures", Static))
        overall = stats["overall"]
        assert numbers(line) == (overall["brier"], overall["bias"], overall["rated_attempts"])
        assert shown(pane.query_one("#calibration-sentence", Static)) == (
            overall["calibration"]["sentence"])
        table = pane.query_one("#calibration-by-domain", Chart).text
        for d in stats["domains"]:
            assert re.search(rf"{d['name']}\s+{d['rated_attempts']}\s+{d['brier']:.3f}\s+"
                             rf"{d['bias']:+.3f}", table)
        select = pane.query_one("#calibration-scope", Select)
        for domain, figures in zip(pane.per_domain, stats["domains"], strict=True):
            select.value = domain[0].id
            await pilot.pause()
            line = shown(pane.query_one("#calibration-figures", Static))
            assert numbers(line) == (figures["brier"], figures["bias"], figures["rated_attempts"])
            assert domain[0].name in shown(pane.query_one("#calibration-title", Static))
        plot = pane.query_one("#calibration-plot", Chart)
        assert plot.display and "100%" in plot.text and "predicted" in plot.text
        assert all(len(row) <= plot.content_size.width for row in plot.text.splitlines())
        assert plot.content_size.width <= size[0]


async def test_calibration_pane_says_when_there_are_too_few_rated_attempts(store):
    running = ladder.add_domain(store, "Running")
    for n in range(4):
        attempt(store, running, at(2026, 11, 20 + n, 9), "success", 50)
    app = PaneApp(store, CalibrationPane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(CalibrationPane)
        title = shown(pane.query_one("#calibration-title", Static))
        assert title == "Not enough rated attempts yet."
        assert "(4 so far)" in shown(pane.query_one("#calibration-sentence", Static))
        assert not pane.query_one("#calibration-plot", Chart).display
        assert not pane.query_one("#calibration-figures", Static).display
        assert not pane.query_one("#calibration-early", Static).display
        for n in range(8):
            attempt(store, running, at(2026, 11, 10 + n, 9), "partial", 70)
        pane.refresh_data()
        await settle(app, pilot)
        early = pane.query_one("#calibration-early", Static)
        assert early.display and "early estimate" in shown(early)
        assert "(early estimate: 12 rated attempts)" in shown(
            pane.query_one("#calibration-sentence", Static))
        assert pane.query_one("#calibration-plot", Chart).display


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_trends_pane_draws_every_chart_with_a_reading(demo_store, size):
    app = PaneApp(demo_store, TrendsPane)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        pane = app.query_one(TrendsPane)
        assert not pane.query_one("#trends-status").display
        for key in ("efficacy", "mastered", "checkins", "heatmap"):
            chart = pane.query_one(f"#trends-{key}-chart", Chart)
            assert chart.display and chart.text
            assert all(len(row) <= chart.content_size.width for row in chart.text.splitlines())
            assert chart.content_size.width <= size[0]
            assert shown(pane.query_one(f"#trends-{key}-title", Static))
        reading = shown(pane.query_one("#trends-efficacy-reading", Static))
        assert reading.startswith("Score over the last 4 weeks")
        efficacy = pane.query_one("#trends-efficacy-chart", Chart).text
        assert "100%" in efficacy and "50%" in efficacy and "23 Nov" in efficacy
        assert "· no data that week" not in efficacy  # it starts when the demo began
        heatmap = pane.query_one("#trends-heatmap-chart", Chart).text
        assert "Mon" in heatmap and "Sun" in heatmap and "█ check-in and a success" in heatmap


async def test_choosing_a_domain_redraws_the_trends_for_it(demo_store):
    app = PaneApp(demo_store, TrendsPane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(TrendsPane)
        everything = pane.data
        select = pane.query_one("#trends-domain", Select)
        domain = pane.domain_list[1]
        select.value = domain.id
        await pilot.pause()
        await settle(app, pilot)
        assert pane.data.domain_id == domain.id
        assert pane.data.efficacy == trends.weekly_efficacy(demo_store, domain.id)
        assert pane.data.efficacy != everything.efficacy
        assert domain.name in shown(pane.query_one("#trends-heatmap-title", Static))
        select.value = "all"
        await pilot.pause()
        await settle(app, pilot)
        assert pane.data.domain_id is None


async def test_trends_pane_on_an_empty_database_explains_what_to_do(store):
    app = PaneApp(store, TrendsPane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(TrendsPane)
        assert shown(pane.query_one("#trends-efficacy-reading", Static)) == load_text(
            "efficacy", "empty")
        assert not pane.query_one("#trends-efficacy-chart", Chart).display
        assert not pane.query_one("#trends-mastered-chart", Chart).display
        assert not pane.query_one("#trends-checkins-chart", Chart).display
        assert pane.query_one("#trends-heatmap-chart", Chart).display


async def test_a_domain_name_is_shown_as_written_never_as_markup(store):
    odd = ladder.add_domain(store, "Talks [bold]x[/] [/]")
    attempt(store, odd, at(2026, 11, 24, 9), "success", 50)
    app = PaneApp(store, TrendsPane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(TrendsPane)
        pane.query_one("#trends-domain", Select).value = odd.id
        await pilot.pause()
        await settle(app, pilot)
        assert "Talks [bold]x[/] [/]" in shown(pane.query_one("#trends-heatmap-title", Static))


async def test_refresh_data_picks_up_new_attempts_and_domains(store):
    app = PaneApp(store, TrendsPane)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(TrendsPane)
        assert pane.domain_list == []
        running = ladder.add_domain(store, "Running")
        attempt(store, running, at(2026, 11, 25, 9), "success", 80)
        pane.refresh_data()
        await settle(app, pilot)
        assert [d.name for d in pane.domain_list] == ["Running"]
        assert pane.data.efficacy[-1].attempts == 1
        assert pane.query_one("#trends-efficacy-chart", Chart).display


class TabbedApp(App):
    """Both panes in tabs, as the review screen holds them."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        with TabbedContent():
            with TabPane("Trends", id="trends"):
                yield TrendsPane()
            with TabPane("Calibration", id="calibration"):
                yield CalibrationPane()


async def test_both_panes_draw_at_full_width_inside_tabs(demo_store):
    from textual.widgets import TabbedContent

    app = TabbedApp(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        efficacy = app.query_one("#trends-efficacy-chart", Chart)
        assert efficacy.content_size.width > 100 and "23 Nov" in efficacy.text
        app.query_one(TabbedContent).active = "calibration"
        await pilot.pause()
        await pilot.pause()
        plot = app.query_one("#calibration-plot", Chart)
        assert plot.content_size.width > 100
        assert "Confidence" in plot.text and "predicted" in plot.text  # table beside the plot


# -- the check-in chart, point by point ----------------------------------------------------------

CHECKIN_MARKS = {"■": ("anxiety",), "□": ("energy",), "◉": ("anxiety", "energy"), "·": ()}


def plotted_weeks(chart: str) -> list[dict[str, int]]:
    """The check-in chart read back: per week column, oldest first, the row (0 at the top) each
    series is drawn on; a column of "·" alone is a week drawn as having no data."""
    lines = chart.splitlines()
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[axis].index("└") + 1, lines[axis].index("┘")
    columns: dict[int, dict[str, int]] = {}
    for row, line in enumerate(lines[:axis]):
        for col in range(left, right):
            mark = line[col] if col < len(line) else " "
            if mark in CHECKIN_MARKS:
                drawn = columns.setdefault(col, {})
                drawn.update({name: row for name in CHECKIN_MARKS[mark]})
    return [columns[col] for col in sorted(columns)]


def week_means_in_sql(store, monday: date) -> tuple[float | None, float | None]:
    return store.conn.execute(
        "SELECT avg(anxiety), avg(energy) FROM checkins WHERE deleted_at IS NULL "
        "AND day >= ? AND day < ?",
        [monday.isoformat(), (monday + timedelta(days=7)).isoformat()]).fetchone()


def row_of(fraction: float, height: int = 9) -> int:
    return height - 1 - math.floor(min(1.0, max(0.0, fraction)) * (height - 1) + 0.5)


async def assert_checkin_chart_matches_sql(store, size) -> int:
    """Every week on the chart, counted back from this week on the right, is drawn at its own
    mean anxiety and energy, as SQL averages them; labels name the week under them."""
    app = PaneApp(store, TrendsPane)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        chart = app.query_one("#trends-checkins-chart", Chart).text
    weeks = plotted_weeks(chart)
    this_monday = NOW.date() - timedelta(days=NOW.weekday())
    with_data = 0
    for back, drawn in enumerate(reversed(weeks)):
        monday = this_monday - timedelta(weeks=back)
        anxiety, energy = week_means_in_sql(store, monday)
        expected = {}
        if anxiety is not None:
            expected["anxiety"] = row_of(anxiety / 100)
        if energy is not None:
            expected["energy"] = row_of(energy / 10)
        assert drawn == expected, f"week of {monday}"
        with_data += bool(expected)
    lines = chart.splitlines()
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    ticks = [c for c, ch in enumerate(lines[axis]) if ch == "┬"]
    text = say("trends.axis")
    columns = sorted({c for line in lines[:axis] for c, ch in enumerate(line)
                      if ch in CHECKIN_MARKS and c > lines[axis].index("└")})
    for col in ticks[:-1]:  # the latest label may be shifted left to fit
        monday = this_monday - timedelta(weeks=len(columns) - 1 - columns.index(col))
        label = text["week"].format(day=monday.day, month=text["months"][monday.month - 1])
        assert lines[axis + 1][col:col + len(label)] == label
    return with_data


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_one_checkin_today_is_drawn_at_this_week(store, size):
    checkin(store, NOW.date().isoformat(), 30, 7)
    assert await assert_checkin_chart_matches_sql(store, size) == 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_scattered_checkins_are_drawn_at_their_own_weeks(store, size):
    for day, anxiety, energy in [("2026-08-24", 90, 2), ("2026-08-26", 70, 4),
                                 ("2026-09-01", 10, 9), ("2026-10-20", 50, 5),
                                 ("2026-11-24", 20, 8)]:
        checkin(store, day, anxiety, energy)
    assert await assert_checkin_chart_matches_sql(store, size) == 4


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_demo_checkin_chart_matches_sql_week_by_week(demo_store, size):
    assert await assert_checkin_chart_matches_sql(demo_store, size) > 4
