"""The rating widget used for every 0-100 (or 0-10) scale: keys, mouse, and the anchor word."""

from textual.binding import Binding
from textual.content import Content
from textual.events import Click, Key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from efficacy_tui.coach.ratings import Scale
from efficacy_tui.content import say

BAR_CELLS = 21


class Rating(Widget, can_focus=True):
    """A value on a scale: a digit sets it (tenths of a 0-100 scale), arrows move one step,
    Home/End jump to the ends, a click sets it.

    It starts unrated (None) so no number is suggested to the person rating. With `exact`, a
    value given between two steps is kept as it is rather than rounded to the nearest step."""

    BINDINGS = [
        Binding("left,down", "nudge(-1)", "Lower", id="rating.lower", tooltip="One step lower"),
        Binding("right,up", "nudge(1)", "Higher", id="rating.higher", tooltip="One step higher"),
        Binding("home", "jump(-1)", "Lowest", show=False, id="rating.lowest",
                tooltip="Set the lowest value"),
        Binding("end", "jump(1)", "Highest", show=False, id="rating.highest",
                tooltip="Set the highest value"),
        Binding("0,1,2,3,4,5,6,7,8,9", "digit", "Rate", show=False, key_display="0-9",
                id="rating.digit", tooltip="Set the rating: on a 0-100 scale 7 gives 70 and 0 "
                "gives 0 (End gives 100); on a 0-10 or 1-5 scale the digit itself"),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        """Posted when the value changes, by key, click or code."""

        def __init__(self, rating: "Rating", value: int | None) -> None:
            super().__init__()
            self.rating = rating
            self.value = value

        @property
        def control(self) -> "Rating":
            return self.rating

    def __init__(
        self, scale: Scale, value: int | None = None, *, id: str | None = None,
        classes: str | None = None, exact: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.scale = scale
        fit = scale.within if exact else scale.clamp
        self.set_reactive(Rating.value, None if value is None else fit(value))
        self._typed = ""
        words = say("ratings.typing")
        kind = "tenths" if scale.in_tenths else "digits" if scale.high <= 9 else "digits_end"
        self.tooltip = words[f"tooltip_{kind}"].format(low=scale.low, high=scale.high)
        self._unrated = words[f"unrated_{kind}"].format(low=scale.low, high=scale.high)

    def on_key(self, event: Key) -> None:
        # The focused widget sees a key before its bindings run: the digit binding reads it here.
        self._typed = event.character or ""

    def action_digit(self) -> None:
        if self._typed.isdecimal() and len(self._typed) == 1:
            value = self.scale.from_digit(int(self._typed))
            if value is not None:
                self.value = value

    def action_nudge(self, direction: int) -> None:
        if self.value is None:
            self.value = self.scale.clamp((self.scale.low + self.scale.high) // 2)
        else:
            self.value = self.scale.step_from(self.value, direction)

    def action_jump(self, direction: int) -> None:
        self.value = self.scale.high if direction > 0 else self.scale.low

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.x < BAR_CELLS:
            span = self.scale.high - self.scale.low
            self.value = self.scale.clamp(self.scale.low + round(offset.x * span / (BAR_CELLS - 1)))
            self.focus()

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Content:
        scale = self.scale
        if self.value is None:
            return Content.assemble(
                ("─" * BAR_CELLS, "dim"), "  ", (self._unrated, "italic")
            )
        filled = round((self.value - scale.low) * (BAR_CELLS - 1) / (scale.high - scale.low))
        return Content.assemble(
            ("━" * filled, "$accent"),
            ("●", "bold"),
            ("─" * (BAR_CELLS - 1 - filled), "dim"),
            f"  {self.value:>3} ",
            (scale.anchor(self.value), "italic"),
        )
