"""The screens others are built on: the guided-step engine, the modal form and the yes/no question.

A guided exercise such as the audit or a reframe is easier to finish in small parts than as one
long form, and a mistake is best named while its step is still in view. Its steps are declared as
data (`Step`), and `StepScreen` runs them: one visible at a time, each checked before the next one
opens, skipped where it does not apply, painted from what was typed before it. Nothing is written
until the last step is saved. A screen that names a draft kind keeps what is typed and chosen as a
draft while the user works, so leaving on the way loses nothing; the others ask before leaving. A
screen of one step (the check-in) is a plain page run by the same engine.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    Header,
    Input,
    RadioButton,
    RadioSet,
    Static,
)

from efficacy_tui import stamps
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.store.core import Store, busy_timeout_ms, is_busy
from efficacy_tui.store.drafts import DraftKey
from efficacy_tui.ui.app import KEEP_CLEAR, AppModalScreen, AppScreen
from efficacy_tui.ui.draft_keeper import DraftKeeper
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.rating import Rating

T = TypeVar("T")
V = TypeVar("V")
R = TypeVar("R")

BAR_DONE, BAR_TODO, BAR_SKIPPED = "●", "○", "–"
GO_ON = "Check this step and go on"

# What a step runs, given the screen it is on.
StepAction = Callable[[Any], object]


@dataclass(frozen=True)
class Step:
    """One step of a guided screen. Its functions are the screen's own methods, each named for
    what it does on this step, and are called with the screen."""

    name: str
    fields: tuple[str, ...] = ()  # in tab order; enter on the last one shown goes on
    check: StepAction | None = None  # raises InvalidValue naming the step's first bad field
    paint: StepAction | None = None  # brings the step up to date with what came before it
    skip: Callable[[Any], bool] | None = None  # True while the step does not apply
    summary: bool = False  # shows everything typed, from the screen's `_summary()`
    counted: bool = True  # numbered in the progress line
    keys: str | Callable[[Any], str] = ""  # the content key of its keys line; "" for the usual
    enter: StepAction | None = None  # what enter does where no field takes it
    enter_says: Callable[[Any], str] | None = None  # with `enter`: which words of common.enter
    leave: StepAction | None = None  # runs when another step opens
    actions: tuple[str, ...] = ()  # actions that work on this step only


def step_bindings(screen: str, *extra: Binding, save: str, enter: str, leave: str,
                  enter_priority: bool = False, leave_label: str = "Leave",
                  help: str = "Every key here, and the science behind it") -> list[BindingType]:
    """The keys of a step screen, their ids prefixed with its name; `extra` ones go before
    help and escape."""
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
        Binding("question_mark", "app.help", "Help", key_display="?", id=f"{screen}.help",
                tooltip=help),
        Binding("escape", "leave", leave_label, id=f"{screen}.leave", tooltip=leave),
    ]


def step_heading(part: dict, screen: AppScreen[Any] | None = None) -> list[Widget]:
    """A step's heading and the hint under it, from the step's part of the screen's text; given
    the screen, the hint names the keys of its bindings."""
    intro = hint(screen, part["intro"]) if screen else part["intro"]
    return [Static(Content(part["heading"]), classes="step-heading"),
            Static(Content(intro), classes="hint")]


def ask_to_leave(screen: AppScreen[T], result: T | None) -> None:
    """Ask once whether to leave with work unsaved; on yes, dismiss the screen with `result`."""
    screen.ask(ConfirmScreen(say("common.leave_title"), say("common.leave_question")),
               lambda _: screen.dismiss(result))


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


@contextmanager
def save_or_wait(store: Store) -> Iterator[None]:
    """A save that found the file locked by another program past the busy timeout becomes
    InvalidValue, one sentence for the form, which stays open; nothing was written."""
    try:
        yield
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise
        raise InvalidValue(say("common.save_waiting", path=store.path,
                               seconds=f"{busy_timeout_ms() / 1000:g}")) from None


class StepSwitcher(ContentSwitcher):
    """The steps of a guided screen, one shown at a time. With `hold`, only the step it opens on
    is mounted with the screen: the others are kept in `held` as they are composed, for the
    screen to mount once it has painted, so seven steps open about as fast as one."""

    def __init__(self, *, id: str, initial: str, hold: bool) -> None:
        super().__init__(id=id, initial=initial)
        self.first = initial
        self.hold = hold
        self.held: list[Widget] = []

    def compose_add_child(self, widget: Widget) -> None:
        if self.hold and widget.id != self.first:
            widget.display = False
            self.held.append(widget)
        else:
            super().compose_add_child(widget)

    async def mount_held(self) -> None:
        """Mount the steps held back, after the one shown and in the order they were composed."""
        held, self.held = self.held, []
        if held:
            await self.mount_all(held)


class StepScreen(AppScreen[int | None]):
    """Subclasses name the screen (its text is loaded by that name) and declare their STEPS; they
    compose the steps in `_steps()`, check them all in `_read_all()`, show them in `_summary()`
    and write them in `_save()`.

    Step n is the container `#step-n` of class `NAME-step`. Progress, error and keys sit in
    `#NAME-progress`, `#error` and `#NAME-keys`; ctrl+s saves on the last step. A guided screen
    that opens on its first step mounts the others right after its first paint; until then
    their widgets are not there, and going on waits for them.

    A subclass that names a DRAFT_KIND keeps a draft, keyed by `_draft_key()`, of every Input,
    Checkbox, Rating and choice in its steps, and the step it is on; its text then has
    `draft_restored`, `draft_kept`, `draft_today` and `draft_earlier`."""

    NAME = ""
    STEPS: tuple[Step, ...] = ()
    DRAFT_KIND = ""  # the kind of its rows in the drafts table; "" keeps no draft

    def __init__(self) -> None:
        super().__init__()
        self.text = say(self.NAME)
        self.step = 1
        # The answer chosen in each RadioSet (by its id), kept here so it is current the moment
        # it is chosen; a button's id is the set's id, a dash, and the answer.
        self.choices: dict[str, str] = {}
        # The draft, from when it is restored until the entry is saved, and the values of the
        # untouched screen, which keep no draft.
        self.keeper: DraftKeeper | None = None
        self._found: tuple[dict[str, Any], str] | None = None  # the draft found, until restored
        self._blank: dict[str, Any] | None = None  # None until the screen has mounted
        self._keys_shown = ""
        # Steps held back from the first paint, and what waits for them to be mounted.
        self._holding = False
        self._after_held: list[Callable[[], object]] = []

    @property
    def current(self) -> Step:
        return self.STEPS[self.step - 1]

    @property
    def guided(self) -> bool:
        """Several steps are shown one at a time with progress and keys; one is a plain page."""
        return len(self.STEPS) > 1

    def _last(self) -> bool:
        """Whether the step shown is the last, where ctrl+s saves."""
        return self.step >= len(self.STEPS)

    def compose(self) -> ComposeResult:
        # A guided screen knows before it is built whether a draft opens it on a later step;
        # without one only its first step is mounted before the first paint.
        if self.guided:
            self._found = self._load_draft()
            self._holding = self._found is None
        yield Header(show_clock=False)
        yield Static(id=f"{self.NAME}-progress")
        yield Static(id="error", classes="error")
        with StepSwitcher(id=f"{self.NAME}-steps", initial="step-1", hold=self._holding):
            yield from self._steps()
        yield Static(id=f"{self.NAME}-keys", classes=f"hint {KEEP_CLEAR}")
        yield KeyFooter()

    def _steps(self) -> ComposeResult:
        raise NotImplementedError

    def _number(self, name: str) -> int:
        """The step's number, counted from 1."""
        return next(n for n, step in enumerate(self.STEPS, start=1) if step.name == name)

    def _step(self, name: str) -> VerticalScroll:
        """The container of one step; one with nothing to type takes the focus itself."""
        number = self._number(name)
        return VerticalScroll(id=f"step-{number}", classes=f"{self.NAME}-step",
                              can_focus=not self.STEPS[number - 1].fields)

    def _summary_step(self) -> ComposeResult:
        with self._step("summary"):
            yield from step_heading(self.text["summary"], self)
            yield Static(id="summary")

    def on_mount(self) -> None:
        self.sub_title = self.text["title"]
        self._go(self._restore_draft())
        if self._holding:
            self.call_after_refresh(self._mount_held)

    async def _mount_held(self) -> None:
        """Mount the steps held back from the first paint; then the blank screen is known in
        full (what was typed on the first step meanwhile is not part of it), the draft covers
        every step, and what waited for the steps runs."""
        if not self.is_attached:
            return
        await self.query_one(f"#{self.NAME}-steps", StepSwitcher).mount_held()
        if self._blank is not None:
            first, full = self._blank, self._draft_values()
            self._blank = {**full, **first, "fields": {**full["fields"], **first["fields"]}}
        self._holding = False
        self._keep_draft()
        waiting, self._after_held = self._after_held, []
        for action in waiting:
            action()

    def _when_mounted(self, action: Callable[[], object]) -> bool:
        """False, with `action` kept to run once every step is mounted, while some are not."""
        if self._holding:
            self._after_held.append(action)
            return False
        return True

    def on_unmount(self) -> None:
        if self.keeper is not None:
            self.keeper.close()

    # Moving between steps

    def _fields(self, step: int) -> list[str]:
        """The step's fields that are there, shown and enabled, in tab order."""
        found = []
        for name in self.STEPS[step - 1].fields:
            # query_one finds an id without matching a selector against every widget.
            widget = self.query_one_optional(f"#{name}")
            if widget is not None and self._shown(widget) and not widget.disabled:
                found.append(name)
        return found

    def _shown(self, widget: Widget) -> bool:
        """Whether the widget and everything it sits in below the screen are displayed."""
        for node in widget.ancestors_with_self:
            if node is self:
                return True
            if not node.display:
                return False
        return True

    def _step_of(self, field: str) -> int | None:
        """The step that holds a field, or None for one that is not a field of a step."""
        return next((number for number, step in enumerate(self.STEPS, start=1)
                     if field in step.fields), None)

    def _skipped(self) -> set[int]:
        """The steps that do not apply to what has been typed so far."""
        return {number for number, step in enumerate(self.STEPS, start=1)
                if step.skip is not None and step.skip(self)}

    def _beside(self, step: int, way: int) -> int:
        """The step after (way 1) or before (way -1) this one, passing over skipped ones."""
        skipped = self._skipped()
        step += way
        while step in skipped:
            step += way
        return step

    def _go(self, step: int, focus: str = "") -> None:
        """Show one step, its progress and keys, and focus `focus` or the step's first field."""
        if step != self.step and self.current.leave is not None:
            self.current.leave(self)
        self.step = step
        self._clear_error()
        if self.guided:
            self.query_one(f"#{self.NAME}-steps", ContentSwitcher).current = f"step-{step}"
        if not self._paint_step(step):
            return
        self._paint_progress()
        self._paint_keys()
        self.refresh_bindings()
        fields = self._fields(step)
        target = focus or (fields[0] if fields else "")
        self.query_one(f"#{target}" if target else f"#step-{step}").focus()
        self._keep_draft()

    def _paint_step(self, number: int) -> bool:
        """Bring a step up to date with what was typed on the steps before it; False when the
        summary could not be shown, and the step with the bad field was opened instead."""
        step = self.STEPS[number - 1]
        if step.summary:
            try:
                summary = self._summary(self._read_all())
            except InvalidValue as err:
                self._refuse(err)
                return False
            self.query_one("#summary", Static).update(summary)
        if step.paint is not None:
            step.paint(self)
        return True

    def _paint_progress(self) -> None:
        if not self.guided:
            return
        text, step, skipped = self.text, self.step, self._skipped()
        counted = sum(s.counted for s in self.STEPS)
        marks = "".join(BAR_SKIPPED if number in skipped else BAR_DONE if number <= step
                        else BAR_TODO for number in range(1, counted + 1))
        label = text["progress"].format(step=step, steps=counted) if self.current.counted \
            else text["progress_summary"]
        name = self._step_name(step)
        parts: list[str | tuple[str, str]] = [(label, "bold"), "  ", marks, "  ", name]
        if any(number < step for number in skipped):
            parts.extend([" ", (text["skipped_note"], "italic")])
        self.query_one(f"#{self.NAME}-progress", Static).update(Content.assemble(*parts))

    def _step_name(self, step: int) -> str:
        """The short name beside the progress bar."""
        if not self.STEPS[step - 1].counted:
            return self.text["summary_step"]
        return self.text["steps"][step - 1]

    def _keys(self) -> str:
        """Which line of keys the text shows under the step."""
        keys = self.current.keys
        if callable(keys):
            return keys(self)
        return keys or ("keys_last" if self._last() else "keys")

    def _paint_keys(self) -> None:
        """The line under the step: what enter does in the focused field, the key that goes on
        (unless the step's own line names it), then the step's other keys."""
        if not self.guided:
            return
        template = self.text[self._keys()]
        does = self._enter_does()
        goes_on = "{next" not in template and bool(self.check_action("next", ()))
        words = say("common.enter")
        if does == "next_step" and goes_on:
            parts = [words["next_step_or_next"]]
        else:
            parts = [words[does] if does else "", words["next"] if goes_on else ""]
        keys = hint(self, " · ".join(part for part in [*parts, template] if part))
        if keys != self._keys_shown:
            self._keys_shown = keys
            self.query_one(f"#{self.NAME}-keys", Static).update(Content(keys))

    def on_descendant_focus(self) -> None:
        self._paint_keys()

    def _enter_does(self) -> str:
        """What enter does where the focus is now, as the key of its words in `common.enter`
        ("" where it does nothing), worked out the way `action_enter` and `_submitted` act."""
        focused = self.focused
        answering = self.active_bindings.get("enter")
        if answering is None or answering.node is not self or not answering.enabled:
            # The field in focus answers enter itself.
            if isinstance(focused, Input):
                return self._onward(focused)
            if isinstance(focused, RadioSet):
                return "choose"
            if isinstance(focused, Checkbox):
                return "tick"
            return ""
        if self.current.enter is not None:
            return self.current.enter_says(self) if self.current.enter_says else ""
        if isinstance(focused, RadioSet):  # choosing may show fields that come next, or hide them
            return "choose_on"
        return self._onward(focused)

    def _onward(self, focused: Widget | None) -> str:
        """Where enter goes from the focused field: the next field, the next step, or nowhere
        from the last field of the last step."""
        fields = self._fields(self.step)
        if not fields or (focused is not None and focused.id == fields[-1]):
            return "" if self._last() else "next_step"
        return "next_field"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return not self._last()
        if action == "save":
            return self._last()
        if action == "back":
            return self.step > 1
        if action not in self.current.actions and any(
                action in step.actions for step in self.STEPS):
            return False
        return True

    def action_next(self) -> None:
        if self._last() or not self._when_mounted(self.action_next):
            return
        try:
            self._check(self.step)
        except InvalidValue as err:
            self._refuse(err)
            return
        self._go(self._beside(self.step, 1))

    def action_back(self) -> None:
        if self.step > 1:
            self._go(self._beside(self.step, -1))

    def action_enter(self) -> None:
        """Enter where no input takes it: what the step says, if it says; else on a choice,
        choose the highlighted answer first; then on the step's last field, or on a step with
        nothing to type, check the step and go on; on another field, go to the next one."""
        if self.current.enter is not None:
            self.current.enter(self)
            return
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
        """On a guided screen enter in a field goes on; a plain page leaves it to the field."""
        if not self.guided:
            return
        event.stop()
        fields = self._fields(self.step)
        if fields and event.input.id == fields[-1]:
            self.action_next()
        else:
            self.focus_next()

    def action_leave(self) -> None:
        """With a draft kept nothing is lost, so leave at once and say where the words are;
        without one, past the first step there is work to lose: ask once before leaving."""
        if self.keeper is not None:
            self._keep_draft()
            self.keeper.close()
            if self.keeper.holds:
                self.app.notify(self.text["draft_kept"], markup=False)
            self.dismiss(None)
            return
        if self.step <= 1:
            self.dismiss(None)
            return
        ask_to_leave(self, None)

    # Reading and checking

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _check(self, number: int) -> None:
        """Raise InvalidValue for the first bad field of one step."""
        check = self.STEPS[number - 1].check
        if check is not None:
            check(self)

    def _read_all(self) -> Any:
        """Every step checked again, in order, into what will be saved."""
        raise NotImplementedError

    def _summary(self, entry: Any) -> Content:
        raise NotImplementedError

    def _save(self, entry: Any) -> int:
        """Write what `_read_all()` gave, with the removal of `self.draft` in the same write, say
        so, and return the id the screen dismisses with; raise InvalidValue, naming a field, when
        the file refuses it."""
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
        if step is None:
            field, step = "", self.step
        if step != self.step:
            self._go(step, focus=field)
        error = self.query_one("#error", Static)
        error.update(Content(hint(self, str(err)) if err.keys else str(err)))
        error.display = True
        if field:
            self.query_one(f"#{field}").focus()
        error.scroll_visible()

    # Saving

    def action_save(self) -> None:
        """Save what the steps hold, asking first when `question` has something to ask; no
        leaves the screen as it was, with nothing written."""
        try:
            entry = self._read_all()
        except InvalidValue as err:
            self._refuse(err)
            return
        asked = self.question(entry)
        if asked is None:
            self._save_read(entry)
        else:
            self.ask(asked, lambda _: self._save_read(entry))

    def question(self, entry: Any) -> "ConfirmScreen | None":
        """What to ask before `entry` is saved (a domain it would start), or None."""
        return None

    def _save_read(self, entry: Any) -> None:
        """Save and close, or say why the save was refused and stay with everything typed."""
        try:
            self.dismiss(self._save_entry(entry))
        except InvalidValue as err:
            self._refuse(err)

    def _save_entry(self, entry: Any) -> int:
        """`_save()`, which removes the draft in the same write, so a saved entry never comes
        back as a draft and a failed save keeps it; no draft is kept after that. While another
        program holds the file past the busy timeout it raises InvalidValue, so the screen stays
        open with everything typed, and the draft keeper keeps trying to write the draft."""
        if self.keeper is not None:
            self.keeper.flush()
        with save_or_wait(self.app.store):
            saved = self._save(entry)
        if self.keeper is not None:
            self.keeper.stop()
        return saved

    # The draft

    @property
    def draft(self) -> DraftKey | None:
        """The draft the save removes, while one is kept."""
        return self.keeper.draft if self.keeper is not None else None

    def _draft_key(self) -> str:
        """What the screen is about: one draft is kept for each."""
        return ""

    def _draft_values(self) -> dict[str, Any]:
        """What the steps hold now; subclasses add what else a restored screen needs."""
        fields = {widget.id: widget.value for widget in self._draft_widgets().values()}
        return {"fields": fields, "choices": dict(self.choices)}

    def _draft_widgets(self) -> dict[str, Input | Checkbox | Rating]:
        steps = self.query_one(f"#{self.NAME}-steps")
        return {widget.id: widget for widget in steps.walk_children()
                if widget.id and isinstance(widget, Input | Checkbox | Rating)}

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

    def _load_draft(self) -> tuple[dict[str, Any], str] | None:
        """Start keeping a draft, if this screen keeps one, and return the one saved for the
        same thing with when it was written."""
        if not self.DRAFT_KIND:
            return None
        self.keeper = DraftKeeper(self.app, DraftKey(self.DRAFT_KIND, self._draft_key()))
        found = self.keeper.load()
        return found if found is not None and isinstance(found[0], dict) else None

    def _restore_draft(self) -> int:
        """Put back the draft saved for the same thing, if this screen keeps one, say so, and
        return the step to open: the one it was on, or the first before it that no longer
        checks."""
        if not self.DRAFT_KIND:
            return 1
        self._blank = self._draft_values()
        found = self._found if self.keeper is not None else self._load_draft()
        self._found = None
        if found is None:
            self._say_opened(None, 1)
            return 1
        data, saved_at = found
        self._restore(data)
        reached = data.get("step")
        target = min(reached, len(self.STEPS)) if type(reached) is int else 1
        step = 1
        while step < target:
            self._paint_step(step)
            try:
                self._check(step)
            except InvalidValue:
                break
            step = self._beside(step, 1)
        self._say_opened(saved_at, step)
        return step

    def _say_opened(self, saved_at: str | None, step: int) -> None:
        """What the screen says on opening: that a draft last written at `saved_at` is back."""
        if saved_at is not None:
            self.notify(self.text["draft_restored"].format(
                when=self._draft_when(saved_at), step=self._step_name(step)), markup=False)

    def _draft_when(self, stamp: str) -> str:
        """When a draft was last written: the time today, else the day and the time."""
        moment = stamps.moment(stamp)
        if moment is None:
            return stamps.unreadable(stamp)
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
        """Hand what the screen holds to the draft keeper, which writes it soon; nothing is kept
        once everything is back as it started."""
        if self.keeper is None or self._blank is None:
            return
        values = self._draft_values()
        if values == self._blank:
            self.keeper.change(None)
        elif self.guided:
            self.keeper.change({**values, "step": self.step})
        else:
            self.keeper.change(values)


class FormScreen(AppModalScreen[T]):
    """A modal form: labelled fields, ctrl+s to save, escape to cancel, one error sentence at a
    time. Subclasses yield their fields from `fields()` and turn values into a result in
    `submit()`, raising InvalidValue (with the field's id) for bad input; nothing is written
    until it returns.

    Opened with `open_form`, the form writes its result itself before it closes, so a write
    that is refused, or that waited past the busy timeout for another program's lock, leaves
    it open with everything typed and the sentence shown. A form whose save needs a yes first
    (one that would start a domain from a typed name) gives the question from `question()`:
    yes writes and closes, no leaves the form as it was, with nothing written."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save and close"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        # A modal form stops the app's keys, f1 among them; `?` would be typed in its fields.
        Binding("f1", "app.help", "Help", show=False, id="form.help",
                tooltip="This form's keys, and the science"),
    ]
    form_title: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.write: Callable[[T], None] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box") as box:
            box.border_title = Content(self.form_title)
            yield Static(id="error", classes="error")
            yield from self.fields()
            yield Static(Content(hint(self, say("common.form_keys"))),
                         classes=f"hint form-keys {KEEP_CLEAR}")

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        first = next(iter(self.query("Input, Rating, TextArea, RadioSet, Select")), None)
        if first is not None:
            first.focus()

    def value(self, field: str) -> Any:
        """The raw value of the field with this id."""
        widget = self.query_one(f"#{field}")
        if isinstance(widget, Rating):
            return widget.value
        if isinstance(widget, Input):
            return widget.value
        return getattr(widget, "value", None)

    def show_error(self, message: str, field: str = "") -> None:
        error = self.query_one("#error", Static)
        error.update(Content(message))
        error.display = True
        if field:
            widget = self.query_one_optional(f"#{field}")
            if widget is not None:
                widget.focus()
        error.scroll_visible()

    def submit(self) -> T:
        raise NotImplementedError

    def question(self, result: T) -> "tuple[ConfirmScreen, str] | None":
        """What to ask before `result` is written and the id of the field it is about (focused
        again on no, to be put right), or None to write it at once."""
        return None

    def action_save(self) -> None:
        try:
            with save_or_wait(self.app.store):
                result = self.submit()
                question = self.question(result)
        except InvalidValue as err:
            self.show_error(str(err), err.field)
            return
        if question is None:
            self._write(result)
            return
        asked, about = question

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(result)
            else:
                self.query_one(f"#{about}").focus()

        self.app.push_screen(asked, answered)

    def _write(self, result: T) -> None:
        """Write `result` through `open_form`'s save and close, or show why it was refused."""
        try:
            with save_or_wait(self.app.store):
                if self.write is not None:
                    self.write(result)
        except InvalidValue as err:
            self.show_error(str(err), err.field)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_form(screen: AppScreen[Any], form: FormScreen[V], save: Callable[[V], R],
              then: Callable[[R], object] | None = None) -> None:
    """Open `form` over `screen`; `save` writes its checked values while it is still open and
    may raise InvalidValue to keep it open; once it has closed, `then` gets what `save`
    returned. Nothing runs when the form is cancelled."""
    saved: list[R] = []
    form.write = lambda values: saved.append(save(values))

    def closed(_: V | None) -> None:
        if saved and then is not None:
            then(saved[0])

    screen.app.push_screen(form, closed)


class ConfirmScreen(AppModalScreen[bool]):
    """A yes/no question; y or enter confirms, n or escape declines."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Confirm"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Decline"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form-box confirm") as box:
            box.border_title = self.title_text
            yield Static(Content(self.question))
            yield Static(Content(hint(self, say("common.confirm_keys"))),
                         classes=f"hint form-keys {KEEP_CLEAR}")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
