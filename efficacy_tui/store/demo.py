"""A realistic demo database, written by `efficacy demo`.

It exists for two readers. A newcomer should open the app and see what months of use look like
(ladders part climbed, a calibration trend, a check-in streak, wins with what was done to earn
them) without typing any of it, and still find today's check-in open to try. The benchmark needs
the same shape at any size, up to 100,000 attempts over a year, built in seconds.

The story: one person works on the three domains of content/demo.toml. Lower rungs were mastered
one after another (harder ones took longer), one rung per domain is active, the rest are
upcoming. Success grows with practice on a rung and with time, and falls with difficulty.
Confidence, given beforehand on most attempts, tracks the real chance of success with noise and
starts out under-confident (a share of the chance, never below 20), drifting towards
calibration. An attempt's title is one of the rung's titles and a setting that shares no word
with it. Check-ins happen on most days (never
today, always yesterday, with a recent unbroken run), anxiety drifts down, and most check-ins
record yesterday's win. A few attempts are planned and still without an outcome.

Around that record: two vicarious models and two pieces of credible feedback per domain, a few
readiness walkthroughs before past performances (each followed up by an attempt that was logged
with a confidence beforehand, now marked as coming from the walkthrough), one performance
scheduled for tomorrow morning, and reframes of older setbacks, the early ones still ending on a
stable or uncontrollable cause, so the monthly share ending controllable and temporary rises.
These are decided by a second random stream, so adding them leaves the rest of the history
exactly as it was; each domain's self-efficacy scale, rated the evening after it began and every
two to three weeks since, has a third.

Everything is decided by `random.Random(seed)` and the store's clock, so the same seed and clock
give the same rows, uids included; all rows are written in one transaction, so a failure leaves
the database as empty as it was.
"""

import json
import math
import random
import re
import uuid
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from efficacy_tui.content import say
from efficacy_tui.store.checkins import WIN_HOUR
from efficacy_tui.store.core import Progress, Store

USER_TABLES = (
    "domains", "rungs", "attempts", "checkins", "readiness", "models", "feedback", "reframes",
)

DAY = 86_400
HOUR = 3_600
SETUP_AT = 5 * HOUR + 40 * 60  # the ladders were written early on the first morning
ATTEMPTS_PER_DAY = 3
CHECKIN_SHARE = 0.85
STREAK_DAYS = (9, 16)  # the unbroken run of check-ins that ends yesterday
WIN_SHARE = 0.8  # check-ins that record yesterday's win
RATED_SHARE = 0.8  # attempts whose confidence was given beforehand
LOG_SHARE_RATED = 0.08
LOG_SHARE_UNRATED = 0.55
REVISIT_SHARE = 0.08  # attempts that go back to an already mastered rung
PARTIAL_SHARE = 0.55  # of the attempts that are not a success
DID_SHARE = {"success": 0.85, "partial": 0.85, "setback": 0.25}
NOTE_SHARE = 0.22
EFFORT_SHARE = 0.9
PLAN_SHARE = 0.85  # check-ins with an if-then plan
MASTERY_RUN = 4  # a mastered rung's last attempts are all successes
PLANNED = 3  # planned attempts, one per domain
BATCH = 1_000
SESSIONS = (2, 1, 1)  # walkthroughs before past performances, per domain
REFRAME_GAP = 20 * DAY  # the least time between two reframes in a domain
SCALE_GAP = (14, 24)  # days between two sittings of a domain's scale
REFRAME_AGE = 8 * DAY  # the setbacks of the last week are left for the user to reframe
UPCOMING_HOUR = 9
SESSION_GAP = 10 * DAY  # between two walkthroughs in the same domain
ARTICLES = frozenset({"a", "an", "the"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
UNDER = (0.6, 0.97)  # confidence as a share of the real chance: at the start, and by now
LEAST_CONFIDENCE = 0.2

DOMAIN_COLUMNS = ["id", "uid", "name", "goal", "why", "position", "created_at"]
RUNG_COLUMNS = [
    "id", "uid", "domain_id", "title", "criterion", "difficulty", "position", "status",
    "mastered_at", "created_at",
]
CHECKIN_COLUMNS = [
    "id", "uid", "day", "sleep_hours", "energy", "anxiety", "focus_domain_id", "focus_rung_id",
    "focus_confidence", "if_situation", "then_action", "created_at", "updated_at",
]
ATTEMPT_COLUMNS = [
    "id", "uid", "domain_id", "rung_id", "checkin_id", "title", "happened_at", "confidence",
    "outcome", "effort", "what_i_did", "note", "source", "created_at", "updated_at",
    "confidence_timing",
]
MODEL_COLUMNS = ["id", "uid", "domain_id", "who", "like_me", "what_they_did", "created_at",
                 "updated_at"]
FEEDBACK_COLUMNS = ["id", "uid", "domain_id", "who", "credibility", "what_they_said", "given_at",
                    "created_at", "updated_at"]
READINESS_COLUMNS = [
    "id", "uid", "domain_id", "title", "scheduled_for", "started_at", "completed_at",
    "sleep_hours", "energy", "anxiety_before", "confidence_before", "readiness_before",
    "said_aloud", "reappraisal", "breathing", "breathing_seconds", "evidence", "model_id",
    "feedback_id", "if_situation", "then_action", "anxiety_after", "confidence_after",
    "readiness_after", "attempt_id", "followup_at", "created_at", "updated_at",
]
SCALE_ITEM_COLUMNS = ["id", "uid", "domain_id", "text", "position", "created_at"]
SCALE_RATING_COLUMNS = ["id", "uid", "item_id", "session", "rating", "rated_at"]
REFRAME_COLUMNS = [
    "id", "uid", "attempt_id", "domain_id", "what_happened", "cause_text", "flagged", "locus",
    "stability", "controllability", "cause", "new_explanation", "if_situation", "then_action",
    "evidence", "controllable_temporary", "created_at", "updated_at",
]


def has_user_data(store: Store) -> bool:
    """True when any domain, rung, attempt or check-in exists, soft-deleted ones included."""
    exists = " OR ".join(f"EXISTS (SELECT 1 FROM {table})" for table in USER_TABLES)
    return bool(store.db.execute(f"SELECT {exists}").fetchone()[0])


class _Times:
    """Local times as whole seconds since midnight of the first demo day, written as ISO 8601
    with the UTC offset valid at that moment (looked up once per day unless it changes that day)."""

    def __init__(self, day0: date) -> None:
        self.day0 = day0
        self._days: dict[int, tuple[date, str, str | None]] = {}
        self._clock: dict[int, str] = {}

    def _day(self, index: int) -> tuple[date, str, str | None]:
        found = self._days.get(index)
        if found is None:
            day = self.day0 + timedelta(days=index)
            first = datetime.combine(day, time(0)).astimezone().isoformat()[19:]
            last = datetime.combine(day, time(23, 59, 59)).astimezone().isoformat()[19:]
            found = self._days[index] = (day, day.isoformat(), first if first == last else None)
        return found

    def day(self, index: int) -> str:
        return self._day(index)[1]

    def weekday(self, index: int) -> int:
        return self._day(index)[0].weekday()

    def iso(self, seconds: int) -> str:
        index, rest = divmod(seconds, DAY)
        day, text, offset = self._days.get(index) or self._day(index)
        if offset is None:  # the clocks change on this day
            hour, rest = divmod(rest, HOUR)
            moment = datetime.combine(day, time(hour, *divmod(rest, 60)))
            return moment.astimezone().isoformat()
        clock = self._clock.get(rest)
        if clock is None:
            hour, minutes = divmod(rest, HOUR)
            clock = self._clock[rest] = "T{:02d}:{:02d}:{:02d}".format(hour, *divmod(minutes, 60))
        return f"{text}{clock}{offset}"

    def seconds(self, moment: datetime) -> int:
        local = moment.astimezone()
        since = (local.date() - self.day0).days * DAY
        return since + local.hour * HOUR + local.minute * 60 + local.second


def _between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high inclusive (random.randint, at a fraction of the cost)."""
    return low + int(rng.random() * (high - low + 1))


def _step10(chance: float) -> int:
    """A probability as a rating 0-100 in steps of 10."""
    return min(100, max(0, int(round(chance * 10)) * 10))


def _uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def title_words(text: str) -> set[str]:
    """The words of a title that may not appear twice in it: all but the articles."""
    return {w for w in _WORD.findall(text.lower()) if w not in ARTICLES}


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(slots=True)
class _Attempt:
    """An attempt while the history is built: times are local seconds (see _Times)."""

    created: int
    at: int
    domain_id: int
    rung_id: int | None
    title: str
    confidence: int | None
    outcome: str | None
    effort: int | None = None
    what_i_did: str = ""
    note: str = ""
    source: str = "app"
    updated: int = 0
    checkin_id: int | None = None
    earned: int = -1  # the index of the mastered rung this attempt worked towards, if any

    def row(self, number: int, uid: str, iso: Callable[[int], str]) -> list:
        return [
            number, uid, self.domain_id, self.rung_id, self.checkin_id, self.title, iso(self.at),
            self.confidence, self.outcome, self.effort, self.what_i_did, self.note, self.source,
            iso(self.created), iso(self.updated),
            None if self.confidence is None else "recalled" if self.source == "log" else "before",
        ]


class _Domain:
    """One domain's ladder and the timeline of its climb."""

    def __init__(self, index: int, spec: dict[str, Any], created: int) -> None:
        self.index = index
        self.id = index + 1
        self.spec = spec
        self.created = created
        self.rungs: list[dict[str, Any]] = spec["rungs"]
        self.first_rung_id = 0  # set once ids are handed out
        self.bounds: list[int] = []  # when each mastered rung was mastered
        self.did: list[str] = spec["did"]
        self.notes: list[str] = spec["notes"]
        windows = [(int(a * HOUR), int(b * HOUR)) for a, b in spec["hours"]]
        self.windows = windows
        self.window_ends = list(accumulate(b - a for a, b in windows))

    def window(self, rng: random.Random) -> tuple[int, int]:
        """One of the times of day this domain is practised in, longer windows more often."""
        return self.windows[bisect_right(self.window_ends, rng.random() * self.window_ends[-1])]

    @property
    def mastered(self) -> int:
        return len(self.bounds)

    def rung_at(self, moment: int) -> int:
        """The index of the rung that was active at `moment`."""
        return bisect_right(self.bounds, moment)

    def segment(self, rung: int, now: int) -> tuple[int, int]:
        start = self.bounds[rung - 1] if rung else self.created
        end = self.bounds[rung] if rung < self.mastered else now
        return start, end


class _Builder:
    def __init__(self, store: Store, days: int, attempts: int | None, seed: int) -> None:
        if days < 1:
            raise ValueError("A demo needs at least one day of history.")
        if attempts is not None and attempts < 0:
            raise ValueError("The number of attempts cannot be negative.")
        self.content = say("demo")
        self.rng = random.Random(seed)
        self.seed = seed
        self.days = days
        self.total = ATTEMPTS_PER_DAY * days if attempts is None else attempts
        self.today = days - 1
        self.times = _Times(store.today() - timedelta(days=days - 1))
        self.now = self.times.seconds(store.now())
        self.setup = min(SETUP_AT, self.now - 2 * HOUR)
        self.domains = [
            _Domain(i, spec, self.setup + i * 180 + _between(self.rng, 0, 59))
            for i, spec in enumerate(self.content["domains"])
        ]
        self.shares = [d.spec["share"] for d in self.domains]

    # -- the shape of the story ------------------------------------------------------------

    def progress(self, moment: int) -> float:
        """How far through the history `moment` is, 0 to 1."""
        return min(1.0, max(0.0, (moment - self.setup) / max(1, self.now - self.setup)))

    def confidence(self, chance: float, moment: int, spread: float) -> int:
        """A confidence given beforehand: a share of the real chance, well under it at first and
        close to it by now, with noise; never below LEAST_CONFIDENCE, since nobody plans a try
        they give almost no chance (and a newcomer's first week would otherwise read as zero)."""
        share = UNDER[0] + (UNDER[1] - UNDER[0]) * self.progress(moment)
        return _step10(max(LEAST_CONFIDENCE, chance * share + self.rng.gauss(0, spread)))

    def chance(self, domain: _Domain, rung: int, moment: int, revisit: bool = False) -> float:
        """The chance of a success: rising with practice on the rung and with time, falling
        with difficulty. The active rung is still in the growth zone."""
        if revisit:
            return 0.88
        start, end = domain.segment(rung, self.now)
        practice = (moment - start) / max(1, end - start)
        if rung >= domain.mastered:
            practice *= 0.6
        difficulty = domain.rungs[rung]["difficulty"]
        return _sigmoid(
            -0.7 + 3.2 * practice + 0.8 * self.progress(moment) - 2.0 * (difficulty - 20) / 70
        )

    def climb(self) -> None:
        """Decide when each domain's lower rungs were mastered."""
        rng = self.rng
        for domain in self.domains:
            pace = domain.spec["pace_days"]
            mastered = min(len(domain.rungs) - 2, self.days // pace)
            if mastered <= 0:
                continue
            active_days = min(self.days * 0.35, pace * 0.8)
            span = (self.now - domain.created) - active_days * DAY
            weights = [0.7 + r["difficulty"] / 100 for r in domain.rungs[:mastered]]
            total, reached = sum(weights), 0.0
            for weight in weights:
                reached += weight
                day = int((domain.created + span * reached / total) // DAY)
                moment = day * DAY + _between(rng, 19 * HOUR + 1800, 21 * HOUR + 1800)
                if domain.bounds and moment <= domain.bounds[-1] + DAY // 2:
                    moment = domain.bounds[-1] + DAY
                domain.bounds.append(min(moment, self.now - DAY))

    # -- text ------------------------------------------------------------------------------

    def did(self, domain: _Domain) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return rng.choice(domain.did)
        first, second = rng.sample(domain.did, 2)
        return f"{first} {second}"

    def note(self, domain: _Domain, outcome: str) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return rng.choice(domain.notes)
        return rng.choice(self.content["notes"][outcome])

    def title(self, domain: _Domain, rung: int) -> str:
        """One of the rung's titles and one of its settings that shares no word with it, so no
        title reads "Language exchange at the café exchange"."""
        spec = domain.rungs[rung]
        first, settings = self.rng.choice(spec["titles"]), spec["settings"]
        drawn = self.rng.randrange(len(settings))
        taken = title_words(first)
        for step in range(len(settings)):  # the drawn one, or the next that fits
            setting = settings[(drawn + step) % len(settings)]
            if not taken & title_words(setting):
                break
        return f"{first} {setting}"

    # -- check-ins -------------------------------------------------------------------------

    def checkin_days(self) -> list[int]:
        """Most past days, never today, always yesterday, with an unbroken recent run."""
        rng = self.rng
        past = self.today  # days 0 .. today-1
        streak = min(past, _between(rng, *STREAK_DAYS))
        gap = past - streak - 1  # the missed day just before the run, if there is one
        chosen = [k for k in range(max(0, gap)) if rng.random() < CHECKIN_SHARE]
        return chosen + list(range(past - streak, past))

    def checkins(self) -> tuple[list[list], list[dict]]:
        rng = self.rng
        rows, wins = [], []
        for number, day in enumerate(self.checkin_days(), start=1):
            created = min(day * DAY + _between(rng, 6 * HOUR + 2700, 9 * HOUR + 1800), self.now)
            updated = created + _between(rng, 30, 240)
            if rng.random() < 0.08:
                updated += _between(rng, 2 * HOUR, 12 * HOUR)  # came back to it later that day
            updated = min(updated, self.now)
            g = self.progress(created)
            weekend = self.times.weekday(day) >= 5
            sleep = rng.gauss(7.0 + 0.3 * g + (0.5 if weekend else 0.0), 0.75)
            sleep = min(9.0, max(5.5, round(sleep, 1)))
            energy = round(5.0 + 1.1 * (sleep - 7.0) + 1.0 * g + rng.gauss(0, 1.4))
            anxiety = 58 - 25 * g - 3 * (sleep - 7.0) + rng.gauss(0, 10)
            domain = self.domains[rng.choices(range(len(self.domains)), self.shares)[0]]
            rung = domain.rung_at(created)
            focus = self.confidence(self.chance(domain, rung, created), created, 0.12)
            situation = action = ""
            if rng.random() < PLAN_SHARE:
                situation, action = rng.choice(domain.spec["plans"])
            rows.append([
                number, None, self.times.day(day), sleep, min(10, max(0, energy)),
                max(10, _step10(anxiety / 100)), domain.id, domain.first_rung_id + rung,
                focus, situation, action, created, updated,
            ])
            if day >= 1 and rng.random() < WIN_SHARE:
                wins.append({"checkin": number, "day": day, "domain": domain, "at": created})
        return rows, wins

    def win(self, win: dict) -> _Attempt:
        """Yesterday's win as the check-in saves it: midday the day before, no rung, no rating."""
        domain = win["domain"]
        note = self.note(domain, "success") if self.rng.random() < 0.1 else ""
        return _Attempt(
            created=win["at"], at=(win["day"] - 1) * DAY + WIN_HOUR * HOUR, domain_id=domain.id,
            rung_id=None, title=self.rng.choice(domain.spec["wins"]), confidence=None,
            outcome="success", what_i_did=self.did(domain), note=note, source="checkin",
            updated=win["at"], checkin_id=win["checkin"],
        )

    # -- attempts --------------------------------------------------------------------------

    def day_weights(self, domain: _Domain) -> list[float]:
        """How likely each day is to hold an attempt in `domain`: more often as the habit
        grows, weekends by the domain's own factor, today only for the part already lived."""
        weights = []
        weekend = domain.spec["weekend"]
        for day in range(self.days):
            weight = 0.6 + 0.8 * day / self.days
            if self.times.weekday(day) >= 5:
                weight *= weekend
            if day == self.today:
                lived = (self.now - day * DAY - 6 * HOUR) / (16 * HOUR)
                weight *= min(1.0, max(0.0, lived))
            weights.append(weight)
        if sum(weights) <= 0:
            weights[-1] = 1.0
        return weights

    def moment(self, domain: _Domain, day: int) -> int:
        rng = self.rng
        start, end = domain.window(rng)
        moment = day * DAY + _between(rng, start, end)
        latest = self.now - 900
        if moment > latest:
            moment = latest - _between(rng, 0, 4 * HOUR - 1)
        return max(moment, domain.created + 1800)

    def before(self, moment: int, floor: int) -> int:
        """When a rating was given ahead of `moment`: shortly before, or the evening before."""
        rng = self.rng
        earlier = moment - _between(rng, 600, 3 * HOUR)
        if earlier % DAY < 6 * HOUR or rng.random() < 0.4:
            earlier = (moment // DAY - 1) * DAY + _between(rng, 20 * HOUR, 22 * HOUR + 1800)
        if earlier < floor:
            earlier = floor + _between(rng, 0, max(0, moment - floor))
        return min(earlier, moment)

    def after(self, moment: int, cap: int, soon: float) -> int:
        """When something done at `moment` was written down: soon after, that evening or the
        next morning, but never after `cap`."""
        rng = self.rng
        day = moment // DAY
        draw = rng.random()
        if draw < soon:
            later = moment + _between(rng, 300, 90 * 60)
        elif draw < (1 + soon) / 2 and moment < day * DAY + 20 * HOUR:
            later = day * DAY + _between(rng, 20 * HOUR + 1800, 23 * HOUR)
        else:
            later = (day + 1) * DAY + _between(rng, 7 * HOUR, 9 * HOUR + 1800)
        if later > cap:
            later = moment + _between(rng, 0, max(0, cap - moment))
        return later

    def attempt(self, domain: _Domain, moment: int) -> _Attempt:
        rng = self.rng
        rung = domain.rung_at(moment)
        revisit = rung > 0 and rng.random() < REVISIT_SHARE
        if revisit:
            rung = rng.randrange(rung)
        chance = self.chance(domain, rung, moment, revisit)
        draw = rng.random()
        if draw < chance:
            outcome = "success"
        elif draw < chance + (1 - chance) * PARTIAL_SHARE:
            outcome = "partial"
        else:
            outcome = "setback"
        rated = rng.random() < RATED_SHARE
        logged = rng.random() < (LOG_SHARE_RATED if rated else LOG_SHARE_UNRATED)
        confidence = None
        if rated:
            confidence = self.confidence(chance, moment, 0.15)
        # the segment the record belongs to: it was written after the rung became active and,
        # for a rung since mastered, finished before the rung was marked mastered
        start, end = (domain.created, self.now) if revisit else domain.segment(rung, self.now)
        cap = min(end, self.now)
        if rated and not logged:  # rated beforehand in the app, outcome added afterwards
            created = self.before(moment, start)
            updated = self.after(moment, cap, soon=0.7)
        else:  # written down after the fact
            created = updated = self.after(moment, cap, soon=0.2 if logged else 0.5)
        effort = None
        if not logged and rng.random() < EFFORT_SHARE:
            difficulty = domain.rungs[rung]["difficulty"]
            lean = 1.6 + difficulty / 35 + (0.6 if outcome == "setback" else 0.0)
            effort = min(5, max(1, round(lean + rng.gauss(0, 0.8))))
        did = self.did(domain) if rng.random() < DID_SHARE[outcome] else ""
        note = self.note(domain, outcome) if rng.random() < NOTE_SHARE else ""
        # `efficacy log` names a domain, not a rung, so logged attempts carry no rung
        rung_id = None if logged else domain.first_rung_id + rung
        return _Attempt(
            created=created, at=moment, domain_id=domain.id, rung_id=rung_id,
            title=self.title(domain, rung), confidence=confidence, outcome=outcome, effort=effort,
            what_i_did=did, note=note, source="log" if logged else "app", updated=updated,
            earned=rung if rung_id and not revisit and rung < domain.mastered else -1,
        )

    def finish_rungs(self, attempts: list[_Attempt]) -> None:
        """The last attempts on a mastered rung were the run of successes that earned it."""
        runs: dict[tuple[int, int], list[_Attempt]] = {}
        for attempt in attempts:
            if attempt.earned >= 0:
                runs.setdefault((attempt.domain_id, attempt.earned), []).append(attempt)
        for (domain_id, _), run in sorted(runs.items()):
            run.sort(key=lambda a: a.at)
            for attempt in run[-MASTERY_RUN:]:
                if attempt.outcome != "success":
                    attempt.outcome = "success"
                    attempt.what_i_did = attempt.what_i_did or self.did(self.domains[domain_id - 1])

    def planned(self, domain: _Domain) -> _Attempt:
        """A try still ahead (or just past, outcome not yet recorded), rated in the app."""
        rng = self.rng
        rung = domain.mastered
        low, high = domain.spec["plan_days"]
        day = self.today + _between(rng, low, high)
        start, end = domain.window(rng)
        moment = max(day * DAY + _between(rng, start, end), domain.created + 1800)
        floor = domain.segment(rung, self.now)[0]
        created = (self.today - _between(rng, 1, 3)) * DAY + _between(rng, 20 * HOUR, 22 * HOUR)
        if created < floor:
            created = floor + _between(rng, 0, max(0, self.now - floor))
        created = min(moment, created, self.now)
        confidence = self.confidence(self.chance(domain, rung, self.now), self.now, 0.12)
        return _Attempt(
            created=created, at=moment, domain_id=domain.id, rung_id=domain.first_rung_id + rung,
            title=self.title(domain, rung), confidence=confidence, outcome=None,
            note=rng.choice(domain.spec["plan_notes"]), updated=created,
        )

    def regular(self, count: int) -> list[_Attempt]:
        rng = self.rng
        picks = rng.choices(range(len(self.domains)), self.shares, k=count)
        per_domain = [picks.count(i) for i in range(len(self.domains))]
        rows = []
        for domain, n in zip(self.domains, per_domain, strict=True):
            days = rng.choices(range(self.days), self.day_weights(domain), k=n)
            days.sort()
            for day in days:
                rows.append(self.attempt(domain, self.moment(domain, day)))
        return rows

    # -- rows ------------------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def build(self) -> dict[str, list[list]]:
        iso = self.times.iso
        self.climb()
        domains: list[list] = []
        rungs: list[list] = []
        for domain in self.domains:
            spec = domain.spec
            domain.first_rung_id = len(rungs) + 1
            domains.append([
                domain.id, self.uid(), spec["name"], spec["goal"], spec["why"], domain.id,
                iso(domain.created),
            ])
            for position, rung in enumerate(domain.rungs):
                status = (
                    "mastered" if position < domain.mastered
                    else "active" if position == domain.mastered
                    else "upcoming"
                )
                mastered_at = iso(domain.bounds[position]) if status == "mastered" else None
                rungs.append([
                    len(rungs) + 1, self.uid(), domain.id, rung["title"], rung["criterion"],
                    rung["difficulty"], position + 1, status, mastered_at,
                    iso(domain.created + 60 + 20 * position),
                ])
        checkins, wins = self.checkins()
        planned = [self.planned(d) for d in self.domains[: min(PLANNED, self.total)]]
        wins = wins[max(0, len(wins) - (self.total - len(planned))):]  # the most recent ones
        attempts = self.regular(self.total - len(planned) - len(wins))
        self.finish_rungs(attempts)
        attempts += [self.win(w) for w in wins] + planned
        # ids follow the order the rows were written in, as they would in real use
        attempts.sort(key=lambda a: (a.created, a.at, a.domain_id))
        for row in checkins:
            row[1] = self.uid()
            row[11], row[12] = iso(row[11]), iso(row[12])
        attempt_rows = [a.row(n, self.uid(), iso) for n, a in enumerate(attempts, start=1)]
        extras = _Extras(self, attempts, attempt_rows).build()
        return {"domains": domains, "rungs": rungs, "checkins": checkins,
                "attempts": attempt_rows, **extras}


class _Extras:
    """Models, feedback, readiness walkthroughs and reframes around a built history, from their
    own random stream so the history itself is the same with or without them."""

    SOURCE = ATTEMPT_COLUMNS.index("source")
    TIMING = ATTEMPT_COLUMNS.index("confidence_timing")

    def __init__(self, builder: _Builder, attempts: list[_Attempt], rows: list[list]) -> None:
        self.b = builder
        self.rng = random.Random(f"{builder.seed}:readiness")
        self.attempts = attempts
        self.rows = rows
        self.iso = builder.times.iso
        difficulty: dict[int | None, int] = {
            domain.first_rung_id + n: rung["difficulty"]
            for domain in builder.domains for n, rung in enumerate(domain.rungs)
        }
        # per domain: successes as (has a rung, difficulty, when, index), sorted when first used
        self.successes: dict[int, list[tuple[bool, int, int, int]]] = {}
        self.sorted: set[int] = set()
        self.logged: dict[int, list[int]] = {}  # rated, logged attempts: past performances
        self.setbacks: dict[int, list[int]] = {}
        successes, logged, setbacks = self.successes, self.logged, self.setbacks
        for index, a in enumerate(attempts):
            outcome = a.outcome
            if outcome == "success":
                rung = a.rung_id
                successes.setdefault(a.domain_id, []).append(
                    (rung is not None, difficulty.get(rung, -1), a.at, index))
            elif outcome == "setback":
                setbacks.setdefault(a.domain_id, []).append(index)
            if a.source == "log" and outcome is not None and a.confidence is not None:
                logged.setdefault(a.domain_id, []).append(index)
        self.models: dict[int, list[list]] = {}
        self.feedback: dict[int, list[list]] = {}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def evidence(self, domain_id: int, before: int) -> list[str]:
        """The uids of the domain's successes before `before`: hardest rung first, then the most
        recent, as the walkthrough and the reframe show them."""
        pool = self.successes.get(domain_id, [])
        if domain_id not in self.sorted:
            pool.sort(reverse=True)
            self.sorted.add(domain_id)
        found: list[str] = []
        for _, _, at, index in pool:
            if at < before:
                found.append(self.rows[index][1])
                if len(found) == 3:
                    break
        return found

    def between(self, low: int, high: int) -> int:
        return _between(self.rng, low, high)

    def point(self, domain: _Domain, low: float, high: float) -> int:
        """A daytime moment part-way through the domain's history."""
        span = max(0, self.b.now - domain.created)
        day = (domain.created + int(span * self.rng.uniform(low, high))) // DAY
        moment = day * DAY + self.between(8 * HOUR, 21 * HOUR)
        return min(self.b.now, max(domain.created + 60, moment))

    def evening(self, day: int, floor: int) -> int:
        """An evening moment on `day`, not before `floor`."""
        return max(floor, day * DAY + self.between(19 * HOUR, 21 * HOUR + 1800))

    # -- models and feedback -----------------------------------------------------------------

    def people(self) -> tuple[list[list], list[list]]:
        models: list[list] = []
        feedback: list[list] = []
        for domain in self.b.domains:
            for n, spec in enumerate(domain.spec.get("models", [])):
                created = self.point(domain, 0.1 + 0.3 * n, 0.3 + 0.3 * n)
                row = [len(models) + 1, self.uid(), domain.id, spec["who"], spec["like_me"],
                       spec["what_they_did"], created, created]
                models.append(row)
                self.models.setdefault(domain.id, []).append(row)
            for n, spec in enumerate(domain.spec.get("feedback", [])):
                given = self.point(domain, 0.15 + 0.35 * n, 0.45 + 0.35 * n)
                created = min(self.b.now, given + self.between(600, 2 * HOUR))
                row = [len(feedback) + 1, self.uid(), domain.id, spec["who"], spec["credibility"],
                       spec["what_they_said"], given, created, created]
                feedback.append(row)
                self.feedback.setdefault(domain.id, []).append(row)
        return models, feedback

    def model_for(self, domain_id: int, before: int) -> int | None:
        known = [m for m in self.models.get(domain_id, []) if m[7] <= before]
        return max(known, key=lambda m: (m[7], m[0]))[0] if known else None

    def feedback_for(self, domain_id: int, before: int) -> int | None:
        known = [f for f in self.feedback.get(domain_id, []) if f[7] <= before]
        return max(known, key=lambda f: (f[4], f[6], f[0]))[0] if known else None

    # -- readiness ---------------------------------------------------------------------------

    def sessions(self) -> list[list]:
        rows: list[list] = []
        for domain, count in zip(self.b.domains, SESSIONS, strict=True):
            chosen: list[int] = []
            for index in reversed(self.logged.get(domain.id, [])):
                if len(chosen) >= count:
                    break
                at = self.attempts[index].at
                if at > self.b.now - DAY or at - 2 * HOUR <= domain.created:
                    continue
                if chosen and at > self.attempts[chosen[-1]].at - SESSION_GAP:
                    continue
                chosen.append(index)
            for index in reversed(chosen):
                rows.append(self.session(domain, index, len(rows) + 1))
        upcoming = self.upcoming(len(rows) + 1)
        if upcoming:
            rows.append(upcoming)
        rows.sort(key=lambda r: r[-2])  # ids in the order the rows were written
        for number, row in enumerate(rows, start=1):
            row[0] = number
        return rows

    def session(self, domain: _Domain, index: int, number: int) -> list:
        """A walkthrough half an hour before a performance that was then followed up: the
        attempt, logged with a confidence, becomes the walkthrough's follow-up."""
        rng, between = self.rng, self.between
        attempt = self.attempts[index]
        self.rows[index][self.SOURCE] = "readiness"
        if attempt.confidence is not None:  # rated in the walkthrough, before the performance
            self.rows[index][self.TIMING] = "before"
        started = attempt.at - between(25 * 60, 55 * 60)
        completed = started + between(180, 300)
        created = self.evening(started // DAY - between(1, 3), domain.created + 60)
        confidence_after = attempt.confidence or 0
        confidence_before = max(0, confidence_after - 10 * rng.choice((1, 1, 2, 2, 3)))
        anxiety_before = 10 * between(5, 8)
        readiness_before = 10 * between(3, 5)
        breathing = rng.choices(("resonance", "sighing", None), (0.6, 0.25, 0.15))[0]
        situation, action = rng.choice(domain.spec["plans"])
        spec = domain.spec["readiness"]
        return [
            number, self.uid(), domain.id, attempt.title, attempt.at, started, completed,
            min(9.0, max(5.0, round(rng.gauss(7.0, 0.7), 1))), between(4, 8),
            anxiety_before, confidence_before, readiness_before,
            1 if rng.random() < 0.85 else 0, rng.choice(spec["reappraisals"]),
            breathing, rng.choice((60, 120)) if breathing else 0,
            json.dumps(self.evidence(domain.id, started)),
            self.model_for(domain.id, started), self.feedback_for(domain.id, started),
            situation, action,
            anxiety_before - 10 * between(1, 3), confidence_after,
            min(100, readiness_before + 10 * between(1, 3)),
            index + 1, attempt.created, created, attempt.created,
        ]

    def upcoming(self, number: int) -> list | None:
        """Tomorrow morning's performance, scheduled earlier today or yesterday."""
        domain = next((d for d in self.b.domains if "readiness" in d.spec), None)
        if domain is None:
            return None
        created = min(self.b.now, self.evening(self.b.today - 1, domain.created + 60))
        scheduled = (self.b.today + 1) * DAY + UPCOMING_HOUR * HOUR
        row: list[Any] = [None] * len(READINESS_COLUMNS)
        values = {
            "id": number, "uid": self.uid(), "domain_id": domain.id,
            "title": domain.spec["readiness"]["upcoming"], "scheduled_for": scheduled,
            "said_aloud": 0, "reappraisal": "", "breathing_seconds": 0, "evidence": "[]",
            "if_situation": "", "then_action": "", "created_at": created, "updated_at": created,
        }
        for name, value in values.items():
            row[READINESS_COLUMNS.index(name)] = value
        return row

    # -- reframes ----------------------------------------------------------------------------

    def reframes(self, taken: set[int]) -> list[list]:
        """The content's reframes on older setbacks, about three weeks or more apart, oldest
        first: the early ones still end on a stable or uncontrollable cause, the later ones on a
        controllable, temporary one, so the monthly share rises. Each story's flagged wording
        and whether it ended controllable and temporary are given with it (the coach's regular
        expressions cost more to compile than the rest of this class takes to run; the rule for
        the ending is the coach's own)."""
        from efficacy_tui.coach.attribution import Dimensions, is_controllable_temporary

        rows: list[list] = []
        for domain in self.b.domains:
            stories = domain.spec.get("reframes", [])
            chosen: list[int] = []
            for index in reversed(self.setbacks.get(domain.id, [])):
                if len(chosen) == len(stories):
                    break
                attempt = self.attempts[index]
                if index in taken or attempt.at > self.b.now - REFRAME_AGE:
                    continue
                if chosen and attempt.at > self.attempts[chosen[-1]].at - REFRAME_GAP:
                    continue
                chosen.append(index)
            chosen.reverse()  # oldest first, as the stories are; a short history gets the last
            for index, story in zip(chosen, stories[len(stories) - len(chosen):], strict=True):
                attempt = self.attempts[index]
                created = min(self.b.now, attempt.updated + self.between(600, 3 * HOUR))
                rows.append([
                    None, self.uid(), index + 1, domain.id, story["what_happened"],
                    story["cause_text"],
                    json.dumps(story["flagged"], ensure_ascii=False),
                    story["locus"], story["stability"], story["controllability"], story["cause"],
                    story["new_explanation"], story["if_situation"], story["then_action"],
                    json.dumps(self.evidence(domain.id, attempt.at)),
                    int(is_controllable_temporary(Dimensions(
                        story["locus"], story["stability"], story["controllability"]),
                        story["cause"])),
                    created, created,
                ])
        rows.sort(key=lambda r: r[-2])
        for number, row in enumerate(rows, start=1):
            row[0] = number
        return rows

    # -- self-efficacy scales -----------------------------------------------------------------

    def scales(self) -> tuple[list[list], list[list]]:
        """Each domain's scale, written the evening after the domain began and re-rated every
        two to three weeks since, from a random stream of its own: harder items lower, every
        item rising as the months of practice go by."""
        rng = random.Random(f"{self.b.seed}:scale")
        items: list[list] = []
        ratings: list[list] = []
        for domain in self.b.domains:
            texts = domain.spec.get("scale", [])
            evening = (domain.created // DAY + 1) * DAY + _between(rng, 19 * HOUR, 21 * HOUR)
            sitting = min(evening, self.b.now)
            first = len(items) + 1
            for position, text in enumerate(texts):
                items.append([len(items) + 1, _uid(rng), domain.id, text, position + 1,
                              sitting - 120])
            while texts and sitting <= self.b.now:
                session = _uid(rng)
                growth = 40 * self.b.progress(sitting)
                for position in range(len(texts)):
                    rating = 50 - 12 * position - 10 + growth + rng.gauss(0, 7)
                    ratings.append([len(ratings) + 1, _uid(rng), first + position, session,
                                    _step10(max(10, rating) / 100), sitting])
                sitting += _between(rng, *SCALE_GAP) * DAY + _between(rng, -HOUR, HOUR)
        return items, ratings

    def build(self) -> dict[str, list[list]]:
        models, feedback = self.people()
        sessions = self.sessions()
        taken = {row[READINESS_COLUMNS.index("attempt_id")] - 1 for row in sessions
                 if row[READINESS_COLUMNS.index("attempt_id")]}
        reframes = self.reframes(taken)
        scale_items, scale_ratings = self.scales()
        iso = self.iso
        stamps = {
            "models": [MODEL_COLUMNS.index(c) for c in ("created_at", "updated_at")],
            "feedback": [FEEDBACK_COLUMNS.index(c)
                         for c in ("given_at", "created_at", "updated_at")],
            "readiness": [READINESS_COLUMNS.index(c) for c in (
                "scheduled_for", "started_at", "completed_at", "followup_at", "created_at",
                "updated_at")],
            "reframes": [REFRAME_COLUMNS.index(c) for c in ("created_at", "updated_at")],
            "scale_items": [SCALE_ITEM_COLUMNS.index("created_at")],
            "scale_ratings": [SCALE_RATING_COLUMNS.index("rated_at")],
        }
        tables = {"models": models, "feedback": feedback, "readiness": sessions,
                  "reframes": reframes, "scale_items": scale_items,
                  "scale_ratings": scale_ratings}
        for name, rows in tables.items():
            for row in rows:
                for column in stamps[name]:
                    if row[column] is not None:
                        row[column] = iso(row[column])
        return tables


def build_demo(store: Store, days: int, attempts: int | None = None, seed: int = 7,
               progress: Progress | None = None) -> str:
    """Fill an empty database with `days` days of history ending now and return a summary such
    as "3 domains, 21 rungs, 270 attempts, 80 check-ins over 90 days". `attempts` is the exact
    number of attempt rows (about three a day when None). Same seed and clock, same rows.
    `progress` hears ("writing", rows written, rows in all) after every BATCH rows."""
    tables = _Builder(store, days, attempts, seed).build()
    columns = {
        "domains": DOMAIN_COLUMNS,
        "rungs": RUNG_COLUMNS,
        "checkins": CHECKIN_COLUMNS,
        "attempts": ATTEMPT_COLUMNS,
        "models": MODEL_COLUMNS,
        "feedback": FEEDBACK_COLUMNS,
        "readiness": READINESS_COLUMNS,
        "reframes": REFRAME_COLUMNS,
        "scale_items": SCALE_ITEM_COLUMNS,
        "scale_ratings": SCALE_RATING_COLUMNS,
    }
    total, written = sum(len(tables[name]) for name in columns), 0
    with store.transaction():
        for name in columns:
            rows = tables[name]
            for start in range(0, len(rows), BATCH):
                chunk = rows[start:start + BATCH]
                store.db.table(name).insert_all([columns[name], *chunk], batch_size=BATCH)
                written += len(chunk)
                if progress:
                    progress("writing", written, total)
    return ", ".join([
        _plural(len(tables["domains"]), "domain"),
        _plural(len(tables["rungs"]), "rung"),
        _plural(len(tables["attempts"]), "attempt"),
        _plural(len(tables["checkins"]), "check-in"),
    ]) + f" over {_plural(days, 'day')}"
