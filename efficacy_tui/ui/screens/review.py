"""The review screen: every record searchable and filterable a page at a time (Records), with the
Trends and Calibration tabs mounted only when first opened, so Records paints fast.

Searching and filtering run on the UI thread: each change is one paged query along an index plus
a bounded count, a few milliseconds even over 100,000 attempts (bench/run.py measures it), so
nothing waits on a timer; a keystroke that a newer one has replaced before it was applied is
skipped. Export writes through its own connection in a worker thread.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
)
from textual.widgets._footer import FooterKey
from textual.widgets._select import NonSelectableStatic
from textual.widgets._tabbed_content import ContentTab, ContentTabs
from textual.widgets._tabs import Underline

from efficacy_tui import stamps
from efficacy_tui.content import say
from efficacy_tui.store import review
from efficacy_tui.store.domains import list_domains
from efficacy_tui.store.review import RecordDetail, ReviewFilter, ReviewRow
from efficacy_tui.ui.app import KEEP_CLEAR, AppScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import open_form
from efficacy_tui.ui.widgets.field_input import FieldInput
from efficacy_tui.ui.widgets.filter_select import FilterCurrent, FilterSelect
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.records_table import RecordsTable
from efficacy_tui.when import WhenError, day_label, last_day, parse_range

PAGE = 100
LAZY_TABS = {
    "trends": ("efficacy_tui.ui.widgets.trends", "TrendsPane"),
    "calibration": ("efficacy_tui.ui.widgets.calibration_chart", "CalibrationPane"),
}
RECORDS_ONLY = {"edit", "delete", "undo", "page", "search", "focus_table"}


def when_text(at: str | None) -> str:
    """A stored stamp as local "YYYY-MM-DD HH:MM", the form the When column sorts by; one that
    names no real moment as it is, marked unreadable."""
    if at and stamps.moment(at) is None:
        return stamps.unreadable(at)
    return (at or "")[:16].replace("T", " ")


def record_text(row: ReviewRow, text: dict[str, Any]) -> str:
    """A row's own words for the Record column, on one line."""
    if row.kind == "checkin":
        words = (text["rows"]["checkin_plan"].format(situation=row.title, action=row.detail)
                 if row.title else text["rows"]["checkin_no_plan"])
    elif row.kind in ("model", "feedback"):
        words = text["rows"][row.kind].format(who=row.title, what=row.detail)
    elif row.kind == "request":
        words = text["rows"]["request"].format(whom=row.title, what=row.detail)
    else:
        words = row.title
    if row.at and stamps.moment(row.at) is None:
        words = text["rows"]["unreadable"] + words
    return " ".join(words.split())


def outcome_text(kind: str, outcome: str | None, text: dict[str, Any]) -> str:
    if outcome:
        return text["outcomes"][outcome]
    return text["outcomes"]["planned"] if kind in ("attempt", "win") else ""


def confidence_text(confidence: int | None, recalled: bool, text: dict[str, Any]) -> str:
    """A confidence for the Conf. column; one recalled after the outcome is marked as such."""
    if confidence is None:
        return ""
    return text["recalled_confidence"].format(confidence=confidence) if recalled else str(
        confidence)


BEFORE_AFTER = ("readiness", "anxiety", "confidence")  # a walkthrough's ratings, as pairs


def _field_value(record: RecordDetail, field: str, text: dict[str, Any]) -> Any:
    """What the detail pane shows for one field of a record: None or "" leaves it out."""
    values = record.values
    if record.kind == "readiness" and field in BEFORE_AFTER:
        before, after = values.get(f"{field}_before"), values.get(f"{field}_after")
        if before is None and after is None:
            return None
        return text["before_after"].format(before="–" if before is None else before,
                                           after="–" if after is None else after)
    value = values.get(field)
    if value is None or value == "":
        return None
    if field == "said_aloud":
        return text["yes" if value else "no"]
    if field == "breathing":
        return text["breathing"].format(
            pattern=say(f"readiness.pacer.patterns.{value}.name"),
            seconds=values.get("breathing_seconds") or 0)
    if field == "outcome":
        return text["outcomes"][value]
    if field.endswith(("_for", "_at")):
        return when_text(value)
    if field == "attempt_title" and values.get("attempt_deleted"):
        return f"{value}  {text['deleted_mark']}"
    return value


def detail_content(record: RecordDetail, text: dict[str, Any], keys: str = "") -> Content:
    """Every non-empty field of a record with its label, the user's words as plain content, and
    under them the line of `keys`, if any."""
    head: list[str | tuple[str, str]] = [(text["kinds"][record.kind], "bold"), "  ",
                                         when_text(record.at)]
    if record.domain:
        head += ["  ", (record.domain, "bold")]
    if record.deleted:
        head += ["  ", (text["deleted_mark"], "italic")]
    lines = [Content.assemble(*head)]
    for field, label in text["detail"][record.kind].items():
        value = _field_value(record, field, text)
        if value is None or value == "":
            continue
        if field == "confidence" and record.values.get("confidence_timing") == "recalled":
            label = text["confidence_recalled"]
        lines.append(Content.assemble((f"{label}: ", "bold"), str(value)))
    if record.kind == "performance":
        lines.append(Content.styled(text["not_walked"], "italic"))
    if keys:
        lines.append(Content.styled(keys, "dim italic"))
    return Content("\n").join(lines)


def repaint(box: Static, content: Content) -> None:
    """Show `content` in `box`, laying the screen out again only if that changes the box's
    height at its width now: a layout is most of what painting a keystroke's change costs."""
    width, rules = box.content_size.width, cast(Any, box.styles)  # read as Textual reads them
    same = width > 0 and (content.get_height(rules, width)
                          == box.visual.get_height(rules, width))
    box.update(content, layout=not same)


@dataclass
class Exported(Message):
    """The export worker's result: where the file went, or the sentence saying why it did not."""

    path: Path | None
    error: str = ""


class ReviewScreen(AppScreen[None]):
    """The mastery database: search as you type, filters, a detail pane, edit, delete with undo
    and export; trends and calibration in their own tabs."""

    CSS_PATH = "../styles/review.tcss"
    WARM_WIDGETS = (FieldInput, FilterSelect, FilterCurrent, NonSelectableStatic, RecordsTable,
                    TabbedContent, TabPane, ContentTabs, ContentTab, Underline, ContentSwitcher,
                    Container, Horizontal, FooterKey)
    AUTO_FOCUS = "#records-table"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (35, "-tall")]
    BINDINGS = [
        Binding("escape", "back", "Home", id="review.home",
                tooltip="Back to home; from the search or a filter, back to the records first"),
        Binding("slash", "search", "Search", key_display="/", id="review.search",
                tooltip="Search your words as you type"),
        Binding("e", "edit", "Edit", id="review.edit", tooltip="Edit the highlighted record"),
        Binding("d", "delete", "Delete", id="review.delete",
                tooltip="Delete the highlighted record (u undoes)"),
        Binding("u", "undo", "Undo", id="review.undo",
                tooltip="Take back the last delete or edit"),
        Binding("x", "export", "Export", id="review.export",
                tooltip="Export everything as JSON, CSV or Markdown"),
        Binding("n", "page(1)", "Next page", show=False, id="review.next",
                tooltip="Show the next page of records"),
        Binding("b", "page(-1)", "Previous page", show=False, id="review.back",
                tooltip="Show the previous page of records"),
        Binding("down", "focus_table", "Results", show=False, id="review.results",
                tooltip="From the search or the dates, move to the records (enter too)"),
        Binding("1", "tab('records')", "Records", show=False, id="review.records",
                tooltip="Records tab"),
        Binding("2", "tab('trends')", "Trends", show=False, id="review.trends",
                tooltip="Trends tab"),
        Binding("3", "tab('calibration')", "Calibration", show=False, id="review.calibration",
                tooltip="Calibration tab"),
        Binding("c", "app.open('conflicts')", "Sync conflicts", show=False,
                id="review.conflicts",
                tooltip="Versions that lost when two devices changed the same record"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="review.help",
                tooltip="Every key, and the science behind the review"),
    ]

    def __init__(self) -> None:
        # The breakpoint class the first resize would add, given now: adding it then restyles
        # every widget on the screen a second time, on the way to the first paint.
        height = self.app.size.height
        super().__init__(classes=" ".join(
            self._get_breakpoint_classes(height, self.VERTICAL_BREAKPOINTS)))
        self.text = say("review")
        self.filter = ReviewFilter()
        self.page = 0
        self.rows: list[ReviewRow] = []
        self.has_next = False
        self.count = review.RecordCount(0)
        self.date_error = ""
        self.date_shown = ""
        self.shown: tuple[str | None, Any] = (None, None)
        self.waiting: dict[str, Any] = {}  # typed changes not applied yet
        self.made: dict[ReviewRow, list[str]] = {}  # the shown rows' cells

    def compose(self) -> ComposeResult:
        text = self.text
        yield Header(show_clock=False)
        with TabbedContent(initial="records", id="review-tabs"):
            with TabPane(text["tab_records"], id="records"):
                with Horizontal(id="review-search-row"):
                    yield FieldInput(placeholder=hint(self, text["search_placeholder"]),
                                     id="search", compact=True)
                    yield FieldInput(placeholder=text["dates_placeholder"], id="dates",
                                     compact=True)
                with Horizontal(id="review-filters"):
                    yield FilterSelect([], prompt=text["all_domains"], id="domain", compact=True)
                    yield FilterSelect(
                        [(Content(text["kinds"][k]), k) for k in review.KINDS],
                        prompt=text["all_kinds"], id="kind", compact=True,
                    )
                    yield FilterSelect(
                        [(Content(text["outcomes"][o]), o) for o in review.OUTCOMES],
                        prompt=text["any_outcome"], id="outcome", compact=True,
                    )
                yield Static(id="review-status")
                with Vertical(id="records-body"):
                    yield RecordsTable(id="records-table")
                    with VerticalScroll(id="detail-pane", classes=KEEP_CLEAR):
                        yield Static(id="record-detail")
            yield TabPane(text["tab_trends"], id="trends")
            yield TabPane(text["tab_calibration"], id="calibration")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.text["title"]
        self.query_one("#detail-pane").border_title = self.text["detail_title"]
        self.query_one("#domain", Select).set_options(
            [(Content(d.name), d.id) for d in list_domains(self.app.store)]
        )
        # Changes are read as the field's value changes, not from its Changed message: that
        # reaches the screen a few hops later, after a frame has painted the new letter or label
        # alone, and the records would then wait for the next frame, up to 17 ms.
        self.watch(self.query_one("#search", Input), "value", self._search, init=False)
        self.watch(self.query_one("#dates", Input), "value", self._dates, init=False)
        for select in self.query(FilterSelect):
            self.watch(select, "value", partial(self._select, select.id), init=False)
        self.refresh_records()
        self.table.focus()

    @property
    def changes(self) -> list[review.Change]:
        """What `u` takes back, the last delete or edit first; the app keeps it across visits."""
        return self.app.review_changes

    @property
    def table(self) -> RecordsTable:
        return self.query_one("#records-table", RecordsTable)

    # --- reading and painting -------------------------------------------------------------

    def refresh_records(self, select: str | None = None, cursor: int = 0,
                        counted: review.RecordCount | None = None) -> None:
        """Read the current page and count (unless `counted`, for another page of the same
        records), then paint; `select` keeps a record highlighted."""
        store = self.app.store
        rows, self.count = review.search(store, self.filter, self.page * PAGE, PAGE + 1,
                                         counted=counted)
        if not rows and self.page:
            self.page = 0
            rows, self.count = review.search(store, self.filter, 0, PAGE + 1)
        self.has_next = len(rows) > PAGE
        self.rows = rows[:PAGE]
        keys = [self.row_key(r) for r in self.rows]
        if select in keys:
            cursor = keys.index(select)
        # A row still on the page (a search's next letter often keeps most) keeps its cells.
        made = self.made
        self.made = {r: made.get(r) or self._cells(r) for r in self.rows}
        self.table.show([(self.row_key(r), self.made[r]) for r in self.rows], cursor)
        self._paint_status()
        self._paint_detail()

    def _cells(self, row: ReviewRow) -> list[str]:
        """A row's cells: when, type, domain, record, outcome, confidence."""
        text = self.text
        return [when_text(row.at), text["kinds"][row.kind], row.domain, record_text(row, text),
                outcome_text(row.kind, row.outcome, text),
                confidence_text(row.confidence, row.recalled, text)]

    @staticmethod
    def row_key(row: ReviewRow) -> str:
        return f"{row.kind}:{row.id}"

    def current_row(self) -> ReviewRow | None:
        if not self.rows:
            return None
        return self.rows[min(self.table.cursor_row, len(self.rows) - 1)]

    def _paint_status(self) -> None:
        """The count and page, or why nothing shows, or the sentence on an unreadable date."""
        text = self.text
        if self.date_error:
            line = Content.styled(text["dates_ignored"].format(error=self.date_error), "bold")
        elif not self.rows:
            line = Content(" · ".join(
                [*([self.date_shown] if self.date_shown else []),
                 text["empty" if self.filter == ReviewFilter() else "no_match"]]))
        else:
            n = self.count.count
            shown = f"{n:,}+" if self.count.more else f"{n:,}"
            parts = [self.date_shown] if self.date_shown else []
            parts += [text["count_one"] if n == 1 and not self.count.more
                     else text["count_many"].format(count=shown)]
            if self.count.more:
                parts.append(text["page_open"].format(page=self.page + 1))
            else:
                parts.append(text["page"].format(page=self.page + 1,
                                                 pages=max(1, -(-n // PAGE))))
            if self.has_next or self.page:
                parts.append(hint(self, text["more_pages" if self.has_next and self.page
                                             else "next_page" if self.has_next
                                             else "previous_page"]))
            line = Content(" · ".join(parts))
        repaint(self.query_one("#review-status", Static), line)

    def _paint_detail(self) -> None:
        """Show the highlighted record in full, unless that very version is already shown."""
        row = self.current_row()
        record = review.get_record(self.app.store, row.kind, row.id) if row else None
        shown = (self.row_key(row) if row else None, record.values if record else None)
        if shown == self.shown:
            return
        self.shown = shown
        repaint(self.query_one("#record-detail", Static),
                detail_content(record, self.text, hint(self, self.text["detail_keys"]))
                if record else Content(self.text["detail_none"]))

    @on(DataTable.RowHighlighted, "#records-table")
    def _highlighted(self) -> None:
        self._paint_detail()

    # --- search and filters ---------------------------------------------------------------

    def set_filter(self, **changes: Any) -> None:
        """Apply a changed search or filter from the first page; a change that leaves the filter
        as it was (another unreadable date phrase) only repaints the status line."""
        changed = replace(self.filter, **changes)
        if changed == self.filter and not self.page:
            self._paint_status()
            return
        self.filter = changed
        self.page = 0
        self.refresh_records()

    def _soon(self, **changes: Any) -> None:
        """Apply a typed change once the events already waiting have been read, so a keystroke
        that a newer one has replaced (typing faster than a page is read) costs nothing."""
        if not self.waiting:
            self.call_later(self._apply_waiting)
        self.waiting.update(changes)

    def _apply_waiting(self) -> None:
        changes, self.waiting = self.waiting, {}
        if changes:
            self.set_filter(**changes)

    def _search(self, value: str) -> None:
        self._soon(text=value)

    def _dates(self, value: str) -> None:
        raw, start, end = " ".join(value.split()), None, None
        self.date_error = self.date_shown = ""
        if raw:
            now = self.app.store.now()
            try:
                start, end = parse_range(raw, now=now)
            except WhenError as err:
                self.date_error = str(err)
            else:
                self.date_shown = self._resolved(raw, start, end, now.date())
        self._soon(start=start, end=end)

    def _resolved(self, phrase: str, start: datetime | None, end: datetime | None,
                  today: date) -> str:
        """What a date phrase was read as, so "last week" shows which days it means."""
        first, last = (None if day is None else day_label(day, today)
                       for day in last_day(start, end))
        if first is None:
            span = self.text["dates_until"].format(last=last)
        elif last is None:
            span = self.text["dates_since"].format(first=first)
        elif first == last:
            span = first
        else:
            span = self.text["dates_span"].format(first=first, last=last)
        return self.text["dates_resolved"].format(phrase=phrase, span=span)

    def _select(self, name: str | None, value: Any) -> None:
        value = None if value is Select.NULL else value
        if name == "domain":
            self._soon(domain_id=value)
        elif name == "kind":
            self._soon(kinds=frozenset([value]) if value else frozenset())
        elif name == "outcome":
            self._soon(outcome=value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.table.focus()

    @on(RecordsTable.PageEdge)
    def _edge(self, event: RecordsTable.PageEdge) -> None:
        self.action_page(event.step, at_edge=True)

    # --- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on the records table are off (and out of the footer) on other tabs."""
        if action in RECORDS_ONLY:
            # Asked for every key on every footer refresh: a child by id, not a DOM query.
            try:
                return self.get_child_by_id("review-tabs", TabbedContent).active == "records"
            except NoMatches:
                return True
        return True

    def action_back(self) -> None:
        """From the search, dates or a filter, back to the records (keeping what was typed);
        from the records, home."""
        if self.focused is not self.table and self.query_one("#review-tabs", TabbedContent
                                                             ).active == "records":
            self.table.focus()
        else:
            self.app.clear_notifications()  # "press u to undo" means nothing on home
            self.app.pop_screen()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_tab(self, tab: str) -> None:
        self.query_one("#review-tabs", TabbedContent).active = tab
        if tab == "records":
            self.table.focus()
        else:
            self.query_one("#review-tabs").query_one(Tabs).focus()

    def action_page(self, step: int, at_edge: bool = False) -> None:
        """Move a page on; from the edge of a page, land on the row next to where it was."""
        if (step > 0 and not self.has_next) or (step < 0 and not self.page):
            return
        self.page += step
        self.refresh_records(cursor=0 if step > 0 or not at_edge else PAGE - 1,
                             counted=self.count)

    def action_edit(self) -> None:
        from efficacy_tui.ui.screens.review_forms import RecordForm

        row = self.current_row()
        if row is None:
            self.notify(self.text["nothing_to_edit"])
            return
        record = review.get_record(self.app.store, row.kind, row.id)
        if record is None or record.deleted:
            self.notify(self.text["gone"], severity="warning")
            self.refresh_records()
            return

        def saved(saved: review.SavedEdit) -> None:
            if saved.restored:
                said = hint(self, say("review.conflict.restored"))
            elif saved.gone:
                said = say("review.conflict.stays_deleted")
            else:
                said = (say("review.conflict.replaced") if saved.replaced
                        else hint(self, self.text["saved"]))
            self.notify(said)
            kind = saved.updated.kind if saved.updated else record.kind
            self.changes.append(review.Change(replace(row, kind=kind), saved.before))
            self.refresh_records(select=f"{kind}:{record.id}", cursor=self.table.cursor_row)

        open_form(self, RecordForm(record),
                  lambda values: review.save_edit(self.app.store, record, values), saved)

    def _label(self, row: ReviewRow) -> str:
        words = record_text(row, self.text)
        return words if len(words) <= 60 else words[:59] + "…"

    def action_delete(self) -> None:
        row = self.current_row()
        if row is None:
            self.notify(self.text["nothing_to_edit"])
            return
        review.delete_record(self.app.store, row.kind, row.id)
        self.changes.append(review.Change(row))
        self.notify(hint(self, self.text["deleted"], title=self._label(row)))
        self.refresh_records(cursor=self.table.cursor_row)

    def action_undo(self) -> None:
        """Take back the last delete or edit, whichever came last."""
        if not self.changes:
            self.notify(self.text["nothing_to_undo"])
            return
        change = self.changes.pop()
        row = change.row
        if not review.undo(self.app.store, change):
            self.notify(self.text["cannot_restore"].format(title=self._label(row)),
                        severity="warning")
            return
        said = "restored" if change.before is None else "edit_undone"
        self.notify(self.text[said].format(title=self._label(row)))
        self.refresh_records(select=self.row_key(row), cursor=self.table.cursor_row)

    def action_export(self) -> None:
        from efficacy_tui.ui.screens.review_forms import ExportScreen

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.notify(self.text["exporting"])
                self.export(fmt)

        self.app.push_screen(ExportScreen(), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, fmt: str) -> None:
        """Write the export in the background, so the screen stays responsive."""
        import sqlite3

        from efficacy_tui.store.core import StoreError
        from efficacy_tui.store.export import export_in_worker

        try:
            path = export_in_worker(self.app.store, fmt)
        except (StoreError, ValueError, OSError, sqlite3.Error) as err:
            self.post_message(Exported(None, str(err)))
        else:
            self.post_message(Exported(Path(path).resolve()))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        if event.path is None:
            self.notify(self.text["export_failed"].format(error=event.error), severity="error")
        else:
            self.notify(self.text["exported"].format(path=event.path))

    # --- the other tabs -----------------------------------------------------------------

    @on(TabbedContent.TabActivated, "#review-tabs")
    def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        if pane.id in LAZY_TABS and not pane.children:
            module, name = LAZY_TABS[pane.id]
            pane.mount(getattr(import_module(module), name)())
        self.refresh_bindings()
