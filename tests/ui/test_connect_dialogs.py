"""The Connect dialogs driven with the real Google and Microsoft sign-ins against their emulators:
through to a connected account, Cancel, and the timeout message."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtWidgets import QDialog

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.ui.dialogs.connect import BrowserSignInDialog
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.sign_in import google_flow, microsoft_flow
from tests.emulators import fake_browser
from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator


def no_browser(url: str) -> bool:
    return False  # the dialog shows the URL to copy


def loopback_port(url: str) -> int:
    redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    return int(urlsplit(redirect).port or 0)


def refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def google() -> Iterator[GoogleEmulator]:
    with GoogleEmulator() as emulator:
        yield emulator


@pytest.fixture
def ms() -> Iterator[MicrosoftEmulator]:
    with MicrosoftEmulator() as emulator:
        yield emulator


def _google_flow(service: AppService, google: GoogleEmulator, **options):  # type: ignore[no-untyped-def]
    from calendar_desktop.providers.google import GoogleEndpoints, OAuthClient

    endpoints = GoogleEndpoints(google.auth_uri, google.token_uri, google.revoke_uri, google.api_root)
    return google_flow(service, client=OAuthClient(google.client_id, google.client_secret), endpoints=endpoints,
                       open_browser=no_browser, **options)  # fmt: skip


def _ms_flow(service: AppService, ms: MicrosoftEmulator, **options):  # type: ignore[no-untyped-def]
    from calendar_desktop.providers.microsoft.config import MicrosoftConfig

    config = MicrosoftConfig(client_id=ms.client_id, authority=ms.authority(), graph_root=ms.base_url)
    return microsoft_flow(service, config=config, open_browser=no_browser, **options)


def _dialog(window: MainWindow, name: str, flow) -> BrowserSignInDialog:  # type: ignore[no-untyped-def]
    dialog = BrowserSignInDialog(window.worker, name, flow, parent=window)
    dialog.open()
    dialog.start()
    return dialog


@pytest.mark.parametrize("provider", ["google", "microsoft"])
def test_cancel_ends_the_loopback_wait(window: MainWindow, service: AppService, request, qtbot, provider: str) -> None:
    emulator = request.getfixturevalue("google" if provider == "google" else "ms")
    flow = _google_flow(service, emulator, timeout_s=60) if provider == "google" else _ms_flow(service, emulator, timeout_s=60)
    dialog = _dialog(window, provider.title(), flow)
    qtbot.waitUntil(lambda: dialog.url_field.text().startswith("http"), timeout=10_000)
    port = loopback_port(dialog.url_field.text())
    assert not refuses_connections(port), "the app listens for the browser's redirect"
    dialog.buttons.rejected.emit()  # Cancel
    assert dialog.result() == QDialog.DialogCode.Rejected
    qtbot.waitUntil(lambda: refuses_connections(port), timeout=10_000)
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert service.list_accounts() == []


@pytest.mark.parametrize("provider", ["google", "microsoft"])
def test_timeout_is_explained(window: MainWindow, service: AppService, request, qtbot, provider: str) -> None:
    emulator = request.getfixturevalue("google" if provider == "google" else "ms")
    flow = _google_flow(service, emulator, timeout_s=1) if provider == "google" else _ms_flow(service, emulator, timeout_s=1)
    dialog = _dialog(window, provider.title(), flow)
    qtbot.waitUntil(lambda: bool(dialog.error_text), timeout=15_000)
    assert "not finished in time" in dialog.error_text
    assert dialog.retry_button.isVisibleTo(dialog)
    dialog.reject()


def test_microsoft_dialog_connects_an_account(window: MainWindow, service: AppService, ms: MicrosoftEmulator, qtbot) -> None:
    pane = window.accounts_pane
    pane.sign_in_flows = {ProviderKind.MICROSOFT: _ms_flow(service, ms, timeout_s=30)}
    pane.access_mode_answer = False
    dialog = pane.connect_browser(ProviderKind.MICROSOFT)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.url_field.text().startswith("http"), timeout=10_000)
    browser = threading.Thread(target=fake_browser.browse, args=(dialog.url_field.text(),))
    browser.start()
    try:
        qtbot.waitUntil(lambda: len(service.list_accounts()) == 1, timeout=20_000)
    finally:
        browser.join(30)
    (account,) = service.list_accounts()
    assert account.provider is ProviderKind.MICROSOFT and account.username == ms.user.username
    assert not account.read_only
    assert service.secrets.for_account(account.secret_key).all(), "the token cache key is in the keyring"
