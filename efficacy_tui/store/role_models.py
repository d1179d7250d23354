"""Vicarious models and credible feedback per domain (Bandura's second and third sources):
add, edit, soft-delete with undo, and the orders the screens list them in.

Values go through the coach's checks before anything is written, so bad input fails with one
sentence (InvalidValue) and leaves the file as it was."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from efficacy_tui.coach.role_models import check_feedback, check_model
from efficacy_tui.content import say
from efficacy_tui.records import Feedback, RoleModel
from efficacy_tui.store.core import Store, StoreError, new_uid, written

R = TypeVar("R", RoleModel, Feedback)


def _require_domain(store: Store, domain_id: int) -> None:
    if not store.scalar("SELECT 1 FROM domains WHERE id = ? AND deleted_at IS NULL", [domain_id]):
        raise StoreError(say("role_models.no_such_domain"))


@dataclass(frozen=True)
class _Kept(Generic[R]):
    """One of the two per-domain tables the user writes by hand (models, feedback): the same
    add, edit, soft delete with undo, and listing, for its own record and order."""

    table: str
    kind: type[R]
    missing: str  # the content key of the sentence when the row is not there
    order: str

    def get(self, store: Store, id: int, live: bool = True) -> R | None:
        """The row with this id; with `live` (the default), None once deleted."""
        alive = " AND deleted_at IS NULL" if live else ""
        return store.record(self.kind, f"SELECT * FROM {self.table} WHERE id = ?{alive}", [id])

    def _found(self, store: Store, id: int, live: bool = True) -> R:
        found = self.get(store, id, live)
        if found is None:
            raise StoreError(say(f"role_models.{self.missing}"))
        return found

    def add(self, store: Store, domain_id: int, values: dict[str, Any]) -> R:
        _require_domain(store, domain_id)
        now = store.stamp()
        with store.transaction():
            pk = store.insert(self.table, {
                "uid": new_uid(), "domain_id": domain_id, **values,
                "created_at": now, "updated_at": now,
            })
        return written(self.get(store, pk))

    def update(self, store: Store, id: int, values: dict[str, Any]) -> R:
        self._found(store, id)
        with store.transaction():
            store.db.table(self.table).update(id, {**values, "updated_at": store.stamp()})
        return written(self.get(store, id))

    def delete(self, store: Store, id: int) -> R:
        """Soft delete, so `restore` can undo it; returns the row as it was."""
        found = self._found(store, id)
        with store.transaction():
            store.db.table(self.table).update(id, {"deleted_at": store.stamp()})
        return found

    def restore(self, store: Store, id: int) -> R:
        self._found(store, id, live=False)
        with store.transaction():
            store.db.table(self.table).update(id, {"deleted_at": None})
        return written(self.get(store, id))

    def listed(self, store: Store, domain_id: int) -> list[R]:
        """The domain's live rows, in the table's order."""
        return store.records(
            self.kind, f"SELECT * FROM {self.table} WHERE domain_id = ? AND deleted_at IS NULL "
            f"ORDER BY {self.order}",
            [domain_id],
        )


# Models newest first; feedback from the most credible person first, then most recently given.
_MODELS = _Kept("models", RoleModel, "no_such_model", "created_at DESC, id DESC")
_FEEDBACK = _Kept(
    "feedback", Feedback, "no_such_feedback", "credibility DESC, given_at DESC, id DESC"
)

get_model = _MODELS.get
delete_model = _MODELS.delete
restore_model = _MODELS.restore
models_for = _MODELS.listed
get_feedback = _FEEDBACK.get
delete_feedback = _FEEDBACK.delete
restore_feedback = _FEEDBACK.restore
feedback_for = _FEEDBACK.listed


def add_model(
    store: Store, domain_id: int, who: str, like_me: str, what_they_did: str
) -> RoleModel:
    return _MODELS.add(store, domain_id, check_model(who, like_me, what_they_did))


def update_model(store: Store, id: int, who: str, like_me: str, what_they_did: str) -> RoleModel:
    return _MODELS.update(store, id, check_model(who, like_me, what_they_did))


def add_feedback(
    store: Store, domain_id: int, who: str, credibility: int, what_they_said: str,
    given_at: datetime,
) -> Feedback:
    values = check_feedback(who, credibility, what_they_said, given_at, store.now())
    return _FEEDBACK.add(store, domain_id, values)


def update_feedback(
    store: Store, id: int, who: str, credibility: int, what_they_said: str, given_at: datetime,
) -> Feedback:
    values = check_feedback(who, credibility, what_they_said, given_at, store.now())
    return _FEEDBACK.update(store, id, values)
