"""Syncing three databases through one folder: edits reach every device, the newest stamp wins,
the losing version is kept, deletions are tombstones, clocks that are off cannot make an older
edit win, records that mean the same become one, and bad files are skipped by name."""

import json
import shutil
from datetime import timedelta

import pytest

from efficacy_tui.coach.checkin import CheckinEntry
from efficacy_tui.coach.merge import Stamp, is_conflict, keeps_place, receive, tick
from efficacy_tui.store import attempts, checkins, domains, sync_log
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.sync import sync_now
from efficacy_tui.sync_folder import FolderError, digest

from conftest import NOW, Clock


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "Sync"


@pytest.fixture
def devices(tmp_path):
    """Three databases, each with its own clock set to the same moment."""
    opened = []
    for name in "abc":
        clock = Clock(NOW)
        opened.append(open_store(tmp_path / f"{name}.db", clock=clock))
    yield opened
    for store in opened:
        store.close()


def later(store, minutes=1):
    store.clock.current += timedelta(minutes=minutes)


def everyone(stores, folder, rounds=2):
    for _ in range(rounds):
        for store in stores:
            sync_now(store, folder, None)


def add(store, title, domain="Running"):
    d = domains.get_or_create_domain(store, domain)
    return attempts.add_attempt(store, domain_id=d.id, title=title,
                                happened_at=store.stamp(), outcome="success")


def edit(store, uid, **values):
    later(store)
    with store.transaction():
        store.db.execute(
            f"UPDATE attempts SET {', '.join(f'{k} = ?' for k in values)}, updated_at = ? "
            "WHERE uid = ?", [*values.values(), store.stamp(), uid])


def entry(day, energy, anxiety, focus_domain=""):
    return CheckinEntry(day=day, sleep_hours=None, energy=energy, anxiety=anxiety,
                        focus_domain=focus_domain, focus_rung="", focus_confidence=None,
                        win_title="", win_did="", if_situation="", then_action="")


def titles(store):
    return sorted(r["title"] for r in store.query(
        "SELECT title FROM attempts WHERE deleted_at IS NULL"))


def test_stamps_sort_as_they_compare_and_a_lagging_clock_still_moves_forward():
    a = tick(None, 1_000, "a" * 36)
    b = tick(a, 500, "a" * 36)  # the wall clock went back
    assert b > a and str(b) > str(a) and Stamp.parse(str(b)) == b
    seen = Stamp(9_000, 3, "b" * 36)
    after = tick(receive(b, seen, 2_000, "a" * 36), 2_000, "a" * 36)
    assert after > seen
    assert not is_conflict("2", "1", same_data=True)
    assert is_conflict("2", "1", same_data=False) and not is_conflict("1", "2", same_data=False)
    older = {"created_at": "2026-01-01T00:00:00", "uid": "b"}
    assert keeps_place(older, {"created_at": "2026-01-02T00:00:00", "uid": "a"})


def test_edits_on_each_device_reach_the_others_and_syncing_again_changes_nothing(devices, folder):
    a, b, c = devices
    add(a, "5k run")
    add(b, "Scales", "Piano")
    checkins.save_checkin(c, entry(c.today().isoformat(), 6, 30))
    everyone(devices, folder)
    for store in devices:
        assert titles(store) == ["5k run", "Scales"]
        assert len(store.query("SELECT * FROM checkins")) == 1
    state = sync_log.record_state(a)
    assert sync_log.record_state(b) == state == sync_log.record_state(c)
    files = sorted(p.name for p in folder.rglob("*.json"))
    reports = [sync_now(store, folder, None) for store in devices]
    assert [(r.sent, r.merged) for r in reports] == [(0, 0)] * 3
    assert sorted(p.name for p in folder.rglob("*.json")) == files
    assert sync_log.record_state(a) == state


def test_the_same_record_edited_on_two_devices_ends_the_same_with_the_loser_kept(devices, folder):
    a, b, c = devices
    uid = add(a, "5k run").uid
    everyone(devices, folder)
    edit(a, uid, title="5k run, first")
    later(b, 2)
    edit(b, uid, title="5k run, second")
    everyone(devices, folder)
    for store in devices:
        assert titles(store) == ["5k run, second"]
        lost = [x.values["title"] for x in sync_log.conflicts(store)]
        assert lost == ["5k run, first"], store.path
    assert sync_log.record_state(a) == sync_log.record_state(b) == sync_log.record_state(c)
    # the losing version restored on C wins everywhere at the next sync
    later(c, 5)
    assert sync_log.restore_conflict(c, sync_log.conflicts(c)[0].id)
    everyone(devices, folder)
    assert [titles(s) for s in devices] == [["5k run, first"]] * 3


def test_an_edit_after_a_delete_brings_the_record_back_and_a_later_delete_wins(devices, folder):
    a, b, c = devices
    uid = add(a, "5k run").uid
    everyone(devices, folder)
    edit(a, uid, deleted_at=a.stamp())  # deleted on A
    later(b, 2)
    edit(b, uid, note="felt good")  # edited later on B, which had not seen the delete
    everyone(devices, folder)
    assert [titles(s) for s in devices] == [["5k run"]] * 3
    later(c, 5)
    edit(c, uid, deleted_at=c.stamp())
    everyone(devices, folder)
    assert [titles(s) for s in devices] == [[]] * 3


def test_a_clock_a_day_behind_does_not_make_an_older_edit_win(devices, folder):
    a, b, c = devices
    uid = add(a, "5k run").uid
    everyone(devices, folder)
    b.clock.current -= timedelta(days=1)  # B's clock is a day slow
    edit(b, uid, title="edited first, on the slow clock")
    later(a, 5)
    edit(a, uid, title="edited later")
    everyone(devices, folder)
    assert [titles(s) for s in devices] == [["edited later"]] * 3
    # once B has seen A's edit, B's next edit wins although its clock is still a day behind
    edit(b, uid, title="edited after seeing it")
    everyone(devices, folder)
    assert [titles(s) for s in devices] == [["edited after seeing it"]] * 3


def test_a_checkin_for_the_same_day_and_a_domain_of_the_same_name_become_one(devices, folder):
    a, b, c = devices
    day = a.today().isoformat()
    checkins.save_checkin(a, entry(day, 6, 30, "Piano"))
    later(b)
    checkins.save_checkin(b, entry(day, 2, 80, "piano"))
    add(a, "Scales", "Piano")
    add(b, "Arpeggios", "PIANO")
    everyone(devices, folder)
    for store in devices:
        live = store.query("SELECT * FROM checkins WHERE deleted_at IS NULL")
        assert [(r["day"], r["energy"]) for r in live] == [(day, 6)], store.path
        named = store.query("SELECT id, name FROM domains WHERE deleted_at IS NULL")
        assert [r["name"] for r in named] == ["Piano"]
        assert {r["domain_id"] for r in store.query(
            "SELECT domain_id FROM attempts WHERE deleted_at IS NULL")} == {named[0]["id"]}
        kept = {(x.tbl, x.reason) for x in sync_log.conflicts(store)}
        assert {("checkins", "same_meaning"), ("domains", "same_meaning")} <= kept
    assert sync_log.record_state(a) == sync_log.record_state(b) == sync_log.record_state(c)


def test_bad_files_are_named_and_skipped_and_everything_else_is_merged(devices, folder, tmp_path):
    a, b, c = devices
    add(a, "from A")
    add(b, "from B")
    sync_now(a, folder, None)
    sync_now(b, folder, None)
    a_dir = folder / sync_log.device(a).uid
    change = a_dir / "00000001.json"
    text = change.read_text()
    change.write_text(text.replace("from A", "from X"))  # tampered
    (folder / "notes.txt").write_text("someone else's")
    report = sync_now(c, folder, None)
    said = "\n".join(report.problems)
    assert f"{sync_log.device(a).uid}/00000001.json was skipped: it was changed after it was written" in said
    assert f"{folder / 'notes.txt'} is not efficacy's, so it was skipped." in said
    assert titles(c) == ["from B"]
    change.write_text(text[: len(text) // 2])  # cut short
    assert "it is cut short or damaged" in "\n".join(sync_now(c, folder, None).problems)
    newer = json.loads(text)
    newer["version"] = 99
    change.write_text(json.dumps(newer))
    assert "written by a newer version of efficacy" in "\n".join(
        sync_now(c, folder, None).problems)
    refused = json.loads(text)
    refused["changes"][-1]["data"]["outcome"] = "triumph"  # a value the schema refuses
    refused["digest"] = digest(refused["changes"])
    change.write_text(json.dumps(refused))
    assert "it holds a value efficacy never stores" in "\n".join(
        sync_now(c, folder, None).problems)
    assert titles(c) == ["from B"]
    nameless = json.loads(text)  # a domain without the name it is merged by
    [domain] = [ch for ch in nameless["changes"] if ch["table"] == "domains"]
    del domain["data"]["name"]
    nameless["digest"] = digest(nameless["changes"])
    change.write_text(json.dumps(nameless))
    assert "it is not an efficacy change file" in "\n".join(sync_now(c, folder, None).problems)
    assert titles(c) == ["from B"]
    change.write_text(text)  # put back whole: the next sync merges it
    sync_now(c, folder, None)
    assert titles(c) == ["from A", "from B"]
    other = tmp_path / "Other"
    other.mkdir()
    (other / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(FolderError, match="is not a sync folder"):
        sync_now(c, other, None)
    assert [p.name for p in other.iterdir()] == ["photo.jpg"]


def test_two_devices_claiming_the_same_uid_are_told_apart(devices, folder, tmp_path):
    a, b, c = devices
    add(a, "before the copy")
    sync_now(a, folder, None)
    a.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "copy.db")
    a = open_store(tmp_path / "a.db", clock=Clock(NOW))
    copy = open_store(tmp_path / "copy.db", clock=Clock(NOW))
    try:
        add(a, "on the original")
        add(copy, "on the copy")
        sync_now(a, folder, None)
        report = sync_now(copy, folder, None)
        assert any("Another device also syncs as" in p for p in report.problems)
        everyone([a, copy, c], folder)
        for store in (a, copy, c):
            assert titles(store) == ["before the copy", "on the copy", "on the original"]
    finally:
        a.close()
        copy.close()


def test_the_command_remembers_the_folder_and_says_one_sentence_for_a_bad_one(
        tmp_path, monkeypatch):
    from click.testing import CliRunner

    from efficacy_tui.cli import main

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"home.checkin" = "k"\n')
    monkeypatch.setenv("EFFICACY_CONFIG", str(config))
    db, runner = str(tmp_path / "a.db"), CliRunner()
    done = runner.invoke(main, ["--db", db, "sync"])
    assert (done.exit_code, done.output) == (
        1, "No sync folder yet: give one, as in efficacy sync ~/Sync/efficacy.\n")
    other = tmp_path / "Documents"
    other.mkdir()
    (other / "letter.txt").write_text("dear")
    done = runner.invoke(main, ["--db", db, "sync", str(other)])
    assert done.exit_code == 1
    assert done.output == (f"{other} is not a sync folder: it holds other files and no "
                           "efficacy-sync marker, so nothing was written there.\n")
    done = runner.invoke(main, ["--db", db, "sync", str(tmp_path / "Sync")])
    assert done.output == "Synced: 0 changes sent, 0 changes merged.\n"
    assert config.read_text() == (f'[keymap]\n"home.checkin" = "k"\n\n[sync]\n'
                                  f'folder = "{tmp_path / "Sync"}"\n')
    assert runner.invoke(main, ["--db", db, "sync"]).exit_code == 0
    assert runner.invoke(main, ["--db", db, "sync", str(tmp_path / "Moved")]).exit_code == 0
    assert config.read_text() == (f'[keymap]\n"home.checkin" = "k"\n\n[sync]\n'
                                  f'folder = "{tmp_path / "Moved"}"\n')


def test_a_rung_made_at_the_same_place_on_two_devices_becomes_one(devices, folder):
    from efficacy_tui.store import ladder

    a, b, c = devices
    for store in (a, b):
        later(store)
        d = ladder.add_domain(store, "Speaking")
        ladder.add_rung(store, d.id, "Two-minute talk", "", 30)
    everyone(devices, folder)
    for store in devices:
        live = store.query("SELECT r.title, d.name FROM rungs r JOIN domains d "
                           "ON d.id = r.domain_id WHERE r.deleted_at IS NULL")
        assert live == [{"title": "Two-minute talk", "name": "Speaking"}], store.path
        assert {x.tbl for x in sync_log.conflicts(store)} == {"domains", "rungs"}
    assert sync_log.record_state(a) == sync_log.record_state(b) == sync_log.record_state(c)


def test_a_record_removed_after_what_referred_to_it_let_go_is_gone_everywhere(devices, folder):
    """As `efficacy doctor` removes a row it cannot mend: the rows that point at it lose the
    link, then it is removed, in one write; every device ends without it, not with a deleted
    copy only it keeps."""
    a, b, c = devices
    setback = add(a, "Tripped at the start")
    with a.transaction():
        a.conn.execute(
            "INSERT INTO reframes (uid, attempt_id, domain_id, what_happened, locus, stability, "
            "controllability, if_situation, then_action, controllable_temporary, created_at, "
            "updated_at) VALUES (?, ?, ?, 'Tripped', 'internal', 'temporary', 'controllable', "
            "'at the start', 'look down', 1, ?, ?)",
            [new_uid(), setback.id, setback.domain_id, a.stamp(), a.stamp()])
    everyone(devices, folder)
    later(a)
    with a.transaction():
        a.conn.execute("UPDATE reframes SET attempt_id = NULL, updated_at = ?", [a.stamp()])
        a.conn.execute("DELETE FROM attempts WHERE uid = ?", [setback.uid])
    everyone(devices, folder)
    for store in devices:
        assert store.scalar("SELECT count(*) FROM attempts") == 0
        assert store.scalar("SELECT attempt_id FROM reframes") is None
    assert sync_log.record_state(a) == sync_log.record_state(b) == sync_log.record_state(c)


def test_the_folder_and_the_remembered_config_are_private_and_a_pipe_there_holds_nothing_up(
        devices, tmp_path, monkeypatch):
    import os
    import stat

    from efficacy_tui import sync_config

    before = os.umask(0)  # a umask that would leave everything readable by everyone
    try:
        folder = tmp_path / "deep" / "Sync"
        add(devices[0], "5 km")
        sync_now(devices[0], folder, None)
        config = tmp_path / "conf" / "config.toml"
        monkeypatch.setenv("EFFICACY_CONFIG", str(config))
        sync_config.remember(folder)
    finally:
        os.umask(before)
    files = [p for p in folder.rglob("*") if p.is_file()] + [config]
    assert len(files) >= 3
    assert {str(p): stat.S_IMODE(p.stat().st_mode) for p in files} == {str(p): 0o600 for p in files}
    for made in (tmp_path / "deep", folder, config.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    assert sync_config.sync_folder() == folder
    config.unlink()
    os.mkfifo(config)  # nobody writes to it: reading it would wait for ever
    assert sync_config.sync_folder() is None
