"""``CalendarProvider`` for one Google account, over google-api-python-client.

Sync follows Google's guide: a full listing narrowed by ``timeMin`` whose last page carries a
``nextSyncToken``, then incremental listings by ``syncToken`` alone; ``singleEvents=true`` so
each occurrence of a series is its own resource; 410 means the token expired.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from calendar_desktop.domain import (
    CalendarInfo,
    ChangePage,
    EventDraft,
    RemoteItem,
    SyncWindow,
    WriteResult,
)
from calendar_desktop.domain.events import utc
from calendar_desktop.providers.errors import PermanentError, WriteConflict
from calendar_desktop.providers.google.api import CalendarApi, DuplicateId, ResourceGone
from calendar_desktop.providers.google.drafts import carries, event_body, new_event_id
from calendar_desktop.providers.google.normalize import (
    MalformedEvent,
    is_removal,
    normalize_event,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 2500
"""Google's largest events page."""
CALENDAR_PAGE_SIZE = 250
EVENT_FIELDS = (
    "id,status,etag,updated,iCalUID,summary,description,location,start,end,recurringEventId,"
    "originalStartTime,organizer(email,displayName),attendees(email),hangoutLink,"
    "conferenceData(entryPoints(entryPointType,uri)),extendedProperties(private)"
)
LIST_FIELDS = f"nextPageToken,nextSyncToken,items({EVENT_FIELDS})"
CALENDAR_FIELDS = "nextPageToken,items(id,summary,summaryOverride,backgroundColor,accessRole,timeZone,primary,deleted)"
WRITABLE_ROLES = frozenset({"owner", "writer"})


class GoogleProvider:
    def __init__(self, api: CalendarApi, *, read_only: bool = False) -> None:
        self._api = api
        self._events = api.service.events()
        self.read_only = read_only

    # ------------------------------------------------------------ reading

    def list_calendars(self) -> list[CalendarInfo]:
        calendars = []
        page_token = None
        while True:
            page = self._api.execute(
                self._api.service.calendarList().list(maxResults=CALENDAR_PAGE_SIZE, pageToken=page_token, fields=CALENDAR_FIELDS)
            )
            for entry in page.get("items", []):
                role = entry.get("accessRole")
                if entry.get("deleted") or role == "freeBusyReader":
                    continue  # a free/busy-only calendar shows no event details to sync
                calendars.append(
                    CalendarInfo(
                        remote_id=entry["id"],
                        name=entry.get("summaryOverride") or entry.get("summary") or entry["id"],
                        color=entry.get("backgroundColor"),
                        read_only=self.read_only or role not in WRITABLE_ROLES,
                        timezone=entry.get("timeZone"),
                    )
                )
            page_token = page.get("nextPageToken")
            if not page_token:
                return calendars

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        params: dict[str, Any] = {
            "calendarId": calendar.remote_id,
            "singleEvents": True,
            "maxResults": PAGE_SIZE,
            "fields": LIST_FIELDS,
        }
        if cursor:
            params["syncToken"] = cursor  # alone: Google refuses timeMin & co. with a sync token
        else:
            params["timeMin"] = utc(window.start).isoformat().replace("+00:00", "Z")
        full = cursor is None
        page_token = None
        while True:
            page = self._api.execute(self._events.list(**params, pageToken=page_token))
            page_token = page.get("nextPageToken")
            last = not page_token
            yield dataclasses.replace(
                _read_items(page.get("items", []), calendar),
                full=full,
                last=last,
                cursor=page.get("nextSyncToken") if last else None,
            )
            if last:
                return

    # ------------------------------------------------------------ writing

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        self._check_writable(calendar)
        event_id = new_event_id()
        request = self._events.insert(
            calendarId=calendar.remote_id, body={**event_body(draft), "id": event_id}, sendUpdates="none", fields=EVENT_FIELDS
        )
        try:
            item = self._api.execute(request)
        except DuplicateId:
            # Our id is random: it exists only because an earlier attempt of this very insert
            # landed and its answer was lost. Return that event instead of creating a second one.
            item = self._get(calendar, event_id)
            if item.get("status") == "cancelled":
                raise PermanentError("The new event was deleted on Google right after it was created.") from None
        return _result(item)

    def update_event(self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
        self._check_writable(calendar)
        request = self._events.patch(
            calendarId=calendar.remote_id, eventId=resource_id, body=event_body(draft), sendUpdates="none", fields=EVENT_FIELDS
        )
        try:
            item = self._api.execute(request, headers=_if_match(etag))
        except WriteConflict:
            # A retried patch whose first attempt landed also fails its If-Match: it is only a
            # conflict if the event now differs from what we wrote.
            current = self._get(calendar, resource_id)
            if not _shows(current, draft):
                raise
            item = current
        return _result(item)

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        self._check_writable(calendar)
        request = self._events.delete(calendarId=calendar.remote_id, eventId=resource_id, sendUpdates="none")
        try:
            self._api.execute(request, headers=_if_match(etag))
        except ResourceGone:
            return

    def close(self) -> None:
        self._api.cancel.set()
        self._api.close()

    # ------------------------------------------------------------ helpers

    def _get(self, calendar: CalendarInfo, event_id: str) -> dict[str, Any]:
        return self._api.execute(self._events.get(calendarId=calendar.remote_id, eventId=event_id, fields=EVENT_FIELDS))

    def _check_writable(self, calendar: CalendarInfo) -> None:
        if self.read_only or calendar.read_only:
            raise PermanentError(f"The calendar {calendar.name!r} is read-only for calendar-desktop.")


def _read_items(raw_items: list[Any], calendar: CalendarInfo) -> ChangePage:
    """The items, removals and unreadable items of one page (its flags and cursor left to the caller)."""
    items: list[RemoteItem] = []
    removed: list[str] = []
    unreadable: list[str] = []
    skipped = 0
    for raw in raw_items:
        try:
            if isinstance(raw, Mapping) and is_removal(raw) and isinstance(raw.get("id"), str) and raw["id"]:
                removed.append(raw["id"])
                continue
            event = normalize_event(raw)
        except MalformedEvent as exc:
            skipped += 1
            event_id = raw.get("id") if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) else ""
            if event_id:
                unreadable.append(event_id)
            log.warning("Skipped an unreadable Google event (id %s in calendar %s): %s", event_id[:100] or "?", calendar.remote_id, exc)
            continue
        items.append(RemoteItem(event.resource_id, event.etag, (event,)))
    return ChangePage(tuple(items), tuple(removed), skipped, tuple(unreadable))


def _result(item: dict[str, Any]) -> WriteResult:
    try:
        event = normalize_event(item)
    except MalformedEvent:
        event = None
    return WriteResult(resource_id=item["id"], etag=item.get("etag"), event=event)


def _shows(item: dict[str, Any], draft: EventDraft) -> bool:
    try:
        return item.get("status") != "cancelled" and carries(normalize_event(item), draft)
    except MalformedEvent:
        return False


def _if_match(etag: str | None) -> dict[str, str] | None:
    return {"If-Match": etag} if etag else None
