"""The Events pane: a day-grouped agenda in the user's zone, filters, search and the detail panel."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_desktop.core.bus import EventsChanged
from calendar_desktop.core.service import AppService
from calendar_desktop.domain import Calendar, Event, StoredEvent
from calendar_desktop.ui.context import COALESCE_MS
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.models.agenda import AgendaEntry, DayHeader, build_agenda
from calendar_desktop.ui.panes.events import event_details_html
from tests.support.events import make_event, page
from tests.ui.helpers import seed_calendar


def _calendar(cid: int = 1, color: str | None = "#3478f6") -> Calendar:
    return Calendar(cid, 1, f"c{cid}", f"Cal {cid}", color, False, True, False)


def test_agenda_groups_by_local_day_with_all_day_events_first() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    late_utc = make_event(1, hours=13)  # 2026-03-02 23:00 UTC = 3 March 10:00 in Sydney
    all_day = make_event(2, all_day=True)  # 4 March (make_event's day = 2 March + n)
    early = make_event(3, hours=-12)  # 2026-03-02 00:00 UTC = 2 March 11:00 in Sydney
    stored = [StoredEvent(i, 1, e) for i, e in enumerate([late_utc, all_day, early, make_event(0, all_day=True)])]
    rows = build_agenda(stored, [_calendar()], zone=sydney, today=date(2026, 3, 3))
    kinds = [(type(r).__name__, r.day.isoformat()) for r in rows]
    assert kinds == [
        ("DayHeader", "2026-03-02"), ("AgendaEntry", "2026-03-02"), ("AgendaEntry", "2026-03-02"),
        ("DayHeader", "2026-03-03"), ("AgendaEntry", "2026-03-03"),
        ("DayHeader", "2026-03-04"), ("AgendaEntry", "2026-03-04"),
    ]  # fmt: skip
    first_day = [r for r in rows[1:3] if isinstance(r, AgendaEntry)]
    assert first_day[0].time_text == "All day" and first_day[1].time_text == "11:00–11:30"
    assert isinstance(rows[3], DayHeader) and rows[3].label.startswith("Today")
    assert rows[4].time_text == "10:00–10:30" and rows[4].colour == "#3478f6"


def test_agenda_view_shows_events_and_the_detail_panel(window: MainWindow, service: AppService, qtbot) -> None:
    event = dataclasses.replace(
        make_event(1, title="Acme <onsite>"),
        location="Acme HQ, Berlin",
        meeting_link="https://meet.example.com/abc-def",
        attendees=("me@example.com", "recruiter@acme.example"),
    )
    calendar = seed_calendar(service, [event, make_event(2, title="Dentist"), make_event(3, all_day=True)])
    pane = window.events_pane
    pane.refresh()
    qtbot.waitUntil(lambda: pane.model.event_count == 3, timeout=5000)
    headers = [r for r in pane.model.rows() if isinstance(r, DayHeader)]
    assert len(headers) == 2 and pane.count_label.text() == "3 events"
    stored = service.store.events.by_remote_id(calendar.id, "ev-1")
    assert stored is not None and pane.select_event(stored.id)
    text = pane.details.text()
    assert "Acme &lt;onsite&gt;" in text  # titles are escaped, never markup
    assert "<a href='https://meet.example.com/abc-def'>" in text
    assert "recruiter@acme.example" in text and "Acme HQ, Berlin" in text and "Work" in text
    assert pane.details.openExternalLinks()


def test_non_web_meeting_links_are_not_clickable() -> None:
    event = dataclasses.replace(make_event(1), meeting_link="javascript:alert(1)")
    entry = build_agenda([StoredEvent(1, 1, event)], [_calendar()])[1]
    assert isinstance(entry, AgendaEntry)
    assert "<a " not in event_details_html(entry)


def test_search_calendar_filter_and_interviews_only(window: MainWindow, service: AppService, qtbot) -> None:
    work = seed_calendar(service, [make_event(1, title="Acme onsite"), make_event(2, title="Dentist")])
    seed_calendar(service, [make_event(3, title="Acme dinner", resource="home-3")], name="Home", color="#e5534b")
    interview = service.store.events.by_remote_id(work.id, "ev-1")
    assert interview is not None
    service.store.events.mark_interviews([(interview.id, True)])
    pane = window.events_pane
    pane.refresh()
    qtbot.waitUntil(lambda: pane.model.event_count == 3, timeout=5000)

    qtbot.keyClicks(pane.search_box, "acme")
    qtbot.waitUntil(lambda: pane.model.event_count == 2, timeout=5000)
    pane.calendar_filter.setCurrentIndex(pane.calendar_filter.findData(work.id))
    qtbot.waitUntil(lambda: pane.model.event_count == 1, timeout=5000)
    pane.search_box.clear()
    qtbot.waitUntil(lambda: pane.model.event_count == 2, timeout=5000)
    pane.interviews_only.setChecked(True)
    qtbot.waitUntil(lambda: pane.model.event_count == 1, timeout=5000)
    (entry,) = [r for r in pane.model.rows() if isinstance(r, AgendaEntry)]
    assert entry.title == "Acme onsite" and entry.is_interview


def test_ten_thousand_events_load_into_a_uniform_row_view(window: MainWindow, service: AppService, qtbot) -> None:
    base = datetime(2026, 1, 1, 8, tzinfo=UTC)
    events = [
        Event(f"r{i}", f"r{i}", f"u{i}", f"Meeting {i}", base + timedelta(hours=i), base + timedelta(hours=i, minutes=30))
        for i in range(10_000)
    ]
    seed_calendar(service, events)
    pane = window.events_pane
    pane.refresh()
    qtbot.waitUntil(lambda: pane.model.event_count == 10_000, timeout=20_000)
    assert pane.view.uniformItemSizes()
    assert pane.model.rowCount() == 10_000 + len({(base + timedelta(hours=i)).astimezone().date() for i in range(10_000)})
    pane.view.verticalScrollBar().setValue(pane.view.verticalScrollBar().maximum())
    last = pane.model.row_at(pane.model.rowCount() - 1)
    assert isinstance(last, AgendaEntry) and last.title == "Meeting 9999"


class CountingLoads:
    """Wraps ``service.list_events``: counts calls and the most running at once; while ``release``
    is clear, a load that has read the store waits before handing its answer back."""

    def __init__(self, service: AppService, monkeypatch) -> None:
        self.calls = self.running = self.most_at_once = 0
        self.release = threading.Event()
        self.release.set()
        self._lock = threading.Lock()
        real = service.list_events

        def list_events(*args: object, **kwargs: object) -> object:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                events = real(*args, **kwargs)
                self.release.wait(10)
                return events
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(service, "list_events", list_events)


def test_a_burst_of_change_announcements_is_one_reload(window: MainWindow, service: AppService, qtbot, monkeypatch) -> None:
    seed_calendar(service, [make_event(i) for i in range(3)])
    loads = CountingLoads(service, monkeypatch)

    for _ in range(20):  # what a sync of many calendars announces within a moment
        service.bus.publish(EventsChanged())

    qtbot.waitUntil(lambda: window.events_pane.model.event_count == 3, timeout=5000)
    qtbot.wait(3 * COALESCE_MS)
    assert loads.calls == 1


def test_refreshes_asked_for_during_a_load_run_once_after_it_and_the_newest_wins(
    window: MainWindow, service: AppService, qtbot, monkeypatch
) -> None:
    calendar = seed_calendar(service, [make_event(1)])
    pane = window.events_pane
    loads = CountingLoads(service, monkeypatch)
    shown: list[int] = []
    pane.model.modelReset.connect(lambda: shown.append(pane.model.event_count))
    loads.release.clear()
    pane.refresh()
    qtbot.waitUntil(lambda: loads.running == 1, timeout=5000)
    service.store.events.apply_page(calendar.id, page(make_event(2), make_event(3)))  # changed while the load runs
    for _ in range(5):
        pane.refresh()

    loads.release.set()

    qtbot.waitUntil(lambda: pane.model.event_count == 3, timeout=5000)
    qtbot.wait(3 * COALESCE_MS)
    assert loads.calls == 2 and loads.most_at_once == 1
    assert shown == [3], "the stale answer of the first load is never shown"
