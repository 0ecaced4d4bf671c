"""The window as a whole: empty state, status bar and Sync now, settings, remembered layout."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QDesktopServices

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.domain import AccountStatus, CalendarInfo
from calendar_desktop.settings import ConflictPolicy, SettingsFile
from calendar_desktop.ui.app import cannot_continue_dialog
from calendar_desktop.ui.autostart import xdg_autostart_file
from calendar_desktop.ui.dialogs.fields import select_enum
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.shell import DesktopShell
from calendar_desktop.ui.worker import Worker
from tests.support.events import make_event
from tests.support.fake_provider import FakeServer, new_account
from tests.ui.helpers import seed_calendar


def test_empty_profile_offers_connect_and_demo(window: MainWindow) -> None:
    pane = window.accounts_pane
    assert pane.stack.currentWidget() is pane.empty_state
    assert "Connect a calendar" in pane.empty_label.text()
    assert pane.demo_button.text().replace("&", "") == "Try with demo data"
    assert [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())] == [
        "Accounts", "Events", "Suggestions", "Pipeline",
    ]  # fmt: skip
    assert window.sync_label.text() == "No accounts connected"


def test_sync_now_shortcut_runs_a_real_pass_and_updates_the_status_bar(
    window: MainWindow, service: AppService, fake_server: FakeServer, qtbot
) -> None:
    fake_server.add_calendar(CalendarInfo("work", "Work", "#3478f6"), [make_event(i) for i in range(5)])
    fake_server.add_calendar(CalendarInfo("home", "Home", "#e5534b"), [make_event(10, all_day=True)])
    service.add_account(new_account())
    assert window.sync_action.shortcut().toString() == "Ctrl+R"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.events_pane.model.event_count == 6, timeout=10_000)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date", timeout=10_000)
    assert window.last_sync_label.text().startswith("Last sync:")
    assert not window.progress.isVisible()
    qtbot.waitUntil(lambda: window.accounts_pane.model.rowCount() == 1, timeout=5000)
    account_row = window.accounts_pane.model.item(0, 0)
    assert account_row.rowCount() == 2  # two calendars under the account


def test_a_failing_account_shows_its_error_and_retry(
    window: MainWindow, service: AppService, fake_server: FakeServer, qtbot
) -> None:
    fake_server.add_calendar(CalendarInfo("work", "Work"))
    account = service.add_account(new_account(password="wrong"))
    window.sync_now()
    qtbot.waitUntil(lambda: service.store.accounts.get(account.id).status is AccountStatus.NEEDS_REAUTH, timeout=10_000)
    pane = window.accounts_pane
    qtbot.waitUntil(lambda: "attention" in window.sync_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: (item := pane.model.item(0, 1)) is not None and "Needs reconnecting" in item.text(), timeout=5000)
    pane.select_account(account.id)
    assert pane.reconnect_button.isVisibleTo(pane) and not pane.retry_button.isVisibleTo(pane)
    assert "reconnected" in pane.account_status.text()
    assert "Needs reconnecting" in pane.model.item(0, 1).text()


def test_settings_dialog_persists_and_writes_the_autostart_entry(
    window: MainWindow, service: AppService, paths, qtbot
) -> None:
    dialog = window.open_settings()
    assert dialog.poll_interval.value() == 5 and not dialog.keep_descriptions.isChecked()
    dialog.poll_interval.setValue(15)
    dialog.keep_descriptions.setChecked(True)
    dialog.start_at_login.setChecked(True)
    select_enum(dialog.conflict_policy, ConflictPolicy.CALENDAR_WINS)
    dialog.accept()
    qtbot.waitUntil(lambda: service.settings.poll_interval_minutes == 15, timeout=5000)
    on_disk = SettingsFile(paths.settings_file).load()
    assert (on_disk.poll_interval_minutes, on_disk.keep_descriptions, on_disk.start_at_login) == (15, True, True)
    assert on_disk.conflict_policy is ConflictPolicy.CALENDAR_WINS
    entry = xdg_autostart_file().read_text()
    assert "Exec=" in entry and "--minimized" in entry

    again = window.open_settings()  # a new dialog shows what was saved
    assert again.poll_interval.value() == 15 and again.start_at_login.isChecked()
    again.start_at_login.setChecked(False)
    again.accept()
    qtbot.waitUntil(lambda: not xdg_autostart_file().exists(), timeout=5000)


def test_google_client_from_a_client_secret_file_goes_to_settings_and_keyring(
    window: MainWindow, service: AppService, qtbot, tmp_path, monkeypatch
) -> None:
    import json as _json

    from calendar_desktop.core.connect import GOOGLE_CLIENT_SECRET, google_sign_in

    monkeypatch.delenv("GOOGLE_CLIENT_ID", raising=False)
    monkeypatch.delenv("GOOGLE_CLIENT_SECRET", raising=False)
    client_file = tmp_path / "client_secret.json"
    client_file.write_text(_json.dumps({"installed": {"client_id": "1234.apps.googleusercontent.com",
                                                      "client_secret": "GOCSPX-typed-secret"}}))  # fmt: skip
    dialog = window.open_settings()
    dialog.load_client_file(str(client_file))
    dialog.microsoft_client_id.setText("11111111-2222-3333-4444-555555555555")
    dialog.accept()
    qtbot.waitUntil(lambda: service.settings.google_client_id == "1234.apps.googleusercontent.com", timeout=5000)
    assert service.settings.microsoft_client_id == "11111111-2222-3333-4444-555555555555"
    assert service.secrets.get(GOOGLE_CLIENT_SECRET) == "GOCSPX-typed-secret"
    assert "GOCSPX-typed-secret" not in service.paths.settings_file.read_text(), "the secret stays out of the settings"
    flow = google_sign_in(service)
    assert flow.client.client_secret == "GOCSPX-typed-secret"  # type: ignore[attr-defined]


def test_geometry_and_pane_sizes_are_remembered(
    shell: DesktopShell, service: AppService, controller: SyncController, qtbot, qloop
) -> None:
    window = shell.window
    window.resize(QSize(720, 530))
    window.tabs.setCurrentIndex(3)
    window.events_pane.splitter.setSizes([500, 300])
    sizes = window.events_pane.splitter.sizes()
    window.close()  # no tray: closing quits, after saving the layout
    saved = json.loads(service.paths.settings_file.read_text())["ui_state"]
    assert {"geometry", "window_state", "events_splitter", "current_tab"} <= set(saved)

    worker = Worker()
    second = DesktopShell(service, controller, worker, use_tray=False)
    qtbot.addWidget(second.window)
    try:
        assert second.window.size() == QSize(720, 530)
        assert second.window.tabs.currentIndex() == 3
        assert second.window.events_pane.splitter.sizes() == sizes
    finally:
        second.close()
        worker.shutdown()


def test_closing_without_a_tray_quits(window: MainWindow, qtbot) -> None:
    assert not window.keep_running_in_tray
    with qtbot.waitSignal(window.quit_requested, timeout=2000):
        window.close()


def test_a_damaged_database_met_by_a_pane_stops_the_window_once_with_the_way_out(
    window: MainWindow, service: AppService, controller: SyncController, qtbot, monkeypatch
) -> None:
    def damaged(**_kwargs: object) -> list[object]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(service, "list_applications", damaged)
    emitted: list[str] = []
    window.store_unusable.connect(emitted.append)
    window.pipeline_pane.refresh()
    window.pipeline_pane.refresh()

    qtbot.waitUntil(lambda: window.worker.idle, timeout=5000)
    assert len(emitted) == 1, "one dialog, however many panes meet the damage"
    assert "damaged" in emitted[0] and str(service.paths.database) in emitted[0] and "Move the file away" in emitted[0]
    assert controller.paused, "no pass is attempted against a database that cannot be used"
    assert window.statusBar().currentMessage() == ""


def test_other_errors_stay_in_the_status_bar(window: MainWindow, service: AppService, qtbot, monkeypatch) -> None:
    def failing(**_kwargs: object) -> list[object]:
        raise OSError("the settings folder is read-only")

    monkeypatch.setattr(service, "list_applications", failing)
    emitted: list[str] = []
    window.store_unusable.connect(emitted.append)
    window.pipeline_pane.refresh()

    qtbot.waitUntil(lambda: "read-only" in window.statusBar().currentMessage(), timeout=5000)
    assert emitted == []


def test_the_cannot_continue_dialog_opens_the_folder_of_the_damaged_database(qapp, tmp_path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    dialog = cannot_continue_dialog("The calendar database is damaged. Move the file away", tmp_path / "calendar.sqlite3")

    [folder_button] = [b for b in dialog.buttons() if b.text() == "Open the database folder"]
    folder_button.click()

    assert opened == [str(tmp_path)]
    assert dialog.text().startswith("The calendar database is damaged")
    dialog.deleteLater()


def _open_window(service: AppService, controller: SyncController, qtbot) -> tuple[DesktopShell, Worker, list[int]]:
    """A window whose `ready` records how many events the Events pane showed at that moment."""
    worker = Worker()
    shell = DesktopShell(service, controller, worker, use_tray=False)
    qtbot.addWidget(shell.window)
    at_ready: list[int] = []
    shell.window.ready.connect(lambda: at_ready.append(shell.window.events_pane.model.event_count))
    with qtbot.waitSignal(shell.window.ready, timeout=10_000):
        shell.show()
    return shell, worker, at_ready


def _close(shell: DesktopShell, worker: Worker, qtbot) -> None:
    shell.close()
    worker.shutdown()
    qtbot.waitUntil(lambda: worker.idle, timeout=5000)


def test_the_events_pane_loads_after_the_window_is_ready_unless_it_is_the_tab_shown(
    service: AppService, controller: SyncController, qtbot, qloop
) -> None:
    seed_calendar(service, [make_event(i) for i in range(4)])

    shell, worker, at_ready = _open_window(service, controller, qtbot)  # opens on the Accounts tab
    try:
        assert at_ready == [0], "the window did not wait for the events"
        qtbot.waitUntil(lambda: shell.window.events_pane.model.event_count == 4, timeout=5000)
    finally:
        _close(shell, worker, qtbot)

    service.update_settings(ui_state={"current_tab": "1"})  # reopened on the Events tab
    shell, worker, at_ready = _open_window(service, controller, qtbot)
    try:
        assert shell.window.tabs.currentWidget() is shell.window.events_pane
        assert at_ready == [4], "the tab shown is loaded before the window reports itself ready"
    finally:
        _close(shell, worker, qtbot)
