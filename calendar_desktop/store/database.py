"""Opening the SQLite database: pragmas, version checks, a backup before each migration."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from peewee import DatabaseError, OperationalError, SqliteDatabase

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
    except OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise DatabaseLocked(
                f"The calendar database {path} is locked by another program. "
                "Close other copies of calendar-desktop and try again."
            ) from exc
        raise _corrupt(path, exc) from exc
    except DatabaseError as exc:
        raise _corrupt(path, exc) from exc
    return db


def _corrupt(path: Path, exc: Exception) -> DatabaseCorrupt:
    backups = sorted(path.parent.glob(path.name + ".backup-*"))
    hint = (
        f" A backup made before the last upgrade is at {backups[-1]}: move the damaged file away and copy the backup "
        "in its place, or"
        if backups
        else ""
    )
    return DatabaseCorrupt(
        f"The calendar database {path} is damaged ({exc}).{hint} move the file away to start afresh: "
        "your calendars will sync again, but pipeline entries typed into the app would be lost."
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
