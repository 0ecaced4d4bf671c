"""Fixtures of the fault matrix: a running peer, a profile whose provider talks to it, and passes
run by the real ``SyncController`` (wired as the app wires it, with its own backoff policy)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.backoff import BackoffPolicy
from calendar_desktop.core.sync.controller import AccountSyncResult, SyncController
from calendar_desktop.core.wiring import build_tracker, build_two_way
from calendar_desktop.domain import EventStatus
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.caldav import sync as caldav_sync
from calendar_desktop.providers.google import provider as google_provider
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from tests.faults.peers import GooglePeer, MicrosoftPeer, Peer, RadicalePeer, Tuning
from tests.servers.fixtures import radicale_server  # noqa: F401 - the real server the CalDAV peer runs
from tests.support.keyrings import MemoryKeyring

TUNING = Tuning()

PEERS: dict[str, Callable[[pytest.FixtureRequest], Peer]] = {
    "google": lambda request: GooglePeer(),
    "microsoft": lambda request: MicrosoftPeer(request.getfixturevalue("paths").data_dir),
    "radicale": lambda request: RadicalePeer(request.getfixturevalue("radicale_server")),
}
"""Every server the matrix runs against, made from the test's fixtures. Another server joins by adding one entry."""

PEER_FAULTS: dict[str, frozenset[str]] = {
    "google": GooglePeer.faults,
    "microsoft": MicrosoftPeer.faults,
    "radicale": RadicalePeer.faults,
}


def peer_fault_pairs(faults: tuple[str, ...]) -> list[pytest.param]:
    """(peer, fault) for every peer that can produce the fault, with readable ids."""
    return [
        pytest.param(name, fault, id=f"{name}-{fault}")
        for name in PEERS
        for fault in faults
        if fault in PEER_FAULTS[name]
    ]


@pytest.fixture
def peer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Peer]:
    name = request.param
    # Small pages, so a few hundred events make a listing of several pages.
    monkeypatch.setattr(google_provider, "PAGE_SIZE", TUNING.page_size)
    monkeypatch.setattr(caldav_sync, "PAGE_SIZE", TUNING.page_size)
    server = PEERS[name](request)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def open_app(paths: AppPaths, peer: Peer, tuning: Tuning = TUNING) -> AppService:
    """The app's facade over ``paths``, its provider for ``peer`` configured with ``tuning``."""
    registry = ProviderRegistry(
        ProviderContext(paths.data_dir, {}), overrides={peer.kind: lambda context: peer.factory(tuning)}
    )
    return AppService.open(paths, secrets=SecretStore(MemoryKeyring()), providers=registry)


@pytest.fixture
def app(paths: AppPaths, peer: Peer) -> Iterator[AppService]:
    service = open_app(paths, peer)
    yield service
    service.close()


def controller(service: AppService, backoff: BackoffPolicy = BackoffPolicy()) -> SyncController:
    """The app's controller (tracker and two-way sync wired in), with the given backoff policy."""
    tracker = build_tracker(service)
    return SyncController(service, listeners=[tracker], hooks=[build_two_way(service, tracker)], backoff=backoff)


def sync_pass(service: AppService, account_id: int) -> AccountSyncResult:
    async def run() -> AccountSyncResult:
        sync = controller(service)
        try:
            return await sync.sync_account(account_id)
        finally:
            await sync.stop()

    return asyncio.run(run())


def mirror(service: AppService) -> dict[str, tuple[str, datetime]]:
    """The store's events as remote id -> (title, start); fails on a duplicate or a leftover tombstone."""
    stored = service.list_events()
    events = {s.event.remote_id: (s.event.title, s.event.start.astimezone(UTC)) for s in stored}
    assert len(events) == len(stored), "an event is stored twice"
    assert all(s.event.status is not EventStatus.CANCELLED for s in stored), "a deleted event is still stored"
    return events
