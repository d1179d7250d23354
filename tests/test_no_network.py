"""Nothing leaves the machine: a whole app session and every quick command run with network
sockets refused, and no module of the package imports a network or telemetry library.

Sockets are watched through Python's audit hooks ("socket.__new__", "socket.connect",
"socket.getaddrinfo", ...), which every socket passes through, whatever library opens it; an
internet socket is recorded and refused. A local (AF_UNIX) socket is allowed and recorded: the
asyncio event loop makes a socket pair to wake itself, and nothing else may."""

import ast
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import Typed, press, save_checkin
from textual.widgets import Input

import efficacy_tui
from efficacy_tui.cli import main
from efficacy_tui.store import ladder
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.readiness import ReadinessScreen
from efficacy_tui.ui.screens.review import ReviewScreen

pytestmark = pytest.mark.paints  # draws every frame, as a terminal would

PACKAGE = Path(efficacy_tui.__file__).parent
INTERNET = {socket.AF_INET, socket.AF_INET6}
_WATCH: list[list] = []  # while a test watches: [events seen]


class NetworkUsed(RuntimeError):
    """Raised inside the code that tried to reach the network."""


def _hook(event: str, args: tuple) -> None:
    if not _WATCH or not event.startswith("socket."):
        return
    seen = _WATCH[-1]
    if event == "socket.__new__":
        family = args[1]
        seen.append((event, family))
        if family in INTERNET:
            raise NetworkUsed(f"a network socket was opened (family {family})")
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        seen.append((event, address))
        if not isinstance(address, (str, bytes)):  # an AF_UNIX address is a path
            raise NetworkUsed(f"{event} to {address!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                   "socket.getnameinfo"):
        seen.append((event, args[0] if args else None))
        raise NetworkUsed(f"{event} looked up {args[:1]!r}")


sys.addaudithook(_hook)


@pytest.fixture
def no_network():
    """Refuse and record every internet socket while the test runs."""
    seen: list = []
    _WATCH.append(seen)
    try:
        yield seen
    finally:
        _WATCH.remove(seen)


def internet(seen: list) -> list:
    return [entry for entry in seen if entry[0] != "socket.__new__" or entry[1] in INTERNET]


def test_the_watch_catches_a_connection(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("example.org", 443)
    assert len(internet(no_network)) == 2


@pytest.mark.long
async def test_a_whole_app_session_opens_no_network_socket(make_app, db_path, tmp_path,
                                                           monkeypatch, no_network):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert app.devtools is None  # no connection to Textual's developer console either
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        screen.query_one("#energy").value = 6
        screen.query_one("#anxiety").value = 30
        screen.query_one("#focus_domain", Input).value = "Running"
        screen.query_one("#win_title", Input).value = "Ran five km"
        await save_checkin(pilot)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "Ten km"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#confidence").value = 60
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape", "v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "slash", Typed("ran"))
        await pilot.pause()
        assert app.screen.rows
        await pilot.press("down", "x")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in ("2", "3"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, ReadinessScreen)
        app.screen.query_one("#title", Input).value = "Team talk"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.is_running
    assert list(tmp_path.glob("efficacy-export-*.json"))  # the export really ran
    assert internet(no_network) == []


def test_every_quick_command_runs_without_the_network(store, db_path, tmp_path, monkeypatch,
                                                      no_network):
    monkeypatch.chdir(tmp_path)
    ladder.add_domain(store, "Running")
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == 0, result.output
        return result

    run("log", "Running", "Five km", "--outcome", "success", "--confidence", "70")
    run("stats")
    run("stats", "--format", "json")
    run("nudge")
    run("export", "-o", str(tmp_path / "out.json"))
    run("export", "--format", "csv", "-o", str(tmp_path / "out.zip"))
    run("export", "--format", "md", "-o", str(tmp_path / "out.md"))
    result = runner.invoke(main, ["--db", str(tmp_path / "other.db"), "import",
                                  str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.output
    run("backup", str(tmp_path / "backup.db"))
    assert internet(no_network) == []


def test_serve_refuses_any_address_but_this_machine_before_listening(db_path, no_network):
    for host in ("0.0.0.0", "192.168.1.10", "example.org", "::"):
        result = CliRunner().invoke(main, ["--db", str(db_path), "serve", "--host", host])
        assert result.exit_code == 2, result.output
    assert no_network == []


# -- the sources ---------------------------------------------------------------------------------

# Modules that talk to other machines (or report usage to someone): none may be imported.
NETWORK = {"socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp",
           "websocket", "websockets", "smtplib", "ftplib", "poplib", "imaplib", "telnetlib",
           "nntplib", "xmlrpc", "socketserver", "webbrowser", "asyncssh", "paramiko", "grpc",
           "sentry_sdk", "posthog", "mixpanel", "segment", "analytics", "opentelemetry",
           "rollbar", "bugsnag", "honeybadger", "amplitude", "statsd", "datadog"}
# Parts of those that only handle text, never the network.
HARMLESS = {"urllib.parse"}
# `efficacy serve` opens the app in a browser on this machine only: serve.py (textual-serve and
# aiohttp) listens on a loopback address the command checks first (see test_serve_refuses...),
# only when the user runs that command, and nothing but the command imports it.
SERVER = "serve.py"
SERVER_LIBRARIES = {"aiohttp", "textual_serve"}


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            found += [arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant)]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append(node.args[0].value)
    return found


def test_no_module_imports_a_network_or_telemetry_library():
    offending = []
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 20
    for path in sources:
        for name in _imports(path):
            if name in HARMLESS or any(name.startswith(h + ".") for h in HARMLESS):
                continue
            top = name.split(".")[0]
            if path.relative_to(PACKAGE) == Path(SERVER) and top in SERVER_LIBRARIES:
                continue
            if top in NETWORK | SERVER_LIBRARIES:
                offending.append(f"{path.relative_to(PACKAGE)}: {name}")
            if name == "efficacy_tui.serve" and path.name != "cli.py":
                offending.append(f"{path.relative_to(PACKAGE)}: {name} (only `efficacy serve`)")
    assert offending == []


def test_the_scan_would_see_a_network_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from urllib.request import urlopen\n    import requests\n")
    assert {"urllib.request", "requests"} <= set(_imports(sample))


def test_no_dependency_is_a_network_or_telemetry_library():
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))["project"]
    names = [dep.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
             for dep in project["dependencies"]]
    assert not [n for n in names if n.replace("-", "_") in NETWORK]
