"""Two-way sync of interviews scheduled in the app with the calendar they were written to.

Runs after each pull of an account, with the provider still open:

1. Reconcile every interview linked to an event in the account's calendars against the stored
   event. State-based, not message-based, so a crash between a pulled page and this step loses
   nothing: an event whose content hash still matches the agreed one is untouched; a change that
   matches what we wrote is our own echo (never re-applied); a real remote edit updates the
   interview, or meets a pending local edit and becomes a conflict resolved by the user's policy.
   A deleted event never deletes pipeline data: it turns into a cancellation suggestion.
2. Deliver the outbox: creates with a deterministic id (a retried create cannot duplicate),
   updates and deletes with ``If-Match``. Each write and its bookkeeping commit together; a guard
   holds an interview that is pushed too often in a short window.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from calendar_desktop.core.bus import PipelineChanged, SuggestionsChanged
from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.messages import sanitise
from calendar_desktop.domain import (
    Account,
    Calendar,
    ChangeSet,
    ConflictChoice,
    EventDraft,
    EventFields,
    EventStatus,
    Interview,
    InterviewStatus,
    OutboxEntry,
    OutboxOp,
    OutboxState,
    StoredEvent,
    SyncOutcome,
    WriteResult,
)
from calendar_desktop.providers.base import CalendarProvider
from calendar_desktop.providers.errors import PermanentError, WriteConflict
from calendar_desktop.settings import ConflictPolicy
from calendar_desktop.store.convert import iso

log = logging.getLogger(__name__)

UID_SUFFIX = "@calendar-desktop"
MAX_PUSHES = 5
PUSH_WINDOW = timedelta(minutes=10)


def draft_for(fields: EventFields, marker: str) -> EventDraft:
    return EventDraft.of(fields, marker=marker, uid=marker + UID_SUFFIX)


class TwoWaySync:
    def __init__(
        self,
        service: AppService,
        *,
        on_remote_deleted: Callable[[Interview, StoredEvent | None], None] | None = None,
        max_pushes: int = MAX_PUSHES,
        push_window: timedelta = PUSH_WINDOW,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.service = service
        self.store = service.store
        self._on_remote_deleted = on_remote_deleted
        self._max_pushes = max_pushes
        self._push_window = push_window
        self._now = now

    # --- the pass hook -----------------------------------------------------------------------

    def after_pull(self, account: Account, provider: CalendarProvider, calendars: list[Calendar], changes: ChangeSet) -> None:
        by_id = {c.id: c for c in calendars}
        full_events = {
            (s.calendar_id, s.event.resource_id): s.event
            for s in [*changes.added, *(after for _b, after in changes.updated), *changes.cancelled]
        }
        changed = False
        for interview in self.store.interviews.linked_remote(list(by_id)):
            changed |= self._reconcile(interview, by_id[interview.calendar_id], full_events)  # type: ignore[index]
        for entry in self.store.outbox.pending(list(by_id)):
            changed |= self._deliver(account, provider, by_id[entry.calendar_id], entry)  # type: ignore[index]
        if changed:
            self.service.bus.publish(PipelineChanged())

    # --- pulling: what happened to our events on the calendar side ---------------------------

    def _in_window(self, interview: Interview) -> bool:
        settings = self.service.settings
        now = self._now()
        margin = timedelta(days=1)
        return (now - timedelta(days=settings.window_days_back) + margin <= interview.start
                <= now + timedelta(days=settings.window_days_ahead) - margin)  # fmt: skip

    def _reconcile(self, interview: Interview, calendar: Calendar, full_events: dict) -> bool:  # type: ignore[type-arg]
        if not calendar.selected or calendar.cursor is None or interview.remote_id is None:
            return False  # we cannot see this calendar's current state
        pending = self.store.outbox.for_marker(interview.marker or "")
        found = self.store.events.by_resource(calendar.id, interview.remote_id)
        if found is None:
            if not self._in_window(interview):
                return False  # outside the synced window: absent locally, not deleted remotely
            return self._remote_deleted(interview, pending)
        stored, content_hash = found
        if interview.event_hash == content_hash:
            return False
        event = full_events.get((calendar.id, interview.remote_id)) or stored.event
        remote = EventFields.of_event(event)
        if event is stored.event and not stored.event.description:
            remote = dataclasses.replace(remote, description=interview.description)  # not known: unchanged
        if stored.event.status is EventStatus.CANCELLED:
            return self._remote_deleted(interview, pending, stored)
        agreed = interview.synced
        echo = interview.event_hash is None and (stored.event.etag == interview.etag or remote.same_as(agreed))
        if echo or remote.same_as(agreed):
            self._agree(interview, remote, stored, content_hash)
            return False
        if pending is None:
            self._apply_remote(interview, remote, stored, content_hash, reason="edited in the calendar")
            return True
        if pending.op is not OutboxOp.DELETE and pending.payload is not None and remote.same_as(pending.payload):
            # Our write landed but its bookkeeping did not (a crash): confirm it, push nothing.
            with self.store.atomic():
                self._agree(interview, remote, stored, content_hash)
                self.store.outbox.done(pending.id)
            log.info("interview %d: confirmed a write that landed before an interruption", interview.id)
            return True
        return self._conflict(interview, pending, remote, stored, content_hash)

    def _agree(self, interview: Interview, remote: EventFields, stored: StoredEvent, content_hash: str) -> None:
        self.store.interviews.update(interview.id, synced=remote, etag=stored.event.etag, event_hash=content_hash)

    def _apply_remote(self, interview: Interview, remote: EventFields, stored: StoredEvent, content_hash: str, *,
                      reason: str) -> None:  # fmt: skip
        assert isinstance(remote.start, datetime) and isinstance(remote.end, datetime)
        with self.store.atomic():
            self.store.revisions.keep(interview.id, "app", f"replaced: {reason}", interview.fields())
            self.store.interviews.update(
                interview.id,
                title=remote.title,
                start=remote.start,
                end=remote.end,
                timezone=remote.timezone,
                description=remote.description,
                location=remote.location,
                meeting_link=remote.meeting_link,
                attendees=remote.attendees,
                status=InterviewStatus.SCHEDULED if interview.status is InterviewStatus.DELETING else interview.status,
                synced=remote,
                etag=stored.event.etag,
                event_hash=content_hash,
                event_id=stored.id,
            )
        log.info("interview %d updated from its calendar event (%s)", interview.id, reason)

    def _remote_deleted(self, interview: Interview, pending: OutboxEntry | None, stored: StoredEvent | None = None) -> bool:
        with self.store.atomic():
            if pending is not None and pending.op is OutboxOp.DELETE:
                self.store.outbox.done(pending.id)
                self.store.interviews.delete(interview.id)
                log.info("interview %d: its event was already deleted in the calendar", interview.id)
                return True
            if pending is not None:
                self.store.revisions.keep(interview.id, "app", "not written: the event was deleted in the calendar", interview.fields())
                self.store.outbox.done(pending.id)
            # From now on the interview is the app's alone: later edits are not written anywhere.
            self.store.interviews.update(
                interview.id, remote_id=None, etag=None, synced=None, event_hash=None, calendar_id=None
            )
        log.info("interview %d: its event was deleted or cancelled in the calendar", interview.id)
        if self._on_remote_deleted is not None:
            self._on_remote_deleted(self.store.interviews.get(interview.id), stored)
        return True

    def _conflict(self, interview: Interview, pending: OutboxEntry, remote: EventFields, stored: StoredEvent,
                  content_hash: str) -> bool:  # fmt: skip
        policy = self.service.settings.conflict_policy
        local = pending.payload or interview.fields()
        if policy is ConflictPolicy.LAST_UPDATED_WINS:
            remote_time = stored.event.updated
            local_time = pending.updated_at
            calendar_newer = remote_time is None or local_time is None or remote_time >= local_time  # ties: the server
            policy = ConflictPolicy.CALENDAR_WINS if calendar_newer else ConflictPolicy.APP_WINS
        if policy is ConflictPolicy.ASK:
            with self.store.atomic():
                conflict = self.store.conflicts.open(
                    interview.id, interview.calendar_id, interview.remote_id, stored.event.etag, local, remote, pending.id
                )
                self.store.outbox.set_state(pending.id, OutboxState.CONFLICT, error="changed on both sides")
            log.info("interview %d: conflict %d waits for the user", interview.id, conflict.id)
            self.service.bus.publish(SuggestionsChanged(self.store.suggestions.pending_count()))
            return True
        self._settle(interview, pending, remote, stored, content_hash, keep_app=policy is ConflictPolicy.APP_WINS,
                     reason=f"conflict resolved by policy {policy.value}")  # fmt: skip
        return True

    def _settle(self, interview: Interview, pending: OutboxEntry, remote: EventFields, stored: StoredEvent | None,
                content_hash: str | None, *, keep_app: bool, reason: str) -> None:  # fmt: skip
        """Resolve a conflict: the losing side's version is kept as a revision."""
        if keep_app:
            with self.store.atomic():
                self.store.revisions.keep(interview.id, "calendar", f"overwritten: {reason}", remote)
                etag = stored.event.etag if stored else pending.etag
                self.store.outbox.set_state(pending.id, OutboxState.PENDING, etag=etag)
                if stored is not None and content_hash is not None:
                    self.store.interviews.update(interview.id, etag=etag, event_hash=content_hash)
            return
        assert stored is not None and content_hash is not None
        with self.store.atomic():
            if pending.payload is not None:
                self.store.revisions.keep(interview.id, "app", f"not written: {reason}", pending.payload)
            self.store.outbox.done(pending.id)
            self._apply_remote(interview, remote, stored, content_hash, reason=reason)

    def resolve_conflict(self, conflict_id: int, choice: ConflictChoice) -> None:
        """The user's answer to a conflict shown side by side."""
        conflict = self.store.conflicts.get(conflict_id)
        if conflict.interview_id is None:
            raise ValueError("The interview of this conflict no longer exists.")
        interview = self.store.interviews.get(conflict.interview_id)
        outbox_id = self.store.conflicts.outbox_id(conflict_id)
        pending = self.store.outbox.get(outbox_id) if outbox_id is not None else None
        found = self.store.events.by_resource(conflict.calendar_id, conflict.remote_id) if conflict.calendar_id and conflict.remote_id else None
        stored, content_hash = found if found else (None, None)
        with self.store.atomic():
            if pending is None:
                pass
            elif choice is ConflictChoice.APP:
                self._settle(interview, pending, conflict.remote or conflict.local, stored, content_hash, keep_app=True,
                             reason="you kept the app's version")  # fmt: skip
            elif stored is not None and conflict.remote is not None:
                self._settle(interview, pending, conflict.remote, stored, content_hash, keep_app=False,
                             reason="you kept the calendar's version")  # fmt: skip
            self.store.conflicts.resolve(conflict_id, choice.value)
        self.service.bus.publish(PipelineChanged())

    # --- pushing: the outbox -----------------------------------------------------------------

    def _deliver(self, account: Account, provider: CalendarProvider, calendar: Calendar, entry: OutboxEntry) -> bool:
        interview = self.store.interviews.get(entry.interview_id) if entry.interview_id is not None else None
        reason = self._refusal(account, calendar, entry)
        if reason is not None:
            self.store.outbox.set_state(entry.id, OutboxState.HELD, error=reason)
            self.store.sync_runs.record_push(account.id, calendar.id, entry.interview_id, outcome=SyncOutcome.HELD, reason=reason)
            log.warning("write for interview %s held: %s", entry.interview_id, reason)
            return True
        # Write-ahead: once tried, a create may have landed even if we never hear back.
        self.store.outbox.set_state(entry.id, OutboxState.PENDING, error=entry.last_error, attempted=True)
        try:
            if entry.op is OutboxOp.CREATE:
                assert entry.payload is not None
                result = self._create(provider, calendar, entry.payload, entry.marker)
            elif entry.op is OutboxOp.UPDATE:
                assert entry.payload is not None and interview is not None and interview.remote_id is not None
                etag = entry.etag or interview.etag
                result = provider.update_event(calendar.info(), interview.remote_id, draft_for(entry.payload, entry.marker), etag)
            else:
                remote_id = entry.remote_id or (interview.remote_id if interview else None)
                etag = entry.etag or (interview.etag if interview else None)
                if remote_id is None and entry.payload is not None:
                    # Deleted while an earlier create was unconfirmed: the create is idempotent, so
                    # repeating it tells us the event's id (creating it only if it never landed).
                    created = provider.create_event(calendar.info(), draft_for(entry.payload, entry.marker))
                    remote_id, etag = created.resource_id, created.etag
                if remote_id is not None:
                    provider.delete_event(calendar.info(), remote_id, etag)
                result = None
        except WriteConflict:
            self.store.outbox.set_state(entry.id, OutboxState.PENDING, error="changed in the calendar meanwhile", attempted=True)
            self.store.sync_runs.record_push(account.id, calendar.id, entry.interview_id, outcome=SyncOutcome.CONFLICT,
                                             reason="the event changed in the calendar since the last sync; reconciled on the next pass")  # fmt: skip
            return False
        except PermanentError as exc:
            message = sanitise(str(exc))
            self.store.outbox.set_state(entry.id, OutboxState.HELD, error=message, attempted=True)
            self.store.sync_runs.record_push(account.id, calendar.id, entry.interview_id, outcome=SyncOutcome.ERROR, reason=message)
            return True
        with self.store.atomic():
            if entry.op is OutboxOp.DELETE:
                if interview is not None:
                    self.store.interviews.delete(interview.id)
                counts = {"removed": 1}
            else:
                assert result is not None and interview is not None and entry.payload is not None
                agreed = EventFields.of_event(result.event) if result.event is not None else entry.payload
                self.store.interviews.update(
                    interview.id, remote_id=result.resource_id, etag=result.etag, synced=agreed, event_hash=None
                )
                counts = {"added": 1} if entry.op is OutboxOp.CREATE else {"updated": 1}
            self.store.outbox.done(entry.id)
            gone = entry.op is OutboxOp.DELETE  # the interview row no longer exists to point at
            self.store.sync_runs.record_push(
                account.id, calendar.id, None if gone else entry.interview_id, outcome=SyncOutcome.OK,
                reason=f"{entry.op.value} from the app" + (f" (interview {entry.interview_id})" if gone else ""), **counts,
            )  # fmt: skip
        log.info("wrote interview %s to calendar %d (%s)", entry.interview_id, calendar.id, entry.op.value)
        return True

    @staticmethod
    def _create(provider: CalendarProvider, calendar: Calendar, payload: EventFields, marker: str) -> WriteResult:
        """Create the event; if an earlier, unconfirmed create already made it with older content
        (edited since), bring it up to date."""
        draft = draft_for(payload, marker)
        result = provider.create_event(calendar.info(), draft)
        if result.event is not None and not EventFields.of_event(result.event).same_as(payload):
            result = provider.update_event(calendar.info(), result.resource_id, draft, result.etag)
        return result

    def _refusal(self, account: Account, calendar: Calendar, entry: OutboxEntry) -> str | None:
        if account.read_only or calendar.read_only:
            return (
                f"“{calendar.name}” is read-only for calendar-desktop (the account was connected read-only or the "
                "calendar does not allow changes): reconnect in two-way mode or pick another calendar."
            )
        if entry.interview_id is not None:
            since = iso(self._now() - self._push_window)
            assert since is not None
            count = self.store.sync_runs.pushes_since(entry.interview_id, since)
            if count >= self._max_pushes:
                return (
                    f"interview {entry.interview_id} was written {count} times in {int(self._push_window.total_seconds() // 60)} "
                    "minutes; further writes are held to prevent a sync loop"
                )
        return None
