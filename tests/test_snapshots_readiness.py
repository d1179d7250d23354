"""Snapshots of each step of the readiness walkthrough, taken in one session, and of home before
and after, at 80x24 (plain `def` where snap_compare runs its own loop)."""

from datetime import datetime

import pytest

from efficacy_tui.store import attempts, ladder, role_models
from efficacy_tui.store.core import open_store
from efficacy_tui.store.readiness import schedule_performance
from efficacy_tui.ui.app import EfficacyApp

from conftest import NOW, Clock


def readiness_app(db_path, start: str = "readiness", when: datetime = datetime(2026, 11, 26, 14, 0)
              ) -> EfficacyApp:
    """A domain with two successes, a model, a feedback and a talk scheduled this afternoon."""
    store = open_store(db_path, clock=Clock(NOW))
    domain = ladder.add_domain(store, "Public speaking")
    easy = ladder.add_rung(store, domain.id, "Ask a question", "", 30)
    hard = ladder.add_rung(store, domain.id, "Meetup talk", "", 70)
    attempts.add_attempt(store, domain_id=domain.id, rung_id=hard.id, title="Meetup talk in June",
                         happened_at="2026-06-10T19:00:00+01:00", outcome="success",
                         what_i_did="Rehearsed twice with a colleague")
    attempts.add_attempt(store, domain_id=domain.id, rung_id=easy.id,
                         title="Asked about the roadmap", happened_at="2026-11-20T10:00:00+00:00",
                         outcome="success", what_i_did="Wrote my question down first")
    role_models.add_model(store, domain.id, "Maya, a colleague", "also dreaded meetings",
                           "rehearsed her opening aloud three times")
    role_models.add_feedback(store, domain.id, "Priya, my manager", 4,
                              "Your examples were concrete; slow down in the first minute.",
                              datetime(2026, 11, 24, 17).astimezone())
    schedule_performance(store, "Team update", domain.id, when.astimezone())
    store.close()
    return EfficacyApp(open_store(db_path, clock=Clock(NOW)), start=start, warm_up=False)


def _keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


BODY = [*_keys("7"), "enter", "right", "enter", "right", "right", "enter", "left",
        "enter", "right", "enter"]
REAPPRAISE = ["enter", "tab", *_keys("my heart is getting me ready"), "enter"]
PLAN = [*_keys("my mind goes blank"), "enter", *_keys("pause and breathe out"), "enter"]
AFTER = ["left", "left", "enter", "right", "right", "enter", "right", "right", "enter"]
STEPS = {
    1: [],
    2: ["enter", *_keys("7"), "enter", "right"],
    3: ["enter", *BODY],
    4: ["enter", *BODY, *REAPPRAISE],
    5: ["enter", *BODY, *REAPPRAISE, "ctrl+s"],
    6: ["enter", *BODY, *REAPPRAISE, "ctrl+s", "enter"],
    7: ["enter", *BODY, *REAPPRAISE, "ctrl+s", "enter", *PLAN, *AFTER[:3]],
    8: ["enter", *BODY, *REAPPRAISE, "ctrl+s", "enter", *PLAN, *AFTER],
    9: ["enter", *BODY, *REAPPRAISE, "ctrl+s", "enter", *PLAN, *AFTER, "ctrl+s"],
}


@pytest.mark.long
async def test_walkthrough_step(picture, tmp_path):
    """One walkthrough, a picture at each step: each step's keys follow the last step's."""
    app = readiness_app(tmp_path / "e.db")
    async with app.run_test(size=(80, 24), tooltips=True, notifications=True) as pilot:
        done: list[str] = []
        for step in sorted(STEPS):
            assert STEPS[step][:len(done)] == done
            await pilot.press(*STEPS[step][len(done):])
            done = STEPS[step]
            await picture(pilot, f"step{step}")


def test_home_with_a_performance_coming_up(snap_compare, tmp_path):
    assert snap_compare(readiness_app(tmp_path / "e.db", "home"), terminal_size=(80, 24))


def test_home_asks_how_it_went(snap_compare, tmp_path):
    app = readiness_app(tmp_path / "e.db", "home", when=datetime(2026, 11, 26, 8, 0))
    assert snap_compare(app, terminal_size=(80, 24))
