"""The question asked before a save starts a domain from a name the user typed.

A slip such as "Public speking" would otherwise start a second domain beside the one meant and
split the user's record in two, so every place that starts a domain from a typed name asks first,
naming each new domain and, where one there is looks like what was meant, that one too.
"""

from collections.abc import Sequence

from textual.dom import DOMNode

from efficacy_tui.content import say
from efficacy_tui.store.core import Store
from efficacy_tui.store.domains import find_domain, similar_domain
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import ConfirmScreen


def new_domain_lines(store: Store, names: Sequence[str]) -> list[str]:
    """A line for each new domain, followed by the known one it is probably a slip for."""
    text = say("common.new_domains")
    lines = []
    for name in names:
        lines.append(text["name"].format(name=name))
        near = similar_domain(store, name)
        if near is not None:
            lines.append(text["near"].format(known=near.name))
    return lines


def new_domains_question(store: Store, names: Sequence[str], after: str,
                         asker: DOMNode) -> ConfirmScreen:
    """Yes or no to starting the domains `names`; `after` says what each answer does there,
    with the keys as `asker` takes them."""
    lines = [*new_domain_lines(store, names), hint(asker, after)]
    return ConfirmScreen(say("common.new_domains.title"), "\n".join(lines))


def new_domain_question(store: Store, name: str, after: str,
                        asker: DOMNode) -> ConfirmScreen | None:
    """The question for one typed domain name, or None when saving would start no domain: the
    name is blank, or a domain of that name is there in any case (an archived one is brought
    back)."""
    name = name.strip()
    if not name or find_domain(store, name) is not None:
        return None
    return new_domains_question(store, [name], after, asker)


def slip_question(store: Store, name: str, after: str, asker: DOMNode) -> ConfirmScreen | None:
    """The question for a typed name that would start a domain and looks like a slip for a known
    one, or None: where starting a domain is what the screen is for (the audit), only a near
    miss is asked about."""
    name = name.strip()
    if not name or find_domain(store, name) is not None or similar_domain(store, name) is None:
        return None
    return new_domains_question(store, [name], after, asker)
