"""Checks on a vicarious model and on a piece of feedback, shared by the forms and the store so
bad input fails with one sentence naming its field, before anything is written."""

from datetime import datetime

from efficacy_tui.coach import validate
from efficacy_tui.content import say


def check_model(who: str, like_me: str, what_they_did: str) -> dict:
    """Who and what they did are required; how they are like me may stay empty."""
    return {
        "who": validate.required_text(who, say("role_models.errors.who"), "who",
                                      validate.NAME_LIMIT),
        "like_me": like_me.strip(),
        "what_they_did": validate.required_text(
            what_they_did, say("role_models.errors.what_they_did"), "what_they_did"),
    }


def check_feedback(who: str, credibility: object, what_they_said: str, given_at: datetime,
                   now: datetime | None = None) -> dict:
    """Who, credibility 1-5 and what they said; `given_at` becomes an ISO stamp with its offset
    and, given `now`, may not be in the future."""
    checked: dict[str, str | int] = {
        "who": validate.required_text(who, say("role_models.errors.feedback_who"), "who",
                                      validate.NAME_LIMIT)
    }
    if credibility is None:
        raise validate.InvalidValue(say("role_models.errors.rate_credibility"), "credibility")
    checked["credibility"] = validate.credibility(credibility)
    checked["what_they_said"] = validate.required_text(
        what_they_said, say("role_models.errors.what_they_said"), "what_they_said")
    moment = (given_at if given_at.tzinfo else given_at.astimezone()).replace(microsecond=0)
    if now is not None and moment > now:
        raise validate.InvalidValue(
            say("role_models.errors.future", value=moment.strftime("%Y-%m-%d %H:%M")),
            "when",
        )
    return {**checked, "given_at": moment.isoformat()}
