"""The review screen's reads and edits: every kind of record in one newest-first list, searched and
filtered in SQL a page at a time, so 100,000 attempts cost the same few milliseconds as a hundred.

Kinds: a "win" is an attempt whose source is a check-in or the self-efficacy audit and whose
outcome is a success (a success the user stopped to record as such); every other attempt,
planned ones included, is an "attempt". A row of `readiness` is a "readiness" walkthrough once
one was completed for it, and until then a "performance" (scheduled, never walked through).
Check-ins, reframes, role models, feedback, feedback requests and scale items are their own
kinds. Text search uses the FTS5 tables of migration m005_search; user text is always quoted,
so it is searched as words and never read as query syntax. Models, feedback, requests and scale
items are few (written by hand, one at a time), so they are searched with LIKE on every word.
"""

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from efficacy_tui.coach.validate import InvalidValue
from efficacy_tui.content import say
from efficacy_tui.store.attempts import confidence_timing
from efficacy_tui.store.core import Store

KINDS = ("attempt", "win", "checkin", "reframe", "readiness", "performance", "model", "feedback",
         "request", "scale_item")
OUTCOMES = ("success", "partial", "setback", "planned")
COUNT_CAP = 1_000
MIN_PREFIX = 2
SEARCHED_TABLES = ("attempts", "checkins", "reframes", "readiness")
TABLES = {
    "attempt": "attempts", "win": "attempts", "checkin": "checkins", "reframe": "reframes",
    "readiness": "readiness", "performance": "readiness", "model": "models",
    "feedback": "feedback", "request": "feedback_requests", "scale_item": "scale_items",
}
_ATTEMPT = ("title", "what_i_did", "note", "happened_at", "outcome", "rung_id", "effort",
            "confidence")
EDITABLE = {
    "attempt": _ATTEMPT,
    "win": _ATTEMPT,
    "checkin": ("if_situation", "then_action"),
    "reframe": ("what_happened", "cause_text", "new_explanation", "if_situation", "then_action"),
    "readiness": ("title", "reappraisal", "if_situation", "then_action", "scheduled_for"),
    "performance": ("title", "scheduled_for"),
    "model": ("who", "like_me", "what_they_did"),
    "feedback": ("who", "what_they_said"),
    "request": ("whom", "question"),
    "scale_item": ("text",),
}
# The words LIKE searches in the kinds without a full-text index.
_LIKED = {
    "models": ("who", "like_me", "what_they_did"),
    "feedback": ("who", "what_they_said"),
    "feedback_requests": ("whom", "question"),
    "scale_items": ("text",),
}
_UNSTAMPED = ("feedback_requests", "scale_items")  # tables without an updated_at column
TIMES = ("happened_at", "scheduled_for")  # editable stamps: when it happened, or will
_WIN = "a.outcome = 'success' AND a.source IN ('checkin', 'audit')"


@dataclass(frozen=True)
class ReviewFilter:
    """What the user asked to see; empty fields do not filter. `end` is exclusive."""

    text: str = ""
    domain_id: int | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)
    outcome: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class ReviewRow:
    """One line of the records table. `title` is the record's own words (a check-in's "if"
    part, a reframe's what happened) and `detail` the second part (its "then", the new
    explanation, what was done)."""

    kind: str
    id: int
    uid: str
    at: str
    domain: str
    title: str
    detail: str
    outcome: str | None
    confidence: int | None
    recalled: bool = False  # the confidence was given after the outcome


@dataclass(frozen=True)
class RecordCount:
    """How many records match; past the cap counting stops and `more` says there are others.
    `kinds` keeps each kind's own count and `version` the data they were counted on
    (`Store.version`), so another page of the same filter, with nothing written since, needs
    no count."""

    count: int
    more: bool = False
    kinds: tuple[int, ...] = field(default=(), compare=False)
    version: tuple[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RecordDetail:
    """A whole record for the detail pane and the edit form: every column in `values`."""

    kind: str
    id: int
    uid: str
    at: str
    domain: str
    values: dict[str, Any]
    deleted: bool = False


def _terms(text: str, prefix: bool) -> tuple[list[str], str | None]:
    """The searchable words of user text, and the last one if it is still being typed (no
    trailing space). Tokens without a letter or digit are dropped (the tokenizer ignores them,
    so they could never match); a word being typed counts from MIN_PREFIX characters."""
    text = text.replace("\x00", " ")  # SQLite reads an FTS query only up to a NUL
    raw = text.split()
    words = [token for token in raw if any(ch.isalnum() for ch in token)]
    typing = (prefix and bool(words) and not text[-1].isspace() and raw[-1] == words[-1])
    if not typing:
        return words, None
    if sum(ch.isalnum() for ch in words[-1]) < MIN_PREFIX:
        return words[:-1], None
    return words[:-1], words[-1]


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _join(words: list[str], typed: str | None) -> str:
    return " ".join([*map(_quote, words), *([_quote(typed) + "*"] if typed else [])])


def fts_query(text: str, prefix: bool = True) -> str:
    """User text as an FTS5 query that only ever means "these words": every token becomes a
    quoted string (inner `"` doubled), so `AND`, `NEAR`, `*`, `-`, `(` are searched as text, and
    tokens with no letter or digit are left out (nothing could match them). With `prefix`, a
    word still being typed (no trailing space) also matches longer words once it has MIN_PREFIX
    characters, and is left out until then: a one-letter prefix matches half of a large
    database, which costs more than a keystroke's budget and says little."""
    return _join(*_terms(text, prefix))


def _known(store: Store, prefix: str) -> bool:
    return any(
        store.scalar(f"SELECT EXISTS (SELECT 1 FROM {table}_fts WHERE {table}_fts MATCH ?)",
                     [_quote(prefix) + "*"])
        for table in SEARCHED_TABLES
    )


# Endings the porter stemmer takes off English words (its steps 1 to 5). A word being typed is
# cut back only by the start of one of these, or of several in a row ("aliza" in "generaliza").
_ENDINGS = (
    "ational", "tional", "enci", "anci", "izer", "abli", "alli", "entli", "eli", "ousli",
    "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti",
    "biliti", "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "ance", "ence", "able",
    "ible", "ant", "ement", "ment", "ent", "ion", "ism", "ate", "iti", "ous", "ive", "ize", "ing",
    "eed", "ed", "es", "er", "ic", "al", "ly", "y", "e", "s",
)


def _could_be_ending(tail: str, stem_end: str = "") -> bool:
    """Whether `tail` could be the start of what stemming removes after a stem ending in
    `stem_end`; a doubled consonant counts too ("runni" is "run" + "n" + "i…")."""
    if not tail or any(ending.startswith(tail) for ending in _ENDINGS):
        return True
    if tail[0] == stem_end and tail[0] not in "aeiou" and _could_be_ending(tail[1:]):
        return True
    return any(tail.startswith(ending) and _could_be_ending(tail[len(ending):])
               for ending in _ENDINGS)


def match_query(store: Store, text: str) -> str:
    """fts_query, with the word being typed cut back to the longest prefix the index knows that
    leaves only the start of a stemmed ending. Stemming indexes "conversation" as "convers", so
    while "conversa" is typed the plain prefix would match nothing and the table would flicker
    empty until the word is complete; but "tiramisu" is not cut back to "tir" (of "tired")."""
    words, typed = _terms(text, prefix=True)
    if typed:
        for cut in range(len(typed), 0, -1):
            candidate = typed[:cut]
            if sum(ch.isalnum() for ch in candidate) < MIN_PREFIX:
                break
            if _could_be_ending(typed[cut:].lower(), candidate[-1].lower()) \
                    and _known(store, candidate):
                typed = candidate
                break
    return _join(words, typed)


def _local(moment: datetime) -> str:
    """A bound as local wall time without offset: stored stamps compare to it as text, and a
    stamp at the very same wall time (longer, with its offset) sorts after it."""
    return moment.astimezone().replace(tzinfo=None, microsecond=0).isoformat()


@dataclass
class _Branch:
    """One kind's SELECT: columns in ReviewRow order, its table and alias, the time column, the
    index that yields its rows newest first under the filters, and its WHERE terms."""

    select: str
    table: str
    alias: str
    at: str
    where: list[str]
    params: list[Any]
    index: str | None = None
    match: str = ""
    narrowed: bool = False

    def sql(self, columns: str, limit: int | None, from_matches: bool = False) -> tuple[str, list]:
        """The branch's SELECT and its parameters. Read along its time index (stopping once
        `limit` rows are found), or with `from_matches` from the full-text matches (all of
        them, then sorted): the first suits many matches, the second few."""
        a, where, params = self.alias, list(self.where), list(self.params)
        if self.match and from_matches:
            source = f"{self.table}_fts m CROSS JOIN {self.table} {a}"
            where[:0] = [f"m.{self.table}_fts MATCH ?", f"{a}.id = m.rowid"]
            params[:0] = [self.match]
        else:
            source = f"{self.table} {a}" + (f" INDEXED BY {self.index}" if self.index else "")
            if self.match:
                where.insert(0, f"{a}.id IN (SELECT rowid FROM {self.table}_fts "
                                f"WHERE {self.table}_fts MATCH ?)")
                params.insert(0, self.match)
        tail = f" ORDER BY {self.at} DESC, {a}.id DESC LIMIT {limit}" if limit is not None else ""
        return f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)}{tail}", params

    def from_matches(self, count: int | None = None) -> bool:
        """Whether to read from the full-text matches rather than along the time index: for a
        search with no other filter, which stops after cap + 1 matches when counting, and then
        for a page only when the matches are few. With other filters, a common word would have
        every one of its matches checked against them, so the index (whose range the filters
        already narrow) is read instead."""
        return bool(self.match) and not self.narrowed and (count is None or count <= COUNT_CAP)

    def count(self, store: Store, cap: int) -> int:
        """Matching rows, up to cap + 1."""
        sql, params = self.sql("1", None, self.from_matches())
        return store.scalar(f"SELECT count(*) FROM ({sql} LIMIT {cap + 1})", params)


def _liked(table: str, alias: str, words: list[str]) -> tuple[list[str], list[str]]:
    """A WHERE term asking every word to appear, as typed, in one of the table's columns. The
    words go in as one JSON list, so a search of thousands of words is still one expression."""
    if not words:
        return [], []
    text = " || ' ' || ".join(f"{alias}.{column}" for column in _LIKED[table])
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return ([f"NOT EXISTS (SELECT 1 FROM json_each(?) w WHERE ({text}) "
             "NOT LIKE '%' || w.value || '%' ESCAPE '\\')"], [json.dumps(escaped)])


def _words(text: str) -> list[str]:
    """The words a search looks for, the one being typed included once it is long enough."""
    words, typed = _terms(text, prefix=True)
    return [*words, *([typed] if typed else [])]


def _branches(flt: ReviewFilter, match: str) -> list[_Branch]:
    """A SELECT per wanted kind, each with its filters."""
    kinds = set(flt.kinds) if flt.kinds else set(KINDS)
    start = _local(flt.start) if flt.start else None
    end = _local(flt.end) if flt.end else None
    branches: list[_Branch] = []

    narrowed = (flt.domain_id is not None or flt.outcome is not None or bool(start or end)
                or kinds != set(KINDS))

    def branch(
        table: str, a: str, at: str, domain: str, kind: str, title: str, detail: str,
        outcome: str = "NULL", confidence: str = "NULL", where: Sequence[str] = (),
        params: Sequence[Any] = (), index: str | None = None, recalled: str = "0",
        indexed: bool = True,
    ) -> None:
        """Add the SELECT of one kind: its rows as review rows, live, in the filter's domain
        and dates, and with the kind's own conditions `where`; a table not `indexed` for
        full text brings its own search terms in `where`."""
        conditions = [f"{a}.deleted_at IS NULL"]
        values: list[Any] = []
        if flt.domain_id is not None:
            conditions.append(f"{a}.{domain} = ?")
            values.append(flt.domain_id)
        if start:
            conditions.append(f"{a}.{at} >= ?")
            values.append(start)
        if end:
            conditions.append(f"{a}.{at} < ?")
            values.append(end)
        branches.append(_Branch(
            f"{kind} AS kind, {a}.id AS id, {a}.uid AS uid, {a}.{at} AS at, "
            f"{a}.{domain} AS domain_id, {title} AS title, {detail} AS detail, "
            f"{outcome} AS outcome, {confidence} AS confidence, {recalled} AS recalled",
            table, a, f"{a}.{at}", [*conditions, *where], [*values, *params], index,
            match if indexed else "", narrowed,
        ))

    where: list[str]
    params: list[Any]
    wanted = kinds & {"attempt", "win"}
    if wanted:
        where, params = [], []
        if wanted == {"win"}:
            where.append(_WIN)
        elif wanted == {"attempt"}:
            where.append("NOT (coalesce(a.outcome, '') = 'success' "
                         "AND a.source IN ('checkin', 'audit'))")
        if flt.outcome == "planned":
            where.append("a.outcome IS NULL")
        elif flt.outcome:
            where.append("a.outcome = ?")
            params.append(flt.outcome)
        # Named, because the planner would otherwise sometimes drive a search from its
        # matches and sort them all, or walk a domain's index for one rare outcome.
        if wanted == {"win"}:
            index = "attempts_wins_time"
        elif flt.domain_id is not None and flt.outcome is not None:
            index = "attempts_live_domain_outcome"
        elif flt.domain_id is not None:
            index = "attempts_domain_time"
        elif flt.outcome is not None:
            index = "attempts_outcome_time"
        else:
            index = "attempts_live_time"
        branch("attempts", "a", "happened_at", "domain_id",
               f"CASE WHEN {_WIN} THEN 'win' ELSE 'attempt' END", "a.title", "a.what_i_did",
               "a.outcome", "a.confidence", where, params, index,
               "a.confidence_timing IS 'recalled'")
    if flt.outcome is None and "checkin" in kinds:
        branch("checkins", "c", "created_at", "focus_domain_id", "'checkin'", "c.if_situation",
               "c.then_action", confidence="c.focus_confidence")
    if flt.outcome is None and "reframe" in kinds:
        branch("reframes", "f", "created_at", "domain_id", "'reframe'", "f.what_happened",
               "f.new_explanation")
    staged = kinds & {"readiness", "performance"}
    if staged:
        outcome = ("(SELECT o.outcome FROM attempts o WHERE o.id = r.attempt_id "
                   "AND o.deleted_at IS NULL)")
        where, params = [], []
        if staged == {"readiness"}:
            where.append("r.completed_at IS NOT NULL")
        elif staged == {"performance"}:
            where.append("r.completed_at IS NULL")
        if flt.outcome == "planned":
            where.append(f"{outcome} IS NULL")
        elif flt.outcome:
            where.append(f"{outcome} = ?")
            params.append(flt.outcome)
        branch("readiness", "r", "scheduled_for", "domain_id",
               "CASE WHEN r.completed_at IS NULL THEN 'performance' ELSE 'readiness' END",
               "r.title", "r.reappraisal", outcome, "r.confidence_before", where, params)
    if flt.outcome is None:
        words = _words(flt.text) if match else []
        for kind, table, a, at, title, detail in (
            ("model", "models", "m", "created_at", "m.who", "m.what_they_did"),
            ("feedback", "feedback", "fb", "given_at", "fb.who", "fb.what_they_said"),
            ("request", "feedback_requests", "q", "created_at", "q.whom", "q.question"),
            ("scale_item", "scale_items", "s", "created_at", "s.text", "''"),
        ):
            if kind in kinds:
                where, params = _liked(table, a, words)
                branch(table, a, at, "domain_id", f"'{kind}'", title, detail, where=where,
                       params=params, indexed=False)
    return branches


def search(store: Store, flt: ReviewFilter, offset: int = 0, limit: int = 100,
           cap: int = COUNT_CAP, counted: RecordCount | None = None
           ) -> tuple[list[ReviewRow], RecordCount]:
    """One page of matching records, newest first across every kind, and how many match.

    Each kind is counted up to `cap` first, unless `counted` is what an earlier call with the
    same filter and cap returned (another page of it) and nothing has been written since. A
    kind is read along its time index, stopping after `offset + limit` rows, unless a search
    alone (no other filter) has at most `cap` matches: those are read from the full-text index
    and sorted. Either way a page
    over 100,000 attempts takes milliseconds (bench/search_probe.py)."""
    branches = _branches(flt, match_query(store, flt.text) if flt.text.strip() else "")
    version = store.version()
    if counted is not None and counted.version == version and len(counted.kinds) == len(branches):
        counts = list(counted.kinds)
    else:
        counts = [branch.count(store, cap) for branch in branches]
    total = sum(counts)
    found = RecordCount(min(total, cap), total > cap, tuple(counts), version)
    if not branches or limit <= 0 or total == 0:
        return [], found
    parts, params = [], []
    for branch, count in zip(branches, counts, strict=True):
        if count == 0:
            continue
        sql, branch_params = branch.sql(branch.select, offset + limit,
                                        branch.from_matches(count))
        parts.append(f"SELECT * FROM ({sql})")
        params += branch_params
    sql = (
        "SELECT u.kind, u.id, u.uid, u.at, coalesce(d.name, '') AS domain, u.title, u.detail, "
        f"u.outcome, u.confidence, u.recalled FROM ({' UNION ALL '.join(parts)}) u "
        "LEFT JOIN domains d ON d.id = u.domain_id "
        "ORDER BY u.at DESC, u.id DESC, u.kind LIMIT ? OFFSET ?"
    )
    rows = store.conn.execute(sql, [*params, limit, offset]).fetchall()
    return [_review_row(*row) for row in rows], found


def _review_row(kind: str, id: int, uid: str, at: str, domain: str, title: str, detail: str,
                outcome: str | None, confidence: int | None, recalled: int) -> ReviewRow:
    return ReviewRow(kind, id, uid, at, domain, title, detail, outcome, confidence,
                     bool(recalled))


def find_records(store: Store, flt: ReviewFilter, offset: int = 0, limit: int = 100
                 ) -> list[ReviewRow]:
    """One page of matching records, newest first across every kind (see `search`)."""
    return search(store, flt, offset, limit)[0]


def count_records(store: Store, flt: ReviewFilter, cap: int = COUNT_CAP) -> RecordCount:
    """How many records match, counting each kind only up to `cap` so that a broad search over
    100,000 attempts stays fast; past the cap the answer is "more than cap"."""
    match = match_query(store, flt.text) if flt.text.strip() else ""
    total = 0
    for branch in _branches(flt, match):
        total += branch.count(store, cap)
        if total > cap:
            return RecordCount(cap, more=True)
    return RecordCount(total)


_DETAIL_SQL = {
    "attempts": (
        "SELECT t.*, t.happened_at AS at, d.name AS domain, r.title AS rung_title "
        "FROM attempts t LEFT JOIN domains d ON d.id = t.domain_id "
        "LEFT JOIN rungs r ON r.id = t.rung_id WHERE t.id = ?"
    ),
    "checkins": (
        "SELECT t.*, t.created_at AS at, d.name AS domain, r.title AS rung_title "
        "FROM checkins t LEFT JOIN domains d ON d.id = t.focus_domain_id "
        "LEFT JOIN rungs r ON r.id = t.focus_rung_id WHERE t.id = ?"
    ),
    "reframes": (
        "SELECT t.*, t.created_at AS at, d.name AS domain, a.title AS attempt_title, "
        "a.deleted_at IS NOT NULL AS attempt_deleted "
        "FROM reframes t LEFT JOIN domains d ON d.id = t.domain_id "
        "LEFT JOIN attempts a ON a.id = t.attempt_id WHERE t.id = ?"
    ),
    "readiness": (
        "SELECT t.*, t.scheduled_for AS at, d.name AS domain, a.outcome AS outcome, "
        "json_array_length(t.evidence) AS evidence_count, m.who AS model_who, "
        "fb.who AS feedback_who "
        "FROM readiness t LEFT JOIN domains d ON d.id = t.domain_id "
        "LEFT JOIN attempts a ON a.id = t.attempt_id AND a.deleted_at IS NULL "
        "LEFT JOIN models m ON m.id = t.model_id LEFT JOIN feedback fb ON fb.id = t.feedback_id "
        "WHERE t.id = ?"
    ),
    "models": (
        "SELECT t.*, t.created_at AS at, d.name AS domain "
        "FROM models t LEFT JOIN domains d ON d.id = t.domain_id WHERE t.id = ?"
    ),
    "feedback": (
        "SELECT t.*, t.given_at AS at, d.name AS domain "
        "FROM feedback t LEFT JOIN domains d ON d.id = t.domain_id WHERE t.id = ?"
    ),
    "feedback_requests": (
        "SELECT t.*, t.created_at AS at, d.name AS domain, a.title AS attempt_title, "
        "p.title AS performance_title, fb.what_they_said AS answer "
        "FROM feedback_requests t LEFT JOIN domains d ON d.id = t.domain_id "
        "LEFT JOIN attempts a ON a.id = t.attempt_id "
        "LEFT JOIN readiness p ON p.id = t.readiness_id "
        "LEFT JOIN feedback fb ON fb.id = t.feedback_id WHERE t.id = ?"
    ),
    "scale_items": (
        "SELECT t.*, t.created_at AS at, d.name AS domain, "
        "(SELECT count(*) FROM scale_ratings r WHERE r.item_id = t.id AND r.deleted_at IS NULL) "
        "AS sittings, "
        "(SELECT r.rating FROM scale_ratings r WHERE r.item_id = t.id AND r.deleted_at IS NULL "
        "ORDER BY r.rated_at DESC, r.id DESC LIMIT 1) AS last_rating "
        "FROM scale_items t LEFT JOIN domains d ON d.id = t.domain_id WHERE t.id = ?"
    ),
}


def _table(kind: str) -> str:
    if kind not in TABLES:
        raise ValueError(f"unknown record kind {kind!r}")
    return TABLES[kind]


def kind_of(values: dict[str, Any]) -> str:
    """Whether an attempt row is a win or a plain attempt (see the module docstring)."""
    win = values.get("outcome") == "success" and values.get("source") in ("checkin", "audit")
    return "win" if win else "attempt"


def _kind(kind: str, values: dict[str, Any]) -> str:
    """The kind a row is now: an attempt may have become a win, a performance a walkthrough."""
    if kind in ("attempt", "win"):
        return kind_of(values)
    if kind in ("readiness", "performance"):
        return "performance" if values.get("completed_at") is None else "readiness"
    return kind


def get_record(store: Store, kind: str, record_id: int) -> RecordDetail | None:
    """Every column of one record, with its domain (and rung or linked attempt) by name;
    soft-deleted records are returned too, marked `deleted`."""
    rows = store.query(_DETAIL_SQL[_table(kind)], [record_id])
    if not rows:
        return None
    values = rows[0]
    return RecordDetail(
        kind=_kind(kind, values), id=values["id"], uid=values["uid"], at=values["at"],
        domain=values["domain"] or "", values=values, deleted=values["deleted_at"] is not None,
    )


def _attempt_changes(store: Store, record_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """An attempt's edit with what follows from it: a rung must be one of the attempt's domain,
    and a confidence changed once the outcome is known (stored, or given in this very edit) is
    recalled, so calibration never counts hindsight; a planned attempt's stays a prediction."""
    now = store.query("SELECT domain_id, rung_id, outcome, confidence FROM attempts "
                      "WHERE id = ?", [record_id])
    if not now:
        return changes
    stored = now[0]
    rung_id = changes.get("rung_id")
    if rung_id not in (None, stored["rung_id"]) and not store.scalar(
        "SELECT 1 FROM rungs WHERE id = ? AND domain_id IS ? AND deleted_at IS NULL",
        [rung_id, stored["domain_id"]],
    ):
        raise InvalidValue(say("review.edit.no_such_rung"), "rung_id")
    if "confidence" in changes and changes["confidence"] != stored["confidence"]:
        outcome = changes.get("outcome") or stored["outcome"]
        changes = {**changes,
                   "confidence_timing": confidence_timing(changes["confidence"], outcome)}
    return changes


def update_record(store: Store, kind: str, record_id: int, values: dict[str, Any]
                  ) -> RecordDetail | None:
    """Change a record's own words (and an attempt's outcome, rung, effort and confidence) in
    one transaction. Values are checked by the caller; names outside EDITABLE[kind] are
    refused."""
    table = _table(kind)
    unknown = set(values) - set(EDITABLE[kind])
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of a {kind}")
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    with store.transaction():
        if table == "attempts":
            changes = _attempt_changes(store, record_id, changes)
        if table not in _UNSTAMPED:
            changes["updated_at"] = store.stamp()
        store.db.table(table).update(record_id, changes)
    return get_record(store, kind, record_id)


def edited_since(store: Store, record: RecordDetail) -> bool:
    """Whether the record's words, outcome or deletion changed after `record` was read, that is,
    another window saved it in between; called inside the saving transaction."""
    now = get_record(store, record.kind, record.id)
    if now is None:
        return True
    keys = (*EDITABLE[record.kind], "updated_at", "deleted_at")
    return any(now.values.get(key) != record.values.get(key) for key in keys)


@dataclass(frozen=True)
class SavedEdit:
    """What saving an edit found: whether another window had changed the record since it was
    read (`replaced`), the record as saved, whether a record deleted meanwhile stays deleted
    (`gone`) or was brought back with the edit (`restored`), and the values it had just before
    (`before`), which undo writes back."""

    replaced: bool
    updated: RecordDetail | None
    gone: bool
    restored: bool
    before: dict[str, Any] = field(default_factory=dict)


def _undoable(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The columns an edit of this kind may change, as `values` has them."""
    names = [*EDITABLE[kind], *(("confidence_timing",) if _table(kind) == "attempts" else ())]
    return {name: values.get(name) for name in names}


def save_edit(store: Store, record: RecordDetail, values: dict[str, Any]) -> SavedEdit:
    """An edit from the review screen in one write: the record's new words, and, when another
    window deleted it meanwhile, the record brought back if it can be."""
    with store.transaction():
        replaced = edited_since(store, record)
        now = get_record(store, record.kind, record.id)
        before = _undoable(record.kind, (now or record).values)
        updated = update_record(store, record.kind, record.id, values)
        gone = updated is not None and updated.deleted
        restored = gone and restore_record(store, record.kind, record.id)
    return SavedEdit(replaced, updated, gone, restored, before)


@dataclass(frozen=True)
class Change:
    """A delete or an edit made on the review screen, kept so undo can take it back: the row
    as it was listed, and for an edit the values it replaced (None for a delete)."""

    row: ReviewRow
    before: dict[str, Any] | None = None


def undo(store: Store, change: Change) -> bool:
    """Take back a delete (see restore_record) or an edit: the edited columns get their
    previous values again, confidence timing included, in one transaction. False when a
    delete cannot be undone."""
    if change.before is None:
        return restore_record(store, change.row.kind, change.row.id)
    table = _table(change.row.kind)
    values = dict(change.before)
    if table not in _UNSTAMPED:
        values["updated_at"] = store.stamp()
    with store.transaction():
        store.db.table(table).update(change.row.id, values)
    return True


def delete_record(store: Store, kind: str, record_id: int) -> None:
    """Soft-delete one record (it disappears from every screen; restore_record undoes it)."""
    with store.transaction():
        store.conn.execute(
            f"UPDATE {_table(kind)} SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
            [store.stamp(), record_id],
        )


def restore_record(store: Store, kind: str, record_id: int) -> bool:
    """Undo a soft delete. False when it cannot come back because a live record now takes its
    place (a check-in made since for the same day); nothing is changed then."""
    try:
        with store.transaction():
            store.conn.execute(
                f"UPDATE {_table(kind)} SET deleted_at = NULL WHERE id = ?", [record_id]
            )
    except sqlite3.IntegrityError:
        return False
    return True
