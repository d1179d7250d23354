"""Seeking feedback: planning a request (whom to ask and one specific question, drafted from the
rung's success criterion) and recording its answer as credible feedback.

The request is offered with a notice and a key once an outcome is recorded, never as a screen in
the way: ignoring the notice skips it."""

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from efficacy_tui.coach.feedback import check_request, draft_question
from efficacy_tui.content import say
from efficacy_tui.records import Feedback, FeedbackRequest, RequestTopic
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.feedback_requests import add_request, answer_request, dismiss_request
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.screens.base import FormScreen, open_form
from efficacy_tui.ui.screens.role_models import FeedbackForm
from efficacy_tui.ui.widgets.form import labelled


class RequestForm(FormScreen[dict]):
    """Whom to ask and the question, checked."""

    def __init__(self, topic: RequestTopic) -> None:
        super().__init__()
        self.topic = topic
        self.form_title = say("feedback.form.title", title=topic.title)

    def fields(self) -> ComposeResult:
        t = say("feedback.form")
        yield from labelled(t["whom"], Input(placeholder=t["whom_placeholder"], id="whom"),
                            t["whom_hint"])
        draft = draft_question(self.topic.title, self.topic.criterion)
        yield from labelled(t["question"], Input(draft, id="question"), t["question_hint"])

    def submit(self) -> dict:
        return check_request(self.value("whom"), self.value("question"))


class AnswerForm(FeedbackForm):
    """The feedback form, opened on a request: who is filled in and the question is the title."""

    def __init__(self, request: FeedbackRequest, screen: AppScreen) -> None:
        super().__init__(screen.app.store.now(), who=request.whom)
        self.form_title = say("feedback.form.answer_title", question=request.question)


def plan_request(screen: AppScreen, topic: RequestTopic | None) -> None:
    """Open the request form about `topic` and write what it gives."""
    if topic is None:
        screen.app.notify(say("feedback.nothing_to_ask"), severity="warning")
        return
    domain_id = topic.domain_id
    if domain_id is None:
        screen.app.notify(say("feedback.no_domain"), severity="warning")
        return

    def save(values: dict) -> FeedbackRequest:
        return add_request(screen.app.store, domain_id, values["whom"], values["question"],
                           attempt_id=topic.attempt_id, readiness_id=topic.readiness_id)

    open_form(screen, RequestForm(topic), save,
              lambda request: screen.app.notify(say("feedback.planned", whom=request.whom)))


def answer(screen: AppScreen, request: FeedbackRequest,
           then: Callable[[], object] | None = None) -> None:
    """Open the feedback form on a request; its answer is saved as feedback and the request
    leaves home."""

    def save(values: dict) -> Feedback | None:
        try:
            return answer_request(screen.app.store, request.id, values["who"],
                                  values["credibility"], values["what_they_said"],
                                  values["given_at"])
        except StoreError as err:
            screen.app.notify(str(err), severity="warning")
            return None

    def saved(feedback: Feedback | None) -> None:
        if feedback is not None:
            screen.app.notify(say("feedback.answered", whom=feedback.who))
        if then is not None:
            then()

    open_form(screen, AnswerForm(request, screen), save, saved)


def dismiss(screen: AppScreen, request: FeedbackRequest) -> None:
    try:
        dismiss_request(screen.app.store, request.id)
    except StoreError as err:
        screen.app.notify(str(err), severity="warning")
        return
    screen.app.notify(say("feedback.dismissed", whom=request.whom))
