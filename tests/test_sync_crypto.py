"""Encryption: with a passphrase no title, note or name reaches the sync folder readable, the
standard `age` tool decrypts a change file, a wrong passphrase changes nothing, a folder is never
written both encrypted and plain, and exports and backups encrypt the same way."""

import os
import pty
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.sealed import MAGIC
from efficacy_tui.store import attempts, domains, sync_log
from efficacy_tui.store.core import open_store
from efficacy_tui.sync import sync_now
from efficacy_tui.sync_folder import FolderError

from conftest import NOW, Clock

PASSPHRASE = "correct horse battery staple"
WORDS = ("Zebra crossing talk", "a private note about fear", "Quokka club")


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


def test_an_encrypted_folder_holds_nothing_readable_and_age_decrypts_it(tmp_path):
    folder = tmp_path / "Sync"
    a = open_store(tmp_path / "a.db", clock=Clock(NOW))
    b = open_store(tmp_path / "b.db", clock=Clock(NOW))
    try:
        d = domains.get_or_create_domain(a, WORDS[2])
        attempts.add_attempt(a, domain_id=d.id, title=WORDS[0], note=WORDS[1],
                             happened_at=a.stamp(), outcome="success")
        sync_now(a, folder, PASSPHRASE)
        sync_now(b, folder, PASSPHRASE)
        assert b.scalar("SELECT note FROM attempts") == WORDS[1]
        files = _folder_bytes(folder)
        assert any(p.suffix == ".age" for p in files)
        for path, data in files.items():
            for word in WORDS:
                for form in (word.encode(), word.encode("utf-16-le")):
                    assert form not in data, path
            assert not data or data.startswith(MAGIC), path
        before = _folder_bytes(folder)
        with pytest.raises(FolderError, match="is a sync folder without encryption|encrypted"):
            sync_now(b, folder, None)
        with pytest.raises(ValueError, match="^The passphrase does not open .*, so nothing was changed.$"):
            sync_now(b, folder, "wrong")
        assert _folder_bytes(folder) == before
        plain = tmp_path / "Plain"
        sync_now(a, plain, None)
        with pytest.raises(FolderError, match="without encryption"):
            sync_now(a, plain, PASSPHRASE)
        assert not list(plain.rglob("*.age"))
        change = next(p for p in files if p.name == "00000001.age")
        if shutil.which("age") is None:
            pytest.skip("the age program is not installed, so `age --decrypt` was not tried")
        out = _age_decrypt(change, PASSPHRASE)
        assert WORDS[1].encode() in out
    finally:
        a.close()
        b.close()


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
