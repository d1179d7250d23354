"""Snapshots of the review screen's Records tab at 80x24 and 120x40 (plain `def`: snap_compare
runs its own loop). The data is written here, not by the demo, so the pictures only change when
the review screen does."""

from datetime import datetime

import pytest
from helpers import Typed, at, press

from efficacy_tui.coach.checkin import read_checkin
from efficacy_tui.store import attempts, checkins, ladder, reframes
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.ui.app import EfficacyApp

from conftest import NOW, Clock

SIZES = [(80, 24), (120, 40)]


def review_app(db_path) -> EfficacyApp:
    """Three weeks of attempts in two domains, a win, a check-in, a reframe and a readiness
    walkthrough with every value; one title holds markup-like text that must show as typed."""
    clock = Clock()
    store = open_store(db_path, clock=clock)
    speak = ladder.add_domain(store, "Public speaking")
    run = ladder.add_domain(store, "Running")
    outcomes = ["success", "partial", "setback", "success", "success"]
    for n in range(24):
        domain = speak if n % 3 else run
        title = (f"Shared a view in meeting {n}" if domain is speak
                 else f"Easy run number {n} along the canal")
        # most confidences are given when planning; every sixth is logged with the outcome
        # (recalled, shown in brackets)
        recalled = n % 6 == 1
        done = attempts.add_attempt(
            store, domain_id=domain.id, title=title,
            happened_at=at(f"2026-11-{2 + n:02d} {7 + n % 12:02d}:15"),
            outcome=outcomes[n % 5] if n % 4 == 0 or recalled else None,
            confidence=None if n % 4 == 0 else 40 + (n * 10) % 60,
            what_i_did="Wrote one sentence down first" if n % 2 else "",
            source="log" if recalled else "app",
        )
        if done.outcome is None:
            attempts.record_outcome(store, done.id, outcome=outcomes[n % 5], effort=None,
                                    what_i_did=done.what_i_did, note="")
    attempts.add_attempt(store, domain_id=speak.id, title="Gave the [bold]stand-up[/] update",
                         happened_at=at("2026-11-25 09:45"), outcome="setback")
    attempts.add_attempt(store, domain_id=speak.id, title="Asked the first question",
                         happened_at=at("2026-11-25 12:00"), outcome="success", source="checkin",
                         what_i_did="Wrote it on a card beforehand", confidence=60)
    clock.at(datetime(2026, 11, 26, 8, 0))
    checkins.save_checkin(store, read_checkin(NOW.date(), {
        "energy": 6, "anxiety": 40, "focus_domain": "Running", "focus_rung": "",
        "if_situation": "it rains", "then_action": "run on the treadmill",
    }))
    reframes.save_reframe(store, reframes.ReframeEntry(
        what_happened="Froze in the stand-up", cause_text="I never know what to say",
        flagged=["I never"], locus="internal", stability="temporary",
        controllability="controllable", cause="preparation",
        new_explanation="I had not prepared an opening line", if_situation="the stand-up starts",
        then_action="I read my first line from the card", evidence=[],
        controllable_temporary=True, domain_id=speak.id,
    ))
    with store.transaction():
        store.db["readiness"].insert({
            "uid": new_uid(), "domain_id": speak.id, "title": "Quarterly review talk",
            "scheduled_for": at("2026-11-23 10:00"), "reappraisal": "My racing heart is fuel",
            "if_situation": "my hands shake", "then_action": "I hold the clicker",
            "confidence_before": 50, "confidence_after": 70, "anxiety_before": 60,
            "anxiety_after": 30, "readiness_before": 40, "readiness_after": 80,
            "sleep_hours": 6.5, "energy": 7, "said_aloud": 1, "breathing": "sighing",
            "breathing_seconds": 120, "completed_at": at("2026-11-23 09:50"),
            "created_at": at("2026-11-23 09:00"), "updated_at": at("2026-11-23 09:00"),
        })
    store.close()
    return EfficacyApp(open_store(db_path, clock=Clock(NOW)), start="review", warm_up=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_records(snap_compare, tmp_path, size):
    assert snap_compare(review_app(tmp_path / "e.db"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_records_searched(snap_compare, tmp_path, size):
    async def search(pilot):
        await press(pilot, "slash", Typed("stand"))
        await pilot.press("enter", "down")
        await pilot.pause()

    assert snap_compare(review_app(tmp_path / "e.db"), terminal_size=size, run_before=search)


def test_review_walkthrough_detail(snap_compare, tmp_path):
    """Everything a walkthrough stored, in the detail pane: the ratings before → after."""
    async def search(pilot):
        await press(pilot, "slash", Typed("quarterly"))
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(review_app(tmp_path / "e.db"), terminal_size=(120, 40),
                        run_before=search)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tab", ["2", "3"], ids=["trends", "calibration"])
def test_review_chart_tabs(snap_compare, tmp_path, size, tab):
    async def open_tab(pilot):
        await pilot.pause()
        pilot.app.screen.query_one("DataTable").focus()
        await pilot.press(tab)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(review_app(tmp_path / "e.db"), terminal_size=size, run_before=open_tab)
