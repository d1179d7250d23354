"""Search-as-you-type and filter latency of the review screen, measured in-process: the real app
runs headless (`App.run_test`) on a database, opens review from home with `v`, and each keystroke
or filter change is timed from the key event reaching the app (or the new filter value) until the
screen has re-read its page and count, refilled its table, and the compositor has rendered the
next frame (headless, so nothing is written to a terminal: bench/run.py times real terminals).

    python bench/search_probe.py DB [--rounds 3]

Prints one JSON object: "keystroke_ms" and "filter_ms" (to the painted frame), the same to the
table refilled ("*_updated_ms"), "query_ms" (the database alone: review.search, page and count, for
the same searches) and "events". The database is only read."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

# Typed one character at a time: words from the demo's own content, so they match thousands of
# rows, and a phrase that matches nothing (the whole time index is scanned).
TYPED = ["conversation", "river loop", "zzqx"]
DATES = "last 30 days"


class Marks:
    """When the review screen last finished applying a changed search or filter (re-reading its
    records, unless the filter came out the same), and when the compositor next rendered the
    screen after that (headless: rendered, not written to a terminal)."""

    def __init__(self, screen) -> None:
        self.updated: float | None = None
        self.painted: float | None = None
        set_filter, compositor_refresh = screen.set_filter, screen._compositor_refresh

        def updated(**changes):
            set_filter(**changes)
            self.updated = time.perf_counter()

        def painted():
            compositor_refresh()
            if self.updated is not None and self.painted is None:
                self.painted = time.perf_counter()

        screen.set_filter = updated
        screen._compositor_refresh = painted

    def reset(self) -> None:
        self.updated = self.painted = None

    async def wait(self, start: float, what: str) -> tuple[float, float]:
        """Milliseconds from `start` to the records re-read and to the next paint."""
        deadline = time.perf_counter() + 10
        while self.painted is None:
            if time.perf_counter() > deadline:
                raise SystemExit(f"the review screen did not repaint after {what}")
            await asyncio.sleep(0.0005)
        return (self.updated - start) * 1000, (self.painted - start) * 1000


async def probe(db: str, rounds: int) -> dict:
    from textual import events
    from textual.widgets import Input, Select

    from efficacy_tui.store import review
    from efficacy_tui.store.core import open_store
    from efficacy_tui.ui.app import EfficacyApp
    from efficacy_tui.ui.screens.review import ReviewScreen

    found = {"keystroke_ms": [], "keystroke_updated_ms": [], "filter_ms": [],
             "filter_updated_ms": [], "query_ms": [], "events": []}
    app = EfficacyApp(open_store(db))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, ReviewScreen):
            raise SystemExit(f"`v` opened {type(screen).__name__}, not the review screen")
        marks = Marks(screen)
        search = screen.query_one("#search", Input)
        dates = screen.query_one("#dates", Input)

        async def clear(field: Input) -> None:
            field.focus()
            await pilot.pause()
            field.value = ""
            await pilot.pause()

        def record(kind: str, times: tuple[float, float], what: str) -> None:
            found[f"{kind}_updated_ms"].append(times[0])
            found[f"{kind}_ms"].append(times[1])
            found["events"].append(f"{what}: {len(screen.rows)} rows, {times[1]:.1f} ms")

        async def typed(field: Input, text: str, kind: str, label: str) -> None:
            await clear(field)
            for n, char in enumerate(text, start=1):
                key = "space" if char == " " else char
                await pilot.pause()
                marks.reset()
                start = time.perf_counter()
                app._driver.send_message(events.Key(key, char))
                record(kind, await marks.wait(start, repr(text[:n])), f"{label} {text[:n]!r}")
                if field.value != text[:n]:
                    raise SystemExit(f"the field holds {field.value!r}, not {text[:n]!r}")

        async def chosen(selector: str, value: object) -> None:
            await pilot.pause()
            marks.reset()
            start = time.perf_counter()
            screen.query_one(selector, Select).value = value
            record("filter", await marks.wait(start, selector), f"filter {selector}={value!r}")

        domain_id = app.store.scalar("SELECT id FROM domains WHERE deleted_at IS NULL LIMIT 1")
        for _ in range(rounds):
            for text in TYPED:
                await typed(search, text, "keystroke", "search")
                for n in range(1, len(text) + 1):
                    flt = review.ReviewFilter(text=text[:n])
                    start = time.perf_counter()
                    review.search(app.store, flt, 0, 101)
                    found["query_ms"].append((time.perf_counter() - start) * 1000)
            await clear(search)
            await chosen("#domain", domain_id)
            await chosen("#kind", "attempt")
            await chosen("#outcome", "setback")
            await typed(dates, DATES, "filter", "dates")
            await typed(search, "river", "keystroke", "search, filtered")
            await clear(search)
            await clear(dates)
            for selector in ("#domain", "#kind", "#outcome"):
                await chosen(selector, Select.NULL)
        await pilot.press("ctrl+q")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(probe(args.db, args.rounds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
