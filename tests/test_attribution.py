"""Attribution reframing (Weiner 1985; Perry et al. 2014; Wilson & Linville 1985): the fixed-ability
detector on labelled sentences, exact offsets, the pre-selected dimensions, cause order,
the retraining question and the monthly share of controllable, temporary reframes."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efficacy_tui.coach.attribution import (
    CAUSES,
    KINDS,
    SEED_QUESTION,
    Dimensions,
    Finding,
    cause_choices,
    detect,
    is_controllable_temporary,
    monthly_share,
    needs_retraining,
    preselect,
)
from efficacy_tui.content import say

# (sentence, expected kind, exact matched text): each must give exactly this one finding.
FLAGGED = [
    ("I was never good at maths", "fixed_ability", "I was never good at"),
    ("Honestly I'm stupid with numbers", "fixed_ability", "I'm stupid"),
    ("I never get the timing right", "never", "I never get the timing right"),
    ("I'll never be a runner", "never", "I'll never be a"),
    ("I'm just not good at maths", "fixed_ability", "I'm just not good at"),
    ("I am just not good at presentations", "fixed_ability", "I am just not good at"),
    ("I’m just not good at this", "fixed_ability", "I’m just not good at"),
    ("I‘m just not good at this", "fixed_ability", "I‘m just not good at"),
    ("i'M JUST NOT GOOD AT interviews", "fixed_ability", "i'M JUST NOT GOOD AT"),
    ("I'm   just\nnot good at this", "fixed_ability", "I'm   just\nnot good at"),
    ("Im just not smart", "fixed_ability", "Im just not"),
    ("Honestly I’m hopeless at this", "fixed_ability", "I’m hopeless at"),
    ("I'm really bad at small talk", "fixed_ability", "I'm really bad at"),
    ("I am not cut out for public speaking", "fixed_ability", "I am not cut out for"),
    ("I don't have the brain for statistics", "fixed_ability", "I don't have the brain for"),
    ("I do not have the brain for statistics", "fixed_ability", "I do not have the brain for"),
    ("I dont have the brains for this", "fixed_ability", "I dont have the brains for"),
    ("I always mess up the first question", "always", "I always mess up"),
    ("I ALWAYS choke when it matters", "always", "I ALWAYS choke"),
    ("I always seem to freeze on stage", "always", "I always seem to freeze"),
    ("I've always been bad at sport", "always", "I've always been bad at"),
    ("I never get it right", "never", "I never get it right"),
    ("I never manage to finish on time", "never", "I never manage to finish"),
    ("I never managed it", "never", "I never managed"),
    ("I'll never be able to do this", "never", "I'll never be able to"),
    ("I will never be good at running", "never", "I will never be good"),
    ("I won't ever get better at this", "never", "I won't ever get better"),
    ("I'm never gonna be any good", "never", "I'm never gonna be any good"),
    ("I CAN'T do this", "cant", "I CAN'T"),
    ("I cannot do presentations", "cant", "I cannot"),
    ("I can not speak in meetings", "cant", "I can not"),
    ("I can’t do hills", "cant", "I can’t"),
    ("I just can't do it", "cant", "I just can't"),
    ("it's just that I can't do maths", "cant", "I can't"),
    ("I have no talent for drawing", "talent", "no talent"),
    ("I'm not talented like my sister", "talent", "not talented"),
    ("I don’t have the talent for it", "talent", "don’t have the talent"),
    ("I'm not a natural", "natural", "I'm not a natural"),
    ("She says I'm not a natural speaker", "natural", "I'm not a natural"),
    ("He is not a natural", "natural", "not a natural"),
    ("It doesn't come naturally to me", "natural", "doesn't come naturally"),
    ("that's who I am", "identity", "that's who I am"),
    ("That’s just who I am.", "identity", "That’s just who I am"),
    ("That is who I am", "identity", "That is who I am"),
    ("it's just how I am", "identity", "it's just how I am"),
    ("It is just the way I am", "identity", "It is just the way I am"),
    ("I'm not a maths person", "identity", "I'm not a maths person"),
    ("I’m just not a people person", "identity", "I’m just not a people person"),
    ("I was born without any rhythm", "identity", "I was born without"),
]

# Everyday phrases that only look alike, habits, temporary states and neutral explanations.
NOT_FLAGGED = [
    "They said I can't use slides",
    "My manager told me I can't leave early",
    "I'm stupidly happy it went well",
    "I can't wait to try again",
    "I can’t wait",
    "I cannot wait for the weekend",
    "I cant wait",
    "I can't believe how fast it went",
    "I can't remember the second point",
    "I can not recall the name",
    "I can't say I enjoyed it",
    "I just can't wait",
    "never mind",
    "Never mind, it happens",
    "I always check my notes",
    "I always bring water",
    "I always warm up first",
    "I ALWAYS PRACTISE on Sundays",
    "I never skip breakfast",
    "I never thought it would be this hard",
    "I'll never forget that day",
    "I never forget my keys",
    "It was not a natural disaster",
    "It's not a natural fit for the slot",
    "it's just that I was tired",
    "It’s just that I rushed",
    "I'm just not sure",
    "I’m just not sure what happened",
    "I'm just not ready yet",
    "I am just not ready",
    "I'm not good at it yet",
    "I can't do it yet",
    "I can't run 5k so far",
    "I was born in Leeds",
    "I couldn't do it this time",
    "I didn't prepare enough",
    "I started too fast",
    "The interviewer asked about things I hadn't seen",
    "Talented people practise too",
    "The canteen was noisy",
    "",
    "   ",
]


def only(text: str) -> Finding:
    findings = detect(text)
    assert len(findings) == 1, findings
    return findings[0]


def test_enough_labelled_sentences():
    assert len(FLAGGED) >= 20 and len(NOT_FLAGGED) >= 20
    assert {kind for _, kind, _ in FLAGGED} == set(KINDS)


@pytest.mark.parametrize(("sentence", "kind", "matched"), FLAGGED)
def test_flagged(sentence, kind, matched):
    finding = only(sentence)
    assert (finding.kind, finding.text) == (kind, matched)
    assert sentence[finding.start : finding.end] == matched
    assert finding.explanation == say("attribution.kinds")[kind]["explanation"].format(
        text=matched
    )


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_not_flagged(sentence):
    assert detect(sentence) == []


def test_explanation_names_the_wording_in_one_sentence():
    finding = only("I'm just not smart enough")
    assert finding.kind == "fixed_ability"
    assert finding.text == "I'm just not smart enough"
    assert finding.explanation == (
        "“I'm just not smart enough” describes a fixed ability, not something you did."
    )
    for kind in KINDS:
        sentence = say("attribution.kinds")[kind]["explanation"].format(text="X")
        assert sentence.startswith("“X”") and sentence.endswith(".")
        assert sentence.count(".") == 1


@pytest.mark.parametrize(
    "text",
    [
        "   I’m just not good at this",
        "\n\tI CAN’T do it and I always freeze",
        "Well… I'm hopeless at this; that’s just who I am, and I’ll never be able to change it.",
        "“I can’t”, I said. Then: I’m not a natural, no talent, I never get it right.",
        "  ‘I am not cut out for this’ — it’s just how I am",
    ],
)
def test_offsets_index_the_original_text(text):
    findings = detect(text)
    assert findings
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        assert finding.text == finding.text.strip()


def test_several_findings_in_order_without_overlap():
    text = "I always freeze, I'm just not good at talking, and that's who I am. I can't wait to stop."
    findings = detect(text)
    assert [(f.kind, f.text) for f in findings] == [
        ("always", "I always freeze"),
        ("fixed_ability", "I'm just not good at"),
        ("identity", "that's who I am"),
    ]
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


def test_longest_wins_at_a_position():
    # "I'm just not" alone is fixed-ability, but the longer identity wording wins.
    assert only("I'm just not a morning person").text == "I'm just not a morning person"
    assert only("I'm just not a morning person").kind == "identity"
    assert only("I'm just not good at it").text == "I'm just not good at"
    assert only("I'm just not").text == "I'm just not"


def test_same_text_same_answer_and_a_fresh_list():
    first = detect("I can't do this")
    first.clear()
    assert len(detect("I can't do this")) == 1


# --- the three questions ---------------------------------------------------------------------

D = Dimensions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no cues: the documented default
        ("", D("internal", "temporary", "controllable")),
        ("I messed up the intro", D("internal", "temporary", "controllable")),
        # fixed-ability wording
        ("I'm just not good at interviews", D("internal", "stable", "uncontrollable")),
        ("I always freeze", D("internal", "stable", "uncontrollable")),
        # external causes: the situation, out of one's hands
        ("The weather was awful", D("external", "temporary", "uncontrollable")),
        ("Traffic made me late", D("external", "temporary", "uncontrollable")),
        ("the interviewer was rude", D("external", "temporary", "uncontrollable")),
        ("Just bad luck", D("external", "temporary", "uncontrollable")),
        ("They kept interrupting", D("external", "temporary", "uncontrollable")),
        ("The room was noisy", D("external", "temporary", "uncontrollable")),
        # temporary cues
        ("I was tired", D("internal", "temporary", "controllable")),
        ("I didn’t sleep and I can't do this", D("internal", "temporary", "uncontrollable")),
        ("I can't do this today", D("internal", "temporary", "uncontrollable")),
        ("It was the first time and I always panic", D("internal", "temporary", "uncontrollable")),
        ("I rushed it", D("internal", "temporary", "controllable")),
        # controllable cues
        ("I didn't prepare", D("internal", "temporary", "controllable")),
        ("I did not practise the ending", D("internal", "temporary", "controllable")),
        ("I didn't practice", D("internal", "temporary", "controllable")),
        ("I forgot to eat", D("internal", "temporary", "controllable")),
        ("I skipped the warm-up", D("internal", "temporary", "controllable")),
        ("I started too fast", D("internal", "temporary", "controllable")),
        ("My plan had no slack", D("internal", "temporary", "controllable")),
        # controllable outranks external: it names what the user did
        ("The traffic was bad and I didn't check it", D("internal", "temporary", "controllable")),
        # fixed wording with a controllable cue: still stable, now controllable
        ("I'm hopeless at this, I didn't prepare", D("internal", "stable", "controllable")),
        # fixed wording with an external cue
        ("I always panic when they watch", D("external", "stable", "uncontrollable")),
    ],
)
def test_preselect(text, expected):
    assert preselect(text) == expected


def test_preselect_uses_the_findings_given():
    text = "I'm just not good at it"
    assert preselect(text, []) == D("internal", "temporary", "controllable")
    assert preselect(text, detect(text)) == D("internal", "stable", "uncontrollable")
    # cheap to call with findings already computed; the same answer either way
    assert preselect(text) == preselect(text, detect(text))


def test_dimensions_are_checked():
    with pytest.raises(ValueError):
        Dimensions("inside", "stable", "controllable")
    with pytest.raises(ValueError):
        Dimensions("internal", "forever", "controllable")
    with pytest.raises(ValueError):
        Dimensions("internal", "stable", "maybe")


@pytest.mark.parametrize(
    ("dimensions", "expected"),
    [
        (D("internal", "temporary", "controllable"), False),
        (D("external", "temporary", "controllable"), False),
        (D("internal", "stable", "controllable"), True),
        (D("internal", "temporary", "uncontrollable"), True),
        (D("external", "stable", "uncontrollable"), True),
        (D("internal", "stable", "uncontrollable"), True),
    ],
)
def test_needs_retraining(dimensions, expected):
    assert needs_retraining(dimensions) is expected


# --- causes ----------------------------------------------------------------------------------

LABELS = {
    "strategy": "strategy",
    "preparation": "preparation",
    "effort": "effort",
    "practice": "amount of practice",
    "circumstance": "circumstances",
    "learning": "a normal, temporary part of learning",
}
HIGH = ["strategy", "preparation", "practice", "circumstance", "learning", "effort"]
USUAL = ["preparation", "effort", "practice", "strategy", "circumstance", "learning"]


@pytest.mark.parametrize(
    ("effort", "order"), [(5, HIGH), (4, HIGH), (3, USUAL), (2, USUAL), (1, USUAL), (None, USUAL)]
)
def test_cause_choices(effort, order):
    choices = cause_choices(effort)
    assert [key for key, _ in choices] == order
    assert all(label == LABELS[key] for key, label in choices)
    assert sorted(order) == sorted(CAUSES)


@pytest.mark.parametrize("effort", [0, 6, -1, 4.5, True, "5"])
def test_cause_choices_refuses_other_efforts(effort):
    with pytest.raises(ValueError):
        cause_choices(effort)


def test_seed_question_is_asked_verbatim():
    assert SEED_QUESTION == "What specifically did I do that could have been different?"
    assert say("attribution.seed_question") == SEED_QUESTION


def test_content_has_every_kind_and_cause():
    content = say("attribution")
    assert list(content["kinds"]) == list(KINDS)
    assert set(content["causes"]) == set(CAUSES)
    assert content["exceptions"]
    for kind in KINDS:
        assert "{text}" in content["kinds"][kind]["explanation"]
        assert content["kinds"][kind]["patterns"]


@pytest.mark.parametrize(
    ("dimensions", "cause", "expected"),
    [
        (D("internal", "temporary", "controllable"), None, True),
        (D("external", "temporary", "controllable"), None, True),
        (D("internal", "temporary", "controllable"), "circumstance", True),
        (D("internal", "stable", "uncontrollable"), None, False),
        (D("internal", "stable", "controllable"), None, False),
        (D("internal", "temporary", "uncontrollable"), None, False),
        (D("internal", "stable", "uncontrollable"), "strategy", True),
        (D("internal", "stable", "uncontrollable"), "preparation", True),
        (D("internal", "stable", "uncontrollable"), "effort", True),
        (D("internal", "stable", "uncontrollable"), "practice", True),
        (D("internal", "stable", "uncontrollable"), "learning", True),
        (D("internal", "stable", "uncontrollable"), "circumstance", False),
        (D("external", "temporary", "uncontrollable"), "circumstance", False),
    ],
)
def test_is_controllable_temporary(dimensions, cause, expected):
    assert is_controllable_temporary(dimensions, cause) is expected


def test_is_controllable_temporary_refuses_unknown_causes():
    with pytest.raises(ValueError):
        is_controllable_temporary(D("internal", "temporary", "controllable"), "fate")


# --- monthly share ---------------------------------------------------------------------------


def test_monthly_share_sorted_with_shares_and_empty_months_skipped():
    rows = [("2026-03", 4, 3), ("2025-12", 2, 0), ("2026-01", 0, 0), ("2026-02", 5, 5)]
    assert monthly_share(rows) == [
        ("2025-12", 2, 0, 0.0),
        ("2026-02", 5, 5, 1.0),
        ("2026-03", 4, 3, 0.75),
    ]


def test_monthly_share_accepts_any_iterable_and_adds_up_repeated_months():
    rows = iter([("2026-05", 1, 1), ("2026-04", 3, 1), ("2026-05", 3, 0)])
    assert monthly_share(rows) == [("2026-04", 3, 1, 1 / 3), ("2026-05", 4, 1, 0.25)]
    assert monthly_share([]) == []


@pytest.mark.parametrize(
    "row",
    [("2026-13", 1, 0), ("2026-1", 1, 0), ("May", 1, 0), ("2026-05", 1, 2), ("2026-05", -1, 0)],
)
def test_monthly_share_refuses_bad_rows(row):
    with pytest.raises(ValueError):
        monthly_share([row])


def test_module_imports_only_the_standard_library_and_content():
    import efficacy_tui.coach.attribution as module

    source = open(module.__file__, encoding="utf-8").read()
    imported = re.findall(r"^(?:from|import) ([\w.]+)", source, re.MULTILINE)
    allowed = {"re", "collections.abc", "dataclasses", "functools", "typing"}
    assert set(imported) <= allowed | {"efficacy_tui.content"}


# --- any text --------------------------------------------------------------------------------

PIECES = [sentence for sentence, _, _ in FLAGGED] + NOT_FLAGGED + [
    " ", "  ", "\n", ", ", ". ", "’", "'", "“", "”", "…", "yet", "not", "I", "am", "can", "t",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=12))
def test_any_text_gives_exact_ordered_non_overlapping_offsets(parts):
    text = "".join(parts)
    findings = detect(text)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert finding.kind in KINDS
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start
    preselect(text, findings)
