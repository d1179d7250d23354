"""Text sparklines that stay readable without colour and show missing days as gaps."""

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
MISSING = "·"


def spark(values: Sequence[int | float | None], low: float, high: float) -> str:
    """One character per value, its height proportional to where it lies in [low, high]."""
    span = (high - low) or 1
    chars = []
    for value in values:
        if value is None:
            chars.append(MISSING)
            continue
        level = round((min(high, max(low, value)) - low) / span * (len(BLOCKS) - 1))
        chars.append(BLOCKS[level])
    return "".join(chars)


def progress_bar(done: int, total: int, cells: int = 20) -> str:
    """A text bar for done of total (rungs mastered of the ladder), readable without colour."""
    filled = round(cells * done / total) if total else 0
    return "█" * filled + "░" * (cells - filled)
