"""Only real dates get in, and a row whose date is no real one (a file edited by hand, an older
version) never stops the app: it is shown marked unreadable, and `efficacy doctor` repairs or
removes it after a backup copy."""

import hashlib
import json
import sqlite3

import pytest
from click.testing import CliRunner
from helpers import settle

from efficacy_tui import stamps
from efficacy_tui.cli import main
from efficacy_tui.store.backup import backups_dir
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.export import write_export
from efficacy_tui.ui.screens.review import ReviewScreen

from conftest import rows

HOUR_99 = "2026-11-20T99:99:99+00:00"
SECRET = "my private note about the panic attack"


@pytest.fixture
def demo(store):
    build_demo(store, days=20, attempts=60, seed=3)
    return store


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("table", "column", "value"), [
    ("attempts", "happened_at", HOUR_99),
    ("attempts", "created_at", "2026-19-01T10:00:00+00:00"),  # month 19
    ("checkins", "day", "2026-11-39"),
    ("checkins", "day", "2026-02-30"),
    ("readiness", "scheduled_for", "2026-11-31T10:00:00+00:00"),
    ("feedback", "given_at", "2026-11-20T24:30:00+00:00"),
    ("attempts", "happened_at", 20261120),  # a number where a time belongs
])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_import_with_an_impossible_date_is_one_sentence_and_writes_nothing(
        demo, tmp_path, table, column, value, fmt):
    exported = write_export(demo, "json", tmp_path / "good.json")
    data = json.loads(exported.read_text("utf-8"))
    data[table][0][column] = value
    uid = data[table][0]["uid"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    if fmt == "csv":  # the same rows through a CSV zip: an empty database takes the JSON first
        fresh = tmp_path / "fresh.db"
        assert CliRunner().invoke(main, ["--db", str(fresh), "import", str(bad)]).exit_code == 1
        assert not fresh.exists()
        if not isinstance(value, str):
            return
        bad = _as_csv_zip(demo, tmp_path, table, column, value)
    target = tmp_path / "target" / "efficacy.db"
    CliRunner().invoke(main, ["--db", str(target), "import", str(tmp_path / "good.json")])
    before = digest(target)
    result = CliRunner().invoke(main, ["--db", str(target), "import", str(bad)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert f'"{table}"' in lines[0] and uid in lines[0] and f'"{column}"' in lines[0]
    assert digest(target) == before


def _as_csv_zip(store, tmp_path, table, column, value):
    """A CSV export whose first row of `table` holds `value` in `column`."""
    import io
    import zipfile

    source = write_export(store, "csv", tmp_path / "good.zip")
    out = tmp_path / "bad.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            text = old.read(name).decode("utf-8")
            if name == f"{table}.csv":
                import csv

                lines = list(csv.reader(io.StringIO(text, newline="")))
                lines[1][lines[0].index(column)] = value
                buffer = io.StringIO(newline="")
                csv.writer(buffer).writerows(lines)
                text = buffer.getvalue()
            new.writestr(name, text)
    return out


def spoil(db_path) -> dict[str, str]:
    """Write impossible dates straight into the file, as a hand edit would: an attempt's time
    (with a private note), a check-in's day, a planned performance's time and a domain's
    created_at. Returns the uid of each spoiled row by table."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    spoiled = {}
    for table, column, value, extra in (
        ("attempts", "happened_at", HOUR_99, {"note": SECRET}),
        ("checkins", "day", "2026-11-39", {}),
        ("readiness", "scheduled_for", "2026-11-26T99:00:00+00:00", {"completed_at": None}),
        ("domains", "created_at", "2026-19-01T10:00:00+00:00", {}),
    ):
        uid, = conn.execute(f"SELECT uid FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
        sets = ", ".join([f"{column} = ?", *(f"{k} = ?" for k in extra)])
        conn.execute(f"UPDATE {table} SET {sets} WHERE uid = ?", [value, *extra.values(), uid])
        spoiled[table] = uid
    conn.commit()
    conn.close()
    return spoiled


async def test_the_app_and_review_start_with_an_unreadable_row_and_show_it_marked(
        demo, db_path, make_app):
    spoil(db_path)
    demo.close()
    app = make_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        assert app.is_running
        await pilot.press("v")
        screen = await settle(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen)
        await settle(pilot, lambda: screen.rows)
        marked = [r for r in screen.rows if r.at == HOUR_99]
        assert marked, "the unreadable attempt is listed"
        table = screen.table
        shown = [str(table.get_row(key)[3]) for key in table.rows]
        assert any(cell.startswith("(unreadable time)") for cell in shown)
        for tab in ("2", "3", "1"):  # trends and calibration read every row too
            await pilot.press(tab)
            await pilot.pause()
        assert app.is_running and app.return_code in (None, 0)
    app = make_app(start="review")
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


def test_stats_nudge_and_export_carry_on_past_an_unreadable_row(demo, db_path):
    spoil(db_path)
    demo.close()
    for args in (["stats"], ["stats", "--format", "json"], ["nudge"], ["export", "-o", "-"]):
        result = CliRunner().invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == 0, result.output
        assert result.exception is None and "Traceback" not in result.output
        assert (SECRET in result.output) == (args[0] == "export")  # only the export holds it


def test_doctor_lists_the_rows_and_removes_them_after_a_backup(demo, db_path):
    spoiled = spoil(db_path)
    demo.close()
    declined = CliRunner().invoke(main, ["--db", str(db_path), "doctor"], input="n\n")
    assert declined.exit_code == 0
    for uid in spoiled.values():
        assert uid in declined.output
    assert not backups_dir(db_path).exists() or not list(backups_dir(db_path).iterdir())
    assert rows(db_path, "SELECT 1 FROM attempts WHERE uid = ?", [spoiled["attempts"]])

    result = CliRunner().invoke(main, ["--db", str(db_path), "doctor"], input="y\n")
    assert result.exit_code == 0, result.output
    copies = list(backups_dir(db_path).glob("*.db"))
    assert len(copies) == 1  # the copy holds the rows as they were
    kept = sqlite3.connect(copies[0])
    assert kept.execute("SELECT happened_at FROM attempts WHERE uid = ?",
                        [spoiled["attempts"]]).fetchone() == (HOUR_99,)
    kept.close()
    for table in ("attempts", "checkins", "readiness"):  # their own date: removed
        assert not rows(db_path, f"SELECT 1 FROM {table} WHERE uid = ?", [spoiled[table]])
    domain = rows(db_path, "SELECT created_at FROM domains WHERE uid = ?", [spoiled["domains"]])
    assert stamps.moment(domain[0]["created_at"]) is not None  # bookkeeping: repaired
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    again = CliRunner().invoke(main, ["--db", str(db_path), "doctor"])
    assert again.exit_code == 0 and "nothing to repair" in again.output


async def test_the_edit_form_asks_for_a_real_time_instead_of_keeping_an_impossible_one(
        demo, db_path, make_app):
    from efficacy_tui.ui.screens.review_forms import RecordForm

    spoil(db_path)
    demo.close()
    app = make_app(start="review")
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await settle(pilot, lambda: isinstance(app.screen, ReviewScreen)
                              and app.screen.rows and app.screen)
        screen.table.move_cursor(row=next(n for n, r in enumerate(screen.rows)
                                          if r.at == HOUR_99))
        await pilot.pause()
        await pilot.press("e")
        form = await settle(pilot, lambda: isinstance(app.screen, RecordForm) and app.screen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved: the time it holds is no real one
        assert form.query_one("#error").display
    assert rows(db_path, "SELECT 1 FROM attempts WHERE happened_at = ?", [HOUR_99])


async def test_a_bug_ends_the_app_with_a_traceback_that_shows_no_local_words(make_app):
    """Should any fault still end the app, its traceback names the code, never the user's words
    held in local variables."""

    def broken() -> None:
        note = SECRET  # noqa: F841 - a local the traceback must not print
        raise ValueError("day is out of range for month")

    app = make_app()
    async with app.run_test(size=(80, 24)):
        try:
            broken()
        except ValueError:
            app._fatal_error()  # what Textual calls for an unhandled exception
        printed = "".join(segment.text for renderable in app._exit_renderables
                          for segment in renderable.segments)
    assert "day is out of range for month" in printed and "broken" in printed
    assert SECRET not in printed
