"""The self-efficacy audit, driven with keys only through Pilot against a real database file."""

from datetime import datetime, timedelta

from helpers import Typed, press, shown
from textual.widgets import Input

from efficacy_tui.store.ladder import add_domain
from efficacy_tui.ui.screens.audit import AuditScreen
from efficacy_tui.ui.screens.home import HomeScreen

from conftest import rows


async def open_audit(app, pilot) -> list:
    """Push the audit as the ladder screen will, collecting what it dismisses with."""
    results: list = []
    app.push_screen(AuditScreen(), results.append)
    await pilot.pause()
    return results


async def fill_domain(pilot, name="Public speaking", goal="Give a 10-minute talk",
                      why="My ideas get heard") -> None:
    await press(pilot, Typed(name), "tab", Typed(goal), "tab", Typed(why), "enter")
    await pilot.pause()


async def fill_success(pilot, title: str, when: str, did: str) -> None:
    await press(pilot, Typed(title), "tab", Typed(when), "tab", Typed(did), "enter")
    await pilot.pause()


async def fill_three_successes(pilot) -> None:
    await fill_success(pilot, "Asked a question at the all-hands", "last month",
                       "Wrote the question down first")
    await fill_success(pilot, "Presented the roadmap", "3 weeks ago",
                       "Rehearsed twice with a colleague")
    await fill_success(pilot, "Spoke at the meetup", "2025-06-01",
                       "Arrived early to check the room")


def nothing_written(db_path) -> bool:
    return all(rows(db_path, f"SELECT * FROM {table}") == []
               for table in ("domains", "attempts", "rungs"))


async def test_whole_audit_with_keys_only_is_in_the_file(make_app, db_path, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        assert shown(app, "#audit-progress").startswith("Step 1 of 6")
        await fill_domain(pilot)
        assert shown(app, "#audit-progress").startswith("Step 2 of 6")
        heading = shown(app, "#success-1-heading")
        assert heading == ("The last three times you succeeded at something difficult in "
                           "Public speaking")
        # Back keeps what was typed; next checks the step again.
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert shown(app, "#audit-progress").startswith("Step 1 of 6")
        assert app.screen.query_one("#name", Input).value == "Public speaking"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert shown(app, "#audit-progress").startswith("Step 2 of 6")
        await fill_three_successes(pilot)
        assert shown(app, "#audit-progress").startswith("Step 5 of 6")
        assert app.screen.query_one("#plan-when", Input).value == "in 2 days"
        # The default "in 2 days" is kept; the rating goes unrated -> 50 -> 70.
        await press(pilot, Typed("Speak first in the stand-up"), "tab", "tab",
                    "right", "right", "right", "enter")
        await pilot.pause()
        assert shown(app, "#audit-progress").startswith("Step 6 of 6")
        summary = shown(app, "#summary")
        assert "Domain: Public speaking" in summary
        assert "What you did: Rehearsed twice with a colleague" in summary
        assert 'Thu 1 Oct 2026 (from "last month")' in summary
        assert "Planned: Speak first in the stand-up" in summary
        assert 'Sat 28 Nov 2026, 09:30 (from "in 2 days")' in summary
        assert "70 (quite certain I can do)" in summary
        assert nothing_written(db_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [domain] = rows(db_path, "SELECT * FROM domains")
    assert results == [domain["id"]]
    assert (domain["name"], domain["goal"], domain["why"]) == (
        "Public speaking", "Give a 10-minute talk", "My ideas get heard")
    wins = rows(db_path, "SELECT * FROM attempts WHERE outcome IS NOT NULL ORDER BY id")
    assert len(wins) == 3
    assert {(w["outcome"], w["source"], w["confidence"], w["domain_id"]) for w in wins} == {
        ("success", "audit", None, domain["id"])}
    assert [w["what_i_did"] for w in wins] == [
        "Wrote the question down first", "Rehearsed twice with a colleague",
        "Arrived early to check the room"]
    assert [w["happened_at"] for w in wins] == [
        "2026-10-01T00:00:00+01:00", "2026-11-05T09:30:00+00:00", "2025-06-01T09:30:00+01:00"]
    [planned] = rows(db_path, "SELECT * FROM attempts WHERE outcome IS NULL")
    assert planned["title"] == "Speak first in the stand-up"
    assert (planned["source"], planned["confidence"], planned["domain_id"]) == (
        "audit", 70, domain["id"])
    when = datetime.fromisoformat(planned["happened_at"])
    assert clock() <= when <= clock() + timedelta(days=7)
    assert planned["happened_at"] == "2026-11-28T09:30:00+00:00"


async def test_cancelling_midway_writes_nothing(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        await fill_domain(pilot)
        await fill_success(pilot, "Presented the roadmap", "", "Rehearsed")
        assert shown(app, "#audit-progress").startswith("Step 3 of 6")
        await pilot.press("escape")  # work would be lost: asked first
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert shown(app, "#audit-progress").startswith("Step 3 of 6")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert results == [None]
    assert nothing_written(db_path)


async def save_whole_audit(pilot, name: str) -> None:
    """Every step filled in and saved; the plan is rated 60."""
    await fill_domain(pilot, name=name, goal="", why="Stay fit")
    await fill_three_successes(pilot)
    await press(pilot, Typed("Speak first"), "tab", "tab", "right", "right", "enter")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_an_existing_domain_without_an_audit_takes_it(make_app, db_path, store):
    """A domain first named in a check-in gets its audit: the successes are added to it."""
    domain = add_domain(store, "Public speaking", goal="Talk at the meetup")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        await fill_domain(pilot, name="public speaking ", goal="", why="Stay fit")
        await fill_three_successes(pilot)
        await press(pilot, Typed("Speak first"), "tab", "tab", "right", "enter")
        await pilot.pause()
        assert "(already yours: the successes and the plan are added to it)" in shown(
            app, "#summary")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert results == [domain.id]
    [row] = rows(db_path, "SELECT * FROM domains")
    assert (row["name"], row["goal"], row["why"]) == (
        "Public speaking", "Talk at the meetup", "Stay fit")  # a blank goal keeps the old one
    assert {r["domain_id"] for r in rows(db_path, "SELECT * FROM attempts")} == {domain.id}
    assert len(rows(db_path, "SELECT * FROM attempts")) == 4


async def test_an_archived_domain_is_brought_back_and_the_audit_taken_again(
        make_app, db_path, store, clock):
    """A second sitting in the same domain is kept beside the first: each step shows what the
    last sitting said there, and both sittings stay in the file."""
    from efficacy_tui.store.ladder import archive_domain

    domain = add_domain(store, "Running")
    archive_domain(store, domain.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        assert not app.screen.query_one("#success-1-earlier").display
        await save_whole_audit(pilot, "Running")
        assert results == [domain.id]
        clock.at(datetime(2026, 12, 27, 9, 30))  # a month on
        results = await open_audit(app, pilot)
        await fill_domain(pilot, name="running")
        assert shown(app, "#audit-progress").startswith("Step 2 of 6")
        assert shown(app, "#success-1-earlier") == (
            "Last sitting (Thu 26 Nov 2026): Asked a question at the all-hands · what you did: "
            "Wrote the question down first")
        await fill_success(pilot, "Led the retro", "last week", "Prepared three questions")
        assert "Presented the roadmap" in shown(app, "#success-2-earlier")
        await fill_success(pilot, "Gave the demo", "2 weeks ago", "Rehearsed it at home")
        await fill_success(pilot, "Chaired the meeting", "3 weeks ago", "Wrote an agenda")
        assert shown(app, "#plan-earlier") == (
            "Last sitting's plan (Thu 26 Nov 2026): Speak first · you said 60 beforehand · "
            "no outcome recorded yet")
        await press(pilot, Typed("Open the all-hands"), "tab", "tab", "right", "enter")
        await pilot.pause()
        summary = shown(app, "#summary")
        assert "this is sitting 2, kept beside the 1 before it" in summary
        assert "Last sitting: Asked a question at the all-hands" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results == [domain.id]
    [row] = rows(db_path, "SELECT * FROM domains")
    assert row["archived_at"] is None and row["why"] == "My ideas get heard"  # typed again
    sittings = rows(db_path, "SELECT * FROM audits ORDER BY id")
    assert [s["domain_id"] for s in sittings] == [domain.id, domain.id]
    assert [s["created_at"][:10] for s in sittings] == ["2026-11-26", "2026-12-27"]
    linked = rows(db_path, "SELECT audit_id, count(*) AS n FROM attempts GROUP BY audit_id")
    assert linked == [{"audit_id": sittings[0]["id"], "n": 4},
                      {"audit_id": sittings[1]["id"], "n": 4}]


async def test_a_missing_what_did_you_do_is_refused(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(app, pilot)
        await fill_domain(pilot)
        await fill_success(pilot, "Presented the roadmap", "last friday", "   ")
        assert shown(app, "#audit-progress").startswith("Step 2 of 6")
        assert shown(app, "#error") == (
            "Say what you did to make success 1 happen; linking your effort to the outcome is "
            "the point of the audit.")
        assert app.focused.id == "success-1-did"
        await pilot.press("escape", "y")
        await pilot.pause()
    assert nothing_written(db_path)


async def test_a_future_time_for_a_past_success_is_refused(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(app, pilot)
        await fill_domain(pilot)
        await fill_success(pilot, "Presented the roadmap", "tomorrow", "Rehearsed")
        assert shown(app, "#audit-progress").startswith("Step 2 of 6")
        assert shown(app, "#error").startswith('"tomorrow" is in the future;')
        assert app.focused.id == "success-1-when"
        # An unreadable phrase gets when.py's sentence, on the same field.
        await press(pilot, "end", "ctrl+u", Typed("someday"), "tab", "enter")
        await pilot.pause()
        assert shown(app, "#error").startswith('Could not read the time "someday"')
        assert app.focused.id == "success-1-when"
    assert nothing_written(db_path)


async def test_the_plan_must_be_this_week_and_rated(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(app, pilot)
        await fill_domain(pilot)
        await fill_three_successes(pilot)
        await press(pilot, Typed("Speak first"), "tab", "end", "ctrl+u", Typed("in 10 days"),
                    "enter", "enter")
        await pilot.pause()
        assert shown(app, "#error") == (
            '"in 10 days" is more than 7 days ahead; plan one you can attempt this week.')
        assert app.focused.id == "plan-when"
        await press(pilot, "end", "ctrl+u", Typed("yesterday"), "enter", "enter")
        await pilot.pause()
        assert shown(app, "#error").startswith('"yesterday" has already passed;')
        await press(pilot, "end", "ctrl+u", Typed("next friday 6pm"), "enter", "enter")
        await pilot.pause()
        assert shown(app, "#error").startswith("Rate how certain you are")
        assert app.focused.id == "plan-confidence"
        assert shown(app, "#audit-progress").startswith("Step 5 of 6")
    assert nothing_written(db_path)


async def test_markup_in_titles_is_stored_and_shown_literally(make_app, db_path):
    name, win, did = "[bold]Talks[/]", "[red]Keynote[/] [@click=app.quit]x[/]", "[/]"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        await fill_domain(pilot, name=name, goal="[i]goal", why="")
        assert shown(app, "#success-1-heading").endswith(f"in {name}")
        await fill_success(pilot, win, "", did)
        await fill_success(pilot, "Second", "yesterday", "Practised")
        await fill_success(pilot, "Third", "last week", "Prepared")
        await press(pilot, Typed("[b]Plan"), "tab", "tab", "end", "enter")
        await pilot.pause()
        summary = shown(app, "#summary")
        assert f"Domain: {name}" in summary and "Goal: [i]goal" in summary
        assert "Why it matters: (not given)" in summary
        assert f"Success 1: {win}" in summary and f"What you did: {did}" in summary
        assert "Planned: [b]Plan" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
    [domain] = rows(db_path, "SELECT * FROM domains")
    assert results == [domain["id"]]
    assert (domain["name"], domain["goal"]) == (name, "[i]goal")
    first = rows(db_path, "SELECT * FROM attempts ORDER BY id")[0]
    assert (first["title"], first["what_i_did"]) == (win, did)
    assert first["happened_at"] == "2026-11-26T09:30:00+00:00"  # blank means the audit's day
    [planned] = rows(db_path, "SELECT * FROM attempts WHERE outcome IS NULL")
    assert (planned["title"], planned["confidence"]) == ("[b]Plan", 100)


async def test_a_new_name_like_a_known_domain_is_asked_about_and_a_distinct_one_is_not(
        make_app, db_path, store):
    """The audit is where domains start, so a new name is saved without a question, unless it
    looks like a slip for one there is: then no stays on the summary with nothing written."""
    add_domain(store, "Public speaking")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_audit(app, pilot)
        await save_whole_audit(pilot, "Public speking")
        asked = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "New domain: Public speking?" in asked
        assert "Did you mean Public speaking?" in asked
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen) and results == []
        assert shown(app, "#audit-progress").startswith("Step 6 of 6")
        assert [r["name"] for r in rows(db_path, "SELECT name FROM domains")] == [
            "Public speaking"]
        assert rows(db_path, "SELECT * FROM attempts") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert len(results) == 1
        results = await open_audit(app, pilot)
        await save_whole_audit(pilot, "Chess")
        assert len(results) == 1 and isinstance(app.screen, HomeScreen)
    assert [r["name"] for r in rows(db_path, "SELECT name FROM domains ORDER BY id")] == [
        "Public speaking", "Public speking", "Chess"]
