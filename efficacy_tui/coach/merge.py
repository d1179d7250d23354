"""The rules that merge records changed on several computers: hybrid logical clock stamps, which
version of a record wins, when the loser is a conflict worth keeping, and which of two records
that mean the same thing keeps its place. Plain values in, plain values out; docs/SYNC.md says
the same in words.

A stamp is text that sorts as it compares: thirteen digits of wall time in milliseconds, four
of counter, then the device's uid as the tie-break, e.g. `1795426200000-0003-<uid>`.
"""

from dataclasses import dataclass
from typing import Any

WALL_DIGITS = 13
COUNT_DIGITS = 4
MAX_COUNT = 10**COUNT_DIGITS - 1


@dataclass(frozen=True, order=True)
class Stamp:
    """A hybrid logical clock reading: wall time (ms), a counter for events within one
    millisecond (or while the wall clock lags behind a stamp already seen), and the device."""

    wall: int
    count: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall:0{WALL_DIGITS}d}-{self.count:0{COUNT_DIGITS}d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        """The stamp written as `str(stamp)`; ValueError for anything else."""
        wall, count, device = text.split("-", 2)
        if len(wall) != WALL_DIGITS or len(count) != COUNT_DIGITS or not device:
            raise ValueError(f"not a stamp: {text[:60]!r}")
        if not (wall.isdigit() and count.isdigit()):
            raise ValueError(f"not a stamp: {text[:60]!r}")
        return cls(int(wall), int(count), device)


# No real clock reads this late (2255); a device that read a stamp near the thirteen-digit end
# (2286) would, after enough edits of its own, stamp past it, in a form no device can read.
LATEST_WALL = 9 * 10**12


def can_follow(seen: Stamp) -> bool:
    """Whether a stamp read from another device can be taken into this device's clock."""
    return seen.wall < LATEST_WALL


def tick(last: Stamp | None, wall_ms: int, device: str) -> Stamp:
    """The stamp of a change made here now: later than every stamp this device has made or
    seen, however far its wall clock is behind them."""
    if last is None or wall_ms > last.wall:
        return Stamp(wall_ms, 0, device)
    if last.count >= MAX_COUNT:
        return Stamp(last.wall + 1, 0, device)
    return Stamp(last.wall, last.count + 1, device)


def receive(last: Stamp | None, seen: Stamp, wall_ms: int, device: str) -> Stamp:
    """The clock after reading another device's stamp: the next change made here sorts after
    it, so an edit made after seeing another one always wins over it."""
    latest = seen if last is None or seen > last else last
    if wall_ms > latest.wall:
        return Stamp(wall_ms, 0, device)
    return Stamp(latest.wall, latest.count, device)


def is_conflict(loser: str, winner_base: str | None, same_data: bool) -> bool:
    """Whether a losing version is kept in the conflicts list: it holds something the winner
    lacks and the winner's author could not have seen it (the winner was made on top of an
    older version, or of none)."""
    if same_data:
        return False
    return winner_base is None or loser > winner_base


# What each table's records must be unique by, besides their uid, while they are live; names and
# titles in any ASCII case, as the app's lookups and unique indexes (COLLATE NOCASE) take them.
UNIQUE_BY: dict[str, tuple[str, ...]] = {
    "domains": ("name",),
    "checkins": ("day",),
    "rungs": ("domain_id", "position", "title"),
}
CASELESS = frozenset({"name", "title"})


def needed(table: str) -> tuple[str, ...]:
    """The columns a travelling record of `table` must carry to be merged: what it means, and
    when it was made (which of two that mean the same keeps its place)."""
    return (*UNIQUE_BY[table], "created_at") if table in UNIQUE_BY else ()


def must_be_unique(table: str, row: dict[str, Any]) -> bool:
    """Whether `row` is a live record of a table whose records must be unique by what they mean
    (UNIQUE_BY), so an incoming one that means the same as one here cannot simply be added."""
    return table in UNIQUE_BY and row.get("deleted_at") is None


def keeps_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Of two live records that mean the same, whether `a` keeps its place: the one created
    first (the smaller uid when both were created in the same second), on every device."""
    return (str(a["created_at"]), str(a["uid"])) <= (str(b["created_at"]), str(b["uid"]))


def merged_at(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The deletion time given to the record that gives up its place: the later of the two
    creation times, the same on every device."""
    return max(str(a["created_at"]), str(b["created_at"]))
