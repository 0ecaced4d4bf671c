"""The CalDAV provider: one account's calendars through one ``DavSession``."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from calendar_desktop.domain import CalendarInfo, ChangePage, EventDraft, SyncWindow, WriteResult
from calendar_desktop.providers.caldav import writes
from calendar_desktop.providers.caldav.discovery import list_calendars
from calendar_desktop.providers.caldav.sync import CalendarChanges
from calendar_desktop.providers.caldav.webdav import DavSession


class CalDAVProvider:
    """Implements ``providers.base.CalendarProvider``; a calendar's ``remote_id`` is its path."""

    def __init__(self, session: DavSession, home_url: str) -> None:
        self.session = session
        self.home_url = home_url

    def calendar_url(self, calendar: CalendarInfo) -> str:
        return urljoin(self.home_url, calendar.remote_id)

    def list_calendars(self) -> list[CalendarInfo]:
        return list_calendars(self.session, self.home_url)

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        return CalendarChanges(self.session, self.calendar_url(calendar), window).pages(cursor)

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        return writes.create(self.session, self.calendar_url(calendar), draft)

    def update_event(self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None) -> WriteResult:
        return writes.update(self.session, self.calendar_url(calendar), resource_id, draft, etag)

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        writes.delete(self.session, self.calendar_url(calendar), resource_id, etag)

    def close(self) -> None:
        self.session.close()
