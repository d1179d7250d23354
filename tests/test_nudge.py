"""`efficacy nudge`: one line for a shell prompt when today's check-in is not done or a
performance is within a day, nothing otherwise; it never creates, migrates or changes the file,
and it never imports Textual.

The command reads the real clock (a prompt has no other), so the data here is written relative
to now; the wording of the time is checked against a fixed clock in the coach's tests below.
"""

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.coach.checkin import read_checkin
from efficacy_tui.coach.nudge import nudge_line
from efficacy_tui.store import checkins
from efficacy_tui.store.core import open_store
from efficacy_tui.store.readiness import WalkthroughEntry, save_walkthrough, schedule_performance

CHECKIN = "efficacy: today's check-in is not done yet (efficacy checkin)\n"


def nudge(db_path):
    result = CliRunner().invoke(main, ["--db", str(db_path), "nudge"], catch_exceptions=False)
    return result.exit_code, result.output


def make_db(db_path, checked_in: bool = False, performances=()):
    """A database as the app leaves it: today checked in or not, and performances at
    (title, hours from now) pairs."""
    store = open_store(db_path)
    if checked_in:
        checkins.save_checkin(store, read_checkin(store.today(), {"energy": 6, "anxiety": 30}))
    for title, hours in performances:
        schedule_performance(store, title, None, store.now() + timedelta(hours=hours))
    store.close()


def fingerprint(db_path):
    folder = db_path.parent
    return sorted(p.name for p in folder.iterdir()), hashlib.sha256(db_path.read_bytes()).digest()


def test_no_database_prints_nothing_and_creates_nothing(tmp_path):
    db_path = tmp_path / "data" / "efficacy.db"
    assert nudge(db_path) == (0, "")
    assert not (tmp_path / "data").exists()


def test_checked_in_with_nothing_coming_up_prints_nothing(db_path):
    make_db(db_path, checked_in=True)
    assert nudge(db_path) == (0, "")


def test_not_checked_in_says_so_in_one_line(db_path):
    make_db(db_path)
    assert nudge(db_path) == (0, CHECKIN)


def test_performance_within_a_day_comes_first_on_the_same_line(db_path):
    make_db(db_path, performances=[("Team update", 3), ("Board meeting", 30)])
    assert nudge(db_path) == (
        0,
        "efficacy: “Team update” in 3 h (efficacy ready); today's check-in is not done yet "
        "(efficacy checkin)\n",
    )


def test_performance_within_a_day_when_checked_in(db_path):
    make_db(db_path, checked_in=True, performances=[("Team update", 3)])
    assert nudge(db_path) == (0, "efficacy: “Team update” in 3 h (efficacy ready)\n")


def test_performance_more_than_a_day_away_is_not_mentioned(db_path):
    make_db(db_path, checked_in=True, performances=[("Board meeting", 30)])
    assert nudge(db_path) == (0, "")


def test_past_performance_is_not_mentioned(db_path):
    make_db(db_path, performances=[("Yesterday's talk", -3)])
    assert nudge(db_path) == (0, CHECKIN)


def test_performance_already_prepared_for_is_not_mentioned(db_path):
    make_db(db_path, checked_in=True, performances=[("Team update", 3)])
    store = open_store(db_path)
    save_walkthrough(store, WalkthroughEntry(), performance_id=1)
    store.close()
    assert nudge(db_path) == (0, "")


def test_control_characters_in_a_title_cannot_reach_the_terminal(db_path):
    make_db(db_path, checked_in=True, performances=[("Talk\x1b]0;pwned\x07", 3)])
    assert nudge(db_path) == (0, "efficacy: “Talk␛]0;pwned␇” in 3 h (efficacy ready)\n")


def test_nudge_leaves_the_database_as_it_was(db_path):
    make_db(db_path, performances=[("Team update", 3)])
    names, digest = fingerprint(db_path)
    assert nudge(db_path)[1]
    after, after_digest = fingerprint(db_path)
    assert after_digest == digest
    # A read-only reader may not remove SQLite's side files; the WAL it leaves holds nothing.
    assert set(after) - set(names) <= {f"{db_path.name}-wal", f"{db_path.name}-shm"}
    wal = db_path.parent / f"{db_path.name}-wal"
    assert not wal.exists() or wal.stat().st_size == 0


QUICK = """
import contextlib, io, json, sys
from efficacy_tui.entry import quick_nudge
found = []
for args in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        answered = quick_nudge(args)
    found.append([answered, out.getvalue()])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "rich", "click",
                                                        "sqlite_utils", "platformdirs"})
print(json.dumps([found, heavy]))
"""


def quick(*commands: list[str], env: dict | None = None) -> tuple[list, list[str]]:
    """What the entry point's quick path does with each command line, in one fresh process:
    [answered, printed] for each, and the heavy packages that process imported."""
    done = subprocess.run([sys.executable, "-c", QUICK, json.dumps(commands)], env=env,
                          capture_output=True, text=True, check=True)
    found, heavy = json.loads(done.stdout)
    return found, heavy


def test_the_quick_path_says_what_the_full_command_says_without_heavy_imports(tmp_path, db_path):
    make_db(db_path, performances=[("Team update\x1b[2J", 3), ("Board meeting", 30)])
    other = tmp_path / "other.db"
    make_db(other, checked_in=True, performances=[("Exam", 5)])
    quiet = tmp_path / "quiet.db"
    make_db(quiet, checked_in=True)
    commands = []
    for path in (db_path, other, quiet):
        for only in ([], ["--only", "checkin"], ["--only=performance"]):
            commands.append(["--db", str(path), "nudge", *only])
    commands.append([f"--db={tmp_path / 'missing' / 'efficacy.db'}", "nudge"])
    found, heavy = quick(*commands)
    assert heavy == []
    full = [[True, CliRunner().invoke(main, c, catch_exceptions=False).output] for c in commands]
    assert found == full
    assert found[0][1] == ("efficacy: “Team update␛[2J” in 3 h (efficacy ready); today's "
                           "check-in is not done yet (efficacy checkin)\n")
    assert found[-1] == [True, ""] and not (tmp_path / "missing").exists()


ENTRY = """
import sys
avoided = set(sys.argv[2].split())
sys.argv = ["efficacy", "--db", sys.argv[1], "nudge"]
from efficacy_tui.entry import main
main()
print(sorted(m for m in sys.modules if any(m == a or m.startswith(a + ".") for a in avoided)))
"""
# What the prompt's line is kept free of: the heavy packages, the standard library modules that
# cost it milliseconds (re and typing several each, pathlib and the TOML parser with them), and
# the app's ui packages (it prints through control_chars).
AVOIDED = ("textual rich click sqlite_utils platformdirs dateutil zoneinfo "
           "re typing pathlib tomllib string __future__ efficacy_tui.ui")


def test_the_entry_point_answers_a_nudge_without_the_modules_it_avoids(db_path):
    make_db(db_path, performances=[("Team update", 3)])
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    argv = [sys.executable, "-c", ENTRY, str(db_path), AVOIDED]
    subprocess.run(argv, env=env, capture_output=True, check=True)  # content read once, kept
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    line, loaded = done.stdout.splitlines()
    assert line + "\n" == nudge(db_path)[1]
    assert loaded == "[]"


def test_the_quick_path_leaves_the_rest_to_the_full_command(tmp_path, db_path):
    make_db(db_path)
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list\n" * 100)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    found, _ = quick(["--db", str(db_path), "nudge", "--notify"],
                     ["--db", str(db_path), "nudge", "--only", "everything"],
                     ["--db", str(db_path), "stats"], ["--db", "", "nudge"],
                     ["--db", str(bad), "nudge"], ["--db", str(folder), "nudge"])
    assert found == [[False, ""]] * 6
    env = {**os.environ, "EFFICACY_BUSY_TIMEOUT_MS": "soon"}
    assert quick(["--db", str(db_path), "nudge"], env=env)[0] == [[False, ""]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the quick rule is Linux's")
def test_the_quick_path_finds_the_default_database_where_platformdirs_does(tmp_path, monkeypatch):
    from platformdirs import user_data_dir

    from efficacy_tui.entry import xdg_data_path

    plain = [{}, {"XDG_DATA_HOME": str(tmp_path / "data")}, {"XDG_DATA_HOME": ""}]
    left = [{"XDG_DATA_HOME": "relative/data"}, {"HOME": "relative"}]
    for case in plain + left:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        for name, value in {"HOME": str(tmp_path / "home"), **case}.items():
            monkeypatch.setenv(name, value)
        expected = os.path.join(user_data_dir("efficacy", appauthor=False), "efficacy.db")
        assert xdg_data_path() == (expected if case in plain else None), case


def test_empty_file_is_not_a_reason_to_nudge(db_path):
    db_path.parent.mkdir()
    db_path.write_bytes(b"")
    assert nudge(db_path) == (0, "")
    assert db_path.read_bytes() == b""


def test_file_that_is_not_a_database_gets_one_sentence(db_path):
    db_path.parent.mkdir()
    db_path.write_text("shopping list\n" * 100)
    result = CliRunner().invoke(main, ["--db", str(db_path), "nudge"])
    assert result.exit_code == 1
    assert result.output.startswith(f"efficacy nudge could not read {db_path}: ")
    assert result.output.count("\n") == 1


def test_nudge_does_not_import_textual(db_path):
    make_db(db_path)
    code = (
        "import sys; from efficacy_tui.cli import main; "
        "main(['--db', sys.argv[1], 'nudge'], standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout == CHECKIN + "[]\n"


NOW = datetime(2026, 11, 26, 9, 30).astimezone()


def at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


def test_line_wording_at_a_fixed_time():
    assert nudge_line(True, None, NOW) == ""
    assert nudge_line(True, ("Talk", at(0.75)), NOW) == (
        "efficacy: “Talk” in 45 min (efficacy ready)"
    )
    assert nudge_line(True, ("Talk", at(5.5)), NOW) == (
        "efficacy: “Talk” in 5 h 30 min (efficacy ready)"
    )
    assert nudge_line(True, ("Talk", at(23.5)), NOW) == (
        "efficacy: “Talk” tomorrow 09:00 (efficacy ready)"
    )
    assert nudge_line(True, ("Talk", at(24)), NOW) == (
        "efficacy: “Talk” tomorrow 09:30 (efficacy ready)"
    )
    assert nudge_line(True, ("Talk", at(24.1)), NOW) == ""
    assert nudge_line(True, ("Talk", at(-0.1)), NOW) == ""
    assert nudge_line(False, ("Talk", at(-0.1)), NOW) == CHECKIN.rstrip("\n")


def recorder(tmp_path, name="notify-send"):
    """A program called `name` in tmp_path/bin that appends its arguments, as one JSON line, to
    tmp_path/calls; returns the bin folder and the calls file."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    calls = tmp_path / "calls"
    program = folder / name
    program.write_text(f"#!{sys.executable}\nimport json, sys\n"
                       f"with open({str(calls)!r}, 'a') as f:\n"
                       "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n")
    program.chmod(0o755)
    return folder, calls


def nudge_process(db_path, path_dirs, *options):
    env = {**os.environ, "PATH": os.pathsep.join(map(str, path_dirs))}
    return subprocess.run([sys.executable, "-m", "efficacy_tui", "--db", str(db_path), "nudge",
                           "--notify", *options], capture_output=True, text=True, env=env,
                          timeout=60)


def test_notify_sends_the_line_through_notify_send_on_path(tmp_path, db_path):
    make_db(db_path, performances=[("Team update", 3)])
    folder, calls = recorder(tmp_path)
    done = nudge_process(db_path, [folder, *os.environ["PATH"].split(os.pathsep)])
    assert (done.returncode, done.stderr) == (0, "")
    line = ("efficacy: “Team update” in 3 h (efficacy ready); today's check-in is not done yet "
            "(efficacy checkin)")
    assert done.stdout == line + "\n"
    assert [json.loads(c) for c in calls.read_text().splitlines()] == [
        ["--app-name=efficacy", "efficacy", line]]


def test_notify_sends_nothing_when_nothing_is_due(tmp_path, db_path):
    make_db(db_path, checked_in=True, performances=[("Board meeting", 30)])
    folder, calls = recorder(tmp_path)
    done = nudge_process(db_path, [folder])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not calls.exists()


def test_only_picks_the_check_in_or_the_performance(tmp_path, db_path):
    make_db(db_path, performances=[("Team update", 3)])
    folder, calls = recorder(tmp_path)
    assert nudge_process(db_path, [folder], "--only", "checkin").stdout == CHECKIN
    assert nudge_process(db_path, [folder], "--only", "performance").stdout == (
        "efficacy: “Team update” in 3 h (efficacy ready)\n")
    assert [json.loads(c)[-1] for c in calls.read_text().splitlines()] == [
        CHECKIN.rstrip("\n"), "efficacy: “Team update” in 3 h (efficacy ready)"]


def test_osascript_gets_the_line_as_an_argument_not_as_script(tmp_path, db_path):
    make_db(db_path, checked_in=True, performances=[('Say "hi" \\ end', 3)])
    folder, calls = recorder(tmp_path, "osascript")
    done = nudge_process(db_path, [folder])
    assert done.returncode == 0, done.stderr
    [call] = [json.loads(c) for c in calls.read_text().splitlines()]
    assert call[:6] == ["-e", "on run argv", "-e",
                        'display notification (item 1 of argv) with title "efficacy"', "-e",
                        "end run"]
    assert call[6:] == ['efficacy: “Say "hi" \\ end” in 3 h (efficacy ready)']


def test_notify_without_a_notifier_prints_the_line_and_one_sentence(tmp_path, db_path):
    make_db(db_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    done = nudge_process(db_path, [empty])
    assert done.returncode == 1
    assert done.stdout == CHECKIN
    assert done.stderr == ("No desktop notification was sent: neither notify-send (Linux, from "
                           "libnotify) nor osascript (macOS) is on PATH.\n")


def test_notify_with_nothing_due_loads_nothing_to_notify_with(db_path):
    """The prompt's fast path: with nothing due, --notify imports neither Textual nor what it
    would take to find and run a notifier."""
    make_db(db_path, checked_in=True)
    code = (
        "import sys; from efficacy_tui.cli import main; "
        "main(['--db', sys.argv[1], 'nudge', '--notify'], standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'rich', 'subprocess', 'shutil')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout == "[]\n"


def test_a_notifier_that_fails_is_one_sentence(tmp_path, db_path):
    """notify-send run where there is no desktop session (cron without its address) fails."""
    make_db(db_path)
    folder = tmp_path / "bin"
    folder.mkdir()
    failing = folder / "notify-send"
    failing.write_text("#!/bin/sh\necho 'Cannot autolaunch D-Bus without X11 $DISPLAY' >&2\n"
                       "exit 1\n")
    failing.chmod(0o755)
    done = nudge_process(db_path, [folder])
    assert done.returncode == 1
    assert done.stdout == CHECKIN
    assert done.stderr == ("The desktop notification was not shown: notify-send failed (Cannot "
                           "autolaunch D-Bus without X11 $DISPLAY).\n")
