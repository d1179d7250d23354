"""Random edits, deletes, new records, domains, check-ins, clock skews and syncs on three devices
in random orders end with identical exports on every device once everyone has synced twice: the
JSON export each writes, apart from what is local to a device (its row numbers, the time of the
export and its theme; `portable_export`)."""

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efficacy_tui.store import attempts, domains, export, schema
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.sync import sync_now

from conftest import NOW, Clock

DEVICES = 3
SHARED = 3  # records every device has before the random steps
NAMES = (None, "Running", "Piano", "piano", "Chess")  # domains; the same name in any case is one

steps = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, SHARED - 1),
              st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("delete"), st.integers(0, DEVICES - 1), st.integers(0, SHARED - 1)),
    st.tuples(st.just("add"), st.integers(0, DEVICES - 1), st.sampled_from(NAMES)),
    st.tuples(st.just("domain"), st.integers(0, DEVICES - 1), st.sampled_from(NAMES[1:])),
    st.tuples(st.just("checkin"), st.integers(0, DEVICES - 1), st.integers(0, 1),
              st.integers(0, 10)),
    st.tuples(st.just("sync"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("clock"), st.integers(0, DEVICES - 1), st.integers(-1440, 30)),
), min_size=1, max_size=14)


def _export(store) -> dict:
    """The device's JSON export as its file holds it, without what is local to the device."""
    return export.portable_export(store, json.loads(export.to_json(export.export_data(store))))


def _run(folder: Path, stores, plan) -> None:
    shared = []
    d = domains.get_or_create_domain(stores[0], "Running")
    for n in range(SHARED):
        shared.append(attempts.add_attempt(stores[0], domain_id=d.id, title=f"shared {n}",
                                           happened_at=stores[0].stamp(), outcome="success").uid)
    for store in stores:
        sync_now(store, folder, None)
    for step in plan:
        kind, store = step[0], stores[step[1]]
        store.clock.current += timedelta(seconds=1)
        with store.transaction():
            if kind == "edit":
                store.conn.execute(
                    "UPDATE attempts SET note = note || ?, updated_at = ? WHERE uid = ?",
                    [step[3], store.stamp(), shared[step[2]]])
            elif kind == "delete":
                store.conn.execute("UPDATE attempts SET deleted_at = ? WHERE uid = ?",
                                   [store.stamp(), shared[step[2]]])
            elif kind == "add":
                domain = domains.find_domain(store, step[2]) if step[2] else None
                store.conn.execute(
                    "INSERT INTO attempts (uid, domain_id, title, happened_at, outcome, "
                    "created_at, updated_at) VALUES (?, ?, 'new', ?, 'partial', ?, ?)",
                    [new_uid(), domain.id if domain else None, store.stamp(), store.stamp(),
                     store.stamp()])
            elif kind == "domain":
                domains.get_or_create_domain(store, step[2])
            elif kind == "checkin":
                day = (NOW.date() + timedelta(days=step[2])).isoformat()
                updated = store.conn.execute(
                    "UPDATE checkins SET energy = ?, updated_at = ? WHERE day = ? AND "
                    "deleted_at IS NULL", [step[3], store.stamp(), day]).rowcount
                if not updated:
                    store.conn.execute(
                        "INSERT INTO checkins (uid, day, energy, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [new_uid(), day, step[3], store.stamp(), store.stamp()])
            elif kind == "clock":
                store.clock.current += timedelta(minutes=step[2])
        if kind == "sync":
            sync_now(store, folder, None)
    for _ in range(2):
        for store in stores:
            sync_now(store, folder, None)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_every_device_ends_with_the_same_export(plan):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        stores = [open_store(root / f"{n}.db", clock=Clock(NOW)) for n in range(DEVICES)]
        try:
            _run(root / "Sync", stores, plan)
            exports = [_export(store) for store in stores]
            assert exports[0] == exports[1] == exports[2]
            for store in stores:
                live = store.query("SELECT day, count(*) AS n FROM checkins "
                                   "WHERE deleted_at IS NULL GROUP BY day")
                assert all(r["n"] == 1 for r in live)
        finally:
            for store in stores:
                store.close()


def test_every_exported_table_travels_but_the_ones_that_stay_on_a_device():
    assert set(export.TABLES) - set(export.DEVICE_ONLY) == set(schema.SYNCED)
