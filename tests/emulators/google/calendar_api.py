"""Calendar v3 methods: calendarList list/get, events list/get/insert/patch/update/delete.

Parameters arrive already checked and typed against the discovery document; this module adds
the rules the document states in prose (``syncToken`` exclusions, ``orderBy=startTime`` needs
``singleEvents``, paging where ``nextPageToken`` and ``nextSyncToken`` never share a page).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.emulators.google.errors import ApiError, bad_request
from tests.emulators.google.state import (
    MAX_CALENDAR_PAGE,
    MAX_EVENT_PAGE,
    AccountState,
    EventQuery,
    Listing,
    rfc3339,
)

NOT_WITH_SYNC_TOKEN = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
CALENDAR_LIST_NOT_WITH_SYNC_TOKEN = ("minAccessRole", "showOwnOrganizationOnly")
_ROLE_RANK = {"freeBusyReader": 0, "reader": 1, "writer": 2, "writerWithoutPrivateAccess": 2, "owner": 3}


class CalendarApi:
    def __init__(self, state: AccountState) -> None:
        self.state = state
        self.page_cap = MAX_EVENT_PAGE
        """Knob: the most items one events page holds (Google may return fewer than asked)."""

    def handle(self, method_id: str, path: dict[str, str], query: dict[str, Any], body: Any, if_match: str | None) -> tuple[int, Any]:
        handler = {
            "calendar.calendarList.list": lambda: self.calendar_list(query),
            "calendar.calendarList.get": lambda: self.calendar_entry(path["calendarId"]),
            "calendar.events.list": lambda: self.events_list(path["calendarId"], query),
            "calendar.events.get": lambda: self.state.get_event(path["calendarId"], path["eventId"]),
            "calendar.events.insert": lambda: self.state.insert_event(path["calendarId"], _object(body)),
            "calendar.events.patch": lambda: self.state.patch_event(path["calendarId"], path["eventId"], _object(body), if_match),
            "calendar.events.update": lambda: self._update(path["calendarId"], path["eventId"], _object(body), if_match),
            "calendar.events.delete": lambda: self.state.delete_event(path["calendarId"], path["eventId"], if_match),
        }.get(method_id)
        if handler is None:
            raise ApiError(501, "notImplemented", f"{method_id} is not implemented by the emulator.")
        result = handler()
        return (204, None) if result is None else (200, result)

    # ------------------------------------------------------------ calendarList

    def calendar_entry(self, calendar_id: str) -> dict[str, Any]:
        with self.state.lock:
            return self.state.render_calendar(self.state.calendar(calendar_id))

    def calendar_list(self, query: dict[str, Any]) -> dict[str, Any]:
        sync_token = query.get("syncToken")
        if sync_token is not None:
            _refuse_with_sync_token(query, CALENDAR_LIST_NOT_WITH_SYNC_TOKEN)
        size = min(query.get("maxResults", 100), MAX_CALENDAR_PAGE)
        with self.state.lock:
            if "pageToken" in query:
                listing, offset = self.state.listing(query["pageToken"], None)
            else:
                since = self.state.sync_point(sync_token, "calendarList", None) if sync_token else None
                rows = self.state.calendar_list(since, bool(query.get("showDeleted")))
                floor = _ROLE_RANK.get(query.get("minAccessRole", "freeBusyReader"), 0)
                rows = [row for row in rows if row.get("deleted") or _ROLE_RANK.get(row.get("accessRole", ""), 0) >= floor]
                envelope = {"kind": "calendar#calendarList", "etag": f'"p{self.state.seq}"'}
                listing, offset = Listing(None, rows, self.state.seq, envelope), 0
            return self._page(listing, offset, size, "calendarList")

    # ------------------------------------------------------------ events

    def events_list(self, calendar_id: str, query: dict[str, Any]) -> dict[str, Any]:
        sync_token = query.get("syncToken")
        if sync_token is not None:
            _refuse_with_sync_token(query, NOT_WITH_SYNC_TOKEN)
            if query.get("showDeleted") is False:
                raise bad_request("showDeleted cannot be false when a sync token is given.", reason="invalid")
        if query.get("orderBy") == "startTime" and not query.get("singleEvents"):
            raise bad_request("The requested ordering is not available for the particular query.", reason="badRequest")
        if "timeMin" in query and "timeMax" in query and query["timeMax"] <= query["timeMin"]:
            raise bad_request("The specified time range is empty.", reason="timeRangeEmpty")
        size = min(query.get("maxResults", 250), MAX_EVENT_PAGE, self.page_cap)
        with self.state.lock:
            calendar = self.state.calendar(calendar_id)
            if "pageToken" in query:
                listing, offset = self.state.listing(query["pageToken"], calendar.id)
            else:
                since = self.state.sync_point(sync_token, "events", calendar.id) if sync_token else None
                items = self.state.list_events(calendar.id, _event_query(query), since)
                listing, offset = Listing(calendar.id, items, self.state.seq, _envelope(calendar.entry, self.state.seq)), 0
            return self._page(listing, offset, size, "events")

    def _page(self, listing: Listing, offset: int, size: int, collection: str) -> dict[str, Any]:
        end = offset + size
        page = {**listing.envelope, "items": listing.items[offset:end]}
        if end < len(listing.items):
            page["nextPageToken"] = f"{listing.name or self.state.store_listing(listing)}.{end}"
        else:
            page["nextSyncToken"] = self.state.issue_sync_token(collection, listing.calendar_id, listing.seq)
        return page

    def _update(self, calendar_id: str, event_id: str, body: dict[str, Any], if_match: str | None) -> dict[str, Any]:
        """PUT: a full replacement, i.e. a patch that also removes every field not given."""
        with self.state.lock:
            current = self.state.get_event(calendar_id, event_id)
            removed = {key: None for key in current if key not in body and key not in ("id", "recurringEventId", "originalStartTime")}
            return self.state.patch_event(calendar_id, event_id, {**removed, **body}, if_match)


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Parse Error", reason="parseError")
    return body


def _refuse_with_sync_token(query: dict[str, Any], forbidden: tuple[str, ...]) -> None:
    for name in forbidden:
        if name in query:
            raise bad_request(f"Sync token cannot be used with the {name} parameter.", reason="invalid", location=name)


def _event_query(query: dict[str, Any]) -> EventQuery:
    return EventQuery(
        single_events=bool(query.get("singleEvents")),
        show_deleted=bool(query.get("showDeleted")),
        time_min=query.get("timeMin"),
        time_max=query.get("timeMax"),
        updated_min=query.get("updatedMin"),
        q=query.get("q"),
        ical_uid=query.get("iCalUID"),
        private_properties=tuple(query.get("privateExtendedProperty", ())),
        shared_properties=tuple(query.get("sharedExtendedProperty", ())),
        order_by=query.get("orderBy"),
    )


def _envelope(entry: dict[str, Any], seq: int) -> dict[str, Any]:
    return {
        "kind": "calendar#events",
        "etag": f'"p{seq}"',
        "summary": entry.get("summary", ""),
        "description": "",
        "updated": rfc3339(datetime.now(UTC)),
        "timeZone": entry.get("timeZone", "UTC"),
        "accessRole": entry.get("accessRole", "owner"),
        "defaultReminders": [],
    }
