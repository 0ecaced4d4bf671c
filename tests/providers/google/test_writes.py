"""Two-way writes: idempotent insert, conditional patch and delete, the private marker."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from calendar_desktop.domain import CalendarInfo, EventDraft
from calendar_desktop.providers.errors import PermanentError, WriteConflict
from calendar_desktop.providers.google import GoogleProviderFactory
from calendar_desktop.providers.google.normalize import MARKER_KEY
from calendar_desktop.providers.google.scopes import AccessMode
from tests.emulators.google import GoogleEmulator
from tests.emulators.google.state import EventQuery
from tests.providers.google.conftest import FAST_RETRIES, store_account

PRIMARY = CalendarInfo("user@example.com", "user@example.com")
DRAFT = EventDraft(
    title="Interview: Acme (technical)",
    start=datetime(2026, 5, 4, 13, 0, tzinfo=UTC),
    end=datetime(2026, 5, 4, 14, 0, tzinfo=UTC),
    timezone="Europe/Paris",
    description="Second round",
    attendees=("recruiter@acme.example",),
    meeting_link="https://meet.example/abc",
    marker="cd-interview-17",
)


def test_create_event_writes_our_id_marker_and_no_notifications(google: GoogleEmulator, connected) -> None:
    result = connected.provider.create_event(PRIMARY, DRAFT)

    assert re.fullmatch(r"[a-v0-9]{5,1024}", result.resource_id)
    stored = google.state.get_event(PRIMARY.remote_id, result.resource_id)
    assert stored["extendedProperties"]["private"] == {MARKER_KEY: "cd-interview-17"}
    assert stored["start"] == {"dateTime": "2026-05-04T13:00:00Z", "timeZone": "Europe/Paris"}
    assert stored["location"] == "https://meet.example/abc"
    assert result.etag == stored["etag"]
    assert result.event is not None and result.event.marker == "cd-interview-17"
    assert result.event.title == DRAFT.title and result.event.timezone == "Europe/Paris"
    (insert,) = google.requests_to("/events", "POST")
    assert insert.params["sendUpdates"] == ["none"]


def test_all_day_event(google: GoogleEmulator, connected) -> None:
    draft = EventDraft(title="Onsite day", start=date(2026, 5, 6), end=date(2026, 5, 7), all_day=True)

    result = connected.provider.create_event(PRIMARY, draft)

    assert google.state.get_event(PRIMARY.remote_id, result.resource_id)["start"] == {"date": "2026-05-06"}
    assert result.event is not None and result.event.all_day and result.event.end == date(2026, 5, 7)


def test_a_retried_insert_does_not_duplicate(google: GoogleEmulator, connected) -> None:
    # The insert lands but its answer is lost, twice: httplib2 retries once by itself (409),
    # that answer is lost too, our retry gets 409 again, and the provider fetches the event.
    google.drop(count=2, path="/events", method="POST", after_processing=True)

    result = connected.provider.create_event(PRIMARY, DRAFT)

    events = google.state.list_events(PRIMARY.remote_id, EventQuery(single_events=True))
    assert [e["id"] for e in events] == [result.resource_id]
    assert [r.status for r in google.requests_to("/events", "POST")] == [0, 0, 409]
    assert result.event is not None and result.event.marker == DRAFT.marker


def test_update_with_if_match(google: GoogleEmulator, connected) -> None:
    created = connected.provider.create_event(PRIMARY, DRAFT)
    google.state.patch_event(PRIMARY.remote_id, created.resource_id, {"extendedProperties": {"private": {"other": "app"}}}, None)
    current = google.state.get_event(PRIMARY.remote_id, created.resource_id)["etag"]
    moved = replace(DRAFT, start=datetime(2026, 5, 5, 9, tzinfo=UTC), end=datetime(2026, 5, 5, 10, tzinfo=UTC))

    result = connected.provider.update_event(PRIMARY, created.resource_id, moved, current)

    stored = google.state.get_event(PRIMARY.remote_id, created.resource_id)
    assert stored["start"]["dateTime"] == "2026-05-05T09:00:00Z"
    assert stored["extendedProperties"]["private"] == {MARKER_KEY: DRAFT.marker, "other": "app"}
    assert result.etag == stored["etag"] != current
    (patch,) = google.requests_to("/events/", "PATCH")
    assert patch.params["sendUpdates"] == ["none"]


def test_update_on_a_stale_etag_is_a_conflict(google: GoogleEmulator, connected) -> None:
    created = connected.provider.create_event(PRIMARY, DRAFT)
    google.state.patch_event(PRIMARY.remote_id, created.resource_id, {"summary": "Edited on the phone"}, None)

    with pytest.raises(WriteConflict):
        connected.provider.update_event(PRIMARY, created.resource_id, DRAFT, created.etag)

    assert google.state.get_event(PRIMARY.remote_id, created.resource_id)["summary"] == "Edited on the phone"
    assert [r.status for r in google.requests_to("/events/", "PATCH")] == [412]


def test_a_retried_update_is_not_a_conflict_with_itself(google: GoogleEmulator, connected) -> None:
    created = connected.provider.create_event(PRIMARY, DRAFT)
    renamed = replace(DRAFT, title="Interview: Acme (final)")
    google.drop(count=2, path="/events/", method="PATCH", after_processing=True)

    result = connected.provider.update_event(PRIMARY, created.resource_id, renamed, created.etag)

    assert result.event is not None and result.event.title == "Interview: Acme (final)"
    assert [r.status for r in google.requests_to("/events/", "PATCH")] == [0, 0, 412]


def test_delete_with_if_match(google: GoogleEmulator, connected) -> None:
    created = connected.provider.create_event(PRIMARY, DRAFT)
    google.state.patch_event(PRIMARY.remote_id, created.resource_id, {"summary": "Edited"}, None)

    with pytest.raises(WriteConflict):
        connected.provider.delete_event(PRIMARY, created.resource_id, created.etag)
    current = google.state.get_event(PRIMARY.remote_id, created.resource_id)["etag"]
    connected.provider.delete_event(PRIMARY, created.resource_id, current)

    assert google.state.get_event(PRIMARY.remote_id, created.resource_id)["status"] == "cancelled"
    assert [r.status for r in google.requests_to("/events/", "DELETE")] == [412, 204]
    assert google.requests_to("/events/", "DELETE")[-1].params["sendUpdates"] == ["none"]


def test_deleting_what_is_gone_is_not_an_error(google: GoogleEmulator, connected) -> None:
    created = connected.provider.create_event(PRIMARY, DRAFT)
    google.state.delete_event(PRIMARY.remote_id, created.resource_id, None)

    connected.provider.delete_event(PRIMARY, created.resource_id, created.etag)  # 410 deleted
    connected.provider.delete_event(PRIMARY, "neverexisted1", None)  # 404

    assert [r.status for r in google.requests_to("/events/", "DELETE")] == [410, 404]


def test_writes_to_read_only_calendars_are_refused(google: GoogleEmulator, endpoints, secret_store, connected) -> None:
    shared = CalendarInfo("team@group.calendar.google.com", "Team", read_only=True)
    with pytest.raises(PermanentError):
        connected.provider.create_event(shared, DRAFT)

    account, secrets, _ = store_account(google, endpoints, secret_store, AccessMode.READ_ONLY)
    provider = GoogleProviderFactory(retry_policy=FAST_RETRIES).open(account, secrets)
    try:
        assert all(c.read_only for c in provider.list_calendars())
        with pytest.raises(PermanentError):
            provider.create_event(PRIMARY, DRAFT)
    finally:
        provider.close()
    assert google.requests_to("/events", "POST") == []
