"""The home screen: today's status, the streak, each domain's active rung, trends and the last
win."""

from datetime import date, datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from efficacy_tui import stamps
from efficacy_tui.coach.checkin import streak
from efficacy_tui.coach.readiness import time_left
from efficacy_tui.content import say
from efficacy_tui.records import FeedbackRequest, HomeData
from efficacy_tui.store.home import SPARK_DAYS, home_data
from efficacy_tui.store.readiness import due_and_upcoming
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.safe_text import clipped
from efficacy_tui.ui.widgets.spark import progress_bar, spark

# The time left is shown to the minute; refreshing every few seconds keeps it that close to the
# clock, where a refresh each minute could show a minute gone by for almost another minute.
REFRESH_SECONDS = 10


def _moment(stamp: str) -> str:
    return stamps.shown(stamp, "%a %d %b %H:%M")


def _left(now: datetime, stamp: str) -> str:
    """How long until a performance, with its clock time when the words leave it out."""
    if stamps.moment(stamp) is None:
        return stamps.unreadable(stamp)
    left = time_left(now, stamp)
    clock = stamps.shown(stamp, "%H:%M")
    return left if clock in left else f"{left} · {clock}"


class HomeScreen(AppScreen[None]):
    """Where every session starts; reads the store again whenever it is shown."""

    BINDINGS = [
        Binding("c", "app.open('checkin')", "Check-in", id="home.checkin",
                tooltip="Today's two-minute check-in (edits it if done)"),
        Binding("l", "app.open('ladder')", "Ladder", id="home.ladder",
                tooltip="Your mastery ladders: rungs, attempts, suggestions, calibration"),
        Binding("r", "app.reframe", "Reframe", id="home.reframe",
                tooltip="Reframe a setback: an accurate, controllable explanation and a plan"),
        Binding("p", "app.open('readiness')", "Prepare", id="home.readiness",
                tooltip="Readiness walkthrough before a talk, exam or match"),
        # Schedule and the follow-up are offered in the body of home, which keeps the footer
        # within 80 columns.
        Binding("s", "schedule", "Schedule", show=False, id="home.schedule",
                tooltip="Schedule a talk, exam, match or hard conversation"),
        Binding("o", "followup", "How did it go?", show=False, id="home.followup",
                tooltip="Say how a performance went once its time has passed"),
        Binding("f", "ask_feedback", "Ask for feedback", show=False, id="home.ask_feedback",
                tooltip="After saying how a performance went: plan to ask someone who saw it "
                        "one specific question"),
        Binding("a", "answer_feedback", "Answer", show=False, id="home.answer_feedback",
                tooltip="Record the answer to the first feedback request as feedback"),
        Binding("d", "dismiss_feedback", "Let go", show=False, id="home.dismiss_feedback",
                tooltip="Let go of the first feedback request"),
        Binding("v", "app.open('review')", "Review", id="home.review",
                tooltip="Review your mastery database: search, trends, calibration, export"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="home.help",
                tooltip="Keys, and the science behind each screen"),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Leave efficacy"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="home"):
            yield Static(id="status")
            yield Static(id="sync-line")
            yield Static(id="streak")
            with Vertical(id="welcome", classes="card"):
                yield Static(id="welcome-text")
            with Vertical(id="domains", classes="card"):
                yield Static(id="domain-list")
            yield Static(id="followup", classes="setback")
            with Vertical(id="performances", classes="card"):
                yield Static(id="performance-list")
            yield Static(id="setback", classes="setback")
            with Vertical(id="requests", classes="card"):
                yield Static(id="request-list")
            with Vertical(id="planned", classes="card"):
                yield Static(id="planned-list")
            with Vertical(id="trends", classes="card"):
                yield Static(id="sparks")
            with Vertical(id="win", classes="card"):
                yield Static(id="win-text")
        yield KeyFooter(compact=True)  # every key of home fits in 80 columns

    feedback_about: int | None = None  # the attempt of the performance just followed up
    requests: list[FeedbackRequest] = []

    def on_mount(self) -> None:
        self.sub_title = "home"
        # The panels are painted on resume, which a screen also gets when first shown.
        # The time left to a performance, and the question once it has passed, move with the
        # clock even when home is left open.
        self.set_interval(REFRESH_SECONDS, self._tick)

    def _tick(self) -> None:
        if self.is_current:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Read the store and paint every panel; all queries are indexed and take milliseconds."""
        data = home_data(self.app.store)
        text = say("home")
        empty = data.is_empty
        self._paint_sync()
        self._paint_requests(data)  # before the performances, whose refresh_bindings covers both
        self._paint_performances(text, empty)
        self.query_one("#welcome").display = empty
        for panel in ("#streak", "#domains", "#planned", "#setback", "#trends", "#win"):
            self.query_one(panel).display = not empty
        draft = ""
        if data.checkin_draft:
            saved = stamps.shown(data.checkin_draft, "%H:%M")
            draft = hint(self, text["checkin_draft"], time=saved)
        if empty:
            self.query_one("#status", Static).update(Content(draft))
            self.query_one("#welcome", Vertical).border_title = text["welcome_title"]
            self.query_one("#welcome-text", Static).update(
                Content("\n\n".join([text["welcome"].strip(), text["welcome_not"].strip(),
                                       hint(self, text["welcome_action"])]))
            )
            return
        status = hint(self, text["checked_in" if data.checked_in_today else "not_checked_in"])
        self.query_one("#status", Static).update(Content("\n".join(filter(None, [status, draft]))))
        days = streak(data.checkin_days, date.fromisoformat(data.today))
        self.query_one("#streak", Static).update(
            Content(text["streak"].format(days=days, unit="day" if days == 1 else "days"))
        )
        self._paint_domains(data, text)
        self._paint_planned(data, text)
        self._paint_setback(data, text)
        self._paint_trends(data, text)
        self._paint_win(data, text)

    def _paint_sync(self) -> None:
        """One line, when a sync folder is set: the last sync and what is waiting to be sent."""
        line = self.query_one("#sync-line", Static)
        line.display = self.app.sync_path is not None
        if not line.display:
            return
        from efficacy_tui.store.sync_log import waiting

        now = waiting(self.app.store)
        said = (say("sync.home.line", when=_moment(now.synced_at), count=now.pending)
                if now.synced_at else say("sync.home.never", count=now.pending))
        if now.conflicts:
            said += say("sync.home.conflicts", count=now.conflicts)
        line.update(Content(said))

    def _paint_domains(self, data: HomeData, text: dict) -> None:
        self.query_one("#domains", Vertical).border_title = text["domains_title"]
        if not data.domains:
            self.query_one("#domain-list", Static).update(Content(text["no_domains"]))
            return
        lines = []
        for line in data.domains:
            rung = line.active_rung
            detail = (
                Content.assemble("▶ ", rung.title, (f"  (difficulty {rung.difficulty})", "dim"))
                if rung
                else Content.styled(text["no_active_rung"], "dim italic")
            )
            lines.append(Content.assemble((line.domain.name, "bold"), ": ", detail))
            if line.total:
                lines.append(Content.assemble(
                    "  ", progress_bar(line.mastered, line.total, 12), " ",
                    text["ladder_progress"].format(mastered=line.mastered, total=line.total),
                ))
        self.query_one("#domain-list", Static).update(Content("\n").join(lines))

    def _paint_performances(self, text: dict, empty: bool) -> None:
        """The first performance whose time has passed, asked about; then the upcoming ones, or
        how to schedule one."""
        store = self.app.store
        now = store.now()
        self.due, upcoming = due_and_upcoming(store, now)
        self.refresh_bindings()
        ask = self.query_one("#followup", Static)
        ask.display = bool(self.due)
        if self.due:
            more = text["followup_more"].format(n=len(self.due) - 1) if len(self.due) > 1 else ""
            ask.update(Content.assemble(
                ("? ", "bold"), text["followup"].format(title=self.due[0].title), more, " ",
                (hint(self, text["followup_hint"]), "italic"),
            ))
        panel = self.query_one("#performances", Vertical)
        panel.display = bool(upcoming) or not empty
        panel.border_title = text["performances_title"]
        lines = [Content.assemble(("◷ ", "bold"), (_left(now, p.scheduled_for), "bold"), "  ",
                                  p.title,
                                  (text["walked_through"] if p.completed_at else "", "italic"))
                 for p in upcoming]
        key = "performances_hint" if upcoming else "no_performances"
        lines.append(Content.styled(hint(self, text[key]), "italic"))
        self.query_one("#performance-list", Static).update(Content("\n").join(lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ask_feedback":
            return self.feedback_about is not None
        if action in ("answer_feedback", "dismiss_feedback"):
            return bool(self.requests)
        return True

    def _paint_requests(self, data: HomeData) -> None:
        """Feedback requests waiting for their answer, oldest first."""
        self.requests = data.requests
        panel = self.query_one("#requests", Vertical)
        panel.display = bool(data.requests)
        if not data.requests:
            return
        words = say("feedback.home")
        panel.border_title = words["title"]
        lines = [Content.assemble(
            ("? ", "bold"), words["line"].format(whom=request.whom, question=request.question),
            (words["about"].format(domain=request.domain_name, about=request.about), "dim"),
        ) for request in data.requests]
        more = data.requests_waiting - len(data.requests)
        if more > 0:
            lines.append(Content.styled(words["more"].format(n=more), "dim"))
        lines.append(Content.styled(hint(self, words["hint"]), "italic"))
        self.query_one("#request-list", Static).update(Content("\n").join(lines))

    def action_ask_feedback(self) -> None:
        from efficacy_tui.store.feedback_requests import topic
        from efficacy_tui.ui.screens.feedback_forms import plan_request

        if self.feedback_about is not None:
            plan_request(self, topic(self.app.store, self.feedback_about))

    def action_answer_feedback(self) -> None:
        from efficacy_tui.ui.screens.feedback_forms import answer

        if self.requests:
            answer(self, self.requests[0], self.refresh_data)

    def action_dismiss_feedback(self) -> None:
        from efficacy_tui.ui.screens.feedback_forms import dismiss

        if self.requests:
            dismiss(self, self.requests[0])
            self.refresh_data()

    def action_schedule(self) -> None:
        from efficacy_tui.store.readiness import schedule_in_domain
        from efficacy_tui.ui.screens.base import open_form
        from efficacy_tui.ui.screens.performance_forms import ScheduleForm

        open_form(self, ScheduleForm(), lambda fields: schedule_in_domain(
            self.app.store, fields.title, fields.domain, fields.when), self._scheduled)

    def _scheduled(self, performance) -> None:
        self.app.notify(hint(self, say("readiness.schedule.scheduled"),
            title=performance.title, when=_moment(performance.scheduled_for)))
        self.refresh_data()

    def action_followup(self) -> None:
        from efficacy_tui.ui.screens.base import open_form
        from efficacy_tui.ui.screens.performance_forms import FollowupForm

        if not self.due:
            self.app.notify(say("home.nothing_due"))
            return
        performance = self.due[0]
        open_form(self, FollowupForm(performance),
                  lambda answer: self._answer(performance, answer),
                  lambda attempt: self._answered(performance, attempt))

    def _answer(self, performance, answer):
        """Record the outcome as an attempt, or take the performance off the list when it was
        skipped (no attempt)."""
        from efficacy_tui.store.readiness import dismiss_followup, record_followup

        if answer.outcome == "skipped":
            dismiss_followup(self.app.store, performance.id)
            return None
        return record_followup(self.app.store, performance.id, answer.outcome,
                               answer.what_i_did, answer.note)

    def _answered(self, performance, attempt) -> None:
        """Say what was recorded; a setback goes straight on to reframing it."""
        words = say("readiness.schedule")
        if attempt is None:
            self.app.notify(words["dismissed"].format(title=performance.title))
            self.refresh_data()
            return
        self.app.notify(words["recorded"].format(title=performance.title,
                                                 outcome=attempt.outcome))
        if performance.domain_id is not None:  # a request belongs to a domain
            self.feedback_about = attempt.id
            self.app.notify(hint(self, say("feedback.offer")))
        self.refresh_data()
        if attempt.outcome == "setback":
            self.app.action_reframe(attempt.id)

    def _paint_setback(self, data: HomeData, text: dict) -> None:
        box = self.query_one("#setback", Static)
        box.display = data.setback is not None
        if data.setback:
            when = stamps.shown(data.setback.happened_at, "%a %d %b")
            box.update(Content.assemble(
                ("◐ " if data.setback.outcome == "partial" else "✗ ", "bold"),
                text["setback"].format(outcome=data.setback.outcome, when=when),
                " ", clipped(data.setback.title), ". ",
                (hint(self, text["setback_hint"]), "italic"),
            ))

    def _paint_planned(self, data: HomeData, text: dict) -> None:
        panel = self.query_one("#planned", Vertical)
        panel.display = bool(data.planned)
        panel.border_title = text["planned_title"]
        lines = []
        for planned in data.planned:
            attempt = planned.attempt
            when = stamps.shown(attempt.happened_at, "%a %d %b %H:%M")
            where = (f"{planned.domain_name} · {planned.rung_title}" if planned.rung_title
                     else planned.domain_name)
            lines.append(Content.assemble(
                ("○ ", "bold"), (when, "dim"), "  ", clipped(attempt.title),
                (f"  ({where}; said {attempt.confidence} beforehand)", "dim"),
            ))
        lines.append(Content.styled(hint(self, text["planned_hint"]), "italic"))
        self.query_one("#planned-list", Static).update(Content("\n").join(lines))

    def _paint_trends(self, data: HomeData, text: dict) -> None:
        self.query_one("#trends", Vertical).border_title = text["spark_title"]
        today = date.fromisoformat(data.today)
        by_day = {c.day: c for c in data.recent}
        days = [(today - timedelta(days=n)).isoformat() for n in range(SPARK_DAYS - 1, -1, -1)]
        if not by_day:
            self.query_one("#sparks", Static).update(Content(text["spark_empty"]))
            return
        rows = []
        for label, attr in (("spark_anxiety", "anxiety"), ("spark_confidence", "focus_confidence")):
            values = [getattr(by_day[d], attr) if d in by_day else None for d in days]
            known = [v for v in values if v is not None]
            latest = f"latest {known[-1]}" if known else "no ratings"
            rows.append(
                Content.assemble(
                    f"{text[label]:<11}", (spark(values, 0, 100), "bold"), f"  0-100, {latest}"
                )
            )
        self.query_one("#sparks", Static).update(Content("\n").join(rows))

    def _paint_win(self, data: HomeData, text: dict) -> None:
        self.query_one("#win", Vertical).border_title = text["win_title"]
        win = data.last_win
        if win is None:
            self.query_one("#win-text", Static).update(Content(text["no_win"]))
            return
        when = stamps.shown(win.happened_at, "%a %d %b %Y")
        parts = [Content.assemble(("✓ ", "bold"), clipped(win.title), (f"  ({when})", "dim"))]
        if win.what_i_did:
            parts.append(Content.assemble((text["win_did"] + " ", "italic"),
                                          clipped(win.what_i_did)))
        self.query_one("#win-text", Static).update(Content("\n").join(parts))
