"""`efficacy serve`: without the extra it says how to install it; it listens on loopback only,
answers only requests made to it from its own page; and in a real browser (headless Chromium)
the home screen arrives.

textual-serve draws the terminal on a canvas (xterm.js), so the page's DOM never holds the
screen's text and `--dump-dom` only shows the page shell. Chromium is therefore driven through
its DevTools protocol: a script added before the page's own wraps the page's WebSocket and keeps
what the page receives from the app, and the test reads that text back with Runtime.evaluate and
looks for the home screen's words. The page's own sign that the app has drawn (`-first-byte` on
<body>, which removes the loading dialog) is checked too, and a screenshot is kept in the test's
temporary folder for a person to look at.
"""

import asyncio
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

from efficacy_tui.cli import main
from efficacy_tui.store.core import open_store

pytestmark = pytest.mark.serial  # a server on a port, and a browser

CHROMIUM = shutil.which("chromium")
needs_serve = pytest.mark.skipif(
    find_spec("textual_serve") is None,
    reason="textual-serve is not installed (pip install 'efficacy[serve]')",
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not on PATH (Debian: apt-get install chromium)"
)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOME_MARKER = "Welcome to efficacy"
FOOTER_MARKER = "Quit"  # the footer's last key: only painted while the page has focus
WAIT_SECONDS = 60  # a busy 2-core machine starts Chromium, the server and the app in turn
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
KEEP_RECEIVED = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__received = "";
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const data = event.data;
        if (data instanceof ArrayBuffer) {
          window.__received += decoder.decode(data, {stream: true});
        } else if (data instanceof Blob) {
          data.arrayBuffer().then((b) => {
            window.__received += decoder.decode(b, {stream: true});
          });
        }
      });
    }
  };
})();
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"efficacy serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"efficacy serve did not listen on port {port}:\n{log.read_text()}")


def listening_addresses(port: int) -> list[str]:
    """The local addresses with a socket listening on `port`, from /proc/net/tcp{,6}."""
    found = []
    for name in ("tcp", "tcp6"):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def is_loopback(hex_address: str) -> bool:
    if len(hex_address) == 8:  # IPv4, little-endian: 127.x.x.x ends in 7F
        return hex_address.endswith("7F")
    return hex_address == "00000000000000000000000001000000"  # ::1


def stop(process: subprocess.Popen) -> None:
    """Stop a process this test started and everything it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class DevTools:
    """The smallest DevTools protocol client: one page, commands answered in turn."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.next_id = 0

    async def call(self, method: str, **params) -> dict:
        self.next_id += 1
        await self.socket.send_json({"id": self.next_id, "method": method, "params": params})
        async for message in self.socket:
            reply = json.loads(message.data)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]
        raise AssertionError(f"Chromium closed the DevTools connection during {method}")

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


async def devtools_page(session, profile: Path, browser: subprocess.Popen) -> str:
    """The WebSocket address of Chromium's page, once its DevTools port is written."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + WAIT_SECONDS
    while not (port_file.exists() and port_file.read_text().strip()):
        if browser.poll() is not None or time.monotonic() > deadline:
            pytest.fail("Chromium did not open its DevTools port")
        await asyncio.sleep(0.2)
    port = port_file.read_text().split()[0]
    async with session.get(f"http://127.0.0.1:{port}/json/list") as reply:
        targets = await reply.json()
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


async def received(page: DevTools, marker: str) -> str:
    """The text the page has received from the app, once it holds `marker` (or time is up)."""
    screen = ""
    deadline = time.monotonic() + WAIT_SECONDS
    while marker not in screen and time.monotonic() < deadline:
        await asyncio.sleep(0.3)
        screen = ANSI.sub("", await page.evaluate("window.__received || ''"))
    return screen


def test_serve_without_textual_serve_says_how_to_install(tmp_path, monkeypatch):
    import efficacy_tui

    for name in ("textual_serve", "textual_serve.server", "efficacy_tui.serve"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delattr(efficacy_tui, "serve", raising=False)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "serve"])
    assert result.exit_code == 1
    assert result.output == (
        "efficacy serve needs textual-serve; install it with: pip install 'efficacy[serve]'\n"
    )
    assert not (tmp_path / "e.db").exists()


@needs_serve
@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serve_refuses_to_listen_beyond_this_machine(tmp_path, host):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "e.db"), "serve", "--host", host])
    assert result.exit_code == 2
    assert f'"{host}" is not one of them' in result.output
    assert not (tmp_path / "e.db").exists()


TOKEN_URL = re.compile(r"http://127\.0\.0\.1:(\d+)/([A-Za-z0-9_-]+)/")


def printed_url(port: int, process: subprocess.Popen, log: Path) -> tuple[str, str]:
    """The URL with the token that the server printed, and the token."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = TOKEN_URL.search(log.read_text())
        if found and int(found[1]) == port:
            return found[0], found[2]
        if process.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"efficacy serve printed no URL with a token:\n{log.read_text()}")


@contextmanager
def running_server(tmp_path):
    """`efficacy serve` on a free port with a new database; yields the printed URL (with its
    token), the token, the server process and the log."""
    db = tmp_path / "efficacy.db"
    open_store(db).close()
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "efficacy_tui", "--db", str(db), "serve", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for_port(port, server, log)
        url, token = printed_url(port, server, log)
        yield url, token, server, log
    finally:
        stop(server)


def status(url: str, headers: dict | None = None) -> int:
    """The HTTP status of a GET, through urllib on this machine."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as err:
        return err.code


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


@needs_serve
async def test_serve_answers_only_with_its_token_on_this_machine(tmp_path):
    """Listening on loopback is not enough: another account on this machine, other web sites
    open in the browser, or a name made to resolve to 127.0.0.1 must not be able to drive the
    app. Only the printed URL, with this run's token, reaches it."""
    import aiohttp

    with running_server(tmp_path) as (url, token, server, log):
        port = int(TOKEN_URL.search(url)[1])
        addresses = listening_addresses(port)
        assert addresses, "no listening socket found in /proc/net/tcp"
        assert all(is_loopback(a) for a in addresses), f"listening beyond loopback: {addresses}"
        assert len(token) >= 22  # at least 128 bits in URL-safe base64
        root = f"http://127.0.0.1:{port}"
        wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
        for path, headers, expected in (
            ("/", {}, 403),
            ("/ws", {}, 403),
            ("/static/js/textual.js", {}, 403),
            (f"/{wrong}/", {}, 403),
            (f"/{token[:8]}/", {}, 403),
            (f"/?token={token}", {}, 403),
            (f"/{token}/", {}, 200),
            (f"/{token}/static/js/textual.js", {}, 200),
            (f"/{token}/", {"Origin": f"http://localhost:{port}"}, 200),
            (f"/{token}/", {"Host": f"attacker.example:{port}"}, 403),
            (f"/{token}/", {"Origin": "https://attacker.example"}, 403),
        ):
            assert status(root + path, headers) == expected, (path, headers)
        with urllib.request.urlopen(url, timeout=WAIT_SECONDS) as reply:
            page = reply.read().decode()
            assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert f"ws://127.0.0.1:{port}/{token}/ws" in page
        async with aiohttp.ClientSession() as session:
            for address, headers in (
                (f"ws://127.0.0.1:{port}/ws", {}),
                (f"ws://127.0.0.1:{port}/{wrong}/ws", {}),
                (f"ws://127.0.0.1:{port}/{token}/ws", {"Origin": "https://attacker.example"}),
            ):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(address, headers=headers)
                assert refused.value.status == 403, address
            assert process_tree(server.pid) == [server.pid], "an app started for a refused socket"
            async with session.ws_connect(f"ws://127.0.0.1:{port}/{token}/ws?width=80&height=24",
                                          headers={"Origin": root}) as ws:
                assert not ws.closed
                deadline = time.monotonic() + WAIT_SECONDS
                while len(process_tree(server.pid)) == 1 and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                tree = process_tree(server.pid)
                assert len(tree) > 1, "no app started for the socket with the token"
                for pid in tree:  # never on a command line nor in the environment
                    for name in ("cmdline", "environ"):
                        try:
                            held = (Path("/proc") / str(pid) / name).read_bytes()
                        except OSError:  # it ended meanwhile
                            continue
                        assert token.encode() not in held, (pid, name)
    assert log.read_text().count(token) == 1, "the token was logged beyond the printed URL"
    for file in tmp_path.iterdir():
        if file.is_file() and file.name.startswith("efficacy.db"):
            assert token.encode() not in file.read_bytes(), file.name


@needs_serve
@needs_chromium
async def test_serve_shows_home_in_chromium(tmp_path):
    import aiohttp

    with running_server(tmp_path) as (url, token, server, log):
        profile = tmp_path / "chromium"
        browser = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "--window-size=1280,720", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            async with aiohttp.ClientSession() as session:
                address = await devtools_page(session, profile, browser)
                async with session.ws_connect(address, max_msg_size=0) as ws:
                    page = DevTools(ws)
                    await page.call("Page.enable")
                    # headless pages never get focus on their own; the app draws its footer
                    # keys only while the browser says it has focus, as a visible window would
                    await page.call("Emulation.setFocusEmulationEnabled", enabled=True)
                    await page.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_RECEIVED)
                    await page.call("Page.navigate", url=url)
                    screen = await received(page, HOME_MARKER)
                    drawn = await page.evaluate(
                        "document.body.classList.contains('-first-byte')")
                    await page.evaluate(
                        "document.querySelector('.xterm-helper-textarea').focus()")
                    screen = await received(page, FOOTER_MARKER)
                    await page.call(  # the frame painted, for the picture
                        "Runtime.evaluate", awaitPromise=True, expression=(
                            "new Promise(done => requestAnimationFrame("
                            "() => requestAnimationFrame(() => done(true))))"))
                    shot = await page.call("Page.captureScreenshot", format="png")
        finally:
            stop(browser)
        (tmp_path / "home.png").write_bytes(base64.b64decode(shot["data"]))
        assert HOME_MARKER in screen, f"home screen not received; server log:\n{log.read_text()}"
        assert drawn, "the page still shows its loading dialog"
        assert FOOTER_MARKER in screen, "the footer's keys did not follow the page's focus"
