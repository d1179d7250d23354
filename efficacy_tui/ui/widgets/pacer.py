"""The breathing pacer: an inhale/exhale bar with a countdown, or the same pacing as text.

The timing is the coach's (`coach/pacer.py`); this widget only asks it, ten times a second, where
in the pattern the breath is. With `TEXTUAL_ANIMATIONS=none` the bar is left out and the line of
text carries the pacing, updated once a second.
"""

from time import monotonic

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from efficacy_tui.coach.pacer import PacerState, Pattern, describe, state_at

BAR_WIDTH = 40
FPS = 10


class Pacer(Widget):
    """Idle until `start()`; posts `Finished` with the seconds breathed when the time is up.
    `stop()` leaves the last state drawn; `rest()` replaces it with a line of text."""

    DEFAULT_CSS = """
    Pacer {
        height: 3;
        margin: 1 0 0 0;
    }
    """

    class Finished(Message):
        def __init__(self, seconds: int) -> None:
            super().__init__()
            self.seconds = seconds

    def __init__(self, idle: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.idle = idle
        self.pattern: Pattern | None = None
        self.duration = 0.0
        self.started = 0.0
        self.state: PacerState | None = None
        self._timer: Timer | None = None

    @property
    def animated(self) -> bool:
        return self.app.animation_level != "none"

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self, pattern: Pattern, duration: float) -> None:
        self.stop()
        self.pattern, self.duration, self.started = pattern, duration, monotonic()
        self.state = state_at(pattern, 0.0, duration)
        self._timer = self.set_interval(1 / FPS if self.animated else 1.0, self._tick)
        self.refresh()

    def stop(self) -> int:
        """Stop where it is; the whole seconds breathed so far."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        return self.seconds_done

    def rest(self, text: str) -> int:
        """Stop and show `text` in place of the bar, so a stopped pacer never looks as if it
        were still running; the whole seconds breathed."""
        seconds = self.stop()
        self.state, self.idle = None, text
        self.refresh()
        return seconds

    @property
    def seconds_done(self) -> int:
        if self.state is None:
            return 0
        return int(min(self.state.elapsed, self.duration))

    def _tick(self) -> None:
        assert self.pattern is not None
        self.state = state_at(self.pattern, monotonic() - self.started, self.duration)
        self.refresh()
        if self.state.done:
            self.stop()
            self.post_message(self.Finished(int(self.duration)))

    def render(self) -> Content:
        state = self.state
        if state is None:
            return Content(self.idle)
        line = describe(state)
        if not self.animated or state.done:
            return Content(line)
        width = min(BAR_WIDTH, max(10, self.size.width - 2))
        filled = round(state.fill * width)
        return Content.assemble(
            (line, "bold"), "\n",
            ("█" * filled, "$accent"), ("░" * (width - filled), "dim"),
        )
