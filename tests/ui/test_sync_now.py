"""The window with a real Radicale: account, calendars with check boxes, status, last sync, Sync now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ProviderKind
from calendar_desktop.providers.caldav.factory import CalDAVFactory
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.providers.retry import RetryPolicy
from calendar_desktop.ui.main_window import MainWindow
from tests.servers.calendars import sample_calendar
from tests.servers.dav import DavAccount
from tests.servers.fixtures import connect_account
from tests.servers.oracle import expected_occurrences


def real_providers(service: AppService, **overrides) -> None:  # type: ignore[no-untyped-def]
    """This module's window talks to the real CalDAV provider, not the UI tests' fake server."""
    service.providers = ProviderRegistry(ProviderContext(data_dir=service.paths.data_dir, settings={}), overrides=overrides)


def click_sync_now(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    toolbar = window.findChild(QToolBar, "main-toolbar")
    qtbot.mouseClick(toolbar.widgetForAction(window.sync_action), Qt.MouseButton.LeftButton)


def test_sync_now_brings_the_events_in(window: MainWindow, service: AppService, radicale: DavAccount, qtbot) -> None:
    real_providers(service)
    radicale.make_calendar("work", display_name="Work")
    radicale.make_calendar("private", display_name="Private")
    radicale.seed("work", sample_calendar(25, seed=51))
    radicale.seed("private", sample_calendar(5, seed=52))
    connect_account(service, radicale, name="Job hunt")
    pane = window.accounts_pane
    pane.refresh()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=5000)
    assert pane.model.item(0).text().startswith("Job hunt")
    assert pane.model.item(0, 2).text() == "never synced"

    click_sync_now(window, qtbot)
    window_start = window.controller.window()
    want = sum(len(expected_occurrences(radicale.server_items(c), window_start)) for c in ("work", "private"))
    qtbot.waitUntil(lambda: window.events_pane.model.event_count == want, timeout=60_000)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date", timeout=10_000)

    qtbot.waitUntil(lambda: pane.model.item(0).rowCount() == 2, timeout=5000)
    account_row = pane.model.item(0)
    calendars = {account_row.child(i).text(): account_row.child(i) for i in range(account_row.rowCount())}
    assert set(calendars) == {"Work", "Private"}
    assert all(item.isCheckable() and item.checkState() == Qt.CheckState.Checked for item in calendars.values())
    assert pane.model.item(0, 1).text() == "Connected"
    assert pane.model.item(0, 2).text().startswith("synced ")
    assert window.last_sync_label.text()
    assert not window.progress.isVisible()


def test_a_failing_server_shows_in_the_account_status(window: MainWindow, service: AppService, radicale: DavAccount, qtbot) -> None:
    real_providers(service, **{ProviderKind.CALDAV: lambda _c: CalDAVFactory(retry=RetryPolicy(attempts=1))})
    radicale.make_calendar("work", display_name="Work")
    account = connect_account(service, radicale)
    pane = window.accounts_pane
    radicale.server.stop()
    try:
        click_sync_now(window, qtbot)
        qtbot.waitUntil(lambda: service.store.accounts.get(account.id).status.value == "error", timeout=30_000)
        qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and pane.model.item(0, 1).text().startswith("Error"), timeout=10_000)
        assert "Cannot reach the CalDAV server" in pane.model.item(0, 1).text() + pane.model.item(0, 1).toolTip()
        assert window.sync_label.text() == "1 account needs attention — see Accounts"
    finally:
        radicale.server.start()
