"""The self-efficacy audit written whole, one sitting at a time, and the sittings a domain has
had: the audit can be taken again (say monthly), and each sitting is kept beside the others."""

from efficacy_tui.coach.audit import Audit
from efficacy_tui.records import Attempt, AuditSitting, Domain
from efficacy_tui.store.attempts import add_attempt
from efficacy_tui.store.core import Store, new_uid
from efficacy_tui.store.ladder import domain_for_audit


def save_audit(store: Store, audit: Audit) -> Domain:
    """The domain (one of the same name, else a new one), a new sitting, its three successes and
    its planned attempt, in one write; raises StoreError when the domain cannot take it."""
    with store.transaction():
        domain = domain_for_audit(store, audit.name, audit.goal, audit.why)
        sitting = store.insert("audits", {
            "uid": new_uid(), "domain_id": domain.id, "created_at": store.stamp(),
        })
        made = [
            add_attempt(
                store, domain_id=domain.id, title=success.title,
                happened_at=success.happened_at.isoformat(), outcome="success",
                confidence=None, what_i_did=success.did, source="audit",
            )
            for success in audit.successes
        ]
        made.append(add_attempt(
            store, domain_id=domain.id, title=audit.plan.title,
            happened_at=audit.plan.planned_at.isoformat(), outcome=None,
            confidence=audit.plan.confidence, source="audit",
        ))
        for attempt in made:
            store.db.table("attempts").update(attempt.id, {"audit_id": sitting})
    return domain


def audit_sittings(store: Store, domain_id: int) -> list[AuditSitting]:
    """The domain's live sittings, oldest first. Audit attempts with no sitting (imported from a
    file written before sittings were kept) read as one sitting dated by the first of them."""
    sittings = store.conn.execute(
        "SELECT id, created_at FROM audits WHERE domain_id = ? AND deleted_at IS NULL",
        [domain_id],
    ).fetchall()
    loose = store.scalar(
        "SELECT min(created_at) FROM attempts WHERE domain_id = ? AND source = 'audit' "
        "AND audit_id IS NULL AND deleted_at IS NULL", [domain_id],
    )
    if loose is not None:
        sittings.append((None, loose))
    sittings.sort(key=lambda sitting: sitting[1])
    found = []
    for sitting_id, created_at in sittings:
        which = "audit_id = ?" if sitting_id is not None else "audit_id IS NULL AND domain_id = ?"
        made = store.records(
            Attempt, f"SELECT * FROM attempts WHERE {which} AND source = 'audit' "
            "AND deleted_at IS NULL ORDER BY id",
            [sitting_id if sitting_id is not None else domain_id],
        )
        plans = [a for a in made if a.confidence is not None]
        successes = [a for a in made if a.confidence is None]
        found.append(AuditSitting(created_at, successes, plans[-1] if plans else None))
    return found
