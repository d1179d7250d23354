"""Rating scales and the anchor words shown beside a value (Bandura 2006 for confidence)."""

from dataclasses import dataclass

from efficacy_tui.content import say


@dataclass(frozen=True)
class Scale:
    name: str
    low: int
    high: int
    step: int
    anchors: dict[int, str]

    def clamp(self, value: int) -> int:
        """The nearest value on the scale's steps within its range."""
        value = min(self.high, max(self.low, value))
        return self.low + round((value - self.low) / self.step) * self.step

    def within(self, value: int) -> int:
        """The value kept as it is, only brought inside the range: a stored value between two
        steps (a split rung's difficulty) is shown and saved as it was."""
        return min(self.high, max(self.low, value))

    def step_from(self, value: int, direction: int) -> int:
        """One step up or down; from a value between steps, the neighbouring step that way."""
        offset = value - self.low
        if offset % self.step:
            below = self.low + (offset // self.step) * self.step
            return self.within(below + (self.step if direction > 0 else 0))
        return self.clamp(value + direction * self.step)

    @property
    def in_tenths(self) -> bool:
        """Whether a digit is read as tenths of the range (0-100 scales) rather than as itself."""
        return self.high - self.low > 10

    def from_digit(self, digit: int) -> int | None:
        """The value a typed digit sets: on a 0-100 scale 7 is 70 (the top, 100, is End's); on
        a small scale the digit itself, or None when the scale has no such value."""
        if self.in_tenths:
            return self.clamp(self.low + digit * (self.high - self.low) // 10)
        return digit if self.low <= digit <= self.high else None

    def anchor(self, value: int) -> str:
        """The words for the highest anchor at or below `value`."""
        points = [p for p in sorted(self.anchors) if p <= value]
        return self.anchors[points[-1]] if points else self.anchors[min(self.anchors)]


def scale(name: str) -> Scale:
    """A scale from content/ratings.toml: confidence, anxiety or energy."""
    data = say(f"ratings.{name}")
    anchors = {int(k): v for k, v in data["anchors"].items()}
    return Scale(name, data["low"], data["high"], data["step"], anchors)
