"""Daily check-ins: one live row per local day, saved with its win in one transaction."""

from datetime import date, datetime, time, timedelta

from efficacy_tui.coach.checkin import CheckinEntry, NewNames
from efficacy_tui.records import Attempt, Checkin
from efficacy_tui.store import domains, drafts
from efficacy_tui.store.core import Store, new_uid, written

WIN_HOUR = 12


def get_checkin(store: Store, day: str) -> Checkin | None:
    return store.record(
        Checkin, "SELECT * FROM checkins WHERE day = ? AND deleted_at IS NULL", [day]
    )


def checkin_win(store: Store, checkin_id: int) -> Attempt | None:
    """The win recorded with a check-in (yesterday's success), if one was."""
    return store.record(
        Attempt, "SELECT * FROM attempts WHERE checkin_id = ? AND source = 'checkin' "
        "AND deleted_at IS NULL ORDER BY id LIMIT 1",
        [checkin_id],
    )


def checkin_days(store: Store) -> list[str]:
    """Every day with a live check-in, newest first."""
    rows = store.conn.execute("SELECT day FROM checkins WHERE deleted_at IS NULL ORDER BY day DESC")
    return [r[0] for r in rows.fetchall()]


def recent_checkins(store: Store, since: date) -> list[Checkin]:
    return store.records(
        Checkin, "SELECT * FROM checkins WHERE day >= ? AND deleted_at IS NULL ORDER BY day",
        [since.isoformat()],
    )


def _win_time(store: Store, day: str) -> str:
    """Yesterday's win is dated at midday of the day before the check-in, in the local zone."""
    win_day = date.fromisoformat(day) - timedelta(days=1)
    naive = datetime.combine(win_day, time(WIN_HOUR))
    return naive.astimezone().isoformat()


def save_checkin(store: Store, entry: CheckinEntry) -> Checkin:
    """Create or update the day's check-in, its focus domain and rung, and its win, at once;
    then the day's draft is dropped."""
    now = store.stamp()
    with store.transaction():
        domain_id = rung_id = None
        if entry.focus_domain:
            domain = domains.get_or_create_domain(store, entry.focus_domain)
            domain_id = domain.id
            if entry.focus_rung:
                rung_id = domains.get_or_create_rung(
                    store, domain.id, entry.focus_rung, entry.rung_criterion,
                    entry.rung_difficulty).id
        values = {
            "sleep_hours": entry.sleep_hours,
            "energy": entry.energy,
            "anxiety": entry.anxiety,
            "focus_domain_id": domain_id,
            "focus_rung_id": rung_id,
            "focus_confidence": entry.focus_confidence,
            "if_situation": entry.if_situation,
            "then_action": entry.then_action,
            "updated_at": now,
        }
        existing = get_checkin(store, entry.day)
        if existing:
            store.db.table("checkins").update(existing.id, values)
            checkin_id = existing.id
        else:
            checkin_id = store.insert(
                "checkins", {"uid": new_uid(), "day": entry.day, "created_at": now, **values})
        _save_win(store, checkin_id, entry, domain_id, now)
        drafts.delete_draft(store, "checkin", entry.day)
    return written(get_checkin(store, entry.day))


def new_names(store: Store, entry: CheckinEntry) -> NewNames:
    """The domains (today's focus, the win's) and the focus rung that saving `entry` would
    start, because none of that name exists yet (an archived domain exists: saving brings it
    back)."""
    unknown: list[str] = []
    for name in (entry.focus_domain, entry.win_domain or ""):
        if name and domains.find_domain(store, name) is None and name.casefold() not in {
                known.casefold() for known in unknown}:
            unknown.append(name)
    if not entry.focus_rung:
        return NewNames(tuple(unknown))
    focus = domains.find_domain(store, entry.focus_domain)
    if focus is not None and domains.find_rung(store, focus.id, entry.focus_rung):
        return NewNames(tuple(unknown))
    return NewNames(tuple(unknown), entry.focus_rung, focus.name if focus else entry.focus_domain,
                    domains.next_difficulty(store, focus.id if focus else None))


def checkin_version(store: Store, day: str) -> tuple[Checkin | None, Attempt | None]:
    """The day's check-in and its win, every column, as stored now. A screen keeps this when it
    loads the check-in; a different value at save time means another window saved in between
    (whole rows are compared, so two saves within the same second are told apart too)."""
    saved = get_checkin(store, day)
    return saved, checkin_win(store, saved.id) if saved else None


def save_checkin_over(
    store: Store, entry: CheckinEntry, loaded: tuple[Checkin | None, Attempt | None]
) -> tuple[Checkin, bool]:
    """Save as `save_checkin` does, in one transaction with the check that the day's check-in is
    still as it was when `loaded` was read; True as the second value when it was not, so the
    caller can say that this later save replaced the other window's."""
    with store.transaction():
        changed = checkin_version(store, entry.day) != loaded
        saved = save_checkin(store, entry)
    return saved, changed


def _save_win(
    store: Store, checkin_id: int, entry: CheckinEntry, focus_id: int | None, now: str
) -> None:
    win = checkin_win(store, checkin_id)
    if not entry.win_title:
        if win:
            store.db.table("attempts").update(win.id, {"deleted_at": now, "updated_at": now})
        return
    values = {
        "title": entry.win_title,
        "what_i_did": entry.win_did,
        "domain_id": _win_domain_id(store, entry, win, focus_id),
        "updated_at": now,
    }
    if win:
        store.db.table("attempts").update(win.id, values)
    else:
        store.insert("attempts", {
            "uid": new_uid(),
            "checkin_id": checkin_id,
            "happened_at": _win_time(store, entry.day),
            "outcome": "success",
            "source": "checkin",
            "created_at": now,
            **values,
        })


def _win_domain_id(
    store: Store, entry: CheckinEntry, win: Attempt | None, focus_id: int | None
) -> int | None:
    """The win's own domain, so a later change of today's focus never moves it: the one the user
    named (none if left blank); when not asked, a recorded win keeps its domain and a new win
    takes the focus domain."""
    if entry.win_domain is None:
        return win.domain_id if win else focus_id
    return domains.get_or_create_domain(store, entry.win_domain).id if entry.win_domain else None
