"""Reading the dates and moments stored as text: a real calendar moment, or None.

Every `*_at` column and `readiness.scheduled_for` holds a moment as ISO 8601 ("2026-11-26T09:30:00
+00:00"), and `checkins.day` a day ("2026-11-26"). The schema only checks their shape, so a file
edited by hand or an imported one could hold "2026-11-39" or an hour 99: import refuses such a text,
and whatever reads one that is already in the file shows it as it is, marked unreadable, instead of
failing. Standard library only, and not `re` (a tenth of `efficacy nudge`'s start): the fast
command line path imports this.
"""

from datetime import date, datetime

from efficacy_tui.content import say

# Which columns hold a day, and which hold a moment, by name.
DAY_COLUMNS = frozenset({"day"})
MOMENT_COLUMNS = frozenset({"scheduled_for"})

_DIGITS = frozenset("0123456789")


def _digits(text: str, start: int, count: int) -> bool:
    part = text[start:start + count]
    return len(part) == count and all(c in _DIGITS for c in part)


def _day_shape(text: str) -> bool:
    """Whether `text` starts with YYYY-MM-DD."""
    return (_digits(text, 0, 4) and text[4:5] == "-" and _digits(text, 5, 2)
            and text[7:8] == "-" and _digits(text, 8, 2))


def _is_day(text: str) -> bool:
    """The shape YYYY-MM-DD and nothing more."""
    return len(text) == 10 and _day_shape(text)


def _is_moment(text: str) -> bool:
    """The shape YYYY-MM-DDTHH:MM, then optionally :SS and .f to .ffffff, then optionally Z or
    +HH:MM / -HH:MM, and nothing more."""
    if not (_day_shape(text) and text[10:11] == "T" and _digits(text, 11, 2)
            and text[13:14] == ":" and _digits(text, 14, 2)):
        return False
    rest = text[16:]
    if rest.startswith(":"):
        if not _digits(rest, 1, 2):
            return False
        rest = rest[3:]
        if rest.startswith("."):
            count = 0
            while 1 + count < len(rest) and rest[1 + count] in _DIGITS:
                count += 1
            if not 1 <= count <= 6:
                return False
            rest = rest[1 + count:]
    return rest in ("", "Z") or (len(rest) == 6 and rest[0] in "+-" and _digits(rest, 1, 2)
                                 and rest[3] == ":" and _digits(rest, 4, 2))


def is_date_column(name: str) -> bool:
    """Whether a column holds a day or a moment."""
    return name in DAY_COLUMNS or name in MOMENT_COLUMNS or name.endswith("_at")


def moment(text: object) -> datetime | None:
    """The moment an ISO 8601 text names, or None when it names none (hour 99, day 39, not text)."""
    if not isinstance(text, str) or not _is_moment(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def day(text: object) -> date | None:
    """The day a "YYYY-MM-DD" text names (a moment's text names its own day), or None."""
    if not isinstance(text, str):
        return None
    if _is_day(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    found = moment(text)
    return found.date() if found is not None else None


def is_readable(column: str, text: object) -> bool:
    """Whether the value of a date column is a real day or moment; NULL always is."""
    if text is None:
        return True
    if column in DAY_COLUMNS:
        return isinstance(text, str) and _is_day(text) and day(text) is not None
    return moment(text) is not None


def shown(text: str, fmt: str) -> str:
    """A stored moment or day written with `fmt`, or its raw text marked unreadable."""
    found = moment(text) if "T" in str(text) else day(text)
    if found is None:
        return unreadable(text)
    return found.strftime(fmt)


def unreadable(text: object) -> str:
    """How a stored date that names no real moment is shown: as it is, and marked."""
    return say("common.unreadable_date", text=text)
