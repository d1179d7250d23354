"""Every key in every screen and widget has an id (so it can be remapped) and a tooltip (so the
footer, help and palette can say what it does)."""

import importlib
import pkgutil

import pytest
from textual.binding import Binding

import efficacy_tui.ui


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
