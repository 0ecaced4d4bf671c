"""Sync soon when the network comes back, instead of waiting out the poll timer.

Qt's QNetworkInformation reports reachability through a platform backend (NetworkManager or
GLib's network monitor on Linux, the system APIs on Windows and macOS). Where no backend loads,
the app just keeps its timers: nothing else depends on this.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)
Reachability = QNetworkInformation.Reachability


class NetworkWatch(QObject):
    """Calls ``on_back`` each time the network becomes reachable again (offline → online)."""

    def __init__(self, on_back: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_back = on_back
        self._last: Reachability | None = None

    def start(self) -> bool:
        """Load a backend and follow it; False (and a log line) where the platform has none."""
        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            log.info("no network-state backend: syncing on the poll timer only")
            return False
        info = QNetworkInformation.instance()
        self._last = info.reachability()
        info.reachabilityChanged.connect(self.reachability_changed)
        log.info("following network state through the %s backend", info.backendName())
        return True

    def reachability_changed(self, reachability: Reachability) -> None:
        came_back = reachability is Reachability.Online and self._last is not Reachability.Online
        self._last = reachability
        if came_back:
            self._on_back()
