"""Weekly, monthly and daily figures for the review screen's trends, aggregated in SQL.

Each query is bounded to a window (26 weeks, 12 months, 53 weeks for the calendar) and groups
first by the local calendar day, `substr(happened_at, 1, 10)`, which is right because every time
is stored as local ISO text with its offset; only those few hundred day rows are then folded into
weeks by SQLite's date functions. That keeps each read to milliseconds at 100,000 attempts.
Windows come back complete, oldest first, with empty periods present (None or 0), so a chart can
draw a gap instead of silently joining two distant weeks.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from efficacy_tui.store.attempts import RECORDED_WIN
from efficacy_tui.store.core import Store

WEEKS = 26
MONTHS = 12
HEATMAP_WEEKS = 53

# A Monday-based week: back 6 days, then forward to the next Monday (or stay on it).
_WEEK_OF = "date({day}, '-6 days', 'weekday 1')"
# Outcome scores in halves (success 1, partial 0.5, setback 0), as coach/ladder.OUTCOME_SCORE.
_HALVES = "CASE outcome WHEN 'success' THEN 2 WHEN 'partial' THEN 1 ELSE 0 END"


@dataclass(frozen=True)
class WeekEfficacy:
    """One week's recorded attempts: their score and the confidence given beforehand.

    Sums are kept (scores in halves, confidence in points) so several weeks can be combined
    exactly; `score` and `confidence` are the week's means. Wins written down in a check-in or
    the audit are not attempts: they are counted apart, in `wins`, and in no mean."""

    week: str  # the Monday, ISO date
    attempts: int
    halves: int  # sum of scores x 2
    rated: int  # attempts whose confidence was given before the outcome
    points: int  # sum of those confidences
    successes: int = 0
    wins: int = 0  # wins recorded in a check-in or the audit

    @property
    def partials(self) -> int:
        return self.halves - 2 * self.successes

    @property
    def score(self) -> float | None:
        """Mean score 0..1 (a partial counts half), or None for a week without attempts."""
        return self.halves / (2 * self.attempts) if self.attempts else None

    @property
    def confidence(self) -> float | None:
        """Mean confidence 0..100 beforehand, or None for a week without rated attempts."""
        return self.points / self.rated if self.rated else None


@dataclass(frozen=True)
class PeriodCount:
    period: str  # a week's Monday (ISO date) or a month (YYYY-MM)
    count: int


@dataclass(frozen=True)
class CheckinMeans:
    """Anxiety (0-100) and energy (0-10) over a day's or week's check-ins, as sums and counts
    (either may be left blank in a check-in) so periods combine exactly."""

    period: str  # a day or a week's Monday, ISO date
    checkins: int
    anxiety_sum: int
    anxiety_count: int
    energy_sum: int
    energy_count: int

    @property
    def anxiety(self) -> float | None:
        return self.anxiety_sum / self.anxiety_count if self.anxiety_count else None

    @property
    def energy(self) -> float | None:
        return self.energy_sum / self.energy_count if self.energy_count else None


@dataclass(frozen=True)
class DayActivity:
    """One calendar day for the heatmap: was there a check-in, and how many wins."""

    day: str
    checkin: bool
    wins: int


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def week_starts(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, this one last."""
    last = week_start(today)
    return [last - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def month_starts(today: date, months: int) -> list[str]:
    """The last `months` months as YYYY-MM, this one last."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def _until(store: Store) -> str:
    return (store.today() + timedelta(days=1)).isoformat()


_BEFORE = "CASE WHEN confidence_timing = 'before' THEN confidence END"


def _domain_filter(domain_id: int | None) -> tuple[str, list[int]]:
    return ("AND domain_id = ?", [domain_id]) if domain_id is not None else ("", [])


def weekly_efficacy(
    store: Store, domain_id: int | None = None, weeks: int = WEEKS
) -> list[WeekEfficacy]:
    """Per week: recorded attempts, their score, and the mean confidence of those rated
    beforehand (a confidence recalled after the outcome is left out); wins recorded in a
    check-in or the audit are counted apart and kept out of both means."""
    starts = week_starts(store.today(), weeks)
    where, params = _domain_filter(domain_id)
    # Grouped by day and by whether the row is a recorded win, so the per-row work stays as
    # light as a plain count; only the few hundred day rows are then split and folded into weeks.
    rows = store.conn.execute(
        f"SELECT {_WEEK_OF.format(day='day')} AS week,"
        " sum(CASE WHEN win THEN 0 ELSE n END), sum(CASE WHEN win THEN 0 ELSE halves END),"
        " sum(CASE WHEN win THEN 0 ELSE rated END), sum(CASE WHEN win THEN 0 ELSE points END),"
        " sum(CASE WHEN win THEN 0 ELSE successes END), sum(CASE WHEN win THEN successes END)"
        " FROM ("
        f"  SELECT substr(happened_at, 1, 10) AS day, {RECORDED_WIN} AS win, count(*) AS n,"
        f"  sum({_HALVES}) AS halves, count({_BEFORE}) AS rated,"
        f"   coalesce(sum({_BEFORE}), 0) AS points, sum(outcome = 'success') AS successes"
        "  FROM attempts WHERE outcome IS NOT NULL AND deleted_at IS NULL"
        f"  AND happened_at >= ? AND happened_at < ? {where} GROUP BY day, win"
        ") GROUP BY week",
        [starts[0].isoformat(), _until(store), *params],
    ).fetchall()
    found = {r[0]: (*r[1:6], r[6] or 0) for r in rows}
    return [
        WeekEfficacy(start.isoformat(), *found.get(start.isoformat(), (0, 0, 0, 0, 0, 0)))
        for start in starts
    ]


def mastered_by_month(
    store: Store, domain_id: int | None = None, months: int = MONTHS
) -> list[PeriodCount]:
    """Rungs mastered in each of the last `months` months (by `rungs.mastered_at`)."""
    periods = month_starts(store.today(), months)
    where, params = _domain_filter(domain_id)
    rows = store.conn.execute(
        "SELECT substr(mastered_at, 1, 7) AS month, count(*) FROM rungs "
        "WHERE status = 'mastered' AND mastered_at IS NOT NULL AND deleted_at IS NULL "
        f"AND mastered_at >= ? AND mastered_at < ? {where} GROUP BY month",
        [periods[0], _until(store), *params],
    ).fetchall()
    found = dict(rows)
    return [PeriodCount(p, found.get(p, 0)) for p in periods]


def mastered_by_week(
    store: Store, domain_id: int | None = None, weeks: int = WEEKS
) -> list[PeriodCount]:
    """Rungs mastered in each of the last `weeks` weeks."""
    starts = week_starts(store.today(), weeks)
    where, params = _domain_filter(domain_id)
    week = _WEEK_OF.format(day="substr(mastered_at, 1, 10)")
    rows = store.conn.execute(
        f"SELECT {week} AS week, count(*) FROM rungs "
        "WHERE status = 'mastered' AND mastered_at IS NOT NULL AND deleted_at IS NULL "
        f"AND mastered_at >= ? AND mastered_at < ? {where} GROUP BY week",
        [starts[0].isoformat(), _until(store), *params],
    ).fetchall()
    found = dict(rows)
    return [PeriodCount(s.isoformat(), found.get(s.isoformat(), 0)) for s in starts]


def mastered_total(store: Store, domain_id: int | None = None) -> int:
    """Rungs mastered, ever."""
    where, params = _domain_filter(domain_id)
    return store.scalar(
        "SELECT count(*) FROM rungs WHERE status = 'mastered' AND deleted_at IS NULL "
        f"{where}",
        params,
    )


def checkin_trend(store: Store, by: str = "week", count: int = WEEKS) -> list[CheckinMeans]:
    """Mean anxiety and energy per week (the last `count` weeks) or per day (the last `count`
    days). Check-ins belong to the day, not to a domain."""
    today = store.today()
    if by == "week":
        periods = [s.isoformat() for s in week_starts(today, count)]
        bucket = _WEEK_OF.format(day="day")
    elif by == "day":
        periods = [(today - timedelta(days=back)).isoformat() for back in range(count - 1, -1, -1)]
        bucket = "day"
    else:
        raise ValueError(f"by must be 'week' or 'day', not {by!r}")
    rows = store.conn.execute(
        f"SELECT {bucket} AS period, count(*), coalesce(sum(anxiety), 0), count(anxiety), "
        "coalesce(sum(energy), 0), count(energy) FROM checkins "
        "WHERE deleted_at IS NULL AND day >= ? AND day <= ? GROUP BY period",
        [periods[0], today.isoformat()],
    ).fetchall()
    found = {r[0]: r[1:] for r in rows}
    return [CheckinMeans(p, *found.get(p, (0, 0, 0, 0, 0))) for p in periods]


def heatmap_days(
    store: Store, domain_id: int | None = None, weeks: int = HEATMAP_WEEKS
) -> list[DayActivity]:
    """Every day from the Monday `weeks` weeks back to today: whether there was a check-in and
    how many successes (wins) happened that day, in the domain when one is given."""
    today = store.today()
    first = week_starts(today, weeks)[0]
    where, params = _domain_filter(domain_id)
    checked = {
        r[0] for r in store.conn.execute(
            "SELECT day FROM checkins WHERE deleted_at IS NULL AND day >= ? AND day <= ?",
            [first.isoformat(), today.isoformat()],
        )
    }
    wins = dict(store.conn.execute(
        "SELECT substr(happened_at, 1, 10) AS day, count(*) FROM attempts "
        "WHERE outcome = 'success' AND deleted_at IS NULL AND happened_at >= ? "
        f"AND happened_at < ? {where} GROUP BY day",
        [first.isoformat(), _until(store), *params],
    ).fetchall())
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    return [
        DayActivity(d.isoformat(), d.isoformat() in checked, wins.get(d.isoformat(), 0))
        for d in days
    ]


@dataclass(frozen=True)
class TrendsData:
    """Everything the trends tab draws, for all domains (domain_id None) or one."""

    today: str
    domain_id: int | None
    efficacy: list[WeekEfficacy]
    mastered: list[PeriodCount]  # by month
    mastered_total: int
    checkins: list[CheckinMeans]  # by week
    days: list[DayActivity]


def trends_data(store: Store, domain_id: int | None = None) -> TrendsData:
    """The trends tab's figures, read in one go."""
    return TrendsData(
        today=store.today().isoformat(),
        domain_id=domain_id,
        efficacy=weekly_efficacy(store, domain_id),
        mastered=mastered_by_month(store, domain_id),
        mastered_total=mastered_total(store, domain_id),
        checkins=checkin_trend(store),
        days=heatmap_days(store, domain_id),
    )
