"""Rules for a per-domain self-efficacy scale in Bandura's (2006) format: the user's own
"I can ... even if ..." items, rated 0-100, re-rated every couple of weeks to show a trend."""

import math
import re
from datetime import date

from efficacy_tui import stamps
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import fill, say

MIN_ITEMS = 3
MAX_ITEMS = 8
RERATE_DAYS = 14
MAX_ITEM_CHARS = 500

_CAN = re.compile(r"i\s+can\b", re.IGNORECASE)
_CANNOT = re.compile(r"i\s+(can\s*not|can['’]?t)\b", re.IGNORECASE)
_WILL = re.compile(
    r"i\s*(will|['’]ll|won['’]?t|shall|am\s+going\s+to|['’]m\s+going\s+to)\b", re.IGNORECASE
)


def check_items(texts: list[str]) -> list[str]:
    """The non-blank items, stripped, in order; InvalidValue names `item-N` (N counts every entry
    given, blanks included, from 1) of the first bad one."""
    kept: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(texts, start=1):
        text = raw.strip()
        if not text:
            continue
        field = f"item-{number}"
        if _WILL.match(text):
            raise InvalidValue(say("scale.errors.item_will", n=number), field)
        if _CANNOT.match(text):
            raise InvalidValue(say("scale.errors.item_cannot", n=number), field)
        if not _CAN.match(text):
            raise InvalidValue(say("scale.errors.item_format", n=number), field)
        if len(text) > MAX_ITEM_CHARS:
            raise InvalidValue(
                say("scale.errors.item_too_long", n=number, limit=MAX_ITEM_CHARS), field
            )
        key = " ".join(text.lower().split())
        if key in seen:
            raise InvalidValue(say("scale.errors.item_repeat", n=number, other=seen[key]), field)
        seen[key] = number
        kept.append((number, text))
        if len(kept) > MAX_ITEMS:
            raise InvalidValue(
                say("scale.errors.too_many", max=MAX_ITEMS,
                    count=sum(1 for t in texts if t.strip())),
                field,
            )
    if len(kept) < MIN_ITEMS:
        blanks = [n for n, raw in enumerate(texts, start=1) if not raw.strip()]
        number = blanks[0] if blanks else len(texts) + 1
        raise InvalidValue(
            say("scale.errors.too_few", min=MIN_ITEMS, count=len(kept)), f"item-{number}"
        )
    return [text for _, text in kept]


def days_since(rated_at: str, today: date) -> int:
    """Whole local calendar days from a stamp (ISO with its local offset) to `today`; 0 for a
    stamp that names no real day."""
    day = stamps.day(rated_at)
    return 0 if day is None else (today - day).days


def rerating_due(last_rated_at: str | None, today: date) -> bool:
    """True when the scale was never rated, or last rated RERATE_DAYS or more local days ago."""
    return last_rated_at is None or days_since(last_rated_at, today) >= RERATE_DAYS


def rerating_status(last_rated_at: str | None, today: date) -> str:
    """One line on whether it is time to re-rate, in the words of content/scale.toml."""
    words = say("scale.status")
    if last_rated_at is None:
        return words["never"].format(min=MIN_ITEMS, max=MAX_ITEMS)
    days = days_since(last_rated_at, today)
    if rerating_due(last_rated_at, today):
        return words["due"].format(days=days)
    if days <= 0:
        return words["today"]
    if days == 1:
        return fill(words["yesterday"], due=RERATE_DAYS - days)
    return fill(words["recent"], days=days, due=RERATE_DAYS - days)


def whole(value: float) -> int:
    """A mean as the nearest whole number, halves rounded up (42.5 -> 43)."""
    return math.floor(value + 0.5)


def trend_line(means: list[float]) -> str:
    """The scale's trend in words: first and latest sitting means and the change between them."""
    words = say("scale.trend")
    if not means:
        return ""
    if len(means) == 1:
        return words["one"].format(mean=whole(means[0]))
    first, latest = whole(means[0]), whole(means[-1])
    change = latest - first
    key = "up" if change > 0 else "down" if change < 0 else "same"
    return words[key].format(first=first, latest=latest, change=abs(change), count=len(means))
