"""Performances, walkthroughs, follow-ups and readiness evidence on a hand-built database."""

import json
import sqlite3
from datetime import datetime

import pytest
from click.testing import CliRunner
from helpers import attempt, setback, success

from efficacy_tui.cli import main
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.figures import as_text, stats
from efficacy_tui.store import attempts, ladder, readiness
from efficacy_tui.store.readiness import WalkthroughEntry

from conftest import rows


def at(naive: datetime) -> datetime:
    return naive.astimezone()


def entry(**values) -> WalkthroughEntry:
    base = dict(
        sleep_hours=7.5, energy=6, anxiety_before=70, confidence_before=40, readiness_before=30,
        said_aloud=True, reappraisal="My racing heart is my body getting ready",
        breathing="resonance", breathing_seconds=60, evidence=["a" * 36],
        if_situation="my mind goes blank", then_action="I read the slide title aloud",
        anxiety_after=50, confidence_after=60, readiness_after=60,
    )
    base.update(values)
    return WalkthroughEntry(**base)


# -- evidence ----------------------------------------------------------------------------------


def test_evidence_is_hardest_first_then_most_recent(store):
    domain = ladder.add_domain(store, "Public speaking")
    other = ladder.add_domain(store, "Running")
    easy = ladder.add_rung(store, domain.id, "Ask a question", "", 30)
    middle = ladder.add_rung(store, domain.id, "Five-minute update", "", 50)
    twin = ladder.add_rung(store, domain.id, "Team demo", "", 50)
    hard = ladder.add_rung(store, domain.id, "Meetup talk", "", 70)
    far = ladder.add_rung(store, other.id, "Half marathon", "", 95)
    old_hard = success(store, hard, "Meetup talk in June", "2026-06-10T19:00:00+01:00",
                       "rehearsed twice")
    older_middle = success(store, middle, "Update in August", "2026-08-02T10:00:00+01:00")
    newer_middle = success(store, twin, "Demo in October", "2026-10-02T10:00:00+01:00")
    success(store, easy, "Question yesterday", "2026-11-25T10:00:00+00:00")
    success(store, domain, "Toast at a wedding", "2026-11-20T20:00:00+00:00")
    success(store, far, "Ran the half", "2026-11-22T09:00:00+00:00")
    setback(store, hard, "Froze at the meetup", "2026-11-12T19:00:00+00:00")
    attempt(store, hard, "Partly through the talk", "2026-11-13T19:00:00+00:00", "partial")
    deleted = success(store, hard, "Deleted talk", "2026-11-24T19:00:00+00:00")
    with store.transaction():
        store.db["attempts"].update(deleted.id, {"deleted_at": store.stamp()})
    attempts.add_attempt(store, domain_id=domain.id, rung_id=hard.id, title="Next talk",
                         happened_at="2026-11-30T19:00:00+00:00", outcome=None, confidence=60)

    shown = readiness.readiness_evidence(store, domain.id)
    assert [e.attempt.id for e in shown] == [old_hard.id, newer_middle.id, older_middle.id]
    assert shown[0].rung_title == "Meetup talk" and shown[0].difficulty == 70
    assert shown[0].attempt.what_i_did == "rehearsed twice"

    everything = readiness.readiness_evidence(store, domain.id, limit=10)
    assert [e.attempt.title for e in everything] == [
        "Meetup talk in June", "Demo in October", "Update in August", "Question yesterday",
        "Toast at a wedding"]
    assert readiness.readiness_evidence(store, domain.id, limit=1)[0].attempt.id == old_hard.id
    assert readiness.readiness_evidence(store, other.id)[0].attempt.title == "Ran the half"
    assert readiness.readiness_evidence(store, domain.id, limit=0) == []


def test_evidence_without_rungs_is_the_most_recent(store):
    domain = ladder.add_domain(store, "Chess")
    titles = [f"Won game {n}" for n in range(5)]
    for n, title in enumerate(titles):
        success(store, domain, title, f"2026-11-{10 + n:02d}T19:00:00+00:00")
    shown = readiness.readiness_evidence(store, domain.id)
    assert [e.attempt.title for e in shown] == titles[::-1][:3]
    assert all(e.difficulty is None for e in shown)


# -- scheduling, upcoming and due --------------------------------------------------------------


def test_schedule_upcoming_and_due(store, clock):
    talk = ladder.add_domain(store, "Public speaking")
    soon = readiness.schedule_performance(store, "  Quarterly update  ", talk.id,
                                      at(datetime(2026, 11, 26, 11, 0)))
    later = readiness.schedule_performance(store, "Conference talk", talk.id,
                                       at(datetime(2026, 12, 3, 15, 0)))
    free = readiness.schedule_performance(store, "Hard conversation", None,
                                      at(datetime(2026, 11, 27, 9, 0)))
    past = readiness.schedule_performance(store, "Standup", talk.id, at(datetime(2026, 11, 25, 9, 0)))
    older = readiness.schedule_performance(store, "Pitch", talk.id, at(datetime(2026, 11, 20, 9, 0)))
    assert soon.title == "Quarterly update" and soon.domain_name == "Public speaking"
    assert soon.scheduled_for == "2026-11-26T11:00:00+00:00"
    assert free.domain_id is None and free.domain_name is None
    assert readiness.get_performance(store, soon.id) == soon

    assert [p.id for p in readiness.upcoming_performances(store)] == [soon.id, free.id, later.id]
    assert [p.id for p in readiness.upcoming_performances(store, limit=2)] == [soon.id, free.id]
    assert [p.id for p in readiness.due_followups(store)] == [older.id, past.id]

    # "now" may be given as a stamp or a datetime; a performance at that very moment is ahead
    assert [p.id for p in readiness.upcoming_performances(store, "2026-11-26T11:00:00+00:00")][0] \
        == soon.id
    clock.at(datetime(2026, 11, 26, 11, 1))
    assert soon.id not in [p.id for p in readiness.upcoming_performances(store)]
    assert [p.id for p in readiness.due_followups(store)] == [older.id, past.id, soon.id]


def test_upcoming_compares_moments_not_text(store):
    """10:00+01:00 is 09:00 here: already past at 09:30, though its text sorts later."""
    perf = readiness.schedule_performance(store, "Call with Madrid", None,
                                      at(datetime(2026, 11, 26, 12, 0)))
    with store.transaction():
        store.db["readiness"].update(perf.id, {"scheduled_for": "2026-11-26T10:00:00+01:00"})
    assert readiness.upcoming_performances(store) == []
    assert [p.id for p in readiness.due_followups(store)] == [perf.id]


def test_update_delete_and_restore(store, db_path):
    domain = ladder.add_domain(store, "Running")
    perf = readiness.schedule_performance(store, "Parkrun", None, at(datetime(2026, 11, 28, 9, 0)))
    changed = readiness.update_performance(store, perf.id, "Parkrun PB attempt", domain.id,
                                       at(datetime(2026, 11, 28, 9, 30)))
    assert (changed.title, changed.domain_id, changed.scheduled_for) == (
        "Parkrun PB attempt", domain.id, "2026-11-28T09:30:00+00:00")
    with pytest.raises(InvalidValue, match="The title cannot be empty."):
        readiness.update_performance(store, perf.id, " ", None, at(datetime(2026, 11, 28, 9, 0)))
    assert readiness.get_performance(store, perf.id) == changed

    readiness.delete_performance(store, perf.id)
    assert readiness.upcoming_performances(store) == []
    assert readiness.get_performance(store, perf.id).deleted_at is not None
    with pytest.raises(InvalidValue):
        readiness.update_performance(store, perf.id, "x", None, at(datetime(2026, 11, 28, 9, 0)))
    restored = readiness.restore_performance(store, perf.id)
    assert restored.deleted_at is None
    assert [p.id for p in readiness.upcoming_performances(store)] == [perf.id]
    assert len(rows(db_path, "SELECT * FROM readiness")) == 1


def test_a_bad_title_is_refused_and_nothing_is_written(store, db_path):
    for title in ("", "   ", "x" * 501):
        with pytest.raises(InvalidValue) as err:
            readiness.schedule_performance(store, title, None, at(datetime(2026, 11, 27, 9, 0)))
        assert err.value.field == "title"
    with pytest.raises(InvalidValue, match="^The title cannot be empty.$"):
        readiness.save_walkthrough(store, entry(), title="  ")
    with pytest.raises(InvalidValue):
        readiness.save_walkthrough(store, entry())
    with pytest.raises(InvalidValue):
        readiness.save_walkthrough(store, entry(then_action=""), title="Talk")
    assert rows(db_path, "SELECT * FROM readiness") == []


# -- the walkthrough ---------------------------------------------------------------------------


def test_save_walkthrough_for_a_scheduled_performance(store, clock, db_path):
    domain = ladder.add_domain(store, "Public speaking")
    perf = readiness.schedule_performance(store, "Quarterly update", domain.id,
                                      at(datetime(2026, 11, 26, 11, 0)))
    clock.at(datetime(2026, 11, 26, 10, 40))
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    saved = readiness.save_walkthrough(store, entry(evidence=["u1", "u2"]), perf.id,
                                   started_at=at(datetime(2026, 11, 26, 10, 35)))
    store.conn.set_trace_callback(None)
    assert sum(s.strip().upper().startswith("BEGIN") for s in statements) == 1
    assert sum(s.strip().upper() == "COMMIT" for s in statements) == 1

    assert saved.id == perf.id and saved.title == "Quarterly update"
    assert saved.started_at == "2026-11-26T10:35:00+00:00"
    assert saved.completed_at == "2026-11-26T10:40:00+00:00"
    assert saved.evidence_uids == ["u1", "u2"] and saved.completed and not saved.followed_up
    [row] = rows(db_path, "SELECT * FROM readiness")
    assert row["said_aloud"] == 1 and row["breathing"] == "resonance"
    assert (row["anxiety_before"], row["anxiety_after"]) == (70, 50)
    assert row["confidence_after"] == 60 and row["readiness_after"] == 60
    assert row["if_situation"] == "my mind goes blank"

    # a second pass keeps when it was first started
    clock.at(datetime(2026, 11, 26, 10, 50))
    again = readiness.save_walkthrough(store, entry(breathing=None, breathing_seconds=90), perf.id)
    assert again.started_at == "2026-11-26T10:35:00+00:00"
    assert again.completed_at == "2026-11-26T10:50:00+00:00"
    assert again.breathing is None and again.breathing_seconds == 0


def test_save_walkthrough_creates_the_performance_when_there_is_none(store, db_path):
    saved = readiness.save_walkthrough(store, entry(), title="Job interview")
    assert saved.title == "Job interview" and saved.domain_id is None
    assert saved.scheduled_for == saved.started_at == saved.completed_at == store.stamp()
    later = readiness.save_walkthrough(store, entry(), title="Exam",
                                   when=at(datetime(2026, 11, 26, 14, 0)))
    assert later.scheduled_for == "2026-11-26T14:00:00+00:00"
    assert [p.title for p in readiness.upcoming_performances(store)] == ["Job interview", "Exam"]


def test_a_bad_rating_writes_nothing(store, db_path):
    perf = readiness.schedule_performance(store, "Talk", None, at(datetime(2026, 11, 26, 11, 0)))
    with pytest.raises(sqlite3.IntegrityError):
        readiness.save_walkthrough(store, entry(confidence_after=75), perf.id)
    [row] = rows(db_path, "SELECT * FROM readiness")
    assert row["completed_at"] is None and row["started_at"] is None
    assert row["anxiety_before"] is None


# -- follow-up ---------------------------------------------------------------------------------


def test_record_followup_writes_an_attempt_that_counts_in_calibration(store, clock, db_path):
    domain = ladder.add_domain(store, "Public speaking")
    perf = readiness.schedule_performance(store, "Quarterly update", domain.id,
                                      at(datetime(2026, 11, 26, 11, 0)))
    readiness.save_walkthrough(store, entry(), perf.id)
    clock.at(datetime(2026, 11, 26, 13, 0))
    attempt = readiness.record_followup(store, perf.id, "Success", "paused before answering",
                                    "two questions")
    assert attempt.source == "readiness" and attempt.outcome == "success"
    assert attempt.title == "Quarterly update" and attempt.domain_id == domain.id
    assert attempt.happened_at == "2026-11-26T11:00:00+00:00"
    assert attempt.confidence == 60  # the rating given before the outcome
    assert attempt.what_i_did == "paused before answering" and attempt.note == "two questions"
    done = readiness.get_performance(store, perf.id)
    assert done.attempt_id == attempt.id and done.followup_at == "2026-11-26T13:00:00+00:00"
    assert readiness.due_followups(store) == [] and readiness.upcoming_performances(store) == []
    [rated] = rows(db_path, "SELECT * FROM attempts WHERE confidence IS NOT NULL "
                            "AND outcome IS NOT NULL")
    assert rated["id"] == attempt.id

    # recording again corrects the same attempt
    again = readiness.record_followup(store, perf.id, "partial")
    assert again.id == attempt.id and again.outcome == "partial"
    assert len(rows(db_path, "SELECT * FROM attempts")) == 1

    with pytest.raises(InvalidValue, match="Outcome must be"):
        readiness.record_followup(store, perf.id, "maybe")


def test_a_followup_before_the_time_is_dated_now(store, db_path):
    perf = readiness.schedule_performance(store, "Exam", None, at(datetime(2026, 11, 26, 14, 0)))
    attempt = readiness.record_followup(store, perf.id, "setback")
    assert attempt.happened_at == store.stamp() and attempt.confidence is None
    assert attempt.domain_id is None


def test_record_followup_is_all_or_nothing(store, db_path):
    perf = readiness.schedule_performance(store, "Exam", None, at(datetime(2026, 11, 25, 14, 0)))
    store.conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE UPDATE OF attempt_id ON readiness "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        readiness.record_followup(store, perf.id, "success")
    assert rows(db_path, "SELECT * FROM attempts") == []
    assert rows(db_path, "SELECT attempt_id, followup_at FROM readiness") == [
        {"attempt_id": None, "followup_at": None}]


def test_dismiss_followup_writes_no_attempt(store, db_path):
    perf = readiness.schedule_performance(store, "Match", None, at(datetime(2026, 11, 25, 14, 0)))
    assert [p.id for p in readiness.due_followups(store)] == [perf.id]
    dismissed = readiness.dismiss_followup(store, perf.id)
    assert dismissed.followup_at == store.stamp() and dismissed.attempt_id is None
    assert dismissed.followed_up
    assert readiness.due_followups(store) == []
    assert rows(db_path, "SELECT * FROM attempts") == []


# -- summary -----------------------------------------------------------------------------------


def add_model(store, domain_id, who):
    now = store.stamp()
    with store.transaction():
        store.db["models"].insert({"uid": f"{who:0>36}"[:36], "domain_id": domain_id, "who": who,
                                   "what_they_did": "practised", "created_at": now,
                                   "updated_at": now})


def add_feedback(store, domain_id, who, deleted=False):
    now = store.stamp()
    with store.transaction():
        store.db["feedback"].insert({"uid": f"{who:0>36}"[:36], "domain_id": domain_id, "who": who,
                                     "credibility": 4, "what_they_said": "clear",
                                     "given_at": now, "created_at": now, "updated_at": now,
                                     "deleted_at": now if deleted else None})


def build_summary_data(store):
    talk = ladder.add_domain(store, "Public speaking")
    run = ladder.add_domain(store, "Running")
    one = readiness.save_walkthrough(store, entry(), title="Update", domain_id=talk.id,
                                 when=at(datetime(2026, 11, 20, 10, 0)))
    two = readiness.save_walkthrough(
        store, entry(anxiety_before=60, anxiety_after=40, confidence_before=50,
                     confidence_after=50, readiness_before=None),
        title="Race", domain_id=run.id, when=at(datetime(2026, 11, 22, 9, 0)))
    three = readiness.save_walkthrough(store, entry(), title="Pitch", domain_id=talk.id,
                                   when=at(datetime(2026, 11, 24, 9, 0)))
    readiness.record_followup(store, one.id, "success")
    readiness.record_followup(store, two.id, "setback")
    readiness.dismiss_followup(store, three.id)
    readiness.schedule_performance(store, "Conference", talk.id, at(datetime(2026, 12, 3, 9, 0)))
    readiness.schedule_performance(store, "Missed", talk.id, at(datetime(2026, 11, 25, 9, 0)))
    gone = readiness.save_walkthrough(store, entry(anxiety_after=0), title="Deleted")
    readiness.delete_performance(store, gone.id)
    add_model(store, talk.id, "Ana")
    add_model(store, talk.id, "Ben")
    add_feedback(store, talk.id, "Cleo")
    add_feedback(store, run.id, "Dev")
    add_feedback(store, run.id, "Eve", deleted=True)


EXPECTED = {
    "performances": 5,
    "sessions_completed": 3,
    "scheduled_upcoming": 1,
    "followups_due": 1,
    "mean_change": {"anxiety": -20.0, "confidence": 13.3, "readiness": 30.0},
    "rated_sessions": {"anxiety": 3, "confidence": 3, "readiness": 2},
    "outcomes": {"success": 1, "partial": 0, "setback": 1},
    "followups_dismissed": 1,
    "domains": [
        {"name": "Public speaking", "sessions": 2, "models": 2, "feedback": 1},
        {"name": "Running", "sessions": 1, "models": 0, "feedback": 1},
    ],
}


def test_readiness_summary(store):
    build_summary_data(store)
    assert readiness.readiness_summary(store) == EXPECTED


def test_stats_carry_the_readiness_summary(store, db_path):
    empty = readiness.readiness_summary(store)
    assert empty["sessions_completed"] == 0 and empty["mean_change"]["anxiety"] is None
    assert "Performances" not in as_text(stats(store))
    build_summary_data(store)
    data = stats(store)
    assert data["readiness"] == EXPECTED
    text = as_text(data)
    assert "Performances: 5 (3 walked through beforehand), 1 upcoming" in text
    assert "anxiety −20" in text and "confidence +13.3" in text
    store.close()
    result = CliRunner().invoke(main, ["--db", str(db_path), "stats", "--format", "json"])
    printed = json.loads(result.output)["readiness"]
    timeless = {k: v for k, v in EXPECTED.items()
                if k not in ("scheduled_upcoming", "followups_due")}
    assert {k: printed[k] for k in timeless} == timeless  # the command line runs on the real clock


def test_a_performance_never_walked_through_counts_as_a_performance_in_stats(store, db_path):
    """`efficacy stats` counts a scheduled performance as a performance and only a finished
    walkthrough as a walkthrough: one scheduled alone, one walked through."""
    talk = ladder.add_domain(store, "Public speaking")
    readiness.schedule_performance(store, "Panel", talk.id, at(datetime(2099, 1, 20, 18, 0)))
    readiness.save_walkthrough(store, entry(), title="Pitch", domain_id=talk.id,
                               when=at(datetime(2099, 1, 21, 9, 0)))
    store.close()
    result = CliRunner().invoke(main, ["--db", str(db_path), "stats"])
    assert result.exit_code == 0
    assert "Performances: 2 (1 walked through beforehand), 2 upcoming" in result.output
    result = CliRunner().invoke(main, ["--db", str(db_path), "stats", "--format", "json"])
    printed = json.loads(result.output)["readiness"]
    assert (printed["performances"], printed["sessions_completed"]) == (2, 1)
    assert printed["domains"][0]["sessions"] == 1
