"""The sync controller: asyncio on top, blocking provider and store calls in worker threads.

One pass over an account: open the provider, refresh the calendar list, then for each selected
calendar fetch pages from the stored cursor and commit each page with its cursor in one
transaction. An expired cursor turns into a full listing that reconciles. Failures set the
account's status: ``needs_reauth`` for refused credentials, ``error`` with a retry time (backoff,
at least ``Retry-After``) for transient trouble.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from calendar_desktop.core.bus import AccountsChanged, EventsChanged, SyncFinished, SyncProgress, SyncStarted
from calendar_desktop.core.profile_lock import ProfileLock
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy, jittered_interval
from calendar_desktop.core.sync.messages import REAUTH, UNEXPECTED, sanitise
from calendar_desktop.domain import (
    Account,
    AccountStatus,
    Calendar,
    ChangePage,
    ChangeSet,
    SyncOutcome,
    SyncWindow,
)
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


@dataclass(slots=True)
class _Failure:
    count: int = 0
    retry_at: datetime | None = None


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
        self._account_locks: dict[int, asyncio.Lock] = {}
        self._failures: dict[int, _Failure] = {}
        self._cancel = threading.Event()
        self._profile_lock = ProfileLock(service.paths.lock_file)
        self._profile_holders = 0
        self._profile_guard = asyncio.Lock()
        self._scheduler: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._next_due: dict[int, datetime] = {}
        self.paused = False
        self.running: set[int] = set()

    # --- running work off the event loop -----------------------------------------------------

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    async def _acquire_profile(self) -> None:
        async with self._profile_guard:
            if self._profile_holders == 0:
                await self._run(self._profile_lock.acquire)
            self._profile_holders += 1

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
        lock = self._account_locks.setdefault(account_id, asyncio.Lock())
        async with lock:
            await self._acquire_profile()
            self.running.add(account_id)
            try:
                return await self._pass(account_id)
            finally:
                self.running.discard(account_id)
                await self._release_profile()

    async def _pass(self, account_id: int) -> AccountSyncResult:
        service = self.service
        account = await self._run(service.store.accounts.get, account_id)
        await self._set_status(account.id, AccountStatus.SYNCING, None)
        result = AccountSyncResult(account.id, ok=False, status=AccountStatus.ERROR)
        provider: CalendarProvider | None = None
        try:
            factory = service.providers.factory(account.provider)
            secrets = service.secrets.for_account(account.secret_key)
            provider = await self._run(factory.open, account, secrets)
            remote_calendars = await self._run(provider.list_calendars)
            calendars = await self._run(service.store.calendars.replace_from_provider, account.id, remote_calendars)
            service.bus.publish(AccountsChanged())
            errors: list[str] = []
            for calendar in calendars:
                if not calendar.selected:
                    continue
                try:
                    await self._sync_calendar(account, provider, calendar, result)
                except PermanentError as exc:
                    errors.append(f"{calendar.name}: {exc}")
            for hook in self.hooks:
                await self._run(hook.after_pull, account, provider, calendars, result.changes)
            if errors:
                raise PermanentError("; ".join(errors))
        except AuthenticationError as exc:
            result.status, result.message = AccountStatus.NEEDS_REAUTH, sanitise(str(exc) or REAUTH)
        except TransientError as exc:
            result.message = sanitise(str(exc))
            result.status = AccountStatus.ERROR
            self._schedule_retry(account.id, exc.retry_after)
        except (Cancelled, asyncio.CancelledError):
            result.message = "Sync was cancelled."
            result.status = AccountStatus.CONNECTED if account.status is not AccountStatus.NEEDS_REAUTH else account.status
            await self._finish(account, result)
            raise
        except (PermanentError, SecretStoreError, ProviderError) as exc:
            result.message = sanitise(str(exc))
            self._schedule_retry(account.id, None)
        except Exception as exc:
            log.exception("sync of account %d failed", account.id)
            database_trouble = as_store_error(exc, service.paths.database)
            result.message = str(database_trouble) if database_trouble else UNEXPECTED.format(kind=type(exc).__name__)
            self._schedule_retry(account.id, None)
        else:
            result.ok, result.status = True, AccountStatus.CONNECTED
            self._failures.pop(account.id, None)
        finally:
            if provider is not None:
                await self._run(provider.close)
        await self._finish(account, result)
        return result

    async def _finish(self, account: Account, result: AccountSyncResult) -> None:
        failure = self._failures.get(account.id)
        retry_at = failure.retry_at if failure and not result.ok else None
        synced_at = self._now() if result.ok else None
        await self._run(
            lambda: self.service.store.accounts.set_status(
                account.id, result.status, error=result.message, retry_at=retry_at, synced_at=synced_at
            )
        )
        if result.changes:
            for listener in self.listeners:
                try:
                    await self._run(listener.on_changes, account, result.changes)
                except Exception:  # detection trouble must not fail the sync that fed it
                    log.exception("processing the changes of account %d failed", account.id)
            self.service.bus.publish(EventsChanged(result.changes))
        self.service.bus.publish(AccountsChanged())
        self.service.bus.publish(
            SyncFinished(account.id, result.ok, result.added, result.updated, result.removed, result.skipped, result.message)
        )
        level = logging.INFO if result.ok else logging.WARNING
        log.log(
            level,
            "account %d sync %s: +%d ~%d -%d skipped %d%s",
            account.id,
            "ok" if result.ok else result.status.value,
            result.added,
            result.updated,
            result.removed,
            result.skipped,
            f" ({result.message})" if result.message else "",
        )

    async def _set_status(self, account_id: int, status: AccountStatus, message: str | None) -> None:
        await self._run(lambda: self.service.store.accounts.set_status(account_id, status, error=message))
        self.service.bus.publish(AccountsChanged())

    def _schedule_retry(self, account_id: int, retry_after: float | None) -> None:
        failure = self._failures.setdefault(account_id, _Failure())
        failure.count += 1
        delay = self._backoff.delay(failure.count, retry_after, self._rng)
        failure.retry_at = self._now() + timedelta(seconds=delay)
        self._next_due[account_id] = failure.retry_at

    def window(self) -> SyncWindow:
        settings = self.service.settings
        return SyncWindow.around(self._now(), settings.window_days_back, settings.window_days_ahead)

    async def _sync_calendar(
        self, account: Account, provider: CalendarProvider, calendar: Calendar, result: AccountSyncResult
    ) -> None:
        store = self.service.store
        run_id = await self._run(store.sync_runs.start, account.id, calendar.id)
        full = calendar.cursor is None
        try:
            try:
                await self._pull(provider, calendar, calendar.cursor, run_id, result, account)
            except CursorExpired:
                log.info("calendar %d: the sync cursor expired; doing a full resync", calendar.id)
                full = True
                await self._pull(provider, calendar, None, run_id, result, account)
        except BaseException as exc:
            outcome = SyncOutcome.NEEDS_REAUTH if isinstance(exc, AuthenticationError) else SyncOutcome.ERROR
            if isinstance(exc, (Cancelled, asyncio.CancelledError)):
                outcome = SyncOutcome.CANCELLED
            message = sanitise(str(exc)) if isinstance(exc, ProviderError) else type(exc).__name__
            await self._run(lambda: store.sync_runs.finish(run_id, outcome, error=message, full_resync=full))
            raise
        await self._run(lambda: store.sync_runs.finish(run_id, SyncOutcome.OK, full_resync=full))

    async def _pull(
        self,
        provider: CalendarProvider,
        calendar: Calendar,
        cursor: str | None,
        run_id: int,
        result: AccountSyncResult,
        account: Account,
    ) -> None:
        store = self.service.store
        keep_descriptions = self.service.settings.keep_descriptions
        if cursor is None:
            await self._run(store.calendars.begin_full_listing, calendar.id)
        pages: Iterator[ChangePage] = await self._run(provider.fetch_changes, calendar.info(), cursor, self.window())
        count = 0
        upcoming = self._next_page(pages)
        try:
            while (page := await upcoming) is not None:
                # The next page downloads (and the server prepares it) while this one is stored.
                upcoming = self._next_page(pages)
                changes = await self._run(
                    lambda p=page: store.events.apply_page(calendar.id, p, keep_descriptions=keep_descriptions)
                )
                added, updated, removed = changes.counts
                await self._run(
                    lambda: store.sync_runs.add_counts(
                        run_id, added=added, updated=updated, removed=removed, skipped=page.skipped
                    )
                )
                result.added += added
                result.updated += updated
                result.removed += removed
                result.skipped += page.skipped
                result.changes.extend(changes)
                count += 1
                self.service.bus.publish(SyncProgress(account.id, calendar.name, count, result.added + result.updated))
        finally:
            await self._settle(upcoming)

    def _next_page(self, pages: Iterator[ChangePage]) -> asyncio.Future[ChangePage | None]:
        return asyncio.get_running_loop().run_in_executor(self._executor, next, pages, None)

    @staticmethod
    async def _settle(upcoming: asyncio.Future[ChangePage | None]) -> None:
        """After a failed page, let a download still in flight end before the provider is closed;
        its own outcome no longer matters (the pass failed already)."""
        if not upcoming.done():
            await asyncio.wait([upcoming])
        if not upcoming.cancelled():
            upcoming.exception()  # retrieved, so asyncio does not report it as lost

    # --- timers ------------------------------------------------------------------------------

    def start(self, *, sync_now: bool) -> None:
        """Start polling on the running loop; with ``sync_now`` every account syncs at once."""
        if self._scheduler is None:
            if sync_now:
                self._next_due.clear()
                self._wake.set()
            self._scheduler = asyncio.get_running_loop().create_task(self._schedule_loop(sync_now))

    def sync_now(self, account_id: int | None = None) -> None:
        """Ask for an immediate pass (all accounts, or one), even while paused or backing off."""
        now = self._now()
        for aid in [account_id] if account_id is not None else list(self._next_due) or [-1]:
            self._next_due[aid] = now
        self._manual = True
        self._wake.set()

    def pause(self, paused: bool = True) -> None:
        self.paused = paused
        self._wake.set()

    async def _schedule_loop(self, sync_now: bool) -> None:
        self._manual = sync_now
        while True:
            accounts = await self._run(self.service.list_accounts)
            now = self._now()
            due: list[int] = []
            for account in accounts:
                if account.id not in self._next_due:
                    first = now if self._manual or sync_now else now + timedelta(
                        seconds=jittered_interval(account.poll_interval_s, self._rng)
                    )
                    self._next_due[account.id] = first
                if self._next_due[account.id] <= now and account.id not in self.running:
                    blocked = account.status is AccountStatus.NEEDS_REAUTH or not account.auto_sync
                    if (not self.paused and not blocked) or self._manual:
                        due.append(account.id)
            self._manual = False
            sync_now = False
            for account_id in due:
                account = next(a for a in accounts if a.id == account_id)
                self._next_due[account_id] = now + timedelta(seconds=jittered_interval(account.poll_interval_s, self._rng))
                asyncio.get_running_loop().create_task(self._timed_pass(account_id))
            upcoming = [t for aid, t in self._next_due.items() if aid in {a.id for a in accounts}]
            timeout = max(1.0, min(((t - now).total_seconds() for t in upcoming), default=60.0))
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=min(timeout, 60.0))
            except TimeoutError:
                pass

    async def _timed_pass(self, account_id: int) -> None:
        try:
            result = await self.sync_account(account_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduled sync of account %d failed", account_id)
            return
        failure = self._failures.get(account_id)
        if not result.ok and failure and failure.retry_at:
            self._next_due[account_id] = failure.retry_at

    async def stop(self) -> None:
        self._cancel.set()
        if self._scheduler is not None:
            self._scheduler.cancel()
            try:
                await self._scheduler
            except asyncio.CancelledError:
                pass
            self._scheduler = None
        self._executor.shutdown(wait=False, cancel_futures=True)
