"""The advance / hold / split rule (inspired by Wilson et al. 2019) at every boundary, its score
named with what it counts, and ladder warnings."""

import pytest

from efficacy_tui.coach.ladder import (
    OUTCOME_SCORE,
    WINDOW,
    Suggestion,
    ladder_warnings,
    progress,
    score_words,
    suggest,
)

S, P, X = "success", "partial", "setback"


@pytest.mark.parametrize(
    ("outcomes", "kind"),
    [
        # fewer than 3 counted attempts: keep going, whatever they were
        ([], "keep_going"),
        ([X], "keep_going"),
        ([S, S], "keep_going"),
        ([X, X], "keep_going"),
        # the last 3 all setbacks: split, even though the overall rate is 7/10 = 0.7
        ([S] * 7 + [X] * 3, "split"),
        # two setbacks then a success: not a run of three, so that clause does not fire
        ([X, X, S], "hold"),  # rate 1/3 with 3 attempts: too few for the low-rate split
        ([S, S, X, X, S], "hold"),  # 3/5 = 0.6
        # exactly 0.85: 8 successes, 1 partial, 1 setback = 8.5/10 -> advance
        ([S] * 8 + [P, X], "advance"),
        ([X] + [S] * 8 + [P], "advance"),
        # just under: 8 successes, 2 setbacks = 0.8 -> hold
        ([S] * 8 + [X, X], "hold"),
        ([X, S, S, S, S, S, S, S, S, X], "hold"),
        # 6 of 7 = 0.857: above the line -> advance
        ([S, S, S, X, S, S, S], "advance"),
        # exactly 0.5 with 3 attempts: hold; with 4 attempts: split
        ([S, X, P], "hold"),
        ([S, X, S, X], "split"),
        ([P, P, P, P], "split"),
        # partial counts as 0.5: 3 partials = 0.5 over 3 -> hold; 1 setback + 3 partials = 0.375 -> split
        ([P, P, P], "hold"),
        ([X, P, P, P], "split"),
        # all partials over 5 = 0.5 -> split, not hold
        ([P] * 5, "split"),
        # a success and partials: 1 + 0.5 * 4 = 3 of 5 = 0.6 -> hold
        ([S, P, P, P, P], "hold"),
        # all successes: advance
        ([S, S, S], "advance"),
        # only the last 10 count: 10 old setbacks then 10 successes -> advance
        ([X] * 10 + [S] * 10, "advance"),
        # a setback 11 attempts back does not count: the last 10 are 8.5/10 = 0.85 -> advance,
        # where all 11 would be 8.5/11 = 0.77 -> hold
        ([X] + [S] * 8 + [P, X], "advance"),
        ([X, X] + [S] * 8 + [P, X], "advance"),
        # None entries (planned attempts) are ignored
        ([S, None, None, S], "keep_going"),
        ([S, None, S, None, S], "advance"),
        ([X, None, X, None, X], "split"),
        ([None, None, None], "keep_going"),
    ],
)
def test_rule(outcomes, kind):
    assert suggest(outcomes).kind == kind


def test_the_rule_is_checked_in_order_setback_run_before_score():
    # 10 attempts: 7 successes then 3 setbacks. The score (0.7) alone would say hold.
    result = suggest([S] * 7 + [X] * 3)
    assert result.kind == "split"
    assert result.score == pytest.approx(0.7)


def test_window_counts_only_the_last_ten():
    result = suggest([X] * 10 + [S] * 10)
    assert (result.attempts, result.successes, result.setbacks) == (10, 10, 0)
    assert result.score == 1.0
    # the setback 11 attempts back is outside the window: the figures do not include it
    result = suggest([X] + [S] * 9 + [P])
    assert (result.attempts, result.successes, result.partials, result.setbacks) == (10, 9, 1, 0)
    assert WINDOW == 10


def test_counts_and_score():
    result = suggest([S, P, X, S, None])
    assert result == Suggestion(
        kind="hold",
        attempts=4,
        successes=2,
        partials=1,
        setbacks=1,
        score=0.625,
        reason="Score 63% over the last 4 (2 successes, 1 partial; a partial counts half): in the "
        "growth zone, keep practising.",
        label="hold: in the growth zone",
    )
    assert suggest([]).score is None
    assert OUTCOME_SCORE == {"success": 1.0, "partial": 0.5, "setback": 0.0}


@pytest.mark.parametrize(
    ("outcomes", "reason"),
    [
        ([], "No attempts recorded on this rung yet: try it a few times before the coach suggests anything."),
        ([S], "1 attempt so far: a few more before the coach suggests anything."),
        ([S, X], "2 attempts so far: a few more before the coach suggests anything."),
        ([S, S, X, X, X], "The last 3 attempts were setbacks: an easier step in between would help."),
        ([X, S, S, S, S, S, S, S], "7 of the last 8 succeeded: ready for a harder rung."),
        ([S] * 8 + [P, X], "8 of the last 10 succeeded and 1 went partly: ready for a harder rung."),
        ([S, S, S], "All of the last 3 succeeded: ready for a harder rung."),
        ([S, X, X, S, X], "Score 40% over the last 5 (2 successes; a partial counts half): this step is too big for now; try splitting it into smaller steps."),
        ([S] * 7 + [X, X, S, X], "Score 70% over the last 10 (7 successes; a partial counts half): in the growth zone, keep practising."),
        (
            [S, X, X],
            "Score 33% over the last 3 (1 success; a partial counts half): keep practising for now; "
            "one more attempt will show whether this step needs splitting.",
        ),
        (
            [P, P, P, P],
            "Score 50% over the last 4 (0 successes, 4 partials; a partial counts half): this step is "
            "too big for now; try splitting it into smaller steps.",
        ),
    ],
)
def test_reasons_carry_the_right_figures(outcomes, reason):
    assert suggest(outcomes).reason == reason


@pytest.mark.parametrize(
    ("successes", "partials", "attempts", "words"),
    [
        (6, 3, 10, "score 75%: 6 successes, 3 partials of the last 10"),
        (0, 4, 4, "score 50%: 0 successes, 4 partials of the last 4"),
        (1, 0, 1, "score 100%: 1 success of 1 attempt"),
        (0, 1, 1, "score 50%: 0 successes, 1 partial of 1 attempt"),
        (0, 0, 0, ""),
    ],
)
def test_a_score_is_named_with_what_it_counts(successes, partials, attempts, words):
    assert score_words(successes, partials, attempts) == words


@pytest.mark.parametrize(
    ("outcomes", "label"),
    [([S], "keep going"), ([S] * 3, "advance"), ([S, X, S, S], "hold: in the growth zone"), ([X] * 3, "split")],
)
def test_labels(outcomes, label):
    assert suggest(outcomes).label == label


def test_suggestions_never_claim_a_change():
    cases = [[], [S], [X] * 3, [S] * 5, [S, X] * 3, [S, S, X, S], [S, X, X]]
    for outcomes in cases:
        reason = suggest(outcomes).reason.lower()
        for claim in ("moved", "advanced", "was split", "has been", "changed", "updated"):
            assert claim not in reason, (outcomes, reason)


def test_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        suggest([S, "win", S])


def kinds(difficulties):
    return [(w.kind, w.position) for w in ladder_warnings(difficulties)]


@pytest.mark.parametrize(
    ("difficulties", "expected"),
    [
        ([20, 30, 40, 50, 60], []),  # a good ladder: no warnings
        ([40, 55, 70], []),  # 40 is allowed first; 15 apart is allowed
        ([], [("too_few", None)]),  # an empty ladder gives only too_few
        ([30], [("too_few", None)]),
        ([30, 45], [("too_few", None)]),
        ([41, 50, 60], [("first_too_hard", 0)]),
        ([55], [("first_too_hard", 0), ("too_few", None)]),
        ([20, 36, 45], [("gap", 1)]),  # 16 apart: one more than allowed
        ([10, 30, 40, 60], [("gap", 1), ("gap", 3)]),  # one warning per gap
        ([20, 40, 30, 40], [("gap", 1), ("order", 2)]),  # 40 below 30: drawn wrong way round
        ([30, 30, 40], []),  # equal neighbours are fine
        ([60, 20, 30], [("first_too_hard", 0), ("order", 1)]),  # a drop is "order", never "gap"
    ],
)
def test_ladder_warnings(difficulties, expected):
    assert kinds(difficulties) == expected


def test_warning_texts_name_the_figures():
    (first,) = ladder_warnings([55, 60, 70])
    assert first.text == "The first rung is 55: start at 40 or below so the first step is one you can take."
    (gap,) = ladder_warnings([20, 30, 50])
    assert gap.text == (
        "Rungs 2 and 3 are 20 apart (30 to 50): a step in between would make the climb smoother."
    )
    (order,) = ladder_warnings([20, 35, 30])
    assert order.text.startswith("Rung 2 (35) is harder than rung 3 above it (30):")
    assert ladder_warnings([])[0].text.startswith("This ladder has no rungs yet")
    assert ladder_warnings([10])[0].text.startswith("This ladder has 1 rung:")
    assert ladder_warnings([10, 20])[0].text.startswith("This ladder has 2 rungs: add at least 1 more")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], (0, 0)),
        (["upcoming", "upcoming"], (0, 2)),
        (["mastered", "mastered", "active", "upcoming"], (2, 4)),
        (["mastered"] * 3, (3, 3)),
    ],
)
def test_progress(statuses, expected):
    assert progress(statuses) == expected


def test_planning_reads_weekdays_forward_and_suggests_future_times():
    from datetime import datetime

    from efficacy_tui.coach.audit import read_plan
    from efficacy_tui.coach.ladder import plan_time
    from efficacy_tui.when import WhenError

    now = datetime(2026, 11, 26, 9, 30).astimezone()  # a Thursday
    assert plan_time("friday 9am", now).date().isoformat() == "2026-11-27"
    assert plan_time("thursday 6pm", now).date().isoformat() == "2026-11-26"  # later today
    assert plan_time("thursday 9am", now).date().isoformat() == "2026-12-03"  # already passed
    assert read_plan("Run", "saturday 9am", 60, now).planned_at.date().isoformat() == "2026-11-28"
    with pytest.raises(WhenError) as err:
        plan_time("someday", now)
    assert "tomorrow 9am" in str(err.value) and "yesterday" not in str(err.value)
    with pytest.raises(WhenError, match="could be read two ways"):
        plan_time("01/02/2027", now)
