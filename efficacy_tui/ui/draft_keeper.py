"""A screen's draft, kept in the file while the user works without ever holding up typing.

Writing on every key would cost a write per key and, while another program holds the file's
write lock, freeze typing for the whole busy timeout or end the app. So what the screen holds is
written at most every WRITE_EVERY seconds, at once when the screen is left, and a write that finds
the file locked is kept here and tried again on the next tick, with the user told once.
"""

from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from efficacy_tui.content import say
from efficacy_tui.store import drafts
from efficacy_tui.store.drafts import DraftKey

if TYPE_CHECKING:
    from efficacy_tui.ui.app import EfficacyApp

WRITE_EVERY = 0.5  # seconds

# Keepers whose screen has gone while their draft still waits for the file, by store and draft:
# a screen opened again on the same draft takes the words from here, not the older file copy.
_WAITING: dict[tuple[int, DraftKey], "DraftKeeper"] = {}


class DraftKeeper:
    """The draft of one screen: `load()` it when the screen opens, pass what the screen holds to
    `change()` on every change (None when nothing is worth keeping), `close()` when the screen is
    left, and `stop()` once the saved entry has removed the draft."""

    def __init__(self, app: "EfficacyApp", draft: DraftKey) -> None:
        self.app = app
        self.draft = draft
        self.written: dict[str, Any] | None = None  # what the file holds
        self.wanted: dict[str, Any] | None = None  # what it should hold
        self.wanted_at = ""  # when `wanted` last changed
        self._timer: Timer | None = None
        self._told = False  # said that the draft could not be saved yet
        self._stopped = False

    @property
    def _slot(self) -> tuple[int, DraftKey]:
        return id(self.app.store), self.draft

    @property
    def holds(self) -> bool:
        """Whether there is a draft, in the file or on its way there."""
        return self.wanted is not None

    def load(self) -> tuple[dict[str, Any], str] | None:
        """The draft to put back and when it was last changed, or None: the words of an earlier
        screen on the same draft still waiting for the file, else the file's."""
        waiting = _WAITING.pop(self._slot, None)
        if waiting is not None:
            waiting.stop()
            self.written, self.wanted, self.wanted_at = (
                waiting.written, waiting.wanted, waiting.wanted_at)
            self._schedule()
            return (self.wanted, self.wanted_at) if self.wanted is not None else None
        found = drafts.load_draft(self.app.store, self.draft.kind, self.draft.key)
        if found is not None:
            self.written = self.wanted = found[0]
            self.wanted_at = found[1]
        return found

    def change(self, data: dict[str, Any] | None) -> None:
        """The screen now holds `data`; it is written on the next tick."""
        if self._stopped or data == self.wanted:
            return
        self.wanted = data
        self.wanted_at = self.app.store.stamp()
        self._schedule()

    def close(self) -> None:
        """The screen is being left: write now; if the file is locked, keep trying after it."""
        if not self._stopped and not self.flush():
            _WAITING[self._slot] = self

    def stop(self) -> None:
        """No more writes: what the draft held has been saved, and the draft removed with it."""
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if _WAITING.get(self._slot) is self:
            del _WAITING[self._slot]

    def flush(self) -> bool:
        """Write what the file does not hold yet; False while another program holds the file."""
        if self._stopped or self.wanted == self.written:
            return True
        data = self.wanted
        if not drafts.keep_draft(self.app.store, self.draft, data):
            if not self._told:
                self._told = True
                self.app.notify(say("common.draft_waiting"), severity="warning")
            self._schedule()
            return False
        self.written = data
        self._told = False
        if _WAITING.get(self._slot) is self:
            del _WAITING[self._slot]
        return True

    def _schedule(self) -> None:
        if self._timer is None and not self._stopped and self.wanted != self.written:
            self._timer = self.app.set_timer(WRITE_EVERY, self._tick)

    def _tick(self) -> None:
        self._timer = None
        self.flush()
        self._schedule()
