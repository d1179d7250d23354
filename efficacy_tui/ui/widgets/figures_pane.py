"""The base of the review screen's figure tabs (trends, calibration).

A long history takes tens of milliseconds to aggregate and the screen must not wait for it, so
the figures are read in a worker thread on a second, read-only connection, and only the latest
read is painted, however the workers finish.
"""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual import work
from textual.containers import VerticalScroll
from textual.message import Message

from efficacy_tui.store.core import Store, reader

# What a pane reads: given the reading connection and the read's number, the message that
# carries the figures to the pane.
Reading = Callable[[Store, int], Message]


@runtime_checkable
class StoreHost(Protocol):
    """The app a pane runs in: ours, or any host that holds an open store."""

    store: Store


class FiguresPane(VerticalScroll):
    """Subclasses say what to read in `_reading()` and paint the message it gives when its
    `request` is still `_request`; a read the file refuses arrives as `FiguresPane.Failed`."""

    @dataclass
    class Failed(Message):
        error: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._request = 0

    @property
    def store(self) -> Store:
        host = self.app
        assert isinstance(host, StoreHost)
        return host.store

    def refresh_data(self) -> None:
        """Read the figures again (after new attempts or check-ins), in the background."""
        self._request += 1
        self._load(self._reading(), self._request)

    def _reading(self) -> Reading:
        """What to read, as the pane's choices stand now."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, read: Reading, request: int) -> None:
        try:
            with reader(self.store) as store:
                loaded = read(store, request)
        except sqlite3.Error as err:
            self.post_message(self.Failed(str(err)))
            return
        self.post_message(loaded)
