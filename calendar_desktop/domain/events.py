"""Calendar events as providers deliver them and as the store keeps them.

Times: a timed event has aware UTC ``datetime`` start/end plus the original IANA zone in
``timezone``; an all-day event has ``date`` start/end (end exclusive) and no zone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

EventTime = datetime | date


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Event:
    """One event occurrence, normalised from any provider.

    ``remote_id`` is unique within its calendar (for an instance of a recurring series it
    includes the recurrence id); ``resource_id`` names the remote object the event came from
    (a CalDAV href holds a master and its overrides; a Google or Graph event is its own resource).
    ``description`` is used at ingest (detection) and kept only when the user asks for it.
    """

    remote_id: str
    resource_id: str
    uid: str
    title: str
    start: EventTime
    end: EventTime
    all_day: bool = False
    timezone: str | None = None
    status: EventStatus = EventStatus.CONFIRMED
    organizer: str | None = None
    """``"Name <email>"`` or a bare address."""
    attendees: tuple[str, ...] = ()
    """E-mail addresses."""
    location: str = ""
    meeting_link: str | None = None
    description: str = ""
    etag: str | None = None
    updated: datetime | None = None
    series_id: str | None = None
    """For an instance of a recurring event: the series (master) id."""
    recurrence_id: str | None = None
    """For an instance: its original start, ISO 8601 (a date for all-day series)."""
    marker: str | None = None
    """The private marker we put on events we wrote (two-way sync), read back from the provider."""

    def __post_init__(self) -> None:
        if self.all_day:
            if isinstance(self.start, datetime) or isinstance(self.end, datetime):
                raise ValueError("an all-day event takes dates, not datetimes")
        else:
            for value in (self.start, self.end):
                if not isinstance(value, datetime) or value.utcoffset() != timedelta(0):
                    raise ValueError("a timed event takes aware UTC datetimes")

    def content_hash(self) -> str:
        """A digest of what the user can see, so a new etag on unchanged content is not an edit."""
        parts = (
            self.uid,
            self.title,
            _iso(self.start),
            _iso(self.end),
            str(self.all_day),
            self.timezone or "",
            self.status.value,
            self.organizer or "",
            "\x1f".join(sorted(a.lower() for a in self.attendees)),
            self.location,
            self.meeting_link or "",
            self.description,
            self.series_id or "",
            self.recurrence_id or "",
            self.marker or "",
        )
        return hashlib.blake2b("\x1e".join(parts).encode(), digest_size=16).hexdigest()


def _iso(value: EventTime) -> str:
    return value.isoformat()


def utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as kept in the local store."""

    id: int
    calendar_id: int
    event: Event
    is_interview: bool = False


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One remote object and the event occurrences it expands to.

    Applying an item replaces every stored occurrence of ``resource_id`` in its calendar.
    """

    resource_id: str
    etag: str | None
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class ChangePage:
    """One page of changes from a provider; the store commits it together with ``cursor``."""

    items: tuple[RemoteItem, ...] = ()
    removed: tuple[str, ...] = ()
    """Resource ids the server no longer has."""
    skipped: int = 0
    """Malformed items the normaliser could not read (logged without their bodies)."""
    unreadable: tuple[str, ...] = ()
    """Resource ids of those skipped items, where known: their stored copies are kept as they
    were, and a full listing does not count them as gone."""
    full: bool = False
    """True while a full listing is under way: at its last page, what was not listed is removed."""
    last: bool = True
    """True on the page that ends this round."""
    cursor: str | None = None
    """The cursor to store with this page (the new sync token on the last page)."""


@dataclass(frozen=True, slots=True)
class SyncWindow:
    """The time range kept locally for expanded recurrences and bounded listings."""

    start: datetime
    end: datetime

    @classmethod
    def around(cls, now: datetime, days_back: int = 30, days_ahead: int = 365) -> SyncWindow:
        now = utc(now)
        return cls(now - timedelta(days=days_back), now + timedelta(days=days_ahead))


@dataclass(slots=True)
class ChangeSet:
    """What one sync pass changed in the store: consumed by detection and the UI."""

    added: list[StoredEvent] = field(default_factory=list)
    updated: list[tuple[StoredEvent, StoredEvent]] = field(default_factory=list)
    """(before, after) pairs."""
    cancelled: list[StoredEvent] = field(default_factory=list)
    """Events whose status turned to cancelled (still stored)."""
    removed: list[StoredEvent] = field(default_factory=list)
    """Events deleted from the store (their last stored state)."""

    def extend(self, other: ChangeSet) -> None:
        self.added.extend(other.added)
        self.updated.extend(other.updated)
        self.cancelled.extend(other.cancelled)
        self.removed.extend(other.removed)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.cancelled or self.removed)

    @property
    def counts(self) -> tuple[int, int, int]:
        """(added, updated including cancellations, removed)."""
        return len(self.added), len(self.updated) + len(self.cancelled), len(self.removed)



@dataclass(frozen=True, slots=True)
class WriteResult:
    resource_id: str
    etag: str | None
    event: Event | None = None
