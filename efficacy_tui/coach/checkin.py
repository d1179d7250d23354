"""The daily check-in as validated values, and the streak it builds."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from efficacy_tui import stamps
from efficacy_tui.coach import validate
from efficacy_tui.coach.plan import plan_parts
from efficacy_tui.content import say


@dataclass(frozen=True)
class CheckinEntry:
    """A check-in ready to store: every value already checked."""

    day: str
    sleep_hours: float | None
    energy: int
    anxiety: int
    focus_domain: str
    focus_rung: str
    focus_confidence: int | None
    win_title: str
    win_did: str
    if_situation: str
    then_action: str
    # The win's own domain: "" when the user chose none; None when not asked (a caller without
    # the field), so a new win takes the focus domain and a recorded one keeps its own.
    win_domain: str | None = None
    # What the user gave when asked about a focus rung that is not on the ladder yet; a rung
    # created without being asked about gets no criterion and the next difficulty up.
    rung_criterion: str = ""
    rung_difficulty: int | None = None


@dataclass(frozen=True)
class NewNames:
    """The domains and the focus rung a check-in names that do not exist yet: saving it would
    start them, so the user is asked first."""

    domains: tuple[str, ...] = ()
    rung: str = ""  # the focus rung's title, when it is not a rung of the focus domain
    rung_domain: str = ""  # the domain it would go in
    rung_difficulty: int = 0  # the difficulty offered for it: one step above the ladder's top

    def __bool__(self) -> bool:
        return bool(self.domains or self.rung)


def read_new_rung(criterion: str, difficulty: int | None) -> tuple[str, int]:
    """The success criterion and difficulty of a rung a check-in starts, both required."""
    text = validate.required_text(criterion, "The success criterion", "criterion")
    if difficulty is None:
        raise validate.InvalidValue(say("common.rate_first", label="difficulty"), "difficulty")
    return text, validate.whole_number(difficulty, "Difficulty", 0, 100, field="difficulty")


def read_checkin(day: date, raw: dict[str, object]) -> CheckinEntry:
    """Check the form's raw values; raises validate.InvalidValue naming the first bad field."""

    def text(key: str) -> str:
        return str(raw.get(key) or "").strip()

    sleep = text("sleep_hours")
    focus_domain = text("focus_domain")
    focus_rung = text("focus_rung")
    confidence = raw.get("focus_confidence")
    rated = confidence not in (None, "")
    if focus_domain:
        validate.required_text(focus_domain, "The focus domain", "focus_domain",
                               validate.NAME_LIMIT)
    elif focus_rung or rated:
        # A rung and a confidence rating only mean something within a domain: ask, never drop.
        raise validate.InvalidValue(
            say("checkin.errors.rung_needs_domain" if focus_rung
                else "checkin.errors.confidence_needs_domain"),
            "focus_domain", keys=True)
    if focus_rung:
        validate.required_text(focus_rung, "The rung", "focus_rung", validate.TITLE_LIMIT)
    if_situation, then_action = plan_parts(text("if_situation"), text("then_action"))
    if bool(if_situation) != bool(then_action):
        field = "then_action" if if_situation else "if_situation"
        raise validate.InvalidValue(say("common.if_then_pair"), field)
    win_title, win_did = text("win_title"), text("win_did")
    if win_did and not win_title:
        raise validate.InvalidValue(say("checkin.errors.win_needs_title"), "win_title")
    win_domain = text("win_domain") if "win_domain" in raw and win_title else None
    if win_domain:
        validate.required_text(win_domain, "The win's domain", "win_domain", validate.NAME_LIMIT)
    return CheckinEntry(
        day=day.isoformat(),
        sleep_hours=validate.hours(sleep, "Sleep", "sleep_hours") if sleep else None,
        energy=validate.whole_number(raw.get("energy", ""), "Energy", 0, 10, field="energy"),
        anxiety=validate.whole_number(raw.get("anxiety", ""), "Anxiety", 0, 100, field="anxiety"),
        focus_domain=focus_domain,
        focus_rung=focus_rung,
        focus_confidence=validate.confidence(confidence, "focus_confidence") if rated else None,
        win_title=win_title,
        win_did=win_did,
        if_situation=if_situation,
        then_action=then_action,
        win_domain=win_domain,
    )


def streak(days: Iterable[str | date], today: date) -> int:
    """Consecutive local calendar days with a check-in, ending today (or yesterday while today
    is still open, so the streak is not shown as broken before the day is over)."""
    seen = {d if isinstance(d, date) else stamps.day(d) for d in days}
    current = today if today in seen else today - timedelta(days=1)
    count = 0
    while current in seen:
        count += 1
        current -= timedelta(days=1)
    return count
