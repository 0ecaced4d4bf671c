"""Two-way sync: the fields mapped between an interview and its calendar event, the outbox, conflicts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from calendar_desktop.domain.events import Event, EventTime


def _norm_text(value: str | None) -> str:
    return " ".join((value or "").split())


@dataclass(frozen=True, slots=True)
class EventFields:
    """What two-way sync maps both ways: title, description, times (zone kept), location, link, attendees."""

    title: str
    start: EventTime
    end: EventTime
    all_day: bool = False
    timezone: str | None = None
    description: str = ""
    location: str = ""
    meeting_link: str | None = None
    attendees: tuple[str, ...] = ()

    @classmethod
    def of_event(cls, event: Event) -> EventFields:
        return cls(
            title=event.title,
            start=event.start,
            end=event.end,
            all_day=event.all_day,
            timezone=event.timezone,
            description=event.description,
            location=event.location,
            meeting_link=event.meeting_link,
            attendees=event.attendees,
        )

    def key(self) -> tuple[Any, ...]:
        """What counts as the same content: servers re-fold text and reorder attendees, that is no edit."""
        return (
            _norm_text(self.title),
            self.start,
            self.end,
            self.all_day,
            _norm_text(self.description),
            _norm_text(self.location),
            (self.meeting_link or "").strip(),
            tuple(sorted(a.strip().lower() for a in self.attendees)),
        )

    def same_as(self, other: EventFields | None) -> bool:
        return other is not None and self.key() == other.key()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "all_day": self.all_day,
            "timezone": self.timezone,
            "description": self.description,
            "location": self.location,
            "meeting_link": self.meeting_link,
            "attendees": list(self.attendees),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventFields:
        from datetime import date

        all_day = bool(data.get("all_day"))
        parse = date.fromisoformat if all_day else datetime.fromisoformat
        return cls(
            title=data["title"],
            start=parse(data["start"]),
            end=parse(data["end"]),
            all_day=all_day,
            timezone=data.get("timezone"),
            description=data.get("description", ""),
            location=data.get("location", ""),
            meeting_link=data.get("meeting_link"),
            attendees=tuple(data.get("attendees", ())),
        )


@dataclass(frozen=True, slots=True)
class EventDraft(EventFields):
    """What we write to a calendar for an interview scheduled in the app: its fields, our private
    marker and the UID we choose (so a retried create can be recognised)."""

    marker: str | None = None
    uid: str | None = None

    @classmethod
    def of(cls, fields: EventFields, *, marker: str, uid: str) -> EventDraft:
        values = {f.name: getattr(fields, f.name) for f in dataclasses.fields(EventFields)}
        return cls(**values, marker=marker, uid=uid)


class OutboxOp(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class OutboxState(StrEnum):
    PENDING = "pending"
    CONFLICT = "conflict"
    """Waiting for the user to pick a version."""
    HELD = "held"
    """Stopped by the loop guard or a read-only target; needs attention."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    interview_id: int | None
    marker: str
    op: OutboxOp
    calendar_id: int | None
    remote_id: str | None
    etag: str | None
    payload: EventFields | None
    state: OutboxState = OutboxState.PENDING
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ConflictStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ConflictChoice(StrEnum):
    APP = "app"
    CALENDAR = "calendar"


@dataclass(frozen=True, slots=True)
class Conflict:
    id: int
    interview_id: int | None
    calendar_id: int | None
    remote_id: str | None
    remote_etag: str | None
    local: EventFields
    remote: EventFields | None
    """None when the event was deleted on the calendar side."""
    status: ConflictStatus = ConflictStatus.OPEN
    resolution: str | None = None
    created_at: datetime | None = None
