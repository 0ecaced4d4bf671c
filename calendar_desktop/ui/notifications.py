"""Telling the user about prompts outside the window: a chain of adapters probed for capabilities.

The Suggestions pane is always where a prompt waits for its answer; these only point at it.
From best to plainest:

1. ``DesktopNotifierAdapter``: OS notifications with Confirm / Review buttons (desktop-notifier:
   D-Bus on Linux when the notification service advertises ``actions``; macOS; Windows).
2. ``TrayMessageAdapter``: ``QSystemTrayIcon.showMessage``; a click opens the prompt.
3. ``BannerAdapter``: no tray at all: a banner inside the window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from calendar_desktop.domain import Suggestion, SuggestionKind, SuggestionStatus
from calendar_desktop.ui.context import translator
from calendar_desktop.ui.models.suggestions import describe, subject

log = logging.getLogger(__name__)
tr = translator("Notifications")
PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class Prompt:
    suggestion_id: int
    title: str
    body: str
    confirmable: bool
    """Pending and answerable in one click (Confirm); auto-applied changes are only reported."""


def prompt_for(suggestion: Suggestion) -> Prompt:
    pending = suggestion.status is SuggestionStatus.PENDING
    if suggestion.kind is SuggestionKind.RESCHEDULE:
        title = tr("Interview rescheduled") if pending else tr("Interview moved (applied automatically)")
    elif suggestion.kind is SuggestionKind.CANCELLATION:
        title = tr("Interview cancelled?")
    else:
        title = tr("New interview found")
    who = subject(suggestion)
    body = (f"{who}: " if who else "") + describe(suggestion)
    confirmable = pending and suggestion.kind is not SuggestionKind.NEW_INTERVIEW
    return Prompt(suggestion.id, title, body, confirmable)


class PromptActions(QObject):
    """Where every adapter reports the user's answer; the shell connects these to the window."""

    review = Signal(int)
    """Open the window on this suggestion."""
    confirm = Signal(int)
    """Accept this suggestion as it is."""


class Notifier(Protocol):
    name: str

    def notify(self, prompt: Prompt) -> None: ...


class TrayMessageAdapter:
    """A tray balloon; clicking it reviews the most recent prompt."""

    name = "tray"

    def __init__(self, tray: Any, actions: PromptActions) -> None:
        self._tray = tray
        self._actions = actions
        self._last: Prompt | None = None
        tray.message_clicked.connect(self._clicked)

    def notify(self, prompt: Prompt) -> None:
        self._last = prompt
        self._tray.show_message(prompt.title, prompt.body)

    def _clicked(self) -> None:
        if self._last is not None:
            self._actions.review.emit(self._last.suggestion_id)


class BannerAdapter:
    name = "banner"

    def __init__(self, banner: Any) -> None:
        self._banner = banner

    def notify(self, prompt: Prompt) -> None:
        self._banner.show_prompt(prompt)


class DesktopNotifierAdapter:
    """OS notifications with buttons through desktop-notifier (an optional dependency)."""

    name = "desktop-notifier"

    def __init__(self, notifier: Any, actions: PromptActions, spawn: Callable[[Any], object]) -> None:
        self._notifier = notifier
        self._actions = actions
        self._spawn = spawn

    @classmethod
    async def probe(cls, actions: PromptActions, spawn: Callable[[Any], object]) -> DesktopNotifierAdapter | None:
        """The adapter if notifications with buttons can be shown here, else None (never raises)."""
        if sys.platform.startswith("linux") and not _has_session_bus():
            return None
        try:
            from desktop_notifier import Capability, DesktopNotifier
        except ImportError:
            return None
        notifier = DesktopNotifier(app_name="calendar-desktop", app_icon=None)
        adapter = cls(notifier, actions, spawn)
        try:
            capabilities = await asyncio.wait_for(notifier.get_capabilities(), PROBE_TIMEOUT_S)
        except Exception as exc:  # no notification service: the next adapter in the chain is used
            log.info("no desktop notifications with buttons here (%s)", type(exc).__name__)
            await adapter.aclose()
            return None
        if Capability.BUTTONS not in capabilities:
            log.info("the notification service has no buttons; using the tray instead")
            await adapter.aclose()
            return None
        return adapter

    async def aclose(self) -> None:
        """Drop the D-Bus connection and wait until it is closed (desktop-notifier has no close of
        its own; its dbus-fast bus is an attribute of the backend)."""
        bus = getattr(getattr(self._notifier, "_backend", None), "bus", None)
        if bus is None:
            return
        bus.disconnect()
        with contextlib.suppress(Exception):  # an error is how a dropped connection reports itself
            await asyncio.wait_for(bus.wait_for_disconnect(), PROBE_TIMEOUT_S)

    def notify(self, prompt: Prompt) -> None:
        from desktop_notifier import Button

        sid = prompt.suggestion_id
        buttons = [Button(title=tr("Review"), on_pressed=lambda: self._actions.review.emit(sid))]
        if prompt.confirmable:
            buttons.insert(0, Button(title=tr("Confirm"), on_pressed=lambda: self._actions.confirm.emit(sid)))
        self._spawn(
            self._notifier.send(
                title=prompt.title,
                message=prompt.body,
                buttons=buttons,
                on_clicked=lambda: self._actions.review.emit(sid),
            )
        )


def _has_session_bus() -> bool:
    """Whether a D-Bus session bus can be reached (skips a slow failing connect when there is none)."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return bool(runtime) and Path(runtime, "bus").exists()
