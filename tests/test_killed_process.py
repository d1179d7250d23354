"""A half-filled check-in survives a killed process: the real app in a real pseudo-terminal."""

import os
import pty
import signal
import struct
import subprocess
import sys
import time
import fcntl
import termios

from textual.widgets import Input

from efficacy_tui.ui.widgets.rating import Rating

from conftest import rows


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


def wait_for(predicate, master: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        drain(master)
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the app")


async def test_draft_survives_sigkill(db_path, make_app):
    proc, master = spawn_in_pty(
        [sys.executable, "-m", "efficacy_tui", "--db", str(db_path), "checkin"]
    )
    try:
        wait_for(lambda: db_path.exists() and rows(db_path, "SELECT 1 FROM sqlite_master "
                                                   "WHERE name = 'drafts'"), master)
        time.sleep(1.5)  # let the form mount and take focus
        for key in ["6", ".", "5", "\t", "\x1b[C", "\t", "\t"]:
            os.write(master, key.encode())
            time.sleep(0.05)
        os.write(master, "Running".encode())
        wait_for(lambda: any("Running" in d["data"] for d in rows(db_path, "SELECT data FROM drafts")),
                 master)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        os.close(master)
    assert proc.returncode == -signal.SIGKILL
    assert rows(db_path, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#sleep_hours", Input).value == "6.5"
        assert screen.query_one("#energy", Rating).value == 5
        assert screen.query_one("#focus_domain", Input).value == "Running"
