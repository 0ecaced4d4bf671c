"""``EventDraft`` -> Google event JSON for insert and patch, and the check that an event on the
server already carries a draft (used to tell our own lost write from someone else's edit)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from calendar_desktop.domain import Event, EventDraft
from calendar_desktop.providers.google.normalize import MARKER_KEY


def new_event_id() -> str:
    """An id Google accepts from a caller (base32hex: 0-9 and a-v; hex digits are a subset)."""
    return uuid.uuid4().hex


def event_body(draft: EventDraft) -> dict[str, Any]:
    """The fields we own on an event. The meeting link goes into the location (or, when there is
    a location, the description): Google only sets ``hangoutLink`` / ``conferenceData`` itself."""
    location, description = draft.location, draft.description
    if draft.meeting_link and draft.meeting_link not in (location, description):
        if not location:
            location = draft.meeting_link
        else:
            description = f"{description}\n\n{draft.meeting_link}" if description else draft.meeting_link
    body: dict[str, Any] = {
        "summary": draft.title,
        "description": description,
        "location": location,
        "start": _time(draft.start, draft.timezone),
        "end": _time(draft.end, draft.timezone),
        "attendees": [{"email": email} for email in draft.attendees],
    }
    if draft.marker:
        # Patch merges extendedProperties, so other apps' private properties survive an update.
        body["extendedProperties"] = {"private": {MARKER_KEY: draft.marker}}
    return body


def _time(value: datetime | date, zone: str | None) -> dict[str, str]:
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        found = {"dateTime": moment.isoformat().replace("+00:00", "Z")}
        if zone:
            found["timeZone"] = zone
        return found
    return {"date": value.isoformat()}


def carries(event: Event, draft: EventDraft) -> bool:
    """Whether ``event`` (as read back from Google) shows exactly what ``draft`` wrote."""
    body = event_body(draft)
    return (
        event.title == body["summary"]
        and event.description == body["description"]
        and event.location == body["location"]
        and event.start == _instant(draft.start)
        and event.end == _instant(draft.end)
        and (draft.marker is None or event.marker == draft.marker)
        and sorted(a.lower() for a in event.attendees) == sorted(a.lower() for a in draft.attendees)
    )


def _instant(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value
