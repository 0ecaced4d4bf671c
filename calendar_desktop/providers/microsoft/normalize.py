"""Graph event JSON → ``calendar_desktop.domain.Event``. Pure: no I/O, no clock.

- Timed events: ``start``/``end`` are wall times in the zone the response was asked for
  (``Prefer: outlook.timezone``, UTC by default), kept as UTC instants; the event's own zone is
  ``originalStartTimeZone`` mapped Windows → IANA.
- All-day events: the date part of ``start``/``end`` (end exclusive), never shifted. Should a
  response carry an all-day event as a converted instant (time not midnight), the instant is
  read back in the event's own zone before taking the date.
- Series: ``seriesMasterId`` is the series id, ``originalStart`` the recurrence id.
- ``isCancelled`` → cancelled. The meeting link is ``onlineMeeting.joinUrl``, else a Teams, Zoom,
  Meet or Webex URL found in the location or the body.

A payload that cannot be read raises ``MalformedEvent`` (the caller counts it as skipped).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from calendar_desktop.domain import Event, EventStatus
from calendar_desktop.providers.microsoft.timezones import windows_to_iana

MEETING_URL = re.compile(
    r"https://(?:[\w-]+\.)*(?:teams\.microsoft\.com|teams\.live\.com|zoom\.us|zoomgov\.com|meet\.google\.com"
    r"|webex\.com|gotomeeting\.com|chime\.aws|whereby\.com)/[^\s<>\"'\]\)]*",
    re.IGNORECASE,
)


class MalformedEvent(ValueError):
    """A Graph event this normaliser cannot read. The message names the field, never its content."""


def _dict(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _zone(name: object) -> ZoneInfo:
    iana = windows_to_iana(_str(name))
    return ZoneInfo(iana) if iana else ZoneInfo("UTC")


def _wall(value: object, field: str) -> datetime:
    text = _str(_dict(value).get("dateTime"))
    if text is None:
        raise MalformedEvent(f"{field}.dateTime is missing")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise MalformedEvent(f"{field}.dateTime is not a date-time") from None


def _instant(value: object, field: str) -> datetime:
    """An aware UTC datetime from a ``dateTimeTimeZone``."""
    wall = _wall(value, field)
    try:
        if wall.tzinfo is None:
            wall = wall.replace(tzinfo=_zone(_dict(value).get("timeZone")))
        return wall.astimezone(UTC)
    except (OverflowError, ValueError):
        raise MalformedEvent(f"{field} is out of range") from None


def _all_day_date(value: object, own_zone: ZoneInfo, field: str) -> date:
    wall = _wall(value, field)
    if wall.tzinfo is None and wall.time() == time():
        return wall.date()
    try:
        return _instant(value, field).astimezone(own_zone).date()
    except (OverflowError, ValueError):
        raise MalformedEvent(f"{field} is out of range") from None


def _utc_timestamp(value: object) -> datetime | None:
    text = _str(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _person(value: object) -> tuple[str, str] | None:
    address = _dict(_dict(value).get("emailAddress"))
    email = _str(address.get("address"))
    if email is None:
        return None
    return (_str(address.get("name")) or "", email)


class _Text(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr"})
    _HIDDEN = frozenset({"style", "script", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _description(raw: Mapping[str, object]) -> tuple[str, str]:
    """(plain text, raw content) of the body; ``bodyPreview`` when there is no body."""
    body = _dict(raw.get("body"))
    content = _str(body.get("content")) or ""
    if not content:
        return _str(raw.get("bodyPreview")) or "", ""
    if str(body.get("contentType", "")).lower() == "html":
        return html_to_text(content), content
    return content, content


def _location(raw: Mapping[str, object]) -> str:
    name = _str(_dict(raw.get("location")).get("displayName"))
    if name:
        return name
    locations = raw.get("locations")
    names = [_str(_dict(item).get("displayName")) for item in locations] if isinstance(locations, list) else []
    return "; ".join(n for n in names if n)


def _meeting_link(raw: Mapping[str, object], location: str, body: str) -> str | None:
    join = _str(_dict(raw.get("onlineMeeting")).get("joinUrl")) or _str(raw.get("onlineMeetingUrl"))
    if join:
        return join
    for text in (location, body):
        found = MEETING_URL.search(text)
        if found:
            return found.group(0)
    return None


def normalize_event(raw: object, *, marker: str | None = None) -> Event:
    """The domain event for one Graph event (not a ``@removed`` entry)."""
    try:
        return _normalize(raw, marker)
    except MalformedEvent:
        raise
    except (OverflowError, ValueError) as exc:
        raise MalformedEvent(f"event fields are out of range or inconsistent: {type(exc).__name__}") from None


def _normalize(raw: object, marker: str | None) -> Event:
    if not isinstance(raw, Mapping):
        raise MalformedEvent("an event must be a JSON object")
    event_id = _str(raw.get("id"))
    if event_id is None:
        raise MalformedEvent("id is missing")
    kind = raw.get("type")
    if kind == "seriesMaster":
        raise MalformedEvent("a series master is not an occurrence")
    own_zone_name = windows_to_iana(_str(raw.get("originalStartTimeZone")))
    own_zone = ZoneInfo(own_zone_name) if own_zone_name else ZoneInfo("UTC")
    all_day = raw.get("isAllDay") is True
    start: datetime | date
    end: datetime | date
    if all_day:
        start = _all_day_date(raw.get("start"), own_zone, "start")
        end = _all_day_date(raw.get("end"), own_zone, "end")
        if end <= start:
            end = start + timedelta(days=1)
    else:
        start, end = _instant(raw.get("start"), "start"), _instant(raw.get("end"), "end")
        end = max(start, end)
    series_id = _str(raw.get("seriesMasterId")) if kind in ("occurrence", "exception", None) else None
    recurrence_id = None
    original_start = _utc_timestamp(raw.get("originalStart"))
    if series_id and original_start is not None:
        recurrence_id = (
            original_start.astimezone(own_zone).date().isoformat() if all_day else original_start.isoformat()
        )
    organizer = _person(raw.get("organizer"))
    attendees = raw.get("attendees")
    addresses = [p[1] for p in (_person(a) for a in attendees) if p] if isinstance(attendees, list) else []
    description, body_markup = _description(raw)
    location = _location(raw)
    return Event(
        remote_id=event_id,
        resource_id=event_id,
        uid=_str(raw.get("iCalUId")) or event_id,
        title=_str(raw.get("subject")) or "",
        start=start,
        end=end,
        all_day=all_day,
        timezone=None if all_day else own_zone_name,
        status=EventStatus.CANCELLED if raw.get("isCancelled") is True else EventStatus.CONFIRMED,
        organizer=(f"{organizer[0]} <{organizer[1]}>" if organizer[0] else organizer[1]) if organizer else None,
        attendees=tuple(dict.fromkeys(addresses)),
        location=location,
        meeting_link=_meeting_link(raw, location, body_markup or description),
        description=description,
        etag=_str(raw.get("@odata.etag")),
        updated=_utc_timestamp(raw.get("lastModifiedDateTime")),
        series_id=series_id,
        recurrence_id=recurrence_id,
        marker=marker,
    )
