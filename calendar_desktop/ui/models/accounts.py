"""Accounts and their calendars as a tree; a calendar's check box selects it for sync."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from calendar_desktop.core.bus import SyncProgress
from calendar_desktop.domain import Account, AccountStatus, Calendar
from calendar_desktop.ui.icons import colour_swatch, provider_icon, provider_key

ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1
CALENDAR_ROLE = Qt.ItemDataRole.UserRole + 2


def tr(text: str) -> str:
    return QCoreApplication.translate("AccountsModel", text)


def status_text(account: Account, progress: SyncProgress | None = None) -> str:
    match account.status:
        case AccountStatus.CONNECTED:
            return tr("Connected")
        case AccountStatus.SYNCING:
            if progress is not None:
                return tr("Syncing {calendar}… {count} events").format(
                    calendar=progress.calendar_name, count=progress.events
                )
            return tr("Syncing…")
        case AccountStatus.ERROR:
            return tr("Error: {message}").format(message=account.last_error or tr("unknown"))
        case AccountStatus.NEEDS_REAUTH:
            return tr("Needs reconnecting")


def last_sync_text(account: Account) -> str:
    if account.last_sync_at is None:
        return tr("never synced")
    return tr("synced {time}").format(time=account.last_sync_at.astimezone().strftime("%d %b %H:%M"))


def _item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    return item


class AccountsModel(QStandardItemModel):
    """Rebuilt from a snapshot (accounts are few); check changes are reported through ``on_select``."""

    def __init__(self, on_select: Callable[[int, bool], None], parent: Any = None) -> None:
        super().__init__(parent)
        self._on_select = on_select
        self._rebuilding = False
        self._accounts: list[Account] = []
        self._progress: dict[int, SyncProgress] = {}
        self.setHorizontalHeaderLabels([tr("Account / calendar"), tr("Status"), tr("Last sync")])
        self.itemChanged.connect(self._item_changed)

    @property
    def accounts(self) -> list[Account]:
        return list(self._accounts)

    def replace(self, accounts: list[Account], calendars: list[Calendar]) -> None:
        self._rebuilding = True
        self._accounts = list(accounts)
        self._progress = {k: v for k, v in self._progress.items() if any(a.id == k for a in accounts)}
        try:
            self.removeRows(0, self.rowCount())
            by_account: dict[int, list[Calendar]] = {}
            for calendar in calendars:
                by_account.setdefault(calendar.account_id, []).append(calendar)
            for account in accounts:
                self.appendRow(self._account_row(account, by_account.get(account.id, [])))
        finally:
            self._rebuilding = False

    def _account_row(self, account: Account, calendars: list[Calendar]) -> list[QStandardItem]:
        label = account.name if account.username in account.name else f"{account.name} — {account.username}"
        name = _item(label)
        name.setIcon(provider_icon(provider_key(account)))
        name.setData(account, ACCOUNT_ROLE)
        name.setData(f"{provider_key(account)} {tr('account')} {label}", Qt.ItemDataRole.AccessibleTextRole)
        status = _item(status_text(account, self._progress.get(account.id)))
        status.setData(account, ACCOUNT_ROLE)
        if account.last_error:
            status.setToolTip(account.last_error)
        last = _item(last_sync_text(account))
        last.setData(account, ACCOUNT_ROLE)
        for calendar in calendars:
            item = _item(calendar.name)
            item.setData(calendar, CALENDAR_ROLE)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked if calendar.selected else Qt.CheckState.Unchecked)
            item.setToolTip(tr("Sync this calendar"))
            if calendar.color:
                item.setIcon(colour_swatch(calendar.color))
            notes = []
            if calendar.write_target:
                notes.append(tr("interviews are written here"))
            if calendar.read_only:
                notes.append(tr("read-only"))
            if not calendar.selected:
                notes.append(tr("not synced"))
            extra = _item(", ".join(notes))
            extra.setData(calendar, CALENDAR_ROLE)
            name.appendRow([item, extra, _item("")])
        return [name, status, last]

    def show_progress(self, message: SyncProgress) -> None:
        """Update an account's status text in place while it syncs (no rebuild)."""
        self._progress[message.account_id] = message
        for row, account in enumerate(self._accounts):
            if account.id == message.account_id:
                item = self.item(row, 1)
                if item is not None:
                    item.setText(status_text(dataclasses.replace(account, status=AccountStatus.SYNCING), message))

    def clear_progress(self, account_id: int) -> None:
        self._progress.pop(account_id, None)

    def _item_changed(self, item: QStandardItem) -> None:
        if self._rebuilding:
            return
        calendar = item.data(CALENDAR_ROLE)
        if isinstance(calendar, Calendar) and item.isCheckable():
            selected = item.checkState() == Qt.CheckState.Checked
            if selected != calendar.selected:
                self._on_select(calendar.id, selected)
