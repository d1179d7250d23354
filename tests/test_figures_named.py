"""Figures named for what they count: a success rate counts successes alone; the ladder's score,
where a partial counts half, is called a score and shown with its successes and partials; and a
win written down in a check-in or the audit is counted as a win, never in a rate or a score.
Checked in `efficacy stats` (text and JSON), on the ladder screen and in the trends."""

import json
import re
from datetime import datetime

import pytest
from click.testing import CliRunner
from helpers import at, shown
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from efficacy_tui.cli import main
from efficacy_tui.coach.audit import Audit, Plan, Success
from efficacy_tui.coach.checkin import CheckinEntry
from efficacy_tui.store import attempts, checkins, ladder
from efficacy_tui.store.audit import save_audit
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.widgets.trends import TrendsPane

SUCCESS_RATE_50 = re.compile(r"success rate\W*50\s*%|succeeded\W*50\s*%", re.IGNORECASE)


class PaneApp(App):
    """An app with a `store`, composing only the trends pane."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield TrendsPane()


async def trends_reading(store) -> str:
    app = PaneApp(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        return shown(app, "#trends-efficacy-reading") + "\n" + shown(app, "#trends-efficacy-title")


def stats(db_path) -> tuple[dict, str]:
    runner = CliRunner()
    data = runner.invoke(main, ["--db", str(db_path), "stats", "--format", "json"])
    text = runner.invoke(main, ["--db", str(db_path), "stats"])
    assert data.exit_code == 0 and text.exit_code == 0, data.output + text.output
    return json.loads(data.output), text.output


@pytest.fixture
def four_partials(store):
    """Four attempts on one rung this week, each planned at 60 and each a partial."""
    domain = ladder.add_domain(store, "Running")
    rung = ladder.add_rung(store, domain.id, "Run 3 km", "no walking", 30)
    for day in range(23, 27):
        attempts.add_attempt(store, domain_id=domain.id, rung_id=rung.id, title="Run",
                             happened_at=at(f"2026-11-{day} 07:00"), outcome="partial",
                             confidence=60)
    return domain


async def test_four_partials_show_no_success_rate_of_50_anywhere(store, four_partials, db_path,
                                                                   make_app):
    data, text = stats(db_path)
    [running] = data["domains"]
    assert running["last_10"] == {"attempts": 4, "successes": 0, "partials": 4, "setbacks": 0,
                                  "success_rate": 0.0, "score": 0.5}
    assert running["suggestion"]["score"] == 0.5 and running["suggestion"]["partials"] == 4
    assert "rate" not in running["suggestion"]
    assert "success rate 0%, score 50% (a partial counts half)" in text
    assert "0 successes, 4 partials" in text

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LadderScreen)
        rung = str(screen.query_one("#rungs", OptionList).get_option_at_index(0).prompt)
        detail = shown(screen, "#rung-detail")
        assert "score 50%: 0 successes, 4 partials of the last 4" in rung
        assert "Score 50% over the last 4 (0 successes, 4 partials; a partial counts half)" in rung

    reading = await trends_reading(store)
    assert "Score over the last 4 weeks 50% (0 successes, 4 partials of 4 attempts)" in reading
    for where in (json.dumps(data), text, rung, detail, reading):
        assert not SUCCESS_RATE_50.search(where), where


def audit_of(name: str, won_at: datetime) -> Audit:
    """An audit with one past success (the win) and its attempt planned for Monday."""
    return Audit(name=name, goal="Run a 10 km race", why="To feel strong",
                 successes=(Success("Ran 8 km", won_at, "", "trained three times a week"),),
                 plan=Plan("Run 5 km", datetime(2026, 11, 30, 7), "Monday", 50))


async def test_one_audit_win_is_a_win_not_a_rate(store, db_path):
    # The audit's win five weeks ago, then one partial attempt this week.
    domain = save_audit(store, audit_of("Running", datetime(2026, 10, 20, 8)))
    attempts.add_attempt(store, domain_id=domain.id, title="Run", outcome="partial",
                         happened_at=at("2026-11-24 07:00"), confidence=60)

    reading = await trends_reading(store)
    assert reading.startswith("Score over the last 4 weeks 50% (0 successes, 1 partial of "
                              "1 attempt).")
    assert "100%" not in reading and "in the 4 weeks before" not in reading

    data, text = stats(db_path)
    [running] = data["domains"]
    assert running["last_10"]["attempts"] == 1 and running["last_10"]["success_rate"] == 0.0
    assert running["recorded_wins"] == 1
    assert "Wins recorded in check-ins and the audit: 1" in text
    assert "100%" not in text


async def test_recent_wins_from_a_check_in_and_the_audit_are_counted_as_wins(store, db_path):
    save_audit(store, audit_of("Running", datetime(2026, 11, 20, 8)))
    checkins.save_checkin(store, CheckinEntry(
        day="2026-11-26", sleep_hours=7, energy=6, anxiety=30, focus_domain="Running",
        focus_rung="", focus_confidence=None, win_title="Ran to work", win_did="packed the night "
        "before", if_situation="", then_action="", win_domain="Running"))

    reading = await trends_reading(store)
    assert reading.splitlines()[0] == (
        "No attempts recorded in the last 26 weeks yet: plan one on the ladder (l) with your "
        "confidence beforehand, then record how it went. Wins recorded in check-ins and the "
        "audit in the last 4 weeks: 2, not counted in the score.")
    data, text = stats(db_path)
    [running] = data["domains"]
    assert running["last_10"]["attempts"] == 0 and running["last_10"]["success_rate"] is None
    assert running["recorded_wins"] == 2
    assert "No attempts recorded yet." in text
