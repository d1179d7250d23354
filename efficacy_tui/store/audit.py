"""The self-efficacy audit written whole: the first page of a domain's mastery record."""

from efficacy_tui.coach.audit import Audit
from efficacy_tui.records import Domain
from efficacy_tui.store.attempts import add_attempt
from efficacy_tui.store.core import Store
from efficacy_tui.store.ladder import domain_for_audit


def save_audit(store: Store, audit: Audit) -> Domain:
    """The domain (one of the same name without an audit, else a new one), the three successes
    and the planned attempt, in one write; raises StoreError when the domain cannot take it."""
    with store.transaction():
        domain = domain_for_audit(store, audit.name, audit.goal, audit.why)
        for success in audit.successes:
            add_attempt(
                store, domain_id=domain.id, title=success.title,
                happened_at=success.happened_at.isoformat(), outcome="success",
                confidence=None, what_i_did=success.did, source="audit",
            )
        add_attempt(
            store, domain_id=domain.id, title=audit.plan.title,
            happened_at=audit.plan.planned_at.isoformat(), outcome=None,
            confidence=audit.plan.confidence, source="audit",
        )
    return domain
