"""The breathing pacer, checked at chosen moments instead of against a clock."""

import pytest

from efficacy_tui.coach import pacer
from efficacy_tui.coach.pacer import PATTERNS, Phase, countdown, describe, state_at
from efficacy_tui.content import say

RESONANCE, SIGHING, BOX = PATTERNS["resonance"], PATTERNS["sighing"], PATTERNS["box"]
STEP = 0.05


def samples(pattern, duration):
    """The pacer every 50 ms of a session, as a screen's timer would see it."""
    count = int(duration / STEP)
    return [state_at(pattern, n * STEP, duration) for n in range(count + 1)]


def test_the_three_patterns_follow_the_design():
    assert pacer.DEFAULT_PATTERN == "resonance" and pacer.DURATIONS == (60, 120)
    assert [(p.kind, p.seconds) for p in RESONANCE.phases] == [("in", 4), ("out", 6)]
    assert [(p.kind, p.seconds) for p in SIGHING.phases] == [("in", 2), ("top-up", 1), ("out", 6)]
    assert [(p.kind, p.seconds) for p in BOX.phases] == [
        ("in", 4), ("hold", 4), ("out", 4), ("hold", 4)]
    assert (RESONANCE.cycle_seconds, SIGHING.cycle_seconds, BOX.cycle_seconds) == (10, 9, 16)
    names = say("readiness.pacer.patterns")
    for key, found in PATTERNS.items():
        assert found.key == key and found.name == names[key]["name"] and found.description


def test_resonance_is_six_breaths_a_minute():
    assert RESONANCE.per_minute == 6
    assert state_at(RESONANCE, 60, 60).cycle == 6
    assert state_at(RESONANCE, 120, 120).cycle == 12
    starts = [s.elapsed for s in samples(RESONANCE, 60)
              if s.phase.kind == "in" and s.phase_elapsed == 0 and not s.done]
    assert starts == pytest.approx([0, 10, 20, 30, 40, 50])


@pytest.mark.parametrize("pattern, boundaries", [
    (RESONANCE, [(0, "in", 0), (4, "out", 1), (10, "in", 0), (14, "out", 1)]),
    (SIGHING, [(0, "in", 0), (2, "top-up", 1), (3, "out", 2), (9, "in", 0), (11, "top-up", 1)]),
    (BOX, [(0, "in", 0), (4, "hold", 1), (8, "out", 2), (12, "hold", 3), (16, "in", 0)]),
], ids=["resonance", "sighing", "box"])
def test_a_phase_starts_exactly_at_its_boundary(pattern, boundaries):
    for at, kind, index in boundaries:
        state = state_at(pattern, at, 120)
        assert (state.phase.kind, state.phase_index, state.phase_elapsed) == (kind, index, 0), at
        assert state.phase_remaining == state.phase.seconds
        just_before = state_at(pattern, at - 0.001, 120) if at else None
        if just_before:
            assert just_before.phase_index != index or just_before.cycle != state.cycle


@pytest.mark.parametrize("pattern", [RESONANCE, SIGHING, BOX], ids=lambda p: p.key)
def test_fill_rises_breathing_in_falls_breathing_out_and_stays_while_holding(pattern):
    states = samples(pattern, 60)
    for before, after in zip(states, states[1:], strict=False):
        assert 0 <= after.fill <= 1
        if after.done or (after.phase_index, after.cycle) != (before.phase_index, before.cycle):
            continue
        kind = after.phase.kind
        if kind in ("in", "top-up"):
            assert after.fill > before.fill
        elif kind == "out":
            assert after.fill < before.fill
        else:
            assert after.fill == before.fill


def test_full_and_empty_at_the_turns():
    assert state_at(RESONANCE, 0, 60).fill == 0
    assert state_at(RESONANCE, 4, 60).fill == 1
    assert state_at(RESONANCE, 7, 60).fill == pytest.approx(0.5)
    # the top-up carries on from where the first breath in stopped, up to full
    first = state_at(SIGHING, 2, 60).fill
    assert 0 < first < 1
    assert state_at(SIGHING, 1.999, 60).fill == pytest.approx(first, abs=1e-3)
    assert state_at(SIGHING, 2.5, 60).fill == pytest.approx((first + 1) / 2)
    assert state_at(SIGHING, 3, 60).fill == 1
    assert state_at(BOX, 6, 60).fill == 1 and state_at(BOX, 14, 60).fill == 0


@pytest.mark.parametrize("pattern", [RESONANCE, SIGHING, BOX], ids=lambda p: p.key)
def test_cycles_count_whole_breaths(pattern):
    length = pattern.cycle_seconds
    assert state_at(pattern, 0, 120).cycle == 0
    assert state_at(pattern, length - 0.01, 120).cycle == 0
    assert state_at(pattern, length, 120).cycle == 1
    assert state_at(pattern, 2.5 * length, 120).cycle == 2
    cycles = [s.cycle for s in samples(pattern, 120)]
    assert cycles == sorted(cycles)
    assert cycles[-1] == int(120 // length)


@pytest.mark.parametrize("pattern", [RESONANCE, SIGHING, BOX], ids=lambda p: p.key)
@pytest.mark.parametrize("duration", [60, 120])
def test_done_at_the_duration(pattern, duration):
    running = state_at(pattern, duration - 0.01, duration)
    assert not running.done and running.remaining == pytest.approx(0.01)
    for at in (duration, duration + 30):
        state = state_at(pattern, at, duration)
        assert state.done and state.remaining == 0 and state.elapsed == duration
        assert countdown(state) == 0


def test_negative_elapsed_is_the_start():
    state = state_at(RESONANCE, -3, 60)
    assert state == state_at(RESONANCE, 0, 60)
    assert state.elapsed == 0 and state.remaining == 60 and not state.done


def test_countdown_rounds_up_within_the_phase():
    assert countdown(state_at(RESONANCE, 0, 60)) == 4
    assert countdown(state_at(RESONANCE, 0.2, 60)) == 4
    assert countdown(state_at(RESONANCE, 1, 60)) == 3
    assert countdown(state_at(RESONANCE, 3.9, 60)) == 1
    assert countdown(state_at(RESONANCE, 4, 60)) == 6
    assert countdown(state_at(SIGHING, 2.5, 60)) == 1


def test_describe_reads_without_animation():
    assert describe(state_at(RESONANCE, 8.3, 60)) == "Breathe out slowly · 2 s · 0:52 left"
    assert describe(state_at(RESONANCE, 1, 60)) == "Breathe in · 3 s · 0:59 left"
    assert describe(state_at(BOX, 5, 120)) == "Hold · 3 s · 1:55 left"
    assert describe(state_at(SIGHING, 2, 60)).startswith("Top up")
    assert describe(state_at(RESONANCE, 61, 60)) == "Done · 1:00 of paced breathing"
    assert "calm" not in str(say("readiness.pacer")).lower()


def test_whole_breaths_and_lookup():
    assert pacer.whole_breaths(RESONANCE, 60) == 60
    assert pacer.whole_breaths(SIGHING, 60) == 63
    assert pacer.whole_breaths(BOX, 60) == 64
    assert pacer.pattern(None) is RESONANCE and pacer.pattern("nonsense") is RESONANCE
    assert pacer.pattern("box") is BOX


def test_a_phase_must_be_a_known_kind_and_last():
    with pytest.raises(ValueError):
        Phase("sigh", 2)
    with pytest.raises(ValueError):
        Phase("in", 0)
