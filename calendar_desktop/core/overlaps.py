"""Double bookings: which other events an interview's slot collides with."""

from __future__ import annotations

from datetime import datetime

from calendar_desktop.domain import StoredEvent
from calendar_desktop.store import Store


def overlapping_events(store: Store, start: datetime, end: datetime, *, exclude_resource: tuple[int, str] | None = None,
                       exclude_event_ids: tuple[int, ...] = (), exclude_uid: str | None = None,
                       calendar_ids: list[int] | None = None) -> list[StoredEvent]:  # fmt: skip
    """Timed events in the selected calendars (``calendar_ids`` when the caller knows them)
    overlapping [start, end), the interview's own event (and its copies in other calendars, same
    UID) left out."""
    calendars = calendar_ids if calendar_ids is not None else selected_calendar_ids(store)
    found = []
    for stored in store.events.overlapping(start, end, calendars):
        if stored.id in exclude_event_ids or (exclude_uid and stored.event.uid == exclude_uid):
            continue
        if exclude_resource == (stored.calendar_id, stored.event.resource_id):
            continue
        found.append(stored)
    return found


def describe_overlaps(events: list[StoredEvent]) -> str:
    """``Team stand-up 15:00–15:30; Lunch 12:00–13:00`` in the user's local time."""
    parts = []
    for stored in events:
        e = stored.event
        assert isinstance(e.start, datetime) and isinstance(e.end, datetime)
        parts.append(f"{e.title} {e.start.astimezone():%H:%M}–{e.end.astimezone():%H:%M}")
    return "; ".join(parts)


def selected_calendar_ids(store: Store) -> list[int]:
    return [c.id for c in store.calendars.list() if c.selected]


def overlap_details(
    store: Store, stored: StoredEvent, start: datetime, end: datetime, calendar_ids: list[int] | None = None
) -> dict[str, str]:
    """``{"overlaps": "…"}`` for a suggestion about ``stored`` moved to [start, end), or nothing."""
    found = overlapping_events(
        store, start, end, exclude_event_ids=(stored.id,), exclude_uid=stored.event.uid, calendar_ids=calendar_ids
    )
    text = describe_overlaps(found)
    return {"overlaps": text} if text else {}
