"""``calendar-desktop sync`` killed with SIGKILL at random moments of a 2,000-event initial sync.

Kill moments come from a seeded RNG: a few early ones (start-up, connecting, the big REPORT) by
time, the rest by progress, at a random share of the events the listing has committed
(rows of the calendar's current generation), plus a random extra delay so that some kills land
inside a commit. After every kill the database must pass ``PRAGMA integrity_check`` and hold
no duplicate; after one run allowed to finish, the store must equal the server.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.paths import AppPaths
from calendar_desktop.secrets import SecretStore
from tests.servers.calendars import SampleEvent
from tests.servers.dav import DavAccount
from tests.servers.fixtures import connect_account
from tests.support.cli import REPO
from tests.support.keyrings import FileKeyring
from tests.sync.helpers import calendar_named, expected, stored

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

EARLY_KILLS = 2
PROGRESS_KILLS = 4


def start_sync(profile: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with (profile / "stderr.txt").open("ab") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "calendar_desktop", "--profile", str(profile), "sync"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip


def listing_progress(database: Path) -> int:
    """Rows touched by the full listing under way (those of the calendar's current generation)."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute(
                "SELECT count(*) FROM event JOIN calendar ON calendar.id = event.calendar_id "
                "WHERE event.generation = calendar.generation"
            ).fetchone()
            return int(row[0])
    except sqlite3.Error:
        return 0  # not created yet, or locked for a moment


def check_database(database: Path) -> None:
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        duplicates = db.execute(
            "SELECT count(*) FROM (SELECT calendar_id, uid, coalesce(recurrence_id, '') FROM event "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0


def kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process; False if it had already finished."""
    if process.poll() is not None:
        return False
    process.kill()  # SIGKILL
    process.wait(timeout=30)
    return True


def test_killed_syncs_leave_a_sound_store_and_the_next_run_completes_it(
    tmp_path: Path, radicale: DavAccount, radicale_big_calendar: tuple[str, tuple[SampleEvent, ...]]
) -> None:
    collection, _events = radicale_big_calendar
    profile = tmp_path / "profile"
    paths = AppPaths.profile(profile)
    paths.ensure()
    service = AppService.open(paths, secrets=SecretStore(FileKeyring()))
    try:
        connect_account(service, radicale)
        total = len(expected(service, radicale, collection))
    finally:
        service.close()
    rng = random.Random(20261122)
    kills = 0
    progress_at_kills: list[int] = []

    for _ in range(EARLY_KILLS):
        process = start_sync(profile)
        time.sleep(rng.uniform(0.1, 1.0))  # start-up, connecting, the big REPORT: never the whole sync
        kills += kill(process)
        check_database(paths.database)

    for _ in range(PROGRESS_KILLS):
        target = rng.uniform(0.05, 0.95) * total
        extra = rng.uniform(0.0, 0.3)
        process = start_sync(profile)
        deadline = time.monotonic() + 240
        while process.poll() is None and listing_progress(paths.database) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(extra)
        killed = kill(process)
        kills += killed
        if killed:
            progress_at_kills.append(listing_progress(paths.database))
        check_database(paths.database)
    assert kills >= EARLY_KILLS + PROGRESS_KILLS - 1, "most runs were killed, not allowed to finish"
    assert sum(1 for done in progress_at_kills if 0 < done < total) >= 2, ("kills landed mid-listing", progress_at_kills, total)

    before = datetime.now(UTC)
    final = start_sync(profile)
    assert final.wait(timeout=300) == 0, (profile / "stderr.txt").read_text(errors="replace")[-2000:]
    after = datetime.now(UTC)
    check_database(paths.database)
    service = AppService.open(paths, secrets=SecretStore(FileKeyring()))
    try:
        # The run's window is around its own clock, read between ``before`` and ``after``: an
        # occurrence at the window's edge may have crossed it since the test started (and the
        # run is short: at most one such instant passes during it).
        have = stored(service, calendar_named(service, "Big calendar"))
        want = expected(service, radicale, collection, before)
        if have != want:
            want = expected(service, radicale, collection, after)
        assert have == want
        assert service.count_events() == len(have)
        assert service.store.integrity_ok()
    finally:
        service.close()
