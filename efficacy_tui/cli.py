"""The `efficacy` command line. Textual is imported only by commands that open the app, so quick
capture (`efficacy log`) starts as fast as sqlite-utils itself."""

import os
import sqlite3
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from efficacy_tui import __version__

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from efficacy_tui.records import PlannedAttempt
    from efficacy_tui.store.core import Store


class Failure(click.ClickException):
    """One sentence on stderr and exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(_visible(self.format_message()), err=True)


def _visible(text: str) -> str:
    """The user's words as printed: control characters as symbols, so a title holding an escape
    sequence cannot recolour, retitle or clear the terminal."""
    from efficacy_tui.control_chars import visible

    return visible(text)


def _open(ctx: click.Context, clock: "Callable[[], datetime] | None" = None,
          tell: bool = True) -> "Store":
    """The database of --db, EFFICACY_DB or the default, as `_open_path` opens it."""
    from efficacy_tui.store.paths import resolve_db_path

    return _open_path(resolve_db_path(ctx.obj.get("db")), clock, tell)


def _reachable(path: Path | str | None) -> None:
    """A file to write (an export, a backup) in a folder that cannot be entered is one sentence
    before anything is read."""
    if path is not None and str(path) != "-":
        target = Path(path).expanduser()
        if _exists(target) and target.is_dir() and not os.access(target, os.X_OK):
            from efficacy_tui.content import say

            raise Failure(say("faults.no_permission", path=target, folder=target))


def _exists(path: Path) -> bool:
    """Whether there is a file at `path`; one that cannot be reached is one sentence."""
    from efficacy_tui.store.core import StoreError, probe

    try:
        return probe(path) is not None
    except StoreError as err:
        raise Failure(str(err)) from None


def _run_app(ctx: click.Context, start: str = "home", db_path: Path | None = None) -> None:
    from efficacy_tui.launch import Refused, run_app
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db")) if db_path is None else db_path
    try:
        code = run_app(path, start=start, sync=db_path is None)  # a demo database never syncs
    except Refused as err:
        raise Failure(str(err)) from None
    if code:  # the app stopped on an error it has already shown
        ctx.exit(code)


def _open_path(path: Path, clock: "Callable[[], datetime] | None" = None,
               tell: bool = True) -> "Store":
    """The database, opened and checked; what opening it changed (a file made private) is said on
    stderr, or, without `tell`, left for the app to say."""
    from efficacy_tui.store.core import StoreError, open_store

    try:
        store = open_store(path, clock=clock)
    except StoreError as err:
        raise Failure(str(err)) from None
    if tell:
        for notice in store.notices:
            click.echo(_visible(notice), err=True)
    return store


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=True, path_type=Path),
    help="Database file to use (default: EFFICACY_DB, else your user data folder).",
)
@click.version_option(__version__, prog_name="efficacy")
@click.pass_context
def main(ctx: click.Context, db: Path | None) -> None:
    """A terminal coach that builds self-efficacy from your own mastery evidence."""
    os.umask(0o077)
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        _run_app(ctx)


def _opens_app(name: str, start: str, about: str) -> None:
    """Add the command `name`, which only opens the app on the screen `start`."""

    @main.command(name, help=about)
    @click.pass_context
    def command(ctx: click.Context) -> None:
        _run_app(ctx, start=start)


for _name, _start, _about in (
    ("checkin", "checkin", "Open the app on today's check-in."),
    ("ladder", "ladder", "Open the app on your mastery ladders."),
    ("reframe", "reframe", "Open the app on reframing a setback."),
    ("ready", "readiness", "Open the app on the readiness walkthrough before a performance."),
    ("review", "review", "Open the app on reviewing your mastery database."),
):
    _opens_app(_name, _start, _about)


def _log_rung(store, domain, named: str | None, title: str):
    """The rung a logged attempt was at: the one named with --rung (a StoreError naming the
    rungs there are if none has that title), else one whose title is the attempt's, else none."""
    from efficacy_tui.content import say
    from efficacy_tui.store.core import StoreError
    from efficacy_tui.store.domains import find_rung, list_rungs

    if named is None:
        return find_rung(store, domain.id, title)
    found = find_rung(store, domain.id, named)
    if found is None:
        titles = ", ".join(f"“{r.title}”" for r in list_rungs(store, domain.id))
        raise StoreError(say("ladder.log.unknown_rung", rung=named.strip(), domain=domain.name,
                                 rungs=titles or say("ladder.log.no_rungs")))
    return found


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Per domain: rungs mastered, the active rung and the coach's suggestion, the success rate
    and score of the last 10 attempts, the wins recorded apart, and calibration; overall
    calibration last."""
    import json

    from efficacy_tui.figures import stats as gather
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    if not _exists(path):
        raise Failure(f"There is no database at {path} yet; open efficacy once to start one.")
    store = _open(ctx)
    try:
        data = gather(store)
    except sqlite3.Error as err:
        from efficacy_tui.content import say
        from efficacy_tui.store.core import describe

        raise Failure(describe(err, path)
                      or say("faults.unreadable", path=path, reason=err)) from None
    finally:
        store.close()
    if fmt == "json":
        # JSON escapes C0 controls itself; DEL and the C1 ones (0x9b is CSI) are escaped too.
        click.echo(json.dumps(data, indent=2, ensure_ascii=False).translate(
            {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}))
        return
    from efficacy_tui.figures import as_text

    click.echo(_visible(as_text(data)))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
def domains(ctx: click.Context, fmt: str) -> None:
    """Your domains, each with its progress: rungs mastered of its rungs, and the active rung."""
    import json

    from efficacy_tui.content import say
    from efficacy_tui.store.domains import domain_lines
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    lines = []
    if _exists(path):
        store = _open(ctx)
        try:
            lines = domain_lines(store)
        finally:
            store.close()
    if fmt == "json":
        click.echo(json.dumps([
            {"name": line.domain.name, "rungs": line.total, "mastered": line.mastered,
             "active_rung": line.active_rung.title if line.active_rung else None}
            for line in lines
        ], indent=2, ensure_ascii=False).translate(
            {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}))
        return
    if not lines:
        click.echo(say("ladder.cli_domains.none"))
    for line in lines:
        active = (say("ladder.cli_domains.active", rung=line.active_rung.title)
                  if line.active_rung else say("ladder.cli_domains.no_active"))
        click.echo(_visible(say("ladder.cli_domains.line", name=line.domain.name,
                                mastered=line.mastered, rungs=line.total, active=active)))


@main.command()
@click.argument("domain")
@click.argument("title")
@click.option("--outcome", required=True, help="success, partial or setback.")
@click.option("--confidence", help="How certain you were that you could do it, 0-100; given "
              "now, after the outcome, it is kept but not used for calibration (use `efficacy "
              "plan` beforehand for that).")
@click.option("--when", "when_text", help='When it happened: "yesterday 5pm", "3 days ago", ISO.')
@click.option("--did", default="", help="What you did to make it happen.")
@click.option("--note", default="", help="Anything else worth keeping.")
@click.option("--rung", help="The rung of DOMAIN's ladder it was an attempt at (its title), so it "
              "counts in the coach's advice; a TITLE that is a rung's title counts as that rung.")
@click.option("--new", "new", is_flag=True, help="Start DOMAIN even though its name is close to "
              "one there is.")
@click.pass_context
def log(ctx, domain, title, outcome, confidence, when_text, did, note, rung, new) -> None:
    """Record an attempt in DOMAIN quickly, without opening the app; a DOMAIN there is not yet
    is started."""
    from efficacy_tui.coach import validate
    from efficacy_tui.content import say
    from efficacy_tui.store import attempts
    from efficacy_tui.store.core import StoreError, describe
    from efficacy_tui.store.ladder import get_archived

    try:
        outcome = validate.outcome(outcome)
        conf = validate.confidence(confidence) if confidence is not None else None
        title = validate.required_text(title, "The title")
        domain = validate.required_text(domain, "The domain", limit=validate.NAME_LIMIT)
    except validate.InvalidValue as err:
        raise Failure(str(err)) from None
    happened = None
    if when_text:  # dateutil, tens of milliseconds, only for a time given in words
        from efficacy_tui.when import WhenError, parse_when

        try:
            happened = parse_when(when_text)
        except WhenError as err:
            raise Failure(str(err)) from None
    store = _open(ctx)
    try:
        if happened is None:
            happened = store.now()
        elif happened > store.now():
            raise Failure(say("common.future_outcome", value=when_text))
        with store.transaction():
            found, started = _domain_or_new(store, domain, new)
            on = _log_rung(store, found, rung, title)
            archived = get_archived(store, found.id)
            attempt = attempts.add_attempt(
                store,
                domain_id=found.id,
                title=title,
                happened_at=happened.isoformat(),
                outcome=outcome,
                confidence=conf,
                what_i_did=did.strip(),
                note=note.strip(),
                source="log",
                rung_id=on.id if on else None,
            )
    except StoreError as err:
        raise Failure(str(err)) from None
    except sqlite3.Error as err:
        sentence = describe(err, store.path)
        raise Failure(sentence or say("common.write_failed", path=store.path, error=err)) from None
    finally:
        store.close()
    if started:
        click.echo(_visible(say("common.new_domain", name=found.name)))
    said = say("ladder.log.logged", outcome=attempt.outcome, domain=found.name, title=attempt.title)
    if on:
        said += say("ladder.log.logged_rung", rung=on.title)
    click.echo(_visible(said))
    if archived:
        click.echo(_visible(say("ladder.log.logged_archived", domain=found.name)))
    if attempt.recalled:
        click.echo(say("ladder.log.recalled", confidence=attempt.confidence))
    if attempt.outcome == "setback":
        click.echo(say("ladder.log.reframe_hint"))


def _domain_or_new(store: "Store", name: str, new: bool):
    """The domain named `name`, and whether it is started now: a new name is started unless it
    is close to one there is (then one sentence asks, and `new` starts it anyway). Run inside
    the transaction that writes the attempt, so a refused attempt starts no domain."""
    from efficacy_tui.content import say
    from efficacy_tui.store import domains

    found = domains.find_domain(store, name)
    if found is not None:
        return found, False
    if not new:
        near = domains.similar_domain(store, name)
        if near is not None:
            raise Failure(say("common.did_you_mean", known=near.name, name=name.strip()))
    return domains.get_or_create_domain(store, name), True


def _or_failure(store: "Store", step: "Callable[[], Any]") -> Any:
    """Run one store step of a quick-capture command, turning a refusal into its sentence."""
    from efficacy_tui.content import say
    from efficacy_tui.store.core import StoreError, describe

    try:
        return step()
    except StoreError as err:
        raise Failure(str(err)) from None
    except sqlite3.Error as err:
        sentence = describe(err, store.path)
        raise Failure(sentence or say("common.write_failed", path=store.path, error=err)) from None


@main.command()
@click.argument("domain")
@click.argument("title")
@click.option("--confidence", required=True,
              help="How certain you are, before trying, that you can do it: 0-100 in steps of 10.")
@click.option("--when", "when_text", help='When you will try: "now" (the default), "today 6pm", '
              '"friday 9am".')
@click.option("--rung", help="The rung of DOMAIN's ladder it is an attempt at (its title); a "
              "TITLE that is a rung's title counts as that rung.")
@click.option("--new", "new", is_flag=True, help="Start DOMAIN even though its name is close to "
              "one there is.")
@click.pass_context
def plan(ctx, domain, title, confidence, when_text, rung, new) -> None:
    """Plan an attempt in DOMAIN (started if there is none by that name), with your confidence
    given beforehand.

    The confidence is a prediction, which calibration compares with the outcome you record
    afterwards with `efficacy done`."""
    from efficacy_tui.coach import validate
    from efficacy_tui.coach.ladder import plan_time
    from efficacy_tui.content import say
    from efficacy_tui.store import attempts
    from efficacy_tui.store.ladder import get_archived
    from efficacy_tui.when import WhenError

    try:
        conf = validate.confidence(confidence)
        title = validate.required_text(title, "The title", limit=validate.TITLE_LIMIT)
        domain = validate.required_text(domain, "The domain", limit=validate.NAME_LIMIT)
    except validate.InvalidValue as err:
        raise Failure(str(err)) from None
    store = _open(ctx)
    try:
        now = store.now()
        try:
            when = plan_time(when_text, now) if when_text else now
        except WhenError as err:
            raise Failure(str(err)) from None
        if when < now.replace(second=0):
            raise Failure(say("ladder.cli_plan.past", value=" ".join(when_text.split())))

        def write():
            with store.transaction():
                found, started = _domain_or_new(store, domain, new)
                on = _log_rung(store, found, rung, title)
                return found, started, on, get_archived(store, found.id), attempts.add_attempt(
                    store, domain_id=found.id, title=title, happened_at=when.isoformat(),
                    outcome=None, confidence=conf, source="app", rung_id=on.id if on else None)

        found, started, on, archived, attempt = _or_failure(store, write)
    finally:
        store.close()
    if started:
        click.echo(_visible(say("common.new_domain", name=found.name)))
    said = say("ladder.cli_plan.planned", domain=found.name, title=attempt.title,
               when=attempt.happened_at[:16].replace("T", " "), confidence=conf)
    if on:
        said += say("ladder.log.logged_rung", rung=on.title)
    click.echo(_visible(said))
    if archived:
        click.echo(_visible(say("ladder.log.logged_archived", domain=found.name)))
    click.echo(_visible(say("ladder.cli_plan.done_hint", title=attempt.title)))


def _chosen_plan(matches: "list[PlannedAttempt]", attempt_id: int | None,
                 title: str) -> "PlannedAttempt":
    """The planned attempt `efficacy done` records: the only match, or the one --id names."""
    from efficacy_tui.content import say

    if not matches:
        raise Failure(say("ladder.cli_done.none", title=title))
    if attempt_id is not None:
        chosen = next((p for p in matches if p.attempt.id == attempt_id), None)
        if chosen is None:
            ids = ", ".join(str(p.attempt.id) for p in matches)
            raise Failure(say("ladder.cli_done.not_matching", id=attempt_id, title=title,
                              ids=ids))
        return chosen
    if len(matches) > 1:
        lines = [say("ladder.cli_done.several", count=len(matches), title=title)]
        lines += [
            say("ladder.cli_done.choice", id=p.attempt.id, domain=p.domain_name,
                when=p.attempt.happened_at[:16].replace("T", " "), title=p.attempt.title,
                confidence=p.attempt.confidence)
            for p in matches
        ]
        raise Failure("\n".join(lines))
    return matches[0]


@main.command()
@click.argument("title")
@click.option("--outcome", required=True, help="success, partial or setback.")
@click.option("--effort", help="How hard it felt, 1 (hardly) to 5 (all you had).")
@click.option("--did", default="", help="What you did to make it happen.")
@click.option("--note", default="", help="Anything else worth keeping.")
@click.option("--when", "when_text", help='When it happened, if not at the planned time or now: '
              '"today 5pm", "1 hour ago".')
@click.option("--id", "attempt_id", type=int, help="Which planned attempt, when several match "
              "TITLE (the number `efficacy done` lists).")
@click.pass_context
def done(ctx, title, outcome, effort, did, note, when_text, attempt_id) -> None:
    """Record the outcome of the planned attempt titled TITLE."""
    from datetime import datetime

    from efficacy_tui.coach import validate
    from efficacy_tui.content import say
    from efficacy_tui.store import attempts
    from efficacy_tui.store.paths import resolve_db_path
    from efficacy_tui.when import WhenError, parse_when

    try:
        outcome = validate.outcome(outcome)
        effort_value = validate.effort(effort) if effort is not None else None
        title = validate.required_text(title, "The title")
    except validate.InvalidValue as err:
        raise Failure(str(err)) from None
    shown = " ".join(title.split())
    path = resolve_db_path(ctx.obj.get("db"))
    if not path.exists():
        raise Failure(say("ladder.cli_done.none", title=shown))
    store = _open(ctx)
    try:
        now = store.now()
        try:
            happened = parse_when(when_text, now=now) if when_text else None
        except WhenError as err:
            raise Failure(str(err)) from None
        if happened is not None and happened > now:
            raise Failure(say("common.future_outcome", value=" ".join(when_text.split())))
        chosen = _chosen_plan(attempts.planned_titled(store, title), attempt_id, shown)
        planned = chosen.attempt.created_at
        if happened is not None and planned and happened < datetime.fromisoformat(
                planned).replace(second=0):
            raise Failure(say("ladder.cli_done.before_plan", value=" ".join(when_text.split()),
                              planned=planned[:16].replace("T", " ")))
        attempt = _or_failure(store, lambda: attempts.record_outcome(
            store, chosen.attempt.id, outcome=outcome, effort=effort_value, what_i_did=did,
            note=note, happened_at=happened.isoformat() if happened else None,
        ))
    finally:
        store.close()
    click.echo(_visible(say("ladder.cli_done.recorded", outcome=attempt.outcome,
                            title=attempt.title, domain=chosen.domain_name,
                            confidence=attempt.confidence)))
    if attempt.outcome == "setback":
        click.echo(say("ladder.log.reframe_hint"))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "md"]), default="json",
              show_default=True, help="JSON (everything), a zip of CSV files, or a Markdown "
              "mastery record to read.")
@click.option("-o", "--output", help="File or folder to write (default: "
              "efficacy-export-DATE.EXT here); - writes JSON or Markdown to standard output.")
@click.option("--force", is_flag=True, help="Replace an existing file that is not an earlier "
              "export of this format (never the database or its backups).")
@click.option("--encrypt", is_flag=True, help="Encrypt the file with a passphrase in the age "
              "format (EFFICACY_PASSPHRASE_FILE, else asked for); `age --decrypt` reads it.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None, force: bool, encrypt: bool) -> None:
    """Export the whole database in an open format."""
    from efficacy_tui.cli_progress import progress_bar
    from efficacy_tui.content import say
    from efficacy_tui.store.export import ExchangeError, write_export, write_stream
    from efficacy_tui.store.paths import resolve_db_path

    if output == "-" and fmt == "csv":
        raise click.UsageError(say("export.csv_to_stdout"))
    if output == "-" and encrypt:
        raise click.UsageError(say("sync.encrypt_to_stdout"))
    _reachable(output)
    path = resolve_db_path(ctx.obj.get("db"))
    if not _exists(path):
        raise Failure(say("export.no_database", path=path))
    store = _open(ctx)
    try:
        if output == "-":
            sys.stdout.flush()
            try:
                write_stream(store, fmt, sys.stdout.buffer)
            except BrokenPipeError:  # `efficacy export -o - | head` stopped reading
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        passphrase = _passphrase(None, True, new=True) if encrypt else None
        with progress_bar() as progress:
            written = write_export(store, fmt, output, force, progress, passphrase)
    except ExchangeError as err:
        raise Failure(str(err)) from None
    finally:
        store.close()
    click.echo(say("export.exported", path=written))


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """Merge an export (JSON or CSV zip) into the database; rows already here are skipped."""
    from efficacy_tui.cli_progress import progress_bar
    from efficacy_tui.content import say
    from efficacy_tui.store.export import ExchangeError
    from efficacy_tui.store.importer import import_file
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    passphrase = _passphrase(None, True) if _sealed_file(file) else None
    created = _missing_parts(path)
    store = _open(ctx)
    try:
        with progress_bar() as progress:
            result = import_file(store, file, progress, passphrase)
    except (ExchangeError, sqlite3.Error) as err:
        store.close()
        _remove_created(created)
        if isinstance(err, ExchangeError):
            raise Failure(str(err)) from None
        raise Failure(say("common.write_failed", path=path, error=err)) from None
    store.close()
    for line in result.lines():
        click.echo(_visible(line))


def _sealed_file(path: Path) -> bool:
    """Whether a regular file at `path` starts as an age-encrypted file does."""
    import stat

    from efficacy_tui.sealed import MAGIC, is_sealed

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with open(path, "rb") as handle:
            return is_sealed(handle.read(len(MAGIC)))
    except OSError:
        return False


def _missing_parts(path: Path) -> list[Path]:
    """The database file and the folders above it that do not exist yet, deepest first."""
    missing = []
    current = path
    while not _exists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    return missing


def _remove_created(missing: list[Path]) -> None:
    """Undo creating a database that a refused import was meant to fill."""
    if not missing:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{missing[0]}{suffix}").unlink(missing_ok=True)
    for folder in missing[1:]:
        try:
            folder.rmdir()
        except OSError:
            break


@main.command()
@click.argument("dest", required=False)
@click.option("--encrypt", is_flag=True, help="Encrypt the copy with a passphrase in the age "
              "format (EFFICACY_PASSPHRASE_FILE, else asked for); `age --decrypt` reads it.")
@click.pass_context
def backup(ctx: click.Context, dest: str | None, encrypt: bool) -> None:
    """Copy the database with SQLite's backup API to DEST, a file or a folder (default: a
    timestamped file in the backups folder beside the database), and check the copy."""
    from efficacy_tui.cli_progress import progress_bar
    from efficacy_tui.content import say
    from efficacy_tui.store.backup import BackupError, backup_to
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    if not _exists(path):
        raise Failure(say("faults.no_database", path=path))
    _reachable(dest)
    passphrase = _passphrase(None, True, new=True) if encrypt else None
    store = _open(ctx)
    try:
        with progress_bar() as progress:
            written = backup_to(store, dest, progress=progress, passphrase=passphrase)
    except BackupError as err:
        raise Failure(str(err)) from None
    finally:
        store.close()
    click.echo(say("faults.backed_up", path=path, dest=written))


def _passphrase(folder: Path | None, ask: bool, new: bool = False) -> str | None:
    """The passphrase: from EFFICACY_PASSPHRASE_FILE, else asked for on the terminal (hidden;
    twice for a `new` one, which nothing can check yet) when `ask` or when `folder` is an
    encrypted sync folder; None for no encryption."""
    from efficacy_tui.content import say
    from efficacy_tui.sealed import SealError, passphrase_from_file
    from efficacy_tui.sync_folder import kind

    try:
        given = passphrase_from_file()
    except SealError as err:
        raise Failure(str(err)) from None
    if given is not None:
        return given
    sealed = folder is not None and kind(folder.expanduser()) == "sealed"
    if ask or sealed:
        return click.prompt(say("sync.passphrase_prompt"), hide_input=True, err=True,
                            confirmation_prompt=new and not sealed)
    return None


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--status", is_flag=True, help="Say when each device last synced and what is "
              "waiting, without syncing.")
@click.option("--encrypt", is_flag=True, help="Encrypt a new sync folder with a passphrase "
              "(EFFICACY_PASSPHRASE_FILE, else asked for); an encrypted folder always is.")
@click.pass_context
def sync(ctx: click.Context, folder: Path | None, status: bool, encrypt: bool) -> None:
    """Sync through FOLDER, a folder a sync service keeps the same on each computer (remembered
    after the first use). The database itself never goes there."""
    from efficacy_tui.content import say
    from efficacy_tui.sealed import SealError
    from efficacy_tui.store.core import StoreError, describe
    from efficacy_tui.sync import status_lines, sync_now
    from efficacy_tui.sync_config import remember, sync_folder
    from efficacy_tui.sync_folder import FolderError

    chosen = folder.expanduser().absolute() if folder is not None else sync_folder()
    store = _open(ctx)
    try:
        if status:
            for line in status_lines(store, chosen):
                click.echo(_visible(line))
            return
        if chosen is None:
            raise Failure(say("sync.no_folder"))
        passphrase = _passphrase(chosen, encrypt, new=True)
        try:
            report = sync_now(store, chosen, passphrase)
        except (FolderError, SealError, StoreError) as err:
            raise Failure(str(err)) from None
        except sqlite3.Error as err:
            raise Failure(describe(err, store.path)
                          or say("common.write_failed", path=store.path, error=err)) from None
    finally:
        store.close()
    if folder is not None:
        try:
            remember(chosen)
        except OSError as err:
            click.echo(say("sync.cannot_remember", error=(err.strerror or str(err)).lower()),
                       err=True)
    for line in report.lines():
        click.echo(_visible(line))


@main.command()
@click.option("--db", "demo_db", type=click.Path(path_type=Path), help="Where to write the demo.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3650))
@click.option("--attempts", "n_attempts", type=click.IntRange(0, 5_000_000),
              help="How many attempts (default: about three a day).")
@click.option("--seed", default=7, show_default=True, help="Random seed, for repeatable data.")
@click.option("--no-open", is_flag=True, help="Write the database and exit.")
@click.pass_context
def demo(ctx, demo_db, days, n_attempts, seed, no_open) -> None:
    """Write a realistic demo database (never into one that has data) and open it.

    With no --db it goes into a new private temporary folder: your own database (EFFICACY_DB or
    your user data folder) is never read or written."""
    from efficacy_tui.cli_progress import progress_bar
    from efficacy_tui.content import say
    from efficacy_tui.launch import has_terminal
    from efficacy_tui.store.demo import build_demo, has_user_data

    if not no_open and not has_terminal():
        raise Failure(say("demo.no_terminal"))
    path = demo_db or ctx.obj.get("db")
    fresh = path is None
    if fresh:
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="efficacy-demo-")) / "demo.db"
    store = _open_path(Path(path))
    try:
        if has_user_data(store):
            raise Failure(say("demo.not_empty", path=path))
        with progress_bar() as progress:
            summary = build_demo(store, days=days, attempts=n_attempts, seed=seed,
                                 progress=progress)
    finally:
        store.close()
    if fresh:
        click.echo(say("palette.demo_written", path=path, summary=summary))
    else:
        click.echo(f"Demo database written to {path} ({summary}).")
    if not no_open:
        _run_app(ctx, db_path=Path(path))


@main.command()
@click.option("--yes", "-y", is_flag=True, help="Repair and remove without asking.")
@click.pass_context
def doctor(ctx: click.Context, yes: bool) -> None:
    """List the rows whose date or time is impossible (a file edited by hand, an older version),
    then, after a backup copy, repair those that can be repaired and remove the rest."""
    from efficacy_tui.content import say
    from efficacy_tui.store.backup import BackupError, backup_to
    from efficacy_tui.store.core import describe
    from efficacy_tui.store.doctor import mend, removed_rows, unreadable_rows
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    if not _exists(path):
        raise Failure(say("faults.no_database", path=path))
    store = _open(ctx)
    try:
        found = unreadable_rows(store)
        if not found:
            click.echo(_visible(say("doctor.healthy", path=path)))
            return
        click.echo(_visible(say("doctor.found", count=len(found), path=path)))
        for bad in found:
            click.echo(_visible(say(
                "doctor.remove_line" if bad.repair is None else "doctor.repair_line",
                table=bad.table, uid=bad.uid, column=bad.column, raw=str(bad.raw)[:60],
                value=bad.repair)))
        counts = {"repaired": sum(b.repair is not None for b in found),
                  "removed": len(removed_rows(found))}
        if not yes and not click.confirm(say("doctor.question", **counts), default=False):
            click.echo(say("doctor.declined"))
            return
        copy = backup_to(store)
        repaired, removed = mend(store, found)
    except BackupError as err:
        raise Failure(str(err)) from None
    except sqlite3.Error as err:
        raise Failure(describe(err, path)
                      or say("common.write_failed", path=path, error=err)) from None
    finally:
        store.close()
    click.echo(say("doctor.done", backup=copy, repaired=repaired, removed=removed))


@main.command()
@click.option("--notify", is_flag=True, help="Also show the line as a desktop notification "
              "(notify-send on Linux, osascript on macOS), for a crontab or systemd timer.")
@click.option("--only", type=click.Choice(["checkin", "performance"]),
              help="Mention only the check-in, or only a performance.")
@click.pass_context
def nudge(ctx: click.Context, notify: bool, only: str | None) -> None:
    """One line when today's check-in is not done or a performance is within 24 hours, and
    nothing otherwise: for a shell prompt. Never creates or changes the database."""
    from efficacy_tui.coach.nudge import nudge_line
    from efficacy_tui.content import say
    from efficacy_tui.store.core import StoreError, check_path, connect, probe, system_now
    from efficacy_tui.store.nudge import nudge_facts
    from efficacy_tui.store.paths import resolve_db_path

    path = resolve_db_path(ctx.obj.get("db"))
    now = system_now()
    try:
        if probe(path) is None:
            return
        check_path(path, write=False)
        conn = connect(path, "ro")
        try:
            line = nudge_line(*nudge_facts(conn, now), now, only)
        finally:
            conn.close()
    except StoreError as err:
        raise Failure(str(err)) from None
    except sqlite3.Error as err:
        raise Failure(say("nudge.unreadable", path=path, error=err)) from None
    if line:
        click.echo(_visible(line))
        if notify:
            _notify(_visible(line))


def _notify(line: str) -> None:
    """Show `line` as a desktop notification through the first notifier on PATH (osascript
    first on macOS), or say in one sentence that there is none."""
    import shutil
    import subprocess

    from efficacy_tui.content import say

    order = ["osascript", "notify-send"] if sys.platform == "darwin" else ["notify-send",
                                                                           "osascript"]
    found = next(((name, path) for name in order if (path := shutil.which(name))), None)
    if found is None:
        raise Failure(say("nudge.no_notifier"))
    name, program = found
    if name == "notify-send":
        command = [program, "--app-name=efficacy", "efficacy", line]
    else:  # the line goes in as an argument, never inside the script's own text
        command = [program, "-e", "on run argv", "-e",
                   'display notification (item 1 of argv) with title "efficacy"', "-e",
                   "end run", line]
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        raise Failure(say("nudge.notify_failed", program=name, error=err)) from None
    if done.returncode:
        reason = " ".join(done.stderr.split()) or f"exit status {done.returncode}"
        raise Failure(say("nudge.notify_failed", program=name, error=reason))


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="A loopback address: the page is for this machine only.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str) -> None:
    """Open the app in a web browser on this machine, through textual-serve (the `serve` extra)."""
    from efficacy_tui.content import say
    from efficacy_tui.store.paths import resolve_db_path

    try:
        from efficacy_tui import serve as served
    except ImportError:
        raise Failure(say("serve.missing")) from None
    if not served.is_loopback(host):
        raise click.UsageError(say("serve.not_local", host=host))
    path = resolve_db_path(ctx.obj.get("db")).resolve()
    _open_path(path).close()  # create or migrate now, so a bad file fails here, not in the page
    try:
        served.serve(path, host, port)
    except OSError as err:
        raise Failure(say("serve.cannot_listen", host=host, port=port, error=err)) from None


@main.command()
def keys() -> None:
    """Where the config file is, and every key: its binding id, what it does, and the key it has
    now. Change one with a line `binding.id = "key"` under [keymap] in that file."""
    from efficacy_tui.content import say
    from efficacy_tui.keymap import config_path
    from efficacy_tui.ui.bindings import current_keys, keyed, user_keymap

    path = config_path()
    keymap = user_keymap(limit=None)
    click.echo(say("keymap.listing.path", path=_visible(str(path))) +
               ("" if path.exists() else " " + say("keymap.listing.missing")))
    for k in keyed():
        click.echo(f"\n{k.title}")
        for binding in k.bindings:
            mark = "  " + say("keymap.listing.remapped") if binding.id in keymap.keys else ""
            key = current_keys(binding, keymap.keys)
            what = binding.tooltip or binding.description
            click.echo(f"  {binding.id:<24} {key:<20} {what}{mark}")
    for problem in keymap.problems:
        click.echo(_visible(problem), err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
