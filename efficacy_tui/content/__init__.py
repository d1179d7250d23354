"""One TOML file per subject (ladder.toml, readiness.toml, ...), common.toml for what several share.

What the coach says lives in these files beside this module, so it can be reviewed as prose. A
path's first part names the file and the rest reaches into its tables: "ladder.suggest.advance".
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def _file(name: str) -> dict[str, Any]:
    """The parsed content file `name`.toml, read on first use."""
    return tomllib.loads((HERE / f"{name}.toml").read_text("utf-8"))


def say(path: str, /, **values: Any) -> Any:
    """The value at the dotted `path`: a string, a list or a table. With `values`, the string with
    its {placeholders} filled in."""
    name, _, rest = path.partition(".")
    node: Any = _file(name)
    for part in rest.split(".") if rest else ():
        node = node[part]
    return node.format(**values) if values else node
