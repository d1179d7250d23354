"""What `efficacy nudge` says: the terminal's answer to reminders, one line or nothing.

A performance within a day comes first (it cannot wait), then a missing check-in; both share
the line, so a shell prompt never grows by more than one row.
"""

from datetime import datetime, timedelta

from efficacy_tui.coach.readiness import moment, time_left
from efficacy_tui.content import say

NEAR = timedelta(hours=24)


def near(scheduled_for: str, now: datetime) -> bool:
    """True when a performance is still ahead and at most a day away."""
    seconds = moment(scheduled_for) - now.timestamp()
    return 0 <= seconds <= NEAR.total_seconds()


def nudge_line(checked_in: bool, performance: tuple[str, str] | None, now: datetime,
               only: str | None = None) -> str:
    """The line to print ("" for none): `performance` is the (title, scheduled_for) of the
    soonest performance not yet prepared for, if any; `only` ("checkin" or "performance")
    mentions that alone."""
    if only == "checkin":
        performance = None
    elif only == "performance":
        checked_in = True
    parts = []
    if performance is not None and near(performance[1], now):
        title, when = performance
        parts.append(say("nudge.performance", title=title, when=time_left(now, when)))
    if not checked_in:
        parts.append(say("nudge.checkin"))
    return say("nudge.prefix") + say("nudge.joiner").join(parts) if parts else ""
