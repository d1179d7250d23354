"""What the check-in asks before its save starts a domain or a rung that does not exist yet."""

from textual.app import ComposeResult
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Input, Static

from efficacy_tui.coach.checkin import NewNames, read_new_rung
from efficacy_tui.coach.ratings import scale
from efficacy_tui.content import say
from efficacy_tui.store.core import Store
from efficacy_tui.ui.keyhint import hint
from efficacy_tui.ui.screens.base import FormScreen
from efficacy_tui.ui.screens.new_domain import new_domain_lines
from efficacy_tui.ui.widgets.form import labelled, required
from efficacy_tui.ui.widgets.rating import Rating


def new_names_question(store: Store, new: NewNames, asker: DOMNode) -> str:
    """The lines for the new domains and one for a new rung, then what saving does, with the
    keys as `asker` takes them."""
    text = say("checkin.new")
    lines = new_domain_lines(store, new.domains)
    if new.rung:
        lines.append(text["rung"].format(domain=new.rung_domain, name=new.rung))
    lines.append(hint(asker, text["rung_after" if new.rung else "domain_after"]))
    return "\n".join(lines)


class NewRungForm(FormScreen[tuple[str, int]]):
    """Names the new rung (and any new domain) and asks for the rung's success criterion and
    difficulty, which a rung needs before it can be climbed and judged; gives both, checked."""

    def __init__(self, new: NewNames) -> None:
        super().__init__()
        self.new = new
        self.form_title = say("checkin.new.rung_title")

    def fields(self) -> ComposeResult:
        forms = say("ladder.forms")
        yield Static(Content(new_names_question(self.app.store, self.new, self)),
                     id="new-names")
        yield from labelled(required(forms["criterion"]), Input(id="criterion"),
                            forms["criterion_hint"])
        yield from labelled(required(forms["difficulty"]),
                            Rating(scale("difficulty"), self.new.rung_difficulty,
                                   id="difficulty", exact=True),
                            forms["difficulty_hint"])

    def submit(self) -> tuple[str, int]:
        return read_new_rung(self.value("criterion"), self.value("difficulty"))
