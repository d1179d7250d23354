"""Ladder writes in the store: a split restarts the rung's attempt window, only the active rung
takes a suggestion, and undoing a deletion restores the ladder as it was."""

from datetime import datetime

import pytest

from efficacy_tui.coach.ladder import suggest
from efficacy_tui.store import attempts, domains, ladder
from efficacy_tui.store.core import StoreError


def outcomes_of(store, rung_id: int) -> list[str]:
    domain_id = domains.get_rung(store, rung_id).domain_id
    return next(line.outcomes for line in ladder.ladder_lines(store, domain_id)
                if line.rung.id == rung_id)


def log(store, rung, outcome: str, at: str) -> None:
    attempts.add_attempt(store, domain_id=rung.domain_id, rung_id=rung.id, title=rung.title,
                         happened_at=at, outcome=outcome)


def statuses(store, domain_id: int) -> dict[str, str]:
    return {r.title: r.status for r in domains.list_rungs(store, domain_id)}


def test_an_accepted_split_restarts_the_rungs_attempt_window(store, clock):
    domain = ladder.add_domain(store, "Running")
    rung = ladder.add_rung(store, domain.id, "Run 3 km", "", 30)
    for hour in (7, 8, 9):
        log(store, rung, "setback", f"2026-11-26T0{hour}:00:00+00:00")
    assert suggest(outcomes_of(store, rung.id)).kind == "split"
    clock.at(datetime(2026, 11, 26, 10))
    smaller = ladder.accept_split(store, rung.id, "Run 2 km")
    assert outcomes_of(store, rung.id) == []  # the setbacks that led to the split are done with
    assert statuses(store, domain.id) == {"Run 2 km": "active", "Run 3 km": "upcoming"}
    log(store, smaller, "success", "2026-11-26T11:00:00+00:00")
    log(store, rung, "success", "2026-11-26T12:00:00+00:00")  # after the split: it counts
    assert outcomes_of(store, rung.id) == ["success"]
    ladder.delete_rung(store, smaller.id)  # the split taken back: the old record counts again
    assert outcomes_of(store, rung.id) == ["setback"] * 3 + ["success"]


def test_only_the_active_rung_can_be_advanced_and_a_mastered_one_is_never_split(store):
    domain = ladder.add_domain(store, "Chess")
    first = ladder.add_rung(store, domain.id, "One game", "", 30)
    second = ladder.add_rung(store, domain.id, "Two games", "", 40)
    with pytest.raises(StoreError, match="“Two games” is upcoming"):
        ladder.accept_advance(store, second.id)
    ladder.accept_advance(store, first.id)
    stamp = domains.get_rung(store, first.id).mastered_at
    with pytest.raises(StoreError, match="“One game” is mastered"):
        ladder.accept_advance(store, first.id)
    assert domains.get_rung(store, first.id).mastered_at == stamp
    with pytest.raises(StoreError, match="“One game” is mastered"):
        ladder.accept_split(store, first.id, "Half a game")
    assert statuses(store, domain.id) == {"One game": "mastered", "Two games": "active"}


def test_undoing_the_deletion_of_the_active_rung_makes_it_active_again(store):
    domain = ladder.add_domain(store, "Spanish")
    first = ladder.add_rung(store, domain.id, "Order a coffee", "", 20)
    ladder.add_rung(store, domain.id, "Ask the way", "", 30)
    ladder.add_rung(store, domain.id, "Chat ten minutes", "", 40)
    ladder.delete_rung(store, first.id)
    assert statuses(store, domain.id) == {"Ask the way": "active", "Chat ten minutes": "upcoming"}
    ladder.restore_rung(store, first.id)
    assert statuses(store, domain.id) == {
        "Order a coffee": "active", "Ask the way": "upcoming", "Chat ten minutes": "upcoming"}
    assert [r.title for r in domains.list_rungs(store, domain.id)] == [
        "Order a coffee", "Ask the way", "Chat ten minutes"]
