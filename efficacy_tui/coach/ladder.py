"""The mastery ladder: when to suggest advancing, holding or splitting a rung, and what to warn
about in a ladder's shape.

Why these rules:

- Advance / hold / split is a rule of thumb inspired by Wilson et al. (2019), "The eighty five
  percent rule for optimal learning", whose optimum of about 85% correct comes from learning
  models, not from studies of people; the bands are this app's choice. Over the last (at most)
  ten recorded attempts on a rung, each scored success 1, partial 0.5 and setback 0, the mean is
  a *score*, not a success rate (a partial counts half), and it is always shown with the
  successes and partials it counts. At or above 85% the coach suggests a harder rung; at or below
  50% (with at least four attempts), or after three setbacks in a row, it suggests splitting the
  step; in between (what the app calls the growth zone) it suggests holding. It only ever
  suggests: the user confirms every change.
- The ladder's shape follows graded-exposure hierarchy practice (difficulty 0-100, like SUDS):
  the first rung is one you can take (40 or below), neighbouring rungs are close (no more than
  15 apart), the ladder climbs from easiest at the bottom to hardest at the top, and it has
  enough rungs to climb (5 to 12 is typical; fewer than 3 gets a warning). These are warnings,
  never refusals.

Sentences live in content/ladder.toml; this module only fills in the figures.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Literal

from efficacy_tui.content import say

OUTCOME_SCORE = {"success": 1.0, "partial": 0.5, "setback": 0.0}
WINDOW = 10

MIN_ATTEMPTS = 3  # fewer than this: keep going, no suggestion yet
SETBACK_RUN = 3  # this many setbacks in a row: suggest a split
ADVANCE_AT = Fraction(85, 100)  # score at or above: suggest advancing
SPLIT_AT = Fraction(1, 2)  # score at or below (with SPLIT_MIN_ATTEMPTS): suggest a split
SPLIT_MIN_ATTEMPTS = 4

FIRST_RUNG_MAX = 40
MAX_GAP = 15
MIN_RUNGS = 3

SuggestionKind = Literal["keep_going", "advance", "hold", "split"]
WarningKind = Literal["first_too_hard", "gap", "order", "too_few"]

OUTCOME_HALVES = {"success": 2, "partial": 1, "setback": 0}  # OUTCOME_SCORE, in halves


def percent(share: Fraction | float) -> int:
    """A share (0..1) as a whole percentage, halves rounded up (exact: no floating-point
    rounding)."""
    share = Fraction(share).limit_denominator(10_000)
    scaled = share * 100
    return int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))


@dataclass(frozen=True)
class Suggestion:
    kind: SuggestionKind
    attempts: int  # attempts counted (the last <= WINDOW)
    successes: int  # how many of them were "success"
    partials: int
    setbacks: int
    score: float | None  # mean score (a partial counts half); None with no attempts
    reason: str  # one or two plain sentences with the figures
    label: str  # a short label for tables


def suggest(outcomes: Sequence[str | None]) -> Suggestion:
    """What to suggest for a rung, from its recorded outcomes in chronological order, oldest first.

    `None` entries (attempts still planned) are ignored; only the last WINDOW outcomes count.
    Raises ValueError for an outcome that is not success, partial or setback.
    """
    recorded = [o for o in outcomes if o is not None]
    for outcome in recorded:
        if outcome not in OUTCOME_SCORE:
            raise ValueError(f"unknown outcome {outcome!r}")
    counted = recorded[-WINDOW:]
    attempts = len(counted)
    successes = counted.count("success")
    partials = counted.count("partial")
    setbacks = counted.count("setback")
    exact = Fraction(sum(OUTCOME_HALVES[o] for o in counted), 2 * attempts) if attempts else None

    def made(kind: SuggestionKind, reason: str) -> Suggestion:
        return Suggestion(
            kind=kind,
            attempts=attempts,
            successes=successes,
            partials=partials,
            setbacks=setbacks,
            score=float(exact) if exact is not None else None,
            reason=reason,
            label=say(f"ladder.suggest.labels.{kind}"),
        )

    if exact is None:
        return made("keep_going", say("ladder.suggest.keep_going_none"))
    if attempts < MIN_ATTEMPTS:
        if attempts == 1:
            return made("keep_going", say("ladder.suggest.keep_going_one"))
        return made("keep_going", say("ladder.suggest.keep_going", attempts=attempts))
    if all(o == "setback" for o in counted[-SETBACK_RUN:]):
        return made("split", say("ladder.suggest.split_setbacks"))
    figures = {
        "attempts": attempts,
        "successes": successes,
        "partials": partials,
        "setbacks": setbacks,
        "percent": percent(exact),
        "counts": counts(successes, partials),
    }
    if exact >= ADVANCE_AT:
        if successes == attempts:
            sentence = say("ladder.suggest.advance_all", **figures)
        elif partials:
            sentence = say("ladder.suggest.advance_partials", **figures)
        else:
            sentence = say("ladder.suggest.advance", **figures)
        return made("advance", sentence)
    if exact <= SPLIT_AT:
        if attempts >= SPLIT_MIN_ATTEMPTS:
            return made("split", say("ladder.suggest.split_low", **figures))
        return made("hold", say("ladder.suggest.hold_early_low", **figures))
    return made("hold", say("ladder.suggest.hold", **figures))


def counts(successes: int, partials: int) -> str:
    """"6 successes, 3 partials": what a score counts (setbacks are the rest)."""
    words = [say("ladder.score.success_one") if successes == 1
             else say("ladder.score.success_many", count=successes)]
    if partials:
        words.append(say("ladder.score.partial_one") if partials == 1
                     else say("ladder.score.partial_many", count=partials))
    return ", ".join(words)


def score_words(successes: int, partials: int, attempts: int) -> str:
    """A score named as what it is, with what it counts: "score 75%: 6 successes, 3 partials of
    the last 10". Empty for no attempts."""
    if not attempts:
        return ""
    share = Fraction(2 * successes + partials, 2 * attempts)
    window = (say("ladder.score.window_one") if attempts == 1
              else say("ladder.score.window_many", attempts=attempts))
    return say("ladder.score.reading", percent=percent(share),
               counts=counts(successes, partials), window=window)


@dataclass(frozen=True)
class Warning:
    kind: WarningKind
    position: int | None  # index (0 = easiest/bottom rung) the warning is about, or None
    text: str


def ladder_warnings(difficulties: Sequence[int]) -> list[Warning]:
    """Warnings about a ladder's shape, from its rungs' difficulties bottom (easiest) to top.

    In ladder order: the first rung above FIRST_RUNG_MAX (position 0); then, for each pair of
    neighbours, "order" when the lower rung is harder than the one above it, or "gap" when the
    upper rung is more than MAX_GAP above the lower (position: the upper rung of the pair); then
    "too_few" (position None) below MIN_RUNGS rungs. An empty ladder gives only "too_few".
    """
    found: list[Warning] = []
    if difficulties and difficulties[0] > FIRST_RUNG_MAX:
        found.append(
            Warning(
                "first_too_hard",
                0,
                say("ladder.warnings.first_too_hard", difficulty=difficulties[0],
                    limit=FIRST_RUNG_MAX),
            )
        )
    for upper_index in range(1, len(difficulties)):
        lower, upper = difficulties[upper_index - 1], difficulties[upper_index]
        figures = {
            "lower": lower,
            "upper": upper,
            "lower_number": upper_index,  # rungs are numbered from 1 for people
            "upper_number": upper_index + 1,
            "apart": abs(upper - lower),
        }
        if lower > upper:
            found.append(Warning("order", upper_index, say("ladder.warnings.order", **figures)))
        elif upper - lower > MAX_GAP:
            found.append(Warning("gap", upper_index, say("ladder.warnings.gap", **figures)))
    count = len(difficulties)
    if count < MIN_RUNGS:
        if count == 0:
            sentence = say("ladder.warnings.too_few_none")
        elif count == 1:
            sentence = say("ladder.warnings.too_few_one")
        else:
            sentence = say("ladder.warnings.too_few", count=count, missing=MIN_RUNGS - count)
        found.append(Warning("too_few", None, sentence))
    return found


def progress(statuses: Sequence[str]) -> tuple[int, int]:
    """(mastered, total) for a ladder's rung statuses ("mastered", "active", "upcoming")."""
    return sum(1 for s in statuses if s == "mastered"), len(statuses)


def plan_time(phrase: str, now: datetime) -> datetime:
    """When a planned attempt is to happen: a weekday is the coming one, not the last, and a
    phrase that cannot be read gets future examples. A more specific WhenError (such as a date
    that reads two ways) keeps its own sentence."""
    from efficacy_tui.when import WhenError, parse_when  # dateutil: not for `efficacy log`

    try:
        return parse_when(phrase, now=now, ahead=True)
    except WhenError as err:
        if type(err) is not WhenError:
            raise
        shown = " ".join(phrase.split())
        raise WhenError(say("ladder.plan.unreadable", value=shown)) from None
