"""Read the everyday time phrases people type into timezone-aware datetimes.

python-dateutil's parser understands absolute dates ("2026-10-01 14:00",
"1 oct 2026") but not relative phrases ("yesterday 5pm", "3 days ago",
"last 30 days"), so this module reads those itself and hands only the
absolute ones to dateutil, never fuzzily, so that "banana" is an error and
not a date.

Day-based arithmetic is done on naive wall-clock times and the zone is
attached at the end: "3 days ago" keeps the wall-clock time across a
daylight-saving change and gets the UTC offset valid on that day.  Minutes
and hours are real elapsed time instead.

Moment fields and period filters read one vocabulary: a field asking for a
moment takes a period ("last week", "in march", "2 weeks") as its start, and
a filter takes a moment ("tomorrow 7am", "in 2 hours") as that whole day.

Weekdays: a bare "monday" is the nearest Monday in the past, today included;
"last monday" is strictly before today, "next monday" strictly after today,
and "this monday" is the Monday of the current Monday-based week.

The fast command line path imports this module, so it uses only the standard
library and dateutil, and loads dateutil's parser only when it is needed.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil import tz as _tz
from dateutil.relativedelta import relativedelta

__all__ = ["WhenError", "day_label", "last_day", "local_now", "parse_range", "parse_when"]

_DAY = timedelta(days=1)
_WHEN_HINT = 'try "yesterday 5pm", "3 days ago", "last friday" or "2026-10-01 14:00"'
_RANGE_HINT = 'try "today", "last 7 days", "since monday" or "2026-10-01..2026-10-31"'

_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_WEEKDAYS = "mon tue wed thu fri sat sun".split()
_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
          r"(?:\s+(?P<year>\d{4}))?")
_WEEKDAY = (r"(?P<wd>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
            r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)")
_TIME = r"(?:at\s+)?(?P<time>noon|midnight|\d{1,2}(?::\d{2})?\s*[ap]m|\d{1,2}:\d{2})"
_N = r"(?P<n>\d+|an?|one)"
_DAY_UNIT = r"(?P<unit>day|week|month|year|yr)s?"
_CLOCK_UNIT = r"(?P<unit>minute|min|hour|hr)s?"
_ONE = {
    "minute": relativedelta(minutes=1), "min": relativedelta(minutes=1),
    "hour": relativedelta(hours=1), "hr": relativedelta(hours=1),
    "day": relativedelta(days=1), "week": relativedelta(weeks=1),
    "month": relativedelta(months=1), "year": relativedelta(years=1), "yr": relativedelta(years=1),
}
# Two numbers that could each be a day or a month, as in 01/02/2026 or "1 2 3".
_AMBIGUOUS = re.compile(r"\s*(\d{1,2})[/.\-\s](\d{1,2})(?!\d)")


class WhenError(ValueError):
    """A phrase that could not be read; str(err) is one clear sentence for the user."""


class _AmbiguousDate(WhenError):
    """A numeric date that reads differently in the US and elsewhere."""


def local_now(tz: tzinfo | None = None) -> datetime:
    """The current time, aware in ``tz`` (default the system zone), to the second."""
    return datetime.now(_tz.tzlocal() if tz is None else tz).replace(microsecond=0)


def parse_when(text: str, now: datetime | None = None,
               tz: tzinfo | None = None, ahead: bool = False) -> datetime:
    """The moment a phrase such as "yesterday 5pm" names, aware in ``tz``.

    A date without a time keeps the current time of day; a time without
    seconds gets 0 seconds; a month name alone is the 1st of that month at
    00:00 (the most recent such month not in the future). A bare weekday is
    the most recent one, as for logging what happened; with ``ahead`` (for
    scheduling) it is the coming one.
    """
    now, zone = _now(now, tz)
    shown = " ".join(str(text).split())
    try:
        return _moment(shown, now, zone, ahead)
    except _AmbiguousDate:
        raise
    except WhenError as err:
        try:
            start, _end = parse_range(shown, now, zone)
        except WhenError:
            raise err from None
        if start is None:
            raise WhenError(f'"{shown}" is a period with no start, so it names no moment; '
                            f'{_WHEN_HINT}.') from None
        return start


def _moment(shown: str, now: datetime, zone: tzinfo, ahead: bool = False) -> datetime:
    """The strict moment reader: phrases naming a moment, not a period."""
    try:
        moment = (_relative(shown.lower(), now) or _month_start(shown.lower(), now.date())
                  or _absolute(shown, now.replace(tzinfo=None)))
        if moment is not None:
            moment = _attach(moment, zone)
            if ahead and moment < now and re.match(rf"{_WEEKDAY}\b", shown.lower()):
                moment = _attach(moment.replace(tzinfo=None) + timedelta(days=7), zone)
            return moment
    except _AmbiguousDate:
        raise
    except (ValueError, OverflowError):
        pass
    raise WhenError(f'Could not read the time "{shown}"; {_WHEN_HINT}.')


def parse_range(text: str, now: datetime | None = None, tz: tzinfo | None = None
                ) -> tuple[datetime | None, datetime | None]:
    """The period a phrase such as "last 7 days" names, as (start, end).

    Start is inclusive and end exclusive, both at midnight in ``tz``; either
    may be None for an open end.  Periods are whole days, so "since
    yesterday 5pm" starts at yesterday 00:00.
    """
    now, zone = _now(now, tz)
    shown = " ".join(str(text).split())
    try:
        start, end = (None if day is None else _attach(datetime.combine(day, time()), zone)
                      for day in _bounds(shown, now, zone))
    except _AmbiguousDate:
        raise
    except (ValueError, OverflowError):
        raise WhenError(f'Could not read the period "{shown}"; {_RANGE_HINT}.') from None
    if start is not None and end is not None and start >= end:
        raise WhenError(f'The range "{shown}" ends before it starts.')
    return start, end


def _now(now: datetime | None, tz: tzinfo | None) -> tuple[datetime, tzinfo]:
    """An aware "now" in the zone; a naive ``now`` is taken as wall time there."""
    zone = _tz.tzlocal() if tz is None else tz
    if now is None:
        now = datetime.now(zone)
    elif now.tzinfo is None:
        now = _tz.resolve_imaginary(now.replace(tzinfo=zone))
    else:
        now = now.astimezone(zone)
    return now.replace(microsecond=0), zone


def _attach(moment: datetime, zone: tzinfo) -> datetime:
    """Put a moment in the zone; naive moments are wall times there."""
    if moment.tzinfo is not None:
        return moment.astimezone(zone).replace(microsecond=0)
    return _tz.resolve_imaginary(moment.replace(tzinfo=zone, microsecond=0))


def _delta(match: re.Match) -> relativedelta:
    count = int(match["n"]) if match["n"].isdigit() else 1
    return count * _ONE[match["unit"]]


def _weekday(match: re.Match, wall: datetime) -> datetime:
    """Resolve a weekday name relative to today (rules in the module docstring)."""
    target, today = _WEEKDAYS.index(match["wd"][:3]), wall.weekday()
    shift = {
        "this": target - today,
        "next": (target - today - 1) % 7 + 1,
        "last": -((today - target - 1) % 7 + 1),
        None: -((today - target) % 7),
    }[match["which"]]
    return wall + timedelta(days=shift)


# Phrases naming a moment: no time of day may follow.  Handlers get "now" in UTC
# so that "3 hours ago" is three real hours, even across a DST change.
_INSTANTS = [
    (r"now", lambda m, utc: utc),
    (rf"{_N}\s+{_CLOCK_UNIT}\s+ago", lambda m, utc: utc - _delta(m)),
    (rf"in\s+{_N}\s+{_CLOCK_UNIT}", lambda m, utc: utc + _delta(m)),
]

# Phrases naming a day: a time of day may follow.  Handlers get naive wall time.
_DAYS = [
    (r"today", lambda m, wall: wall),
    (r"yesterday", lambda m, wall: wall - _DAY),
    (r"tomorrow", lambda m, wall: wall + _DAY),
    (rf"{_N}\s+{_DAY_UNIT}\s+ago", lambda m, wall: wall - _delta(m)),
    (rf"in\s+{_N}\s+{_DAY_UNIT}", lambda m, wall: wall + _delta(m)),
    (rf"(?:(?P<which>last|next|this)\s+)?{_WEEKDAY}", _weekday),
]


def _relative(phrase: str, now: datetime) -> datetime | None:
    """Read a relative phrase (lower case), optionally with a time of day."""
    for pattern, handler in _INSTANTS:
        if match := re.fullmatch(pattern, phrase):
            return handler(match, now.astimezone(_tz.UTC))
    day, clock = phrase, None
    split = (re.fullmatch(rf"(?P<day>.*?)\s*{_TIME}", phrase)
             or re.fullmatch(rf"{_TIME}\s+(?P<day>.+)", phrase))
    if split:
        day, clock = split["day"] or "today", _clock(split["time"])
    for pattern, handler in _DAYS:
        if match := re.fullmatch(pattern, day):
            moment = handler(match, now.replace(tzinfo=None))
            return datetime.combine(moment.date(), clock) if clock else moment
    return None


def _clock(text: str) -> time:
    """Read "5pm", "9:30", "17:45", "noon" or "midnight" (the start of the day)."""
    if text in ("noon", "midnight"):
        return time(12 if text == "noon" else 0)
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*([ap]m)?", text)
    if match is None:
        raise ValueError(text)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)


def _month_start(phrase: str, today: date) -> datetime | None:
    first = _month(phrase, today)
    return None if first is None else datetime.combine(first, time())


def _month(phrase: str, today: date) -> date | None:
    """The 1st of a named month; without a year, the latest one not in the future."""
    match = re.fullmatch(rf"(?:in\s+)?{_MONTH}", phrase)
    if not match:
        return None
    month = _MONTHS.index(match["mon"][:3]) + 1
    year = int(match["year"]) if match["year"] else today.year - (month > today.month)
    return date(year, month, 1)


def _absolute(text: str, wall: datetime) -> datetime | None:
    """Read an absolute date through dateutil, which must find a day and a month.

    Parsing twice with different defaults shows which fields the text itself
    gave: a bare "12" or "2026" is not a date, and a time given without
    minutes or seconds gets zeros rather than the current ones.  Text must
    start and end with a letter or digit, as dateutil skips stray dots, and
    hold no "..", which marks a period that dateutil would misread as one day.
    """
    from dateutil import parser

    if not re.fullmatch(r"\w(.*\w)?", text) or ".." in text:
        return None
    ambiguous = _AMBIGUOUS.match(text)
    if ambiguous and ambiguous[1] != ambiguous[2] and max(map(int, ambiguous.groups())) <= 12:
        raise _AmbiguousDate(f'The date "{text}" could be read two ways; '
                             'write it year first, like "2026-10-01".')
    first = parser.parse(text, default=datetime(2000, 1, 1))
    second = parser.parse(text, default=datetime(2004, 2, 2, 1, 1, 1))

    def given(field: str) -> bool:
        return getattr(first, field) == getattr(second, field)

    if not (given("month") and given("day")):
        return None
    year = first.year if given("year") else wall.year
    clock = first.time() if given("hour") else wall.time()
    return datetime.combine(date(year, first.month, first.day), clock, first.tzinfo)


def _week(match: re.Match, today: date) -> tuple[date, date]:
    start = today - timedelta(days=today.weekday() + (7 if match["which"] == "last" else 0))
    return start, start + timedelta(days=7)


def _month_span(match: re.Match, today: date) -> tuple[date, date]:
    start = today.replace(day=1) - relativedelta(months=1 if match["which"] == "last" else 0)
    return start, start + relativedelta(months=1)


def _year(match: re.Match, today: date) -> tuple[date, date]:
    year = today.year - (1 if match["which"] == "last" else 0)
    return date(year, 1, 1), date(year + 1, 1, 1)


def _last_n(match: re.Match, today: date) -> tuple[date, date]:
    """The last N days, weeks, months or years including today, so "last 7 days" is a week and
    "last 3 months" starts the day after the same date three months ago."""
    n, unit = int(match["n"] or 1), match["unit"]
    if n < 1:
        raise ValueError(match[0])
    if unit in ("month", "year"):
        back = relativedelta(months=n) if unit == "month" else relativedelta(years=n)
        return today - back + _DAY, today + _DAY
    days = n * (7 if unit == "week" else 1)
    return today - timedelta(days=days - 1), today + _DAY


def _numeric_month(match: re.Match, today: date) -> tuple[date, date]:
    """"2026-10": that whole month."""
    start = date(int(match["y"]), int(match["m"]), 1)
    return start, start + relativedelta(months=1)


_PERIODS = [
    (r"(?P<which>this|last)\s+week", _week),
    (r"(?P<which>this|last)\s+month", _month_span),
    (r"(?P<which>this|last)\s+year", _year),
    (r"(?:(?:last|past)\s+)?(?P<n>\d+)\s+(?P<unit>day|week|month|year)s?", _last_n),
    (r"past\s+(?P<n>)(?P<unit>day|week|month|year)", _last_n),
    (r"(?P<y>\d{4})-(?P<m>\d{1,2})", _numeric_month),
]


def _span(text: str, now: datetime, zone: tzinfo) -> tuple[date, date]:
    """The whole days a phrase covers: a period, a month, or one day."""
    phrase = text.lower()
    for pattern, handler in _PERIODS:
        if match := re.fullmatch(pattern, phrase):
            return handler(match, now.date())
    first = _month(phrase, now.date())
    if first is not None:
        return first, first + relativedelta(months=1)
    day = _moment(" ".join(text.split()), now, zone).date()
    return day, day + _DAY


def _bounds(text: str, now: datetime, zone: tzinfo) -> tuple[date | None, date | None]:
    """Read since/from/after, until/before, "A..B" or "A to B" (either side of ".." may be left
    open) or one period."""
    if match := re.fullmatch(r"(?:since|from)\s+(.+)", text, re.I):
        return _span(match[1], now, zone)[0], None
    if match := re.fullmatch(r"after\s+(.+)", text, re.I):
        return _span(match[1], now, zone)[1], None
    if match := re.fullmatch(r"(?:until|before)\s+(.+)", text, re.I):
        return None, _span(match[1], now, zone)[0]
    if match := re.fullmatch(r"(.+?)\s+to\s+(.+)", text, re.I):
        return _span(match[1], now, zone)[0], _span(match[2], now, zone)[1]
    if match := re.fullmatch(r"(.*?)\s*\.\.\s*(.*)", text):
        if not (match[1] or match[2]):
            raise ValueError(text)
        return (_span(match[1], now, zone)[0] if match[1] else None,
                _span(match[2], now, zone)[1] if match[2] else None)
    return _span(text, now, zone)


def last_day(start: datetime | None, end: datetime | None) -> tuple[date | None, date | None]:
    """The first and last whole day of a period from parse_range (whose end is exclusive)."""
    return (None if start is None else start.date(),
            None if end is None else (end - _DAY).date())


def day_label(day: date, today: date) -> str:
    """A day as "Mon 23 Nov", with the year when it is not this year's."""
    label = f"{_WEEKDAYS[day.weekday()].title()} {day.day} {_MONTHS[day.month - 1].title()}"
    return label if day.year == today.year else f"{label} {day.year}"
