"""The self-efficacy audit: the method's closing exercise as six steps in a domain's record.

Pick a domain, record the last three difficult successes and what you did for each, then plan one
more this week. Each step is checked before the next one opens; nothing is written until the
summary is saved, and then everything is written in one write. The audit can be taken again in a
domain (say monthly): each sitting is kept, and the last one is shown beside each step.
"""

from datetime import datetime
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from efficacy_tui.coach import validate
from efficacy_tui.coach.audit import SUCCESSES, Audit, Plan, Success, read_plan, read_success
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import AuditSitting
from efficacy_tui.store.audit import audit_sittings, save_audit
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.domains import find_domain
from efficacy_tui.ui.screens.base import (
    ConfirmScreen,
    Lines,
    Step,
    StepScreen,
    step_bindings,
    step_heading,
)
from efficacy_tui.ui.screens.new_domain import slip_question
from efficacy_tui.ui.widgets.form import labelled, required
from efficacy_tui.ui.widgets.rating import Rating

NAME_LIMIT = 200


class AuditScreen(StepScreen):
    """Dismisses with the id of the domain it saved to, or None when left without saving. A domain
    of the same name (live or archived) takes the sitting, kept beside its earlier ones; a new one
    is made otherwise."""

    NAME = "audit"
    BINDINGS = step_bindings(
        NAME, save="Save the domain, the three successes and the plan",
        enter="On a step's last field: check it and go on",
        leave="Leave the audit; nothing is saved",
    )
    earlier: list[AuditSitting] = []  # the named domain's sittings so far, oldest first

    def _steps(self) -> ComposeResult:
        text = self.text
        with self._step("domain"):
            part = text["domain"]
            yield from step_heading(part)
            for name in self.STEPS[0].fields:
                field = Input(placeholder=part["placeholders"][name], id=name)
                yield from labelled(part["labels"][name], field, part["hints"].get(name, ""))
        part = text["success"]
        for number in range(1, SUCCESSES + 1):
            with self._step(f"success-{number}"):
                yield Static(id=f"success-{number}-heading", classes="step-heading")
                yield Static(Content(part["intro"][number - 1]), classes="hint")
                yield self._earlier_box(f"success-{number}-earlier")
                for name in ("title", "when", "did"):
                    field = Input(placeholder=part["placeholders"][name],
                                  id=f"success-{number}-{name}")
                    yield from labelled(part["labels"][name], field, part["hints"].get(name, ""))
        with self._step("plan"):
            part = text["plan"]
            yield Static(Content(part["heading"]), classes="step-heading")
            yield Static(id="plan-intro", classes="hint")
            yield self._earlier_box("plan-earlier")
            yield from labelled(part["labels"]["title"],
                                Input(placeholder=part["placeholders"]["title"], id="plan-title"))
            yield from labelled(part["labels"]["when"],
                                Input(part["default_when"],
                                      placeholder=part["placeholders"]["when"], id="plan-when"),
                                part["hints"]["when"])
            yield from labelled(required(part["labels"]["confidence"]),
                                Rating(scale("confidence"), id="plan-confidence"),
                                part["hints"]["confidence"])
        yield from self._summary_step()

    @staticmethod
    def _earlier_box(box_id: str) -> Static:
        """Where the last sitting's answer to a step shows; hidden until there is one."""
        box = Static(id=box_id, classes="hint earlier")
        box.display = False
        return box

    def _paint_success(self, number: int) -> None:
        """Name the domain in the heading of a success's step, and show the same success of the
        last sitting beside it."""
        heading = self.text["success"]["heading"].format(domain=self._value("name").strip())
        self.query_one(f"#success-{number}-heading", Static).update(Content(heading))
        box = self.query_one(f"#success-{number}-earlier", Static)
        last = self.earlier[-1] if self.earlier else None
        shown = last.successes[number - 1] if last and len(last.successes) >= number else None
        box.display = shown is not None
        if shown is not None:
            words = self.text["earlier"]
            box.update(Content.assemble(
                (self._sitting(words["success"]), "italic"), shown.title,
                (words["did"] if shown.what_i_did else "", "italic"), shown.what_i_did,
            ))

    def _paint_plan(self) -> None:
        """Name the domain in the plan's hint, and show the last sitting's plan, its rating
        beforehand and how it went."""
        intro = self.text["plan"]["intro"].format(domain=self._value("name").strip())
        self.query_one("#plan-intro", Static).update(Content(intro))
        box = self.query_one("#plan-earlier", Static)
        plan = self.earlier[-1].plan if self.earlier else None
        box.display = plan is not None
        if plan is not None:
            words = self.text["earlier"]
            outcome = words["outcomes"].get(plan.outcome or "", words["no_outcome"])
            box.update(Content.assemble(
                (self._sitting(words["plan"]), "italic"), plan.title,
                (words["rated"].format(confidence=plan.confidence, outcome=outcome), "italic"),
            ))

    def _sitting(self, template: str) -> str:
        """The words that open a line about the last sitting: its date, and how many came
        before it."""
        last = datetime.fromisoformat(self.earlier[-1].created_at)
        more = len(self.earlier) - 1
        before = self.text["earlier"]["more"].format(n=more) if more else ""
        return template.format(date=self._date(last), more=before)

    @on(Input.Changed)
    def _typed(self) -> None:
        """A sentence about what was typed goes once the typing changes."""
        self._clear_error()

    # Reading and checking

    def _read_domain(self) -> tuple[str, str, str]:
        names = self.text["names"]
        name = validate.required_text(self._value("name"), names["name"], "name")
        if len(name) > NAME_LIMIT:
            raise InvalidValue(
                say("audit.errors.too_long", label=names["name"], limit=NAME_LIMIT), "name"
            )
        found = find_domain(self.app.store, name)
        self.earlier = audit_sittings(self.app.store, found.id) if found else []
        return name, self._value("goal").strip(), self._value("why").strip()

    def _check_success(self, number: int) -> None:
        self._read_success(number, self.app.store.now())

    def _check_plan(self) -> None:
        self._read_plan(self.app.store.now())

    def _read_success(self, number: int, now: datetime) -> Success:
        prefix = f"success-{number}"
        return read_success(number, self._value(f"{prefix}-title"),
                            self._value(f"{prefix}-when"), self._value(f"{prefix}-did"), now)

    def _read_plan(self, now: datetime) -> Plan:
        confidence = self.query_one("#plan-confidence", Rating).value
        return read_plan(self._value("plan-title"), self._value("plan-when"), confidence, now)

    def _read_all(self) -> Audit:
        """Every step checked again, in order, against the clock as it is now."""
        now = self.app.store.now()
        name, goal, why = self._read_domain()
        successes = tuple(self._read_success(n, now) for n in range(1, SUCCESSES + 1))
        return Audit(name, goal, why, successes, self._read_plan(now))

    # Showing

    def _date(self, moment: datetime, with_time: bool = False) -> str:
        template = self.text["date_time" if with_time else "date"]
        return template.format(weekday=moment.strftime("%a"), day=moment.day,
                               month=moment.strftime("%b"), year=moment.year,
                               time=moment.strftime("%H:%M"))

    def _when(self, moment: datetime, typed: str, with_time: bool = False) -> str:
        shown = self._date(moment, with_time)
        return self.text["when"]["typed"].format(date=shown, text=typed) if typed else shown

    def _summary(self, audit: Audit) -> Content:
        """The whole audit as the user typed it."""
        words = self.text["summary"]
        line = Lines(words["blank"])
        existing = find_domain(self.app.store, audit.name)
        sittings = len(self.earlier)
        added = (words["sittings"].format(n=sittings + 1, earlier=sittings) if sittings
                 else words["existing"] if existing else "")
        line(words["domain"], audit.name + added)
        line(words["goal"], audit.goal)
        line(words["why"], audit.why)
        last = self.earlier[-1] if self.earlier else None
        for number, success in enumerate(audit.successes, start=1):
            line.gap()
            line(words["success"].format(n=number), success.title)
            line(words["when"], self._when(success.happened_at, success.when_text), "")
            line(words["did"], success.did, "")
            if last and len(last.successes) >= number:
                line(words["last_time"], last.successes[number - 1].title, "italic")
        plan = audit.plan
        line.gap()
        line(words["plan"], plan.title)
        line(words["plan_when"], self._when(plan.planned_at, plan.when_text, True), "")
        confidence = scale("confidence")
        line(words["plan_confidence"],
             f"{plan.confidence} ({confidence.anchor(plan.confidence)})", "")
        if last and last.plan:
            before = self.text["earlier"]["rated"].format(
                confidence=last.plan.confidence,
                outcome=self.text["earlier"]["outcomes"].get(
                    last.plan.outcome or "", self.text["earlier"]["no_outcome"]))
            line(words["last_time"], last.plan.title + before, "italic")
        return line.content()

    # Saving

    def question(self, entry: Audit) -> ConfirmScreen | None:
        """A domain name that is new but looks like a slip for a known domain is asked about;
        no stays on the summary with nothing written."""
        return slip_question(self.app.store, entry.name, self.text["slip_after"], self)

    def _save(self, audit: Audit) -> int:
        try:
            domain = save_audit(self.app.store, audit)
        except StoreError as err:
            raise InvalidValue(str(err), "name") from err
        self.app.notify(self.text["saved"])
        return domain.id

    # The steps, declared below the methods they name.
    STEPS = (
        Step("domain", ("name", "goal", "why"), check=_read_domain),
        Step("success-1", ("success-1-title", "success-1-when", "success-1-did"),
             check=partial(_check_success, number=1), paint=partial(_paint_success, number=1)),
        Step("success-2", ("success-2-title", "success-2-when", "success-2-did"),
             check=partial(_check_success, number=2), paint=partial(_paint_success, number=2)),
        Step("success-3", ("success-3-title", "success-3-when", "success-3-did"),
             check=partial(_check_success, number=3), paint=partial(_paint_success, number=3)),
        Step("plan", ("plan-title", "plan-when", "plan-confidence"), check=_check_plan,
             paint=_paint_plan),
        Step("summary", summary=True),
    )
