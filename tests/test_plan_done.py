"""Prediction before outcome from the shell: `efficacy plan` then `efficacy done` give calibration
its predictions; `efficacy log --confidence` keeps a recalled confidence that calibration leaves
out. Bad input is one sentence and the file is not touched."""

import hashlib
import json

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store import ladder

from conftest import rows


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def speaking(store, db_path):
    """Two domains; Public speaking has a rung "Team update"."""
    domain = ladder.add_domain(store, "Public speaking")
    ladder.add_rung(store, domain.id, "Team update", "all five minutes", 30)
    ladder.add_domain(store, "Running")
    store.close()
    return db_path


def stats(path) -> dict:
    result = run("--db", str(path), "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_plan_then_done_records_a_prediction_and_its_outcome(speaking):
    result = run("--db", str(speaking), "plan", "public speaking", "Team update",
                 "--confidence", "70", "--when", "tomorrow 9am")
    assert result.exit_code == 0, result.output
    assert "Planned in Public speaking: Team update" in result.stdout
    assert "with confidence 70 (rung: Team update)" in result.stdout
    [planned] = rows(speaking, "SELECT * FROM attempts")
    assert (planned["outcome"], planned["confidence"], planned["confidence_timing"]) == (
        None, 70, "before")
    assert planned["rung_id"] is not None and planned["happened_at"].endswith("T09:00:00+00:00")

    result = run("--db", str(speaking), "done", "team update", "--outcome", "partial",
                 "--effort", "4", "--did", "Rehearsed twice", "--note", "[b]fast[/b]")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Recorded partial for Team update in Public speaking (confidence 70 given beforehand)")
    [done] = rows(speaking, "SELECT * FROM attempts")
    assert (done["outcome"], done["effort"], done["what_i_did"], done["note"]) == (
        "partial", 4, "Rehearsed twice", "[b]fast[/b]")
    assert done["confidence_timing"] == "before"
    # planned for tomorrow but done already: it happened now
    assert done["happened_at"] < planned["happened_at"]
    assert stats(speaking)["overall"]["rated_attempts"] == 1


def test_done_lists_several_matches_refuses_and_id_picks_one(speaking):
    for domain, confidence in (("Public speaking", "60"), ("Running", "80")):
        assert run("--db", str(speaking), "plan", domain, "Warm-up", "--confidence",
                   confidence).exit_code == 0
    ids = [r["id"] for r in rows(speaking, "SELECT id FROM attempts ORDER BY id")]
    before = digest(speaking)
    result = run("--db", str(speaking), "done", "Warm-up", "--outcome", "success")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == '2 planned attempts match "Warm-up"; add --id with the number of the one you mean:'
    assert any(f"--id {ids[0]}" in line and "Public speaking: Warm-up (confidence 60)" in line
               for line in lines[1:])
    assert any(f"--id {ids[1]}" in line and "Running: Warm-up (confidence 80)" in line
               for line in lines[1:])
    assert digest(speaking) == before

    result = run("--db", str(speaking), "done", "Warm-up", "--outcome", "success", "--id", "999")
    assert result.exit_code == 1
    assert result.stderr == (f'No planned attempt number 999 matches "Warm-up"; the ones that '
                             f"do: {ids[0]}, {ids[1]}.\n")
    assert digest(speaking) == before

    result = run("--db", str(speaking), "done", "Warm-up", "--outcome", "success",
                 "--id", str(ids[1]))
    assert result.exit_code == 0, result.output
    assert "in Running" in result.stdout
    assert [(r["id"], r["outcome"]) for r in rows(speaking, "SELECT * FROM attempts ORDER BY id")
            ] == [(ids[0], None), (ids[1], "success")]
    # one left: no --id needed now
    assert run("--db", str(speaking), "done", "warm-up", "--outcome", "setback").exit_code == 0
    assert rows(speaking, "SELECT count(*) AS n FROM attempts WHERE outcome IS NULL") == [{"n": 0}]


def test_done_without_a_matching_plan_says_so(speaking):
    result = run("--db", str(speaking), "done", "Keynote", "--outcome", "success")
    assert result.exit_code == 1
    assert result.stderr.startswith('No planned attempt is titled "Keynote"')
    assert result.stderr.count("\n") == 1
    assert rows(speaking, "SELECT * FROM attempts") == []


def refused_and_nothing_written(db, command: list[str], options: dict[str, str],
                                expected: str) -> None:
    """The command with its options gets one sentence on stderr, exit 1, and the file is as
    it was."""
    before = digest(db)
    args = ["--db", str(db), *command]
    for flag, value in options.items():
        args += [flag, value]
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1
    assert digest(db) == before


PLAN_BAD = [
    (["--confidence", "65"], 'Confidence must be a whole number from 0 to 100 in steps of 10; "65"'),
    (["--confidence", "lots"], "Confidence must be a whole number"),
    (["--when", "yesterday 9am"], 'The time "yesterday 9am" has already passed; a plan is for now'),
    (["--when", "the day after never"], 'Could not read the time "the day after never"'),
    (["--domain", "Runing"], "Did you mean Running? Add --new to start a domain called Runing."),
    (["--title", "  "], "The title cannot be empty."),
    (["--rung", "Keynote"], 'Public speaking has no rung titled "Keynote"; its rungs: “Team update”.'),
]


@pytest.mark.parametrize("change, expected", PLAN_BAD, ids=[b[1][:30] for b in PLAN_BAD])
def test_bad_plan_input_is_refused_and_nothing_is_written(speaking, change, expected):
    args = {"--domain": "Public speaking", "--title": "Team update", "--confidence": "70"}
    for flag, value in zip(change[::2], change[1::2], strict=True):
        args[flag] = value
    refused_and_nothing_written(speaking, ["plan", args.pop("--domain"), args.pop("--title")],
                                args, expected)


DONE_BAD = [
    (["--outcome", "won"], 'Outcome must be success, partial or setback; "won"'),
    (["--effort", "9"], 'Effort must be a whole number from 1 to 5; "9" is not.'),
    (["--when", "tomorrow"], 'The time "tomorrow" is in the future'),
    (["--when", "3 days ago"], 'The time "3 days ago" is before the attempt was planned'),
    (["--when", "the day after never"], 'Could not read the time "the day after never"'),
    (["--title", "  "], "The title cannot be empty."),
]


@pytest.mark.parametrize("change, expected", DONE_BAD, ids=[b[1][:30] for b in DONE_BAD])
def test_bad_done_input_is_refused_and_nothing_is_written(speaking, change, expected):
    assert run("--db", str(speaking), "plan", "Public speaking", "Team update",
               "--confidence", "70").exit_code == 0
    args = {"--title": "Team update", "--outcome": "success"}
    for flag, value in zip(change[::2], change[1::2], strict=True):
        args[flag] = value
    refused_and_nothing_written(speaking, ["done", args.pop("--title")], args, expected)
    assert rows(speaking, "SELECT outcome FROM attempts") == [{"outcome": None}]


CALIBRATION_FIELDS = ("brier", "bias", "bias_low", "bias_high", "direction", "rated_attempts",
                      "bins")


def test_log_confidence_changes_no_calibration_figure(speaking):
    for n in range(10):
        assert run("--db", str(speaking), "plan", "Running", f"Run {n}", "--confidence",
                   "80").exit_code == 0
        outcome = "success" if n < 7 else "setback"
        assert run("--db", str(speaking), "done", f"Run {n}", "--outcome", outcome).exit_code == 0
    first = stats(speaking)
    running = next(d for d in first["domains"] if d["name"] == "Running")
    # ten planned at 80 with seven successes: a 10-point gap 10 attempts cannot tell from chance
    assert running["rated_attempts"] == 10 and running["bias"] == 0.1
    assert running["direction"] == "uncertain" != "over"
    assert "over-confident" not in running["calibration"]["sentence"]
    assert running["bias_low"] < 0 < running["bias_high"]
    assert (running["bias_low"], running["bias_high"]) == (-0.246, 0.446)
    assert running["recalled_attempts"] == 0 and first["overall"]["recalled_attempts"] == 0

    result = run("--db", str(speaking), "log", "Running", "Hill sprints", "--outcome", "setback",
                 "--confidence", "100")
    assert result.exit_code == 0
    assert "kept, but not used for calibration" in result.stdout
    [logged] = rows(speaking, "SELECT * FROM attempts WHERE title = 'Hill sprints'")
    assert (logged["confidence"], logged["confidence_timing"]) == (100, "recalled")

    second = stats(speaking)
    after = next(d for d in second["domains"] if d["name"] == "Running")
    for field in CALIBRATION_FIELDS:
        assert after[field] == running[field], field
        assert second["overall"][field] == first["overall"][field], field
    for now, was in ((after, running), (second["overall"], first["overall"])):
        assert ({**now["calibration"], "recalled_attempts": 0}
                == {**was["calibration"], "recalled_attempts": 0})
    assert after["recalled_attempts"] == 1 and second["overall"]["recalled_attempts"] == 1
    speaking_domain = next(d for d in second["domains"] if d["name"] == "Public speaking")
    assert speaking_domain["recalled_attempts"] == 0
    for scope in (after, second["overall"]):
        assert {"recalled_attempts", "bias_low", "bias_high", "direction"} <= set(scope)
        assert {"recalled_attempts", "bias_low", "bias_high", "direction"} <= set(
            scope["calibration"])
    text = run("--db", str(speaking), "stats").stdout
    assert running["calibration"]["sentence"] in text
    assert "Attempts rated after the outcome (kept, not counted in calibration): 1" in text
