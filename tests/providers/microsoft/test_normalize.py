"""Graph event JSON → Event: fixed cases (arbitrary and hostile input: tests/fuzz)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calendar_desktop.domain import EventStatus
from calendar_desktop.providers.microsoft.delta import read_page
from calendar_desktop.providers.microsoft.normalize import (
    MalformedEvent,
    html_to_text,
    normalize_event,
)


def graph_event(**fields: object) -> dict:
    event: dict[str, object] = {
        "@odata.etag": 'W/"abc"',
        "id": "AAkALgAAAAAAevent1",
        "iCalUId": "040000008200E0",
        "subject": "Technical interview",
        "type": "singleInstance",
        "isAllDay": False,
        "isCancelled": False,
        "start": {"dateTime": "2026-02-03T14:15:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-02-03T15:15:00.0000000", "timeZone": "UTC"},
        "originalStartTimeZone": "W. Europe Standard Time",
        "lastModifiedDateTime": "2026-01-20T08:00:00.1234567Z",
        "organizer": {"emailAddress": {"name": "Dana Recruiter", "address": "dana@acme.example"}},
        "attendees": [
            {"type": "required", "emailAddress": {"name": "Alex", "address": "alex@contoso.example"}},
            {"type": "optional", "emailAddress": {"name": "Dana", "address": "dana@acme.example"}},
        ],
        "location": {"displayName": "Room 4"},
        "body": {
            "contentType": "html",
            "content": "<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><p>Bring a laptop</p></body></html>",
        },
        "onlineMeeting": None,
    }
    event.update(fields)
    return event


def test_timed_event() -> None:
    event = normalize_event(graph_event())
    assert event.start == datetime(2026, 2, 3, 14, 15, tzinfo=UTC)
    assert event.end == datetime(2026, 2, 3, 15, 15, tzinfo=UTC)
    assert event.timezone == "Europe/Berlin"
    assert (event.remote_id, event.resource_id, event.uid) == (
        "AAkALgAAAAAAevent1",
        "AAkALgAAAAAAevent1",
        "040000008200E0",
    )
    assert event.organizer == "Dana Recruiter <dana@acme.example>"
    assert event.attendees == ("alex@contoso.example", "dana@acme.example")
    assert event.location == "Room 4"
    assert event.description == "Hello there\nBring a laptop"
    assert event.etag == 'W/"abc"' and event.updated == datetime(2026, 1, 20, 8, 0, 0, 123456, tzinfo=UTC)
    assert event.status is EventStatus.CONFIRMED and event.series_id is None


def test_times_in_another_response_zone_become_utc() -> None:
    event = normalize_event(
        graph_event(
            start={"dateTime": "2026-02-03T06:15:00.0000000", "timeZone": "Pacific Standard Time"},
            end={"dateTime": "2026-02-03T07:15:00.0000000", "timeZone": "America/Los_Angeles"},
        )
    )
    assert (event.start, event.end) == (
        datetime(2026, 2, 3, 14, 15, tzinfo=UTC),
        datetime(2026, 2, 3, 15, 15, tzinfo=UTC),
    )


def test_all_day_reads_the_date_part() -> None:
    event = normalize_event(
        graph_event(
            isAllDay=True,
            originalStartTimeZone="Tokyo Standard Time",
            start={"dateTime": "2026-02-03T00:00:00.0000000", "timeZone": "UTC"},
            end={"dateTime": "2026-02-05T00:00:00.0000000", "timeZone": "UTC"},
        )
    )
    assert (event.all_day, event.start, event.end, event.timezone) == (True, date(2026, 2, 3), date(2026, 2, 5), None)


def test_all_day_given_as_converted_instants_is_read_back_in_its_own_zone() -> None:
    event = normalize_event(
        graph_event(
            isAllDay=True,
            originalStartTimeZone="Tokyo Standard Time",
            start={"dateTime": "2026-02-02T15:00:00.0000000", "timeZone": "UTC"},
            end={"dateTime": "2026-02-03T15:00:00.0000000", "timeZone": "UTC"},
        )
    )
    assert (event.start, event.end) == (date(2026, 2, 3), date(2026, 2, 4))


def test_occurrence_keeps_series_and_original_start() -> None:
    event = normalize_event(
        graph_event(type="exception", seriesMasterId="master-1", originalStart="2026-02-02T14:15:00Z")
    )
    assert (event.series_id, event.recurrence_id) == ("master-1", "2026-02-02T14:15:00+00:00")


def test_all_day_occurrence_recurrence_id_is_a_date() -> None:
    event = normalize_event(
        graph_event(
            type="occurrence",
            isAllDay=True,
            originalStartTimeZone="Tokyo Standard Time",
            seriesMasterId="m",
            originalStart="2026-02-02T15:00:00Z",
            start={"dateTime": "2026-02-03T00:00:00.0000000", "timeZone": "UTC"},
            end={"dateTime": "2026-02-04T00:00:00.0000000", "timeZone": "UTC"},
        )
    )
    assert event.recurrence_id == "2026-02-03"


def test_cancelled() -> None:
    assert normalize_event(graph_event(isCancelled=True)).status is EventStatus.CANCELLED


@pytest.mark.parametrize(
    ("fields", "link"),
    [
        (
            {"onlineMeeting": {"joinUrl": "https://teams.microsoft.com/l/meetup-join/1"}},
            "https://teams.microsoft.com/l/meetup-join/1",
        ),
        ({"location": {"displayName": "https://acme.zoom.us/j/123?pwd=x"}}, "https://acme.zoom.us/j/123?pwd=x"),
        (
            {"body": {"contentType": "html", "content": '<a href="https://meet.google.com/abc-defg-hij">Join</a>'}},
            "https://meet.google.com/abc-defg-hij",
        ),
        ({}, None),
    ],
)
def test_meeting_link(fields: dict, link: str | None) -> None:
    assert normalize_event(graph_event(**fields)).meeting_link == link


def test_custom_or_unknown_zone_falls_back_to_utc() -> None:
    event = normalize_event(graph_event(originalStartTimeZone="tzone://Microsoft/Custom"))
    assert event.timezone is None and event.start == datetime(2026, 2, 3, 14, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "fields",
    [
        {"id": None},
        {"id": ""},
        {"start": None},
        {"start": {"dateTime": "yesterday", "timeZone": "UTC"}},
        {"end": {"timeZone": "UTC"}},
        {"type": "seriesMaster"},
        {"start": {"dateTime": "0001-01-01T00:00:00", "timeZone": "Tokyo Standard Time"}},
    ],
)
def test_unreadable_events_raise_malformed_event(fields: dict) -> None:
    with pytest.raises(MalformedEvent):
        normalize_event(graph_event(**fields))


def test_html_to_text_drops_markup_and_hidden_parts() -> None:
    assert (
        html_to_text("<html><head><title>t</title><style>x{}</style></head><body>a<br>b <b>c</b></body></html>")
        == "a\nb c"
    )


def test_a_page_keeps_the_last_state_of_each_id_and_counts_bad_items() -> None:
    values = [
        graph_event(id="a", subject="first"),
        {"id": "b", "@removed": {"reason": "deleted"}},
        graph_event(id="a", subject="second"),
        graph_event(id="b", subject="back"),
        graph_event(id="c"),
        {"id": "c", "@removed": {"reason": "deleted"}},
        graph_event(id="d", start=None),
        "not an object",
        {"@removed": {"reason": "deleted"}},
    ]
    read = read_page(values, lambda raw: None)
    items, removed, skipped = read.items, read.removed, read.skipped
    assert {i.resource_id: i.events[0].title for i in items} == {"a": "second", "b": "back"}
    assert removed == ("c",) and skipped == 3
    assert read.unreadable == ("d",), "only an unreadable item with an id can keep its stored copy"


def test_an_id_listed_unreadable_then_readable_in_one_page_is_not_counted_as_skipped() -> None:
    read = read_page([graph_event(id="a", start=None), graph_event(id="a", subject="fixed")], lambda raw: None)
    assert [i.events[0].title for i in read.items] == ["fixed"]
    assert (read.skipped, read.unreadable) == (0, ())


# Arbitrary and hostile payloads: tests/fuzz/test_graph_normaliser.py
