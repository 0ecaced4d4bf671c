"""Building domain events and pages in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from calendar_desktop.domain import ChangePage, Event, EventStatus, RemoteItem

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_event(n: int, *, title: str | None = None, hours: int = 0, status: EventStatus = EventStatus.CONFIRMED,
               resource: str | None = None, all_day: bool = False, description: str = "") -> Event:  # fmt: skip
    rid = resource or f"ev-{n}"
    if all_day:
        day = date(2026, 3, 2) + timedelta(days=n)
        return Event(rid, rid, f"uid-{n}", title or f"Day {n}", day, day + timedelta(days=1), all_day=True, status=status)
    start = BASE + timedelta(hours=n + hours)
    return Event(
        remote_id=rid,
        resource_id=rid,
        uid=f"uid-{n}",
        title=title or f"Event {n}",
        start=start,
        end=start + timedelta(minutes=30),
        status=status,
        description=description,
        attendees=("a@example.com",),
        organizer="Org <org@example.com>",
    )


def item(event: Event, etag: str = "e1") -> RemoteItem:
    return RemoteItem(event.resource_id, etag, (event,))


def page(*events: Event, removed: tuple[str, ...] = (), full: bool = False, last: bool = True,
         cursor: str | None = "tok", skipped: int = 0) -> ChangePage:  # fmt: skip
    return ChangePage(items=tuple(item(e) for e in events), removed=removed, full=full, last=last, cursor=cursor, skipped=skipped)
