"""Encryption: with a passphrase no title, note or name typed in the app reaches the sync folder
readable (every byte of every file is searched), the standard `age` tool decrypts a change file,
a wrong passphrase changes nothing, a folder is never written both encrypted and plain, and
exports and backups encrypt the same way."""

import os
import pty
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from helpers import Typed, notes, press, settle
from test_palette import run_command

from efficacy_tui.cli import main
from efficacy_tui.sealed import MAGIC
from efficacy_tui.store import attempts, domains, sync_log
from efficacy_tui.store.core import open_store
from efficacy_tui.sync import sync_now
from efficacy_tui.sync_folder import FolderError
from efficacy_tui.ui.app import EfficacyApp
from efficacy_tui.ui.screens.ladder import LadderScreen

from conftest import NOW, Clock, rows

PASSPHRASE = "correct horse battery staple"
WORDS = ("Zebra crossing talk", "a private note about fear", "Quokka club")
# What the story writes in the app, each where a person would type it.
WRITTEN = {"name": "Quokka club", "goal": "Lead the Thursday walk",
           "why": "Because Marguerite asked", "rung": "Zebra crossing talk",
           "criterion": "Without notes in my pocket", "did": "Practised with Oswaldo twice",
           "note": "a private note about fear"}


def _folder_bytes(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _age_decrypt(path, passphrase):
    """`age --decrypt` in a pseudo-terminal, which is where it asks for the passphrase."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes age
        os.execvp("age", ["age", "--decrypt", str(path)])
    out = b""
    sent = False
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not sent and b"passphrase" in out.lower():
            os.write(fd, passphrase.encode() + b"\n")
            sent = True
    os.waitpid(pid, 0)
    os.close(fd)
    return out


@pytest.mark.long
async def test_words_written_in_the_app_never_reach_the_folder_readable(
        db_path, clock, tmp_path, monkeypatch):
    """Each encryption and decryption is a second of scrypt, so this story makes the fewest its
    points need: the app writes the folder's marker and one change file, the other device opens
    them once, a wrong passphrase is tried once, and `age` decrypts the change file once."""
    folder = tmp_path / "Sync"
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("EFFICACY_PASSPHRASE_FILE", str(secret))
    app = EfficacyApp(open_store(db_path, clock=clock), warm_up=False, sync_path=folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        await press(pilot, "n", Typed(WRITTEN["name"]), "tab", Typed(WRITTEN["goal"]), "tab",
                    Typed(WRITTEN["why"]), "ctrl+s")
        await pilot.pause()
        await press(pilot, "a", Typed(WRITTEN["rung"]), "tab", Typed(WRITTEN["criterion"]),
                    "ctrl+s")
        await pilot.pause()
        # Logged after the fact on the new rung: success, effort, what was done and a note.
        await press(pilot, "g", "tab", "tab", "enter", "tab", "right", "tab",
                    Typed(WRITTEN["did"]), "tab", Typed(WRITTEN["note"]), "ctrl+s")
        await pilot.pause()
        saved = rows(db_path, "SELECT d.name, d.goal, d.why, r.title AS rung, r.criterion, "
                              "a.what_i_did AS did, a.note FROM attempts a JOIN rungs r "
                              "ON r.id = a.rung_id JOIN domains d ON d.id = r.domain_id")
        assert saved == [WRITTEN]
        await run_command(pilot, "Sync now")
        said = await settle(pilot, lambda: [n for n in notes(app) if n.startswith("Synced:")],
                            what="Sync now")
        assert said == ["Synced: 3 changes sent, 0 changes merged."]  # domain, rung, attempt

    files = _folder_bytes(folder)
    assert any(p.suffix == ".age" for p in files)
    for path, data in files.items():
        for word in WRITTEN.values():
            for form in (word.encode(), word.encode("utf-16-le"), word.lower().encode()):
                assert form not in data, (word, path)
        assert not data or data.startswith(MAGIC), path

    b = open_store(tmp_path / "b.db", clock=Clock(NOW))
    try:
        sync_now(b, folder, PASSPHRASE)
        assert b.scalar("SELECT note FROM attempts") == WRITTEN["note"]
        before = _folder_bytes(folder)
        with pytest.raises(FolderError, match="is an encrypted sync folder"):
            sync_now(b, folder, None)
        with pytest.raises(ValueError, match="^The passphrase does not open .*, so nothing was changed.$"):
            sync_now(b, folder, "wrong")
        assert _folder_bytes(folder) == before
        plain = tmp_path / "Plain"
        sync_now(b, plain, None)
        with pytest.raises(FolderError, match="without encryption"):
            sync_now(b, plain, PASSPHRASE)
        assert not list(plain.rglob("*.age"))
    finally:
        b.close()
    change = next(p for p in files if p.name == "00000001.age")
    if shutil.which("age") is None:
        pytest.skip("the age program is not installed, so `age --decrypt` was not tried")
    assert WRITTEN["note"].encode() in _age_decrypt(change, PASSPHRASE)


@pytest.mark.long
def test_export_and_backup_encrypt_and_import_reads_either(tmp_path, monkeypatch):
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    monkeypatch.setenv("EFFICACY_PASSPHRASE_FILE", str(secret))
    db = tmp_path / "a.db"
    store = open_store(db, clock=Clock(NOW))
    d = domains.get_or_create_domain(store, WORDS[2])
    attempts.add_attempt(store, domain_id=d.id, title=WORDS[0], note=WORDS[1],
                         happened_at=store.stamp(), outcome="success")
    store.close()
    runner = CliRunner()
    out = tmp_path / "export.json.age"
    done = runner.invoke(main, ["--db", str(db), "export", "--encrypt", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(MAGIC) and WORDS[1].encode() not in out.read_bytes()
    done = runner.invoke(main, ["--db", str(db), "backup", "--encrypt", f"{tmp_path / 'bk'}/"])
    assert done.exit_code == 0, done.output
    (copy,) = (tmp_path / "bk").iterdir()
    assert copy.name.endswith(".db.age") and WORDS[1].encode() not in copy.read_bytes()
    wrong = tmp_path / "wrong"
    wrong.write_text("not it\n")
    monkeypatch.setenv("EFFICACY_PASSPHRASE_FILE", str(wrong))
    target = tmp_path / "b.db"
    done = runner.invoke(main, ["--db", str(target), "import", str(out)])
    assert done.exit_code == 1
    assert done.output.strip() == f"The passphrase does not open {out}, so nothing was changed."
    assert not target.exists()
    monkeypatch.setenv("EFFICACY_PASSPHRASE_FILE", str(secret))
    done = runner.invoke(main, ["--db", str(target), "import", str(out)])
    assert done.exit_code == 0, done.output
    assert sqlite3.connect(target).execute("SELECT note FROM attempts").fetchone()[0] == WORDS[1]
    plain = tmp_path / "plain.json"
    runner.invoke(main, ["--db", str(db), "export", "-o", str(plain)])
    monkeypatch.delenv("EFFICACY_PASSPHRASE_FILE")
    done = runner.invoke(main, ["--db", str(tmp_path / "c.db"), "import", str(plain)])
    assert done.exit_code == 0, done.output
    state = sync_log.record_state(open_store(tmp_path / "c.db"))
    assert [r["note"] for r in state["attempts"]] == [WORDS[1]]
