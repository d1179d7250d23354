"""Random edits, deletes, check-ins, clock skews and syncs on three devices in random orders end
with the same records on every device once everyone has synced twice."""

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efficacy_tui.store import attempts, domains, sync_log
from efficacy_tui.store.core import new_uid, open_store
from efficacy_tui.sync import sync_now

from conftest import NOW, Clock

DEVICES = 3
SHARED = 3  # records every device has before the random steps

steps = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, SHARED - 1),
              st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("delete"), st.integers(0, DEVICES - 1), st.integers(0, SHARED - 1)),
    st.tuples(st.just("add"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("checkin"), st.integers(0, DEVICES - 1), st.integers(0, 1),
              st.integers(0, 10)),
    st.tuples(st.just("sync"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("clock"), st.integers(0, DEVICES - 1), st.integers(-1440, 30)),
), min_size=1, max_size=14)


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
                store.conn.execute(
                    "INSERT INTO attempts (uid, title, happened_at, outcome, created_at, "
                    "updated_at) VALUES (?, 'new', ?, 'partial', ?, ?)",
                    [new_uid(), store.stamp(), store.stamp(), store.stamp()])
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
def test_every_device_ends_with_the_same_records(plan):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        stores = [open_store(root / f"{n}.db", clock=Clock(NOW)) for n in range(DEVICES)]
        try:
            _run(root / "Sync", stores, plan)
            states = [sync_log.record_state(store) for store in stores]
            assert states[0] == states[1] == states[2]
            for store in stores:
                live = store.query("SELECT day, count(*) AS n FROM checkins "
                                   "WHERE deleted_at IS NULL GROUP BY day")
                assert all(r["n"] == 1 for r in live)
        finally:
            for store in stores:
                store.close()
