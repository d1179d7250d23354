"""Property-based tests: the coach's pure rules hold for any input hypothesis can think of, the
time phrases fail only with their own one-sentence error, and an export imported into an empty
database exports again identically, whatever unicode the user typed.

Settings are modest (50-100 examples, no deadline) so the file runs in well under a minute on a
busy two-core machine."""

import math
import re
import tempfile
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from efficacy_tui.coach import attribution, calibration, pacer, validate
from efficacy_tui.coach import ladder as rules
from efficacy_tui.when import WhenError, parse_range, parse_when

from conftest import Clock

OUTCOMES = ("success", "partial", "setback")
SCORE = {"success": Fraction(1), "partial": Fraction(1, 2), "setback": Fraction(0)}
FAST = settings(max_examples=100, deadline=None)
SLOW = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

outcome = st.sampled_from(OUTCOMES)
outcomes = st.lists(st.one_of(outcome, st.none()), max_size=30)


# -- the ladder rule (docs/SCIENCE.md: advance / hold / split) ---------------------------------


@FAST
@given(outcomes)
def test_suggest_follows_the_rule_in_design(history):
    suggestion = rules.suggest(history)
    counted = [o for o in history if o is not None][-rules.WINDOW:]
    assert suggestion.attempts == len(counted) <= rules.WINDOW
    assert (suggestion.successes, suggestion.partials, suggestion.setbacks) == (
        counted.count("success"), counted.count("partial"), counted.count("setback"))
    assert suggestion.reason and suggestion.label
    if not counted:
        assert suggestion.score is None and suggestion.kind == "keep_going"
        return
    rate = sum(SCORE[o] for o in counted) / len(counted)
    assert 0 <= suggestion.score <= 1 and math.isclose(suggestion.score, float(rate))
    if len(counted) < 3:
        expected = "keep_going"
    elif counted[-3:] == ["setback"] * 3:
        expected = "split"
    elif rate >= Fraction(85, 100):
        expected = "advance"
    elif rate <= Fraction(1, 2) and len(counted) >= 4:
        expected = "split"
    else:
        expected = "hold"
    assert suggestion.kind == expected


@FAST
@given(st.lists(outcome, min_size=3, max_size=10))
def test_advancing_needs_a_rate_of_85_percent(history):
    rate = sum(SCORE[o] for o in history) / len(history)
    advanced = rules.suggest(history).kind == "advance"
    assert advanced == (rate >= Fraction(85, 100) and history[-3:] != ["setback"] * 3)


@FAST
@given(st.lists(outcome, max_size=2), st.lists(st.none(), max_size=5))
def test_fewer_than_three_recorded_attempts_always_keep_going(history, planned):
    assert rules.suggest(planned + history + planned).kind == "keep_going"


@FAST
@given(st.lists(outcome, max_size=40))
def test_only_the_last_ten_attempts_count(history):
    assert rules.suggest(history) == rules.suggest(history[-rules.WINDOW:])


# -- calibration ---------------------------------------------------------------------------------


rated = st.lists(st.tuples(st.integers(0, 10).map(lambda n: n * 10), outcome), max_size=80)


@FAST
@given(rated)
def test_calibration_figures_stay_in_range_and_add_up(pairs):
    cal = calibration.calibrate(calibration.totals_from_pairs(pairs))
    assert cal.rated == len(pairs)
    assert len(cal.bins) == 5
    assert sum(b.count for b in cal.bins) == len(pairs)
    for b in cal.bins:
        if b.count:
            assert b.low - 1e-9 <= 100 * b.mean_prediction <= b.high + 1e-9
            assert 0 <= b.observed_rate <= 1
        else:
            assert b.mean_prediction is None and b.observed_rate is None
    if not pairs:
        assert cal.brier is None and cal.bias is None and cal.status == "none"
        return
    assert 0 <= cal.brier <= 1 + 1e-12
    assert -1 - 1e-12 <= cal.bias <= 1 + 1e-12
    predicted = sum(c for c, _ in pairs) / 100 / len(pairs)
    observed = float(sum(SCORE[o] for _, o in pairs) / len(pairs))
    brier = sum((c / 100 - float(SCORE[o])) ** 2 for c, o in pairs) / len(pairs)
    assert math.isclose(cal.bias, predicted - observed, abs_tol=1e-9)
    assert math.isclose(cal.brier, brier, abs_tol=1e-9)


@FAST
@given(rated)
def test_calibration_sentence_matches_its_figures(pairs):
    cal = calibration.calibrate(calibration.totals_from_pairs(pairs))
    expected_status = ("none" if len(pairs) < calibration.MIN_RATED else
                       "early" if len(pairs) < calibration.EARLY_BELOW else "ok")
    assert cal.status == expected_status
    if cal.status == "none":
        assert cal.direction is None
        return
    predicted = math.floor(cal.mean_prediction * 100 + 0.5 + 1e-9)
    observed = math.floor(cal.observed_rate * 100 + 0.5 + 1e-9)
    assert f"{predicted}%" in cal.sentence and f"{observed}%" in cal.sentence
    assert cal.bias_low - 1e-9 <= cal.bias <= cal.bias_high + 1e-9
    # the verdict is read from the gap and the interval exactly as the sentence shows them
    shown = re.search(r"minus observed: (\S+) points \(95% interval (\S+) to (\S+)\)",
                      cal.sentence)
    assert shown is not None
    gap, low, high = (int(x.replace("−", "-").replace("+", "")) for x in shown.groups())
    assert gap == predicted - observed
    if cal.direction in ("over", "under"):
        assert abs(gap) > 10 and (low > 0 or high < 0)
        assert (cal.direction == "over") == (gap > 0)
    elif cal.direction == "calibrated":
        assert abs(gap) <= 10 and (low > 0 or high < 0 or high - low <= 20)
    else:
        assert cal.direction == "uncertain" and low <= 0 <= high
    assert (cal.status == "early") == ("early" in cal.sentence.lower())


@FAST
@given(rated, st.randoms(use_true_random=False))
def test_calibration_ignores_order(pairs, random):
    shuffled = list(pairs)
    random.shuffle(shuffled)
    one = calibration.calibrate(calibration.totals_from_pairs(pairs))
    two = calibration.calibrate(calibration.totals_from_pairs(shuffled))
    assert (one.rated, one.status, one.direction, one.sentence) == (
        two.rated, two.status, two.direction, two.sentence)


# -- the attribution detector ----------------------------------------------------------------------


PHRASES = ["I'm just not good at", "I always", "I never", "I can't", "no talent",
           "not a natural", "that's who I am", "I am useless", "I ", "'", "’", "not ", "good"]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=12)), max_size=12).map(
        " ".join),
)


@FAST
@given(texts)
def test_detect_never_crashes_and_names_only_what_is_in_the_text(text):
    findings = attribution.detect(text)
    reached = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.start >= reached  # in order, never overlapping
        reached = finding.end
        assert text[finding.start:finding.end] == finding.text
        assert finding.kind in attribution.KINDS
        assert finding.text in finding.explanation


# -- the breathing pacer ---------------------------------------------------------------------------


moments = st.floats(min_value=-10, max_value=400, allow_nan=False)
durations = st.sampled_from([0, 1, 30, 60, 90, 120]) | st.floats(0, 300, allow_nan=False)


@FAST
@given(st.sampled_from(sorted(pacer.PATTERNS)), moments, durations)
def test_pacer_state_is_consistent_at_any_moment(key, elapsed, duration):
    pattern = pacer.PATTERNS[key]
    state = pacer.state_at(pattern, elapsed, duration)
    assert 0 <= state.fill <= 1
    assert state.done == (max(0.0, elapsed) >= duration)
    assert math.isclose(state.elapsed + state.remaining, duration, abs_tol=1e-9)
    assert 0 <= state.elapsed <= duration and state.remaining >= 0
    assert 0 <= state.phase_elapsed <= state.phase.seconds + 1e-9
    assert math.isclose(state.phase_elapsed + state.phase_remaining, state.phase.seconds,
                        abs_tol=1e-9)
    assert state.phase == pattern.phases[state.phase_index]
    # Where in the cycle we are follows from elapsed time alone: the phases cycle.
    position = state.elapsed - state.cycle * pattern.cycle_seconds
    start = sum(p.seconds for p in pattern.phases[:state.phase_index])
    assert math.isclose(position, start + state.phase_elapsed, abs_tol=1e-6)
    assert pacer.countdown(state) >= 0


@FAST
@given(st.sampled_from(sorted(pacer.PATTERNS)), st.integers(0, 20),
       st.floats(0, 1, exclude_max=True))
def test_pacer_phases_repeat_every_cycle(key, cycles, fraction):
    pattern = pacer.PATTERNS[key]
    at = fraction * pattern.cycle_seconds
    first = pacer.state_at(pattern, at, 10_000)
    later = pacer.state_at(pattern, at + cycles * pattern.cycle_seconds, 10_000)
    assert later.phase_index == first.phase_index
    assert math.isclose(later.fill, first.fill, abs_tol=1e-6)


# -- time phrases ----------------------------------------------------------------------------------


WORDS = ["yesterday", "today", "tomorrow", "last", "next", "friday", "5pm", "3", "days", "ago",
         "in", "2", "hours", "since", "week", "month", "2026-11-26", "31", "feb", "at", "noon",
         "midnight", "-", ":", "99999999", "0", "am", "pm", "this", "year", "\x00", "😀"]
phrases = st.one_of(st.text(max_size=40),
                    st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join))
NOW = datetime(2026, 11, 26, 9, 30).astimezone()


@FAST
@given(phrases)
def test_parse_when_fails_only_with_its_own_error(text):
    try:
        moment = parse_when(text, now=NOW)
    except WhenError as err:
        assert str(err)
    else:
        assert moment.tzinfo is not None


@FAST
@given(phrases)
def test_parse_range_fails_only_with_its_own_error(text):
    try:
        start, end = parse_range(text, now=NOW)
    except WhenError as err:
        assert str(err)
    else:
        if start is not None and end is not None:
            assert start <= end


# -- export and import round trip ------------------------------------------------------------------


user_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def _accepted(name: str) -> bool:
    """A name the app's own check lets through (non-blank, not starting with a NUL)."""
    try:
        validate.required_text(name, "The name")
    except validate.InvalidValue:
        return False
    return True


names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    _accepted)


@st.composite
def histories(draw):
    """Domains with rungs and attempts, every text field drawn from all of unicode."""
    domains = draw(st.lists(st.tuples(names, user_text, user_text), min_size=1, max_size=3,
                            unique_by=lambda d: d[0].strip().lower()))
    attempts = draw(st.lists(st.tuples(
        st.integers(0, len(domains) - 1), names, user_text, user_text,
        st.one_of(st.none(), outcome), st.one_of(st.none(), st.integers(0, 10)),
        st.integers(0, 400)), max_size=8))
    rungs = draw(st.lists(st.tuples(st.integers(0, len(domains) - 1), names, user_text,
                                    st.integers(0, 100)), max_size=4))
    return domains, rungs, attempts


@pytest.mark.long
@SLOW
@given(histories())
def test_export_import_export_is_identical_apart_from_the_time(history):
    from efficacy_tui.store import attempts, export, importer, ladder
    from efficacy_tui.store.core import open_store

    domains, rungs, tries = history
    assume(len({d[0].strip().lower() for d in domains}) == len(domains))
    clock = Clock()
    with tempfile.TemporaryDirectory() as folder:
        source = open_store(Path(folder) / "a" / "efficacy.db", clock=clock)
        try:
            made = [ladder.add_domain(source, *d) for d in domains]
            for index, title, criterion, difficulty in rungs:
                ladder.add_rung(source, made[index].id, title, criterion, difficulty)
            for index, title, did, note, result, confidence, hours in tries:
                attempts.add_attempt(
                    source, domain_id=made[index].id, title=title,
                    happened_at=(clock() - timedelta(hours=hours)).isoformat(),
                    outcome=result, confidence=None if confidence is None else confidence * 10,
                    what_i_did=did, note=note)
            first = export.export_data(source)
            path = Path(folder) / "export.json"
            path.write_text(export.to_json(first), "utf-8")
        finally:
            source.close()
        target = open_store(Path(folder) / "b" / "efficacy.db", clock=clock)
        try:
            importer.import_file(target, path)
            second = export.export_data(target)
        finally:
            target.close()
    assert {**second, "exported_at": None} == {**first, "exported_at": None}
