"""The Accounts pane and the connect dialogs (the CalDAV connect call itself is faked here)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import AccountStatus, CalendarInfo, ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import AuthenticationError, TransientError
from calendar_desktop.ui.dialogs.connect import BrowserSignInDialog, CalDavDialog, explain
from calendar_desktop.ui.main_window import MainWindow
from tests.support.events import make_event
from tests.support.fake_provider import FakeServer, new_account
from tests.ui.helpers import seed_calendar


def test_calendars_with_colours_checkboxes_and_the_write_target(
    window: MainWindow, service: AppService, qtbot
) -> None:
    work = seed_calendar(service, [make_event(1)], name="Work", color="#3478f6")
    home = seed_calendar(service, [], name="Home", color="#e5534b")
    pane = window.accounts_pane
    pane.refresh()
    qtbot.waitUntil(lambda: pane.stack.currentIndex() == 1 and pane.model.rowCount() == 1, timeout=5000)
    account_item = pane.model.item(0, 0)
    assert account_item.text() == "Work — me@example.com" and not account_item.icon().isNull()
    names = [account_item.child(r, 0).text() for r in range(account_item.rowCount())]
    assert names == ["Home", "Work"]
    assert all(not account_item.child(r, 0).icon().isNull() for r in range(2))  # colour swatches

    pane.write_target.setCurrentIndex(pane.write_target.findData(home.id))
    pane.write_target.activated.emit(pane.write_target.currentIndex())
    qtbot.waitUntil(lambda: service.store.calendars.write_target() is not None, timeout=5000)
    assert service.store.calendars.write_target().id == home.id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "interviews are written here" in (pane.model.item(0, 0).child(0, 1).text()), timeout=5000)

    pane.model.item(0, 0).child(1, 0).setCheckState(Qt.CheckState.Unchecked)  # "sync this calendar" off
    qtbot.waitUntil(lambda: not service.store.calendars.get(work.id).selected, timeout=5000)
    assert service.count_events() == 0  # its local events are gone with it


def test_connect_menu_lists_every_provider_and_explains_unavailable_ones(window: MainWindow) -> None:
    actions = window.accounts_pane.connect_actions
    assert set(actions) == {"google", "microsoft", "icloud", "caldav"}
    for key in ("google", "microsoft"):
        assert not actions[key].isEnabled()
        assert actions[key].toolTip() == "Not available in this build"
    assert actions["caldav"].isEnabled() and actions["icloud"].isEnabled()


def test_caldav_dialog_connects_without_freezing_and_syncs(
    window: MainWindow, service: AppService, fake_server: FakeServer, qtbot
) -> None:
    fake_server.add_calendar(CalendarInfo("work", "Work", "#3478f6"), [make_event(1), make_event(2)])
    release = threading.Event()
    calls: list[tuple[str, str]] = []

    def connect(url: str, username: str, password: str, *, name: str | None = None) -> NewAccount:
        calls.append((url, username))
        release.wait(10)  # the window keeps running meanwhile
        return new_account(name or "Mine", password)

    pane = window.accounts_pane
    pane.caldav_connect = connect
    dialog = pane.connect_caldav(icloud=False)
    qtbot.keyClicks(dialog.url, "dav.example.com/")
    qtbot.keyClicks(dialog.username, "me@example.com")
    qtbot.keyClicks(dialog.password, "secret")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    assert calls == [("https://dav.example.com/", "me@example.com")]
    assert dialog.busy.isVisibleTo(dialog) and not dialog.connect_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    qtbot.waitUntil(lambda: service.count_events() == 2, timeout=10_000)
    (account,) = service.list_accounts()
    qtbot.waitUntil(lambda: service.store.accounts.get(account.id).status is AccountStatus.CONNECTED, timeout=5000)
    assert service.secrets.for_account(account.secret_key).get("password") == "secret"


def test_caldav_dialog_explains_a_refused_icloud_password(window: MainWindow, qtbot) -> None:
    def connect(url: str, username: str, password: str, *, name: str | None = None) -> NewAccount:
        raise AuthenticationError("401 Unauthorized")

    dialog = CalDavDialog(window.worker, icloud=True, connect=connect, parent=window)
    dialog.open()
    assert dialog.url.text().startswith("https://") and "icloud" in dialog.url.text()
    dialog.username.setText("me@icloud.com")
    dialog.password.setText("my-apple-id-password")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(dialog.error_text), timeout=5000)
    assert "app-specific password" in dialog.error_text and dialog.isVisible()
    assert dialog.connect_button.isEnabled()
    dialog.reject()


def test_caldav_dialog_asks_for_missing_fields(window: MainWindow) -> None:
    dialog = CalDavDialog(window.worker, connect=lambda *a, **k: None, parent=window)  # type: ignore[arg-type,return-value]
    dialog.submit()
    assert dialog.error_text == "Please fill in: server address, user name, password."
    dialog.reject()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (TransientError("Connection refused"), "network may be down"),
        (AuthenticationError("redirect_uri_mismatch"), "redirect mismatch"),
        (AuthenticationError("access_denied: the user refused consent"), "did not grant access"),
        (AuthenticationError("bad password"), "refused the user name or password"),
        (RuntimeError("boom"), "unexpectedly (RuntimeError)"),
    ],
)
def test_connect_errors_in_plain_words(error: Exception, words: str) -> None:
    assert words in explain(error)


class FakeFlow:
    """A browser sign-in that shows its URL and then waits for the browser (or Cancel)."""

    def __init__(self, on_url, result: NewAccount | Exception | None = None) -> None:  # type: ignore[no-untyped-def]
        self.on_url = on_url
        self.result = result
        self.cancelled = threading.Event()

    def run(self) -> NewAccount:
        self.on_url("https://login.example.com/authorize?client_id=abc")
        if self.result is None:
            self.cancelled.wait(10)
            raise TransientError("cancelled")
        if isinstance(self.result, Exception):
            raise self.result
        return self.result

    def cancel(self) -> None:
        self.cancelled.set()


def test_browser_sign_in_shows_the_url_and_cancel_ends_the_flow(window: MainWindow, qtbot) -> None:
    flows: list[FakeFlow] = []

    def make(on_url):  # type: ignore[no-untyped-def]
        flows.append(FakeFlow(on_url))
        return flows[-1]

    dialog = BrowserSignInDialog(window.worker, "Google", make, parent=window)
    dialog.open()
    dialog.start()
    assert "browser has opened" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.url_field.isVisibleTo(dialog), timeout=5000)
    assert dialog.url_field.text() == "https://login.example.com/authorize?client_id=abc"
    dialog.buttons.rejected.emit()  # Cancel
    assert flows[0].cancelled.is_set()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_browser_sign_in_success_adds_the_account(
    window: MainWindow, service: AppService, fake_server: FakeServer, qtbot
) -> None:
    fake_server.add_calendar(CalendarInfo("work", "Work"), [make_event(1)])
    pane = window.accounts_pane
    chosen: list[bool] = []

    def make(on_url, *, read_only: bool):  # type: ignore[no-untyped-def]
        chosen.append(read_only)
        return FakeFlow(on_url, new_account("Google"))

    pane.sign_in_flows = {ProviderKind.GOOGLE: make}
    pane.access_mode_answer = False  # the user picks "Two-way"
    dialog = pane.connect_browser(ProviderKind.GOOGLE)
    assert dialog is not None
    qtbot.waitUntil(lambda: len(service.list_accounts()) == 1, timeout=5000)
    assert chosen == [False]
    assert service.list_accounts()[0].name == "Google"
    qtbot.waitUntil(lambda: service.count_events() == 1, timeout=10_000)


def test_browser_sign_in_failure_offers_try_again(window: MainWindow, qtbot) -> None:
    dialog = BrowserSignInDialog(
        window.worker, "Microsoft", lambda on_url: FakeFlow(on_url, AuthenticationError("redirect_uri_mismatch")),
        parent=window,
    )  # fmt: skip
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: bool(dialog.error_text), timeout=5000)
    assert "redirect mismatch" in dialog.status.text() and dialog.retry_button.isVisibleTo(dialog)
    dialog.reject()


def test_retry_and_disconnect(window: MainWindow, service: AppService, fake_server: FakeServer, qtbot, monkeypatch) -> None:
    fake_server.add_calendar(CalendarInfo("work", "Work"), [make_event(1)])
    account = service.add_account(new_account())
    service.set_account_status(account.id, AccountStatus.ERROR, "Server unreachable (503)")
    pane = window.accounts_pane
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=5000)
    pane.select_account(account.id)
    assert "Server unreachable (503)" in pane.account_status.text()
    assert pane.model.item(0, 1).text() == "Error: Server unreachable (503)"
    qtbot.mouseClick(pane.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.store.accounts.get(account.id).status is AccountStatus.CONNECTED, timeout=10_000)
    assert service.count_events() == 1

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    pane.select_account(account.id)
    qtbot.mouseClick(pane.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not service.list_accounts(), timeout=5000)
    assert service.secrets.for_account(account.secret_key).all() == {}
    qtbot.waitUntil(lambda: pane.stack.currentWidget() is pane.empty_state, timeout=5000)


def test_google_sign_in_through_the_dialog_against_the_emulator(window: MainWindow, service: AppService, qtbot) -> None:
    """The real Google flow (loopback redirect, PKCE) driven from the dialog; the emulator consents."""
    from calendar_desktop.providers.google import GoogleEndpoints, OAuthClient
    from calendar_desktop.ui.sign_in import google_flow
    from tests.emulators import fake_browser
    from tests.emulators.google import GoogleEmulator

    emulator = GoogleEmulator()
    emulator.start()
    visits: list[threading.Thread] = []

    def no_browser(url: str) -> bool:
        return False  # the dialog shows the URL; the "user" copies it into a browser below

    try:
        endpoints = GoogleEndpoints(emulator.auth_uri, emulator.token_uri, emulator.revoke_uri, emulator.api_root)
        pane = window.accounts_pane
        pane.sign_in_flows = {
            ProviderKind.GOOGLE: google_flow(
                service, client=OAuthClient(emulator.client_id, emulator.client_secret), endpoints=endpoints,
                open_browser=no_browser, timeout_s=20,
            )
        }  # fmt: skip
        pane.access_mode_answer = True  # the user picks "Read-only"
        dialog = pane.connect_browser(ProviderKind.GOOGLE)
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.url_field.text().startswith(emulator.auth_uri), timeout=10_000)
        visits.append(threading.Thread(target=fake_browser.browse, args=(dialog.url_field.text(),)))
        visits[-1].start()
        qtbot.waitUntil(lambda: len(service.list_accounts()) == 1, timeout=20_000)
        (account,) = service.list_accounts()
        assert account.provider is ProviderKind.GOOGLE and account.username == "user@example.com"
        assert account.read_only, "read-only mode asks only for calendar.readonly"
        [authorize] = emulator.requests_to("/o/oauth2/auth")
        assert authorize.params["scope"] == ["https://www.googleapis.com/auth/calendar.readonly"]
        assert service.secrets.for_account(account.secret_key).get("refresh_token")
    finally:
        for thread in visits:
            thread.join(30)
        emulator.stop()


def test_google_without_a_client_says_what_to_set_up(window: MainWindow, service: AppService, monkeypatch, qtbot) -> None:
    from calendar_desktop.ui.sign_in import google_flow

    monkeypatch.delenv("GOOGLE_CLIENT_ID", raising=False)
    monkeypatch.delenv("GOOGLE_CLIENT_SECRET", raising=False)
    dialog = BrowserSignInDialog(window.worker, "Google", google_flow(service), parent=window)
    dialog.open()
    dialog.start()
    assert "No Google OAuth client is configured" in dialog.error_text and dialog.retry_button.isVisibleTo(dialog)
    dialog.reject()


def test_caldav_dialog_connects_to_a_real_radicale(window: MainWindow, service: AppService, qtbot, tmp_path) -> None:
    pytest.importorskip("calendar_desktop.providers.caldav.connect", reason="the CalDAV provider is not in this build")
    pytest.importorskip("radicale", reason="radicale is not installed")
    from calendar_desktop.demo.data import fortnight
    from calendar_desktop.demo.seed import to_ics
    from calendar_desktop.demo.server import RadicaleServer
    from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry

    service.providers = ProviderRegistry(ProviderContext(service.paths.data_dir, {}))  # the real CalDAV provider
    server = RadicaleServer(tmp_path / "radicale")
    server.start()
    try:
        data = fortnight()
        url = server.make_calendar("work", "Work", "#3478f6")
        work_items = [i for i in data.items if i.calendar == "Work"]
        for item in work_items:
            server.put(url, item.uid, to_ics(item))
        pane = window.accounts_pane
        pane.caldav_connect = None  # the real connect_caldav
        dialog = pane.connect_caldav(icloud=False)
        dialog.url.setText(server.url)
        dialog.username.setText("demo")
        dialog.password.setText("any-password")
        dialog.name.setText("Local Radicale")
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
        qtbot.waitUntil(lambda: service.count_events() == sum(len(i.events()) for i in work_items), timeout=30_000)
        (account,) = service.list_accounts()
        assert account.name == "Local Radicale" and account.server_url
        qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and pane.model.item(0, 0).rowCount() == 1, timeout=10_000)
        assert pane.model.item(0, 0).child(0, 0).text() == "Work"
    finally:
        server.stop()
