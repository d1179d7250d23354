"""The database schema as an ordered list of migrations, applied with sqlite-utils' Migrations.

Tables are STRICT with CHECK constraints on every range and enumeration, so a bad value cannot
reach the file even from a bug. Later features add tables only by appending new migrations here.
The list is plain functions so that checking a file is up to date needs no sqlite-utils import.
"""

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "efficacy"
MIGRATIONS: list[Callable[["Database"], None]] = []


def migration(step: Callable[["Database"], None]) -> Callable[["Database"], None]:
    """Register a step; its function name is its permanent name in `_sqlite_migrations`."""
    MIGRATIONS.append(step)
    return step


def known_migrations() -> list[str]:
    """Every migration this version knows, in order."""
    return [step.__name__ for step in MIGRATIONS]


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The migrations a file has had, read without sqlite-utils."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [r[0] for r in rows]


def apply(db: "Database") -> None:
    """Apply pending steps, each in its own transaction, through sqlite-utils' Migrations."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in MIGRATIONS:
        migrations(name=step.__name__)(step)
    migrations.apply(db)


def schema_version() -> int:
    """The schema version written into exports: the number of migrations this version knows."""
    return len(MIGRATIONS)

_UID = "uid TEXT NOT NULL UNIQUE CHECK (length(uid) = 36)"
_STAMP = "CHECK ({col} IS NULL OR (length({col}) >= 19 AND substr({col}, 11, 1) = 'T'))"


def _stamp(col: str, required: bool = False) -> str:
    null = " NOT NULL" if required else ""
    return f"{col} TEXT{null} " + _STAMP.format(col=col)


@migration
def m001_foundation(db: "Database") -> None:
    """Domains, rungs, attempts, daily check-ins, settings and drafts."""
    db.execute(
        f"""
        CREATE TABLE domains (
            id INTEGER PRIMARY KEY,
            {_UID},
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
            goal TEXT NOT NULL DEFAULT '',
            why TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            {_stamp('created_at', True)},
            {_stamp('archived_at')},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute(
        "CREATE UNIQUE INDEX domains_live_name ON domains (name COLLATE NOCASE) "
        "WHERE deleted_at IS NULL"
    )
    db.execute(
        f"""
        CREATE TABLE rungs (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            title TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 500),
            criterion TEXT NOT NULL DEFAULT '',
            difficulty INTEGER NOT NULL CHECK (difficulty BETWEEN 0 AND 100),
            position INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'upcoming'
                CHECK (status IN ('upcoming', 'active', 'mastered')),
            split_from INTEGER REFERENCES rungs(id),
            {_stamp('mastered_at')},
            {_stamp('created_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX rungs_domain ON rungs (domain_id, position)")
    db.execute(
        f"""
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            {_UID},
            day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
            energy INTEGER CHECK (energy IS NULL OR energy BETWEEN 0 AND 10),
            anxiety INTEGER CHECK (anxiety IS NULL OR anxiety BETWEEN 0 AND 100),
            focus_domain_id INTEGER REFERENCES domains(id),
            focus_rung_id INTEGER REFERENCES rungs(id),
            focus_confidence INTEGER CHECK (focus_confidence IS NULL
                OR (focus_confidence BETWEEN 0 AND 100 AND focus_confidence % 10 = 0)),
            if_situation TEXT NOT NULL DEFAULT '',
            then_action TEXT NOT NULL DEFAULT '',
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')},
            CHECK ((if_situation = '') = (then_action = ''))
        ) STRICT"""
    )
    db.execute("CREATE UNIQUE INDEX checkins_live_day ON checkins (day) WHERE deleted_at IS NULL")
    db.execute(
        f"""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER REFERENCES domains(id),
            rung_id INTEGER REFERENCES rungs(id),
            checkin_id INTEGER REFERENCES checkins(id),
            title TEXT NOT NULL CHECK (length(trim(title)) >= 1),
            {_stamp('happened_at', True)},
            confidence INTEGER CHECK (confidence IS NULL
                OR (confidence BETWEEN 0 AND 100 AND confidence % 10 = 0)),
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('success', 'partial', 'setback')),
            effort INTEGER CHECK (effort IS NULL OR effort BETWEEN 1 AND 5),
            what_i_did TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'app'
                CHECK (source IN ('app', 'log', 'checkin', 'audit', 'readiness', 'import')),
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX attempts_outcome_time ON attempts (outcome, happened_at)")
    db.execute("CREATE INDEX attempts_domain_time ON attempts (domain_id, happened_at)")
    db.execute("CREATE INDEX attempts_rung_time ON attempts (rung_id, happened_at)")
    db.execute("CREATE INDEX attempts_checkin ON attempts (checkin_id)")
    db.execute(
        f"""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
            {_UID},
            value TEXT NOT NULL CHECK (json_valid(value)),
            {_stamp('updated_at', True)}
        ) STRICT"""
    )
    db.execute(
        f"""
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            {_UID},
            kind TEXT NOT NULL CHECK (kind IN ('checkin', 'attempt', 'reframe', 'readiness')),
            key TEXT NOT NULL,
            data TEXT NOT NULL CHECK (json_valid(data)),
            {_stamp('updated_at', True)},
            UNIQUE (kind, key)
        ) STRICT"""
    )



@migration
def m002_ladder(db: "Database") -> None:
    """Per-domain self-efficacy scales, and an index for calibration aggregated in SQL."""
    db.execute(
        f"""
        CREATE TABLE scale_items (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            text TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 500),
            position INTEGER NOT NULL DEFAULT 0,
            {_stamp('created_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX scale_items_domain ON scale_items (domain_id, position)")
    db.execute(
        f"""
        CREATE TABLE scale_ratings (
            id INTEGER PRIMARY KEY,
            {_UID},
            item_id INTEGER NOT NULL REFERENCES scale_items(id),
            session TEXT NOT NULL CHECK (length(session) = 36),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 100 AND rating % 10 = 0),
            {_stamp('rated_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX scale_ratings_item ON scale_ratings (item_id, rated_at)")
    db.execute(
        "CREATE INDEX attempts_rated ON attempts (domain_id, confidence, outcome) "
        "WHERE confidence IS NOT NULL AND outcome IS NOT NULL AND deleted_at IS NULL"
    )
    db.execute(
        "CREATE INDEX attempts_planned ON attempts (happened_at) "
        "WHERE outcome IS NULL AND deleted_at IS NULL"
    )


@migration
def m003_reframes(db: "Database") -> None:
    """Attribution reframes after setbacks: the three dimensions, the chosen cause, the new
    explanation, the if-then plan and the evidence that was shown."""
    db.execute(
        f"""
        CREATE TABLE reframes (
            id INTEGER PRIMARY KEY,
            {_UID},
            attempt_id INTEGER REFERENCES attempts(id),
            domain_id INTEGER REFERENCES domains(id),
            what_happened TEXT NOT NULL CHECK (length(trim(what_happened)) >= 1),
            cause_text TEXT NOT NULL DEFAULT '',
            flagged TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flagged)),
            locus TEXT NOT NULL CHECK (locus IN ('internal', 'external')),
            stability TEXT NOT NULL CHECK (stability IN ('stable', 'temporary')),
            controllability TEXT NOT NULL
                CHECK (controllability IN ('controllable', 'uncontrollable')),
            cause TEXT CHECK (cause IS NULL OR cause IN
                ('strategy', 'preparation', 'effort', 'practice', 'circumstance', 'learning')),
            new_explanation TEXT NOT NULL DEFAULT '',
            if_situation TEXT NOT NULL CHECK (length(trim(if_situation)) >= 1),
            then_action TEXT NOT NULL CHECK (length(trim(then_action)) >= 1),
            evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence)),
            controllable_temporary INTEGER NOT NULL CHECK (controllable_temporary IN (0, 1)),
            split_rung_id INTEGER REFERENCES rungs(id),
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX reframes_created ON reframes (created_at)")
    db.execute("CREATE INDEX reframes_attempt ON reframes (attempt_id)")


@migration
def m004_readiness(db: "Database") -> None:
    """Performances and their readiness walkthroughs, vicarious models and credible feedback.

    A performance is scheduled first (title, domain, when); the walkthrough fills in the ratings
    before and after, the reappraisal, the breathing and the plan; the outcome asked afterwards is
    an attempt (source `readiness`) linked by `attempt_id`."""
    db.execute(
        f"""
        CREATE TABLE readiness (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER REFERENCES domains(id),
            title TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 500),
            {_stamp('scheduled_for', True)},
            {_stamp('started_at')},
            {_stamp('completed_at')},
            sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
            energy INTEGER CHECK (energy IS NULL OR energy BETWEEN 0 AND 10),
            anxiety_before INTEGER CHECK (anxiety_before IS NULL
                OR anxiety_before BETWEEN 0 AND 100),
            confidence_before INTEGER CHECK (confidence_before IS NULL
                OR (confidence_before BETWEEN 0 AND 100 AND confidence_before % 10 = 0)),
            readiness_before INTEGER CHECK (readiness_before IS NULL
                OR readiness_before BETWEEN 0 AND 100),
            said_aloud INTEGER NOT NULL DEFAULT 0 CHECK (said_aloud IN (0, 1)),
            reappraisal TEXT NOT NULL DEFAULT '',
            breathing TEXT CHECK (breathing IS NULL
                OR breathing IN ('resonance', 'sighing', 'box')),
            breathing_seconds INTEGER NOT NULL DEFAULT 0
                CHECK (breathing_seconds BETWEEN 0 AND 600),
            evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence)),
            model_id INTEGER REFERENCES models(id),
            feedback_id INTEGER REFERENCES feedback(id),
            if_situation TEXT NOT NULL DEFAULT '',
            then_action TEXT NOT NULL DEFAULT '',
            anxiety_after INTEGER CHECK (anxiety_after IS NULL OR anxiety_after BETWEEN 0 AND 100),
            confidence_after INTEGER CHECK (confidence_after IS NULL
                OR (confidence_after BETWEEN 0 AND 100 AND confidence_after % 10 = 0)),
            readiness_after INTEGER CHECK (readiness_after IS NULL
                OR readiness_after BETWEEN 0 AND 100),
            attempt_id INTEGER REFERENCES attempts(id),
            {_stamp('followup_at')},
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')},
            CHECK ((if_situation = '') = (then_action = ''))
        ) STRICT"""
    )
    db.execute(
        "CREATE INDEX readiness_due ON readiness (scheduled_for) "
        "WHERE attempt_id IS NULL AND followup_at IS NULL AND deleted_at IS NULL"
    )
    db.execute("CREATE INDEX readiness_attempt ON readiness (attempt_id)")
    db.execute(
        f"""
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            who TEXT NOT NULL CHECK (length(trim(who)) BETWEEN 1 AND 200),
            like_me TEXT NOT NULL DEFAULT '',
            what_they_did TEXT NOT NULL CHECK (length(trim(what_they_did)) >= 1),
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX models_domain ON models (domain_id, created_at)")
    db.execute(
        f"""
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            who TEXT NOT NULL CHECK (length(trim(who)) BETWEEN 1 AND 200),
            credibility INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 5),
            what_they_said TEXT NOT NULL CHECK (length(trim(what_they_said)) >= 1),
            {_stamp('given_at', True)},
            {_stamp('created_at', True)},
            {_stamp('updated_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX feedback_domain ON feedback (domain_id, credibility, given_at)")


SEARCHED = {
    "attempts": ["title", "what_i_did", "note"],
    "checkins": ["if_situation", "then_action"],
    "reframes": ["what_happened", "cause_text", "new_explanation", "if_situation", "then_action"],
    "readiness": ["title", "reappraisal", "if_situation", "then_action"],
}


@migration
def m005_search(db: "Database") -> None:
    """Full-text search for the review screen (FTS5, porter stemming, kept current by triggers;
    enable_fts indexes the rows already there), and indexes for its newest-first pages: live rows
    by time, by domain and outcome, and wins (successes recorded by a check-in or the audit)."""
    for table, columns in SEARCHED.items():
        db.table(table).enable_fts(columns, create_triggers=True, tokenize="porter")
    db.execute("CREATE INDEX attempts_live_time ON attempts (happened_at) WHERE deleted_at IS NULL")
    db.execute(
        "CREATE INDEX attempts_live_domain_outcome ON attempts (domain_id, outcome, happened_at) "
        "WHERE deleted_at IS NULL"
    )
    db.execute(
        "CREATE INDEX attempts_wins_time ON attempts (happened_at) WHERE outcome = 'success' "
        "AND source IN ('checkin', 'audit') AND deleted_at IS NULL"
    )
    db.execute("CREATE INDEX checkins_live_time ON checkins (created_at) WHERE deleted_at IS NULL")
    db.execute("CREATE INDEX reframes_live_time ON reframes (created_at) WHERE deleted_at IS NULL")
    db.execute(
        "CREATE INDEX readiness_live_time ON readiness (scheduled_for) WHERE deleted_at IS NULL"
    )


# Whether an attempt's confidence was given before its outcome was known, read from the columns
# that predate the confidence_timing column; see m006_confidence_timing. The importer applies it
# to rows of older exports.
CONFIDENCE_TIMING_RULE = """
    CASE
        WHEN confidence IS NULL THEN NULL
        WHEN source = 'log' THEN 'recalled'
        WHEN outcome IS NULL THEN 'before'
        WHEN source IN ('readiness', 'audit') THEN 'before'
        WHEN updated_at > created_at THEN 'before'
        ELSE 'recalled'
    END"""


@migration
def m006_confidence_timing(db: "Database") -> None:
    """Whether an attempt's confidence is a prediction ('before': given before the outcome was
    known) or recalled afterwards ('recalled', which carries hindsight), so calibration counts
    only predictions. NULL when there is no confidence.

    The backfill reads the existing columns:
    - `source = 'log'`: `efficacy log --confidence` takes the confidence with the outcome, so it
      is recalled;
    - no outcome yet: planned, so before;
    - `source` 'readiness' or 'audit': rated in the walkthrough before the performance, or the
      audit's planned attempt, so before;
    - otherwise (planned in the app, or any other row) the outcome came in a later write than
      the confidence (`updated_at > created_at`) for an attempt planned then completed, so
      before; outcome and confidence written in the same moment (`updated_at = created_at`)
      were entered after the fact, so recalled.
    The attempts_rated index gains the column, so calibration reads predictions alone along it."""
    db.execute(
        "ALTER TABLE attempts ADD COLUMN confidence_timing TEXT CHECK (confidence_timing IS NULL "
        "OR (confidence IS NOT NULL AND confidence_timing IN ('before', 'recalled')))"
    )
    db.execute(
        f"UPDATE attempts SET confidence_timing = {CONFIDENCE_TIMING_RULE} "
        "WHERE confidence IS NOT NULL"
    )
    db.execute("DROP INDEX attempts_rated")
    db.execute(
        "CREATE INDEX attempts_rated ON attempts (domain_id, confidence_timing, confidence, "
        "outcome) WHERE confidence IS NOT NULL AND outcome IS NOT NULL AND deleted_at IS NULL"
    )


@migration
def m007_sittings_and_requests(db: "Database") -> None:
    """Audit sittings and feedback requests.

    The audit can be taken again (say monthly): each sitting is a row of `audits`, and its three
    successes and its plan point at it through `attempts.audit_id`. Audits already in the file
    become one sitting per domain, dated by their first attempt. A feedback request is the plan to
    ask someone credible who saw an attempt or a performance one specific question; it waits
    until its answer is recorded as feedback (`feedback_id`) or it is dismissed."""
    import uuid

    db.execute(
        f"""
        CREATE TABLE audits (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            {_stamp('created_at', True)},
            {_stamp('deleted_at')}
        ) STRICT"""
    )
    db.execute("CREATE INDEX audits_domain ON audits (domain_id, created_at)")
    db.execute("ALTER TABLE attempts ADD COLUMN audit_id INTEGER REFERENCES audits(id)")
    db.execute("CREATE INDEX attempts_audit ON attempts (audit_id) WHERE audit_id IS NOT NULL")
    audited = db.execute(
        "SELECT domain_id, min(created_at), "
        "CASE WHEN count(deleted_at) = count(*) THEN max(deleted_at) END "
        "FROM attempts WHERE source = 'audit' AND domain_id IS NOT NULL GROUP BY domain_id "
        "ORDER BY domain_id"
    ).fetchall()
    for domain_id, created_at, deleted_at in audited:
        cursor = db.execute(
            "INSERT INTO audits (uid, domain_id, created_at, deleted_at) VALUES (?, ?, ?, ?)",
            [str(uuid.uuid4()), domain_id, created_at, deleted_at],
        )
        db.execute(
            "UPDATE attempts SET audit_id = ? WHERE source = 'audit' AND domain_id = ?",
            [cursor.lastrowid, domain_id],
        )
    db.execute(
        f"""
        CREATE TABLE feedback_requests (
            id INTEGER PRIMARY KEY,
            {_UID},
            domain_id INTEGER NOT NULL REFERENCES domains(id),
            attempt_id INTEGER REFERENCES attempts(id),
            readiness_id INTEGER REFERENCES readiness(id),
            whom TEXT NOT NULL CHECK (length(trim(whom)) BETWEEN 1 AND 200),
            question TEXT NOT NULL CHECK (length(trim(question)) BETWEEN 1 AND 500),
            feedback_id INTEGER REFERENCES feedback(id),
            {_stamp('created_at', True)},
            {_stamp('answered_at')},
            {_stamp('dismissed_at')},
            {_stamp('deleted_at')},
            CHECK (attempt_id IS NOT NULL OR readiness_id IS NOT NULL),
            CHECK ((answered_at IS NULL) = (feedback_id IS NULL)),
            CHECK (answered_at IS NULL OR dismissed_at IS NULL)
        ) STRICT"""
    )
    db.execute(
        "CREATE INDEX feedback_requests_pending ON feedback_requests (created_at) "
        "WHERE answered_at IS NULL AND dismissed_at IS NULL AND deleted_at IS NULL"
    )
    db.execute("CREATE INDEX feedback_requests_attempt ON feedback_requests (attempt_id)")


# The tables whose records travel between devices through a sync folder, in dependency order.
# Settings (the theme) and drafts stay on the device that wrote them.
SYNCED = (
    "domains", "rungs", "checkins", "audits", "attempts", "reframes", "models", "feedback",
    "readiness", "feedback_requests", "scale_items", "scale_ratings",
)


@migration
def m008_sync(db: "Database") -> None:
    """What syncing through a folder keeps on each device (see docs/SYNC.md); none of it is
    exported, since it describes this device's copy, not the record.

    - `sync_device`: this device's uid, its hybrid logical clock, the number of its next change
      file and when it last synced;
    - `sync_pending`: records changed here since they were last stamped, kept by triggers on
      every synced table (every record already in the file starts pending);
    - `sync_rows`: the stamp of the version of each record held here, the stamp of the version
      it was made on top of, and a digest of its values (a write that changed nothing is not a
      change to send);
    - `sync_outbox`: stamped changes not yet written to a change file;
    - `sync_peers`: how far each other device's change files have been applied;
    - `sync_waiting`: changes that refer to a record not here yet, applied once it arrives;
    - `sync_aliases`: a record that gave up its place to another that means the same, and that
      other, so what referred to the first refers to the second;
    - `sync_conflicts`: losing versions, to show in review and restore."""
    import uuid

    db.execute(
        f"""
        CREATE TABLE sync_device (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            {_UID},
            clock TEXT,
            next_file INTEGER NOT NULL DEFAULT 1 CHECK (next_file >= 1),
            {_stamp('synced_at')}
        ) STRICT"""
    )
    db.execute(
        "INSERT INTO sync_device (id, uid) VALUES (1, ?)", [str(uuid.uuid4())]
    )
    db.execute(
        "CREATE TABLE sync_pending (tbl TEXT NOT NULL, uid TEXT NOT NULL, "
        "PRIMARY KEY (tbl, uid)) STRICT, WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE sync_rows (tbl TEXT NOT NULL, uid TEXT NOT NULL, stamp TEXT NOT NULL, "
        "base TEXT, digest TEXT, PRIMARY KEY (tbl, uid)) STRICT, WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE sync_outbox (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, "
        "uid TEXT NOT NULL, stamp TEXT NOT NULL, base TEXT, "
        "data TEXT CHECK (data IS NULL OR json_valid(data))) STRICT"
    )
    db.execute(
        f"""
        CREATE TABLE sync_peers (
            device TEXT PRIMARY KEY CHECK (length(device) = 36),
            applied INTEGER NOT NULL DEFAULT 0,
            {_stamp('seen_at')}
        ) STRICT"""
    )
    db.execute(
        "CREATE TABLE sync_waiting (tbl TEXT NOT NULL, uid TEXT NOT NULL, stamp TEXT NOT NULL, "
        "base TEXT, device TEXT NOT NULL, data TEXT CHECK (data IS NULL OR json_valid(data)), "
        "PRIMARY KEY (tbl, uid, stamp)) STRICT, WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE sync_aliases (tbl TEXT NOT NULL, uid TEXT NOT NULL, "
        "winner TEXT NOT NULL, PRIMARY KEY (tbl, uid)) STRICT, WITHOUT ROWID"
    )
    db.execute(
        f"""
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            uid TEXT NOT NULL,
            target TEXT NOT NULL,
            stamp TEXT NOT NULL,
            data TEXT NOT NULL CHECK (json_valid(data)),
            reason TEXT NOT NULL CHECK (reason IN ('edited', 'same_meaning')),
            {_stamp('found_at', True)},
            {_stamp('restored_at')},
            UNIQUE (tbl, uid, stamp)
        ) STRICT"""
    )
    for table in SYNCED:
        db.execute(f"INSERT INTO sync_pending SELECT '{table}', uid FROM {table}")
        for event in ("INSERT", "UPDATE", "DELETE"):
            row = "OLD" if event == "DELETE" else "NEW"
            db.execute(
                f"CREATE TRIGGER {table}_sync_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN INSERT OR IGNORE INTO sync_pending VALUES ('{table}', {row}.uid); END"
            )
