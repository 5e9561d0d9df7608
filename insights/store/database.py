"""The SQLite store: opening, pragmas and versioned schema migrations.

Survey data, and the bot's own state (thread context, subscriptions, …), live in one
file. Every table that holds survey data hangs off ``surveys.team_id`` so workspaces
sharing a database never see each other's rows.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from insights.errors import StoreError
from insights.store.migrations import m007_wide_rows, m011_columns

Migration = Callable[[sqlite_utils.Database], None]
_MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions apply in order, each exactly once."""

    def register(func: Migration) -> Migration:
        _MIGRATIONS.append((version, name, func))
        _MIGRATIONS.sort(key=lambda item: item[0])
        return func

    return register


@migration(1, "survey data")
def _survey_tables(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            name TEXT NOT NULL,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (team_id, name)
        );
        CREATE TABLE waves (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (survey_id, label)
        );
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            theme TEXT NOT NULL,
            perspective TEXT CHECK (perspective IN ('personal', 'organization')),
            scale_labels TEXT NOT NULL,
            positive_label TEXT NOT NULL,
            binary INTEGER NOT NULL DEFAULT 0,
            ordinal INTEGER NOT NULL,
            UNIQUE (survey_id, key)
        );
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            UNIQUE (survey_id, name)
        );
        CREATE TABLE respondents (
            id INTEGER PRIMARY KEY,
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            external_id TEXT NOT NULL,
            UNIQUE (wave_id, external_id)
        );
        CREATE TABLE respondent_segments (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            value TEXT NOT NULL,
            PRIMARY KEY (respondent_id, segment_id)
        ) WITHOUT ROWID;
        CREATE TABLE answers (
            respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            value INTEGER NOT NULL,
            positive INTEGER NOT NULL CHECK (positive IN (0, 1)),
            PRIMARY KEY (respondent_id, question_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_surveys_team ON surveys(team_id);
        CREATE INDEX idx_waves_survey ON waves(survey_id, ordinal);
        CREATE INDEX idx_segments_value ON respondent_segments(segment_id, value, respondent_id);
        CREATE INDEX idx_answers_question ON answers(question_id, respondent_id, positive);
        """,
    )


@migration(2, "bot state")
def _bot_state_tables(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        CREATE TABLE thread_context (
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            thread_ts TEXT NOT NULL,
            query TEXT NOT NULL,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (team_id, channel_id, thread_ts)
        );
        CREATE TABLE slack_events (
            event_id TEXT PRIMARY KEY,
            team_id TEXT,
            received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        """,
    )


@migration(3, "digests")
def _digest_tables(db: sqlite_utils.Database) -> None:
    # subscriptions: one per channel; re-subscribing updates the row, so its history stays.
    # digest_runs: one row per subscription and period (local ISO week). The UNIQUE pair is
    # the claim that keeps concurrent workers from sending twice; a sent row's snapshot is
    # what that digest showed, for "what changed since the last digest".
    # digest_log: append-only, one line per thing a tick did (sent, skipped, missed, failed).
    run_script(
        db,
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            cadence TEXT NOT NULL DEFAULT 'weekly' CHECK (cadence IN ('weekly')),
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
            local_time TEXT NOT NULL,
            tz TEXT NOT NULL,
            query TEXT NOT NULL,
            created_by TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'paused', 'cancelled')),
            pause_reason TEXT,
            active_since TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (team_id, channel_id)
        );
        CREATE TABLE digest_runs (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            slot_utc TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('claimed', 'sent', 'missed', 'failed', 'skipped')),
            retry INTEGER NOT NULL DEFAULT 0 CHECK (retry IN (0, 1)),
            attempts INTEGER NOT NULL DEFAULT 1,
            reason TEXT,
            claim_token TEXT,
            attempted_at TEXT NOT NULL,
            message_ts TEXT,
            snapshot TEXT,
            UNIQUE (subscription_id, period)
        );
        CREATE TABLE digest_log (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER REFERENCES subscriptions(id) ON DELETE SET NULL,
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            period TEXT,
            status TEXT NOT NULL CHECK (status IN ('sent', 'skipped', 'missed', 'failed')),
            reason TEXT,
            slot_utc TEXT,
            message_ts TEXT,
            logged_at TEXT NOT NULL
        );
        CREATE INDEX idx_subscriptions_status ON subscriptions(status);
        CREATE INDEX idx_digest_runs_sent ON digest_runs(subscription_id, status, slot_utc);
        CREATE INDEX idx_digest_log_time ON digest_log(logged_at)
        """,
    )


@migration(4, "pending imports")
def _pending_import_tables(db: sqlite_utils.Database) -> None:
    # A file an admin uploaded in Slack, waiting for "Import" or "Cancel". The file itself
    # is kept (not a path) so a button clicked after a restart, or on another worker,
    # still finds it; rows expire so abandoned uploads do not pile up. ``claimed_at`` marks
    # an import in progress, so a double click cannot import the same file twice at once.
    run_script(
        db,
        """
        CREATE TABLE pending_imports (
            id TEXT PRIMARY KEY,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            thread_ts TEXT NOT NULL,
            file_name TEXT NOT NULL,
            content BLOB NOT NULL,
            codebook TEXT NOT NULL,
            codebook_format TEXT NOT NULL DEFAULT 'toml'
                CHECK (codebook_format IN ('toml', 'yaml')),
            survey TEXT NOT NULL,
            wave TEXT NOT NULL,
            claimed_at TEXT,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX idx_pending_imports_thread
            ON pending_imports(team_id, channel_id, thread_ts, created_at);
        CREATE INDEX idx_pending_imports_expiry ON pending_imports(expires_at)
        """,
    )


@migration(5, "wave aggregates")
def _wave_aggregate_tables(db: sqlite_utils.Database) -> None:
    # Per-wave counts built at import so queries need not scan respondents (see
    # insights.aggregates). A cell is one combination of segment values within a rollup:
    # rollup 0 tells every segment apart, -1 none (the whole wave), a segment id only that
    # segment. Every table hangs off wave_aggregates, which goes with its wave; the JSON
    # lists say which segments, questions and pairs were aggregated.
    run_script(
        db,
        """
        CREATE TABLE wave_aggregates (
            wave_id INTEGER PRIMARY KEY REFERENCES waves(id) ON DELETE CASCADE,
            respondents INTEGER NOT NULL,
            cells INTEGER NOT NULL,
            segments TEXT NOT NULL,
            questions TEXT NOT NULL,
            pairs TEXT NOT NULL,
            built_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE aggregate_cells (
            wave_id INTEGER NOT NULL REFERENCES wave_aggregates(wave_id) ON DELETE CASCADE,
            rollup INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            respondents INTEGER NOT NULL,
            PRIMARY KEY (wave_id, rollup, cell)
        ) WITHOUT ROWID;
        CREATE TABLE aggregate_cell_values (
            wave_id INTEGER NOT NULL REFERENCES wave_aggregates(wave_id) ON DELETE CASCADE,
            rollup INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            segment_id INTEGER NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (wave_id, rollup, cell, segment_id)
        ) WITHOUT ROWID;
        CREATE INDEX idx_aggregate_cell_values
            ON aggregate_cell_values(wave_id, rollup, segment_id, value, cell);
        CREATE TABLE aggregate_answers (
            wave_id INTEGER NOT NULL REFERENCES wave_aggregates(wave_id) ON DELETE CASCADE,
            rollup INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            question_id INTEGER NOT NULL,
            n INTEGER NOT NULL,
            positive INTEGER NOT NULL,
            PRIMARY KEY (wave_id, rollup, cell, question_id)
        ) WITHOUT ROWID;
        CREATE TABLE aggregate_pairs (
            wave_id INTEGER NOT NULL REFERENCES wave_aggregates(wave_id) ON DELETE CASCADE,
            rollup INTEGER NOT NULL,
            cell INTEGER NOT NULL,
            personal_id INTEGER NOT NULL,
            organization_id INTEGER NOT NULL,
            n INTEGER NOT NULL,
            personal_only INTEGER NOT NULL,
            organization_only INTEGER NOT NULL,
            PRIMARY KEY (wave_id, rollup, cell, personal_id, organization_id)
        ) WITHOUT ROWID
        """,
    )
    # Waves imported before this get their aggregates in migration 8, from the tables
    # migration 7 makes: one way to build them, from one layout of the respondent-level data.


@migration(6, "audit log")
def _audit_log_table(db: sqlite_utils.Database) -> None:
    # Who changed what a workspace sees, and when (see insights.store.audit): append-only, which
    # the triggers enforce. Not tied to surveys or subscriptions by foreign keys, so an
    # entry outlives what it names (a forgotten wave, a cancelled subscription).
    run_script(
        db,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        CREATE INDEX idx_audit_log_team ON audit_log(team_id, id)
        """,
    )
    # One statement each: a trigger body has semicolons of its own, which run_script splits on.
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log"
            " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )


@migration(7, "one row per respondent")
def _wide_response_tables(db: sqlite_utils.Database) -> None:
    # The respondent-level data moves from one row per answer and per segment value to one
    # row per respondent, in a table per survey (see insights.store.responses; the move is frozen
    # in insights.store.migrations.m007_wide_rows). Waves without
    # aggregates (imported before migration 5) get them in migration 8.
    surveys = [int(row[0]) for row in db.execute("SELECT id FROM surveys ORDER BY id")]
    for survey_id in surveys:
        m007_wide_rows.move_responses(db.conn, survey_id)
    run_script(db, "DROP TABLE answers; DROP TABLE respondent_segments")


@migration(8, "pairs count agreement on both sides; aggregates have versions")
def _pairs_positive_on_both(db: sqlite_utils.Database) -> None:
    # A gap is computed on the respondents who answered both of its questions, so each side's
    # share among them needs how many agreed on both sides. Every wave's aggregates are
    # rebuilt from the respondent tables (they cascade from wave_aggregates), and so are
    # those of any wave imported before aggregates existed.
    db.execute("ALTER TABLE aggregate_pairs ADD COLUMN both_positive INTEGER NOT NULL DEFAULT 0")
    # A new version at every build: processes keep a wave's cells until it changes.
    db.execute("ALTER TABLE wave_aggregates ADD COLUMN version TEXT NOT NULL DEFAULT ''")
    db.execute("DELETE FROM wave_aggregates")
    # The rebuild that followed here is migration 11's: every wave gets its columns from
    # the respondent tables, and the aggregate tables go.


@migration(9, "questions the bot could not answer")
def _misses_table(db: sqlite_utils.Database) -> None:
    # What people asked that the bot did not understand or answered with a fallback, per
    # workspace (see insights.answers.misses), so admins learn what to teach it. Deliberately no
    # column for who asked or where: only the normalised text, why it missed and how often.
    run_script(
        db,
        """
        CREATE TABLE misses (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            text TEXT NOT NULL,
            reason TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            UNIQUE (team_id, text, reason)
        );
        CREATE INDEX idx_misses_recent ON misses(team_id, last_seen, id)
        """,
    )


@migration(10, "answers declared missing")
def _missing_answers_table(db: sqlite_utils.Database) -> None:
    # Per wave and question, how many chose each of its scale's missing labels ("Don't
    # know"): stored as unanswered, so in no base, but counted (see insights.answers.engine for when
    # an answer may say so). Every declared label has a row, 0 when nobody chose it.
    run_script(
        db,
        """
        CREATE TABLE missing_answers (
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            respondents INTEGER NOT NULL CHECK (respondents >= 0),
            PRIMARY KEY (wave_id, question_id, label)
        ) WITHOUT ROWID
        """,
    )


@migration(11, "answers as columns per wave")
def _wave_columns(db: sqlite_utils.Database) -> None:
    # Each wave's answers as columns of small integers, one per respondent (see
    # insights.store.columns), replacing the per-cell aggregates of migration 5, which grew
    # with every segment: a survey of many segments had about a cell per respondent.
    # wave_merges remembers which values privacy merged in a wave (for one k and set of
    # segments), so that a process starting up need not work it out again.
    run_script(
        db,
        """
        CREATE TABLE wave_column_sets (
            wave_id INTEGER PRIMARY KEY REFERENCES waves(id) ON DELETE CASCADE,
            respondents INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            version TEXT NOT NULL
        );
        CREATE TABLE wave_columns (
            wave_id INTEGER NOT NULL REFERENCES wave_column_sets(wave_id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('segment', 'question')),
            key INTEGER NOT NULL,
            labels TEXT,
            dtype TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (wave_id, kind, key)
        );
        CREATE TABLE wave_merges (
            wave_id INTEGER NOT NULL REFERENCES wave_column_sets(wave_id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            k INTEGER NOT NULL,
            segments TEXT NOT NULL,
            merges TEXT NOT NULL,
            PRIMARY KEY (wave_id, k, segments)
        );
        DROP TABLE aggregate_pairs;
        DROP TABLE aggregate_answers;
        DROP TABLE aggregate_cell_values;
        DROP TABLE aggregate_cells;
        DROP TABLE wave_aggregates
        """,
    )
    # Built by code frozen with this migration, not by insights.store.columns: what the
    # application writes may change, what this migration wrote may not.
    m011_columns.build_missing_columns(db.conn)


@migration(12, "feedback on answers read from plain words")
def _feedback_table(db: sqlite_utils.Database) -> None:
    # A verdict on how a question in plain words was read (see insights.answers.feedback):
    # the workspace, the question's normalised text, the strict query it was read as,
    # helpful or not, and when. Deliberately no column for who clicked, where, or in which
    # message: feedback teaches the reader, it does not describe people.
    run_script(
        db,
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            question TEXT NOT NULL,
            reading TEXT NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            given_at TEXT NOT NULL
        );
        CREATE INDEX idx_feedback_recent ON feedback(team_id, given_at, id)
        """,
    )


@migration(13, "alerts when the gap moves")
def _alert_tables(db: sqlite_utils.Database) -> None:
    # alert_subscriptions: one per channel that asked to be told when a gap moves;
    # re-subscribing reactivates the row. alert_checks: one row per subscription and wave,
    # the claim that keeps two workers from alerting twice about one wave. A wave that
    # existed when the channel subscribed gets a 'before' row then, so only later waves are
    # ever checked. The row goes with its wave: a wave imported again (a new row) is new.
    run_script(
        db,
        """
        CREATE TABLE alert_subscriptions (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            created_by TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'paused', 'cancelled')),
            pause_reason TEXT,
            active_since TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (team_id, channel_id)
        );
        CREATE TABLE alert_checks (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL
                REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
            wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN
                ('before', 'claimed', 'sent', 'quiet', 'skipped', 'failed')),
            retry INTEGER NOT NULL DEFAULT 0 CHECK (retry IN (0, 1)),
            reason TEXT,
            claim_token TEXT,
            checked_at TEXT NOT NULL,
            message_ts TEXT,
            UNIQUE (subscription_id, wave_id)
        );
        CREATE INDEX idx_alert_subscriptions_status ON alert_subscriptions(status);
        CREATE INDEX idx_alert_checks_wave ON alert_checks(wave_id)
        """,
    )


@migration(14, "pulse surveys run from Slack")
def _pulse_tables(db: sqlite_utils.Database) -> None:
    # A pulse asks a question set (codebook text) of an audience in Slack (see insights.pulse).
    # Anonymous by construction: pulse_audience names people (who was asked, reminded) and
    # holds no answer; pulse_responses holds answer codes keyed by an HMAC of the person's
    # user id under the pulse's own secret, with no rowid and no time, so neither when nor in
    # which order anyone answered is kept; the secret sits in pulse_secrets. Closing deletes
    # the secret, the responses and the audience (the answers go on as an ordinary wave,
    # or nowhere when too few answered).
    run_script(
        db,
        """
        CREATE TABLE pulses (
            id INTEGER PRIMARY KEY,
            team_id TEXT NOT NULL,
            survey TEXT NOT NULL,
            codebook TEXT NOT NULL,
            audience_kind TEXT NOT NULL CHECK (audience_kind IN ('channel', 'usergroup')),
            audience_id TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            remind_at TEXT NOT NULL,
            minimum INTEGER NOT NULL CHECK (minimum >= 1),
            repeat TEXT NOT NULL DEFAULT 'none' CHECK (repeat IN ('none', 'monthly', 'quarterly')),
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'closing', 'imported', 'discarded')),
            audience_loaded INTEGER NOT NULL DEFAULT 0 CHECK (audience_loaded IN (0, 1)),
            wave TEXT,
            started_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX idx_pulses_status ON pulses(status, closes_at);
        CREATE INDEX idx_pulses_team ON pulses(team_id, status);
        CREATE TABLE pulse_audience (
            pulse_id INTEGER NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            invited_at TEXT,
            reminded_at TEXT,
            PRIMARY KEY (pulse_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE pulse_secrets (
            pulse_id INTEGER PRIMARY KEY REFERENCES pulses(id) ON DELETE CASCADE,
            secret BLOB NOT NULL
        );
        CREATE TABLE pulse_responses (
            pulse_id INTEGER NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
            respondent TEXT NOT NULL,
            answers TEXT NOT NULL,
            PRIMARY KEY (pulse_id, respondent)
        ) WITHOUT ROWID
        """,
    )


@migration(15, "a question's study theme, named by its codebook")
def _question_benchmark(db: sqlite_utils.Database) -> None:
    # The study theme (insights/answers/benchmark.toml) a question's theme is compared with
    # when its name is not the study's own: NULL means "by its name, if it is one".
    run_script(db, "ALTER TABLE questions ADD COLUMN benchmark TEXT")


# How long a write waits for another writer. An import holds the lock while it writes:
# about 3.5 s for a million respondents here (it reads, checks and groups before); the
# bot's own small writes (event claims, thread context) wait for it rather than fail.
BUSY_TIMEOUT_MS = 15_000
BUSY_MESSAGE = "The database is busy with another change; please try again in a moment."
BUSY_RETRIES = 3


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock, retrying a few times after SQLite's own busy wait."""
    for attempt in range(BUSY_RETRIES):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            time.sleep(0.05 * 2**attempt)
    raise StoreError(BUSY_MESSAGE)


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite ends the transaction itself after some errors; ROLLBACK would then mask them.
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run ;-separated DDL inside the caller's transaction.

    ``sqlite3.executescript`` would commit first, breaking migration atomicity.
    """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


class Store:
    """A migrated SQLite database. Use :meth:`open`; the connection is ``store.db``."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @classmethod
    def open(
        cls, path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
    ) -> Store:
        """Open (creating if needed) and migrate the database at ``path``; ':memory:' works.

        ``busy_timeout_ms`` is how long a statement waits for another writer's lock.
        """
        try:
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open the database at {path}: {error}.") from error
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        store = cls(sqlite_utils.Database(conn))
        if migrate:
            store.migrate()
        return store

    @property
    def schema_version(self) -> int:
        if not self.db["schema_migrations"].exists():
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> list[int]:
        """Apply pending migrations, each in its own transaction; returns the versions applied."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        current = self.schema_version
        newest = _MIGRATIONS[-1][0] if _MIGRATIONS else 0
        if current > newest:
            raise StoreError(
                f"The database is at schema version {current}, newer than this program "
                f"knows ({newest}). Upgrade Empathy Gap."
            )
        applied = []
        for version, name, func in _MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                func(self.db)
                self.db.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
                )
            applied.append(version)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One all-or-nothing unit of work: committed on success, rolled back on any error.

        Another process holding the write lock is waited for (``busy_timeout``, then a few
        retries with backoff); if it never lets go, StoreError says the database is busy.
        """
        conn = self.db.conn
        _begin_immediate(conn)
        try:
            yield self.db
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            _rollback(conn)
            if _is_busy(error):
                raise StoreError(BUSY_MESSAGE) from error
            raise
        except BaseException:
            _rollback(conn)
            raise

    def close(self) -> None:
        self.db.conn.close()
