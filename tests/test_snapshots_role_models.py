"""Snapshot of the models and feedback screen at 80x24 (plain `def`: snap_compare runs its own loop)."""

from datetime import datetime

from efficacy_tui.store import ladder, role_models
from efficacy_tui.store.core import open_store
from efficacy_tui.ui.app import EfficacyApp
from efficacy_tui.ui.screens.role_models import RoleModelsScreen

from conftest import NOW, Clock


def test_role_models_screen(snap_compare, tmp_path):
    path = tmp_path / "e.db"
    store = open_store(path, clock=Clock(NOW))
    domain = ladder.add_domain(store, "Public speaking", "Speak at a meetup")
    role_models.add_model(
        store, domain.id, "Maya, a colleague", "also an introvert who dreaded meetings",
        "rehearsed her opening out loud three times and asked a friend to time her",
    )
    role_models.add_feedback(
        store, domain.id, "Priya, my manager", 4,
        "Your examples were concrete; slow down in the first minute.", datetime(2026, 11, 24, 17),
    )
    store.close()
    app = EfficacyApp(open_store(path, clock=Clock(NOW)), warm_up=False)

    async def open_models(pilot):
        app.push_screen(RoleModelsScreen(domain.id))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_models)
