"""Hostile text in every text field, through the app, `efficacy log` and `efficacy import`.

Emoji, right-to-left script, combining marks, NUL, terminal escape sequences and Textual markup are
stored exactly (read back through a separate sqlite3 connection), shown literally (markup as its
brackets, control characters as visible symbols such as ␛ and ␀), and never reach the terminal as
control characters; no screen crashes and `[@click=app.quit]` quits nothing. A field with a length
limit refuses 100 KB of text with one sentence and writes nothing; a field without one keeps all of
it. Numbers out of range are refused with a message.

Values are set on the inputs directly (typing 100 KB through Pilot would take minutes)."""

import json
import sqlite3
from datetime import datetime

import pytest
from click.testing import CliRunner
from helpers import enter
from textual.widgets import DataTable, Input, OptionList, RadioSet, Static

from efficacy_tui.cli import main
from efficacy_tui.coach.checkin import read_checkin
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.control_chars import PICTURES, visible
from efficacy_tui.store import attempts, checkins, export, ladder, role_models
from efficacy_tui.store.core import open_store
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.screens.readiness import ReadinessScreen
from efficacy_tui.ui.screens.reframe import ReframeScreen
from efficacy_tui.ui.screens.review import ReviewScreen
from efficacy_tui.ui.screens.role_models import RoleModelsScreen
from efficacy_tui.ui.screens.scale import ScaleScreen
from efficacy_tui.ui.widgets.rating import Rating
from efficacy_tui.ui.widgets.safe_text import clipped, control_filter

from conftest import rows

SIZE = (100, 30)
PIECES = {
    "emoji": "😀 👩🏽‍💻 🇬🇧",
    "rtl": "مرحبا بالعالم",
    "combining": "e\u0301 n\u0303 a\u030a",
    "nul": "a\x00b",
    "escape": "\x1b[31mred\x1b[0m",
    "osc": "\x1b]0;title\x07",
    "c1": "\x9b2J",
    "markup": "[bold]x[/]",
    "close": "[/]",
    "click": "[@click=app.quit]q[/]",
}
HOSTILE = " ".join(PIECES.values())
KB100 = 100 * 1024
# Raw control sequences that must never be in what is painted to the terminal.
RAW = ("\x1b[31mred", "\x1b]0;title", "\x00", "\x9b")


def hostile(label: str) -> str:
    """A field's hostile value: its name first, so every field's text is told apart."""
    return f"{label} {HOSTILE}"


def long(label: str) -> str:
    """At least 100 KB of hostile text, ending in a visible character (values are stripped)."""
    unit = f"{HOSTILE} "
    return label + " " + unit * (KB100 // len(unit) + 1) + "end"


def words(screen) -> str:
    """Every piece of text the screen shows: statics and labels, option lists, table cells."""
    parts = [str(widget.render()) for widget in screen.query(Static)]
    for options in screen.query(OptionList):
        parts += [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
    for table in screen.query(DataTable):
        parts += [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
    return "\n".join(parts)


def painted(app) -> str:
    """What the app writes to the terminal for the current screen, escape codes and all."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_safe(app) -> None:
    """The screen paints, and no control sequence from the user's words reaches the terminal."""
    out = painted(app)
    for raw in RAW:
        assert raw not in out
    assert app.is_running


def assert_shown(screen, *values: str) -> None:
    """Each value appears literally: markup as typed, control characters as symbols."""
    text = words(screen)
    for value in values:
        assert visible(value) in text, value[:40]


async def fill(pilot, **values) -> None:
    """Set fields by id: text on inputs, numbers on ratings, an option id on a radio set."""
    screen = pilot.app.screen
    for name, value in values.items():
        name = name.replace("__", "-")
        widget = screen.query_one(f"#{name}")
        if isinstance(widget, RadioSet):
            screen.query_one(f"#{name}-{value}").value = True
        else:
            widget.value = value
    await pilot.pause()


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


def error(screen) -> str:
    return str(screen.query_one("#error", Static).render())


def one(db_path, sql: str, params=()) -> dict:
    [row] = rows(db_path, sql, params)
    return row


# -- the display helper and the last guard ---------------------------------------------------


def test_visible_keeps_everything_but_control_characters():
    assert visible(PIECES["escape"]) == "␛[31mred␛[0m"
    assert visible(PIECES["nul"]) == "a␀b"
    assert visible(PIECES["osc"]) == "␛]0;title␇"
    assert visible("tab\tnew\nline") == "tab\tnew\nline"
    for name in ("emoji", "rtl", "combining", "markup", "close", "click"):
        assert visible(PIECES[name]) == PIECES[name]
    assert all(len(v) == 1 for v in PICTURES.values())


def test_the_line_filter_drops_control_characters_without_moving_anything():
    from rich.segment import Segment
    from rich.style import Style

    style = Style(bold=True)
    line = [Segment("ok "), Segment("a\x1b[31mb\x00c\x9b", style), Segment(" end")]
    out = control_filter().apply(line, None)
    assert [s.text for s in out] == ["ok ", "a[31mbc", " end"]
    assert out[1].style == style
    assert sum(s.cell_length for s in out) == sum(s.cell_length for s in line)
    clean = [Segment("plain 😀 مرحبا")]
    assert control_filter().apply(clean, None) is clean


# -- the check-in ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["short", "long"])
async def test_checkin_fields_keep_hostile_text(make_app, db_path, size):
    big = long if size == "long" else hostile
    typed = {
        "focus_domain": hostile("domain"),  # limited to 200 characters
        "focus_rung": hostile("rung"),  # limited to 500
        "win_title": big("win"), "win_did": big("did"),
        "if_situation": big("situation"), "then_action": big("action"),
    }
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, energy=6, anxiety=30, focus_confidence=70, **typed)
        assert_safe(app)
        await save(pilot)
        # Asked before the domain and rung are started: both names shown as typed.
        assert_shown(app.screen, typed["focus_domain"], typed["focus_rung"])
        assert_safe(app)
        await fill(pilot, criterion=big("criterion"))
        await save(pilot)
        assert isinstance(app.screen, HomeScreen)
        # Home previews the win's words (the record keeps them whole, checked below).
        assert_shown(app.screen, typed["focus_domain"], typed["focus_rung"],
                     clipped(typed["win_title"]), clipped(typed["win_did"]))
        assert_safe(app)
        # Opened again, the form holds exactly what was saved, and saving again changes nothing.
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        for name, value in typed.items():
            assert form.query_one(f"#{name}", Input).value == value
        await save(pilot)
        assert app.is_running
    checkin = one(db_path, "SELECT if_situation, then_action FROM checkins")
    assert checkin == {"if_situation": typed["if_situation"], "then_action": typed["then_action"]}
    assert one(db_path, "SELECT name FROM domains")["name"] == typed["focus_domain"]
    assert one(db_path, "SELECT title, criterion FROM rungs") == {
        "title": typed["focus_rung"], "criterion": big("criterion")}
    assert one(db_path, "SELECT title, what_i_did FROM attempts") == {
        "title": typed["win_title"], "what_i_did": typed["win_did"]}


@pytest.mark.parametrize("field, sentence", [
    ("focus_domain", "The focus domain can be at most 200 characters long."),
    ("focus_rung", "The rung can be at most 500 characters long."),
])
async def test_checkin_refuses_text_over_a_limit(make_app, db_path, field, sentence):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await fill(pilot, **{"energy": 6, "anxiety": 30, "focus_domain": "Running",
                             field: long(field)})
        await save(pilot)
        assert isinstance(app.screen, CheckinScreen)
        assert error(app.screen) == sentence
        assert_safe(app)
    assert rows(db_path, "SELECT * FROM checkins") == []
    assert rows(db_path, "SELECT * FROM domains") == []


@pytest.mark.parametrize("values, sentence", [
    ({"sleep_hours": "25"}, "Sleep"),
    ({"energy": 11}, "Energy"),
    ({"anxiety": 101}, "Anxiety"),
    ({"focus_confidence": 105}, "Confidence"),
])
async def test_checkin_refuses_numbers_out_of_range(make_app, db_path, values, sentence):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        base = {"energy": 5, "anxiety": 50, "focus_domain": "Running"}
        await fill(pilot, **{**base, **values})
        # A rating widget clamps what it is given; the check behind it is what refuses.
        for name, value in values.items():
            widget = screen.query_one(f"#{name}")
            if isinstance(widget, Rating):
                widget.set_reactive(Rating.value, value)
        await save(pilot)
        assert app.screen is screen
        assert sentence in error(screen)
    assert rows(db_path, "SELECT * FROM checkins") == []


def test_checkin_rules_refuse_numbers_out_of_range():
    from datetime import date

    for raw in ({"energy": 11, "anxiety": 5}, {"energy": 5, "anxiety": -1},
                {"energy": 5, "anxiety": 5, "sleep_hours": "25"},
                {"energy": 5, "anxiety": 5, "focus_domain": "x", "focus_confidence": 55}):
        with pytest.raises(InvalidValue):
            read_checkin(date(2026, 11, 26), raw)


# -- the ladder, its forms, home and review ------------------------------------------------------


@pytest.mark.long
@pytest.mark.parametrize("size", ["short", "long"])
async def test_ladder_forms_home_and_review_keep_hostile_text(make_app, db_path, size):
    big = long if size == "long" else hostile
    name, rung = hostile("name"), hostile("rung")
    # 100 KB in one field of each form: each is painted on several screens, and that is slow.
    typed = {"goal": big("goal"), "why": hostile("why"), "criterion": big("criterion"),
             "plan": big("plan"), "did": hostile("did"), "note": big("note"),
             "logged": hostile("logged"), "logged_did": big("logged did")}
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ladder_screen = app.screen
        assert isinstance(ladder_screen, LadderScreen)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, name=name, goal=typed["goal"], why=typed["why"])
        await save(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, title=rung, criterion=typed["criterion"])
        await save(pilot)
        assert app.screen is ladder_screen
        await pilot.press("p")
        await pilot.pause()
        assert_safe(app)  # the form's title quotes the rung
        await fill(pilot, title=typed["plan"], confidence=60)
        await save(pilot)
        await pilot.press("o")
        await pilot.pause()
        await fill(pilot, outcome="partial", effort=3, what_i_did=typed["did"],
                   note=typed["note"])
        await save(pilot)
        await pilot.press("n")  # no reframe now
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await fill(pilot, title=typed["logged"], when="yesterday", outcome="success",
                   what_i_did=typed["logged_did"], note="")
        await save(pilot)
        assert app.screen is ladder_screen
        assert_shown(ladder_screen, name, rung, typed["goal"], typed["why"], typed["criterion"])
        assert_safe(app)

        await pilot.press("escape")
        await pilot.pause()
        assert_shown(app.screen, name, rung, clipped(typed["logged"]),
                     clipped(typed["logged_did"]))
        assert_safe(app)

        await pilot.press("v")
        await pilot.pause()
        review_screen = app.screen
        assert isinstance(review_screen, ReviewScreen)
        await pilot.press("down")
        await pilot.pause()
        assert_shown(review_screen, typed["logged"][:20])
        assert_safe(app)
        # The edit form holds the words exactly; saving it unchanged keeps them exactly.
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#title", Input).value == typed["logged"]
        assert form.query_one("#what_i_did", Input).value == typed["logged_did"]
        assert_safe(app)
        await save(pilot)
        assert app.screen is review_screen
        assert_shown(review_screen, typed["logged_did"])
        # The search box takes hostile text as words, never as query syntax.
        await pilot.press("slash")
        review_screen.query_one("#search", Input).value = HOSTILE + " logged"
        await pilot.pause()
        assert [row.title for row in review_screen.rows] == [typed["logged"]]
        assert_safe(app)
        await enter(pilot, "[/]\"*:(")
        await pilot.pause()
        review_screen.query_one("#search", Input).value = long("search")
        await pilot.pause()
        assert_safe(app)
        tabs = (("2", "trends"), ("3", "calibration")) if size == "short" else ()
        for key, tab in tabs:  # both name the domain
            await pilot.press("escape", "v")
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.query_one("#review-tabs").active == tab
            assert_safe(app)
    assert one(db_path, "SELECT name, goal, why FROM domains") == {
        "name": name, "goal": typed["goal"], "why": typed["why"]}
    assert one(db_path, "SELECT title, criterion FROM rungs") == {
        "title": rung, "criterion": typed["criterion"]}
    assert rows(db_path, "SELECT title, what_i_did, note FROM attempts ORDER BY id") == [
        {"title": typed["plan"], "what_i_did": typed["did"], "note": typed["note"]},
        {"title": typed["logged"], "what_i_did": typed["logged_did"], "note": ""},
    ]


@pytest.mark.parametrize("key, field, sentence", [
    ("n", "name", "The name can be at most 200 characters long."),
    ("a", "title", "The challenge can be at most 500 characters long."),
])
async def test_ladder_forms_refuse_text_over_a_limit(make_app, store, db_path, key, field,
                                                     sentence):
    ladder.add_domain(store, "Running")
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        await fill(pilot, **{field: long(field)})
        await save(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert error(form) == sentence
        assert_safe(app)
    assert rows(db_path, "SELECT name FROM domains") == [{"name": "Running"}]
    assert rows(db_path, "SELECT * FROM rungs") == []


async def test_a_title_that_begins_with_a_nul_is_refused_with_a_sentence(make_app, store, db_path):
    """SQLite's length() stops at a NUL, so such a title would break the schema's non-blank rule;
    the form says so instead of failing on save. A NUL further in is kept (see above)."""
    ladder.add_domain(store, "Running")
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, title="  \x00run 5 km")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert error(app.screen) == "The challenge cannot begin with a NUL character (\\0)."
        assert_safe(app)
    assert rows(db_path, "SELECT * FROM rungs") == []


# -- the audit and the scale -----------------------------------------------------------------------


async def test_audit_keeps_hostile_text(make_app, db_path):
    typed = {"name": hostile("audit"), "goal": long("goal"), "why": hostile("why"),
             "plan-title": hostile("plan")}
    for n in (1, 2, 3):
        typed[f"success-{n}-title"] = hostile(f"success {n}")
        typed[f"success-{n}-did"] = long(f"did {n}") if n == 1 else hostile(f"did {n}")
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        whens = {f"success-{n}-when": f"{n} days ago" for n in (1, 2, 3)}
        await fill(pilot, **typed, **whens, **{"plan-when": "tomorrow", "plan-confidence": 60})
        for _ in range(5):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert_safe(app)
        assert error(screen) == ""
        assert_shown(screen, *typed.values())
        await save(pilot)
        assert app.screen is not screen
        assert_shown(app.screen, typed["name"], typed["goal"], typed["why"])
    assert one(db_path, "SELECT name, goal, why FROM domains") == {
        "name": typed["name"], "goal": typed["goal"], "why": typed["why"]}
    saved = rows(db_path, "SELECT title, what_i_did FROM attempts ORDER BY id")
    assert saved == [
        *({"title": typed[f"success-{n}-title"], "what_i_did": typed[f"success-{n}-did"]}
          for n in (1, 2, 3)),
        {"title": typed["plan-title"], "what_i_did": ""},
    ]


async def test_audit_refuses_a_name_over_the_limit(make_app, db_path):
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await fill(pilot, name=long("name"))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "200 characters" in error(app.screen)
        assert_safe(app)
    assert rows(db_path, "SELECT * FROM domains") == []


async def test_scale_items_keep_hostile_text_and_refuse_long_ones(make_app, store, db_path):
    domain = ladder.add_domain(store, "Running")
    items = {f"item-{n}": f"I can {hostile(str(n))}" for n in (1, 2, 3)}
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScaleScreen)
        await fill(pilot, **items, **{"item-4": "I can " + long("4")},
                   **{f"rating-{n}": 50 for n in (1, 2, 3, 4)})
        await save(pilot)
        assert app.screen is screen
        assert "longer than 500 characters" in error(screen)
        assert rows(db_path, "SELECT * FROM scale_items") == []
        await fill(pilot, **{"item-4": ""})
        await save(pilot)
        assert app.screen is not screen
        await pilot.press("i")
        await pilot.pause()
        for name, value in items.items():
            assert app.screen.query_one(f"#{name}", Input).value == value
        assert_safe(app)
    saved = rows(db_path, "SELECT text FROM scale_items WHERE domain_id = ? ORDER BY position",
                 [domain.id])
    assert [r["text"] for r in saved] == list(items.values())


# -- reframing, readiness, models and feedback -----------------------------------------------------


@pytest.mark.long
async def test_reframe_keeps_hostile_text(make_app, store, db_path):
    name = hostile("domain")
    domain = ladder.add_domain(store, name)
    attempts.add_attempt(store, domain_id=domain.id, title=hostile("evidence"),
                         happened_at="2026-11-20T10:00:00+00:00", outcome="success",
                         what_i_did=hostile("evidence did"))
    typed = {"what": hostile("what"), "why": long("why"),
             "new-explanation": hostile("explanation"), "if-situation": long("situation"),
             "then-action": hostile("action")}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReframeScreen)
        await fill(pilot, domain=name, **typed)
        await fill(pilot, locus="internal", stability="temporary",
                   controllability="controllable")
        for _ in range(7):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert_safe(app)
        assert error(screen) == ""
        assert_shown(screen, name, *typed.values(), hostile("evidence"), hostile("evidence did"))
        await save(pilot)
        assert app.screen is not screen
        assert_safe(app)
    saved = one(db_path, "SELECT what_happened, cause_text, new_explanation, if_situation, "
                         "then_action FROM reframes")
    assert saved == {"what_happened": typed["what"], "cause_text": typed["why"],
                     "new_explanation": typed["new-explanation"],
                     "if_situation": typed["if-situation"], "then_action": typed["then-action"]}


async def test_readiness_schedule_walkthrough_and_followup_keep_hostile_text(
        make_app, store, clock, db_path):
    domain_name = hostile("domain")
    domain = ladder.add_domain(store, domain_name)
    attempts.add_attempt(store, domain_id=domain.id, title=hostile("evidence"),
                         happened_at="2026-11-20T10:00:00+00:00", outcome="success",
                         what_i_did=hostile("evidence did"))
    title = hostile("talk")
    typed = {"reappraisal": long("reappraisal"), "if-situation": hostile("situation"),
             "then-action": hostile("action")}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await fill(pilot, title=title, domain=domain_name, when="in 2 hours")
        await save(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert_shown(app.screen, title)
        assert_safe(app)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReadinessScreen)
        assert_shown(screen, title)  # the performance to choose, quoted in a radio button
        assert_safe(app)
        await fill(pilot, energy=5, **{"anxiety-before": 60, "confidence-before": 50,
                                       "readiness-before": 40}, **typed)
        await fill(pilot, **{"anxiety-after": 40, "confidence-after": 70,
                             "readiness-after": 60})
        for _ in range(7):
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert_safe(app)
        assert error(screen) == ""
        await save(pilot)
        assert_shown(screen, title, *typed.values(), hostile("evidence"))
        assert_safe(app)
        await pilot.press("escape")
        await pilot.pause()
        clock.at(datetime(2026, 11, 26, 14, 0))
        app.screen.refresh_data()
        await pilot.press("o")
        await pilot.pause()
        assert_safe(app)
        await fill(pilot, outcome="success", did=long("did"), note=hostile("note"))
        await save(pilot)
        assert app.is_running
    performance = one(db_path, "SELECT title, reappraisal, if_situation, then_action "
                               "FROM readiness")
    assert performance == {"title": title, "reappraisal": typed["reappraisal"],
                           "if_situation": typed["if-situation"],
                           "then_action": typed["then-action"]}
    followed = one(db_path, "SELECT what_i_did, note FROM attempts WHERE source = 'readiness'")
    assert followed == {"what_i_did": long("did"), "note": hostile("note")}


async def test_readiness_refuses_a_title_over_the_limit(make_app, db_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await fill(pilot, title=long("title"), when="in 2 hours")
        await save(pilot)
        assert "500 characters" in error(app.screen)
        assert_safe(app)
    assert rows(db_path, "SELECT * FROM readiness") == []


async def test_models_and_feedback_keep_hostile_text(make_app, store, db_path):
    ladder.add_domain(store, "Running")
    model = {"who": hostile("who"), "like_me": long("like me"),
             "what_they_did": hostile("did")}
    feedback = {"who": hostile("coach"), "what_they_said": long("said")}
    app = make_app("ladder")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoleModelsScreen)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, **model)
        await save(pilot)
        await pilot.press("f")
        await pilot.pause()
        await fill(pilot, credibility=4, when="yesterday", **feedback)
        await save(pilot)
        assert app.screen is screen
        assert_shown(screen, *model.values(), *feedback.values())
        assert_safe(app)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, who=long("who"), what_they_did="x")
        await save(pilot)
        assert "200 characters" in error(app.screen)
        assert_safe(app)
    assert one(db_path, "SELECT who, like_me, what_they_did FROM models") == model
    assert one(db_path, "SELECT who, what_they_said FROM feedback") == feedback


# -- the command line ---------------------------------------------------------------------------


def run(db_path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db_path), *args])


def test_log_keeps_hostile_text_and_prints_it_safely(store, db_path):
    ladder.add_domain(store, "Running")
    title, did, note = hostile("title"), long("did"), hostile("note")
    result = run(db_path, "log", "Running", title, "--outcome", "setback", "--did", did,
                 "--note", note)
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.output
    assert visible(title) in result.output
    assert one(db_path, "SELECT title, what_i_did, note FROM attempts") == {
        "title": title, "what_i_did": did, "note": note}


@pytest.mark.parametrize("args, words_said", [
    (["--confidence", "105"], "Confidence"),
    (["--confidence", "55"], "steps of 10"),
    (["--confidence", "-10"], "Confidence"),
    (["--outcome", "won"], "won"),
])
def test_log_refuses_numbers_out_of_range(store, db_path, args, words_said):
    ladder.add_domain(store, "Running")
    options = {"--outcome": "success"}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = run(db_path, "log", "Running", "A run", *[x for kv in options.items() for x in kv])
    assert result.exit_code == 1
    assert words_said in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert rows(db_path, "SELECT * FROM attempts") == []


def test_stats_prints_hostile_names_safely(store, db_path):
    domain = ladder.add_domain(store, hostile("domain"))
    ladder.add_rung(store, domain.id, hostile("rung"), "", 30)
    result = run(db_path, "stats")
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.output
    assert visible(hostile("domain")) in result.output
    as_json = run(db_path, "stats", "--format", "json")
    assert json.loads(as_json.output)  # JSON escapes control characters itself
    for raw in RAW:
        assert raw not in as_json.output
    assert "\\u001b" in as_json.output and "\\u009b" in as_json.output


def test_log_names_an_unknown_hostile_domain_safely(store, db_path):
    ladder.add_domain(store, "Running")
    store.close()
    result = run(db_path, "log", hostile("domain"), "A run", "--outcome", "success")
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.output
    assert result.output.startswith(f"New domain: {visible(hostile('domain').strip())}\n")
    assert [r["name"] for r in rows(db_path, "SELECT name FROM domains")] == [
        "Running", hostile("domain").strip()]
    refused = run(db_path, "log", "Runnin\x07", "A run", "--outcome", "success")
    assert refused.exit_code == 1
    assert refused.output == "Did you mean Running? Add --new to start a domain called Runnin␇.\n"
    assert len(rows(db_path, "SELECT * FROM attempts")) == 1


def test_import_keeps_hostile_text_and_export_round_trips(tmp_path, store, clock, db_path):
    domain = ladder.add_domain(store, hostile("domain"), long("goal"), hostile("why"))
    rung = ladder.add_rung(store, domain.id, hostile("rung"), long("criterion"), 30)
    attempts.add_attempt(store, domain_id=domain.id, rung_id=rung.id, title=long("title"),
                         happened_at="2026-11-20T10:00:00+00:00", outcome="success",
                         what_i_did=hostile("did"), note=hostile("note"))
    checkins.save_checkin(store, read_checkin(store.today(), {
        "energy": 5, "anxiety": 50, "if_situation": hostile("situation"),
        "then_action": long("action")}))
    role_models.add_model(store, domain.id, hostile("who"), long("like"), hostile("did"))
    source = tmp_path / "export.json"
    exported = export.export_data(store)
    source.write_text(export.to_json(exported), "utf-8")
    target = tmp_path / "other" / "efficacy.db"
    result = run(target, "import", str(source))
    assert result.exit_code == 0, result.output
    for raw in RAW:
        assert raw not in result.output
    for table, column, value in [("domains", "name", hostile("domain")),
                                 ("domains", "goal", long("goal")),
                                 ("rungs", "criterion", long("criterion")),
                                 ("attempts", "title", long("title")),
                                 ("checkins", "then_action", long("action")),
                                 ("models", "like_me", long("like"))]:
        assert one(target, f"SELECT {column} FROM {table}")[column] == value
    again = open_store(target, clock=clock)
    try:
        reexported = export.export_data(again)
    finally:
        again.close()
    assert {**reexported, "exported_at": ""} == {**exported, "exported_at": ""}


def test_import_refuses_numbers_out_of_range_and_writes_nothing(tmp_path, store, db_path):
    checkins.save_checkin(store, read_checkin(store.today(), {"energy": 5, "anxiety": 50}))
    models_domain = ladder.add_domain(store, "Running")
    role_models.add_feedback(store, models_domain.id, "Coach", 4, "Good pacing",
                        datetime(2026, 11, 20, 10, 0).astimezone())
    data = export.export_data(store)
    target = tmp_path / "other" / "efficacy.db"
    for table, column, value in [("checkins", "energy", 11), ("checkins", "sleep_hours", 25),
                                 ("feedback", "credibility", 6)]:
        bad = json.loads(export.to_json(data))
        bad[table][0][column] = value
        source = tmp_path / f"bad-{column}.json"
        source.write_text(json.dumps(bad), "utf-8")
        result = run(target, "import", str(source))
        assert result.exit_code == 1
        assert table in result.output and len(result.output.strip().splitlines()) == 1
        if target.exists():
            for name in ("checkins", "feedback", "domains"):
                assert rows(target, f"SELECT * FROM {name}") == []


def test_a_nul_in_text_survives_sqlite_both_ways(store, db_path):
    """SQLite's own string functions stop at NUL, but the stored value does not."""
    domain = ladder.add_domain(store, "a\x00b")
    assert one(db_path, "SELECT name FROM domains")["name"] == "a\x00b"
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT length(CAST(name AS BLOB)) FROM domains").fetchone() == (3,)
    finally:
        conn.close()
    assert domain.name == "a\x00b"
