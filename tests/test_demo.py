"""The demo database: a believable, valid and repeatable history, written all or nothing, and
never into a database that already holds data."""

import hashlib
import itertools
import re
import sqlite3
from datetime import date, datetime, time, timedelta
from statistics import median

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.coach.checkin import streak
from efficacy_tui.content import say
from efficacy_tui.store.core import open_store
from efficacy_tui.store.demo import build_demo, has_user_data

from conftest import rows as query

# A week after the clocks went forward in the UK (the suite runs in Europe/London), so the
# history crosses a change of UTC offset.
NOW = datetime(2026, 4, 5, 9, 15).astimezone()
TODAY = NOW.date()
DAYS = 120
ATTEMPTS = 1500
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
TABLES = ("domains", "rungs", "checkins", "attempts")


def fixed_clock() -> datetime:
    return NOW


def build(path, days=DAYS, attempts=ATTEMPTS, seed=7) -> str:
    store = open_store(path, clock=fixed_clock)
    try:
        return build_demo(store, days=days, attempts=attempts, seed=seed)
    finally:
        store.close()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, build(path)


@pytest.fixture(scope="module")
def db(demo):
    return demo[0]


# -- counts and summary ------------------------------------------------------------------------


def test_summary_names_what_was_written(demo):
    path, summary = demo
    checkins = len(query(path, "SELECT id FROM checkins"))
    assert summary == (
        f"3 domains, 21 rungs, {ATTEMPTS} attempts, {checkins} check-ins over {DAYS} days"
    )
    assert len(query(path, "SELECT id FROM domains")) == 3
    assert len(query(path, "SELECT id FROM rungs")) == 21
    assert len(query(path, "SELECT id FROM attempts")) == ATTEMPTS


@pytest.mark.parametrize("attempts", [0, 1, 2, 5, 40, 777])
def test_attempts_count_is_exact(tmp_path, attempts):
    summary = build(tmp_path / "n.db", days=20, attempts=attempts)
    assert f" {attempts} attempt" in summary
    assert len(query(tmp_path / "n.db", "SELECT id FROM attempts")) == attempts


def test_default_is_about_three_attempts_a_day(tmp_path):
    build(tmp_path / "d.db", days=30, attempts=None)
    assert len(query(tmp_path / "d.db", "SELECT id FROM attempts")) == 90


def test_one_day_of_history(tmp_path):
    summary = build(tmp_path / "one.db", days=1, attempts=None)
    assert summary.endswith("0 check-ins over 1 day")
    assert query(tmp_path / "one.db", "PRAGMA foreign_key_check") == []


def test_dense_history_is_valid(tmp_path):
    path = tmp_path / "dense.db"
    build(path, days=15, attempts=3000)
    assert len(query(path, "SELECT id FROM attempts")) == 3000
    assert query(path, "PRAGMA foreign_key_check") == []
    late = query(path, "SELECT id FROM attempts WHERE outcome IS NOT NULL AND happened_at > ?",
                 [NOW.isoformat()])
    assert late == []


# -- ladders -----------------------------------------------------------------------------------


def test_ladders_climb_in_small_steps(db):
    for domain in query(db, "SELECT * FROM domains"):
        assert domain["goal"] and domain["why"]
        rungs = query(db, "SELECT * FROM rungs WHERE domain_id = ? ORDER BY position",
                      [domain["id"]])
        assert 6 <= len(rungs) <= 8
        assert rungs[0]["difficulty"] <= 40
        for lower, higher in zip(rungs, rungs[1:], strict=False):
            assert 0 < higher["difficulty"] - lower["difficulty"] <= 15
        assert all(r["criterion"] for r in rungs)
        statuses = [r["status"] for r in rungs]
        assert statuses.count("active") == 1
        active = statuses.index("active")
        assert set(statuses[:active]) <= {"mastered"} and set(statuses[active + 1:]) <= {"upcoming"}


def test_mastered_rungs_were_earned_in_order(db):
    rungs = query(db, "SELECT * FROM rungs WHERE status = 'mastered' ORDER BY domain_id, position")
    assert len(rungs) >= 6  # four months in, every domain has climbed
    previous = {}
    for rung in rungs:
        mastered = when(rung["mastered_at"])
        assert when(rung["created_at"]) < mastered < NOW
        if rung["domain_id"] in previous:
            assert mastered > previous[rung["domain_id"]]
        previous[rung["domain_id"]] = mastered
        last = query(db, "SELECT outcome FROM attempts WHERE rung_id = ? AND happened_at < ? "
                     "ORDER BY happened_at DESC LIMIT 3", [rung["id"], rung["mastered_at"]])
        assert [a["outcome"] for a in last] == ["success"] * len(last)
    for rung in query(db, "SELECT * FROM rungs WHERE status != 'mastered'"):
        assert rung["mastered_at"] is None


def test_earlier_attempts_are_on_lower_rungs(db):
    for domain_id in (1, 2, 3):
        medians = []
        for rung in query(db, "SELECT id FROM rungs WHERE domain_id = ? AND status != 'upcoming' "
                          "ORDER BY position", [domain_id]):
            times = [when(a["happened_at"]).timestamp() for a in query(
                db, "SELECT happened_at FROM attempts WHERE rung_id = ? AND outcome IS NOT NULL",
                [rung["id"]])]
            medians.append(median(times))
        assert medians == sorted(medians)
        upcoming = query(db, "SELECT a.id FROM attempts a JOIN rungs r ON r.id = a.rung_id "
                         "WHERE r.status = 'upcoming' AND r.domain_id = ?", [domain_id])
        assert upcoming == []


# -- attempts ----------------------------------------------------------------------------------


def test_attempt_values_are_plausible(db):
    attempts = query(db, "SELECT * FROM attempts WHERE source != 'checkin' AND outcome IS NOT NULL")
    rated = [a for a in attempts if a["confidence"] is not None]
    assert 0.7 < len(rated) / len(attempts) < 0.9
    assert all(a["confidence"] % 10 == 0 for a in rated)
    sources = [a["source"] for a in attempts]
    assert sources.count("app") > 3 * sources.count("log") > 0
    assert {a["outcome"] for a in attempts} == {"success", "partial", "setback"}
    assert {a["effort"] for a in attempts} <= {None, 1, 2, 3, 4, 5}
    earned = [a for a in attempts if a["outcome"] in ("success", "partial")]
    assert sum(bool(a["what_i_did"]) for a in earned) / len(earned) > 0.7
    assert 0.05 < sum(bool(a["note"]) for a in attempts) / len(attempts) < 0.5
    assert all(a["title"].strip() for a in attempts)
    assert len({a["title"] for a in attempts}) > 100


def test_confidence_starts_under_and_grows_towards_calibration(db):
    rated = query(db, "SELECT confidence, outcome FROM attempts WHERE confidence IS NOT NULL "
                  "AND outcome IS NOT NULL ORDER BY happened_at")
    third = len(rated) // 3

    def bias(part):
        return sum(r["confidence"] / 100 - (r["outcome"] == "success") for r in part) / len(part)

    early, late = bias(rated[:third]), bias(rated[-third:])
    assert early <= -0.10
    assert late > early + 0.05


def test_harder_rungs_succeed_less_at_first(db):
    def first_half(low: int, high: int) -> float:
        """The success rate over the first half of the attempts on rungs in a band."""
        outcomes = []
        for rung in query(db, "SELECT id FROM rungs WHERE status != 'upcoming' "
                          "AND difficulty BETWEEN ? AND ?", [low, high]):
            rows = query(db, "SELECT outcome FROM attempts WHERE rung_id = ? "
                         "AND outcome IS NOT NULL ORDER BY happened_at", [rung["id"]])
            outcomes += [r["outcome"] == "success" for r in rows[: len(rows) // 2]]
        return sum(outcomes) / len(outcomes)

    assert first_half(0, 39) > first_half(50, 100) + 0.05


def test_planned_attempts_wait_for_an_outcome(db):
    planned = query(db, "SELECT * FROM attempts WHERE outcome IS NULL")
    assert 1 <= len(planned) <= 5
    assert any(when(a["happened_at"]) > NOW for a in planned)
    for attempt in planned:
        assert attempt["confidence"] is not None and attempt["source"] == "app"
        [rung] = query(db, "SELECT status FROM rungs WHERE id = ?", [attempt["rung_id"]])
        assert rung["status"] == "active"


# -- check-ins and wins ------------------------------------------------------------------------


def test_checkins_leave_today_open_and_show_a_streak(db):
    days = [c["day"] for c in query(db, "SELECT day FROM checkins")]
    assert len(days) == len(set(days))
    assert TODAY.isoformat() not in days
    assert (TODAY - timedelta(days=1)).isoformat() in days
    assert streak(days, TODAY) >= 7
    assert min(days) >= (TODAY - timedelta(days=DAYS - 1)).isoformat()
    assert 0.75 <= len(days) / (DAYS - 1) <= 0.95


def test_checkin_values_are_plausible(db):
    checkins = query(db, "SELECT * FROM checkins ORDER BY day")
    for c in checkins:
        assert 5.5 <= c["sleep_hours"] <= 9 and round(c["sleep_hours"], 1) == c["sleep_hours"]
        assert 0 <= c["energy"] <= 10 and isinstance(c["anxiety"], int)
        assert c["focus_confidence"] % 10 == 0
        assert bool(c["if_situation"]) == bool(c["then_action"])
        [rung] = query(db, "SELECT * FROM rungs WHERE id = ?", [c["focus_rung_id"]])
        assert rung["domain_id"] == c["focus_domain_id"]
        # the focus is the rung that was active that day
        assert rung["status"] != "upcoming"
        if rung["mastered_at"]:
            assert rung["mastered_at"] > c["created_at"]
    assert sum(bool(c["if_situation"]) for c in checkins) / len(checkins) > 0.6
    third = len(checkins) // 3
    early = sum(c["anxiety"] for c in checkins[:third]) / third
    late = sum(c["anxiety"] for c in checkins[-third:]) / third
    assert late < early


def test_wins_belong_to_their_checkin(db):
    wins = query(db, "SELECT * FROM attempts WHERE source = 'checkin'")
    checkins = {c["id"]: c for c in query(db, "SELECT * FROM checkins")}
    assert len(wins) > len(checkins) / 2
    assert len({w["checkin_id"] for w in wins}) == len(wins)
    for win in wins:
        checkin = checkins[win["checkin_id"]]
        assert win["outcome"] == "success" and win["title"] and win["what_i_did"]
        assert win["domain_id"] == checkin["focus_domain_id"]
        yesterday = date.fromisoformat(checkin["day"]) - timedelta(days=1)
        assert win["happened_at"] == datetime.combine(yesterday, time(12)).astimezone().isoformat()
        assert win["created_at"] == checkin["created_at"]
    linked = query(db, "SELECT source FROM attempts WHERE checkin_id IS NOT NULL")
    assert {a["source"] for a in linked} == {"checkin"}


# -- times -------------------------------------------------------------------------------------


def test_times_are_local_iso_and_never_ahead_of_the_clock(db):
    checked = 0
    for table in TABLES:
        for row in query(db, f"SELECT * FROM {table}"):
            for column, value in row.items():
                if not column.endswith("_at") or value is None:
                    continue
                assert STAMP.match(value), (table, column, value)
                moment = when(value)
                local = moment.replace(tzinfo=None).astimezone()
                assert local.utcoffset() == moment.utcoffset(), (table, column, value)
                planned = table == "attempts" and column == "happened_at" and row["outcome"] is None
                if not planned:
                    assert moment <= NOW, (table, column, value)
                checked += 1
            if "updated_at" in row:
                assert when(row["created_at"]) <= when(row["updated_at"])
    assert checked > 3 * ATTEMPTS
    offsets = {v["happened_at"][-6:] for v in query(db, "SELECT happened_at FROM attempts")}
    assert offsets == {"+00:00", "+01:00"}  # both sides of the change to summer time


def test_nothing_is_older_than_the_domains(db):
    first = min(when(d["created_at"]) for d in query(db, "SELECT created_at FROM domains"))
    assert first.date() == TODAY - timedelta(days=DAYS - 1)
    for table, column in (("attempts", "happened_at"), ("attempts", "created_at"),
                          ("checkins", "created_at")):
        [row] = query(db, f"SELECT min({column}) AS m FROM {table}")
        assert when(row["m"]) >= first


# -- integrity, determinism, all-or-nothing ----------------------------------------------------


def test_database_is_consistent(db):
    assert query(db, "PRAGMA foreign_key_check") == []
    assert query(db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    uids = [r["uid"] for t in TABLES for r in query(db, f"SELECT uid FROM {t}")]
    assert len(uids) == len(set(uids)) and all(len(u) == 36 for u in uids)


def test_same_seed_and_clock_give_the_same_rows(db, tmp_path):
    build(tmp_path / "again.db")
    for table in TABLES:
        sql = f"SELECT * FROM {table} ORDER BY id"
        assert query(db, sql) == query(tmp_path / "again.db", sql), table


def test_another_seed_gives_another_history(db, tmp_path):
    build(tmp_path / "other.db", seed=8)
    sql = "SELECT uid, title, happened_at FROM attempts ORDER BY id"
    assert query(db, sql) != query(tmp_path / "other.db", sql)


def test_has_user_data(tmp_path):
    store = open_store(tmp_path / "h.db", clock=fixed_clock)
    try:
        assert not has_user_data(store)
        build_demo(store, days=10, attempts=20)
        assert has_user_data(store)
    finally:
        store.close()


def test_has_user_data_counts_deleted_rows(tmp_path):
    store = open_store(tmp_path / "deleted.db", clock=fixed_clock)
    try:
        store.db["domains"].insert({"uid": "0" * 36, "name": "Chess", "created_at": store.stamp(),
                                    "deleted_at": store.stamp()})
        assert has_user_data(store)
    finally:
        store.close()


def test_a_failure_writes_nothing(tmp_path):
    store = open_store(tmp_path / "fail.db", clock=fixed_clock)
    try:
        # a live check-in for yesterday makes the demo's own check-in for that day collide
        yesterday = (TODAY - timedelta(days=1)).isoformat()
        store.db["checkins"].insert({"uid": "1" * 36, "day": yesterday,
                                     "created_at": store.stamp(), "updated_at": store.stamp()})
        with pytest.raises(sqlite3.IntegrityError):
            build_demo(store, days=30)
        for table in ("domains", "rungs", "attempts"):
            assert store.db[table].count == 0
        assert store.db["checkins"].count == 1
    finally:
        store.close()


def test_content_is_what_the_demo_uses(db):
    content = say("demo")
    names = [d["name"] for d in content["domains"]]
    assert [d["name"] for d in query(db, "SELECT name FROM domains ORDER BY position")] == names
    for domain in content["domains"]:
        assert len(domain["did"]) >= 10 and len(domain["wins"]) >= 5
        assert all(len(pair) == 2 and all(pair) for pair in domain["plans"])
        for rung in domain["rungs"]:
            assert rung["titles"] and rung["settings"] and rung["criterion"]


# -- the command line --------------------------------------------------------------------------


def test_cli_writes_the_demo_once(tmp_path):
    path = tmp_path / "cli" / "demo.db"
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--db", str(path), "--days", "30", "--no-open"])
    assert first.exit_code == 0, first.output
    assert "3 domains, 21 rungs, 90 attempts" in first.output and "over 30 days" in first.output
    assert str(path) in first.output
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    second = runner.invoke(main, ["demo", "--db", str(path), "--days", "30", "--no-open"])
    assert second.exit_code == 1
    assert second.stdout == ""
    message = second.stderr.strip()
    assert "already has data" in message
    assert len(message.splitlines()) == 1 and message.count(". ") == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# -- every screen has something to show ---------------------------------------------------------


@pytest.fixture(scope="module")
def opened(db):
    store = open_store(db, clock=fixed_clock)
    yield store
    store.close()


def test_each_scale_has_several_sittings_that_rise(opened):
    from efficacy_tui.coach.scale import check_items
    from efficacy_tui.store.domains import list_domains
    from efficacy_tui.store.scales import scale_items, scale_sessions

    for domain in list_domains(opened):
        items = scale_items(opened, domain.id)
        assert check_items([i.text for i in items]) == [i.text for i in items]
        sittings = scale_sessions(opened, domain.id)
        assert len(sittings) >= 4, domain.name
        assert all(set(s.ratings) == {i.id for i in items} for s in sittings)
        assert all(NOW - timedelta(days=DAYS) < when(s.rated_at) <= NOW for s in sittings)
        gaps = [(when(b.rated_at) - when(a.rated_at)).days
                for a, b in itertools.pairwise(sittings)]
        assert all(12 <= gap <= 25 for gap in gaps), gaps
        assert sittings[-1].mean > sittings[0].mean + 10


def test_the_reframe_history_share_moves_month_by_month(opened):
    from efficacy_tui.coach.attribution import monthly_share
    from efficacy_tui.store.reframes import monthly_counts

    shares = [share for _, _, _, share in monthly_share(monthly_counts(opened))]
    assert len(shares) >= 3
    assert len(set(shares)) >= 2 and shares[-1] > shares[0]


@pytest.mark.parametrize("seed", [1, 2, 3, 7])
def test_the_first_week_has_no_near_zero_confidence(tmp_path, seed):
    from efficacy_tui.store.trends import weekly_efficacy

    for days, attempts in ((60, 240), (120, None)):
        path = tmp_path / f"{days}.db"
        build(path, days=days, attempts=attempts, seed=seed)
        store = open_store(path, clock=fixed_clock)
        try:
            for domain_id in (None, 1, 2, 3):
                weeks = [w for w in weekly_efficacy(store, domain_id) if w.rated]
                first = weeks[0]
                assert first.confidence >= 20, (days, domain_id, first)
                later = sum(w.points for w in weeks[1:]) / sum(w.rated for w in weeks[1:])
                assert first.confidence >= later - 45, (days, domain_id, first, later)
        finally:
            store.close()


ARTICLES = {"a", "an", "the"}


@pytest.mark.parametrize("seed", [1, 2, 3, 7, 11])
def test_no_title_repeats_a_word(tmp_path, seed):
    path = tmp_path / "titles.db"
    build(path, days=90, attempts=900, seed=seed)
    store = open_store(path, clock=fixed_clock)
    try:
        titles = [r["title"] for r in store.query(
            "SELECT title FROM attempts UNION SELECT title FROM readiness")]
    finally:
        store.close()
    assert len(titles) > 100
    for title in titles:
        words = [w for w in re.findall(r"[^\W_]+(?:'[^\W_]+)*", title.lower())
                 if w not in ARTICLES]
        assert len(words) == len(set(words)), title
