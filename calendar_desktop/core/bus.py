"""Notifications from the core to whoever listens (the window, the tray, the CLI's progress).

Subscribers are called in the publishing thread; the UI bridge moves them onto the Qt thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from calendar_desktop.domain import ChangeSet, Suggestion

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AccountsChanged:
    """Accounts or calendars were added, removed or changed."""


@dataclass(frozen=True, slots=True)
class SyncProgress:
    account_id: int
    calendar_name: str
    pages: int
    events: int


@dataclass(frozen=True, slots=True)
class SyncStarted:
    account_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SyncFinished:
    account_id: int
    ok: bool
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    message: str | None = None


@dataclass(frozen=True, slots=True)
class EventsChanged:
    changes: ChangeSet | None = None
    """None when the whole set may have changed (forget, deselect)."""


@dataclass(frozen=True, slots=True)
class SuggestionsChanged:
    pending: int
    new: tuple[Suggestion, ...] = field(default_factory=tuple)
    """Suggestions created now (the tray notifies about these)."""


@dataclass(frozen=True, slots=True)
class PipelineChanged:
    pass


@dataclass(frozen=True, slots=True)
class SettingsChanged:
    pass


Message = (
    AccountsChanged
    | SyncProgress
    | SyncStarted
    | SyncFinished
    | EventsChanged
    | SuggestionsChanged
    | PipelineChanged
    | SettingsChanged
)
Subscriber = Callable[[Message], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, message: Message) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(message)
            except Exception:  # one broken listener must not stop a sync
                log.exception("a listener failed on %s", type(message).__name__)
