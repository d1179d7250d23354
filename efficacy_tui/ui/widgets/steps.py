"""A guided sequence of steps: one visible at a time, each checked before the next one opens.

An exercise such as the audit or a reframe is easier to finish in small parts than as one long form,
and a mistake is best named while its step is still in view. Nothing is written until the last
step, a summary of everything typed, is saved. A screen that names a draft key keeps what is typed
and chosen as a draft while the user works, so leaving on the way loses nothing; the others ask
before leaving.
"""

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Checkbox, ContentSwitcher, Footer, Header, Input, RadioButton, RadioSet, Static,
)

from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import load
from efficacy_tui.store import drafts
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.widgets.form import ConfirmScreen
from efficacy_tui.ui.widgets.rating import Rating

BAR_DONE, BAR_TODO, BAR_SKIPPED = "●", "○", "–"
GO_ON = "Check this step and go on"


def step_bindings(screen: str, *extra: Binding, save: str, enter: str, leave: str,
                  enter_priority: bool = False, leave_label: str = "Leave") -> list[Binding]:
    """The keys of a step screen, their ids prefixed with its name; `extra` ones go before escape."""
    return [
        Binding("ctrl+s", "next", "Next", id=f"{screen}.next", tooltip=GO_ON),
        Binding("ctrl+s", "save", "Save", id=f"{screen}.save", tooltip=save),
        Binding("pagedown,ctrl+n", "next", "Next", show=False, priority=True,
                id=f"{screen}.next_step", tooltip=GO_ON),
        Binding("pageup,ctrl+b", "back", "Back", priority=True, id=f"{screen}.back",
                tooltip="Back one step; what you typed stays"),
        Binding("enter", "enter", "Next", show=False, priority=enter_priority,
                id=f"{screen}.enter", tooltip=enter),
        *extra,
        Binding("escape", "leave", leave_label, id=f"{screen}.leave", tooltip=leave),
    ]


def step_heading(part: dict) -> list[Widget]:
    """A step's heading and the hint under it, from the step's part of the screen's text."""
    return [Static(Content(part["heading"]), classes="step-heading"),
            Static(Content(part["intro"]), classes="hint")]


class Lines:
    """The summary, a bold label and the user's words a line: their words are text, never markup."""

    def __init__(self, blank: str) -> None:
        self.blank = blank
        self.parts: list[str | tuple[str, str]] = []

    def __call__(self, label: str, value: str, style: str = "bold") -> None:
        self.parts.extend([(label, style), value or self.blank, "\n"])

    def gap(self) -> None:
        self.parts.append("\n")

    def content(self) -> Content:
        return Content.assemble(*self.parts[:-1])


class StepScreen(Screen[int | None]):
    """Subclasses name the screen (its text is loaded by that name) and list each step's fields;
    they compose the steps in `_steps()`, bring one up to date in `_paint()`, check one in
    `_check_step()` and all in `_read_all()`, show them in `_summary()` and write them in `_save()`.

    Step n is the container `#step-n` of class `NAME-step`; the last, SUMMARY, shows the summary.
    Progress, error and keys sit in `#NAME-progress`, `#error` and `#NAME-keys`.

    A subclass that names a DRAFT_KIND keeps a draft, keyed by `_draft_key()`, of every Input,
    Checkbox, Rating and choice in its steps, and the step it is on; its text then has
    `draft_restored`, `draft_kept`, `draft_today` and `draft_earlier`."""

    NAME = ""
    STEPS = 0  # counted in the progress line
    SUMMARY = 0  # the last step, where ctrl+s saves
    # The fields of each step in tab order; enter on the last one shown moves to the next step.
    FIELDS: dict[int, tuple[str, ...]] = {}
    DRAFT_KIND = ""  # the kind of its rows in the drafts table; "" keeps no draft

    def __init__(self) -> None:
        super().__init__()
        self.text = load(self.NAME)
        self.step = 1
        # The answer chosen in each RadioSet (by its id), kept here so it is current the moment
        # it is chosen; a button's id is the set's id, a dash, and the answer.
        self.choices: dict[str, str] = {}
        # The draft's key while one is kept (None before it is restored and after saving), the
        # values of the untouched screen, and what the draft holds now (None: no draft).
        self._drafting: str | None = None
        self._blank: dict[str, Any] = {}
        self._kept: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id=f"{self.NAME}-progress")
        yield Static(id="error", classes="error")
        with ContentSwitcher(id=f"{self.NAME}-steps", initial="step-1"):
            yield from self._steps()
        yield Static(id=f"{self.NAME}-keys", classes="hint")
        yield Footer()

    def _steps(self) -> ComposeResult:
        raise NotImplementedError

    def _step(self, number: int) -> VerticalScroll:
        """The container of one step; one with nothing to type takes the focus itself."""
        return VerticalScroll(id=f"step-{number}", classes=f"{self.NAME}-step",
                              can_focus=not self.FIELDS[number])

    def _summary_step(self) -> ComposeResult:
        with self._step(self.SUMMARY):
            yield from step_heading(self.text["summary"])
            yield Static(id="summary")

    def on_mount(self) -> None:
        self.sub_title = self.text["title"]
        self._go(self._restore_draft())

    # Moving between steps

    def _fields(self, step: int) -> list[str]:
        """The step's fields that are there, shown and enabled, in tab order."""
        found = []
        for name in self.FIELDS[step]:
            widgets = self.query(f"#{name}")
            if widgets and widgets.first().display and not widgets.first().disabled:
                found.append(name)
        return found

    def _step_of(self, field: str) -> int:
        """The step that holds a field."""
        return next((step for step, fields in self.FIELDS.items() if field in fields), 1)

    def _skipped(self) -> set[int]:
        """The steps that do not apply to what has been typed so far."""
        return set()

    def _beside(self, step: int, way: int) -> int:
        """The step after (way 1) or before (way -1) this one, passing over skipped ones."""
        step += way
        while step in self._skipped():
            step += way
        return step

    def _go(self, step: int, focus: str = "") -> None:
        """Show one step, its progress and keys, and focus `focus` or the step's first field."""
        self.step = step
        self._clear_error()
        self.query_one(f"#{self.NAME}-steps", ContentSwitcher).current = f"step-{step}"
        if step == self.SUMMARY:
            try:
                summary = self._summary(self._read_all())
            except InvalidValue as err:
                self._refuse(err)
                return
            self.query_one("#summary", Static).update(summary)
        else:
            self._paint(step)
        self._paint_progress()
        self._paint_keys()
        self.refresh_bindings()
        fields = self._fields(step)
        target = focus or (fields[0] if fields else "")
        self.query_one(f"#{target}" if target else f"#step-{step}").focus()
        self._keep_draft()

    def _paint(self, step: int) -> None:
        """Bring a step up to date with what was typed on the steps before it."""

    def _paint_progress(self) -> None:
        text, step, skipped = self.text, self.step, self._skipped()
        marks = "".join(BAR_SKIPPED if number in skipped else BAR_DONE if number <= step
                        else BAR_TODO for number in range(1, self.STEPS + 1))
        label = text["progress_summary"] if step > self.STEPS \
            else text["progress"].format(step=step, steps=self.STEPS)
        name = self._step_name(step)
        parts: list[str | tuple[str, str]] = [(label, "bold"), "  ", marks, "  ", name]
        if any(number < step for number in skipped):
            parts.extend([" ", (text["skipped_note"], "italic")])
        self.query_one(f"#{self.NAME}-progress", Static).update(Content.assemble(*parts))

    def _step_name(self, step: int) -> str:
        """The short name beside the progress bar."""
        return self.text["summary_step"] if step > self.STEPS else self.text["steps"][step - 1]

    def _keys(self) -> str:
        """Which line of keys the text shows under the step."""
        return "keys_last" if self.step == self.SUMMARY else "keys"

    def _paint_keys(self) -> None:
        keys = hint(self, self.text[self._keys()])
        self.query_one(f"#{self.NAME}-keys", Static).update(Content(keys))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.step < self.SUMMARY
        if action == "save":
            return self.step == self.SUMMARY
        if action == "back":
            return self.step > 1
        return True

    def action_next(self) -> None:
        if self.step >= self.SUMMARY:
            return
        try:
            self._check_step(self.step)
        except InvalidValue as err:
            self._refuse(err)
            return
        self._go(self._beside(self.step, 1))

    def action_back(self) -> None:
        if self.step > 1:
            self._go(self._beside(self.step, -1))

    def action_enter(self) -> None:
        """Enter where no input takes it: on a choice, choose the highlighted answer first; then
        on the step's last field, or on a step with nothing to type, check the step and go on; on
        another field, go to the next one."""
        self._choose_highlighted()
        fields = self._fields(self.step)
        focused = self.focused
        if not fields or (focused is not None and focused.id == fields[-1]):
            self.action_next()
        else:
            self.focus_next()

    def _choose_highlighted(self) -> None:
        """On a choice, choose the answer the cursor is on."""
        if isinstance(self.focused, RadioSet):
            highlighted = self.focused.query("RadioButton.-selected")
            if highlighted:
                button = highlighted.first(RadioButton)
                button.value = True
                self._remember(self.focused, button)

    @on(RadioSet.Changed)
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        self._remember(event.radio_set, event.pressed)

    def _remember(self, radio_set: RadioSet, button: RadioButton) -> None:
        prefix = f"{radio_set.id}-"
        if radio_set.id and button.id and button.id.startswith(prefix):
            self.choices[radio_set.id] = button.id.removeprefix(prefix)
            self._choice_made(radio_set.id)
            self._keep_draft()

    def _choice_made(self, name: str) -> None:
        """An answer was just chosen in the RadioSet `name`: bring what depends on it up to date."""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = self._fields(self.step)
        if fields and event.input.id == fields[-1]:
            self.action_next()
        else:
            self.focus_next()

    def action_leave(self) -> None:
        """With a draft kept nothing is lost, so leave at once and say where the words are;
        without one, past the first step there is work to lose: ask once before leaving."""
        if self._drafting is not None:
            self._keep_draft()
            if self._kept is not None:
                self.app.notify(self.text["draft_kept"], markup=False)
            self.dismiss(None)
            return
        if self.step <= 1:
            self.dismiss(None)
            return
        words = load("messages")
        self.app.push_screen(
            ConfirmScreen(words["leave_title"], words["leave_question"]),
            lambda yes: self.dismiss(None) if yes else None,
        )

    # Reading and checking

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _check_step(self, step: int) -> None:
        """Raise InvalidValue for the first bad field of one step."""
        raise NotImplementedError

    def _read_all(self) -> Any:
        """Every step checked again, in order, into what will be saved."""
        raise NotImplementedError

    def _summary(self, entry: Any) -> Content:
        raise NotImplementedError

    def _save(self, entry: Any) -> int:
        """Write what `_read_all()` gave, say so, and return the id the screen dismisses with;
        raise InvalidValue, naming a field, when the file refuses it."""
        raise NotImplementedError

    def _clear_error(self) -> None:
        error = self.query_one("#error", Static)
        error.update("")
        error.display = False

    def _refuse(self, err: InvalidValue) -> None:
        """Open the step holding the bad field, show the sentence and focus the field."""
        fields = self._fields(self.step)
        field = err.field or (fields[0] if fields else "")
        step = self._step_of(field) if field else self.step
        if step != self.step:
            self._go(step, focus=field)
        error = self.query_one("#error", Static)
        error.update(Content(str(err)))
        error.display = True
        if field:
            self.query_one(f"#{field}").focus()

    # Saving

    def action_save(self) -> None:
        try:
            self.dismiss(self._save_and_drop_draft(self._read_all()))
        except InvalidValue as err:
            self._refuse(err)

    def _save_and_drop_draft(self, entry: Any) -> int:
        """`_save()` and the draft's removal in one transaction, so a saved entry never comes
        back as a draft and a failed save keeps it; no draft is kept after that."""
        store = self.app.store
        with store.transaction():
            saved = self._save(entry)
            if self._drafting is not None:
                drafts.delete_draft(store, self.DRAFT_KIND, self._drafting)
        self._drafting = self._kept = None
        return saved

    # The draft

    def _draft_key(self) -> str:
        """What the screen is about: one draft is kept for each."""
        return ""

    def _draft_values(self) -> dict[str, Any]:
        """What the steps hold now; subclasses add what else a restored screen needs."""
        fields = {widget.id: widget.value for widget in self._draft_widgets().values()}
        return {"fields": fields, "choices": dict(self.choices)}

    def _draft_widgets(self) -> dict[str, Input | Checkbox | Rating]:
        steps = self.query_one(f"#{self.NAME}-steps")
        return {widget.id: widget for widget in steps.query("Input, Checkbox, Rating")
                if widget.id}

    def _restore(self, data: dict[str, Any]) -> None:
        """Put a draft's values back, passing over any that no longer fit the screen."""
        widgets = self._draft_widgets()
        for name, value in (data.get("fields") or {}).items():
            widget = widgets.get(name)
            if isinstance(widget, Input) and isinstance(value, str):
                widget.value = value
            elif isinstance(widget, Checkbox) and isinstance(value, bool):
                widget.value = value
            elif isinstance(widget, Rating) and (value is None or type(value) is int):
                widget.value = None if value is None else widget.scale.clamp(value)
        buttons = self.query_one(f"#{self.NAME}-steps").query(RadioButton)
        ids = {button.id: button for button in buttons}
        for name, answer in (data.get("choices") or {}).items():
            button = ids.get(f"{name}-{answer}")
            if button is not None:
                button.value = True
                self.choices[name] = answer
                self._choice_made(name)

    def _restore_draft(self) -> int:
        """Start keeping a draft, if this screen keeps one; put back the one saved for the same
        thing, say so, and return the step to open: the one it was on, or the first before it
        that no longer checks."""
        if not self.DRAFT_KIND:
            return 1
        key = self._draft_key()
        self._blank = self._draft_values()
        self._drafting = key
        found = drafts.load_draft(self.app.store, self.DRAFT_KIND, key)
        if found is None or not isinstance(found[0], dict):
            return 1
        data, saved_at = found
        self._kept = data
        self._restore(data)
        reached = data.get("step")
        target = min(reached, self.SUMMARY) if type(reached) is int else 1
        step = 1
        while step < target:
            self._paint(step)
            try:
                self._check_step(step)
            except InvalidValue:
                break
            step = self._beside(step, 1)
        self.notify(self.text["draft_restored"].format(
            when=self._draft_when(saved_at), step=self._step_name(step)), markup=False)
        return step

    def _draft_when(self, stamp: str) -> str:
        """When a draft was last written: the time today, else the day and the time."""
        moment = datetime.fromisoformat(stamp)
        time = moment.strftime("%H:%M")
        if moment.date() == self.app.store.today():
            return self.text["draft_today"].format(time=time)
        return self.text["draft_earlier"].format(weekday=moment.strftime("%a"), day=moment.day,
                                                 month=moment.strftime("%b"), time=time)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Rating.Changed)
    def _draft_changed(self) -> None:
        self._keep_draft()

    def _keep_draft(self) -> None:
        """Write the draft when what the screen holds has changed since the last write (one
        transaction), and drop it once everything is back as it started."""
        if self._drafting is None:
            return
        values = self._draft_values()
        store = self.app.store
        if values == self._blank:
            if self._kept is not None:
                drafts.delete_draft(store, self.DRAFT_KIND, self._drafting)
                self._kept = None
            return
        data = {**values, "step": self.step}
        if data != self._kept:
            drafts.save_draft(store, self.DRAFT_KIND, self._drafting, data)
            self._kept = data
