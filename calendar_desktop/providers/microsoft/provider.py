"""``MicrosoftProvider``: one connected Outlook / Microsoft 365 account over Microsoft Graph."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import quote

from calendar_desktop.domain import (
    CalendarInfo,
    ChangePage,
    EventDraft,
    SyncWindow,
    WriteResult,
)
from calendar_desktop.providers.errors import PermanentError, WriteConflict
from calendar_desktop.providers.microsoft.auth import TokenSource
from calendar_desktop.providers.microsoft.delta import DeltaRoutes, delta_pages
from calendar_desktop.providers.microsoft.graph import GraphClient, GraphError
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.normalize import (
    MalformedEvent,
    normalize_event,
)
from calendar_desktop.providers.microsoft.writes import (
    event_body,
    marker_expand,
    marker_of,
    new_transaction_id,
    written_by_us,
)

log = logging.getLogger(__name__)


def _segment(remote_id: str) -> str:
    return quote(remote_id, safe="")


class MicrosoftProvider:
    """Implements ``CalendarProvider``. Blocking calls; one worker thread at a time."""

    def __init__(self, graph: GraphClient, tokens: TokenSource, *, delta_mode: str, read_only: bool) -> None:
        self._graph = graph
        self._tokens = tokens
        self._read_only = read_only
        self._default_id: str | None = None
        self._routes = DeltaRoutes(graph, delta_mode, self._default_calendar_id)

    def _default_calendar_id(self) -> str:
        if self._default_id is None:
            calendar = self._graph.get_json(self._graph.url("/me/calendar"))
            self._default_id = str(calendar.get("id", ""))
        return self._default_id

    # --- reading ---------------------------------------------------------------------

    def list_calendars(self) -> list[CalendarInfo]:
        calendars: list[CalendarInfo] = []
        url: str | None = self._graph.url("/me/calendars")
        while url:
            page = self._graph.get_json(url, page=True)
            for raw in page.get("value") or []:
                if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                    continue
                if raw.get("isDefaultCalendar") is True:
                    self._default_id = raw["id"]
                calendars.append(
                    CalendarInfo(
                        remote_id=raw["id"],
                        name=str(raw.get("name") or "Calendar"),
                        color=raw.get("hexColor") or None,
                        read_only=self._read_only or raw.get("canEdit") is False,
                    )
                )
            next_link = page.get("@odata.nextLink")
            url = self._graph.check_link(next_link) if isinstance(next_link, str) else None
        return calendars

    def fetch_changes(self, calendar: CalendarInfo, cursor: str | None, window: SyncWindow) -> Iterator[ChangePage]:
        return delta_pages(self._graph, self._routes, calendar.remote_id, cursor, window, self._read_marker)

    def _read_marker(self, raw: Json) -> str | None:
        """Our marker, for events whose ``transactionId`` says we wrote them (one GET each)."""
        if not written_by_us(raw):
            return None
        url = self._graph.url(f"/me/events/{_segment(str(raw['id']))}")
        try:
            event = self._graph.get_json(url, params={"$select": "id", "$expand": marker_expand()})
        except GraphError as exc:
            if exc.status == 404:  # deleted since the page was made; the next round says so
                return None
            raise
        return marker_of(event)

    # --- writing ---------------------------------------------------------------------

    def _check_writable(self, calendar: CalendarInfo) -> None:
        if self._read_only or calendar.read_only:
            raise PermanentError(f"The calendar {calendar.name!r} is read-only for calendar-desktop.")

    def _result(self, raw: object, marker: str | None) -> WriteResult:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise PermanentError("Microsoft Graph answered a write without the event.")
        try:
            event = normalize_event(raw, marker=marker)
        except MalformedEvent as exc:
            log.warning("Could not read back written event %s: %s", raw["id"], exc)
            event = None
        etag = raw.get("@odata.etag")
        return WriteResult(resource_id=raw["id"], etag=etag if isinstance(etag, str) else None, event=event)

    def create_event(self, calendar: CalendarInfo, draft: EventDraft) -> WriteResult:
        self._check_writable(calendar)
        body = {**event_body(draft), "transactionId": new_transaction_id()}
        url = self._graph.url(f"/me/calendars/{_segment(calendar.remote_id)}/events")
        return self._result(self._graph.send("POST", url, json=body).json(), draft.marker)

    def update_event(
        self, calendar: CalendarInfo, resource_id: str, draft: EventDraft, etag: str | None
    ) -> WriteResult:
        self._check_writable(calendar)
        url = self._graph.url(f"/me/events/{_segment(resource_id)}")
        try:
            response = self._graph.send("PATCH", url, json=event_body(draft), if_match=etag)
        except GraphError as exc:
            if exc.status == 404:
                raise WriteConflict("The event was deleted in Outlook since it was last synced.") from exc
            raise
        return self._result(response.json(), draft.marker)

    def delete_event(self, calendar: CalendarInfo, resource_id: str, etag: str | None) -> None:
        self._check_writable(calendar)
        url = self._graph.url(f"/me/events/{_segment(resource_id)}")
        try:
            self._graph.send("DELETE", url, if_match=etag)
        except GraphError as exc:
            if exc.status not in (404, 410):
                raise

    def close(self) -> None:
        self._graph.close()
        self._tokens.close()
