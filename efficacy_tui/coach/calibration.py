"""How well predicted confidence matches outcomes.

Why: Talsma et al. (2019) found that people's confidence is often miscalibrated, in both
directions: some under-predict what they can do and hold back, others over-predict and skip the
preparation. Showing the gap in plain words lets the user trust, or correct, their own forecasts.
The measure is Brier's (1950): the mean of (confidence/100 - outcome)**2, scoring success 1,
partial 0.5 and setback 0, so 0 is perfect; bias is mean prediction minus mean outcome, so a
negative bias is under-confidence.

Only attempts whose confidence was given BEFORE the outcome count (the caller passes only those):
a rating made afterwards is hindsight, not a prediction; the caller passes how many such recalled
ratings it left out, so the figures can say so. The store sums per bin in SQL, so the core
function, `calibrate`, takes per-bin totals; `totals_from_pairs` builds them from raw pairs.

A verdict needs evidence as well as size: over- or under-confident only when the gap is more than
10 points AND the 95% t-interval for the mean of (confidence - outcome) per attempt lies on one
side of zero; well calibrated when the gap is at most 10 points and the interval either lies on
one side of zero (a real but small lean) or is no wider than 10 points either side; otherwise not
enough evidence of a bias yet. The verdict reads the whole-point figures the sentence shows, so
the same shown gap always gets the same word.

The figures are computed whatever the number of rated attempts (so exports can report them), but
`status` says how far to trust them: "none" below MIN_RATED (nothing shown), "early" below
EARLY_BELOW, then "ok". Sentences live in content/calibration.toml [coach]; this module fills in
the figures.
"""

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from efficacy_tui.coach.ladder import OUTCOME_HALVES
from efficacy_tui.content import say

# bins [0,20) [20,40) [40,60) [60,80) [80,100]: 100 falls in the last
BIN_EDGES = (0, 20, 40, 60, 80, 100)
MIN_RATED = 10  # nothing shown below this
EARLY_BELOW = 30  # "early estimate" below this
BIAS_POINTS = 10  # a gap of more than this many points can be called a bias
EPSILON = 1e-9  # so a figure of exactly half a point is not lost to floating-point error
LEVEL = 0.95  # of the interval for the bias

BIN_COUNT = len(BIN_EDGES) - 1


def bin_index(confidence: int) -> int:
    """The bin (0..4) a confidence of 0..100 falls in; 100 falls in the last bin."""
    if isinstance(confidence, bool) or not isinstance(confidence, int):
        raise TypeError(f"confidence must be a whole number, not {confidence!r}")
    if not BIN_EDGES[0] <= confidence <= BIN_EDGES[-1]:
        raise ValueError(f"confidence must be from 0 to 100, not {confidence}")
    for index in range(BIN_COUNT - 1):
        if confidence < BIN_EDGES[index + 1]:
            return index
    return BIN_COUNT - 1


@dataclass(frozen=True)
class BinTotals:
    index: int  # 0..4
    count: int
    sum_prediction: float  # sum of confidence/100
    sum_outcome: float  # sum of scores (success 1, partial 0.5, setback 0)
    sum_squared_error: float  # sum of (confidence/100 - score)**2


def totals_from_pairs(pairs: Iterable[tuple[int | None, str | None]]) -> list[BinTotals]:
    """Per-bin totals from (confidence, outcome) pairs: always all 5 bins, empty ones count 0."""
    return totals_from_counts((confidence, outcome, 1) for confidence, outcome in pairs)


def totals_from_counts(rows: Iterable[tuple[int | None, str | None, int]]) -> list[BinTotals]:
    """Per-bin totals from (confidence, outcome, how many) rows, as SQL's GROUP BY gives them.

    Rows whose outcome is None (still planned) are skipped, and so are rows without a
    confidence (defensively: choosing attempts rated beforehand is the caller's job). An outcome
    other than success/partial/setback raises ValueError. Sums are kept in integers (confidence
    points and half scores) and divided once, so they are exact to the last float digit.
    """
    count = [0] * BIN_COUNT
    points = [0] * BIN_COUNT  # sum of confidence
    halves = [0] * BIN_COUNT  # sum of score * 2
    squares = [0] * BIN_COUNT  # sum of (confidence - 50 * halves) ** 2, i.e. (100 * error) ** 2
    for confidence, outcome, n in rows:
        if outcome is None or confidence is None:
            continue
        if outcome not in OUTCOME_HALVES:
            raise ValueError(f"unknown outcome {outcome!r}")
        index = bin_index(confidence)
        count[index] += n
        points[index] += n * confidence
        halves[index] += n * OUTCOME_HALVES[outcome]
        squares[index] += n * (confidence - 50 * OUTCOME_HALVES[outcome]) ** 2
    return [
        BinTotals(i, count[i], points[i] / 100, halves[i] / 2, squares[i] / 10_000)
        for i in range(BIN_COUNT)
    ]


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    count: int
    mean_prediction: float | None  # 0..1, None when empty
    observed_rate: float | None  # 0..1, None when empty


@dataclass(frozen=True)
class Calibration:
    rated: int
    status: str  # "none" (< MIN_RATED), "early" (< EARLY_BELOW), "ok"
    brier: float | None  # mean squared error, None when rated == 0
    bias: float | None  # mean prediction - mean outcome
    mean_prediction: float | None
    observed_rate: float | None
    direction: str | None  # "under", "over", "calibrated", "uncertain"; None when "none"
    bins: list[Bin]  # always 5
    sentence: str  # plain words
    bias_low: float | None = None  # the 95% interval for the bias; None below 2 rated
    bias_high: float | None = None
    recalled: int = 0  # confidences recalled after the outcome: kept, not counted here


def _percent(value: float) -> int:
    """A 0..1 value as a whole percentage, halves rounded up."""
    return math.floor(value * 100 + 0.5 + EPSILON)


def _points(value: float) -> int:
    """A -1..1 value as whole points, halves rounded away from zero."""
    return int(math.copysign(math.floor(abs(value) * 100 + 0.5 + EPSILON), value))


def t_cdf_two_sided(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with `df` whole degrees of freedom, in closed form
    (Abramowitz & Stegun 26.7.3-4)."""
    theta = math.atan(t / math.sqrt(df))
    cos2, sin = math.cos(theta) ** 2, math.sin(theta)
    if df % 2:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            total += term
            term *= cos2 * (2 * k) / (2 * k + 1)
        return 2 / math.pi * (theta + sin * total) if df > 1 else 2 * theta / math.pi
    total, term = 0.0, 1.0
    for k in range(1, df // 2 + 1):
        total += term
        term *= cos2 * (2 * k - 1) / (2 * k)
    return sin * total


def t_density(t: float, df: int) -> float:
    """Student's t density with `df` degrees of freedom."""
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)
                    - 0.5 * math.log(df * math.pi) - (df + 1) / 2 * math.log1p(t * t / df))


@functools.cache
def t_quantile(df: int, level: float = LEVEL) -> float:
    """The t such that P(|T| <= t) = level, by Newton's method on the exact distribution from
    t = 1, below the root for any level past 0.5: the distribution function is concave there,
    so every step lands short of the root and the steps shrink to nothing. Past 1,000 degrees of
    freedom the value at 1,000 is used: at most 0.003 above the exact one."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, not {df}")
    df = min(df, 1000)
    t = 1.0
    for _ in range(100):
        step = (level - t_cdf_two_sided(t, df)) / (2 * t_density(t, df))
        t += step
        if step < 1e-12 * t:
            break
    return t


def bias_interval(rated: int, sum_difference: float, sum_squared: float
                  ) -> tuple[float, float] | None:
    """The 95% t-interval for the mean per-attempt difference (confidence/100 - score), from the
    sum of the differences and the sum of their squares; None below two attempts."""
    if rated < 2:
        return None
    mean = sum_difference / rated
    variance = max(0.0, (sum_squared - rated * mean * mean) / (rated - 1))
    half = t_quantile(rated - 1) * math.sqrt(variance / rated)
    return mean - half, mean + half


def verdict(gap: int, low: int, high: int) -> str:
    """The reading of a gap (predicted minus observed) and its 95% interval, all in whole
    points as shown: "over", "under", "calibrated" or "uncertain" (not enough evidence)."""
    clear = low > 0 or high < 0  # the interval lies on one side of zero
    if gap > BIAS_POINTS and clear:
        return "over"
    if gap < -BIAS_POINTS and clear:
        return "under"
    if abs(gap) <= BIAS_POINTS and (clear or high - low <= 2 * BIAS_POINTS):
        return "calibrated"
    return "uncertain"


def calibrate(totals: Iterable[BinTotals], recalled: int = 0) -> Calibration:
    """Calibration from per-bin totals of predictions; `recalled` is how many confidences given
    after the outcome were left out. Bins may come in any order, missing bins count as empty,
    and two totals for the same bin are added together."""
    count = [0] * BIN_COUNT
    prediction = [0.0] * BIN_COUNT
    outcome = [0.0] * BIN_COUNT
    squared = [0.0] * BIN_COUNT
    for part in totals:
        if not 0 <= part.index < BIN_COUNT:
            raise ValueError(f"bin index must be from 0 to {BIN_COUNT - 1}, not {part.index}")
        count[part.index] += part.count
        prediction[part.index] += part.sum_prediction
        outcome[part.index] += part.sum_outcome
        squared[part.index] += part.sum_squared_error

    bins = [
        Bin(
            low=BIN_EDGES[i],
            high=BIN_EDGES[i + 1],
            count=count[i],
            mean_prediction=prediction[i] / count[i] if count[i] else None,
            observed_rate=outcome[i] / count[i] if count[i] else None,
        )
        for i in range(BIN_COUNT)
    ]
    rated = sum(count)
    left_out = say("calibration.coach.recalled", count=recalled) if recalled else ""
    if rated == 0:
        sentence = say("calibration.coach.none_yet", needed=MIN_RATED) + left_out
        return Calibration(0, "none", None, None, None, None, None, bins, sentence,
                           recalled=recalled)

    mean_prediction = sum(prediction) / rated
    observed_rate = sum(outcome) / rated
    bias = mean_prediction - observed_rate
    brier = sum(squared) / rated
    interval = bias_interval(rated, sum(prediction) - sum(outcome), sum(squared))
    if rated < MIN_RATED or interval is None:
        status, direction = "none", None
        sentence = say("calibration.coach.too_few", needed=MIN_RATED, rated=rated) + left_out
    else:
        status = "early" if rated < EARLY_BELOW else "ok"
        predicted, observed = _percent(mean_prediction), _percent(observed_rate)
        # The gap is between the two percentages as shown, so the sentence adds up, and the
        # verdict reads the same whole points the sentence shows.
        gap = predicted - observed
        low, high = _points(interval[0]), _points(interval[1])
        direction = verdict(gap, low, high)
        sentence = " ".join([
            say("calibration.coach.summary", predicted=predicted, observed=observed),
            say("calibration.coach.interval", gap=signed(gap), low=signed(low),
                high=signed(high)),
            say(f"calibration.coach.{direction}", points=abs(gap)),
        ])
        if status == "early":
            sentence = say("calibration.coach.early", rated=rated, sentence=sentence)
    return Calibration(
        rated=rated,
        status=status,
        brier=brier,
        bias=bias,
        mean_prediction=mean_prediction,
        observed_rate=observed_rate,
        direction=direction,
        bins=bins,
        sentence=sentence,
        bias_low=interval[0] if interval else None,
        bias_high=interval[1] if interval else None,
        recalled=recalled,
    )


def signed(points: int) -> str:
    """Whole points with their sign, as the sentence shows them: +12, −3, 0."""
    return "0" if points == 0 else f"{'+' if points > 0 else '−'}{abs(points)}"


def _rounded(value: float | None) -> float | None:
    if value is None:
        return None
    return round(value, 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def as_dict(cal: Calibration) -> dict[str, Any]:
    """The calibration as JSON-ready values, floats rounded to 3 decimals."""
    return {
        "rated_attempts": cal.rated,
        "status": cal.status,
        "brier": _rounded(cal.brier),
        "bias": _rounded(cal.bias),
        "mean_prediction": _rounded(cal.mean_prediction),
        "observed_rate": _rounded(cal.observed_rate),
        "direction": cal.direction,
        "bias_low": _rounded(cal.bias_low),
        "bias_high": _rounded(cal.bias_high),
        "recalled_attempts": cal.recalled,
        "bins": [
            {
                "low": b.low,
                "high": b.high,
                "count": b.count,
                "mean_prediction": _rounded(b.mean_prediction),
                "observed_rate": _rounded(b.observed_rate),
            }
            for b in cal.bins
        ],
        "sentence": cal.sentence,
    }
