"""An in-memory calendar server behind the real provider contract, for fast model-based tests of
the sync engine and two-way sync. It behaves like the servers the real providers talk to: etags
that change on every write, conditional writes (412), idempotent creates keyed by our marker,
sync cursors that list what changed since, and fault injection (a lost response after the server
applied a write, a transient failure before it)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from calendar_desktop.domain import (
    Account,
    CalendarInfo,
    ChangePage,
    Event,
    EventDraft,
    ProviderKind,
    RemoteItem,
    SyncWindow,
    WriteResult,
)
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import CursorExpired, TransientError, WriteConflict
from calendar_desktop.providers.registry import ProviderContext
from calendar_desktop.secrets import AccountSecrets


@dataclass
class StoredRemote:
    event: Event
    etag: str
    version: int


@dataclass
class MemoryServer:
    calendars: dict[str, dict[str, StoredRemote]] = field(default_factory=lambda: {"work": {}})
    log: list[tuple[int, str, str]] = field(default_factory=list)
    """(version, calendar, resource id) of every change, deletions included."""
    fail_next_fetch: int = 0
    lose_next_write_response: bool = False
    writes: list[tuple[str, str]] = field(default_factory=list)
    _clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _bump(self, calendar: str, resource_id: str) -> int:
        version = next(self._clock)
        self.log.append((version, calendar, resource_id))
        return version

    def put(self, calendar: str, event: Event) -> StoredRemote:
        version = self._bump(calendar, event.resource_id)
        etag = f'"{version}"'
        stored = StoredRemote(
            dataclasses.replace(event, etag=etag, updated=datetime.now(UTC).replace(microsecond=0)), etag, version
        )
        self.calendars[calendar][event.resource_id] = stored
        return stored

    def delete(self, calendar: str, resource_id: str) -> None:
        self.calendars[calendar].pop(resource_id)
        self._bump(calendar, resource_id)

    def edit(self, calendar: str, resource_id: str, **changes: object) -> StoredRemote:
        return self.put(calendar, dataclasses.replace(self.calendars[calendar][resource_id].event, **changes))

    def events(self, calendar: str = "work") -> list[Event]:
        return [s.event for s in self.calendars[calendar].values()]


def event_from_draft(draft: EventDraft, resource_id: str) -> Event:
    return Event(
        remote_id=resource_id,
        resource_id=resource_id,
        uid=draft.uid or resource_id,
        title=draft.title,
        start=draft.start,
        end=draft.end,
        all_day=draft.all_day,
        timezone=draft.timezone,
        description=draft.description,
        location=draft.location,
        meeting_link=draft.meeting_link,
        attendees=draft.attendees,
        marker=draft.marker,
    )


class MemoryProvider:
    def __init__(self, server: MemoryServer) -> None:
        self.server = server

    def list_calendars(self) -> list[CalendarInfo]:
        return [CalendarInfo(name, name.title()) for name in self.server.calendars]

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        if self.server.fail_next_fetch:
            self.server.fail_next_fetch -= 1
            raise TransientError("memory server unavailable", retry_after=1)
        items = self.server.calendars[calendar.remote_id]
        head = str(self.server.log[-1][0] if self.server.log else 0)
        if cursor is None:
            listing = [RemoteItem(rid, s.etag, (s.event,)) for rid, s in items.items()]
            yield ChangePage(items=tuple(listing), full=True, last=True, cursor=head)
            return
        if not cursor.isdigit():
            raise CursorExpired("unknown cursor")
        since = int(cursor)
        touched = dict.fromkeys(rid for v, cal, rid in self.server.log if v > since and cal == calendar.remote_id)
        changed = tuple(RemoteItem(rid, items[rid].etag, (items[rid].event,)) for rid in touched if rid in items)
        removed = tuple(rid for rid in touched if rid not in items)
        yield ChangePage(items=changed, removed=removed, cursor=head)

    def _answer(self, result: WriteResult) -> WriteResult:
        if self.server.lose_next_write_response:
            self.server.lose_next_write_response = False
            raise TransientError("connection reset after the request was sent")
        return result

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        assert draft.marker
        resource_id = f"{draft.marker}.ics"
        items = self.server.calendars[calendar.remote_id]
        if resource_id in items:  # a retried create: answer with what exists, create nothing
            existing = items[resource_id]
            return WriteResult(resource_id, existing.etag, existing.event)
        stored = self.server.put(calendar.remote_id, event_from_draft(draft, resource_id))
        self.server.writes.append(("create", resource_id))
        return self._answer(WriteResult(resource_id, stored.etag, stored.event))

    def update_event(self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
        items = self.server.calendars[calendar.remote_id]
        if resource_id not in items or (etag is not None and items[resource_id].etag != etag):
            raise WriteConflict("412 Precondition Failed")
        stored = self.server.put(calendar.remote_id, event_from_draft(draft, resource_id))
        self.server.writes.append(("update", resource_id))
        return self._answer(WriteResult(resource_id, stored.etag, stored.event))

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        items = self.server.calendars[calendar.remote_id]
        if resource_id not in items:
            return
        if etag is not None and items[resource_id].etag != etag:
            raise WriteConflict("412 Precondition Failed")
        self.server.delete(calendar.remote_id, resource_id)
        self.server.writes.append(("delete", resource_id))

    def close(self) -> None:
        pass


class MemoryFactory:
    kind = ProviderKind.CALDAV

    def __init__(self, server: MemoryServer) -> None:
        self.server = server

    def open(self, account: Account, secrets: AccountSecrets) -> MemoryProvider:
        return MemoryProvider(self.server)

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        pass

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        pass


def memory_overrides(server: MemoryServer) -> dict[ProviderKind, object]:
    return {ProviderKind.CALDAV: lambda _context: MemoryFactory(server)}


def memory_account() -> NewAccount:
    return NewAccount(ProviderKind.CALDAV, "Memory", "me@example.com", {"password": "memory-password"})


__all__ = ["MemoryServer", "MemoryProvider", "MemoryFactory", "memory_overrides", "memory_account", "ProviderContext"]
