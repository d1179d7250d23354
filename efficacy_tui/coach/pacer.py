"""The breathing pacer as a pure function of elapsed time, so a screen can animate it from its
own timer and a test can check any moment without waiting.

Breathing at six breaths a minute is the default, near the resonance pace that differs per person
(about 4.5-7 a minute; Lehrer & Gevirtz 2014); cyclic sighing (Balban et al. 2023, who studied
five minutes a day for a month) and box breathing are offered too. Every pattern is skippable and
runs one or two minutes; the words the pacer shows live in content/readiness.toml.
"""

import math
from dataclasses import dataclass, field

from efficacy_tui.content import say

KINDS = ("in", "top-up", "out", "hold")
DEFAULT_PATTERN = "resonance"
DURATIONS = (60, 120)
# How full the lungs are after the first breath in of a sigh, before the top-up fills them.
SIGH_FIRST_BREATH = 0.75
_EPSILON = 1e-9

_PHASES: dict[str, tuple[tuple[str, float], ...]] = {
    "resonance": (("in", 4), ("out", 6)),
    "sighing": (("in", 2), ("top-up", 1), ("out", 6)),
    "box": (("in", 4), ("hold", 4), ("out", 4), ("hold", 4)),
}


@dataclass(frozen=True)
class Phase:
    kind: str
    seconds: float

    def __post_init__(self) -> None:
        if self.kind not in KINDS or not self.seconds > 0:
            raise ValueError(f"a phase is one of {', '.join(KINDS)} lasting over 0 s, "
                             f"not {self.kind!r} for {self.seconds}")


@dataclass(frozen=True)
class Pattern:
    key: str
    name: str
    phases: tuple[Phase, ...]
    label: str = ""
    description: str = ""
    source: str = ""
    levels: tuple[tuple[float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.phases:
            raise ValueError("a breathing pattern needs at least one phase")
        object.__setattr__(self, "levels", _levels(self.phases))

    @property
    def cycle_seconds(self) -> float:
        return sum(phase.seconds for phase in self.phases)

    @property
    def per_minute(self) -> float:
        """Breaths a minute at this pattern's pace."""
        return 60 / self.cycle_seconds


def _levels(phases: tuple[Phase, ...]) -> tuple[tuple[float, float], ...]:
    """Lung fullness at the start and end of each phase: breathing in fills, out empties, a hold
    keeps the level; a breath in followed by a top-up stops short so the top-up can finish it."""
    level, levels = 0.0, []
    for index, phase in enumerate(phases):
        following = phases[index + 1].kind if index + 1 < len(phases) else None
        if phase.kind == "in":
            end = SIGH_FIRST_BREATH if following == "top-up" else 1.0
        elif phase.kind == "top-up":
            end = 1.0
        elif phase.kind == "out":
            end = 0.0
        else:
            end = level
        levels.append((level, end))
        level = end
    return tuple(levels)


def _patterns() -> dict[str, Pattern]:
    words = say("readiness.pacer.patterns")
    return {
        key: Pattern(
            key=key,
            name=words[key]["name"],
            phases=tuple(Phase(kind, float(seconds)) for kind, seconds in phases),
            label=words[key].get("label", ""),
            description=words[key].get("description", ""),
            source=words[key].get("source", ""),
        )
        for key, phases in _PHASES.items()
    }


PATTERNS: dict[str, Pattern] = _patterns()


def pattern(key: str | None) -> Pattern:
    """The pattern with this key, or the default one for an unknown or missing key."""
    return PATTERNS.get(key or DEFAULT_PATTERN, PATTERNS[DEFAULT_PATTERN])


@dataclass(frozen=True)
class PacerState:
    phase: Phase
    phase_index: int
    phase_elapsed: float
    phase_remaining: float
    fill: float  # 0 empty .. 1 full lungs, for a bar
    cycle: int  # the current breath, counted from 0: also the number of full breaths so far
    elapsed: float
    remaining: float
    done: bool


def state_at(pattern: Pattern, elapsed: float, duration: float) -> PacerState:
    """Where the pacer is `elapsed` seconds into a session of `duration` seconds. The session
    stops at `duration`, mid-breath if need be; negative elapsed time counts as the start."""
    duration = max(0.0, float(duration))
    moment = max(0.0, float(elapsed))
    done = moment >= duration
    if done:
        moment = duration
    length = pattern.cycle_seconds
    cycle = int(moment // length)
    position = moment - cycle * length
    if position >= length - _EPSILON:
        cycle, position = cycle + 1, 0.0
    start, last = 0.0, len(pattern.phases) - 1
    for index, phase in enumerate(pattern.phases):
        end = start + phase.seconds
        if position < end - _EPSILON or index == last:
            break
        start = end
    into = min(phase.seconds, max(0.0, position - start))
    low, high = pattern.levels[index]
    return PacerState(
        phase=phase,
        phase_index=index,
        phase_elapsed=into,
        phase_remaining=phase.seconds - into,
        fill=low + (high - low) * into / phase.seconds,
        cycle=cycle,
        elapsed=moment,
        remaining=duration - moment,
        done=done,
    )


def whole_breaths(pattern: Pattern, duration: float) -> float:
    """`duration` rounded to a whole number of breaths (at least one), so a session can end on
    a full breath out rather than mid-breath."""
    return max(1, round(duration / pattern.cycle_seconds)) * pattern.cycle_seconds


def _whole(seconds: float) -> int:
    """Seconds rounded up, ignoring float noise just above a whole number."""
    return max(0, math.ceil(seconds - _EPSILON))


def countdown(state: PacerState) -> int:
    """Whole seconds left in the phase, rounded up ("Breathe in… 3"); 0 once done."""
    return 0 if state.done else max(1, _whole(state.phase_remaining))


def clock(seconds: float) -> str:
    """Seconds as m:ss, rounded up so the last second still shows 0:01."""
    minutes, rest = divmod(_whole(seconds), 60)
    return say("readiness.pacer.clock", minutes=minutes, seconds=rest)


def phase_words(kind: str, short: bool = False) -> str:
    """What to do in a phase, e.g. "Breathe in", or with `short` "in"."""
    return say("readiness.pacer.short" if short else "readiness.pacer.phases")[kind]


def describe(state: PacerState) -> str:
    """One line that works without animation, e.g. "Breathe in · 3 s · 0:52 left"."""
    words = say("readiness.pacer")
    if state.done:
        return words["done"].format(total=clock(state.elapsed))
    return words["line"].format(phase=phase_words(state.phase.kind), count=countdown(state),
                                left=clock(state.remaining))
