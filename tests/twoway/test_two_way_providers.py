"""Two-way sync through the real providers: a real Radicale, and the Google and Microsoft emulators."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.core.wiring import build_controller, build_two_way
from calendar_desktop.domain import Account, ConflictChoice, SuggestionKind
from calendar_desktop.paths import AppPaths
from tests.support.world import SOON
from tests.twoway.peers import Peer, peer_named


@dataclass
class Setup:
    service: AppService
    peer: Peer
    account: Account

    def sync(self) -> bool:
        async def run() -> bool:
            controller = build_controller(self.service)
            try:
                return (await controller.sync_account(self.account.id)).ok
            finally:
                await controller.stop()

        return asyncio.run(run())

    def schedule(self, title: str = "Acme onsite") -> int:
        application = self.service.add_application("Acme", "SRE")
        return self.service.add_interview(application.id, SOON, SOON + timedelta(hours=2), title=title).id

    def only_event(self):  # type: ignore[no-untyped-def]
        (event,) = self.peer.events()
        return event


@pytest.fixture(params=["radicale", "google", "microsoft"])
def setup(request: pytest.FixtureRequest, paths: AppPaths, tmp_path) -> Iterator[Setup]:  # type: ignore[no-untyped-def]
    with peer_named(request.param, tmp_path, request) as peer:
        service = peer.open_service(paths)
        try:
            account = service.add_account(peer.new_account(service))
            s = Setup(service, peer, account)
            assert s.sync()
            primary = service.list_calendars()[0]
            service.set_write_target(primary.id)
            yield s
        finally:
            service.close()


def test_create_edit_delete_from_the_app(setup: Setup) -> None:
    interview_id = setup.schedule()
    assert setup.sync()
    event = setup.only_event()
    assert (event.title, event.start, event.end) == ("Acme onsite", SOON, SOON + timedelta(hours=2))
    writes = setup.peer.write_requests()
    assert setup.sync() and setup.sync()
    assert setup.peer.write_requests() == writes, "our own event coming back is never pushed again"

    setup.service.update_interview(interview_id, title="Acme onsite (final)", start=SOON + timedelta(hours=1),
                                   end=SOON + timedelta(hours=3))  # fmt: skip
    assert setup.sync()
    event = setup.only_event()
    assert (event.title, event.start) == ("Acme onsite (final)", SOON + timedelta(hours=1))

    setup.service.delete_interview(interview_id)
    assert setup.sync()
    assert setup.peer.events() == []


def test_edit_and_delete_from_the_calendar(setup: Setup) -> None:
    interview_id = setup.schedule()
    setup.sync()
    event = setup.only_event()
    moved = SOON + timedelta(days=1)
    setup.peer.edit(event.id, title="Moved by the recruiter", start=moved, end=moved + timedelta(hours=1))
    assert setup.sync()
    interview = setup.service.store.interviews.get(interview_id)
    assert (interview.title, interview.start, interview.end) == ("Moved by the recruiter", moved, moved + timedelta(hours=1))
    writes = setup.peer.write_requests()
    setup.sync()
    assert setup.peer.write_requests() == writes, "a pulled edit is not pushed back"

    setup.peer.delete(event.id)
    assert setup.sync()
    assert setup.service.store.interviews.get(interview_id).remote_id is None
    kinds = [s.kind for s in setup.service.store.suggestions.list()]
    assert kinds == [SuggestionKind.CANCELLATION]


def test_conflict_waits_for_the_user(setup: Setup) -> None:
    interview_id = setup.schedule()
    setup.sync()
    event = setup.only_event()
    setup.service.update_interview(interview_id, title="App title")
    setup.peer.edit(event.id, title="Calendar title")
    assert setup.sync()
    (conflict,) = setup.service.list_conflicts()
    assert (conflict.local.title, conflict.remote.title) == ("App title", "Calendar title")
    build_two_way(setup.service).resolve_conflict(conflict.id, ConflictChoice.APP)
    assert setup.sync()
    assert setup.only_event().title == "App title"


def test_a_lost_create_response_is_delivered_exactly_once(setup: Setup) -> None:
    setup.schedule()
    before = setup.peer.write_requests()
    setup.peer.lose_next_create_response()
    setup.sync()
    setup.sync()
    setup.sync()
    assert setup.peer.write_requests() - before >= 2, "the create was sent again after its answer was lost"
    assert len(setup.peer.events()) == 1
    assert setup.service.store.outbox.list() == []
