"""fetch_changes / list_calendars against the emulator, through google-api-python-client."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendar_desktop.domain import CalendarInfo, EventStatus, SyncWindow
from calendar_desktop.providers.errors import CursorExpired
from tests.emulators.google import GoogleEmulator, all_day, recurring, timed
from tests.emulators.google.state import EventQuery

WINDOW = SyncWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
BERLIN = ZoneInfo("Europe/Berlin")


def _event(index: int) -> dict:
    start = datetime(2026, 1, 5, 8, tzinfo=UTC) + timedelta(minutes=37 * index)
    if index % 10 == 0:
        return all_day(start.date(), summary=f"Day {index}")
    body = timed(start, 30, zone="Europe/Berlin", summary=f"Meeting {index}")
    if index % 7 == 0:
        body["attendees"] = [{"email": f"person{index}@example.org"}, {"email": "user@example.com"}]
        body["hangoutLink"] = f"https://meet.google.com/abc-{index}"
    return body


def _fetch_all(provider, calendar: CalendarInfo, cursor: str | None):
    return list(provider.fetch_changes(calendar, cursor, WINDOW))


def _primary(provider) -> CalendarInfo:
    return next(c for c in provider.list_calendars() if c.remote_id == "user@example.com")


def test_initial_sync_of_10000_events_matches_the_server(google: GoogleEmulator, connected) -> None:
    calendar_id = google.state.email
    google.state.add_events(calendar_id, (_event(i) for i in range(10_000)))
    google.state.add_events(calendar_id, [all_day(date(2025, 3, 1), summary="Old")])
    weekly = timed(datetime(2026, 3, 2, 10), 30, zone="Europe/Berlin", summary="Weekly sync")
    series = google.state.insert_event(calendar_id, recurring(weekly, "RRULE:FREQ=WEEKLY;COUNT=8"))["id"]
    google.clear_log()

    pages = _fetch_all(connected.provider, _primary(connected.provider), None)

    expected = google.state.list_events(calendar_id, EventQuery(single_events=True, time_min=WINDOW.start))
    got = [event for page in pages for item in page.items for event in item.events]
    assert len(pages) >= 5
    assert all(page.full for page in pages)
    assert [page.last for page in pages] == [False] * (len(pages) - 1) + [True]
    assert [page.cursor is not None for page in pages] == [False] * (len(pages) - 1) + [True]
    assert sum(page.skipped for page in pages) == 0 and not any(page.removed for page in pages)
    assert [e.remote_id for e in got] == [item["id"] for item in expected]
    assert "Old" not in {e.title for e in got}  # bounded by timeMin
    by_id = {e.remote_id: e for e in got}
    for item in expected:
        event = by_id[item["id"]]
        assert event.title == item["summary"]
        assert event.etag == item["etag"]
        assert event.all_day == ("date" in item["start"])
    instances = [e for e in got if e.series_id == series]
    assert len(instances) == 8
    # Wall-clock 10:00 in Berlin on both sides of the DST change (29 March 2026).
    assert {e.start.astimezone(BERLIN).hour for e in instances} == {10}
    assert all(e.timezone == "Europe/Berlin" for e in instances)
    lists = google.requests_to("/events", "GET")
    assert len(lists) == len(pages)
    assert all(r.params["singleEvents"] == ["true"] and r.params["maxResults"] == ["2500"] for r in lists)
    assert "timeMin" in lists[0].params and "syncToken" not in lists[0].params
    assert all(r.params.get("pageToken") for r in lists[1:])


def test_incremental_sync_yields_exactly_what_changed(google: GoogleEmulator, connected) -> None:
    calendar_id = google.state.email
    ids = google.state.add_events(calendar_id, (_event(i) for i in range(1, 40)))
    standup = timed(datetime(2026, 2, 2, 9), 15, zone="Europe/Berlin", summary="Standup")
    series = google.state.insert_event(calendar_id, recurring(standup, "RRULE:FREQ=DAILY;COUNT=5"))["id"]
    calendar = _primary(connected.provider)
    cursor = _fetch_all(connected.provider, calendar, None)[-1].cursor

    google.state.patch_event(calendar_id, ids[3], {"summary": "Renamed"}, None)
    google.state.delete_event(calendar_id, ids[5], None)
    cancelled = google.state.cancel_instance(calendar_id, series, datetime(2026, 2, 3, 9, tzinfo=BERLIN))
    moved = google.state.move_instance(
        calendar_id,
        series,
        datetime(2026, 2, 4, 9, tzinfo=BERLIN),
        {"start": {"dateTime": "2026-02-04T11:00:00+01:00"}, "end": {"dateTime": "2026-02-04T11:15:00+01:00"}},
    )
    added = google.state.insert_event(calendar_id, _event(99))["id"]
    google.clear_log()

    pages = _fetch_all(connected.provider, calendar, cursor)

    assert len(pages) == 1 and pages[0].last and not pages[0].full
    page = pages[0]
    assert page.cursor and page.cursor != cursor
    assert page.removed == (ids[5],)
    events = {item.resource_id: item.events[0] for item in page.items}
    assert set(events) == {ids[3], cancelled, moved, added}
    assert events[ids[3]].title == "Renamed"
    assert events[cancelled].status is EventStatus.CANCELLED
    assert events[cancelled].series_id == series
    assert events[cancelled].recurrence_id == "2026-02-03T08:00:00+00:00"
    assert events[moved].start == datetime(2026, 2, 4, 10, tzinfo=UTC)
    assert events[moved].recurrence_id == "2026-02-04T08:00:00+00:00"
    (request,) = google.requests_to("/events", "GET")
    assert request.params["syncToken"] == [cursor]
    assert not {"timeMin", "timeMax", "orderBy", "q", "updatedMin"} & set(request.params)

    # Nothing changed since: an empty page that still moves the cursor forward.
    again = _fetch_all(connected.provider, calendar, page.cursor)
    assert [(p.items, p.removed, p.last) for p in again] == [((), (), True)]


def test_incremental_sync_pages_repeat_the_sync_token(google: GoogleEmulator, connected) -> None:
    calendar_id = google.state.email
    calendar = _primary(connected.provider)
    cursor = _fetch_all(connected.provider, calendar, None)[-1].cursor
    google.state.add_events(calendar_id, (_event(i) for i in range(1, 5001)))
    google.clear_log()

    pages = _fetch_all(connected.provider, calendar, cursor)

    assert [len(p.items) for p in pages] == [2500, 2500]
    assert [p.cursor is not None for p in pages] == [False, True]
    assert all(r.params["syncToken"] == [cursor] for r in google.requests_to("/events"))


def test_short_pages_are_followed_until_the_sync_token(google: GoogleEmulator, connected) -> None:
    google.api.page_cap = 7  # Google may return fewer items than maxResults
    google.state.add_events(google.state.email, (_event(i) for i in range(1, 21)))

    pages = _fetch_all(connected.provider, _primary(connected.provider), None)

    assert [len(p.items) for p in pages] == [7, 7, 6]
    assert pages[-1].cursor is not None


def test_expired_sync_token_raises_cursor_expired(google: GoogleEmulator, connected) -> None:
    calendar = _primary(connected.provider)
    cursor = _fetch_all(connected.provider, calendar, None)[-1].cursor
    google.state.expire_sync_tokens()
    google.clear_log()

    with pytest.raises(CursorExpired):
        _fetch_all(connected.provider, calendar, cursor)
    assert len(google.requests_to("/events")) == 1  # a 410 is not retried


def test_cancelled_instance_of_a_deleted_series_and_all_day_events(google: GoogleEmulator, connected) -> None:
    calendar_id = google.state.email
    holiday = all_day(date(2026, 6, 1), summary="Holiday")
    series = google.state.insert_event(calendar_id, recurring(holiday, "RRULE:FREQ=DAILY;COUNT=3"))["id"]
    calendar = _primary(connected.provider)
    (page,) = _fetch_all(connected.provider, calendar, None)
    days = sorted(e.start for item in page.items for e in item.events)
    assert days == [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]
    assert all(e.all_day and e.end == e.start + timedelta(days=1) for item in page.items for e in item.events)

    google.state.delete_event(calendar_id, series, None)
    (changes,) = _fetch_all(connected.provider, calendar, page.cursor)

    # Google reports a deleted series under singleEvents=true as cancelled instances.
    assert changes.removed == ()
    assert {(e.status, e.series_id, e.recurrence_id) for item in changes.items for e in item.events} == {
        (EventStatus.CANCELLED, series, "2026-06-01"),
        (EventStatus.CANCELLED, series, "2026-06-02"),
        (EventStatus.CANCELLED, series, "2026-06-03"),
    }


def test_malformed_items_are_skipped_and_counted(google: GoogleEmulator, connected, caplog) -> None:
    calendar_id = google.state.email
    google.state.add_events(
        calendar_id,
        [
            _event(1),
            {"id": "brokenevent1", "summary": "Secret body text", "start": {"dateTime": "not a time"}, "end": {"date": "2026-01-02"}},
        ],
    )

    (page,) = _fetch_all(connected.provider, _primary(connected.provider), None)

    assert page.skipped == 1
    assert [e.title for item in page.items for e in item.events] == ["Meeting 1"]
    assert "brokenevent1" in caplog.text
    assert "Secret body text" not in caplog.text


def test_list_calendars(google: GoogleEmulator, connected) -> None:
    shared = google.state.create_calendar(summary="Team", access_role="reader", color="#123456")
    google.state.create_calendar(summary="Busy only", access_role="freeBusyReader")
    gone = google.state.create_calendar(summary="Gone")
    google.state.delete_calendar(gone)
    for index in range(300):  # more than one calendarList page
        google.state.create_calendar(f"cal{index}@group.calendar.google.com", summary=f"Cal {index}", access_role="writer")

    calendars = {c.remote_id: c for c in connected.provider.list_calendars()}

    assert len(calendars) == 302
    assert calendars[shared] == CalendarInfo(shared, "Team", "#123456", read_only=True, timezone="UTC")
    assert not calendars["user@example.com"].read_only
    assert not calendars["cal7@group.calendar.google.com"].read_only
    assert gone not in calendars
    assert "Busy only" not in {c.name for c in calendars.values()}
    assert len(google.requests_to("/calendarList")) == 2
