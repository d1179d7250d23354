"""The project's performance benchmark: start time and peak memory against a minimal Textual app,
screen switches against a floor app pushing a screen of the same shape, search-as-you-type and
filter latency on the review screen, `efficacy log` and `efficacy nudge` against the imports they
cannot avoid, and how export, import and opening home grow with the data. Every figure is a ratio
against a baseline measured in the same run (the latencies against an absolute budget), with
alternating runs and medians; the budgets are in one table, BUDGETS.

    python bench/run.py [--runs 7] [--skip-build] [--quick] [--check] [--only SECTION ...]

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
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ptyrun import PtyRunError, key_label, run_until_marker  # noqa: E402

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
MARKER = "Check-in streak:"
SEARCH_PROBE = [sys.executable, str(BENCH / "search_probe.py")]
MINIMAL = [sys.executable, str(BENCH / "minimal_app.py")]
FLOOR = [sys.executable, str(BENCH / "floor_app.py")]
EFFICACY = Path(sys.executable).parent / "efficacy"
QUIT = b"\x11"  # ctrl+q quits from every screen; `q` is not bound on most of them

# Every budget `--check` holds the app to (bench/README.md, "Budgets"), in one table: the key a
# row names, the largest ratio allowed, and what the ratio is taken against. Rows without a key
# are shown for information.
BUDGETS: dict[str, tuple[float, str]] = {
    "start.year": (1.25, "the minimal app"),
    "start.big": (1.35, "the minimal app"),
    "memory.review": (2.0, "the minimal app"),
    "switch": (1.3, "the floor app pushing a screen of the same shape"),
    "latency": (1.0, "50 ms, at the 90th percentile"),
    "log": (1.2, "python -c 'import sqlite_utils'"),
    "nudge": (1.5, "python -c 'import sqlite3'"),
    "growth": (1.0, "the ratio between the data sizes (linear)"),
}
LATENCY_BUDGET_S = 0.050  # search-as-you-type and filter changes, per change (absolute)
SECTIONS = ("start", "switch", "capture", "search", "growth")
SETTLE_SECONDS = 1.0  # home idle this long before a screen-switch key: past start-up and warm-up
GROWTH_RUNS = 3  # export and import of 100k attempts take seconds each: fewer rounds


@dataclass(frozen=True)
class Switch:
    """A screen opened from home: its key, text only it paints once it shows its data, and the
    floor app screen of the same shape it is held against."""

    name: str
    keys: bytes
    marker: str
    floor: str


# The markers: the selected rung's criterion line (home says "rungs mastered", so not that); the
# review status line; a check-in field label; the reframe's and the walkthrough's titles in the
# header. The floor apps paint their own markers (bench/floor_app.py).
SWITCHES = (
    Switch("ladder", b"l", "Success means:", "table"),
    Switch("review", b"v", "records · page", "table"),
    Switch("checkin", b"c", "Energy right now", "form"),
    Switch("reframe", b"r", "Reframe a setback", "form"),
    Switch("readiness", b"p", "Get ready", "form"),
)
FLOORS = {
    "table": Switch("floor table", b"v", "floor records · page", "table"),
    "form": Switch("floor form", b"c", "floor form of ten fields", "form"),
}


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
    Database("tenk", "10k attempts", OUT / "tenk.db", ["--days", "365", "--attempts", "10000"]),
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


def stale_script() -> str | None:
    """A warning when the `efficacy` script was written by pip older than 25.0, whose template
    imports `re` before efficacy's entry point runs: about 3 ms on every start, a tenth of
    `efficacy nudge`, that the project does not choose (pip 25 and later, and uv, write a script
    without it). Such a nudge row measures the installer, not the project."""
    with open(EFFICACY, encoding="utf-8", errors="replace") as script:
        head = script.read(2000)
    if "\nimport re\n" not in head:
        return None
    return (f"{EFFICACY} was written by pip older than 25.0 and imports `re` on every start; "
            f"the nudge row measures that too. Upgrade pip and reinstall: {sys.executable} -m "
            f"pip install -U pip && {sys.executable} -m pip install -e {BENCH.parent}")


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


def measure_switches(subjects: dict[str, tuple[list[str], Switch]], runs: int, warmup: bool,
                     size, timeout) -> dict:
    """Time pressing a screen's key on the painted first screen, once it has been idle for
    SETTLE_SECONDS, until the screen it opens has painted its marker; one process per run, the
    subjects alternating. The peak RSS of these runs is kept too: for review it is the peak memory
    of home + review."""
    samples = {key: {"seconds": [], "maxrss_kib": []} for key in subjects}
    rounds = ([0] if warmup else []) + list(range(1, runs + 1))
    for round_no in rounds:
        for key, (argv, switch) in subjects.items():
            run = run_until_marker(
                argv, MARKER, then=(switch.keys, switch.marker), quit_keys=QUIT,
                cols=size[0], rows=size[1], timeout=timeout, settle=SETTLE_SECONDS,
            )
            if run.exit_status != 0 and run.quit_by_keys:
                raise BenchError(
                    f"{' '.join(argv)} exited with status {run.exit_status} after "
                    f"`{key_label(QUIT)}`:\n{run.output_tail}"
                )
            tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
            print(
                f"  {tag:>9}  {key:<18} {run.then_seconds * 1000:7.0f} ms "
                f"{run.maxrss_kib / 1024:7.1f} MiB  (quit by {run.quit_by})",
                flush=True,
            )
            if round_no:
                samples[key]["seconds"].append(run.then_seconds)
                samples[key]["maxrss_kib"].append(run.maxrss_kib)
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
        tag = "warm-up" if round_no == 0 else f"run {round_no}/{runs}"
        print(f"  {tag:>9}  keystroke {_percentile(found['keystroke_ms'], 0.9):5.1f} ms  "
              f"filter {_percentile(found['filter_ms'], 0.9):5.1f} ms  "
              f"database {_percentile(found['query_ms'], 0.9):5.1f} ms (90th percentiles)",
              flush=True)
        if round_no:
            for key, values in found.items():
                samples.setdefault(key, []).extend(values)
    return samples


def _run_measured(argv: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB, from wait4) of one process; a failure stops the benchmark."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited with status {proc.returncode}:\n"
                         f"{output.decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss


def measure_capture(db: Path, domain: str, runs: int, warmup: bool) -> dict:
    """Time `efficacy log` against `python -c "import sqlite_utils"` and `efficacy nudge`
    against `python -c "import sqlite3"`, alternating all four."""
    subjects = {
        "import sqlite_utils": [sys.executable, "-c", "import sqlite_utils"],
        "log": [
            str(EFFICACY), "--db", str(db), "log", domain, "Bench attempt", "--outcome", "success",
        ],
        "import sqlite3": [sys.executable, "-c", "import sqlite3"],
        "nudge": [str(EFFICACY), "--db", str(db), "nudge"],
    }
    samples: dict[str, list[float]] = {key: [] for key in subjects}
    for round_no in ([0] if warmup else []) + list(range(1, runs + 1)):
        for key, argv in subjects.items():
            seconds, _ = _run_measured(argv)
            if round_no:
                samples[key].append(seconds)
    return samples


def measure_growth(dbs: list[Database], runs: int) -> dict:
    """Export each database as JSON, and import that export into an empty database, with the
    command line, alternating the databases: wall time and peak RSS of each process."""
    samples = {f"{what}.{db.key}": {"seconds": [], "maxrss_kib": []}
               for what in ("export", "import") for db in dbs}
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        for round_no in range(1, runs + 1):
            for db in dbs:
                export = Path(folder) / f"{db.key}.json"
                export.unlink(missing_ok=True)
                target = Path(folder) / f"{db.key}-imported.db"
                _remove_db(target)
                for what, argv in (
                    ("export", [str(EFFICACY), "--db", str(db.path), "export", "-o",
                                str(export)]),
                    ("import", [str(EFFICACY), "--db", str(target), "import", str(export)]),
                ):
                    seconds, peak = _run_measured(argv)
                    samples[f"{what}.{db.key}"]["seconds"].append(seconds)
                    samples[f"{what}.{db.key}"]["maxrss_kib"].append(peak)
                    print(f"  run {round_no}/{runs}  {what} {db.label:<14} {seconds * 1000:7.0f} ms"
                          f" {peak / 1024:7.1f} MiB", flush=True)
    return samples


def _row(figure: str, base: float, app: float, unit: str, budget: str | None = None,
         note: str = "", p90: float | None = None, base_p90: float | None = None,
         limit: float | None = None) -> dict:
    """One line of the results: medians (and 90th percentiles where a figure has many samples),
    their ratio, and whether it is within the budget BUDGETS names. A latency row is judged on its
    90th percentile; `limit` replaces the budget's ratio (growth: the ratio of the data sizes)."""
    judged = p90 if budget == "latency" and p90 is not None else app
    ratio = judged / base
    allowed = None if budget is None else (limit if limit is not None else BUDGETS[budget][0])
    status = "" if allowed is None else ("ok" if ratio <= allowed else "OVER")
    return {
        "figure": figure,
        "unit": unit,
        "baseline": base,
        "baseline_p90": base_p90,
        "value": app,
        "p90": p90,
        "ratio": round(ratio, 3),
        "budget": allowed,
        "budget_key": budget,
        "status": status,
        "note": note,
    }


def _med_p90(values: list[float]) -> tuple[float, float | None]:
    """The median, and the 90th percentile when there are enough samples to name one."""
    return statistics.median(values), (_percentile(values, 0.9) if len(values) >= 5 else None)


def summarise(samples: dict, labels: dict[str, str], db_info: dict) -> list[dict]:
    """Turn the samples into the result rows."""
    med = statistics.median
    rows: list[dict] = []
    start = samples.get("start")
    if start:
        base_s, base_s90 = _med_p90(start["minimal"]["seconds"])
        base_m = med(start["minimal"]["maxrss_kib"])
        for key in ("year", "big"):
            value, p90 = _med_p90(start[key]["seconds"])
            rows.append(_row(f"Start to painted home, {labels[key]}", base_s, value, "s",
                             f"start.{key}", "vs the minimal app", p90, base_s90))
        for key in ("year", "big"):
            rows.append(_row(f"Peak memory, home, {labels[key]}", base_m,
                             med(start[key]["maxrss_kib"]), "KiB", None, "vs the minimal app"))
    switches = samples.get("switch")
    if switches:
        floors = {name: _med_p90(switches[f"floor.{name}"]["seconds"]) for name in FLOORS}
        for name, (value, p90) in floors.items():
            rows.append(_row(f"Floor: push a {FLOORS[name].name.split()[-1]} screen",
                             LATENCY_BUDGET_S, value, "s", None,
                             "vs 50 ms, for information; " + FLOORS[name].marker, p90))
        for switch in SWITCHES:
            base, base_p90 = floors[switch.floor]
            for key in ("year", "big"):
                value, p90 = _med_p90(switches[f"{switch.name}.{key}"]["seconds"])
                rows.append(_row(f"Open {switch.name}, {labels[key]}", base, value, "s",
                                 "switch", f"vs the {switch.floor} floor; "
                                 f"`{key_label(switch.keys)}` until {switch.marker!r}",
                                 p90, base_p90))
        if start and "review.big" in switches:
            rows.append(_row(f"Peak memory, home + review, {labels['big']}",
                             med(start["minimal"]["maxrss_kib"]),
                             med(switches["review.big"]["maxrss_kib"]), "KiB", "memory.review",
                             "vs the minimal app; `v` on home until the records are painted"))
    search = samples.get("search")
    if search:
        for key, figure in (("keystroke_ms", "Search as you type"), ("filter_ms", "Filter change")):
            values = [v / 1000 for v in search[key]]
            value, p90 = _med_p90(values)
            rows.append(_row(f"{figure}, {labels['big']}", LATENCY_BUDGET_S, value, "s",
                             "latency", f"vs 50 ms at the 90th percentile; {len(values)} "
                             "changes, headless, key to painted table", p90))
        value, p90 = _med_p90([v / 1000 for v in search["query_ms"]])
        rows.append(_row(f"  of which the database, {labels['big']}", LATENCY_BUDGET_S, value,
                         "s", None, "review.search: page and count", p90))
    capture = samples.get("capture")
    if capture:
        for key, base_key, figure in (
            ("log", "import sqlite_utils", "Quick capture (efficacy log)"),
            ("nudge", "import sqlite3", "Reminder line (efficacy nudge)"),
        ):
            base, base_p90 = _med_p90(capture[base_key])
            value, p90 = _med_p90(capture[key])
            rows.append(_row(figure, base, value, "s", key, f"vs python -c '{base_key}'", p90,
                             base_p90))
    growth = samples.get("growth")
    sizes = {key: info["attempts"] for key, info in db_info.items()}
    if growth:
        grows = sizes["big"] / sizes["year"]
        for what in ("export", "import"):
            for measure, unit in (("seconds", "s"), ("maxrss_kib", "KiB")):
                rows.append(_row(
                    f"{what.capitalize()} {'time' if unit == 's' else 'peak memory'}, "
                    f"{labels['big']}", med(growth[f"{what}.year"][measure]),
                    med(growth[f"{what}.big"][measure]), unit, "growth",
                    f"vs {labels['year']}; the data grows {grows:.0f}x", limit=grows))
    if start and "tenk" in start:
        grows = sizes["big"] / sizes["tenk"]
        value, p90 = _med_p90(start["big"]["seconds"])
        base, base_p90 = _med_p90(start["tenk"]["seconds"])
        rows.append(_row(f"Home painted, {labels['big']}", base, value, "s", "growth",
                         f"vs {labels['tenk']}; the data grows {grows:.0f}x", p90, base_p90,
                         limit=grows))
    return rows


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if unit == "s" else f"{value / 1024:.1f} MiB"


def print_table(rows: list[dict]) -> None:
    """A plain, aligned table on stdout: medians, 90th percentiles where there are enough runs."""
    header = ["Figure", "Baseline", "p90", "App", "p90", "Ratio", "Budget", "Status", "Note"]
    lines = [
        [
            r["figure"],
            _fmt(r["baseline"], r["unit"]),
            _fmt(r["baseline_p90"], r["unit"]),
            _fmt(r["value"], r["unit"]),
            _fmt(r["p90"], r["unit"]),
            f"{r['ratio']:.2f}x",
            "-" if r["budget"] is None else f"<= {r['budget']:.3g}x",
            r["status"] or "-",
            r["note"],
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    right = {1, 2, 3, 4, 5}
    for line in [header, ["-" * w for w in widths], *lines]:
        cells = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("textual", "sqlite-utils", "efficacy", "pip"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def main(argv: list[str] | None = None) -> int:
    # The app is measured as a new user meets it: a config of the user's own (a keymap, a sync
    # folder the app would sync with on every start) would be measured too.
    os.environ["EFFICACY_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="efficacy-bench-"))
                                        / "no-config.toml")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int,
                        help="alternating rounds per figure (default 7; 3 with --quick)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse the demo databases if they exist")
    parser.add_argument("--quick", action="store_true",
                        help="3 rounds, no warm-up round, reuse existing databases")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if any row is over its budget (BUDGETS)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help=f"measure only these sections: {', '.join(SECTIONS)}")
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
    size = (cols, rows_)
    warmup = not args.quick
    sections = set(args.only or SECTIONS)
    OUT.mkdir(exist_ok=True)
    samples: dict[str, dict] = {}
    warnings: list[str] = []

    try:
        if args.self_check:
            db_info = {}
            subjects = {"minimal": MINIMAL, "year": MINIMAL, "big": MINIMAL}
            labels = {"year": "minimal app (self-check)", "big": "minimal app (self-check, 2)"}
            sections = {"start"}
        else:
            require_efficacy()
            db_info = build_databases(skip_existing=args.skip_build or args.quick)
            subjects = {"minimal": MINIMAL}
            labels = {}
            for db in DATABASES:
                subjects[db.key] = [str(EFFICACY), "--db", str(db.path)]
                labels[db.key] = db.label
        if "start" in sections:
            print(f"Start time and peak memory in a {cols}x{rows_} pseudo-terminal, {runs} "
                  "rounds:")
            samples["start"] = measure_start(subjects, runs, warmup, size, args.timeout)
        if "switch" in sections:
            print(f"Screen switches (key on the first screen, idle {SETTLE_SECONDS:g} s, until "
                  f"the screen's marker), {runs} rounds:", flush=True)
            switching = {f"floor.{name}": ([*FLOOR, name], floor)
                         for name, floor in FLOORS.items()}
            for switch in SWITCHES:
                for key in ("year", "big"):
                    switching[f"{switch.name}.{key}"] = (subjects[key], switch)
            samples["switch"] = measure_switches(switching, runs, warmup, size, args.timeout)
        if "capture" in sections:
            stale = stale_script()
            if stale:
                print(f"Warning: {stale}", flush=True)
                warnings.append(stale)
            year = DATABASES[0].path
            domain = first_domain(year)
            print(f"Quick capture and nudge, {runs * 3} rounds, logging into {domain!r} in a "
                  "scratch copy...", flush=True)
            samples["capture"] = measure_capture(scratch_copy(year), domain, runs * 3, warmup)
        if "search" in sections:
            big = DATABASES[1].path
            print(f"Search as you type and filter changes on the review screen, {runs} rounds "
                  f"on {big.relative_to(BENCH.parent)}:", flush=True)
            samples["search"] = measure_search(big, runs, warmup)
        if "growth" in sections:
            print(f"Export and import of {DATABASES[0].label} and {DATABASES[1].label}, "
                  f"{GROWTH_RUNS} rounds:", flush=True)
            samples["growth"] = measure_growth(DATABASES[:2], GROWTH_RUNS)
    except (BenchError, PtyRunError) as err:
        print(f"\nbench: {err}", file=sys.stderr)
        return 2

    rows = summarise(samples, labels, db_info)
    print()
    print_table(rows)
    results = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "versions": _versions(),
        "settings": {"runs": runs, "warmup": warmup, "size": f"{cols}x{rows_}",
                     "self_check": args.self_check, "marker": MARKER,
                     "sections": sorted(sections), "settle_seconds": SETTLE_SECONDS,
                     "switches": [{"name": s.name, "keys": key_label(s.keys), "marker": s.marker,
                                   "floor": s.floor} for s in SWITCHES],
                     "budgets": BUDGETS, "latency_budget_ms": LATENCY_BUDGET_S * 1000},
        "databases": db_info,
        "warnings": warnings,
        "results": rows,
        "samples": samples,
    }
    path = OUT / ("self-check.json" if args.self_check else "results.json")
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nWritten to {path.relative_to(BENCH.parent)}")
    for warning in warnings:
        print(f"Warning: {warning}")
    over = [r["figure"] for r in rows if r["status"] == "OVER"]
    if over:
        print(f"Over budget: {', '.join(over)}")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
