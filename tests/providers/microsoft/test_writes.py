"""Writes against the emulator: transactionId, If-Match, 412, the marker, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from calendar_desktop.domain import CalendarInfo, EventDraft, SyncWindow
from calendar_desktop.providers.errors import (
    AuthenticationError,
    PermanentError,
    WriteConflict,
)
from calendar_desktop.providers.microsoft import MicrosoftProvider
from calendar_desktop.providers.microsoft.writes import (
    MARKER_PROPERTY_ID,
    TRANSACTION_PREFIX,
)
from tests.emulators.microsoft import MicrosoftEmulator
from tests.providers.microsoft.conftest import Mirror

START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
WINDOW = SyncWindow.around(datetime.now(UTC))


def draft(**changes: object) -> EventDraft:
    fields: dict[str, object] = {
        "title": "Interview with Acme",
        "start": START,
        "end": START + timedelta(hours=1),
        "timezone": "Europe/Berlin",
        "description": "Second round",
        "location": "Berlin office",
        "meeting_link": "https://teams.microsoft.com/l/meetup-join/abc",
        "attendees": ("recruiter@acme.example",),
        "marker": "cd-7f3a",
    }
    fields.update(changes)
    return EventDraft(**fields)  # type: ignore[arg-type]


@pytest.fixture
def calendar(provider: MicrosoftProvider) -> CalendarInfo:
    return next(c for c in provider.list_calendars() if c.name == "Calendar")


def test_create_writes_marker_transaction_id_and_windows_zone(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    result = provider.create_event(calendar, draft())
    stored = ms.mailbox.find(result.resource_id)
    assert stored is not None and stored.etag == result.etag
    assert stored.transaction_id.startswith(TRANSACTION_PREFIX)
    assert stored.extended[MARKER_PROPERTY_ID.lower()][1] == "cd-7f3a"
    assert stored.tz == "W. Europe Standard Time"
    assert stored.attendees == ()  # no invitations sent from the user's mailbox
    assert "recruiter@acme.example" in stored.body_html and "teams.microsoft.com" in stored.body_html
    event = result.event
    assert event is not None and (event.start, event.end) == (START, START + timedelta(hours=1))
    assert event.marker == "cd-7f3a" and event.timezone == "Europe/Berlin"
    assert event.meeting_link == "https://teams.microsoft.com/l/meetup-join/abc"


def test_a_create_whose_answer_was_lost_is_not_duplicated(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    ms.drop(path="/events$", method="POST", after=True)
    result = provider.create_event(calendar, draft())
    posts = [r for r in ms.requests if r.method == "POST" and r.path.endswith("/events")]
    assert len(posts) == 2
    created = [e for e in ms.mailbox.in_calendar(calendar.remote_id) if e.subject == "Interview with Acme"]
    assert [e.core for e in created] == [result.resource_id.removeprefix("AAkALgAAAAAA")]


def test_update_with_the_current_etag_and_a_stale_one(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    created = provider.create_event(calendar, draft())
    moved = provider.update_event(
        calendar,
        created.resource_id,
        draft(start=START + timedelta(hours=3), end=START + timedelta(hours=4)),
        created.etag,
    )
    assert moved.etag != created.etag and moved.event is not None and moved.event.start == START + timedelta(hours=3)
    [patch] = [r for r in ms.requests if r.method == "PATCH"]
    assert patch.if_match == created.etag
    with pytest.raises(WriteConflict):
        provider.update_event(calendar, created.resource_id, draft(title="Lost update"), created.etag)
    assert ms.mailbox.find(created.resource_id).subject == "Interview with Acme"  # type: ignore[union-attr]


def test_update_after_an_edit_in_outlook_is_a_conflict(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    created = provider.create_event(calendar, draft())
    ms.mailbox.update_event(created.resource_id, subject="Moved by the recruiter")
    with pytest.raises(WriteConflict):
        provider.update_event(calendar, created.resource_id, draft(), created.etag)
    ms.mailbox.delete_event(created.resource_id)
    with pytest.raises(WriteConflict, match="deleted"):
        provider.update_event(calendar, created.resource_id, draft(), None)


def test_delete_is_conditional_and_idempotent(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    created = provider.create_event(calendar, draft())
    ms.mailbox.touch_event(created.resource_id)  # Exchange re-keys items on its own
    with pytest.raises(WriteConflict):
        provider.delete_event(calendar, created.resource_id, created.etag)
    current = ms.mailbox.find(created.resource_id)
    assert current is not None
    provider.delete_event(calendar, created.resource_id, current.etag)
    assert ms.mailbox.find(created.resource_id) is None
    provider.delete_event(calendar, created.resource_id, current.etag)  # already gone: fine


def test_sync_reads_our_marker_back_only_for_our_events(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    mirror = Mirror()
    mirror.apply(provider.fetch_changes(calendar, None, WINDOW))
    ours = provider.create_event(calendar, draft())
    theirs = ms.mailbox.add_event(calendar.remote_id, "Team lunch", START, START + timedelta(hours=1))
    ms.clear_log()
    mirror.apply(provider.fetch_changes(calendar, mirror.cursor, WINDOW))
    assert mirror.events[ours.resource_id].marker == "cd-7f3a"
    assert mirror.events[theirs].marker is None
    lookups = [r for r in ms.requests if r.path.startswith("/v1.0/me/events/")]
    assert [r.path.rsplit("/", 1)[1] for r in lookups] == [ours.resource_id]
    assert "$expand" in lookups[0].query


def test_all_day_event_keeps_its_dates(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    day = date.today() + timedelta(days=5)
    result = provider.create_event(calendar, draft(all_day=True, start=day, end=day + timedelta(days=1), timezone=None))
    stored = ms.mailbox.find(result.resource_id)
    assert stored is not None and stored.all_day and stored.start == datetime.combine(day, datetime.min.time())
    assert result.event is not None and (result.event.start, result.event.end) == (day, day + timedelta(days=1))


def test_a_zone_without_windows_equivalent_is_written_in_utc(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    result = provider.create_event(calendar, draft(timezone="Antarctica/Troll"))
    stored = ms.mailbox.find(result.resource_id)
    assert stored is not None and stored.tz == "UTC"
    assert result.event is not None and result.event.start == START


def test_read_only_calendar_refuses_writes_without_a_request(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    shared = CalendarInfo(remote_id=calendar.remote_id, name="Shared", read_only=True)
    ms.clear_log()
    with pytest.raises(PermanentError, match="read-only"):
        provider.create_event(shared, draft())
    assert ms.requests == []


def test_graph_refusing_a_refreshed_token_needs_reauthentication(
    ms: MicrosoftEmulator, provider: MicrosoftProvider, calendar: CalendarInfo
) -> None:
    ms.clear_log()
    ms.fail(401, path="/events$", times=2)
    with pytest.raises(AuthenticationError):
        provider.create_event(calendar, draft())
    assert [r.path.rsplit("/", 1)[-1] for r in ms.requests] == ["events", "token", "events"]
