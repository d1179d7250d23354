"""Importing an export from inside the app: a path field that completes folders and files, the
import run in a worker on a connection of its own, and the summary `efficacy import` prints.

The file is read by the same importer as the command line, with the same checks, so a file that
is not a valid export gets the same one sentence and nothing is written."""

import os
import sqlite3
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.export import ExchangeError
from efficacy_tui.store.importer import ImportResult, import_in_worker
from efficacy_tui.ui.app import AppModalScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.widgets.form import labelled
from efficacy_tui.ui.widgets.path_suggester import PathSuggester


def import_path(raw: str) -> Path:
    """The typed path as a local file path, "~" expanded; InvalidValue for an empty one or an
    address that is not on this computer."""
    words = say("export.app")
    text = raw.strip()
    if not text:
        raise InvalidValue(words["path_needed"], "import-path")
    if "://" in text or "\0" in text:
        raise InvalidValue(words["not_local"].format(path=text), "import-path")
    return Path(os.path.expanduser(text))


class ImportScreen(AppModalScreen[ImportResult | None]):
    """The import form: enter imports the file named, escape closes (with the result, if any)."""

    DEFAULT_CSS = """
    ImportScreen {
        align: center middle;
    }
    ImportScreen #import-summary {
        margin: 1 0 0 0;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="import.close",
                tooltip="Close the import form"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: ImportResult | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        words = say("export.app")
        with VerticalScroll(classes="form-box") as box:
            box.border_title = Content(words["title"])
            yield Static(id="error", classes="error")
            yield from labelled(words["label"], Input(
                placeholder=words["placeholder"], suggester=PathSuggester(), id="import-path"),
                words["hint"])
            yield Static(id="import-summary")
            yield Static(Content(hint(self, words["keys"])), classes="hint form-keys")

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query_one("#import-summary").display = False
        self.query_one("#import-path", Input).focus()

    def _say(self, selector: str, text: str) -> None:
        shown = self.query_one(selector, Static)
        shown.update(Content(text))
        shown.display = bool(text)

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        try:
            path = import_path(event.value)
        except InvalidValue as err:
            self._say("#error", str(err))
            return
        self.busy = True
        self._say("#error", "")
        self._say("#import-summary", say("export.app.importing", path=path))
        self._import(path)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, path: Path) -> None:
        store = self.app.store
        try:
            result = import_in_worker(store, path)
        except (ExchangeError, StoreError) as err:
            self.app.call_from_thread(self._failed, str(err))
        except (sqlite3.Error, OSError) as err:
            self.app.call_from_thread(
                self._failed, say("common.write_failed", path=store.path, error=err))
        else:
            self.app.call_from_thread(self._done, result)

    def _failed(self, sentence: str) -> None:
        self.busy = False
        self._say("#import-summary", "")
        self._say("#error", sentence)
        self.query_one("#import-path", Input).focus()

    def _done(self, result: ImportResult) -> None:
        self.busy = False
        self.result = result
        self._say("#import-summary", "\n".join(result.lines()))

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.result)
