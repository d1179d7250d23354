"""Home keeps time while it stays open, and `o` says when nothing is waiting for an answer."""

from datetime import timedelta

from helpers import notes, settle, shown, speaking_ladder

from efficacy_tui.content import say
from efficacy_tui.store.readiness import schedule_performance
from efficacy_tui.ui.screens import home


async def test_the_time_left_moves_with_the_clock(make_app, store, clock, monkeypatch):
    monkeypatch.setattr(home, "REFRESH_SECONDS", 0.05)
    built = speaking_ladder(store)
    schedule_performance(store, "Board update", built.domain.id,
                         clock() + timedelta(minutes=1))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "in 1 min" in shown(app, "#performance-list")
        assert not app.screen.query_one("#followup").display
        clock.at((clock() + timedelta(minutes=2)).replace(tzinfo=None))
        await settle(pilot, lambda: app.screen.query_one("#followup").display)
        assert "How did “Board update” go?" in shown(app, "#followup")
        assert "in 1 min" not in shown(app, "#performance-list")


async def test_o_with_nothing_due_says_so(make_app, store):
    speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, home.HomeScreen)
        assert say("home.nothing_due") in notes(app)
