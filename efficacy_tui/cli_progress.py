"""The progress bar long commands (import, export, backup, demo) draw on standard error.

Only on a terminal: elsewhere the command prints just its closing line, as a script expects.
Rich is imported only then, so a command run from a script or a pipe starts no faster or slower
for it. The store's work reports (phase, done, total) through a plain callback; this module
turns those reports into the bar, which is cleared when the work ends.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from efficacy_tui.content import say
from efficacy_tui.store.core import Progress

if TYPE_CHECKING:
    from rich.progress import TaskID


def _label(phase: str) -> str:
    labels = {
        "checking": say("common.progress.checking"),
        "importing": say("common.progress.importing"),
        "exporting": say("common.progress.exporting"),
        "copying": say("common.progress.copying"),
        "writing": say("common.progress.writing"),
    }
    return labels.get(phase, phase)


@contextmanager
def progress_bar() -> Iterator[Progress | None]:
    """A callback that draws the bar when standard error is a terminal, else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeRemainingColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(_label(phase), total=total or None)
            bar.update(tasks[phase], completed=done, total=total or None)

        yield report
