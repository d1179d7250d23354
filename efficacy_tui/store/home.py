"""The one read the home screen needs, kept to indexed queries so it stays fast at any size."""

from datetime import timedelta

from efficacy_tui.records import HomeData
from efficacy_tui.store import attempts, checkins, domains, drafts, feedback_requests, reframes
from efficacy_tui.store.core import Store

SPARK_DAYS = 14
PLANNED_SHOWN = 5
SETBACK_DAYS = 7
REQUESTS_SHOWN = 3


def home_data(store: Store) -> HomeData:
    today = store.today()
    days = checkins.checkin_days(store)
    lines = domains.domain_lines(store)
    win = attempts.last_win(store)
    draft = drafts.load_draft(store, "checkin", today.isoformat())
    return HomeData(
        today=today.isoformat(),
        checked_in_today=bool(days) and days[0] == today.isoformat(),
        checkin_days=days,
        domains=lines,
        recent=checkins.recent_checkins(store, today - timedelta(days=SPARK_DAYS - 1)),
        last_win=win,
        is_empty=not days and not lines and win is None and not attempts.has_any(store),
        planned=attempts.planned_attempts(store, limit=PLANNED_SHOWN),
        setback=reframes.latest_unreframed_setback(store, recent_since(store)),
        checkin_draft=draft[1] if draft else None,
        requests=feedback_requests.pending_requests(store, limit=REQUESTS_SHOWN),
        requests_waiting=feedback_requests.pending_count(store),
    )


def recent_since(store: Store) -> str:
    """The start of the window in which a setback is still offered for reframing."""
    return (store.now() - timedelta(days=SETBACK_DAYS)).isoformat()
