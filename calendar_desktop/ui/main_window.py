"""The main window: Accounts, Events, Suggestions and Pipeline panes, status bar, menus."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from calendar_desktop import __version__
from calendar_desktop.core.bus import EventsChanged, SuggestionsChanged, SyncFinished, SyncProgress
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.domain import Application, Suggestion
from calendar_desktop.store import EventQuery
from calendar_desktop.ui.bridge import CoreBridge
from calendar_desktop.ui.models.accounts import AccountsModel
from calendar_desktop.ui.models.events import EventsModel
from calendar_desktop.ui.models.pipeline import ApplicationsModel
from calendar_desktop.ui.models.suggestions import SuggestionsModel
from calendar_desktop.ui.models.table import ROW_ROLE
from calendar_desktop.ui.pipeline_dialog import ApplicationDialog
from calendar_desktop.ui.worker import Worker

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view


class MainWindow(QMainWindow):
    ready = Signal()
    """Emitted once every pane has loaded its first snapshot."""

    def __init__(self, service: AppService, controller: SyncController, worker: Worker) -> None:
        super().__init__()
        self.service = service
        self.controller = controller
        self.worker = worker
        self._pending_loads = {"accounts", "events", "suggestions", "pipeline"}
        self._events_generation = 0
        self.setWindowTitle("calendar-desktop")
        self.resize(1100, 720)

        self.bridge = CoreBridge(service.bus, self)
        self.accounts_model = AccountsModel(self._select_calendar, self)
        self.events_model = EventsModel(self)
        self.suggestions_model = SuggestionsModel(self)
        self.applications_model = ApplicationsModel(self)

        self._build_actions()
        self._build_panes()
        self._build_status_bar()
        self._connect_bridge()
        self.refresh_all()

    # --- construction ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.sync_action = QAction(tr("&Sync now"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+R"))
        self.sync_action.triggered.connect(self.sync_now)
        self.quit_action = QAction(tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit_requested)
        self.about_action = QAction(tr("&About calendar-desktop"), self)
        self.about_action.triggered.connect(self.show_about)

        file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(self.about_action)
        toolbar = self.addToolBar(tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.addAction(self.sync_action)

    def _build_panes(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("Panes"))
        self.setCentralWidget(self.tabs)

        # Accounts: an empty state until the first account is connected.
        self.accounts_view = QTreeView()
        self.accounts_view.setModel(self.accounts_model)
        self.accounts_view.setAccessibleName(tr("Accounts and calendars"))
        self.accounts_view.setAlternatingRowColors(True)
        self.empty_state = QLabel(tr("Connect a calendar to get started."))
        self.empty_state.setObjectName("empty-state")
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setWordWrap(True)
        self.empty_state.setAccessibleName(tr("No accounts yet"))
        self.accounts_stack = QStackedWidget()
        self.accounts_stack.addWidget(self.empty_state)
        self.accounts_stack.addWidget(self.accounts_view)
        self.tabs.addTab(self.accounts_stack, tr("Accounts"))

        # Events
        events_page = QWidget()
        layout = QVBoxLayout(events_page)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(tr("Search events"))
        self.search_box.setAccessibleName(tr("Search events"))
        self.search_box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh_events)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        layout.addWidget(self.search_box)
        self.events_view = _table(self.events_model, tr("Events"))
        layout.addWidget(self.events_view)
        self.tabs.addTab(events_page, tr("Events"))

        # Suggestions
        suggestions_page = QWidget()
        layout = QVBoxLayout(suggestions_page)
        self.suggestions_view = _table(self.suggestions_model, tr("Suggestions"))
        layout.addWidget(self.suggestions_view)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(tr("&Accept"))
        self.accept_button.setAccessibleName(tr("Accept suggestion"))
        self.accept_button.clicked.connect(lambda: self._decide("accept"))
        self.dismiss_button = QPushButton(tr("&Dismiss"))
        self.dismiss_button.setAccessibleName(tr("Dismiss suggestion"))
        self.dismiss_button.clicked.connect(lambda: self._decide("dismiss"))
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        layout.addLayout(buttons)
        self.suggestions_tab = self.tabs.addTab(suggestions_page, tr("Suggestions"))

        # Pipeline
        pipeline_page = QWidget()
        layout = QVBoxLayout(pipeline_page)
        self.pipeline_view = _table(self.applications_model, tr("Applications"))
        layout.addWidget(self.pipeline_view)
        buttons = QHBoxLayout()
        self.add_application_button = QPushButton(tr("&Add application…"))
        self.add_application_button.setAccessibleName(tr("Add application"))
        self.add_application_button.clicked.connect(self.add_application)
        buttons.addStretch(1)
        buttons.addWidget(self.add_application_button)
        layout.addLayout(buttons)
        self.tabs.addTab(pipeline_page, tr("Pipeline"))

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

    def _connect_bridge(self) -> None:
        self.bridge.accounts_changed.connect(self.refresh_accounts)
        self.bridge.events_changed.connect(self._events_changed)
        self.bridge.suggestions_changed.connect(self._suggestions_changed)
        self.bridge.pipeline_changed.connect(self.refresh_pipeline)
        self.bridge.sync_progress.connect(self._sync_progress)
        self.bridge.sync_finished.connect(self._sync_finished)

    # --- loading snapshots -------------------------------------------------------------------

    def refresh_all(self) -> None:
        self.refresh_accounts()
        self.refresh_events()
        self.refresh_suggestions()
        self.refresh_pipeline()

    def _loaded(self, name: str) -> None:
        if name in self._pending_loads:
            self._pending_loads.discard(name)
            if not self._pending_loads:
                self.ready.emit()

    def refresh_accounts(self) -> None:
        async def load() -> None:
            accounts = await self.worker.run(self.service.list_accounts)
            calendars = await self.worker.run(self.service.list_calendars)
            self.accounts_model.replace(accounts, calendars)
            self.accounts_view.expandAll()
            self.accounts_stack.setCurrentIndex(1 if accounts else 0)
            synced = [a.last_sync_at for a in accounts if a.last_sync_at]
            self.last_sync_label.setText(
                tr("Last sync: {time}").format(time=max(synced).astimezone().strftime("%d %b %H:%M")) if synced else ""
            )
            self._loaded("accounts")

        self.worker.spawn(load(), self._report_error)

    def refresh_events(self) -> None:
        query = EventQuery(text=self.search_box.text().strip())
        self._events_generation += 1
        generation = self._events_generation

        async def load() -> None:
            events = await self.worker.run(self.service.list_events, query)
            if generation != self._events_generation:
                return  # a newer query was started while this one ran: its answer wins
            self.events_model.replace(events)
            self._loaded("events")

        self.worker.spawn(load(), self._report_error)

    def refresh_suggestions(self) -> None:
        async def load() -> None:
            suggestions = await self.worker.run(self.service.store.suggestions.list)
            self.suggestions_model.replace(suggestions)
            self._update_badge(self.suggestions_model.pending())
            self._loaded("suggestions")

        self.worker.spawn(load(), self._report_error)

    def refresh_pipeline(self) -> None:
        async def load() -> None:
            applications = await self.worker.run(lambda: self.service.list_applications(include_archived=True))
            self.applications_model.replace(applications)
            self._loaded("pipeline")

        self.worker.spawn(load(), self._report_error)

    def _events_changed(self, _message: EventsChanged) -> None:
        self.refresh_events()

    def _suggestions_changed(self, message: SuggestionsChanged) -> None:
        self._update_badge(message.pending)
        self.refresh_suggestions()

    def _update_badge(self, pending: int) -> None:
        label = tr("Suggestions") + (f" ({pending})" if pending else "")
        self.tabs.setTabText(self.suggestions_tab, label)

    # --- commands ----------------------------------------------------------------------------

    def sync_now(self) -> None:
        self.sync_label.setText(tr("Syncing…"))
        self.progress.setVisible(True)

        async def run() -> None:
            results = await self.controller.sync_all()
            failed = [r for r in results if not r.ok]
            self.progress.setVisible(False)
            if not results:
                self.sync_label.setText(tr("No accounts to sync"))
            elif failed:
                self.sync_label.setText(tr("Sync finished with problems: {message}").format(message=failed[0].message or ""))
            else:
                self.sync_label.setText(tr("Up to date"))

        self.worker.spawn(run(), self._report_error)

    def _sync_progress(self, message: SyncProgress) -> None:
        self.progress.setVisible(True)
        self.sync_label.setText(
            tr("Syncing {calendar}: {count} events").format(calendar=message.calendar_name, count=message.events)
        )

    def _sync_finished(self, message: SyncFinished) -> None:
        if not self.controller.running:
            self.progress.setVisible(False)

    def _select_calendar(self, calendar_id: int, selected: bool) -> None:
        self.worker.spawn(self.worker.run(self.service.select_calendar, calendar_id, selected), self._report_error)

    def _selected(self, view: QTableView) -> Any:
        indexes = view.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def _decide(self, verb: str) -> None:
        suggestion = self._selected(self.suggestions_view)
        if not isinstance(suggestion, Suggestion):
            return
        from calendar_desktop.core.wiring import build_tracker

        tracker = build_tracker(self.service)
        decide = tracker.accept if verb == "accept" else tracker.dismiss
        self.worker.spawn(self.worker.run(decide, suggestion.id), self._report_error)

    def add_application(self) -> None:
        dialog = ApplicationDialog(self)
        if dialog.exec():
            values = dialog.values()
            self.worker.spawn(
                self.worker.run(
                    lambda: self.service.add_application(
                        values.company, values.role, values.role_type, aliases=values.aliases
                    )
                ),
                self._report_error,
            )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("About calendar-desktop"),
            tr("calendar-desktop {version}\n\nYour calendars and your job pipeline, kept in sync on your computer.").format(
                version=__version__
            ),
        )

    def _report_error(self, exc: BaseException) -> None:
        log.error("window action failed: %s", exc, exc_info=exc)
        self.statusBar().showMessage(str(exc), 10000)

    def quit_requested(self) -> None:
        QCoreApplication.quit()

    def selected_application(self) -> Application | None:
        row = self._selected(self.pipeline_view)
        return row if isinstance(row, Application) else None
