"""Shaping a test server's calendars from the outside: the way another client (or an admin) would.

Seeding writes files straight into the server's storage (Radicale's collection folder, Xandikos'
git work tree plus a commit): uploading 2,000 events one PUT at a time takes minutes on both
servers (docs/caldav-servers.md §3.6). Edits, deletions and additions go over HTTP, as another
client's would. ``server_items`` reads back what the server serves with a plain REPORT.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urljoin

import httpx

from tests.servers.calendars import SampleEvent
from tests.servers.processes import Login, ServerProcess, Xandikos, commit_work_tree

_XML = "application/xml; charset=utf-8"
_SYNC_ALL = b"""<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""
_QUERY_ALL = b"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>"""


class DavAccount:
    """One principal on one running test server."""

    def __init__(self, server: ServerProcess, login: Login) -> None:
        self.server = server
        self.login = login
        self.http = httpx.Client(auth=(login.username, login.password), timeout=120)

    @property
    def kind(self) -> str:
        return self.server.name

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def username(self) -> str:
        return self.login.username

    @property
    def password(self) -> str:
        return self.login.password

    def close(self) -> None:
        self.http.close()

    # --- calendars ---------------------------------------------------------------------------

    def calendar_url(self, calendar: str) -> str:
        return urljoin(self.server.url, self.server.calendar_path(self.login, calendar))

    def folder(self, calendar: str) -> Path:
        return self.server.collection_dir(self.login, calendar)

    def make_calendar(self, calendar: str, *, display_name: str | None = None, color: str | None = None) -> str:
        props = ""
        if display_name:
            props += f"<D:displayname>{display_name}</D:displayname>"
        if color:
            props += f'<I:calendar-color xmlns:I="http://apple.com/ns/ical/">{color}</I:calendar-color>'
        body = (
            '<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop>{props}</D:prop></D:set></C:mkcalendar>"
            if props
            else None
        )
        headers = {"Content-Type": _XML} if body else {}
        response = self.http.request("MKCALENDAR", self.calendar_url(calendar), content=body, headers=headers)
        assert response.status_code == 201, (response.status_code, response.text)
        return self.calendar_url(calendar)

    def delete_calendar(self, calendar: str) -> None:
        response = self.http.delete(self.calendar_url(calendar))
        assert response.status_code in (200, 204), response.status_code

    def seed(self, calendar: str, events: Iterable[SampleEvent]) -> None:
        """Write events straight into the storage of an existing calendar (fast)."""
        folder = self.folder(calendar)
        for event in events:
            (folder / event.name).write_text(event.ics, encoding="utf-8", newline="")
        if isinstance(self.server, Xandikos):
            commit_work_tree(folder, "seed")

    def write_file(self, calendar: str, name: str, text: str) -> None:
        """Put a file into the storage behind the server's back (how a broken item gets there)."""
        self.seed(calendar, [SampleEvent(uid="", name=name, ics=text)])

    def clone_calendar(self, source: Path, calendar: str) -> None:
        """Copy a calendar's storage folder (with the server's caches) in as ``calendar``."""
        shutil.copytree(source, self.folder(calendar))

    # --- single items, as another client would ----------------------------------------------------

    def item_url(self, calendar: str, name: str) -> str:
        return urljoin(self.calendar_url(calendar), name)

    def put(self, calendar: str, event: SampleEvent) -> None:
        response = self.http.put(
            self.item_url(calendar, event.name), content=event.ics.encode(), headers={"Content-Type": "text/calendar; charset=utf-8"}
        )
        assert response.status_code in (201, 204), (response.status_code, response.text)

    def delete(self, calendar: str, name: str) -> None:
        response = self.http.delete(self.item_url(calendar, name))
        assert response.status_code in (200, 204), response.status_code

    def get(self, calendar: str, name: str) -> httpx.Response:
        return self.http.get(self.item_url(calendar, name))

    # --- reading what the server serves ---------------------------------------------------------

    def warm(self, calendar: str) -> None:
        """Let the server build its caches for a seeded calendar (Radicale: items, then sync history)."""
        self.server_items(calendar)
        response = self.http.request(
            "REPORT", self.calendar_url(calendar), content=_SYNC_ALL, headers={"Depth": "0", "Content-Type": _XML}
        )
        assert response.status_code == 207, response.status_code

    def server_items(self, calendar: str) -> dict[str, str]:
        """href path -> iCalendar text of every item the server lists, by one calendar-query REPORT."""
        response = self.http.request(
            "REPORT", self.calendar_url(calendar), content=_QUERY_ALL, headers={"Depth": "1", "Content-Type": _XML}
        )
        assert response.status_code == 207, (response.status_code, response.text[:500])
        items: dict[str, str] = {}
        for entry in ET.fromstring(response.content).iter("{DAV:}response"):
            href = entry.findtext("{DAV:}href") or ""
            data = entry.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
            if data is not None:
                items[unquote(httpx.URL(urljoin(self.url, href)).path)] = data
        return items
