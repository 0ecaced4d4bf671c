"""The Accounts pane: accounts with their status and calendars; connect, retry, reconnect, disconnect."""

from __future__ import annotations

import functools

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from calendar_desktop.core.bus import SyncFinished, SyncProgress
from calendar_desktop.domain import Account, AccountStatus, Calendar, ProviderKind
from calendar_desktop.providers.base import NewAccount
from calendar_desktop.ui.context import Pane, UiContext, translator
from calendar_desktop.ui.icons import colour_swatch, provider_icon, provider_key
from calendar_desktop.ui.models.accounts import ACCOUNT_ROLE, CALENDAR_ROLE, AccountsModel
from calendar_desktop.ui.widgets import button

if TYPE_CHECKING:  # imported when a dialog is first opened: not needed for the first paint
    from calendar_desktop.ui.dialogs.connect import BrowserSignInDialog, CalDavDialog, FlowFactory

tr = translator("AccountsPane")

BROWSER_PROVIDERS = {ProviderKind.GOOGLE: "Google", ProviderKind.MICROSOFT: "Microsoft 365 / Outlook"}
UNAVAILABLE = "Not available in this build"


class AccountsPane(Pane):
    demo_requested = Signal()
    """The empty state's "Try with demo data" was clicked."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        sign_in_flows: dict[ProviderKind, FlowFactory] | None = None,
        caldav_connect: Callable[..., NewAccount] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.sign_in_flows = dict(sign_in_flows or {})
        self.access_mode_answer: bool | None = None
        """When set, connecting skips the read-only / two-way question and uses this answer."""
        self.caldav_connect = caldav_connect
        self.model = AccountsModel(self._select_calendar, self)
        self.connect_menu = self._build_connect_menu()

        # Empty state
        self.empty_state = QWidget()
        self.empty_state.setObjectName("empty-state")
        empty_layout = QVBoxLayout(self.empty_state)
        self.empty_label = QLabel(
            tr(
                "Connect a calendar to get started: your events stay on this computer, and interview "
                "invitations become suggestions for your job pipeline."
            )
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName(tr("No accounts yet"))
        self.empty_connect_button = button(tr("&Connect a calendar…"), tr("Connect a calendar"))
        self.empty_connect_button.setMenu(self.connect_menu)
        self.demo_button = button(tr("Try with &demo data"), tr("Try with demo data"))
        self.demo_button.setToolTip(tr("Opens a separate demo profile with a local calendar server and sample events"))
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_connect_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(2)

        # Accounts
        self.connect_button = QToolButton()
        self.connect_button.setText(tr("&Connect"))
        self.connect_button.setAccessibleName(tr("Connect an account"))
        self.connect_button.setMenu(self.connect_menu)
        self.connect_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.retry_button = button(tr("&Retry"), tr("Retry syncing the account"), self.retry_selected)
        self.reconnect_button = button(tr("Re&connect…"), tr("Reconnect the account"), self.reconnect_selected)
        self.disconnect_button = button(tr("&Disconnect…"), tr("Disconnect the account"), self.disconnect_selected)
        self.forget_button = button(tr("&Forget calendar data…"), tr("Forget calendar data"), self.forget_calendar_data)
        self.forget_button.setToolTip(tr("Delete every event kept on this computer; the next sync downloads them again"))
        toolbar = QHBoxLayout()
        for widget in (self.connect_button, self.retry_button, self.reconnect_button, self.disconnect_button):
            toolbar.addWidget(widget)
        toolbar.addStretch(1)
        toolbar.addWidget(self.forget_button)

        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Accounts and calendars"))
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.header().setStretchLastSection(True)
        self.view.setColumnWidth(0, 420)
        self.view.setColumnWidth(1, 300)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        self.account_status = QLabel("")
        self.account_status.setObjectName("account-status")
        self.account_status.setWordWrap(True)
        self.account_status.setAccessibleName(tr("Selected account status"))
        self.account_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.write_target = QComboBox()
        self.write_target.setAccessibleName(tr("Calendar for interviews scheduled in the app"))
        self.write_target.activated.connect(self._write_target_chosen)
        target_row = QHBoxLayout()
        target_label = QLabel(tr("Write interviews scheduled in the app to:"))
        target_label.setBuddy(self.write_target)
        target_row.addWidget(target_label)
        target_row.addWidget(self.write_target, 1)

        accounts_page = QWidget()
        accounts_layout = QVBoxLayout(accounts_page)
        accounts_layout.addLayout(toolbar)
        accounts_layout.addWidget(self.view, 1)
        accounts_layout.addWidget(self.account_status)
        accounts_layout.addLayout(target_row)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(accounts_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._update_buttons()

    # --- connect menu ------------------------------------------------------------------------

    def _build_connect_menu(self) -> QMenu:
        menu = QMenu(tr("Connect"), self)
        providers = self.ctx.service.providers
        self.connect_actions: dict[str, QAction] = {}
        for kind, label in BROWSER_PROVIDERS.items():
            action = menu.addAction(provider_icon(kind.value), label + "…")
            available = providers.available(kind) and kind in self.sign_in_flows
            action.setEnabled(available)
            if not available:
                action.setToolTip(tr(UNAVAILABLE))
                action.setText(label + " — " + tr("not available in this build"))
            action.triggered.connect(lambda _=False, k=kind: self.connect_browser(k))
            self.connect_actions[kind.value] = action
        menu.setToolTipsVisible(True)
        caldav_ok = providers.available(ProviderKind.CALDAV) or self.caldav_connect is not None
        for key, label, icloud in (("icloud", tr("iCloud…"), True), ("caldav", tr("Other CalDAV server…"), False)):
            action = menu.addAction(provider_icon(key), label)
            action.setEnabled(caldav_ok)
            if not caldav_ok:
                action.setToolTip(tr(UNAVAILABLE))
            action.triggered.connect(lambda _=False, i=icloud: self.connect_caldav(icloud=i))
            self.connect_actions[key] = action
        return menu

    def connect_caldav(self, *, icloud: bool, account: Account | None = None) -> CalDavDialog:
        """Open the CalDAV dialog (non-modal); a success adds (or, with ``account``, reconnects) it."""
        from calendar_desktop.ui.dialogs.connect import CalDavDialog

        kwargs = {"connect": self.caldav_connect} if self.caldav_connect is not None else {}
        dialog = CalDavDialog(
            self.ctx.worker,
            icloud=icloud,
            url=(account.server_url or "") if account else "",
            username=account.username if account else "",
            name=account.name if account else "",
            parent=self,
            **kwargs,
        )
        dialog.accepted.connect(lambda: self._connected(dialog.result_account, account))
        dialog.open()
        return dialog

    def connect_browser(self, kind: ProviderKind, account: Account | None = None) -> BrowserSignInDialog | None:
        make = self.sign_in_flows.get(kind)
        if make is None:
            return None
        read_only = account.read_only if account is not None else self.ask_access_mode(BROWSER_PROVIDERS[kind])
        if read_only is None:
            return None
        from calendar_desktop.ui.dialogs.connect import BrowserSignInDialog

        dialog = BrowserSignInDialog(
            self.ctx.worker, BROWSER_PROVIDERS[kind], functools.partial(make, read_only=read_only), parent=self
        )
        dialog.accepted.connect(lambda: self._connected(dialog.result_account, account))
        dialog.open()
        dialog.start()
        return dialog

    def ask_access_mode(self, provider: str) -> bool | None:
        """Read-only (detect interviews) or two-way (also write the interviews you schedule)? None: cancelled."""
        if self.access_mode_answer is not None:  # set by tests and scripted runs
            return self.access_mode_answer
        box = QMessageBox(self)
        box.setWindowTitle(tr("Connect {provider}").format(provider=provider))
        box.setText(tr("How should calendar-desktop use this calendar?"))
        box.setInformativeText(
            tr(
                "Two-way: read your events to find interviews, and write the interviews you schedule in the app "
                "to the calendar you choose.\nRead-only: only read your events; nothing is ever written."
            )
        )
        two_way = box.addButton(tr("&Two-way"), QMessageBox.ButtonRole.AcceptRole)
        read_only = box.addButton(tr("&Read-only"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(two_way)
        box.exec()
        clicked = box.clickedButton()
        return None if clicked not in (two_way, read_only) else clicked is read_only

    def _connected(self, new: NewAccount | None, existing: Account | None) -> None:
        if new is None:
            return
        service = self.ctx.service

        def store() -> Account:
            if existing is not None:
                return service.reconnect_account(existing.id, new)
            return service.add_account(new)

        self.run(store, then=lambda account: self.retry(account.id))

    # --- account actions ---------------------------------------------------------------------

    def selected_account(self) -> Account | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        account = index.data(ACCOUNT_ROLE)
        if isinstance(account, Account):
            return account
        parent = index.parent()
        while parent.isValid():
            account = parent.siblingAtColumn(0).data(ACCOUNT_ROLE)
            if isinstance(account, Account):
                return account
            parent = parent.parent()
        return None

    def select_account(self, account_id: int) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            account = item.data(ACCOUNT_ROLE) if item else None
            if isinstance(account, Account) and account.id == account_id:
                self.view.setCurrentIndex(item.index())
                return

    def retry(self, account_id: int) -> None:
        async def job() -> None:
            await self.ctx.controller.sync_account(account_id)

        self.ctx.worker.spawn(job(), self.fail)

    def retry_selected(self) -> None:
        account = self.selected_account()
        if account is not None:
            self.retry(account.id)

    def reconnect_selected(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        if account.provider is ProviderKind.CALDAV:
            self.connect_caldav(icloud=provider_key(account) == "icloud", account=account)
        else:
            self.connect_browser(account.provider, account)

    def disconnect_selected(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Disconnect {name}?").format(name=account.name),
            tr(
                "calendar-desktop will revoke its access where the provider allows it, delete the account's "
                "password or tokens from your keyring and remove its calendars and events from this computer. "
                "Your job pipeline stays. Nothing is deleted on the server."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.run(self.ctx.service.remove_account, account.id)

    def forget_calendar_data(self) -> None:
        answer = QMessageBox.question(
            self,
            tr("Forget calendar data?"),
            tr(
                "Delete every event, suggestion and sync record kept on this computer? Accounts, calendar "
                "choices and your job pipeline stay; the next sync downloads the events again."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.run(self.ctx.service.forget_calendar_data)

    def _select_calendar(self, calendar_id: int, selected: bool) -> None:
        self.run(self.ctx.service.select_calendar, calendar_id, selected)

    def _write_target_chosen(self, index: int) -> None:
        self.run(self.ctx.service.set_write_target, self.write_target.itemData(index))

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        service = self.ctx.service

        def load() -> tuple[list[Account], list[Calendar]]:
            return service.list_accounts(), service.list_calendars()

        self.load_snapshot(load, self._show)

    def _show(self, snapshot: tuple[list[Account], list[Calendar]]) -> None:
        accounts, calendars = snapshot
        selected = self.selected_account()
        self.model.replace(accounts, calendars)
        self.view.expandAll()
        self.stack.setCurrentIndex(1 if accounts else 0)
        self._fill_write_targets(accounts, calendars)
        if selected is not None:
            self.select_account(selected.id)
        elif accounts:
            self.select_account(accounts[0].id)
        self._update_buttons()
        self.mark_ready()

    def _fill_write_targets(self, accounts: list[Account], calendars: list[Calendar]) -> None:
        writable_accounts = {a.id: a for a in accounts if not a.read_only}
        self.write_target.clear()
        self.write_target.addItem(tr("Nowhere (keep interviews in the app only)"), None)
        for calendar in calendars:
            account = writable_accounts.get(calendar.account_id)
            if account is None or calendar.read_only:
                continue
            label = f"{calendar.name} ({account.name})"
            if calendar.color:
                self.write_target.addItem(colour_swatch(calendar.color), label, calendar.id)
            else:
                self.write_target.addItem(label, calendar.id)
            if calendar.write_target:
                self.write_target.setCurrentIndex(self.write_target.count() - 1)

    def show_progress(self, message: SyncProgress) -> None:
        self.model.show_progress(message)

    def sync_finished(self, message: SyncFinished) -> None:
        self.model.clear_progress(message.account_id)

    def _update_buttons(self) -> None:
        account = self.selected_account()
        self.retry_button.setEnabled(account is not None and account.status is not AccountStatus.SYNCING)
        self.retry_button.setVisible(account is None or account.status is not AccountStatus.NEEDS_REAUTH)
        self.reconnect_button.setVisible(account is not None and account.status is AccountStatus.NEEDS_REAUTH)
        self.disconnect_button.setEnabled(account is not None)
        if account is None:
            self.account_status.setText("")
        elif account.status is AccountStatus.ERROR:
            self.account_status.setText(
                tr("{name}: syncing failed — {message}").format(name=account.name, message=account.last_error or "")
            )
        elif account.status is AccountStatus.NEEDS_REAUTH:
            self.account_status.setText(
                tr("{name} needs to be reconnected: {message}").format(
                    name=account.name, message=account.last_error or tr("access was refused or revoked.")
                )
            )
        else:
            self.account_status.setText("")

    def calendar_at(self, row: int, account_row: int = 0) -> Calendar | None:
        item = self.model.item(account_row, 0)
        child = item.child(row, 0) if item else None
        value = child.data(CALENDAR_ROLE) if child else None
        return value if isinstance(value, Calendar) else None
