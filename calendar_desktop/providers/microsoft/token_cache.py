"""MSAL's token cache, kept in an encrypted file whose key lives in the keyring.

A serialised MSAL cache (refresh, access and ID tokens) easily passes the 2,560 bytes a Windows
Credential Manager entry can hold, so the keyring keeps only a 44-byte key and the cache goes to
a file in the profile's data folder, encrypted with Fernet (``cryptography``: AES-128-CBC plus
HMAC-SHA256, authenticated, with a versioned format; msal already depends on ``cryptography``).
A tampered or wrongly keyed file fails authentication instead of being read as garbage.
Deleting the key makes every copy of the file unreadable (a lost backup included).

Writes are atomic (temporary file + ``os.replace``) and the file is created owner-only.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from pathlib import Path

import msal
from cryptography.fernet import Fernet, InvalidToken

from calendar_desktop.providers.errors import AuthenticationError

KEY_SECRET = "token_cache_key"
"""The name of the key in the account's keyring entries."""
CACHE_FOLDER = "microsoft"
CACHE_SUFFIX = ".msalcache"


def new_cache_file_name() -> str:
    return secrets.token_hex(16) + CACHE_SUFFIX


def cache_path(data_dir: Path, file_name: str) -> Path:
    """Where an account's cache lives; the stored name must be a bare name we generated."""
    if Path(file_name).name != file_name or not file_name.endswith(CACHE_SUFFIX):
        raise AuthenticationError("The stored Microsoft token cache name is not valid; reconnect the account.")
    return data_dir / CACHE_FOLDER / file_name


class EncryptedTokenCache:
    """One account's MSAL cache on disk. ``load`` once, ``save`` after every ``acquire_*``."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self._fernet = Fernet(key.encode())
        self._lock = threading.Lock()

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    @classmethod
    def in_folder(cls, data_dir: Path, file_name: str, key: str) -> EncryptedTokenCache:
        return cls(cache_path(data_dir, file_name), key)

    def load(self) -> msal.SerializableTokenCache:
        cache = msal.SerializableTokenCache()
        try:
            sealed = self.path.read_bytes()
        except FileNotFoundError:
            raise AuthenticationError(
                "The Microsoft sign-in for this account is missing; reconnect the account."
            ) from None
        try:
            cache.deserialize(self._fernet.decrypt(sealed).decode("utf-8"))
        except (InvalidToken, ValueError):
            raise AuthenticationError(
                "The Microsoft sign-in for this account cannot be read; reconnect the account."
            ) from None
        return cache

    def save(self, cache: msal.SerializableTokenCache, *, force: bool = False) -> None:
        """Write the cache if MSAL changed it (refresh tokens rotate on every use)."""
        with self._lock:
            if not (force or cache.has_state_changed):
                return
            sealed = self._fernet.encrypt(cache.serialize().encode("utf-8"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=CACHE_SUFFIX)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(sealed)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            cache.has_state_changed = False

    def delete(self) -> None:
        with self._lock:
            self.path.unlink(missing_ok=True)
