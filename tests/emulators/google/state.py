"""The emulated account: calendars, events, recurring series with exceptions, and the change log
behind sync tokens.

Every change bumps one global sequence number; a resource remembers the number of its last
change and a sync token remembers the number at which its listing was taken, so an incremental
listing is "every resource changed after that number", deletions included as tombstones.
Everything is guarded by one lock: the HTTP handlers and the tests' direct calls share it.
"""

from __future__ import annotations

import copy
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.emulators.google import recurrence
from tests.emulators.google.errors import ApiError, bad_request, not_found, precondition_failed, sync_token_expired

EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")
"""What Google accepts as a caller-supplied event id (base32hex, lower case)."""

MAX_EVENT_PAGE = 2500
MAX_CALENDAR_PAGE = 250
_ETAG_BASE = 3_181_161_784_712_000


def _now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Resource:
    """One stored event: a single event, a recurring series, or an exception of a series."""

    id: str
    body: dict[str, Any]
    seq: int
    created: datetime
    updated: datetime
    deleted: bool = False

    @property
    def etag(self) -> str:
        return f'"{_ETAG_BASE + self.seq}"'

    @property
    def is_series(self) -> bool:
        return bool(self.body.get("recurrence")) and "recurringEventId" not in self.body

    @property
    def series_id(self) -> str | None:
        return self.body.get("recurringEventId")


@dataclass
class CalendarState:
    id: str
    entry: dict[str, Any]
    seq: int
    events: dict[str, Resource] = field(default_factory=dict)
    deleted: bool = False

    def writable(self) -> bool:
        return self.entry.get("accessRole") in ("owner", "writer")


@dataclass
class Listing:
    """A listing taken once and served page by page."""

    calendar_id: str | None
    items: list[dict[str, Any]]
    seq: int
    envelope: dict[str, Any]
    name: str | None = None
    """Set once stored for paging."""


@dataclass(frozen=True)
class EventQuery:
    single_events: bool = False
    show_deleted: bool = False
    time_min: datetime | None = None
    time_max: datetime | None = None
    updated_min: datetime | None = None
    q: str | None = None
    ical_uid: str | None = None
    private_properties: tuple[str, ...] = ()
    shared_properties: tuple[str, ...] = ()
    order_by: str | None = None


class AccountState:
    """The signed-in user's calendars and events."""

    def __init__(self, email: str = "user@example.com", time_zone: str = "UTC") -> None:
        self.lock = threading.RLock()
        self.email = email
        self.seq = 0
        self.calendars: dict[str, CalendarState] = {}
        self._sync_points: dict[str, tuple[str, str | None, int]] = {}
        """token -> (collection, calendar id, seq)."""
        self._listings: OrderedDict[str, Listing] = OrderedDict()
        self.create_calendar(email, summary=email, time_zone=time_zone, primary=True)

    # ------------------------------------------------------------ bookkeeping

    def _bump(self) -> int:
        self.seq += 1
        return self.seq

    def calendar(self, calendar_id: str) -> CalendarState:
        if calendar_id == "primary":
            calendar_id = self.email
        found = self.calendars.get(calendar_id)
        if found is None or found.deleted:
            raise not_found()
        return found

    def issue_sync_token(self, collection: str, calendar_id: str | None, seq: int) -> str:
        token = secrets.token_urlsafe(24)
        self._sync_points[token] = (collection, calendar_id, seq)
        return token

    def sync_point(self, token: str, collection: str, calendar_id: str | None) -> int:
        found = self._sync_points.get(token)
        if found is None or found[0] != collection or found[1] != calendar_id:
            raise sync_token_expired()
        return found[2]

    def expire_sync_tokens(self) -> None:
        """Invalidate every sync token handed out so far (the next incremental request gets 410)."""
        with self.lock:
            self._sync_points.clear()

    def store_listing(self, listing: Listing) -> str:
        token = secrets.token_urlsafe(18)
        listing.name = token
        self._listings[token] = listing
        while len(self._listings) > 200:
            self._listings.popitem(last=False)
        return token

    def listing(self, token: str, calendar_id: str | None) -> tuple[Listing, int]:
        name, _, offset = token.rpartition(".")
        found = self._listings.get(name)
        if found is None or found.calendar_id != calendar_id or not offset.isdigit():
            raise bad_request("Invalid page token value.", reason="invalid", location="pageToken")
        return found, int(offset)

    # ------------------------------------------------------------ calendars

    def create_calendar(
        self,
        calendar_id: str | None = None,
        *,
        summary: str = "Calendar",
        time_zone: str = "UTC",
        access_role: str = "owner",
        primary: bool = False,
        color: str = "#9fe1e7",
    ) -> str:
        with self.lock:
            calendar_id = calendar_id or f"{secrets.token_hex(13)}@group.calendar.google.com"
            entry = {
                "summary": summary,
                "timeZone": time_zone,
                "colorId": "14",
                "backgroundColor": color,
                "foregroundColor": "#000000",
                "selected": True,
                "accessRole": access_role,
                "defaultReminders": [],
            }
            if primary:
                entry["primary"] = True
            self.calendars[calendar_id] = CalendarState(calendar_id, entry, self._bump())
            return calendar_id

    def delete_calendar(self, calendar_id: str) -> None:
        with self.lock:
            state = self.calendar(calendar_id)
            state.deleted = True
            state.seq = self._bump()

    def render_calendar(self, state: CalendarState) -> dict[str, Any]:
        if state.deleted:
            return {"kind": "calendar#calendarListEntry", "etag": f'"{_ETAG_BASE + state.seq}"', "id": state.id, "deleted": True}
        return {
            "kind": "calendar#calendarListEntry",
            "etag": f'"{_ETAG_BASE + state.seq}"',
            "id": state.id,
            **copy.deepcopy(state.entry),
            "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
        }

    def calendar_list(self, since: int | None, show_deleted: bool) -> list[dict[str, Any]]:
        rows = []
        for state in self.calendars.values():
            if since is not None and state.seq <= since:
                continue
            if state.deleted and not (show_deleted or since is not None):
                continue
            rows.append(self.render_calendar(state))
        return rows

    # ------------------------------------------------------------ events: writes

    def insert_event(self, calendar_id: str, body: dict[str, Any], *, check_access: bool = True) -> dict[str, Any]:
        with self.lock:
            state = self.calendar(calendar_id)
            if check_access:
                _require_writer(state)
            body = copy.deepcopy(body)
            event_id = body.pop("id", None)
            if event_id is None:
                event_id = secrets.token_hex(13)
            elif not isinstance(event_id, str) or not EVENT_ID.fullmatch(event_id):
                raise bad_request("Invalid resource id value.", reason="invalid")
            if event_id in state.events:
                raise ApiError(409, "duplicate", "The requested identifier already exists.")
            _strip_read_only(body)
            _validate(body)
            now = _now()
            resource = Resource(event_id, body, self._bump(), now, now)
            state.events[event_id] = resource
            return self.render(state, resource)

    def add_events(self, calendar_id: str, bodies: Iterable[dict[str, Any]]) -> list[str]:
        """Bulk insert for tests: no copies beyond one per body, no rendering and no validation
        (so a test can plant an item a client cannot read, e.g. a start that is no time)."""
        with self.lock:
            state = self.calendar(calendar_id)
            now = _now()
            ids = []
            for body in bodies:
                body = dict(body)
                event_id = body.pop("id", None) or secrets.token_hex(13)
                if event_id in state.events:
                    raise ApiError(409, "duplicate", "The requested identifier already exists.")
                state.events[event_id] = Resource(event_id, body, self._bump(), now, now)
                ids.append(event_id)
            return ids

    def corrupt_event(self, calendar_id: str, event_id: str, **members: Any) -> None:
        """Test seeding: replace members of a stored event without validation (e.g. a start that
        is no time), as a server glitch would serve it, stamped as a change."""
        with self.lock:
            resource = self._resource_for_write(self.calendar(calendar_id), event_id)
            resource.body = {**resource.body, **members}
            self._touch(resource)

    def patch_event(
        self, calendar_id: str, event_id: str, patch: dict[str, Any], if_match: str | None, *, check_access: bool = True
    ) -> dict[str, Any]:
        with self.lock:
            state = self.calendar(calendar_id)
            if check_access:
                _require_writer(state)
            resource = self._resource_for_write(state, event_id)
            _check_etag(resource, if_match)
            body = _merge_patch(copy.deepcopy(resource.body), copy.deepcopy(patch))
            _strip_read_only(body)
            _validate(body)
            resource.body = body
            self._touch(resource)
            return self.render(state, resource)

    def delete_event(self, calendar_id: str, event_id: str, if_match: str | None, *, check_access: bool = True) -> None:
        with self.lock:
            state = self.calendar(calendar_id)
            if check_access:
                _require_writer(state)
            resource = state.events.get(event_id)
            if resource is not None and resource.deleted:
                raise ApiError(410, "deleted", "Resource has been deleted")
            resource = self._resource_for_write(state, event_id)
            _check_etag(resource, if_match)
            if resource.series_id:
                if resource.body.get("status") == "cancelled":
                    raise ApiError(410, "deleted", "Resource has been deleted")
                resource.body["status"] = "cancelled"
            else:
                resource.deleted = True
            self._touch(resource)

    def move_instance(self, calendar_id: str, series_id: str, original_start: datetime | date, changes: dict[str, Any]) -> str:
        """Edit one instance of a series (an exception); returns the instance id."""
        with self.lock:
            state = self.calendar(calendar_id)
            instance = recurrence.instance_id(series_id, recurrence.Occurrence(original_start))
            self.patch_event(state.id, instance, changes, None, check_access=False)
            return instance

    def cancel_instance(self, calendar_id: str, series_id: str, original_start: datetime | date) -> str:
        """Cancel one instance of a series; returns the instance id."""
        with self.lock:
            instance = recurrence.instance_id(series_id, recurrence.Occurrence(original_start))
            self.delete_event(calendar_id, instance, None, check_access=False)
            return instance

    def _touch(self, resource: Resource) -> None:
        resource.seq = self._bump()
        resource.updated = max(_now(), resource.updated)

    def _resource_for_write(self, state: CalendarState, event_id: str) -> Resource:
        """The stored resource, or a new exception for an instance of a series."""
        resource = state.events.get(event_id)
        if resource is not None:
            if resource.deleted:
                raise not_found()
            return resource
        found = self._generated_instance(state, event_id)
        if found is None:
            raise not_found()
        series, occurrence = found
        start, end = recurrence.instance_times(series.body, occurrence)
        body = {key: copy.deepcopy(value) for key, value in series.body.items() if key not in ("recurrence", "iCalUID")}
        zone = (series.body.get("start") or {}).get("timeZone")
        body.update(
            start=start,
            end=end,
            recurringEventId=series.id,
            originalStartTime=occurrence.as_event_time(zone),
        )
        now = _now()
        resource = Resource(event_id, body, series.seq, now, now)
        state.events[event_id] = resource
        return resource

    def _generated_instance(self, state: CalendarState, event_id: str) -> tuple[Resource, recurrence.Occurrence] | None:
        series_id, _, key = event_id.rpartition("_")
        series = state.events.get(series_id)
        if not series_id or series is None or series.deleted or not series.is_series:
            return None
        for occurrence in recurrence.occurrences(series.body):
            if occurrence.key() == key:
                return series, occurrence
        return None

    # ------------------------------------------------------------ events: reads

    def get_event(self, calendar_id: str, event_id: str) -> dict[str, Any]:
        with self.lock:
            state = self.calendar(calendar_id)
            resource = state.events.get(event_id)
            if resource is not None:
                return self.render(state, resource, full_when_deleted=True)
            found = self._generated_instance(state, event_id)
            if found is None:
                raise not_found()
            return self._render_instance(state, *found)

    def render(self, state: CalendarState, resource: Resource, *, full_when_deleted: bool = False) -> dict[str, Any]:
        if resource.deleted and not full_when_deleted:
            return {"kind": "calendar#event", "etag": resource.etag, "id": resource.id, "status": "cancelled"}
        body = resource.body
        if resource.series_id and body.get("status") == "cancelled" and not full_when_deleted:
            return _cancelled_instance(resource.id, resource.etag, resource.series_id, body["originalStartTime"])
        owner = {"email": state.id, "self": True}
        if not state.entry.get("primary"):
            owner["displayName"] = state.entry.get("summary", "")
        series = state.events.get(resource.series_id) if resource.series_id else None
        uid = (series.body if series else body).get("iCalUID") or f"{series.id if series else resource.id}@google.com"
        event = {
            "kind": "calendar#event",
            "etag": resource.etag,
            "id": resource.id,
            "status": "confirmed",
            "htmlLink": f"https://www.google.com/calendar/event?eid={resource.id}",
            "created": rfc3339(resource.created),
            "updated": rfc3339(resource.updated),
            "creator": dict(owner),
            "organizer": dict(owner),
            **copy.deepcopy(body),
            "iCalUID": uid,
            "sequence": body.get("sequence", 0),
            "reminders": body.get("reminders", {"useDefault": True}),
            "eventType": body.get("eventType", "default"),
        }
        if resource.deleted:
            event["status"] = "cancelled"
        return event

    def _render_instance(self, state: CalendarState, series: Resource, occurrence: recurrence.Occurrence) -> dict[str, Any]:
        instance = recurrence.instance_id(series.id, occurrence)
        zone = (series.body.get("start") or {}).get("timeZone")
        if series.deleted:
            return _cancelled_instance(instance, series.etag, series.id, occurrence.as_event_time(zone))
        exception = state.events.get(instance)
        if exception is not None:
            return self.render(state, exception)
        event = self.render(state, series)
        event.pop("recurrence", None)
        start, end = recurrence.instance_times(series.body, occurrence)
        event.update(
            id=instance,
            start=start,
            end=end,
            recurringEventId=series.id,
            originalStartTime=occurrence.as_event_time(zone),
        )
        return event

    def _instances(self, state: CalendarState, series: Resource) -> list[dict[str, Any]]:
        return [self._render_instance(state, series, each) for each in recurrence.occurrences(series.body)]

    def list_events(self, calendar_id: str, query: EventQuery, since: int | None = None) -> list[dict[str, Any]]:
        """Every item of a listing (before paging): a full one, or the changes after ``since``."""
        with self.lock:
            state = self.calendar(calendar_id)
            if since is not None:
                return self._changes(state, query, since)
            items: list[dict[str, Any]] = []
            show_deleted = query.show_deleted or query.updated_min is not None
            for resource in state.events.values():
                if query.updated_min is not None and resource.updated < query.updated_min and not resource.is_series:
                    continue
                if query.single_events:
                    if resource.series_id:
                        continue
                    candidates = self._instances(state, resource) if resource.is_series else [self.render(state, resource)]
                    if resource.is_series and resource.deleted and not show_deleted:
                        continue
                else:
                    if resource.series_id:
                        series = state.events.get(resource.series_id)
                        if series is None or series.deleted:
                            continue
                        if resource.body.get("status") == "cancelled":
                            items.append(self.render(state, resource))  # always listed, see showDeleted
                            continue
                    candidates = [self.render(state, resource)]
                for item in candidates:
                    if item.get("status") == "cancelled" and not show_deleted:
                        continue
                    if _matches(item, query, state):
                        items.append(item)
            return _ordered(items, query.order_by, state)

    def _changes(self, state: CalendarState, query: EventQuery, since: int) -> list[dict[str, Any]]:
        seen: set[str] = set()
        items: list[dict[str, Any]] = []
        changed = sorted((r for r in state.events.values() if r.seq > since), key=lambda r: r.seq)
        for resource in changed:
            if query.single_events and resource.is_series:
                rendered = self._instances(state, resource)
            elif query.single_events and resource.series_id:
                series = state.events.get(resource.series_id)
                if series is None:
                    continue
                rendered = [self.render(state, resource)]
            else:
                rendered = [self.render(state, resource)]
            for item in rendered:
                if item["id"] not in seen:
                    seen.add(item["id"])
                    items.append(item)
        return items


# ---------------------------------------------------------------- helpers


def _cancelled_instance(event_id: str, etag: str, series_id: str, original_start: dict[str, str]) -> dict[str, Any]:
    """How Google lists a cancelled occurrence: only these fields are guaranteed."""
    return {
        "kind": "calendar#event",
        "etag": etag,
        "id": event_id,
        "status": "cancelled",
        "recurringEventId": series_id,
        "originalStartTime": copy.deepcopy(original_start),
    }


_READ_ONLY_FIELDS = ("kind", "etag", "htmlLink", "created", "updated", "creator", "hangoutLink")


def _strip_read_only(body: dict[str, Any]) -> None:
    for name in _READ_ONLY_FIELDS:
        body.pop(name, None)


def _require_writer(state: CalendarState) -> None:
    if not state.writable():
        raise ApiError(403, "forbidden", "You need to have writer access to this calendar.")


def _check_etag(resource: Resource, if_match: str | None) -> None:
    if if_match is not None and if_match != "*" and if_match != resource.etag:
        raise precondition_failed()


def _merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Patch semantics: objects merge, ``null`` removes a member, anything else replaces."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict) and key not in ("start", "end"):
            target[key] = _merge_patch(target[key], value)
        else:
            target[key] = value
    return target


def _validate(body: dict[str, Any]) -> None:
    if body.get("status") == "cancelled" and body.get("recurringEventId"):
        return
    if "start" not in body:
        raise bad_request("Missing start time.", reason="required")
    if "end" not in body:
        raise bad_request("Missing end time.", reason="required")
    start = recurrence.parse_event_time(body["start"], "start")
    end = recurrence.parse_event_time(body["end"], "end")
    if type(start) is not type(end):
        raise bad_request("Bad Request")
    if end < start:  # type: ignore[operator]
        raise bad_request("The specified time range is empty.", reason="timeRangeEmpty")
    if body.get("recurrence"):
        if isinstance(start, datetime) and not (body["start"].get("timeZone")):
            raise bad_request("Missing time zone definition for start time.", reason="required")
        recurrence.occurrences(body)


def _as_instant(value: dict[str, Any] | None, state: CalendarState) -> datetime | None:
    """An event time as an instant for filtering; None (no filtering) for data tests planted broken."""
    if not value:
        return None
    try:
        moment = recurrence.parse_event_time(value, "start")
    except ApiError:
        return None
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=ZoneInfo(state.entry.get("timeZone") or "UTC"))


def _matches(item: dict[str, Any], query: EventQuery, state: CalendarState) -> bool:
    if item.get("status") != "cancelled" or "start" in item:
        start = _as_instant(item.get("start"), state)
        end = _as_instant(item.get("end"), state)
        if query.time_min is not None and end is not None and end <= query.time_min:
            return False
        if query.time_max is not None and start is not None and start >= query.time_max:
            return False
    if query.ical_uid is not None and item.get("iCalUID") != query.ical_uid:
        return False
    for constraints, kind in ((query.private_properties, "private"), (query.shared_properties, "shared")):
        props = (item.get("extendedProperties") or {}).get(kind) or {}
        for constraint in constraints:
            name, _, value = constraint.partition("=")
            if props.get(name) != value:
                return False
    if query.q:
        haystack = " ".join(
            [item.get("summary", ""), item.get("description", ""), item.get("location", "")]
            + [a.get("email", "") for a in item.get("attendees", [])]
        ).lower()
        if not all(word in haystack for word in query.q.lower().split()):
            return False
    return True


def _ordered(items: list[dict[str, Any]], order_by: str | None, state: CalendarState) -> list[dict[str, Any]]:
    if order_by == "startTime":
        return sorted(items, key=lambda item: _as_instant(item.get("start") or item.get("originalStartTime"), state) or datetime.min.replace(tzinfo=UTC))
    if order_by == "updated":
        return sorted(items, key=lambda item: item.get("updated", ""))
    return items
