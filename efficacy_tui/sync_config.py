"""The sync folder remembered in the config file: `folder = "..."` under `[sync]`, written the
first time `efficacy sync DIR` is used, so later syncs (and the app) need no DIR."""

import json
import os
import re
import secrets
import stat
from pathlib import Path

from efficacy_tui.keymap import MAX_BYTES, config_path
from efficacy_tui.store.paths import create_private, make_private_dir

_SYNC_TABLE = re.compile(r"^[ \t]*\[sync\][ \t]*$", re.M)
_FOLDER_LINE = re.compile(r"^[ \t]*folder[ \t]*=.*$", re.M)
_NEXT_TABLE = re.compile(r"^[ \t]*\[", re.M)


def _text(path: Path) -> str:
    """The config file's text, or "" where there is none to read: opened without waiting, so a
    pipe put at its path cannot hold up the start, and only a regular file is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        try:
            return handle.read(MAX_BYTES + 1).decode("utf-8", errors="replace")
        except OSError:
            return ""


def sync_folder() -> Path | None:
    """The remembered folder, or None (no config file, no [sync] table, or one unreadable)."""
    text = _text(config_path())
    if not text:  # most starts have no config file; tomllib costs milliseconds to import
        return None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    table = data.get("sync")
    folder = table.get("folder") if isinstance(table, dict) else None
    return Path(folder).expanduser() if isinstance(folder, str) and folder.strip() else None


def remember(folder: Path) -> None:
    """Write `folder` as the sync folder, changing nothing else in the config file."""
    path = config_path()
    text = _text(path)
    line = f"folder = {json.dumps(str(folder), ensure_ascii=False)}"
    table = _SYNC_TABLE.search(text)
    if table is None:
        text = text + ("\n" if text and not text.endswith("\n") else "") + f"\n[sync]\n{line}\n"
    else:
        start = table.end()
        following = _NEXT_TABLE.search(text, start + 1)
        end = following.start() if following else len(text)
        body = text[start:end]
        body = (_FOLDER_LINE.sub(lambda _: line, body, count=1) if _FOLDER_LINE.search(body)
                else f"\n{line}" + body)
        text = text[:start] + body + text[end:]
    make_private_dir(path.parent)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    with os.fdopen(create_private(temp), "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)
