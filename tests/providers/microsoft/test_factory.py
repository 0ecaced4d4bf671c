"""Opening and disconnecting accounts; the token cache on disk and in the keyring."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from calendar_desktop.domain import Account
from calendar_desktop.providers.errors import AuthenticationError
from calendar_desktop.providers.microsoft import (
    CONSENT_REMOVAL_HELP,
    MicrosoftConfig,
    MicrosoftProviderFactory,
)
from calendar_desktop.providers.microsoft.token_cache import CACHE_FOLDER, KEY_SECRET
from calendar_desktop.secrets import AccountSecrets
from tests.emulators.microsoft import MicrosoftEmulator
from tests.providers.microsoft.conftest import MemoryKeyring

WINDOWS_CREDENTIAL_LIMIT = 2560


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_tokens_never_reach_the_disk_in_plaintext(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets], tmp_path: Path
) -> None:
    provider = factory.open(*connected)
    try:
        provider.list_calendars()
        ms.identity.expire_access_tokens()
        provider.list_calendars()  # a refresh rotated the refresh token and rewrote the cache
    finally:
        provider.close()
    tokens = ms.identity.issued_tokens()
    assert len(tokens) >= 4
    written = files_under(tmp_path)
    assert written, "the cache file should exist"
    for path in written:
        content = path.read_bytes()
        for token in tokens:
            assert token.encode() not in content, f"a token is readable in {path.name}"
        assert b"refresh_token" not in content.lower() and b"RefreshToken" not in content


def test_the_keyring_holds_only_a_small_key(
    connected: tuple[Account, AccountSecrets], keyring_backend: MemoryKeyring
) -> None:
    _, secrets = connected
    assert set(secrets.all()) == {KEY_SECRET}
    assert all(len(value.encode()) < WINDOWS_CREDENTIAL_LIMIT for value in keyring_backend.entries.values())


def test_rotated_refresh_tokens_are_written_back(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets]
) -> None:
    ms.identity.revoke_used_refresh_tokens = True  # a refresh token works once
    for _ in range(3):  # each process run refreshes with the token the previous one saved
        ms.identity.expire_access_tokens()
        provider = factory.open(*connected)
        try:
            assert provider.list_calendars()
        finally:
            provider.close()


def test_disconnect_deletes_the_cache_file_and_its_key(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets], data_dir: Path
) -> None:
    account, secrets = connected
    assert files_under(data_dir / CACHE_FOLDER)
    factory.disconnect(account, secrets)
    assert files_under(data_dir / CACHE_FOLDER) == []
    assert secrets.get(KEY_SECRET) is None
    with pytest.raises(AuthenticationError):
        factory.open(account, secrets)
    assert "myapps.microsoft.com" in CONSENT_REMOVAL_HELP and "account.microsoft.com" in CONSENT_REMOVAL_HELP


def test_disconnect_offline_still_forgets_everything(
    ms: MicrosoftEmulator, factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets], data_dir: Path
) -> None:
    account, secrets = connected
    ms.stop()
    factory.disconnect(account, secrets)
    assert files_under(data_dir / CACHE_FOLDER) == [] and secrets.get(KEY_SECRET) is None


def test_a_tampered_cache_needs_reauthentication(
    factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets], data_dir: Path
) -> None:
    account, secrets = connected
    [cache] = files_under(data_dir / CACHE_FOLDER)
    sealed = bytearray(cache.read_bytes())
    sealed[40] ^= 1
    cache.write_bytes(bytes(sealed))
    provider = factory.open(account, secrets)
    try:
        with pytest.raises(AuthenticationError, match="cannot be read"):
            provider.list_calendars()
    finally:
        provider.close()


def test_missing_key_or_options_need_reauthentication(
    factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets]
) -> None:
    account, secrets = connected
    with pytest.raises(AuthenticationError):
        factory.open(
            replace(account, options={k: v for k, v in account.options.items() if k != "home_account_id"}), secrets
        )
    with pytest.raises(AuthenticationError):
        factory.open(replace(account, options={**account.options, "token_cache_file": "../../etc/passwd"}), secrets)
    secrets.delete(KEY_SECRET)
    with pytest.raises(AuthenticationError):
        factory.open(account, secrets)


def test_an_account_keeps_the_endpoints_it_was_signed_in_with(
    ms: MicrosoftEmulator, data_dir: Path, connected: tuple[Account, AccountSecrets]
) -> None:
    elsewhere = MicrosoftProviderFactory(data_dir, MicrosoftConfig(client_id="other-client"))
    provider = elsewhere.open(*connected)
    try:
        assert provider.list_calendars()  # reached the emulator, with the account's own client id
    finally:
        provider.close()
