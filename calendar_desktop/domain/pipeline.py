"""The job pipeline: applications, their interviews, and suggestions made from calendar events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from calendar_desktop.domain.twoway import EventFields


class RoleType(StrEnum):
    FULL_TIME = "full_time"
    INTERNSHIP = "internship"
    CONTRACT = "contract"
    PART_TIME = "part_time"
    UNKNOWN = "unknown"


class Stage(StrEnum):
    RECRUITER_SCREEN = "recruiter_screen"
    HIRING_MANAGER = "hiring_manager"
    TECHNICAL = "technical"
    ONSITE = "onsite"
    FINAL = "final"
    TAKE_HOME_REVIEW = "take_home_review"
    OTHER = "other"


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class InterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DONE = "done"
    DELETING = "deleting"
    """Deleted in the app; hidden until its calendar event is deleted too."""


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SuggestionKind(StrEnum):
    NEW_INTERVIEW = "new_interview"
    RESCHEDULE = "reschedule"
    CANCELLATION = "cancellation"


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    AUTO_APPLIED = "auto_applied"


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    company: str
    role: str = ""
    role_type: RoleType = RoleType.UNKNOWN
    status: ApplicationStatus = ApplicationStatus.APPLIED
    aliases: tuple[str, ...] = ()
    archived: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    application_id: int
    stage: Stage
    start: datetime
    end: datetime
    status: InterviewStatus = InterviewStatus.SCHEDULED
    title: str = ""
    location: str = ""
    meeting_link: str | None = None
    event_id: int | None = None
    """The linked local event, when there is one."""
    event_uid: str | None = None
    calendar_id: int | None = None
    """The calendar the interview was written to (two-way sync)."""
    marker: str | None = None
    updated_at: datetime | None = None
    description: str = ""
    timezone: str | None = None
    attendees: tuple[str, ...] = ()
    remote_id: str | None = None
    """The event written for this interview (two-way sync), in ``calendar_id``."""
    etag: str | None = None
    synced: EventFields | None = None
    """The content both sides agreed on at the last push or pull."""
    event_hash: str | None = None
    """The stored event's content hash when both sides last agreed (None right after a push)."""

    def fields(self) -> EventFields:
        return EventFields(
            title=self.title,
            start=self.start,
            end=self.end,
            timezone=self.timezone,
            description=self.description,
            location=self.location,
            meeting_link=self.meeting_link,
            attendees=self.attendees,
        )


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    kind: SuggestionKind
    status: SuggestionStatus
    event_id: int | None
    event_uid: str | None
    company: str | None
    role: str | None
    role_type: RoleType | None
    stage: Stage | None
    start: datetime | None
    end: datetime | None
    confidence: Confidence
    score: float
    application_id: int | None = None
    interview_id: int | None = None
    title: str = ""
    """The event's title at the time of the suggestion (what the user recognises)."""
    created_at: datetime | None = None
    resolved_at: datetime | None = None
    details: dict[str, str] = field(default_factory=dict)
