"""The events agenda: events grouped by day in the user's time zone, with a header row per day.

``build_agenda`` is pure Python (no Qt) so the window runs it in a worker thread; the model only
hands out precomputed rows, which keeps scrolling through 10,000 events cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from calendar_desktop.domain import Calendar, EventStatus, StoredEvent
from calendar_desktop.ui.models.table import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex
HEADER_ROLE = Qt.ItemDataRole.UserRole + 10
"""True for a day header row."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Agenda", text)


@dataclass(frozen=True, slots=True)
class DayHeader:
    day: date
    label: str


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    stored: StoredEvent
    day: date
    time_text: str
    title: str
    location: str
    colour: str | None
    calendar_name: str
    is_interview: bool
    cancelled: bool

    @property
    def accessible_text(self) -> str:
        parts = [self.time_text, self.title]
        if self.location:
            parts.append(self.location)
        if self.is_interview:
            parts.append(tr("interview"))
        return ", ".join(parts)


AgendaRow = DayHeader | AgendaEntry


def day_label(day: date, today: date) -> str:
    text = day.strftime("%A %d %B %Y")
    if day == today:
        return tr("Today") + " — " + text
    if day == today + timedelta(days=1):
        return tr("Tomorrow") + " — " + text
    return text


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _local(value: datetime, zone: tzinfo | None) -> datetime:
    return value.astimezone(zone)


def entry_for(stored: StoredEvent, calendar: Calendar | None, zone: tzinfo | None = None) -> AgendaEntry:
    event = stored.event
    if event.all_day:
        assert isinstance(event.start, date) and isinstance(event.end, date)
        days = (event.end - event.start).days
        day = event.start
        time_text = tr("All day") if days <= 1 else tr("All day, {n} days").format(n=days)
    else:
        assert isinstance(event.start, datetime) and isinstance(event.end, datetime)
        start, end = _local(event.start, zone), _local(event.end, zone)
        day = start.date()
        # Not strftime: CPython imports the time module on every strftime call, through the
        # import hook PySide installs, which makes it the slowest step of building 10,000 rows.
        time_text = f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"
        if end.date() != start.date():
            time_text += f" ({_WEEKDAYS[end.weekday()]} {end.day:02d})"
    cancelled = event.status is EventStatus.CANCELLED
    title = event.title or tr("(no title)")
    return AgendaEntry(
        stored=stored,
        day=day,
        time_text=time_text,
        title=(tr("Cancelled: ") + title) if cancelled else title,
        location=event.location,
        colour=calendar.color if calendar else None,
        calendar_name=calendar.name if calendar else "",
        is_interview=stored.is_interview,
        cancelled=cancelled,
    )


def build_agenda(
    events: Iterable[StoredEvent],
    calendars: Sequence[Calendar],
    *,
    zone: tzinfo | None = None,
    today: date | None = None,
) -> list[AgendaRow]:
    """Rows in display order: a header, then that day's events (all-day first, then by start)."""
    by_id = {c.id: c for c in calendars}
    entries = [entry_for(s, by_id.get(s.calendar_id), zone) for s in events]
    entries.sort(key=lambda e: (e.day, not e.stored.event.all_day, _sort_instant(e), e.stored.id))
    today = today or datetime.now(zone).date()
    rows: list[AgendaRow] = []
    current: date | None = None
    for entry in entries:
        if entry.day != current:
            current = entry.day
            rows.append(DayHeader(current, day_label(current, today)))
        rows.append(entry)
    return rows


def _sort_instant(entry: AgendaEntry) -> float:
    start = entry.stored.event.start
    return start.timestamp() if isinstance(start, datetime) else 0.0


class AgendaModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AgendaRow] = []
        self._event_count = 0

    def replace(self, rows: list[AgendaRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._event_count = sum(1 for r in rows if isinstance(r, AgendaEntry))
        self.endResetModel()

    @property
    def event_count(self) -> int:
        return self._event_count

    def row_at(self, row: int) -> AgendaRow:
        return self._rows[row]

    def rows(self) -> list[AgendaRow]:
        return list(self._rows)

    def first_row_on_or_after(self, day: date) -> int | None:
        """The header row of ``day`` or of the first later day (rows are sorted, a header first in its day)."""
        lo, hi = 0, len(self._rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._rows[mid].day < day:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self._rows) else None

    def row_of_event(self, event_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if isinstance(row, AgendaEntry) and row.stored.id == event_id:
                return i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], DayHeader):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == HEADER_ROLE:
            return isinstance(row, DayHeader)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.label if isinstance(row, DayHeader) else row.accessible_text
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(row, AgendaEntry):
            return row.calendar_name
        return None
