"""Fuzzing the Google event JSON normaliser: only ``MalformedEvent`` may escape it, and a page of
good and bad items keeps every good one and counts every bad one (``provider._read_items``, the
function ``fetch_changes`` turns each listing page with)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from calendar_desktop.domain import CalendarInfo, Event
from calendar_desktop.providers.google.normalize import MalformedEvent, normalize_event
from calendar_desktop.providers.google.provider import _read_items
from tests.fuzz.strategies import (
    FUZZ,
    Entry,
    IANA_ZONES,
    anything,
    hostile_text,
    json_page,
    json_values,
    many_attendees,
    page_entries,
    timestamps,
    zone_names,
)

event_times = st.fixed_dictionaries(
    {},
    optional={
        "date": timestamps | json_values,
        "dateTime": timestamps | json_values,
        "timeZone": zone_names | json_values,
    },
)
attendees = st.one_of(
    st.lists(st.fixed_dictionaries({}, optional={"email": hostile_text | json_values}) | json_values, max_size=4),
    many_attendees(lambda i: {"email": f"person{i}@example.test", "displayName": f"Person {i}"}),
    json_values,
)
near_events = st.fixed_dictionaries(
    {"id": hostile_text | json_values},
    optional={
        "status": st.sampled_from(["confirmed", "tentative", "cancelled", "other"]) | json_values,
        "summary": hostile_text | json_values,
        "description": hostile_text | json_values,
        "location": hostile_text | json_values,
        "start": event_times | anything,
        "end": event_times | anything,
        "originalStartTime": event_times | json_values,
        "recurringEventId": hostile_text | json_values,
        "organizer": st.fixed_dictionaries({}, optional={"email": hostile_text | json_values, "displayName": json_values})
        | json_values,
        "attendees": attendees,
        "conferenceData": st.fixed_dictionaries({}, optional={"entryPoints": json_values}) | anything,
        "extendedProperties": st.fixed_dictionaries({}, optional={"private": json_values}) | json_values,
        "updated": timestamps | json_values,
        "hangoutLink": hostile_text | json_values,
        "etag": json_values,
        "iCalUID": hostile_text | json_values,
    },
)


@FUZZ
@given(st.one_of(anything, near_events))
@example({"id": "a1", "start": {"dateTime": "0001-01-01T00:00:00+14:00"}})  # out of range once in UTC
@example({"id": "a1", "start": {"dateTime": "9999-12-31T23:00:00-12:00"}})
@example({"id": "a1", "start": {"date": "9999-12-31"}})  # no end: the day after does not exist
@example({"id": "a1", "status": "cancelled", "recurringEventId": "s", "originalStartTime": {"date": "9999-12-31"}})
@example({"id": "a1", "start": {"dateTime": "2026-01-01T10:00:00", "timeZone": "\x00"}})
@example({"id": "a1", "start": {"date": "2026-01-01"}, "updated": "0001-01-01T00:00:00+01:00"})
def test_only_malformed_event_escapes_the_normaliser(item: Any) -> None:
    try:
        event = normalize_event(item)
    except MalformedEvent:
        return
    assert isinstance(event, Event)
    assert event.remote_id == item["id"]
    assert event.all_day or event.start <= event.end  # type: ignore[operator]


# --- a page of good and bad items ------------------------------------------------------------------


def good_item(n: int, title: str, zone: str) -> dict[str, Any]:
    return {
        "id": f"good{n}",
        "summary": title,
        "start": {"dateTime": f"2026-03-{n % 28 + 1:02d}T10:00:00", "timeZone": zone},
        "end": {"dateTime": f"2026-03-{n % 28 + 1:02d}T11:00:00", "timeZone": zone},
        "attendees": [{"email": "me@example.test"}],
    }


BAD_SHAPES: tuple[dict[str, Any], ...] = (
    {"id": None, "summary": "no id", "start": {"date": "2026-01-01"}},
    {"start": {"dateTime": "2026-03-02T10:00:00"}},  # no offset and no zone
    {"start": {"dateTime": "2026-03-02T10:00:00", "timeZone": "Not/AZone"}},
    {"start": {"dateTime": "2026-03-02T10:00:00Z"}, "end": {"date": "2026-03-03"}},
    {"start": {"dateTime": "2026-03-02T10:00:00Z"}, "end": {"dateTime": "2026-03-01T10:00:00Z"}},
    {"start": None},
    {"start": {"date": "2026-02-30"}},
    {"start": {"date": "2026-03-01"}, "attendees": {"email": "a@b.test"}},
    {"start": {"date": "2026-03-01"}, "summary": 42},
    {"start": {"date": "2026-03-01"}, "organizer": ["boss@example.test"]},
    {"start": {"date": "2026-03-01"}, "extendedProperties": {"private": "marker"}},
    {"status": "cancelled", "recurringEventId": "series"},  # a cancelled instance without its original start
    "not an object",
    None,
    [],
)
CALENDAR = CalendarInfo("primary", "Primary")


@FUZZ
@given(page_entries(st.sampled_from(IANA_ZONES), BAD_SHAPES))
def test_a_page_keeps_every_good_item_and_counts_every_bad_one(entries: list[Entry]) -> None:
    raw, good, titles = json_page(entries, good_item)

    read = _read_items(raw, CALENDAR)
    items, removed, skipped = read.items, read.removed, read.skipped

    assert [item.resource_id for item in items] == good
    assert [item.events[0].title for item in items] == titles
    assert removed == ()
    assert skipped == len(raw) - len(good)
