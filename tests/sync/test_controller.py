"""The sync controller with real servers: account status, SyncRuns, faults, selection, timers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from calendar_desktop.core.bus import Message, SyncProgress
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.domain import AccountStatus, ProviderKind, SyncOutcome
from calendar_desktop.providers.caldav.factory import CalDAVFactory
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.providers.retry import RetryPolicy
from tests.servers.calendars import backwards_event, sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.fixtures import connect_account
from tests.servers.proxy import Fault, FaultProxy
from tests.sync.helpers import NOW, calendar_named, controller_for, expected, moving_clock, stored, sync_once, wait_for


class SteadyRetry(RetryPolicy):
    """Retries at a fixed pace, so a test knows how long a pass keeps trying."""

    def delay(self, retry, retry_after, rng):  # type: ignore[no-untyped-def]
        return 0.3 if retry_after is None else retry_after


def use_retry(service: AppService, policy: RetryPolicy) -> None:
    context = ProviderContext(data_dir=service.paths.data_dir, settings={})
    service.providers = ProviderRegistry(context, overrides={ProviderKind.CALDAV: lambda _ctx: CalDAVFactory(retry=policy)})


def on_bus(service: AppService, react: Callable[[Message], None]) -> Callable[[], None]:
    return service.bus.subscribe(react)



def test_a_refused_password_needs_reauthentication(service: AppService, radicale: DavAccount) -> None:
    radicale.make_calendar("work", display_name="Work")
    account = connect_account(service, radicale)
    service.secrets.for_account(account.secret_key).set("password", "changed-elsewhere")
    result = sync_once(service, account.id)
    assert (result.ok, result.status, result.retry_at) == (False, AccountStatus.NEEDS_REAUTH, None)
    stored_account = service.store.accounts.get(account.id)
    assert stored_account.status is AccountStatus.NEEDS_REAUTH
    assert "app-specific password" in (stored_account.last_error or "")
    (run,) = service.sync_history(account.id)
    assert (run.calendar_id, run.outcome) == (None, SyncOutcome.NEEDS_REAUTH)


def test_a_pass_left_running_by_a_process_that_quit_is_ended_by_the_next_pass(
    service: AppService, radicale: DavAccount
) -> None:
    """A killed process, or a window that quit while a pass waited for a slow server, leaves its
    SyncRun "running" and its account "syncing" (which disables Retry). The next process that
    takes the profile lock to sync ends them: nothing else can be syncing the profile then."""
    radicale.make_calendar("work", display_name="Work")
    synced = connect_account(service, radicale)
    idle = service.store.accounts.add(ProviderKind.CALDAV, "Idle", "idle@example.com", server_url=radicale.url)
    store = service.store
    leftover = store.sync_runs.start(idle.id, None)
    store.accounts.set_status(idle.id, AccountStatus.SYNCING)

    assert sync_once(service, synced.id).ok

    (run,) = service.sync_history(idle.id)
    assert run.id == leftover and run.outcome is SyncOutcome.CANCELLED and run.finished_at is not None
    assert "interrupted" in (run.error or "")
    assert store.accounts.get(idle.id).status is AccountStatus.CONNECTED
    assert [r.outcome for r in service.sync_history(synced.id)] == [SyncOutcome.OK]


def test_a_malformed_item_is_skipped_and_counted_while_the_rest_syncs(service: AppService, radicale: DavAccount) -> None:
    """Radicale 3.9 hides items its own parser cannot read (docs/caldav-servers.md §9), and with
    ``skip_broken_item`` off it answers 500 to the whole listing. An event that ends before it
    starts is read by Radicale and served, but we refuse it: that is the malformed item here.
    A file even Radicale cannot parse is written too, and must simply not matter."""
    radicale.make_calendar("work", display_name="Work")
    radicale.seed("work", sample_calendar(60, seed=21))
    radicale.write_file("work", "backwards.ics", backwards_event("backwards@calendar-desktop.test"))
    radicale.write_file("work", "garbage.ics", "this is not iCalendar at all\r\n")
    account = connect_account(service, radicale)
    result = sync_once(service, account.id)
    assert result.ok and result.skipped == 1
    (run,) = service.sync_history(account.id)
    assert (run.skipped, run.outcome) == (1, SyncOutcome.OK)
    items = radicale.server_items("work")
    served_backwards = [href for href in items if href.endswith("/backwards.ics")]
    assert served_backwards and not any(href.endswith("/garbage.ics") for href in items)
    del items[served_backwards[0]]
    from tests.servers.oracle import expected_occurrences

    assert stored(service, calendar_named(service, "Work")) == expected_occurrences(items, controller_for(service).window())


def test_retry_after_parks_the_account_until_then(service: AppService, dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    dav.seed("work", sample_calendar(10, seed=22))
    account = service.add_account(_via(proxy, dav))
    proxy.fail(lambda r: r.method == "REPORT", Fault(503, {"Retry-After": "120"}))
    failed = sync_once(service, account.id)
    assert (failed.ok, failed.status) == (False, AccountStatus.ERROR)
    assert failed.retry_at == NOW + timedelta(seconds=120)
    parked = service.store.accounts.get(account.id)
    assert (parked.status, parked.retry_at) == (AccountStatus.ERROR, NOW + timedelta(seconds=120))
    assert "HTTP 503" in (parked.last_error or "")
    assert service.sync_history(account.id)[0].outcome is SyncOutcome.ERROR
    recovered = sync_once(service, account.id)
    assert recovered.ok and recovered.added == len(expected(service, dav, "work"))
    assert service.store.accounts.get(account.id).retry_at is None


def _via(proxy: FaultProxy, dav: DavAccount):  # type: ignore[no-untyped-def]
    from calendar_desktop.providers.caldav.connect import connect_caldav

    return connect_caldav(proxy.url, dav.username, dav.password)


def two_calendars(dav: DavAccount, count: int, seed: int) -> None:
    """Calendars "one" and "two" (shown as One and Two) with ``count`` sample events each."""
    for offset, name in enumerate(("one", "two")):
        dav.make_calendar(name, display_name=name.title())
        dav.seed(name, sample_calendar(count, seed=seed + offset))


def assert_mirrored(service: AppService, dav: DavAccount, *collections: str) -> None:
    for name in collections:
        assert stored(service, calendar_named(service, name.title())) == expected(service, dav, name)


@pytest.mark.slow
def test_a_server_stopped_during_a_page_is_retried_to_a_consistent_result(service: AppService, dav: DavAccount) -> None:
    two_calendars(dav, 300, seed=23)
    account = connect_account(service, dav)
    use_retry(service, SteadyRetry(attempts=30))
    restarted = threading.Event()

    def stop_once(message: Message) -> None:
        if isinstance(message, SyncProgress) and not restarted.is_set() and dav.server.running:
            dav.server.stop()  # in the middle of the pass: after the first page, before the rest
            threading.Timer(1.5, lambda: (dav.server.start(), restarted.set())).start()

    unsubscribe = on_bus(service, stop_once)
    try:
        started = time.monotonic()
        result = sync_once(service, account.id)
    finally:
        unsubscribe()
    assert restarted.wait(30)
    assert result.ok, result.message
    assert time.monotonic() - started >= 1.5, "the pass waited for the server"
    assert_mirrored(service, dav, "one", "two")
    assert service.count_events() == sum(len(expected(service, dav, n)) for n in ("one", "two"))


@pytest.mark.slow
def test_a_server_that_stays_away_fails_the_pass_and_the_next_one_completes_it(service: AppService, dav: DavAccount) -> None:
    two_calendars(dav, 300, seed=25)
    account = connect_account(service, dav)
    use_retry(service, SteadyRetry(attempts=2))

    def stop(message: Message) -> None:
        if isinstance(message, SyncProgress) and dav.server.running:
            dav.server.stop()

    unsubscribe = on_bus(service, stop)
    try:
        failed = sync_once(service, account.id)
    finally:
        unsubscribe()
    assert (failed.ok, failed.status) == (False, AccountStatus.ERROR)
    assert failed.retry_at is not None and failed.retry_at > NOW
    assert SyncOutcome.ERROR in {run.outcome for run in service.sync_history(account.id)}
    assert service.count_events() > 0, "pages committed before the failure are kept"
    dav.server.start()
    done = sync_once(service, account.id)
    assert done.ok, done.message
    assert_mirrored(service, dav, "one", "two")


def test_deselecting_a_calendar_removes_its_events_and_stops_fetching_it(
    service: AppService, dav: DavAccount, proxy: FaultProxy
) -> None:
    two_calendars(dav, 15, seed=26)
    account = service.add_account(_via(proxy, dav))
    assert sync_once(service, account.id).ok
    one = calendar_named(service, "One")
    service.select_calendar(one.id, False)
    assert stored(service, one) == set()
    before = len(proxy.requests)
    assert sync_once(service, account.id).ok
    reports = [r.path for r, _ in proxy.requests[before:] if r.method == "REPORT"]
    assert reports and all("/one/" not in path for path in reports)
    assert stored(service, one) == set()
    assert_mirrored(service, dav, "two")
    service.select_calendar(one.id, True)
    assert sync_once(service, account.id).ok
    assert_mirrored(service, dav, "one")


def test_deselecting_during_the_sync_wins(service: AppService, dav: DavAccount) -> None:
    dav.make_calendar("one", display_name="One")
    dav.seed("one", sample_calendar(300, seed=28))
    account = connect_account(service, dav)

    def deselect(message: Message) -> None:
        if isinstance(message, SyncProgress) and message.pages == 1:
            service.select_calendar(calendar_named(service, "One").id, False)

    unsubscribe = on_bus(service, deselect)
    try:
        result = sync_once(service, account.id)
    finally:
        unsubscribe()
    assert result.ok
    assert service.count_events() == 0
    assert service.sync_history(account.id)[0].outcome is SyncOutcome.CANCELLED


def test_calendars_gone_from_the_server_go_locally_but_an_empty_list_keeps_everything(
    service: AppService, dav: DavAccount
) -> None:
    two_calendars(dav, 5, seed=29)
    account = connect_account(service, dav)
    assert sync_once(service, account.id).ok
    dav.delete_calendar("one")
    assert sync_once(service, account.id).ok
    assert [c.name for c in service.list_calendars()] == ["Two"]
    kept = service.count_events()
    assert kept > 0
    dav.delete_calendar("two")
    emptied = sync_once(service, account.id)
    assert not emptied.ok and "listed no calendars" in (emptied.message or "")
    assert service.count_events() == kept


# --- timers --------------------------------------------------------------------------------------


def with_timers(controller: SyncController, body: Callable[[], Awaitable[None]], *, sync_now: bool) -> None:
    """Run ``body`` on a fresh loop while the controller's timers run."""

    async def run() -> None:
        controller.start(sync_now=sync_now)
        try:
            await body()
        finally:
            await controller.stop()

    asyncio.run(run())


def test_the_poll_timer_syncs_again_and_picks_up_changes(service: AppService, dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    sample = sample_calendar(30, seed=31)
    dav.seed("work", sample[:20])
    account = connect_account(service, dav)
    service.store.accounts.update(account.id, poll_interval_s=1)
    controller = controller_for(service, now=moving_clock())

    async def scenario() -> None:
        await asyncio.sleep(0.3)
        assert service.sync_history(account.id) == [], "no pass before the first interval"
        await wait_for(lambda: service.count_events() > 0, 15)
        dav.put("work", sample[25])
        await wait_for(lambda: any(e.event.uid == sample[25].uid for e in service.list_events()), 15)

    with_timers(controller, scenario, sync_now=False)
    assert len(service.sync_history(account.id)) >= 2


def test_start_up_sync_sync_now_and_pause(service: AppService, dav: DavAccount) -> None:
    dav.make_calendar("work", display_name="Work")
    dav.seed("work", sample_calendar(5, seed=32))
    account = connect_account(service, dav)
    controller = controller_for(service)
    runs = lambda: len(service.sync_history(account.id))  # noqa: E731

    async def scenario() -> None:
        await wait_for(lambda: runs() == 1 and not controller.running, 15)
        controller.pause()
        controller.sync_now(account.id)
        await wait_for(lambda: runs() == 2 and not controller.running, 15)
        due = controller.next_due(account.id)
        assert due is not None and due >= NOW + timedelta(seconds=200), "the next automatic pass is an interval away"

    with_timers(controller, scenario, sync_now=True)


def test_the_timer_waits_out_the_backoff(service: AppService, dav: DavAccount, proxy: FaultProxy) -> None:
    dav.make_calendar("work", display_name="Work")
    account = service.add_account(_via(proxy, dav))
    service.store.accounts.update(account.id, poll_interval_s=3600)
    use_retry(service, RetryPolicy(attempts=1))
    proxy.fail(lambda r: r.method == "REPORT", Fault(503, {"Retry-After": "2"}))
    clock_start = time.monotonic()
    controller = controller_for(service, now=moving_clock())

    async def scenario() -> None:
        await wait_for(lambda: len([s for r, s in proxy.requests if r.method == "REPORT"]) == 2, 20)

    with_timers(controller, scenario, sync_now=True)
    reports = [i for i, (r, _s) in enumerate(proxy.requests) if r.method == "REPORT"]
    assert [proxy.requests[i][1] for i in reports] == [503, 207]
    assert service.store.accounts.get(account.id).status is AccountStatus.CONNECTED
    assert time.monotonic() - clock_start >= 2.0


def test_an_account_that_needs_reauthentication_is_not_polled(service: AppService, radicale: DavAccount) -> None:
    radicale.make_calendar("work", display_name="Work")
    account = connect_account(service, radicale)
    service.store.accounts.set_status(account.id, AccountStatus.NEEDS_REAUTH, error="Reconnect")
    service.store.accounts.update(account.id, poll_interval_s=1)
    controller = controller_for(service, now=moving_clock())

    async def scenario() -> None:
        await asyncio.sleep(2.5)

    with_timers(controller, scenario, sync_now=False)
    assert service.sync_history(account.id) == []


def test_stopping_ends_a_pass_that_waits_to_retry_at_once(service: AppService, dav: DavAccount, proxy: FaultProxy) -> None:
    """Quitting the app while a server is failing must not wait out the provider's retry delay."""
    dav.make_calendar("work", display_name="Work")
    account = service.add_account(_via(proxy, dav))
    use_retry(service, RetryPolicy(attempts=4, base_delay=60, max_delay=60))
    proxy.fail(lambda r: r.method == "REPORT", Fault(503))
    controller = controller_for(service, now=moving_clock())

    async def scenario() -> None:
        await wait_for(lambda: any(r.method == "REPORT" for r, _s in proxy.requests), 15)
        await asyncio.sleep(0.2)  # the pass is now waiting up to a minute before retrying

    with_timers(controller, scenario, sync_now=True)  # stop() closes the provider: the wait ends
    assert not controller.running and not controller._scheduler._tasks, "the pass ended instead of being abandoned"
    assert [s for r, s in proxy.requests if r.method == "REPORT"] == [503]
    assert service.store.accounts.get(account.id).status is AccountStatus.CONNECTED
    assert service.sync_history(account.id)[0].outcome is SyncOutcome.CANCELLED


EMPTY_SYNC_REPORT = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">'
    b"<D:sync-token>http://radicale.org/ns/sync/glitch</D:sync-token></D:multistatus>"
)


def test_a_full_listing_of_nothing_removes_nothing_until_the_user_says_so(
    service: AppService, dav: DavAccount, proxy: FaultProxy
) -> None:
    dav.make_calendar("work", display_name="Work")
    sample = sample_calendar(12, seed=41)
    dav.seed("work", sample)
    account = service.add_account(_via(proxy, dav))
    assert sync_once(service, account.id).ok
    work = calendar_named(service, "Work")
    kept = stored(service, work)
    assert len(kept) >= 5

    service.store.calendars.begin_full_listing(work.id)  # as after an expired cursor
    proxy.fail(lambda r: r.method == "REPORT", Fault(207, {"Content-Type": "application/xml; charset=utf-8"}, EMPTY_SYNC_REPORT))
    glitch = sync_once(service, account.id)
    assert not glitch.ok and "Work: The server listed no events" in (glitch.message or "")
    assert stored(service, work) == kept, "one empty answer removes nothing"
    assert sync_once(service, account.id).ok
    assert_mirrored(service, dav, "work")

    for event in sample:  # emptied on purpose, and the cursor lost on the way
        dav.delete("work", event.name)
    service.store.calendars.begin_full_listing(work.id)
    assert not sync_once(service, account.id).ok
    assert stored(service, work) == kept
    service.select_calendar(work.id, False)  # the way out the message gives
    service.select_calendar(work.id, True)
    assert sync_once(service, account.id).ok
    assert stored(service, work) == set()
