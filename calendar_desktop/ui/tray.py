"""The tray icon: a menu (Open, Sync now, Pause syncing, pending suggestions, Quit), a badge count,
the last sync in the tooltip, and balloon messages. Only created where a tray exists."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from calendar_desktop.ui.context import translator
from calendar_desktop.ui.icons import app_icon, badged_icon

tr = translator("Tray")


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def pending_text(count: int) -> str:
    return tr("1 pending suggestion") if count == 1 else tr("{n} pending suggestions").format(n=count)


class Tray(QObject):
    open_requested = Signal()
    sync_requested = Signal()
    pause_toggled = Signal(bool)
    suggestions_requested = Signal()
    quit_requested = Signal()
    message_clicked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0
        self._paused = False
        self._last_sync = ""
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.menu = QMenu()
        self.open_action = QAction(tr("&Open calendar-desktop"), self.menu)
        self.open_action.triggered.connect(self.open_requested)
        self.sync_action = QAction(tr("&Sync now"), self.menu)
        self.sync_action.triggered.connect(self.sync_requested)
        self.pause_action = QAction(tr("&Pause syncing"), self.menu)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.pause_toggled)
        self.suggestions_action = QAction("", self.menu)
        self.suggestions_action.triggered.connect(self.suggestions_requested)
        self.quit_action = QAction(tr("&Quit"), self.menu)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.open_action)
        self.menu.addAction(self.suggestions_action)
        self.menu.addSeparator()
        self.menu.addAction(self.sync_action)
        self.menu.addAction(self.pause_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.message_clicked)
        self._refresh()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def is_visible(self) -> bool:
        return self.icon.isVisible()

    def set_pending(self, count: int) -> None:
        if count != self._pending:
            self._pending = count
            self._refresh()

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        if self.pause_action.isChecked() != paused:
            self.pause_action.blockSignals(True)
            self.pause_action.setChecked(paused)
            self.pause_action.blockSignals(False)
        self._refresh()

    def set_last_sync(self, text: str) -> None:
        self._last_sync = text
        self._refresh()

    def show_message(self, title: str, body: str) -> None:
        self.icon.showMessage(title, body, app_icon(), 15_000)

    @property
    def tooltip(self) -> str:
        return self.icon.toolTip()

    @property
    def pending(self) -> int:
        return self._pending

    def _refresh(self) -> None:
        self.icon.setIcon(badged_icon(self._pending, paused=self._paused))
        if self._pending:
            self.suggestions_action.setText(pending_text(self._pending))
        else:
            self.suggestions_action.setText(tr("No pending suggestions"))
        self.suggestions_action.setEnabled(self._pending > 0)
        lines = ["calendar-desktop"]
        if self._paused:
            lines.append(tr("Syncing is paused"))
        lines.append(self._last_sync or tr("Not synced yet"))
        if self._pending:
            lines.append(pending_text(self._pending))
        self.icon.setToolTip("\n".join(lines))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
