"""An in-memory calendar provider driven through the real sync controller (UI tests and the bench)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

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
from calendar_desktop.providers.errors import AuthenticationError
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import AccountSecrets


@dataclass
class FakeServer:
    """Calendars by remote id, each a dict of events; ``page_size`` events per page."""

    calendars: dict[str, CalendarInfo] = field(default_factory=dict)
    events: dict[str, dict[str, Event]] = field(default_factory=dict)
    page_size: int = 200
    password: str = "secret"
    gate: threading.Event | None = None
    """When set, every page waits for it (tests hold a sync open)."""

    def add_calendar(self, info: CalendarInfo, events: list[Event] = ()) -> None:  # type: ignore[assignment]
        self.calendars[info.remote_id] = info
        self.events.setdefault(info.remote_id, {}).update({e.resource_id: e for e in events})


class FakeProvider:
    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def list_calendars(self) -> list[CalendarInfo]:
        return list(self.server.calendars.values())

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        events = list(self.server.events.get(calendar.remote_id, {}).values())
        chunks = [events[i : i + self.server.page_size] for i in range(0, len(events), self.server.page_size)] or [[]]
        for n, chunk in enumerate(chunks):
            if self.server.gate is not None:
                self.server.gate.wait(30)
            last = n == len(chunks) - 1
            yield ChangePage(
                items=tuple(RemoteItem(e.resource_id, "e1", (e,)) for e in chunk),
                full=True,
                last=last,
                cursor="tok" if last else None,
            )

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        raise NotImplementedError

    def update_event(self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
        raise NotImplementedError

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class FakeFactory:
    kind = ProviderKind.CALDAV

    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def open(self, account: Account, secrets: AccountSecrets) -> FakeProvider:
        if secrets.get("password") != self.server.password:
            raise AuthenticationError("The server refused the password. Reconnect the account.")
        return FakeProvider(self.server)

    def disconnect(self, account: Account, secrets: AccountSecrets) -> None:
        pass

    def discard_sign_in(self, account: Account, secrets: AccountSecrets) -> None:
        pass


def fake_registry(server: FakeServer, context: ProviderContext) -> ProviderRegistry:
    return ProviderRegistry(context, overrides={ProviderKind.CALDAV: lambda _ctx: FakeFactory(server)})


def new_account(name: str = "Work", password: str = "secret") -> NewAccount:
    return NewAccount(
        ProviderKind.CALDAV, name, "me@example.com", {"password": password}, server_url="https://dav.example.com/"
    )
