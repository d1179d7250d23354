"""Starting a domain from the shell: `efficacy log` and `efficacy plan` start a domain they do not
know and say so, ask first when the name is close to one there is (a slip of case, of two letters,
or a prefix), and write the domain and the attempt together or not at all. `efficacy domains`
lists the domains with their progress."""

import hashlib
import json

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store import ladder
from efficacy_tui.store.domains import typo_distance

from conftest import rows


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def known(store, db_path):
    """Running (two rungs, the first mastered) and Écrire (no rungs)."""
    running = ladder.add_domain(store, "Running")
    first = ladder.add_rung(store, running.id, "Run 2 km", "without stopping", 30)
    ladder.add_rung(store, running.id, "Run 5 km", "in under 32 minutes", 50)
    ladder.accept_advance(store, first.id)
    ladder.add_domain(store, "Écrire")
    store.close()
    return db_path


LOG = ["log", "{domain}", "Easy jog", "--outcome", "success"]
PLAN = ["plan", "{domain}", "Easy jog", "--confidence", "60", "--when", "tomorrow 7am"]


def command(db_path, template, domain, *extra):
    return ["--db", str(db_path), *(a.format(domain=domain) for a in template), *extra]


def domain_names(db_path) -> list[str]:
    return [r["name"] for r in rows(db_path, "SELECT name FROM domains ORDER BY id")]


@pytest.mark.parametrize("template", [LOG, PLAN], ids=["log", "plan"])
def test_a_new_name_starts_a_domain_and_says_so(known, template):
    result = run(*command(known, template, "  Chess "))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("New domain: Chess\n")
    assert domain_names(known) == ["Running", "Écrire", "Chess"]
    [attempt] = rows(known, "SELECT a.title, d.name FROM attempts a JOIN domains d "
                            "ON d.id = a.domain_id")
    assert attempt == {"title": "Easy jog", "name": "Chess"}


@pytest.mark.parametrize("template", [LOG, PLAN], ids=["log", "plan"])
def test_a_known_name_in_another_case_is_that_domain_without_a_word(known, template):
    result = run(*command(known, template, "RUNNING"))
    assert result.exit_code == 0, result.output
    assert "New domain" not in result.stdout and "Running" in result.stdout
    assert domain_names(known) == ["Running", "Écrire"]


CLOSE = [
    ("Runing", "Running"),  # a letter left out
    ("Runnning", "Running"),  # one too many
    ("Rnuning", "Running"),  # two swapped
    ("Rinnung", "Running"),  # two changed
    ("Run", "Running"),  # a prefix
    ("running fast", "Running"),  # the domain is a prefix of it
    ("ecrire", "Écrire"),  # an accent left off
]


@pytest.mark.parametrize("template", [LOG, PLAN], ids=["log", "plan"])
@pytest.mark.parametrize("typed, meant", CLOSE, ids=[c[0] for c in CLOSE])
def test_a_name_close_to_a_domain_is_refused_in_one_sentence(known, template, typed, meant):
    before = digest(known)
    result = run(*command(known, template, typed))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"Did you mean {meant}? Add --new to start a domain called "
                             f"{typed}.\n")
    assert digest(known) == before


@pytest.mark.parametrize("template", [LOG, PLAN], ids=["log", "plan"])
def test_new_starts_a_domain_with_a_close_name(known, template):
    result = run(*command(known, template, "Runing", "--new"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("New domain: Runing\n")
    assert domain_names(known) == ["Running", "Écrire", "Runing"]


@pytest.mark.parametrize("template", [LOG, PLAN], ids=["log", "plan"])
def test_a_refused_attempt_starts_no_domain(known, template):
    """The domain and its first attempt are one transaction: a rung the new domain cannot have
    leaves the file as it was."""
    before = digest(known)
    result = run(*command(known, template, "Chess", "--rung", "Open with e4"))
    assert result.exit_code == 1
    assert result.stderr == 'Chess has no rung titled "Open with e4"; its rungs: none yet.\n'
    assert digest(known) == before
    assert domain_names(known) == ["Running", "Écrire"]


def test_domains_lists_each_domain_with_its_progress(known):
    result = run("--db", str(known), "domains")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Running: rungs mastered 1/2; active rung: Run 5 km\n"
        "Écrire: rungs mastered 0/0; no active rung\n"
    )
    result = run("--db", str(known), "domains", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"name": "Running", "rungs": 2, "mastered": 1, "active_rung": "Run 5 km"},
        {"name": "Écrire", "rungs": 0, "mastered": 0, "active_rung": None},
    ]


def test_domains_without_a_database_says_there_are_none_and_creates_nothing(tmp_path):
    path = tmp_path / "none" / "efficacy.db"
    result = run("--db", str(path), "domains")
    assert result.exit_code == 0
    assert result.stdout.startswith("There are no domains yet")
    assert run("--db", str(path), "domains", "--format", "json").stdout == "[]\n"
    assert not path.parent.exists()


def test_domain_names_cannot_reach_the_terminal(store, db_path):
    ladder.add_domain(store, "Chess\x1b]0;pwned\x07")
    store.close()
    result = run("--db", str(db_path), "domains")
    assert result.stdout == "Chess␛]0;pwned␇: rungs mastered 0/0; no active rung\n"


def test_help_lists_the_domains_command():
    result = run("--help")
    assert result.exit_code == 0
    assert "domains" in result.stdout and "progress" in result.stdout


@pytest.mark.parametrize("a, b, distance", [
    ("running", "running", 0), ("runing", "running", 1), ("rnuning", "running", 1),
    ("rinnung", "running", 2), ("chess", "running", 3), ("abcdef", "a", 3), ("", "ab", 2),
])
def test_typo_distance(a, b, distance):
    assert min(typo_distance(a, b), 3) == distance
    assert min(typo_distance(b, a), 3) == distance
