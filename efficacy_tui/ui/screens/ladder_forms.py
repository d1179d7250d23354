"""The ladder's quick-entry forms: domain, rung, planned attempt, outcome, and log after the fact.

Each checks its values and the ladder screen's write, given through `open_form`, saves them
before the form closes; the domain form is handed its write instead, so that a name already taken
is named in the form."""

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet

from efficacy_tui.coach import validate
from efficacy_tui.coach.ladder import plan_time
from efficacy_tui.coach.ratings import scale
from efficacy_tui.content import say
from efficacy_tui.records import Domain, Rung
from efficacy_tui.store.core import StoreError
from efficacy_tui.ui.screens.base import ConfirmScreen, FormScreen
from efficacy_tui.ui.screens.new_domain import slip_question
from efficacy_tui.ui.widgets.choice import Choice
from efficacy_tui.ui.widgets.form import labelled, required
from efficacy_tui.ui.widgets.rating import Rating
from efficacy_tui.when import WhenError, parse_when

OUTCOMES = ("success", "partial", "setback")


def read_when(raw: str, now: datetime, field: str, past_only: bool = False,
              ahead: bool = False) -> datetime:
    """An everyday time phrase as a datetime; a future time is refused where only the past fits,
    and with `ahead` (planning) a weekday is the coming one."""
    try:
        if not raw.strip():
            when = now
        else:
            when = plan_time(raw, now) if ahead else parse_when(raw, now=now)
    except WhenError as err:
        raise validate.InvalidValue(str(err), field) from None
    if past_only and when > now:
        raise validate.InvalidValue(say("common.future_outcome", value=raw.strip()), field)
    return when


class DomainForm(FormScreen[dict[str, str]]):
    """Name, goal and why it matters, checked; opened with `open_form` and `domain_saving`, so a
    sentence the save raises (a name already taken) shows in the form and nothing typed is lost.
    A new name that looks like a slip for a known domain is asked about first."""

    def __init__(self, domain: Domain | None = None) -> None:
        super().__init__()
        self.domain = domain
        self.form_title = say("ladder.forms")["domain_edit" if domain else "domain_new"]

    def fields(self) -> ComposeResult:
        t, d = say("ladder.forms"), self.domain
        yield from labelled(t["name"], Input(d.name if d else "", id="name"))
        yield from labelled(t["goal"], Input(d.goal if d else "", id="goal"))
        yield from labelled(t["why"], Input(d.why if d else "", id="why"))

    def submit(self) -> dict[str, str]:
        name = validate.required_text(self.value("name"), "The name", "name", validate.NAME_LIMIT)
        return {"name": name, "goal": self.value("goal").strip(), "why": self.value("why").strip()}

    def question(self, result: dict[str, str]) -> tuple[ConfirmScreen, str] | None:
        """A new domain whose name looks like a slip for a known one is asked about; starting
        a domain is what the form is for, so a distinct name is not."""
        if self.domain is not None:
            return None
        asked = slip_question(self.app.store, result["name"], say("ladder.forms.slip_after"),
                              self)
        return None if asked is None else (asked, "name")


def domain_saving(save: Callable[..., Domain]) -> Callable[[dict[str, str]], Domain]:
    """`save` (adding or updating a domain) for `open_form`: a sentence it raises, such as a
    name already taken, is shown in the form."""

    def write(values: dict[str, str]) -> Domain:
        try:
            return save(**values)
        except StoreError as err:
            raise validate.InvalidValue(str(err), "name") from None

    return write


class RungForm(FormScreen[dict]):
    """Title, success criterion and difficulty of a rung."""

    def __init__(self, rung: Rung | None = None, difficulty: int | None = None) -> None:
        super().__init__()
        self.rung = rung
        self.difficulty = rung.difficulty if rung else difficulty
        self.form_title = say("ladder.forms")["rung_edit" if rung else "rung_new"]

    def fields(self) -> ComposeResult:
        t, r = say("ladder.forms"), self.rung
        yield from labelled(t["rung_title"], Input(r.title if r else "", id="title"),
                            t["rung_title_hint"])
        yield from labelled(t["criterion"], Input(r.criterion if r else "", id="criterion"),
                            t["criterion_hint"])
        yield from labelled(required(t["difficulty"]), Rating(scale("difficulty"), self.difficulty,
                                                    id="difficulty", exact=True),
                            t["difficulty_hint"])

    def submit(self) -> dict:
        title = validate.required_text(self.value("title"), "The challenge", "title",
                                      validate.TITLE_LIMIT)
        difficulty = self.value("difficulty")
        if difficulty is None:
            raise validate.InvalidValue(
                say("common.rate_first", label="difficulty"), "difficulty"
            )
        return {"title": title, "criterion": self.value("criterion").strip(),
                "difficulty": difficulty}


class PlanForm(FormScreen[dict]):
    """An attempt planned on a rung, with the confidence given before the outcome is known."""

    def __init__(self, rung: Rung, now: datetime) -> None:
        super().__init__()
        self.rung = rung
        self.now = now
        self.form_title = f"{say('ladder.forms.plan')}: {rung.title}"

    def fields(self) -> ComposeResult:
        t = say("ladder.forms")
        yield from labelled(t["plan_title"], Input(self.rung.title, id="title"))
        yield from labelled(t["plan_when"], Input("today", id="when"), t["plan_when_hint"])
        yield from labelled(required(t["plan_confidence"]),
                            Rating(scale("confidence"), id="confidence"),
                            t["plan_confidence_hint"])

    def submit(self) -> dict:
        title = validate.required_text(self.value("title"), "The title", "title")
        when = read_when(self.value("when"), self.now, "when", ahead=True)
        confidence = self.value("confidence")
        if confidence is None:
            raise validate.InvalidValue(say("ladder.errors.rate_confidence"), "confidence")
        return {"title": title, "when": when, "confidence": confidence}


def _outcome_fields() -> ComposeResult:
    t = say("ladder.forms")
    yield from labelled(
        t["outcome"],
        RadioSet(*(Choice(t[o], id=f"outcome-{o}") for o in OUTCOMES), id="outcome"),
    )
    yield from labelled(t["effort"], Rating(scale("effort"), id="effort"))
    yield from labelled(t["what_i_did"], Input(id="what_i_did"), t["what_i_did_hint"])
    yield from labelled(t["note"], Input(id="note"))


class OutcomeForm(FormScreen[dict]):
    """The result of a planned attempt: outcome, effort 1-5, what I did, a note."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.form_title = f"{say('ladder.forms.record')} {title}"

    def fields(self) -> ComposeResult:
        yield from _outcome_fields()

    def read_outcome(self) -> dict:
        radio = self.query_one("#outcome", RadioSet)
        if radio.pressed_button is None:
            raise validate.InvalidValue(say("ladder.errors.choose_outcome"), "outcome")
        return {
            "outcome": (radio.pressed_button.id or "").removeprefix("outcome-"),
            "effort": self.value("effort"),
            "what_i_did": self.value("what_i_did").strip(),
            "note": self.value("note").strip(),
        }

    def submit(self) -> dict:
        return self.read_outcome()


class LogForm(OutcomeForm):
    """A one-step record after the fact: no confidence, so calibration leaves it out."""

    def __init__(self, rung: Rung, now: datetime) -> None:
        super().__init__(rung.title)
        self.rung = rung
        self.now = now
        self.form_title = f"{say('ladder.forms.log')}: {rung.title}"

    def fields(self) -> ComposeResult:
        t = say("ladder.forms")
        yield from labelled(t["attempt_title"], Input(self.rung.title, id="title"), t["log_hint"])
        yield from labelled(t["attempt_when"], Input("today", id="when"))
        yield from _outcome_fields()

    def submit(self) -> dict:
        title = validate.required_text(self.value("title"), "The title", "title")
        when = read_when(self.value("when"), self.now, "when", past_only=True)
        return {"title": title, "when": when, **self.read_outcome()}
