"""Seeking specific feedback and the audit taken again: the store's rules against a real file,
the migration that brings older files along, and the flows driven with keys through Pilot."""

from datetime import datetime

import pytest
from helpers import Typed, at, notes, press, shown
from test_ladder_app import choose_outcome, plan

from efficacy_tui.coach.feedback import draft_question
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.store import attempts, feedback_requests, ladder, schema
from efficacy_tui.store.audit import audit_sittings
from efficacy_tui.store.core import StoreError, new_uid, open_store
from efficacy_tui.store.readiness import schedule_performance
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.feedback_forms import AnswerForm, RequestForm
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen

from conftest import rows


def talk(store):
    """A speaking domain with one rung that has a success criterion, and one success on it."""
    domain = ladder.add_domain(store, "Public speaking")
    rung = ladder.add_rung(store, domain.id, "Give the stand-up update", "Without reading", 40)
    done = attempts.add_attempt(store, domain_id=domain.id, rung_id=rung.id,
                                title="Stand-up update", happened_at=at("2026-11-25 09:00"),
                                outcome="success")
    return domain, rung, done


# -- the rules ---------------------------------------------------------------------------------


def test_the_question_is_drafted_from_the_success_criterion():
    assert draft_question("Stand-up update", "Without reading.") == (
        "My aim for “Stand-up update” was: Without reading. What did you see me do that met "
        "it, or fell short of it?")
    assert "one specific thing I did in “Board  talk”" not in draft_question("Board  talk")
    assert "one specific thing I did in “Board talk”" in draft_question("Board  talk")


# -- the store ---------------------------------------------------------------------------------


def test_a_request_waits_until_answered_as_credible_feedback(store, db_path):
    domain, rung, done = talk(store)
    topic = feedback_requests.topic(store, done.id)
    assert (topic.domain_id, topic.criterion, topic.readiness_id) == (domain.id,
                                                                      "Without reading", None)
    request = feedback_requests.add_request(store, domain.id, " Priya, my manager ",
                                            "Did I read?", attempt_id=done.id)
    assert request.whom == "Priya, my manager" and request.about == "Stand-up update"
    assert [r.id for r in feedback_requests.pending_requests(store)] == [request.id]
    with pytest.raises(InvalidValue, match="Credibility"):
        feedback_requests.answer_request(store, request.id, "Priya", 9, "Clear", store.now())
    assert rows(db_path, "SELECT * FROM feedback") == []
    feedback = feedback_requests.answer_request(store, request.id, "Priya", 4,
                                                "You looked up the whole time", store.now())
    assert (feedback.domain_id, feedback.credibility) == (domain.id, 4)
    [row] = rows(db_path, "SELECT * FROM feedback_requests")
    assert row["feedback_id"] == feedback.id and row["answered_at"] and not row["dismissed_at"]
    assert feedback_requests.pending_requests(store) == []
    with pytest.raises(StoreError, match="no longer waiting"):
        feedback_requests.dismiss_request(store, request.id)


def test_bad_requests_are_refused_and_nothing_is_written(store, db_path):
    domain, _, done = talk(store)
    with pytest.raises(InvalidValue, match="Whom to ask cannot be empty") as err:
        feedback_requests.add_request(store, domain.id, "  ", "Did I read?", attempt_id=done.id)
    assert err.value.field == "whom"
    with pytest.raises(InvalidValue, match="The question can be at most 500"):
        feedback_requests.add_request(store, domain.id, "Priya", "x" * 501, attempt_id=done.id)
    with pytest.raises(StoreError, match="Record an outcome first"):
        feedback_requests.add_request(store, domain.id, "Priya", "Did I read?")
    assert rows(db_path, "SELECT * FROM feedback_requests") == []


def test_a_dismissed_request_leaves_home_and_stays_in_the_file(store, db_path):
    domain, _, done = talk(store)
    first = feedback_requests.add_request(store, domain.id, "Priya", "Q1?", attempt_id=done.id)
    feedback_requests.add_request(store, domain.id, "Sam", "Q2?", attempt_id=done.id)
    assert feedback_requests.pending_count(store) == 2
    feedback_requests.dismiss_request(store, first.id)
    assert [r.whom for r in feedback_requests.pending_requests(store)] == ["Sam"]
    assert rows(db_path, "SELECT whom, dismissed_at IS NOT NULL AS gone FROM feedback_requests "
                         "ORDER BY id") == [{"whom": "Priya", "gone": 1}, {"whom": "Sam", "gone": 0}]


def test_the_schema_holds_a_request_to_one_state(store):
    import sqlite3

    domain, _, done = talk(store)
    base = {"uid": new_uid(), "domain_id": domain.id, "whom": "Priya", "question": "Q?",
            "created_at": store.stamp()}
    for bad in ({}, {"attempt_id": done.id, "answered_at": store.stamp()},
                {"attempt_id": done.id, "whom": " "}):
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.db["feedback_requests"].insert({**base, **bad})


def test_older_audits_become_one_sitting_per_domain(db_path, clock):
    """A file from before sittings were kept: its audit attempts become one sitting per domain,
    dated by the first of them, and later sittings stand beside it."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db_path.parent.mkdir(mode=0o700)
    db = Database(db_path)
    migrations = Migrations(schema.MIGRATION_SET)
    for step in schema.MIGRATIONS:
        migrations(name=step.__name__)(step)
    migrations.apply(db, stop_before="m007_sittings_and_requests")
    for name in ("Running", "Chess"):
        domain = db["domains"].insert({"uid": new_uid(), "name": name,
                                       "created_at": at("2026-10-01 09:00")}).last_pk
        for n, made in enumerate(("2026-10-01 09:00", "2026-10-01 09:01")):
            db["attempts"].insert({
                "uid": new_uid(), "domain_id": domain, "title": f"{name} {n}", "source": "audit",
                "happened_at": at("2026-09-01 09:00"), "outcome": "success",
                "created_at": at(made), "updated_at": at(made)})
    db.close()
    store = open_store(db_path, clock=clock)
    try:
        assert "m007_sittings_and_requests" in schema.applied_migrations(store.conn)
        sittings = rows(db_path, "SELECT * FROM audits ORDER BY id")
        assert [(s["domain_id"], s["created_at"]) for s in sittings] == [
            (1, at("2026-10-01 09:00")), (2, at("2026-10-01 09:00"))]
        assert rows(db_path, "SELECT audit_id, count(*) AS n FROM attempts GROUP BY audit_id") \
            == [{"audit_id": 1, "n": 2}, {"audit_id": 2, "n": 2}]
        [sitting] = audit_sittings(store, 1)
        assert [a.title for a in sitting.successes] == ["Running 0", "Running 1"]
    finally:
        store.close()


def test_audit_attempts_without_a_sitting_read_as_one(store):
    """Rows imported from an export written before sittings were kept have no sitting."""
    domain = ladder.add_domain(store, "Running")
    for title in ("Ran 5 km", "Ran 8 km"):
        attempts.add_attempt(store, domain_id=domain.id, title=title, source="audit",
                             happened_at=at("2026-10-01 09:00"), outcome="success")
    attempts.add_attempt(store, domain_id=domain.id, title="Run 10 km", source="audit",
                         happened_at=at("2026-11-28 09:00"), outcome=None, confidence=60)
    [sitting] = audit_sittings(store, domain.id)
    assert [a.title for a in sitting.successes] == ["Ran 5 km", "Ran 8 km"]
    assert sitting.plan is not None and sitting.plan.confidence == 60


# -- the flows ---------------------------------------------------------------------------------


async def test_ask_for_feedback_after_an_attempt_then_record_the_answer(
        store, make_app, db_path):
    """Record an outcome on the ladder; the notice offers the request (f), drafted from the
    rung's criterion; home keeps it until the answer is recorded, with its credibility."""
    domain, rung, _ = talk(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LadderScreen)
        await plan(pilot, 70)
        await pilot.press("o")
        await pilot.pause()
        await choose_outcome(pilot, "success", "looked up after each point")
        assert app.screen is screen
        assert notes(app)[-1] == ("Ask someone who saw it for specific feedback? Press f to "
                                  "plan the request.")
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RequestForm)
        assert form.query_one("#question").value == (
            "My aim for “Give the stand-up update” was: Without reading. What did you see me do "
            "that met it, or fell short of it?")
        await pilot.press("ctrl+s")  # whom is still blank
        await pilot.pause()
        assert "Whom to ask cannot be empty" in shown(form, "#error")
        assert rows(db_path, "SELECT * FROM feedback_requests") == []
        await press(pilot, Typed("Priya, who chairs the stand-up"), "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        waiting = shown(app, "#request-list")
        assert "Ask Priya, who chairs the stand-up: My aim for" in waiting
        assert "(Public speaking · Give the stand-up update)" in waiting
        assert "Press a to record the answer" in waiting
        await pilot.press("a")
        await pilot.pause()
        answer = app.screen
        assert isinstance(answer, AnswerForm)
        assert answer.query_one("#who").value == "Priya, who chairs the stand-up"
        await press(pilot, "tab", "right", "right", "tab",  # unrated -> 3 -> 4
                    Typed("You never looked at your notes"), "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#requests").display
    [request] = rows(db_path, "SELECT * FROM feedback_requests")
    [feedback] = rows(db_path, "SELECT * FROM feedback")
    [recorded] = rows(db_path, "SELECT id FROM attempts WHERE confidence = 70")
    assert request["attempt_id"] == recorded["id"] and request["domain_id"] == domain.id
    assert request["feedback_id"] == feedback["id"] and request["answered_at"]
    assert (feedback["who"], feedback["credibility"], feedback["what_they_said"]) == (
        "Priya, who chairs the stand-up", 4, "You never looked at your notes")


async def test_the_offer_is_skipped_by_going_on(store, make_app, db_path):
    """Ignoring the notice writes nothing; the ladder's keys work as before."""
    talk(store)
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await plan(pilot, 60)
        await pilot.press("o")
        await pilot.pause()
        await choose_outcome(pilot, "success", "kept it short")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and not isinstance(app.screen, RequestForm)
    assert rows(db_path, "SELECT * FROM feedback_requests") == []


async def test_the_key_asks_nothing_before_an_outcome_is_recorded(store, make_app, db_path):
    talk(store)
    app = make_app(start="ladder")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)


async def test_a_request_is_let_go_from_home(store, make_app, db_path):
    domain, _, done = talk(store)
    feedback_requests.add_request(store, domain.id, "Sam [b]x[/b]", "Was I {clear}?",
                                  attempt_id=done.id)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "Ask Sam [b]x[/b]: Was I {clear}?" in shown(app, "#request-list")  # text, not markup
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query_one("#requests").display
        assert notes(app)[-1] == "Let go of the request to ask Sam [b]x[/b]."
    [row] = rows(db_path, "SELECT * FROM feedback_requests")
    assert row["dismissed_at"] and row["feedback_id"] is None


async def test_ask_for_feedback_after_a_performance(store, make_app, db_path):
    domain, _, _ = talk(store)
    performance = schedule_performance(store, "Board update", domain.id,
                                       datetime(2026, 11, 26, 8, 0).astimezone())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s")  # success
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert notes(app)[-1].startswith("Ask someone who saw it for specific feedback?")
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RequestForm)
        assert "“Board update”" in form.query_one("#question").value
        await press(pilot, Typed("Ana, the chair"), "ctrl+s")
        await pilot.pause()
        assert "Ask Ana, the chair" in shown(app, "#request-list")
    [request] = rows(db_path, "SELECT * FROM feedback_requests")
    [attempt] = rows(db_path, "SELECT id FROM attempts WHERE source = 'readiness'")
    assert (request["readiness_id"], request["attempt_id"]) == (performance.id, attempt["id"])


async def test_no_request_is_offered_for_a_performance_without_a_domain(make_app, store, db_path):
    schedule_performance(store, "Interview", None, datetime(2026, 11, 25, 15, 0).astimezone())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert not any("specific feedback" in note for note in notes(app))
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert rows(db_path, "SELECT * FROM feedback_requests") == []
