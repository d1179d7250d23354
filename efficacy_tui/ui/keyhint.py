"""Key hints built from the bindings as they are now. Content writes the words around a key
("{save} saves"); the key comes from the bindings and the user's keymap, so a remapped key shows
in the hint as it does in the footer and help.

In a hint, `{name}` is the key of the binding whose id ends in `.name` (the screen's own first,
then the app's; `{home.checkin}` names one exactly, on any screen), `{name:2}` its second key,
if it has one, and `{name:or}` every key it has ("y or enter"), however many the keymap gives.
"""

import re
from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_DISPLAY_ALIASES, format_key

PLACE = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)(?::([1-9]|or))?\}")
ARROWS = {"up", "down", "left", "right"}


def key_display(key: str) -> str:
    """One key as hints write it: ctrl+s, escape, enter, f2, ?, ←."""
    *modifiers, base = key.split("+")
    shown = base if base in KEY_DISPLAY_ALIASES and base not in ARROWS else format_key(base)
    return "+".join([*modifiers, shown])


def _declared(node: DOMNode) -> Iterator[tuple[str, Binding]]:
    """The node's bindings that have an id, with it."""
    for cls in type(node).__mro__:
        for binding in vars(cls).get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                yield binding.id, binding


def _nodes(node: DOMNode) -> Iterator[DOMNode]:
    """Where a binding is looked for: the node and its screen, the app, the screens below, then
    the widgets on the node's screen."""
    app = node.app
    yield node
    if node is not app:
        yield node.screen
    yield app
    yield from reversed(app.screen_stack)
    if node is not app:
        yield from node.screen.query("*")


def binding_keys(node: DOMNode, name: str) -> list[str]:
    """The keys that answer the binding named `name` where `node` is, remapped or not."""
    keymap = getattr(node.app, "keymap", {})
    for place in _nodes(node):
        for id_, binding in _declared(place):
            if id_ == name or id_.endswith(f".{name}"):
                return keymap.get(id_, binding.key).split(",")
    if "." not in name:
        raise KeyError(name)
    from efficacy_tui.ui.bindings import default_keys

    return keymap.get(name, default_keys(name)).split(",")


def hint(node: DOMNode, template: str, **values: object) -> str:
    """`template` with each `{name}` filled: from `values` if named there, else with the key of
    that binding. One pass, so a value holding braces stays as it is."""

    def fill(match: re.Match[str]) -> str:
        name, nth = match.groups()
        if name in values and nth is None:
            return str(values[name])
        keys = binding_keys(node, name)
        if nth == "or":
            return " or ".join(key_display(key.strip()) for key in keys)
        return key_display(keys[min(int(nth or 1), len(keys)) - 1].strip())

    return PLACE.sub(fill, template)
