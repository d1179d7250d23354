"""Feedback requests: whom to ask about an attempt or a performance, and one specific question;
each waits until its answer is recorded as feedback (with its credibility) or it is dismissed."""

from datetime import datetime

from efficacy_tui.coach.feedback import check_request
from efficacy_tui.content import say
from efficacy_tui.records import Feedback, FeedbackRequest, RequestTopic
from efficacy_tui.store.core import Store, StoreError, new_uid, written
from efficacy_tui.store.role_models import add_feedback

_READ = (
    "SELECT q.*, d.name AS domain_name, coalesce(a.title, r.title, '') AS about "
    "FROM feedback_requests q JOIN domains d ON d.id = q.domain_id "
    "LEFT JOIN attempts a ON a.id = q.attempt_id LEFT JOIN readiness r ON r.id = q.readiness_id "
)
_PENDING = "q.answered_at IS NULL AND q.dismissed_at IS NULL AND q.deleted_at IS NULL"


def topic(store: Store, attempt_id: int) -> RequestTopic | None:
    """What a request about this attempt asks about: its title, domain and rung's criterion, and
    the performance it recorded the outcome of, if it did."""
    row = store.conn.execute(
        "SELECT a.domain_id, a.title, coalesce(g.criterion, ''), a.id, "
        "(SELECT r.id FROM readiness r WHERE r.attempt_id = a.id ORDER BY r.id LIMIT 1) "
        "FROM attempts a LEFT JOIN rungs g ON g.id = a.rung_id WHERE a.id = ?", [attempt_id],
    ).fetchone()
    return RequestTopic(*row) if row else None


def add_request(store: Store, domain_id: int, whom: str, question: str, *,
                attempt_id: int | None = None, readiness_id: int | None = None
                ) -> FeedbackRequest:
    """Plan a request about an attempt or a performance (one of them at least); bad input is
    refused with one sentence (InvalidValue) and nothing is written."""
    values = check_request(whom, question)
    if attempt_id is None and readiness_id is None:
        raise StoreError(say("feedback.nothing_to_ask"))
    with store.transaction():
        pk = store.insert("feedback_requests", {
            "uid": new_uid(), "domain_id": domain_id, "attempt_id": attempt_id,
            "readiness_id": readiness_id, **values, "created_at": store.stamp(),
        })
    return written(get_request(store, pk))


def get_request(store: Store, request_id: int) -> FeedbackRequest | None:
    return store.record(FeedbackRequest, _READ + "WHERE q.id = ?", [request_id])


def pending_requests(store: Store, limit: int = 5) -> list[FeedbackRequest]:
    """Requests still waiting for their answer, oldest first, along the pending index."""
    return store.records(
        FeedbackRequest, _READ + f"WHERE {_PENDING} ORDER BY q.created_at, q.id LIMIT ?", [limit]
    )


def pending_count(store: Store) -> int:
    return int(store.scalar(f"SELECT count(*) FROM feedback_requests q WHERE {_PENDING}") or 0)


def _waiting(store: Store, request_id: int) -> FeedbackRequest:
    found = store.record(FeedbackRequest, _READ + f"WHERE q.id = ? AND {_PENDING}", [request_id])
    if found is None:
        raise StoreError(say("feedback.gone"))
    return found


def answer_request(store: Store, request_id: int, who: str, credibility: int,
                   what_they_said: str, given_at: datetime) -> Feedback:
    """The answer recorded as feedback in the request's domain, and the request marked answered,
    in one write."""
    with store.transaction():
        request = _waiting(store, request_id)
        feedback = add_feedback(store, request.domain_id, who, credibility, what_they_said,
                                given_at)
        store.db.table("feedback_requests").update(request_id, {
            "feedback_id": feedback.id, "answered_at": store.stamp(),
        })
    return feedback


def dismiss_request(store: Store, request_id: int) -> FeedbackRequest:
    """Let a request go; it leaves home and stays in the file."""
    with store.transaction():
        request = _waiting(store, request_id)
        store.db.table("feedback_requests").update(request_id, {"dismissed_at": store.stamp()})
    return request
