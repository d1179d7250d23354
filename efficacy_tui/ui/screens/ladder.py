"""The ladder screen: domains on the left, the selected domain's ladder drawn hardest-at-the-top,
the coach's suggestion for the selected rung, planned attempts, calibration and the scale."""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from efficacy_tui.coach import ladder as rules
from efficacy_tui.content import say
from efficacy_tui.figures import DomainReport, domain_report, figures_line, overall_calibration
from efficacy_tui.records import Attempt, Domain, Rung, RungLine
from efficacy_tui.store import attempts, domains, ladder, scales
from efficacy_tui.store.core import StoreError
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import ConfirmScreen, FormScreen, open_form
from efficacy_tui.ui.screens.ladder_forms import (
    DomainForm,
    LogForm,
    OutcomeForm,
    PlanForm,
    RungForm,
    domain_saving,
)
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.spark import progress_bar, spark

W = TypeVar("W")

STATUS_MARK = {"mastered": "✓", "active": "▶", "upcoming": "·"}


def rung_option(line: RungLine, split_title: str | None, text: dict,
                no_criterion: str) -> Content:
    """Three lines per rung: mark, difficulty and title; its success criterion (or the words
    `no_criterion`); its status and score over the rule's window, with what it counts; and on
    the active rung, the coach's suggestion."""
    rung = line.rung
    suggestion = rules.suggest(line.outcomes)
    score = (rules.score_words(suggestion.successes, suggestion.partials, suggestion.attempts)
             or no_attempts(line, text))
    marks = ("↳" if rung.split_from else "") + STATUS_MARK[rung.status]
    head = Content.assemble((f"{marks:<2} {rung.difficulty:>3}  ", "bold"), rung.title)
    criterion = (
        Content.assemble("        ", (text["criterion"] + " ", "italic"), rung.criterion)
        if rung.criterion else Content.styled("        " + no_criterion, "dim")
    )
    status = Content.assemble(("        " + rung.status, "italic"), f" · {score}")
    if split_title:
        split_from = " · " + text["split_from"].format(title=split_title)
        status = Content.assemble(status, (split_from, "dim"))
    lines = [head, criterion, status]
    if rung.status == "active":  # only the active rung takes a suggestion
        lines.append(Content.assemble(("        " + text["coach"], "bold"),
                                      (suggestion.label, "bold italic"),
                                      ". ", suggestion.reason))
    return Content("\n").join(lines)


def no_attempts(line: RungLine, text: dict) -> str:
    """A rung with nothing in its window: after a split its earlier attempts are named, since
    "yet" would not be true."""
    if line.before_split:
        return text["no_attempts_since_split"].format(n=line.before_split)
    return text["no_attempts"]


class LadderScreen(AppScreen[None]):
    """Everything here is keyboard-first; suggestions wait for the user's confirmation."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Home", id="ladder.home", tooltip="Back to home"),
        # Shown only while there are two domains or more.
        Binding("l", "next_domain", "Next domain", id="ladder.next_domain",
                tooltip="Show the next domain's ladder (after the last, the first again)"),
        # Shown only while there is no domain, in place of the keys that need one.
        Binding("n", "new_domain(True)", "New domain", id="ladder.first_domain",
                tooltip="Add your first domain"),
        Binding("t", "audit(True)", "Audit", id="ladder.first_audit",
                tooltip="Begin your first domain with the self-efficacy audit"),
        Binding("p", "plan", "Plan", id="ladder.plan",
                tooltip="Plan an attempt on the selected rung, with your confidence beforehand"),
        Binding("o", "record", "Outcome", id="ladder.record",
                tooltip="Record how the next planned attempt went"),
        Binding("s", "accept", "Accept", id="ladder.accept",
                tooltip="Accept the coach's suggestion (advance or split)"),
        Binding("a", "add_rung", "Add rung", id="ladder.add", tooltip="Add a rung on top"),
        Binding("e", "edit_rung", "Edit", id="ladder.edit", tooltip="Edit the selected rung"),
        Binding("i", "scale", "Scale", id="ladder.scale",
                tooltip="Write or re-rate the domain's self-efficacy scale"),
        Binding("m", "models", "Models", show=False, id="ladder.models",
                tooltip="Vicarious models and credible feedback for this domain"),
        Binding("g", "log", "Log", show=False, id="ladder.log",
                tooltip="Log an attempt after the fact (no confidence)"),
        Binding("f", "ask_feedback", "Ask", show=False, id="ladder.ask_feedback",
                tooltip="After recording an attempt: plan to ask someone who saw it one "
                        "specific question"),
        Binding("d", "delete_rung", "Delete", show=False, id="ladder.delete",
                tooltip="Delete the selected rung (u undoes)"),
        Binding("u", "undo", "Undo", show=False, id="ladder.undo",
                tooltip="Bring back the last deleted rung"),
        Binding("shift+up,right_square_bracket", "move(1)", "Move up", show=False,
                key_display="shift+↑ or ]", id="ladder.up",
                tooltip="Move the selected rung up (harder)"),
        Binding("shift+down,left_square_bracket", "move(-1)", "Move down", show=False,
                key_display="shift+↓ or [", id="ladder.down",
                tooltip="Move the selected rung down (easier)"),
        Binding("n", "new_domain", "New domain", show=False, id="ladder.new",
                tooltip="Add a domain directly"),
        Binding("t", "audit", "Audit", show=False, id="ladder.audit",
                tooltip="Begin a domain's record with the self-efficacy audit"),
        Binding("r", "edit_domain", "Rename", show=False, id="ladder.rename",
                tooltip="Rename the domain, or edit its goal and why"),
        Binding("x", "archive", "Archive", show=False, id="ladder.archive",
                tooltip="Archive the domain"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="ladder.help",
                tooltip="Every key, and the science behind the ladder"),
        Binding("p,o,s,a,e,i,m,g,d,u,r,x", "need_domain", "Add a domain", show=False,
                id="ladder.need_domain", tooltip="With no domain yet: says to add one first"),
    ]
    # The actions that work on the selected domain: with none, their keys leave the footer.
    NEEDS_DOMAIN = {"plan", "record", "accept", "add_rung", "edit_rung", "scale", "models", "log",
                    "delete_rung", "undo", "move", "edit_domain", "archive"}

    def __init__(self, domain_id: int | None = None) -> None:
        super().__init__()
        self.text = say("ladder")
        self.domain_id = domain_id
        self.domain_list: list[Domain] = []
        self.lines: list[RungLine] = []
        self.report: DomainReport | None = None
        self.feedback_about: int | None = None  # the attempt recorded last, to ask about
        self.overall_ready = False  # the calibration over every domain waits for the first paint

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="ladder-main"):
            with Vertical(id="domain-pane"):
                yield OptionList(id="domain-list")
            with VerticalScroll(id="ladder-pane"):
                yield Static(id="domain-head")
                yield Static(id="warnings", classes="warn")
                yield OptionList(id="rungs")
                yield Static(id="rung-detail", classes="card")
                yield Static(id="planned", classes="card")
                yield Static(id="calibration", classes="card")
                yield Static(id="scale", classes="card")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.text["title"]
        self.query_one("#domain-pane").border_title = self.text["domains_title"]
        self.refresh_domains()
        self.query_one("#rungs" if self.lines else "#domain-list").focus(scroll_visible=False)

    # --- reading and painting -------------------------------------------------------------

    def refresh_domains(self) -> None:
        store = self.app.store
        self.domain_list = domains.list_domains(store)
        ids = [d.id for d in self.domain_list]
        if self.domain_id not in ids:
            self.domain_id = ids[0] if ids else None
        options = self.query_one("#domain-list", OptionList)
        options.clear_options()
        options.add_options([Option(Content(d.name), id=str(d.id)) for d in self.domain_list])
        if self.domain_id is not None:
            options.highlighted = ids.index(self.domain_id)
        self.refresh_ladder()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no domain, the keys that need one give way to n and t (and say so if pressed)."""
        has_domain = self.selected_domain() is not None
        if action in ("new_domain", "audit") and parameters:
            return not has_domain
        if action == "need_domain":
            return not has_domain
        if action == "ask_feedback":
            return self.feedback_about is not None
        if action == "next_domain":
            return len(self.domain_list) > 1
        return has_domain or action not in self.NEEDS_DOMAIN

    def refresh_ladder(self, select_rung: int | None = None) -> None:
        store = self.app.store
        domain = next((d for d in self.domain_list if d.id == self.domain_id), None)
        for panel in ("#warnings", "#rungs", "#rung-detail", "#planned", "#calibration", "#scale"):
            self.query_one(panel).display = domain is not None
        if domain is None:
            self.lines, self.report = [], None
            self.query_one("#domain-head", Static).update(
                Content(hint(self, self.text["no_domains"].strip())))
            return
        previous = self.selected_rung_id()
        easiest_first = ladder.ladder_lines(store, domain.id)
        self.lines = list(reversed(easiest_first))  # drawn hardest first
        self.report = domain_report(store, domain, easiest_first)
        self._paint_head(domain)
        self._paint_warnings()
        titles: dict[int | None, str] = {line.rung.id: line.rung.title for line in self.lines}
        rungs = self.query_one("#rungs", OptionList)
        rungs.clear_options()
        rungs.add_options([
            Option(rung_option(line, titles.get(line.rung.split_from), self.text,
                              hint(self, self.text["no_criterion"])),
                   id=str(line.rung.id))
            for line in self.lines
        ])
        wanted = select_rung or previous
        if self.lines:
            ids = [line.rung.id for line in self.lines]
            active = next((i for i, ln in enumerate(self.lines) if ln.rung.status == "active"), 0)
            rungs.highlighted = ids.index(wanted) if wanted in ids else active
        self._paint_detail()
        self._paint_planned(domain)
        self._paint_calibration()
        self._paint_scale(domain)

    def _paint_head(self, domain: Domain) -> None:
        report, text = self.report, self.text
        assert report is not None
        name = Content.styled(domain.name, "bold")
        count = len(self.domain_list)
        if count > 1:
            number = next(n for n, d in enumerate(self.domain_list, start=1) if d.id == domain.id)
            name = Content.assemble(name, "  ", Content.styled(
                hint(self, text["domain_of"], number=number, count=count), "dim"))
        parts = [name]
        if domain.goal:
            parts.append(Content.assemble((text["goal"] + " ", "italic"), domain.goal))
        if domain.why:
            parts.append(Content.assemble((text["why"] + " ", "italic"), domain.why))
        parts.append(Content.assemble(
            progress_bar(report.mastered, report.total), "  ",
            text["progress"].format(mastered=report.mastered, total=report.total),
        ))
        self.query_one("#domain-head", Static).update(Content("\n").join(parts))

    def _paint_warnings(self) -> None:
        warnings = rules.ladder_warnings([line.rung.difficulty for line in reversed(self.lines)])
        box = self.query_one("#warnings", Static)
        box.display = bool(warnings)
        box.update(Content("\n").join(Content(f"⚠ {w.text}") for w in warnings))

    def _paint_detail(self) -> None:
        box = self.query_one("#rung-detail", Static)
        line = self.selected_line()
        box.border_title = self.text["rung_title"]
        if line is None:
            box.update(Content(hint(self, self.text["no_rungs"])))
            return
        rung, text = line.rung, self.text
        suggestion = rules.suggest(line.outcomes)
        parts = [
            Content.assemble((rung.title, "bold"),
                             f"  (difficulty {rung.difficulty}, {rung.status})"),
            Content.assemble((text["criterion"] + " ", "italic"), rung.criterion)
            if rung.criterion else Content.styled(hint(self, text["no_criterion"]), "dim"),
        ]
        if rung.status != "active":
            parts.append(Content.styled(text[f"coach_{rung.status}"], "dim"))
        else:
            reason = suggestion.reason
            if not suggestion.attempts and line.before_split:
                reason = text["keep_going_since_split"].format(n=line.before_split)
            parts.append(Content.assemble((text["coach"], "bold"), f"{suggestion.label}. ",
                                          reason))
            if suggestion.kind in ("advance", "split"):
                parts.append(Content.styled(hint(self, text[f"act_{suggestion.kind}"]), "italic"))
        box.update(Content("\n").join(parts))

    def _paint_planned(self, domain: Domain) -> None:
        box = self.query_one("#planned", Static)
        box.border_title = self.text["planned_title"]
        planned = attempts.planned_attempts(self.app.store, domain.id, limit=5)
        if not planned:
            box.update(Content(hint(self, self.text["no_planned"])))
            return
        lines = [
            Content.assemble(
                ("○ ", "bold"), p.attempt.happened_at[:16].replace("T", " "), "  ",
                p.attempt.title, (f"  (said {p.attempt.confidence} beforehand)", "dim"),
            )
            for p in planned
        ]
        lines.append(Content.styled(hint(self, self.text["record_hint"]), "italic"))
        box.update(Content("\n").join(lines))

    def _paint_calibration(self) -> None:
        box = self.query_one("#calibration", Static)
        box.border_title = self.text["calibration_title"]
        if self.report is None:
            return
        parts = []
        shown = [("", self.report.calibration)]
        if len(self.domain_list) > 1 and not self.overall_ready:
            # Every attempt of every domain: read once the screen is up, so it opens at once.
            self.call_after_refresh(self._first_painted)
        elif len(self.domain_list) > 1:  # with one domain, all would say the same again
            shown.append((self.text["overall"] + " ", overall_calibration(self.app.store)))
        for label, cal in shown:
            parts.append(Content.assemble((label, "bold"), cal.sentence))
            if cal.status != "none":
                parts.append(Content(figures_line(cal)))
        box.update(Content("\n").join(parts))

    def _first_painted(self) -> None:
        self.overall_ready = True
        self._paint_calibration()

    def _paint_scale(self, domain: Domain) -> None:
        from efficacy_tui.coach.scale import days_since, rerating_due

        box = self.query_one("#scale", Static)
        box.border_title = self.text["scale_title"]
        sessions = scales.scale_sessions(self.app.store, domain.id)
        if not sessions:
            box.update(Content(hint(self, self.text["no_scale"])))
            return
        today = self.app.store.today()
        last = sessions[-1]
        days = days_since(last.rated_at, today)
        means = [round(s.mean) for s in sessions]
        status = self.text["scale_due" if rerating_due(last.rated_at, today) else "scale_recent"]
        box.update(Content("\n").join([
            Content.assemble(spark(means, 0, 100), "  ", self.text["scale_trend"].format(
                first=means[0], latest=means[-1], count=len(means))),
            Content(hint(self, status, days=days)),
        ]))

    # --- selection ------------------------------------------------------------------------

    def selected_line(self) -> RungLine | None:
        index = self.query_one("#rungs", OptionList).highlighted
        if index is None or not 0 <= index < len(self.lines):
            return None
        return self.lines[index]

    def selected_rung_id(self) -> int | None:
        line = self.selected_line()
        return line.rung.id if line else None

    def selected_domain(self) -> Domain | None:
        return next((d for d in self.domain_list if d.id == self.domain_id), None)

    @on(OptionList.OptionHighlighted, "#domain-list")
    def _domain_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        chosen = int(event.option.id or 0)
        if chosen != self.domain_id:
            self.domain_id = chosen
            self.refresh_ladder()

    def action_next_domain(self) -> None:
        """The next domain's ladder, from the rungs or the list alike; the list follows."""
        ids = [d.id for d in self.domain_list]
        if len(ids) < 2:
            return
        at = ids.index(self.domain_id) if self.domain_id in ids else -1
        self.domain_id = ids[(at + 1) % len(ids)]
        self.query_one("#domain-list", OptionList).highlighted = ids.index(self.domain_id)
        self.refresh_ladder()

    @on(OptionList.OptionSelected, "#domain-list")
    def _domain_selected(self) -> None:
        self.query_one("#rungs").focus()

    @on(OptionList.OptionHighlighted, "#rungs")
    def _rung_highlighted(self) -> None:
        if self.report is not None:
            self._paint_detail()

    @on(OptionList.OptionSelected, "#rungs")
    def _rung_selected(self) -> None:
        self.action_edit_rung()

    def _need_rung(self) -> RungLine | None:
        if self._need_domain() is None:
            return None
        line = self.selected_line()
        if line is None:
            self.notify(hint(self, self.text["no_rung_selected"]), severity="warning")
        return line

    def _need_domain(self) -> Domain | None:
        domain = self.selected_domain()
        if domain is None:
            self.action_need_domain()
        return domain

    def action_need_domain(self) -> None:
        self.notify(hint(self, self.text["need_domain"]), severity="warning")

    # --- actions --------------------------------------------------------------------------

    def action_new_domain(self, first: bool = False) -> None:
        """`first` only tells the footer's no-domain binding apart (see check_action)."""
        def added(domain: Domain) -> None:
            self.domain_id = domain.id
            self.refresh_domains()
            self.query_one("#rungs").focus()

        open_form(self, DomainForm(), domain_saving(partial(ladder.add_domain, self.app.store)),
                  added)

    def action_audit(self, first: bool = False) -> None:
        from efficacy_tui.ui.screens.audit import AuditScreen

        def audited(domain_id: int | None) -> None:
            self.domain_id = domain_id
            self.refresh_domains()

        self.ask(AuditScreen(), audited)

    def action_edit_domain(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return

        open_form(self, DomainForm(domain),
                  domain_saving(partial(ladder.update_domain, self.app.store, domain.id)),
                  lambda _: self.refresh_domains())

    def action_archive(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return

        def archive(_: bool) -> None:
            ladder.archive_domain(self.app.store, domain.id)
            self.notify(self.text["archived"].format(name=domain.name))
            self.domain_id = None
            self.refresh_domains()

        self.ask(ConfirmScreen(
            self.text["archive_title"], self.text["archive_question"].format(name=domain.name)
        ), archive)

    def action_add_rung(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return
        top = self.lines[0].rung.difficulty if self.lines else None
        suggested = 30 if top is None else min(100, top + 10)

        open_form(self, RungForm(difficulty=suggested),
                  lambda values: ladder.add_rung(self.app.store, domain.id, **values),
                  lambda rung: self.refresh_ladder(select_rung=rung.id))

    def action_edit_rung(self) -> None:
        line = self._need_rung()
        if line is None:
            return

        open_form(self, RungForm(line.rung),
                  lambda values: ladder.update_rung(self.app.store, line.rung.id, **values),
                  lambda _: self.refresh_ladder(select_rung=line.rung.id))

    def action_delete_rung(self) -> None:
        line = self._need_rung()
        if line is None:
            return
        ladder.delete_rung(self.app.store, line.rung.id)
        self.notify(hint(self, self.text["deleted"], title=line.rung.title))
        self.refresh_ladder()

    def action_undo(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return
        rung = ladder.last_deleted_rung(self.app.store, domain.id)
        if rung is None:
            self.notify(self.text["nothing_to_undo"])
            return
        ladder.restore_rung(self.app.store, rung.id)
        self.notify(self.text["restored"].format(title=rung.title))
        self.refresh_ladder(select_rung=rung.id)

    def action_move(self, step: int) -> None:
        line = self._need_rung()
        if line is not None:
            ladder.move_rung(self.app.store, line.rung.id, step)
            self.refresh_ladder(select_rung=line.rung.id)

    def _attempt_on(self, rung: Rung, values: dict, **fields: Any) -> Attempt:
        """An attempt on the rung from a form's checked title and time, plus `fields`."""
        return attempts.add_attempt(
            self.app.store, domain_id=rung.domain_id, rung_id=rung.id, title=values["title"],
            happened_at=values["when"].isoformat(), source="app", **fields,
        )

    def _attempt_form(self, form: Callable[[Rung, datetime], FormScreen[dict]],
                      save: Callable[[Rung, dict], Attempt],
                      then: Callable[[Attempt], None]) -> None:
        """Open a form for an attempt on the selected rung; `save` writes the rung's attempt from
        what the form gave, and `then` gets it once the form has closed."""
        line = self._need_rung()
        if line is None:
            return
        rung = line.rung
        open_form(self, form(rung, self.app.store.now()), lambda values: save(rung, values),
                  then)

    def action_plan(self) -> None:
        self._attempt_form(PlanForm, self._plan, self._planned)

    def _plan(self, rung: Rung, values: dict) -> Attempt:
        return self._attempt_on(rung, values, outcome=None, confidence=values["confidence"])

    def _planned(self, planned: Attempt) -> None:
        self.notify(self.text["saved_attempt"].format(confidence=planned.confidence))
        self.refresh_ladder(select_rung=planned.rung_id)

    def action_record(self) -> None:
        if self._need_domain() is None:
            return
        planned = attempts.planned_attempts(self.app.store, self.domain_id, limit=50)
        selected = self.selected_rung_id()
        chosen = next((p for p in planned if p.attempt.rung_id == selected), None)
        chosen = chosen or (planned[0] if planned else None)
        if chosen is None:
            self.notify(hint(self, self.text["no_planned_attempt"]), severity="warning")
            return
        attempt = chosen.attempt

        open_form(self, OutcomeForm(attempt.title),
                  lambda values: attempts.record_outcome(self.app.store, attempt.id, **values),
                  self._logged)

    def action_log(self) -> None:
        self._attempt_form(LogForm, self._log, self._logged)

    def _log(self, rung: Rung, values: dict) -> Attempt:
        return self._attempt_on(
            rung, values, outcome=values["outcome"], effort=values["effort"],
            what_i_did=values["what_i_did"], note=values["note"],
        )

    def _logged(self, logged: Attempt) -> None:
        self.recorded(logged.id, logged.rung_id, logged.outcome or "")

    def recorded(self, attempt_id: int, rung_id: int | None, outcome: str) -> None:
        """Show the result on the ladder; after a setback or a partial, reframing is one key
        away."""
        self.notify(self.text["recorded"].format(outcome=outcome))
        self.feedback_about = attempt_id
        self.refresh_bindings()
        self.notify(hint(self, say("feedback.offer")))
        self.refresh_ladder(select_rung=rung_id)
        if outcome not in ("setback", "partial"):
            return

        def reframe(_: bool) -> None:
            from efficacy_tui.ui.screens.reframe import ReframeScreen

            self.app.push_screen(ReframeScreen(attempt_id), lambda _: self.refresh_ladder())

        self.ask(ConfirmScreen(
            self.text["reframe_title"], self.text["reframe_question"].format(outcome=outcome)
        ), reframe)

    def action_ask_feedback(self) -> None:
        """Plan a feedback request about the attempt recorded last on this screen."""
        from efficacy_tui.store.feedback_requests import topic
        from efficacy_tui.ui.screens.feedback_forms import plan_request

        if self.feedback_about is not None:
            plan_request(self, topic(self.app.store, self.feedback_about))

    def _write(self, write: Callable[..., W], *args: object) -> W | Literal[False]:
        """A store write on this ladder, or False when the store refuses it (the ladder changed
        in another window meanwhile): then its sentence is shown and the ladder redrawn."""
        try:
            return write(self.app.store, *args)
        except StoreError as err:
            self.notify(str(err), severity="error")
            self.refresh_ladder()
            return False

    def action_accept(self) -> None:
        line = self._need_rung()
        if line is None:
            return
        rung, text = line.rung, self.text
        if rung.status != "active":
            self.notify(say("ladder.accept.not_active",
                title=rung.title, status=rung.status), severity="warning")
            return
        suggestion = rules.suggest(line.outcomes)
        if suggestion.kind == "advance":
            above = [ln.rung for ln in self.lines
                     if ln.rung.position > rung.position and ln.rung.status == "upcoming"]
            following = (
                text["advance_next"].format(title=above[-1].title) if above else ""
            )
            question = text["advance_question"].format(title=rung.title, next=following)

            def advance(_: bool) -> None:
                new = self._write(ladder.accept_advance, rung.id)
                if new is False:
                    return
                self.notify(text["advanced"].format(title=rung.title))
                self.refresh_ladder(select_rung=new.id if new else rung.id)

            self.ask(ConfirmScreen(text["advance_title"], question), advance)
        elif suggestion.kind == "split":
            def split(_: bool) -> None:
                new = self._write(ladder.accept_split, rung.id,
                                  text["split_rung_title"].format(title=rung.title))
                if new is False:
                    return
                self.refresh_ladder(select_rung=new.id)
                self.action_edit_rung()

            self.ask(ConfirmScreen(
                text["split_title"], text["split_question"].format(title=rung.title)
            ), split)
        else:
            self.notify(text["no_action"].format(reason=suggestion.reason))

    def action_scale(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return
        from efficacy_tui.ui.screens.scale import ScaleScreen

        self.app.push_screen(ScaleScreen(domain.id), lambda _: self.refresh_ladder())

    def action_models(self) -> None:
        domain = self._need_domain()
        if domain is None:
            return
        from efficacy_tui.ui.screens.role_models import RoleModelsScreen

        self.app.push_screen(RoleModelsScreen(domain.id))
