"""Opening the SQLite database: pragmas, version checks, a backup before each migration."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from peewee import DatabaseError, SqliteDatabase

log = logging.getLogger(__name__)

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",  # with WAL: a killed process never corrupts or half-applies a transaction
    "busy_timeout": 15000,
    "cache_size": -16000,
}


class StoreError(RuntimeError):
    """The local database cannot be used; the message says why and what to do."""


class DatabaseTooNew(StoreError):
    pass


class DatabaseCorrupt(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


def connect(path: Path) -> SqliteDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False, timeout=15)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        db.close()
        raise (as_store_error(exc, path) or StoreError(f"The calendar database {path} cannot be opened ({exc}).")) from exc
    return db


_CORRUPT_SIGNS = ("malformed", "not a database", "file is encrypted", "corrupt")


def as_store_error(exc: BaseException, path: Path) -> StoreError | None:
    """What a database error means for the user, or None when ``exc`` is no such error.

    Damage in a page that start-up did not read shows only when a later query reaches it, and a
    lock held by another program only when we write: both surface from any query, anywhere.
    """
    if isinstance(exc, StoreError):
        return exc
    if not isinstance(exc, (DatabaseError, sqlite3.Error)):
        return None
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"The calendar database {path} is locked by another program. "
            "Close other copies of calendar-desktop (or the program that opened it) and try again."
        )
    if any(sign in text for sign in _CORRUPT_SIGNS):
        return _corrupt(path, exc)
    if "full" in text:
        return StoreError(f"The disk holding the calendar database {path} is full. Free some space and try again.")
    return None


def _corrupt(path: Path, exc: BaseException) -> DatabaseCorrupt:
    backups = sorted(path.parent.glob(path.name + ".backup-*"))
    if backups:
        way_out = (
            f"A backup made before the last upgrade is at {backups[-1]}: move the damaged file away and copy the "
            "backup in its place, or move the file away to start afresh"
        )
    else:
        way_out = "Move the file away to start afresh"
    return DatabaseCorrupt(
        f"The calendar database {path} is damaged ({exc}). {way_out}: your calendars will sync again, but "
        "pipeline entries typed into the app would be lost."
    )


def integrity_ok(db: SqliteDatabase) -> bool:
    row = db.execute_sql("PRAGMA integrity_check").fetchone()
    return bool(row) and row[0] == "ok"


def backup_copy(db: SqliteDatabase, path: Path, from_version: int) -> Path:
    """A consistent copy of the live database, made with SQLite's online backup API."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.backup-v{from_version}-{stamp}")
    source = db.connection()
    with sqlite3.connect(target) as dest:
        source.backup(dest)
    dest.close()
    log.info("backed up the database before migrating from version %d to %s", from_version, target.name)
    return target
