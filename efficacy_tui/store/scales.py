"""Per-domain self-efficacy scales: the user's own "I can ..." items and dated re-ratings."""

from efficacy_tui.records import ScaleItem, ScaleSession
from efficacy_tui.store.core import Store, new_uid


def scale_items(store: Store, domain_id: int) -> list[ScaleItem]:
    return store.records(
        ScaleItem, "SELECT * FROM scale_items WHERE domain_id = ? AND deleted_at IS NULL "
        "ORDER BY position, id",
        [domain_id],
    )


def save_items(store: Store, domain_id: int, texts: list[str]) -> list[ScaleItem]:
    """Replace the domain's item list: unchanged texts keep their history, others are added or
    soft-deleted."""
    wanted = [t.strip() for t in texts if t.strip()]
    with store.transaction():
        current = {item.text: item for item in scale_items(store, domain_id)}
        for position, text in enumerate(wanted, start=1):
            if text in current:
                store.db.table("scale_items").update(current.pop(text).id, {"position": position})
            else:
                store.insert("scale_items", {
                    "uid": new_uid(), "domain_id": domain_id, "text": text,
                    "position": position, "created_at": store.stamp(),
                })
        for item in current.values():
            store.db.table("scale_items").update(item.id, {"deleted_at": store.stamp()})
    return scale_items(store, domain_id)


def save_ratings(store: Store, ratings: dict[int, int]) -> str:
    """One sitting's ratings, item id to 0-100, stored under one session id."""
    session = new_uid()
    now = store.stamp()
    with store.transaction():
        store.db.table("scale_ratings").insert_all(
            {"uid": new_uid(), "item_id": item_id, "session": session, "rating": rating,
             "rated_at": now}
            for item_id, rating in ratings.items()
        )
    return session


def save_sitting(store: Store, domain_id: int, rated: list[tuple[str, int]]) -> None:
    """A sitting of the scale in one write: the domain's items become the rated texts, in order,
    and each gets its rating (0-100) under one session."""
    with store.transaction():
        items = save_items(store, domain_id, [text for text, _ in rated])
        ids = {item.text: item.id for item in items}
        save_ratings(store, {ids[text.strip()]: rating for text, rating in rated})


def scale_sessions(store: Store, domain_id: int) -> list[ScaleSession]:
    """Every sitting for the domain, oldest first, with its mean: the scale's trend."""
    rows = store.query(
        "SELECT r.session, r.rated_at, r.item_id, r.rating FROM scale_ratings r "
        "JOIN scale_items i ON i.id = r.item_id "
        "WHERE i.domain_id = ? AND r.deleted_at IS NULL ORDER BY r.rated_at, r.id",
        [domain_id],
    )
    sessions: dict[str, ScaleSession] = {}
    for row in rows:
        found = sessions.setdefault(
            row["session"], ScaleSession(row["session"], row["rated_at"], 0.0, {})
        )
        found.ratings[row["item_id"]] = row["rating"]
    return [
        ScaleSession(s.session, s.rated_at, sum(s.ratings.values()) / len(s.ratings), s.ratings)
        for s in sessions.values()
    ]
