"""The self-efficacy audit: the seed's closing exercise as a six-step start to a new domain.

Pick a domain, record the last three difficult successes and what you did for each, then plan one
more this week. Each step is checked before the next one opens; nothing is written until the
summary is saved, and then everything is written in one transaction.
"""

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Input, Static

from efficacy_tui.coach import validate
from efficacy_tui.coach.audit import SUCCESSES, Audit, Plan, Success, read_plan, read_success
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import load, message
from efficacy_tui.store.attempts import add_attempt
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.domains import find_domain
from efficacy_tui.store.ladder import add_domain
from efficacy_tui.ui.widgets.form import labelled
from efficacy_tui.ui.widgets.rating import Rating

STEPS = 6
NAME_LIMIT = 200
BAR_DONE, BAR_TODO = "●", "○"

# The fields of each step, in tab order; the last one's enter moves to the next step.
FIELDS: dict[int, tuple[str, ...]] = {
    1: ("name", "goal", "why"),
    **{n + 1: (f"success-{n}-title", f"success-{n}-when", f"success-{n}-did")
       for n in range(1, SUCCESSES + 1)},
    5: ("plan-title", "plan-when", "plan-confidence"),
    6: (),
}


def step_of(field: str) -> int:
    """The step that holds a field."""
    return next((step for step, fields in FIELDS.items() if field in fields), 1)


class AuditScreen(Screen[int | None]):
    """Dismisses with the id of the domain it created, or None when left without saving."""

    BINDINGS = [
        Binding("ctrl+s", "next", "Next", id="audit.next", tooltip="Check this step and go on"),
        Binding("ctrl+s", "save", "Save", id="audit.save",
                tooltip="Save the domain, the three successes and the plan"),
        Binding("pagedown,ctrl+n", "next", "Next", show=False, priority=True,
                id="audit.next_step", tooltip="Check this step and go on"),
        Binding("pageup,ctrl+b", "back", "Back", priority=True, id="audit.back",
                tooltip="Back one step; what you typed stays"),
        Binding("enter", "enter", "Next", show=False, id="audit.enter",
                tooltip="On a step's last field: check it and go on"),
        Binding("escape", "leave", "Leave", id="audit.leave",
                tooltip="Leave the audit; nothing is saved"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.text = load("audit")
        self.step = 1

    def compose(self) -> ComposeResult:
        text = self.text
        yield Header(show_clock=False)
        yield Static(id="audit-progress")
        yield Static(id="error", classes="error")
        with ContentSwitcher(id="audit-steps", initial="step-1"):
            part = text["domain"]
            with VerticalScroll(id="step-1", classes="audit-step", can_focus=False):
                yield Static(Content(part["heading"]), classes="step-heading")
                yield Static(Content(part["intro"]), classes="hint")
                for name in FIELDS[1]:
                    field = Input(placeholder=part["placeholders"][name], id=name)
                    yield from labelled(part["labels"][name], field, part["hints"].get(name, ""))
            part = text["success"]
            for number in range(1, SUCCESSES + 1):
                with VerticalScroll(id=f"step-{number + 1}", classes="audit-step",
                                    can_focus=False):
                    yield Static(id=f"success-{number}-heading", classes="step-heading")
                    yield Static(Content(part["intro"][number - 1]), classes="hint")
                    for name in ("title", "when", "did"):
                        field = Input(placeholder=part["placeholders"][name],
                                      id=f"success-{number}-{name}")
                        yield from labelled(part["labels"][name], field,
                                            part["hints"].get(name, ""))
            part = text["plan"]
            with VerticalScroll(id="step-5", classes="audit-step", can_focus=False):
                yield Static(Content(part["heading"]), classes="step-heading")
                yield Static(id="plan-intro", classes="hint")
                yield from labelled(part["labels"]["title"],
                                    Input(placeholder=part["placeholders"]["title"],
                                          id="plan-title"))
                yield from labelled(part["labels"]["when"],
                                    Input(part["default_when"],
                                          placeholder=part["placeholders"]["when"],
                                          id="plan-when"),
                                    part["hints"]["when"])
                yield from labelled(part["labels"]["confidence"],
                                    Rating(scale("confidence"), id="plan-confidence"),
                                    part["hints"]["confidence"])
            part = text["summary"]
            with VerticalScroll(id="step-6", classes="audit-step"):
                yield Static(Content(part["heading"]), classes="step-heading")
                yield Static(Content(part["intro"]), classes="hint")
                yield Static(id="summary")
        yield Static(id="audit-keys", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.text["title"]
        self._go(1)

    # Moving between steps

    def _go(self, step: int, focus: str = "") -> None:
        """Show one step, its progress and keys, and focus `focus` or the step's first field."""
        self.step = step
        self._clear_error()
        self.query_one("#audit-steps", ContentSwitcher).current = f"step-{step}"
        text = self.text
        progress = Content.assemble(
            (text["progress"].format(step=step, steps=STEPS), "bold"), "  ",
            BAR_DONE * step + BAR_TODO * (STEPS - step), "  ", text["steps"][step - 1],
        )
        self.query_one("#audit-progress", Static).update(progress)
        keys = text["keys_last"] if step == STEPS else text["keys"]
        self.query_one("#audit-keys", Static).update(Content(keys))
        domain = self._value("name").strip()
        if 2 <= step <= 1 + SUCCESSES:
            heading = text["success"]["heading"].format(domain=domain)
            self.query_one(f"#success-{step - 1}-heading", Static).update(Content(heading))
        elif step == 5:
            intro = text["plan"]["intro"].format(domain=domain)
            self.query_one("#plan-intro", Static).update(Content(intro))
        elif step == STEPS:
            try:
                audit = self._read_all()
            except InvalidValue as err:
                self._refuse(err)
                return
            self.query_one("#summary", Static).update(self._summary(audit))
        self.refresh_bindings()
        target = focus or (FIELDS[step][0] if FIELDS[step] else "")
        self.query_one(f"#{target}" if target else f"#step-{step}").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.step < STEPS
        if action == "save":
            return self.step == STEPS
        if action == "back":
            return self.step > 1
        return True

    def action_next(self) -> None:
        if self.step >= STEPS:
            return
        try:
            self._check_step(self.step)
        except InvalidValue as err:
            self._refuse(err)
            return
        self._go(self.step + 1)

    def action_back(self) -> None:
        if self.step > 1:
            self._go(self.step - 1)

    def action_enter(self) -> None:
        """Enter on a step's last field (a rating, here) moves on, as it does on an input."""
        fields = FIELDS[self.step]
        if fields and self.focused is not None and self.focused.id == fields[-1]:
            self.action_next()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = FIELDS[self.step]
        if fields and event.input.id == fields[-1]:
            self.action_next()
        else:
            self.focus_next()

    def action_leave(self) -> None:
        self.dismiss(None)

    # Reading and checking

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _check_step(self, step: int) -> None:
        """Raise InvalidValue for the first bad field of one step."""
        now = self.app.store.now()
        if step == 1:
            self._read_domain()
        elif 2 <= step <= 1 + SUCCESSES:
            self._read_success(step - 1, now)
        elif step == 5:
            self._read_plan(now)

    def _read_domain(self) -> tuple[str, str, str]:
        names = self.text["names"]
        name = validate.required_text(self._value("name"), names["name"], "name")
        if len(name) > NAME_LIMIT:
            raise InvalidValue(
                message("audit_too_long", label=names["name"], limit=NAME_LIMIT), "name"
            )
        if find_domain(self.app.store, name):
            raise InvalidValue(message("domain_exists", name=name), "name")
        return name, self._value("goal").strip(), self._value("why").strip()

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
        """The whole audit as the user typed it: their words are text, never markup."""
        words = self.text["summary"]
        blank = words["blank"]
        parts: list[str | tuple[str, str]] = []

        def line(label: str, value: str, style: str = "bold") -> None:
            parts.extend([(label, style), value or blank, "\n"])

        line(words["domain"], audit.name)
        line(words["goal"], audit.goal)
        line(words["why"], audit.why)
        for number, success in enumerate(audit.successes, start=1):
            parts.append("\n")
            line(words["success"].format(n=number), success.title)
            line(words["when"], self._when(success.happened_at, success.when_text), "")
            line(words["did"], success.did, "")
        plan = audit.plan
        parts.append("\n")
        line(words["plan"], plan.title)
        line(words["plan_when"], self._when(plan.planned_at, plan.when_text, True), "")
        confidence = scale("confidence")
        line(words["plan_confidence"],
             f"{plan.confidence} ({confidence.anchor(plan.confidence)})", "")
        return Content.assemble(*parts[:-1])

    def _clear_error(self) -> None:
        error = self.query_one("#error", Static)
        error.update("")
        error.display = False

    def _refuse(self, err: InvalidValue) -> None:
        """Open the step holding the bad field, show the sentence and focus the field."""
        field = err.field or FIELDS[self.step][0]
        step = step_of(field)
        if step != self.step:
            self._go(step, focus=field)
        error = self.query_one("#error", Static)
        error.update(Content(str(err)))
        error.display = True
        self.query_one(f"#{field}").focus()

    # Saving

    def action_save(self) -> None:
        try:
            audit = self._read_all()
        except InvalidValue as err:
            self._refuse(err)
            return
        store = self.app.store
        try:
            with store.transaction():
                domain = add_domain(store, audit.name, audit.goal, audit.why)
                for success in audit.successes:
                    add_attempt(
                        store, domain_id=domain.id, title=success.title,
                        happened_at=success.happened_at.isoformat(), outcome="success",
                        confidence=None, what_i_did=success.did, source="audit",
                    )
                add_attempt(
                    store, domain_id=domain.id, title=audit.plan.title,
                    happened_at=audit.plan.planned_at.isoformat(), outcome=None,
                    confidence=audit.plan.confidence, source="audit",
                )
        except StoreError as err:
            self._refuse(InvalidValue(str(err), "name"))
            return
        self.app.notify(self.text["saved"])
        self.dismiss(domain.id)
