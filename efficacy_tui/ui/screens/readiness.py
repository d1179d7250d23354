"""The readiness walkthrough: seven short steps in the minutes before a performance.

The performance; a body check (sleep, energy, anxiety, confidence, readiness); reading arousal
as excitement, said aloud and put in the user's own words (never "calm down"); optional paced
breathing; the user's own mastery evidence from the domain with a model and credible feedback;
an if-then plan for the likeliest obstacle; and the same ratings again, before → after. Nothing but
a draft is written until the card is saved, in one write that also drops the draft (only a new
domain typed on step 1 is created earlier, when `m` adds a model or feedback for it); the saved
card stays on screen to take along. A domain typed on step 1 that is not there yet is started, by
the save or by `m`, only once the user says yes to it. Saving again for the same performance
replaces its earlier card, and the screen says so first.

The draft, kept as the user types, is keyed by the performance the screen opened on (the one asked
for, else the soonest not yet prepared for), or NEW when none is scheduled; it holds the choice on
step 1 too, so a switch to another performance or a new one comes back as left. Breathing is not
kept: it belongs to the minutes it was done in.
"""

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, RadioSet, Static

from efficacy_tui import stamps
from efficacy_tui.coach import validate
from efficacy_tui.coach.pacer import DEFAULT_PATTERN, DURATIONS, PATTERNS
from efficacy_tui.coach.plan import plan_parts
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.readiness import (
    change,
    order_evidence,
    pick_feedback,
    pick_model,
    time_left,
)
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Domain, Evidence, Feedback, Performance, RoleModel
from efficacy_tui.store.checkins import get_checkin
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.domains import find_domain, get_or_create_domain
from efficacy_tui.store.ladder import get_domain
from efficacy_tui.store.readiness import (
    WalkthroughEntry,
    get_performance,
    readiness_evidence,
    save_walkthrough,
    upcoming_performances,
)
from efficacy_tui.store.role_models import feedback_for, models_for
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import (
    ConfirmScreen,
    Lines,
    Step,
    StepScreen,
    step_bindings,
    step_heading,
)
from efficacy_tui.ui.screens.new_domain import new_domain_question
from efficacy_tui.ui.screens.performance_forms import (
    PerformanceFields,
    domain_input,
    read_performance,
)
from efficacy_tui.ui.widgets.choice import Choice, Tick
from efficacy_tui.ui.widgets.form import labelled, required
from efficacy_tui.ui.widgets.pacer import Pacer
from efficacy_tui.ui.widgets.rating import Rating

NEW = "new"
# The breathing lengths offered, in seconds; tests shorten them.
BREATH_SECONDS: tuple[int, ...] = DURATIONS
RATED = ("anxiety", "confidence", "readiness")


class ReadinessScreen(StepScreen):
    """Dismisses with the id of the saved performance, or None when left without saving."""

    NAME = "readiness"
    DRAFT_KIND = "readiness"
    BINDINGS = step_bindings(
        NAME,
        Binding("s", "breathe", "Start breathing", id="readiness.breathe",
                tooltip="Start the paced-breathing bar (step 4)"),
        Binding("s", "stop_breathing", "Stop breathing", id="readiness.stop_breathing",
                tooltip="Stop the paced breathing where it is; what was breathed counts"),
        Binding("m", "models", "Models", id="readiness.models",
                tooltip="Add a model or feedback for this domain (step 5)"),
        Binding("escape", "close", "Leave", id="readiness.close",
                tooltip="Back to home with your readiness card saved"),
        save="Save your readiness card",
        enter="Choose the highlighted answer, tick a box, or go to the next field or step",
        leave="Leave now, finish later: what you typed is kept as a draft",
        enter_priority=True, leave_label="Finish later",
        help="Every key, and the science behind the walkthrough",
    )

    def __init__(self, performance_id: int | None = None) -> None:
        super().__init__()
        self.performance_id = performance_id
        self.upcoming: list[Performance] = []
        self.breathed: tuple[str, int] | None = None
        self.evidence: list[Evidence] = []
        self.model: RoleModel | None = None
        self.feedback: Feedback | None = None
        self.saved: Performance | None = None
        self.started: datetime | None = None

    # Building the steps

    def compose(self) -> ComposeResult:
        store = self.app.store
        self.upcoming = upcoming_performances(store, store.now())
        if self.performance_id is None and self.upcoming:
            # The soonest one not prepared for yet, else the soonest.
            self.performance_id = next((p for p in self.upcoming if not p.completed_at),
                                       self.upcoming[0]).id
        if self.performance_id is not None:
            # The one asked for goes first, where the choice's highlight starts.
            chosen = next((p for p in self.upcoming if p.id == self.performance_id), None) \
                or get_performance(store, self.performance_id)
            if chosen is not None:
                self.upcoming = [chosen, *(p for p in self.upcoming if p.id != chosen.id)]
        self.choices["performance"] = str(self.performance_id) if self.performance_id else NEW
        self.choices["pattern"] = DEFAULT_PATTERN
        self.choices["duration"] = str(BREATH_SECONDS[0])
        yield from super().compose()

    def _steps(self) -> ComposeResult:
        text, store = self.text, self.app.store
        with self._step("performance"):
            part = text["performance"]
            yield from step_heading(part)
            now = store.now()
            # One walked through before is marked: saving again replaces its card.
            buttons = [
                Choice(Content(part["upcoming_done" if p.completed_at else "upcoming"].format(
                           title=p.title, when=self._date(p.scheduled_for),
                           left=time_left(now, p.scheduled_for))),
                       value=self.choices["performance"] == str(p.id), id=f"performance-{p.id}")
                for p in self.upcoming
            ]
            buttons.append(Choice(text["new_choice"], value=self.choices["performance"] == NEW,
                                  id=f"performance-{NEW}"))
            yield RadioSet(*buttons, id="performance", compact=True)
            labels, holders, hints = part["labels"], part["placeholders"], part["hints"]
            with Vertical(id="new-performance"):
                yield from labelled(labels["title"],
                                    Input(placeholder=holders["title"], id="title"))
                yield from labelled(labels["domain"],
                                    domain_input(store, "domain", holders["domain"]),
                                    hints["domain"])
                yield from labelled(labels["when"], Input(placeholder=holders["when"], id="when"),
                                    hints["when"])
        with self._step("body"):
            part = text["body"]
            yield from step_heading(part)
            labels = part["labels"]
            # Today's check-in already has these: they start filled in, and stay editable.
            today = get_checkin(store, store.today().isoformat())
            if today is not None:
                yield Static(Content(part["from_checkin"]), classes="hint", id="from-checkin")
            sleep = today.sleep_hours if today else None
            yield from labelled(labels["sleep"], Input(
                "" if sleep is None else f"{sleep:g}", placeholder=part["placeholders"]["sleep"],
                id="sleep", type="number"), part["hints"]["sleep"])
            yield from labelled(labels["energy"], Rating(
                scale("energy"), today.energy if today else None, id="energy"))
            for name in RATED:
                start = today.anxiety if today and name == "anxiety" else None
                yield from labelled(required(labels[name]),
                                    Rating(scale(name), start, id=f"{name}-before"),
                                    part["hints"].get(name, ""))
        with self._step("reappraise"):
            part = text["reappraise"]
            yield Static(Content(part["heading"]), classes="step-heading")
            yield Static(Content(part["explain"]), classes="hint")
            yield Static(Content(part["invite"]), classes="step-heading")
            yield Tick(part["said"], id="said-aloud")
            yield from labelled(part["label"], Input(placeholder=part["placeholder"],
                                                     id="reappraisal"), part["hint"])
        with self._step("breathe"):
            part = text["breathe"]
            yield from step_heading(part, self)
            patterns = [Choice(p.name, value=key == DEFAULT_PATTERN, id=f"pattern-{key}")
                        for key, p in PATTERNS.items()]
            yield from labelled(part["pattern"], RadioSet(*patterns, id="pattern", compact=True))
            yield Static(self._about(DEFAULT_PATTERN), id="pattern-about", classes="hint")
            durations = [Choice(self._length(n), value=n == BREATH_SECONDS[0], id=f"duration-{n}")
                         for n in BREATH_SECONDS]
            yield from labelled(part["duration"], RadioSet(*durations, id="duration",
                                                           compact=True))
            yield Pacer(hint(self, part["idle"]), id="pacer")
        with self._step("evidence"):
            yield Static(Content(text["evidence"]["heading"]), classes="step-heading")
            yield Static(id="evidence-intro", classes="hint")
            yield Static(id="evidence-list")
        with self._step("plan"):
            part = text["plan"]
            yield from step_heading(part)
            for name in ("if_situation", "then_action"):
                yield from labelled(part["labels"][name],
                                    Input(placeholder=part["placeholders"][name],
                                          id=name.replace("_", "-")))
        with self._step("after"):
            part = text["after"]
            yield from step_heading(part)
            for name in RATED:
                yield from labelled(required(part["labels"][name]),
                                    Rating(scale(name), id=f"{name}-after"))
            yield Static(id="change")
        with self._step("summary"):
            yield Static(id="summary-heading", classes="step-heading")
            yield Static(id="summary-intro", classes="hint")
            yield Static(id="summary")

    def on_mount(self) -> None:
        # Textual runs StepScreen.on_mount, which restores a draft and opens a step, after this.
        self.started = self.app.store.now()
        self._show_new_fields()

    def _draft_key(self) -> str:
        return NEW if self.performance_id is None else str(self.performance_id)

    # Showing

    def _date(self, stamp: str) -> str:
        moment = stamps.moment(stamp)
        if moment is None:
            return stamps.unreadable(stamp)
        return self.text["date_time"].format(weekday=moment.strftime("%a"), day=moment.day,
                                             month=moment.strftime("%b"),
                                             time=moment.strftime("%H:%M"))

    def _length(self, seconds: int) -> str:
        words = self.text["breathe"]
        if seconds % 60 == 0:
            return words["minutes"].format(n=seconds // 60)
        return words["seconds"].format(n=seconds)

    def _about(self, key: str) -> Content:
        """What a breathing pattern asks, in words."""
        about = say("readiness.pacer.patterns")[key]
        return Content(f"{about['label']}: {about['description']}")

    def _show_new_fields(self) -> None:
        """The title, domain and time are asked only for a new performance."""
        self.query_one("#new-performance").display = self.choices["performance"] == NEW

    def _step_name(self, step: int) -> str:
        return self.text["saved_step"] if self.saved is not None else super()._step_name(step)

    def _keys(self) -> str:
        """The keys that do something where the focus is now."""
        if self.saved is not None:
            return "keys_saved"
        if isinstance(self.focused, Checkbox):
            return "keys_tick"
        return super()._keys()

    def _keys_breathe(self) -> str:
        if self.query_one("#pacer", Pacer).running:
            return "keys_breathing_now"
        return "keys_breathed" if self.breathed else "keys_breathing"

    def _keys_evidence(self) -> str:
        return "keys_evidence" if self._domain_name() else "keys"

    def _domain_name(self) -> str:
        """The performance's domain as chosen or typed so far, whether it exists yet or not."""
        performance = self._chosen()
        if performance is not None:
            return performance.domain_name or ""
        return self._value("domain").strip()

    def _domain(self) -> Domain | None:
        """The performance's domain as chosen or typed so far, if it exists."""
        performance = self._chosen()
        if performance is not None:
            return get_domain(self.app.store, performance.domain_id) \
                if performance.domain_id else None
        typed = self._value("domain").strip()
        return find_domain(self.app.store, typed) if typed else None

    def _chosen(self) -> Performance | None:
        choice = self.choices["performance"]
        return next((p for p in self.upcoming if str(p.id) == choice), None)

    def _paint_evidence(self) -> None:
        """Up to three mastery records, hardest first, one model and one piece of feedback,
        under a sentence that says which of them there are. A domain typed on step 1 counts
        even before it is written."""
        words = self.text["evidence"]
        name, domain, store = self._domain_name(), self._domain(), self.app.store
        self.evidence = order_evidence(readiness_evidence(store, domain.id)) if domain else []
        self.model = pick_model(models_for(store, domain.id)) if domain else None
        self.feedback = pick_feedback(feedback_for(store, domain.id)) if domain else None
        intro, listing = self.query_one("#evidence-intro", Static), \
            self.query_one("#evidence-list", Static)
        if not name:
            scheduled = self._chosen() is not None
            intro.update(Content(words["no_domain_scheduled" if scheduled else "no_domain"]))
            listing.update("")
            return
        intro.update(Content(words["intro" if self.evidence else "intro_empty"].format(
            domain=name)))
        parts: list[str | tuple[str, str]] = []
        if self.evidence:
            parts.extend([(words["mastery"], "bold underline"), "\n"])
        for item in self.evidence:
            win = item.attempt
            named = (item.rung_title or "").strip()
            rung = f" · {named}" if named and named.casefold() != win.title.strip().casefold() \
                else ""
            parts.extend(["✓ ", (win.title, "bold"),
                          (f"  ({self._evidence_when(win.happened_at)}{rung})", "dim"), "\n"])
            if win.what_i_did:
                parts.extend(["  ", (words["did"], "italic"), " ", win.what_i_did, "\n"])
        if self.evidence:
            parts.append("\n")
        parts.extend([(words["model"], "bold underline"), "\n"])
        if self.model is None:
            parts.extend([(hint(self, words["no_model"]), "italic"), "\n"])
        else:
            model = self.model
            parts.extend(["◆ ", (model.who, "bold"), "\n"])
            if model.like_me:
                parts.extend(["  ", (words["model_like"], "italic"), " ", model.like_me, "\n"])
            parts.extend(["  ", (words["model_did"], "italic"), " ", model.what_they_did, "\n"])
        parts.extend(["\n", (words["feedback"], "bold underline"), "\n"])
        if self.feedback is None:
            parts.append((hint(self, words["no_feedback"]), "italic"))
        else:
            said = self.feedback
            parts.extend(["❝ ", said.what_they_said, "\n  — ", (said.who, "bold"),
                          (f", {words['credibility'].format(n=said.credibility)}", "dim")])
        listing.update(Content.assemble(*parts))

    def _evidence_when(self, stamp: str) -> str:
        return stamps.shown(stamp, "%d %b %Y")

    def _rating(self, field: str) -> int | None:
        return self.query_one(f"#{field}", Rating).value

    def _paint_change(self) -> None:
        words = self.text["after"]
        lines = [words["change"].format(label=self.text["names"][name],
                                        change=change(self._rating(f"{name}-before"),
                                                      self._rating(f"{name}-after")))
                 for name in RATED]
        self.query_one("#change", Static).update(Content("\n".join(lines)))

    # Keys and choices

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.saved is not None:
            return action == "close"
        if action == "close":
            return False
        if not super().check_action(action, parameters):
            return False
        if action in ("breathe", "stop_breathing"):
            return self.query_one("#pacer", Pacer).running == (action == "stop_breathing")
        if action == "models":
            return bool(self._domain_name())
        return True

    def action_enter(self) -> None:
        """Enter ticks or unticks a checkbox, as space does; elsewhere as the step says."""
        if isinstance(self.focused, Checkbox):
            self.focused.toggle()
        else:
            super().action_enter()

    def _enter_does(self) -> str:
        return "tick" if isinstance(self.focused, Checkbox) else super()._enter_does()

    def _enter_breathe_says(self) -> str:
        if self.breathed and not self.query_one("#pacer", Pacer).running:
            return "next_step"
        return "choose"

    def _enter_breathe(self) -> None:
        """On the breathing step enter only chooses, so the breathing is not skipped by
        accident, until breathing has been done; then it goes on to the evidence."""
        if self.breathed and not self.query_one("#pacer", Pacer).running:
            self.action_next()
        else:
            self._choose_highlighted()

    def _choice_made(self, name: str) -> None:
        if name == "performance":
            self._show_new_fields()
        elif name == "pattern":
            self.query_one("#pattern-about", Static).update(self._about(self.choices["pattern"]))

    @on(Rating.Changed)
    def _rated(self, event: Rating.Changed) -> None:
        """A rating on the step shown brings what the step shows of it up to date."""
        if event.rating.id in self.current.fields:
            self._paint_step(self.step)

    def action_breathe(self) -> None:
        pacer = self.query_one("#pacer", Pacer)
        pacer.start(PATTERNS[self.choices["pattern"]], int(self.choices["duration"]))
        self.breathed = None
        pacer.scroll_visible()
        self._breathing_changed()

    def action_stop_breathing(self) -> None:
        self._stop_breathing()

    def _stop_breathing(self) -> None:
        """Stop the pacer where it is and say how long was breathed; that much counts."""
        pacer = self.query_one("#pacer", Pacer)
        if not pacer.running or pacer.pattern is None:
            return
        words, pattern, seconds = self.text["breathe"], pacer.pattern, pacer.seconds_done
        if seconds:
            self.breathed = (pattern.key, seconds)
            pacer.rest(hint(self, words["stopped"], length=self._length(seconds),
                            pattern=pattern.name))
        else:
            pacer.rest(hint(self, words["idle"]))
        self._breathing_changed()

    @on(Pacer.Finished)
    def _breathing_done(self, event: Pacer.Finished) -> None:
        pacer = self.query_one("#pacer", Pacer)
        pattern = pacer.pattern
        assert pattern is not None
        self.breathed = (pattern.key, event.seconds)
        pacer.rest(hint(self, self.text["breathe"]["done"], minutes=self._length(event.seconds),
                        pattern=pattern.name))
        self._breathing_changed()

    def _breathing_changed(self) -> None:
        """`s` starts or stops, and the keys line says which."""
        self._paint_keys()
        self.refresh_bindings()

    def action_models(self) -> None:
        """Models and feedback for the domain; one typed on step 1 that is not there yet is
        started now (in its own write), once the user says yes, so they have somewhere to go."""
        name = self._domain_name()
        if not name:
            return
        domain = self._domain()
        if domain is not None:
            self._open_models(domain.id)
            return

        def start(_: object = None) -> None:
            self._open_models(get_or_create_domain(self.app.store, name).id)

        question = new_domain_question(self.app.store, name, self.text["new_domain_models"], self)
        if question is None:
            start()
        else:
            self.ask(question, start)

    def _open_models(self, domain_id: int) -> None:
        from efficacy_tui.ui.screens.role_models import RoleModelsScreen

        self.app.push_screen(RoleModelsScreen(domain_id), lambda _: self._paint_evidence())

    def action_close(self) -> None:
        """Escape once the card is saved: there is no draft left, so the key says plain Leave."""
        if self.saved is not None:
            self.dismiss(self.saved.id)

    # Reading and checking

    def _read_performance(self) -> Performance | PerformanceFields:
        """The performance chosen on step 1, else the one typed there."""
        chosen = self._chosen()
        if chosen is not None:
            return chosen
        return read_performance(self._value("title"), self._value("domain"),
                                self._value("when"), self.app.store.now())

    def _required_rating(self, name: str, when: str) -> int:
        value = self._rating(f"{name}-{when}")
        if value is None:
            what = self.text["names"][name].lower()
            raise InvalidValue(self.text["errors"][f"rate_{when}"].format(what=what),
                               f"{name}-{when}")
        return value

    def _required_ratings(self, when: str) -> tuple[int, int, int]:
        """The three RATED ratings `when` (before or after), in order."""
        anxiety, confidence, readiness = (self._required_rating(name, when) for name in RATED)
        return anxiety, confidence, readiness

    def _read_body(self) -> tuple[float | None, int | None, int, int, int]:
        sleep = self._value("sleep")
        hours = validate.hours(sleep, self.text["body"]["labels"]["sleep"], "sleep") \
            if sleep.strip() else None
        return (hours, self._rating("energy"), *self._required_ratings("before"))

    def _read_reappraisal(self) -> tuple[bool, str]:
        sentence = self._value("reappraisal").strip()
        if not sentence:
            raise InvalidValue(self.text["errors"]["reappraisal"], "reappraisal")
        return self.query_one("#said-aloud", Checkbox).value, sentence

    def _read_plan(self) -> tuple[str, str]:
        names = self.text["plan"]["names"]
        situation, action = plan_parts(self._value("if-situation"), self._value("then-action"))
        return (validate.required_text(situation, names["if_situation"], "if-situation",
                                       validate.TITLE_LIMIT),
                validate.required_text(action, names["then_action"], "then-action",
                                       validate.TITLE_LIMIT))

    def _read_after(self) -> tuple[int, int, int]:
        return self._required_ratings("after")

    def _read_all(self) -> tuple[Performance | PerformanceFields, WalkthroughEntry]:
        performance = self._read_performance()
        sleep, energy, anxiety, confidence, readiness = self._read_body()
        said, sentence = self._read_reappraisal()
        situation, action = self._read_plan()
        anxiety_after, confidence_after, readiness_after = self._read_after()
        breathing, seconds = self.breathed or (None, 0)
        entry = WalkthroughEntry(
            sleep_hours=sleep, energy=energy, anxiety_before=anxiety,
            confidence_before=confidence, readiness_before=readiness, said_aloud=said,
            reappraisal=sentence, breathing=breathing, breathing_seconds=seconds,
            evidence=[item.attempt.uid for item in self.evidence],
            model_id=self.model.id if self.model else None,
            feedback_id=self.feedback.id if self.feedback else None,
            if_situation=situation, then_action=action, anxiety_after=anxiety_after,
            confidence_after=confidence_after, readiness_after=readiness_after,
        )
        return performance, entry

    # The card

    def _summary(self, read: tuple[Performance | PerformanceFields, WalkthroughEntry]) -> Content:
        """The readiness card: before → after, the plan and the evidence first, then the rest."""
        performance, entry = read
        words = self.text["summary"]
        line = Lines(words["blank"])
        if isinstance(performance, Performance):
            title, when = performance.title, self._date(performance.scheduled_for)
            domain = performance.domain_name or ""
        else:
            title, when = performance.title, self._date(performance.when.isoformat())
            domain = performance.domain
        line(words["performance"], " · ".join(v for v in (title, when, domain) if v))
        for name in RATED:
            line(words[name], change(getattr(entry, f"{name}_before"),
                                     getattr(entry, f"{name}_after")), "")
        line(words["plan"], words["plan_line"].format(situation=entry.if_situation,
                                                      action=entry.then_action))
        said = words["said" if entry.said_aloud else "not_said"]
        line(words["reappraisal"], f"{entry.reappraisal} {said}", "")
        for number, item in enumerate(self.evidence):
            did = f" — {item.attempt.what_i_did}" if item.attempt.what_i_did else ""
            label = words["evidence" if number == 0 else "evidence_more"]
            line(label, f"✓ {item.attempt.title}{did}", "")
        if self.model:
            line(words["model"], f"{self.model.who}: {self.model.what_they_did}", "")
        if self.feedback:
            line(words["feedback"], words["feedback_line"].format(
                said=self.feedback.what_they_said, who=self.feedback.who), "")
        body = []
        if entry.sleep_hours is not None:
            body.append(words["sleep"].format(hours=f"{entry.sleep_hours:g}"))
        if entry.energy is not None:
            body.append(words["energy"].format(n=entry.energy))
        if entry.breathing:
            pattern = PATTERNS[entry.breathing]
            body.append(words["breathed"].format(
                pattern=pattern.name, length=self._length(entry.breathing_seconds)))
        else:
            body.append(words["skipped"])
        line(words["body"], " · ".join(body), "")
        return line.content()

    def _paint_card(self) -> None:
        """The card's heading and the sentence under it, which change once it is saved."""
        part = self.text["summary"]
        saved = self.saved is not None
        self.query_one("#summary-heading", Static).update(
            Content(part["saved_heading" if saved else "heading"]))
        self.query_one("#summary-intro", Static).update(Content(self._summary_intro()))

    def _summary_intro(self) -> str:
        """Before saving over an earlier walkthrough of the same performance, say so."""
        part, chosen = self.text["summary"], self._chosen()
        if self.saved is not None:
            return part["saved_intro"]
        if chosen is not None and chosen.completed_at:
            return hint(self, part["replace_intro"], when=self._date(chosen.completed_at))
        return hint(self, part["intro"])

    def _save(self, read: tuple[Performance | PerformanceFields, WalkthroughEntry]) -> int:
        performance, entry = read
        store = self.app.store
        try:
            if isinstance(performance, Performance):
                saved = save_walkthrough(store, entry, performance_id=performance.id,
                                         started_at=self.started, draft=self.draft)
            else:
                saved = save_walkthrough(store, entry, title=performance.title,
                                         domain_name=performance.domain, when=performance.when,
                                         started_at=self.started, draft=self.draft)
        except StoreError as err:
            raise InvalidValue(str(err), "title") from err
        return saved.id

    def question(self, entry: tuple[Performance | PerformanceFields, WalkthroughEntry]
                 ) -> ConfirmScreen | None:
        """Asked when the save would start the domain typed on step 1: no leaves the
        walkthrough where it was, with nothing written."""
        performance = entry[0]
        if isinstance(performance, Performance):
            return None
        return new_domain_question(self.app.store, performance.domain,
                                   self.text["new_domain_save"], self)

    def _save_read(self, read: tuple[Performance | PerformanceFields, WalkthroughEntry]) -> None:
        """Save, then keep the card on screen: ratings, plan and evidence to take along."""
        try:
            performance_id = self._save_entry(read)
        except InvalidValue as err:
            self._refuse(err)
            return
        self.saved = get_performance(self.app.store, performance_id)
        self.app.notify(self.text["saved"])
        self._go(len(self.STEPS))
        self.query_one("#summary", Static).update(self._summary(read))
        self.refresh_bindings()

    # The steps, declared below the methods they name.
    STEPS = (
        Step("performance", ("performance", "title", "domain", "when"),
             check=_read_performance, keys="keys_first"),
        Step("body", ("sleep", "energy", "anxiety-before", "confidence-before",
                      "readiness-before"), check=_read_body),
        Step("reappraise", ("said-aloud", "reappraisal"), check=_read_reappraisal),
        Step("breathe", ("pattern", "duration"), keys=_keys_breathe, enter=_enter_breathe,
             enter_says=_enter_breathe_says,
             leave=_stop_breathing, actions=("breathe", "stop_breathing")),
        Step("evidence", paint=_paint_evidence, keys=_keys_evidence, actions=("models",)),
        Step("plan", ("if-situation", "then-action"), check=_read_plan),
        Step("after", ("anxiety-after", "confidence-after", "readiness-after"),
             check=_read_after, paint=_paint_change),
        Step("summary", summary=True, counted=False, paint=_paint_card),
    )
