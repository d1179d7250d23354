"""Attribution reframing: naming fixed-ability wording and pre-selecting the three questions.

Why: after a setback, explaining it by a fixed ability ("I'm just not good at this") predicts
giving up, while an explanation that is temporary and in one's own hands (strategy, preparation,
practice) predicts trying again (Weiner 1985). Attributional retraining (Perry et al. 2014; Wilson &
Linville 1985) helps people find such explanations when they are accurate. So, while the user
writes why they think it went that way, `detect` finds fixed-ability wording and names it in one
sentence; `preselect` suggests answers to the three questions (locus, stability,
controllability), which the user confirms or changes; stable or uncontrollable answers lead to
the causes of `cause_choices` and to SEED_QUESTION, asked verbatim.

The detector runs on every keystroke, so its patterns are compiled once (`prepare`, or on first
use) and its answers for recent texts are cached. It runs the patterns on the text as typed, so
offsets are exact for highlighting; the patterns themselves accept any case, straight or curly
apostrophes and quotes, flexible whitespace and contractions in either form ("I'm" = "I am",
"can't" = "cannot" = "can not", "isn't" = "is not"): see the header of content/attribution.toml.

Decisions:

- Fixed-ability wording comes in families (KINDS: capacity, inborn, identity, type of person,
  permanence, comparison), each written as frames with slots filled from word lists, so a frame
  covers wordings nobody listed one by one ("I'm not a {role}" is "I'm not a runner" and "I am
  just not a natural"). Slots are closed lists, not any word: "I can't {skill}" flags "I can't
  sing" but not "I can't find my keys".
- Findings never overlap: the earliest wins, and at one position the longest.
- "I always" / "I never" are flagged only before words of failure or of ability ("I always
  freeze", "I never get it right", "I'll never be able to"): habits ("I always check my notes",
  "I always lose track of time", "I never skip breakfast") and "I never thought" are not
  fixed-ability statements.
- Wording that ends inside an everyday look-alike of the content file's `exceptions` is not
  flagged: "I can't wait", "I can't make it on Friday", "never pass up", "not a natural
  disaster". "I can't remember / recall" is a lapse of memory in the moment, not a fixed
  ability, so it is not flagged either.
- "I couldn't" is not flagged: past tense describes this attempt, not a fixed limit.
- Wording marked as temporary or as a resolution within the next few words of the same clause is
  not flagged: "I can't do it yet", "I'm not good at it for now", "I'll never be late again".
- `preselect` gives the answers of the kind of cause the words name, as Weiner classes it
  (WEINER), and None when they name none: then the user answers each question, and no default
  answer decides whether retraining is offered or the reframe is ticked. When several kinds
  appear, the first in CUE_ORDER wins (a specific cause outranks the general verdict: "I can't
  do this, I didn't sleep" is fatigue); a cue inside fixed-ability wording is part of the verdict.
- `cause_choices` puts strategy first and effort last when the attempt's effort was 4 or 5:
  effort was already high, so "try harder" is not the answer, a different approach may be.
  Otherwise (effort 1-3 or not recorded) effort comes first: effort, preparation, practice,
  strategy, circumstance, learning.
- `is_controllable_temporary` is True only when the user's final answers are temporary and
  controllable and the chosen cause, if any, is not "circumstance" (temporary but not in one's
  hands). Answers kept as stable or uncontrollable are never ticked, whatever the cause chosen:
  the tick never contradicts the answers shown with it.

Sentences and phrases live in content/attribution.toml; this module only compiles and applies
them. It imports only the standard library and efficacy_tui.content.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from efficacy_tui.content import say

SEED_QUESTION = "What specifically did I do that could have been different?"

KINDS = ("capacity", "inborn", "identity", "type_of_person", "permanence", "comparison")
CAUSES = ("strategy", "preparation", "effort", "practice", "circumstance", "learning")
# Every cause is temporary; all but circumstance are also in the user's hands.
CONTROLLABLE_TEMPORARY_CAUSES = frozenset(CAUSES) - {"circumstance"}

LOCI = ("internal", "external")
STABILITIES = ("stable", "temporary")
CONTROLLABILITIES = ("controllable", "uncontrollable")

HIGH_EFFORT = 4  # effort (1-5) at or above this: strategy first, effort last
EFFORTS = range(1, 6)
HIGH_EFFORT_ORDER = ("strategy", "preparation", "practice", "circumstance", "learning", "effort")
EFFORT_ORDER = ("effort", "preparation", "practice", "strategy", "circumstance", "learning")

_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Finding:
    start: int  # character offsets into the original text, for highlighting
    end: int
    text: str  # the matched text as the user typed it
    kind: str  # one of KINDS
    explanation: str  # one sentence naming it


@dataclass(frozen=True)
class Dimensions:
    locus: str  # "internal" | "external"
    stability: str  # "stable" | "temporary"
    controllability: str  # "controllable" | "uncontrollable"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("locus", LOCI),
            ("stability", STABILITIES),
            ("controllability", CONTROLLABILITIES),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


# Weiner's (1985) classification of the usual causes of success and failure: locus, stability,
# controllability. Strategy covers preparation and practice; luck covers the circumstances of the
# day (the weather, other people, equipment).
WEINER = {
    "ability": Dimensions("internal", "stable", "uncontrollable"),
    "effort": Dimensions("internal", "temporary", "controllable"),
    "strategy": Dimensions("internal", "temporary", "controllable"),
    "fatigue": Dimensions("internal", "temporary", "uncontrollable"),
    "illness": Dimensions("internal", "temporary", "uncontrollable"),
    "mood": Dimensions("internal", "temporary", "uncontrollable"),
    "task": Dimensions("external", "stable", "uncontrollable"),
    "luck": Dimensions("external", "temporary", "uncontrollable"),
}
# When the words name several kinds of cause, the first here decides: what the user did or chose
# is the most specific, then passing states of the body and mind, then the general verdict of
# ability, then the task and the circumstances.
CUE_ORDER = ("strategy", "effort", "fatigue", "illness", "mood", "ability", "task", "luck")

# --- compiling phrases -----------------------------------------------------------------------

_APOS = "['’‘ʼ]"
_QUOTE = '["“”]'
_WORD = r"[\w'’‘ʼ-]+"
_WORDS = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"  # one to three words
_LY = r"[^\W\d_]+ly"  # one word ending in -ly: an adverb, mostly

# Written contractions and their long forms. In phrases both are accepted and mean the same.
_CONTRACTIONS = {
    "i'm": "i am",
    "i'll": "i will",
    "i'd": "i would",
    "i've": "i have",
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "that's": "that is",
    "it's": "it is",
    "gonna": "going to",
    "we're": "we are",
    "they're": "they are",
    "you're": "you are",
    "we've": "we have",
    "they've": "they have",
    "there's": "there is",
    "what's": "what is",
    **{
        f"{verb}n't": f"{verb} not"
        for verb in (
            "do", "does", "did", "is", "was", "are", "were", "could", "would", "should",
            "have", "has", "had", "must", "need",
        )
    },
}  # fmt: skip
# Contractions whose apostrophe may not be left out: without it they are other words.
_APOSTROPHE_REQUIRED = frozenset({"i'll", "i'd", "we're"})
# A word before one of these may carry it as a suffix: "my brain is" = "my brain's".
_SUFFIXES = {"is": "s", "are": "re", "have": "ve", "has": "s", "will": "ll", "would": "d"}
_END = r"(?=\s*(?:[.,;:!?…—–)]|\s-\s|$))"  # {end}: where a clause ends
_PLURAL = "(s)"
_NOT = (
    "(?:not|(?:is|was|are|were|do|does|did|could|would|should|have|has|had|ca|wo|must|need|ai)"
    f"n{_APOS}?t)"
)


def _form(written: str) -> str:
    """Regex for one written contraction, any apostrophe, optional where the bare form is safe."""
    apostrophe = _APOS if written in _APOSTROPHE_REQUIRED else f"{_APOS}?"
    return apostrophe.join(re.escape(part) for part in written.split("'"))


def _pairs() -> dict[tuple[str, str], str]:
    """Each two-word long form and a regex for its contracted forms: ("can", "not") ->
    can't|cannot."""
    forms: dict[tuple[str, str], list[str]] = {}
    for written, long in _CONTRACTIONS.items():
        first, second = long.split()
        forms.setdefault((first, second), []).append(_form(written))
    return {pair: "(?:" + "|".join(alternatives) + ")" for pair, alternatives in forms.items()}


_PAIRS = _pairs()


def _literal(token: str) -> str:
    out = []
    for char in token:
        if char == "'":
            out.append(_APOS)
        elif char == '"':
            out.append(_QUOTE)
        else:
            out.append(re.escape(char))
    return "".join(out)


def _tokens(phrase: str) -> list[str]:
    """The phrase in lower case, straight quotes, contractions in their long form, one token a
    word."""
    plain = phrase.lower()
    for curly in "’‘ʼ":
        plain = plain.replace(curly, "'")
    plain = plain.replace("“", '"').replace("”", '"').replace("…", " {words} ")
    plain = plain.replace("...", " {words} ")
    tokens: list[str] = []
    for token in plain.split():
        tokens.extend(_CONTRACTIONS.get(token, token).split())
    return tokens


def _body(phrase: str, slots: dict[str, str]) -> str:
    """Regex for a phrase without the word boundaries at its ends.

    At each pair of words with a contracted form ("i am") the regex branches: the words one by
    one, or the contraction. Branching (rather than merging pairs left to right) keeps every
    reading of overlapping pairs: "I will not" matches "I won't" and "I'll not" as well.
    """
    tokens = _tokens(phrase)
    if not tokens:
        raise ValueError(f"empty phrase {phrase!r}")

    @cache
    def rest(index: int, first: bool) -> str:
        if index == len(tokens):
            return ""
        separator = "" if first else r"\s+"
        token = tokens[index]
        if token == "{end}":
            return _END + rest(index + 1, False)
        if token.startswith("{") and "}" in token:
            name, _, suffix = token[1:].partition("}")
            optional = name.endswith("?")
            name = name.rstrip("?")
            if name == "words":
                unit = _WORDS
            elif name == "ly":
                unit = _LY
            elif name in slots:
                unit = slots[name]
            else:
                raise ValueError(f"unknown slot {{{name}}} in {phrase!r}")
            unit += _literal(suffix)
            if optional:
                if first:
                    raise ValueError(f"a phrase may not begin with an optional slot: {phrase!r}")
                return f"(?:{separator}{unit})?" + rest(index + 1, False)
            return separator + unit + rest(index + 1, False)
        literal = _literal(token)
        if first and token == "not":
            literal = _NOT  # also the n't of "isn't", "wasn't", "doesn't"
        if token.endswith(_PLURAL):
            literal = _literal(token.removesuffix(_PLURAL)) + "(?:e?s)?"
        if index + 1 < len(tokens):
            following = tokens[index + 1]
            short = None
            if (token, following) in _PAIRS:
                short = _PAIRS[token, following]
            elif following in _SUFFIXES and token.isalpha() and token != "i":
                short = literal + _APOS + _SUFFIXES[following]
            if short is not None:
                overlapping = index + 2 < len(tokens) and (following, tokens[index + 2]) in _PAIRS
                if not overlapping:  # one group for the pair, then the rest once
                    pair = rf"(?:{literal}\s+{_literal(following)}|{short})"
                    return separator + pair + rest(index + 2, False)
                return (f"(?:{separator}{literal}{rest(index + 1, False)}"
                        f"|{separator}{short}{rest(index + 2, False)})")
        return separator + literal + rest(index + 1, False)

    return rest(0, True)


def _bounded(body: str) -> str:
    return rf"(?<!\w){body}(?!\w)"


def _alternation(phrases: Iterable[str], slots: dict[str, str]) -> str:
    """One regex for any of the phrases, longest first so the longest one at a position wins."""
    bodies = [_body(phrase, slots) for phrase in sorted(phrases, key=len, reverse=True)]
    return "(?:" + "|".join(bodies) + ")"


@dataclass(frozen=True)
class _Compiled:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern), kinds in KINDS order
    explanations: dict[str, str]
    exceptions: tuple[re.Pattern[str], ...]
    temporary: re.Pattern[str]  # matched right after a finding: a temporary marker follows
    cues: dict[str, re.Pattern[str]]  # "external" | "temporary" | "controllable"


class _Slots(dict[str, str]):
    """The regex of each slot, compiled on first use, so a slot may use any other slot."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        super().__init__()
        self.phrases = phrases
        self.compiling: set[str] = set()

    def __contains__(self, name: object) -> bool:
        return name in self.phrases

    def __missing__(self, name: str) -> str:
        if name in self.compiling:
            raise ValueError(f"slot {{{name}}} uses itself")
        self.compiling.add(name)
        self[name] = _alternation(self.phrases[name], self)
        self.compiling.discard(name)
        return self[name]


def _slots(phrases: dict[str, list[str]]) -> dict[str, str]:
    slots = _Slots(phrases)
    for name in phrases:
        slots[name]  # noqa: B018 - compiles it
    return dict(slots)


@cache
def _compiled() -> _Compiled:
    content: dict[str, Any] = say("attribution")
    slots = _slots(content["slots"])
    flags = re.IGNORECASE
    patterns = []
    explanations = {}
    for kind in KINDS:
        table = content["kinds"][kind]
        explanations[kind] = table["explanation"]
        for phrase in table["patterns"]:
            patterns.append((kind, re.compile(_bounded(_body(phrase, slots)), flags)))
    exceptions = tuple(
        re.compile(_bounded(_body(phrase, slots)), flags) for phrase in content["exceptions"]
    )
    window = int(content["temporary_window"])
    markers = _alternation(content["temporary_markers"], slots)
    temporary = re.compile(rf"(?:\s+{_WORD}){{0,{window - 1}}}?\s+{markers}(?!\w)", flags)
    cues = {
        name: re.compile(_bounded(_alternation(phrases, {})), flags)
        for name, phrases in content["cues"].items()
    }
    return _Compiled(tuple(patterns), explanations, exceptions, temporary, cues)


def prepare() -> None:
    """Compile the patterns now (they take a moment), so the first keystroke does not wait."""
    _compiled()


# --- detection -------------------------------------------------------------------------------


def detect(text: str) -> list[Finding]:
    """Fixed-ability wording in `text`, in order of appearance, never overlapping.

    Offsets index the text as given, so text[f.start:f.end] == f.text.
    """
    if not text or text.isspace():
        return []
    return list(_detect(text))


@lru_cache(maxsize=256)
def _detect(text: str) -> tuple[Finding, ...]:
    compiled = _compiled()
    exceptions = [m.span() for pattern in compiled.exceptions for m in pattern.finditer(text)]
    candidates: list[tuple[int, int, int, str]] = []
    for kind, pattern in compiled.patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(low < end <= high for low, high in exceptions):
                continue
            if compiled.temporary.match(text, end):
                continue
            candidates.append((start, -(end - start), KINDS.index(kind), kind))
    candidates.sort()
    findings: list[Finding] = []
    reached = 0
    for start, negative_length, _, kind in candidates:
        if start < reached:
            continue
        end = start - negative_length
        matched = text[start:end]
        explanation = compiled.explanations[kind].format(text=matched)
        findings.append(Finding(start, end, matched, kind, explanation))
        reached = end
    return tuple(findings)


# --- the three questions ---------------------------------------------------------------------


def preselect(text: str, findings: list[Finding] | None = None) -> Dimensions | None:
    """Suggested answers to the three questions for the user's explanation, which they confirm
    or change; None when the words name no kind of cause, so the user answers for themselves.

    Pass `findings` when `detect` has already run on the same text. The answers are those of
    the first kind of cause in CUE_ORDER that the words name (fixed-ability wording is ability),
    as Weiner classes it (WEINER).
    """
    if findings is None:
        findings = detect(text)
    cause = named_cause(text, findings)
    return None if cause is None else WEINER[cause]


def named_cause(text: str, findings: list[Finding] | None = None) -> str | None:
    """The kind of cause the words name first in CUE_ORDER, or None when they name none."""
    if findings is None:
        findings = detect(text)
    # A cue inside fixed-ability wording is part of the verdict, not a cause of its own:
    # "I always give up" is about ability, though "give up" alone names effort.
    outside = list(text)
    for finding in findings:
        outside[finding.start:finding.end] = " " * (finding.end - finding.start)
    rest = "".join(outside)
    cues = _compiled().cues
    for cause in CUE_ORDER:
        if (findings if cause == "ability" else cues[cause].search(rest)):
            return cause
    return None


def needs_retraining(d: Dimensions) -> bool:
    """Whether to prompt toward controllable, temporary causes: the cause is stable or
    uncontrollable."""
    return d.stability == "stable" or d.controllability == "uncontrollable"


def cause_choices(effort: int | None) -> list[tuple[str, str]]:
    """The causes to offer as (key, label), in display order.

    Effort 4 or 5: strategy first and effort last (effort was already high). Otherwise, or with
    no effort recorded: preparation, effort, practice, strategy, circumstance, learning.
    """
    if effort is not None and (
        isinstance(effort, bool) or not isinstance(effort, int) or effort not in EFFORTS
    ):
        raise ValueError(f"effort must be a whole number from 1 to 5 or None, not {effort!r}")
    order = HIGH_EFFORT_ORDER if effort is not None and effort >= HIGH_EFFORT else EFFORT_ORDER
    labels = say("attribution.causes")
    return [(key, labels[key]) for key in order]


def is_controllable_temporary(d: Dimensions, cause: str | None) -> bool:
    """Whether the reframe ended on a controllable, temporary explanation.

    True only when the user's final answers are temporary and controllable, and the chosen
    cause, if any, is not "circumstance".
    """
    if cause is not None and cause not in CAUSES:
        raise ValueError(f"unknown cause {cause!r}")
    if d.stability != "temporary" or d.controllability != "controllable":
        return False
    return cause is None or cause in CONTROLLABLE_TEMPORARY_CAUSES


def monthly_share(rows: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int, float]]:
    """(month, reframes, controllable-temporary, share) by month, oldest first.

    rows are (month "YYYY-MM", reframes that month, of which controllable-temporary). Months
    with no reframes are left out; a month given twice is added up.
    """
    totals: dict[str, list[int]] = {}
    for month, reframes, good in rows:
        if not isinstance(month, str) or not _MONTH.fullmatch(month):
            raise ValueError(f"month must be YYYY-MM, not {month!r}")
        for value in (reframes, good):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"counts must be whole numbers 0 or more, not {value!r}")
        if good > reframes:
            raise ValueError(f"{month}: {good} controllable-temporary of only {reframes} reframes")
        total = totals.setdefault(month, [0, 0])
        total[0] += reframes
        total[1] += good
    return [
        (month, reframes, good, good / reframes)
        for month, (reframes, good) in sorted(totals.items())
        if reframes
    ]
