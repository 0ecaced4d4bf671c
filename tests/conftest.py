"""Fixtures shared by the whole suite: every platform path and the keyring redirected to temp space."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.paths import AppPaths
from calendar_desktop.secrets import SecretStore
from tests.support.keyrings import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's folders or keyring."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):  # fmt: skip
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyrings.FileKeyring")
    monkeypatch.setenv("CALENDAR_DESKTOP_TEST_KEYRING", str(home / "test-keyring.json"))
    return home


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def paths(profile_dir: Path) -> AppPaths:
    paths = AppPaths.profile(profile_dir)
    paths.ensure()
    return paths


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def service(paths: AppPaths, keyring_backend: MemoryKeyring) -> Iterator[AppService]:
    service = AppService.open(paths, secrets=SecretStore(keyring_backend))
    yield service
    service.close()
