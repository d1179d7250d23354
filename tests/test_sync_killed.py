"""A sync killed with SIGKILL, in the middle of merging another device's batch or right after
writing its own change file, loses nothing and applies nothing twice: the next sync finishes."""

import subprocess
import sys

import pytest

from efficacy_tui.store import attempts, domains, sync_log
from efficacy_tui.store.core import open_store
from efficacy_tui.sync import sync_now

pytestmark = pytest.mark.serial

KILLED_SYNC = """
import os, signal, sys
from pathlib import Path
from efficacy_tui.store import sync_log
from efficacy_tui.store.core import open_store
from efficacy_tui.sync import sync_now

where, db, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if where == "merging":
    write = sync_log._Merger._write
    calls = []

    def dying(self, *args):
        calls.append(1)
        if len(calls) == 10:
            os.kill(os.getpid(), signal.SIGKILL)
        return write(self, *args)

    sync_log._Merger._write = dying
else:
    def dying(*args):
        os.kill(os.getpid(), signal.SIGKILL)

    sync_log.file_written = dying
sync_now(open_store(db), folder, None)
"""


def _killed(where, db, folder):
    done = subprocess.run([sys.executable, "-c", KILLED_SYNC, where, str(db), str(folder)],
                          capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()


def _add(store, title, n=1):
    d = domains.get_or_create_domain(store, "Running")
    for i in range(n):
        attempts.add_attempt(store, domain_id=d.id, title=f"{title} {i}",
                             happened_at=store.stamp(), outcome="success")


def test_a_killed_sync_loses_nothing_and_applies_nothing_twice(tmp_path, clock):
    folder, a_path, b_path = tmp_path / "Sync", tmp_path / "a.db", tmp_path / "b.db"
    a = open_store(a_path, clock=clock)
    _add(a, "from A", 30)
    sync_now(a, folder, None)
    b = open_store(b_path, clock=clock)
    _add(b, "from B", 5)
    b.close()

    _killed("merging", b_path, folder)
    b = open_store(b_path, clock=clock)
    assert b.scalar("SELECT count(*) FROM attempts") == 5  # none of A's batch half-applied
    assert sync_log.applied(b, sync_log.device(a).uid) == 0
    _add(b, "after the first kill")
    b.close()

    _killed("after writing", b_path, folder)
    b_dir = folder / sync_log.device(open_store(b_path, clock=clock)).uid
    assert sorted(p.name for p in b_dir.glob("*.json")) == ["00000001.json", "00000002.json"]

    b = open_store(b_path, clock=clock)
    try:
        report = sync_now(b, folder, None)
        assert not report.problems
        assert sorted(p.name for p in b_dir.glob("*.json")) == ["00000001.json", "00000002.json"]
        assert not list(b_dir.glob(".*"))
        sync_now(a, folder, None)
        for store in (a, b):
            assert store.scalar("SELECT count(*) FROM attempts") == 36
            assert store.scalar("SELECT count(DISTINCT uid) FROM attempts") == 36
            # only the "Running" both started, which became one
            assert [c.tbl for c in sync_log.conflicts(store)] == ["domains"]
            assert store.scalar("SELECT count(*) FROM domains WHERE deleted_at IS NULL") == 1
        assert sync_log.record_state(a) == sync_log.record_state(b)
        assert sync_now(b, folder, None).lines()[0].startswith("Synced: 0 changes sent, 0 changes")
    finally:
        a.close()
        b.close()
