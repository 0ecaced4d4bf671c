"""The main window: Accounts, Events, Suggestions and Pipeline panes, status bar, menus, banner."""

from __future__ import annotations

import base64
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar, QTabWidget, QVBoxLayout, QWidget

from calendar_desktop import __version__
from calendar_desktop.core.bus import SuggestionsChanged, SyncFinished, SyncProgress
from calendar_desktop.domain import Account, AccountStatus, ProviderKind
from calendar_desktop.ui.banner import PromptBanner
from calendar_desktop.ui.bridge import CoreBridge
from calendar_desktop.ui.context import UNUSABLE_DATABASE, Pane, UiContext, explained, translator
from calendar_desktop.ui.dialogs.settings import SettingsDialog
from calendar_desktop.ui.icons import app_icon
from calendar_desktop.ui.panes.accounts import AccountsPane
from calendar_desktop.ui.panes.events import EventsPane
from calendar_desktop.ui.panes.pipeline import PipelinePane
from calendar_desktop.ui.panes.suggestions import SuggestionsPane

if TYPE_CHECKING:  # the connect dialogs are imported when first opened, not at start-up
    from calendar_desktop.ui.dialogs.connect import FlowFactory

log = logging.getLogger(__name__)
tr = translator("MainWindow")

# Keys in Settings.ui_state (base64 of Qt's opaque state blobs).
GEOMETRY, WINDOW_STATE, EVENTS_SPLITTER, PIPELINE_SPLITTER, CURRENT_TAB = (
    "geometry", "window_state", "events_splitter", "pipeline_splitter", "current_tab",
)  # fmt: skip
TRAY_HINT_SHOWN = "tray_hint_shown"


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: str | None) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:
        return None


def last_sync_text(accounts: list[Account]) -> str:
    synced = [a.last_sync_at for a in accounts if a.last_sync_at]
    if not synced:
        return ""
    return tr("Last sync: {time}").format(time=max(synced).astimezone().strftime("%d %b %H:%M"))


class MainWindow(QMainWindow):
    ready = Signal()
    """Emitted once the window can be used: every pane has loaded its first snapshot, except the
    Events pane when it is not the tab shown (thousands of events take a while to read: that pane
    starts loading once the window is ready, or when its tab is opened)."""
    quit_requested = Signal()
    """The user asked to quit (menu, or closing the window where there is no tray)."""
    hidden_to_tray = Signal()
    """The window was closed but the app keeps running in the tray."""
    pause_toggled = Signal(bool)
    last_sync_changed = Signal(str)
    store_unusable = Signal(str)
    """The database is damaged or from a newer version: the message says why and names the way out.
    Emitted once; the app shows it and quits, since no pane can work without the database."""
    loaded = Signal()
    """Emitted once every pane, deferred ones included, has shown its first snapshot."""
    start_failed = Signal(str)
    """An error before every pane had loaded (a first load failed): ``ready`` or ``loaded`` may never come."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        sign_in_flows: dict[ProviderKind, FlowFactory] | None = None,
        caldav_connect: object | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = ctx.service
        self.controller = ctx.controller
        self.worker = ctx.worker
        self.keep_running_in_tray = False
        """Set by the shell while a tray icon is visible: closing then hides instead of quitting."""
        self._accounts: list[Account] = []
        self.pending_count = 0
        self._sync_state_loaded = self._ready_sent = self._loaded_sent = self._store_unusable = False
        self.setObjectName("main-window")
        self.setWindowTitle("calendar-desktop")
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)

        self.bridge = CoreBridge(self.service.bus, self)
        self.accounts_pane = AccountsPane(
            ctx, sign_in_flows=sign_in_flows, caldav_connect=caldav_connect  # type: ignore[arg-type]
        )
        self.events_pane = EventsPane(ctx)
        self.suggestions_pane = SuggestionsPane(ctx)
        self.pipeline_pane = PipelinePane(ctx)
        self.panes = (self.accounts_pane, self.events_pane, self.suggestions_pane, self.pipeline_pane)
        self._loaded_at_start: tuple[Pane, ...] = self.panes

        self.banner = PromptBanner()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("Panes"))
        self.tabs.addTab(self.accounts_pane, tr("&Accounts"))
        self.tabs.addTab(self.events_pane, tr("&Events"))
        self.suggestions_tab = self.tabs.addTab(self.suggestions_pane, tr("&Suggestions"))
        self.tabs.addTab(self.pipeline_pane, tr("&Pipeline"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.restore_ui_state()
        self._load_first_snapshots()
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

    # --- construction ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.sync_action = QAction(tr("&Sync now"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+R"))
        self.sync_action.setToolTip(tr("Sync every account now (Ctrl+R)"))
        self.sync_action.triggered.connect(self.sync_now)
        self.pause_action = QAction(tr("&Pause syncing"), self)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.set_paused)
        self.settings_action = QAction(tr("S&ettings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction(tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_requested)
        self.about_action = QAction(tr("&About calendar-desktop"), self)
        self.about_action.triggered.connect(self.show_about)

        file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addMenu(self.accounts_pane.connect_menu)
        file_menu.addAction(self.sync_action)
        file_menu.addAction(self.pause_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(self.about_action)
        toolbar = self.addToolBar(tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.sync_action)
        toolbar.addAction(self.pause_action)
        toolbar.addAction(self.settings_action)

    def _build_status_bar(self) -> None:
        self.sync_label = QLabel(tr("Idle"))
        self.sync_label.setAccessibleName(tr("Sync status"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(tr("Sync progress"))
        self.last_sync_label = QLabel("")
        self.last_sync_label.setAccessibleName(tr("Last sync"))
        self.statusBar().addWidget(self.sync_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.last_sync_label)

    def _connect(self) -> None:
        bridge = self.bridge
        bridge.accounts_changed.connect(self.accounts_pane.schedule_refresh)
        bridge.accounts_changed.connect(self._refresh_sync_state)
        bridge.events_changed.connect(lambda _m: self.events_pane.schedule_refresh())
        bridge.suggestions_changed.connect(self._suggestions_changed)
        bridge.pipeline_changed.connect(self.pipeline_pane.schedule_refresh)
        bridge.pipeline_changed.connect(self.suggestions_pane.schedule_refresh)
        bridge.sync_progress.connect(self._sync_progress)
        bridge.sync_finished.connect(self._sync_finished)
        for pane in self.panes:
            pane.failed.connect(self.report_error)
            pane.ready.connect(self._pane_ready)
        self.suggestions_pane.pending_changed.connect(self._update_badge)
        self.suggestions_pane.decided.connect(lambda sid, _how: self.banner.forget(sid))
        self.banner.review.connect(self.open_suggestion)
        self.banner.confirm.connect(self.suggestions_pane.accept)

    # --- loading -----------------------------------------------------------------------------

    def _load_first_snapshots(self) -> None:
        if self.tabs.currentWidget() is not self.events_pane:
            self._loaded_at_start = tuple(p for p in self.panes if p is not self.events_pane)
        for pane in self._loaded_at_start:
            pane.refresh()
        self._refresh_sync_state()

    def _pane_ready(self) -> None:
        if not self._sync_state_loaded:
            return
        if not self._ready_sent and all(p.is_ready for p in self._loaded_at_start):
            self._ready_sent = True
            self.ready.emit()
            self._load_deferred_panes()
        if self._ready_sent and not self._loaded_sent and all(p.is_ready for p in self.panes):
            self._loaded_sent = True
            self.loaded.emit()

    def _load_deferred_panes(self) -> None:
        for pane in self.panes:
            if pane not in self._loaded_at_start:
                pane.ensure_loaded()

    def _tab_changed(self) -> None:
        pane = self.tabs.currentWidget()
        if isinstance(pane, Pane):
            pane.ensure_loaded()  # a deferred pane opened before the window was ready

    def _refresh_sync_state(self) -> None:
        async def load() -> None:
            self._accounts = await self.worker.run(self.service.list_accounts)
            self._show_sync_state()
            self._sync_state_loaded = True
            self._pane_ready()

        self.worker.spawn(load(), self.report_error)

    def _show_sync_state(self) -> None:
        accounts = self._accounts
        self.last_sync_label.setText(last_sync_text(accounts))
        self.last_sync_changed.emit(self.last_sync_label.text())
        if self.controller.running or any(a.status is AccountStatus.SYNCING for a in accounts):
            self.progress.setVisible(True)
            if not self.sync_label.text().startswith(tr("Syncing")):
                self.sync_label.setText(tr("Syncing…"))
            return
        self.progress.setVisible(False)
        troubled = [a for a in accounts if a.status in (AccountStatus.ERROR, AccountStatus.NEEDS_REAUTH)]
        if not accounts:
            self.sync_label.setText(tr("No accounts connected"))
        elif troubled:
            self.sync_label.setText(
                tr("1 account needs attention — see Accounts")
                if len(troubled) == 1
                else tr("{n} accounts need attention — see Accounts").format(n=len(troubled))
            )
        elif self.controller.paused:
            self.sync_label.setText(tr("Syncing is paused"))
        else:
            self.sync_label.setText(tr("Up to date"))

    def _suggestions_changed(self, message: SuggestionsChanged) -> None:
        self._update_badge(message.pending)
        self.suggestions_pane.schedule_refresh()

    def _update_badge(self, pending: int) -> None:
        label = tr("&Suggestions") + (f" ({pending})" if pending else "")
        self.tabs.setTabText(self.suggestions_tab, label)
        self.pending_count = pending

    # --- sync --------------------------------------------------------------------------------

    def sync_now(self) -> None:
        self.sync_label.setText(tr("Syncing…"))
        self.progress.setVisible(True)

        async def run() -> None:
            results = await self.controller.sync_all()
            if not results:
                self.sync_label.setText(tr("No accounts to sync"))
                self.progress.setVisible(False)

        self.worker.spawn(run(), self.report_error)

    def set_paused(self, paused: bool) -> None:
        self.controller.pause(paused)
        if self.pause_action.isChecked() != paused:
            self.pause_action.setChecked(paused)
        self.pause_toggled.emit(paused)
        self._show_sync_state()

    def _sync_progress(self, message: SyncProgress) -> None:
        self.progress.setVisible(True)
        self.sync_label.setText(
            tr("Syncing {calendar}: {count} events").format(calendar=message.calendar_name, count=message.events)
        )
        self.accounts_pane.show_progress(message)

    def _sync_finished(self, message: SyncFinished) -> None:
        self.accounts_pane.sync_finished(message)
        if not message.ok and message.message:
            self.statusBar().showMessage(message.message, 10_000)
        self._refresh_sync_state()

    # --- prompts -----------------------------------------------------------------------------

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def open_suggestion(self, suggestion_id: int) -> None:
        """Show the window on one suggestion (a click on its notification)."""
        self.bring_to_front()
        self.tabs.setCurrentWidget(self.suggestions_pane)
        if not self.suggestions_pane.select(suggestion_id):
            self.suggestions_pane.refresh()  # not loaded yet: selected once it is

    # --- dialogs -----------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.service.settings, parent=self)
        dialog.accepted.connect(lambda: self.save_settings(dialog.changes(), dialog.google_client_secret_change()))
        dialog.open()
        return dialog

    def save_settings(self, changes: dict[str, object], google_client_secret: str | None = None) -> None:
        if not changes and google_client_secret is None:
            return
        from calendar_desktop.ui.autostart import set_start_at_login

        def save() -> None:
            if google_client_secret is not None:
                self.service.set_google_client_secret(google_client_secret)
            if "start_at_login" in changes:
                set_start_at_login(bool(changes["start_at_login"]))
            if changes:
                self.service.update_settings(**changes)

        self.worker.spawn(self.worker.run(save), self.report_error)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("About calendar-desktop"),
            tr("calendar-desktop {version}\n\nYour calendars and your job pipeline, kept in sync on your computer.").format(
                version=__version__
            ),
        )

    def report_error(self, exc: BaseException) -> None:
        exc = explained(exc, self.service)
        if isinstance(exc, UNUSABLE_DATABASE):
            log.error("the database cannot be used: %s", exc)
            if not self._store_unusable:
                self._store_unusable = True
                self.controller.pause(True)  # every pass would fail the same way
                self.store_unusable.emit(str(exc))
            return
        log.error("window action failed: %s", exc, exc_info=exc)
        self.statusBar().showMessage(str(exc), 10_000)
        if not self._loaded_sent:
            self.start_failed.emit(str(exc))

    # --- geometry and closing ----------------------------------------------------------------

    def restore_ui_state(self) -> None:
        state = self.service.settings.ui_state
        if (geometry := _decode(state.get(GEOMETRY))) is not None:
            self.restoreGeometry(geometry)
        if (window_state := _decode(state.get(WINDOW_STATE))) is not None:
            self.restoreState(window_state)
        if (events := _decode(state.get(EVENTS_SPLITTER))) is not None:
            self.events_pane.splitter.restoreState(events)
        if (pipeline := _decode(state.get(PIPELINE_SPLITTER))) is not None:
            self.pipeline_pane.splitter.restoreState(pipeline)
        if state.get(CURRENT_TAB, "").isdigit():
            self.tabs.setCurrentIndex(min(int(state[CURRENT_TAB]), self.tabs.count() - 1))

    def ui_state(self) -> dict[str, str]:
        return {
            **self.service.settings.ui_state,
            GEOMETRY: _encode(self.saveGeometry()),
            WINDOW_STATE: _encode(self.saveState()),
            EVENTS_SPLITTER: _encode(self.events_pane.splitter.saveState()),
            PIPELINE_SPLITTER: _encode(self.pipeline_pane.splitter.saveState()),
            CURRENT_TAB: str(self.tabs.currentIndex()),
        }

    def save_ui_state(self) -> None:
        """Remember geometry and pane sizes (a small JSON write, done on the Qt thread at close)."""
        try:
            self.service.update_settings(ui_state=self.ui_state())
        except OSError as exc:
            log.warning("could not save the window layout: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_ui_state()
        if self.keep_running_in_tray:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        event.accept()
        self.quit_requested.emit()

    def mark_tray_hint_shown(self) -> bool:
        """True the first time only: the "still running in the tray" hint is shown once per profile."""
        state = self.service.settings.ui_state
        if state.get(TRAY_HINT_SHOWN) == "1":
            return False
        self.service.update_settings(ui_state={**state, TRAY_HINT_SHOWN: "1"})
        return True
