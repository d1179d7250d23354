"""Calibration (Brier 1950; Talsma et al. 2019): a worked example by hand, and every boundary."""

import json

import pytest

from efficacy_tui.coach.calibration import (
    BinTotals,
    as_dict,
    bin_index,
    calibrate,
    t_quantile,
    totals_from_pairs,
    verdict,
)

S, P, X = "success", "partial", "setback"

# Ten attempts rated beforehand. Score: success 1, partial 0.5, setback 0.
#
#   conf  outcome  bin  c/100  score  (c/100 - score)^2
#     0   success   0   0.0    1.0    1.00
#    10   partial   0   0.1    0.5    0.16
#    20   success   1   0.2    1.0    0.64
#    30   setback   1   0.3    0.0    0.09
#    50   success   2   0.5    1.0    0.25
#    70   success   3   0.7    1.0    0.09
#    70   partial   3   0.7    0.5    0.04
#    80   success   4   0.8    1.0    0.04
#   100   success   4   1.0    1.0    0.00
#   100   setback   4   1.0    0.0    1.00
#
#   sum c/100  = 0 + .1 + .2 + .3 + .5 + .7 + .7 + .8 + 1 + 1 = 5.3  -> mean prediction 0.53
#   sum score  = 1 + .5 + 1 + 0 + 1 + 1 + .5 + 1 + 1 + 0     = 7.0  -> observed rate   0.70
#   bias       = 0.53 - 0.70 = -0.17                                -> a gap of 17 points
#   sum sq err = 1 + .16 + .64 + .09 + .25 + .09 + .04 + .04 + 0 + 1 = 3.31 -> Brier 0.331
#
#   The per-attempt differences c/100 - score are -1, -.4, -.8, .3, -.5, -.3, .2, -.2, 0, 1;
#   their squares sum to 3.31 too, so their variance is (3.31 - 10 * 0.17**2) / 9 = 0.335667,
#   the standard error sqrt(0.335667 / 10) = 0.183212, t(0.975, 9 df) = 2.262157 (tables), and
#   the 95% interval -0.17 +- 0.414455 = [-0.584, +0.244]: -58 to +24 points, which includes 0,
#   so 10 attempts cannot tell this gap from chance -> not enough evidence of a bias yet.
#
#   bin 0 [0,20):   2 attempts, mean prediction (0 + .1)/2 = 0.05,  observed (1 + .5)/2 = 0.75
#   bin 1 [20,40):  2 attempts, mean prediction (.2 + .3)/2 = 0.25, observed (1 + 0)/2 = 0.5
#   bin 2 [40,60):  1 attempt,  mean prediction 0.5,                observed 1.0
#   bin 3 [60,80):  2 attempts, mean prediction 0.7,                observed (1 + .5)/2 = 0.75
#   bin 4 [80,100]: 3 attempts, mean prediction 2.8/3 = 0.9333...,  observed 2/3 = 0.6666...
WORKED = [
    (0, S), (10, P), (20, S), (30, X), (50, S),
    (70, S), (70, P), (80, S), (100, S), (100, X),
]  # fmt: skip


def test_worked_example():
    cal = calibrate(totals_from_pairs(WORKED))
    assert cal.rated == 10
    assert cal.status == "early"
    assert cal.brier == pytest.approx(0.331)
    assert cal.bias == pytest.approx(-0.17)
    assert cal.mean_prediction == pytest.approx(0.53)
    assert cal.observed_rate == pytest.approx(0.70)
    assert cal.bias_low == pytest.approx(-0.17 - 0.414455, abs=1e-5)
    assert cal.bias_high == pytest.approx(-0.17 + 0.414455, abs=1e-5)
    assert cal.direction == "uncertain"
    expected_bins = [
        (0, 20, 2, 0.05, 0.75),
        (20, 40, 2, 0.25, 0.5),
        (40, 60, 1, 0.5, 1.0),
        (60, 80, 2, 0.7, 0.75),
        (80, 100, 3, 2.8 / 3, 2 / 3),
    ]
    assert len(cal.bins) == 5
    for got, (low, high, count, mean_prediction, observed) in zip(cal.bins, expected_bins, strict=True):
        assert (got.low, got.high, got.count) == (low, high, count)
        assert got.mean_prediction == pytest.approx(mean_prediction)
        assert got.observed_rate == pytest.approx(observed)
    assert cal.sentence == (
        "(early estimate: 10 rated attempts) You predicted 53% on average; "
        "your results scored 70% (a partial counts half). Predicted minus observed: −17 points "
        "(95% interval −58 to +24). Not enough evidence of a bias yet: the interval is still "
        "too wide to say; rating more attempts beforehand will narrow it."
    )


def test_worked_example_totals():
    totals = totals_from_pairs(WORKED)
    assert [t.index for t in totals] == [0, 1, 2, 3, 4]
    assert [t.count for t in totals] == [2, 2, 1, 2, 3]
    assert [t.sum_prediction for t in totals] == pytest.approx([0.1, 0.5, 0.5, 1.4, 2.8])
    assert [t.sum_outcome for t in totals] == pytest.approx([1.5, 1.0, 1.0, 1.5, 2.0])
    assert [t.sum_squared_error for t in totals] == pytest.approx([1.16, 0.73, 0.25, 0.13, 1.04])


def test_totals_skip_none_outcomes_and_keep_empty_bins():
    totals = totals_from_pairs([(50, None), (50, S), (90, None)])
    assert [t.count for t in totals] == [0, 0, 1, 0, 0]
    assert totals[0] == BinTotals(0, 0, 0.0, 0.0, 0.0)
    assert [t.count for t in totals_from_pairs([])] == [0, 0, 0, 0, 0]


def test_totals_refuse_an_unknown_outcome():
    with pytest.raises(ValueError):
        totals_from_pairs([(50, "won")])


@pytest.mark.parametrize(
    ("confidence", "index"),
    [(0, 0), (10, 0), (19, 0), (20, 1), (39, 1), (40, 2), (60, 3), (79, 3), (80, 4), (99, 4), (100, 4)],
)
def test_bin_index(confidence, index):
    assert bin_index(confidence) == index


@pytest.mark.parametrize("confidence", [-1, 101])
def test_bin_index_refuses_out_of_range(confidence):
    with pytest.raises(ValueError):
        bin_index(confidence)


def pairs(count, confidence=60, successes=None):
    """`count` attempts at `confidence`; the first `successes` succeed (default: 70% of them)."""
    successes = round(count * 0.7) if successes is None else successes
    return [(confidence, S if i < successes else X) for i in range(count)]


@pytest.mark.parametrize(
    ("rated", "status"),
    [(0, "none"), (1, "none"), (9, "none"), (10, "early"), (29, "early"), (30, "ok"), (200, "ok")],
)
def test_status(rated, status):
    assert calibrate(totals_from_pairs(pairs(rated))).status == status


def test_figures_are_computed_below_the_minimum():
    cal = calibrate(totals_from_pairs([(60, S), (60, X), (80, S)]))
    assert cal.status == "none" and cal.direction is None
    assert cal.rated == 3
    assert cal.mean_prediction == pytest.approx(2 / 3)
    assert cal.observed_rate == pytest.approx(2 / 3)
    assert cal.bias == pytest.approx(0)
    assert cal.sentence == "Calibration appears after 10 attempts rated beforehand (3 so far)."


def test_nothing_rated():
    cal = calibrate(totals_from_pairs([]))
    assert (cal.rated, cal.status, cal.brier, cal.bias, cal.direction) == (0, "none", None, None, None)
    assert cal.mean_prediction is None and cal.observed_rate is None
    assert [b.count for b in cal.bins] == [0] * 5
    assert all(b.mean_prediction is None and b.observed_rate is None for b in cal.bins)
    assert cal.sentence.startswith("Calibration appears after 10 attempts rated beforehand")
    assert calibrate([]) == cal


def test_ten_planned_at_80_with_seven_successes_is_not_called_over_confident():
    # a gap of exactly 10 points, and an interval of -25 to +45 points: no verdict of bias
    cal = calibrate(totals_from_pairs(pairs(10, confidence=80, successes=7)))
    assert cal.bias == pytest.approx(0.10)
    assert cal.direction == "uncertain"
    assert "over-confident" not in cal.sentence
    assert "+10 points (95% interval −25 to +45)" in cal.sentence
    assert cal.sentence.startswith("(early estimate: 10 rated attempts)")


@pytest.mark.parametrize(
    ("gap", "low", "high", "direction"),
    [
        (11, 1, 21, "over"),  # more than 10 points, interval clear of 0
        (10, 1, 19, "calibrated"),  # clear of 0, but only 10 points: a small, real lean
        (11, 0, 22, "uncertain"),  # an interval reaching 0 does not exclude it
        (25, -5, 55, "uncertain"),  # big gap, could be chance
        (-11, -21, -1, "under"),
        (-10, -19, -1, "calibrated"),
        (-30, -60, 0, "uncertain"),
        (0, -10, 10, "calibrated"),  # pinned down to within 10 points either side
        (0, -11, 10, "uncertain"),  # 21 points wide: a bias of 11 is still possible
        (5, -5, 15, "calibrated"),
        (-10, -45, 25, "uncertain"),
    ],
)
def test_verdict(gap, low, high, direction):
    assert verdict(gap, low, high) == direction


@pytest.mark.parametrize(
    ("count", "confidence", "successes", "direction", "interval"),
    [
        (100, 80, 60, "over", "+20 points (95% interval +10 to +30)"),
        (100, 60, 70, "calibrated", "−10 points (95% interval −19 to −1)"),
        (200, 70, 140, "calibrated", "0 points (95% interval −6 to +6)"),
        (40, 70, 28, "uncertain", "0 points (95% interval −15 to +15)"),
        (20, 40, 16, "under", "−40 points (95% interval −59 to −21)"),
        (30, 90, 23, "uncertain", "+13 points (95% interval −3 to +29)"),
    ],
)
def test_the_verdict_reads_the_figures_the_sentence_shows(count, confidence, successes,
                                                          direction, interval):
    cal = calibrate(totals_from_pairs(pairs(count, confidence, successes)))
    assert cal.direction == direction
    assert f"Predicted minus observed: {interval}." in cal.sentence


def test_identical_attempts_have_a_zero_width_interval():
    # every attempt 100% and a success: the difference is 0 every time
    cal = calibrate(totals_from_pairs([(100, S)] * 12))
    assert (cal.bias_low, cal.bias_high, cal.direction) == (0.0, 0.0, "calibrated")
    one = calibrate(totals_from_pairs([(100, S)]))
    assert (one.bias_low, one.bias_high, one.direction) == (None, None, None)


@pytest.mark.parametrize(("df", "expected"), [(1, 12.7062), (2, 4.3027), (9, 2.2622),
                                               (29, 2.0452), (100, 1.9840), (1000, 1.9623)])
def test_t_quantile_matches_the_tables(df, expected):
    assert t_quantile(df) == pytest.approx(expected, abs=5e-5)


def test_recalled_confidence_is_counted_apart_and_said():
    cal = calibrate(totals_from_pairs(pairs(3)), recalled=4)
    assert cal.recalled == 4 and cal.rated == 3
    assert "(4 so far) is kept but not counted" in cal.sentence
    assert as_dict(cal)["recalled_attempts"] == 4
    assert calibrate(totals_from_pairs(pairs(3))).sentence == (
        "Calibration appears after 10 attempts rated beforehand (3 so far).")


def test_totals_may_come_partial_out_of_order_and_split():
    full = calibrate(totals_from_pairs(WORKED))
    totals = [t for t in reversed(totals_from_pairs(WORKED)) if t.count]
    # the last bin split into two rows: they add up
    last = totals[0]
    halves = [
        BinTotals(4, 1, 0.8, 1.0, 0.04),
        BinTotals(4, last.count - 1, last.sum_prediction - 0.8, last.sum_outcome - 1.0,
                  last.sum_squared_error - 0.04),
    ]  # fmt: skip
    again = calibrate(halves + totals[1:])
    assert as_dict(again) == as_dict(full)
    with pytest.raises(ValueError):
        calibrate([BinTotals(5, 1, 0.5, 1.0, 0.25)])


def test_sentences():
    over = calibrate(totals_from_pairs(pairs(100, confidence=80, successes=60)))
    assert over.status == "ok"
    assert over.sentence == (
        "You predicted 80% on average; your results scored 60% (a partial counts half). "
        "Predicted minus observed: +20 points (95% interval +10 to +30). "
        "Your results trail your predictions: over-confident by 20 points; "
        "plan smaller steps or more preparation."
    )
    calibrated = calibrate(totals_from_pairs(pairs(200, confidence=70, successes=140)))
    assert calibrated.sentence == (
        "You predicted 70% on average; your results scored 70% (a partial counts half). "
        "Predicted minus observed: 0 points (95% interval −6 to +6). "
        "Your predictions match your results well."
    )
    early = calibrate(totals_from_pairs(pairs(12, confidence=50, successes=6)))
    assert early.sentence.startswith(
        "(early estimate: 12 rated attempts) You predicted 50% on average; "
        "your results scored 50% (a partial counts half).")
    under = calibrate(totals_from_pairs(pairs(20, confidence=40, successes=16)))
    assert under.sentence.endswith("You are more capable than you predict: under-confident by 40 points.")
    assert "early estimate: 20 rated attempts" in under.sentence


def test_as_dict_round_trips_through_json():
    data = as_dict(calibrate(totals_from_pairs(WORKED)))
    assert json.loads(json.dumps(data)) == data
    assert list(data) == [
        "rated_attempts", "status", "brier", "bias", "mean_prediction",
        "observed_rate", "direction", "bias_low", "bias_high", "recalled_attempts", "bins",
        "sentence",
    ]  # fmt: skip
    assert data["rated_attempts"] == 10
    assert (data["brier"], data["bias"], data["mean_prediction"], data["observed_rate"]) == (
        0.331,
        -0.17,
        0.53,
        0.7,
    )
    assert data["bins"][4] == {
        "low": 80,
        "high": 100,
        "count": 3,
        "mean_prediction": 0.933,
        "observed_rate": 0.667,
    }
    empty = as_dict(calibrate([]))
    assert json.loads(json.dumps(empty)) == empty
    assert empty["brier"] is None and empty["bins"][0]["mean_prediction"] is None


def test_as_dict_never_writes_negative_zero():
    data = as_dict(calibrate(totals_from_pairs(pairs(10, confidence=70, successes=7))))
    assert "-0.0" not in json.dumps(data)
