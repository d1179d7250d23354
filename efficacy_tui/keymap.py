"""The user's keys: the `[keymap]` table of the config file (binding id = key), read as a file
anyone could have written and checked entry by entry, so a bad entry costs only itself.

Textual is imported only inside the checks, so reading the file stays light.
"""

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from efficacy_tui.content import say

ENV_VAR = "EFFICACY_CONFIG"
MAX_BYTES = 64 * 1024  # a keymap for every binding is a few kilobytes
MAX_SENTENCES = 5  # a crafted file with thousands of bad entries still gets a few lines
MAX_QUOTED = 40  # longer ids and keys are cut when quoted in a sentence
MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")  # Textual names them sorted so
NAMED_KEYS = {
    "backspace", "delete", "down", "end", "enter", "escape", "home", "insert", "left",
    "pagedown", "pageup", "right", "space", "tab", "up", *(f"f{n}" for n in range(1, 25)),
}


@dataclass
class Keymap:
    """The entries that can be applied (id = Textual key list) and one sentence per problem."""

    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    """EFFICACY_CONFIG if set, else config.toml in the user config folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("efficacy", appauthor=False) / "config.toml"


def _quoted(text: str) -> str:
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "…"


def read_table(path: Path) -> tuple[dict[str, object], str | None]:
    """The `[keymap]` table of the file at `path` and None, or nothing and the one sentence that
    says why the file cannot be used. A missing file or table is no problem."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return {}, None
    except OSError as err:
        return {}, say("keymap.file.unreadable", path=path, error=err.strerror or err)
    if not stat.S_ISREG(info.st_mode):
        return {}, say("keymap.file.not_a_file", path=path)
    if info.st_size > MAX_BYTES:
        return {}, say("keymap.file.too_large", path=path, limit=MAX_BYTES // 1024)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as err:
        return {}, say("keymap.file.unreadable", path=path, error=err.strerror or err)
    if len(data) > MAX_BYTES:
        return {}, say("keymap.file.too_large", path=path, limit=MAX_BYTES // 1024)
    import tomllib  # only when there is a file: most starts have none

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, say("keymap.file.not_text", path=path)
    except tomllib.TOMLDecodeError as err:
        return {}, say("keymap.file.not_toml", path=path, error=err)
    table = parsed.get("keymap", {})
    if not isinstance(table, dict):
        return {}, say("keymap.file.not_a_table", path=path)
    return table, None


def canonical_keys(value: str) -> str | None:
    """`value` as the key list Textual matches ("?" becomes question_mark, modifiers sorted), or
    None when some key in it is not one Textual can read."""
    from string import punctuation

    from textual.keys import _character_to_key

    named = NAMED_KEYS | {_character_to_key(c) for c in punctuation}
    keys = []
    for part in value.split(","):
        *modifiers, base = part.strip().split("+")
        if len(set(modifiers)) != len(modifiers) or not set(modifiers) <= set(MODIFIERS):
            return None
        if len(base) == 1 and base.isprintable() and not base.isspace():
            base = _character_to_key(base)
        elif base not in named:
            return None
        keys.append("+".join([*sorted(modifiers), base]))
    return ",".join(keys)


def check(table: Mapping[str, object], screens: Iterable[Iterable[tuple[str, str]]],
          path: Path, limit: int | None = MAX_SENTENCES) -> Keymap:
    """The entries of `table` that can be applied, and a sentence for each that cannot: an id
    that is no binding, a key Textual cannot read, or a key that another id already answers on
    the same screen. `screens` lists, for each screen, its bindings as (id, default keys), the
    app's own included. Bad entries are left out, so their bindings keep their default keys.
    Past `limit` sentences, one more says how many were left unsaid."""
    groups = [dict(group) for group in screens]
    known = {binding_id for group in groups for binding_id in group}
    result = Keymap()
    for binding_id, value in table.items():
        if binding_id not in known:
            result.problems.append(say("keymap.entry.unknown_id", id=_quoted(binding_id),
                                       path=path))
        elif not isinstance(value, str):
            result.problems.append(say("keymap.entry.not_a_string", id=binding_id, path=path))
        elif (keys := canonical_keys(value)) is None:
            result.problems.append(say("keymap.entry.bad_key", id=binding_id, key=_quoted(value)))
        else:
            result.keys[binding_id] = keys
    while clash := _first_clash(groups, result.keys):
        binding_id, key, other = clash
        del result.keys[binding_id]
        result.problems.append(say("keymap.entry.clash", id=binding_id, key=key, other=other))
    if limit is not None and len(result.problems) > limit:
        more = len(result.problems) - limit + 1
        result.problems[limit - 1:] = [say("keymap.entry.more", count=more, path=path)]
    return result


def _first_clash(groups: list[dict[str, str]],
                 keys: Mapping[str, str]) -> tuple[str, str, str] | None:
    """A remapped id, a key it was given and another id of the same screen on that key. Two
    defaults on one key are left alone: the screens show only one of them at a time."""
    for group in groups:
        owners: dict[str, list[str]] = {}
        for binding_id, default in group.items():
            for key in keys.get(binding_id, default).split(","):
                owners.setdefault(key.strip(), []).append(binding_id)
        for key, ids in owners.items():
            remapped = [i for i in ids if i in keys]
            if len(ids) > 1 and remapped:
                return remapped[-1], key, next(i for i in ids if i != remapped[-1])
    return None
