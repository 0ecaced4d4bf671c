"""Google Calendar event JSON -> ``calendar_desktop.domain.Event``. Pure: no I/O, no logging.

Anything it cannot read raises ``MalformedEvent`` (and nothing else), whose message names the
field at fault, never its value, so it can be logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from calendar_desktop.domain import Event, EventStatus

MARKER_KEY = "calendarDesktopMarker"
"""The key of our marker in ``extendedProperties.private`` (Google drops keys over 44 characters)."""

_STATUSES = {status.value: status for status in EventStatus}


class MalformedEvent(Exception):
    """An item that cannot be turned into an ``Event``; skipped and counted by the provider."""


def is_removal(item: Mapping[str, Any]) -> bool:
    """A tombstone: a deleted event, not a cancelled instance of a series that still exists.

    A cancelled instance carries ``recurringEventId`` (and ``originalStartTime``); it means
    "do not show this occurrence" and is kept as an event with status cancelled.
    """
    return item.get("status") == "cancelled" and not item.get("recurringEventId")


def normalize_event(item: Any) -> Event:
    if not isinstance(item, Mapping):
        raise MalformedEvent("the item is not an object")
    event_id = _text(item, "id")
    if not event_id:
        raise MalformedEvent("id is missing")
    status = _STATUSES.get(_text(item, "status") or "confirmed", EventStatus.CONFIRMED)
    series_id = _text(item, "recurringEventId") or None
    recurrence_id = None
    original = None
    if item.get("originalStartTime") is not None:
        original = _event_time(item["originalStartTime"], "originalStartTime")
        recurrence_id = original[0].isoformat()

    if status is EventStatus.CANCELLED and series_id and item.get("start") is None:
        # A cancelled instance: only id, recurringEventId and originalStartTime are guaranteed.
        if original is None:
            raise MalformedEvent("originalStartTime is missing on a cancelled instance")
        start, zone = original
        end = _after(start, timedelta(days=1)) if not isinstance(start, datetime) else start
    else:
        start, zone = _event_time(item.get("start"), "start")
        end = _end(item.get("end"), start)
    all_day = not isinstance(start, datetime)

    return Event(
        remote_id=event_id,
        resource_id=event_id,
        uid=_text(item, "iCalUID"),
        title=_text(item, "summary"),
        start=start,
        end=end,
        all_day=all_day,
        timezone=None if all_day else zone,
        status=status,
        organizer=_organizer(item.get("organizer")),
        attendees=_attendees(item.get("attendees")),
        location=_text(item, "location"),
        meeting_link=_meeting_link(item),
        description=_text(item, "description"),
        etag=_text(item, "etag") or None,
        updated=_timestamp(item.get("updated"), "updated"),
        series_id=series_id,
        recurrence_id=recurrence_id,
        marker=_marker(item.get("extendedProperties")),
    )


# ---------------------------------------------------------------- fields


def _text(item: Mapping[str, Any], name: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedEvent(f"{name} is not a string")
    return value


def _event_time(value: Any, name: str) -> tuple[datetime | date, str | None]:
    """An ``EventDateTime``: (date, None) for all-day, (aware UTC datetime, IANA zone or None) otherwise."""
    if not isinstance(value, Mapping):
        raise MalformedEvent(f"{name} is missing or not an object")
    zone_name = value.get("timeZone")
    zone = _zone(zone_name) if isinstance(zone_name, str) else None
    raw_date = value.get("date")
    if raw_date is not None:
        if not isinstance(raw_date, str):
            raise MalformedEvent(f"{name}.date is not a string")
        try:
            return date.fromisoformat(raw_date), None
        except ValueError:
            raise MalformedEvent(f"{name}.date is not a date") from None
    raw = value.get("dateTime")
    if not isinstance(raw, str):
        raise MalformedEvent(f"{name} has neither date nor dateTime")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise MalformedEvent(f"{name}.dateTime is not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        if zone is None:
            raise MalformedEvent(f"{name}.dateTime has no offset and no valid timeZone")
        moment = moment.replace(tzinfo=zone)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise MalformedEvent(f"{name}.dateTime is out of range") from None
    return moment, zone_name if zone is not None else None


def _zone(name: str) -> ZoneInfo | None:
    if not name or name != name.strip():
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def _end(value: Any, start: datetime | date) -> datetime | date:
    if value is None:  # endTimeUnspecified events still have an end; be lenient when it is absent
        return start if isinstance(start, datetime) else _after(start, timedelta(days=1))
    end, _ = _event_time(value, "end")
    if isinstance(end, datetime) != isinstance(start, datetime):
        raise MalformedEvent("start and end mix a date with a dateTime")
    if end < start:  # type: ignore[operator]
        raise MalformedEvent("end is before start")
    return end


def _after(day: date, delta: timedelta) -> date:
    try:
        return day + delta
    except OverflowError:
        raise MalformedEvent("date is out of range") from None


def _timestamp(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedEvent(f"{name} is not a string")
    try:
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise MalformedEvent(f"{name} is not an RFC 3339 timestamp") from None


def _organizer(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise MalformedEvent("organizer is not an object")
    email, name = _text(value, "email"), _text(value, "displayName")
    if email and name:
        return f"{name} <{email}>"
    return email or name or None


def _attendees(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MalformedEvent("attendees is not a list")
    found = []
    for attendee in value:
        if not isinstance(attendee, Mapping):
            raise MalformedEvent("an attendee is not an object")
        email = _text(attendee, "email")
        if email:
            found.append(email)
    return tuple(found)


def _meeting_link(item: Mapping[str, Any]) -> str | None:
    link = _text(item, "hangoutLink")
    if link:
        return link
    conference = item.get("conferenceData")
    if conference is None:
        return None
    if not isinstance(conference, Mapping):
        raise MalformedEvent("conferenceData is not an object")
    entry_points = conference.get("entryPoints") or []
    if not isinstance(entry_points, list):
        raise MalformedEvent("conferenceData.entryPoints is not a list")
    for entry in entry_points:
        if isinstance(entry, Mapping) and entry.get("entryPointType") == "video":
            uri = entry.get("uri")
            if isinstance(uri, str) and uri:
                return uri
    return None


def _marker(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise MalformedEvent("extendedProperties is not an object")
    private = value.get("private")
    if private is None:
        return None
    if not isinstance(private, Mapping):
        raise MalformedEvent("extendedProperties.private is not an object")
    marker = private.get(MARKER_KEY)
    return marker if isinstance(marker, str) and marker else None
