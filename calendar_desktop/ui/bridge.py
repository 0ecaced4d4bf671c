"""Core bus messages turned into Qt signals delivered on the Qt thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from calendar_desktop.core.bus import (
    AccountsChanged,
    EventBus,
    EventsChanged,
    Message,
    PipelineChanged,
    SettingsChanged,
    SuggestionsChanged,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)


class CoreBridge(QObject):
    """Subscribes to the core's bus from any thread; re-emits on the thread this object lives in."""

    _received = Signal(object)
    accounts_changed = Signal()
    events_changed = Signal(object)
    suggestions_changed = Signal(object)
    pipeline_changed = Signal()
    settings_changed = Signal()
    sync_started = Signal(object)
    sync_progress = Signal(object)
    sync_finished = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._received.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._received.emit)

    def detach(self) -> None:
        self._unsubscribe()

    def _dispatch(self, message: Message) -> None:
        match message:
            case AccountsChanged():
                self.accounts_changed.emit()
            case EventsChanged():
                self.events_changed.emit(message)
            case SuggestionsChanged():
                self.suggestions_changed.emit(message)
            case PipelineChanged():
                self.pipeline_changed.emit()
            case SettingsChanged():
                self.settings_changed.emit()
            case SyncStarted():
                self.sync_started.emit(message)
            case SyncProgress():
                self.sync_progress.emit(message)
            case SyncFinished():
                self.sync_finished.emit(message)
