"""Vicarious models and credible feedback per domain (Bandura's second and third sources):
add, edit, soft-delete with undo, and the orders the screens list them in.

Values go through the coach's checks before anything is written, so bad input fails with one
sentence (InvalidValue) and leaves the file as it was."""

from datetime import datetime

from efficacy_tui.coach.role_models import check_feedback, check_model
from efficacy_tui.content import say
from efficacy_tui.records import Feedback, RoleModel
from efficacy_tui.store.core import Store, StoreError, new_uid, written


def _require_domain(store: Store, domain_id: int) -> None:
    if not store.scalar("SELECT 1 FROM domains WHERE id = ? AND deleted_at IS NULL", [domain_id]):
        raise StoreError(say("role_models.no_such_domain"))


def get_model(store: Store, model_id: int, live: bool = True) -> RoleModel | None:
    """The model with this id; with `live` (the default), None once deleted."""
    alive = " AND deleted_at IS NULL" if live else ""
    rows = store.query(f"SELECT * FROM models WHERE id = ?{alive}", [model_id])
    return RoleModel.from_row(rows[0]) if rows else None


def add_model(store: Store, domain_id: int, who: str, like_me: str,
              what_they_did: str) -> RoleModel:
    values = check_model(who, like_me, what_they_did)
    _require_domain(store, domain_id)
    now = store.stamp()
    with store.transaction():
        pk = written(store.db.table("models").insert({
            "uid": new_uid(), "domain_id": domain_id, **values,
            "created_at": now, "updated_at": now,
        }).last_rowid)
    return written(get_model(store, pk))


def update_model(store: Store, id: int, who: str, like_me: str, what_they_did: str) -> RoleModel:
    values = check_model(who, like_me, what_they_did)
    if get_model(store, id) is None:
        raise StoreError(say("role_models.no_such_model"))
    with store.transaction():
        store.db.table("models").update(id, {**values, "updated_at": store.stamp()})
    return written(get_model(store, id))


def delete_model(store: Store, id: int) -> RoleModel:
    """Soft delete, so `restore_model` can undo it."""
    model = get_model(store, id)
    if model is None:
        raise StoreError(say("role_models.no_such_model"))
    with store.transaction():
        store.db.table("models").update(id, {"deleted_at": store.stamp()})
    return model


def restore_model(store: Store, id: int) -> RoleModel:
    if get_model(store, id, live=False) is None:
        raise StoreError(say("role_models.no_such_model"))
    with store.transaction():
        store.db.table("models").update(id, {"deleted_at": None})
    return written(get_model(store, id))


def models_for(store: Store, domain_id: int) -> list[RoleModel]:
    """The domain's live models, newest first."""
    rows = store.query(
        "SELECT * FROM models WHERE domain_id = ? AND deleted_at IS NULL "
        "ORDER BY created_at DESC, id DESC",
        [domain_id],
    )
    return [RoleModel.from_row(r) for r in rows]


def get_feedback(store: Store, feedback_id: int, live: bool = True) -> Feedback | None:
    """The feedback with this id; with `live` (the default), None once deleted."""
    alive = " AND deleted_at IS NULL" if live else ""
    rows = store.query(f"SELECT * FROM feedback WHERE id = ?{alive}", [feedback_id])
    return Feedback.from_row(rows[0]) if rows else None


def add_feedback(
    store: Store, domain_id: int, who: str, credibility: int, what_they_said: str,
    given_at: datetime,
) -> Feedback:
    values = check_feedback(who, credibility, what_they_said, given_at, store.now())
    _require_domain(store, domain_id)
    now = store.stamp()
    with store.transaction():
        pk = written(store.db.table("feedback").insert({
            "uid": new_uid(), "domain_id": domain_id, **values,
            "created_at": now, "updated_at": now,
        }).last_rowid)
    return written(get_feedback(store, pk))


def update_feedback(
    store: Store, id: int, who: str, credibility: int, what_they_said: str, given_at: datetime,
) -> Feedback:
    values = check_feedback(who, credibility, what_they_said, given_at, store.now())
    if get_feedback(store, id) is None:
        raise StoreError(say("role_models.no_such_feedback"))
    with store.transaction():
        store.db.table("feedback").update(id, {**values, "updated_at": store.stamp()})
    return written(get_feedback(store, id))


def delete_feedback(store: Store, id: int) -> Feedback:
    """Soft delete, so `restore_feedback` can undo it."""
    feedback = get_feedback(store, id)
    if feedback is None:
        raise StoreError(say("role_models.no_such_feedback"))
    with store.transaction():
        store.db.table("feedback").update(id, {"deleted_at": store.stamp()})
    return feedback


def restore_feedback(store: Store, id: int) -> Feedback:
    if get_feedback(store, id, live=False) is None:
        raise StoreError(say("role_models.no_such_feedback"))
    with store.transaction():
        store.db.table("feedback").update(id, {"deleted_at": None})
    return written(get_feedback(store, id))


def feedback_for(store: Store, domain_id: int) -> list[Feedback]:
    """The domain's live feedback, most credible first, then most recently given."""
    rows = store.query(
        "SELECT * FROM feedback WHERE domain_id = ? AND deleted_at IS NULL "
        "ORDER BY credibility DESC, given_at DESC, id DESC",
        [domain_id],
    )
    return [Feedback.from_row(r) for r in rows]
