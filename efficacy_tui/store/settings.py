"""Preferences kept in the `settings` table (one JSON value per key), such as the chosen theme.

Reads go through plain sqlite3 because the theme is read before the home screen paints.
"""

import json
from typing import Any

from efficacy_tui.store.core import Store, new_uid

THEME = "theme"


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """The stored value for `key`, or `default` when it is missing or unreadable."""
    raw = store.scalar("SELECT value FROM settings WHERE key = ?", [key])
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return default


def set_setting(store: Store, key: str, value: Any) -> None:
    """Store `value` (anything JSON can hold) under `key`, replacing what was there."""
    with store.transaction():
        store.db.execute(
            "INSERT INTO settings (key, uid, value, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            [key, new_uid(), json.dumps(value, ensure_ascii=False), store.stamp()],
        )


def saved_theme(store: Store) -> str | None:
    """The name of the theme the user last chose, if any."""
    name = get_setting(store, THEME)
    return name if isinstance(name, str) and name else None


def save_theme(store: Store, name: str) -> None:
    set_setting(store, THEME, name)
