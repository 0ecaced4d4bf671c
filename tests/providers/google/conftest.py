"""Fixtures: a running Google emulator, an in-memory keyring, and providers connected to the emulator."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.google import (
    GoogleEndpoints,
    GoogleProvider,
    GoogleProviderFactory,
)
from calendar_desktop.providers.google.api import CalendarApi
from calendar_desktop.providers.google.credentials import build_credentials
from calendar_desktop.providers.google.scopes import AccessMode
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.secrets import AccountSecrets, SecretStore
from tests.emulators.google import GoogleEmulator
from tests.support.keyrings import MemoryKeyring

FAST_RETRIES = RetryPolicy(attempts=4, base_delay=0.01, max_delay=5.0)



class RecordingWait(threading.Event):
    """A cancel event whose ``wait`` returns at once and records how long it was asked to wait,
    so retry delays (and ``Retry-After``) are observed without sleeping."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        return self.is_set()


@pytest.fixture
def google() -> Iterator[GoogleEmulator]:
    emulator = GoogleEmulator()
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def endpoints(google: GoogleEmulator) -> GoogleEndpoints:
    return GoogleEndpoints(google.auth_uri, google.token_uri, google.revoke_uri, google.api_root)


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def secret_store(keyring_backend: MemoryKeyring) -> SecretStore:
    return SecretStore(backend=keyring_backend)


_account_ids = itertools.count(1)


@dataclass
class Connected:
    """An account stored as the app would store it after sign-in, and its open provider."""

    account: Account
    secrets: AccountSecrets
    provider: GoogleProvider
    refresh_token: str


def store_account(
    google: GoogleEmulator, endpoints: GoogleEndpoints, store: SecretStore, mode: AccessMode = AccessMode.TWO_WAY
) -> tuple[Account, AccountSecrets, str]:
    refresh_token = google.grant_offline_access(mode.scopes)
    account_id = next(_account_ids)
    account = Account(
        id=account_id,
        provider=ProviderKind.GOOGLE,
        name=google.state.email,
        username=google.state.email,
        secret_key=f"key-{account_id}",
        read_only=mode is AccessMode.READ_ONLY,
        options={"mode": mode.value, "scopes": " ".join(mode.scopes), **endpoints.to_options()},
    )
    secrets = store.for_account(account.secret_key)
    secrets.update({"refresh_token": refresh_token, "client_id": google.client_id, "client_secret": google.client_secret})
    return account, secrets, refresh_token


@pytest.fixture
def connected(google: GoogleEmulator, endpoints: GoogleEndpoints, secret_store: SecretStore) -> Iterator[Connected]:
    account, secrets, refresh_token = store_account(google, endpoints, secret_store)
    provider = GoogleProviderFactory(retry_policy=FAST_RETRIES, timeout_s=10).open(account, secrets)
    try:
        yield Connected(account, secrets, provider, refresh_token)
    finally:
        provider.close()


@pytest.fixture
def recording_wait() -> RecordingWait:
    return RecordingWait()


@pytest.fixture
def provider_with_recorded_waits(
    google: GoogleEmulator, endpoints: GoogleEndpoints, recording_wait: RecordingWait
) -> Iterator[GoogleProvider]:
    """A provider whose retry waits are recorded instead of slept (default policy: 4 tries, 1 s base)."""
    refresh_token = google.grant_offline_access(AccessMode.TWO_WAY.scopes)
    credentials = build_credentials(
        {"refresh_token": refresh_token, "client_id": google.client_id, "client_secret": google.client_secret},
        endpoints.token_uri,
    )
    api = CalendarApi(credentials, endpoints, timeout=5, cancel=recording_wait)
    provider = GoogleProvider(api)
    try:
        yield provider
    finally:
        provider.close()
