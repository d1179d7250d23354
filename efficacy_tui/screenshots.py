"""The README's screenshots: each screen of the app on the demo database, written as SVG files.

    python -m efficacy_tui.screenshots [--out assets] [--size 100x32] [--only NAME ...]

The demo is built with a fixed seed and the app runs headless on a fixed clock (Thursday
26 November 2026, 09:30, Europe/London) with steady cursors, so the pictures change only when
the screens do. Every scene starts on home and reaches its screen with the keys a person would
press.
"""

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ZONE = "Europe/London"
NOW = datetime(2026, 11, 26, 9, 30)  # naive local time, read in ZONE
DEMO_DAYS, DEMO_SEED = 182, 7  # `efficacy demo --days 182`
SIZE = (100, 32)
SETBACK_WHY = "I always freeze up, I'm just not a natural speaker"
READINESS_TO_EVIDENCE = (
    "enter", "7", "enter", "right", "enter", "right", "right", "enter", "left", "enter",
    "right", "enter", "space", "enter", *"my heart is getting me ready", "enter", "ctrl+s",
)


@dataclass(frozen=True)
class Scene:
    """One screenshot: the file name, the window title, and the keys pressed on home."""

    name: str
    title: str
    keys: tuple[str, ...] = ()


SCENES = (
    Scene("home", "efficacy — home"),
    Scene("checkin", "efficacy — daily check-in",
          ("c", *"7.5", "tab", "right", "right", "right", "tab", "left", "left", "tab",
           *"Pub", "right")),
    Scene("ladder", "efficacy — mastery ladder", ("l",)),
    Scene("audit", "efficacy — self-efficacy audit", ("l", "t", *"Cooking", "enter")),
    Scene("scale", "efficacy — self-efficacy scale", ("l", "i")),
    Scene("role_models", "efficacy — models and feedback", ("l", "m")),
    Scene("reframe", "efficacy — reframe a setback", ("r", "enter", *SETBACK_WHY)),
    Scene("reframe-history", "efficacy — reframe history", ("r", "f2")),
    Scene("readiness", "efficacy — readiness walkthrough", ("p", *READINESS_TO_EVIDENCE)),
    Scene("review", "efficacy — review: records", ("v",)),
    Scene("trends", "efficacy — review: trends", ("v", "down", "2")),
    Scene("calibration", "efficacy — review: calibration", ("v", "down", "3")),
    Scene("help", "efficacy — help", ("question_mark",)),
)


def use_fixed_zone() -> None:
    """Dates and times on screen are read in one zone, wherever the command runs."""
    os.environ["TZ"] = ZONE
    time.tzset()


def build_demo_file(path: Path) -> None:
    """The demo database every scene starts from."""
    from efficacy_tui.store.core import open_store
    from efficacy_tui.store.demo import build_demo

    store = open_store(path, clock=fixed_clock)
    try:
        build_demo(store, DEMO_DAYS, seed=DEMO_SEED)
    finally:
        store.close()


def fixed_clock() -> datetime:
    return NOW.astimezone()


async def shoot(scene: Scene, db_path: Path, size: tuple[int, int]) -> str:
    """Run the app on `db_path`, press the scene's keys, and return the screen as SVG."""
    from efficacy_tui.store.core import open_store
    from efficacy_tui.ui.app import EfficacyApp

    app = EfficacyApp(open_store(db_path, clock=fixed_clock))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in scene.keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        for widget in app.screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False  # a steady cursor, whatever the moment
        await pilot.pause()
        return app.export_screenshot(title=scene.title)


def write_screenshots(out: Path, size: tuple[int, int] = SIZE,
                      only: list[str] | None = None) -> list[Path]:
    """Write NAME.svg into `out` for each scene (or those named in `only`); return the files."""
    use_fixed_zone()
    scenes = [s for s in SCENES if not only or s.name in only]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="efficacy-screens-") as folder:
        base = Path(folder) / "demo.db"
        build_demo_file(base)
        for scene in scenes:
            db_path = Path(folder) / f"{scene.name}.db"
            shutil.copyfile(base, db_path)  # each scene starts from the same demo
            svg = asyncio.run(shoot(scene, db_path, size))
            target = out / f"{scene.name}.svg"
            target.write_text(svg, encoding="utf-8")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("assets"),
                        help="folder to write the SVG files into (default: assets)")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}",
                        help="terminal size COLSxROWS (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        choices=[s.name for s in SCENES], help="only these scenes")
    args = parser.parse_args(argv)
    try:
        cols, rows = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 100x32, not {args.size!r}")
    for path in write_screenshots(args.out, (cols, rows), args.only):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
