"""Completing a path as it is typed: the first folder or regular file in the typed folder whose
name starts with what follows the last slash, with "~" read as the home folder.

Only local paths are completed (nothing with "://"), a folder's listing is read no further than
MAX_ENTRIES names, and only folders and regular files are offered: a pipe, socket or device is
never suggested, so accepting a suggestion cannot lead the import somewhere it would hang.
Hidden names are offered only once a "." is typed.
"""

import asyncio
import os
import stat

from textual.suggester import Suggester

MAX_ENTRIES = 2_000


def complete_path(value: str) -> str | None:
    """`value` completed to the first matching folder (with a trailing slash) or regular file,
    written as typed (a leading "~" stays), or None when nothing matches."""
    if not value.strip() or "://" in value or "\0" in value:
        return None
    if value == "~":
        return "~/"
    if value.startswith("~") and "/" not in value:
        return None  # another user's home folder is not guessed at
    folder, partial = os.path.split(os.path.expanduser(value))
    found: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder or ".") as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_ENTRIES:
                    break
                name = entry.name
                if not name.startswith(partial) or (name.startswith(".") and
                                                    not partial.startswith(".")):
                    continue
                kind = _kind(entry)
                if kind is not None:
                    found.append((name, kind))
    except OSError:
        return None
    if not found:
        return None
    name, is_folder = min(found)
    suggestion = value + name[len(partial):] + ("/" if is_folder else "")
    return suggestion if suggestion != value else None


def _kind(entry: os.DirEntry) -> bool | None:
    """True for a folder, False for a regular file, None for anything else (or unreadable)."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return True
    return False if stat.S_ISREG(mode) else None


class PathSuggester(Suggester):
    """Suggests the completion of a typed path; the folder is read off the event loop, and never
    cached, since files come and go."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)
