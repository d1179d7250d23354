"""The self-efficacy audit's rules: checking three past difficult successes, each with what the
user did, and one more success planned for this week (the method's closing exercise)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from efficacy_tui.coach import validate
from efficacy_tui.coach.ladder import plan_time
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.when import WhenError, parse_when

SUCCESSES = 3
PLAN_DAYS = 7


@dataclass(frozen=True)
class Success:
    """A past difficult success and what the user did to make it happen."""

    title: str
    happened_at: datetime
    when_text: str
    did: str


@dataclass(frozen=True)
class Plan:
    """The one more success planned for this week, with the certainty given beforehand."""

    title: str
    planned_at: datetime
    when_text: str
    confidence: int


@dataclass(frozen=True)
class Audit:
    """Everything the audit saves, every value already checked."""

    name: str
    goal: str
    why: str
    successes: tuple[Success, ...]
    plan: Plan


def past_moment(text: str, now: datetime) -> datetime:
    """When a past success happened: an everyday phrase, or the start of a period such as
    "last month"; blank means now. Raises WhenError."""
    if not text:
        return now.replace(microsecond=0)
    return parse_when(text, now=now)


def read_success(number: int, title: str, when: str, did: str, now: datetime) -> Success:
    """Check one past success (fields `success-N-*`); raises InvalidValue naming the bad field."""
    prefix = f"success-{number}"
    names = say("audit.names")
    title = validate.required_text(title, names["success_title"], f"{prefix}-title")
    when = " ".join(when.split())
    try:
        moment = past_moment(when, now)
    except WhenError as err:
        raise InvalidValue(str(err), f"{prefix}-when") from None
    if moment > now:
        raise InvalidValue(say("audit.errors.success_in_future", value=when), f"{prefix}-when")
    did = did.strip()
    if not did:
        raise InvalidValue(say("audit.errors.did_required", n=number), f"{prefix}-did")
    return Success(title, moment, when, did)


def read_plan(title: str, when: str, confidence: int | None, now: datetime) -> Plan:
    """Check the planned success: a time from now to PLAN_DAYS ahead ("saturday" is the coming
    one) and a rated certainty."""
    names = say("audit.names")
    title = validate.required_text(title, names["plan_title"], "plan-title")
    when = " ".join(when.split())
    try:
        moment = plan_time(when, now)
    except WhenError as err:
        raise InvalidValue(str(err), "plan-when") from None
    if moment < now:
        raise InvalidValue(say("audit.errors.plan_past", value=when, days=PLAN_DAYS), "plan-when")
    if moment > now + timedelta(days=PLAN_DAYS):
        raise InvalidValue(say("audit.errors.plan_too_far", value=when, days=PLAN_DAYS),
                           "plan-when")
    if confidence is None:
        raise InvalidValue(say("audit.errors.rate_plan"), "plan-confidence")
    return Plan(title, moment, when, validate.confidence(confidence, "plan-confidence"))
