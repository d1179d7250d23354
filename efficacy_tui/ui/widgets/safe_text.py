"""User text shown safely: control characters appear as symbols and never reach the terminal.

A note imported from elsewhere can hold ESC, NUL or C1 control characters. Textual's Content and
Rich's Text drop only five of them (bell, backspace, vertical and form feed, carriage return) and
pass the rest to the terminal, where "\\x1b]0;…" retitles the window, "\\x1b[2J" clears it and an
unfinished sequence swallows what follows. The database keeps the text exactly; on screen each
control character is its Unicode control picture (ESC as ␛, NUL as ␀), tab and newline excepted.

Textual is imported lazily, so the command line can use `visible` without loading it.
"""

TYPE_CHECKING = False  # not typing's: `efficacy nudge` prints through `visible`
if TYPE_CHECKING:
    from textual.filter import LineFilter

KEPT = {0x09, 0x0A}  # tab and newline lay text out; they are not shown as symbols
# One character for one, so the positions of styled spans in a Content stay where they were.
PICTURES: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in KEPT},
    0x7F: "\u2421",  # ␡
    **{code: "\ufffd" for code in range(0x80, 0xA0)},  # C1 controls (0x9b is CSI) have no picture
}
_DROPPED: dict[int, None] = {code: None for code in PICTURES}


def visible(text: str) -> str:
    """The text with every control character but tab and newline replaced by a visible symbol."""
    return text.translate(PICTURES)


PREVIEW = 400  # characters of the user's words a preview line shows


def clipped(text: str, limit: int = PREVIEW) -> str:
    """At most `limit` characters of the user's words, for a line that only previews them (the
    record keeps them whole): a 10 MB field laid out in full would freeze the screen."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def show_control_characters() -> None:
    """Make every Content and Text built from now on show control characters as symbols.

    Textual and Rich both clean text through a module-level translation table; adding the
    pictures to it reaches every widget (labels, tables, inputs, notifications) at once, where
    calling `visible` at each of a hundred call sites would miss the next one. Idempotent."""
    from rich import control
    from textual import content

    for table in (getattr(content, "_CONTROL_STRIP_TRANSLATE", None),
                  getattr(control, "_CONTROL_STRIP_TRANSLATE", None)):
        if isinstance(table, dict):
            table.update(PICTURES)


def control_filter() -> "LineFilter":
    """A line filter, the last guard before the terminal: it drops any control character still
    in a painted line, whatever widget or code path put it there. Control characters take no
    cells, so dropping them leaves the layout as it was."""
    from textual.filter import LineFilter

    class ControlFilter(LineFilter):
        def apply(self, segments: list, background: object) -> list:
            if all(text.isprintable() or control for text, _, control in segments):
                return segments
            from rich.segment import Segment

            return [
                segment if segment.control or segment.text.isprintable()
                else Segment(segment.text.translate(_DROPPED), segment.style)
                for segment in segments
            ]

    return ControlFilter()
