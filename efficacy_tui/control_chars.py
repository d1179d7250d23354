"""Control characters in the user's words as visible symbols, for every place that prints them.

A note imported from elsewhere can hold ESC, NUL or C1 control characters, which a terminal would
obey: "\\x1b]0;…" retitles the window, "\\x1b[2J" clears it and an unfinished sequence swallows
what follows. The database keeps the text exactly; what is printed shows each control character
as its Unicode control picture (ESC as ␛, NUL as ␀), tab and newline excepted. The command line
prints through `visible`; the app applies the same table to Textual and Rich
(ui/widgets/safe_text.py). Outside the ui package, so `efficacy nudge` loads neither of its
packages to print one line.
"""

KEPT = {0x09, 0x0A}  # tab and newline lay text out; they are not shown as symbols
# One character for one, so the positions of styled spans in a Content stay where they were.
PICTURES: dict[int, str] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in KEPT},
    0x7F: "\u2421",  # ␡
    **{code: "\ufffd" for code in range(0x80, 0xA0)},  # C1 controls (0x9b is CSI) have no picture
}


# For a line that quotes the user's words (a sentence, a list on one line): a newline shown too.
LINE_PICTURES: dict[int, str] = {**PICTURES, 0x0A: "\u240a"}  # ␊


def visible(text: str) -> str:
    """The text with every control character but tab and newline replaced by a visible symbol."""
    return text.translate(PICTURES)


def one_line(text: str) -> str:
    """`visible`, with a newline shown as ␊ too, so the text stays on the line that quotes it."""
    return text.translate(LINE_PICTURES)
