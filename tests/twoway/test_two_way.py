"""Two-way sync scenarios against the in-memory server: each direction, conflicts, crashes, loops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from calendar_desktop.domain import (
    ConflictChoice,
    InterviewStatus,
    OutboxState,
    SuggestionKind,
    SyncDirection,
    SyncOutcome,
)
from calendar_desktop.settings import ConflictPolicy
from tests.support.world import SOON, World


def schedule(world: World, **extra):  # type: ignore[no-untyped-def]
    app_id = world.application()
    return world.service.add_interview(app_id, SOON, SOON + timedelta(hours=1), title="Acme tech screen", **extra)


def test_create_in_app_writes_exactly_one_event(world: World) -> None:
    interview = schedule(world, location="Video call")
    assert world.service.store.outbox.list()[0].interview_id == interview.id
    assert world.sync().ok
    (event,) = world.server.events()
    assert event.title == "Acme tech screen" and event.marker == interview.marker
    assert event.start == SOON and event.location == "Video call"
    linked = world.service.store.interviews.get(interview.id)
    assert linked.remote_id == event.resource_id and linked.etag == event.etag
    assert world.service.store.outbox.list() == []
    # The next passes see our own event come back: nothing is re-applied or re-pushed.
    assert world.sync().ok and world.sync().ok
    assert world.server.writes == [("create", event.resource_id)]
    assert world.service.store.suggestions.list() == [], "our own event is not suggested as a new interview"


def test_edit_in_app_updates_the_event_with_if_match(world: World) -> None:
    interview = schedule(world)
    world.sync()
    world.service.update_interview(interview.id, start=SOON + timedelta(hours=2), end=SOON + timedelta(hours=3))
    assert world.sync().ok
    (event,) = world.server.events()
    assert event.start == SOON + timedelta(hours=2)
    assert [w[0] for w in world.server.writes] == ["create", "update"]
    world.sync()
    assert [w[0] for w in world.server.writes] == ["create", "update"], "no echo push"


def test_delete_in_app_deletes_the_event(world: World) -> None:
    interview = schedule(world)
    world.sync()
    world.service.delete_interview(interview.id)
    assert world.service.list_interviews() == [], "hidden while the delete is pending"
    assert world.sync().ok
    assert world.server.events() == []
    assert world.service.store.interviews.list(include_deleting=True) == []


def test_delete_before_first_push_writes_nothing(world: World) -> None:
    interview = schedule(world)
    world.service.delete_interview(interview.id)
    world.sync()
    assert world.server.events() == [] and world.server.writes == []


def test_edit_in_calendar_updates_the_interview(world: World) -> None:
    interview = schedule(world)
    world.sync()
    (event,) = world.server.events()
    world.server.edit("work", event.resource_id, start=SOON + timedelta(days=1), end=SOON + timedelta(days=1, hours=1),
                      title="Acme tech screen (moved)")  # fmt: skip
    assert world.sync().ok
    updated = world.service.store.interviews.get(interview.id)
    assert updated.start == SOON + timedelta(days=1) and updated.title == "Acme tech screen (moved)"
    kept = world.service.store.revisions.list(interview.id)
    assert kept and kept[-1][2].start == SOON, "the replaced version is kept"
    world.sync()
    assert [w[0] for w in world.server.writes] == ["create"], "a pulled edit is never pushed back"


def test_delete_in_calendar_keeps_the_interview_and_suggests_cancelling(world: World) -> None:
    interview = schedule(world)
    world.sync()
    (event,) = world.server.events()
    world.server.delete("work", event.resource_id)
    assert world.sync().ok
    kept = world.service.store.interviews.get(interview.id)
    assert kept.remote_id is None and kept.status is InterviewStatus.SCHEDULED
    (suggestion,) = world.service.store.suggestions.list()
    assert suggestion.kind is SuggestionKind.CANCELLATION and suggestion.interview_id == interview.id
    world.sync()
    assert world.server.events() == [], "the deleted event is not re-created"


def _both_sides_edit(world: World):  # type: ignore[no-untyped-def]
    interview = schedule(world)
    world.sync()
    (event,) = world.server.events()
    world.service.update_interview(interview.id, title="Edited in the app")
    world.server.edit("work", event.resource_id, title="Edited in the calendar")
    return interview


def test_conflict_ask_waits_for_the_user_then_app_wins(world: World) -> None:
    interview = _both_sides_edit(world)
    assert world.sync().ok
    (conflict,) = world.service.list_conflicts()
    assert conflict.local.title == "Edited in the app" and conflict.remote.title == "Edited in the calendar"
    assert world.service.store.outbox.list()[0].state is OutboxState.CONFLICT
    assert world.server.events()[0].title == "Edited in the calendar", "nothing pushed while waiting"
    from calendar_desktop.core.wiring import build_two_way

    build_two_way(world.service).resolve_conflict(conflict.id, ConflictChoice.APP)
    assert world.sync().ok
    assert world.server.events()[0].title == "Edited in the app"
    assert world.service.list_conflicts() == []
    assert any(r[2].title == "Edited in the calendar" for r in world.service.store.revisions.list(interview.id))


def test_conflict_ask_then_calendar_wins(world: World) -> None:
    interview = _both_sides_edit(world)
    world.sync()
    (conflict,) = world.service.list_conflicts()
    from calendar_desktop.core.wiring import build_two_way

    build_two_way(world.service).resolve_conflict(conflict.id, ConflictChoice.CALENDAR)
    world.sync()
    assert world.service.store.interviews.get(interview.id).title == "Edited in the calendar"
    assert world.server.events()[0].title == "Edited in the calendar"
    assert any(r[2].title == "Edited in the app" for r in world.service.store.revisions.list(interview.id))


@pytest.mark.parametrize(
    ("policy", "winner"),
    [(ConflictPolicy.APP_WINS, "Edited in the app"), (ConflictPolicy.CALENDAR_WINS, "Edited in the calendar"),
     (ConflictPolicy.LAST_UPDATED_WINS, "Edited in the calendar")],  # fmt: skip
)
def test_conflict_policies(world: World, policy: ConflictPolicy, winner: str) -> None:
    world.service.update_settings(conflict_policy=policy)
    interview = _both_sides_edit(world)  # the calendar edit happens last
    assert world.sync().ok
    world.sync()
    assert world.server.events()[0].title == winner
    assert world.service.store.interviews.get(interview.id).title == winner
    loser = {"Edited in the app", "Edited in the calendar"} - {winner}
    assert any(r[2].title in loser for r in world.service.store.revisions.list(interview.id)), "the loser is kept"
    assert world.service.list_conflicts() == []


def test_last_updated_wins_keeps_a_newer_app_edit(world: World) -> None:
    from datetime import UTC, datetime

    world.service.update_settings(conflict_policy=ConflictPolicy.LAST_UPDATED_WINS)
    interview = schedule(world)
    world.sync()
    (event,) = world.server.events()
    stored = world.server.edit("work", event.resource_id, title="Older calendar edit")
    import dataclasses

    world.server.calendars["work"][event.resource_id].event = dataclasses.replace(
        stored.event, updated=datetime.now(UTC) - timedelta(hours=1)
    )
    world.service.update_interview(interview.id, title="Newer app edit")
    world.sync()
    world.sync()
    assert world.server.events()[0].title == "Newer app edit"
    assert any(r[2].title == "Older calendar edit" for r in world.service.store.revisions.list(interview.id))


def test_lost_create_response_is_delivered_exactly_once(world: World) -> None:
    schedule(world)
    world.server.lose_next_write_response = True
    assert not world.sync().ok, "the lost response fails the pass"
    assert len(world.server.events()) == 1, "the server did create it"
    assert world.sync().ok
    assert len(world.server.events()) == 1
    assert world.service.store.outbox.list() == []
    assert world.service.store.interviews.list()[0].remote_id == world.server.events()[0].resource_id


def test_lost_update_response_is_recognised_as_ours(world: World) -> None:
    interview = schedule(world)
    world.sync()
    world.service.update_interview(interview.id, title="New title")
    world.server.lose_next_write_response = True
    assert not world.sync().ok
    assert world.sync().ok
    assert world.service.list_conflicts() == []
    assert [w[0] for w in world.server.writes] == ["create", "update"]
    assert world.service.store.outbox.list() == []


def test_read_only_account_never_receives_writes(world: World) -> None:
    interview = schedule(world)
    world.service.store.accounts.update(world.account.id, read_only=True)
    world.sync()
    assert world.server.events() == []
    (entry,) = world.service.store.outbox.list()
    assert entry.state is OutboxState.HELD and "read-only" in (entry.last_error or "")
    assert world.service.store.interviews.get(interview.id).remote_id is None
    with pytest.raises(ValueError, match="read-only"):
        schedule(world)


def test_loop_guard_holds_an_interview_pushed_too_often(world: World) -> None:
    interview = schedule(world)
    world.sync()
    for n in range(6):
        world.service.update_interview(interview.id, title=f"Edit {n}")
        world.sync()
    pushes = [r for r in world.service.sync_history() if r.direction is SyncDirection.PUSH]
    assert sum(r.outcome is SyncOutcome.OK for r in pushes) == 5
    held = [r for r in pushes if r.outcome is SyncOutcome.HELD]
    assert held and "sync loop" in (held[0].error or "")


def test_history_records_pulls_and_pushes(world: World) -> None:
    schedule(world)
    world.sync()
    runs = world.service.sync_history(world.account.id)
    assert {r.direction for r in runs} == {SyncDirection.PULL, SyncDirection.PUSH}
    push = next(r for r in runs if r.direction is SyncDirection.PUSH)
    assert push.added == 1 and push.outcome is SyncOutcome.OK and push.error == "create from the app"
