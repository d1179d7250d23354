"""Run a full-screen program in a pseudo-terminal and time it from spawn until a marker string has
been painted (optionally then time a keypress until a second marker), then quit it with keys (`q` by
default) and read its peak memory from the kernel."""

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
  | \x1b(?![\[\]PX^_])[\ -/]*[0-~]       # other ESC sequences (nF, Fp, Fe, Fs), but not
                                        # the openers above: their rest may be in the next read
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
    quit_by: str  # the quit keys as key_label() names them ("q", "ctrl+q"), "SIGTERM" or "SIGKILL"
    output_tail: str  # last 2 KB of the stripped output
    then_seconds: float | None = None  # `then` keys written to its marker seen; None without it

    @property
    def quit_by_keys(self) -> bool:
        """Whether the program quit on its quit keys, not on a signal."""
        return self.quit_by not in ("SIGTERM", "SIGKILL")


def key_label(keys: bytes) -> str:
    """A readable name for keys written to the terminal: b"q" -> "q", b"\\x11" -> "ctrl+q"."""
    names = []
    for byte in keys:
        if 1 <= byte <= 26:
            names.append(f"ctrl+{chr(byte + 96)}")
        elif 32 < byte < 127:
            names.append(chr(byte))
        else:
            names.append(f"0x{byte:02x}")
    return " ".join(names)


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


class _Screen:
    """The program's output so far, stripped of escape sequences, and the search for a marker."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.stripper = EscapeStripper()
        self.plain: list[str] = []

    def text(self) -> str:
        return "".join(self.plain)

    def tail(self) -> str:
        return self.text()[-2048:]

    def wait_for(self, marker: str, deadline: float) -> float | None:
        """Read until `marker` appears in output read from now on; return the perf_counter time it
        was seen, or None at the deadline. Raises EOFError once the child side has closed."""
        seen = ""
        while True:
            now = time.perf_counter()
            if now >= deadline:
                return None
            data = _read(self.master, deadline - now)
            if data is None:
                raise EOFError
            if not data:
                continue
            chunk = self.stripper.feed(data)
            self.plain.append(chunk)
            # Search only the new text plus enough before it to catch a marker split across reads.
            seen = seen[-len(marker):] + chunk
            if marker in seen:
                return time.perf_counter()


def run_until_marker(
    argv: list[str],
    marker: str,
    *,
    then: tuple[bytes, str] | None = None,
    quit_keys: bytes = b"q",
    cols: int = 100,
    rows: int = 30,
    timeout: float = 30.0,
    quit_grace: float = 3.0,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    settle: float = 0.0,
) -> PtyRun:
    """Spawn `argv` on a fresh pseudo-terminal of `cols`x`rows` and time spawn-to-`marker`.

    With `then=(keys, then_marker)`, write `keys` once `marker` has appeared and time from that
    write until `then_marker` appears (`then_seconds`); `then_marker` must not already be in the
    output before the write, or the run fails. Then write `quit_keys`, escalate to SIGTERM and
    SIGKILL if the program does not exit, and reap it with wait4 for its peak RSS. Each wait for
    a marker fails with PtyRunError after `timeout` seconds, showing the last 2 KB of output.
    With `settle`, the keys wait that many seconds after `marker` (output still read), so they
    time a screen switch on an idle app rather than the end of its start-up."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ if env is None else env)
    env["TERM"] = "xterm-256color"
    for name in ("COLUMNS", "LINES"):  # the size comes from the terminal alone
        env.pop(name, None)
    screen = _Screen(master)
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
    command = " ".join(argv)

    def fail(why: str) -> PtyRunError:
        """Kill and reap the program; the error to raise, with the last 2 KB of its output."""
        _kill(pid, signal.SIGKILL)
        status, _ = _reap(pid, screen, wait=5.0)
        proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else None
        return PtyRunError(
            f"{command}: {why}.\n"
            f"--- last 2 KB of its output (escape sequences removed) ---\n{screen.tail()}\n---"
        )

    def wait_for(marker_: str, since: float, after: str = "") -> float:
        try:
            seen_at = screen.wait_for(marker_, since + timeout)
        except EOFError:
            raise fail(f"exited before showing {marker_!r}{after}") from None
        if seen_at is None:
            raise fail(f"timed out after {timeout:.0f} s without showing {marker_!r}{after}")
        return seen_at - since

    try:
        elapsed = wait_for(marker, start)
        then_seconds = None
        if then is not None:
            keys, then_marker = then
            if then_marker in screen.text():
                raise fail(
                    f"{then_marker!r} was already on screen before {key_label(keys)!r} was sent, "
                    f"so it cannot mark what the keys open"
                )
            if settle:
                try:
                    screen.wait_for("\x00never painted\x00", time.perf_counter() + settle)
                except EOFError:
                    raise fail(f"exited while settling before {key_label(keys)!r}") from None
            sent = time.perf_counter()
            os.write(master, keys)
            then_seconds = wait_for(then_marker, sent, f" after {key_label(keys)!r}")
        quit_by = key_label(quit_keys)
        try:
            os.write(master, quit_keys)
        except OSError:
            pass
        status, usage = _reap(pid, screen, wait=quit_grace)
        if status is None:
            quit_by = "SIGTERM"
            _kill(pid, signal.SIGTERM)
            status, usage = _reap(pid, screen, wait=quit_grace)
        if status is None:
            quit_by = "SIGKILL"
            _kill(pid, signal.SIGKILL)
            status, usage = _reap(pid, screen, wait=10.0)
        if status is None:
            raise PtyRunError(f"{command}: did not die after SIGKILL")
        proc.returncode = os.waitstatus_to_exitcode(status)
        return PtyRun(
            seconds=elapsed,
            maxrss_kib=usage.ru_maxrss,
            exit_status=proc.returncode,
            quit_by=quit_by,
            output_tail=screen.tail(),
            then_seconds=then_seconds,
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


def _reap(pid: int, screen: _Screen, wait: float):
    """Keep draining the terminal so the child never blocks writing, until it exits or `wait`
    seconds pass; return (wait status, rusage), or (None, None) if it is still running."""
    deadline = time.perf_counter() + wait
    open_ = True
    while True:
        pid_done, status, usage = os.wait4(pid, os.WNOHANG)
        if pid_done == pid:
            while open_:  # whatever it wrote last is still in the terminal's buffer
                data = _read(screen.master, 0)
                if not data:
                    break
                screen.plain.append(screen.stripper.feed(data))
            return status, usage
        left = deadline - time.perf_counter()
        if left <= 0:
            return None, None
        if open_:
            data = _read(screen.master, min(left, 0.02))
            if data is None:
                open_ = False
            elif data:
                screen.plain.append(screen.stripper.feed(data))
        else:
            time.sleep(min(left, 0.01))
