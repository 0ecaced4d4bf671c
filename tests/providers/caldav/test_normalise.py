"""iCalendar objects to events: times and zones, series, overrides, fields, and what is refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from calendar_desktop.domain import EventStatus, SyncWindow
from calendar_desktop.providers.caldav.ical import MalformedItem
from calendar_desktop.providers.caldav.normalise import normalise
from tests.servers.calendars import vevent, wrap

WINDOW = SyncWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
HREF = "/u/cal/item.ics"


def events(text: str, window: SyncWindow = WINDOW):  # type: ignore[no-untyped-def]
    return normalise(HREF, '"etag-1"', text, window).item.events


def one(*lines: str, zones: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    (event,) = events(wrap(vevent("uid-1", *lines), zones=zones))
    return event


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The computer's zone set to New York, for floating times."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield "America/New_York"
    monkeypatch.undo()
    time.tzset()


def test_a_zoned_event_becomes_utc_instants_and_keeps_its_zone() -> None:
    event = one("DTSTART;TZID=Europe/Berlin:20260701T090000", "DTEND;TZID=Europe/Berlin:20260701T100000",
                "SUMMARY:Onsite", zones=("Europe/Berlin",))  # fmt: skip
    assert (event.start, event.end) == (datetime(2026, 7, 1, 7, tzinfo=UTC), datetime(2026, 7, 1, 8, tzinfo=UTC))
    assert (event.timezone, event.all_day, event.remote_id, event.resource_id) == ("Europe/Berlin", False, HREF, HREF)
    assert (event.uid, event.title, event.etag, event.recurrence_id, event.series_id) == ("uid-1", "Onsite", '"etag-1"', None, None)


def test_the_zone_is_known_by_name_even_without_a_definition() -> None:
    assert one("DTSTART;TZID=Pacific/Apia:20260301T090000").start == datetime(2026, 2, 28, 20, tzinfo=UTC)


def test_windows_zone_names_are_understood() -> None:
    event = one("DTSTART;TZID=W. Europe Standard Time:20260115T090000", "DURATION:PT1H")
    assert event.start == datetime(2026, 1, 15, 8, tzinfo=UTC)
    assert event.timezone == "Europe/Berlin"


OFFICE_TIME = (
    "BEGIN:VTIMEZONE\nTZID:Office time\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\n"
    "TZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE"
)


def test_a_custom_zone_is_read_from_its_definition() -> None:
    (event,) = events(wrap(OFFICE_TIME, vevent("uid-1", "DTSTART;TZID=Office time:20260301T120000")))
    assert (event.start, event.timezone) == (datetime(2026, 3, 1, 6, 30, tzinfo=UTC), "Office time")
    daily = events(wrap(OFFICE_TIME, vevent("uid-2", "DTSTART;TZID=Office time:20260301T120000", "RRULE:FREQ=DAILY;COUNT=3")))
    assert [(e.start.hour, e.start.minute, e.timezone) for e in daily] == [(6, 30, "Office time")] * 3


def test_floating_and_unknown_zones_are_read_in_the_computers_zone(local_zone: str) -> None:
    floating = one("DTSTART:20260301T090000", "DTEND:20260301T100000")
    assert floating.start == datetime(2026, 3, 1, 14, tzinfo=UTC)
    assert floating.timezone is None
    unknown = one("DTSTART;TZID=Mars/Olympus_Mons:20260301T090000")
    assert unknown.start == datetime(2026, 3, 1, 14, tzinfo=UTC)


def test_all_day_events_are_dates_with_an_exclusive_end() -> None:
    assert (one("DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260304").start,
            one("DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260304").end) == (date(2026, 3, 1), date(2026, 3, 4))  # fmt: skip
    lone = one("DTSTART;VALUE=DATE:20260301")
    assert (lone.all_day, lone.end, lone.timezone) == (True, date(2026, 3, 2), None)
    assert one("DTSTART;VALUE=DATE:20260301", "DURATION:P2D").end == date(2026, 3, 3)
    assert one("DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260301").end == date(2026, 3, 2)


def test_durations_and_missing_ends() -> None:
    assert one("DTSTART:20260301T090000Z", "DURATION:PT1H30M").end == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert one("DTSTART:20260301T090000Z").end == datetime(2026, 3, 1, 9, tzinfo=UTC)
    across_dst = one("DTSTART;TZID=Europe/Berlin:20260328T120000", "DURATION:P1D")  # nominal day over the switch
    assert across_dst.end - across_dst.start == timedelta(hours=23)


def test_fields() -> None:
    event = one(
        "DTSTART:20260301T090000Z",
        r"SUMMARY:Interview\, round 2\; backend",
        r"LOCATION:Room 4\, Main St",
        r"DESCRIPTION:Bring ID\nJoin: https://acme.zoom.us/j/123456?pwd=x.",
        'ORGANIZER;CN="Doe, Jane":mailto:jane@acme.example',
        "ATTENDEE;CN=Me:MAILTO:me@example.test",
        "ATTENDEE:urn:uuid:not-an-address",
        "STATUS:TENTATIVE",
        "LAST-MODIFIED:20260220T101500Z",
        "X-CALENDAR-DESKTOP-MARKER:cd-42",
    )
    assert event.title == "Interview, round 2; backend"
    assert event.location == "Room 4, Main St"
    assert event.description == "Bring ID\nJoin: https://acme.zoom.us/j/123456?pwd=x."
    assert event.organizer == "Doe, Jane <jane@acme.example>"
    assert event.attendees == ("me@example.test",)
    assert event.status is EventStatus.TENTATIVE
    assert event.updated == datetime(2026, 2, 20, 10, 15, tzinfo=UTC)
    assert event.marker == "cd-42"
    assert event.meeting_link == "https://acme.zoom.us/j/123456?pwd=x"


def test_cancelled_events_stay_as_cancelled() -> None:
    assert one("DTSTART:20260301T090000Z", "STATUS:CANCELLED").status is EventStatus.CANCELLED


WEEKLY = [
    "DTSTART;TZID=Europe/Berlin:20260305T093000",
    "DTEND;TZID=Europe/Berlin:20260305T103000",
    "RRULE:FREQ=WEEKLY;COUNT=6",
    "EXDATE;TZID=Europe/Berlin:20260312T093000",
    "SUMMARY:Standup",
]


def test_a_series_becomes_its_instances_with_exceptions_applied() -> None:
    moved = vevent("uid-1", "RECURRENCE-ID;TZID=Europe/Berlin:20260319T093000", "DTSTART;TZID=Europe/Berlin:20260319T150000",
                   "DTEND;TZID=Europe/Berlin:20260319T160000", "SUMMARY:Standup (moved)")  # fmt: skip
    cancelled = vevent("uid-1", "RECURRENCE-ID;TZID=Europe/Berlin:20260402T093000", "DTSTART;TZID=Europe/Berlin:20260402T093000",
                       "DTEND;TZID=Europe/Berlin:20260402T103000", "SUMMARY:Standup", "STATUS:CANCELLED")  # fmt: skip
    result = normalise(HREF, None, wrap(vevent("uid-1", *WEEKLY), moved, cancelled, zones=("Europe/Berlin",)), WINDOW)
    assert result.recurring
    instances = sorted(result.item.events, key=lambda e: e.start)
    starts = [e.start for e in instances]
    assert starts == [
        datetime(2026, 3, 5, 8, 30, tzinfo=UTC),
        datetime(2026, 3, 19, 14, tzinfo=UTC),  # moved
        datetime(2026, 3, 26, 8, 30, tzinfo=UTC),
        datetime(2026, 4, 2, 7, 30, tzinfo=UTC),  # summer time: same wall clock
        datetime(2026, 4, 9, 7, 30, tzinfo=UTC),
    ]
    assert [e.recurrence_id for e in instances] == [
        "2026-03-05T08:30:00+00:00", "2026-03-19T08:30:00+00:00", "2026-03-26T08:30:00+00:00",
        "2026-04-02T07:30:00+00:00", "2026-04-09T07:30:00+00:00",
    ]  # fmt: skip
    assert [e.title for e in instances][1] == "Standup (moved)"
    assert [e.status for e in instances][3] is EventStatus.CANCELLED
    assert all(e.series_id == HREF and e.resource_id == HREF and e.remote_id == f"{HREF}#{e.recurrence_id}" for e in instances)
    assert {e.timezone for e in instances} == {"Europe/Berlin"}


def test_only_instances_inside_the_window_are_kept() -> None:
    text = wrap(vevent("uid-1", "DTSTART:20251201T090000Z", "DTEND:20251201T100000Z", "RRULE:FREQ=MONTHLY", "SUMMARY:Monthly"))
    instances = events(text)
    assert [e.start.month for e in sorted(instances, key=lambda e: e.start)] == list(range(1, 13))
    assert not events(text, SyncWindow(datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 6, 1, tzinfo=UTC)))


def test_a_yearly_all_day_series() -> None:
    instances = events(wrap(vevent("uid-1", "DTSTART;VALUE=DATE:19900415", "RRULE:FREQ=YEARLY", "SUMMARY:Birthday")))
    (birthday,) = instances
    assert (birthday.start, birthday.end, birthday.all_day, birthday.recurrence_id) == (
        date(2026, 4, 15), date(2026, 4, 16), True, "2026-04-15")


def test_an_override_without_its_series_is_one_instance() -> None:
    (event,) = events(wrap(vevent("uid-1", "RECURRENCE-ID:20260310T090000Z", "DTSTART:20260310T110000Z", "SUMMARY:Just this one")))
    assert (event.recurrence_id, event.series_id, event.remote_id) == ("2026-03-10T09:00:00+00:00", HREF, f"{HREF}#2026-03-10T09:00:00+00:00")
    assert event.start == datetime(2026, 3, 10, 11, tzinfo=UTC)


def test_an_object_without_events_stands_for_none() -> None:
    todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:t\r\nSUMMARY:Send CV\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    result = normalise(HREF, None, todo, WINDOW)
    assert result.item.events == () and not result.recurring


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (("DTSTART:20260301T100000Z", "DTEND:20260301T090000Z"), "ends before it starts"),
        (("DTSTART:20260301T100000Z", "DURATION:-PT1H"), "negative"),
        (("SUMMARY:no start",), "no DTSTART"),
        (("DTSTART;VALUE=DATE:20260301", "DTEND:20260302T090000Z"), "mix"),
        (("DTSTART:20261341T100000Z",), "not a valid date"),
        (("DTSTART:20260301T100000Z", "DURATION:banana"), "not a valid duration"),
        (("DTSTART:20260301T100000Z", "RRULE:FREQ=SOMETIMES"), "recurrence cannot be expanded"),
    ],
)
def test_unreadable_events_are_refused(lines: tuple[str, ...], reason: str) -> None:
    with pytest.raises(MalformedItem, match=reason):
        events(wrap(vevent("uid-1", *lines)))


def test_a_resource_with_two_different_events_is_refused() -> None:
    text = wrap(vevent("a", "DTSTART:20260301T100000Z"), vevent("b", "DTSTART:20260302T100000Z"))
    with pytest.raises(MalformedItem, match="several events"):
        events(text)


def test_an_event_without_uid_is_refused() -> None:
    text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(MalformedItem, match="no UID"):
        events(text)


# Generated, arbitrary and hostile objects: tests/fuzz/test_icalendar_normaliser.py


def test_series_built_from_read_values_expand_like_icalendar_parsing_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast construction of a series for recurring-ical-events against icalendar's own parse."""
    from calendar_desktop.providers.caldav import normalise as module
    from tests.servers.calendars import sample_calendar

    window = SyncWindow.around(datetime.now(UTC))
    series = [e for e in sample_calendar(200, seed=61) if "RRULE" in e.ics]
    built = [normalise(e.name, None, e.ics, window).item.events for e in series]
    monkeypatch.setattr(module, "_series_calendar", lambda v, z: icalendar.Calendar.from_ical(module._timing_text(v, z)))
    parsed = [normalise(e.name, None, e.ics, window).item.events for e in series]
    assert built == parsed
    assert sum(len(events) for events in built) > len(series)


@pytest.mark.parametrize(
    "rule",
    ["FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5", "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,15,30,45",
     "FREQ=HOURLY;BYMINUTE=0,30", "FREQ=SECONDLY;COUNT=50000"],
)  # fmt: skip
def test_a_rule_denser_than_hourly_is_refused_before_it_is_expanded(rule: str) -> None:
    text = wrap(vevent("uid-1", "DTSTART:20200101T090000Z", "DURATION:PT1S", f"RRULE:{rule}"))
    with pytest.raises(MalformedItem, match="times a day"):
        events(text)  # expanded, FREQ=SECONDLY since 2020 would take minutes and gigabytes


@pytest.mark.parametrize(("rule", "expected"), [("FREQ=SECONDLY;COUNT=5", 5), ("FREQ=HOURLY;UNTIL=20260102T080000Z", 24),
                                                ("FREQ=DAILY;BYHOUR=9,17;COUNT=6", 6)])  # fmt: skip
def test_dense_rules_that_end_soon_and_hourly_ones_are_expanded(rule: str, expected: int) -> None:
    text = wrap(vevent("uid-1", "DTSTART:20260101T090000Z", "DURATION:PT1S", f"RRULE:{rule}"))
    assert len(events(text)) == expected
