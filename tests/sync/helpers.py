"""Driving the sync controller from synchronous tests, and reading back what it stored."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy
from calendar_desktop.core.sync.controller import AccountSyncResult, SyncController
from calendar_desktop.domain import Calendar
from tests.servers.dav import DavAccount
from tests.servers.oracle import Occurrence, expected_occurrences, stored_occurrences

NOW = datetime.now(UTC).replace(microsecond=0)
"""One fixed "now" per test session: the same sync window for the app and the oracle."""


def moving_clock() -> Callable[[], datetime]:
    """A clock that starts at NOW and runs at real speed (for the timers)."""
    started = time.monotonic()
    return lambda: NOW + timedelta(seconds=time.monotonic() - started)


async def wait_for(condition: Callable[[], bool], timeout: float) -> None:
    """Poll ``condition`` on the running loop until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


def controller_for(service: AppService, **kwargs: object) -> SyncController:
    kwargs.setdefault("now", lambda: NOW)
    kwargs.setdefault("backoff", BackoffPolicy(base_s=1, cap_s=60))
    return SyncController(service, **kwargs)  # type: ignore[arg-type]


def sync_once(service: AppService, account_id: int, **kwargs: object) -> AccountSyncResult:
    controller = controller_for(service, **kwargs)

    async def run() -> AccountSyncResult:
        try:
            return await controller.sync_account(account_id)
        finally:
            await controller.stop()

    return asyncio.run(run())


def calendar_named(service: AppService, name: str) -> Calendar:
    return next(c for c in service.list_calendars() if c.name == name)


def stored(service: AppService, calendar: Calendar) -> set[Occurrence]:
    return stored_occurrences(e for e in service.list_events() if e.calendar_id == calendar.id)


def expected(service: AppService, dav: DavAccount, collection: str, now: datetime = NOW) -> set[Occurrence]:
    """What the collection holds in the sync window around ``now`` (the tests' controllers' clock)."""
    return expected_occurrences(dav.server_items(collection), controller_for(service, now=lambda: now).window())
