"""The demo's readiness walkthroughs, models, feedback and reframes: believable, consistent with
the attempts they point at, valid, and the same for the same seed."""

import json
from datetime import datetime, time, timedelta

import pytest

from efficacy_tui.coach.attribution import Dimensions, detect, is_controllable_temporary
from efficacy_tui.content import say
from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.readiness import due_followups, readiness_summary, upcoming_performances

from conftest import rows as query

NOW = datetime(2026, 4, 5, 9, 15).astimezone()
TABLES = ("readiness", "models", "feedback", "reframes")


def clock() -> datetime:
    return NOW


def build(path, days=120, attempts=1500, seed=7):
    store = open_store(path, clock=clock)
    try:
        build_demo(store, days=days, attempts=attempts, seed=seed)
    finally:
        store.close()
    return path


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo") / "demo.db")


def test_past_walkthroughs_are_followed_up_by_their_attempt(db):
    done = query(db, "SELECT * FROM readiness WHERE completed_at IS NOT NULL ORDER BY id")
    assert 3 <= len(done) <= 5
    assert len({d["domain_id"] for d in done}) == 3
    for row in done:
        [attempt] = query(db, "SELECT * FROM attempts WHERE id = ?", [row["attempt_id"]])
        assert attempt["source"] == "readiness" and attempt["outcome"] is not None
        assert attempt["title"] == row["title"] and attempt["domain_id"] == row["domain_id"]
        assert attempt["happened_at"] == row["scheduled_for"]
        assert attempt["confidence"] == row["confidence_after"]
        assert row["followup_at"] == attempt["created_at"] == row["updated_at"]
        assert (when(row["created_at"]) < when(row["started_at"]) < when(row["completed_at"])
                < when(row["scheduled_for"]) <= when(row["followup_at"]) <= NOW)
        for measure in ("anxiety", "confidence", "readiness"):
            assert row[f"{measure}_before"] is not None and row[f"{measure}_after"] is not None
        assert row["anxiety_after"] < row["anxiety_before"]
        assert row["confidence_after"] >= row["confidence_before"]
        assert row["reappraisal"] and row["if_situation"] and row["then_action"]
        assert (row["breathing"] is None) == (row["breathing_seconds"] == 0)
        shown = json.loads(row["evidence"])
        assert len(shown) == 3
        for uid in shown:
            [success] = query(db, "SELECT * FROM attempts WHERE uid = ?", [uid])
            assert success["outcome"] == "success" and success["domain_id"] == row["domain_id"]
            assert when(success["happened_at"]) < when(row["started_at"])
        for table, column in (("models", "model_id"), ("feedback", "feedback_id")):
            [picked] = query(db, f"SELECT * FROM {table} WHERE id = ?", [row[column]])
            assert picked["domain_id"] == row["domain_id"]
            assert when(picked["created_at"]) <= when(row["started_at"])
    in_readiness = query(db, "SELECT count(*) AS n FROM attempts WHERE source = 'readiness'")
    assert in_readiness == [{"n": len(done)}]


def test_one_performance_waits_for_tomorrow_morning(db):
    store = open_store(db, clock=clock)
    try:
        [upcoming] = upcoming_performances(store)
        assert due_followups(store) == []
        summary = readiness_summary(store)
    finally:
        store.close()
    tomorrow = datetime.combine(NOW.date() + timedelta(days=1), time(9)).astimezone()
    assert when(upcoming.scheduled_for) == tomorrow
    assert upcoming.completed_at is None and upcoming.started_at is None
    assert upcoming.domain_name == "Public speaking" and upcoming.title
    assert when(upcoming.created_at) <= NOW
    assert summary["scheduled_upcoming"] == 1 and summary["followups_due"] == 0
    assert summary["mean_change"]["anxiety"] < 0 < summary["mean_change"]["confidence"]
    assert [(d["models"], d["feedback"]) for d in summary["domains"]] == [(2, 2)] * 3


def test_models_and_feedback_come_from_the_content(db):
    content = {d["name"]: d for d in say("demo.domains")}
    for domain in query(db, "SELECT * FROM domains"):
        spec = content[domain["name"]]
        models = query(db, "SELECT * FROM models WHERE domain_id = ? ORDER BY id", [domain["id"]])
        feedback = query(db, "SELECT * FROM feedback WHERE domain_id = ? ORDER BY id",
                         [domain["id"]])
        assert [m["who"] for m in models] == [m["who"] for m in spec["models"]]
        assert [f["credibility"] for f in feedback] == [f["credibility"] for f in spec["feedback"]]
        for row in models + feedback:
            assert when(domain["created_at"]) < when(row["created_at"]) <= NOW
            assert 8 <= when(row["created_at"]).hour <= 22
        for row in feedback:
            assert when(row["given_at"]) <= when(row["created_at"])


def test_older_setbacks_are_reframed_and_the_last_week_is_left_open(db):
    reframes = query(db, "SELECT * FROM reframes ORDER BY id")
    assert 6 <= len(reframes) <= 12
    for row in reframes:
        [setback] = query(db, "SELECT * FROM attempts WHERE id = ?", [row["attempt_id"]])
        assert setback["outcome"] == "setback" and setback["domain_id"] == row["domain_id"]
        assert when(setback["updated_at"]) <= when(row["created_at"]) <= NOW
        assert when(setback["happened_at"]) < NOW - timedelta(days=7)
        assert json.loads(row["flagged"]) == [f.text for f in detect(row["cause_text"])]
        dims = Dimensions(row["locus"], row["stability"], row["controllability"])
        assert row["controllable_temporary"] == int(is_controllable_temporary(dims, row["cause"]))
        for uid in json.loads(row["evidence"]):
            [success] = query(db, "SELECT * FROM attempts WHERE uid = ?", [uid])
            assert success["outcome"] == "success" and success["domain_id"] == row["domain_id"]
    months = {row["created_at"][:7] for row in reframes}
    assert len(months) >= 2  # the attribution trend has more than one month


def test_content_reframes_are_what_the_coach_would_say():
    """Each story's flagged words are the coach's; oldest first, a domain's stories move from
    endings on a stable or uncontrollable cause to controllable, temporary ones."""
    for domain in say("demo.domains"):
        endings = []
        for story in domain["reframes"]:
            assert story["flagged"] == [f.text for f in detect(story["cause_text"])]
            dims = Dimensions(story["locus"], story["stability"], story["controllability"])
            endings.append(is_controllable_temporary(dims, story["cause"]))
        assert endings == sorted(endings) and len(set(endings)) == 2, domain["name"]


def test_same_seed_same_rows_and_small_demos_stay_valid(db, tmp_path):
    again = build(tmp_path / "again.db")
    for table in TABLES:
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert query(db, sql) == query(again, sql), table
    for days, attempts in ((1, None), (3, 0), (10, 5), (20, 40)):
        path = build(tmp_path / f"small-{days}-{attempts}.db", days=days, attempts=attempts)
        assert query(path, "PRAGMA foreign_key_check") == []
        assert len(query(path, "SELECT id FROM readiness WHERE completed_at IS NULL")) == 1
        total = query(path, "SELECT count(*) AS n FROM attempts")[0]["n"]
        assert attempts is None or total == attempts
