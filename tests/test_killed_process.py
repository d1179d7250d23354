"""A half-filled check-in survives a killed process: the real app in a real pseudo-terminal."""

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from datetime import datetime

import pytest
from textual.widgets import Input

from efficacy_tui.content import say
from efficacy_tui.ui.widgets.rating import Rating

from conftest import rows

pytestmark = pytest.mark.serial  # real processes in real terminals, killed


def spawn_in_pty(args: list[str]) -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True)
    os.close(slave)
    os.set_blocking(master, False)
    return proc, master


def drain(master: int) -> None:
    try:
        while os.read(master, 65536):
            pass
    except (BlockingIOError, OSError):
        pass


def wait_for(predicate, master: int, seconds: float = 30.0, what=lambda: "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        drain(master)
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for the app {what()}")


async def test_draft_survives_sigkill(db_path, make_app, clock):
    proc, master = spawn_in_pty(
        [sys.executable, "-m", "efficacy_tui", "--db", str(db_path), "checkin"]
    )
    try:
        type_into_checkin(db_path, master, ["6", ".", "5", "\t", "\x1b[C", "\t", "\t", "Running"])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    clock.at(datetime.now())  # the killed process kept its draft under the real day
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sleep_hours", Input).value == "6.5"
        assert screen.query_one("#energy", Rating).value == 5
        assert screen.query_one("#focus_domain", Input).value == "Running"


ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Screen:
    """What the app has written to the terminal so far, escape sequences removed."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.raw = b""

    def read(self) -> str:
        try:
            while chunk := os.read(self.master, 65536):
                self.raw += chunk
        except (BlockingIOError, OSError):
            pass
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def changed(self, seconds: float = 30.0, quiet: float = 0.25) -> None:
        """Wait until the app has answered a key: it writes something to the terminal, then
        nothing for `quiet` seconds (the cursor blinks every half second). A key sent sooner can
        reach a field before its focus event has run, and the field then selects what was typed
        and the next key replaces it."""
        before = len(self.raw)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read()
            if len(self.raw) > before:
                break
            time.sleep(0.01)
        else:
            raise AssertionError("the app drew nothing after a key")
        last, since = len(self.raw), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            self.read()
            if len(self.raw) != last:
                last, since = len(self.raw), time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
        raise AssertionError("the app never settled after a key")

    def wait_for(self, text: str, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.read():
                return
            time.sleep(0.02)
        raise AssertionError(f"{text!r} never appeared; the screen ends: {self.read()[-500:]!r}")


CHECKIN_KEYS = ["7", "\t", "\x1b[C", "\t", "\x1b[C", "\t", "Running"]


def type_into_checkin(db_path, master: int, keys: list[str], screen: "Screen | None" = None
                      ) -> None:
    """Once the check-in form is on the screen (it takes focus as it mounts, before it is
    drawn), type `keys`, each once the app has drawn its answer to the one before, and wait
    until the draft in the file holds the last of them."""
    screen = screen or Screen(master)
    screen.wait_for(say("checkin.labels.sleep_hours"))
    for key in keys:
        screen.read()
        os.write(master, key.encode())
        screen.changed()
    deadline = time.monotonic() + 30
    while not (drafts := rows(db_path, "SELECT data FROM drafts")) or keys[-1] not in str(drafts):
        screen.read()
        if time.monotonic() > deadline:
            raise AssertionError(f"the draft never held {keys[-1]!r}: {drafts}; the screen ends: "
                                 f"{screen.read()[-800:]!r}")
        time.sleep(0.05)


def fill_checkin(db_path, master: int, screen: "Screen | None" = None) -> None:
    type_into_checkin(db_path, master, CHECKIN_KEYS, screen)


def save_new_domain(master: int, screen: "Screen") -> None:
    """Press ctrl+s and, once the check-in asks before starting the domain it names, yes."""
    screen.read()
    os.write(master, b"\x13")  # ctrl+s
    screen.wait_for(say("common.new_domains.name", name="Running"))
    os.write(master, b"y")


def test_an_acknowledged_checkin_survives_sigkill(db_path):
    """Killed the moment "Check-in saved." is on screen: the whole check-in is in the file."""
    proc, master = spawn_in_pty(
        [sys.executable, "-m", "efficacy_tui", "--db", str(db_path), "checkin"]
    )
    screen = Screen(master)
    try:
        fill_checkin(db_path, master, screen)
        save_new_domain(master, screen)
        screen.wait_for("Check-in saved")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    [checkin] = rows(db_path, "SELECT c.sleep_hours, c.energy, c.anxiety, d.name FROM checkins c "
                              "JOIN domains d ON d.id = c.focus_domain_id")
    assert checkin["sleep_hours"] == 7 and checkin["name"] == "Running"
    assert checkin["energy"] is not None and checkin["anxiety"] is not None
    assert rows(db_path, "SELECT * FROM drafts") == []


def test_a_checkin_killed_while_saving_is_whole_or_still_a_draft(db_path):
    """Killed right after ctrl+s, before any acknowledgement: the save is one transaction, so
    the file holds either the whole check-in (and no draft) or no check-in and the draft."""
    proc, master = spawn_in_pty(
        [sys.executable, "-m", "efficacy_tui", "--db", str(db_path), "checkin"]
    )
    screen = Screen(master)
    try:
        fill_checkin(db_path, master, screen)
        save_new_domain(master, screen)
        time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        os.close(master)
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    checkins = rows(db_path, "SELECT sleep_hours, focus_domain_id FROM checkins")
    drafts = rows(db_path, "SELECT data FROM drafts")
    if checkins:
        assert checkins[0]["sleep_hours"] == 7 and checkins[0]["focus_domain_id"] is not None
        assert drafts == []
    else:
        assert len(drafts) == 1 and "Running" in drafts[0]["data"]
        assert rows(db_path, "SELECT * FROM domains") == []
