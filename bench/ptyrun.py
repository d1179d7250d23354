"""Run a full-screen program in a pseudo-terminal and time it from spawn until a marker string has
been painted, then quit it with `q` and read its peak memory from the kernel."""

from __future__ import annotations

import codecs
import errno
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

# Complete escape sequences: CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, and the
# short ESC forms (charset selection, keypad modes, RIS, ...), plus 8-bit CSI.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[\ -/]*[@-~]              # CSI
  | \x9b[0-?]*[\ -/]*[@-~]                # 8-bit CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)     # OSC
  | \x1b[PX^_][^\x1b]*\x1b\\              # DCS, SOS, PM, APC
  | \x1b[\ -/]*[0-~]                      # other ESC sequences (nF, Fp, Fe, Fs)
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]")
_MAX_PENDING = 4096


class PtyRunError(RuntimeError):
    """The program never painted the marker, or could not be started."""


@dataclass
class PtyRun:
    """What one run in the pseudo-terminal measured."""

    seconds: float  # spawn to marker seen
    maxrss_kib: int  # ru_maxrss from wait4 (KiB on Linux)
    exit_status: int  # as os.waitstatus_to_exitcode: negative for a signal
    quit_by: str  # "q", "SIGTERM" or "SIGKILL"
    output_tail: str  # last 2 KB of the stripped output


class EscapeStripper:
    """Removes escape sequences from a stream that arrives in arbitrary chunks, keeping an
    unfinished sequence until the rest of it arrives."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, data: bytes) -> str:
        """Return the plain text that `data` completes."""
        text = _ESCAPES.sub("", self._pending + self._decoder.decode(data))
        cut = text.find("\x1b")
        if cut >= 0 and len(text) - cut <= _MAX_PENDING:
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        return _CONTROLS.sub("", text.replace("\x1b", ""))


def _make_controlling_tty() -> None:
    """In the child (after setsid): take the pseudo-terminal on stdin as controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _read(fd: int, timeout: float) -> bytes | None:
    """Bytes available within `timeout` (b"" if none), or None once the child side has closed."""
    ready, _, _ = select.select([fd], [], [], max(timeout, 0))
    if not ready:
        return b""
    try:
        data = os.read(fd, 65536)
    except OSError as err:
        if err.errno == errno.EIO:
            return None
        raise
    return data if data else None


def run_until_marker(
    argv: list[str],
    marker: str,
    *,
    cols: int = 100,
    rows: int = 30,
    timeout: float = 30.0,
    quit_grace: float = 3.0,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> PtyRun:
    """Spawn `argv` on a fresh pseudo-terminal of `cols`x`rows`, time spawn-to-marker, send `q`,
    escalate to SIGTERM then SIGKILL if it does not exit, and reap it with wait4 for its peak RSS."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ if env is None else env)
    env["TERM"] = "xterm-256color"
    for name in ("COLUMNS", "LINES"):  # the size comes from the terminal alone
        env.pop(name, None)
    stripper = EscapeStripper()
    plain: list[str] = []
    seen = ""
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_make_controlling_tty,
        )
    except OSError as err:
        os.close(master)
        os.close(slave)
        raise PtyRunError(f"could not start {argv[0]}: {err}") from None
    os.close(slave)
    pid = proc.pid
    elapsed = None
    closed = False
    try:
        deadline = start + timeout
        while elapsed is None:
            now = time.perf_counter()
            if now >= deadline:
                break
            data = _read(master, deadline - now)
            if data is None:
                closed = True
                break
            if not data:
                continue
            chunk = stripper.feed(data)
            plain.append(chunk)
            # Search only the new text plus enough before it to catch a marker split across reads.
            seen = (seen[-len(marker):] if seen else "") + chunk
            if marker in seen:
                elapsed = time.perf_counter() - start
        if elapsed is None:
            _kill(pid, signal.SIGKILL)
            status, _ = _reap(pid, master, plain, stripper, wait=5.0)
            proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else None
            tail = "".join(plain)[-2048:]
            why = (
                f"exited with status {proc.returncode} before"
                if closed
                else f"timed out after {timeout:.0f} s without"
            )
            raise PtyRunError(
                f"{' '.join(argv)}: {why} showing {marker!r}.\n"
                f"--- last 2 KB of its output (escape sequences removed) ---\n{tail}\n---"
            )
        quit_by = "q"
        try:
            os.write(master, b"q")
        except OSError:
            pass
        status, usage = _reap(pid, master, plain, stripper, wait=quit_grace)
        if status is None:
            quit_by = "SIGTERM"
            _kill(pid, signal.SIGTERM)
            status, usage = _reap(pid, master, plain, stripper, wait=quit_grace)
        if status is None:
            quit_by = "SIGKILL"
            _kill(pid, signal.SIGKILL)
            status, usage = _reap(pid, master, plain, stripper, wait=10.0)
        if status is None:
            raise PtyRunError(f"{' '.join(argv)}: did not die after SIGKILL")
        proc.returncode = os.waitstatus_to_exitcode(status)
        return PtyRun(
            seconds=elapsed,
            maxrss_kib=usage.ru_maxrss,
            exit_status=proc.returncode,
            quit_by=quit_by,
            output_tail="".join(plain)[-2048:],
        )
    finally:
        if proc.returncode is None:  # an unexpected error: leave nothing running
            _kill(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            proc.returncode = -9
        os.close(master)


def _kill(pid: int, sig: int) -> None:
    """Signal the child's whole session (it leads its own process group)."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _reap(pid: int, master: int, plain: list[str], stripper: EscapeStripper, wait: float):
    """Keep draining the terminal so the child never blocks writing, until it exits or `wait`
    seconds pass; return (wait status, rusage), or (None, None) if it is still running."""
    deadline = time.perf_counter() + wait
    open_ = True
    while True:
        pid_done, status, usage = os.wait4(pid, os.WNOHANG)
        if pid_done == pid:
            while open_:  # whatever it wrote last is still in the terminal's buffer
                data = _read(master, 0)
                if not data:
                    break
                plain.append(stripper.feed(data))
            return status, usage
        left = deadline - time.perf_counter()
        if left <= 0:
            return None, None
        if open_:
            data = _read(master, min(left, 0.02))
            if data is None:
                open_ = False
            elif data:
                plain.append(stripper.feed(data))
        else:
            time.sleep(min(left, 0.01))
