"""Whether a confidence came before the outcome: the m006 backfill of files written before the
column, the same rule for older exports, and what the app writes from now on."""

import json
from datetime import datetime

from helpers import at

from efficacy_tui.store import attempts, readiness, schema
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.export import export_data, to_json
from efficacy_tui.store.importer import import_file

from conftest import rows

EARLY, LATER = at("2026-11-01 18:00"), at("2026-11-02 08:00")

# (title, source, confidence, outcome, created_at, updated_at, expected timing)
OLD_ROWS = [
    ("logged with a confidence", "log", 70, "success", EARLY, EARLY, "recalled"),
    ("logged, edited later", "log", 70, "setback", EARLY, LATER, "recalled"),
    ("planned, waiting", "app", 60, None, EARLY, EARLY, "before"),
    ("planned then completed", "app", 60, "partial", EARLY, LATER, "before"),
    ("entered after the fact", "app", 50, "success", EARLY, EARLY, "recalled"),
    ("the walkthrough's follow-up", "readiness", 40, "success", EARLY, EARLY, "before"),
    ("the audit's plan, done", "audit", 30, "success", EARLY, LATER, "before"),
    ("no confidence", "log", None, "success", EARLY, EARLY, None),
]


def test_the_migration_backfills_a_file_written_before_it(db_path, clock):
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db_path.parent.mkdir(mode=0o700)
    db = Database(db_path)
    migrations = Migrations(schema.MIGRATION_SET)
    for step in schema.MIGRATIONS:
        migrations(name=step.__name__)(step)
    migrations.apply(db, stop_before="m006_confidence_timing")
    domain = db["domains"].insert({"uid": new_uid(), "name": "Speaking",
                                   "created_at": EARLY}).last_pk
    for title, source, confidence, outcome, created, updated, _ in OLD_ROWS:
        db["attempts"].insert({
            "uid": new_uid(), "domain_id": domain, "title": title, "happened_at": EARLY,
            "confidence": confidence, "outcome": outcome, "source": source,
            "created_at": created, "updated_at": updated,
        })
    db.close()
    store = open_store(db_path, clock=clock)
    try:
        assert "m006_confidence_timing" in schema.applied_migrations(store.conn)
        found = {r["title"]: r for r in rows(db_path, "SELECT * FROM attempts")}
        for title, *_, expected in OLD_ROWS:
            assert found[title]["confidence_timing"] == expected, title
        # the backfill leaves the times alone
        assert [r["updated_at"] for r in found.values()] == [row[5] for row in OLD_ROWS]
        # only the predictions with an outcome count: planned-then-completed, the follow-up and
        # the audit's plan; the recalled ones are counted apart
        assert sum(t.count for t in attempts.calibration_totals(store)) == 3
        assert attempts.recalled_count(store) == 3
        assert attempts.recalled_count(store, domain) == 3
    finally:
        store.close()


def test_an_export_older_than_the_column_imports_with_the_same_rule(store, tmp_path, clock):
    domain = store.db["domains"].insert({"uid": new_uid(), "name": "Speaking",
                                         "created_at": EARLY}).last_pk
    for title, source, confidence, outcome, created, updated, _ in OLD_ROWS:
        store.db["attempts"].insert({
            "uid": new_uid(), "domain_id": domain, "title": title, "happened_at": EARLY,
            "confidence": confidence, "outcome": outcome, "source": source,
            "created_at": created, "updated_at": updated,
        })
    data = export_data(store)
    assert all("confidence_timing" in row for row in data["attempts"])
    data["schema_version"] = 5
    for row in data["attempts"]:
        del row["confidence_timing"]
    old = tmp_path / "old.json"
    old.write_text(to_json(data), "utf-8")
    fresh = open_store(tmp_path / "fresh" / "efficacy.db", clock=clock)
    try:
        result = import_file(fresh, old)
        assert result.added["attempts"] == len(OLD_ROWS)
        found = {r["title"]: r["confidence_timing"]
                 for r in fresh.query("SELECT title, confidence_timing FROM attempts")}
        assert found == {title: expected for title, *_, expected in OLD_ROWS}
        # a current export carries the column and keeps it as it is
        again = json.loads(to_json(export_data(fresh)))
        assert again["schema_version"] == schema.schema_version()
        assert {r["title"]: r["confidence_timing"] for r in again["attempts"]} == found
    finally:
        fresh.close()


def test_what_is_written_from_now_on_says_when_the_confidence_came(store):
    domain = store.db["domains"].insert({"uid": new_uid(), "name": "Speaking",
                                         "created_at": EARLY}).last_pk
    planned = attempts.add_attempt(store, domain_id=domain, title="Talk", happened_at=LATER,
                                   outcome=None, confidence=70)
    assert planned.confidence_timing == "before" and not planned.recalled
    done = attempts.record_outcome(store, planned.id, outcome="success", effort=None,
                                   what_i_did="", note="")
    assert done.confidence_timing == "before"
    logged = attempts.add_attempt(store, domain_id=domain, title="Talk", happened_at=EARLY,
                                  outcome="success", confidence=70, source="log")
    assert logged.confidence_timing == "recalled" and logged.recalled
    bare = attempts.add_attempt(store, domain_id=domain, title="Talk", happened_at=EARLY,
                                outcome="success")
    assert bare.confidence_timing is None
    talk = readiness.schedule_performance(store, "Board talk", domain,
                                          datetime(2026, 11, 26, 8, 0).astimezone())
    store.db["readiness"].update(talk.id, {"confidence_before": 60})
    followed = readiness.record_followup(store, talk.id, "partial")
    assert (followed.confidence, followed.confidence_timing) == (60, "before")


def test_review_shows_a_recalled_confidence_as_recalled(store):
    from efficacy_tui.content import say
    from efficacy_tui.store import review
    from efficacy_tui.store.review import ReviewFilter
    from efficacy_tui.ui.screens.review import confidence_text, detail_content

    domain = store.db["domains"].insert({"uid": new_uid(), "name": "Speaking",
                                         "created_at": EARLY}).last_pk
    logged = attempts.add_attempt(store, domain_id=domain, title="Logged talk", happened_at=EARLY,
                                  outcome="success", confidence=70, source="log")
    planned = attempts.add_attempt(store, domain_id=domain, title="Planned talk",
                                   happened_at=EARLY, outcome=None, confidence=40)
    attempts.record_outcome(store, planned.id, outcome="partial", effort=None, what_i_did="",
                            note="")
    found, _ = review.search(store, ReviewFilter(), 0, 10)
    text = say("review")
    cells = {r.title: confidence_text(r.confidence, r.recalled, text) for r in found}
    assert cells == {"Logged talk": "(70)", "Planned talk": "40"}
    recalled = str(detail_content(review.get_record(store, "attempt", logged.id), text))
    assert "Confidence, recalled after the outcome (not counted in calibration): 70" in recalled
    before = str(detail_content(review.get_record(store, "attempt", planned.id), text))
    assert "Confidence beforehand: 40" in before and "recalled" not in before


def test_the_demo_marks_confidence_as_the_backfill_rule_would(store):
    from efficacy_tui.store.demo import build_demo

    build_demo(store, days=60, attempts=600, seed=5)
    differ = store.scalar("SELECT count(*) FROM attempts WHERE confidence_timing IS NOT "
                          f"({schema.CONFIDENCE_TIMING_RULE})")
    assert differ == 0
    kinds = {tuple(r) for r in store.conn.execute(
        "SELECT source, confidence_timing FROM attempts WHERE confidence IS NOT NULL")}
    assert ("log", "recalled") in kinds and ("app", "before") in kinds
