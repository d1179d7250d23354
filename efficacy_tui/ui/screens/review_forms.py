"""The review screen's modals: editing a record (its words; an attempt's outcome, rung, effort and
confidence too), and choosing an export format.

Both return plain values; the review screen's write saves an edit before the form closes, and it
does the exporting."""

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, RadioSet, Select, Static
from textual.widgets.option_list import Option

from efficacy_tui import stamps
from efficacy_tui.coach import validate
from efficacy_tui.coach.ratings import scale
from efficacy_tui.content import say
from efficacy_tui.store.domains import get_rung, list_rungs
from efficacy_tui.store.review import EDITABLE, TIMES, RecordDetail
from efficacy_tui.ui.app import AppModalScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.review import when_text
from efficacy_tui.ui.widgets.choice import Choice
from efficacy_tui.ui.widgets.form import labelled
from efficacy_tui.ui.widgets.rating import Rating
from efficacy_tui.when import WhenError, parse_when

OUTCOMES = ("success", "partial", "setback")
FORMATS = ("json", "csv", "md")
# Fields that may not be left empty, by kind, with the longest text each column takes (None: no
# limit); if-then pairs are checked as pairs.
REQUIRED: dict[str, dict[str, int | None]] = {
    "attempt": {"title": None}, "win": {"title": None},
    "readiness": {"title": validate.TITLE_LIMIT}, "performance": {"title": validate.TITLE_LIMIT},
    "reframe": {"what_happened": None, "if_situation": None, "then_action": None},
    "model": {"who": validate.NAME_LIMIT, "what_they_did": None},
    "feedback": {"who": validate.NAME_LIMIT, "what_they_said": None},
    "request": {"whom": validate.NAME_LIMIT, "question": validate.TITLE_LIMIT},
    "scale_item": {"text": validate.TITLE_LIMIT},
}
OPTIONAL_PAIR = ("checkin", "readiness")
RATED = ("effort", "confidence")


class RecordForm(FormScreen[dict]):
    """The editable fields of one record, prefilled: its words, and an attempt's outcome, rung,
    effort and confidence."""

    def __init__(self, record: RecordDetail) -> None:
        super().__init__()
        self.record = record
        self.form_title = say("review.edit")[f"title_{record.kind}"]

    def fields(self) -> ComposeResult:
        words, values = say("review.edit"), self.record.values
        outcomes = say("review.outcomes")
        for name in EDITABLE[self.record.kind]:
            if name == "outcome":
                current = values.get("outcome")
                yield from labelled(words["outcome"], RadioSet(
                    *(Choice(outcomes[o], value=o == current, id=f"outcome-{o}")
                      for o in OUTCOMES),
                    id="outcome",
                ), words["planned_hint"] if current is None else "")
            elif name in TIMES:
                yield from labelled(words[name], Input(when_text(values.get(name)), id=name),
                                    words[f"{name}_hint"])
            elif name == "rung_id":
                yield from labelled(words[name], Select(
                    self._rungs(), value=values.get(name) or Select.NULL, allow_blank=True,
                    prompt=words["no_rung"], id=name, compact=True))
            elif name in RATED:
                yield from labelled(words[name], Rating(scale(name), values.get(name), id=name,
                                                        exact=True),
                                    words.get(f"{name}_hint", ""))
            else:
                yield from labelled(words[name], Input(values.get(name) or "", id=name))

    def _rungs(self) -> list[tuple[Content, int]]:
        """The rungs of the attempt's domain, and the one it is on even if since deleted."""
        domain_id, current = self.record.values.get("domain_id"), self.record.values.get("rung_id")
        store = self.app.store
        rungs = list_rungs(store, domain_id) if domain_id is not None else []
        if current is not None and all(r.id != current for r in rungs):
            rung = get_rung(store, current)
            rungs += [rung] if rung is not None else []
        return [(Content(r.title), r.id) for r in rungs]

    def submit(self) -> dict:
        kind, words = self.record.kind, say("review.edit")
        required = REQUIRED.get(kind, {})
        result: dict[str, Any] = {}
        for name in EDITABLE[kind]:
            if name == "outcome":
                pressed = self.query_one("#outcome", RadioSet).pressed_button
                if pressed is not None:
                    result["outcome"] = (pressed.id or "").removeprefix("outcome-")
                continue
            if name in TIMES:
                result[name] = self._read_time(name)
                continue
            raw = self.value(name)
            if name == "rung_id":
                result[name] = None if raw is Select.NULL else raw
            elif name in RATED:
                result[name] = raw
            elif name in required:
                result[name] = validate.required_text(raw, words[name], name, required[name])
            else:
                result[name] = raw.strip()
        if kind in OPTIONAL_PAIR and bool(result["if_situation"]) != bool(result["then_action"]):
            missing = "then_action" if result["if_situation"] else "if_situation"
            raise validate.InvalidValue(say("common.if_then_pair"), missing)
        outcome = result.get("outcome") or self.record.values.get("outcome")
        if outcome and "happened_at" in result:
            self._check_has_happened(result["happened_at"])
        return result

    def _read_time(self, name: str) -> str:
        """The typed time as a stored stamp; the shown minute unchanged keeps the stored one."""
        raw, stored = self.value(name), self.record.values.get(name) or ""
        if raw.strip() == when_text(stored) and stamps.moment(stored) is not None:
            return stored
        try:
            moment = parse_when(raw, now=self.app.store.now(), ahead=name == "scheduled_for")
        except WhenError as err:
            raise validate.InvalidValue(str(err), name) from None
        return moment.replace(microsecond=0).isoformat()

    def _check_has_happened(self, stamp: str) -> None:
        """An outcome belongs to something that has happened: a planned attempt still ahead keeps
        none, as the ladder's outcome form and `efficacy log` also insist."""
        if datetime.fromisoformat(stamp) > self.app.store.now():
            field = "outcome" if stamp == self.record.values.get("happened_at") else "happened_at"
            raise validate.InvalidValue(say("common.future_outcome", value=when_text(stamp)), field)


class ExportScreen(AppModalScreen[str | None]):
    """Which format to export in: a key per format, or enter on a highlighted line. Centred over
    the review screen, like every other form and question."""

    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    """

    BINDINGS = [
        Binding("j", "choose('json')", "JSON", id="export.json", tooltip="Export as JSON"),
        Binding("c", "choose('csv')", "CSV", id="export.csv",
                tooltip="Export as CSV files in a zip"),
        Binding("m", "choose('md')", "Markdown", id="export.md",
                tooltip="Export a readable Markdown mastery record"),
        Binding("escape", "choose(None)", "Cancel", id="export.cancel", tooltip="Do not export"),
    ]

    def compose(self) -> ComposeResult:
        text = say("review")
        with VerticalScroll(classes="form-box confirm") as box:
            box.border_title = text["export_title"]
            yield Static(Content(text["export_question"]))
            yield OptionList(
                *(Option(Content(text["formats"][f]), id=f) for f in FORMATS), id="formats"
            )
            yield Static(Content(hint(self, text["export_keys"])), classes="hint form-keys")

    def on_mount(self) -> None:
        formats = self.query_one("#formats", OptionList)
        formats.highlighted = 0
        formats.focus()

    @on(OptionList.OptionSelected, "#formats")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self, fmt: str | None) -> None:
        self.dismiss(fmt)
