"""Seeding a profile for the window tests: calendars with events, applications and suggestions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from calendar_desktop.core.bus import SuggestionsChanged
from calendar_desktop.core.service import AppService
from calendar_desktop.domain import (
    Calendar,
    CalendarInfo,
    Confidence,
    Event,
    Interview,
    ProviderKind,
    RoleType,
    Stage,
    Suggestion,
    SuggestionKind,
)
from calendar_desktop.store import NewSuggestion
from tests.support.events import page


def seed_calendar(service: AppService, events: list[Event], *, name: str = "Work", color: str = "#3478f6",
                  account_name: str = "Work") -> Calendar:  # fmt: skip
    account = next((a for a in service.store.accounts.list() if a.name == account_name), None)
    if account is None:
        account = service.store.accounts.add(ProviderKind.CALDAV, account_name, "me@example.com")
        service.secrets.for_account(account.secret_key).update({"password": "secret"})
    existing = [CalendarInfo(c.remote_id, c.name, c.color) for c in service.store.calendars.list(account.id)]
    calendars = service.store.calendars.replace_from_provider(
        account.id, [*existing, CalendarInfo(name.lower(), name, color)]
    )
    calendar = next(c for c in calendars if c.name == name)
    if events:
        service.store.events.apply_page(calendar.id, page(*events))
    return calendar


def tracked_interview(service: AppService, company: str = "Acme") -> Interview:
    application = service.add_application(company, "Platform Engineer", RoleType.FULL_TIME)
    start = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    return service.add_interview(application.id, start, start + timedelta(hours=1), stage=Stage.TECHNICAL,
                                 title=f"{company} technical interview")  # fmt: skip


def announce(service: AppService, *suggestions: Suggestion) -> None:
    service.bus.publish(SuggestionsChanged(service.store.suggestions.pending_count(), tuple(suggestions)))


def reschedule_suggestion(service: AppService, interview: Interview, hours: int = 48) -> Suggestion:
    start = interview.start + timedelta(hours=hours)
    suggestion = service.store.suggestions.add(
        NewSuggestion(
            kind=SuggestionKind.RESCHEDULE, confidence=Confidence.HIGH, score=1.0, event_key=f"interview:{interview.id}",
            application_id=interview.application_id, interview_id=interview.id, stage=interview.stage,
            start=start, end=start + (interview.end - interview.start), title=interview.title,
        )
    )  # fmt: skip
    announce(service, suggestion)
    return suggestion


def new_interview_suggestion(service: AppService, company: str = "Globex", score: float = 0.82) -> Suggestion:
    start = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    suggestion = service.store.suggestions.add(
        NewSuggestion(
            kind=SuggestionKind.NEW_INTERVIEW, confidence=Confidence.HIGH, score=score, event_key=f"x:{company}",
            company=company, role="Backend Engineer", role_type=RoleType.FULL_TIME, stage=Stage.RECRUITER_SCREEN,
            start=start, end=start + timedelta(minutes=30), title=f"{company} <> you: recruiter call",
        )
    )  # fmt: skip
    announce(service, suggestion)
    return suggestion


def cancellation_suggestion(service: AppService, interview: Interview) -> Suggestion:
    suggestion = service.store.suggestions.add(
        NewSuggestion(
            kind=SuggestionKind.CANCELLATION, confidence=Confidence.HIGH, score=1.0, event_key=f"interview:{interview.id}",
            application_id=interview.application_id, interview_id=interview.id, stage=interview.stage,
            start=interview.start, end=interview.end, title=interview.title,
        )
    )  # fmt: skip
    announce(service, suggestion)
    return suggestion
