"""One line in plain words under each trends chart: the latest four weeks against the four
before, so a change is read from equal stretches of time rather than from one noisy week.

Periods come in as (sum, count) pairs, oldest first, and windows are combined from the sums, so a
busy week weighs more than a quiet one, exactly as if the attempts had been counted together.
Sentences live in content/trends.toml; this module picks them and fills in the figures.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from efficacy_tui.coach.ladder import counts, percent
from efficacy_tui.content import say

WINDOW = 4  # weeks per window
RECENT_MONTHS = 3
RECENT_DAYS = 28


@dataclass(frozen=True)
class Window:
    total: float
    count: int

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


def windows(periods: Sequence[tuple[float, int]], size: int = WINDOW) -> tuple[Window, Window]:
    """(the latest `size` periods, the `size` before them), each summed."""
    recent = periods[-size:] if size else []
    before = periods[-2 * size : -size] if len(periods) > size else []
    return (Window(sum(t for t, _ in recent), sum(n for _, n in recent)),
            Window(sum(t for t, _ in before), sum(n for _, n in before)))


def change(now: float, before: float) -> str:
    """"up from", "down from" or "the same as", comparing the figures as shown."""
    key = "up" if now > before else "down" if now < before else "same"
    return say(f"trends.change.{key}")


def efficacy_reading(scores: Sequence[tuple[float, int]],
                     confidences: Sequence[tuple[float, int]],
                     successes: Sequence[int] = (), wins: Sequence[int] = ()) -> str:
    """Score (scores summed, 0..1 each, a partial counting half) with the successes and
    partials behind it, and mean confidence beforehand (points summed, 0..100 each), latest 4
    weeks against the 4 before. Periods line up across the four sequences; `wins` are those
    recorded in a check-in or the audit, which are not attempts and are only counted."""
    recent_wins = sum(wins[-WINDOW:])
    wins_part = [say("trends.efficacy.wins", wins=recent_wins)] if recent_wins else []
    if not any(n for _, n in scores):
        return " ".join([say("trends.efficacy.empty"), *wins_part])
    recent, before = windows(scores)
    if recent.mean is None:
        parts = [say("trends.efficacy.score_none")]
    else:
        won = sum(successes[-WINDOW:])
        attempts = (say("trends.efficacy.attempts_one") if recent.count == 1
                    else say("trends.efficacy.attempts_many", count=recent.count))
        figures = {"now": percent(recent.mean), "attempts": attempts,
                   "counts": counts(won, round(2 * (recent.total - won)))}
        if before.mean is None:
            parts = [say("trends.efficacy.score_only", **figures)]
        else:
            was = percent(before.mean)
            parts = [say("trends.efficacy.score_change", **figures, before=was,
                         change=change(figures["now"], was))]
    c_recent, c_before = windows(confidences)
    if c_recent.mean is not None:
        now = round_half_up(c_recent.mean)
        if c_before.mean is not None:
            was = round_half_up(c_before.mean)
            parts.append(say("trends.efficacy.confidence_change", now=now, before=was,
                              change=change(now, was)))
        else:
            parts.append(say("trends.efficacy.confidence_only", now=now))
    return " ".join([*parts, *wins_part])


def round_half_up(value: float) -> int:
    """A mean of 0..100 points as a whole number, halves up: the project's one rounding rule."""
    return percent(value / 100)


def rungs(count: int) -> str:
    return say("trends.mastered.one") if count == 1 else say("trends.mastered.many", count=count)


def mastered_reading(by_month: Sequence[int], total: int) -> str:
    """Rungs mastered in the last three months, and in all."""
    if total == 0:
        return say("trends.mastered.empty")
    return say("trends.mastered.reading", recent=rungs(sum(by_month[-RECENT_MONTHS:])), total=total)


def _one_decimal(value: float) -> str:
    return f"{percent(value / 10) / 10:.1f}"


def checkin_reading(anxiety: Sequence[tuple[float, int]],
                    energy: Sequence[tuple[float, int]]) -> str:
    """Mean anxiety (0-100) and energy (0-10) over the last 4 weeks, against the 4 before."""
    a_recent, a_before = windows(anxiety)
    e_recent, e_before = windows(energy)
    if a_recent.mean is None and e_recent.mean is None:
        return say("trends.checkins.empty")

    def part(recent: Window, before: Window, show: Callable[[float], str]) -> tuple[str, str]:
        if recent.mean is None:
            return "–", ""
        now = show(recent.mean)
        if before.mean is None:
            return now, ""
        was = show(before.mean)
        key = change(float(now), float(was))
        return now, say("trends.checkins.change", change=key, before=was)

    a_now, a_change = part(a_recent, a_before, lambda v: str(round_half_up(v)))
    e_now, e_change = part(e_recent, e_before, _one_decimal)
    return say("trends.checkins.reading", anxiety=a_now, anxiety_change=a_change,
                energy=e_now, energy_change=e_change)


def wins(count: int) -> str:
    if count == 1:
        return say("trends.heatmap.win_one")
    return say("trends.heatmap.win_many", count=count)


def heatmap_reading(days: Sequence[tuple[bool, int]]) -> str:
    """Days oldest first, today last, each (checked in, wins): the last 28 days and the whole
    calendar."""
    recent = days[-RECENT_DAYS:]
    return say(
        "trends.heatmap.reading",
        checkins=sum(1 for checked, _ in recent if checked),
        wins=wins(sum(n for _, n in recent)),
        year_checkins=sum(1 for checked, _ in days if checked),
        year_wins=wins(sum(n for _, n in days)),
    )
