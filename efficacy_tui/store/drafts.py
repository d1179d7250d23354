"""Half-filled forms, written as the user types so a quit or a killed process loses nothing."""

import json
from typing import Any

from efficacy_tui.store.core import Store, new_uid


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
