"""Putting the demo fortnight somewhere: as iCalendar objects for a CalDAV server, or straight into
a store (screenshots, and tests that need a populated window without a server)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent
from icalendar import vCalAddress, vRecur

from calendar_desktop.core.service import AppService
from calendar_desktop.demo.data import USER_EMAIL, USER_NAME, DemoData, DemoItem
from calendar_desktop.domain import (
    CalendarInfo,
    ChangePage,
    Confidence,
    ProviderKind,
    RemoteItem,
    Stage,
    Suggestion,
    SuggestionKind,
)
from calendar_desktop.store import NewSuggestion

PRODID = "-//calendar-desktop//demo//EN"


def _address(value: str) -> vCalAddress:
    name, _, email = value.rpartition("<")
    address = vCalAddress(f"mailto:{(email.rstrip('>') if email else value).strip()}")
    if name.strip():
        address.params["CN"] = name.strip()
    return address


def to_ics(item: DemoItem, *, sequence: int = 0) -> str:
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = IEvent()
    event.add("uid", item.uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("summary", item.title)
    event.add("dtstart", item.start.astimezone(UTC) if isinstance(item.start, datetime) else item.start)
    event.add("dtend", item.end.astimezone(UTC) if isinstance(item.end, datetime) else item.end)
    event.add("sequence", sequence)
    if item.repeat is not None:
        event.add("rrule", vRecur.from_ical(item.repeat.rrule()))
    if item.location:
        event.add("location", item.location)
    if item.meeting_link:
        event.add("url", item.meeting_link)
    description = item.description + (f"\n\nJoin: {item.meeting_link}" if item.meeting_link else "")
    if description.strip():
        event.add("description", description.strip())
    if item.organizer:
        event.add("organizer", _address(item.organizer))
    for attendee in item.attendees:
        event.add("attendee", _address(attendee))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def seed_store(service: AppService, data: DemoData, *, server_url: str = "http://127.0.0.1:5232/") -> int:
    """Fill a profile as if the demo server had been synced; returns the account id."""
    service.set_identity(emails=[USER_EMAIL], name=USER_NAME, employer="Northwind")
    account = service.store.accounts.add(ProviderKind.CALDAV, "Demo calendars", USER_EMAIL, server_url=server_url)
    service.secrets.for_account(account.secret_key).update({"password": "demo"})
    calendars = service.store.calendars.replace_from_provider(
        account.id, [CalendarInfo(name.lower(), name, colour) for name, colour in data.calendars.items()]
    )
    by_name = {c.name: c for c in calendars}
    for calendar in calendars:
        items = [i for i in data.items if i.calendar == calendar.name]
        page = ChangePage(items=tuple(RemoteItem(f"{i.uid}.ics", "e1", tuple(i.events())) for i in items), cursor="t")
        service.store.events.apply_page(calendar.id, page)
    service.store.calendars.set_write_target(by_name["Work"].id)
    service.store.accounts.set_status(account.id, service.store.accounts.get(account.id).status,
                                      synced_at=datetime.now(UTC))  # fmt: skip
    for application in data.applications:
        service.add_application(
            application.company, application.role, application.role_type, aliases=application.aliases,
            status=application.status,
        )  # fmt: skip
    return account.id


def interview_events(service: AppService, data: DemoData) -> dict[str, int]:
    """Stored event ids of the demo's interview invitations, by uid (and marks them as interviews)."""
    ids = {}
    for item in data.items:
        if item.company is not None:
            (stored,) = service.store.events.by_uid(item.uid)
            ids[item.uid] = stored.id
    service.store.events.mark_interviews([(i, True) for i in ids.values()])
    return ids


def seed_suggestions(service: AppService, data: DemoData) -> Suggestion:
    """The state after a few syncs: one interview tracked, others suggested, one reschedule pending."""
    events = interview_events(service, data)
    applications = {a.company: a for a in service.list_applications()}
    tracked = data.item(data.tracked_uid)
    assert isinstance(tracked.start, datetime) and isinstance(tracked.end, datetime)
    acme = applications["Acme Corp"]
    interview = service.add_interview(
        acme.id, tracked.start.astimezone(UTC), tracked.end.astimezone(UTC), stage=Stage.TECHNICAL, title=tracked.title,
        location=tracked.location,
    )  # fmt: skip
    service.store.interviews.update(interview.id, event_id=events[tracked.uid], event_uid=tracked.uid)
    for uid, company, stage, score in (
        ("demo-globex-screen", "Globex", Stage.RECRUITER_SCREEN, 0.91),
        ("demo-umbrella-onsite", "Umbrella Health", Stage.ONSITE, 0.74),
    ):
        item = data.item(uid)
        assert isinstance(item.start, datetime) and isinstance(item.end, datetime)
        application = applications[company]
        service.store.suggestions.add(
            NewSuggestion(
                kind=SuggestionKind.NEW_INTERVIEW, confidence=Confidence.HIGH if score > 0.8 else Confidence.MEDIUM,
                score=score, event_id=events[uid], event_uid=uid, event_key=f"demo:{uid}",
                application_id=application.id, company=company, role=application.role,
                role_type=application.role_type, stage=stage, start=item.start.astimezone(UTC),
                end=item.end.astimezone(UTC), title=item.title,
            )
        )  # fmt: skip
    moved = dataclasses.replace(
        tracked, start=tracked.start + data.reschedule_by, end=tracked.end + data.reschedule_by
    )
    return service.store.suggestions.add(
        NewSuggestion(
            kind=SuggestionKind.RESCHEDULE, confidence=Confidence.HIGH, score=1.0, event_id=events[tracked.uid],
            event_uid=tracked.uid, event_key=f"interview:{interview.id}", application_id=acme.id,
            interview_id=interview.id, stage=Stage.TECHNICAL, start=moved.start.astimezone(UTC),  # type: ignore[union-attr]
            end=moved.end.astimezone(UTC), title=tracked.title,  # type: ignore[union-attr]
            details={"previous_start": tracked.start.astimezone(UTC).isoformat()},
        )
    )  # fmt: skip
