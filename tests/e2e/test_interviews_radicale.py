"""Issue 6 end to end with a real Radicale: an invite becomes one suggestion; accepting it puts
the interview in the pipeline; moving the event on the server brings a reschedule confirmation
(or an auto-applied update); deleting it brings a cancellation suggestion."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.wiring import build_controller, build_tracker
from calendar_desktop.domain import Account, InterviewStatus, Stage, SuggestionKind, SuggestionStatus
from tests.servers.calendars import SampleEvent, vevent, wrap
from tests.servers.dav import DavAccount
from tests.servers.fixtures import connect_account

START = (datetime.now(UTC) + timedelta(days=4)).replace(hour=15, minute=0, second=0, microsecond=0)


def invite(start: datetime, *, sequence: int = 0) -> SampleEvent:
    stamp = f"{start:%Y%m%dT%H%M%SZ}"
    end = start + timedelta(hours=1)
    ics = wrap(
        vevent(
            "interview-acme-42@greenhouse.io",
            "SUMMARY:Acme Corporation - Technical Interview (Platform Engineer)",
            f"DTSTART:{stamp}",
            f"DTEND:{end:%Y%m%dT%H%M%SZ}",
            f"SEQUENCE:{sequence}",
            "ORGANIZER;CN=Rita Recruiter:mailto:rita@acme.io",
            "ATTENDEE:mailto:me@example.com",
            "LOCATION:https://zoom.us/j/5550100",
            "DESCRIPTION:Your technical interview for the Platform Engineer role at Acme.",
        )
    )
    return SampleEvent("interview-acme-42@greenhouse.io", "interview.ics", ics)


def sync(service: AppService, account: Account) -> None:
    async def run() -> None:
        controller = build_controller(service)
        try:
            result = await controller.sync_account(account.id)
            assert result.ok, result.message
        finally:
            await controller.stop()

    asyncio.run(run())


@pytest.fixture
def connected(service: AppService, radicale: DavAccount) -> Iterator[tuple[AppService, DavAccount, Account]]:
    radicale.make_calendar("work", display_name="Work")
    service.add_application("Acme Corporation", "Platform Engineer", aliases=("Acme",))
    service.set_identity(emails=["me@example.com"])
    yield service, radicale, connect_account(service, radicale)


def pending(service: AppService, kind: SuggestionKind):  # type: ignore[no-untyped-def]
    return [s for s in service.store.suggestions.list(SuggestionStatus.PENDING) if s.kind is kind]


@pytest.mark.parametrize("auto_apply", [False, True], ids=["confirm", "auto-apply"])
def test_invite_accept_move_delete(connected, auto_apply: bool) -> None:  # type: ignore[no-untyped-def]
    service, dav, account = connected
    service.update_settings(auto_apply_reschedules=auto_apply)
    dav.put("work", invite(START))
    sync(service, account)
    (suggestion,) = pending(service, SuggestionKind.NEW_INTERVIEW)
    assert (suggestion.company, suggestion.stage, suggestion.start) == ("Acme Corporation", Stage.TECHNICAL, START)

    build_tracker(service).accept(suggestion.id)
    (interview,) = service.list_interviews()
    assert interview.start == START and interview.event_uid == "interview-acme-42@greenhouse.io"

    moved = START + timedelta(days=1, hours=2)
    dav.put("work", invite(moved, sequence=1))
    sync(service, account)
    if auto_apply:
        assert service.store.interviews.get(interview.id).start == moved
        (entry,) = service.store.suggestions.list(SuggestionStatus.AUTO_APPLIED)
        assert entry.kind is SuggestionKind.RESCHEDULE and entry.start == moved
    else:
        (confirm,) = pending(service, SuggestionKind.RESCHEDULE)
        assert confirm.start == moved and confirm.interview_id == interview.id
        assert service.store.interviews.get(interview.id).start == START
        build_tracker(service).accept(confirm.id)
        assert service.store.interviews.get(interview.id).start == moved

    dav.delete("work", "interview.ics")
    sync(service, account)
    (cancellation,) = pending(service, SuggestionKind.CANCELLATION)
    assert cancellation.interview_id == interview.id
    build_tracker(service).accept(cancellation.id)
    assert service.store.interviews.get(interview.id).status is InterviewStatus.CANCELLED
