"""Two computers, end to end: two real `efficacy` processes, each with its own home folder, and
`rsync` standing in for the sync service that carries the folder between them. A check-in made on
one appears on the other."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.serial

CHECK_IN = """
import sys
from efficacy_tui.coach.checkin import CheckinEntry
from efficacy_tui.store.checkins import save_checkin
from efficacy_tui.store.core import open_store
from efficacy_tui.store.paths import default_db_path

store = open_store(default_db_path())
save_checkin(store, CheckinEntry(
    day=store.today().isoformat(), sleep_hours=7.0, energy=7, anxiety=20, focus_domain="Piano",
    focus_rung="", focus_confidence=None, win_title="Played the scale", win_did="", if_situation="",
    then_action=""))
"""


def _computer(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("EFFICACY_DB", "EFFICACY_CONFIG", "EFFICACY_PASSPHRASE_FILE")}
    env.update(HOME=str(root), XDG_CONFIG_HOME=str(root / ".config"),
               XDG_DATA_HOME=str(root / ".local" / "share"))
    return env


def _efficacy(env, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "efficacy_tui", *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _carry(source: Path, dest: Path) -> None:
    """What a sync service does: make the other computer's folder the same as this one's."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["rsync", "-a", f"{source}/", f"{dest}/"], check=True, timeout=60)


def test_a_checkin_made_on_one_computer_appears_on_the_other(tmp_path):
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed, so the folder cannot be carried between homes")
    laptop, desktop = _computer(tmp_path / "laptop"), _computer(tmp_path / "desktop")
    laptop_sync, desktop_sync = tmp_path / "laptop" / "Sync", tmp_path / "desktop" / "Sync"
    assert "No sync folder yet." in _efficacy(desktop, "sync", "--status")  # starts its database
    before = _efficacy(desktop, "nudge", "--only", "checkin")
    assert before.strip()
    subprocess.run([sys.executable, "-c", CHECK_IN], env=laptop, check=True, timeout=120)
    assert _efficacy(laptop, "sync", str(laptop_sync)).startswith("Synced:")
    _carry(laptop_sync, desktop_sync)
    said = _efficacy(desktop, "sync", str(desktop_sync))
    assert "merged" in said and "0 changes merged" not in said
    assert _efficacy(desktop, "nudge", "--only", "checkin") == ""  # today's check-in is done
    _carry(desktop_sync, laptop_sync)
    assert _efficacy(laptop, "sync").startswith("Synced:")  # the folder was remembered
    status = _efficacy(laptop, "sync", "--status")
    assert f"Sync folder: {laptop_sync}" in status and "Waiting to be sent: 0 changes." in status
    assert "Device " in status
