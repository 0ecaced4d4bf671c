"""One window per profile: a second launch asks the running one to come to the front, then exits.

A local socket (named pipe on Windows) keyed by the profile's data folder, so two profiles can run
side by side while two launches of one profile cannot.
"""

from __future__ import annotations

import hashlib
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from calendar_desktop.paths import AppPaths

log = logging.getLogger(__name__)
ACTIVATE = b"activate\n"


def instance_key(paths: AppPaths) -> str:
    """Short (socket paths are limited to ~100 bytes), per user and per profile."""
    digest = hashlib.sha256(str(paths.data_dir.resolve()).encode()).hexdigest()[:20]
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return f"calendar-desktop-{user}-{digest}"


def activate_running(key: str, timeout_ms: int = 1000) -> bool:
    """Ask the instance listening on ``key`` to show itself; False if none answers."""
    socket = QLocalSocket()
    socket.connectToServer(key)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(ACTIVATE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return True


class InstanceServer(QObject):
    """Listens for later launches of the same profile; ``activated`` fires for each."""

    activated = Signal()

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self._server.listen(self.key):
            return True
        # A socket file left by a crashed instance (nobody answered before we got here): take it over.
        QLocalServer.removeServer(self.key)
        if self._server.listen(self.key):
            return True
        log.warning("single-instance server could not listen: %s", self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        # Only this user can connect (UserAccessOption), and only a later launch does: every
        # connection is a request to show the window; what it wrote needs no parsing.
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.abort()
            connection.deleteLater()
            self.activated.emit()


def claim(paths: AppPaths, parent: QObject | None = None) -> InstanceServer | None:
    """The server for this profile, or None when another instance runs (it has been asked to show)."""
    key = instance_key(paths)
    if activate_running(key):
        return None
    server = InstanceServer(key, parent)
    server.listen()
    return server
