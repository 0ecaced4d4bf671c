"""Calendar peers for two-way tests: each connects an account through the real provider and lets a
test read and edit the server side directly. One interface, so every scenario runs on each."""

from __future__ import annotations

import threading

import icalendar
import pytest
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator
from tests.emulators.google.state import EventQuery
from tests.emulators.microsoft import MicrosoftEmulator, render_id
from tests.support.keyrings import MemoryKeyring


@dataclass(frozen=True)
class ServerEvent:
    id: str
    title: str
    start: datetime
    end: datetime


class Peer(Protocol):
    name: str

    def open_service(self, paths) -> AppService: ...  # type: ignore[no-untyped-def]
    def new_account(self, service: AppService) -> NewAccount: ...
    def events(self) -> list[ServerEvent]: ...
    def edit(self, event_id: str, *, title: str | None = None, start: datetime | None = None, end: datetime | None = None) -> None: ...
    def delete(self, event_id: str) -> None: ...
    def lose_next_create_response(self) -> None: ...
    def write_requests(self) -> int: ...


def _service(paths, factories) -> AppService:  # type: ignore[no-untyped-def]
    registry = ProviderRegistry(ProviderContext(paths.data_dir, {}), overrides=factories)
    return AppService.open(paths, secrets=SecretStore(MemoryKeyring()), providers=registry)


class GooglePeer:
    name = "google"

    def __init__(self, emulator: GoogleEmulator) -> None:
        self.emulator = emulator
        self.calendar = emulator.state.email

    def open_service(self, paths) -> AppService:  # type: ignore[no-untyped-def]
        from calendar_desktop.providers.google import GoogleProviderFactory
        from calendar_desktop.providers.retry import RetryPolicy

        fast = RetryPolicy(attempts=3, base_delay=0.01, max_delay=1.0)
        return _service(paths, {ProviderKind.GOOGLE: lambda _c: GoogleProviderFactory(retry_policy=fast, timeout_s=10)})

    def new_account(self, service: AppService) -> NewAccount:
        from calendar_desktop.providers.google import GoogleEndpoints
        from calendar_desktop.providers.google.scopes import AccessMode

        e = self.emulator
        endpoints = GoogleEndpoints(e.auth_uri, e.token_uri, e.revoke_uri, e.api_root)
        mode = AccessMode.TWO_WAY
        return NewAccount(
            ProviderKind.GOOGLE, e.state.email, e.state.email,
            {"refresh_token": e.grant_offline_access(mode.scopes), "client_id": e.client_id, "client_secret": e.client_secret},
            options={"mode": mode.value, "scopes": " ".join(mode.scopes), **endpoints.to_options()},
        )  # fmt: skip

    def events(self) -> list[ServerEvent]:
        items = self.emulator.state.list_events(self.calendar, EventQuery(single_events=True))
        return [
            ServerEvent(i["id"], i.get("summary", ""), datetime.fromisoformat(i["start"]["dateTime"]).astimezone(UTC),
                        datetime.fromisoformat(i["end"]["dateTime"]).astimezone(UTC))
            for i in items if i.get("status") != "cancelled"
        ]  # fmt: skip

    def edit(self, event_id: str, *, title=None, start=None, end=None) -> None:  # type: ignore[no-untyped-def]
        patch: dict = {}
        if title is not None:
            patch["summary"] = title
        if start is not None and end is not None:
            patch["start"] = {"dateTime": start.isoformat()}
            patch["end"] = {"dateTime": end.isoformat()}
        self.emulator.state.patch_event(self.calendar, event_id, patch, None)

    def delete(self, event_id: str) -> None:
        self.emulator.state.delete_event(self.calendar, event_id, None)

    def lose_next_create_response(self) -> None:
        # httplib2 retries a dropped connection once by itself: drop twice (the first after processing).
        self.emulator.drop(count=1, path="/events", method="POST", after_processing=True)
        self.emulator.drop(count=1, path="/events", method="POST", after_processing=True)

    def write_requests(self) -> int:
        return sum(1 for r in self.emulator.requests if "/events" in r.path and r.method in ("POST", "PATCH", "PUT", "DELETE"))


class MicrosoftPeer:
    name = "microsoft"

    def __init__(self, emulator: MicrosoftEmulator, data_dir: Path) -> None:
        self.emulator = emulator
        self.calendar = emulator.mailbox.default_calendar_id
        self._data_dir = data_dir

    def _config(self):  # type: ignore[no-untyped-def]
        from calendar_desktop.providers.microsoft.config import MicrosoftConfig

        return MicrosoftConfig(client_id=self.emulator.client_id, authority=self.emulator.authority(), graph_root=self.emulator.base_url)

    def open_service(self, paths) -> AppService:  # type: ignore[no-untyped-def]
        from calendar_desktop.providers.microsoft import MicrosoftProviderFactory
        from calendar_desktop.providers.retry import RetryPolicy

        fast = RetryPolicy(attempts=3, base_delay=0.01, max_delay=1.0)
        return _service(paths, {ProviderKind.MICROSOFT: lambda c: MicrosoftProviderFactory(c.data_dir, self._config(), retry_policy=fast)})

    def new_account(self, service: AppService) -> NewAccount:
        from calendar_desktop.providers.microsoft import MicrosoftProviderFactory

        factory = MicrosoftProviderFactory(service.paths.data_dir, self._config())

        def open_browser(url: str) -> bool:
            threading.Thread(target=fake_browser.browse, args=(url,), daemon=True).start()
            return True

        return factory.sign_in(timeout=30, open_browser=open_browser).run()

    def events(self) -> list[ServerEvent]:
        return [
            ServerEvent(render_id(e.core, True), e.subject, *e.instants())
            for e in self.emulator.mailbox.in_calendar(self.calendar) if not e.is_cancelled
        ]  # fmt: skip

    def _core(self, event_id: str) -> str:
        from tests.emulators.microsoft import core_of

        core = core_of(event_id)
        assert core is not None
        return core

    def edit(self, event_id: str, *, title=None, start=None, end=None) -> None:  # type: ignore[no-untyped-def]
        changes: dict = {}
        if title is not None:
            changes["subject"] = title
        if start is not None and end is not None:
            changes.update(start=start.astimezone(UTC).replace(tzinfo=None), end=end.astimezone(UTC).replace(tzinfo=None), tz="UTC")
        self.emulator.mailbox.update_event(render_id(self._core(event_id), True), **changes)

    def delete(self, event_id: str) -> None:
        self.emulator.mailbox.delete_event(render_id(self._core(event_id), True))

    def lose_next_create_response(self) -> None:
        self.emulator.drop(path="/events$", method="POST", after=True)

    def write_requests(self) -> int:
        return sum(1 for r in self.emulator.requests if "/events" in r.path and r.method in ("POST", "PATCH", "DELETE"))


class RadicalePeer:
    """A calendar on a real Radicale reached through a fault proxy (which counts the writes); the
    test edits the server as another client would, over plain HTTP."""

    name = "radicale"

    def __init__(self, dav, proxy) -> None:  # type: ignore[no-untyped-def]
        self.dav = dav
        self.proxy = proxy
        dav.make_calendar("work", display_name="Work")

    def open_service(self, paths) -> AppService:  # type: ignore[no-untyped-def]
        return _service(paths, {})

    def new_account(self, service: AppService) -> NewAccount:
        from calendar_desktop.providers.caldav.connect import connect_caldav

        return connect_caldav(self.proxy.url, self.dav.username, self.dav.password)

    def _items(self) -> dict[str, icalendar.Event]:
        found = {}
        for href, text in self.dav.server_items("work").items():
            for component in icalendar.Calendar.from_ical(text).walk("VEVENT"):
                found[href.rstrip("/").rsplit("/", 1)[-1]] = component
        return found

    def events(self) -> list[ServerEvent]:
        return [
            ServerEvent(name, str(c.get("SUMMARY", "")), c.decoded("DTSTART").astimezone(UTC),
                        c.decoded("DTEND").astimezone(UTC))
            for name, c in self._items().items()
        ]  # fmt: skip

    def edit(self, event_id: str, *, title=None, start=None, end=None) -> None:  # type: ignore[no-untyped-def]
        calendar = icalendar.Calendar.from_ical(self.dav.get("work", event_id).text)
        for component in calendar.walk("VEVENT"):
            if title is not None:
                component["SUMMARY"] = icalendar.vText(title)
            if start is not None and end is not None:
                for name, value in (("DTSTART", start), ("DTEND", end)):
                    del component[name]
                    component.add(name, value.astimezone(UTC))
            component["SEQUENCE"] = int(component.get("SEQUENCE", 0)) + 1
        response = self.dav.http.put(self.dav.item_url("work", event_id), content=calendar.to_ical(),
                                     headers={"Content-Type": "text/calendar; charset=utf-8"})  # fmt: skip
        assert response.status_code in (201, 204), response.status_code

    def delete(self, event_id: str) -> None:
        self.dav.delete("work", event_id)

    def lose_next_create_response(self) -> None:
        from tests.servers.proxy import Fault

        self.proxy.fail(lambda r: r.method == "PUT", Fault(lose_answer=True))

    def write_requests(self) -> int:
        return sum(1 for request, _status in self.proxy.requests if request.method in ("PUT", "DELETE"))


@contextmanager
def peer_named(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Peer]:
    if name == "google":
        with GoogleEmulator() as emulator:
            yield GooglePeer(emulator)
    elif name == "microsoft":
        with MicrosoftEmulator() as emulator:
            yield MicrosoftPeer(emulator, tmp_path)
    else:
        from tests.servers.proxy import FaultProxy

        dav = request.getfixturevalue("radicale")
        proxy = FaultProxy(dav.url).start()
        try:
            yield RadicalePeer(dav, proxy)
        finally:
            proxy.stop()
