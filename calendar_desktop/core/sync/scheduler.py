"""When each account syncs next: the poll timer (jittered), start-up sync, "sync now", backoff.

The schedule is kept per account in ``due``; the loop sleeps until the earliest due time or
until something wakes it (``sync now``, pause, a finished pass). Passes run as tasks; an account
never has two at once. A failed pass with a retry time (backoff, at least ``Retry-After``) is
due again at that time; an account that needs reauthentication, has automatic sync off, or
while the controller is paused, only syncs when asked to.

Laptops sleep. After a resume, or when the network comes back, every account syncs soon
(``hurry``) instead of waiting out its timer. A resume is noticed without any platform API: the
loop never sleeps longer than ``max_sleep_s``, so waking up much later than asked means the
machine was suspended. Linux and macOS stop the monotonic clock during suspend (the wall clock
jumps), Windows does not (the timer fires late): the larger of the two elapsed times covers both.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from calendar_desktop.core.sync.backoff import jittered_interval
from calendar_desktop.domain import Account, AccountStatus

log = logging.getLogger(__name__)

ALL = -1
MAX_SLEEP_S = 60.0
"""Re-read the accounts at least this often (new accounts, changed intervals)."""
RESUME_GAP_S = 30.0
"""Waking up this much later than asked means the machine was asleep (or the clock jumped)."""
SOON_S = 5.0
"""After a resume or a network change, sync this soon: long enough for the network to settle."""


class Scheduler:
    def __init__(
        self,
        list_accounts: Callable[[], Awaitable[list[Account]]],
        run_pass: Callable[[int], Awaitable[datetime | None]],
        *,
        now: Callable[[], datetime],
        rng: random.Random,
        monotonic: Callable[[], float] = time.monotonic,
        max_sleep_s: float = MAX_SLEEP_S,
        soon_s: float = SOON_S,
    ) -> None:
        """``run_pass(account_id)`` syncs one account and returns its retry time after a failure."""
        self._list_accounts = list_accounts
        self._run_pass = run_pass
        self._now = now
        self._rng = rng
        self._monotonic = monotonic
        self._max_sleep_s = max_sleep_s
        self._soon_s = soon_s
        self._accounts: dict[int, Account] = {}
        self.due: dict[int, datetime] = {}
        self.paused = False
        self._requested: set[int] = set()
        self._busy: set[int] = set()
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._startup_sync = False

    @property
    def started(self) -> bool:
        return self._loop_task is not None

    def start(self, *, sync_now: bool) -> None:
        if self._loop_task is None:
            self._startup_sync = sync_now
            self._loop_task = asyncio.get_running_loop().create_task(self._loop())

    def request(self, account_id: int | None) -> None:
        self._requested.add(ALL if account_id is None else account_id)
        self._wake.set()

    def pause(self, paused: bool) -> None:
        self.paused = paused
        self._wake.set()

    def hurry(self, reason: str) -> None:
        """Bring every account's next automatic pass forward to "soon" (resume, network back).

        An account parked by the server (``Retry-After`` still running) keeps its retry time.
        """
        soon = self._now() + timedelta(seconds=self._soon_s)
        hurried = 0
        for account_id, due in self.due.items():
            account = self._accounts.get(account_id)
            parked_until = account.retry_at if account is not None and account.retry_at is not None else soon
            new_due = max(soon, parked_until)
            if new_due < due:
                self.due[account_id] = new_due
                hurried += 1
        if hurried:
            log.info("%s: %d account(s) will sync in %.0f s", reason, hurried, self._soon_s)
        self._wake.set()

    async def stop(self, timeout: float) -> None:
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            accounts = await self._list_accounts()
            self._accounts = {a.id: a for a in accounts}
            now = self._now()
            requested, self._requested = self._requested, set()
            for account in accounts:
                if account.id not in self.due:
                    self.due[account.id] = self._first_due(account, now)
                if account.id in self._busy:
                    if account.id in requested or ALL in requested:
                        self._requested.add(account.id)  # asked while running: once more afterwards
                    continue
                manual = ALL in requested or account.id in requested
                if manual or (self._automatic(account) and self.due[account.id] <= now):
                    self._start_pass(account, now)
            known = {a.id for a in accounts}
            for gone in set(self.due) - known:
                del self.due[gone]
            waiting = [self.due[a.id] for a in accounts if a.id not in self._busy and self._automatic(a)]
            sleep = min([(t - now).total_seconds() for t in waiting] + [self._max_sleep_s])
            if sleep > 0:
                await self._sleep(sleep)

    async def _sleep(self, seconds: float) -> None:
        """Sleep until woken or ``seconds`` pass; a much longer absence is taken for a resume."""
        wall, mono = self._now(), self._monotonic()
        try:
            # Not ``wait_for``: on Python 3.11 it swallows a cancellation that arrives as the wake-up
            # does, and ``stop()`` then waited for this loop forever.
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            pass
        away = max((self._now() - wall).total_seconds(), self._monotonic() - mono)
        if away - seconds > RESUME_GAP_S:
            self.hurry(f"woke up {away:.0f} s after going to sleep (suspend or clock change)")

    def _automatic(self, account: Account) -> bool:
        return not self.paused and account.auto_sync and account.status is not AccountStatus.NEEDS_REAUTH

    def _first_due(self, account: Account, now: datetime) -> datetime:
        if self._startup_sync:
            return now
        if account.retry_at is not None and account.retry_at > now:
            return account.retry_at  # still backing off from an earlier run (maybe another process)
        return now + timedelta(seconds=jittered_interval(account.poll_interval_s, self._rng))

    def _start_pass(self, account: Account, now: datetime) -> None:
        self._busy.add(account.id)
        self.due[account.id] = now + timedelta(seconds=jittered_interval(account.poll_interval_s, self._rng))
        task = asyncio.get_running_loop().create_task(self._timed_pass(account))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _timed_pass(self, account: Account) -> None:
        try:
            retry_at = await self._run_pass(account.id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduled sync of account %d failed", account.id)
            retry_at = None
        finally:
            self._busy.discard(account.id)
        interval = timedelta(seconds=jittered_interval(account.poll_interval_s, self._rng))
        self.due[account.id] = retry_at if retry_at is not None else self._now() + interval
        self._wake.set()
