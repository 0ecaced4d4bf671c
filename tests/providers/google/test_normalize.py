"""The pure normaliser: Google event JSON -> Event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calendar_desktop.domain import EventStatus
from calendar_desktop.providers.google.normalize import (
    MARKER_KEY,
    MalformedEvent,
    is_removal,
    normalize_event,
)

TIMED = {
    "kind": "calendar#event",
    "etag": '"3181161784712000"',
    "id": "abc123",
    "status": "confirmed",
    "updated": "2026-03-01T10:00:00.000Z",
    "iCalUID": "abc123@google.com",
    "summary": "Interview with Acme",
    "description": "Technical round",
    "location": "Room 4",
    "start": {"dateTime": "2026-03-02T10:00:00+01:00", "timeZone": "Europe/Berlin"},
    "end": {"dateTime": "2026-03-02T11:00:00+01:00", "timeZone": "Europe/Berlin"},
    "organizer": {"email": "recruiter@acme.example", "displayName": "Rita Recruiter"},
    "attendees": [{"email": "user@example.com", "self": True}, {"email": "eng@acme.example"}, {"displayName": "Room"}],
    "hangoutLink": "https://meet.google.com/aaa-bbbb-ccc",
    "extendedProperties": {"private": {MARKER_KEY: "cd-1", "other": "x"}},
}


def test_timed_event() -> None:
    event = normalize_event(TIMED)

    assert event.remote_id == event.resource_id == "abc123"
    assert event.uid == "abc123@google.com"
    assert event.start == datetime(2026, 3, 2, 9, tzinfo=UTC) and event.end == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert not event.all_day and event.timezone == "Europe/Berlin"
    assert event.organizer == "Rita Recruiter <recruiter@acme.example>"
    assert event.attendees == ("user@example.com", "eng@acme.example")
    assert (event.location, event.description) == ("Room 4", "Technical round")
    assert event.meeting_link == "https://meet.google.com/aaa-bbbb-ccc"
    assert event.etag == '"3181161784712000"' and event.updated == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert event.marker == "cd-1"
    assert event.status is EventStatus.CONFIRMED and event.series_id is None and event.recurrence_id is None


def test_all_day_event_keeps_dates_and_exclusive_end() -> None:
    event = normalize_event({"id": "d1", "summary": "Offsite", "start": {"date": "2026-03-02"}, "end": {"date": "2026-03-04"}})

    assert event.all_day and event.start == date(2026, 3, 2) and event.end == date(2026, 3, 4)
    assert event.timezone is None


def test_local_time_with_zone_and_no_offset() -> None:
    event = normalize_event(
        {
            "id": "z1",
            "start": {"dateTime": "2026-07-01T09:00:00", "timeZone": "America/New_York"},
            "end": {"dateTime": "2026-07-01T09:30:00", "timeZone": "America/New_York"},
        }
    )
    assert event.start == datetime(2026, 7, 1, 13, tzinfo=UTC) and event.timezone == "America/New_York"


def test_instance_of_a_series_and_conference_link() -> None:
    event = normalize_event(
        {
            "id": "ser_20260302T090000Z",
            "status": "tentative",
            "recurringEventId": "ser",
            "originalStartTime": {"dateTime": "2026-03-02T10:00:00+01:00", "timeZone": "Europe/Berlin"},
            "start": {"dateTime": "2026-03-02T12:00:00+01:00"},
            "end": {"dateTime": "2026-03-02T13:00:00+01:00"},
            "organizer": {"email": "boss@example.com"},
            "conferenceData": {"entryPoints": [{"entryPointType": "phone", "uri": "tel:+1"}, {"entryPointType": "video", "uri": "https://zoom.example/j/1"}]},
        }
    )
    assert event.series_id == "ser" and event.recurrence_id == "2026-03-02T09:00:00+00:00"
    assert event.status is EventStatus.TENTATIVE
    assert event.meeting_link == "https://zoom.example/j/1"
    assert event.organizer == "boss@example.com"
    assert event.timezone is None  # only an offset was given


def test_cancelled_instance_with_only_the_guaranteed_fields() -> None:
    item = {"id": "ser_20260302", "status": "cancelled", "recurringEventId": "ser", "originalStartTime": {"date": "2026-03-02"}}

    assert not is_removal(item)
    event = normalize_event(item)
    assert event.status is EventStatus.CANCELLED and event.all_day
    assert (event.start, event.end, event.recurrence_id) == (date(2026, 3, 2), date(2026, 3, 3), "2026-03-02")


def test_tombstone_is_a_removal() -> None:
    assert is_removal({"id": "gone1", "status": "cancelled"})
    assert not is_removal(TIMED)


@pytest.mark.parametrize(
    "item",
    [
        None,
        [],
        {"summary": "no id", "start": {"date": "2026-01-01"}},
        {**TIMED, "start": {"dateTime": "2026-03-02T10:00:00"}},  # no offset, no zone
        {**TIMED, "start": {"dateTime": "2026-03-02T10:00:00", "timeZone": "Not/AZone"}},
        {**TIMED, "end": {"date": "2026-03-03"}},  # date end for a dateTime start
        {**TIMED, "end": {"dateTime": "2026-03-01T10:00:00Z"}},  # ends before it starts
        {**TIMED, "start": None},
        {**TIMED, "attendees": "everyone"},
        {**TIMED, "summary": 42},
        {"id": "x1", "status": "cancelled", "recurringEventId": "x"},  # cancelled instance without originalStartTime
    ],
)
def test_malformed_items(item) -> None:
    with pytest.raises(MalformedEvent):
        normalize_event(item)


def test_error_messages_never_carry_values() -> None:
    with pytest.raises(MalformedEvent) as caught:
        normalize_event({**TIMED, "start": {"dateTime": "SECRET-TEXT"}})
    assert "SECRET" not in str(caught.value)

# Arbitrary and hostile payloads: tests/fuzz/test_google_normaliser.py
