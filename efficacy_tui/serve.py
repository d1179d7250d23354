"""`efficacy serve`: the app in a browser tab through textual-serve, for this machine only.

The page has no login, so the server listens on a loopback address only. That is not enough on
its own: a browser lets any web site open a WebSocket to localhost, and a site whose name is
made to resolve to 127.0.0.1 reaches it too. So every request must name this server in its Host
header, and when a browser says where a request comes from (Origin), it must be this server's
own page. Importing this module needs the `serve` extra (textual-serve and its aiohttp).
"""

import ipaddress
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from efficacy_tui.content import say

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


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


def allowed_hosts(host: str, port: int) -> set[str]:
    """The host[:port] values a request to this server may carry in Host and Origin."""
    names = {*LOCAL_NAMES, _netloc(host)}
    found = {f"{name}:{port}" for name in names}
    if port == 80:
        found |= names
    return found


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def guarded(handler: Handler, hosts: set[str]) -> Handler:
    """`handler`, refusing requests that were not made to this server from its own page."""

    async def handle(request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if request.host.lower() not in hosts or (
            origin is not None and urlsplit(origin).netloc.lower() not in hosts
        ):
            raise web.HTTPForbidden(text=say("serve.forbidden"))
        return await handler(request)

    return handle


def serve(db_path: Path, host: str, port: int) -> None:
    """Serve the app on `db_path` at http://host:port until interrupted; every browser tab runs
    its own `python -m efficacy_tui --db db_path`."""
    command = shlex.join([sys.executable, "-m", "efficacy_tui", "--db", str(db_path)])
    server = Server(command, host=host, port=port, title=say("serve.title"),
                    public_url=base_url(host, port))
    hosts = allowed_hosts(host, port)
    for name in ("handle_index", "handle_websocket", "handle_download"):
        setattr(server, name, guarded(getattr(server, name), hosts))
    server.serve()
