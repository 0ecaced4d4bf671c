"""The desktop shell: the window, the tray (where one exists) and the notification chain, wired.

Prompts (new suggestions) always land in the Suggestions pane. On top of that: an OS notification
(with buttons where supported, else a tray balloon), and, without a tray, an in-window banner.
Closing the window keeps the app in the tray when there is one, and quits when there is none.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from calendar_desktop.core.bus import SuggestionsChanged
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.domain import ProviderKind, SuggestionStatus
from calendar_desktop.ui.context import UiContext, translator
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.notifications import (
    BannerAdapter,
    DesktopNotifierAdapter,
    Notifier,
    Prompt,
    PromptActions,
    TrayMessageAdapter,
    prompt_for,
)
from calendar_desktop.ui.tray import Tray, tray_available
from calendar_desktop.ui.worker import Worker

if TYPE_CHECKING:  # the connect dialogs are imported when first opened, not at start-up
    from calendar_desktop.ui.dialogs.connect import FlowFactory

log = logging.getLogger(__name__)
tr = translator("Shell")


class DesktopShell(QObject):
    quit_requested = Signal()
    prompted = Signal(object)
    """Every prompt shown (tests and the screenshot script watch this)."""

    def __init__(
        self,
        service: AppService,
        controller: SyncController,
        worker: Worker,
        *,
        use_tray: bool | None = None,
        sign_in_flows: dict[ProviderKind, FlowFactory] | None = None,
        caldav_connect: Any = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.worker = worker
        self.ctx = UiContext.create(service, controller, worker)
        self.window = MainWindow(self.ctx, sign_in_flows=sign_in_flows, caldav_connect=caldav_connect)
        self.actions = PromptActions(self)
        self.actions.review.connect(self.window.open_suggestion)
        self.actions.confirm.connect(self.window.suggestions_pane.accept)

        self.tray: Tray | None = None
        self.os_notifier: Notifier | None = None
        self.banner: BannerAdapter | None = None
        if tray_available() if use_tray is None else use_tray:
            self._set_up_tray()
        else:
            self.banner = BannerAdapter(self.window.banner)

        self.window.bridge.suggestions_changed.connect(self._suggestions_changed)
        self.window.quit_requested.connect(self.quit_requested)
        self.window.hidden_to_tray.connect(self._hidden_to_tray)

    def _set_up_tray(self) -> None:
        tray = self.tray = Tray(self)
        window = self.window
        tray.open_requested.connect(window.bring_to_front)
        tray.sync_requested.connect(window.sync_now)
        tray.pause_toggled.connect(window.set_paused)
        tray.suggestions_requested.connect(self._open_suggestions)
        tray.quit_requested.connect(self.quit)
        window.pause_toggled.connect(tray.set_paused)
        window.suggestions_pane.pending_changed.connect(tray.set_pending)
        window.last_sync_changed.connect(tray.set_last_sync)
        tray.show()
        window.keep_running_in_tray = True
        self.os_notifier = TrayMessageAdapter(tray, self.actions)

    async def upgrade_notifications(self) -> str:
        """Use OS notifications with buttons when the platform has them; returns the adapter in use."""
        adapter = await DesktopNotifierAdapter.probe(self.actions, self.worker.spawn)
        if adapter is not None:
            self.os_notifier = adapter
        return self.os_notifier.name if self.os_notifier else "banner"

    # --- prompts -----------------------------------------------------------------------------

    def _suggestions_changed(self, message: SuggestionsChanged) -> None:
        if self.tray is not None:
            self.tray.set_pending(message.pending)
        for suggestion in message.new:
            if suggestion.status in (SuggestionStatus.PENDING, SuggestionStatus.AUTO_APPLIED):
                self.prompt(prompt_for(suggestion))

    def prompt(self, prompt: Prompt) -> None:
        if self.os_notifier is not None and self.service.settings.notifications:
            self.os_notifier.notify(prompt)
        if self.banner is not None:
            self.banner.notify(prompt)
        self.prompted.emit(prompt)

    def _open_suggestions(self) -> None:
        self.window.bring_to_front()
        self.window.tabs.setCurrentWidget(self.window.suggestions_pane)

    def _hidden_to_tray(self) -> None:
        if self.tray is not None and self.window.mark_tray_hint_shown():
            self.tray.show_message(
                tr("calendar-desktop is still running"),
                tr("It keeps your calendars in sync from the tray. Use Quit in the tray menu to stop it."),
            )

    # --- lifetime ----------------------------------------------------------------------------

    def show(self, *, minimized: bool = False) -> None:
        if minimized and self.tray is not None:
            return  # started at login: the tray icon is enough
        self.window.show()

    def quit(self) -> None:
        self.window.save_ui_state()
        self.quit_requested.emit()

    async def close_notifications(self) -> None:
        """End the OS notification connection (while the event loop still runs)."""
        aclose = getattr(self.os_notifier, "aclose", None)
        if aclose is not None:
            await aclose()

    def close(self) -> None:
        """Detach from the core (call once the event loop has stopped)."""
        if self.tray is not None:
            self.tray.hide()
        self.window.bridge.detach()
        for pane in self.window.panes:
            pane.cancel_scheduled_refresh()
