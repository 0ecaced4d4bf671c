"""The sync controller: asyncio on top, blocking provider and store calls in worker threads.

One pass over an account: open the provider, refresh the calendar list, then for each selected
calendar fetch pages from the stored cursor and commit each page with its cursor in one
transaction (see ``pull``). An expired cursor turns into a full listing that reconciles.
Failures set the account's status: ``needs_reauth`` for refused credentials, ``error`` with a
retry time (backoff, at least ``Retry-After``) for anything else. Every pass leaves SyncRuns
(one per calendar pulled, or one for the account when it failed before reaching a calendar)
and a change set for the listeners (interview detection) and the window.

``stop`` does not wait for a slow server beyond its timeout, so a pass can outlive it (a page
still downloading). Such a pass ends on its own as a stopped one, and it still needs the worker
threads for that (its SyncRun, the account's status, closing the connection): they are shut
down when the last pass has ended, not when ``stop`` returns.

The same controller runs on plain asyncio in the CLI and on qasync in the window.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from calendar_desktop.core.bus import AccountsChanged, EventsChanged, SyncFinished, SyncStarted
from calendar_desktop.core.profile_lock import ProfileBusy, ProfileLock
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy
from calendar_desktop.core.sync.messages import EMPTY_LISTING, INTERRUPTED, REAUTH, STOPPED, UNEXPECTED, sanitise
from calendar_desktop.core.sync.pull import CalendarDeselected, Tally, pull_calendar
from calendar_desktop.core.sync.scheduler import Scheduler
from calendar_desktop.domain import Account, AccountStatus, Calendar, ChangeSet, SyncOutcome, SyncWindow
from calendar_desktop.providers.base import CalendarProvider
from calendar_desktop.providers.errors import (
    AuthenticationError,
    CursorExpired,
    PermanentError,
    ProviderError,
    TransientError,
)
from calendar_desktop.providers.retry import Cancelled
from calendar_desktop.secrets import SecretStoreError
from calendar_desktop.store import as_store_error

log = logging.getLogger(__name__)
T = TypeVar("T")


class ChangeListener(Protocol):
    """Something that reacts to what a pass changed (interview detection, two-way sync)."""

    def on_changes(self, account: Account, changes: ChangeSet) -> None: ...


class PassHook(Protocol):
    """Work done with an open provider after the pull of an account (two-way pushes)."""

    def after_pull(
        self, account: Account, provider: CalendarProvider, calendars: list[Calendar], changes: ChangeSet
    ) -> None: ...


@dataclass(slots=True)
class AccountSyncResult:
    account_id: int
    ok: bool
    status: AccountStatus
    message: str | None = None
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet, repr=False)
    """Everything the pass changed (not in the repr: asyncio formats a finished task's result, and a
    first sync holds thousands of events)."""
    retry_at: datetime | None = None
    """When a failed account is tried again (None after success or when it needs reauthentication)."""


class SyncController:
    def __init__(
        self,
        service: AppService,
        *,
        listeners: list[ChangeListener] | None = None,
        hooks: list[PassHook] | None = None,
        backoff: BackoffPolicy = BackoffPolicy(),
        max_workers: int = 4,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.service = service
        self.listeners = list(listeners or [])
        self.hooks = list(hooks or [])
        self._backoff = backoff
        self._rng = rng or random.Random()
        self._now = now
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sync")
        self._executor_shut_down = False
        self._account_locks: dict[int, asyncio.Lock] = {}
        self._failures: dict[int, int] = {}
        self._cancel = threading.Event()
        self._profile_lock = ProfileLock(service.paths.lock_file)
        self._profile_holders = 0
        self._profile_guard = asyncio.Lock()
        self._scheduler = Scheduler(self._scheduled_accounts, self._scheduled_pass, now=now, rng=self._rng)
        self.running: set[int] = set()
        """Ids of the accounts being synced now."""
        self._open_providers: set[CalendarProvider] = set()
        """Connections in use by passes: ``stop`` closes them so a retry wait ends at once."""
        self._passes = 0
        """Calls of ``sync_account`` under way (running, or waiting for their account's turn)."""
        self._no_passes = asyncio.Event()
        self._no_passes.set()
        self._stopped = False

    # --- running work off the event loop -----------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        if self._executor_shut_down:
            raise Cancelled()  # stopped and every pass ended: nothing new starts
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    async def _acquire_profile(self) -> None:
        async with self._profile_guard:
            if self._profile_holders == 0:
                await self._run(self._profile_lock.acquire)
                await self._end_interrupted_passes()
            self._profile_holders += 1

    async def end_interrupted_passes(self) -> None:
        """At start-up, before any pass: end what a process that quit or died during a pass left
        behind (a run shown as running, an account shown as syncing), unless another process is
        syncing this profile right now."""
        async with self._profile_guard:
            if self._profile_holders:
                return
            try:
                await self._run(self._profile_lock.acquire, 0)
            except ProfileBusy:
                return
            try:
                await self._end_interrupted_passes()
            finally:
                self._profile_lock.release()

    async def _end_interrupted_passes(self) -> None:
        """With the profile lock just taken, no process is syncing it: a pass still marked running,
        or an account still syncing, was left so by a process that quit or died during a pass."""
        store = self.service.store

        def end() -> int:
            with store.atomic():
                return store.sync_runs.end_interrupted(INTERRUPTED) + store.accounts.end_interrupted_syncs()

        if await self._run(end):
            self.service.bus.publish(AccountsChanged())

    async def _release_profile(self) -> None:
        async with self._profile_guard:
            self._profile_holders -= 1
            if self._profile_holders == 0:
                self._profile_lock.release()

    # --- passes ------------------------------------------------------------------------------

    async def sync_all(self) -> list[AccountSyncResult]:
        accounts = await self._run(self.service.list_accounts)
        self.service.bus.publish(SyncStarted(tuple(a.id for a in accounts)))
        return list(await asyncio.gather(*(self.sync_account(a.id) for a in accounts)))

    async def sync_account(self, account_id: int) -> AccountSyncResult:
        """One pass over the account; one stopped by ``stop`` ends normally, with the message ``STOPPED``."""
        self._pass_begins()
        try:
            lock = self._account_locks.setdefault(account_id, asyncio.Lock())
            async with lock:
                await self._acquire_profile()
                self.running.add(account_id)
                try:
                    return await self._pass(account_id)
                finally:
                    self.running.discard(account_id)
                    await self._release_profile()
        finally:
            self._pass_ends()

    def _pass_begins(self) -> None:
        self._passes += 1
        self._no_passes.clear()

    def _pass_ends(self) -> None:
        self._passes -= 1
        if self._passes == 0:
            self._no_passes.set()
            if self._stopped:
                self._shut_down_executor()

    def window(self) -> SyncWindow:
        settings = self.service.settings
        return SyncWindow.around(self._now(), settings.window_days_back, settings.window_days_ahead)

    async def _pass(self, account_id: int) -> AccountSyncResult:
        service = self.service
        account = await self._run(service.store.accounts.get, account_id)
        await self._set_status(account.id, AccountStatus.SYNCING)
        result = AccountSyncResult(account.id, ok=False, status=AccountStatus.ERROR)
        window = self.window()
        provider: CalendarProvider | None = None
        try:
            try:
                factory = await self._run(service.providers.factory, account.provider)  # the first call imports it
                provider = await self._run(factory.open, account, service.secrets.for_account(account.secret_key))
                self._open_providers.add(provider)
                calendars = await self._refresh_calendars(account, provider)
            except BaseException as exc:
                await self._record_failure(account, exc)
                raise
            await self._pull_calendars(account, provider, calendars, window, result)
            for hook in self.hooks:
                await self._run(hook.after_pull, account, provider, calendars, result.changes)
        except AuthenticationError as exc:
            result.status, result.message = AccountStatus.NEEDS_REAUTH, sanitise(str(exc) or REAUTH)
        except TransientError as exc:
            result.message = sanitise(str(exc))
            result.retry_at = self._retry_time(account.id, exc.retry_after)
        except Cancelled:  # by ``stop``: an outcome like any other, not an error for the caller
            result.message, result.status = STOPPED, AccountStatus.CONNECTED
        except asyncio.CancelledError:
            result.message, result.status = STOPPED, AccountStatus.CONNECTED
            await self._finish(account, result)
            raise
        except (ProviderError, SecretStoreError) as exc:
            result.message = sanitise(str(exc))
            result.retry_at = self._retry_time(account.id, None)
        except Exception as exc:
            log.exception("sync of account %d failed", account.id)
            database_trouble = as_store_error(exc, service.paths.database)
            result.message = str(database_trouble) if database_trouble else UNEXPECTED.format(kind=type(exc).__name__)
            result.retry_at = self._retry_time(account.id, None)
        else:
            result.ok, result.status = True, AccountStatus.CONNECTED
            self._failures.pop(account.id, None)
        finally:
            if provider is not None:
                self._open_providers.discard(provider)
                await self._run(provider.close)
        await self._finish(account, result)
        return result

    async def _refresh_calendars(self, account: Account, provider: CalendarProvider) -> list[Calendar]:
        store = self.service.store
        remote = await self._run(provider.list_calendars)
        if not remote and await self._run(store.calendars.list, account.id):
            raise TransientError(EMPTY_LISTING)  # never drop every calendar on one odd answer
        calendars = await self._run(store.calendars.replace_from_provider, account.id, remote)
        self.service.bus.publish(AccountsChanged())
        return calendars

    async def _pull_calendars(
        self, account: Account, provider: CalendarProvider, calendars: list[Calendar], window: SyncWindow,
        result: AccountSyncResult,
    ) -> None:  # fmt: skip
        """Pull every selected calendar; one calendar's server error does not stop the others,
        but an unreachable server does (nothing else would work either)."""
        errors: list[ProviderError] = []
        for calendar in calendars:
            if not calendar.selected:
                continue
            try:
                await self._sync_calendar(account, provider, calendar, window, result)
            except TransientError as exc:
                if exc.status is None:
                    raise
                errors.append(exc)
            except PermanentError as exc:
                errors.append(PermanentError(f"{calendar.name}: {exc}"))
        transient = [e for e in errors if isinstance(e, TransientError)]
        if transient:
            waits = [e.retry_after for e in transient if e.retry_after is not None]
            raise TransientError(str(transient[0]), retry_after=max(waits) if waits else None, status=transient[0].status)
        if errors:
            raise PermanentError("; ".join(str(e) for e in errors))

    async def _sync_calendar(
        self, account: Account, provider: CalendarProvider, calendar: Calendar, window: SyncWindow,
        result: AccountSyncResult,
    ) -> None:  # fmt: skip
        store = self.service.store
        run_id = await self._run(store.sync_runs.start, account.id, calendar.id)
        full = calendar.cursor is None
        tally = Tally(self.service, account.id, calendar.name, run_id, result)
        try:
            try:
                await pull_calendar(self._run, self.service, provider, calendar, calendar.cursor, window, tally, self._cancel)
            except CursorExpired as exc:
                log.info("calendar %d: %s Doing a full resync.", calendar.id, exc)
                full = True
                await pull_calendar(self._run, self.service, provider, calendar, None, window, tally, self._cancel)
        except CalendarDeselected:
            log.info("calendar %d was deselected during its sync", calendar.id)
            await self._run(lambda: store.sync_runs.finish(run_id, SyncOutcome.CANCELLED, full_resync=full))
            return
        except BaseException as exc:
            outcome, message = _outcome(exc)
            await self._run(lambda: store.sync_runs.finish(run_id, outcome, error=message, full_resync=full))
            raise
        await self._run(lambda: store.sync_runs.finish(run_id, SyncOutcome.OK, full_resync=full))

    async def _record_failure(self, account: Account, exc: BaseException) -> None:
        """A SyncRun for a pass that failed before reaching any calendar (refused login, server down)."""
        store = self.service.store
        outcome, message = _outcome(exc)

        def record() -> None:
            run_id = store.sync_runs.start(account.id, None)
            store.sync_runs.finish(run_id, outcome, error=message)

        await self._run(record)

    def _retry_time(self, account_id: int, retry_after: float | None) -> datetime:
        failures = self._failures.get(account_id, 0) + 1
        self._failures[account_id] = failures
        return self._now() + timedelta(seconds=self._backoff.delay(failures, retry_after, self._rng))

    async def _finish(self, account: Account, result: AccountSyncResult) -> None:
        synced_at = self._now() if result.ok else None
        await self._run(
            lambda: self.service.store.accounts.set_status(
                account.id, result.status, error=result.message, retry_at=result.retry_at, synced_at=synced_at
            )
        )
        if result.changes:
            for listener in self.listeners:
                try:
                    await self._run(listener.on_changes, account, result.changes)
                except Exception:  # detection failing must not fail the sync it reacts to
                    log.exception("a change listener failed after the sync of account %d", account.id)
            self.service.bus.publish(EventsChanged(result.changes))
        self.service.bus.publish(AccountsChanged())
        self.service.bus.publish(
            SyncFinished(account.id, result.ok, result.added, result.updated, result.removed, result.skipped, result.message)
        )
        log.log(
            logging.INFO if result.ok else logging.WARNING,
            "account %d sync %s: +%d ~%d -%d skipped %d%s",
            account.id,
            "ok" if result.ok else result.status.value,
            result.added,
            result.updated,
            result.removed,
            result.skipped,
            f" ({result.message})" if result.message else "",
        )

    async def _set_status(self, account_id: int, status: AccountStatus) -> None:
        await self._run(lambda: self.service.store.accounts.set_status(account_id, status))
        self.service.bus.publish(AccountsChanged())

    # --- timers ------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._scheduler.paused

    def start(self, *, sync_now: bool) -> None:
        """Start the poll timers on the running loop; with ``sync_now`` every account syncs at once."""
        self._scheduler.start(sync_now=sync_now)

    def sync_now(self, account_id: int | None = None) -> None:
        """Ask the timers for an immediate pass (all accounts, or one), even while paused or backing off."""
        self._scheduler.request(account_id)

    def pause(self, paused: bool = True) -> None:
        """Stop (or resume) automatic passes; "sync now" still works."""
        self._scheduler.pause(paused)

    def network_changed(self) -> None:
        """The network came back or changed (a new Wi-Fi, a VPN): every account syncs soon."""
        self._scheduler.hurry("the network changed")

    def next_due(self, account_id: int) -> datetime | None:
        return self._scheduler.due.get(account_id)

    async def _scheduled_accounts(self) -> list[Account]:
        return await self._run(self.service.list_accounts)

    async def _scheduled_pass(self, account_id: int) -> datetime | None:
        return (await self.sync_account(account_id)).retry_at

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop the timers; passes under way stop at their next page or retry wait.

        Waits for them up to ``timeout``, never longer: a pass still waiting for a slow server
        then ends on its own, as a stopped pass, once the server answers or its client gives up.
        """
        self._cancel.set()
        started = time.monotonic()
        for provider in list(self._open_providers):  # a pass waiting to retry would hold the quit up
            _close_in_background(provider)
        await self._scheduler.stop(timeout)
        if self._passes:  # (with none, nothing here needs a running loop: the window may be quitting early)
            try:
                async with asyncio.timeout(max(0.0, timeout - (time.monotonic() - started))):
                    await self._no_passes.wait()
            except TimeoutError:
                log.info("stopped with %d sync pass(es) still waiting for a server; they end when it answers", self._passes)
        self._stopped = True
        if self._passes == 0:
            self._shut_down_executor()

    def _shut_down_executor(self) -> None:
        self._executor_shut_down = True
        self._executor.shutdown(wait=False, cancel_futures=True)


def _close_in_background(provider: CalendarProvider) -> None:
    """Close ``provider`` in a thread nobody waits for: a close may wait for the request in flight
    (Google's does), and quitting must not wait for a slow server."""

    def close() -> None:
        try:
            provider.close()
        except Exception:  # the pass closes it again when it ends
            log.warning("closing a connection of a stopped sync failed", exc_info=True)

    threading.Thread(target=close, name="sync-stop", daemon=True).start()


def _outcome(exc: BaseException) -> tuple[SyncOutcome, str]:
    if isinstance(exc, AuthenticationError):
        return SyncOutcome.NEEDS_REAUTH, sanitise(str(exc) or REAUTH)
    if isinstance(exc, (Cancelled, asyncio.CancelledError)):
        return SyncOutcome.CANCELLED, STOPPED
    if isinstance(exc, (ProviderError, SecretStoreError)):
        return SyncOutcome.ERROR, sanitise(str(exc))
    return SyncOutcome.ERROR, UNEXPECTED.format(kind=type(exc).__name__)
