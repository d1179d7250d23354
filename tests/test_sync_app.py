"""Syncing from the app: home's sync line, "Sync now" in the palette run in a worker, the sync
after the first paint, the sync on quit, and the conflicts list with its restore key."""

import json
from datetime import timedelta
from functools import partialmethod

from click.testing import CliRunner
from helpers import Typed, notes, press, settle, shown
from test_palette import run_command
from textual.app import App

from efficacy_tui import launch
from efficacy_tui.cli import main
from efficacy_tui.store import attempts, domains, sync_log
from efficacy_tui.store.core import open_store
from efficacy_tui.sync import sync_now
from efficacy_tui.ui.app import EfficacyApp
from efficacy_tui.ui.screens.conflicts import ConflictsScreen

from conftest import NOW, Clock


def _add(store, title):
    d = domains.get_or_create_domain(store, "Running")
    return attempts.add_attempt(store, domain_id=d.id, title=title, happened_at=store.stamp(),
                                outcome="success")


async def test_sync_now_from_the_palette_merges_and_the_loser_can_be_restored(
        db_path, clock, tmp_path):
    folder = tmp_path / "Sync"
    other = open_store(tmp_path / "other.db", clock=Clock(NOW))
    mine = open_store(db_path, clock=clock)
    uid = _add(mine, "5k run").uid
    sync_now(mine, folder, None)
    sync_now(other, folder, None)
    with mine.transaction():
        mine.conn.execute("UPDATE attempts SET title = 'mine' WHERE uid = ?", [uid])
    mine.close()
    other.clock.current += timedelta(minutes=5)
    with other.transaction():
        other.conn.execute("UPDATE attempts SET title = 'theirs' WHERE uid = ?", [uid])
    _add(other, "made on the other computer")
    sync_now(other, folder, None)
    other.close()

    app = EfficacyApp(open_store(db_path, clock=clock), warm_up=True, sync_path=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "1 change waiting" in shown(app, "#sync-line")  # painted before the sync
        # the sync after the first paint: home's line shows it once the worker is done
        line = await settle(pilot, lambda: "conflict" in shown(app, "#sync-line")
                            and shown(app, "#sync-line"), what="the sync on start")
        assert "0 changes waiting" in line and "1 conflict to look at" in line
        titles = {r["title"] for r in app.store.query("SELECT title FROM attempts")}
        assert titles == {"theirs", "made on the other computer"}
        await run_command(pilot, "Sync now")
        await settle(pilot, lambda: any("Synced:" in str(n.message)
                                        for n in app._notifications), what="Sync now")
        await pilot.press("v")  # review, then its conflicts list
        await pilot.pause()
        await pilot.press("down", "c")
        await settle(pilot, lambda: isinstance(app.screen, ConflictsScreen), what="conflicts")
        assert "mine" in str(app.screen.query_one("#conflicts-list").get_option_at_index(0)
                             .prompt)
        await pilot.press("r")
        await pilot.pause()
        assert app.store.scalar("SELECT title FROM attempts WHERE uid = ?", [uid]) == "mine"
        assert not sync_log.conflicts(app.store)
        assert sync_log.waiting(app.store).pending == 1


def test_the_app_syncs_on_quit_through_the_folder_in_the_config(tmp_path, monkeypatch):
    """`efficacy` run as a person runs it, with the sync folder set in the config file: a domain
    made after the sync on start reaches another device only through the sync on quit. The app
    runs headless, driven by Pilot, since the test has no terminal."""
    folder = tmp_path / "Sync"
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(f"[sync]\nfolder = {json.dumps(str(folder))}\n")
    monkeypatch.setenv("EFFICACY_CONFIG", str(config))
    monkeypatch.delenv("EFFICACY_PASSPHRASE_FILE", raising=False)
    seen: dict[str, object] = {}

    async def story(pilot) -> None:
        app = pilot.app
        await settle(pilot, lambda: any(n.startswith("Synced:") for n in notes(app)),
                     what="the sync on start")
        await press(pilot, "l", "n", Typed("Quince tasting"), "ctrl+s")
        await pilot.pause()
        assert app.store.scalar("SELECT count(*) FROM domains") == 1
        seen["files"] = sorted(p.relative_to(folder) for p in folder.rglob("0*.json"))
        await pilot.press("escape", "ctrl+q")

    monkeypatch.setattr(EfficacyApp, "run", partialmethod(App.run, headless=True, size=(100, 30),
                                                          auto_pilot=story))
    monkeypatch.setattr(launch, "has_terminal", lambda: True)  # the headless app stands in
    done = CliRunner().invoke(main, ["--db", str(tmp_path / "data" / "efficacy.db")])
    assert done.exit_code == 0, done.output
    assert seen["files"] == []  # nothing written here before the quit
    assert [p.name for p in folder.rglob("0*.json")] == ["00000001.json"]
    other = open_store(tmp_path / "other.db", clock=Clock(NOW))
    try:
        assert sync_now(other, folder, None).merged == 1
        assert domains.find_domain(other, "Quince tasting") is not None
    finally:
        other.close()
