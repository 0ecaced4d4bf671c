"""The local store: SQLite through peewee (the only package that imports peewee).

``Store.open(path)`` connects with WAL and foreign keys, refuses a database from a newer
version, backs up and migrates an older one, and exposes one repository per concern.
"""

from __future__ import annotations

from pathlib import Path

from peewee import SqliteDatabase

from calendar_desktop.store.accounts import AccountRepository, CalendarRepository, NotFound
from calendar_desktop.store.database import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseTooNew,
    StoreError,
    as_store_error,
    connect,
    integrity_ok,
)
from calendar_desktop.store.events import EventQuery, EventRepository
from calendar_desktop.store.migrations import LATEST_VERSION, migrate, schema_version
from calendar_desktop.store.pipeline import ApplicationRepository, InterviewRepository
from calendar_desktop.store.schema import build_tables
from calendar_desktop.store.suggestions import NewSuggestion, SuggestionRepository
from calendar_desktop.store.sync_runs import SyncRunRepository
from calendar_desktop.store.twoway import ConflictRepository, OutboxRepository, RevisionRepository

__all__ = [
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseTooNew",
    "EventQuery",
    "LATEST_VERSION",
    "NewSuggestion",
    "NotFound",
    "Store",
    "StoreError",
    "as_store_error",
]


class Store:
    def __init__(self, db: SqliteDatabase, path: Path | None) -> None:
        self.db = db
        self.path = path
        tables = build_tables(db)
        self.accounts = AccountRepository(db, tables)
        self.calendars = CalendarRepository(db, tables)
        self.events = EventRepository(db, tables)
        self.applications = ApplicationRepository(db, tables)
        self.interviews = InterviewRepository(db, tables)
        self.suggestions = SuggestionRepository(db, tables)
        self.sync_runs = SyncRunRepository(db, tables)
        self.outbox = OutboxRepository(db, tables)
        self.conflicts = ConflictRepository(db, tables)
        self.revisions = RevisionRepository(db, tables)

    @classmethod
    def open(cls, path: Path) -> Store:
        db = connect(path)
        try:
            migrate(db, path)
        except BaseException as exc:
            db.close()
            explained = as_store_error(exc, path)
            if explained is None or explained is exc:
                raise
            raise explained from exc
        return cls(db, path)

    @property
    def version(self) -> int:
        return schema_version(self.db)

    def atomic(self):  # type: ignore[no-untyped-def]
        """A transaction spanning several repositories."""
        return self.db.atomic()

    def integrity_ok(self) -> bool:
        return integrity_ok(self.db)

    def forget_calendar_data(self) -> int:
        """Delete every event, suggestion and sync record and reset cursors; keep accounts,
        calendar choices and the pipeline (interviews lose their links to events)."""
        with self.db.atomic():
            self.interviews.unlink_all_events()
            self.suggestions.delete_all()
            self.sync_runs.delete_all()
            count = self.events.delete_all()
        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute_sql("VACUUM")
        return count

    def close(self) -> None:
        self.db.close()
