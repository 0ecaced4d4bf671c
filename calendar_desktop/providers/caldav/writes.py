"""Writing events (two-way sync): create, update conditional on the etag, delete.

- Create: PUT to ``<calendar>/<uid>.ics`` with ``If-None-Match: *``. The href follows from the
  UID, so a retry after a lost response finds its own event (412, same UID) instead of
  creating a second one.
- Update: GET the resource, change the fields the app owns in the master VEVENT (everything
  else, alarms and other clients' properties, is kept), PUT with ``If-Match``; a 412 means
  someone changed it since: ``WriteConflict``. Not retried automatically: after a lost
  response a retry would see our own new etag and report a false conflict.
- Delete: DELETE with ``If-Match``; a resource already gone is fine.

No ORGANIZER is written: with one, servers that do scheduling (RFC 6638: iCloud, Nextcloud,
Fastmail) would e-mail invitations to the attendees.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from calendar_desktop.domain import EventDraft, SyncWindow, WriteResult
from calendar_desktop.providers.caldav.normalise import MARKER_PROPERTY, normalise
from calendar_desktop.providers.caldav.webdav import GETETAG, DavSession, NotFoundOnServer, canonical_path
from calendar_desktop.providers.errors import PermanentError, WriteConflict

PRODID = "-//calendar-desktop//calendar-desktop//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]")
ICS = {"Content-Type": "text/calendar; charset=utf-8"}


def resource_name(uid: str) -> str:
    return _UNSAFE.sub("-", uid)[:200] + ".ics"


def create(session: DavSession, calendar_url: str, draft: EventDraft) -> WriteResult:
    import icalendar

    uid = draft.uid or f"{uuid.uuid4()}@calendar-desktop"
    url = urljoin(calendar_url, resource_name(uid))
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("sequence", 0)
    _apply(vevent, draft)
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    text = calendar.to_ical().decode("utf-8")
    try:
        response = session.send("PUT", url, body=text, headers={**ICS, "If-None-Match": "*"})
    except WriteConflict:
        existing = session.send("GET", url)
        if _uid_of(existing.text) != uid:
            raise WriteConflict(f"Another event already uses the address {canonical_path(url)}.") from None
        return _result(session, url, existing.headers.get("ETag"), existing.text)
    return _result(session, url, response.headers.get("ETag"), text)


def update(session: DavSession, calendar_url: str, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
    import icalendar

    url = urljoin(calendar_url, resource_id)
    current = session.send("GET", url)
    current_etag = current.headers.get("ETag")
    if etag is not None and current_etag is not None and current_etag != etag:
        raise WriteConflict("The event changed on the server since it was last synced.")
    try:
        calendar = icalendar.Calendar.from_ical(current.text)
    except ValueError as exc:
        raise PermanentError("The event on the server cannot be read, so it cannot be updated.") from exc
    masters = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c]
    if not masters:
        raise PermanentError("The resource on the server holds no event to update.")
    vevent = masters[0]
    _apply(vevent, draft)
    vevent["SEQUENCE"] = int(vevent.get("SEQUENCE", 0)) + 1
    vevent.pop("DTSTAMP", None)
    vevent.add("dtstamp", datetime.now(UTC))
    calendar.add_missing_timezones()
    text = calendar.to_ical().decode("utf-8")
    condition = etag or current_etag
    headers = {**ICS, **({"If-Match": condition} if condition else {})}
    response = session.send("PUT", url, body=text, headers=headers, retry=False)
    return _result(session, url, response.headers.get("ETag"), text)


def delete(session: DavSession, calendar_url: str, resource_id: str, etag: str | None) -> None:
    url = urljoin(calendar_url, resource_id)
    try:
        session.send("DELETE", url, headers={"If-Match": etag} if etag else None)
    except NotFoundOnServer:
        pass  # already gone: what we wanted


def _apply(vevent, draft: EventDraft) -> None:  # type: ignore[no-untyped-def]
    """Set the fields the app owns; leave everything else as it is."""
    for name in ("SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION", "DESCRIPTION", "CONFERENCE", MARKER_PROPERTY):
        vevent.pop(name, None)
    vevent.add("summary", draft.title)
    start, end = _times(draft)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    if draft.location:
        vevent.add("location", draft.location)
    if draft.description:
        vevent.add("description", draft.description)
    if draft.meeting_link:
        vevent.add("conference", draft.meeting_link, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    if draft.marker:
        vevent.add(MARKER_PROPERTY, draft.marker)
    if draft.attendees:
        vevent.pop("ATTENDEE", None)
        for address in draft.attendees:
            vevent.add("attendee", f"mailto:{address}")


def _times(draft: EventDraft) -> tuple[date | datetime, date | datetime]:
    if draft.all_day:
        start = draft.start.date() if isinstance(draft.start, datetime) else draft.start
        end = draft.end.date() if isinstance(draft.end, datetime) else draft.end
        return start, max(end, start + timedelta(days=1))
    assert isinstance(draft.start, datetime) and isinstance(draft.end, datetime)
    zone = _zone(draft.timezone)
    if zone is None:
        return draft.start.astimezone(UTC), draft.end.astimezone(UTC)
    return draft.start.astimezone(zone), draft.end.astimezone(zone)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name or name.upper() == "UTC":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _uid_of(text: str) -> str | None:
    match = re.search(r"^UID:(.*)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def _result(session: DavSession, url: str, etag: str | None, text: str) -> WriteResult:
    if etag is None or etag.startswith("W/"):
        etag = _etag(session, url)  # the server changed what we sent, or gave no strong etag
    href = canonical_path(url)
    now = datetime.now(UTC)
    window = SyncWindow(now - timedelta(days=3660), now + timedelta(days=3660))
    events = normalise(href, etag, text, window).item.events
    return WriteResult(resource_id=href, etag=etag, event=events[0] if events else None)


def _etag(session: DavSession, url: str) -> str | None:
    result = session.propfind(url, "<D:getetag/>", depth=0)
    return next((r.text(GETETAG) for r in result.responses if GETETAG in r.props), None)
