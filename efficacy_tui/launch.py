"""Running the app on a database file, with what comes after it (the daily backup copy, the sync
once it closes), without click: the bare `efficacy` command starts here straight from the entry
point, so its first screen paints without paying for the command line's imports."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from efficacy_tui.store.backup import DailyBackup
    from efficacy_tui.store.core import Store


class Refused(Exception):
    """The app could not open the file, or ended on a problem with it; str() is one sentence."""


def need_terminal() -> None:
    """Refuse, before anything is read or written, to open the app where no one can use it: keys
    come from standard input and the screen is drawn on standard error, and without a terminal
    on both the app would draw into a file or a pipe and wait there, at full speed, for keys that
    never come (a script, a cron job, `efficacy < /dev/null`)."""
    if not has_terminal():
        from efficacy_tui.content import say

        raise Refused(say("common.no_terminal"))


def has_terminal() -> bool:
    """Whether the app could read keys and draw here: on a terminal, or through a driver named
    in TEXTUAL_DRIVER (the browser's, which `efficacy serve` starts the app with, speaks over
    pipes)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return _is_terminal(sys.stdin) and _is_terminal(sys.stderr)


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # closed
        return False


def run_app(path: Path, start: str = "home", sync: bool = True) -> int:
    """Open the database at `path` and run the app on the screen `start`, syncing through the
    configured folder when `sync` (a demo database never syncs); the exit status to leave with.
    What opening the file changed is said by the app, not here."""
    need_terminal()
    from efficacy_tui.store.core import StoreError, open_store

    try:
        store = open_store(path)
    except StoreError as err:
        raise Refused(str(err)) from None
    from efficacy_tui.sync_config import sync_folder
    from efficacy_tui.ui.app import EfficacyApp

    started = []
    folder = sync_folder() if sync else None
    app = EfficacyApp(store, start=start, sync_path=folder,
                      after_start=[lambda: started.append(_daily_backup(store))])
    app.run()
    if folder is not None and not app.fatal:
        _sync_on_quit(store.path, folder)
    for daily in started:
        problem = daily.finish()
        if problem:
            _say(problem)
    if app.fatal:
        raise Refused(app.fatal)
    return app.return_code or 0


def _say(line: str) -> None:
    """One line on stderr."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _sync_on_quit(db_path: Path, folder: Path) -> None:
    """Sync once the app has closed, so what was written in it reaches the folder; a problem is
    said on stderr, never in the way of leaving."""
    from efficacy_tui.control_chars import visible
    from efficacy_tui.store.core import system_now
    from efficacy_tui.sync import sync_in_worker

    lines, problem = sync_in_worker(db_path, system_now, folder)
    if problem:
        for line in lines:
            _say(visible(line))


def _daily_backup(store: "Store") -> "DailyBackup":
    """Today's backup copy, if it has none yet, on a thread; run once the first screen is up
    (the app's warm-up), so the first start of the day paints as fast as any other."""
    from efficacy_tui.store.backup import DailyBackup

    daily = DailyBackup(store.path, store.today())
    daily.start()
    return daily
