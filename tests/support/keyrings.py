"""Keyring backends for tests: real ``KeyringBackend`` objects, no OS keyring needed.

``MemoryKeyring`` lives in one process. ``FileKeyring`` lets a CLI subprocess share secrets with
the test (select it with PYTHON_KEYRING_BACKEND=tests.support.keyrings.FileKeyring and
CALENDAR_DESKTOP_TEST_KEYRING=path). Both are for tests only: plain storage is exactly what the
app refuses in production.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from jaraco.classes import properties


class MemoryKeyring(keyring.backend.KeyringBackend):

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.entries[(service, username)]


class FileKeyring(keyring.backend.KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 - keyring's classproperty
        """Viable only where a test configured it, so keyring never picks it by itself."""
        if "CALENDAR_DESKTOP_TEST_KEYRING" not in os.environ:
            raise RuntimeError("the test keyring is not configured")
        return 1

    @property
    def path(self) -> Path:
        return Path(os.environ["CALENDAR_DESKTOP_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        self.path.write_text(json.dumps(data))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\x1f{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\x1f{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\x1f{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("not found")
        self._save(data)

    def values(self) -> list[str]:
        return list(self._load().values())
