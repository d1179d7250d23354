"""The review store: full-text search that treats every input as text, everyday date ranges,
filters together, paging newest first, edits, and delete with undo, on a real database file."""

from datetime import datetime

import pytest
from helpers import at

from efficacy_tui.coach.checkin import read_checkin
from efficacy_tui.store import attempts, checkins, ladder, reframes, review, schema
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.store.review import ReviewFilter, fts_query
from efficacy_tui.when import WhenError, parse_range

NOTE = 'She said "yes" (finally) - AND we were NEAR the end*'


def attempt(store, domain, title, when, outcome="success", source="app", **extra):
    return attempts.add_attempt(
        store, domain_id=domain.id if domain else None, title=title, happened_at=at(when),
        outcome=outcome, source=source, **extra,
    )


@pytest.fixture
def world(store, clock):
    """Two domains; attempts, a win, a planned attempt, a check-in, a reframe and a readiness
    session spread over 2026, each with words worth searching for."""
    speak = ladder.add_domain(store, "Public speaking")
    run = ladder.add_domain(store, "Running")
    made = {
        "march": attempt(store, speak, "Toast at the March dinner", "2026-03-14 20:00",
                         what_i_did="Rehearsed it twice"),
        "october": attempt(store, run, "Ten km in October", "2026-10-12 08:00", "partial"),
        "awkward": attempt(store, speak, "Stand-up update", "2026-11-20 09:00", "setback",
                           note=NOTE),
        "ab": attempt(store, run, "Intervals", "2026-11-21 07:00", note='tried the a"b split'),
        "win": attempt(store, speak, "Asked the first question", "2026-11-24 12:00",
                       source="checkin", what_i_did="Wrote it down beforehand"),
        "planned": attempts.add_attempt(
            store, domain_id=speak.id, title="Meetup talk", happened_at=at("2026-12-02 19:00"),
            outcome=None, confidence=60),
    }
    clock.at(datetime(2026, 11, 25, 8, 0))
    day = checkins.save_checkin(store, read_checkin(datetime(2026, 11, 25).date(), {
        "energy": 6, "anxiety": 40, "focus_domain": "Running", "focus_rung": "",
        "if_situation": "it rains", "then_action": "run on the treadmill",
    }))
    clock.at(datetime(2026, 11, 22, 18, 0))
    frame = reframes.save_reframe(store, reframes.ReframeEntry(
        what_happened="Froze in the stand-up", cause_text="I never know what to say",
        flagged=[], locus="internal", stability="temporary", controllability="controllable",
        cause="preparation", new_explanation="I had not prepared an opening line",
        if_situation="the stand-up starts", then_action="I say my first line from the card",
        evidence=[], controllable_temporary=True, attempt_id=made["awkward"].id,
        domain_id=speak.id,
    ))
    with store.transaction():
        ready = store.db["readiness"].insert({
            "uid": new_uid(), "domain_id": speak.id, "title": "Quarterly review talk",
            "scheduled_for": at("2026-11-23 10:00"), "reappraisal": "My racing heart is fuel",
            "if_situation": "my hands shake", "then_action": "I hold the clicker",
            "confidence_before": 50, "attempt_id": made["win"].id,
            "completed_at": at("2026-11-23 09:20"),
            "created_at": at("2026-11-23 09:00"), "updated_at": at("2026-11-23 09:00"),
        }).last_pk
    clock.at(datetime(2026, 11, 26, 9, 30))
    made.update(checkin=day, reframe=frame, readiness=ready, speak=speak, run=run)
    return made


def found(store, **values) -> list[tuple[str, int]]:
    return [(r.kind, r.id) for r in review.find_records(store, ReviewFilter(**values), 0, 100)]


def test_fts_query_quotes_every_token_and_prefixes_the_last_one_being_typed():
    assert fts_query("") == "" and fts_query("   ") == ""
    assert fts_query("AND") == '"AND"*'
    assert fts_query('a"b') == '"a""b"*'
    assert fts_query("run NEAR ") == '"run" "NEAR"'
    assert fts_query("x") == ""  # one letter being typed is not yet a useful prefix
    assert fts_query("x ") == '"x"'
    assert fts_query('(draft - "" -x*') == '"(draft"'
    assert fts_query("(draft -xy*") == '"(draft" "-xy*"*'


@pytest.mark.parametrize("text, expected", [
    ("AND", ["awkward"]),
    ("NEAR", ["awkward"]),
    ("near the", ["awkward"]),
    ('"yes"', ["awkward"]),
    ("(finally", ["awkward"]),
    ("end*", ["awkward"]),
    ("-AND", ["awkward"]),
    ("yes OR", []),  # no word starting with "or"
    ('a"b', ["ab"]),
    ("NOT", ["reframe"]),  # "I had not prepared"
])
def test_awkward_input_is_searched_as_text_and_never_breaks_the_query(store, world, text,
                                                                       expected):
    wanted = [("reframe" if name == "reframe" else "attempt", world[name].id)
              for name in expected]
    assert found(store, text=text) == wanted
    assert review.count_records(store, ReviewFilter(text=text)).count == len(wanted)


@pytest.mark.parametrize("text", ['"', "*", "(", "-", '" * ( -', ""])
def test_input_without_a_word_does_not_filter(store, world, text):
    assert found(store, text=text) == found(store)
    assert review.count_records(store, ReviewFilter(text=text)).count == 9


def test_a_word_being_typed_is_cut_back_to_what_the_stemmed_index_knows(store, world):
    """"rehearsed" is indexed as "rehears", so "rehearse" typed so far still finds it, and so
    does "rehearsa" on its way to "rehearsal" (cut back by the start of an ending)."""
    for typed in ("re", "rehear", "rehearse", "rehearsed", "rehearsed ", "rehearsa",
                  "Rehearsals"):
        assert found(store, text=typed)[-1] == ("attempt", world["march"].id), typed
    assert found(store, text="zq") == []


@pytest.mark.parametrize("typed", ["rehearsex", "rehearsebook", "stanza"])
def test_a_word_is_not_cut_back_to_a_different_word(store, world, typed):
    """Only the start of an ending stemming removes is cut: "rehearsex" is not "rehears…", and
    "stanza" is not "stand…" (of "stand-up")."""
    assert found(store, text=typed) == []


def test_empty_search_lists_every_kind_newest_first(store, world):
    rows = review.find_records(store, ReviewFilter(), 0, 100)
    assert [(r.kind, r.title) for r in rows] == [
        ("attempt", "Meetup talk"),
        ("checkin", "it rains"),
        ("win", "Asked the first question"),
        ("readiness", "Quarterly review talk"),
        ("reframe", "Froze in the stand-up"),
        ("attempt", "Intervals"),
        ("attempt", "Stand-up update"),
        ("attempt", "Ten km in October"),
        ("attempt", "Toast at the March dinner"),
    ]
    planned, checkin, win, ready = rows[:4]
    assert planned.outcome is None and planned.confidence == 60
    assert checkin.detail == "run on the treadmill" and checkin.domain == "Running"
    assert win.domain == "Public speaking" and win.detail == "Wrote it down beforehand"
    assert ready.outcome == "success" and ready.confidence == 50
    assert review.count_records(store, ReviewFilter()).count == 9


def test_search_reaches_every_kind_with_stemming_and_a_prefix_while_typing(store, world):
    assert found(store, text="treadmil") == [("checkin", world["checkin"].id)]
    assert found(store, text="racing heart") == [("readiness", world["readiness"])]
    assert found(store, text="prepared opening") == [("reframe", world["reframe"].id)]
    assert found(store, text="rehearsing") == [("attempt", world["march"].id)]  # porter stems


@pytest.mark.parametrize("phrase, expected", [
    ("last 30 days", ["checkin", "win", "readiness", "reframe", "ab", "awkward"]),
    ("this month", ["checkin", "win", "readiness", "reframe", "ab", "awkward"]),
    ("since march", ["planned", "checkin", "win", "readiness", "reframe", "ab", "awkward",
                     "october", "march"]),
    ("2026-10-01..2026-10-31", ["october"]),
    ("until april", ["march"]),
    ("2026-11-22", ["reframe"]),
])
def test_date_phrases_limit_the_records(store, world, clock, phrase, expected):
    start, end = parse_range(phrase, now=clock())
    ids = {name: (world[name] if isinstance(world[name], int) else world[name].id)
           for name in expected}
    assert [i for _, i in found(store, start=start, end=end)] == [ids[n] for n in expected]


def test_a_phrase_that_cannot_be_read_is_one_sentence(clock):
    with pytest.raises(WhenError, match=r"^Could not read the period \"banana\"; try .*\.$"):
        parse_range("banana", now=clock())


def test_filters_combine(store, world, clock):
    speak, run = world["speak"].id, world["run"].id
    assert found(store, domain_id=run) == [
        ("checkin", world["checkin"].id), ("attempt", world["ab"].id),
        ("attempt", world["october"].id)]
    assert found(store, kinds=frozenset({"win"})) == [("win", world["win"].id)]
    assert found(store, domain_id=speak, outcome="success") == [
        ("win", world["win"].id), ("readiness", world["readiness"]),
        ("attempt", world["march"].id)]
    assert found(store, domain_id=speak, kinds=frozenset({"attempt"}), outcome="success") == [
        ("attempt", world["march"].id)]
    assert found(store, outcome="planned") == [("attempt", world["planned"].id)]
    start, end = parse_range("this month", now=clock())
    assert found(store, text="stand", domain_id=speak, start=start, end=end) == [
        ("reframe", world["reframe"].id), ("attempt", world["awkward"].id)]
    assert found(store, text="stand", domain_id=speak, outcome="setback", start=start,
                 end=end) == [("attempt", world["awkward"].id)]
    assert found(store, text="stand", domain_id=run, start=start, end=end) == []


def test_pages_are_newest_first_without_gaps_or_repeats_and_the_count_is_bounded(store):
    domain = ladder.add_domain(store, "Running")
    with store.transaction():
        for n in range(250):
            attempt(store, domain, f"Run {n}", f"2026-06-{1 + n // 10:02d} {8 + n % 10:02d}:00")
    pages = [review.find_records(store, ReviewFilter(), offset, 100) for offset in (0, 100, 200)]
    assert [len(p) for p in pages] == [100, 100, 50]
    titles = [r.title for page in pages for r in page]
    assert titles == [f"Run {n}" for n in range(249, -1, -1)]
    assert review.count_records(store, ReviewFilter()) == review.RecordCount(250)
    assert review.count_records(store, ReviewFilter(), cap=100) == review.RecordCount(100, True)
    assert review.find_records(store, ReviewFilter(), 300, 100) == []
    # Another page of the same filter takes its count from the first instead of counting again.
    rows, counted = review.search(store, ReviewFilter(), 0, 100)
    assert counted == review.RecordCount(250) and sum(counted.kinds) == 250
    again = review.search(store, ReviewFilter(), 100, 100, counted=counted)
    assert again == (pages[1], counted)
    told = review.RecordCount(7, kinds=(7,) + (0,) * (len(counted.kinds) - 1),
                              version=counted.version)
    assert review.search(store, ReviewFilter(), 100, 100, counted=told)[1] == told
    # Once anything is written, by this connection or another window, the next page counts anew.
    attempt(store, domain, "Run 250", "2026-07-01 08:00")
    assert review.search(store, ReviewFilter(), 100, 100, counted=counted)[1].count == 251
    other = open_store(store.path, clock=store.clock)
    _, counted = review.search(store, ReviewFilter(), 0, 100)
    attempt(other, domain, "Run 251", "2026-07-02 08:00")
    other.close()
    assert review.search(store, ReviewFilter(), 100, 100, counted=counted)[1].count == 252


def test_delete_then_undo(store, world):
    win = world["win"]
    before = review.count_records(store, ReviewFilter()).count
    review.delete_record(store, "win", win.id)
    assert ("win", win.id) not in found(store)
    assert found(store, text="question") == []
    assert review.count_records(store, ReviewFilter()).count == before - 1
    assert review.get_record(store, "win", win.id).deleted
    assert review.restore_record(store, "win", win.id)
    assert found(store, text="question") == [("win", win.id)]
    assert review.count_records(store, ReviewFilter()).count == before


def test_a_checkin_cannot_come_back_over_a_newer_one_for_the_same_day(store, world):
    old = world["checkin"]
    review.delete_record(store, "checkin", old.id)
    checkins.save_checkin(store, read_checkin(datetime(2026, 11, 25).date(), {
        "energy": 5, "anxiety": 30, "focus_domain": "", "if_situation": "", "then_action": "",
    }))
    assert not review.restore_record(store, "checkin", old.id)
    assert review.get_record(store, "checkin", old.id).deleted


def test_edit_changes_words_and_outcome_and_the_search_follows(store, world):
    win = world["win"]
    updated = review.update_record(store, "win", win.id, {
        "title": "  Asked the opening question  ", "note": "Shaky voice", "outcome": "partial"})
    assert updated.kind == "attempt"  # no longer a success, so no longer a win
    assert updated.values["title"] == "Asked the opening question"
    assert updated.values["updated_at"] == store.stamp()
    assert found(store, text="shaky") == [("attempt", win.id)]
    assert found(store, text="first question") == []
    with pytest.raises(ValueError):
        review.update_record(store, "attempt", win.id, {"source": "log"})
    detail = review.get_record(store, "reframe", world["reframe"].id)
    assert detail.domain == "Public speaking"
    assert detail.values["attempt_title"] == "Stand-up update"


def test_migration_indexes_rows_that_were_there_before_it(db_path, clock):
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db_path.parent.mkdir(mode=0o700)
    db = Database(db_path)
    migrations = Migrations(schema.MIGRATION_SET)
    for step in schema.MIGRATIONS:
        migrations(name=step.__name__)(step)
    migrations.apply(db, stop_before="m005_search")
    db["attempts"].insert({
        "uid": new_uid(), "title": "Spoke at the town hall", "happened_at": at("2026-11-01 18:00"),
        "outcome": "success", "created_at": at("2026-11-01 18:00"),
        "updated_at": at("2026-11-01 18:00"),
    })
    db.close()
    store = open_store(db_path, clock=clock)
    try:
        assert "m005_search" in schema.applied_migrations(store.conn)
        assert [r.title for r in review.find_records(store, ReviewFilter(text="town"))] == [
            "Spoke at the town hall"]
    finally:
        store.close()


def test_a_deleted_follow_up_attempt_no_longer_gives_its_session_an_outcome(store):
    from datetime import datetime

    from efficacy_tui.store import readiness

    talk = readiness.schedule_performance(store, "Board talk", None,
                                          datetime(2026, 11, 26, 8, 0).astimezone())
    attempt = readiness.record_followup(store, talk.id, "setback")
    session = ReviewFilter(kinds=frozenset({"performance"}))
    assert [r.outcome for r in review.find_records(store, session, 0, 10)] == ["setback"]
    review.delete_record(store, "attempt", attempt.id)
    assert [r.outcome for r in review.find_records(store, session, 0, 10)] == [None]
    assert review.get_record(store, "performance", talk.id).values.get("outcome") is None
    assert review.find_records(store, ReviewFilter(kinds=frozenset({"performance"}),
                                                   outcome="setback"), 0, 10) == []


def test_a_reframe_whose_attempt_was_deleted_says_so_in_its_detail(store, world):
    from efficacy_tui.content import say
    from efficacy_tui.ui.screens.review import detail_content

    text = say("review")
    record = review.get_record(store, "reframe", world["reframe"].id)
    shown = str(detail_content(record, text))
    assert "After: " in shown and "(deleted)" not in shown
    review.delete_record(store, "attempt", world["awkward"].id)
    record = review.get_record(store, "reframe", world["reframe"].id)
    assert "(deleted)" in str(detail_content(record, text)).split("After: ")[1].splitlines()[0]


# -- the whole record: performances, models, feedback, requests, scale items; edits and undo --


@pytest.fixture
def kept(store, world, clock):
    """Beside the world: a performance scheduled and never walked through, a role model, a piece
    of feedback, a feedback request and a scale item, each with words worth searching for."""
    from efficacy_tui.store import feedback_requests, readiness, role_models, scales

    speak = world["speak"]
    clock.at(datetime(2026, 11, 19, 12, 0))
    made = {
        "performance": readiness.schedule_performance(
            store, "Panel at the library", speak.id, datetime(2026, 12, 3, 18, 0).astimezone()),
        "model": role_models.add_model(store, speak.id, "Yusuf", "also shy at 30",
                                       "joined a toastmasters_club 100% of weeks"),
        "feedback": role_models.add_feedback(store, speak.id, "Coach Ortiz", 5,
                                             "Your pauses land well",
                                             datetime(2026, 11, 18, 17, 0).astimezone()),
        "request": feedback_requests.add_request(store, speak.id, "Priya",
                                                 "Was my opening line clear?",
                                                 attempt_id=world["awkward"].id),
    }
    [made["scale_item"]] = scales.save_items(store, speak.id, ["I can open a meeting calmly"])
    clock.at(datetime(2026, 11, 26, 9, 30))
    return made


def test_search_finds_models_feedback_requests_and_scale_items_with_their_kind(store, world,
                                                                             kept):
    assert found(store, text="yusuf") == [("model", kept["model"].id)]
    assert found(store, text="pauses land") == [("feedback", kept["feedback"].id)]
    assert found(store, text="ortiz") == [("feedback", kept["feedback"].id)]
    assert found(store, text="opening line") == [
        ("reframe", world["reframe"].id), ("request", kept["request"].id)]
    assert found(store, text="meeting calm") == [("scale_item", kept["scale_item"].id)]
    assert found(store, text="librar") == [("performance", kept["performance"].id)]
    # LIKE's wildcards are searched as the characters they are
    assert found(store, text="100%") == [("model", kept["model"].id)]
    assert found(store, text="toastmasters_club") == [("model", kept["model"].id)]
    assert found(store, text="toastmastersXclub") == []
    assert found(store, text="yusuf " * 1500) == [("model", kept["model"].id)]  # one expression
    # a kind filter, and an outcome filter (which these kinds have none of)
    assert found(store, kinds=frozenset({"model", "scale_item"})) == [
        ("model", kept["model"].id), ("scale_item", kept["scale_item"].id)]
    assert found(store, text="yusuf", outcome="success") == []
    [row] = review.find_records(store, ReviewFilter(text="priya"))
    assert (row.title, row.detail, row.domain) == ("Priya", "Was my opening line clear?",
                                                   "Public speaking")
    [model] = review.find_records(store, ReviewFilter(text="yusuf"))
    review.delete_record(store, "model", model.id)
    assert found(store, text="yusuf") == []
    assert review.undo(store, review.Change(model))
    assert found(store, text="yusuf") == [("model", kept["model"].id)]


def test_a_performance_never_walked_through_is_not_a_walkthrough(store, world, kept):
    performance, walked = kept["performance"].id, world["readiness"]
    assert found(store, kinds=frozenset({"performance"})) == [("performance", performance)]
    assert found(store, kinds=frozenset({"readiness"})) == [("readiness", walked)]
    assert review.get_record(store, "readiness", performance).kind == "performance"
    assert review.get_record(store, "performance", walked).kind == "readiness"
    assert review.count_records(store, ReviewFilter(kinds=frozenset({"readiness"}))).count == 1


def test_a_confidence_changed_after_the_outcome_is_recalled_and_undo_restores_it(store, world):
    """Calibration counts predictions only: a confidence edited once the outcome is known (or
    given with it in the same edit) is kept as recalled; on a planned attempt it stays a
    prediction, and an edit that leaves it alone leaves its timing alone."""
    from efficacy_tui.store.attempts import calibration_totals, recalled_count

    speak = world["speak"]
    first = ladder.add_rung(store, speak.id, "Ask one question", "", 30)
    other = ladder.add_rung(store, world["run"].id, "Run 5 km", "", 40)

    def timing(attempt_id):
        return store.scalar("SELECT confidence_timing FROM attempts WHERE id = ?", [attempt_id])

    planned = world["planned"]  # confidence 60, given before
    done = world["march"]  # a success, no confidence
    record = review.get_record(store, "attempt", done.id)
    saved = review.save_edit(store, record, {"confidence": 80, "effort": 4,
                                             "rung_id": first.id})
    assert saved.updated.values["confidence"] == 80 and timing(done.id) == "recalled"
    assert saved.updated.values["rung_title"] == "Ask one question"
    assert saved.before == {**{k: record.values[k] for k in review.EDITABLE["attempt"]},
                            "confidence_timing": None}
    assert recalled_count(store, speak.id) == 1
    assert sum(b.count for b in calibration_totals(store, speak.id)) == 0

    review.update_record(store, "attempt", planned.id, {"confidence": 70})
    assert timing(planned.id) == "before"  # still a prediction: no outcome yet
    review.update_record(store, "attempt", planned.id, {"outcome": "success", "confidence": 70})
    assert timing(planned.id) == "before"  # the outcome came, the prediction stands
    review.update_record(store, "attempt", planned.id, {"confidence": 90})
    assert timing(planned.id) == "recalled"

    with pytest.raises(review.InvalidValue) as refused:
        review.save_edit(store, review.get_record(store, "attempt", done.id),
                         {"rung_id": other.id, "note": "not written"})
    assert refused.value.field == "rung_id"
    assert store.scalar("SELECT note FROM attempts WHERE id = ?", [done.id]) == ""

    row = review.find_records(store, ReviewFilter(text="toast"))[0]
    assert review.undo(store, review.Change(row, saved.before))
    back = review.get_record(store, "attempt", done.id).values
    assert (back["confidence"], back["confidence_timing"], back["effort"], back["rung_id"]) == (
        None, None, None, None)
    assert back["title"] == "Toast at the March dinner"


def test_requests_and_scale_items_are_edited_and_undone_without_an_updated_at(store, kept):
    """Two tables have no updated_at column: their edits and undo write only their words."""
    for kind, field, words in (("request", "question", "Did my first line land?"),
                               ("scale_item", "text", "I can open a board meeting calmly"),
                               ("performance", "title", "Panel at the town library")):
        record = review.get_record(store, kind, kept[kind].id)
        saved = review.save_edit(store, record, {field: words})
        assert saved.updated.values[field] == words and not saved.replaced
        [row] = review.find_records(store, ReviewFilter(kinds=frozenset({kind})))
        assert review.undo(store, review.Change(row, saved.before))
        assert review.get_record(store, kind, kept[kind].id).values[field] == record.values[field]


def test_every_kind_has_a_name_a_detail_and_an_edit_form():
    from efficacy_tui.content import say

    text, edit = say("review"), say("review.edit")
    for kind in review.KINDS:
        assert kind in text["kinds"] and kind in text["detail"] and f"title_{kind}" in edit
        assert all(name in edit for name in review.EDITABLE[kind])
