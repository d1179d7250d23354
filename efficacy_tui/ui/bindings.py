"""Every screen and widget that declares keys, in one list: help shows them, `efficacy keys`
prints them, and the user's keymap is checked against them, so the three cannot disagree.

Screen modules are imported only when the list is asked for.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import import_module

from textual.binding import Binding

from efficacy_tui.keymap import Keymap, check, config_path, read_table

SCREENS = "efficacy_tui.ui.screens."
WIDGETS = "efficacy_tui.ui.widgets."
RATING = "Rating scales"
RECORDS = "Records table"
FILTERS = "Review filters"
# (title, module, class, whether help lists it, titles of the widgets with keys shown on it)
KEYED = (
    ("Home", SCREENS + "home", "HomeScreen", True, ()),
    ("Check-in", SCREENS + "checkin", "CheckinScreen", True, (RATING,)),
    ("Ladder", SCREENS + "ladder", "LadderScreen", True, ()),
    ("Readiness walkthrough", SCREENS + "readiness", "ReadinessScreen", True, (RATING,)),
    ("Models and feedback", SCREENS + "role_models", "RoleModelsScreen", True, ()),
    ("Self-efficacy audit", SCREENS + "audit", "AuditScreen", True, (RATING,)),
    ("Self-efficacy scale", SCREENS + "scale", "ScaleScreen", True, (RATING,)),
    ("Reframe", SCREENS + "reframe", "ReframeScreen", True, ()),
    ("Review", SCREENS + "review", "ReviewScreen", True, (RECORDS, FILTERS)),
    ("Sync conflicts", SCREENS + "conflicts", "ConflictsScreen", True, ()),
    ("Forms", SCREENS + "base", "FormScreen", True, (RATING,)),
    ("Questions", SCREENS + "base", "ConfirmScreen", True, ()),
    (RATING, WIDGETS + "rating", "Rating", True, ()),
    (RECORDS, WIDGETS + "records_table", "RecordsTable", False, ()),
    (FILTERS, WIDGETS + "filter_select", "FilterSelect", False, ()),
    ("Export", SCREENS + "review_forms", "ExportScreen", False, ()),
    ("Import", SCREENS + "import_form", "ImportScreen", False, ()),
    ("Help", SCREENS + "help", "HelpScreen", False, ()),
)
EVERYWHERE = "Everywhere"


@dataclass(frozen=True)
class Keyed:
    """One class that declares keys, and the title it is listed under."""

    title: str
    cls: type
    in_help: bool
    within: tuple[str, ...]

    @property
    def bindings(self) -> list[Binding]:
        return declared(self.cls)


def declared(cls: type) -> list[Binding]:
    """The bindings a class declares itself (ours are all `Binding`s with ids)."""
    return [b for b in vars(cls).get("BINDINGS", []) if isinstance(b, Binding)]


def keyed() -> list[Keyed]:
    """Every keyed class of the app, the app's own keys last, under "Everywhere"."""
    from efficacy_tui.ui.app import EfficacyApp

    found = [Keyed(title, getattr(import_module(module), name), in_help, within)
             for title, module, name, in_help, within in KEYED]
    return [*found, Keyed(EVERYWHERE, EfficacyApp, True, ())]


def screen_groups(classes: list[Keyed]) -> Iterator[list[tuple[str, str]]]:
    """For each keyed class, the (id, default keys) that answer together with it: its own, those
    of the widgets shown on it, and the app's."""
    by_title = {k.title: k for k in classes}
    app = by_title[EVERYWHERE].bindings
    for k in classes:
        within = [b for title in k.within for b in by_title[title].bindings]
        together = k.bindings + within + (app if k.title != EVERYWHERE else [])
        yield [(b.id, b.key) for b in together if b.id]


def user_keymap(limit: int | None = 5) -> Keymap:
    """The keymap in the user's config file, checked: what can be applied and what cannot."""
    path = config_path()
    table, problem = read_table(path)
    if problem:
        return Keymap(problems=[problem])
    if not table:
        return Keymap()
    return check(table, screen_groups(keyed()), path, limit=limit)


def default_keys(binding_id: str) -> str:
    """The default keys of a binding on a screen that may not be open: its module is found from
    the id's screen name where it can be, so only that one is imported."""
    try:
        modules = [import_module(SCREENS + binding_id.split(".")[0])]
    except ImportError:
        modules = []
    classes = [v for m in modules for v in vars(m).values() if isinstance(v, type)]
    for found in (lambda: classes, lambda: [k.cls for k in keyed()]):  # all only if need be
        for cls in found():
            for binding in declared(cls):
                if binding.id == binding_id:
                    return binding.key
    raise KeyError(binding_id)


def current_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The binding's key list now: the user's, else its own."""
    return keymap.get(binding.id or "", binding.key)
