"""Turns synced events into pipeline suggestions and keeps known interviews up to date.

After each pass the tracker runs the detector over added and updated events. A detected
interview becomes a pending suggestion unless it is one we already know: the same event, the
same iCalendar UID in another calendar or provider, or a variant ("Updated invitation",
"Rescheduled", "Canceled") of an interview at the same company. When a linked event moves, the
interview follows (auto-apply) or a reschedule confirmation waits for the user; when it is
cancelled or deleted, a cancellation suggestion does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from calendar_desktop.core.bus import PipelineChanged, SuggestionsChanged
from calendar_desktop.core.overlaps import overlap_details, selected_calendar_ids
from calendar_desktop.core.service import AppService
from calendar_desktop.domain import (
    Account,
    Application,
    ApplicationStatus,
    ChangeSet,
    Confidence,
    Event,
    EventStatus,
    Interview,
    InterviewStatus,
    RoleType,
    Stage,
    StoredEvent,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from calendar_desktop.store import NewSuggestion

if TYPE_CHECKING:  # the detector is imported when there are events to look at (0.3 s a process otherwise)
    from calendar_desktop.detection import Detection

log = logging.getLogger(__name__)

# Two records are variants of one interview only if their times are this close (or one is a reschedule).
SAME_SLOT = timedelta(hours=1)


def event_key(stored: StoredEvent) -> str:
    return f"{stored.calendar_id}:{stored.event.remote_id}"


@dataclass(slots=True)
class _Known:
    """What the pipeline already knows of events, read once per pass: an event none of it touches
    needs no per-event queries (a sync of 10,000 ordinary events must not make 20,000)."""

    event_ids: set[int]
    uids: set[str]
    suggestion_keys: set[str]
    calendar_ids: list[int]
    """The selected calendars (where double bookings are looked for)."""

    def linked(self, stored: StoredEvent) -> bool:
        return stored.id in self.event_ids or stored.event.uid in self.uids

    def touches(self, stored: StoredEvent) -> bool:
        return self.linked(stored) or event_key(stored) in self.suggestion_keys

    def add(self, stored: StoredEvent) -> None:
        self.event_ids.add(stored.id)
        self.uids.add(stored.event.uid)
        self.suggestion_keys.add(event_key(stored))


def instant(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SuggestionEdits:
    """What the user changed before accepting."""

    company: str | None = None
    role: str | None = None
    role_type: RoleType | None = None
    stage: Stage | None = None
    start: datetime | None = None
    end: datetime | None = None
    application_id: int | None = None


class InterviewTracker:
    def __init__(self, service: AppService) -> None:
        self.service = service
        self.store = service.store
        self._known: _Known | None = None
        """While a pass is processed: what the pipeline knew of events when it began."""

    # --- reacting to a sync pass -------------------------------------------------------------

    def on_changes(self, account: Account, changes: ChangeSet) -> None:
        from calendar_desktop.detection import Detector, PipelineEntry

        applications = self.store.applications.list(include_archived=True)
        detector = Detector(
            self.service.identity(),
            [PipelineEntry(a.company, a.aliases, a.role, key=a.id) for a in applications],
        )
        created: list[Suggestion] = []
        flags: list[tuple[int, bool]] = []
        own = self._app_written()
        known = self._known = _Known(
            *self.store.interviews.link_keys(), self.store.suggestions.event_keys(), selected_calendar_ids(self.store)
        )
        try:
            with self.store.atomic():
                for stored in [*changes.added, *(after for _before, after in changes.updated)]:
                    if self._is_app_written(stored, own):
                        flags.append((stored.id, True))
                        continue  # two-way sync keeps these in step with their interview
                    detection = detector.detect(stored.event)
                    flags.append((stored.id, detection.is_interview))
                    if detection.is_interview:
                        created.extend(self._on_interview_event(stored, detection))
                        known.add(stored)
                    elif known.touches(stored):
                        created.extend(self._on_linked_event_changed(stored))
                for stored in changes.cancelled:
                    if not self._is_app_written(stored, own) and known.touches(stored):
                        created.extend(self._on_event_gone(stored, cancelled=True))
                for stored in changes.removed:
                    if not self._is_app_written(stored, own) and known.touches(stored):
                        created.extend(self._on_event_gone(stored, cancelled=False))
                self.store.events.mark_interviews(flags)
        finally:
            self._known = None
        if created or changes.removed:
            self._announce(created)

    def _app_written(self) -> tuple[set[str], set[tuple[int, str]]]:
        """Markers of interviews written from the app, and the (calendar, resource) of their events."""
        markers = self.store.interviews.markers()
        links = {
            (i.calendar_id, i.remote_id)
            for i in self.store.interviews.linked_remote([c.id for c in self.store.calendars.list()])
            if i.calendar_id is not None and i.remote_id is not None
        }
        return markers, links

    @staticmethod
    def _is_app_written(stored: StoredEvent, own: tuple[set[str], set[tuple[int, str]]]) -> bool:
        markers, links = own
        event = stored.event
        return (event.marker is not None and event.marker in markers) or (stored.calendar_id, event.resource_id) in links

    def interview_event_gone(self, interview: Interview, stored: StoredEvent | None) -> None:
        """Two-way sync saw the event of an app-written interview deleted or cancelled in the calendar."""
        title = stored.event.title if stored else interview.title
        placeholder = stored or StoredEvent(
            id=0,
            calendar_id=interview.calendar_id or 0,
            event=Event(
                remote_id="", resource_id="", uid=interview.event_uid or "", title=title,
                start=interview.start, end=interview.end,
            ),
        )  # fmt: skip
        created = self._cancellation(interview, placeholder)
        if created:
            self._announce(created)

    def _announce(self, created: list[Suggestion]) -> None:
        self.service.bus.publish(SuggestionsChanged(self.store.suggestions.pending_count(), tuple(created)))
        if any(s.status is SuggestionStatus.AUTO_APPLIED for s in created):
            self.service.bus.publish(PipelineChanged())

    def _on_interview_event(self, stored: StoredEvent, detection: Detection) -> list[Suggestion]:
        event = stored.event
        variant = detection.variant
        interview = self._linked_interview(stored) or self._same_interview(stored, detection)
        if interview is not None:
            if interview.event_id != stored.id:
                self.store.interviews.update(interview.id, event_id=stored.id, event_uid=event.uid)
            if variant == "cancellation" or event.status is EventStatus.CANCELLED:
                return self._cancellation(interview, stored)
            return self._maybe_reschedule(interview, stored)
        if variant == "cancellation" or event.status is EventStatus.CANCELLED:
            self._dismiss_pending_for(stored, reason="cancelled before it was accepted")
            return []
        return self._new_interview(stored, detection)

    def _on_linked_event_changed(self, stored: StoredEvent) -> list[Suggestion]:
        """An event we linked to an interview changed and no longer reads as one (e.g. retitled)."""
        interview = self._linked_interview(stored)
        if interview is None:
            return []
        return self._maybe_reschedule(interview, stored)

    def _on_event_gone(self, stored: StoredEvent, *, cancelled: bool) -> list[Suggestion]:
        self._dismiss_pending_for(stored, reason="the event was cancelled or deleted")
        interview = self._linked_interview(stored)
        if interview is None:
            return []
        if not cancelled and self._uid_still_present(stored):
            return []  # another copy of the same invite (another calendar) still exists
        return self._cancellation(interview, stored)

    # --- finding what we already know --------------------------------------------------------

    def _linked_interview(self, stored: StoredEvent) -> Interview | None:
        if self._known is not None and not self._known.linked(stored):
            return None
        linked = self.store.interviews.linked_to_events([stored.id]).get(stored.id)
        if linked is not None:
            return linked
        for interview in self.store.interviews.by_event_uid(stored.event.uid):
            return interview
        return None

    def _uid_still_present(self, stored: StoredEvent) -> bool:
        return any(other.id != stored.id for other in self.store.events.by_uid(stored.event.uid))

    def _same_interview(self, stored: StoredEvent, detection: Detection) -> Interview | None:
        """A known interview this event is a variant of: same company, and the same slot or a reschedule."""
        application_id = detection.pipeline_key
        if application_id is None:
            return None
        variant = detection.variant
        start = instant(stored.event.start)
        from calendar_desktop.detection import title_key

        title = detection.title_key
        best: Interview | None = None
        for interview in self.store.interviews.list(application_id):
            if interview.status is InterviewStatus.CANCELLED and variant != "reschedule":
                continue
            same_slot = abs(interview.start - start) <= SAME_SLOT
            same_title = bool(title) and title_key(interview.title) == title
            if same_slot or (variant in ("reschedule", "update") and same_title):
                best = interview
                break
        return best

    def _overlaps(self, stored: StoredEvent, start: datetime, end: datetime) -> dict[str, str]:
        calendars = self._known.calendar_ids if self._known is not None else None
        return overlap_details(self.store, stored, start, end, calendars)

    def _suggestions_for(self, key: str) -> list[Suggestion]:
        if self._known is not None and key not in self._known.suggestion_keys:
            return []
        return self.store.suggestions.for_event_key(key)

    def _dismiss_pending_for(self, stored: StoredEvent, reason: str) -> None:
        for suggestion in self._suggestions_for(event_key(stored)):
            if suggestion.status is SuggestionStatus.PENDING and suggestion.kind is SuggestionKind.NEW_INTERVIEW:
                self.store.suggestions.resolve(suggestion.id, SuggestionStatus.DISMISSED)
                log.info("suggestion %d withdrawn: %s", suggestion.id, reason)

    # --- making suggestions ------------------------------------------------------------------

    def _new_interview(self, stored: StoredEvent, detection: Detection) -> list[Suggestion]:
        key = event_key(stored)
        earlier = self._suggestions_for(key)
        if any(s.kind is SuggestionKind.NEW_INTERVIEW and s.status is not SuggestionStatus.PENDING for s in earlier):
            return []  # dismissed (never again) or already accepted
        if self._pending_same_uid_elsewhere(stored):
            return []  # the same invite seen in another calendar already waits for the user
        if earlier:
            self.store.suggestions.supersede_pending(key, SuggestionKind.NEW_INTERVIEW)
        event = stored.event
        suggestion = self.store.suggestions.add(
            NewSuggestion(
                kind=SuggestionKind.NEW_INTERVIEW,
                confidence=detection.confidence or Confidence.LOW,
                score=detection.score,
                event_id=stored.id,
                event_uid=event.uid,
                event_key=key,
                application_id=detection.pipeline_key,
                company=detection.company,
                role=detection.role,
                role_type=detection.role_type,
                stage=detection.stage,
                start=instant(event.start),
                end=instant(event.end),
                title=event.title,
                details=self._overlaps(stored, instant(event.start), instant(event.end)),
            )
        )
        return [suggestion] if not any(s.status is SuggestionStatus.PENDING for s in earlier) else []

    def _pending_same_uid_elsewhere(self, stored: StoredEvent) -> bool:
        for other in self.store.events.by_uid(stored.event.uid):
            if other.id == stored.id:
                continue
            for suggestion in self._suggestions_for(event_key(other)):
                if suggestion.kind is SuggestionKind.NEW_INTERVIEW and suggestion.status is SuggestionStatus.PENDING:
                    return True
        return False

    def _maybe_reschedule(self, interview: Interview, stored: StoredEvent) -> list[Suggestion]:
        event = stored.event
        start, end = instant(event.start), instant(event.end)
        if interview.status is InterviewStatus.CANCELLED and event.status is not EventStatus.CANCELLED:
            pass  # a cancelled interview re-booked: offer the new time
        elif (start, end) == (interview.start, interview.end):
            return []
        key = f"interview:{interview.id}"
        self.store.suggestions.supersede_pending(key, SuggestionKind.RESCHEDULE)
        auto = self.service.settings.auto_apply_reschedules
        if auto:
            self.store.interviews.update(interview.id, start=start, end=end, status=InterviewStatus.SCHEDULED)
        suggestion = self.store.suggestions.add(
            NewSuggestion(
                kind=SuggestionKind.RESCHEDULE,
                confidence=Confidence.HIGH,
                score=1.0,
                event_id=stored.id,
                event_uid=event.uid,
                event_key=key,
                application_id=interview.application_id,
                interview_id=interview.id,
                stage=interview.stage,
                start=start,
                end=end,
                title=event.title,
                details={
                    "previous_start": interview.start.isoformat(),
                    "previous_end": interview.end.isoformat(),
                    **self._overlaps(stored, start, end),
                },
                status=SuggestionStatus.AUTO_APPLIED if auto else SuggestionStatus.PENDING,
            )
        )
        return [suggestion]

    def _cancellation(self, interview: Interview, stored: StoredEvent) -> list[Suggestion]:
        if interview.status is InterviewStatus.CANCELLED:
            return []
        key = f"interview:{interview.id}"
        if any(
            s.kind is SuggestionKind.CANCELLATION and s.status is SuggestionStatus.PENDING
            for s in self.store.suggestions.for_event_key(key)
        ):
            return []
        self.store.suggestions.supersede_pending(key, SuggestionKind.RESCHEDULE)
        suggestion = self.store.suggestions.add(
            NewSuggestion(
                kind=SuggestionKind.CANCELLATION,
                confidence=Confidence.HIGH,
                score=1.0,
                event_id=None,
                event_uid=stored.event.uid,
                event_key=key,
                application_id=interview.application_id,
                interview_id=interview.id,
                stage=interview.stage,
                start=interview.start,
                end=interview.end,
                title=stored.event.title,
            )
        )
        return [suggestion]

    # --- the user's decisions ----------------------------------------------------------------

    def accept(self, suggestion_id: int, edits: SuggestionEdits = SuggestionEdits()) -> Suggestion:
        suggestion = self.store.suggestions.get(suggestion_id)
        if suggestion.status is not SuggestionStatus.PENDING:
            raise ValueError(f"Suggestion {suggestion_id} is already {suggestion.status.value}.")
        with self.store.atomic():
            if suggestion.kind is SuggestionKind.NEW_INTERVIEW:
                resolved = self._accept_new_interview(suggestion, edits)
            elif suggestion.kind is SuggestionKind.RESCHEDULE:
                assert suggestion.interview_id is not None and suggestion.start and suggestion.end
                self.store.interviews.update(
                    suggestion.interview_id,
                    start=edits.start or suggestion.start,
                    end=edits.end or suggestion.end,
                    status=InterviewStatus.SCHEDULED,
                )
                resolved = self.store.suggestions.resolve(suggestion.id, SuggestionStatus.ACCEPTED)
            else:
                assert suggestion.interview_id is not None
                self.store.interviews.update(suggestion.interview_id, status=InterviewStatus.CANCELLED)
                resolved = self.store.suggestions.resolve(suggestion.id, SuggestionStatus.ACCEPTED)
        self.service.bus.publish(PipelineChanged())
        self.service.bus.publish(SuggestionsChanged(self.store.suggestions.pending_count()))
        return resolved

    def _accept_new_interview(self, suggestion: Suggestion, edits: SuggestionEdits) -> Suggestion:
        company = edits.company or suggestion.company
        role = edits.role if edits.role is not None else suggestion.role
        role_type = edits.role_type or suggestion.role_type or RoleType.UNKNOWN
        application = self._application_for(edits.application_id or suggestion.application_id, company, role or "", role_type)
        start = edits.start or suggestion.start
        end = edits.end or suggestion.end
        if start is None or end is None:
            raise ValueError("The suggestion has no time; edit it to add one before accepting.")
        event = self.store.events.get(suggestion.event_id) if suggestion.event_id else None
        interview = self.store.interviews.add(
            application.id,
            edits.stage or suggestion.stage or Stage.OTHER,
            start,
            end,
            title=suggestion.title,
            location=event.event.location if event else "",
            meeting_link=event.event.meeting_link if event else None,
            event_id=suggestion.event_id,
            event_uid=suggestion.event_uid,
        )
        if application.status in (ApplicationStatus.APPLIED, ApplicationStatus.SCREENING):
            self.store.applications.update(application.id, status=ApplicationStatus.INTERVIEWING)
        return self.store.suggestions.resolve(
            suggestion.id,
            SuggestionStatus.ACCEPTED,
            application_id=application.id,
            interview_id=interview.id,
            company=application.company,
            role=role,
            role_type=role_type,
            stage=edits.stage or suggestion.stage,
            start=start,
            end=end,
        )

    def _application_for(self, application_id: int | None, company: str | None, role: str, role_type: RoleType) -> Application:
        if application_id is not None:
            return self.store.applications.get(application_id)
        if not company:
            raise ValueError("The suggestion names no company; edit it to add one (or pick an application) before accepting.")
        for application in self.store.applications.list(include_archived=True):
            names = {application.company.casefold(), *(a.casefold() for a in application.aliases)}
            if company.casefold() in names:
                return application
        return self.store.applications.add(company, role, role_type, status=ApplicationStatus.INTERVIEWING)

    def dismiss(self, suggestion_id: int) -> Suggestion:
        suggestion = self.store.suggestions.get(suggestion_id)
        if suggestion.status is not SuggestionStatus.PENDING:
            raise ValueError(f"Suggestion {suggestion_id} is already {suggestion.status.value}.")
        resolved = self.store.suggestions.resolve(suggestion.id, SuggestionStatus.DISMISSED)
        self.service.bus.publish(SuggestionsChanged(self.store.suggestions.pending_count()))
        return resolved
