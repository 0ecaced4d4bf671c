"""The events agenda: one row per event, in the user's time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from calendar_desktop.domain import EventStatus, StoredEvent
from calendar_desktop.ui.models.table import Column, SnapshotTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("EventsModel", text)


def when(stored: StoredEvent) -> str:
    e = stored.event
    if e.all_day:
        return e.start.strftime("%a %d %b %Y") + "  " + tr("all day")
    assert isinstance(e.start, datetime) and isinstance(e.end, datetime)
    start, end = e.start.astimezone(), e.end.astimezone()
    return f"{start:%a %d %b %Y  %H:%M}–{end:%H:%M}"


def title(stored: StoredEvent) -> str:
    e = stored.event
    prefix = tr("Cancelled: ") if e.status is EventStatus.CANCELLED else ""
    return prefix + (e.title or tr("(no title)"))


class EventsModel(SnapshotTableModel[StoredEvent]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("When"), when),
                Column(tr("Title"), title, tooltip=lambda s: s.event.location or ""),
                Column(tr("Location"), lambda s: s.event.location),
            ],
            parent,
        )
