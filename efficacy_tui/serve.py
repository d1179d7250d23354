"""`efficacy serve`: the app in a browser tab through textual-serve, for this machine only.

The page has no login of its own, so three things guard it. It listens on a loopback address
only. Every request must carry this run's secret token as the first part of its path: another
account on the same machine can reach the port, but without the token it gets 403 and no app.
And every request must name this server in its Host header, and when a browser says where a
request comes from (Origin), it must be this server's own page: a browser lets any web site open
a WebSocket to localhost, and a site whose name is made to resolve to 127.0.0.1 reaches it too.

The token is made fresh each run, lives only in this process's memory and the one URL printed
for the user, and is compared in constant time. It is never put on a command line (the app's
own processes do not need it), in the environment, in the database or in a log: the access log
is off, and tracebacks do not show local variables. Importing this module needs the `serve`
extra (textual-serve and its aiohttp).
"""

import hmac
import ipaddress
import logging
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Middleware
from rich.logging import RichHandler
from textual_serve.server import Server

from efficacy_tui.content import say

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
TOKEN_BYTES = 32  # 256 bits from `secrets`, URL-safe


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _netloc(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def base_url(host: str, port: int) -> str:
    return f"http://{_netloc(host)}:{port}"


def new_token() -> str:
    """A fresh secret for one run of the server."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The host[:port] values a request to this server may carry in Host and Origin."""
    names = {*LOCAL_NAMES, _netloc(host)}
    found = {f"{name}:{port}" for name in names}
    if port == 80:
        found |= names
    return found


def holds_token(path: str, token: str) -> bool:
    """True when `path` begins with /<token>/ (or is /<token>); compared in constant time."""
    first = path.removeprefix("/").partition("/")[0]
    return hmac.compare_digest(first.encode("utf-8", "replace"), token.encode("utf-8"))


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def guard(token: str, hosts: set[str]) -> Middleware:
    """Middleware refusing (403, before any handler runs) a request without this run's token or
    not made to this server from its own page."""

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if (not holds_token(request.raw_path.partition("?")[0], token)
                or request.host.lower() not in hosts
                or (origin is not None and urlsplit(origin).netloc.lower() not in hosts)):
            raise web.HTTPForbidden(text=say("serve.forbidden"))
        response = await handler(request)
        if not response.prepared:  # a WebSocket's headers are already sent
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return check


class PrivateServer(Server):
    """textual-serve's server with every route under /<token>/, the guard in front of all of
    them, no access log and no local variables in logged tracebacks."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title=say("serve.title"),
                         public_url=base_url(host, port))
        self.token = token
        self.hosts = allowed_hosts(host, port)

    def url(self) -> str:
        """The one URL that opens the app."""
        return f"{self.public_url}/{self.token}/"

    def initialize_logging(self) -> None:
        logging.basicConfig(level="INFO", format="%(message)s", handlers=[RichHandler(
            show_path=False, show_time=False, rich_tracebacks=True,
            tracebacks_show_locals=False, console=self.console)])

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[guard(self.token, self.hosts)])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        prefix = f"/{self.token}"
        app.add_routes([
            web.get(f"{prefix}/", self.handle_index, name="index"),
            web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
            web.get(f"{prefix}/download/{{key}}", self.handle_download, name="download"),
            web.static(f"{prefix}/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        print(say("serve.open", url=self.url()), flush=True)
        print(say("serve.stop"), flush=True)

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        web.run_app(self._make_app(), host=self.host, port=self.port, access_log=None,
                    print=_quiet)


def _quiet(*args: Any) -> None:
    """aiohttp's own start-up lines: the URL it would print has no token, so it is dropped."""


def serve(db_path: Path, host: str, port: int) -> None:
    """Serve the app on `db_path` at the printed URL until interrupted; every browser tab runs
    its own `python -m efficacy_tui --db db_path`, which never sees the token."""
    command = shlex.join([sys.executable, "-m", "efficacy_tui", "--db", str(db_path)])
    PrivateServer(command, host, port, new_token()).serve()
