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

    def anchor(self, value: int) -> str:
        """The words for the highest anchor at or below `value`."""
        points = [p for p in sorted(self.anchors) if p <= value]
        return self.anchors[points[-1]] if points else self.anchors[min(self.anchors)]


def scale(name: str) -> Scale:
    """A scale from content/ratings.toml: confidence, anxiety or energy."""
    data = say(f"ratings.{name}")
    anchors = {int(k): v for k, v in data["anchors"].items()}
    return Scale(name, data["low"], data["high"], data["step"], anchors)
