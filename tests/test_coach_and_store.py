"""The coach's pure rules and the store's guarantees, checked directly."""

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from efficacy_tui.coach.checkin import read_checkin, streak
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.store import checkins, domains, drafts
from efficacy_tui.store.core import StoreError, open_store
from efficacy_tui.store.home import home_data

from conftest import Clock, rows


def test_streak_counts_consecutive_local_days():
    today = date(2026, 11, 26)
    days = ["2026-11-26", "2026-11-25", "2026-11-24", "2026-11-22"]
    assert streak(days, today) == 3
    assert streak(days[1:], today) == 2  # today still open: not broken yet
    assert streak(["2026-11-24"], today) == 0
    assert streak([], today) == 0


@pytest.mark.parametrize("today", [date(2026, 3, 31), date(2026, 10, 27)])
def test_streak_crosses_daylight_saving_changes(today):
    days = [(today - timedelta(days=n)).isoformat() for n in range(6)]
    assert streak(days, today) == 6


def test_anchor_words_follow_bandura():
    confidence = scale("confidence")
    assert confidence.anchor(0) == "cannot do at all"
    assert confidence.anchor(50) == "moderately certain I can do"
    assert confidence.anchor(100) == "highly certain I can do"
    assert all("will" not in word for word in confidence.anchors.values())
    assert confidence.clamp(73) == 70 and confidence.clamp(140) == 100


def test_a_value_between_steps_is_kept_and_stepped_from():
    difficulty = scale("difficulty")
    assert difficulty.within(27) == 27 and difficulty.within(140) == 100
    assert difficulty.step_from(27, 1) == 30 and difficulty.step_from(27, -1) == 25
    assert difficulty.step_from(25, 1) == 30 and difficulty.step_from(100, 1) == 100


def test_read_checkin_reads_a_decimal_comma():
    entry = read_checkin(date(2026, 11, 26), {
        "sleep_hours": "6,5", "energy": 4, "anxiety": 70, "focus_domain": "",
        "win_title": "", "win_did": "", "if_situation": "", "then_action": "",
    })
    assert entry.sleep_hours == 6.5 and entry.focus_rung == "" and entry.focus_confidence is None


def test_read_checkin_refuses_a_rung_without_a_domain_instead_of_dropping_it():
    with pytest.raises(InvalidValue) as err:
        read_checkin(date(2026, 11, 26), {
            "sleep_hours": "6,5", "energy": 4, "anxiety": 70, "focus_domain": "",
            "focus_rung": "orphan", "focus_confidence": 50, "win_title": "", "win_did": "",
            "if_situation": "", "then_action": "",
        })
    assert err.value.field == "focus_domain"


def test_read_checkin_names_the_bad_field():
    with pytest.raises(InvalidValue) as err:
        read_checkin(date(2026, 11, 26), {"energy": 11, "anxiety": 10})
    assert err.value.field == "energy"
    assert str(err.value) == 'Energy must be a whole number from 0 to 10; "11" is not.'


def test_strict_tables_refuse_out_of_range_values(store):
    domain = domains.get_or_create_domain(store, "Running")
    bad = [
        ("INSERT INTO rungs (uid, domain_id, title, difficulty, created_at) "
         "VALUES ('00000000-0000-4000-8000-000000000001', ?, 'x', 101, '2026-11-26T09:00:00+00:00')",
         [domain.id]),
        ("INSERT INTO attempts (uid, title, happened_at, outcome, created_at, updated_at) VALUES "
         "('00000000-0000-4000-8000-000000000002', 'x', '2026-11-26T09:00:00+00:00', 'maybe', "
         "'2026-11-26T09:00:00+00:00', '2026-11-26T09:00:00+00:00')", []),
        ("INSERT INTO attempts (uid, title, happened_at, confidence, created_at, updated_at) VALUES "
         "('00000000-0000-4000-8000-000000000003', 'x', '2026-11-26T09:00:00+00:00', 150, "
         "'2026-11-26T09:00:00+00:00', '2026-11-26T09:00:00+00:00')", []),
        ("INSERT INTO checkins (uid, day, energy, created_at, updated_at) VALUES "
         "('00000000-0000-4000-8000-000000000004', '2026-11-26', 'high', "
         "'2026-11-26T09:00:00+00:00', '2026-11-26T09:00:00+00:00')", []),
        ("INSERT INTO checkins (uid, day, if_situation, created_at, updated_at) VALUES "
         "('00000000-0000-4000-8000-000000000005', '2026-11-26', 'only the if', "
         "'2026-11-26T09:00:00+00:00', '2026-11-26T09:00:00+00:00')", []),
    ]
    for sql, params in bad:
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute(sql, params)


def test_pragmas(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    # Full-text search indexes are virtual tables (and their shadow tables), which cannot be STRICT.
    tables = store.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE '%\\_fts%' ESCAPE '\\'"
    ).fetchall()
    assert {name for name, _ in tables} >= {"domains", "attempts", "readiness", "models", "feedback"}
    assert all("STRICT" in sql for _, sql in tables)


def test_every_user_table_has_a_unique_uid(store):
    for table in ("domains", "rungs", "attempts", "checkins", "settings", "drafts", "reframes",
                  "readiness", "models", "feedback", "scale_items", "scale_ratings"):
        columns = {c.name for c in store.db[table].columns}
        assert "uid" in columns, table


def test_a_newer_schema_is_refused_and_left_alone(db_path, clock):
    store = open_store(db_path, clock=clock)
    store.db["_sqlite_migrations"].insert(
        {"migration_set": "efficacy", "name": "m999_from_the_future", "applied_at": "x"}
    )
    store.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer version of efficacy"):
        open_store(db_path, clock=clock)
    assert db_path.read_bytes() == before


def test_drafts_round_trip(store):
    drafts.save_draft(store, "checkin", "2026-11-26", {"sleep_hours": "7", "note": "é ✓ 🙂"})
    drafts.save_draft(store, "checkin", "2026-11-26", {"sleep_hours": "8"})
    data, saved_at = drafts.load_draft(store, "checkin", "2026-11-26")
    assert data == {"sleep_hours": "8"} and saved_at == "2026-11-26T09:30:00+00:00"
    drafts.delete_draft(store, "checkin", "2026-11-26")
    assert drafts.load_draft(store, "checkin", "2026-11-26") is None


def test_home_data_streak_across_the_spring_change(db_path):
    """Check-ins from 26 to 31 March 2026 span the clocks going forward on the 29th."""
    clock = Clock(datetime(2026, 3, 26, 8, 0))
    store = open_store(db_path, clock=clock)
    for day in range(26, 32):
        clock.at(datetime(2026, 3, day, 8, 0))
        entry = read_checkin(clock().date(), {"energy": 5, "anxiety": 40})
        checkins.save_checkin(store, entry)
    data = home_data(store)
    assert streak(data.checkin_days, clock().date()) == 6
    stamps = [r["created_at"] for r in rows(db_path, "SELECT created_at FROM checkins ORDER BY day")]
    assert stamps[0].endswith("+00:00") and stamps[-1].endswith("+01:00")
    store.close()


def test_an_archived_domain_comes_back_when_named_again(store):
    from efficacy_tui.store import attempts, ladder

    domain = ladder.add_domain(store, "Speaking")
    attempts.add_attempt(store, domain_id=domain.id, title="Talk", outcome=None, confidence=50,
                         happened_at="2026-11-28T10:00:00+00:00")
    ladder.archive_domain(store, domain.id)
    assert domains.list_domains(store) == []
    assert attempts.planned_attempts(store) == []  # an archived domain's plans are not offered
    again = ladder.add_domain(store, "speaking")
    assert again.id == domain.id and [d.id for d in domains.list_domains(store)] == [domain.id]
    ladder.archive_domain(store, domain.id)
    assert domains.get_or_create_domain(store, "Speaking").id == domain.id
    assert [d.id for d in domains.list_domains(store)] == [domain.id]


def test_undo_and_advance_never_leave_a_ladder_without_an_active_rung(store):
    from efficacy_tui.store import ladder

    domain = ladder.add_domain(store, "Running")
    first = ladder.add_rung(store, domain.id, "3 km", "", 30)
    second = ladder.add_rung(store, domain.id, "5 km", "", 40)
    ladder.delete_rung(store, second.id)
    ladder.accept_advance(store, first.id)  # nothing above: the ladder is done for now
    ladder.restore_rung(store, second.id)
    statuses = {r.title: r.status for r in domains.list_rungs(store, domain.id)}
    assert statuses == {"3 km": "mastered", "5 km": "active"}
    third = ladder.add_rung(store, domain.id, "2 km", "", 20)
    ladder.move_rung(store, third.id, -1)
    ladder.move_rung(store, third.id, -1)  # now the bottom rung, still upcoming
    ladder.accept_advance(store, second.id)
    statuses = {r.title: r.status for r in domains.list_rungs(store, domain.id)}
    assert statuses["2 km"] == "active"


def test_text_longer_than_its_column_is_refused_with_a_sentence():
    with pytest.raises(InvalidValue) as err:
        read_checkin(date(2026, 11, 26), {"energy": 5, "anxiety": 10, "focus_domain": "x" * 201})
    assert str(err.value) == "The focus domain can be at most 200 characters long."
    assert err.value.field == "focus_domain"


def test_a_failed_inner_write_is_undone_alone_and_a_failed_outer_one_undoes_everything(store,
                                                                                      db_path):
    """Transactions nest as savepoints: an inner write that fails takes back its own rows and
    leaves the outer one going; a failure of the outer one takes back everything."""
    def names() -> list[str]:
        return [row["name"] for row in rows(db_path, "SELECT name FROM domains ORDER BY id")]

    with store.transaction():
        domains.get_or_create_domain(store, "Running")
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            domains.get_or_create_domain(store, "Piano")
            store.insert("rungs", {"uid": "r1", "domain_id": 999, "title": "Scales",
                                   "created_at": store.stamp()})  # no such domain
        domains.get_or_create_domain(store, "Chess")
    assert names() == ["Running", "Chess"]
    with pytest.raises(RuntimeError), store.transaction():
        domains.get_or_create_domain(store, "Drawing")
        raise RuntimeError("the screen went away")
    assert names() == ["Running", "Chess"]
    assert not store.conn.in_transaction


def test_an_insert_stores_only_what_sqlite_keeps_as_it_is(store, db_path):
    with pytest.raises(TypeError, match=r"readiness\.scheduled_for: date"):
        store.insert("readiness", {"uid": "p1", "title": "Talk",
                                   "scheduled_for": date(2026, 12, 3)})
    assert rows(db_path, "SELECT * FROM readiness") == []
