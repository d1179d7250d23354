"""Attempts: planned or recorded tries at something hard, the raw material of mastery evidence."""

from efficacy_tui.store.core import Store, new_uid
from efficacy_tui.store.records import Attempt


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
) -> Attempt:
    now = store.stamp()
    with store.transaction():
        pk = (
            store.db["attempts"]
            .insert(
                {
                    "uid": new_uid(),
                    "domain_id": domain_id,
                    "rung_id": rung_id,
                    "title": title,
                    "happened_at": happened_at,
                    "confidence": confidence,
                    "outcome": outcome,
                    "what_i_did": what_i_did,
                    "note": note,
                    "source": source,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            .last_pk
        )
    return get_attempt(store, pk)  # type: ignore[return-value]


def get_attempt(store: Store, attempt_id: int) -> Attempt | None:
    rows = store.query("SELECT * FROM attempts WHERE id = ?", [attempt_id])
    return Attempt.from_row(rows[0]) if rows else None


def last_win(store: Store) -> Attempt | None:
    """The most recent success, with what the user did to earn it."""
    rows = store.query(
        "SELECT * FROM attempts WHERE outcome = 'success' AND deleted_at IS NULL "
        "ORDER BY happened_at DESC, id DESC LIMIT 1"
    )
    return Attempt.from_row(rows[0]) if rows else None


def has_any(store: Store) -> bool:
    return store.scalar("SELECT EXISTS (SELECT 1 FROM attempts)") == 1
