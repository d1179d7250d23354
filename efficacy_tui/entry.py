"""The `efficacy` command's entry point. A shell prompt runs `efficacy nudge` before every prompt,
so that command is answered here, through a read-only sqlite3 connection, before click, Textual
or sqlite-utils is imported. Every other command goes to cli.py, and so does a nudge this path
does not answer plainly (another option, a file that is not plainly this user's, any error):
cli.py reads the same facts and says the same line, or explains what is wrong in one sentence.
The bare `efficacy [--db PATH]`, which opens the app, is run from here too, without click, so
home paints as soon as Textual can paint it.
"""

import os
import sys

ONLY = ("checkin", "performance")


def main() -> None:
    if not quick_nudge(sys.argv[1:]) and not quick_app(sys.argv[1:]):
        from efficacy_tui.cli import main as cli_main

        cli_main()


def app_args(args: list[str]) -> tuple[str | None] | None:
    """(--db,) of a command line that is `[--db PATH]` and nothing else, or None (a PATH that
    is empty or looks like an option is left to click)."""
    if not args:
        return (None,)
    if len(args) == 2 and args[0] == "--db":
        db = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        db = args[0].removeprefix("--db=")
    else:
        return None
    return None if not db or db.startswith("-") else (db,)


def quick_app(args: list[str]) -> bool:
    """Open the app as `efficacy [--db PATH]` does in cli.py, and exit as it would; or return
    False to leave the command line to cli.py."""
    parsed = app_args(args)
    if parsed is None:
        return False
    from efficacy_tui.launch import Refused, run_app
    from efficacy_tui.store.paths import resolve_db_path

    os.umask(0o077)
    try:
        code = run_app(resolve_db_path(parsed[0]))
    except Refused as err:
        from efficacy_tui.control_chars import visible

        sys.stderr.write(visible(str(err)) + "\n")
        code = 1
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")  # as click says it
        code = 1
    sys.stderr.flush()
    sys.exit(code)


def nudge_args(args: list[str]) -> tuple[str | None, str | None] | None:
    """(--db, --only) of a command line that is `[--db PATH] nudge [--only WHAT]` and nothing
    else, or None."""
    db = only = None
    if len(args) >= 2 and args[0] == "--db":
        db, args = args[1], args[2:]
    elif args and args[0].startswith("--db="):
        db, args = args[0].removeprefix("--db="), args[1:]
    if db == "" or args[:1] != ["nudge"]:
        return None
    args = args[1:]
    if len(args) == 2 and args[0] == "--only":
        only = args[1]
    elif len(args) == 1 and args[0].startswith("--only="):
        only = args[0].removeprefix("--only=")
    elif args:
        return None
    if only is not None and only not in ONLY:
        return None
    return db, only


def db_path(db: str | None) -> str:
    """--db, else EFFICACY_DB, else the user data folder as store/paths.py finds it."""
    chosen = db or os.environ.get("EFFICACY_DB")
    if chosen:
        return os.path.expanduser(chosen)
    found = xdg_data_path()
    if found:
        return found
    from efficacy_tui.store.paths import default_db_path

    return str(default_db_path())


def xdg_data_path() -> str | None:
    """On Linux, the database in the XDG data folder, the plain cases of platformdirs' rule
    ($XDG_DATA_HOME if absolute, else $HOME/.local/share when XDG_DATA_HOME is unset or empty and
    HOME is absolute), without importing it (tens of milliseconds); None for any other case,
    which platformdirs decides."""
    if not sys.platform.startswith("linux"):
        return None
    data = os.environ.get("XDG_DATA_HOME", "")
    home = os.environ.get("HOME", "")
    if os.path.isabs(data):
        folder = data
    elif not data and os.path.isabs(home):
        folder = os.path.join(home, ".local", "share")
    else:
        return None
    return os.path.join(folder, "efficacy", "efficacy.db")


def _busy_timeout() -> float | None:
    """EFFICACY_BUSY_TIMEOUT_MS in seconds (5 by default), or None when it is not a plain count
    of milliseconds, which the full command refuses in a sentence."""
    raw = os.environ.get("EFFICACY_BUSY_TIMEOUT_MS", "").strip()
    if not raw:
        return 5.0
    return int(raw) / 1000 if raw.isascii() and raw.isdigit() else None


def quick_nudge(args: list[str]) -> bool:
    """Answer `efficacy nudge` and return True, or return False to leave it to cli.py."""
    parsed = nudge_args(args)
    timeout = _busy_timeout()
    if parsed is None or timeout is None:
        return False
    import sqlite3
    from datetime import datetime

    from efficacy_tui.coach.nudge import nudge_line
    from efficacy_tui.control_chars import visible
    from efficacy_tui.store.nudge import nudge_facts, plainly_readable, uri

    db, only = parsed
    try:
        path = db_path(db)
        readable = plainly_readable(path)
        if readable is None:
            return True
        if not readable:
            return False
        now = datetime.now().astimezone().replace(microsecond=0)
        conn = sqlite3.connect(uri(path), uri=True, timeout=timeout)
        try:
            line = nudge_line(*nudge_facts(conn, now), now, only)
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - nothing was changed; the full command says what is wrong
        return False
    if line:
        sys.stdout.write(visible(line) + "\n")
        sys.stdout.flush()
    return True
