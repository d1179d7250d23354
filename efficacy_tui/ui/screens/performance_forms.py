"""Quick forms around a performance: scheduling one, and saying afterwards how it went.

Scheduling takes a title, an optional domain and a time in everyday words ("friday 9am", "in 2
hours"); the follow-up records the outcome as an attempt linked to the performance, so it counts
in the ladder's figures and, when the confidence was rated in the walkthrough, in calibration.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, RadioSet

from efficacy_tui.coach import validate
from efficacy_tui.coach.ladder import plan_time
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Performance
from efficacy_tui.store.core import Store
from efficacy_tui.store.domains import list_domains
from efficacy_tui.ui.screens.base import ConfirmScreen, FormScreen
from efficacy_tui.ui.screens.new_domain import new_domain_question
from efficacy_tui.ui.widgets.choice import Choice
from efficacy_tui.ui.widgets.form import labelled
from efficacy_tui.when import WhenError

OUTCOMES = ("success", "partial", "setback", "skipped")
# A performance is scheduled ahead; a minute or two late still counts as "now".
PAST_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class PerformanceFields:
    """A performance as typed: checked, not yet written."""

    title: str
    domain: str
    when: datetime


def read_performance(title: str, domain: str, when: str, now: datetime,
                     prefix: str = "") -> PerformanceFields:
    """Check the three fields; blank `when` means now. A performance is ahead, so a time that
    cannot be read gets future examples. Field ids may carry a prefix."""
    labels = say("readiness.schedule.labels")
    checked = validate.required_text(title, labels["title"], f"{prefix}title",
                                     validate.TITLE_LIMIT)
    domain = domain.strip()
    if len(domain) > validate.NAME_LIMIT:
        raise InvalidValue(say("common.too_long", label=labels["domain"],
                                            limit=validate.NAME_LIMIT), f"{prefix}domain")
    try:
        moment = plan_time(when, now) if when.strip() else now
    except WhenError as err:
        raise InvalidValue(str(err), f"{prefix}when") from err
    return PerformanceFields(checked, domain, moment)


def domain_input(store: Store, field_id: str, placeholder: str, value: str = "") -> Input:
    """A domain field that completes the names already in use with →."""
    names = [d.name for d in list_domains(store)]
    return Input(value, placeholder=placeholder, id=field_id,
                 suggester=SuggestFromList(names, case_sensitive=False))


class ScheduleForm(FormScreen[PerformanceFields]):
    """Checks the fields, and asks before a domain name not in use yet starts a domain; the
    caller's save writes them before the form closes."""

    def __init__(self) -> None:
        super().__init__()
        self.text = say("readiness.schedule")
        self.form_title = self.text["schedule_title"]

    def fields(self) -> ComposeResult:
        text = self.text
        yield from labelled(text["labels"]["title"],
                            Input(placeholder=text["placeholders"]["title"], id="title"))
        yield from labelled(text["labels"]["domain"],
                            domain_input(self.app.store, "domain", text["placeholders"]["domain"]),
                            text["hints"]["domain"])
        yield from labelled(text["labels"]["when"],
                            Input(placeholder=text["placeholders"]["when"], id="when"),
                            text["hints"]["when"])

    def submit(self) -> PerformanceFields:
        fields = read_performance(self.value("title"), self.value("domain"), self.value("when"),
                                  self.app.store.now())
        if not self.value("when").strip():
            raise InvalidValue(self.text["when_needed"], "when")
        if fields.when < self.app.store.now() - PAST_GRACE:
            raise InvalidValue(self.text["when_past"], "when")
        return fields

    def question(self, result: PerformanceFields) -> tuple[ConfirmScreen, str] | None:
        asked = new_domain_question(self.app.store, result.domain,
                                    self.text["new_domain_after"], self)
        return None if asked is None else (asked, "domain")


@dataclass(frozen=True)
class FollowupAnswer:
    outcome: str  # success, partial, setback, or skipped (it did not happen)
    what_i_did: str
    note: str


class FollowupForm(FormScreen[FollowupAnswer]):
    """How did it go? The caller's save writes the answer before the form closes."""

    def __init__(self, performance: Performance) -> None:
        super().__init__()
        self.text = say("readiness.schedule")
        self.performance = performance
        self.form_title = self.text["followup_title"].format(title=performance.title)

    def fields(self) -> ComposeResult:
        text = self.text["followup"]
        buttons = [Choice(text["outcomes"][key], id=f"outcome-{key}") for key in OUTCOMES]
        yield from labelled(text["question"].format(title=self.performance.title),
                            RadioSet(*buttons, id="outcome", compact=True))
        yield from labelled(text["did"], Input(placeholder=text["did_placeholder"], id="did"),
                            text["did_hint"])
        yield from labelled(text["note"], Input(id="note"))

    def submit(self) -> FollowupAnswer:
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        if pressed is None or not pressed.id:
            raise InvalidValue(self.text["followup"]["choose"], "outcome")
        return FollowupAnswer(pressed.id.removeprefix("outcome-"), self.value("did").strip(),
                              self.value("note").strip())
