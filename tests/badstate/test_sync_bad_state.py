"""A sync that runs into a damaged database reports the damage and the way out, as the account's
message, instead of "failed unexpectedly"."""

from __future__ import annotations

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import AccountStatus
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from tests.badstate.conftest import damage
from tests.faults.conftest import sync_pass
from tests.support.events import make_event
from tests.support.keyrings import MemoryKeyring
from tests.support.memory_provider import MemoryServer, memory_account, memory_overrides


def open_service(paths: AppPaths, server: MemoryServer, keyring: MemoryKeyring) -> AppService:
    registry = ProviderRegistry(ProviderContext(paths.data_dir, {}), overrides=memory_overrides(server))  # type: ignore[arg-type]
    return AppService.open(paths, secrets=SecretStore(keyring), providers=registry)


def test_a_sync_into_a_damaged_events_table_says_so(paths: AppPaths) -> None:
    server, keyring = MemoryServer(), MemoryKeyring()
    service = open_service(paths, server, keyring)
    account = service.add_account(memory_account())
    server.put("work", make_event(1))
    assert sync_pass(service, account.id).ok
    service.close()
    damage(paths.database, "event")

    service = open_service(paths, server, keyring)
    try:
        server.put("work", make_event(2))
        result = sync_pass(service, account.id)
        stored = service.store.accounts.get(account.id)
    finally:
        service.close()

    assert not result.ok and stored.status is AccountStatus.ERROR
    assert "is damaged" in (result.message or "") and "Move the file away" in (result.message or "")
    assert stored.last_error == result.message
