"""Peak memory of `efficacy import` against the size of what it imports: a demo database with
N attempts (100,000 by default) is exported as JSON and as a CSV zip, and each export is
imported into an empty database with tracemalloc on. The figure is the peak of memory
allocated by Python during the import, divided by how much the database grew (pages × page
size, after a checkpoint). The budget is 3×.

    python bench/import_memory.py [--attempts 100000] [--check]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from efficacy_tui.store.core import Store, open_store
from efficacy_tui.store.demo import build_demo
from efficacy_tui.store.export import write_export
from efficacy_tui.store.importer import import_file

BUDGET = 3.0


def size(store: Store) -> int:
    """Bytes the database takes, its WAL folded in."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    return pages * store.conn.execute("PRAGMA page_size").fetchone()[0]


def measure(export: Path, folder: Path) -> dict:
    """Import `export` into a new database: peak traced memory, database growth, seconds."""
    store = open_store(folder / f"into-{export.suffix[1:]}.db")
    empty = size(store)
    tracemalloc.start()
    started = time.monotonic()
    import_file(store, export)
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    grown = size(store) - empty
    store.close()
    return {"peak": peak, "grown": grown, "ratio": peak / grown, "seconds": seconds}


def run(attempts: int, folder: Path) -> dict[str, dict]:
    source = open_store(folder / "source.db")
    build_demo(source, days=365, attempts=attempts)
    exports = {fmt: write_export(source, fmt, folder / f"export.{fmt}") for fmt in ("json", "csv")}
    source.close()
    return {fmt: measure(path, folder) for fmt, path in exports.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--check", action="store_true", help="exit 1 if over the budget")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        results = run(args.attempts, Path(folder))
    over = False
    for fmt, r in results.items():
        over |= r["ratio"] > BUDGET
        print(f"import {fmt:4} {args.attempts:,} attempts: peak {r['peak'] / 2**20:.1f} MiB, "
              f"database +{r['grown'] / 2**20:.1f} MiB, ratio {r['ratio']:.2f} "
              f"(budget {BUDGET:g}), {r['seconds']:.1f} s with tracemalloc on")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
