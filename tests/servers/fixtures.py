"""pytest fixtures with real CalDAV servers on 127.0.0.1. Import the ones a test needs into its
conftest or module, e.g. ``from tests.servers.fixtures import radicale, radicale_server``.

- ``radicale_server`` / ``xandikos_server`` (session): the server processes (random ports,
  throwaway storage under pytest's temp folder), stopped when the session ends.
- ``radicale`` / ``xandikos`` (function): a ``DavAccount`` (``tests/servers/dav.py``) with an
  empty principal of its own: a new Radicale user, or Xandikos' only principal emptied.
- ``dav`` (function): parametrised over both; ``proxy``: a ``FaultProxy`` in front of it.
- ``big_calendar`` (function): ``dav``'s account with calendar ``big`` (display name "Big
  calendar") holding ``BIG_COUNT`` sample events, cloned from a template made once per session
  (seeding and indexing 2,000 items takes a while on both servers). Returns ``(name, events)``.
  ``radicale_big_calendar``: the same on ``radicale`` only.

``connect_account(service, dav)`` connects an ``AppService`` to a ``DavAccount`` the way the
app does (``connect_caldav``) and returns the stored ``Account``.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import Account
from calendar_desktop.providers.caldav.connect import connect_caldav
from tests.servers.calendars import SampleEvent, sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.processes import Radicale, ServerProcess, Xandikos
from tests.servers.proxy import FaultProxy

__all__ = [
    "BIG_COUNT",
    "_radicale_template",
    "_xandikos_template",
    "big_calendar",
    "connect_account",
    "dav",
    "proxy",
    "radicale",
    "radicale_big_calendar",
    "radicale_server",
    "xandikos",
    "xandikos_server",
]

BIG_COUNT = 2000
BIG_SEED = 7


def anchor_day() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True, slots=True)
class Template:
    folder: Path
    events: tuple[SampleEvent, ...]


def _running(server: ServerProcess) -> Iterator[ServerProcess]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    yield from _running(Radicale(tmp_path_factory.mktemp("radicale")))  # type: ignore[misc]


@pytest.fixture(scope="session")
def xandikos_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Xandikos]:
    yield from _running(Xandikos(tmp_path_factory.mktemp("xandikos")))  # type: ignore[misc]


@pytest.fixture
def radicale(radicale_server: Radicale) -> Iterator[DavAccount]:
    radicale_server.start()  # a test may have stopped it
    account = DavAccount(radicale_server, radicale_server.new_login())
    try:
        yield account
    finally:
        account.close()


@pytest.fixture
def xandikos(xandikos_server: Xandikos) -> Iterator[DavAccount]:
    xandikos_server.start()
    account = DavAccount(xandikos_server, xandikos_server.reset())
    try:
        yield account
    finally:
        account.close()


@pytest.fixture(params=["radicale", "xandikos"])
def dav(request: pytest.FixtureRequest) -> DavAccount:
    return request.getfixturevalue(request.param)


@pytest.fixture
def proxy(dav: DavAccount) -> Iterator[FaultProxy]:
    """A ``FaultProxy`` in front of ``dav``'s server."""
    running = FaultProxy(dav.url).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def _radicale_template(radicale_server: Radicale) -> Template:
    events = sample_calendar(BIG_COUNT, seed=BIG_SEED, anchor=anchor_day())
    account = DavAccount(radicale_server, radicale_server.new_login())
    try:
        account.make_calendar("big", display_name="Big calendar")
        account.seed("big", events)
        account.warm("big")  # Radicale builds its caches now, once, and the clones share them
        return Template(account.folder("big"), events)
    finally:
        account.close()


@pytest.fixture(scope="session")
def _xandikos_template(xandikos_server: Xandikos, tmp_path_factory: pytest.TempPathFactory) -> Template:
    events = sample_calendar(BIG_COUNT, seed=BIG_SEED, anchor=anchor_day())
    account = DavAccount(xandikos_server, xandikos_server.reset())
    name = f"template-{uuid.uuid4().hex[:8]}"
    try:
        account.make_calendar(name, display_name="Big calendar")
        account.seed(name, events)
        stash = tmp_path_factory.mktemp("xandikos-template") / "big"
        shutil.move(account.folder(name), stash)  # out of the principal's sight
        return Template(stash, events)
    finally:
        account.close()


@pytest.fixture
def big_calendar(dav: DavAccount, request: pytest.FixtureRequest) -> tuple[str, tuple[SampleEvent, ...]]:
    template: Template = request.getfixturevalue(f"_{dav.kind}_template")
    dav.clone_calendar(template.folder, "big")
    return "big", template.events


@pytest.fixture
def radicale_big_calendar(radicale: DavAccount, _radicale_template: Template) -> tuple[str, tuple[SampleEvent, ...]]:
    """Like ``big_calendar``, on Radicale only."""
    radicale.clone_calendar(_radicale_template.folder, "big")
    return "big", _radicale_template.events


def connect_account(service: AppService, dav: DavAccount, *, name: str | None = None) -> Account:
    return service.add_account(connect_caldav(dav.url, dav.username, dav.password, name=name))
