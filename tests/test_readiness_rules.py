"""The readiness walkthrough's pure rules: evidence order, which model and feedback, and words."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from efficacy_tui.coach.readiness import (
    change,
    order_evidence,
    pick_feedback,
    pick_model,
    time_left,
)
from efficacy_tui.records import Attempt, Evidence, Feedback, RoleModel

from conftest import NOW


def evidence(id, difficulty, happened_at):
    attempt = Attempt(id=id, uid=f"{id:036d}", domain_id=1, title=f"try {id}",
                      happened_at=happened_at, outcome="success")
    return Evidence(attempt, None if difficulty is None else f"rung {difficulty}", difficulty)


def test_evidence_is_hardest_first_then_most_recent_and_rungless_last():
    items = [
        evidence(1, None, "2026-11-25T10:00:00+00:00"),
        evidence(2, 40, "2026-11-20T10:00:00+00:00"),
        evidence(3, 70, "2026-06-01T10:00:00+01:00"),
        evidence(4, 40, "2026-11-24T10:00:00+00:00"),
        evidence(5, 70, "2026-09-01T10:00:00+01:00"),
    ]
    assert [e.attempt.id for e in order_evidence(items)] == [5, 3, 4]
    assert [e.attempt.id for e in order_evidence(items, limit=10)] == [5, 3, 4, 2, 1]
    assert order_evidence(items, limit=0) == []


def test_evidence_recency_compares_moments_not_text():
    # 01:30+01:00 is 00:30 UTC, earlier than 01:00+00:00 although its text sorts later
    summer = evidence(1, 50, "2026-10-25T01:30:00+01:00")
    winter = evidence(2, 50, "2026-10-25T01:00:00+00:00")
    assert [e.attempt.id for e in order_evidence([summer, winter])] == [2, 1]


def model(id, updated_at, deleted_at=None):
    return RoleModel(id=id, uid=f"{id:036d}", domain_id=1, who=f"who {id}", like_me="",
                 what_they_did="practised", created_at="2026-01-01T00:00:00+00:00",
                 updated_at=updated_at, deleted_at=deleted_at)


def feedback(id, credibility, given_at):
    return Feedback(id=id, uid=f"{id:036d}", domain_id=1, who=f"who {id}",
                    credibility=credibility, what_they_said="clear", given_at=given_at)


def test_pick_model_takes_the_most_recently_updated_live_one():
    models = [model(1, "2026-11-01T10:00:00+00:00"), model(2, "2026-11-20T10:00:00+00:00"),
              model(3, "2026-11-25T10:00:00+00:00", deleted_at="2026-11-25T11:00:00+00:00")]
    assert pick_model(models).id == 2
    assert pick_model([]) is None


def test_pick_feedback_takes_the_most_credible_then_the_most_recent():
    items = [feedback(1, 4, "2026-11-25T10:00:00+00:00"),
             feedback(2, 5, "2026-03-01T10:00:00+00:00"),
             feedback(3, 5, "2026-09-01T10:00:00+01:00")]
    assert pick_feedback(items).id == 3
    assert pick_feedback([]) is None


@pytest.mark.parametrize("before, after, expected", [
    (60, 30, "60 → 30 (−30)"),
    (30, 60, "30 → 60 (+30)"),
    (60, 60, "60 → 60 (no change)"),
    (None, 40, "— → 40"),
    (40, None, "40 → —"),
    (None, None, "—"),
])
def test_change_in_words(before, after, expected):
    assert change(before, after) == expected


AT = NOW.astimezone()  # Thursday 26 November 2026, 09:30


@pytest.mark.parametrize("later, expected", [
    (timedelta(seconds=-59), "now"),
    (timedelta(0), "now"),
    (timedelta(seconds=20), "in 1 min"),
    (timedelta(minutes=45), "in 45 min"),
    (timedelta(minutes=44, seconds=30), "in 45 min"),
    (timedelta(hours=1), "in 1 h"),
    (timedelta(hours=3, minutes=10), "in 3 h 10 min"),
    (timedelta(hours=14, minutes=29), "in 14 h 29 min"),  # 23:59 the same day
    (timedelta(hours=23, minutes=30), "tomorrow 09:00"),
    (timedelta(days=1, hours=23, minutes=30), "Sat 28 Nov 09:00"),
    (timedelta(days=40), "Tue 5 Jan 2027 09:30"),
    (timedelta(minutes=-5), "5 min ago"),
    (timedelta(hours=-2), "2 h ago"),
    (timedelta(hours=-12), "yesterday 21:30"),
    (timedelta(days=-3), "Mon 23 Nov 09:30"),
])
def test_time_left_in_plain_words(later, expected):
    assert time_left(AT, AT + later) == expected


def test_time_left_near_midnight_counts_hours_not_tomorrow():
    late = datetime(2026, 11, 26, 22, 0).astimezone()
    assert time_left(late, late + timedelta(hours=3)) == "in 3 h"


def test_time_left_reads_each_time_on_its_own_clock():
    at = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    elsewhere = datetime(2026, 11, 27, 18, 0, tzinfo=timezone(timedelta(hours=9)))  # 09:00 UTC
    assert time_left(at, elsewhere) == "tomorrow 18:00"


def test_time_left_takes_stored_stamps():
    assert time_left("2026-11-26T09:30:00+00:00", "2026-11-26T10:15:00+00:00") == "in 45 min"
    assert time_left(AT, "2026-11-27T09:00:00+00:00") == "tomorrow 09:00"


@pytest.mark.parametrize("typed, kept", [
    (("If my voice shakes", "Then I will say hello."), ("my voice shakes", "say hello")),
    (("if, the mic fails", "then, I'll use my voice"), ("the mic fails", "use my voice")),
    (("IF x", "I WILL y"), ("x", "y")),
    (("iffy wifi", "thenceforth go"), ("iffy wifi", "thenceforth go")),
    (("If", "then I will"), ("", "")),
])
def test_a_plan_typed_with_its_own_if_and_then_is_not_said_twice(typed, kept):
    from efficacy_tui.coach.plan import plan_parts

    assert plan_parts(*typed) == kept
