"""Finding an account's calendar home and the calendars in it.

The principal and its calendar home are found once, at connect time, with the caldav library:
it knows the servers' quirks (iCloud's per-account partition hosts, ``.well-known``
redirects, properties reported under another href). The calendar list, read at connect and at
the start of every pass, is one depth-1 PROPFIND on the home.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote

from calendar_desktop.domain import CalendarInfo
from calendar_desktop.providers.caldav.webdav import APPLE, CALDAV, DAV, DavSession, tag

CALENDAR_PROPERTIES = (
    "<D:resourcetype/><D:displayname/><I:calendar-color/>"
    "<C:supported-calendar-component-set/><D:current-user-privilege-set/>"
)
_WRITE_PRIVILEGES = {tag(DAV, "write"), tag(DAV, "write-content"), tag(DAV, "all")}


def list_calendars(session: DavSession, home_url: str) -> list[CalendarInfo]:
    """The event calendars in the home (task lists and inboxes left out); ``remote_id`` is the path."""
    result = session.propfind(home_url, CALENDAR_PROPERTIES, depth=1)
    calendars = []
    for response in result.responses:
        resourcetype = response.props.get(tag(DAV, "resourcetype"))
        if resourcetype is None or resourcetype.find(tag(CALDAV, "calendar")) is None:
            continue
        if not _holds_events(response.props.get(tag(CALDAV, "supported-calendar-component-set"))):
            continue
        name = (response.text(tag(DAV, "displayname")) or "").strip()
        calendars.append(
            CalendarInfo(
                remote_id=response.href,
                name=name or unquote(response.href.rstrip("/").rsplit("/", 1)[-1]),
                color=_color(response.text(tag(APPLE, "calendar-color"))),
                read_only=_read_only(response.props.get(tag(DAV, "current-user-privilege-set"))),
            )
        )
    return calendars


def _holds_events(components: ET.Element | None) -> bool:
    if components is None or not len(components):
        return True  # not said: RFC 4791 means any component
    return any((c.get("name") or "").upper() == "VEVENT" for c in components)


def _read_only(privileges: ET.Element | None) -> bool:
    if privileges is None:
        return False
    granted = {child.tag for privilege in privileges for child in privilege}
    return not granted & _WRITE_PRIVILEGES


def _color(value: str | None) -> str | None:
    """``#RRGGBB`` from Apple's ``#RRGGBB`` or ``#RRGGBBAA``; None for anything else."""
    value = (value or "").strip()
    if value.startswith("#") and len(value) in (7, 9):
        try:
            int(value[1:], 16)
        except ValueError:
            return None
        return value[:7].upper()
    return None
