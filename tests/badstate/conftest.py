"""Profiles in a bad state: a damaged database, one locked by another program, one written by a
newer version. Helpers build them with the app's own store, then break them the way disks,
other programs and downgrades do."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from calendar_desktop.paths import AppPaths
from calendar_desktop.store import LATEST_VERSION
from calendar_desktop.store.database import connect
from calendar_desktop.store.migrations import migrate
from tests.support.cli import run_cli

def database(profile: Path) -> Path:
    return AppPaths.profile(profile).database


def upgraded_profile(profile: Path) -> Path:
    """A profile whose database was written at schema 1 (one application, "Acme") and then
    upgraded by the app, which made a backup first. Returns the backup."""
    path = database(profile)
    path.parent.mkdir(parents=True)
    db = connect(path)
    migrate(db, None, target=1)
    db.execute_sql("INSERT INTO application (company, created_at, updated_at) VALUES ('Acme', '2026-01-05', '2026-01-05')")
    db.close()
    assert run_cli(profile, "pipeline", "list").code == 0  # the app upgrades it
    [backup] = path.parent.glob(path.name + ".backup-v1-*")
    return backup


def damage(path: Path, table: str | None = None) -> None:
    """Overwrite pages the way a torn write or a failing disk does: the root page of ``table``
    (the rest of the database still reads, so the damage shows only when that table is queried),
    or with no table every page after the first (the schema itself is unreadable)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone() if table else None
    size = path.stat().st_size
    start, length = ((root[0] - 1) * page_size, page_size) if root else (page_size, size - page_size)
    assert length > 0 and start + length <= size, "the database has the pages to damage"
    with path.open("r+b") as fh:
        fh.seek(start)
        fh.write((bytes(range(256)) * (length // 256 + 1))[:length])


def from_the_future(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")


def schema_version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


class Locker:
    """Another process holding an exclusive write lock on the database (``BEGIN EXCLUSIVE``)."""

    SCRIPT = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"  # hold the lock until the test closes our input
        "conn.rollback()\n"
    )

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def locker() -> Iterator[type[Locker]]:
    made: list[Locker] = []

    class Tracked(Locker):
        def __init__(self, path: Path) -> None:
            super().__init__(path)
            made.append(self)

    yield Tracked
    for each in made:
        each.release()
