"""The pure normaliser: Google event JSON -> Event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calendar_desktop.domain import Event, EventStatus
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


# ---------------------------------------------------------------- property-based

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["id", "date", "email", "x"]), children, max_size=3),
    max_leaves=5,
)
time_strings = st.one_of(
    st.text(max_size=30),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.builds(
        lambda d, offset: d.isoformat() + offset,
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
        st.sampled_from(["Z", "+14:00", "-12:00", "+00:00", "+05:30"]),
    ),
    st.dates().map(lambda d: d.isoformat()),
)
zones = st.sampled_from(["Europe/Berlin", "UTC", "Pacific/Apia", "Nope/Nope", "", "../etc", " UTC"]) | st.text(max_size=10)
event_times = st.fixed_dictionaries(
    {},
    optional={"date": time_strings | json_values, "dateTime": time_strings | json_values, "timeZone": zones | json_values},
)
near_events = st.fixed_dictionaries(
    {"id": st.text(max_size=10) | json_values},
    optional={
        "status": st.sampled_from(["confirmed", "tentative", "cancelled", "other"]) | json_values,
        "summary": st.text() | json_values,
        "start": event_times | json_values,
        "end": event_times | json_values,
        "originalStartTime": event_times | json_values,
        "recurringEventId": st.text(max_size=10) | json_values,
        "organizer": st.fixed_dictionaries({}, optional={"email": json_values, "displayName": json_values}) | json_values,
        "attendees": st.lists(st.fixed_dictionaries({}, optional={"email": json_values}) | json_values, max_size=3) | json_values,
        "conferenceData": st.fixed_dictionaries({}, optional={"entryPoints": json_values}) | json_values,
        "extendedProperties": st.fixed_dictionaries({}, optional={"private": json_values}) | json_values,
        "updated": time_strings | json_values,
        "hangoutLink": json_values,
        "etag": json_values,
        "iCalUID": json_values,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, near_events))
@example({"id": "a1", "start": {"dateTime": "0001-01-01T00:00:00+14:00"}})  # out of range once in UTC
@example({"id": "a1", "start": {"dateTime": "9999-12-31T23:00:00-12:00"}})
@example({"id": "a1", "start": {"date": "9999-12-31"}})  # no end: the day after does not exist
@example({"id": "a1", "status": "cancelled", "recurringEventId": "s", "originalStartTime": {"date": "9999-12-31"}})
@example({"id": "a1", "start": {"dateTime": "2026-01-01T10:00:00", "timeZone": "\x00"}})
@example({"id": "a1", "start": {"date": "2026-01-01"}, "updated": "0001-01-01T00:00:00+01:00"})
def test_never_fails_with_anything_but_malformed_event(item) -> None:
    try:
        event = normalize_event(item)
    except MalformedEvent:
        return
    assert isinstance(event, Event)
    assert event.remote_id
