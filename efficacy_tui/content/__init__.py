"""What the coach says lives in TOML files beside this module, so it can be reviewed as prose."""

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed content file `name`.toml."""
    return tomllib.loads((HERE / f"{name}.toml").read_text("utf-8"))


def message(key: str, **values: Any) -> str:
    """One sentence from messages.toml with its {placeholders} filled in."""
    return load("messages")[key].format(**values)


def text(name: str, key: str) -> Any:
    """A value from a content file; a dotted key reaches into tables."""
    node: Any = load(name)
    for part in key.split("."):
        node = node[part]
    return node
