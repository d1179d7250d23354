"""Every path the code asks content for exists, and every key in the content files is asked for.

The code is read, not run: each call of `say` with a literal path, an f-string path (its literal
start) or a choice between the two (`say("a.b" if x else "a.c")`) is a path the code asks for.
A path that reaches a table or a list counts every key under it as used.
"""

import ast
import marshal
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import efficacy_tui
from efficacy_tui.content import HERE, fill, plural, say

SOURCE = Path(efficacy_tui.__file__).parent

# Files the code reads whole by a name the scan cannot see, with why.
READ_BY_NAME = {
    # The step screens (ui/screens/base.py) read the file named by their NAME.
    "audit", "checkin", "readiness", "reframe",
}


def content_paths() -> set[str]:
    """Every dotted path in the content files: tables, and the strings and lists in them."""
    found: set[str] = set()

    def walk(prefix: str, node: Any) -> None:
        found.add(prefix)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}", value)

    for file in Path(HERE).glob("*.toml"):
        walk(file.stem, tomllib.loads(file.read_text("utf-8")))
    return found


def _paths(arg: ast.expr) -> Iterator[tuple[str, bool]]:
    """(path, exact) for each path an argument can be; exact is False for an f-string's start."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value, True
    elif isinstance(arg, ast.JoinedStr):
        start = ""
        for part in arg.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            start += part.value
        yield start, False
    elif isinstance(arg, ast.IfExp):
        yield from _paths(arg.body)
        yield from _paths(arg.orelse)
    else:
        raise ValueError(ast.unparse(arg))


def asked() -> tuple[list[tuple[str, str, bool]], list[str]]:
    """(where, path, exact) for every say() call the scan can read, and where it cannot."""
    seen, unseen = [], []
    for file in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(file.read_text("utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name != "say":
                continue
            where = f"{file.relative_to(SOURCE.parent)}:{node.lineno}"
            try:
                seen.extend((where, path, exact) for path, exact in _paths(node.args[0]))
            except ValueError as err:
                unseen.append(f"{where}: say({err})")
    return seen, unseen


def test_every_path_the_code_asks_for_exists():
    paths = content_paths()
    seen, _ = asked()
    missing = []
    for where, path, exact in seen:
        if exact and path not in paths:
            missing.append(f"{where}: {path}")
        if not exact and not any(p.startswith(path) and p != path for p in paths):
            missing.append(f"{where}: {path}…")
    assert not missing, "\n".join(missing)


def test_the_scan_sees_every_call_but_the_step_screens():
    from efficacy_tui.ui.screens.base import StepScreen

    _, unseen = asked()
    assert len(unseen) == 1, "\n".join(unseen)
    assert unseen[0].startswith("efficacy_tui/ui/screens/base.py:")
    assert unseen[0].endswith(": say(self.NAME)")
    for module in ("audit", "checkin", "readiness", "reframe"):
        __import__(f"efficacy_tui.ui.screens.{module}")
    assert {cls.NAME for cls in StepScreen.__subclasses__()} == READ_BY_NAME


def test_every_key_in_the_files_is_used():
    paths = content_paths()
    seen, _ = asked()
    reached = [path + "." for _, path, exact in seen if exact]
    reached += [path for _, path, exact in seen if not exact]
    reached += [name + "." for name in READ_BY_NAME]
    used = {p for p in paths
            if any(p.startswith(r) for r in reached)
            or any(path == p or path.startswith(p + ".") for _, path, _ in seen)}
    unused = sorted(p for p in paths if "." in p and p not in used)
    assert not unused, "\n".join(unused)


def test_say_fills_placeholders_only_when_given_values():
    assert "{needed}" in say("calibration.coach.none_yet")
    assert "{needed}" not in say("calibration.coach.none_yet", needed=3)
    assert isinstance(say("review.kinds"), dict)


def counted_strings() -> dict[str, tuple[str, list[tuple[str, str, str]]]]:
    """Every content string with a count in it, by path: the string and its (name, one, many)."""
    found = {}
    for path in content_paths():
        value = say(path)
        if isinstance(value, str):
            counts = re.findall(r"\{(\w+):([^{}|]+)\|([^{}|]+)\}", value)
            if counts:
                found[path] = (value, counts)
    return found


def test_plural_reads_right_for_one_and_for_any_other_count():
    assert plural(1, "check-in", "check-ins") == "1 check-in"
    assert plural(0, "check-in", "check-ins") == "0 check-ins"
    assert plural(2, "check-in", "check-ins") == "2 check-ins"
    assert plural("1,234", "record", "records") == "1,234 records"
    assert plural("1", "record", "records") == "1 record"
    assert fill("{n:day|days} and {m:,}", n=1, m=1200) == "1 day and 1,200"


@pytest.mark.parametrize("count", [0, 1, 2, 11])
def test_every_count_in_the_content_files_agrees_with_its_number(count):
    found = counted_strings()
    assert {"trends.heatmap.reading", "scale.status.recent", "stats.readiness.outcomes",
            "keymap.entry.more", "doctor.found", "export.markdown.wins_all"} <= set(found)
    for path, (text, counts) in found.items():
        names = set(re.findall(r"\{(\w+)", text))
        values = {name: f"<{name}>" for name in names} | {name: count for name, _, _ in counts}
        sentence = say(path, **values)
        for _, one, many in counts:
            word = one if count == 1 else many
            assert f"{count} {word}" in sentence, (path, sentence)
            if count == 1:
                assert f"1 {many}" not in sentence, (path, sentence)


def test_parsed_tables_are_kept_used_while_the_file_is_unchanged_and_never_required(
        tmp_path, monkeypatch):
    """The parsed tables are written beside the bytecode and read back while the TOML file's
    time and size match; a kept copy that does not match, or a folder that cannot be written,
    means the file is parsed again, with the same tables."""
    import efficacy_tui.content as content

    expected = tomllib.loads(Path(HERE, "common.toml").read_text(encoding="utf-8"))
    monkeypatch.setattr(content, "PARSED", str(tmp_path / "kept"))
    content._file.cache_clear()
    try:
        assert content._file("common") == expected
        kept = tmp_path / "kept" / "common.toml.marshal"
        assert kept.is_file()
        stamp, _ = marshal.loads(kept.read_bytes())
        kept.write_bytes(marshal.dumps((stamp, {"kept": True})))
        content._file.cache_clear()
        assert content._file("common") == {"kept": True}  # the kept copy, not the file
        kept.write_bytes(marshal.dumps(((stamp[0], stamp[1] + 1), {"kept": True})))
        content._file.cache_clear()
        assert content._file("common") == expected  # the file changed since: parsed again
        kept.write_bytes(b"not marshal")
        content._file.cache_clear()
        assert content._file("common") == expected
        (tmp_path / "kept").rename(tmp_path / "moved")
        (tmp_path / "kept").write_text("a file where the folder would be")
        content._file.cache_clear()
        assert content._file("common") == expected
        assert not list(tmp_path.glob("kept*/*"))
    finally:
        content._file.cache_clear()
