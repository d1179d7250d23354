"""The project's performance benchmark: start time, peak memory (home, and home + review), time to
open the ladder and review screens, search-as-you-type latency on the review screen, and the
times of `efficacy log` (quick capture) and `efficacy nudge` (the shell-prompt line), each as a
ratio against a baseline measured in the same run (or, for the latencies, against their absolute
budget), with alternating runs and medians.

    python bench/run.py [--runs 7] [--skip-build] [--quick] [--check]

See bench/README.md for what each figure means."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ptyrun import PtyRunError, key_label, run_until_marker  # noqa: E402

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
MARKER = "Check-in streak:"
# The selected rung's criterion line: only the ladder screen paints it (the home screen also says
# "rungs mastered", so that cannot mark the ladder), and every demo rung has a criterion.
LADDER_KEYS = b"l"
LADDER_MARKER = "Success means:"
LADDER_QUIT = b"\x11"  # ctrl+q: `q` is not bound on the ladder screen
# The review screen's status line ("1,000+ records · page 1 · ..."): only it says this.
REVIEW_KEYS = b"v"
REVIEW_MARKER = "records · page"
REVIEW_QUIT = b"\x11"
SEARCH_PROBE = [sys.executable, str(Path(__file__).resolve().parent / "search_probe.py")]
MINIMAL = [sys.executable, str(BENCH / "minimal_app.py")]
EFFICACY = Path(sys.executable).parent / "efficacy"

# Budgets (bench/README.md, "Budgets"), as ratios against the baseline.
START_YEAR_BUDGET = 1.4
START_BIG_BUDGET = 1.6
MEMORY_BIG_BUDGET = 2.0  # home + review with 100k attempts against the minimal app
LATENCY_BUDGET_S = 0.050  # search-as-you-type and filter changes, per keystroke (absolute)
CAPTURE_BUDGET = 1.5
NUDGE_BUDGET = 1.5  # `efficacy nudge` runs in a shell prompt: as fast as `log`
LADDER_BIG_BUDGET = 1.5  # 100k attempts against one year
SETTLE_SECONDS = 1.0  # home idle this long before a screen-switch key: past start-up and warm-up


class BenchError(RuntimeError):
    """Something the benchmark cannot measure around; the message says what and why."""


@dataclass
class Database:
    """One demo database the app is measured against."""

    key: str
    label: str
    path: Path
    demo_args: list[str]


DATABASES = [
    Database("year", "one year", OUT / "year.db", ["--days", "365"]),
    Database("big", "100k attempts", OUT / "big.db", ["--days", "365", "--attempts", "100000"]),
]


def _remove_db(path: Path) -> None:
    """Delete a database file and its SQLite side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def require_efficacy() -> None:
    """Fail with the fix if the project is not installed in the running Python environment, and
    compile its modules: `pip install .` leaves bytecode behind, but an editable install run with
    PYTHONDONTWRITEBYTECODE=1 would compile every module on every start, which a user never pays."""
    if not EFFICACY.exists():
        raise BenchError(
            f"{EFFICACY} is missing: install the project into this environment first "
            f"({sys.executable} -m pip install -e {BENCH.parent})"
        )
    import compileall

    import efficacy_tui

    compileall.compile_dir(str(Path(efficacy_tui.__file__).parent), quiet=1)


def build_databases(skip_existing: bool) -> dict[str, dict]:
    """Write the demo databases with the project's own `efficacy demo`; return their sizes."""
    info = {}
    for db in DATABASES:
        if skip_existing and db.path.exists():
            print(f"Using existing {db.path.relative_to(BENCH.parent)}")
        else:
            _remove_db(db.path)
            argv = [str(EFFICACY), "demo", "--db", str(db.path), *db.demo_args, "--no-open"]
            print(f"Building {db.path.relative_to(BENCH.parent)}: {' '.join(argv[1:])}", flush=True)
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True)
            if done.returncode != 0:
                raise BenchError(
                    f"`efficacy demo` exited with status {done.returncode}:\n"
                    f"{done.stdout}{done.stderr}"
                )
            print(f"  {done.stdout.strip()} [{time.perf_counter() - start:.1f} s]")
        migrate(db.path)
        info[db.key] = {"path": str(db.path), "attempts": count_attempts(db.path)}
    return info


def migrate(path: Path) -> None:
    """Bring a reused database up to the current schema now, so no measured run pays for a
    migration (m005_search indexes every existing row for full-text search)."""
    code = (
        "import sys; from efficacy_tui.store.core import open_store; "
        "open_store(sys.argv[1]).close()"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"could not open {path} to migrate it:\n{done.stdout}{done.stderr}")


def count_attempts(path: Path) -> int:
    """How many live attempts the database holds (to record what was measured)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM attempts WHERE deleted_at IS NULL").fetchone()[0]


def first_domain(path: Path) -> str:
    """A live domain name from the demo database, for `efficacy log`."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT name FROM domains WHERE deleted_at IS NULL LIMIT 1").fetchone()
    if row is None:
        raise BenchError(f"{path} has no live domain to log an attempt in")
    return row[0]


def scratch_copy(path: Path) -> Path:
    """A private copy of `path` for quick capture to write into, made with SQLite's backup API."""
    target = OUT / "scratch.db"
    _remove_db(target)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def measure_start(subjects: dict[str, list[str]], runs: int, warmup: bool, size, timeout) -> dict:
    """Time spawn-to-marker and peak RSS of each subject in a pseudo-terminal, alternating them."""
    samples = {key: {"seconds": [], "maxrss_kib": [], "quit_by": []} for key in subjects}
    rounds = ([0] if warmup else []) + list(range(1, runs + 1))
    for round_no in rounds:
        for key, argv in subjects.items():
            run = run_until_marker(argv, MARKER, cols=size[0], rows=size[1], timeout=timeout)
            if run.exit_status != 0 and run.quit_by_keys:
                raise BenchError(
                    f"{' '.join(argv)} exited with status {run.exit_status} after `q`:\n"
                    f"{run.output_tail}"
                )
            tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
            print(
                f"  {tag:>9}  {key:<8} {run.seconds * 1000:7.0f} ms "
                f"{run.maxrss_kib / 1024:7.1f} MiB  (quit by {run.quit_by})",
                flush=True,
            )
            if round_no:
                samples[key]["seconds"].append(run.seconds)
                samples[key]["maxrss_kib"].append(run.maxrss_kib)
                samples[key]["quit_by"].append(run.quit_by)
    return samples


def measure_ladder(subjects: dict[str, list[str]], runs: int, warmup: bool, size, timeout,
                   keys: bytes = LADDER_KEYS, marker: str = LADDER_MARKER,
                   quit_keys: bytes = LADDER_QUIT) -> dict:
    """Time pressing `keys` (`l`) on the painted home screen, once it has been idle for
    SETTLE_SECONDS, until the screen they open has painted `marker`, alternating the subjects;
    the start time and peak RSS of these runs are kept as well, so with the review screen they
    give the peak memory of home + review."""
    samples = {key: {"seconds": [], "start_seconds": [], "maxrss_kib": [], "quit_by": []}
               for key in subjects}
    rounds = ([0] if warmup else []) + list(range(1, runs + 1))
    for round_no in rounds:
        for key, argv in subjects.items():
            run = run_until_marker(
                argv, MARKER, then=(keys, marker), quit_keys=quit_keys,
                cols=size[0], rows=size[1], timeout=timeout, settle=SETTLE_SECONDS,
            )
            if run.exit_status != 0 and run.quit_by_keys:
                raise BenchError(
                    f"{' '.join(argv)} exited with status {run.exit_status} after "
                    f"`{key_label(quit_keys)}`:\n{run.output_tail}"
                )
            tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
            print(
                f"  {tag:>9}  {key:<8} {run.then_seconds * 1000:7.0f} ms "
                f"{run.maxrss_kib / 1024:7.1f} MiB  (quit by {run.quit_by})",
                flush=True,
            )
            if round_no:
                samples[key]["seconds"].append(run.then_seconds)
                samples[key]["start_seconds"].append(run.seconds)
                samples[key]["maxrss_kib"].append(run.maxrss_kib)
                samples[key]["quit_by"].append(run.quit_by)
    return samples


def measure_search(db: Path, runs: int, warmup: bool) -> dict:
    """Search-as-you-type and filter latency on the review screen (bench/search_probe.py, one
    process per round, the real app headless); every keystroke and filter change is a sample."""
    samples: dict[str, list[float]] = {}
    for round_no in ([0] if warmup else []) + list(range(1, runs + 1)):
        done = subprocess.run([*SEARCH_PROBE, str(db), "--rounds", "1"], capture_output=True,
                              text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise BenchError(f"bench/search_probe.py exited with status {done.returncode}:\n"
                             f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        found = json.loads(done.stdout)
        med = statistics.median
        tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
        print(f"  {tag:>9}  keystroke {med(found['keystroke_ms']):5.1f} ms  "
              f"filter {med(found['filter_ms']):5.1f} ms  "
              f"database {med(found['query_ms']):5.1f} ms (medians)", flush=True)
        if round_no:
            for key, values in found.items():
                samples.setdefault(key, []).extend(values)
    return samples


def measure_capture(db: Path, domain: str, runs: int, warmup: bool) -> dict:
    """Time `efficacy log` and `efficacy nudge` against `python -c "import sqlite_utils"`,
    alternating them."""
    subjects = {
        "import": [sys.executable, "-c", "import sqlite_utils"],
        "log": [
            str(EFFICACY), "--db", str(db), "log", domain, "Bench attempt", "--outcome", "success",
        ],
        "nudge": [str(EFFICACY), "--db", str(db), "nudge"],
    }
    samples = {key: [] for key in subjects}
    for round_no in ([0] if warmup else []) + list(range(1, runs + 1)):
        for key, argv in subjects.items():
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                raise BenchError(
                    f"{' '.join(argv)} exited with status {done.returncode}:\n"
                    f"{done.stdout}{done.stderr}"
                )
            if round_no:
                samples[key].append(seconds)
    return samples


def _row(figure, base, app, unit, budget, note=""):
    """One line of the results: medians, their ratio, and whether it is within budget."""
    ratio = app / base
    status = "" if budget is None else ("ok" if ratio <= budget else "OVER")
    return {
        "figure": figure,
        "unit": unit,
        "baseline": base,
        "value": app,
        "ratio": round(ratio, 3),
        "budget": budget,
        "status": status,
        "note": note,
    }


def summarise(start: dict, ladder: dict, capture: dict, labels: dict[str, str],
              review: dict | None = None, search: dict | None = None) -> list[dict]:
    """Turn the samples into the result rows (medians and ratios)."""
    med = statistics.median
    base_s = med(start["minimal"]["seconds"])
    base_m = med(start["minimal"]["maxrss_kib"])
    rows = []
    for key, budget in (("year", START_YEAR_BUDGET), ("big", START_BIG_BUDGET)):
        rows.append(
            _row(f"Start to painted home, {labels[key]}", base_s, med(start[key]["seconds"]),
                 "s", budget)
        )
    for key, budget, note in (
        ("year", None, "home only"),
        ("big", None, "home only; the budget is for home + review"),
    ):
        rows.append(
            _row(f"Peak memory, {labels[key]}", base_m, med(start[key]["maxrss_kib"]),
                 "KiB", budget, note)
        )
    if ladder:
        rows.append(
            _row(f"Open the ladder screen, {labels['big']}", med(ladder["year"]["seconds"]),
                 med(ladder["big"]["seconds"]), "s", LADDER_BIG_BUDGET,
                 f"vs {labels['year']}; from `l` on home, idle {SETTLE_SECONDS:g} s")
        )
        rows.append(
            _row("  the same against the screen-switch budget", LATENCY_BUDGET_S,
                 med(ladder["big"]["seconds"]), "s", 1.0, "vs 50 ms; key to painted marker")
        )
    if review:
        rows.append(
            _row(f"Peak memory, home + review, {labels['big']}", base_m,
                 med(review["big"]["maxrss_kib"]), "KiB", MEMORY_BIG_BUDGET,
                 "vs the minimal app; `v` on home until the records are painted")
        )
        rows.append(
            _row(f"Open the review screen, {labels['big']}", med(review["year"]["seconds"]),
                 med(review["big"]["seconds"]), "s", None,
                 f"vs {labels['year']}; from `v` on home, idle {SETTLE_SECONDS:g} s")
        )
        rows.append(
            _row("  the same against the screen-switch budget", LATENCY_BUDGET_S,
                 med(review["big"]["seconds"]), "s", 1.0, "vs 50 ms; key to painted records")
        )
    if search:
        for key, figure in (("keystroke_ms", "Search as you type"), ("filter_ms", "Filter change")):
            values = search[key]
            rows.append(
                _row(f"{figure}, {labels['big']}", LATENCY_BUDGET_S, med(values) / 1000, "s",
                     1.0, f"vs the 50 ms budget; median of {len(values)} changes, "
                          f"90th percentile {_percentile(values, 0.9):.0f} ms; headless, key to "
                          "painted table")
            )
        rows.append(
            _row(f"  of which the database, {labels['big']}", LATENCY_BUDGET_S,
                 med(search["query_ms"]) / 1000, "s", None, "review.search: page and count")
        )
    if capture:
        rows.append(
            _row("Quick capture (efficacy log)", med(capture["import"]), med(capture["log"]),
                 "s", CAPTURE_BUDGET, "vs python -c 'import sqlite_utils'")
        )
        rows.append(
            _row("Reminder line (efficacy nudge)", med(capture["import"]), med(capture["nudge"]),
                 "s", NUDGE_BUDGET, "vs python -c 'import sqlite_utils'")
        )
    return rows


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _fmt(value: float, unit: str) -> str:
    return f"{value * 1000:.0f} ms" if unit == "s" else f"{value / 1024:.1f} MiB"


def print_table(rows: list[dict]) -> None:
    """A plain, aligned table on stdout."""
    header = ["Figure", "Baseline", "App", "Ratio", "Budget", "Status", "Note"]
    lines = [
        [
            r["figure"],
            _fmt(r["baseline"], r["unit"]),
            _fmt(r["value"], r["unit"]),
            f"{r['ratio']:.2f}x",
            "-" if r["budget"] is None else f"<= {r['budget']:.1f}x",
            r["status"] or "-",
            r["note"],
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    right = {1, 2, 3}
    for line in [header, ["-" * w for w in widths], *lines]:
        cells = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("textual", "sqlite-utils", "efficacy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int,
                        help="alternating rounds per figure (default 7; 3 with --quick)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse the demo databases if they exist")
    parser.add_argument("--quick", action="store_true",
                        help="3 rounds, no warm-up round, reuse existing databases")
    parser.add_argument("--check", action="store_true", help="exit 1 if a budget is exceeded")
    parser.add_argument("--size", default="100x30", help="terminal size COLSxROWS (default 100x30)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a start run fails")
    parser.add_argument("--self-check", action="store_true",
                        help="measure the minimal app against itself (ratios should be near 1.0)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")
    cols, rows_ = (int(n) for n in args.size.lower().split("x"))
    warmup = not args.quick
    OUT.mkdir(exist_ok=True)

    try:
        if args.self_check:
            db_info = {}
            subjects = {"minimal": MINIMAL, "year": MINIMAL, "big": MINIMAL}
            labels = {"year": "minimal app (self-check)", "big": "minimal app (self-check, 2)"}
        else:
            require_efficacy()
            db_info = build_databases(skip_existing=args.skip_build or args.quick)
            subjects = {"minimal": MINIMAL}
            labels = {}
            for db in DATABASES:
                subjects[db.key] = [str(EFFICACY), "--db", str(db.path)]
                labels[db.key] = db.label
        print(f"Start time and peak memory in a {cols}x{rows_} pseudo-terminal, {runs} rounds:")
        start = measure_start(subjects, runs, warmup, (cols, rows_), args.timeout)
        ladder = {}
        capture = {}
        review = {}
        search = {}
        if not args.self_check:
            print(f"Open the ladder screen ({LADDER_KEYS.decode()!r} on home until "
                  f"{LADDER_MARKER!r}), {runs} rounds:", flush=True)
            ladder = measure_ladder({db.key: subjects[db.key] for db in DATABASES}, runs, warmup,
                                    (cols, rows_), args.timeout)
            year = DATABASES[0].path
            domain = first_domain(year)
            print(f"Quick capture and nudge, {runs * 3} rounds, logging into {domain!r} in a "
                  "scratch copy...", flush=True)
            capture = measure_capture(scratch_copy(year), domain, runs * 3, warmup)
            print(f"Open the review screen ({REVIEW_KEYS.decode()!r} on home until "
                  f"{REVIEW_MARKER!r}) for time and peak memory, {runs} rounds:", flush=True)
            review = measure_ladder({db.key: subjects[db.key] for db in DATABASES}, runs, warmup,
                                    (cols, rows_), args.timeout, REVIEW_KEYS, REVIEW_MARKER,
                                    REVIEW_QUIT)
            big = DATABASES[1].path
            print(f"Search as you type and filter changes on the review screen, {runs} rounds "
                  f"on {big.relative_to(BENCH.parent)}:", flush=True)
            search = measure_search(big, runs, warmup)
    except (BenchError, PtyRunError) as err:
        print(f"\nbench: {err}", file=sys.stderr)
        return 2

    rows = summarise(start, ladder, capture, labels, review, search)
    print()
    print_table(rows)
    results = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "versions": _versions(),
        "settings": {"runs": runs, "warmup": warmup, "size": f"{cols}x{rows_}",
                     "self_check": args.self_check, "marker": MARKER,
                     "ladder": {"keys": LADDER_KEYS.decode(), "marker": LADDER_MARKER,
                                "quit_keys": key_label(LADDER_QUIT)},
                     "review": {"keys": REVIEW_KEYS.decode(), "marker": REVIEW_MARKER,
                                "quit_keys": key_label(REVIEW_QUIT)},
                     "latency_budget_ms": LATENCY_BUDGET_S * 1000},
        "databases": db_info,
        "results": rows,
        "samples": {"start": start, "ladder": ladder, "capture": capture, "review": review,
                    "search": search},
    }
    path = OUT / ("self-check.json" if args.self_check else "results.json")
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {path.relative_to(BENCH.parent)}")
    over = [r["figure"] for r in rows if r["status"] == "OVER"]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
