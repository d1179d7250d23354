"""Attempts: planned or recorded tries at something hard, the raw material of mastery evidence."""

from typing import TYPE_CHECKING

from efficacy_tui import stamps
from efficacy_tui.records import Attempt, PlannedAttempt
from efficacy_tui.store.core import Store, new_uid, written

if TYPE_CHECKING:
    from efficacy_tui.coach.calibration import BinTotals


# A win written down in a check-in or the audit: a success recalled, not an attempt planned and
# then tried, so it is shown as a win and left out of every rate and score. (The audit's planned
# attempt also has source 'audit', but it carries a confidence given beforehand: it is an attempt.)
RECORDED_WIN = "(source = 'checkin' OR (source = 'audit' AND confidence IS NULL))"


def add_attempt(
    store: Store,
    *,
    domain_id: int | None,
    title: str,
    happened_at: str,
    outcome: str | None,
    confidence: int | None = None,
    what_i_did: str = "",
    note: str = "",
    source: str = "app",
    rung_id: int | None = None,
    effort: int | None = None,
) -> Attempt:
    """Insert one attempt; `outcome=None` makes it a planned attempt awaiting its result. A
    confidence given with a planned attempt is a prediction ('before'); one given together with
    the outcome is recalled."""
    now = store.stamp()
    with store.transaction():
        pk = store.insert("attempts", {
            "uid": new_uid(),
            "domain_id": domain_id,
            "rung_id": rung_id,
            "title": title,
            "happened_at": happened_at,
            "confidence": confidence,
            "confidence_timing": confidence_timing(confidence, outcome),
            "outcome": outcome,
            "what_i_did": what_i_did,
            "note": note,
            "source": source,
            "effort": effort,
            "created_at": now,
            "updated_at": now,
        })
    return written(get_attempt(store, pk))


def confidence_timing(confidence: int | None, outcome: str | None) -> str | None:
    """'before' for a confidence given while the outcome is still to come, else 'recalled'."""
    if confidence is None:
        return None
    return "before" if outcome is None else "recalled"


def get_attempt(store: Store, attempt_id: int) -> Attempt | None:
    return store.record(Attempt, "SELECT * FROM attempts WHERE id = ?", [attempt_id])


def last_win(store: Store) -> Attempt | None:
    """The most recent success, with what the user did to earn it."""
    return store.record(
        Attempt, "SELECT * FROM attempts WHERE outcome = 'success' AND deleted_at IS NULL "
        "ORDER BY happened_at DESC, id DESC LIMIT 1"
    )


def has_any(store: Store) -> bool:
    return store.scalar("SELECT EXISTS (SELECT 1 FROM attempts)") == 1


def record_outcome(
    store: Store, attempt_id: int, *, outcome: str, effort: int | None, what_i_did: str,
    note: str, happened_at: str | None = None,
) -> Attempt:
    """The result of a planned attempt, dated `happened_at` when given; otherwise one planned for
    later than now is dated now."""
    attempt = get_attempt(store, attempt_id)
    now = store.stamp()
    values = {"outcome": outcome, "effort": effort, "what_i_did": what_i_did.strip(),
              "note": note.strip(), "updated_at": now}
    planned_for = stamps.moment(attempt.happened_at) if attempt is not None else None
    if happened_at is not None:
        values["happened_at"] = happened_at
    elif attempt is not None and (planned_for is None or planned_for > store.now()):
        values["happened_at"] = now
    with store.transaction():
        store.db.table("attempts").update(attempt_id, values)
    return written(get_attempt(store, attempt_id))


def planned_attempts(
    store: Store, domain_id: int | None = None, limit: int = 50
) -> list[PlannedAttempt]:
    """Attempts still waiting for an outcome, soonest first."""
    where = "AND a.domain_id = ?" if domain_id is not None else ""
    params = [domain_id] if domain_id is not None else []
    rows = store.query(
        "SELECT a.*, d.name AS domain_name, r.title AS rung_title "
        "FROM attempts a INDEXED BY attempts_planned "
        "LEFT JOIN domains d ON d.id = a.domain_id LEFT JOIN rungs r ON r.id = a.rung_id "
        f"WHERE a.outcome IS NULL AND a.deleted_at IS NULL AND d.archived_at IS NULL {where} "
        "ORDER BY a.happened_at, a.id LIMIT ?",
        [*params, limit],
    )
    return [
        PlannedAttempt(Attempt.from_row(r), r["domain_name"] or "", r["rung_title"])
        for r in rows
    ]


def planned_titled(store: Store, title: str) -> list[PlannedAttempt]:
    """Planned attempts (in live domains or none) whose title is `title`, any case; when none
    is, those whose title contains it. Soonest first."""
    wanted = " ".join(title.split()).lower()
    planned = planned_attempts(store, limit=-1)
    same = [p for p in planned if " ".join(p.attempt.title.split()).lower() == wanted]
    return same or [p for p in planned if wanted in p.attempt.title.lower()]


def recent_outcomes(store: Store, domain_id: int, limit: int = 10) -> list[str]:
    """The outcomes of the domain's last attempts, oldest first; wins recorded in a check-in or
    the audit are not attempts and are left out."""
    rows = store.conn.execute(
        "SELECT outcome FROM attempts WHERE domain_id = ? AND outcome IS NOT NULL "
        f"AND deleted_at IS NULL AND NOT {RECORDED_WIN} ORDER BY happened_at DESC, id DESC "
        "LIMIT ?",
        [domain_id, limit],
    ).fetchall()
    return [r[0] for r in reversed(rows)]


def recorded_wins(store: Store, domain_id: int) -> int:
    """How many wins the domain has from check-ins and the audit."""
    return store.scalar(
        # Along the index of wins (a few hundred rows), not the domain's every success, which
        # the planner would otherwise pick on a large record.
        "SELECT count(*) FROM attempts INDEXED BY attempts_wins_time WHERE domain_id = ? "
        "AND outcome = 'success' AND deleted_at IS NULL AND source IN ('checkin', 'audit') "
        f"AND {RECORDED_WIN}",
        [domain_id],
    )


def calibration_totals(store: Store, domain_id: int | None = None) -> list["BinTotals"]:
    """Per-bin sums over attempts rated before their outcome. SQL counts each (confidence,
    outcome) pair along the covering index, so Python only folds a few dozen rows into bins."""
    where, params, group = "", [], "domain_id, confidence_timing, confidence, outcome"
    if domain_id is not None:
        where, params, group = "AND domain_id = ?", [domain_id], "confidence, outcome"
    rows = store.conn.execute(
        "SELECT confidence, outcome, count(*) FROM attempts INDEXED BY attempts_rated "
        "WHERE confidence IS NOT NULL AND outcome IS NOT NULL AND deleted_at IS NULL "
        f"AND confidence_timing = 'before' {where} GROUP BY {group}",
        params,
    )
    from efficacy_tui.coach.calibration import totals_from_counts

    return totals_from_counts(rows)


def recalled_count(store: Store, domain_id: int | None = None) -> int:
    """Recorded attempts whose confidence was recalled after the outcome: kept and shown, but
    left out of calibration."""
    where, params = ("AND domain_id = ?", [domain_id]) if domain_id is not None else ("", [])
    return int(store.scalar(
        "SELECT count(*) FROM attempts INDEXED BY attempts_rated "
        "WHERE confidence IS NOT NULL AND outcome IS NOT NULL AND deleted_at IS NULL "
        f"AND confidence_timing = 'recalled' {where}",
        params,
    ))
