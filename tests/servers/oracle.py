"""What the local store should hold for a calendar, worked out independently of our normaliser.

It reads the iCalendar objects the server serves (``DavAccount.server_items``) with a full
icalendar parse and recurring-ical-events, and applies the rules the app promises: a single
event is kept whatever its date; a series is kept as its instances inside the sync window,
overrides applied; floating times are read in the computer's zone. The app reads single events
with its own lean parser, so this is a real cross-check, not a copy of its code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import unquote

import icalendar
import recurring_ical_events

from calendar_desktop.domain import StoredEvent, SyncWindow


@dataclass(frozen=True, order=True, slots=True)
class Occurrence:
    resource: str
    uid: str
    recurrence_id: str | None
    start: str
    end: str
    all_day: bool
    title: str
    status: str


def _when(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _original(value: date | datetime) -> str:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.isoformat()
    return _when(value)


def _status(component: icalendar.Component) -> str:
    status = str(component.get("STATUS", "")).upper()
    return {"CANCELLED": "cancelled", "TENTATIVE": "tentative"}.get(status, "confirmed")


def expected_occurrences(items: dict[str, str], window: SyncWindow) -> set[Occurrence]:
    found: set[Occurrence] = set()
    for href, text in items.items():
        resource = unquote(href)
        calendar = icalendar.Calendar.from_ical(text)
        vevents = calendar.walk("VEVENT")
        masters = [v for v in vevents if "RECURRENCE-ID" not in v]
        if masters and ("RRULE" in masters[0] or "RDATE" in masters[0]):
            for occurrence in recurring_ical_events.of(calendar).between(window.start, window.end):
                start, end = occurrence["DTSTART"].dt, occurrence["DTEND"].dt
                found.add(Occurrence(resource, str(occurrence["UID"]), _original(occurrence["RECURRENCE-ID"].dt),
                                     _when(start), _when(end), not isinstance(start, datetime),
                                     str(occurrence.get("SUMMARY", "")), _status(occurrence)))  # fmt: skip
            continue
        for vevent in vevents:
            start, end = vevent.start, vevent.end
            recurrence = vevent.get("RECURRENCE-ID")
            found.add(Occurrence(resource, str(vevent["UID"]), _original(recurrence.dt) if recurrence else None,
                                 _when(start), _when(end), not isinstance(start, datetime),
                                 str(vevent.get("SUMMARY", "")), _status(vevent)))  # fmt: skip
    return found


def stored_occurrences(events: Iterable[StoredEvent]) -> set[Occurrence]:
    return {
        Occurrence(unquote(s.event.resource_id), s.event.uid, s.event.recurrence_id, _when(s.event.start),
                   _when(s.event.end), s.event.all_day, s.event.title, s.event.status.value)  # fmt: skip
        for s in events
    }


def describe_difference(expected: set[Occurrence], actual: set[Occurrence], limit: int = 5) -> str:
    missing = sorted(expected - actual)[:limit]
    extra = sorted(actual - expected)[:limit]
    return f"{len(expected - actual)} missing, e.g. {missing}; {len(actual - expected)} unexpected, e.g. {extra}"
