"""A domain's vicarious models and credible feedback (Bandura's second and third sources), in two
lists with quick-entry forms, edit, and delete with undo.

Dismisses with no result: the screen that pushed it (the ladder, the readiness walkthrough) reads
the store again when it resumes."""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import DescendantFocus
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from efficacy_tui import stamps
from efficacy_tui.coach.ratings import Scale
from efficacy_tui.coach.role_models import check_feedback, check_model
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.records import Feedback, RoleModel
from efficacy_tui.store import role_models
from efficacy_tui.store.core import StoreError
from efficacy_tui.store.ladder import get_domain
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import FormScreen, open_form
from efficacy_tui.ui.widgets.form import labelled, required
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.rating import Rating
from efficacy_tui.when import WhenError, parse_when

KINDS = ("models", "feedback")


def credibility_scale() -> Scale:
    """The 1-5 scale with its anchor words, read from content/role_models.toml."""
    data = say("role_models.credibility_scale")
    anchors = {int(k): v for k, v in data["anchors"].items()}
    return Scale("credibility", data["low"], data["high"], data["step"], anchors)


def _day(stamp: str) -> str:
    day = stamps.day(stamp)
    return stamps.unreadable(stamp) if day is None else f"{day.day} {day:%b %Y}"


def model_option(model: RoleModel, text: dict) -> Content:
    """Who in bold, then how they are like me and what they did, each on its own line."""
    lines = [Content.assemble(("●", "bold"), " ", (model.who, "bold"))]
    if model.like_me:
        lines.append(Content.assemble("  ", (text["like_me"] + " ", "italic"), model.like_me))
    lines.append(Content.assemble("  ", (text["did"] + " ", "italic"), model.what_they_did))
    return Content("\n").join(lines)


def feedback_option(feedback: Feedback, text: dict) -> Content:
    """Credibility as filled and empty dots plus words (readable without colour), who, when,
    and what they said."""
    dots = "●" * feedback.credibility + "○" * (5 - feedback.credibility)
    head = Content.assemble(
        (dots + " ", "bold"), (feedback.who + "  ", "bold"),
        (f"· {text['credibility_shown'].format(n=feedback.credibility)}"
         f" · {_day(feedback.given_at)}", "dim"),
    )
    said = Content.assemble("  ", (text["said"] + " ", "italic"), feedback.what_they_said)
    return Content("\n").join([head, said])


class RoleModelForm(FormScreen[dict]):
    """Who, how they are like me, what they did; dismisses with the checked values."""

    def __init__(self, model: RoleModel | None = None) -> None:
        super().__init__()
        self.model = model
        self.form_title = say("role_models.forms")["model_edit" if model else "model_new"]

    def fields(self) -> ComposeResult:
        t, m = say("role_models.forms"), self.model
        yield from labelled(t["who"], Input(m.who if m else "", id="who"), t["who_hint"])
        yield from labelled(t["like_me"], Input(m.like_me if m else "", id="like_me"),
                            t["like_me_hint"])
        yield from labelled(t["what_they_did"],
                            Input(m.what_they_did if m else "", id="what_they_did"),
                            t["what_they_did_hint"])

    def submit(self) -> dict:
        return check_model(self.value("who"), self.value("like_me"), self.value("what_they_did"))


class FeedbackForm(FormScreen[dict]):
    """Who said it, how credible (1-5), what specifically, and when (everyday words, default
    "today"); dismisses with the checked values and `given_at` as a datetime."""

    def __init__(self, now: datetime, feedback: Feedback | None = None, who: str = "") -> None:
        """`who` fills the first field of new feedback (the person a request was made to)."""
        super().__init__()
        self.now = now
        self.feedback = feedback
        self.who = who
        self.form_title = say("role_models.forms")["feedback_edit" if feedback else "feedback_new"]

    def fields(self) -> ComposeResult:
        t, f = say("role_models.forms"), self.feedback
        when = f.given_at[:16].replace("T", " ") if f else "today"
        yield from labelled(t["feedback_who"], Input(f.who if f else self.who, id="who"),
                            t["feedback_who_hint"])
        yield from labelled(required(t["credibility"]),
                            Rating(credibility_scale(), f.credibility if f else None,
                                   id="credibility"),
                            t["credibility_hint"])
        yield from labelled(t["what_they_said"],
                            Input(f.what_they_said if f else "", id="what_they_said"),
                            t["what_they_said_hint"])
        yield from labelled(t["when"], Input(when, id="when"), t["when_hint"])

    def submit(self) -> dict:
        """Checked in the order the fields are shown, so the first sentence is about the first
        field that needs something."""
        raw_when = self.value("when")
        try:
            given_at = parse_when(raw_when, now=self.now) if raw_when.strip() else None
        except WhenError as err:
            check_feedback(self.value("who"), self.value("credibility"),
                           self.value("what_they_said"), self.now)
            raise InvalidValue(str(err), "when") from None
        given_at = given_at or self.now
        checked = check_feedback(self.value("who"), self.value("credibility"),
                                 self.value("what_they_said"), given_at, self.now)
        return {**checked, "given_at": given_at}


class RoleModelsScreen(AppScreen[None]):
    """Two lists, models above feedback; tab moves between them and the keys act on the
    highlighted row of the list last focused."""

    DEFAULT_CSS = """
    RoleModelsScreen #models-why {
        padding: 0 1;
        color: $text-muted;
        height: auto;
    }
    RoleModelsScreen OptionList {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    RoleModelsScreen OptionList:focus {
        border: heavy $accent;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="role_models.back", tooltip="Back to where you were"),
        Binding("a", "add_model", "Add model", id="role_models.add_model",
                tooltip="Add someone like you who did it, and what they did"),
        Binding("f", "add_feedback", "Add feedback", id="role_models.add_feedback",
                tooltip="Add specific feedback from a credible person"),
        Binding("e,enter", "edit", "Edit", key_display="e", id="role_models.edit",
                tooltip="Edit the selected model or feedback (e or enter)"),
        Binding("d", "delete", "Delete", id="role_models.delete",
                tooltip="Delete the selected model or feedback (u undoes)"),
        Binding("u", "undo", "Undo", id="role_models.undo",
                tooltip="Bring back the last deleted row"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="role_models.help",
                tooltip="Every key here, and the science behind models and feedback"),
    ]

    def __init__(self, domain_id: int, focus: str = "models") -> None:
        super().__init__()
        self.domain_id = domain_id
        self.current = focus if focus in KINDS else "models"
        self.text = say("role_models")
        self.models: list[RoleModel] = []
        self.feedback: list[Feedback] = []
        self.undo_stack: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(Content(self.text["why"].strip()), id="models-why")
        yield OptionList(id="models")
        yield OptionList(id="feedback")
        yield KeyFooter()

    def on_mount(self) -> None:
        domain = get_domain(self.app.store, self.domain_id)
        if domain is None:
            self.app.notify(self.text["no_such_domain"], severity="error")
            self.call_after_refresh(self.dismiss, None)
            return
        self.sub_title = self.text["heading"].format(domain=domain.name)
        self.query_one("#models").border_title = self.text["models_title"]
        self.query_one("#feedback").border_title = self.text["feedback_title"]
        self.refresh_lists()
        self.query_one(f"#{self.current}").focus()

    def refresh_lists(self, kind: str | None = None, select: int | None = None) -> None:
        """Read both lists again, keeping each highlight (or moving it to `select` in `kind`)."""
        store = self.app.store
        self.models = role_models.models_for(store, self.domain_id)
        self.feedback = role_models.feedback_for(store, self.domain_id)
        self._fill("models", [(m.id, model_option(m, self.text)) for m in self.models],
                   select if kind == "models" else None)
        self._fill("feedback", [(f.id, feedback_option(f, self.text)) for f in self.feedback],
                   select if kind == "feedback" else None)

    def _fill(self, kind: str, rows: list[tuple[int, Content]], select: int | None) -> None:
        options = self.query_one(f"#{kind}", OptionList)
        previous = options.highlighted
        options.clear_options()
        if not rows:
            empty = hint(self, self.text["no_models" if kind == "models" else "no_feedback"])
            options.add_option(Option(Content.styled(empty, "italic"), disabled=True))
            return
        options.add_options([Option(prompt, id=str(pk)) for pk, prompt in rows])
        ids = [pk for pk, _ in rows]
        if select in ids:
            options.highlighted = ids.index(select)
        else:
            options.highlighted = min(previous or 0, len(ids) - 1)

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        if event.widget.id in KINDS:
            self.current = event.widget.id

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_edit()

    def selected(self) -> RoleModel | Feedback | None:
        """The highlighted row of the current list, if it has any rows."""
        rows: list = self.models if self.current == "models" else self.feedback
        index = self.query_one(f"#{self.current}", OptionList).highlighted
        if index is None or not 0 <= index < len(rows):
            return None
        return rows[index]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_add_model(self) -> None:
        self._form("models", RoleModelForm(),
                   partial(role_models.add_model, self.app.store, self.domain_id))

    def action_add_feedback(self) -> None:
        store = self.app.store
        self._form("feedback", FeedbackForm(store.now()),
                   partial(role_models.add_feedback, store, self.domain_id))

    def action_edit(self) -> None:
        row = self.selected()
        if row is None:
            self.notify(hint(self, self.text["nothing_selected"]), severity="warning")
            return
        store = self.app.store
        if isinstance(row, RoleModel):
            self._form("models", RoleModelForm(row),
                       partial(role_models.update_model, store, row.id))
        else:
            self._form("feedback", FeedbackForm(store.now(), row),
                       partial(role_models.update_feedback, store, row.id))

    def _form(self, kind: str, form: FormScreen[dict],
              write: Callable[..., RoleModel | Feedback]) -> None:
        """Open a form whose values `write` takes as keywords while it is open."""
        open_form(self, form, lambda values: self._write(partial(write, **values)),
                  lambda row: self._written(kind, row))

    def _write(self, write: Callable[[], RoleModel | Feedback]) -> RoleModel | Feedback | None:
        """Run one store write; a row gone meanwhile is said, and nothing is written."""
        try:
            return write()
        except StoreError as err:
            self.notify(str(err), severity="error")
            return None

    def _written(self, kind: str, row: RoleModel | Feedback | None) -> None:
        """Say what happened, and show the row it touched."""
        if row is None:
            return
        key = "saved_model" if kind == "models" else "saved_feedback"
        self.notify(self.text[key].format(who=row.who))
        self.refresh_lists(kind, row.id)
        self.query_one(f"#{kind}").focus()

    def action_delete(self) -> None:
        row = self.selected()
        if row is None:
            self.notify(hint(self, self.text["nothing_selected"]), severity="warning")
            return
        kind = "models" if isinstance(row, RoleModel) else "feedback"
        delete = role_models.delete_model if kind == "models" else role_models.delete_feedback
        try:
            delete(self.app.store, row.id)
        except StoreError as err:
            self.notify(str(err), severity="error")
            return
        self.undo_stack.append((kind, row.id))
        self.notify(hint(self, self.text["deleted"], who=row.who))
        self.refresh_lists()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify(self.text["nothing_to_undo"])
            return
        kind, pk = self.undo_stack.pop()
        restore = role_models.restore_model if kind == "models" else role_models.restore_feedback
        try:
            row = restore(self.app.store, pk)
        except StoreError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(self.text["restored"].format(who=row.who))
        self.refresh_lists(kind, pk)
        self.query_one(f"#{kind}").focus()
