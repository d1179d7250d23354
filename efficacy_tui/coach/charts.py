"""Plain-text charts (lists of strings) for the review screen's trends and calibration tabs.

Every chart reads without colour: series are told apart by their symbols, axes carry words and
numbers, and a missing period is drawn as "·" rather than joined over. Each function takes the
width it may use and never returns a longer line, so the same chart fits 80 columns and spreads
out at 120. Words (series names, month and day names, legends) come from the caller, who reads
them from the content files; this module only lays them out.
"""

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from efficacy_tui.coach.calibration import Bin
from efficacy_tui.coach.ladder import percent

GAP = "·"
BOTH = "◉"
EIGHTHS = " ▁▂▃▄▅▆▇█"
PERCENT_TICKS: tuple[tuple[float, str], ...] = ((0.0, "0%"), (0.5, "50%"), (1.0, "100%"))
MIN_STEP = 2  # columns per period in a line chart: the mark and a space
MAX_STEP = 5

# Heatmap cells: nothing, a check-in, a win, both; " " is a day still to come.
NOTHING, CHECKIN, WIN, CHECKIN_AND_WIN = "·", "░", "▒", "█"
POINT, DIAGONAL = "●", "·"

T = TypeVar("T")


@dataclass(frozen=True)
class Series:
    """One line of a chart: values as fractions 0..1 of the axis (None where there is no data)."""

    name: str
    mark: str
    values: Sequence[float | None]


def from_first(items: Sequence[T], has_data: Callable[[T], bool], keep: int) -> list[T]:
    """The periods from the first with data on, but never fewer than the last `keep`: a short
    history fills the chart instead of leaving most of its width to empty periods."""
    first = next((i for i, item in enumerate(items) if has_data(item)), len(items))
    return list(items[min(first, max(0, len(items) - keep)):])


def fit(lines: Sequence[str], width: int) -> list[str]:
    """Lines cut to `width` and stripped of trailing spaces: a chart never overflows its box."""
    return [line[: max(width, 0)].rstrip() for line in lines]


def legend(items: Sequence[tuple[str, str]], width: int, sep: str = "   ") -> list[str]:
    """`mark label` pairs laid out across as few lines as fit in `width`."""
    lines: list[str] = []
    current = ""
    for mark, label in items:
        item = f"{mark} {label}" if mark else label
        candidate = f"{current}{sep}{item}" if current else item
        if current and len(candidate) > width:
            lines.append(current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return fit(lines, width)


def _row(fraction: float, height: int) -> int:
    """The row (0 is the top) a 0..1 value falls on."""
    clamped = min(1.0, max(0.0, fraction))
    return height - 1 - math.floor(clamped * (height - 1) + 0.5)


def _axis_labels(ticks: Sequence[tuple[float, str]], height: int) -> dict[int, str]:
    return {_row(f, height): label for f, label in ticks}


def _slots(count: int, room: int, min_step: int, max_step: int) -> tuple[int, int]:
    """(columns per period, how many of the latest periods fit) for `count` periods."""
    if count <= 0 or room <= 0:
        return max(min_step, 1), 0
    step = max(min_step, min(max_step, room // count))
    return step, min(count, room // step)


def _x_labels(labels: Sequence[str], centres: Sequence[int], width: int) -> tuple[set[int], str]:
    """Which periods get a label, and the label line: every k-th period counting back from the
    latest, k chosen so labels never touch; one too close to the right edge is shifted left."""
    line = [" "] * width
    chosen: set[int] = set()
    if not labels:
        return chosen, ""
    step = centres[1] - centres[0] if len(centres) > 1 else 1
    every = max(1, math.ceil((max(len(label) for label in labels) + 1) / max(step, 1)))
    limit = width
    for index in range(len(labels) - 1, -1, -every):
        label = labels[index]
        start = min(centres[index], width - len(label))
        if not label or start < 0 or start + len(label) > limit:
            continue
        line[start : start + len(label)] = label
        chosen.add(index)
        limit = start - 1
    return chosen, "".join(line)


def _frame(
    grid: list[list[str]],
    left: dict[int, str],
    right: dict[int, str],
    left_w: int,
    centres: Sequence[int],
    labels: Sequence[str],
    width: int,
) -> list[str]:
    """The plot's rows with axis labels either side, then the x axis and its labels."""
    lines = []
    for r, cells in enumerate(grid):
        head = left.get(r, "").rjust(left_w - 1) + (" ┤" if r in left else " │")
        tail = ""
        if right:
            tail = ("├ " + right[r]) if r in right else "│"
        lines.append(head + "".join(cells) + tail)
    plot_w = len(grid[0]) if grid else 0
    origin = left_w + 1  # column of the first plot cell
    chosen, label_line = _x_labels(labels, [origin + c for c in centres], width)
    axis = ["─"] * plot_w
    for index in chosen:
        axis[centres[index]] = "┬"
    lines.append(" " * left_w + "└" + "".join(axis) + ("┘" if right else ""))
    lines.append(label_line)
    return lines


def line_chart(
    series: Sequence[Series],
    x_labels: Sequence[str],
    width: int,
    height: int = 9,
    left: Sequence[tuple[float, str]] = PERCENT_TICKS,
    right: Sequence[tuple[float, str]] | None = None,
    gap_label: str = "no data",
    both_label: str = "both",
) -> list[str]:
    """A dot chart of one or more 0..1 series over periods (weeks), the latest on the right.

    Each series has its own mark; where two land on the same cell the cell shows ◉ ("both").
    A period where no series has a value shows "·" on the baseline. When the width cannot hold
    every period at two columns each, the most recent ones are kept. The last lines are the
    legend. Every series has one value per label: a shorter or longer one would put values
    under another period's label, so it is refused."""
    if any(len(s.values) != len(x_labels) for s in series):
        raise ValueError("each series needs one value per period label")
    left_w = max((len(label) for _, label in left), default=0) + 1
    right_w = (max(len(label) for _, label in right) + 2) if right else 0
    room = width - left_w - 1 - right_w
    count = len(x_labels)
    step, shown = _slots(count, room - 1, MIN_STEP, MAX_STEP)
    first = count - shown
    plot_w = max(room, 0) if shown == 0 else shown * step + 1  # a blank column either side
    grid = [[" "] * plot_w for _ in range(height)]
    centres = [i * step + step // 2 for i in range(shown)]
    used_both = used_gap = False
    for slot in range(shown):
        col = centres[slot]
        present = False
        for s in series:
            value = s.values[first + slot]
            if value is None:
                continue
            present = True
            r = _row(value, height)
            cell = grid[r][col]
            if cell not in (" ", s.mark):
                grid[r][col] = BOTH
                used_both = True
            else:
                grid[r][col] = s.mark
        if not present:
            grid[height - 1][col] = GAP
            used_gap = True
    lines = _frame(
        grid, _axis_labels(left, height), _axis_labels(right, height) if right else {},
        left_w, centres, list(x_labels[first:]), width,
    )
    items = [(s.mark, s.name) for s in series]
    if used_both:
        items.append((BOTH, both_label))
    if used_gap:
        items.append((GAP, gap_label))
    return fit(lines, width) + legend(items, width)


def nice_top(value: float) -> int:
    """A round axis top at or above `value`: 1, 2, 4, 5, 10, 20, 40, 50, 100, ..."""
    scale = 1
    while True:
        for factor in (1, 2, 4, 5):
            if factor * scale >= value:
                return factor * scale
        scale *= 10


def bar_chart(
    values: Sequence[float | None],
    x_labels: Sequence[str],
    width: int,
    height: int = 4,
    top: float | None = None,
    show_values: bool = True,
    gap_label: str = "no data",
) -> list[str]:
    """Vertical bars of counts over periods (months), on a y axis from 0 (the axis line) to a
    round top. Bars are drawn in eighth blocks; the exact value is printed under each bar when
    it fits, so no one has to judge heights; a missing period shows "·"."""
    peak = max((v for v in values if v is not None), default=0)
    top = top or nice_top(max(peak, 1))
    ticks = {0: _number(top)}
    if height % 2 == 0 and float(top / 2).is_integer():
        ticks[height // 2] = _number(top / 2)
    left_w = max(len(label) for label in [*ticks.values(), "0"]) + 1
    room = width - left_w - 1
    count = len(x_labels)
    step, shown = _slots(count, room, 2, 8)
    first = count - shown
    bar_w = max(1, min(3, step - 1))
    grid = [[" "] * (shown * step) for _ in range(height)]
    centres = [i * step + (step - bar_w) // 2 for i in range(shown)]
    value_line = [" "] * width
    used_gap = False
    for slot in range(shown):
        value = values[first + slot]
        col = centres[slot]
        if value is None:
            grid[height - 1][col] = GAP
            used_gap = True
            continue
        eighths = max(round(min(value, top) / top * height * 8), 1 if value > 0 else 0)
        for r in range(height):
            level = min(8, max(0, eighths - 8 * r))
            for c in range(bar_w):
                grid[height - 1 - r][col + c] = EIGHTHS[level]
        text = _number(value)
        if show_values and len(text) < step:
            start = left_w + 1 + col
            value_line[start : start + len(text)] = text
    lines = [
        (ticks[r].rjust(left_w - 1) + " ┤" if r in ticks else " " * left_w + "│")
        + "".join(cells)
        for r, cells in enumerate(grid)
    ]
    chosen, label_line = _x_labels(list(x_labels[first:]), [left_w + 1 + c for c in centres],
                                   width)
    axis = ["─"] * (shown * step)
    for index in chosen:
        axis[centres[index]] = "┬"
    lines.append("0".rjust(left_w - 1) + " └" + "".join(axis))
    if show_values:
        lines.append("".join(value_line))
    lines.append(label_line)
    result = fit(lines, width)
    if used_gap:
        result += legend([(GAP, gap_label)], width)
    return result


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def heatmap(
    end: date,
    checkins: Collection[date],
    wins: Mapping[date, int],
    width: int,
    day_names: Sequence[str],
    month_names: Sequence[str],
    weeks: int = 53,
) -> list[str]:
    """A calendar of the last `weeks` weeks: 7 rows Monday to Sunday, one column per week, the
    month named above the week it starts in. A cell says what the day held: · nothing,
    ░ a check-in, ▒ a win, █ both; days after `end` are blank. A week takes two columns (the
    cell and a space, so weeks stand apart) when the
    width allows, else one; the most recent weeks are kept when even one does not fit all."""
    label_w = max(len(name) for name in day_names) + 1
    room = width - label_w
    cell_w = 2 if room >= 2 * weeks else 1
    shown = max(0, min(weeks, room // cell_w))
    last_monday = end - timedelta(days=end.weekday())
    mondays = [last_monday - timedelta(weeks=back) for back in range(shown - 1, -1, -1)]
    marks: list[tuple[int, str]] = []
    for index, monday in enumerate(mondays):
        sunday = monday + timedelta(days=6)
        if monday.day == 1 or sunday.month != monday.month:
            marks.append((index, month_names[sunday.month - 1]))
        elif index == 0:
            marks.append((index, month_names[monday.month - 1]))
    months = [" "] * (label_w + shown * cell_w)
    free_from = 0
    for n, (index, name) in enumerate(marks):
        at = label_w + index * cell_w
        following = label_w + marks[n + 1][0] * cell_w if n + 1 < len(marks) else len(months) + 1
        if at < free_from or at + len(name) > len(months) or at + len(name) >= following:
            continue
        months[at : at + len(name)] = name
        free_from = at + len(name) + 1
    lines = ["".join(months)]
    for weekday in range(7):
        row = [day_names[weekday].ljust(label_w)]
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            if day > end:
                cell = " "
            else:
                checked, won = day in checkins, wins.get(day, 0) > 0
                cell = (CHECKIN_AND_WIN if checked and won else CHECKIN if checked
                        else WIN if won else NOTHING)
            row.append(cell.ljust(cell_w))
        lines.append("".join(row))
    return fit(lines, width)


def calibration_plot(
    bins: Sequence[Bin],
    width: int,
    height: int = 11,
    x_title: str = "predicted →",
    y_title: str = "observed ↑",
) -> list[str]:
    """Predicted (x) against observed (y), both 0-100%: the diagonal of perfect calibration in
    dots, each non-empty bin as ● at (mean prediction, observed rate) with its count beside it.
    A point above the diagonal did better than predicted (under-confidence), below it worse."""
    left_w = len("100%") + 1
    plot_w = max(11, min(width - left_w - 1 - 4, 61))
    plot_w -= (plot_w - 1) % 10  # so 0, 50 and 100 fall on whole columns
    grid = [[" "] * plot_w for _ in range(height)]

    def col(fraction: float) -> int:
        return math.floor(min(1.0, max(0.0, fraction)) * (plot_w - 1) + 0.5)

    for c in range(plot_w):
        grid[_row(c / (plot_w - 1), height)][c] = DIAGONAL
    points = [(b, _row(b.observed_rate, height), col(b.mean_prediction))
              for b in bins if b.count and b.mean_prediction is not None
              and b.observed_rate is not None]
    for _, r, c in points:
        grid[r][c] = POINT
    for b, r, c in points:
        label = str(b.count)
        cells = grid[r]
        after = cells[c + 1 : c + 1 + len(label)]
        before = cells[max(0, c - len(label)) : c]
        if len(after) == len(label) and POINT not in after:
            cells[c + 1 : c + 1 + len(label)] = label
        elif c - len(label) >= 0 and POINT not in before:
            cells[c - len(label) : c] = label
    ticks = {_row(f, height): label for f, label in PERCENT_TICKS}
    lines = [" " * (left_w + 1) + y_title]
    for r, cells in enumerate(grid):
        head = ticks.get(r, "").rjust(left_w - 1) + (" ┤" if r in ticks else " │")
        lines.append(head + "".join(cells))
    axis = ["─"] * plot_w
    labels = [" "] * (left_w + 1 + plot_w + 4)
    for fraction, text in PERCENT_TICKS:
        c = col(fraction)
        axis[c] = "┬"
        start = left_w + 1 + c - (len(text) - 1 if fraction == 1.0 else 0)
        labels[start : start + len(text)] = text
    lines.append(" " * left_w + "└" + "".join(axis))
    lines.append("".join(labels))
    lines.append(x_title.rjust(left_w + 1 + plot_w))
    return fit(lines, width)


def bin_range(b: Bin) -> str:
    """A bin's confidences as people read them: 0–19, ..., 80–100."""
    return f"{b.low}–{b.high if b.high == 100 else b.high - 1}"


def calibration_table(bins: Sequence[Bin], headers: Sequence[str], empty: str = "—") -> list[str]:
    """One row per bin: confidence range, rated attempts, mean prediction, observed rate."""
    rows = [list(headers)]
    for b in bins:
        rows.append([
            bin_range(b),
            str(b.count),
            f"{percent(b.mean_prediction)}%" if b.mean_prediction is not None else empty,
            f"{percent(b.observed_rate)}%" if b.observed_rate is not None else empty,
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(headers))]
    return [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def side_by_side(
    left: Sequence[str], right: Sequence[str], width: int, gap: int = 4
) -> list[str] | None:
    """Two blocks next to each other, or None when they do not fit in `width` together."""
    left_w = max((len(line) for line in left), default=0)
    right_w = max((len(line) for line in right), default=0)
    if left_w + gap + right_w > width:
        return None
    rows = max(len(left), len(right))
    padded_left = list(left) + [""] * (rows - len(left))
    padded_right = list(right) + [""] * (rows - len(right))
    joined = [a.ljust(left_w + gap) + b for a, b in zip(padded_left, padded_right, strict=True)]
    return fit(joined, width)
