"""Attribution reframing after a setback: seven steps from what happened to an if-then plan.

What happened; why, in the user's own words, with fixed-ability wording named as they type; the
three questions of attribution theory (Weiner 1985), pre-selected only where their words name a
cause, for them to confirm; when their answers say stable or out of their hands, the retraining
question, a choice of controllable, temporary causes (attributional retraining, Perry et al. 2014)
and a second look at those two answers, which are the ones the reframe ends on; a new explanation;
counter-evidence from their own record; and an if-then plan, with the ladder's split offered when
the rule suggests it. Nothing but a draft is written until the summary is saved, and then the
reframe (and an accepted easier rung) goes into the file in one write that also drops the draft.
The draft, kept as the user types, is keyed by the attempt's id, or FREE for a setback described in
free text, so escape loses nothing and each setback comes back with its own words.
f2 shows past reframes and how the user's explanations have moved toward causes they can change.
"""

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, ContentSwitcher, Input, RadioButton, RadioSet, Static

from efficacy_tui import stamps
from efficacy_tui.coach import attribution, validate
from efficacy_tui.coach.ladder import suggest
from efficacy_tui.coach.plan import plan_parts
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Attempt, Domain, Evidence, Reframe, Rung
from efficacy_tui.store.attempts import get_attempt
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.domains import find_domain, get_rung, list_domains, unknown_domain
from efficacy_tui.store.ladder import get_domain, ladder_lines
from efficacy_tui.store.reframes import (
    ReframeEntry,
    counter_evidence,
    monthly_counts,
    recent_reframes,
    save_reframe,
)
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import Lines, Step, StepScreen, step_bindings, step_heading
from efficacy_tui.ui.widgets.choice import Choice, Tick
from efficacy_tui.ui.widgets.form import labelled

HISTORY = "history"
FREE = "free"  # the draft key of a reframe not about a recorded attempt
HISTORY_SHOWN = 5
TREND_MONTHS = 12
TREND_CELLS = 20
TREND_FULL, TREND_EMPTY = "█", "░"

DIMENSIONS = ("locus", "stability", "controllability")
# Asked again on step 4, once a cause has been chosen: the answers the reframe ends on.
SECOND_LOOK = ("stability", "controllability")
FINAL = "final-"
ANSWERS = {
    "locus": ("internal", "external"),
    "stability": ("stable", "temporary"),
    "controllability": ("controllable", "uncontrollable"),
}

def highlighted(text: str, findings: list, words: dict) -> Content:
    """The user's text with each finding reversed and bracketed, so it reads without colour.

    Built from slices of the text, so markup typed by the user is shown, never interpreted."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < position:
            continue  # overlaps one already marked
        parts.append(text[position:finding.start])
        parts.extend([(words["mark_open"], "bold"), (text[finding.start:finding.end], "reverse"),
                      (words["mark_close"], "bold")])
        position = finding.end
    parts.append(text[position:])
    return Content.assemble(*parts)


def trend_bar(share: float, cells: int = TREND_CELLS) -> str:
    """A share from 0 to 1 as a text bar, readable without colour."""
    filled = round(max(0.0, min(1.0, share)) * cells)
    return TREND_FULL * filled + TREND_EMPTY * (cells - filled)


class ReframeScreen(StepScreen):
    """Dismisses with the id of the saved reframe, or None when left without saving."""

    NAME = "reframe"
    DRAFT_KIND = "reframe"
    BINDINGS = step_bindings(
        NAME,
        Binding("f2", "history", "History", id="reframe.history",
                tooltip="Past reframes and your attribution style over time"),
        save="Save the reframe and the plan (and the easier rung, if chosen)",
        enter="On a choice: choose the highlighted answer and go on",
        leave="Leave now, finish later: what you typed is kept (closes the history first)",
        enter_priority=True, leave_label="Finish later",
    )

    def __init__(self, attempt_id: int | None = None) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.attempt: Attempt | None = None
        self.domain: Domain | None = None
        self.rung: Rung | None = None
        self.split_reason: str | None = None
        self.effort: int | None = None
        self.showing_history = False
        self._focus_before_history: Widget | None = None
        self._preselected_for: str | None = None
        # The answer the coach put in each choice, so a re-guess replaces only those the user
        # has not changed.
        self._suggested: dict[str, str] = {}
        self.evidence: list[Evidence] = []
        self._attempt_missing = False

    # Reading what the screen is about

    def _load(self) -> None:
        """The attempt being reframed, its domain and rung, and whether the rung needs a split."""
        store = self.app.store
        if self.attempt_id is not None:
            self.attempt = get_attempt(store, self.attempt_id)
            if self.attempt is None:
                self.attempt_id = None
                self._attempt_missing = True
        attempt = self.attempt
        if attempt is None:
            return
        self.effort = attempt.effort
        self.domain = get_domain(store, attempt.domain_id) if attempt.domain_id else None
        self.rung = get_rung(store, attempt.rung_id) if attempt.rung_id else None
        if self.rung is not None:
            line = next((line for line in ladder_lines(store, self.rung.domain_id)
                         if line.rung.id == self.rung.id), None)
            if line is not None:
                suggestion = suggest(line.outcomes)
                if suggestion.kind == "split":
                    self.split_reason = suggestion.reason

    # Building the steps

    def compose(self) -> ComposeResult:
        self._load()
        yield from super().compose()

    def _steps(self) -> ComposeResult:
        text = self.text
        with self._step("what"):
            yield from self._step_what()
        with self._step("why"):
            part = text["why"]
            yield from step_heading(part)
            yield from labelled(part["label"], Input(placeholder=part["placeholder"], id="why"))
            # Shown once there is a "why" to show back.
            view, findings = Static(id="why-view"), Static(id="why-findings")
            view.display = findings.display = False
            yield view
            yield findings
        with self._step("dimensions"):
            part = text["dimensions"]
            yield from step_heading(part)
            for dimension in DIMENSIONS:
                words = part[dimension]
                buttons = [Choice(Content(words[answer]), id=f"{dimension}-{answer}")
                           for answer in ANSWERS[dimension]]
                yield from labelled(words["question"],
                                    RadioSet(*buttons, id=dimension, compact=True), words["hint"])
            yield Static(Content(text["science"]), classes="hint science")
        with self._step("cause"):
            part = text["cause"]
            yield Static(Content(attribution.SEED_QUESTION), classes="step-heading",
                         id="seed-question")
            yield Static(Content(part["intro"]), classes="hint")
            if self.effort is not None and self.effort >= 4:
                yield Static(Content(part["high_effort"]), classes="hint")
            buttons = [Choice(Content(label), id=f"cause-{key}")
                       for key, label in attribution.cause_choices(self.effort)]
            yield RadioSet(*buttons, id="cause", compact=True)
            yield Static(Content(part["second_look"]), classes="hint")
            for dimension in SECOND_LOOK:
                words = text["dimensions"][dimension]
                buttons = [Choice(Content(words[answer]), id=f"{FINAL}{dimension}-{answer}")
                           for answer in ANSWERS[dimension]]
                yield from labelled(words["question"], RadioSet(
                    *buttons, id=f"{FINAL}{dimension}", compact=True))
        with self._step("explanation"):
            part = text["explanation"]
            yield from step_heading(part)
            yield from labelled(part["label"], Input(placeholder=part["placeholder"],
                                                     id="new-explanation"))
            yield Static(id="explanation-hint", classes="hint")
        with self._step("evidence"):
            yield Static(Content(text["evidence"]["heading"]), classes="step-heading")
            yield Static(id="evidence-intro", classes="hint")
            yield Static(id="evidence")
        with self._step("plan"):
            yield from self._step_plan()
        yield from self._summary_step()
        with VerticalScroll(id=HISTORY, classes="reframe-step"):
            yield from step_heading(text["history"])
            yield Static(id="history-recent")
            yield Static(id="history-trend")
            yield Static(Content(text["science"]), classes="hint science")

    def _step_what(self) -> ComposeResult:
        part = self.text["what"]
        yield Static(Content(part["heading"]), classes="step-heading")
        attempt = self.attempt
        yield Static(Content(part["attempt_intro" if attempt else "intro"]), classes="hint")
        if attempt is not None:
            yield Static(self._attempt_card(attempt), id="attempt-card", classes="reframe-card")
        field = Input(attempt.title if attempt else "", placeholder=part["what_placeholder"],
                      id="what")
        yield from labelled(part["what"], field)
        if attempt is None:
            names = [d.name for d in list_domains(self.app.store)]
            hint = (part["domain_hint"].format(names=", ".join(names)) if names
                    else part["domain_hint_none"])
            domain = Input(placeholder=part["domain_placeholder"], id="domain",
                           suggester=SuggestFromList(names, case_sensitive=False))
            yield from labelled(part["domain"], domain, hint)
        yield Static(Content(part["history_hint"]), classes="hint history-hint")

    def _attempt_card(self, attempt: Attempt) -> Content:
        """The attempt as recorded, every value the user's own text."""
        part = self.text["what"]
        rung = self.rung
        outcome = part["outcomes"][attempt.outcome or "planned"]
        rows = [
            (part["attempt"], attempt.title),
            (part["attempt_domain"], self.domain.name if self.domain else part["no_domain"]),
            (part["attempt_rung"],
             part["rung"].format(title=rung.title, difficulty=rung.difficulty)
             if rung else part["no_rung"]),
            (part["attempt_outcome"], outcome),
            (part["attempt_when"], self._date(attempt.happened_at)),
        ]
        return Content("\n").join(Content.assemble((label, "bold"), value)
                                  for label, value in rows)

    def _step_plan(self) -> ComposeResult:
        part = self.text["plan"]
        yield from step_heading(part)
        yield from labelled(part["if_label"], Input(placeholder=part["if_placeholder"],
                                                    id="if-situation"))
        yield from labelled(part["then_label"], Input(placeholder=part["then_placeholder"],
                                                      id="then-action"))
        if self.split_reason is not None and self.rung is not None:
            title = self.rung.title
            yield Tick(Content(part["split_label"].format(title=title)), True, id="split")
            yield Static(Content(part["split_hint"].format(reason=self.split_reason)),
                         classes="hint")
            default = say("ladder.split_rung_title", title=title)
            yield from labelled(part["split_title"], Input(default, id="split-title"))

    def on_mount(self) -> None:
        # Textual runs StepScreen.on_mount, which opens step 1, after this one.
        self.call_after_refresh(self._prepare_detection)
        if self._attempt_missing:
            self.notify(self.text["not_found"], severity="warning", markup=False)

    def _prepare_detection(self) -> None:
        """Compile the wording patterns in a thread, once the screen has painted and every step
        is mounted: compiling holds up whatever else the app is doing."""
        if self._when_mounted(self._prepare_detection):
            self.run_worker(attribution.prepare, thread=True, name="attribution.prepare")

    # The draft

    def _draft_key(self) -> str:
        return FREE if self.attempt_id is None else str(self.attempt_id)

    def _draft_values(self) -> dict:
        """Also the words the three answers were last guessed from, so answers changed by hand
        are not guessed over again when the three questions open."""
        return {**super()._draft_values(), "preselected_for": self._preselected_for,
                "suggested": dict(self._suggested)}

    def _restore(self, data: dict) -> None:
        super()._restore(data)
        guessed_from = data.get("preselected_for")
        self._preselected_for = guessed_from if isinstance(guessed_from, str) else None
        suggested = data.get("suggested")
        if isinstance(suggested, dict):
            self._suggested = {name: answer for name, answer in suggested.items()
                               if isinstance(name, str) and isinstance(answer, str)}

    # Moving between steps

    def _cause_needed(self) -> bool | None:
        """Whether the step on causes applies, or None while the three questions are unanswered."""
        try:
            dimensions = self._read_dimensions()
        except InvalidValue:
            return None
        return attribution.needs_retraining(dimensions)

    def _skip_cause(self) -> bool:
        """The three answers say the cause is already one the user can change."""
        return self._cause_needed() is False

    def _keys(self) -> str:
        return "keys_history" if self.showing_history else super()._keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next", "save", "back", "enter") and self.showing_history:
            return False
        if action == "enter":
            # Inputs submit on enter by themselves; this binding only speaks for choices and
            # for a step before the summary with nothing to type.
            focused = self.focused
            return isinstance(focused, (RadioSet, Checkbox)) or (
                not self._last() and focused is not None and focused.id == f"step-{self.step}")
        return super().check_action(action, parameters)

    def _choice_made(self, name: str) -> None:
        """The three answers decide whether the step on causes is skipped, as progress shows."""
        if name in DIMENSIONS:
            self._paint_progress()

    @on(Checkbox.Changed, "#split")
    def _split_toggled(self, event: Checkbox.Changed) -> None:
        self.query_one("#split-title", Input).disabled = not event.value

    @on(Input.Changed, "#why")
    def _why_changed(self, event: Input.Changed) -> None:
        self._paint_why(event.value)

    def action_leave(self) -> None:
        if self.showing_history:
            self.action_history()
            return
        super().action_leave()

    def action_history(self) -> None:
        """Show past reframes in place of the current step, or go back to the step as it was."""
        if not self._when_mounted(self.action_history):
            return
        switcher = self.query_one("#reframe-steps", ContentSwitcher)
        if self.showing_history:
            self.showing_history = False
            switcher.current = f"step-{self.step}"
            previous = self._focus_before_history
            if previous is not None and previous.is_attached:
                previous.focus()
        else:
            self._focus_before_history = self.focused
            self._paint_history()
            self.showing_history = True
            switcher.current = HISTORY
            self.query_one(f"#{HISTORY}").focus()
        self._paint_keys()
        self.refresh_bindings()

    # Painting what the coach shows

    def _paint_why(self, value: str) -> None:
        """The "why" shown back with fixed-ability wording marked, and each finding named."""
        words = self.text["why"]
        view = self.query_one("#why-view", Static)
        listing = self.query_one("#why-findings", Static)
        if not value.strip():
            view.display = listing.display = False
            return
        findings = attribution.detect(value)
        view.update(Content.assemble((words["view"], "bold"), highlighted(value, findings, words)))
        if findings:
            lines = [Content.styled(words["findings"], "bold")]
            lines.extend(Content.assemble("• ", finding.explanation) for finding in findings)
            listing.update(Content("\n").join(lines))
        else:
            listing.update(Content.styled(words["none"], "italic"))
        view.display = listing.display = True

    def _suggest(self, name: str, answer: str) -> None:
        """Choose `answer` in the choice `name`, unless the user has chosen another one there."""
        chosen = self.choices.get(name)
        if chosen is not None and chosen != self._suggested.get(name):
            return
        self.choices[name] = answer
        self._suggested[name] = answer
        self.query_one(f"#{name}-{answer}", RadioButton).value = True

    def _preselect(self) -> None:
        """Pre-select the three answers from the "why", unless already done for these words.

        Only an answer the words suggest is chosen, and never over one the user chose: with no
        cause named, the user answers each question."""
        why = self._value("why")
        if why == self._preselected_for:
            return
        dimensions = attribution.preselect(why, attribution.detect(why))
        if dimensions is not None:
            for dimension in DIMENSIONS:
                self._suggest(dimension, getattr(dimensions, dimension))
        self._preselected_for = why

    def _prefill_second_look(self) -> None:
        """The second look starts from the user's own answers on step 3."""
        for dimension in SECOND_LOOK:
            first = self.choices.get(dimension)
            if first is not None:
                self._suggest(f"{FINAL}{dimension}", first)

    def _paint_explanation_hint(self) -> None:
        hints = self.text["explanation"]["hints"]
        cause = self.choices.get("cause") if self._cause_needed() else None
        self.query_one("#explanation-hint", Static).update(Content(hints[cause or "none"]))

    def _current_domain(self) -> Domain | None:
        try:
            return self._read_what()[1]
        except InvalidValue:
            return None

    def _paint_evidence(self) -> None:
        """Up to three past successes in the domain, equal or harder rungs first."""
        words = self.text["evidence"]
        domain = self._current_domain()
        difficulty = self.rung.difficulty if self.rung else None
        self.evidence = (
            counter_evidence(self.app.store, domain.id, difficulty, exclude=self.attempt_id)
            if domain else []
        )
        intro = self.query_one("#evidence-intro", Static)
        box = self.query_one("#evidence", Static)
        if domain is None:
            intro.update(Content(words["no_domain"]))
            box.update("")
            return
        if not self.evidence:
            intro.update(Content(words["none"].format(domain=domain.name)))
            box.update("")
            return
        key = "intro" if difficulty is not None else "intro_any"
        intro.update(Content(words[key].format(domain=domain.name)))
        blocks = []
        for item in self.evidence:
            attempt = item.attempt
            where = (words["rung"].format(title=item.rung_title, difficulty=item.difficulty)
                     if item.rung_title is not None else words["no_rung"])
            did = attempt.what_i_did.strip()
            blocks.append(Content("\n").join([
                Content.assemble(("✓ " + self._date(attempt.happened_at), "bold"), where),
                Content.assemble("  ", attempt.title),
                Content.assemble("  ", (words["did"], "italic"), did) if did
                else Content.styled("  " + words["no_did"], "dim"),
            ]))
        blocks.append(Content.styled(words["closing"], "italic"))
        box.update(Content("\n\n").join(blocks))

    def _paint_history(self) -> None:
        """The last few reframes, and per month the share ending on a controllable, temporary
        cause, as a text bar chart with the months and percentages written out."""
        words = self.text["history"]
        store = self.app.store
        recent = recent_reframes(store, HISTORY_SHOWN)
        lines: list[Content] = [Content.styled(words["recent"], "bold underline")]
        if recent:
            lines.extend(self._history_line(reframe) for reframe in recent)
            lines.append(Content.styled(words["legend"], "dim"))
        else:
            lines.append(Content(words["none"]))
        self.query_one("#history-recent", Static).update(Content("\n").join(lines))
        shares = attribution.monthly_share(monthly_counts(store))[-TREND_MONTHS:]
        lines = [Content.styled(words["trend"], "bold underline"),
                 Content.styled(words["trend_intro"], "dim")]
        if not shares:
            lines.append(Content(words["trend_none"]))
        for month, count, ended, share in shares:
            lines.append(Content.assemble(
                (f"{self._month(month):<9} ", "bold"), trend_bar(share),
                words["trend_line"].format(percent=round(share * 100), ct=ended, n=count),
            ))
        self.query_one("#history-trend", Static).update(Content("\n").join(lines))

    def _history_line(self, reframe: Reframe) -> Content:
        words = self.text["history"]
        mark = words["yes" if reframe.controllable_temporary else "no"]
        cause = (Content.assemble(words["cause"], self._cause_label(reframe.cause))
                 if reframe.cause else Content(words["no_cause"]))
        return Content.assemble(
            (words["line"].format(mark=mark, date=self._date(reframe.created_at)), "bold"),
            reframe.what_happened, cause,
        )

    # Reading and checking

    def _read_what(self) -> tuple[str, Domain | None]:
        names = self.text["names"]
        what = validate.required_text(self._value("what"), names["what"], "what")
        if self.attempt is not None:
            return what, self.domain
        store = self.app.store
        typed = self._value("domain").strip()
        known = [d.name for d in list_domains(store)]
        if not typed:
            if known:
                listed = say("common.known_domains", names=", ".join(known))
                raise InvalidValue(say("reframe.errors.domain_needed", known=listed), "domain")
            return what, None
        domain = find_domain(store, typed)
        if domain is None:
            raise InvalidValue(unknown_domain(typed, known), "domain")
        return what, domain

    def _read_why(self) -> str:
        return validate.required_text(self._value("why"), self.text["names"]["why"], "why")

    def _read_dimensions(self) -> "attribution.Dimensions":
        for dimension in DIMENSIONS:
            if dimension not in self.choices:
                question = self.text["dimensions"][dimension]["question"]
                raise InvalidValue(say("reframe.errors.answer", question=question), dimension)
        return attribution.Dimensions(**{d: self.choices[d] for d in DIMENSIONS})

    def _check_cause(self) -> None:
        dimensions = self._read_dimensions()
        self._read_cause(dimensions)
        self._read_final(dimensions)

    def _read_cause(self, dimensions: "attribution.Dimensions") -> str | None:
        if not attribution.needs_retraining(dimensions):
            return None
        cause = self.choices.get("cause")
        if cause is None:
            raise InvalidValue(hint(self, say("reframe.errors.choose_cause")), "cause")
        return cause

    def _read_final(self, dimensions: "attribution.Dimensions") -> "attribution.Dimensions":
        """The answers the reframe ends on: the second look's when step 4 applies, else step 3's."""
        if not attribution.needs_retraining(dimensions):
            return dimensions
        answers = {}
        for dimension in SECOND_LOOK:
            name = f"{FINAL}{dimension}"
            if name not in self.choices:
                question = self.text["dimensions"][dimension]["question"]
                raise InvalidValue(say("reframe.errors.answer", question=question), name)
            answers[dimension] = self.choices[name]
        return attribution.Dimensions(dimensions.locus, **answers)

    def _read_explanation(self) -> str:
        return validate.required_text(self._value("new-explanation"),
                                      self.text["names"]["new_explanation"], "new-explanation")

    def _split_chosen(self) -> bool:
        boxes = self.query("#split")
        return bool(boxes) and boxes.first(Checkbox).value

    def _read_plan(self) -> tuple[str, str, str | None]:
        situation, action = plan_parts(self._value("if-situation"), self._value("then-action"))
        if not situation or not action:
            raise InvalidValue(say("common.if_then_pair"),
                               "if-situation" if not situation else "then-action")
        names = self.text["names"]
        situation = validate.required_text(situation, names["if_situation"], "if-situation")
        action = validate.required_text(action, names["then_action"], "then-action")
        split_title = None
        if self._split_chosen():
            split_title = validate.required_text(
                self._value("split-title"), self.text["names"]["split_title"], "split-title")
        return situation, action, split_title

    def _read_all(self) -> ReframeEntry:
        """Every step checked again, in order, into the entry that will be saved."""
        what, domain = self._read_what()
        why = self._read_why()
        dimensions = self._read_dimensions()
        cause = self._read_cause(dimensions)
        final = self._read_final(dimensions)
        explanation = self._read_explanation()
        situation, action, split_title = self._read_plan()
        return ReframeEntry(
            what_happened=what,
            cause_text=why,
            flagged=[finding.text for finding in attribution.detect(why)],
            locus=final.locus,
            stability=final.stability,
            controllability=final.controllability,
            cause=cause,
            new_explanation=explanation,
            if_situation=situation,
            then_action=action,
            evidence=[item.attempt.uid for item in self.evidence],
            controllable_temporary=attribution.is_controllable_temporary(final, cause),
            attempt_id=self.attempt_id,
            domain_id=domain.id if domain else None,
            split_title=split_title,
            split_rung_id=self.rung.id if split_title and self.rung else None,
        )

    # Showing

    def _date(self, stamp: str) -> str:
        moment = stamps.moment(stamp)
        if moment is None:
            return stamps.unreadable(stamp)
        return self.text["date"].format(weekday=moment.strftime("%a"), day=moment.day,
                                        month=moment.strftime("%b"), year=moment.year)

    def _month(self, month: str) -> str:
        moment = datetime.strptime(month, "%Y-%m")
        return self.text["month"].format(month=moment.strftime("%b"), year=moment.year)

    def _cause_label(self, cause: str) -> str:
        return dict(attribution.cause_choices(None)).get(cause, cause)

    def _summary(self, entry: ReframeEntry) -> Content:
        """The whole reframe as the user gave it: their words are text, never markup."""
        words = self.text["summary"]
        answers = self.text["dimensions"]
        line = Lines(words["blank"])
        domain = self._current_domain()
        line(words["what"], entry.what_happened)
        line(words["domain"], domain.name if domain else self.text["what"]["no_domain"])
        line(words["why"], entry.cause_text)
        line(words["flagged"], ", ".join(f"“{text}”" for text in entry.flagged)
             or words["none_flagged"])
        first = self._read_dimensions()
        line(words["locus"], answers["locus"][entry.locus])
        for dimension in SECOND_LOOK:
            said, final = getattr(first, dimension), getattr(entry, dimension)
            shown = answers[dimension][final]
            if said != final:
                shown = words["second_look"].format(first=answers[dimension][said], final=shown)
            line(words[dimension], shown)
        line(words["cause"], self._cause_label(entry.cause) if entry.cause
             else words["cause_skipped"])
        line(words["explanation"], entry.new_explanation)
        count = len(entry.evidence)
        shown = (words["evidence_none"] if count == 0 else words["evidence_one"] if count == 1
                 else words["evidence_count"].format(count=count))
        line(words["evidence"], shown)
        line(words["plan"], words["plan_line"].format(situation=entry.if_situation,
                                                      action=entry.then_action))
        if entry.split_title and self.rung:
            line(words["split"], words["split_line"].format(title=entry.split_title,
                                                            rung=self.rung.title))
        line(words["ending"],
             words["ending_yes"] if entry.controllable_temporary else words["ending_no"])
        return line.content()

    # Saving

    def _save(self, entry: ReframeEntry) -> int:
        try:
            reframe = save_reframe(self.app.store, entry, self.draft)
        except StoreError as err:
            field = "split-title" if entry.split_title else "what"
            raise InvalidValue(str(err), field) from err
        if entry.split_title and self.rung:
            self.app.notify(self.text["saved_split"].format(title=entry.split_title,
                                                             rung=self.rung.title), markup=False)
        else:
            self.app.notify(self.text["saved"], markup=False)
        return reframe.id

    # The steps, declared below the methods they name.
    STEPS = (
        Step("what", ("what", "domain"), check=_read_what),
        Step("why", ("why",), check=_read_why),
        Step("dimensions", DIMENSIONS, check=_read_dimensions, paint=_preselect),
        Step("cause", ("cause", f"{FINAL}stability", f"{FINAL}controllability"),
             check=_check_cause, paint=_prefill_second_look, skip=_skip_cause),
        Step("explanation", ("new-explanation",), check=_read_explanation,
             paint=_paint_explanation_hint),
        Step("evidence", paint=_paint_evidence),
        Step("plan", ("if-situation", "then-action", "split", "split-title"), check=_read_plan),
        Step("summary", summary=True, counted=False),
    )
