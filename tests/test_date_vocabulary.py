"""One vocabulary of dates: every phrase the README lists goes through every kind of field, on the
fixed clock (Thursday 2026-11-26 09:30, Europe/London). A field asking for a moment (log, outcome,
feedback, audit, schedule) takes a period as its start; a filter takes a moment as that day; and
the review screen's date filter says which days it read."""

from datetime import datetime

import pytest
from helpers import Typed, at, press, shown
from textual.widgets import Input

from efficacy_tui.coach.audit import past_moment
from efficacy_tui.coach.ladder import plan_time
from efficacy_tui.store import attempts, ladder
from efficacy_tui.ui.screens.review import ReviewScreen
from efficacy_tui.ui.screens.role_models import FeedbackForm, RoleModelsScreen
from efficacy_tui.when import WhenError, parse_range, parse_when

from conftest import NOW, rows


def local(*parts: int) -> datetime:
    return datetime(*parts).astimezone()


# phrase, the moment a field reads (a bare weekday when scheduling is the coming one: `ahead`),
# and the days a filter reads as (first day, day after the last; None for an open end).
PHRASES = [
    ("last week", local(2026, 11, 16), None, (local(2026, 11, 16), local(2026, 11, 23))),
    ("past week", local(2026, 11, 20), None, (local(2026, 11, 20), local(2026, 11, 27))),
    ("this week", local(2026, 11, 23), None, (local(2026, 11, 23), local(2026, 11, 30))),
    ("in march", local(2026, 3, 1), None, (local(2026, 3, 1), local(2026, 4, 1))),
    ("march", local(2026, 3, 1), None, (local(2026, 3, 1), local(2026, 4, 1))),
    ("2 weeks", local(2026, 11, 13), None, (local(2026, 11, 13), local(2026, 11, 27))),
    ("2 weeks ago", local(2026, 11, 12, 9, 30), None,
     (local(2026, 11, 12), local(2026, 11, 13))),
    ("next friday", local(2026, 11, 27, 9, 30), None, (local(2026, 11, 27), local(2026, 11, 28))),
    ("friday 6pm", local(2026, 11, 20, 18), local(2026, 11, 27, 18),
     (local(2026, 11, 20), local(2026, 11, 21))),
    ("tomorrow 7am", local(2026, 11, 27, 7), None, (local(2026, 11, 27), local(2026, 11, 28))),
    ("in 2 hours", local(2026, 11, 26, 11, 30), None, (local(2026, 11, 26), local(2026, 11, 27))),
    ("since 1 oct", local(2026, 10, 1), None, (local(2026, 10, 1), None)),
    ("1 oct to 15 oct", local(2026, 10, 1), None, (local(2026, 10, 1), local(2026, 10, 16))),
    ("2026-10-01..2026-10-15", local(2026, 10, 1), None,
     (local(2026, 10, 1), local(2026, 10, 16))),
    ("2026-10-01", local(2026, 10, 1, 9, 30), None, (local(2026, 10, 1), local(2026, 10, 2))),
    ("2026-10-01 14:00", local(2026, 10, 1, 14), None, (local(2026, 10, 1), local(2026, 10, 2))),
]

NOW_AWARE = NOW.astimezone()

# Every kind of moment field, by the reader it calls: log, outcome, feedback and the CLI's --when
# (parse_when), the audit's past successes, and scheduling (plan and performances).
MOMENT_FIELDS = {
    "when": lambda text: parse_when(text, now=NOW_AWARE),
    "audit": lambda text: past_moment(text, NOW_AWARE),
    "schedule": lambda text: plan_time(text, NOW_AWARE),
}


@pytest.mark.parametrize("field", MOMENT_FIELDS)
@pytest.mark.parametrize(("text", "moment", "ahead", "period"), PHRASES,
                         ids=[p[0] for p in PHRASES])
def test_every_phrase_in_every_moment_field(field, text, moment, ahead, period):
    expected = ahead if field == "schedule" and ahead is not None else moment
    assert MOMENT_FIELDS[field](text) == expected


@pytest.mark.parametrize(("text", "moment", "ahead", "period"), PHRASES,
                         ids=[p[0] for p in PHRASES])
def test_every_phrase_as_a_filter(text, moment, ahead, period):
    assert parse_range(text, now=NOW_AWARE) == period


@pytest.mark.parametrize("field", MOMENT_FIELDS)
def test_a_period_without_a_start_is_refused_as_a_moment(field):
    with pytest.raises(WhenError) as caught:
        MOMENT_FIELDS[field]("until friday")
    message = str(caught.value)
    assert '"until friday"' in message and message.endswith(".")
    assert parse_range("until friday", now=NOW_AWARE) == (None, local(2026, 11, 20))


async def test_the_date_filter_shows_the_days_it_read(make_app, store):
    run = ladder.add_domain(store, "Running")
    for title, when in [("Tempo run", "2026-11-18 07:00"), ("Long run", "2026-11-24 07:00")]:
        attempts.add_attempt(store, domain_id=run.id, title=title, happened_at=at(when),
                             outcome="success")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        dates = screen.query_one("#dates", Input)
        for phrase, status, titles in [
            ("last week", "last week: Mon 16 Nov – Sun 22 Nov · 1 record", ["Tempo run"]),
            ("2 weeks", "2 weeks: Fri 13 Nov – Thu 26 Nov · 2 records", ["Long run", "Tempo run"]),
            ("in march", "in march: Sun 1 Mar – Tue 31 Mar · No records match", []),
            ("since 1 oct", "since 1 oct: from Thu 1 Oct · 2 records", ["Long run", "Tempo run"]),
            ("tomorrow 7am", "tomorrow 7am: Fri 27 Nov · No records match", []),
        ]:
            dates.focus()
            dates.value = phrase
            await pilot.pause()
            assert shown(screen, "#review-status").startswith(status)
            assert [row.title for row in screen.rows] == titles


async def test_the_feedback_form_takes_last_week_as_its_start(make_app, store, db_path):
    domain = ladder.add_domain(store, "Public speaking")
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.push_screen(RoleModelsScreen(domain.id, focus="feedback"))
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackForm)
        await press(pilot, Typed("Priya"), "tab", "right", "right", "tab", Typed("Concrete"),
                    "tab")
        app.screen.query_one("#when", Input).value = "last week"
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RoleModelsScreen)
        assert rows(db_path, "SELECT given_at FROM feedback") == [
            {"given_at": "2026-11-16T00:00:00+00:00"}]
