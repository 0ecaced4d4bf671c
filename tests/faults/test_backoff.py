"""Backoff between passes: the scheduler never hammers a failing server.

In-pass retries are bounded by the provider's ``RetryPolicy`` (see the matrix); here the
controller's own timers run for a few seconds against a server that keeps failing, with a small
``BackoffPolicy`` so the doubling shows. The assertions are lower bounds on the waits and an exact
count of requests, so a slow machine cannot make them fail.
"""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from calendar_desktop.core.bus import Message, SyncFinished
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy
from calendar_desktop.domain import AccountStatus
from tests.faults.conftest import PEERS, TUNING, controller, sync_pass
from tests.faults.peers import Peer

POLICY = BackoffPolicy(base_s=1.5, cap_s=3.0)
RUN_S = 8.0
SLACK_S = 0.25
"""Time between recording a failure's retry time and announcing the pass's end."""


def test_policy_doubles_from_the_base_jitters_down_and_is_capped() -> None:
    policy = BackoffPolicy(base_s=30, cap_s=1800)
    rng = random.Random(7)
    for failures in range(1, 12):
        ceiling = min(1800, 30 * 2 ** (failures - 1))
        assert ceiling * 0.5 <= policy.delay(failures, None, rng) <= ceiling
    assert policy.delay(1, 600, rng) >= 600, "at least Retry-After"
    assert policy.delay(1, 10**9, rng) <= 1800 * 4, "an absurd Retry-After is capped too"


@pytest.mark.slow
@pytest.mark.parametrize("peer", list(PEERS), indirect=True)
def test_the_scheduler_backs_off_from_a_failing_server(peer: Peer, app: AppService) -> None:
    peer.seed(10)
    account = peer.connect(app)
    assert sync_pass(app, account.id).ok
    app.store.accounts.update(account.id, poll_interval_s=1)
    peer.inject("http_503")
    listed_before = len(peer.listing_statuses())
    finished: list[float] = []

    def on_message(message: Message) -> None:
        if isinstance(message, SyncFinished):
            assert not message.ok
            finished.append(time.monotonic())

    app.bus.subscribe(on_message)

    async def run_timers() -> None:
        sync = controller(app, POLICY)
        sync.start(sync_now=True)
        await asyncio.sleep(RUN_S)
        while sync.running:  # stop between passes
            await asyncio.sleep(0.05)
        await sync.stop()

    asyncio.run(run_timers())

    assert len(finished) >= 2, "the scheduler retried"
    for failures, (before, after) in enumerate(zip(finished, finished[1:]), start=1):
        shortest = 0.5 * min(POLICY.cap_s, POLICY.base_s * 2 ** (failures - 1))
        assert after - before >= shortest - SLACK_S, f"pass {failures + 1} came too soon"
    requests = len(peer.listing_statuses()) - listed_before
    assert requests == len(finished) * TUNING.retry.attempts, "each pass makes a bounded number of tries"
    stored = app.store.accounts.get(account.id)
    assert stored.status is AccountStatus.ERROR and stored.retry_at is not None
