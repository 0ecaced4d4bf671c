"""Interview tracking over real sync passes (in-memory server): suggestions, accept, reschedules,
cancellations, dismissals, variants and copies of one invite in two calendars."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from calendar_desktop.core.wiring import build_tracker
from calendar_desktop.domain import (
    Confidence,
    Event,
    InterviewStatus,
    Stage,
    SuggestionKind,
    SuggestionStatus,
)
from tests.support.world import SOON, World

INVITE = Event(
    remote_id="acme-1.ics",
    resource_id="acme-1.ics",
    uid="acme-1@greenhouse.io",
    title="Acme Corporation: Technical Interview - Platform Engineer",
    start=SOON,
    end=SOON + timedelta(hours=1),
    organizer="Rita Recruiter <rita@acme.io>",
    attendees=("me@example.com", "rita@acme.io"),
    description="Hi! Please join us for your technical interview for the Platform Engineer role.",
    location="https://zoom.us/j/123456",
)


@pytest.fixture
def tracked(world: World) -> World:
    world.service.add_application("Acme Corporation", "Platform Engineer")
    world.service.set_identity(emails=["me@example.com"], employer="Harborview Analytics")
    return world


def pending(world: World, kind: SuggestionKind | None = None):  # type: ignore[no-untyped-def]
    return [s for s in world.service.store.suggestions.list(SuggestionStatus.PENDING) if kind is None or s.kind is kind]


def test_an_invite_becomes_one_pending_suggestion(tracked: World) -> None:
    tracked.server.put("work", INVITE)
    tracked.server.put("work", dataclasses.replace(INVITE, remote_id="lunch", resource_id="lunch", uid="lunch",
                                                   title="Lunch with Sam", description="", organizer=None))  # fmt: skip
    tracked.sync()
    (suggestion,) = pending(tracked)
    assert suggestion.kind is SuggestionKind.NEW_INTERVIEW
    assert suggestion.company == "Acme Corporation" and suggestion.confidence is Confidence.HIGH
    assert suggestion.stage is Stage.TECHNICAL and suggestion.start == SOON
    tracked.sync()
    assert len(pending(tracked)) == 1, "a second pass does not repeat the suggestion"
    flags = {s.event.title: s.is_interview for s in tracked.service.list_events()}
    assert flags == {INVITE.title: True, "Lunch with Sam": False}


def test_accept_then_move_then_delete(tracked: World) -> None:
    tracked.server.put("work", INVITE)
    tracked.sync()
    tracker = build_tracker(tracked.service)
    (suggestion,) = pending(tracked)
    tracker.accept(suggestion.id)
    (interview,) = tracked.service.list_interviews()
    assert interview.start == SOON and interview.stage is Stage.TECHNICAL and interview.event_uid == INVITE.uid
    application = tracked.service.store.applications.get(interview.application_id)
    assert application.status.value == "interviewing"

    moved = SOON + timedelta(days=2)
    tracked.server.edit("work", INVITE.resource_id, start=moved, end=moved + timedelta(hours=1))
    tracked.sync()
    (reschedule,) = pending(tracked, SuggestionKind.RESCHEDULE)
    assert reschedule.start == moved and reschedule.interview_id == interview.id
    assert reschedule.details["previous_start"] == SOON.isoformat()
    assert tracked.service.store.interviews.get(interview.id).start == SOON, "nothing changes before the user confirms"
    tracker.accept(reschedule.id)
    assert tracked.service.store.interviews.get(interview.id).start == moved

    tracked.server.delete("work", INVITE.resource_id)
    tracked.sync()
    (cancellation,) = pending(tracked, SuggestionKind.CANCELLATION)
    assert cancellation.interview_id == interview.id
    tracker.accept(cancellation.id)
    assert tracked.service.store.interviews.get(interview.id).status is InterviewStatus.CANCELLED


def test_auto_apply_records_the_reschedule(tracked: World) -> None:
    tracked.server.put("work", INVITE)
    tracked.sync()
    build_tracker(tracked.service).accept(pending(tracked)[0].id)
    tracked.service.update_settings(auto_apply_reschedules=True)
    moved = SOON + timedelta(hours=3)
    tracked.server.edit("work", INVITE.resource_id, start=moved, end=moved + timedelta(hours=1))
    tracked.sync()
    assert tracked.service.list_interviews()[0].start == moved
    assert pending(tracked) == []
    (entry,) = tracked.service.store.suggestions.list(SuggestionStatus.AUTO_APPLIED)
    assert entry.kind is SuggestionKind.RESCHEDULE and entry.start == moved


def test_a_dismissed_suggestion_never_comes_back_for_that_event(tracked: World) -> None:
    tracked.server.put("work", INVITE)
    tracked.sync()
    build_tracker(tracked.service).dismiss(pending(tracked)[0].id)
    tracked.server.edit("work", INVITE.resource_id, title=INVITE.title + " (updated)")
    tracked.sync()
    assert pending(tracked) == []


def test_one_invite_in_two_calendars_is_one_suggestion(tracked: World) -> None:
    tracked.server.calendars["personal"] = {}
    tracked.server.put("work", INVITE)
    tracked.server.put("personal", INVITE)
    tracked.sync()
    assert len(pending(tracked)) == 1


def test_an_updated_invitation_with_a_new_uid_is_a_reschedule(tracked: World) -> None:
    tracked.server.put("work", INVITE)
    tracked.sync()
    build_tracker(tracked.service).accept(pending(tracked)[0].id)
    tracked.server.delete("work", INVITE.resource_id)
    later = SOON + timedelta(days=1)
    tracked.server.put("work", dataclasses.replace(
        INVITE, remote_id="acme-2.ics", resource_id="acme-2.ics", uid="acme-2@greenhouse.io",
        title="Rescheduled: " + INVITE.title, start=later, end=later + timedelta(hours=1),
    ))  # fmt: skip
    tracked.sync()
    assert pending(tracked, SuggestionKind.NEW_INTERVIEW) == [], "the same interview is not suggested twice"
    reschedules = pending(tracked, SuggestionKind.RESCHEDULE)
    assert [s.start for s in reschedules] == [later]


def test_the_user_interviewing_someone_is_not_suggested(tracked: World) -> None:
    tracked.server.put("work", dataclasses.replace(
        INVITE, title="Interview with candidate Priya (Backend)", organizer="recruiting@harborviewanalytics.com",
        attendees=("me@example.com",), description="Interview kit and scorecard attached. Candidate: Priya.",
    ))  # fmt: skip
    tracked.sync()
    assert pending(tracked) == []


def test_overlapping_events_are_named_in_the_suggestion(tracked: World) -> None:
    standup = dataclasses.replace(
        INVITE, remote_id="standup", resource_id="standup", uid="standup", title="Team stand-up", description="",
        organizer=None, start=SOON + timedelta(minutes=15), end=SOON + timedelta(minutes=30),
    )  # fmt: skip
    tracked.server.put("work", standup)
    tracked.server.put("work", INVITE)
    tracked.sync()
    (suggestion,) = pending(tracked)
    assert "Team stand-up" in suggestion.details["overlaps"]
