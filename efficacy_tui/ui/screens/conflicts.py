"""The sync conflicts list: each version that lost when two devices changed the same record (or
made the same day's check-in, or a domain of the same name), with a key to restore it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from efficacy_tui.content import say
from efficacy_tui.store import sync_log
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.widgets.key_footer import KeyFooter

# The words of a losing version worth showing first, by table.
SHOWN = ("title", "name", "what_happened", "who", "text", "question", "day", "note")


def summary(conflict: sync_log.Conflict) -> str:
    """One line: the record's words as they were in the losing version, and why it lost."""
    values = conflict.values
    words = next((str(values[k]) for k in SHOWN if values.get(k)), conflict.uid)
    text = say("sync.conflicts")
    what = text["edited"] if conflict.reason == "edited" else text["same_meaning"].format(
        table_one=conflict.tbl)
    return text["line"].format(table=conflict.tbl, what=what,
                               found=conflict.found_at[:16].replace("T", " ")) + f"\n  {words}"


class ConflictsScreen(AppScreen[None]):
    """Losing versions, newest first; `r` restores the highlighted one."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="conflicts.back",
                tooltip="Back to where you were"),
        Binding("r", "restore", "Restore", id="conflicts.restore",
                tooltip="Make the highlighted losing version the newest, on every device"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(Content(say("sync.conflicts.intro")), id="conflicts-intro")
            yield OptionList(id="conflicts-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = say("sync.conflicts.title")
        self.refresh_list()

    def refresh_list(self) -> None:
        listed = self.query_one("#conflicts-list", OptionList)
        listed.clear_options()
        found = sync_log.conflicts(self.app.store)
        if not found:
            listed.add_option(Option(Content(say("sync.conflicts.none")), disabled=True))
            return
        listed.add_options(Option(Content(summary(c)), id=str(c.id)) for c in found)
        listed.highlighted = 0
        listed.focus()

    def action_restore(self) -> None:
        listed = self.query_one("#conflicts-list", OptionList)
        if listed.highlighted is None:
            return
        chosen = listed.get_option_at_index(listed.highlighted)
        if chosen.id is None:
            return
        done = sync_log.restore_conflict(self.app.store, int(chosen.id))
        self.notify(say("sync.conflicts.restored" if done else "sync.conflicts.gone"))
        self.refresh_list()

