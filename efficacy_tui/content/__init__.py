"""One TOML file per subject (ladder.toml, readiness.toml, ...), common.toml for what several share.

What the coach says lives in these files beside this module, so it can be reviewed as prose. A
path's first part names the file and the rest reaches into its tables: "ladder.suggest.advance".

A count is written with its two forms after a colon, "{count:check-in|check-ins}", and reads
"1 check-in" or "3 check-ins": one rule for every count, so no sentence says "1 check-ins".
"""

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def _file(name: str) -> dict[str, Any]:
    """The parsed content file `name`.toml, read on first use."""
    return tomllib.loads((HERE / f"{name}.toml").read_text("utf-8"))


def plural(count: int | str, one: str, many: str) -> str:
    """The count and the word that goes with it: "1 check-in", "0 check-ins", "1,234 check-ins"
    (a count already formatted as text is read as it is shown)."""
    single = count == 1 if isinstance(count, int) else str(count).strip() == "1"
    return f"{count} {one if single else many}"


class _Counting(string.Formatter):
    """str.format, plus "{n:one|many}" for a count and its word."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, many = format_spec.partition("|")
            return plural(value, one, many)
        return super().format_field(value, format_spec)


_FORMATTER = _Counting()


def fill(template: str, /, **values: Any) -> str:
    """A content string read earlier (with its table) filled in, counts included."""
    return _FORMATTER.format(template, **values)


def say(path: str, /, **values: Any) -> Any:
    """The value at the dotted `path`: a string, a list or a table. With `values`, the string with
    its {placeholders} filled in."""
    name, _, rest = path.partition(".")
    node: Any = _file(name)
    for part in rest.split(".") if rest else ():
        node = node[part]
    return _FORMATTER.format(node, **values) if values else node
