"""The daily check-in form: one per local day, a draft kept as the user types, one write on save."""

from dataclasses import replace
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Label, Static

from efficacy_tui import stamps
from efficacy_tui.coach.checkin import CheckinEntry, read_checkin
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Attempt, Checkin
from efficacy_tui.store import checkins, domains
from efficacy_tui.store.ladder import get_domain
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import Step, StepScreen, open_form
from efficacy_tui.ui.screens.checkin_forms import NewRungForm
from efficacy_tui.ui.screens.new_domain import new_domains_question
from efficacy_tui.ui.widgets.form import required
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.rating import Rating

TEXT_FIELDS = ("sleep_hours", "focus_domain", "focus_rung", "win_title", "win_domain",
               "win_did", "if_situation", "then_action")
RATINGS = {"energy": "energy", "anxiety": "anxiety", "focus_confidence": "confidence"}
REQUIRED = ("energy", "anxiety")
ORDER = ("sleep_hours", "energy", "anxiety", "focus_domain", "focus_rung", "focus_confidence",
         "win_title", "win_domain", "win_did", "if_situation", "then_action")


class CheckinScreen(StepScreen):
    """One step, shown as a plain page. Opening it again on the same day edits that day's
    check-in; a draft wins over the saved row. Dismisses with the check-in's id once saved."""

    NAME = "checkin"
    DRAFT_KIND = "checkin"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="checkin.save", tooltip="Save today's check-in"),
        Binding("escape", "leave", "Back (keeps draft)", id="checkin.leave",
                tooltip="Go back; what you typed is kept as a draft"),
        Binding("delete,backspace", "clear_rating", "Clear rating", show=False,
                id="checkin.clear_rating", tooltip="Clear the rating you are on (unrated)"),
        Binding("tab", "complete", "Complete", show=False, id="checkin.complete",
                tooltip="Complete the domain or rung you started typing; else the next field"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="checkin.help",
                tooltip="Every key here, and the science behind the check-in"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day = ""
        self._baseline: dict[str, Any] = {}
        self._loaded: tuple[Checkin | None, Attempt | None] = (None, None)
        self._focus_seen = ""

    def compose(self) -> ComposeResult:
        text = self.text
        yield Header(show_clock=False)
        with VerticalScroll(id="form"):
            yield Static(Content(hint(self, text["intro"])), id="intro", classes="hint")
            yield Static(id="error", classes="error")
            for name in ORDER:
                label = text["labels"][name]
                yield Label(required(label) if name in REQUIRED else label,
                            classes="field-label", id=f"label-{name}")
                if name in RATINGS:
                    yield Rating(scale(RATINGS[name]), id=name)
                else:
                    yield Input(placeholder=text["placeholders"].get(name, ""), id=name)
                below = {"focus_domain": "domains-hint", "focus_rung": "rungs-hint",
                         "focus_confidence": "confidence-hint", "win_did": "win-hint",
                         "then_action": "if-then-hint"}.get(name)
                if below:
                    yield Static(id=below, classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        # Textual runs StepScreen.on_mount, which puts back a draft over what is filled in
        # here and focuses the first field, after this one.
        store = self.app.store
        self.day = store.today().isoformat()
        hints = self.text["hints"]
        self.query_one("#confidence-hint", Static).update(Content(hints["focus_confidence"]))
        self.query_one("#win-hint", Static).update(Content(hints["win"]))
        self.query_one("#if-then-hint", Static).update(Content(hints["if_then"]))
        self.query_one("#sleep_hours", Input).type = "number"
        names = [d.name for d in domains.list_domains(store)]
        for name in ("focus_domain", "win_domain"):
            self.query_one(f"#{name}", Input).suggester = SuggestFromList(
                names, case_sensitive=False
            )
        domains_hint = self.query_one("#domains-hint", Static)
        domains_hint.update(Content(hint(self, hints["domains"], names=", ".join(names))))
        domains_hint.display = bool(names)
        self._loaded = checkins.checkin_version(store, self.day)
        self._baseline = self._values_of(self._loaded[0])
        self._show(self._baseline)

    def _draft_key(self) -> str:
        return self.day

    def _draft_values(self) -> dict[str, Any]:
        return self.values()

    def _restore(self, data: dict[str, Any]) -> None:
        self._show({**self._baseline, **{k: v for k, v in data.items() if k in ORDER}})

    def _say_opened(self, saved_at: str | None, step: int) -> None:
        if saved_at is not None:
            when = stamps.shown(saved_at, "%H:%M")
            self.notify(self.text["draft_restored"].format(time=when))
        elif self._loaded[0] is not None:
            self.notify(self.text["editing"])

    def _values_of(self, saved: Checkin | None) -> dict[str, Any]:
        """The form's values for a saved check-in (or a blank form)."""
        values: dict[str, Any] = {name: "" for name in TEXT_FIELDS}
        values.update({name: None for name in RATINGS})
        if saved is None:
            return values
        store = self.app.store
        win = self._loaded[1]
        focus_domain = self._domain_name(saved.focus_domain_id)
        rung = (domains.get_rung(store, saved.focus_rung_id, live=True)
                if saved.focus_rung_id else None)
        sleep = saved.sleep_hours
        values.update(
            sleep_hours="" if sleep is None else f"{sleep:g}",
            energy=saved.energy,
            anxiety=saved.anxiety,
            focus_domain=focus_domain,
            focus_rung=rung.title if rung else "",
            focus_confidence=saved.focus_confidence,
            win_title=win.title if win else "",
            win_domain=self._domain_name(win.domain_id) if win else focus_domain,
            win_did=win.what_i_did if win else "",
            if_situation=saved.if_situation,
            then_action=saved.then_action,
        )
        return values

    def _domain_name(self, domain_id: int | None) -> str:
        domain = get_domain(self.app.store, domain_id) if domain_id else None
        return domain.name if domain else ""

    def _show(self, values: dict[str, Any]) -> None:
        """Fill the form, and the suggestions and hints that follow today's focus."""
        for name in ORDER:
            if name in RATINGS:
                self.query_one(f"#{name}", Rating).value = values.get(name)
            else:
                self.query_one(f"#{name}", Input).value = str(values.get(name) or "")
        self._focus_seen = values["focus_domain"]
        self._update_rungs(values.get("focus_domain", ""))

    def values(self) -> dict[str, Any]:
        """What the form holds now, as raw values."""
        out: dict[str, Any] = {}
        for name in ORDER:
            if name in RATINGS:
                out[name] = self.query_one(f"#{name}", Rating).value
            else:
                out[name] = self.query_one(f"#{name}", Input).value
        return out

    def _update_rungs(self, domain_name: str) -> None:
        """Suggest the typed domain's rungs, and show them as a hint."""
        store = self.app.store
        domain = domains.find_domain(store, domain_name) if domain_name.strip() else None
        rungs = domains.list_rungs(store, domain.id) if domain else []
        titles = [r.title for r in rungs]
        self.query_one("#focus_rung", Input).suggester = SuggestFromList(
            titles, case_sensitive=False
        )
        said = (
            hint(self, self.text["hints"]["rungs"], domain=domain.name, names=", ".join(titles))
            if domain and titles
            else ""
        )
        rungs_hint = self.query_one("#rungs-hint", Static)
        rungs_hint.update(Content(said))
        rungs_hint.display = bool(said)

    @on(Input.Changed, "#focus_domain")
    def _focus_changed(self, event: Input.Changed) -> None:
        self._update_rungs(event.value)
        self._follow_focus()

    def _follow_focus(self) -> None:
        """Until a win is recorded, its domain follows today's focus while the user has not
        changed it; a recorded win keeps its own, so editing the focus never moves it."""
        focus = self.query_one("#focus_domain", Input).value
        win_domain = self.query_one("#win_domain", Input)
        if self._loaded[1] is None and win_domain.value == self._focus_seen:
            win_domain.value = focus
        self._focus_seen = focus

    @on(Input.Blurred, "#focus_domain")
    def _prefill_rung(self) -> None:
        """Leaving the domain field with an empty rung offers the domain's active rung."""
        rung_input = self.query_one("#focus_rung", Input)
        name = self.query_one("#focus_domain", Input).value
        if rung_input.value or not name.strip():
            return
        for line in domains.domain_lines(self.app.store):
            if line.domain.name.lower() == name.strip().lower() and line.active_rung:
                rung_input.value = line.active_rung.title
                # Selected, so typing another rung replaces the offered one.
                rung_input.select_all()

    def _read_all(self) -> CheckinEntry:
        """The day's check-in from what the form holds; both ratings are asked for first."""
        raw = self.values()
        for name in REQUIRED:
            scale_name = RATINGS[name]
            if raw[name] is None:
                raise InvalidValue(say("common.rate_first", label=scale_name), name)
        return read_checkin(date.fromisoformat(self.day), raw)

    def action_save(self) -> None:
        """Save, asking first about any domain or focus rung the check-in would start: only a
        yes writes them, with the check-in; no leaves the form as it was."""
        try:
            entry = self._read_all()
        except InvalidValue as err:
            self._refuse(err)
            return
        new = checkins.new_names(self.app.store, entry)
        if not new:
            self._save_read(entry)
        elif new.rung:
            open_form(self, NewRungForm(new),
                      lambda rung: self._save_entry(replace(
                          entry, rung_criterion=rung[0], rung_difficulty=rung[1])),
                      self.dismiss)
        else:
            self.ask(new_domains_question(self.app.store, new.domains,
                                          self.text["new"]["domain_after"], self),
                     lambda _: self._save_read(entry))

    def action_complete(self) -> None:
        """Tab on a name field whose start matches a domain or rung completes it and stays, so
        the completion can be seen; anywhere else, and on a second tab, it goes on."""
        field = self.focused
        if isinstance(field, Input) and field.suggester is not None \
                and field.selection.is_empty and field.cursor_at_end:
            before = field.value
            field.action_cursor_right()
            if field.value != before:
                return
        self.focus_next()

    def _save(self, entry: CheckinEntry) -> int:
        """Save over the day's check-in, dropping its draft in the same write, and say whether
        another window had saved it in between."""
        saved, replaced = checkins.save_checkin_over(self.app.store, entry, self._loaded)
        self.app.notify(self.text["saved_over" if replaced else "saved"])
        return saved.id

    def action_clear_rating(self) -> None:
        """Ratings have no "unrated" step, and a stray one would be saved (or refused without a
        domain), so delete on a rating clears it."""
        if isinstance(self.focused, Rating):
            self.focused.value = None

    STEPS = (Step("checkin", ORDER),)
