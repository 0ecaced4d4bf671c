"""Accounts and their calendars as a tree; a calendar's check box selects it for sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from calendar_desktop.domain import Account, AccountStatus, Calendar

ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1
CALENDAR_ROLE = Qt.ItemDataRole.UserRole + 2


def tr(text: str) -> str:
    return QCoreApplication.translate("AccountsModel", text)


STATUS_TEXT = {
    AccountStatus.CONNECTED: "Connected",
    AccountStatus.SYNCING: "Syncing…",
    AccountStatus.ERROR: "Error",
    AccountStatus.NEEDS_REAUTH: "Reconnect needed",
}


def last_sync_text(account: Account) -> str:
    if account.last_sync_at is None:
        return tr("never synced")
    return tr("synced {time}").format(time=account.last_sync_at.astimezone().strftime("%d %b %H:%M"))


class AccountsModel(QStandardItemModel):
    """Rebuilt from a snapshot (accounts are few); check changes are reported through ``on_select``."""

    def __init__(self, on_select: Callable[[int, bool], None], parent: Any = None) -> None:
        super().__init__(parent)
        self._on_select = on_select
        self._rebuilding = False
        self.setHorizontalHeaderLabels([tr("Account / calendar"), tr("Status"), tr("Last sync")])
        self.itemChanged.connect(self._item_changed)

    def replace(self, accounts: list[Account], calendars: list[Calendar]) -> None:
        self._rebuilding = True
        try:
            self.removeRows(0, self.rowCount())
            by_account: dict[int, list[Calendar]] = {}
            for calendar in calendars:
                by_account.setdefault(calendar.account_id, []).append(calendar)
            for account in accounts:
                name = QStandardItem(f"{account.name}  ({account.provider.value})")
                name.setData(account, ACCOUNT_ROLE)
                name.setEditable(False)
                status = QStandardItem(tr(STATUS_TEXT[account.status]))
                status.setEditable(False)
                if account.last_error:
                    status.setToolTip(account.last_error)
                last = QStandardItem(last_sync_text(account))
                last.setEditable(False)
                for calendar in by_account.get(account.id, []):
                    item = QStandardItem(calendar.name)
                    item.setData(calendar, CALENDAR_ROLE)
                    item.setEditable(False)
                    item.setCheckable(True)
                    item.setCheckState(Qt.CheckState.Checked if calendar.selected else Qt.CheckState.Unchecked)
                    item.setToolTip(tr("Sync this calendar"))
                    if calendar.color:
                        item.setData(QColor(calendar.color), Qt.ItemDataRole.DecorationRole)
                    notes = []
                    if calendar.write_target:
                        notes.append(tr("interviews are written here"))
                    if calendar.read_only:
                        notes.append(tr("read-only"))
                    extra = QStandardItem(", ".join(notes))
                    extra.setEditable(False)
                    blank = QStandardItem("")
                    blank.setEditable(False)
                    name.appendRow([item, extra, blank])
                self.appendRow([name, status, last])
        finally:
            self._rebuilding = False

    def _item_changed(self, item: QStandardItem) -> None:
        if self._rebuilding:
            return
        calendar = item.data(CALENDAR_ROLE)
        if isinstance(calendar, Calendar):
            selected = item.checkState() == Qt.CheckState.Checked
            if selected != calendar.selected:
                self._on_select(calendar.id, selected)
