"""Numbered forward migrations, each applied atomically with the version bump.

Migrations are plain SQL, frozen once released: the peewee models describe the latest schema,
these steps describe how every earlier database gets there. Never edit a released step;
add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from calendar_desktop.store.database import DatabaseTooNew, backup_copy

Migration = Callable[[SqliteDatabase], None]


def _v1_initial(db: SqliteDatabase) -> None:
    for statement in _V1_SQL.split(";\n"):
        if statement.strip():
            db.execute_sql(statement)


_V1_SQL = """
CREATE TABLE account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider TEXT NOT NULL,
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    secret_key TEXT NOT NULL UNIQUE,
    server_url TEXT,
    status TEXT NOT NULL DEFAULT 'connected',
    read_only INTEGER NOT NULL DEFAULT 0,
    auto_sync INTEGER NOT NULL DEFAULT 1,
    poll_interval_s INTEGER NOT NULL DEFAULT 300,
    connected_at TEXT NOT NULL,
    last_sync_at TEXT,
    last_error TEXT,
    retry_at TEXT,
    options TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE calendar (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    name TEXT NOT NULL,
    color TEXT,
    read_only INTEGER NOT NULL DEFAULT 0,
    selected INTEGER NOT NULL DEFAULT 1,
    write_target INTEGER NOT NULL DEFAULT 0,
    cursor TEXT,
    generation INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, remote_id)
);
CREATE TABLE event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id INTEGER NOT NULL REFERENCES calendar (id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    uid TEXT NOT NULL,
    title TEXT NOT NULL,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    all_day INTEGER NOT NULL DEFAULT 0,
    timezone TEXT,
    status TEXT NOT NULL,
    organizer TEXT,
    attendees TEXT NOT NULL DEFAULT '[]',
    location TEXT NOT NULL DEFAULT '',
    meeting_link TEXT,
    description TEXT,
    etag TEXT,
    remote_updated TEXT,
    series_id TEXT,
    recurrence_id TEXT,
    marker TEXT,
    content_hash TEXT NOT NULL,
    is_interview INTEGER NOT NULL DEFAULT 0,
    generation INTEGER NOT NULL DEFAULT 0,
    UNIQUE (calendar_id, remote_id)
);
CREATE INDEX event_calendar_resource ON event (calendar_id, resource_id);
CREATE INDEX event_start ON event (start_ts);
CREATE INDEX event_uid ON event (uid);
CREATE TABLE application (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    role TEXT NOT NULL DEFAULT '',
    role_type TEXT NOT NULL DEFAULT 'unknown',
    status TEXT NOT NULL DEFAULT 'applied',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE interview (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    start_ts INTEGER NOT NULL,
    end_ts INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled',
    title TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    meeting_link TEXT,
    event_id INTEGER REFERENCES event (id) ON DELETE SET NULL,
    event_uid TEXT,
    calendar_id INTEGER REFERENCES calendar (id) ON DELETE SET NULL,
    marker TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX interview_event ON interview (event_id);
CREATE INDEX interview_event_uid ON interview (event_uid);
CREATE TABLE suggestion (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    event_id INTEGER REFERENCES event (id) ON DELETE SET NULL,
    event_uid TEXT,
    event_key TEXT,
    application_id INTEGER REFERENCES application (id) ON DELETE SET NULL,
    interview_id INTEGER REFERENCES interview (id) ON DELETE SET NULL,
    company TEXT,
    role TEXT,
    role_type TEXT,
    stage TEXT,
    start_ts INTEGER,
    end_ts INTEGER,
    confidence TEXT NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX suggestion_status ON suggestion (status);
CREATE INDEX suggestion_event_key ON suggestion (event_key);
CREATE TABLE sync_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    calendar_id INTEGER REFERENCES calendar (id) ON DELETE SET NULL,
    direction TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT 'running',
    error TEXT,
    full_resync INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_run_account ON sync_run (account_id, started_at)
"""

def _v2_two_way(db: SqliteDatabase) -> None:
    for statement in _V2_SQL.split(";\n"):
        if statement.strip():
            db.execute_sql(statement)


# Two-way sync: what an interview written to a calendar looks like there, the outbox of pending
# writes (committed with the local change), conflicts waiting for the user, and kept versions.
_V2_SQL = """
ALTER TABLE interview ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE interview ADD COLUMN timezone TEXT;
ALTER TABLE interview ADD COLUMN attendees TEXT NOT NULL DEFAULT '[]';
ALTER TABLE interview ADD COLUMN remote_id TEXT;
ALTER TABLE interview ADD COLUMN etag TEXT;
ALTER TABLE interview ADD COLUMN synced TEXT;
ALTER TABLE interview ADD COLUMN event_hash TEXT;
CREATE INDEX interview_remote ON interview (calendar_id, remote_id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id INTEGER REFERENCES interview (id) ON DELETE SET NULL,
    marker TEXT NOT NULL,
    op TEXT NOT NULL,
    calendar_id INTEGER REFERENCES calendar (id) ON DELETE CASCADE,
    remote_id TEXT,
    etag TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, calendar_id);
CREATE TABLE conflict (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id INTEGER REFERENCES interview (id) ON DELETE CASCADE,
    outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    calendar_id INTEGER REFERENCES calendar (id) ON DELETE CASCADE,
    remote_id TEXT,
    remote_etag TEXT,
    local TEXT NOT NULL,
    remote TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    resolution TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE TABLE interview_revision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id INTEGER REFERENCES interview (id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE sync_run ADD COLUMN interview_id INTEGER REFERENCES interview (id) ON DELETE SET NULL;
CREATE INDEX sync_run_interview ON sync_run (interview_id, started_at)
"""

def _v3_timed_span_index(db: SqliteDatabase) -> None:
    # The longest timed event bounds how early an event overlapping a slot can start, so overlap
    # queries scan the start index from (slot start - longest) instead of from the first event.
    db.execute_sql("CREATE INDEX event_timed_span ON event (end_ts - start_ts) WHERE all_day = 0")


def _v4_running_passes_index(db: SqliteDatabase) -> None:
    # Every pass first ends those a quit or killed process left "running"; the history only grows,
    # so finding them must not scan it (40 ms at 300,000 rows, each pass, holding the write lock).
    db.execute_sql("CREATE INDEX sync_run_running ON sync_run (outcome) WHERE outcome = 'running'")


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema", _v1_initial),
    (2, "two-way sync: outbox, conflicts, revisions, remote links of interviews", _v2_two_way),
    (3, "index the length of timed events (overlap queries)", _v3_timed_span_index),
    (4, "index the passes still marked running (ended at the next pass)", _v4_running_passes_index),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(db: SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: SqliteDatabase, path: Path | None, *, target: int = LATEST_VERSION) -> int:
    """Bring the database to ``target``; returns the version it had. Backs up a non-empty database first."""
    current = schema_version(db)
    if current > LATEST_VERSION:
        raise DatabaseTooNew(
            f"This calendar database was written by a newer calendar-desktop (schema {current}, this version "
            f"knows up to {LATEST_VERSION}). Update calendar-desktop, or start it with another --profile."
        )
    pending = [m for m in MIGRATIONS if current < m[0] <= target]
    if pending and current > 0 and path is not None:
        backup_copy(db, path, current)
    for version, _description, step in pending:
        with db.atomic():
            step(db)
            db.execute_sql(f"PRAGMA user_version = {int(version)}")
    return current
