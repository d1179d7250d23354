"""Performances and their readiness walkthroughs: scheduling, the walkthrough itself, the
follow-up that turns the outcome into an attempt, the evidence shown, and the summary for
`efficacy stats`.

Times are compared as moments, not as text: a stamp keeps the UTC offset it was written with,
so two stamps from either side of a clock change do not sort as text. The candidate rows come
from the partial index `readiness_due` with a two-day margin and are compared in Python.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from efficacy_tui.coach import validate
from efficacy_tui.coach.readiness import EVIDENCE_SHOWN, moment, order_evidence
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Attempt, Evidence, Performance
from efficacy_tui.store.attempts import get_attempt
from efficacy_tui.store.core import Store, new_uid, written
from efficacy_tui.store.domains import get_or_create_domain
from efficacy_tui.store.drafts import DraftKey, drop_draft

UPCOMING_SHOWN = 5
# Wider than any two UTC offsets are apart, so a text bound with this margin never drops a row.
_MARGIN = timedelta(days=2)
_SELECT = (
    "SELECT p.*, d.name AS domain_name FROM readiness AS p "
    "LEFT JOIN domains AS d ON d.id = p.domain_id "
)
_OPEN = "p.attempt_id IS NULL AND p.followup_at IS NULL AND p.deleted_at IS NULL"
MEASURES = ("anxiety", "confidence", "readiness")


@dataclass(frozen=True)
class WalkthroughEntry:
    """A finished walkthrough, every value already checked by the screen and the coach."""

    sleep_hours: float | None = None
    energy: int | None = None
    anxiety_before: int | None = None
    confidence_before: int | None = None
    readiness_before: int | None = None
    said_aloud: bool = False
    reappraisal: str = ""
    breathing: str | None = None  # a pattern key, or None when the step was skipped
    breathing_seconds: int = 0
    evidence: list[str] = field(default_factory=list)  # uids of the attempts shown
    model_id: int | None = None
    feedback_id: int | None = None
    if_situation: str = ""
    then_action: str = ""
    anxiety_after: int | None = None
    confidence_after: int | None = None
    readiness_after: int | None = None


def _stamp(when: datetime) -> str:
    """A moment as stored: local time with its offset, to the second."""
    return when.astimezone().replace(microsecond=0).isoformat()


def _moment(value: str | datetime | None, store: Store) -> datetime:
    if value is None:
        return store.now()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.astimezone()


def _title(raw: str | None) -> str:
    return validate.required_text(raw or "", say("readiness.store.title"), "title",
                                  validate.TITLE_LIMIT)


def _check_domain(store: Store, domain_id: int | None) -> None:
    if domain_id is not None and not store.scalar(
        "SELECT 1 FROM domains WHERE id = ? AND deleted_at IS NULL", [domain_id]
    ):
        raise InvalidValue(say("readiness.store.no_domain"), "domain")


def _live(store: Store, performance_id: int) -> Performance:
    found = get_performance(store, performance_id)
    if found is None or found.deleted_at is not None:
        raise InvalidValue(say("readiness.store.missing"))
    return found


def get_performance(store: Store, performance_id: int) -> Performance | None:
    """The performance with this id, deleted or not, with its domain's name."""
    return store.record(Performance, _SELECT + "WHERE p.id = ?", [performance_id])


def schedule_performance(
    store: Store, title: str, domain_id: int | None, when: datetime
) -> Performance:
    """A performance to get ready for; home offers the walkthrough and, afterwards, asks how
    it went."""
    title = _title(title)
    _check_domain(store, domain_id)
    now = store.stamp()
    with store.transaction():
        pk = store.insert("readiness", {
            "uid": new_uid(), "domain_id": domain_id, "title": title,
            "scheduled_for": _stamp(when), "created_at": now, "updated_at": now,
        })
    return written(get_performance(store, pk))


def schedule_in_domain(store: Store, title: str, domain: str, when: datetime) -> Performance:
    """`schedule_performance` for a domain given by name, created first when it is new (the
    form has asked the user by then), in one write; a blank name schedules it without a domain."""
    with store.transaction():
        domain_id = get_or_create_domain(store, domain).id if domain else None
        return schedule_performance(store, title, domain_id, when)


def update_performance(
    store: Store, id: int, title: str, domain_id: int | None, when: datetime
) -> Performance:
    title = _title(title)
    _live(store, id)
    _check_domain(store, domain_id)
    with store.transaction():
        store.db.table("readiness").update(id, {
            "title": title, "domain_id": domain_id, "scheduled_for": _stamp(when),
            "updated_at": store.stamp(),
        })
    return written(get_performance(store, id))


def delete_performance(store: Store, id: int) -> Performance:
    """Soft delete, so `restore_performance` can undo it; returns the row as it was."""
    found = _live(store, id)
    with store.transaction():
        store.db.table("readiness").update(id, {"deleted_at": store.stamp()})
    return found


def restore_performance(store: Store, id: int) -> Performance:
    if get_performance(store, id) is None:
        raise InvalidValue(say("readiness.store.missing"))
    with store.transaction():
        store.db.table("readiness").update(id, {"deleted_at": None})
    return written(get_performance(store, id))


def _open_rows(store: Store, low: str | None = None, high: str | None = None) -> list[Performance]:
    """Live performances without a follow-up, read along `readiness_due` within text bounds."""
    bounds = ""
    params: list[str] = []
    if low is not None:
        bounds, params = bounds + "AND p.scheduled_for >= ? ", params + [low]
    if high is not None:
        bounds, params = bounds + "AND p.scheduled_for <= ? ", params + [high]
    return store.records(
        Performance,
        "SELECT p.*, d.name AS domain_name FROM readiness AS p INDEXED BY readiness_due "
        f"LEFT JOIN domains AS d ON d.id = p.domain_id WHERE {_OPEN} {bounds}"
        "ORDER BY p.scheduled_for, p.id",
        params,
    )


def _in_time_order(found: list[Performance]) -> list[Performance]:
    """Soonest (or oldest) first, by real moment rather than by text with an offset."""
    return sorted(found, key=lambda p: (moment(p.scheduled_for), p.id))


def upcoming_performances(
    store: Store, now: str | datetime | None = None, limit: int | None = UPCOMING_SHOWN
) -> list[Performance]:
    """Performances still ahead (scheduled for now or later) and not followed up, soonest
    first; `now` defaults to the store's clock."""
    at = _moment(now, store)
    found = _in_time_order([p for p in _open_rows(store, low=(at - _MARGIN).isoformat())
                            if moment(p.scheduled_for) >= at.timestamp()])
    return found if limit is None else found[:limit]


def due_followups(
    store: Store, now: str | datetime | None = None, limit: int | None = None
) -> list[Performance]:
    """Performances whose time has passed with no outcome recorded or dismissed, oldest first."""
    at = _moment(now, store)
    found = _in_time_order([p for p in _open_rows(store, high=(at + _MARGIN).isoformat())
                            if moment(p.scheduled_for) < at.timestamp()])
    return found if limit is None else found[:limit]


def due_and_upcoming(
    store: Store, now: datetime, limit: int = UPCOMING_SHOWN
) -> tuple[list[Performance], list[Performance]]:
    """Both of the above from one read, for home, which shows both on every refresh: the open
    performances are few (a partial index holds only them)."""
    at = now.timestamp()
    found = _in_time_order(_open_rows(store))
    return ([p for p in found if moment(p.scheduled_for) < at],
            [p for p in found if moment(p.scheduled_for) >= at][:limit])


def _walkthrough_values(entry: WalkthroughEntry) -> dict[str, Any]:
    situation, action = entry.if_situation.strip(), entry.then_action.strip()
    if bool(situation) != bool(action):
        raise InvalidValue(say("common.if_then_pair"),
                           "then_action" if situation else "if_situation")
    return {
        "sleep_hours": entry.sleep_hours,
        "energy": entry.energy,
        "anxiety_before": entry.anxiety_before,
        "confidence_before": entry.confidence_before,
        "readiness_before": entry.readiness_before,
        "said_aloud": int(bool(entry.said_aloud)),
        "reappraisal": entry.reappraisal.strip(),
        "breathing": entry.breathing,
        "breathing_seconds": int(entry.breathing_seconds) if entry.breathing else 0,
        "evidence": json.dumps(list(entry.evidence)),
        "model_id": entry.model_id,
        "feedback_id": entry.feedback_id,
        "if_situation": situation,
        "then_action": action,
        "anxiety_after": entry.anxiety_after,
        "confidence_after": entry.confidence_after,
        "readiness_after": entry.readiness_after,
    }


def save_walkthrough(
    store: Store,
    entry: WalkthroughEntry,
    performance_id: int | None = None,
    title: str | None = None,
    domain_id: int | None = None,
    when: datetime | None = None,
    started_at: datetime | None = None,
    domain_name: str = "",
    draft: DraftKey | None = None,
) -> Performance:
    """Write a finished walkthrough in one transaction. Without `performance_id` it creates the
    performance (a title is required; `when` defaults to now); with one, a given title, domain
    or time also replaces the scheduled one. `started_at` (default now) is kept if already set.
    A `domain_name` in place of `domain_id` is created when new, and the walkthrough's `draft`
    is removed, in the same transaction."""
    values = _walkthrough_values(entry)
    now = store.stamp()
    started = _stamp(started_at) if started_at is not None else now
    with store.transaction():
        if domain_name:
            domain_id = get_or_create_domain(store, domain_name).id
        if performance_id is None:
            values["title"] = _title(title)
            _check_domain(store, domain_id)
            values.update({
                "uid": new_uid(), "domain_id": domain_id,
                "scheduled_for": _stamp(when or store.now()), "created_at": now,
                "started_at": started,
            })
        else:
            existing = _live(store, performance_id)
            if title is not None:
                values["title"] = _title(title)
            if domain_id is not None:
                _check_domain(store, domain_id)
                values["domain_id"] = domain_id
            if when is not None:
                values["scheduled_for"] = _stamp(when)
            values["started_at"] = existing.started_at or started
        values.update({"completed_at": now, "updated_at": now})
        if performance_id is None:
            performance_id = store.insert("readiness", values)
        else:
            store.db.table("readiness").update(performance_id, values)
        drop_draft(store, draft)
    return written(get_performance(store, performance_id))


def record_followup(
    store: Store, performance_id: int, outcome: str, what_i_did: str = "", note: str = ""
) -> Attempt:
    """How it went, as an attempt (source `readiness`) dated at the performance and carrying the
    confidence rated in the walkthrough, so it counts in the ladder's figures and calibration.
    Recording again corrects the same attempt."""
    outcome = validate.outcome(outcome)
    performance = _live(store, performance_id)
    now = store.stamp()
    happened = performance.scheduled_for
    if moment(happened) > store.now().timestamp():
        happened = now  # recorded early: it has happened by now
    confidence = performance.confidence_after
    if confidence is None:
        confidence = performance.confidence_before
    linked = get_attempt(store, performance.attempt_id) if performance.attempt_id else None
    with store.transaction():
        if linked is not None:
            attempt_id = linked.id
            store.db.table("attempts").update(attempt_id, {
                "outcome": outcome, "what_i_did": what_i_did.strip(), "note": note.strip(),
                "deleted_at": None, "updated_at": now,
            })
        else:
            attempt_id = store.insert("attempts", {
                "uid": new_uid(), "domain_id": performance.domain_id, "rung_id": None,
                "title": performance.title, "happened_at": happened, "confidence": confidence,
                "confidence_timing": None if confidence is None else "before",
                "outcome": outcome, "what_i_did": what_i_did.strip(), "note": note.strip(),
                "source": "readiness", "created_at": now, "updated_at": now,
            })
        store.db.table("readiness").update(performance_id, {
            "attempt_id": attempt_id, "followup_at": now, "updated_at": now,
        })
    return written(get_attempt(store, attempt_id))


def dismiss_followup(store: Store, performance_id: int) -> Performance:
    """It did not happen, or the user does not want to say: off the list, no attempt written."""
    _live(store, performance_id)
    now = store.stamp()
    with store.transaction():
        store.db.table("readiness").update(performance_id, {"followup_at": now, "updated_at": now})
    return written(get_performance(store, performance_id))


def readiness_evidence(
    store: Store, domain_id: int, limit: int = EVIDENCE_SHOWN
) -> list[Evidence]:
    """The user's own successes in the domain, hardest rung first, then the most recent.

    Rungs are read hardest first and, per rung, only its `limit` latest successes along
    `attempts_rung_time`; once a difficulty level brings the count to `limit`, easier rungs
    cannot rank higher. Successes without a rung come last, along `attempts_domain_time`."""
    def select(index: str) -> str:
        return (
            "SELECT a.*, r.title AS rung_title, r.difficulty AS rung_difficulty "
            f"FROM attempts a INDEXED BY {index} LEFT JOIN rungs r ON r.id = a.rung_id "
            "WHERE a.outcome = 'success' AND a.deleted_at IS NULL AND a.domain_id = ? "
        )

    if limit <= 0:
        return []
    rungs = store.conn.execute(
        "SELECT id, difficulty FROM rungs WHERE domain_id = ? ORDER BY difficulty DESC, id",
        [domain_id],
    ).fetchall()
    found: list[dict] = []
    for _, level in groupby(rungs, key=lambda r: r[1]):
        for rung_id, _ in level:
            found += store.query(
                select("attempts_rung_time")
                + "AND a.rung_id = ? ORDER BY a.happened_at DESC, a.id DESC LIMIT ?",
                [domain_id, rung_id, limit],
            )
        if len(found) >= limit:
            break
    if len(found) < limit:
        found += store.query(
            select("attempts_domain_time")
            + "AND a.rung_id IS NULL ORDER BY a.happened_at DESC, a.id DESC LIMIT ?",
            [domain_id, limit],
        )
    items = [Evidence(Attempt.from_row(r), r["rung_title"], r["rung_difficulty"]) for r in found]
    return order_evidence(items, limit)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def readiness_summary(store: Store) -> dict[str, Any]:
    """The readiness figures for `efficacy stats`: performances (scheduled or walked through),
    walkthroughs done and what they changed, how the followed-up performances went, and the
    models and feedback kept per domain. A performance scheduled and never walked through
    counts as a performance only."""
    columns = ", ".join(f"{m}_before, {m}_after" for m in MEASURES)
    done = store.query(
        f"SELECT domain_id, {columns} FROM readiness "
        "WHERE completed_at IS NOT NULL AND deleted_at IS NULL"
    )
    changes = {
        m: [r[f"{m}_after"] - r[f"{m}_before"] for r in done
            if r[f"{m}_before"] is not None and r[f"{m}_after"] is not None]
        for m in MEASURES
    }
    outcomes = {o: 0 for o in validate.OUTCOMES}
    # CROSS JOIN keeps the few followed-up performances as the outer loop, so the attempts
    # are looked up by id instead of scanned
    for outcome, count in store.conn.execute(
        "SELECT a.outcome, count(*) FROM readiness p CROSS JOIN attempts a "
        "ON a.id = p.attempt_id WHERE p.attempt_id IS NOT NULL AND p.deleted_at IS NULL "
        "AND a.deleted_at IS NULL AND a.outcome IS NOT NULL GROUP BY a.outcome"
    ):
        outcomes[outcome] = count
    dismissed = store.scalar(
        "SELECT count(*) FROM readiness WHERE attempt_id IS NULL AND followup_at IS NOT NULL "
        "AND deleted_at IS NULL"
    )
    sessions: dict[int, int] = {}
    for row in done:
        if row["domain_id"] is not None:
            sessions[row["domain_id"]] = sessions.get(row["domain_id"], 0) + 1
    domains = store.query(
        "SELECT d.id, d.name, "
        "(SELECT count(*) FROM models m WHERE m.domain_id = d.id AND m.deleted_at IS NULL) "
        "AS models, "
        "(SELECT count(*) FROM feedback f WHERE f.domain_id = d.id AND f.deleted_at IS NULL) "
        "AS feedback "
        "FROM domains d WHERE d.deleted_at IS NULL AND d.archived_at IS NULL "
        "ORDER BY d.position, d.name COLLATE NOCASE"
    )
    performances = store.scalar("SELECT count(*) FROM readiness WHERE deleted_at IS NULL")
    return {
        "performances": performances or 0,
        "sessions_completed": len(done),
        "scheduled_upcoming": len(upcoming_performances(store, limit=None)),
        "followups_due": len(due_followups(store)),
        "mean_change": {m: _mean(changes[m]) for m in MEASURES},
        "rated_sessions": {m: len(changes[m]) for m in MEASURES},
        "outcomes": outcomes,
        "followups_dismissed": dismissed or 0,
        "domains": [
            {"name": d["name"], "sessions": sessions.get(d["id"], 0), "models": d["models"],
             "feedback": d["feedback"]}
            for d in domains
        ],
    }
