"""Connect flows that never freeze the window.

Two dialogs: a CalDAV form (iCloud or any server) and a reusable "browser sign-in" dialog for
OAuth providers. Both run the blocking connect call on a worker thread and turn failures into
plain words. What a flow produces is a ``NewAccount``; the caller stores it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calendar_desktop.providers.base import NewAccount
from calendar_desktop.providers.errors import (
    AuthenticationError,
    PermanentError,
    ProviderError,
    ProviderUnavailable,
    SignInCancelled,
    SignInTimeout,
    TransientError,
)
from calendar_desktop.ui.context import translator
from calendar_desktop.ui.worker import Worker

log = logging.getLogger(__name__)
tr = translator("ConnectDialog")

ICLOUD_FALLBACK_URL = "https://caldav.icloud.com/"
APP_PASSWORD_FALLBACK = (
    "iCloud needs an app-specific password, not your Apple ID password: create one at "
    "appleid.apple.com → Sign-In and Security → App-Specific Passwords."
)


def _caldav_connect_module():  # type: ignore[no-untyped-def]
    from calendar_desktop.providers.caldav import connect

    return connect


def icloud_url() -> str:
    try:
        return str(_caldav_connect_module().ICLOUD_URL)
    except (ImportError, AttributeError):
        return ICLOUD_FALLBACK_URL


def app_password_help() -> str:
    try:
        module = _caldav_connect_module()
    except ImportError:
        return tr(APP_PASSWORD_FALLBACK)
    for name in ("APP_SPECIFIC_PASSWORD_HELP", "APP_PASSWORD_HELP", "ICLOUD_APP_PASSWORD_HELP"):
        text = getattr(module, name, None)
        if isinstance(text, str):
            return text
    return tr(APP_PASSWORD_FALLBACK)


def default_caldav_connect(url: str, username: str, password: str, *, name: str | None = None) -> NewAccount:
    connect: Callable[..., NewAccount] = _caldav_connect_module().connect_caldav
    return connect(url, username, password, name=name)


def explain(exc: BaseException, *, icloud: bool = False) -> str:
    """A failure in plain words: what happened and what to do next."""
    text = str(exc)
    lowered = text.lower()
    if "redirect_uri_mismatch" in lowered or "redirect uri" in lowered:
        return tr(
            "The sign-in page refused to send you back to calendar-desktop (redirect mismatch). "
            "The app's registration does not allow the local address it listens on; "
            "ask whoever set up the client id to add http://127.0.0.1 as a redirect address."
        )
    if isinstance(exc, SignInTimeout):
        return tr("The sign-in was not finished in time, so nothing was connected. Try again when you are ready.")
    if "access_denied" in lowered or ("consent" in lowered and "refus" in lowered):
        return tr("You did not grant access, so nothing was connected. Try again and accept the requested access.")
    if isinstance(exc, AuthenticationError):
        if icloud:
            return tr("iCloud refused the Apple ID or password. ") + app_password_help()
        return tr("The server refused the user name or password. Check them and try again.") + (
            f"\n\n{text}" if text else ""
        )
    if isinstance(exc, TransientError) or isinstance(exc, (OSError, TimeoutError)):
        return tr(
            "Could not reach the server: the network may be down or the address wrong. "
            "Check your connection and the server address, then try again."
        ) + (f"\n\n{text}" if text else "")
    if isinstance(exc, (PermanentError, ProviderUnavailable, ProviderError, ValueError)):
        return text or tr("The server did not accept the request.")
    return tr("Connecting failed unexpectedly ({kind}); details are in the log.").format(kind=type(exc).__name__)


class _ConnectDialog(QDialog):
    """Common parts: a status line, a busy bar, and running one blocking call off the Qt thread."""

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.result_account: NewAccount | None = None
        self.error_text = ""
        self._task: asyncio.Task[object] | None = None
        self.status = QLabel("")
        self.status.setObjectName("connect-status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Connection status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setAccessibleName(tr("Connecting"))

    def _start(self, call: Callable[[], NewAccount], *, icloud: bool = False) -> None:
        self.error_text = ""
        self._set_busy(True)

        async def job() -> None:
            try:
                account = await self.worker.run(call)
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # shown to the user, never a traceback
                if self._is_cancellation(exc):
                    self.reject()
                    return
                log.info("connect failed: %s", type(exc).__name__)
                self._failed(explain(exc, icloud=icloud))
                return
            finally:
                self._task = None
            self.result_account = account
            self.accept()

        self._task = self.worker.spawn(job())

    @staticmethod
    def _is_cancellation(exc: BaseException) -> bool:
        return isinstance(exc, SignInCancelled)

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()  # the blocking call finishes in its thread; its result is dropped
            self._task = None
        super().reject()

    def _failed(self, text: str) -> None:
        self.error_text = text
        self.status.setText(text)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    @property
    def running(self) -> bool:
        return self._task is not None


class CalDavDialog(_ConnectDialog):
    """Server address, user name and password; ``icloud`` fixes the address and explains app passwords."""

    def __init__(
        self,
        worker: Worker,
        *,
        icloud: bool = False,
        connect: Callable[..., NewAccount] = default_caldav_connect,
        url: str = "",
        username: str = "",
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(worker, parent)
        self._connect = connect
        self.icloud = icloud
        self.setWindowTitle(tr("Connect iCloud") if icloud else tr("Connect a CalDAV server"))
        self.setMinimumWidth(460)
        self.url = QLineEdit(url or (icloud_url() if icloud else ""))
        self.url.setAccessibleName(tr("Server address"))
        self.url.setPlaceholderText("https://dav.example.com/")
        self.username = QLineEdit(username)
        self.username.setAccessibleName(tr("User name"))
        self.username.setPlaceholderText(tr("Apple ID e-mail") if icloud else tr("user name or e-mail"))
        self.password = QLineEdit()
        self.password.setAccessibleName(tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.name = QLineEdit(name)
        self.name.setAccessibleName(tr("Account name"))
        self.name.setPlaceholderText(tr("optional, e.g. Personal"))

        form = QFormLayout()
        if not icloud:
            form.addRow(tr("&Server address"), self.url)
        form.addRow(tr("&Apple ID") if icloud else tr("&User name"), self.username)
        form.addRow(tr("App-specific &password") if icloud else tr("&Password"), self.password)
        form.addRow(tr("Account &name"), self.name)

        layout = QVBoxLayout(self)
        if icloud:
            hint = QLabel(app_password_help())
            hint.setWordWrap(True)
            hint.setAccessibleName(tr("About app-specific passwords"))
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(tr("&Connect"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setAccessibleName(tr("Connect"))
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        url, username, password = self.url.text().strip(), self.username.text().strip(), self.password.text()
        missing = [
            label
            for label, value in ((tr("server address"), url), (tr("user name"), username), (tr("password"), password))
            if not value
        ]
        if missing:
            self._failed(tr("Please fill in: {fields}.").format(fields=", ".join(missing)))
            return
        if not url.lower().startswith(("https://", "http://")):
            url = "https://" + url
        name = self.name.text().strip() or None
        self._start(lambda: self._connect(url, username, password, name=name), icloud=self.icloud)

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        self.connect_button.setEnabled(not busy)
        if busy:
            self.status.setText(tr("Checking the server and your credentials…"))


class SignInFlow(Protocol):
    """A browser sign-in (Google, Microsoft): ``run`` blocks until done; ``cancel`` ends it early."""

    def run(self) -> NewAccount: ...

    def cancel(self) -> None: ...


FlowFactory = Callable[..., SignInFlow]
"""Makes a flow given a callback that receives the sign-in URL (to show when no browser opens) and
keyword choices made before connecting (``read_only``)."""


class BrowserSignInDialog(_ConnectDialog):
    """"Your browser has opened": waits for the sign-in, shows the URL to copy, Cancel ends the flow."""

    url_received = Signal(str)

    def __init__(self, worker: Worker, provider_name: str, make_flow: FlowFactory, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.setWindowTitle(tr("Connect {provider}").format(provider=provider_name))
        self.setMinimumWidth(480)
        self.message = QLabel(
            tr(
                "Your web browser has opened the {provider} sign-in page. Sign in there and allow access; "
                "this window continues by itself once you are done."
            ).format(provider=provider_name)
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("What to do"))
        self.url_hint = QLabel(tr("If no browser opened, copy this address into one:"))
        self.url_field = QLineEdit()
        self.url_field.setReadOnly(True)
        self.url_field.setAccessibleName(tr("Sign-in address"))
        self.copy_button = QPushButton(tr("Co&py"))
        self.copy_button.setAccessibleName(tr("Copy sign-in address"))
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url_field.text()))
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_field)
        url_row.addWidget(self.copy_button)
        for widget in (self.url_hint, self.url_field, self.copy_button):
            widget.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.url_hint)
        layout.addLayout(url_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        self.retry_button = self.buttons.addButton(tr("&Try again"), QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.start)
        layout.addWidget(self.buttons)

        self._make_flow = make_flow
        self._flow: SignInFlow | None = None
        self.url_received.connect(self._show_url, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Begin the sign-in (call after construction, before ``exec``/``open``)."""
        self.retry_button.setVisible(False)
        try:
            self._flow = self._make_flow(self.url_received.emit)
        except Exception as exc:  # e.g. no OAuth client configured: say what to set up
            self._failed(explain(exc))
            return
        self._start(self._flow.run)

    def _show_url(self, url: str) -> None:
        self.url_field.setText(url)
        for widget in (self.url_hint, self.url_field, self.copy_button):
            widget.setVisible(True)

    def _failed(self, text: str) -> None:
        super()._failed(text)
        self.retry_button.setVisible(True)

    def cancel(self) -> None:
        if self._flow is not None and self.running:
            try:
                self._flow.cancel()
            except Exception:  # the flow ends on its own at its timeout anyway
                log.warning("cancelling the sign-in failed", exc_info=True)
        self.reject()
