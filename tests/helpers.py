"""What the stories share: entering a field's text in one step, reading what a screen shows,
waiting for the screen or the file, and the data most stories start from.

Typing key by key through Pilot costs a pause per key; `enter` puts the whole text in at once, so
only the few whole journeys that are about typing pay for it."""

import fcntl
import os
import pty
import select
import sqlite3
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.app import App
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Input, Static

from efficacy_tui.store import attempts, ladder

# -- entering and reading ----------------------------------------------------------------------


async def enter(pilot, text: str, field: str | None = None) -> None:
    """Enter `text` as if typed: into the focused text field, or into the field `field` names
    (focused first, as a click would). Like a keystroke it goes in at the cursor and replaces a
    selection; the app sees one Input.Changed and the test waits for it once."""
    screen = pilot.app.screen
    if field is not None:
        widget = screen.query_one(f"#{field}", Input)
        widget.focus()
        await pilot.pause()
    else:
        widget = pilot.app.focused
    assert isinstance(widget, Input), f"text goes into a text field, not {widget!r}"
    if widget.selection.is_empty:
        widget.insert_text_at_cursor(text)
    else:
        widget.replace(text, *widget.selection)
    await pilot.pause()


class Typed(str):
    """Text among key names, for `press`: entered in one step where it falls."""


async def press(pilot, *steps: str) -> None:
    """Press key names in order, entering each `Typed` text in one step where it falls."""
    keys: list[str] = []
    for step in steps:
        if isinstance(step, Typed):
            await pilot.press(*keys)
            keys = []
            await enter(pilot, step)
        else:
            keys.append(step)
    await pilot.press(*keys)


async def type_keys(pilot, text: str) -> None:
    """Type `text` key by key, as a person would: for the journeys that are about typing."""
    await pilot.press(*text)


def shown(where, selector: str) -> str:
    """The text a Static shows, on the app's current screen or in a given screen or widget."""
    root = where.screen if isinstance(where, App) else where
    return str(root.query_one(selector, Static).render())


def notes(app) -> list[str]:
    """Every notification the app has shown, oldest first."""
    return [str(note.message) for note in app._notifications]


def at(text: str) -> str:
    """A local naive time ("2026-11-24 19:00") as the stamp the store writes."""
    return datetime.fromisoformat(text).astimezone().isoformat()


async def save_checkin(pilot, criterion: str = "Done it once") -> None:
    """Save the check-in with ctrl+s, and say yes when it asks before starting a domain or a
    rung (a rung with this success criterion and the difficulty offered)."""
    from efficacy_tui.ui.screens.base import ConfirmScreen
    from efficacy_tui.ui.screens.checkin_forms import NewRungForm

    await pilot.press("ctrl+s")
    await pilot.pause()
    if isinstance(pilot.app.screen, NewRungForm):
        await enter(pilot, criterion, "criterion")
        await pilot.press("ctrl+s")
        await pilot.pause()
    elif isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
        await pilot.pause()


# -- waiting for what the screen shows or the file holds --------------------------------------


async def settle(pilot, check: Callable[[], Any], seconds: float = 30.0,
                 what: str = "the condition") -> Any:
    """In a Pilot session: let the app run until `check` holds (a draft written after a pause in
    typing, a worker's result), then return what it gave."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        await pilot.pause(0.05)



async def palette_settled(pilot) -> CommandList:
    """The command palette's list once the search for what was typed has finished: no search
    at work and no keystroke still on its way to one."""
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    typed = palette.query_one(CommandInput)

    def settled() -> bool:
        searching = any(worker.group == palette._GATHER_COMMANDS_GROUP and not worker.is_finished
                        for worker in pilot.app.workers)
        return not searching and typed._message_queue.empty() and palette._message_queue.empty()

    await settle(pilot, settled, what="the palette's search")
    await pilot.pause()
    return palette.query_one(CommandList)

def in_terminal(args: list[str], *, env: dict[str, str] | None = None, preexec=None,
                timeout: float = 30.0) -> subprocess.CompletedProcess:
    """Run a command as a person runs it in a terminal: standard input and standard error on a
    pseudo-terminal (where the app reads keys and draws), standard output piped. What it wrote
    on the terminal comes back as `stderr`, with the terminal's line ends turned back into \n.
    A command that waits for keys runs into `timeout`. Standard output is read once the terminal
    closes, so it suits commands that print little there."""
    master, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        process = subprocess.Popen(args, stdin=follower, stdout=subprocess.PIPE, stderr=follower,
                                   env={**(env or os.environ), "TERM": "xterm-256color"},
                                   preexec_fn=preexec, start_new_session=True)
    finally:
        os.close(follower)
    shown = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                process.kill()
                process.wait()
                raise subprocess.TimeoutExpired(args, timeout)
            if not select.select([master], [], [], min(left, 0.5))[0]:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the command and everything it started have closed the terminal
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert process.stdout is not None
    out = process.stdout.read()
    process.stdout.close()
    process.wait()
    return subprocess.CompletedProcess(args, process.returncode, out.decode(),
                                       shown.decode(errors="replace").replace("\r\n", "\n"))


# -- crafted files ---------------------------------------------------------------------------


def json_paths(node: Any, at: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, parents before their children: where a property test
    changes a file someone could have crafted."""
    keys = list(node) if isinstance(node, dict) else range(len(node)) \
        if isinstance(node, list) else []
    found = []
    for key in keys:
        found.append((*at, key))
        found += json_paths(node[key], (*at, key))
    return found


def json_at(doc: Any, path: tuple) -> Any:
    """The value at `path` (as `json_paths` gives it) in `doc`."""
    for key in path:
        doc = doc[key]
    return doc


def hold_write_lock(db_path) -> sqlite3.Connection:
    """Another program in the middle of a write: it holds the file's write lock until it commits."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


# -- the data the stories start from -----------------------------------------------------------


def attempt(store, where, title: str, when: str, outcome: str | None = "success", did: str = "",
            **more):
    """One attempt on a rung, in a domain (no rung), or in no domain at all (`where` None)."""
    rung_id = where.id if hasattr(where, "domain_id") else None
    domain_id = where.domain_id if rung_id else (where.id if where is not None else None)
    return attempts.add_attempt(store, domain_id=domain_id, rung_id=rung_id, title=title,
                                happened_at=when, outcome=outcome, what_i_did=did, **more)


def success(store, where, title: str, when: str, did: str = "", **more):
    return attempt(store, where, title, when, "success", did, **more)


def setback(store, where, title: str, when: str, did: str = "", **more):
    return attempt(store, where, title, when, "setback", did, **more)


@dataclass
class SpeakingLadder:
    domain: Any
    easy: Any
    hard: Any
    current: Any = None
    june_talk: Any = None
    roadmap_question: Any = None


def speaking_ladder(store, name: str = "Public speaking", *, current: bool = False
                    ) -> SpeakingLadder:
    """The ladder most stories climb: "Ask a question" (30), "Five-minute update" (50) when
    `current`, "Meetup talk" (70); a success on the hardest rung in June and one on the easiest
    a week ago, each with what was done."""
    domain = ladder.add_domain(store, name)
    easy = ladder.add_rung(store, domain.id, "Ask a question", "", 30)
    middle = ladder.add_rung(store, domain.id, "Five-minute update", "", 50) if current else None
    hard = ladder.add_rung(store, domain.id, "Meetup talk", "", 70)
    built = SpeakingLadder(domain, easy, hard, middle)
    built.june_talk = success(store, hard, "Meetup talk in June", "2026-06-10T19:00:00+01:00",
                              "Rehearsed twice with a colleague")
    built.roadmap_question = success(store, easy, "Asked about the roadmap",
                                     "2026-11-20T10:00:00+00:00", "Wrote my question down first")
    return built

