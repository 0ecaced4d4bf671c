"""Pulling one calendar: pages from the provider, each committed with its cursor in one transaction.

While a page is committed the provider already fetches the next one (both run in worker
threads), so the network, the parsing and the disk overlap. A page is committed only if the
calendar is still selected, checked inside the same transaction: deselecting a calendar while
its sync runs removes its events for good. The pass stops between pages when the controller
is stopped.

A full listing removes, at its end, every local event it did not list. One that lists nothing
at all while the calendar holds events in the window is taken for a glitch (servers do answer an
outage with an empty 200) and refused: removing would raise a cancellation prompt for every
interview linked to the calendar. The user empties a calendar on purpose by unticking it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Protocol

from calendar_desktop.core.bus import SyncProgress
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.messages import EMPTY_CALENDAR
from calendar_desktop.domain import Calendar, ChangePage, ChangeSet, SyncWindow
from calendar_desktop.providers.base import CalendarProvider
from calendar_desktop.providers.errors import PermanentError
from calendar_desktop.providers.retry import Cancelled
from calendar_desktop.store import EventQuery, NotFound

Runner = Callable[..., Awaitable[Any]]
EMPTY_LISTING_GUARD = 5
"""A full listing of nothing is refused when at least this many events are kept in the window."""


class CalendarDeselected(Exception):
    """The calendar was deselected (or removed) while its pages were coming in."""


class PassTotals(Protocol):
    added: int
    updated: int
    removed: int
    skipped: int
    changes: ChangeSet


class Tally:
    """What one calendar's pull changed: kept in its SyncRun, added to the pass totals, announced."""

    def __init__(self, service: AppService, account_id: int, calendar_name: str, run_id: int, totals: PassTotals) -> None:
        self.service = service
        self.account_id = account_id
        self.calendar_name = calendar_name
        self.run_id = run_id
        self.totals = totals
        self.pages = 0

    def record(self, changes: ChangeSet, skipped: int) -> None:
        """Inside the page's transaction."""
        added, updated, removed = changes.counts
        self.service.store.sync_runs.add_counts(self.run_id, added=added, updated=updated, removed=removed, skipped=skipped)

    def committed(self, changes: ChangeSet, skipped: int) -> None:
        added, updated, removed = changes.counts
        totals = self.totals
        totals.added += added
        totals.updated += updated
        totals.removed += removed
        totals.skipped += skipped
        totals.changes.extend(changes)
        self.pages += 1
        self.service.bus.publish(SyncProgress(self.account_id, self.calendar_name, self.pages, totals.added + totals.updated))


async def pull_calendar(
    run: Runner,
    service: AppService,
    provider: CalendarProvider,
    calendar: Calendar,
    cursor: str | None,
    window: SyncWindow,
    tally: Tally,
    cancel: threading.Event,
) -> None:
    """Fetch and commit the calendar's changes since ``cursor`` (a full listing when None)."""
    store = service.store
    keep_descriptions = service.settings.keep_descriptions
    if cursor is None:
        await run(store.calendars.begin_full_listing, calendar.id)
    pages: Iterator[ChangePage] = iter(await run(provider.fetch_changes, calendar.info(), cursor, window))

    def commit(page: ChangePage) -> None:
        with store.atomic():
            try:
                selected = store.calendars.get(calendar.id).selected
            except NotFound:
                selected = False
            if not selected:
                raise CalendarDeselected()
            changes = store.events.apply_page(calendar.id, page, keep_descriptions=keep_descriptions)
            tally.record(changes, page.skipped)
        tally.committed(changes, page.skipped)

    def check_not_emptied() -> None:
        kept = store.events.count(EventQuery(start=window.start, end=window.end, calendar_ids=(calendar.id,)))
        if kept >= EMPTY_LISTING_GUARD:
            raise PermanentError(EMPTY_CALENDAR.format(kept=kept))

    listed = 0
    pending: asyncio.Future[ChangePage | None] | None = asyncio.ensure_future(run(next, pages, None))
    try:
        while pending is not None:
            page = await pending
            pending = None
            if page is None:
                break
            if cancel.is_set():
                raise Cancelled()
            listed += len(page.items) + page.skipped
            if page.full and page.last and listed == 0:
                await run(check_not_emptied)
            # Until the iterator ends, not just to a ``last`` page: a provider may follow one round
            # with another (Graph catches up at once after a round resumed from an earlier pass).
            pending = asyncio.ensure_future(run(next, pages, None))
            await run(commit, page)
    finally:
        if pending is not None:  # never leave the provider working behind our back
            await asyncio.gather(pending, return_exceptions=True)
        close = getattr(pages, "close", None)
        if close is not None:
            await run(close)
