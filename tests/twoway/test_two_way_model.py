"""A model-based test of two-way sync: random edits on both sides, syncs, lost responses and
crashes between pull and push; after a final clean sync both sides agree, nothing is duplicated,
and every conflict was resolved by policy or answered by the user."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.tracker import InterviewTracker
from calendar_desktop.core.twoway import TwoWaySync
from calendar_desktop.domain import ConflictChoice, InterviewStatus
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry
from calendar_desktop.secrets import SecretStore
from calendar_desktop.settings import ConflictPolicy
from tests.support.keyrings import MemoryKeyring
from tests.support.memory_provider import MemoryServer, memory_account, memory_overrides
from tests.support.world import SOON

TITLES = st.sampled_from(["Screen", "Tech round", "Onsite", "Final", "HM chat"])
HOURS = st.integers(min_value=0, max_value=72)


class TwoWayMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        import tempfile
        from pathlib import Path

        self._tmp = tempfile.TemporaryDirectory()
        paths = AppPaths.profile(Path(self._tmp.name))
        self.server = MemoryServer()
        registry = ProviderRegistry(ProviderContext(paths.data_dir, {}), overrides=memory_overrides(self.server))  # type: ignore[arg-type]
        self.service = AppService.open(paths, secrets=SecretStore(MemoryKeyring()), providers=registry)
        self.account = self.service.add_account(memory_account())
        self.app_id = self.service.add_application("Acme", "SRE").id
        self.conflict_choices: list[ConflictChoice] = []

    @initialize(policy=st.sampled_from(list(ConflictPolicy)))
    def connect(self, policy: ConflictPolicy) -> None:
        self.service.update_settings(conflict_policy=policy)
        self._sync()
        (calendar,) = self.service.list_calendars()
        self.service.set_write_target(calendar.id)

    def _sync(self, *, push: bool = True) -> bool:
        tracker = InterviewTracker(self.service)
        hooks = [TwoWaySync(self.service, on_remote_deleted=tracker.interview_event_gone, max_pushes=10_000)] if push else []

        async def run() -> bool:
            controller = SyncController(self.service, listeners=[tracker], hooks=hooks)
            try:
                return (await controller.sync_account(self.account.id)).ok
            finally:
                await controller.stop()

        return asyncio.run(run())

    def _interviews(self):  # type: ignore[no-untyped-def]
        return self.service.list_interviews()

    def _remote_ids(self) -> list[str]:
        return list(self.server.calendars["work"])  # creation order: stable across replays

    # --- app side --------------------------------------------------------------------------

    @rule(title=TITLES, hours=HOURS)
    def app_create(self, title: str, hours: int) -> None:
        start = SOON + timedelta(hours=hours)
        self.service.add_interview(self.app_id, start, start + timedelta(hours=1), title=title)

    @precondition(lambda self: self._interviews())
    @rule(data=st.data(), title=TITLES, hours=HOURS)
    def app_edit(self, data: st.DataObject, title: str, hours: int) -> None:
        interview = data.draw(st.sampled_from(self._interviews()))
        start = SOON + timedelta(hours=hours)
        self.service.update_interview(interview.id, title=f"{title} (app)", start=start, end=start + timedelta(hours=1))

    @precondition(lambda self: self._interviews())
    @rule(data=st.data())
    def app_delete(self, data: st.DataObject) -> None:
        self.service.delete_interview(data.draw(st.sampled_from(self._interviews())).id)

    # --- calendar side ---------------------------------------------------------------------

    @precondition(lambda self: self._remote_ids())
    @rule(data=st.data(), title=TITLES, hours=HOURS)
    def calendar_edit(self, data: st.DataObject, title: str, hours: int) -> None:
        resource_id = data.draw(st.sampled_from(self._remote_ids()))
        start = SOON + timedelta(hours=hours)
        self.server.edit("work", resource_id, title=f"{title} (cal)", start=start, end=start + timedelta(hours=1))

    @precondition(lambda self: self._remote_ids())
    @rule(data=st.data())
    def calendar_delete(self, data: st.DataObject) -> None:
        self.server.delete("work", data.draw(st.sampled_from(self._remote_ids())))

    # --- syncs and faults ------------------------------------------------------------------

    @rule()
    def sync(self) -> None:
        self._sync()

    @rule()
    def sync_with_lost_write_response(self) -> None:
        self.server.lose_next_write_response = True
        self._sync()
        self.server.lose_next_write_response = False

    @rule()
    def crash_after_pull(self) -> None:
        """The process dies after the pages were committed, before reconciling or pushing."""
        self._sync(push=False)

    @rule(choice=st.sampled_from(list(ConflictChoice)))
    def user_answers_conflicts(self, choice: ConflictChoice) -> None:
        two_way = TwoWaySync(self.service)
        for conflict in self.service.list_conflicts():
            two_way.resolve_conflict(conflict.id, choice)

    # --- checks ----------------------------------------------------------------------------

    @invariant()
    def never_two_events_for_one_interview(self) -> None:
        markers = [e.marker for e in self.server.events() if e.marker]
        assert len(markers) == len(set(markers))

    def teardown(self) -> None:
        try:
            self.user_answers_conflicts(ConflictChoice.APP)
            for _ in range(3):
                assert self._sync()
            self.user_answers_conflicts(ConflictChoice.APP)
            for _ in range(2):
                assert self._sync()
            self._check_agreement()
        finally:
            self.service.close()
            self._tmp.cleanup()

    def _check_agreement(self) -> None:
        assert self.service.list_conflicts() == [], "every conflict resolved"
        assert self.service.store.outbox.list() == [], [(e.op, e.state, e.last_error, e.remote_id) for e in self.service.store.outbox.list()]
        remote = {e.marker: e for e in self.server.events()}
        interviews = self.service.store.interviews.list(include_deleting=True)
        assert not [i for i in interviews if i.status is InterviewStatus.DELETING]
        linked = {i.marker: i for i in interviews if i.remote_id is not None}
        assert set(linked) == set(remote), "every written interview has exactly one event, and no orphan event remains"
        for marker, interview in linked.items():
            event = remote[marker]
            assert (interview.title, interview.start, interview.end) == (event.title, event.start, event.end)
            assert dataclasses.replace(interview.fields(), description="").same_as(
                dataclasses.replace(interview.synced, description="")  # type: ignore[arg-type]
            )


TwoWayMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_two_way_model = TwoWayMachine.TestCase
