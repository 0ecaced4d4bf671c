"""Secrets (refresh tokens, token caches, passwords) live in the OS keyring and nowhere else.

Each account's entries are namespaced by the account's random ``secret_key``, so two profiles
(or two accounts at the same provider) never share an entry. Backends that keep secrets in
plain files, or that cannot store anything, are refused with a message that tells the user
what to install or how to pick a backend.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

from calendar_desktop.logging_setup import register_secret

if TYPE_CHECKING:  # keyring itself is imported on first use: it takes 0.1 s, and the window opens without it
    import keyring.backend

SERVICE = "calendar-desktop"

# Backends that store secrets unencrypted on disk (keyrings.alt and friends); refused.
_INSECURE_BACKEND_MODULES = ("keyrings.alt",)
_INSECURE_BACKEND_NAMES = ("PlaintextKeyring", "EncryptedKeyring", "Windows.RegistryKeyring")

NO_BACKEND_HELP = (
    "No secure keyring is available to store your calendar passwords and tokens, so nothing was saved.\n"
    "On Linux, install and start a Secret Service provider: e.g. `sudo apt install gnome-keyring` "
    "(or KeePassXC with Secret Service enabled) and log in to a desktop session, so that D-Bus is running.\n"
    "Or choose a backend explicitly with the PYTHON_KEYRING_BACKEND environment variable "
    "(for example keyring.backends.SecretService.Keyring or keyring.backends.kwallet.DBusKeyring).\n"
    "calendar-desktop never falls back to storing secrets in a plain file."
)


class SecretStoreError(RuntimeError):
    """The keyring cannot be used; the message says what to do."""


class InsecureBackendError(SecretStoreError):
    pass


def describe_backend(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def check_backend(backend: keyring.backend.KeyringBackend) -> None:
    """Raise ``SecretStoreError`` unless ``backend`` can keep secrets safely."""
    name = describe_backend(backend)
    # The chainer wraps the real backends; judge those.
    inner = getattr(backend, "backends", None)
    if inner is not None:
        if not inner:
            raise SecretStoreError(NO_BACKEND_HELP)
        for each in inner:
            check_backend(each)
        return
    if name.startswith("keyring.backends.fail") or "null" in name.lower():
        raise SecretStoreError(NO_BACKEND_HELP)
    if name.startswith(_INSECURE_BACKEND_MODULES) or type(backend).__name__ in _INSECURE_BACKEND_NAMES:
        raise InsecureBackendError(
            f"The keyring backend {name} stores secrets without OS protection, so calendar-desktop will not use it.\n"
            + NO_BACKEND_HELP
        )


class SecretStore:
    """The keyring, checked once, used for every account."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend
        self._checked = False
        self._lock = threading.Lock()

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        with self._lock:
            if self._backend is None:
                import keyring

                self._backend = keyring.get_keyring()
            if not self._checked:
                check_backend(self._backend)
                self._checked = True
            return self._backend

    def backend_name(self) -> str:
        return describe_backend(self.backend)

    def for_account(self, secret_key: str) -> AccountSecrets:
        return AccountSecrets(self, secret_key)

    def _call(self, what: str, fn, *args):  # type: ignore[no-untyped-def]
        import keyring.errors

        try:
            return fn(*args)
        except keyring.errors.NoKeyringError as exc:
            raise SecretStoreError(NO_BACKEND_HELP) from exc
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"The keyring refused to {what} a secret: {type(exc).__name__}. {exc}") from exc

    def get(self, entry: str) -> str | None:
        value = self._call("read", self.backend.get_password, SERVICE, entry)
        if not entry.endswith(AccountSecrets.INDEX):
            register_secret(value)
        return value

    def set(self, entry: str, value: str) -> None:
        if not entry.endswith(AccountSecrets.INDEX):
            register_secret(value)
        self._call("store", self.backend.set_password, SERVICE, entry, value)

    def delete(self, entry: str) -> None:
        try:
            self._call("delete", self.backend.delete_password, SERVICE, entry)
        except SecretStoreError as exc:
            import keyring.errors

            if isinstance(exc.__cause__, keyring.errors.PasswordDeleteError):
                return  # already gone
            raise


class AccountSecrets:
    """The secrets of one account. The names it holds are recorded in an index entry, so
    ``clear`` can remove them all even though keyring cannot list entries."""

    INDEX = "_names"

    def __init__(self, store: SecretStore, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("secret_key must not be empty")
        self._store = store
        self._prefix = f"account/{secret_key}/"

    def _entry(self, name: str) -> str:
        return self._prefix + name

    def _names(self) -> list[str]:
        raw = self._store.get(self._entry(self.INDEX))
        return json.loads(raw) if raw else []

    def get(self, name: str) -> str | None:
        return self._store.get(self._entry(name))

    def set(self, name: str, value: str) -> None:
        self._store.set(self._entry(name), value)
        names = self._names()
        if name not in names:
            self._store.set(self._entry(self.INDEX), json.dumps(sorted([*names, name])))

    def update(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self.set(name, value)

    def delete(self, name: str) -> None:
        self._store.delete(self._entry(name))
        names = self._names()
        if name in names:
            names.remove(name)
            self._store.set(self._entry(self.INDEX), json.dumps(names))

    def all(self) -> dict[str, str]:
        result = {}
        for name in self._names():
            value = self.get(name)
            if value is not None:
                result[name] = value
        return result

    def clear(self) -> None:
        for name in self._names():
            self._store.delete(self._entry(name))
        self._store.delete(self._entry(self.INDEX))
