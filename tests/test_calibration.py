"""Calibration (Brier 1950; Talsma et al. 2019): a worked example by hand, and every boundary."""

import json

import pytest

from efficacy_tui.coach.calibration import (
    BinTotals,
    as_dict,
    bin_index,
    calibrate,
    totals_from_pairs,
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
#   bias       = 0.53 - 0.70 = -0.17                                -> under-confident, 17 points
#   sum sq err = 1 + .16 + .64 + .09 + .25 + .09 + .04 + .04 + 0 + 1 = 3.31 -> Brier 0.331
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
    assert cal.direction == "under"
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
        "your results scored 70% (a partial counts half). "
        "You are more capable than you predict: under-confident by 17 points."
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


@pytest.mark.parametrize(
    ("confidences", "successes", "bias", "direction"),
    [
        # 10 at 60%, 7 succeed: 0.6 - 0.7 = -0.10 exactly -> under
        ([60] * 10, 7, -0.10, "under"),
        # nine at 60% and one at 70%: mean 0.61; 7 succeed: -0.09 -> calibrated
        ([60] * 9 + [70], 7, -0.09, "calibrated"),
        # 10 at 80%, 7 succeed: +0.10 exactly -> over
        ([80] * 10, 7, 0.10, "over"),
        # nine at 80% and one at 70%: mean 0.79; 7 succeed: +0.09 -> calibrated
        ([80] * 9 + [70], 7, 0.09, "calibrated"),
        # 30 rated: 0.3 * 30 and 0.4 * 30 give -0.1 in floats too
        ([30] * 30, 12, -0.10, "under"),
    ],
)
def test_direction_boundaries(confidences, successes, bias, direction):
    rated = [(c, S if i < successes else X) for i, c in enumerate(confidences)]
    cal = calibrate(totals_from_pairs(rated))
    assert cal.bias == pytest.approx(bias)
    assert cal.direction == direction


@pytest.mark.parametrize(
    ("bias", "direction"),
    [(-0.10, "under"), (-0.0999999, "calibrated"), (-0.09, "calibrated"), (0.0, "calibrated"),
     (0.09, "calibrated"), (0.10, "over"), (0.25, "over"), (-0.5, "under")],
)  # fmt: skip
def test_direction_from_totals_given_directly(bias, direction):
    # one bin of 20 attempts; the float sums are what SQL's SUM() would hand over
    mean_outcome = 0.5
    totals = [BinTotals(2, 20, (mean_outcome + bias) * 20, mean_outcome * 20, 5.0)]
    assert calibrate(totals).direction == direction


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
    over = calibrate(totals_from_pairs(pairs(30, confidence=90, successes=23)))
    # 0.9 - 23/30 = 0.9 - 0.7667 = +0.133: 90% predicted, 77% observed, 13 points
    assert over.status == "ok"
    assert over.sentence == (
        "You predicted 90% on average; your results scored 77% (a partial counts half). "
        "Your results trail your predictions: over-confident by 13 points; "
        "plan smaller steps or more preparation."
    )
    calibrated = calibrate(totals_from_pairs(pairs(40, confidence=70, successes=28)))
    assert calibrated.sentence == (
        "You predicted 70% on average; your results scored 70% (a partial counts half). "
        "Your predictions match your results well."
    )
    early = calibrate(totals_from_pairs(pairs(12, confidence=50, successes=6)))
    assert early.sentence == (
        "(early estimate: 12 rated attempts) You predicted 50% on average; "
        "your results scored 50% (a partial counts half). Your predictions match your results "
        "well."
    )
    under = calibrate(totals_from_pairs(pairs(20, confidence=40, successes=16)))
    assert under.sentence.endswith("You are more capable than you predict: under-confident by 40 points.")
    assert "early estimate: 20 rated attempts" in under.sentence


def test_as_dict_round_trips_through_json():
    data = as_dict(calibrate(totals_from_pairs(WORKED)))
    assert json.loads(json.dumps(data)) == data
    assert list(data) == [
        "rated_attempts", "status", "brier", "bias", "mean_prediction",
        "observed_rate", "direction", "bins", "sentence",
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
