"""Counter-evidence ordering and the attribution trend, on a hand-built database."""

from datetime import datetime

from helpers import success

from efficacy_tui.store import attempts, ladder, reframes

from conftest import Clock


def test_counter_evidence_puts_equal_or_harder_rungs_first_then_the_most_recent(store):
    domain = ladder.add_domain(store, "Public speaking")
    other = ladder.add_domain(store, "Running")
    easy = ladder.add_rung(store, domain.id, "Ask a question", "", 30)
    current = ladder.add_rung(store, domain.id, "Five-minute update", "", 50)
    hard = ladder.add_rung(store, domain.id, "Meetup talk", "", 70)
    old_hard = success(store, hard, "Meetup talk in June", "2026-06-10T19:00:00+01:00",
                       "rehearsed twice")
    same = success(store, current, "Update in October", "2026-10-02T10:00:00+01:00")
    recent_easy = success(store, easy, "Question yesterday", "2026-11-25T10:00:00+00:00")
    success(store, domain, "Toast at a wedding", "2026-11-20T20:00:00+00:00")
    success(store, other, "Ran 5 km", "2026-11-25T07:00:00+00:00")
    deleted = success(store, hard, "Deleted talk", "2026-11-24T19:00:00+00:00")
    with store.transaction():
        store.db["attempts"].update(deleted.id, {"deleted_at": "2026-11-25T08:00:00+00:00"})
    setback = attempts.add_attempt(
        store, domain_id=domain.id, rung_id=current.id, title="Froze in the update",
        happened_at="2026-11-26T09:00:00+00:00", outcome="setback")
    attempts.add_attempt(  # a planned attempt is not evidence
        store, domain_id=domain.id, rung_id=hard.id, title="Next talk",
        happened_at="2026-11-30T19:00:00+00:00", outcome=None, confidence=60)

    shown = reframes.counter_evidence(store, domain.id, current.difficulty, exclude=setback.id)
    assert [e.attempt.id for e in shown] == [same.id, old_hard.id, recent_easy.id]
    assert shown[1].rung_title == "Meetup talk" and shown[1].attempt.what_i_did == "rehearsed twice"
    assert shown[1].difficulty == 70

    free_text = reframes.counter_evidence(store, domain.id, None)
    assert [e.attempt.title for e in free_text] == [
        "Question yesterday", "Toast at a wedding", "Update in October"]

    hardest_only = reframes.counter_evidence(store, domain.id, 70, limit=1)
    assert [e.attempt.id for e in hardest_only] == [old_hard.id]


def entry(**values):
    base = dict(
        what_happened="Froze", cause_text="I'm just not good at this", flagged=["I'm just not good at"],
        locus="internal", stability="stable", controllability="uncontrollable", cause="strategy",
        new_explanation="I used the wrong opening", if_situation="I freeze",
        then_action="I look at my first line", evidence=[], controllable_temporary=True,
    )
    base.update(values)
    return reframes.ReframeEntry(**base)


def test_monthly_counts_and_domain_counts(db_path):
    from efficacy_tui.store.core import open_store

    clock = Clock(datetime(2026, 10, 5, 9, 0))
    store = open_store(db_path, clock=clock)
    domain = ladder.add_domain(store, "Chess")
    reframes.save_reframe(store, entry(domain_id=domain.id))
    reframes.save_reframe(store, entry(domain_id=domain.id, controllable_temporary=False))
    clock.at(datetime(2026, 11, 2, 9, 0))
    reframes.save_reframe(store, entry(domain_id=domain.id))
    assert reframes.monthly_counts(store) == [("2026-10", 2, 1), ("2026-11", 1, 1)]
    assert reframes.reframes_by_domain(store) == {domain.id: (3, 2)}
    store.close()
