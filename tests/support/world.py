"""A profile connected to an in-memory calendar server (two-way sync and tracking scenarios)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import AccountSyncResult
from calendar_desktop.core.wiring import build_controller
from calendar_desktop.domain import Account, Calendar
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from tests.support.keyrings import MemoryKeyring
from tests.support.memory_provider import MemoryServer, memory_account, memory_overrides

SOON = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)


@dataclass
class World:
    service: AppService
    server: MemoryServer
    account: Account
    calendar: Calendar

    def sync(self) -> AccountSyncResult:
        async def run() -> AccountSyncResult:
            controller = build_controller(self.service)
            try:
                return await controller.sync_account(self.account.id)
            finally:
                await controller.stop()

        return asyncio.run(run())

    def application(self, company: str = "Acme") -> int:
        return self.service.add_application(company, "Backend Engineer").id


@pytest.fixture
def world(paths: AppPaths) -> Iterator[World]:
    server = MemoryServer()
    registry = ProviderRegistry(ProviderContext(paths.data_dir, {}), overrides=memory_overrides(server))  # type: ignore[arg-type]
    service = AppService.open(paths, secrets=SecretStore(MemoryKeyring()), providers=registry)
    account = service.add_account(memory_account())
    w = World(service, server, account, None)  # type: ignore[arg-type]
    assert w.sync().ok
    (w.calendar,) = service.list_calendars()
    service.set_write_target(w.calendar.id)
    yield w
    service.close()
