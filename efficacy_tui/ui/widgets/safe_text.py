"""User text shown safely: control characters appear as symbols and never reach the terminal.

Textual's Content and Rich's Text drop only five control characters (bell, backspace, vertical and
form feed, carriage return) and pass the rest to the terminal. Here they are made to show every
one as a symbol, with the table the command line prints through (control_chars.py), and a last
filter before the terminal drops any that still get through.

Textual is imported lazily, inside the functions that need it.
"""

from efficacy_tui.control_chars import PICTURES

TYPE_CHECKING = False  # not typing's, which nothing else here needs
if TYPE_CHECKING:
    from textual.filter import LineFilter

_DROPPED: dict[int, None] = {code: None for code in PICTURES}


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
