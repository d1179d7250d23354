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

    def anchor(self, value: int) -> str:
        """The words for the highest anchor at or below `value`."""
        points = [p for p in sorted(self.anchors) if p <= value]
        return self.anchors[points[-1]] if points else self.anchors[min(self.anchors)]


def scale(name: str) -> Scale:
    """A scale from content/ratings.toml: confidence, anxiety or energy."""
    data = say(f"ratings.{name}")
    anchors = {int(k): v for k, v in data["anchors"].items()}
    return Scale(name, data["low"], data["high"], data["step"], anchors)
