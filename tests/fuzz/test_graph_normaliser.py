"""Fuzzing the Microsoft Graph event JSON normaliser: only ``MalformedEvent`` may escape it, and a
delta page of good and bad items keeps every good one and counts every bad one (``delta.read_page``,
the function ``delta_pages`` reads each page with)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from calendar_desktop.providers.microsoft.delta import read_page
from calendar_desktop.providers.microsoft.normalize import MalformedEvent, normalize_event
from tests.fuzz.strategies import (
    FUZZ,
    Entry,
    WINDOWS_ZONES,
    anything,
    hostile_text,
    json_page,
    json_values,
    many_attendees,
    page_entries,
    timestamps,
    zone_names,
)

people = st.fixed_dictionaries(
    {"emailAddress": st.fixed_dictionaries({}, optional={"name": hostile_text | json_values, "address": hostile_text | json_values})
     | json_values}  # fmt: skip
)
time_values = st.fixed_dictionaries({}, optional={"dateTime": timestamps | json_values, "timeZone": zone_names | json_values})
event_like = st.fixed_dictionaries(
    {"id": hostile_text | json_values},
    optional={
        "start": time_values | anything,
        "end": time_values | anything,
        "isAllDay": st.booleans() | json_values,
        "isCancelled": st.booleans() | json_values,
        "originalStartTimeZone": zone_names | json_values,
        "type": st.sampled_from(["singleInstance", "occurrence", "exception", "seriesMaster"]) | json_values,
        "seriesMasterId": hostile_text | json_values,
        "originalStart": timestamps | json_values,
        "subject": hostile_text | json_values,
        "bodyPreview": hostile_text | json_values,
        "body": st.fixed_dictionaries(
            {"contentType": st.sampled_from(["html", "text", "HTML", ""]) | json_values, "content": hostile_text | json_values}
        )
        | anything,
        "organizer": people | json_values,
        "attendees": st.lists(people | json_values, max_size=4)
        | many_attendees(lambda i: {"emailAddress": {"name": f"Person {i}", "address": f"p{i}@example.test"}})
        | anything,
        "location": st.fixed_dictionaries({"displayName": hostile_text | json_values}) | json_values,
        "locations": st.lists(st.fixed_dictionaries({"displayName": hostile_text | json_values}) | json_values, max_size=4)
        | anything,
        "onlineMeeting": st.fixed_dictionaries({"joinUrl": hostile_text | json_values}) | json_values,
        "onlineMeetingUrl": hostile_text | json_values,
        "lastModifiedDateTime": timestamps | json_values,
        "iCalUId": hostile_text | json_values,
        "@odata.etag": json_values,
    },
)


@FUZZ
@given(st.one_of(event_like, anything))
@example({"id": "a", "start": {"dateTime": "9999-12-31T23:00:00", "timeZone": "Dateline Standard Time"},
          "end": {"dateTime": "9999-12-31T23:30:00", "timeZone": "UTC"}})  # fmt: skip
@example({"id": "a", "isAllDay": True, "originalStartTimeZone": "Dateline Standard Time",
          "start": {"dateTime": "9999-12-31T23:00:00", "timeZone": "UTC"},
          "end": {"dateTime": "9999-12-31T23:30:00", "timeZone": "UTC"}})  # fmt: skip
@example({"id": "a", "start": {"dateTime": "2026-01-01T10:00:00", "timeZone": "UTC"},
          "end": {"dateTime": "2026-01-01T11:00:00", "timeZone": "UTC"}, "body": {"contentType": "html", "content": "<p" * 5000}})  # fmt: skip
def test_only_malformed_event_escapes_the_normaliser(raw: Any) -> None:
    try:
        event = normalize_event(raw)
    except MalformedEvent:
        return
    assert event.remote_id == raw["id"]
    assert event.all_day or event.start <= event.end  # type: ignore[operator]


# --- a page of good and bad items ------------------------------------------------------------------


def good_item(n: int, title: str, zone: str) -> dict[str, Any]:
    return {
        "id": f"good{n}",
        "subject": title,
        "type": "singleInstance",
        "start": {"dateTime": f"2026-03-{n % 28 + 1:02d}T10:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": f"2026-03-{n % 28 + 1:02d}T11:00:00.0000000", "timeZone": "UTC"},
        "originalStartTimeZone": zone,
    }


BAD_SHAPES: tuple[Any, ...] = (
    {"id": None, "subject": "no id"},
    {"id": 42},
    {"start": None, "end": None},
    {"start": {"dateTime": "banana", "timeZone": "UTC"}, "end": {"dateTime": "2026-01-01T10:00:00", "timeZone": "UTC"}},
    {"start": {"timeZone": "UTC"}, "end": {"dateTime": "2026-01-01T10:00:00", "timeZone": "UTC"}},
    {"start": ["2026-01-01T10:00:00"], "end": {"dateTime": "2026-01-01T10:00:00", "timeZone": "UTC"}},
    {"type": "seriesMaster", "start": {"dateTime": "2026-01-01T10:00:00", "timeZone": "UTC"},
     "end": {"dateTime": "2026-01-01T11:00:00", "timeZone": "UTC"}},  # fmt: skip
    {"start": {"dateTime": "9999-12-31T23:00:00", "timeZone": "Dateline Standard Time"},
     "end": {"dateTime": "9999-12-31T23:00:00", "timeZone": "UTC"}},  # after year 9999 in UTC  # fmt: skip
    "not an object",
    None,
    [],
)


@FUZZ
@given(page_entries(st.sampled_from(WINDOWS_ZONES), BAD_SHAPES))
def test_a_page_keeps_every_good_item_and_counts_every_bad_one(entries: list[Entry]) -> None:
    raw, good, titles = json_page(entries, good_item)

    read = read_page(raw, lambda item: None)
    items, removed, skipped = read.items, read.removed, read.skipped

    assert [item.resource_id for item in items] == good
    assert [item.events[0].title for item in items] == titles
    assert removed == ()
    assert skipped == len(raw) - len(good)
