"""The scheduler syncs soon after the machine wakes up or the network comes back.

Clocks are injected: a suspend is a jump of the wall clock (Linux, macOS: the monotonic clock
stops while suspended) or of the monotonic clock (Windows: it keeps counting, the timer fires
late). The accounts' poll interval is an hour, so only the resume can explain a pass.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from calendar_desktop.core.sync.scheduler import Scheduler
from calendar_desktop.domain import Account, AccountStatus, ProviderKind

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class Clocks:
    """A wall clock and a monotonic clock that run in real time and can be made to jump."""

    def __init__(self) -> None:
        self._origin = time.monotonic()
        self.wall_jump = timedelta(0)
        self.monotonic_jump = 0.0

    def now(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self._origin) + self.wall_jump

    def monotonic(self) -> float:
        return time.monotonic() + self.monotonic_jump


def account(account_id: int, **changes: object) -> Account:
    fields: dict[str, object] = {
        "id": account_id,
        "provider": ProviderKind.CALDAV,
        "name": f"account {account_id}",
        "username": "user",
        "secret_key": f"key-{account_id}",
        "poll_interval_s": 3600,
    }
    return Account(**(fields | changes))  # type: ignore[arg-type]


def run_scheduler(
    accounts: list[Account], clocks: Clocks, body: Callable[[Scheduler, list[int]], Awaitable[None]]
) -> list[int]:
    """Run ``body`` while a scheduler with a fast re-read loop runs; returns the accounts synced."""
    passes: list[int] = []

    async def list_accounts() -> list[Account]:
        return accounts

    async def run_pass(account_id: int) -> datetime | None:
        passes.append(account_id)
        return None

    async def main() -> None:
        scheduler = Scheduler(
            list_accounts,
            run_pass,
            now=clocks.now,
            monotonic=clocks.monotonic,
            rng=random.Random(7),
            max_sleep_s=0.05,
            soon_s=0.0,
        )
        scheduler.start(sync_now=False)
        try:
            await body(scheduler, passes)
        finally:
            await scheduler.stop(timeout=1)

    asyncio.run(main())
    return passes


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("clock", ["wall", "monotonic"])
def test_waking_up_from_suspend_syncs_every_account_soon(clock: str) -> None:
    clocks = Clocks()

    async def body(scheduler: Scheduler, passes: list[int]) -> None:
        await asyncio.sleep(0.3)
        assert passes == [], "an hour's interval: nothing is due yet"
        if clock == "wall":
            clocks.wall_jump = timedelta(minutes=10)  # shorter than the interval: only the resume explains a pass
        else:
            clocks.monotonic_jump = 600.0
        await until(lambda: sorted(passes) == [1, 2])

    assert sorted(run_scheduler([account(1), account(2)], clocks, body)) == [1, 2]


def test_an_ordinary_night_of_polling_does_not_look_like_a_resume() -> None:
    clocks = Clocks()

    async def body(scheduler: Scheduler, passes: list[int]) -> None:
        for _ in range(5):
            clocks.wall_jump += timedelta(seconds=10)  # small clock corrections (NTP) are not a resume
            await asyncio.sleep(0.1)

    assert run_scheduler([account(1)], clocks, body) == []


def test_when_the_network_comes_back_accounts_sync_soon_but_a_server_imposed_wait_holds() -> None:
    clocks = Clocks()
    parked = account(2, status=AccountStatus.ERROR, retry_at=START + timedelta(hours=2))

    async def body(scheduler: Scheduler, passes: list[int]) -> None:
        await asyncio.sleep(0.2)
        scheduler.hurry("the network changed")
        await until(lambda: passes == [1])
        await asyncio.sleep(0.3)
        assert scheduler.due[2] >= START + timedelta(hours=2), "Retry-After is still honoured"

    assert run_scheduler([account(1), parked], clocks, body) == [1]


def test_hurrying_leaves_accounts_that_do_not_sync_automatically_alone() -> None:
    clocks = Clocks()
    accounts = [account(1, auto_sync=False), account(2, status=AccountStatus.NEEDS_REAUTH)]

    async def body(scheduler: Scheduler, passes: list[int]) -> None:
        await asyncio.sleep(0.2)
        scheduler.hurry("the network changed")
        await asyncio.sleep(0.3)

    assert run_scheduler(accounts, clocks, body) == []


def test_stopping_as_a_wake_up_arrives_still_stops() -> None:
    """A wake-up (a finished pass, "sync now") and ``stop()`` in the same turn of the loop."""

    async def list_accounts() -> list[Account]:
        return []

    async def run_pass(account_id: int) -> datetime | None:
        return None

    async def main() -> None:
        for _ in range(50):
            scheduler = Scheduler(list_accounts, run_pass, now=Clocks().now, rng=random.Random(7))
            scheduler.start(sync_now=False)
            for _ in range(3):
                await asyncio.sleep(0)  # the loop reaches its sleep
            scheduler.request(None)
            await asyncio.wait_for(scheduler.stop(timeout=1), timeout=5)

    asyncio.run(main())
