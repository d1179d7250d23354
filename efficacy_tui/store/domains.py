"""Domains and their rungs: lookup by name, and creation when a check-in names a new one."""

from efficacy_tui.content import say
from efficacy_tui.records import Domain, DomainLine, Rung
from efficacy_tui.store.core import Store, new_uid, written

FIRST_RUNG_DIFFICULTY = 30
DIFFICULTY_STEP = 10


def list_domains(store: Store) -> list[Domain]:
    return store.records(
        Domain, "SELECT * FROM domains WHERE deleted_at IS NULL AND archived_at IS NULL "
        "ORDER BY position, name COLLATE NOCASE"
    )


def find_domain(store: Store, name: str) -> Domain | None:
    """The live domain with this name, ignoring case and surrounding spaces."""
    return store.record(
        Domain, "SELECT * FROM domains WHERE deleted_at IS NULL AND name = ? COLLATE NOCASE",
        [name.strip()],
    )


def unknown_domain(name: str, known: list[str]) -> str:
    """The sentence for a domain that does not exist, naming those that do."""
    listed = (say("common.known_domains", names=", ".join(known)) if known
              else say("common.no_domains"))
    return say("common.unknown_domain", name=name.strip(), known=listed)


def similar_domain(store: Store, name: str) -> Domain | None:
    """A domain (archived too) whose name `name` is probably a slip for: the same but for case, a
    prefix of it or it of `name`, or within two typed letters (Damerau-Levenshtein); the nearest
    first. The shell asks before starting a domain whose name is this close to one there is."""
    wanted = " ".join(name.split()).casefold()
    best: tuple[int, int, Domain] | None = None
    for order, domain in enumerate(store.records(
        Domain, "SELECT * FROM domains WHERE deleted_at IS NULL ORDER BY position, id"
    )):
        known = " ".join(domain.name.split()).casefold()
        if known.startswith(wanted) or wanted.startswith(known):
            distance = 0
        else:
            distance = typo_distance(wanted, known)
            if distance > 2:
                continue
        rank = (distance, order)
        if best is None or rank < best[:2]:
            best = (*rank, domain)
    return best[2] if best else None


def typo_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, changed or swapped with a neighbour to turn `a` into `b`
    (Damerau-Levenshtein, optimal string alignment)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def get_or_create_domain(store: Store, name: str) -> Domain:
    """The named domain (brought back if it was archived), or a new one."""
    with store.transaction():
        found = find_domain(store, name)
        if found:
            store.db.table("domains").update(found.id, {"archived_at": None})
            return found
        position = store.scalar("SELECT coalesce(max(position), 0) + 1 FROM domains")
        store.insert("domains", {
            "uid": new_uid(),
            "name": name.strip(),
            "position": position,
            "created_at": store.stamp(),
        })
        return written(find_domain(store, name))


def list_rungs(store: Store, domain_id: int) -> list[Rung]:
    return store.records(
        Rung, "SELECT * FROM rungs WHERE domain_id = ? AND deleted_at IS NULL "
        "ORDER BY position, difficulty",
        [domain_id],
    )


def find_rung(store: Store, domain_id: int, title: str) -> Rung | None:
    return store.record(
        Rung, "SELECT * FROM rungs WHERE domain_id = ? AND deleted_at IS NULL "
        "AND title = ? COLLATE NOCASE",
        [domain_id, title.strip()],
    )


def get_rung(store: Store, rung_id: int, live: bool = False) -> Rung | None:
    """The rung with this id; with `live`, None once it has been deleted."""
    alive = " AND deleted_at IS NULL" if live else ""
    return store.record(Rung, f"SELECT * FROM rungs WHERE id = ?{alive}", [rung_id])


def next_difficulty(store: Store, domain_id: int | None) -> int:
    """The difficulty a new rung on top of the ladder is offered: one step above the hardest,
    or an easy first step on an empty (or not yet started) ladder."""
    rungs = list_rungs(store, domain_id) if domain_id is not None else []
    top = max((r.difficulty for r in rungs), default=None)
    return FIRST_RUNG_DIFFICULTY if top is None else min(100, top + DIFFICULTY_STEP)


def get_or_create_rung(store: Store, domain_id: int, title: str, criterion: str = "",
                       difficulty: int | None = None) -> Rung:
    """A rung typed into a check-in goes on top of the ladder, at the difficulty given or the
    next one up; it is active if none is."""
    with store.transaction():
        found = find_rung(store, domain_id, title)
        if found:
            return found
        rungs = list_rungs(store, domain_id)
        has_active = any(r.status == "active" for r in rungs)
        store.insert("rungs", {
            "uid": new_uid(),
            "domain_id": domain_id,
            "title": title.strip(),
            "criterion": criterion.strip(),
            "difficulty": next_difficulty(store, domain_id) if difficulty is None else difficulty,
            "position": max((r.position for r in rungs), default=0) + 1,
            "status": "upcoming" if has_active else "active",
            "created_at": store.stamp(),
        })
        return written(find_rung(store, domain_id, title))


def domain_lines(store: Store) -> list[DomainLine]:
    """Each live domain with its active rung (the lowest if several) and mastered/total rungs."""
    active: dict[int, Rung] = {}
    for rung in store.records(
        Rung, "SELECT * FROM rungs WHERE status = 'active' AND deleted_at IS NULL "
        "ORDER BY position DESC, difficulty DESC",
    ):
        active[rung.domain_id] = rung
    counts = {
        r[0]: (r[1], r[2])
        for r in store.conn.execute(
            "SELECT domain_id, sum(status = 'mastered'), count(*) FROM rungs "
            "WHERE deleted_at IS NULL GROUP BY domain_id"
        )
    }
    return [
        DomainLine(d, active.get(d.id), *counts.get(d.id, (0, 0)))
        for d in list_domains(store)
    ]
