"""What quitting relies on besides the passes themselves (those are in ``tests/faults/test_quit.py``):
a stopped controller starts nothing, and closing the store on the window's thread leaves a page
being committed by a sync worker whole."""

from __future__ import annotations

import asyncio
import threading

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.profile_lock import ProfileLock
from calendar_desktop.domain import AccountStatus, CalendarInfo, ProviderKind, SyncOutcome
from calendar_desktop.providers.retry import Cancelled
from calendar_desktop.store import Store
from tests.support.events import make_event, page
from tests.sync.helpers import controller_for

EVENTS = 20


def test_a_stopped_controller_starts_no_pass(service: AppService) -> None:
    account = service.store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com", server_url="https://dav.example.com")
    controller = controller_for(service)

    async def scenario() -> None:
        await controller.stop(timeout=0)
        with pytest.raises(Cancelled):  # not the executor's "cannot schedule new futures after shutdown"
            await controller.sync_account(account.id)
        with pytest.raises(Cancelled):
            await controller.sync_all()

    asyncio.run(scenario())
    assert service.sync_history(account.id) == []


def test_closing_the_service_leaves_a_page_being_committed_by_a_worker_whole(service: AppService) -> None:
    """The window closes the store on its own thread as it quits, while a pass that outlived
    ``stop`` may still be committing a page in a worker thread: that page and its cursor are
    committed together, as if nothing had been closed."""
    store = service.store
    account = store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com", server_url="https://dav.example.com")
    [calendar] = store.calendars.replace_from_provider(account.id, [CalendarInfo("cal-1", "Work", "#336699")])
    inside, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def commit() -> None:  # as ``pull`` commits a page: one transaction, held open here
        try:
            with store.atomic():
                store.events.apply_page(calendar.id, page(*(make_event(i) for i in range(EVENTS)), cursor="after"))
                inside.set()
                release.wait(10)
        except BaseException as exc:
            failures.append(exc)

    worker = threading.Thread(target=commit, name="sync-test")
    worker.start()
    assert inside.wait(10)
    service.close()
    release.set()
    worker.join(10)
    assert failures == []

    reopened = Store.open(service.paths.database)
    try:
        assert reopened.events.count() == EVENTS
        assert reopened.calendars.get(calendar.id).cursor == "after"
    finally:
        reopened.close()


def test_at_start_up_what_a_quit_process_left_syncing_is_ended_unless_another_process_syncs(
    service: AppService,
) -> None:
    store = service.store
    account = store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com", server_url="https://dav.example.com")
    store.sync_runs.start(account.id, None)
    store.accounts.set_status(account.id, AccountStatus.SYNCING)
    controller = controller_for(service)

    other_process = ProfileLock(service.paths.lock_file)
    other_process.acquire()
    try:
        asyncio.run(controller.end_interrupted_passes())
        assert store.accounts.get(account.id).status is AccountStatus.SYNCING, "it may really be syncing"
    finally:
        other_process.release()

    asyncio.run(controller.end_interrupted_passes())
    assert store.accounts.get(account.id).status is AccountStatus.CONNECTED
    (run,) = service.sync_history(account.id)
    assert run.outcome is SyncOutcome.CANCELLED and run.finished_at is not None
    other_process.acquire(timeout=0)  # the controller let the lock go again
    other_process.release()
