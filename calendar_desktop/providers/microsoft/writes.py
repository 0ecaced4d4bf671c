"""``EventDraft`` → the JSON body of a Graph create or update.

Decisions:

- Our marker is a single-value extended property (``MARKER_PROPERTY_ID``, the named form Graph
  prefers). Delta pages cannot ``$expand`` it, so creates also carry a ``transactionId`` with
  our prefix (``transactionId`` is returned with every event): an event showing it is one we
  wrote, and only for those does the provider GET the property (``$expand``) to read the marker.
  The ``transactionId`` is fresh per create call and stays the same through that call's
  retries, so a retry after a lost response does not create a second event.
- Attendees are not written as Graph attendees: Outlook would e-mail them meeting invitations
  from the user's mailbox. They are listed in the body instead, with the meeting link.
- Times are written as wall-clock times in the draft's zone, named the Windows way (Graph
  accepts only a subset of IANA names); a zone with no Windows equivalent is written in UTC.
- ``EventDraft.uid`` is not sent: Graph assigns ``iCalUId`` itself.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from calendar_desktop.domain import EventDraft
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.timezones import WINDOWS_UTC, iana_to_windows

MARKER_PROPERTY_ID = "String {8c4f2a53-6f0e-4d2b-9a41-3b6e0f1c7d25} Name calendarDesktopMarker"
TRANSACTION_PREFIX = "calendar-desktop:"


def new_transaction_id() -> str:
    return f"{TRANSACTION_PREFIX}{uuid.uuid4()}"


def written_by_us(raw: Json) -> bool:
    transaction = raw.get("transactionId")
    return isinstance(transaction, str) and transaction.startswith(TRANSACTION_PREFIX)


def _time_zone(draft: EventDraft) -> tuple[str, ZoneInfo]:
    """The Windows name to write and the zone to express wall times in."""
    if draft.timezone:
        windows = iana_to_windows(draft.timezone)
        if windows is not None:
            return windows, ZoneInfo(draft.timezone)
    return WINDOWS_UTC, ZoneInfo("UTC")


def _date_time_time_zone(value: datetime | date, zone_name: str, zone: ZoneInfo, all_day: bool) -> dict[str, str]:
    if all_day or not isinstance(value, datetime):
        day = value.date() if isinstance(value, datetime) else value
        wall = datetime.combine(day, time())
    else:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        wall = aware.astimezone(zone).replace(tzinfo=None)
    return {"dateTime": wall.isoformat(timespec="seconds"), "timeZone": zone_name}


def _body_text(draft: EventDraft) -> str:
    parts = [draft.description.strip()] if draft.description.strip() else []
    if draft.meeting_link:
        parts.append(f"Join: {draft.meeting_link}")
    if draft.attendees:
        parts.append("With: " + ", ".join(draft.attendees))
    return "\n\n".join(parts)


def event_body(draft: EventDraft) -> dict[str, object]:
    """The fields of a create or a full update (PATCH replaces each of them)."""
    zone_name, zone = _time_zone(draft)
    body: dict[str, object] = {
        "subject": draft.title,
        "body": {"contentType": "text", "content": _body_text(draft)},
        "isAllDay": draft.all_day,
        "start": _date_time_time_zone(draft.start, zone_name, zone, draft.all_day),
        "end": _date_time_time_zone(draft.end, zone_name, zone, draft.all_day),
        "location": {"displayName": draft.location},
    }
    if draft.marker:
        body["singleValueExtendedProperties"] = [{"id": MARKER_PROPERTY_ID, "value": draft.marker}]
    return body


def marker_expand() -> str:
    return f"singleValueExtendedProperties($filter=id eq '{MARKER_PROPERTY_ID}')"


def marker_of(raw: Json) -> str | None:
    """Our marker in an event fetched with ``marker_expand()``."""
    properties = raw.get("singleValueExtendedProperties")
    for prop in properties if isinstance(properties, list) else []:
        if isinstance(prop, dict) and str(prop.get("id", "")).lower() == MARKER_PROPERTY_ID.lower():
            value = prop.get("value")
            return value if isinstance(value, str) else None
    return None
