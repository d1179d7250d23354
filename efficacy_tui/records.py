"""The plain dataclasses every layer shares: the store returns them, the coach and the screens
read them, so none of them sees an SQL row.

Each class becomes a dataclass the first time one is built or read from a row, not on import:
generating a dataclass's methods costs about half a millisecond, and a command (`efficacy log`,
the home screen) uses only a few of the records, so the others are never generated."""

import dataclasses
import threading
from dataclasses import field, fields
from typing import TYPE_CHECKING, Any, Self

_MADE = threading.Lock()

if TYPE_CHECKING:
    from dataclasses import dataclass
else:

    def dataclass(**options: Any):
        """dataclasses.dataclass(**options), applied to the class when it is first needed."""

        def later(cls: type) -> type:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                _make(cls)
                cls.__init__(self, *args, **kwargs)

            cls.__init__ = __init__
            cls._dataclass_options = options
            return cls

        return later


def _make(cls: type) -> None:
    """Turn a record class into its dataclass now, once, whichever thread needs it first."""
    if "__dataclass_fields__" in cls.__dict__:
        return
    with _MADE:
        if "__dataclass_fields__" not in cls.__dict__:
            del cls.__init__  # type: ignore[misc]  # the stand-in; dataclass writes the real one
            dataclasses.dataclass(**cls._dataclass_options)(cls)  # type: ignore[attr-defined]


class Record:
    """Builds a dataclass from a row, ignoring columns the dataclass does not name."""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        _make(cls)
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]  # subclasses are dataclasses
        return cls(**{k: v for k, v in row.items() if k in names})


@dataclass(frozen=True)
class Domain(Record):
    id: int
    uid: str
    name: str
    goal: str = ""
    why: str = ""


@dataclass(frozen=True)
class Rung(Record):
    id: int
    uid: str
    domain_id: int
    title: str
    difficulty: int
    status: str
    criterion: str = ""
    position: int = 0
    split_from: int | None = None
    mastered_at: str | None = None


@dataclass(frozen=True)
class Attempt(Record):
    id: int
    uid: str
    domain_id: int | None
    title: str
    happened_at: str
    outcome: str | None
    confidence: int | None = None
    what_i_did: str = ""
    note: str = ""
    source: str = "app"
    rung_id: int | None = None
    checkin_id: int | None = None
    effort: int | None = None
    confidence_timing: str | None = None  # 'before' the outcome, or 'recalled' afterwards
    created_at: str | None = None  # when it was written down (planned, or logged)

    @property
    def recalled(self) -> bool:
        """A confidence given after the outcome: kept, but hindsight, so not a prediction."""
        return self.confidence_timing == "recalled"


@dataclass(frozen=True)
class Checkin(Record):
    id: int
    uid: str
    day: str
    sleep_hours: float | None
    energy: int | None
    anxiety: int | None
    focus_domain_id: int | None
    focus_rung_id: int | None
    focus_confidence: int | None
    if_situation: str
    then_action: str
    updated_at: str


@dataclass(frozen=True)
class DomainLine:
    """A domain as the home screen lists it: its active rung and how far up the ladder it is."""

    domain: Domain
    active_rung: Rung | None
    mastered: int = 0
    total: int = 0


@dataclass(frozen=True)
class PlannedAttempt:
    """An attempt planned with a confidence given beforehand, waiting for its outcome."""

    attempt: Attempt
    domain_name: str
    rung_title: str | None


@dataclass(frozen=True)
class RungLine:
    """A rung with its recent recorded outcomes, oldest first, for the ladder rule, and how many
    outcomes were recorded before its last split (they no longer count)."""

    rung: Rung
    outcomes: list[str]
    before_split: int = 0


@dataclass(frozen=True)
class ScaleItem(Record):
    id: int
    uid: str
    domain_id: int
    text: str
    position: int = 0


@dataclass(frozen=True)
class ScaleSession:
    """One sitting of the domain scale: when, and the mean of its ratings."""

    session: str
    rated_at: str
    mean: float
    ratings: dict[int, int]


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one go."""

    today: str
    checked_in_today: bool
    checkin_days: list[str]
    domains: list[DomainLine]
    recent: list[Checkin]
    last_win: Attempt | None
    is_empty: bool
    planned: list[PlannedAttempt] = field(default_factory=list)
    setback: Attempt | None = None
    checkin_draft: str | None = None  # when today's unsaved check-in was last kept, if one is
    requests: list["FeedbackRequest"] = field(default_factory=list)  # the first few waiting
    requests_waiting: int = 0


@dataclass(frozen=True)
class Evidence:
    """A past success offered as counter-evidence, with the rung it was on."""

    attempt: Attempt
    rung_title: str | None
    difficulty: int | None


@dataclass(frozen=True)
class Reframe(Record):
    id: int
    uid: str
    attempt_id: int | None
    domain_id: int | None
    what_happened: str
    cause_text: str
    locus: str
    stability: str
    controllability: str
    cause: str | None
    new_explanation: str
    if_situation: str
    then_action: str
    evidence: str
    controllable_temporary: int
    created_at: str
    split_rung_id: int | None = None


@dataclass(frozen=True)
class RoleModel(Record):
    """A vicarious model: someone like me who got there, and the process they followed."""

    id: int
    uid: str
    domain_id: int
    who: str
    like_me: str
    what_they_did: str
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True)
class Feedback(Record):
    """Specific feedback from someone, with how credible they are on this (1-5)."""

    id: int
    uid: str
    domain_id: int
    who: str
    credibility: int
    what_they_said: str
    given_at: str
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True)
class AuditSitting:
    """One sitting of the self-efficacy audit in a domain: its successes in the order they were
    written, and the success it planned (None if that attempt was deleted)."""

    created_at: str
    successes: list[Attempt]
    plan: Attempt | None


@dataclass(frozen=True)
class RequestTopic:
    """What a feedback request would ask about: an attempt (and the performance it followed, if
    any), its domain, and the success criterion of its rung."""

    domain_id: int | None
    title: str
    criterion: str
    attempt_id: int | None
    readiness_id: int | None


@dataclass(frozen=True)
class FeedbackRequest(Record):
    """A plan to ask someone credible who saw an attempt or a performance one specific question;
    pending until its answer is recorded as feedback (`feedback_id`) or it is dismissed."""

    id: int
    uid: str
    domain_id: int
    whom: str
    question: str
    created_at: str
    attempt_id: int | None = None
    readiness_id: int | None = None
    feedback_id: int | None = None
    answered_at: str | None = None
    dismissed_at: str | None = None
    deleted_at: str | None = None
    domain_name: str = ""
    about: str = ""  # the title of the attempt or performance it asks about


@dataclass(frozen=True)
class Performance(Record):
    """A scheduled performance and, once done, its readiness walkthrough and follow-up."""

    id: int
    uid: str
    title: str
    scheduled_for: str
    domain_id: int | None = None
    started_at: str | None = None
    completed_at: str | None = None
    sleep_hours: float | None = None
    energy: int | None = None
    anxiety_before: int | None = None
    confidence_before: int | None = None
    readiness_before: int | None = None
    said_aloud: int = 0
    reappraisal: str = ""
    breathing: str | None = None
    breathing_seconds: int = 0
    evidence: str = "[]"
    model_id: int | None = None
    feedback_id: int | None = None
    if_situation: str = ""
    then_action: str = ""
    anxiety_after: int | None = None
    confidence_after: int | None = None
    readiness_after: int | None = None
    attempt_id: int | None = None
    followup_at: str | None = None
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    domain_name: str | None = None

    @property
    def evidence_uids(self) -> list[str]:
        """The uids of the attempts the walkthrough showed as evidence."""
        import json

        return list(json.loads(self.evidence or "[]"))

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def followed_up(self) -> bool:
        return self.attempt_id is not None or self.followup_at is not None
