"""The command line: quick capture, paths, and one clear sentence for every bad input."""

import hashlib
import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from efficacy_tui import __version__
from efficacy_tui.cli import main
from efficacy_tui.content import say
from efficacy_tui.store import domains

from conftest import rows


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def with_domain(store, db_path):
    domains.get_or_create_domain(store, "Public speaking")
    store.close()
    return db_path


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_log_records_an_attempt(with_domain):
    result = run("--db", str(with_domain), "log", "public speaking", "Gave the 5-minute talk",
                 "--outcome", "Success", "--confidence", "60", "--when", "yesterday 5pm",
                 "--did", "Rehearsed twice out loud", "--note", "[bold]shaky start[/]")
    assert result.exit_code == 0, result.output
    assert "Logged success in Public speaking" in result.output
    [attempt] = rows(with_domain, "SELECT * FROM attempts")
    assert attempt["title"] == "Gave the 5-minute talk"
    assert attempt["outcome"] == "success" and attempt["confidence"] == 60
    assert attempt["source"] == "log"
    assert attempt["happened_at"].endswith("T17:00:00+00:00")
    assert attempt["what_i_did"] == "Rehearsed twice out loud"
    assert attempt["note"] == "[bold]shaky start[/]"


def test_log_without_confidence_leaves_it_blank(with_domain):
    result = run("--db", str(with_domain), "log", "Public speaking", "Spoke up",
                 "--outcome", "partial")
    assert result.exit_code == 0
    [attempt] = rows(with_domain, "SELECT confidence, outcome FROM attempts")
    assert attempt == {"confidence": None, "outcome": "partial"}


def test_log_counts_on_the_rung_named_or_titled(store, db_path):
    """So a quick capture feeds the ladder's advice: --rung names the rung, and a title that is
    a rung's title means that rung."""
    from efficacy_tui.store import ladder

    speaking = ladder.add_domain(store, "Public speaking")
    rung = ladder.add_rung(store, speaking.id, "Ask a question in a meeting", "", 20)
    store.close()
    for args in (["ask a question in a meeting"],
                 ["Asked about the budget", "--rung", "Ask a question in a meeting "]):
        result = run("--db", str(db_path), "log", "Public speaking", *args, "--outcome",
                     "success")
        assert result.exit_code == 0, result.output
        assert "(rung: Ask a question in a meeting)" in result.output
    assert rows(db_path, "SELECT rung_id FROM attempts") == [{"rung_id": rung.id}] * 2


def test_log_into_an_archived_domain_says_where_it_went(store, db_path):
    from efficacy_tui.store import ladder

    running = ladder.add_domain(store, "Running")
    ladder.archive_domain(store, running.id)
    store.close()
    result = run("--db", str(db_path), "log", "Running", "Easy 5k", "--outcome", "success")
    assert result.exit_code == 0
    assert "Running is archived: the attempt is kept there" in result.output


BAD = [
    (["--confidence", "150"], 'Confidence must be a whole number from 0 to 100 in steps of 10; "150" is not.'),
    (["--confidence", "75"], 'Confidence must be a whole number from 0 to 100 in steps of 10; "75" is not.'),
    (["--confidence", "lots"], 'Confidence must be a whole number from 0 to 100 in steps of 10; "lots" is not.'),
    (["--outcome", "maybe"], 'Outcome must be success, partial or setback; "maybe" is not one of them.'),
    (["--when", "the day after never"], 'Could not read the time "the day after never"'),
    (["--when", "tomorrow"], 'The time "tomorrow" is in the future'),
    (["--domain", "public speeking"], "Did you mean Public speaking? Add --new to start a domain called public speeking."),
    (["--title", "   "], "The title cannot be empty."),
    (["--rung", "Keynote"], 'Public speaking has no rung titled "Keynote"; its rungs: none yet.'),
]


@pytest.mark.parametrize("change, expected", BAD, ids=[b[1][:30] for b in BAD])
def test_bad_log_input_is_refused_and_nothing_is_written(with_domain, change, expected):
    args = {"--domain": "Public speaking", "--title": "Spoke up", "--outcome": "success"}
    for flag, value in zip(change[::2], change[1::2], strict=True):
        args[flag] = value
    before = digest(with_domain)
    cmd = ["--db", str(with_domain), "log", args.pop("--domain"), args.pop("--title")]
    for flag, value in args.items():
        cmd += [flag, value]
    result = CliRunner().invoke(main, cmd)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1
    assert digest(with_domain) == before
    assert rows(with_domain, "SELECT * FROM attempts") == []


def test_log_into_a_missing_database_starts_it_and_the_domain(tmp_path):
    path = tmp_path / "none" / "efficacy.db"
    result = CliRunner().invoke(main, ["--db", str(path), "log", "Running", "5k", "--outcome",
                                       "success"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("New domain: Running\nLogged success in Running: 5k\n")
    assert [r["name"] for r in rows(path, "SELECT * FROM domains")] == ["Running"]


def test_usage_errors_exit_2(with_domain):
    result = CliRunner().invoke(main, ["--db", str(with_domain), "log", "Public speaking"])
    assert result.exit_code == 2


def test_database_file_is_private(db_path, store):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(db_path.parent).st_mode) == 0o700


def test_env_var_chooses_the_database_and_db_option_wins(tmp_path, monkeypatch):
    from efficacy_tui.store.paths import resolve_db_path

    monkeypatch.setenv("EFFICACY_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "opt.db")) == tmp_path / "opt.db"
    monkeypatch.delenv("EFFICACY_DB")
    assert resolve_db_path(None).name == "efficacy.db"
    assert "efficacy" in str(resolve_db_path(None).parent)


def test_a_folder_or_a_foreign_file_is_refused_untouched(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = CliRunner().invoke(main, ["--db", str(folder), "log", "x", "y", "--outcome",
                                       "success"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{folder} is a folder, not a database file; give a file path with --db."
    text = tmp_path / "notes.txt"
    text.write_text("my private notes\n")
    result = CliRunner().invoke(main, ["--db", str(text), "log", "x", "y", "--outcome",
                                       "success"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{text} is not an efficacy database (it is not a SQLite file)."
    assert text.read_text() == "my private notes\n"


def test_log_loads_neither_textual_nor_sqlite_utils(with_domain):
    """A quick capture into a domain there is: one insert in plain SQL, so it never waits for
    sqlite-utils (tens of milliseconds) or Textual to load."""
    code = (
        "import sys; from efficacy_tui.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(with_domain)!r}, 'log', 'Public speaking', 'x', '--outcome', 'success'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sqlite_utils')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Logged success in Public speaking: x", "[]"]
    assert rows(with_domain, "SELECT title, outcome, source FROM attempts") == [
        {"title": "x", "outcome": "success", "source": "log"}]
    assert rows(with_domain, "SELECT rowid FROM attempts_fts WHERE attempts_fts MATCH 'x'") == [
        {"rowid": 1}]


def test_stats_text_and_json_agree_and_logged_confidence_is_recalled(with_domain):
    from efficacy_tui.store import ladder
    from efficacy_tui.store.core import open_store

    store = open_store(with_domain)
    domain = ladder.add_domain(store, "Running")
    ladder.add_rung(store, domain.id, "Run 3 km", "no walking", 30)
    store.close()
    for n in range(12):
        outcome = "success" if n % 4 else "setback"
        args = ["--db", str(with_domain), "log", "Running", f"Run {n}", "--outcome", outcome,
                "--when", f"{n + 1} days ago"]
        if n < 10:
            args += ["--confidence", "50"]
        assert run(*args).exit_code == 0
    data = json.loads(run("--db", str(with_domain), "stats", "--format", "json").output)
    running = next(d for d in data["domains"] if d["name"] == "Running")
    # a confidence given with the outcome is recalled: kept and counted apart, never calibrated
    assert running["rated_attempts"] == 0 and running["recalled_attempts"] == 10
    assert running["rungs_total"] == 1 and running["active_rung"]["title"] == "Run 3 km"
    assert running["last_10"]["attempts"] == 10
    assert running["bias"] is None and running["brier"] is None
    assert (running["bias_low"], running["bias_high"], running["direction"]) == (None, None, None)
    assert [b["count"] for b in running["bins"]] == [0, 0, 0, 0, 0]
    assert (data["overall"]["rated_attempts"], data["overall"]["recalled_attempts"]) == (0, 10)
    assert "(10 so far) is kept but not counted" in running["calibration"]["sentence"]
    text = run("--db", str(with_domain), "stats").output
    assert "Running: 0 of 1 rungs mastered" in text
    assert running["calibration"]["sentence"] in text


def test_stats_without_a_database_says_so(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "stats"])
    assert result.exit_code == 1 and "There is no database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_a_logged_setback_points_to_reframing(with_domain):
    result = run("--db", str(with_domain), "log", "Public speaking", "Froze", "--outcome",
                 "setback")
    assert result.exit_code == 0
    assert "efficacy reframe" in result.output.splitlines()[-1]
    result = run("--db", str(with_domain), "log", "Public speaking", "Spoke", "--outcome",
                 "success")
    assert "reframe" not in result.output


def test_stats_json_carries_the_attribution_trend(with_domain):
    from datetime import datetime

    from efficacy_tui.store import reframes
    from efficacy_tui.store.core import open_store

    from conftest import Clock

    clock = Clock(datetime(2026, 10, 5, 9, 0))
    store = open_store(with_domain, clock=clock)
    entry = dict(what_happened="Froze", cause_text="", flagged=[], locus="internal",
                 stability="temporary", controllability="controllable", cause=None,
                 new_explanation="Skipped rehearsal", if_situation="I freeze",
                 then_action="I breathe out", evidence=[], domain_id=1)
    reframes.save_reframe(store, reframes.ReframeEntry(controllable_temporary=True, **entry))
    reframes.save_reframe(store, reframes.ReframeEntry(controllable_temporary=False, **entry))
    clock.at(datetime(2026, 11, 3, 9, 0))
    reframes.save_reframe(store, reframes.ReframeEntry(controllable_temporary=True, **entry))
    store.close()
    data = json.loads(run("--db", str(with_domain), "stats", "--format", "json").output)
    assert data["attribution"] == [
        {"month": "2026-10", "reframes": 2, "controllable_temporary": 1, "share": 0.5},
        {"month": "2026-11", "reframes": 1, "controllable_temporary": 1, "share": 1.0},
    ]
    assert data["domains"][0]["reframes"] == 3
    text = run("--db", str(with_domain), "stats").output
    assert "2026-10: 50% (1 of 2)" in text and "2026-11: 100% (1 of 1)" in text


@pytest.mark.parametrize("args", [[], ["checkin"]], ids=["efficacy", "checkin"])
def test_the_app_without_a_terminal_is_one_sentence_and_touches_nothing(tmp_path, args):
    """Run from a script or a cron job, the app would draw into a pipe and wait there, at full
    speed, for keys that never come; it says why it will not open, and creates no database."""
    path = tmp_path / "data" / "efficacy.db"
    result = subprocess.run([sys.executable, "-m", "efficacy_tui", "--db", str(path), *args],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == say("common.no_terminal") + "\n"
    assert not path.parent.exists()
