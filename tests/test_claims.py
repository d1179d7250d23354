"""Claims no bigger than the science: what the help, the screens' words, the README and
docs/SCIENCE.md say about the research, checked against what the sources found."""

import re
from pathlib import Path

import pytest

from efficacy_tui.content import say

ROOT = Path(__file__).resolve().parent.parent
CONTENT = sorted((ROOT / "efficacy_tui" / "content").glob("*.toml"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCIENCE = (ROOT / "docs" / "SCIENCE.md").read_text(encoding="utf-8")
HELP = say("help.science")
WRITTEN = {p.name: p.read_text(encoding="utf-8") for p in CONTENT} | {
    "README.md": README, "SCIENCE.md": SCIENCE,
    **{p.name: p.read_text(encoding="utf-8") for p in (ROOT / "efficacy_tui").rglob("*.py")},
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_every_citation_has_its_year_and_no_effect_is_doubled(name):
    text = flat(WRITTEN[name])
    assert not re.search(r"Perry et al\.(?!,? 2014)", text), "Perry et al. 2014, with its year"
    assert not re.search(r"roughly doubl|\bdoubles? (the )?(follow-through|chance)", text)
    assert "perform better" not in text
    assert "sweet spot" not in text and "where people learn fastest" not in text


def test_reappraisal_says_the_performance_effect_did_not_replicate():
    explain = flat(say("readiness.reappraise.explain"))
    for where in (explain, flat(HELP), flat(README), flat(SCIENCE)):
        assert "Poynter & Pasqualini" in where and "2025" in where
    assert "not the better performance Brooks had reported" in explain
    assert "did not replicate" in flat(HELP)


def test_the_85_percent_is_from_learning_models_and_the_band_is_the_apps():
    for where in (flat(HELP), flat(README)):
        assert "learning models" in where and "Wilson et al." in where
        assert "this app's choice" in where
    assert "not measured in people" in (ROOT / "efficacy_tui/content/ladder.toml").read_text()


def test_breathing_gives_the_dose_studied_and_a_pace_that_differs_per_person():
    patterns = say("readiness.pacer.patterns")
    assert "4.5 to 7 a minute" in patterns["resonance"]["description"]
    assert "five minutes a day for a month" in patterns["sighing"]["description"]
    assert "lower arousal for the moment" in say("readiness.breathe.intro")
    for where in (flat(HELP), flat(README)):
        assert re.search(r"4\.5 ?(to|–) ?7 a minute", where)
        assert "five minutes a day for a month" in where


def test_the_audit_is_credited_as_the_methods_own_exercise():
    assert "not a tested protocol" in flat(HELP)
    [row] = [line for line in README.splitlines() if line.startswith("| self-efficacy audit |")]
    assert "not a tested protocol" in row and "Bandura 2006" in row
    assert "format of Bandura 2006" in row  # only the rating's format comes from the guide
    assert "Gollwitzer & Sheeran, 2006), not a guarantee" in flat(HELP)
