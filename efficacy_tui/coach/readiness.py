"""The readiness walkthrough's rules: which evidence, model and feedback to show, and how a
change in a rating or the time to a performance is said in plain words.

Mastery evidence is the strongest source of self-efficacy, and the hardest past successes are
the most persuasive, so they come first (Bandura 1997). Values in, values out: no SQL, no Textual.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from efficacy_tui import stamps
from efficacy_tui.content import say

TYPE_CHECKING = False  # not typing's: `efficacy nudge` reads this module and never loads typing
if TYPE_CHECKING:
    from typing import TypeVar

    from efficacy_tui.records import Evidence, Feedback, RoleModel

    T = TypeVar("T")

EVIDENCE_SHOWN = 3
_NEAR = timedelta(hours=6)  # closer than this, a time is said as hours and minutes from now


def moment(stamp: str | None) -> float:
    """An ISO stamp as seconds since the epoch, so stamps with different offsets compare as the
    moments they are; a missing or unreadable stamp sorts as the oldest."""
    found = stamps.moment(stamp)
    return found.timestamp() if found is not None else float("-inf")


def order_evidence(items: Iterable["Evidence"], limit: int = EVIDENCE_SHOWN) -> list["Evidence"]:
    """The `limit` successes to show: hardest rung first (successes without a rung last), then
    the most recent."""

    def key(item: "Evidence") -> tuple:
        hard = item.difficulty is not None
        return (hard, item.difficulty if hard else 0, moment(item.attempt.happened_at),
                item.attempt.id)

    return sorted(items, key=key, reverse=True)[:max(0, limit)]


def _latest(items: "Sequence[T]", key: "Callable[[T], tuple[float, ...]]") -> "T | None":
    live = [item for item in items if getattr(item, "deleted_at", None) is None]
    return max(live, key=key) if live else None


def pick_model(models: Sequence["RoleModel"]) -> "RoleModel | None":
    """The model to show: the one most recently written or edited."""
    return _latest(models, lambda m: (moment(m.updated_at or m.created_at), m.id))


def pick_feedback(items: Sequence["Feedback"]) -> "Feedback | None":
    """The feedback to show: from the most credible person, then the most recent."""
    return _latest(items, lambda f: (f.credibility, moment(f.given_at), f.id))


def change(before: int | float | None, after: int | float | None) -> str:
    """A rating before and after: "60 → 30 (−30)", "60 → 60 (no change)", "— → 40"."""
    words = say("readiness.change")
    if before is None or after is None:
        if before is None and after is None:
            return words["blank"]
        return words["arrow"].format(before=_number(before, words), after=_number(after, words))
    if before == after:
        return words["same"].format(before=_number(before, words), after=_number(after, words))
    return words["difference"].format(
        before=_number(before, words), after=_number(after, words),
        sign=words["up"] if after > before else words["down"],
        amount=_number(abs(after - before), words),
    )


def _number(value: int | float | None, words: dict) -> str:
    if value is None:
        return words["blank"]
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def time_left(now: datetime | str, when: datetime | str) -> str:
    """How far away `when` is, in words for home: "in 45 min", "in 3 h 10 min", "tomorrow
    09:00", "Fri 27 Nov 09:00"; "now" up to a minute past, and plain words for earlier times.
    Each time is read on its own wall clock, so its local date and hour are the ones shown.
    Either may be given as a stored ISO stamp."""
    words = say("readiness.time")
    now, when = _datetime(now), _datetime(when)
    if (now.tzinfo is None) != (when.tzinfo is None):
        now, when = now.astimezone(), when.astimezone()
    seconds = (when - now).total_seconds()
    if -60 < seconds <= 0:
        return words["now"]
    days = (when.date() - now.date()).days
    if seconds > 0:
        minutes = -int(-seconds // 60)  # rounded up: 44 min 30 s is "in 45 min"
        if minutes < 60:
            return words["minutes"].format(minutes=minutes)
        if days == 0 or seconds < _NEAR.total_seconds():
            return _hours(words, minutes, "")
        if days == 1:
            return words["tomorrow"].format(time=_clock(words, when))
        return _date(words, when, now, "later")
    minutes = int(-seconds // 60)
    if minutes < 60:
        return words["minutes_ago"].format(minutes=minutes)
    if days == 0:
        return _hours(words, minutes, "_ago")
    if days == -1:
        return words["yesterday"].format(time=_clock(words, when))
    return _date(words, when, now, "earlier")


def _datetime(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _hours(words: dict, minutes: int, suffix: str) -> str:
    hours, rest = divmod(minutes, 60)
    if rest:
        return words["hours_minutes" + suffix].format(hours=hours, minutes=rest)
    return words["hours" + suffix].format(hours=hours)


def _clock(words: dict, when: datetime) -> str:
    return words["clock"].format(hour=when.hour, minute=when.minute)


def _date(words: dict, when: datetime, now: datetime, key: str) -> str:
    if when.year != now.year:
        key += "_year"
    return words[key].format(
        weekday=words["weekdays"][when.weekday()], day=when.day,
        month=words["months"][when.month - 1], year=when.year, time=_clock(words, when),
    )
