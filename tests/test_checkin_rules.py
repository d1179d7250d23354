"""The check-in's rules and store without the screen: what a rung, a confidence rating and
yesterday's win belong to."""

from datetime import date

import pytest

from efficacy_tui.coach.checkin import NewNames, read_checkin, read_new_rung
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.store import checkins, ladder

from conftest import rows

DAY = date(2026, 11, 26)
BASE = {"energy": 5, "anxiety": 40}


@pytest.mark.parametrize("raw, key", [
    ({"focus_rung": "Speak first in standup", "focus_confidence": 60}, "rung_needs_domain"),
    ({"focus_rung": "Speak first in standup"}, "rung_needs_domain"),
    ({"focus_confidence": 60}, "confidence_needs_domain"),
])
def test_a_rung_or_confidence_without_a_domain_is_refused_not_dropped(raw, key):
    from efficacy_tui.content import say

    with pytest.raises(InvalidValue) as err:
        read_checkin(DAY, {**BASE, "focus_domain": " ", **raw})
    assert err.value.field == "focus_domain"
    assert str(err.value) == say(f"checkin.errors.{key}")


def test_the_wins_domain_is_the_users_choice_or_not_asked():
    win = {**BASE, "focus_domain": "Running", "win_title": "Asked a question"}
    assert read_checkin(DAY, win).win_domain is None
    assert read_checkin(DAY, {**win, "win_domain": " Public speaking "}).win_domain == (
        "Public speaking")
    assert read_checkin(DAY, {**win, "win_domain": ""}).win_domain == ""
    with pytest.raises(InvalidValue) as err:
        read_checkin(DAY, {**win, "win_domain": "x" * 201})
    assert err.value.field == "win_domain"


def win_domain(db_path) -> str | None:
    [win] = rows(db_path, "SELECT d.name FROM attempts a LEFT JOIN domains d ON d.id = a.domain_id "
                          "WHERE a.deleted_at IS NULL")
    return win["name"]


def test_a_caller_that_does_not_ask_files_a_new_win_under_the_focus_and_then_keeps_it(
        store, db_path):
    win = {**BASE, "win_title": "Asked a question in standup"}
    checkins.save_checkin(store, read_checkin(DAY, {**win, "focus_domain": "Public speaking"}))
    assert win_domain(db_path) == "Public speaking"
    checkins.save_checkin(store, read_checkin(DAY, {**win, "focus_domain": "Running"}))
    assert win_domain(db_path) == "Public speaking"
    checkins.save_checkin(store, read_checkin(DAY, {**win, "focus_domain": ""}))
    assert win_domain(db_path) == "Public speaking"
    checkins.save_checkin(store, read_checkin(DAY, {**win, "win_domain": "Cooking"}))
    assert win_domain(db_path) == "Cooking"
    checkins.save_checkin(store, read_checkin(DAY, {**win, "win_domain": ""}))
    assert win_domain(db_path) is None


def test_a_typed_if_and_then_i_will_are_not_kept_twice():
    """The form's labels already say "If …" and "then I will …"."""
    from datetime import date

    from efficacy_tui.coach.checkin import read_checkin

    entry = read_checkin(date(2026, 11, 26), {
        "energy": 5, "anxiety": 20, "if_situation": "If it rains,",
        "then_action": "Then I'll run on the treadmill."})
    assert (entry.if_situation, entry.then_action) == ("it rains", "run on the treadmill")


def test_new_names_are_what_a_save_would_start_whatever_the_case(store):
    running = ladder.add_domain(store, "Running")
    ladder.add_rung(store, running.id, "Run 3 km", "", 50)

    def new(**raw):
        return checkins.new_names(store, read_checkin(DAY, {**BASE, **raw}))

    assert not new(focus_domain="running", focus_rung="run 3 KM")
    assert new(focus_domain="Cooking", win_title="Baked", win_domain="cooking") == NewNames(
        ("Cooking",))
    assert new(focus_domain="Running", focus_rung="Run 5 km") == NewNames(
        (), "Run 5 km", "Running", 60)
    assert new(focus_domain="Cooking", focus_rung="Bake bread") == NewNames(
        ("Cooking",), "Bake bread", "Cooking", 30)
    assert read_new_rung("  Risen  ", 35) == ("Risen", 35)
    with pytest.raises(InvalidValue) as err:
        read_new_rung(" ", 35)
    assert err.value.field == "criterion"
