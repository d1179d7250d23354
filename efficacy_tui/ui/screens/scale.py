"""A domain's self-efficacy scale (Bandura 2006): the user's own "I can ..." items, rated 0-100,
saved as items plus one sitting of ratings in one write, with the trend across sittings."""


from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Label, Static

from efficacy_tui import stamps
from efficacy_tui.coach.ratings import scale
from efficacy_tui.coach.scale import MAX_ITEMS, check_items, rerating_status, trend_line, whole
from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.store.ladder import get_domain
from efficacy_tui.store.scales import save_sitting, scale_items, scale_sessions
from efficacy_tui.ui.app import AppScreen
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import ask_to_leave, save_or_wait
from efficacy_tui.ui.widgets.key_footer import KeyFooter
from efficacy_tui.ui.widgets.rating import Rating
from efficacy_tui.ui.widgets.spark import spark

SPARK_SITTINGS = 24
LISTED_SITTINGS = 6


def _day_month(stamp: str) -> dict[str, object]:
    moment = stamps.moment(stamp)
    if moment is None:
        return {"day": stamps.unreadable(stamp), "month": ""}
    return {"day": moment.day, "month": moment.strftime("%b")}


class ScaleScreen(AppScreen[bool]):
    """Dismisses with True when it saved a sitting, False when left without writing."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="scale.save",
                tooltip="Save the items and this sitting's ratings"),
        Binding("escape", "leave", "Back", id="scale.leave",
                tooltip="Go back without saving anything"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="scale.help",
                tooltip="Every key here, and the science behind the scale"),
    ]

    def __init__(self, domain_id: int) -> None:
        super().__init__()
        self.domain_id = domain_id
        self.text = say("scale")
        self._last_by_text: dict[str, tuple[int, str]] = {}

    def compose(self) -> ComposeResult:
        text = self.text
        yield Header(show_clock=False)
        with VerticalScroll(id="form"):
            yield Static(id="scale-heading", classes="step-heading")
            yield Static(Content(text["intro"]), classes="hint")
            yield Static(Content(hint(self, text["keys"])), classes="hint")
            yield Static(id="scale-status", classes="field-label")
            yield Static(id="scale-trend")
            yield Static(id="error", classes="error")
            confidence = scale("confidence")
            for number in range(1, MAX_ITEMS + 1):
                placeholder = text["placeholder"] if number == 1 else text["placeholder_more"]
                with Vertical(classes="scale-item"):
                    yield Label(Content(text["item_label"].format(n=number)),
                                classes="field-label")
                    yield Input(placeholder=placeholder, id=f"item-{number}")
                    yield Rating(confidence, id=f"rating-{number}")
                    yield Static(id=f"hint-{number}", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        store = self.app.store
        self.sub_title = self.text["title"]
        self.query_one("#error").display = False
        domain = get_domain(store, self.domain_id)
        if domain is None:
            self.app.notify(say("scale.errors.no_such_domain"), severity="error")
            self.call_after_refresh(self.dismiss, False)
            return
        heading = self.text["heading"].format(domain=domain.name)
        self.query_one("#scale-heading", Static).update(Content(heading))
        items = scale_items(store, self.domain_id)
        sessions = scale_sessions(store, self.domain_id)
        texts = {item.id: item.text for item in items}
        for session in sessions:
            for item_id, rating in session.ratings.items():
                if item_id in texts:
                    self._last_by_text[texts[item_id]] = (rating, session.rated_at)
        last = sessions[-1].rated_at if sessions else None
        self.query_one("#scale-status", Static).update(
            Content(rerating_status(last, store.today()))
        )
        self.query_one("#scale-trend", Static).update(self._trend(sessions))
        for number in range(1, MAX_ITEMS + 1):
            value = items[number - 1].text if number <= len(items) else ""
            self.query_one(f"#item-{number}", Input).value = value
            self._show_hint(number, value)
        self._loaded = self._entered()
        self.query_one("#item-1", Input).focus()

    def _entered(self) -> list:
        """Every item's text and rating as they stand, to tell whether anything was changed."""
        return [(self.query_one(f"#item-{n}", Input).value,
                 self.query_one(f"#rating-{n}", Rating).value) for n in range(1, MAX_ITEMS + 1)]

    def _trend(self, sessions: list) -> Content:
        """A spark line of sitting means with first and latest in words, then recent dates."""
        words = self.text["trend"]
        if not sessions:
            return Content(words["none"])
        means = [s.mean for s in sessions]
        chart = spark(means[-SPARK_SITTINGS:], 0, 100)
        recent = " · ".join(
            words["sitting"].format(mean=whole(s.mean), **_day_month(s.rated_at))
            for s in sessions[-LISTED_SITTINGS:]
        )
        return Content.assemble(
            (words["label"], "bold"), " ", chart, "  ", trend_line(means), "\n", recent
        )

    def _show_hint(self, number: int, text: str) -> None:
        hint = self.query_one(f"#hint-{number}", Static)
        last = self._last_by_text.get(text.strip())
        if last is None:
            hint.update("")
            hint.display = False
            return
        rating, rated_at = last
        hint.update(Content(self.text["last_rated"].format(rating=rating,
                                                           **_day_month(rated_at))))
        hint.display = True

    @on(Input.Changed)
    def _item_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("item-"):
            self._show_hint(int(event.input.id.split("-")[1]), event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _show_error(self, sentence: str, field: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Content(sentence))
        error.display = True
        if field:
            self.query_one(f"#{field}").focus()
        error.scroll_visible()

    def action_save(self) -> None:
        texts = [self.query_one(f"#item-{n}", Input).value for n in range(1, MAX_ITEMS + 1)]
        ratings = [self.query_one(f"#rating-{n}", Rating).value for n in range(1, MAX_ITEMS + 1)]
        rated: list[tuple[str, int]] = []
        try:
            check_items(texts)
            for number, (text, rating) in enumerate(zip(texts, ratings, strict=True), start=1):
                if not text.strip():
                    continue
                if rating is None:
                    raise InvalidValue(say("scale.errors.rate_item", n=number), f"rating-{number}")
                rated.append((text.strip(), rating))
        except InvalidValue as err:
            self._show_error(str(err), err.field)
            return
        try:
            with save_or_wait(self.app.store):
                save_sitting(self.app.store, self.domain_id, rated)
        except InvalidValue as err:
            self._show_error(str(err), "")
            return
        mean = whole(sum(rating for _, rating in rated) / len(rated))
        self.app.notify(self.text["saved"].format(mean=mean))
        self.dismiss(True)

    def action_leave(self) -> None:
        """Leaving with unsaved items or ratings asks once first."""
        if self._entered() == getattr(self, "_loaded", None):
            self.dismiss(False)
            return
        ask_to_leave(self, False)
