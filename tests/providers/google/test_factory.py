"""GoogleProviderFactory: opening stored accounts and disconnecting them."""

from __future__ import annotations

import pytest

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.providers.errors import AuthenticationError
from calendar_desktop.providers.google import GoogleEndpoints, GoogleProviderFactory
from tests.emulators.google import GoogleEmulator
from tests.providers.google.conftest import MemoryKeyring, store_account


def test_open_without_secrets_asks_for_reconnection(secret_store, endpoints: GoogleEndpoints) -> None:
    account = Account(1, ProviderKind.GOOGLE, "me", "me@example.com", "empty-key", options=endpoints.to_options())

    with pytest.raises(AuthenticationError):
        GoogleProviderFactory().open(account, secret_store.for_account(account.secret_key))


def test_an_account_keeps_the_endpoints_it_was_connected_with(
    google: GoogleEmulator, endpoints: GoogleEndpoints, secret_store, monkeypatch: pytest.MonkeyPatch
) -> None:
    account, secrets, _ = store_account(google, endpoints, secret_store)
    monkeypatch.setenv("CALENDAR_DESKTOP_GOOGLE_API_ROOT", "https://elsewhere.example/")

    provider = GoogleProviderFactory().open(account, secrets)
    try:
        assert [c.remote_id for c in provider.list_calendars()] == ["user@example.com"]
    finally:
        provider.close()


def test_disconnect_revokes_and_clears_the_secrets(
    google: GoogleEmulator, endpoints: GoogleEndpoints, secret_store, keyring_backend: MemoryKeyring
) -> None:
    account, secrets, refresh_token = store_account(google, endpoints, secret_store)
    other, _, _ = store_account(google, endpoints, secret_store)

    GoogleProviderFactory().disconnect(account, secrets)

    assert google.oauth.revocations == [refresh_token]
    assert not google.oauth.refresh_token_valid(refresh_token)
    assert secrets.all() == {}
    assert not any(f"/{account.secret_key}/" in name for _, name in keyring_backend.entries)
    assert any(f"/{other.secret_key}/" in name for _, name in keyring_backend.entries)


def test_disconnect_clears_the_secrets_when_google_refuses(google: GoogleEmulator, endpoints: GoogleEndpoints, secret_store) -> None:
    account, secrets, _ = store_account(google, endpoints, secret_store)
    google.fail(503, path="/revoke")

    GoogleProviderFactory().disconnect(account, secrets)

    assert [r.status for r in google.requests_to("/revoke")] == [503]
    assert secrets.all() == {}


def test_disconnect_clears_the_secrets_when_google_is_unreachable(google: GoogleEmulator, endpoints: GoogleEndpoints, secret_store) -> None:
    account, secrets, _ = store_account(google, endpoints, secret_store)
    google.stop()

    GoogleProviderFactory(timeout_s=2).disconnect(account, secrets)

    assert secrets.all() == {}
