"""Half-filled forms, written as the user types so a quit or a killed process loses nothing."""

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from efficacy_tui.store.core import Store, is_busy, new_uid, waiting_at_most

# How long a draft write waits for another program's write before it is left for later.
DRAFT_WAIT_MS = 50


@dataclass(frozen=True)
class DraftKey:
    """Which draft: the kind of screen and what it is about (a day, an attempt, a performance)."""

    kind: str
    key: str


def save_draft(store: Store, kind: str, key: str, data: dict[str, Any]) -> None:
    with store.transaction():
        store.db.execute(
            "INSERT INTO drafts (uid, kind, key, data, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, "
            "updated_at = excluded.updated_at",
            [new_uid(), kind, key, json.dumps(data, ensure_ascii=False), store.stamp()],
        )


def load_draft(store: Store, kind: str, key: str) -> tuple[dict[str, Any], str] | None:
    """The saved values and when they were saved, or None."""
    row = store.conn.execute(
        "SELECT data, updated_at FROM drafts WHERE kind = ? AND key = ?", [kind, key]
    ).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def delete_draft(store: Store, kind: str, key: str) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM drafts WHERE kind = ? AND key = ?", [kind, key])


def keep_draft(store: Store, draft: DraftKey, data: dict[str, Any] | None) -> bool:
    """Write a draft, or remove it when `data` is None, waiting only briefly for another
    program's write: False, with nothing written, while that program still holds the file."""
    try:
        with waiting_at_most(store, DRAFT_WAIT_MS):
            if data is None:
                delete_draft(store, draft.kind, draft.key)
            else:
                save_draft(store, draft.kind, draft.key, data)
    except sqlite3.OperationalError as err:
        if is_busy(err):
            return False
        raise
    return True


def drop_draft(store: Store, draft: DraftKey | None) -> None:
    """Remove a draft inside the write that saves what it held, so a saved entry never comes back
    as a draft and a failed save keeps it."""
    if draft is not None:
        delete_draft(store, draft.kind, draft.key)
