"""Seeking specific feedback: the question drafted from what success meant, and the checks on a
request before it is written.

Feedback persuades when it is specific and comes from someone credible who saw the work (Bandura
1997, verbal persuasion); so a request names whom to ask and asks one specific question, drafted
from the rung's success criterion for the user to edit."""

from efficacy_tui.coach import validate
from efficacy_tui.content import say

QUESTION_LIMIT = 500


def draft_question(title: str, criterion: str = "") -> str:
    """One specific question about `title`: about its success criterion when it has one."""
    title, criterion = " ".join(title.split()), " ".join(criterion.split())
    if criterion:
        return say("feedback.draft.criterion", title=title, criterion=criterion.rstrip(".!?"))
    return say("feedback.draft.plain", title=title)


def check_request(whom: str, question: str) -> dict[str, str]:
    """Whom to ask and the question, both required; raises InvalidValue naming the field."""
    names = say("feedback.names")
    return {
        "whom": validate.required_text(whom, names["whom"], "whom", validate.NAME_LIMIT),
        "question": validate.required_text(question, names["question"], "question",
                                           QUESTION_LIMIT),
    }
