"""The servers the fault matrix runs against, behind one small interface.

A ``Peer`` wraps one server (an emulator or a real CalDAV server) with what the matrix needs:
start and stop it (a stopped server refuses connections), connect an account to it through the
app, seed and change its data, inject a named fault, count the requests that list events, and
say which events a correct mirror must hold. Adding a server to the matrix means writing one
more ``Peer`` and listing it in ``conftest.PEERS``; the tests themselves do not change.

Fault names (``FAULTS``) are shared by all peers; a peer lists the ones it can produce in
``faults``. Persistent faults stay until ``clear_faults()``; ``*_once`` faults hit one request.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.base import NewAccount, ProviderFactory
from calendar_desktop.providers.caldav.connect import PASSWORD, connect_caldav
from calendar_desktop.providers.caldav.factory import CalDAVFactory
from calendar_desktop.providers.google import GoogleEndpoints, GoogleProviderFactory
from calendar_desktop.providers.google.scopes import AccessMode
from calendar_desktop.providers.microsoft import MicrosoftConfig, MicrosoftProviderFactory
from calendar_desktop.providers.retry import RetryPolicy
from tests.emulators.fake_browser import ThreadedBrowser
from tests.emulators.google import GoogleEmulator, timed
from tests.emulators.google.state import EventQuery
from tests.emulators.microsoft import MicrosoftEmulator, render_id
from tests.servers.calendars import SampleEvent, vevent, wrap
from tests.servers.dav import DavAccount
from tests.servers.processes import Radicale
from tests.servers.proxy import Fault, FaultProxy, Request

PERSISTENT = 1000
"""A fault count no pass uses up: the fault lasts until ``clear_faults()``."""
SLOW_S = 2.0
"""How long a slow server holds each request (longer than ``Tuning.timeout_s``)."""
LONG_RETRY_AFTER_S = 900.0
"""A ``Retry-After`` longer than the in-pass retry cap: the account is parked, not slept on."""

FAULTS = (
    "refused",  # the server is down: connections are refused
    "reset_mid_page",  # the connection breaks on the second page of a listing, every time
    "reset_once",  # ... once: retried within the pass
    "slow",  # every listing request takes longer than the client's timeout
    "truncated",  # the body stops halfway (full Content-Length announced)
    "http_500",
    "http_502",
    "http_503",
    "http_503_once",
    "http_429",  # throttled, no Retry-After
    "http_429_retry_after",  # throttled, Retry-After far beyond the in-pass retry cap
    "http_429_retry_after_once",  # throttled once, Retry-After: 1
    "quota_403_rate",  # Google: 403 rateLimitExceeded
    "quota_403_user_rate",  # Google: 403 userRateLimitExceeded
    "quota_403_daily",  # Google: 403 quotaExceeded
    "expired_cursor",  # the stored sync cursor is refused (410 / invalid token)
    "expired_cursor_sync_state",  # Graph: 410 syncStateNotFound
    "expired_cursor_resync",  # Graph: 400 resyncRequired
    "invalid_grant",  # the refresh token is revoked or expired
    "revoked_password",  # CalDAV: the (app-specific) password was revoked: 401
)
OAUTH_ONLY = frozenset({"quota_403_rate", "quota_403_user_rate", "quota_403_daily", "invalid_grant"})
PASSWORD_ONLY = frozenset({"revoked_password"})


@dataclass(frozen=True, slots=True)
class Tuning:
    """Client settings for fault tests: short timeouts and quick in-pass retries."""

    retry: RetryPolicy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=5.0)
    timeout_s: float = 0.75
    page_size: int = 50


class Peer(Protocol):
    name: str
    kind: ProviderKind
    faults: frozenset[str]

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def factory(self, tuning: Tuning) -> ProviderFactory:
        """The provider factory the app uses for this server, configured with ``tuning``."""
        ...

    def connect(self, service: AppService) -> Account:
        """An account connected to this server, stored by ``service`` as the app stores it."""
        ...

    def reconnect(self, service: AppService, account: Account) -> None:
        """What the user's "reconnect" does: fresh credentials for the same account."""
        ...

    def seed(self, count: int) -> None:
        """``count`` events in the synced calendar, inside the sync window."""
        ...

    def change_everything(self) -> None:
        """Edit every event, delete a few and add a few (an incremental listing of several pages)."""
        ...

    def inject(self, fault: str) -> None: ...

    def clear_faults(self) -> None:
        """Every fault removed and the server running."""
        ...

    def listing_statuses(self) -> list[int]:
        """The status of every request that listed events so far (0: dropped without an answer)."""
        ...

    def requests_per_attempt(self, fault: str) -> int:
        """Requests one client attempt makes under ``fault`` (a client library's own retry)."""
        ...

    def answered_before(self, fault: str) -> int:
        """Listing requests of a pass that succeed before a persistent ``fault`` starts."""
        ...

    def refused_credentials(self) -> int:
        """Requests so far in which the server refused the account's credential (a refresh token at
        the token endpoint, a password answered with 401)."""
        ...

    def server_events(self) -> dict[str, tuple[str, datetime]]:
        """What a correct mirror holds: remote id -> (title, start as an aware UTC instant)."""
        ...


def _soon(n: int) -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1, minutes=50 * n)


class _EmulatorPeer:
    """Start, stop and outage handling shared by the emulator peers."""

    emulator: GoogleEmulator | MicrosoftEmulator

    def __init__(self) -> None:
        self._added = 0
        self._down = False

    def start(self) -> None:
        self.emulator.start()

    def stop(self) -> None:
        self.emulator.stop()

    def _go_down(self) -> None:
        self.emulator.stop()
        self._down = True

    def clear_faults(self) -> None:
        self.emulator.clear_faults()
        if self._down:  # stopped for "refused": back at the same address
            self.emulator.start()
            self._down = False

    def answered_before(self, fault: str) -> int:
        return 1 if fault == "reset_mid_page" else 0  # the listing breaks on its second page


# ------------------------------------------------------------------ Google


class GooglePeer(_EmulatorPeer):
    name = "google"
    kind = ProviderKind.GOOGLE
    faults = frozenset(FAULTS) - {"expired_cursor_sync_state", "expired_cursor_resync"} - PASSWORD_ONLY
    _LISTING = "/events"

    def __init__(self) -> None:
        super().__init__()
        self.emulator = GoogleEmulator()

    @property
    def calendar_id(self) -> str:
        return self.emulator.state.email

    def factory(self, tuning: Tuning) -> ProviderFactory:
        return GoogleProviderFactory(retry_policy=tuning.retry, timeout_s=tuning.timeout_s)

    def _endpoints(self) -> GoogleEndpoints:
        e = self.emulator
        return GoogleEndpoints(e.auth_uri, e.token_uri, e.revoke_uri, e.api_root)

    def _grant(self) -> dict[str, str]:
        e = self.emulator
        token = e.grant_offline_access(AccessMode.TWO_WAY.scopes)
        return {"refresh_token": token, "client_id": e.client_id, "client_secret": e.client_secret}

    def connect(self, service: AppService) -> Account:
        mode = AccessMode.TWO_WAY
        options = {"mode": mode.value, "scopes": " ".join(mode.scopes), **self._endpoints().to_options()}
        return service.add_account(
            NewAccount(ProviderKind.GOOGLE, self.calendar_id, self.calendar_id, self._grant(), options=options)
        )

    def reconnect(self, service: AppService, account: Account) -> None:
        secrets = service.secrets.for_account(account.secret_key)
        secrets.clear()
        secrets.update(self._grant())

    def seed(self, count: int) -> None:
        self.emulator.state.add_events(
            self.calendar_id, (timed(_soon(i), 30, summary=f"Meeting {i}") for i in range(count))
        )

    def change_everything(self) -> None:
        state = self.emulator.state
        ids = list(self.server_events())
        for event_id in ids:
            state.patch_event(self.calendar_id, event_id, {"summary": f"Changed {event_id[:6]}"}, None)
        for event_id in ids[:5]:
            state.delete_event(self.calendar_id, event_id, None)
        self._added += 5
        state.add_events(self.calendar_id, (timed(_soon(1000 + self._added + i), 30, summary=f"New {i}") for i in range(5)))

    def inject(self, fault: str) -> None:
        e, path = self.emulator, self._LISTING
        match fault:
            case "refused":
                self._go_down()
            case "reset_mid_page":
                e.drop(count=PERSISTENT, path=path, skip=1)
            case "reset_once":  # httplib2 retries a dropped connection once by itself: drop twice
                e.drop(count=2, path=path, skip=1)
            case "slow":
                e.delay(SLOW_S, count=PERSISTENT, path=path)
            case "truncated":
                e.truncate(count=PERSISTENT, path=path)
            case "http_500" | "http_502" | "http_503":
                e.fail(int(fault[-3:]), "backendError", count=PERSISTENT, path=path)
            case "http_503_once":
                e.fail(503, "backendError", path=path)
            case "http_429":
                e.fail(429, "rateLimitExceeded", count=PERSISTENT, path=path)
            case "http_429_retry_after":
                e.fail(429, "rateLimitExceeded", count=PERSISTENT, path=path, retry_after=LONG_RETRY_AFTER_S)
            case "http_429_retry_after_once":
                e.fail(429, "rateLimitExceeded", path=path, retry_after=1)
            case "quota_403_rate":
                e.fail(403, "rateLimitExceeded", count=PERSISTENT, path=path)
            case "quota_403_user_rate":
                e.fail(403, "userRateLimitExceeded", count=PERSISTENT, path=path)
            case "quota_403_daily":
                e.fail(403, "quotaExceeded", count=PERSISTENT, path=path)
            case "expired_cursor":
                e.state.expire_sync_tokens()
            case "invalid_grant":
                e.oauth.revoke_all()
                e.oauth.expire_access_tokens()
            case _:
                raise ValueError(f"the Google emulator cannot produce {fault!r}")

    def listing_statuses(self) -> list[int]:
        return [r.status for r in self.emulator.requests_to(self._LISTING, "GET")]

    def requests_per_attempt(self, fault: str) -> int:
        return 2 if fault.startswith("reset") else 1  # httplib2 retries a dropped connection once

    def refused_credentials(self) -> int:
        return sum(1 for r in self.emulator.requests_to("/token", "POST") if r.status >= 400)

    def server_events(self) -> dict[str, tuple[str, datetime]]:
        items = self.emulator.state.list_events(self.calendar_id, EventQuery(single_events=True))
        return {
            item["id"]: (item["summary"], datetime.fromisoformat(item["start"]["dateTime"]).astimezone(UTC))
            for item in items
        }


# ------------------------------------------------------------------ Microsoft


class MicrosoftPeer(_EmulatorPeer):
    name = "microsoft"
    kind = ProviderKind.MICROSOFT
    faults = frozenset(FAULTS) - {"quota_403_rate", "quota_403_user_rate", "quota_403_daily"} - PASSWORD_ONLY
    _LISTING = "calendarView/delta"

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.emulator = MicrosoftEmulator()
        self._data_dir = data_dir
        self._browser = ThreadedBrowser()

    def stop(self) -> None:
        self._browser.join()
        super().stop()

    @property
    def calendar_id(self) -> str:
        return self.emulator.mailbox.default_calendar_id

    def _config(self, page_size: int = 50) -> MicrosoftConfig:
        e = self.emulator
        return MicrosoftConfig(client_id=e.client_id, authority=e.authority(), graph_root=e.base_url, page_size=page_size)

    def factory(self, tuning: Tuning) -> ProviderFactory:
        return MicrosoftProviderFactory(
            self._data_dir, self._config(tuning.page_size), retry_policy=tuning.retry, timeout_s=tuning.timeout_s
        )

    def _sign_in(self) -> NewAccount:
        factory = MicrosoftProviderFactory(self._data_dir, self._config())
        return factory.sign_in(timeout=30, open_browser=self._browser.open).run()

    def connect(self, service: AppService) -> Account:
        return service.add_account(self._sign_in())

    def reconnect(self, service: AppService, account: Account) -> None:
        new = self._sign_in()
        service.secrets.for_account(account.secret_key).update(new.secrets)
        service.store.accounts.update(account.id, options=new.options)

    def seed(self, count: int) -> None:
        self.emulator.mailbox.add_events(
            self.calendar_id,
            ({"subject": f"Meeting {i}", "start": _soon(i), "end": _soon(i) + timedelta(minutes=30)} for i in range(count)),
        )

    def change_everything(self) -> None:
        mailbox = self.emulator.mailbox
        ids = list(self.server_events())
        for event_id in ids:
            mailbox.update_event(event_id, subject=f"Changed {event_id[-6:]}")
        for event_id in ids[:5]:
            mailbox.delete_event(event_id)
        self._added += 5
        for i in range(5):
            start = _soon(1000 + self._added + i)
            mailbox.add_event(self.calendar_id, f"New {i}", start, start + timedelta(minutes=30))

    def inject(self, fault: str) -> None:
        e, path = self.emulator, self._LISTING
        match fault:
            case "refused":
                self._go_down()
            case "reset_mid_page":
                e.drop(path=path, times=PERSISTENT, skip=1)
            case "reset_once":
                e.drop(path=path, skip=1)
            case "slow":
                e.delay(SLOW_S, path=path, times=PERSISTENT)
            case "truncated":
                e.truncate(path=path, times=PERSISTENT)
            case "http_500" | "http_502" | "http_503":
                e.fail(int(fault[-3:]), path=path, times=PERSISTENT)
            case "http_503_once":
                e.fail(503, path=path)
            case "http_429":
                e.fail(429, path=path, times=PERSISTENT)
            case "http_429_retry_after":
                e.fail(429, path=path, times=PERSISTENT, retry_after=LONG_RETRY_AFTER_S)
            case "http_429_retry_after_once":
                e.fail(429, path=path, retry_after=1)
            case "expired_cursor":
                e.graph.fail_state_tokens("gone")
            case "expired_cursor_sync_state":
                e.graph.fail_state_tokens("syncStateNotFound")
            case "expired_cursor_resync":
                e.graph.fail_state_tokens("resyncRequired")
            case "invalid_grant":
                e.identity.revoke_refresh_tokens()
                e.identity.expire_access_tokens()
            case _:
                raise ValueError(f"the Microsoft emulator cannot produce {fault!r}")

    def listing_statuses(self) -> list[int]:
        return [r.status for r in self.emulator.requests if r.method == "GET" and self._LISTING in r.path]

    def requests_per_attempt(self, fault: str) -> int:
        return 1

    def refused_credentials(self) -> int:
        return sum(1 for r in self.emulator.requests if r.method == "POST" and r.path.endswith("/token") and r.status >= 400)

    def server_events(self) -> dict[str, tuple[str, datetime]]:
        mailbox = self.emulator.mailbox
        with mailbox.lock:
            return {
                render_id(e.core, True): (e.subject, e.instants()[0])
                for e in mailbox.in_calendar(self.calendar_id)
                if e.kind != "seriesMaster"
            }


# ------------------------------------------------------------------ Radicale (CalDAV)

Contents = tuple[tuple[str, str, datetime], ...]
"""A calendar's events as (file name, title, start), sorted by file name."""


class RadicalePeer:
    """A calendar on a real Radicale, reached through a ``FaultProxy`` that injects the faults.

    The listing is the sync-collection REPORT: Radicale sends every member's data inline, so a
    listing is one request (the provider cuts it into pages). The calendar is shaped by copying
    in the files of a template calendar holding the wanted events, with the item caches Radicale
    built for them: an admin's or another tool's edit, without the seconds Radicale spends parsing
    120 new items (per test, and long enough to outlast the short client timeout).
    """

    name = "radicale"
    kind = ProviderKind.CALDAV
    faults = frozenset(FAULTS) - {"expired_cursor_sync_state", "expired_cursor_resync"} - OAUTH_ONLY
    _CALENDAR = "work"

    def __init__(self, server: Radicale) -> None:
        self.server = server
        self._contents: Contents = ()
        self._added = 0

    def start(self) -> None:
        self.server.start()  # a test may have stopped the shared server
        self.dav = DavAccount(self.server, self.server.new_login())
        self.dav.make_calendar(self._CALENDAR, display_name="Work")
        self.proxy = FaultProxy(self.server.url).start()
        self._path = urlsplit(self.dav.calendar_url(self._CALENDAR)).path

    def stop(self) -> None:
        self.proxy.stop()
        self.dav.close()

    def factory(self, tuning: Tuning) -> ProviderFactory:
        return CalDAVFactory(retry=tuning.retry, timeout=tuning.timeout_s)

    def connect(self, service: AppService) -> Account:
        return service.add_account(connect_caldav(self.proxy.url, self.dav.username, self.dav.password))

    def reconnect(self, service: AppService, account: Account) -> None:
        service.secrets.for_account(account.secret_key).update({PASSWORD: self.dav.password})

    def seed(self, count: int) -> None:
        self._become(tuple((f"ev-{i:04d}.ics", f"Meeting {i}", _soon(i)) for i in range(count)))

    def change_everything(self) -> None:
        kept = self._contents[5:]
        new = tuple((f"new-{self._added + i:04d}.ics", f"New {i}", _soon(1000 + self._added + i)) for i in range(5))
        self._added += 5
        self._become(tuple((name, f"Changed {name}", start) for name, _title, start in kept) + new)

    def _become(self, contents: Contents) -> None:
        folder = self.dav.folder(self._CALENDAR)
        for name, *_ in set(self._contents) - set(contents):
            (folder / name).unlink(missing_ok=True)
        template = _warm_calendar(self.server, contents)
        # The sync history stays the calendar's own: only the items and their caches come over.
        shutil.copytree(template, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("history", "sync-token"))
        self._contents = contents
        self.dav.warm(self._CALENDAR)

    def _is_listing(self, request: Request) -> bool:
        return request.method == "REPORT" and urlsplit(request.path).path == self._path

    def inject(self, fault: str) -> None:
        listing, proxy = self._is_listing, self.proxy
        match fault:
            case "refused":
                proxy.stop()  # cleared by starting it again, at the same address
            case "reset_mid_page" | "reset_once":
                proxy.fail(listing, Fault(reset=True), times=PERSISTENT if fault == "reset_mid_page" else 1)
            case "slow":
                proxy.fail(listing, Fault(forward=True, delay=SLOW_S), times=PERSISTENT)
            case "truncated":
                proxy.fail(listing, Fault(truncate=True), times=PERSISTENT)
            case "http_500" | "http_502" | "http_503":
                proxy.fail(listing, Fault(int(fault[-3:]), body=b"Injected by the test"), times=PERSISTENT)
            case "http_503_once":
                proxy.fail(listing, Fault(503))
            case "http_429":
                proxy.fail(listing, Fault(429), times=PERSISTENT)
            case "http_429_retry_after":
                proxy.fail(listing, Fault(429, {"Retry-After": f"{LONG_RETRY_AFTER_S:.0f}"}), times=PERSISTENT)
            case "http_429_retry_after_once":
                proxy.fail(listing, Fault(429, {"Retry-After": "1"}))
            case "expired_cursor":  # Radicale forgets every sync token: it answers 403 valid-sync-token
                shutil.rmtree(self.dav.folder(self._CALENDAR) / ".Radicale.cache" / "sync-token")
            case "revoked_password":
                self.dav.close()
                self.dav = DavAccount(self.server, self.server.change_password(self.dav.login))
            case _:
                raise ValueError(f"the Radicale peer cannot produce {fault!r}")

    def clear_faults(self) -> None:
        self.proxy.rules.clear()
        self.proxy.start()  # back after "refused"; a no-op otherwise

    def listing_statuses(self) -> list[int]:
        return [status or 0 for request, status in self.proxy.requests if self._is_listing(request)]

    def requests_per_attempt(self, fault: str) -> int:
        return 1  # httpx does not retry by itself

    def answered_before(self, fault: str) -> int:
        return 0  # the listing is one request: a reset breaks its first page

    def refused_credentials(self) -> int:
        return sum(1 for _request, status in self.proxy.requests if status == 401)

    def server_events(self) -> dict[str, tuple[str, datetime]]:
        found = {}
        for path, text in self.dav.server_items(self._CALENDAR).items():
            fields = dict(line.split(":", 1) for line in text.splitlines() if line.startswith(("SUMMARY:", "DTSTART:")))
            found[path] = (fields["SUMMARY"], datetime.strptime(fields["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC))
        return found


@functools.cache
def _warm_calendar(server: Radicale, contents: Contents) -> Path:
    """The folder of a calendar holding ``contents`` whose caches Radicale has built (once per session)."""
    dav = DavAccount(server, server.new_login())
    try:
        dav.make_calendar("template", display_name="Work")
        dav.seed("template", (_ics_event(name, title, start) for name, title, start in contents))
        dav.warm("template")
        return dav.folder("template")
    finally:
        dav.close()


def _ics_event(name: str, title: str, start: datetime) -> SampleEvent:
    uid = f"{name}@fault-matrix.test"
    lines = (f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + timedelta(minutes=30):%Y%m%dT%H%M%SZ}", f"SUMMARY:{title}")
    return SampleEvent(uid, name, wrap(vevent(uid, *lines)))
