"""Checks on single values shared by the command line and the app, each failing with one
sentence."""

from efficacy_tui.content import say

OUTCOMES = ("success", "partial", "setback")


class InvalidValue(ValueError):
    """A value the user gave that cannot be stored; `field` names the input it came from. With
    `keys`, the text names keys as {binding} places for the screen to fill from the keymap, and
    so holds nothing the user typed."""

    def __init__(self, text: str, field: str = "", keys: bool = False) -> None:
        super().__init__(text)
        self.field = field
        self.keys = keys


def whole_number(
    raw: object, label: str, low: int, high: int, step: int = 1, field: str = ""
) -> int:
    """A whole number in [low, high] on the given step, or InvalidValue naming the range."""
    text = str(raw).strip()
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high or value % step:
        steps = say("common.in_steps", step=step) if step > 1 else ""
        raise InvalidValue(
            say("common.whole_number", label=label, low=low, high=high, steps=steps, value=text),
            field or label,
        )
    return value


def confidence(raw: object, field: str = "confidence") -> int:
    return whole_number(raw, "Confidence", 0, 100, 10, field)


def effort(raw: object, field: str = "effort") -> int:
    """How hard it felt, 1 (hardly) to 5 (all I had)."""
    return whole_number(raw, "Effort", 1, 5, 1, field)


def outcome(raw: str, field: str = "outcome") -> str:
    value = str(raw).strip().lower()
    if value not in OUTCOMES:
        raise InvalidValue(say("common.outcome", value=str(raw).strip()), field)
    return value


def hours(raw: object, label: str, field: str = "") -> float:
    """Hours such as 7 or 7.5, from 0 to 24."""
    text = str(raw).strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 24 or value != value:
        raise InvalidValue(say("common.hours", label=label, value=text), field or label)
    return round(value, 2)


NAME_LIMIT = 200
TITLE_LIMIT = 500


def required_text(raw: str, label: str, field: str = "", limit: int | None = None) -> str:
    """Non-blank text; with `limit`, no longer than the column it goes into allows. Text may hold a
    NUL, but not begin with one: SQLite's length() reads text only up to the first NUL, so the
    schema's non-blank rule would see nothing."""
    text = raw.strip()
    if not text:
        raise InvalidValue(say("common.required", label=label), field or label)
    if text.startswith("\x00"):
        raise InvalidValue(say("common.nul_first", label=label), field or label)
    if limit is not None and len(text) > limit:
        raise InvalidValue(say("common.too_long", label=label, limit=limit), field or label)
    return text


def credibility(raw: object, field: str = "credibility") -> int:
    """How credible a source of feedback is on this, 1 (hardly) to 5 (fully)."""
    return whole_number(raw, "Credibility", 1, 5, 1, field)
