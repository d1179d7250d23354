"""Every key in every screen and widget has an id (so it can be remapped) and a tooltip (so the
footer, help and palette can say what it does)."""

import importlib
import pkgutil
import re

import pytest
from textual.binding import Binding

import efficacy_tui.ui
from efficacy_tui.ui.bindings import keyed


def _modules():
    for info in pkgutil.walk_packages(efficacy_tui.ui.__path__, "efficacy_tui.ui."):
        yield importlib.import_module(info.name)


def _classes_with_bindings():
    seen = {}
    for module in _modules():
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ \
                    and "BINDINGS" in vars(value):
                seen[f"{module.__name__}.{value.__name__}"] = vars(value)["BINDINGS"]
    return seen


CLASSES = _classes_with_bindings()


def test_the_screens_are_all_found():
    names = {name.rsplit(".", 1)[1] for name in CLASSES}
    assert {"EfficacyApp", "HomeScreen", "CheckinScreen", "LadderScreen", "AuditScreen",
            "ScaleScreen", "ReframeScreen", "ReadinessScreen", "ReviewScreen", "RoleModelsScreen",
            "HelpScreen", "FormScreen", "ConfirmScreen", "Rating"} <= names


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_binding_has_an_id_and_a_tooltip(name):
    for binding in CLASSES[name]:
        assert isinstance(binding, Binding), f"{name}: {binding!r} is a tuple; use Binding"
        assert binding.id, f"{name}: {binding.key} -> {binding.action} has no id"
        assert binding.tooltip, f"{name}: {binding.key} -> {binding.action} has no tooltip"


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_ids_are_unique_within_a_screen(name):
    ids = [binding.id for binding in CLASSES[name]]
    assert len(ids) == len(set(ids))


ID = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z0-9]+(_[a-z0-9]+)*$")


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_ids_name_one_screen_then_the_action(name):
    prefixes = {binding.id.split(".")[0] for binding in CLASSES[name]}
    assert len(prefixes) == 1, f"{name}: {prefixes}"
    for binding in CLASSES[name]:
        assert ID.match(binding.id), binding.id


def test_every_class_with_keys_is_listed_once_so_efficacy_keys_shows_it():
    listed = [k.cls for k in keyed()]
    assert len(listed) == len(set(listed))
    assert {f"{cls.__module__}.{cls.__name__}" for cls in listed} == set(CLASSES)


def test_an_id_names_one_binding_in_the_whole_app():
    ids = [binding.id for k in keyed() for binding in k.bindings]
    assert len(ids) == len(set(ids))
