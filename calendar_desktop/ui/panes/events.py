"""The Events pane: a day-grouped agenda with search, filters and a detail panel."""

from __future__ import annotations

import html
from datetime import date, datetime
from urllib.parse import urlparse

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from calendar_desktop.domain import Calendar, StoredEvent
from calendar_desktop.store import EventQuery
from calendar_desktop.ui.context import Pane, UiContext, translator
from calendar_desktop.ui.icons import colour_swatch
from calendar_desktop.ui.models.agenda import AgendaEntry, AgendaModel, AgendaRow, build_agenda
from calendar_desktop.ui.models.table import ROW_ROLE
from calendar_desktop.ui.panes.agenda_view import AgendaView
from calendar_desktop.ui.widgets import button

tr = translator("EventsPane")
SAFE_LINK_SCHEMES = ("http", "https")


def event_details_html(entry: AgendaEntry) -> str:
    """The detail panel's text; every value escaped, only http(s) meeting links made clickable."""
    event = entry.stored.event
    e = html.escape
    if event.all_day:
        assert isinstance(event.start, date)
        when = f"{event.start:%A %d %B %Y} · {entry.time_text}"
    else:
        assert isinstance(event.start, datetime)
        start = event.start.astimezone()
        when = f"{start:%A %d %B %Y} · {entry.time_text}"
        if event.timezone:
            when += f" ({e(event.timezone)})"
    lines = [f"<h3>{e(entry.title)}</h3>", f"<p>{e(when)}</p>", "<table cellspacing='4'>"]

    def row(label: str, value: str) -> None:
        lines.append(f"<tr><td valign='top'><b>{e(label)}</b></td><td>{value}</td></tr>")

    if entry.calendar_name:
        row(tr("Calendar"), e(entry.calendar_name))
    row(tr("Status"), e(event.status.value))
    if entry.is_interview:
        row(tr("Interview"), e(tr("yes, detected as an interview")))
    if event.organizer:
        row(tr("Organizer"), e(event.organizer))
    if event.attendees:
        row(tr("Attendees"), "<br>".join(e(a) for a in event.attendees))
    if event.location:
        row(tr("Location"), e(event.location))
    if event.meeting_link:
        link = event.meeting_link
        if urlparse(link).scheme.lower() in SAFE_LINK_SCHEMES:
            row(tr("Meeting link"), f"<a href='{e(link, quote=True)}'>{e(link)}</a>")
        else:
            row(tr("Meeting link"), e(link))
    if event.description:
        row(tr("Description"), e(event.description).replace("\n", "<br>"))
    lines.append("</table>")
    return "".join(lines)


class EventsPane(Pane):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = AgendaModel(self)
        self._calendars: list[Calendar] = []
        self._scrolled_to_today = False

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(tr("Search events"))
        self.search_box.setAccessibleName(tr("Search events"))
        self.search_box.setClearButtonEnabled(True)
        self.calendar_filter = QComboBox()
        self.calendar_filter.setAccessibleName(tr("Calendar filter"))
        self.calendar_filter.setMinimumContentsLength(16)
        self.calendar_filter.addItem(tr("All calendars"), None)
        self.interviews_only = QCheckBox(tr("&Interviews only"))
        self.interviews_only.setAccessibleName(tr("Show interviews only"))
        self.today_button = button(tr("&Today"), tr("Scroll to today"))
        self.count_label = QLabel("")
        self.count_label.setAccessibleName(tr("Number of events shown"))

        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 3)
        filters.addWidget(self.calendar_filter, 1)
        filters.addWidget(self.interviews_only)
        filters.addWidget(self.today_button)
        filters.addWidget(self.count_label)

        self.view = AgendaView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Agenda"))
        self.details = QLabel(tr("Select an event to see its details."))
        self.details.setObjectName("event-details")
        self.details.setAccessibleName(tr("Event details"))
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details.setMargin(8)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details)
        details_scroll.setMinimumWidth(240)
        details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("events-splitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 360])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.calendar_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.interviews_only.toggled.connect(lambda _on: self.refresh())
        self.today_button.clicked.connect(self.scroll_to_today)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_details(current.row()))

    # --- loading -----------------------------------------------------------------------------

    def query(self) -> EventQuery:
        calendar_id = self.calendar_filter.currentData()
        return EventQuery(
            text=self.search_box.text().strip(),
            calendar_ids=None if calendar_id is None else [calendar_id],
            interviews_only=self.interviews_only.isChecked(),
        )

    def refresh(self) -> None:
        query = self.query()
        service = self.ctx.service

        def load() -> tuple[list[Calendar], list[AgendaRow]]:
            calendars = service.list_calendars()
            return calendars, build_agenda(service.list_events(query), calendars)

        def show(result: tuple[list[Calendar], list[AgendaRow]]) -> None:
            calendars, rows = result
            self._set_calendars(calendars)
            selected = self.selected_event()
            self.model.replace(rows)
            self.count_label.setText(tr("{n} events").format(n=self.model.event_count))
            if selected is None or not self.select_event(selected.id):
                self._show_details(-1)
                if not self._scrolled_to_today and rows:
                    self._scrolled_to_today = True
                    self.scroll_to_today()
            self.mark_ready()

        self.load_snapshot(load, show)

    def _set_calendars(self, calendars: list[Calendar]) -> None:
        if [(c.id, c.name, c.color) for c in calendars] == [(c.id, c.name, c.color) for c in self._calendars]:
            return
        self._calendars = calendars
        current = self.calendar_filter.currentData()
        self.calendar_filter.blockSignals(True)
        try:
            self.calendar_filter.clear()
            self.calendar_filter.addItem(tr("All calendars"), None)
            for calendar in calendars:
                if calendar.color:
                    self.calendar_filter.addItem(colour_swatch(calendar.color), calendar.name, calendar.id)
                else:
                    self.calendar_filter.addItem(calendar.name, calendar.id)
            index = self.calendar_filter.findData(current)
            self.calendar_filter.setCurrentIndex(max(0, index))
        finally:
            self.calendar_filter.blockSignals(False)

    # --- navigation --------------------------------------------------------------------------

    def scroll_to_today(self) -> None:
        row = self.model.first_row_on_or_after(date.today())
        if row is None:
            row = self.model.rowCount() - 1
        if row >= 0:
            self.view.scrollTo(self.model.index(row), AgendaView.ScrollHint.PositionAtTop)

    def select_event(self, event_id: int) -> bool:
        row = self.model.row_of_event(event_id)
        if row is None:
            return False
        index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(index, AgendaView.ScrollHint.PositionAtCenter)
        self._show_details(row)
        return True

    def selected_event(self) -> StoredEvent | None:
        index = self.view.selectionModel().currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row.stored if isinstance(row, AgendaEntry) else None

    def _show_details(self, row: int) -> None:
        entry = self.model.row_at(row) if 0 <= row < self.model.rowCount() else None
        if isinstance(entry, AgendaEntry):
            self.details.setText(event_details_html(entry))
        else:
            self.details.setText(tr("Select an event to see its details."))
