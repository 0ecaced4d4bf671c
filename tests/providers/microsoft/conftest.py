"""Fixtures for the Microsoft provider: the emulator, an in-memory keyring, a connected account."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from calendar_desktop.domain import Account, ChangePage, Event, ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.microsoft import (
    MicrosoftConfig,
    MicrosoftProvider,
    MicrosoftProviderFactory,
)
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.secrets import AccountSecrets, SecretStore
from tests.emulators.fake_browser import browse
from tests.emulators.microsoft import MicrosoftEmulator
from tests.support.keyrings import MemoryKeyring

FAST_RETRIES = RetryPolicy(attempts=4, base_delay=0.01, max_delay=5.0)



class Browser:
    """An in-process stand-in for the system browser (``fake_browser.browse`` in a thread)."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self._threads: list[threading.Thread] = []

    def open(self, url: str) -> bool:
        self.urls.append(url)
        thread = threading.Thread(target=browse, args=(url,), name="fake-browser")
        self._threads.append(thread)
        thread.start()
        return True

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=30)


@pytest.fixture
def ms() -> Iterator[MicrosoftEmulator]:
    with MicrosoftEmulator() as emulator:
        yield emulator


@pytest.fixture
def config(ms: MicrosoftEmulator) -> MicrosoftConfig:
    return MicrosoftConfig(client_id=ms.client_id, authority=ms.authority(), graph_root=ms.base_url, page_size=100)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def secret_store(keyring_backend: MemoryKeyring) -> SecretStore:
    return SecretStore(backend=keyring_backend)


@pytest.fixture
def factory(data_dir: Path, config: MicrosoftConfig) -> MicrosoftProviderFactory:
    return MicrosoftProviderFactory(data_dir, config, retry_policy=FAST_RETRIES)


@pytest.fixture
def browser() -> Iterator[Browser]:
    fake = Browser()
    yield fake
    fake.join()


def store_account(new: NewAccount, secret_store: SecretStore, account_id: int = 1) -> tuple[Account, AccountSecrets]:
    """What the app does with a ``NewAccount``: keyring entries plus an ``Account`` row."""
    secret_key = f"account-{account_id}"
    secrets = secret_store.for_account(secret_key)
    secrets.update(new.secrets)
    account = Account(
        id=account_id,
        provider=ProviderKind.MICROSOFT,
        name=new.name,
        username=new.username,
        secret_key=secret_key,
        read_only=new.read_only,
        options=dict(new.options),
    )
    return account, secrets


@pytest.fixture
def connected(
    factory: MicrosoftProviderFactory, secret_store: SecretStore, browser: Browser
) -> tuple[Account, AccountSecrets]:
    new = factory.sign_in(timeout=30, open_browser=browser.open).run()
    return store_account(new, secret_store)


@pytest.fixture
def provider(
    factory: MicrosoftProviderFactory, connected: tuple[Account, AccountSecrets]
) -> Iterator[MicrosoftProvider]:
    opened = factory.open(*connected)
    yield opened
    opened.close()


class Mirror:
    """The store's job, reduced to a dict: apply pages the way the contract says."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self.cursor: str | None = None
        self._listed: set[str] | None = None

    def apply(self, pages: Iterable[ChangePage]) -> list[ChangePage]:
        applied = []
        for page in pages:
            if page.full and self._listed is None:
                self._listed = set()
            for item in page.items:
                self.events[item.resource_id] = item.events[0]
                if self._listed is not None:
                    self._listed.add(item.resource_id)
            for resource_id in page.removed:
                self.events.pop(resource_id, None)
            if page.full and page.last and self._listed is not None:
                self.events = {k: v for k, v in self.events.items() if k in self._listed}
            if page.last:
                self._listed = None
            self.cursor = page.cursor
            applied.append(page)
        return applied

    def titles(self) -> dict[str, str]:
        return {resource_id: event.title for resource_id, event in self.events.items()}
