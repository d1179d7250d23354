"""Attribution reframing (Weiner 1985; Perry et al. 2014; Wilson & Linville 1985): the fixed-ability
detector on labelled sentences, exact offsets, the pre-selected dimensions, cause order,
the retraining question and the monthly share of controllable, temporary reframes."""

import re
from pathlib import Path

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
    ('I was never good at maths', 'permanence', 'I was never good at'),
    ("Honestly I'm stupid with numbers", 'capacity', "I'm stupid"),
    ('I never get the timing right', 'permanence', 'I never get the timing right'),
    ("I'll never be a runner", 'permanence', "I'll never be a"),
    ("I'm just not good at maths", 'capacity', "I'm just not good at"),
    ('I am just not good at presentations', 'capacity', 'I am just not good at'),
    ('I’m just not good at this', 'capacity', 'I’m just not good at'),
    ('I‘m just not good at this', 'capacity', 'I‘m just not good at'),
    ("i'M JUST NOT GOOD AT interviews", 'capacity', "i'M JUST NOT GOOD AT"),
    ("I'm   just\nnot good at this", 'capacity', "I'm   just\nnot good at"),
    ('Im just not smart', 'capacity', 'Im just not smart'),
    ('Honestly I’m hopeless at this', 'capacity', 'I’m hopeless at'),
    ("I'm really bad at small talk", 'capacity', "I'm really bad at"),
    ('I am not cut out for public speaking', 'capacity', 'I am not cut out for'),
    ("I don't have the brain for statistics", 'capacity', "I don't have the brain for"),
    ('I do not have the brain for statistics', 'capacity', 'I do not have the brain for'),
    ('I dont have the brains for this', 'capacity', 'I dont have the brains for'),
    ('I always mess up the first question', 'permanence', 'I always mess up'),
    ('I ALWAYS choke when it matters', 'permanence', 'I ALWAYS choke'),
    ('I always seem to freeze on stage', 'permanence', 'I always seem to freeze'),
    ("I've always been bad at sport", 'permanence', "I've always been bad at"),
    ('I never get it right', 'permanence', 'I never get it right'),
    ('I never manage to finish on time', 'permanence', 'I never manage'),
    ('I never managed it', 'permanence', 'I never managed'),
    ("I'll never be able to do this", 'permanence', "I'll never be able"),
    ('I will never be good at running', 'permanence', 'I will never be good'),
    ("I won't ever get better at this", 'permanence', "I won't ever get better"),
    ("I'm never gonna be any good", 'permanence', "I'm never gonna be any good"),
    ("I CAN'T do this", 'capacity', "I CAN'T do this"),
    ('I cannot do presentations', 'capacity', 'I cannot do presentations'),
    ('I can not speak in meetings', 'capacity', 'I can not speak'),
    ('I can’t do hills', 'capacity', 'I can’t do hills'),
    ("I just can't do it", 'capacity', "I just can't do it"),
    ("it's just that I can't do maths", 'capacity', "I can't do maths"),
    ('I have no talent for drawing', 'capacity', 'I have no talent'),
    ("I'm not talented like my sister", 'capacity', "I'm not talented"),
    ('I don’t have the talent for it', 'capacity', 'I don’t have the talent'),
    ("I'm not a natural", 'identity', "I'm not a natural"),
    ("She says I'm not a natural speaker", 'identity', "I'm not a natural speaker"),
    ('He is not a natural', 'identity', 'not a natural'),
    ("It doesn't come naturally to me", 'inborn', "doesn't come naturally"),
    ("that's who I am", 'identity', "that's who I am"),
    ('That’s just who I am.', 'identity', 'That’s just who I am'),
    ('That is who I am', 'identity', 'That is who I am'),
    ("it's just how I am", 'identity', "it's just how I am"),
    ('It is just the way I am', 'identity', 'It is just the way I am'),
    ("I'm not a maths person", 'identity', "I'm not a maths person"),
    ('I’m just not a people person', 'identity', 'I’m just not a people person'),
    ('I was born without any rhythm', 'inborn', 'born without'),
    ("I'm the kind of person who chokes", 'type_of_person', "I'm the kind of person who chokes"),
    ('I’m the type who panics when people watch', 'type_of_person', 'I’m the type who panics'),
    ("I'm not the sort of person who can just stand up and talk", 'type_of_person', "I'm not the sort of person who can"),
    ("Some people have it and I don't", 'comparison', 'Some people have it'),
    ("People like me don't get promoted", 'comparison', "People like me don't"),
    ("You either have it or you don't", 'comparison', 'either have it or'),
    ("Some people are born speakers, I'm not", 'comparison', 'Some people are born'),
    ("It's just not in my DNA", 'inborn', 'in my DNA'),
    ("My brain just isn't wired for coding", 'capacity', "My brain just isn't wired for"),
    ('I have two left feet', 'inborn', 'two left feet'),
    ("I'm naturally bad at languages", 'capacity', "I'm naturally bad at"),
    ('I have no ear for music', 'capacity', 'I have no ear for'),
    ("I'm not a runner", 'identity', "I'm not a runner"),
    ("I'm no good with people", 'capacity', "I'm no good with"),
    ("I've always been terrible with names", 'permanence', "I've always been terrible with"),
    ("I'm not good at this yet and never will be", 'permanence', 'never will be'),
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
    "I can't find my keys",
    "I can't make it on Friday",
    "I'm just not available on Mondays",
    "I never pass up a chance to rehearse",
    "I always lose track of time when I don't set a timer",
    "I'll never be late for a rehearsal again",
    "Some people have it worse",
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
    assert finding.kind == "capacity"
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
        ("permanence", "I always freeze"),
        ("capacity", "I'm just not good at"),
        ("identity", "that's who I am"),
    ]
    for before, after in zip(findings, findings[1:], strict=False):
        assert before.end <= after.start


def test_longest_wins_at_a_position():
    # "I'm just not a morning" is identity wording too, but the longer one wins.
    assert only("I'm just not a morning person").text == "I'm just not a morning person"
    assert only("I'm just not a morning person").kind == "identity"
    assert only("I'm just not good at it").text == "I'm just not good at"
    assert only("I'm not good enough at it").text == "I'm not good enough"


def test_same_text_same_answer_and_a_fresh_list():
    first = detect("I can't do this")
    first.clear()
    assert len(detect("I can't do this")) == 1


# --- everyday wording: precision and recall on labelled sets ----------------------------------

DATA = Path(__file__).parent / "data"


def labelled(name: str) -> list[tuple[bool, str]]:
    """(fixed-ability?, sentence) for each line of a labelled set in tests/data."""
    found = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            assert label in ("fixed", "other"), line
            found.append((label == "fixed", sentence))
    return found


def precision_recall(sentences: list[tuple[bool, str]]) -> tuple[float, float]:
    flagged = [(fixed, bool(detect(sentence))) for fixed, sentence in sentences]
    true = sum(fixed and found for fixed, found in flagged)
    return true / sum(found for _, found in flagged), true / sum(fixed for fixed, _ in flagged)


def test_the_labelled_set_is_big_varied_and_half_fixed():
    sentences = labelled("fixed_ability.tsv")
    assert len(sentences) >= 150
    assert len({sentence.lower() for _, sentence in sentences}) == len(sentences)
    fixed = sum(label for label, _ in sentences)
    assert 0.45 <= fixed / len(sentences) <= 0.55
    text = "\n".join(sentence for _, sentence in sentences)
    assert "’" in text and "'" in text and any(s.isupper() for _, s in sentences)


@pytest.mark.parametrize(
    "name", ["fixed_ability.tsv", "fixed_ability_check.tsv", "fixed_ability_fresh.tsv"])
def test_precision_and_recall_on_everyday_wording(name):
    precision, recall = precision_recall(labelled(name))
    assert precision >= 0.95, f"precision {precision:.3f}"
    assert recall >= 0.90, f"recall {recall:.3f}"


# --- the three questions ---------------------------------------------------------------------

D = Dimensions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Weiner's classification of the cause the words name
        ("I'm just not good at interviews", D("internal", "stable", "uncontrollable")),  # ability
        ("I always freeze", D("internal", "stable", "uncontrollable")),
        ("I didn't try hard enough", D("internal", "temporary", "controllable")),  # effort
        ("I gave up halfway", D("internal", "temporary", "controllable")),
        ("I didn't prepare", D("internal", "temporary", "controllable")),  # strategy, preparation
        ("I did not practise the ending", D("internal", "temporary", "controllable")),
        ("I started too fast", D("internal", "temporary", "controllable")),
        ("My plan had no slack", D("internal", "temporary", "controllable")),
        ("I was tired", D("internal", "temporary", "uncontrollable")),  # fatigue
        ("I had a cold", D("internal", "temporary", "uncontrollable")),  # illness
        ("I was sick all week", D("internal", "temporary", "uncontrollable")),
        ("I was stressed about work", D("internal", "temporary", "uncontrollable")),  # mood
        ("The questions were too hard", D("external", "stable", "uncontrollable")),  # task
        ("The exam was difficult", D("external", "stable", "uncontrollable")),
        ("Just bad luck", D("external", "temporary", "uncontrollable")),  # luck
        ("The weather was awful", D("external", "temporary", "uncontrollable")),
        ("Traffic made me late", D("external", "temporary", "uncontrollable")),
        ("the interviewer was rude", D("external", "temporary", "uncontrollable")),
        # several causes: the most specific wins, what the user did first
        ("The traffic was bad and I didn't check it", D("internal", "temporary", "controllable")),
        ("I'm hopeless at this, I didn't prepare", D("internal", "temporary", "controllable")),
        ("I didn’t sleep and I can't do this", D("internal", "temporary", "uncontrollable")),
        ("I always panic when they watch", D("internal", "stable", "uncontrollable")),
        # a cue inside fixed-ability wording is part of the verdict: "give up" alone is effort
        ("I always give up", D("internal", "stable", "uncontrollable")),
    ],
)
def test_preselect_follows_weiner(text, expected):
    assert preselect(text) == expected


@pytest.mark.parametrize(
    "text", ["", "I messed up the intro", "The slides were in a different order from my notes"])
def test_preselect_chooses_nothing_when_no_cause_is_named(text):
    assert preselect(text) is None


def test_preselect_uses_the_findings_given():
    text = "I'm just not good at it"
    assert preselect(text, []) is None
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
USUAL = ["effort", "preparation", "practice", "strategy", "circumstance", "learning"]


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
        (D("internal", "temporary", "controllable"), "strategy", True),
        (D("internal", "temporary", "controllable"), "learning", True),
        # circumstances are not in one's hands, whatever the answers
        (D("internal", "temporary", "controllable"), "circumstance", False),
        (D("internal", "stable", "uncontrollable"), None, False),
        (D("internal", "stable", "controllable"), None, False),
        (D("internal", "temporary", "uncontrollable"), None, False),
        # answers kept as "always this way" or "out of my hands" decide, whatever the cause
        (D("internal", "stable", "uncontrollable"), "strategy", False),
        (D("internal", "stable", "uncontrollable"), "effort", False),
        (D("internal", "stable", "controllable"), "preparation", False),
        (D("internal", "temporary", "uncontrollable"), "practice", False),
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
