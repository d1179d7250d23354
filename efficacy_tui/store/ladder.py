"""Designing ladders: domains and their rungs, reordering, soft deletion with undo, and the
status changes that follow an accepted advance or split."""

from efficacy_tui.content import say
from efficacy_tui.records import Domain, Rung, RungLine
from efficacy_tui.store.core import Store, StoreError, new_uid, written
from efficacy_tui.store.domains import find_domain, get_rung, list_rungs


def get_domain(store: Store, domain_id: int) -> Domain | None:
    return store.record(Domain, "SELECT * FROM domains WHERE id = ?", [domain_id])


def add_domain(store: Store, name: str, goal: str = "", why: str = "") -> Domain:
    """A new domain; an archived one of the same name comes back instead, and a live one of
    the same name (any case) is refused."""
    found = find_domain(store, name)
    if found and get_archived(store, found.id):
        with store.transaction():
            store.db.table("domains").update(found.id, {"archived_at": None})
        return written(get_domain(store, found.id))
    if found:
        raise StoreError(say("ladder.errors.domain_exists", name=name.strip()))
    with store.transaction():
        position = store.scalar("SELECT coalesce(max(position), 0) + 1 FROM domains")
        pk = store.insert("domains", {
            "uid": new_uid(), "name": name.strip(), "goal": goal.strip(), "why": why.strip(),
            "position": position, "created_at": store.stamp(),
        })
    return written(get_domain(store, pk))


def domain_for_audit(store: Store, name: str, goal: str, why: str) -> Domain:
    """The domain an audit is saved to: the one of this name, live or archived (brought back,
    its goal and why replaced by any typed), or a new one. A domain may have any number of
    sittings."""
    found = find_domain(store, name)
    if found is None:
        return add_domain(store, name, goal, why)
    typed = {key: value.strip() for key, value in (("goal", goal), ("why", why)) if value.strip()}
    with store.transaction():
        store.db.table("domains").update(found.id, {"archived_at": None, **typed})
    return written(get_domain(store, found.id))


def get_archived(store: Store, domain_id: int) -> bool:
    sql = "SELECT archived_at IS NOT NULL FROM domains WHERE id = ?"
    return store.scalar(sql, [domain_id]) == 1


def update_domain(store: Store, domain_id: int, name: str, goal: str, why: str) -> Domain:
    other = find_domain(store, name)
    if other and other.id != domain_id:
        raise StoreError(say("ladder.errors.domain_exists", name=name.strip()))
    with store.transaction():
        store.db.table("domains").update(
            domain_id, {"name": name.strip(), "goal": goal.strip(), "why": why.strip()}
        )
    return written(get_domain(store, domain_id))


def archive_domain(store: Store, domain_id: int) -> None:
    with store.transaction():
        store.db.table("domains").update(domain_id, {"archived_at": store.stamp()})


def unarchive_domain(store: Store, domain_id: int) -> None:
    with store.transaction():
        store.db.table("domains").update(domain_id, {"archived_at": None})


def _renumber(store: Store, rungs: list[Rung]) -> None:
    for position, rung in enumerate(rungs, start=1):
        if rung.position != position:
            store.db.table("rungs").update(rung.id, {"position": position})


def add_rung(
    store: Store, domain_id: int, title: str, criterion: str, difficulty: int,
    below: int | None = None, split_from: int | None = None,
) -> Rung:
    """A rung on top of the ladder, or just below rung `below`; active when no rung is."""
    with store.transaction():
        rungs = list_rungs(store, domain_id)
        index = len(rungs)
        if below is not None:
            index = next(i for i, r in enumerate(rungs) if r.id == below)
        has_active = any(r.status == "active" for r in rungs)
        pk = store.insert("rungs", {
            "uid": new_uid(), "domain_id": domain_id, "title": title.strip(),
            "criterion": criterion.strip(), "difficulty": difficulty, "position": 0,
            "status": "upcoming" if has_active else "active", "split_from": split_from,
            "created_at": store.stamp(),
        })
        rungs.insert(index, written(get_rung(store, pk)))
        _renumber(store, rungs)
    return written(get_rung(store, pk))


def update_rung(store: Store, rung_id: int, title: str, criterion: str, difficulty: int) -> Rung:
    with store.transaction():
        store.db.table("rungs").update(
            rung_id,
            {"title": title.strip(), "criterion": criterion.strip(), "difficulty": difficulty},
        )
    return written(get_rung(store, rung_id))


def move_rung(store: Store, rung_id: int, step: int) -> None:
    """Move a rung up (+1, harder end) or down (-1) the ladder by swapping with its neighbour."""
    rung = get_rung(store, rung_id)
    if rung is None:
        return
    with store.transaction():
        rungs = list_rungs(store, rung.domain_id)
        index = next(i for i, r in enumerate(rungs) if r.id == rung_id)
        target = index + step
        if 0 <= target < len(rungs):
            rungs[index], rungs[target] = rungs[target], rungs[index]
            _renumber(store, rungs)


def _activate_next(store: Store, domain_id: int) -> Rung | None:
    """Make the lowest upcoming rung active when the ladder has no active rung."""
    rungs = list_rungs(store, domain_id)
    if any(r.status == "active" for r in rungs):
        return None
    for rung in rungs:
        if rung.status == "upcoming":
            store.db.table("rungs").update(rung.id, {"status": "active"})
            return get_rung(store, rung.id)
    return None


def delete_rung(store: Store, rung_id: int) -> Rung:
    """Soft-delete a rung (undo brings it back); an active rung hands over to the next one."""
    rung = get_rung(store, rung_id)
    if rung is None:
        raise StoreError(say("ladder.errors.no_such_rung"))
    with store.transaction():
        store.db.table("rungs").update(rung_id, {"deleted_at": store.stamp()})
        _renumber(store, list_rungs(store, rung.domain_id))
        _activate_next(store, rung.domain_id)
    return rung


def last_deleted_rung(store: Store, domain_id: int) -> Rung | None:
    return store.record(
        Rung, "SELECT * FROM rungs WHERE domain_id = ? AND deleted_at IS NOT NULL "
        "ORDER BY deleted_at DESC, id DESC LIMIT 1",
        [domain_id],
    )


def restore_rung(store: Store, rung_id: int) -> Rung:
    """Undo a deletion: the rung returns to its place and status; a rung that was active takes
    over again from the one that stood in for it, which goes back to upcoming."""
    rung = get_rung(store, rung_id)
    if rung is None:
        raise StoreError(say("ladder.errors.no_such_rung"))
    with store.transaction():
        if rung.status == "active":
            store.conn.execute(
                "UPDATE rungs SET status = 'upcoming' WHERE domain_id = ? AND status = 'active' "
                "AND deleted_at IS NULL", [rung.domain_id],
            )
        store.db.table("rungs").update(rung_id, {"deleted_at": None})
        rungs = list_rungs(store, rung.domain_id)
        rungs.sort(key=lambda r: (r.position if r.id != rung_id else rung.position - 0.5))
        _renumber(store, rungs)
        _activate_next(store, rung.domain_id)
    return written(get_rung(store, rung_id))


def ladder_lines(store: Store, domain_id: int) -> list[RungLine]:
    """Each live rung, easiest first, with its last recorded outcomes (oldest first). Once a
    split of a rung is accepted, only attempts that happened after it count: the old setbacks
    led to the split and must not ask for it again. How many came before is kept, to be named."""
    from efficacy_tui.coach.ladder import WINDOW  # the coach's rules: not for `efficacy log`

    lines = []
    for rung in list_rungs(store, domain_id):
        split = store.scalar(
            "SELECT coalesce(max(julianday(created_at)), 0) FROM rungs "
            "WHERE split_from = ? AND deleted_at IS NULL", [rung.id],
        )
        rows = store.conn.execute(
            "SELECT outcome FROM attempts WHERE rung_id = :rung AND outcome IS NOT NULL "
            "AND deleted_at IS NULL AND julianday(happened_at) > :split "
            "ORDER BY happened_at DESC, id DESC LIMIT :window",
            {"rung": rung.id, "split": split, "window": WINDOW},
        ).fetchall()
        before = store.scalar(
            "SELECT count(*) FROM attempts WHERE rung_id = ? AND outcome IS NOT NULL "
            "AND deleted_at IS NULL AND julianday(happened_at) <= ?", [rung.id, split],
        ) if split else 0
        lines.append(RungLine(rung=rung, outcomes=[r[0] for r in reversed(rows)],
                              before_split=before))
    return lines


def _rung_in(store: Store, rung_id: int, *statuses: str) -> Rung:
    """The live rung, refused unless its status is one of `statuses`: only the active rung is
    advanced (mastering another would skip or redo a step), and a mastered one is never split."""
    rung = get_rung(store, rung_id, live=True)
    if rung is None:
        raise StoreError(say("ladder.errors.no_such_rung"))
    if rung.status not in statuses:
        raise StoreError(say("ladder.accept.not_active",
            title=rung.title, status=rung.status))
    return rung


def accept_advance(store: Store, rung_id: int) -> Rung | None:
    """Mark the active rung mastered and make the next upcoming rung above it active (returned)."""
    with store.transaction():
        rung = _rung_in(store, rung_id, "active")
        store.db.table("rungs").update(
            rung_id, {"status": "mastered", "mastered_at": store.stamp()}
        )
        rungs = list_rungs(store, rung.domain_id)
        above = [r for r in rungs if r.position > rung.position and r.status == "upcoming"]
        if any(r.status == "active" for r in rungs):
            return None
        if not above:
            return _activate_next(store, rung.domain_id)
        store.db.table("rungs").update(above[0].id, {"status": "active"})
    return get_rung(store, above[0].id)


def accept_split(store: Store, rung_id: int, title: str) -> Rung:
    """Insert an easier rung just below this one, linked to it, and start the split rung's attempt
    window again (see ladder_lines); the new rung takes over if this one was active. The ladder
    offers this for the active rung only; a reframe may also split an upcoming rung."""
    with store.transaction():
        rung = _rung_in(store, rung_id, "active", "upcoming")
        below = [r for r in list_rungs(store, rung.domain_id) if r.position < rung.position]
        floor = below[-1].difficulty if below else max(0, rung.difficulty - 20)
        difficulty = max(0, (floor + rung.difficulty) // 2)
        if rung.status == "active":
            store.db.table("rungs").update(rung_id, {"status": "upcoming"})
        return add_rung(store, rung.domain_id, title, "", difficulty, below=rung_id,
                        split_from=rung_id)
