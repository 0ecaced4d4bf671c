"""Secrets go to a real keyring backend object; unusable or insecure backends are refused clearly."""

from __future__ import annotations

import keyring.backend
import keyring.backends.fail
import pytest

from calendar_desktop.secrets import InsecureBackendError, SecretStore, SecretStoreError
from tests.support.keyrings import MemoryKeyring


def test_account_secrets_round_trip_and_are_namespaced() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    first, second = store.for_account("aaaa"), store.for_account("bbbb")
    first.update({"password": "hunter2-long", "refresh_token": "1//token-value"})
    second.set("password", "other-secret")
    assert first.all() == {"password": "hunter2-long", "refresh_token": "1//token-value"}
    assert second.get("password") == "other-secret"
    first.clear()
    assert first.all() == {} and first.get("password") is None
    assert second.get("password") == "other-secret", "clearing one account leaves the other alone"
    assert all("aaaa" not in user for (_svc, user) in backend.entries)


def test_delete_of_missing_entry_is_quiet() -> None:
    secrets = SecretStore(MemoryKeyring()).for_account("k")
    secrets.delete("never-set")
    assert secrets.all() == {}


def test_no_backend_gives_an_actionable_message() -> None:
    store = SecretStore(keyring.backends.fail.Keyring())
    with pytest.raises(SecretStoreError) as info:
        store.for_account("k").set("password", "secret-value")
    message = str(info.value)
    assert "gnome-keyring" in message and "PYTHON_KEYRING_BACKEND" in message
    assert "plain file" in message


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's file backend, which keyring picks silently without D-Bus."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_backend_is_refused() -> None:
    store = SecretStore(PlaintextKeyring())
    with pytest.raises(InsecureBackendError, match="without OS protection"):
        store.for_account("k").set("password", "secret-value")


def test_chainer_with_an_insecure_member_is_refused() -> None:
    class Chainer(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]
        backends = [MemoryKeyring(), PlaintextKeyring()]

        def get_password(self, service, username):  # pragma: no cover - never reached
            raise AssertionError

        def set_password(self, service, username, password):  # pragma: no cover
            raise AssertionError

        def delete_password(self, service, username):  # pragma: no cover
            raise AssertionError

    with pytest.raises(InsecureBackendError):
        SecretStore(Chainer()).for_account("k").get("password")
