"""Plain data types that flow between layers: no Qt, no I/O, no database."""

from calendar_desktop.domain.accounts import Account, AccountStatus, Calendar, CalendarInfo, ProviderKind
from calendar_desktop.domain.events import (
    ChangePage,
    ChangeSet,
    Event,
    EventDraft,
    EventStatus,
    RemoteItem,
    StoredEvent,
    SyncWindow,
    WriteResult,
)
from calendar_desktop.domain.identity import UserIdentity
from calendar_desktop.domain.pipeline import (
    Application,
    ApplicationStatus,
    Confidence,
    Interview,
    InterviewStatus,
    RoleType,
    Stage,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from calendar_desktop.domain.sync import SyncDirection, SyncOutcome, SyncRun

__all__ = [
    "Account",
    "AccountStatus",
    "Application",
    "ApplicationStatus",
    "Calendar",
    "CalendarInfo",
    "ChangePage",
    "ChangeSet",
    "Confidence",
    "Event",
    "EventDraft",
    "EventStatus",
    "Interview",
    "InterviewStatus",
    "ProviderKind",
    "RemoteItem",
    "RoleType",
    "Stage",
    "StoredEvent",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SyncDirection",
    "SyncOutcome",
    "SyncRun",
    "SyncWindow",
    "UserIdentity",
    "WriteResult",
]
