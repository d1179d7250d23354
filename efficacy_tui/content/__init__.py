"""One TOML file per subject (ladder.toml, readiness.toml, ...), common.toml for what several share.

What the coach says lives in these files beside this module, so it can be reviewed as prose. A
path's first part names the file and the rest reaches into its tables: "ladder.suggest.advance".

A count is written with its two forms after a colon, "{count:check-in|check-ins}", and reads
"1 check-in" or "3 check-ins": one rule for every count, so no sentence says "1 check-ins".
"""

import marshal
import os
from functools import cache

TYPE_CHECKING = False  # not typing's (nor __future__'s): `efficacy nudge` loads neither
if TYPE_CHECKING:
    from typing import Any

HERE = os.path.dirname(__file__)  # a str: pathlib costs `efficacy nudge` its imports
PARSED = os.path.join(HERE, "__pycache__")


@cache
def _file(name: str) -> "dict[str, Any]":
    """The parsed content file `name`.toml, read on first use. As Python keeps bytecode, the
    parsed tables are kept beside it (marshal) and used while the file's modification time and
    size are the same, so a command that says one line skips the TOML parser and its imports."""
    source = os.path.join(HERE, f"{name}.toml")
    found = os.stat(source)
    stamp = (found.st_mtime_ns, found.st_size)
    kept = os.path.join(PARSED, f"{name}.toml.marshal")
    try:
        with open(kept, "rb") as file:
            made, parsed = marshal.loads(file.read())
        if tuple(made) == stamp and isinstance(parsed, dict):
            return parsed
    except (OSError, ValueError, EOFError, TypeError):
        pass
    import tomllib

    with open(source, encoding="utf-8") as file:
        parsed = tomllib.loads(file.read())
    _keep(kept, stamp, parsed)
    return parsed


def _keep(kept: str, stamp: tuple[int, int], parsed: "dict[str, Any]") -> None:
    """Write the parsed tables for the next run; an install that cannot be written parses each
    time instead."""
    temp = f"{kept}.{os.getpid()}"
    try:
        os.makedirs(PARSED, exist_ok=True)
        with open(temp, "wb") as file:
            marshal.dump((stamp, parsed), file)
        os.replace(temp, kept)
    except (OSError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass


def plural(count: int | str, one: str, many: str) -> str:
    """The count and the word that goes with it: "1 check-in", "0 check-ins", "1,234 check-ins"
    (a count already formatted as text is read as it is shown)."""
    single = count == 1 if isinstance(count, int) else str(count).strip() == "1"
    return f"{count} {one if single else many}"


class _Counted:
    """A value filled into a template as str.format would, and "{n:one|many}" as a count and its
    word. (string.Formatter would do, but importing `string` costs `efficacy nudge` 2 ms.)"""

    __slots__ = ("value",)

    def __init__(self, value: "Any") -> None:
        self.value = value

    def __format__(self, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, many = format_spec.partition("|")
            return plural(self.value, one, many)
        return format(self.value, format_spec)

    def __getattr__(self, name: str) -> "Any":
        return getattr(self.value, name)

    def __getitem__(self, key: "Any") -> "Any":
        return self.value[key]

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return repr(self.value)


def fill(template: str, /, **values: "Any") -> str:
    """A content string read earlier (with its table) filled in, counts included."""
    return template.format(**{name: _Counted(value) for name, value in values.items()})


def say(path: str, /, **values: "Any") -> "Any":
    """The value at the dotted `path`: a string, a list or a table. With `values`, the string with
    its {placeholders} filled in."""
    name, _, rest = path.partition(".")
    node: Any = _file(name)
    for part in rest.split(".") if rest else ():
        node = node[part]
    return fill(node, **values) if values else node
