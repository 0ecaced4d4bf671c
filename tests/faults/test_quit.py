"""Quitting while a page is still coming in from a slow server.

``SyncController.stop(timeout)`` must not wait for a slow server beyond ``timeout``, so a pass can
outlive it: the listing request it sent is still being answered. When that answer arrives (or,
for the httpx clients, the connection ``stop`` closed breaks as it does), the pass must end the
way a stopped pass ends (CANCELLED, its SyncRun finished, the account no longer
"syncing"), quietly, and commit nothing of the page it was given: the store keeps what it had,
and the next pass brings it up to date with nothing duplicated.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import AccountStatus, SyncOutcome
from calendar_desktop.paths import AppPaths
from tests.faults.conftest import PEERS, TUNING, controller, mirror, open_app, sync_pass
from tests.faults.peers import SLOW_S, Peer
from tests.sync.helpers import wait_for

EVENTS = 120
PATIENT = dataclasses.replace(TUNING, timeout_s=SLOW_S * 10)
"""A client that waits for the slow server: the answer comes after ``stop()`` has returned."""
STOP_TIMEOUT_S = 0.2


@pytest.fixture
def patient_app(paths: AppPaths, peer: Peer) -> Iterator[AppService]:
    service = open_app(paths, peer, PATIENT)
    yield service
    service.close()


def listing_in_flight(service: AppService, account_id: int) -> bool:
    """The pass has started pulling the calendar: its listing request is on its way."""
    return any(run.calendar_id is not None and run.finished_at is None for run in service.sync_history(account_id))


@pytest.mark.parametrize("peer", list(PEERS), indirect=True)
def test_a_listing_answered_after_stop_ends_the_pass_as_stopped(
    peer: Peer, patient_app: AppService, caplog: pytest.LogCaptureFixture
) -> None:
    app = patient_app
    peer.seed(EVENTS)
    account = peer.connect(app)
    assert sync_pass(app, account.id).ok
    before = mirror(app)
    [calendar] = app.store.calendars.list(account.id)
    peer.change_everything()
    peer.inject("slow")  # every listing request is held SLOW_S, then answered
    caplog.set_level(logging.INFO)
    outlived: set[int] = set()

    async def quit_during_the_listing() -> None:
        sync = controller(app)
        sync.start(sync_now=True)  # the window's way: a pass run by the timers
        await wait_for(lambda: listing_in_flight(app, account.id), 30)
        await asyncio.sleep(SLOW_S / 4)  # the request is at the server, held
        await sync.stop(timeout=STOP_TIMEOUT_S)
        outlived.update(sync.running)
        # The loop goes on (asyncio.run ends the leftover tasks): the held page arrives.
        await wait_for(lambda: asyncio.all_tasks() == {asyncio.current_task()}, 30)

    asyncio.run(quit_during_the_listing())
    assert outlived == {account.id}, "stop() returned while the page was still coming in"

    problems = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert problems == [], [r.getMessage() for r in problems]
    assert "cannot schedule new futures" not in caplog.text
    runs = app.sync_history(account.id)
    assert all(run.finished_at is not None for run in runs), "no SyncRun is left running"
    newest = runs[0]
    assert newest.calendar_id == calendar.id
    assert (newest.outcome, newest.error) == (SyncOutcome.CANCELLED, "Sync was stopped.")
    assert app.store.accounts.get(account.id).status is AccountStatus.CONNECTED
    # Nothing of the late page was committed: the events and the cursor are those of the last pass.
    assert mirror(app) == before
    assert app.store.calendars.get(calendar.id).cursor == calendar.cursor

    peer.clear_faults()
    assert sync_pass(app, account.id).ok
    assert mirror(app) == peer.server_events()
