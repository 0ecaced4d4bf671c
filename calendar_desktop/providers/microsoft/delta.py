"""``calendarView/delta`` rounds as ``ChangePage``s, and the cursor that resumes them.

The cursor is JSON: the link to follow (an ``@odata.nextLink`` while a round is under way, the
``@odata.deltaLink`` once it ended), the window the round was started with, and whether that
round is a full listing. Storing the nextLink with each page lets a crashed sync resume inside
a round; the window lets us notice that the sync window moved. A round resumed that way lists
the server as it was when the round began, in an earlier pass: once it ends, its deltaLink is
followed at once, so what changed since then is in this pass too.

The window Graph tracks is fixed when a round starts from scratch, but our ``SyncWindow`` slides
with the clock. Restarting with a full round on every sync would be wasteful, so the delta range
is the window with its start floored to the day and its end pushed out by ``WINDOW_SLACK``; a new
full round starts only when the window leaves that range (about once a week).

Which URL starts a round (``DeltaRoutes``): the primary calendar uses the documented v1.0
``/me/calendarView/delta``. Other calendars use ``/me/calendars/{id}/calendarView/delta``,
documented on beta and in the v1.0 delta concept page but not on the v1.0 reference page
(provider-facts §F.4). One switch, ``delta_mode``: ``auto`` tries v1.0 first and falls back to
beta when v1.0 rejects the path (400/404), remembering the outcome; ``v1.0`` never falls back;
``beta`` always uses beta for secondary calendars. Later rounds follow the stored link.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from calendar_desktop.domain import ChangePage, RemoteItem, SyncWindow
from calendar_desktop.providers.errors import CursorExpired, PermanentError
from calendar_desktop.providers.microsoft.graph import GraphClient, GraphError
from calendar_desktop.providers.microsoft.json_types import Json
from calendar_desktop.providers.microsoft.normalize import (
    MalformedEvent,
    normalize_event,
)

log = logging.getLogger(__name__)

WINDOW_SLACK = timedelta(days=7)
CURSOR_VERSION = 1


@dataclass(frozen=True, slots=True)
class DeltaCursor:
    link: str
    start: datetime
    end: datetime
    full: bool
    """The round this link belongs to is a full listing (only while ``link`` is a nextLink)."""
    mid_round: bool = False
    """``link`` is a nextLink: the round it belongs to is not finished."""

    def encode(self) -> str:
        return json.dumps(
            {
                "v": CURSOR_VERSION,
                "link": self.link,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
                "full": self.full,
                "next": self.mid_round,
            }
        )

    @classmethod
    def decode(cls, raw: str) -> DeltaCursor:
        """The cursor stored earlier; ``CursorExpired`` when it is not one of ours (a full sync follows)."""
        try:
            data = json.loads(raw)
            if data.get("v") != CURSOR_VERSION:
                raise ValueError("version")
            start, end = datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError("naive bounds")
            return cls(str(data["link"]), start, end, bool(data["full"]), bool(data.get("next", False)))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise CursorExpired("The saved Microsoft sync position is not readable; a full sync follows.") from None

    def covers(self, window: SyncWindow) -> bool:
        return self.start <= window.start and window.end <= self.end


def delta_range(window: SyncWindow) -> tuple[datetime, datetime]:
    start = window.start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = window.end.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + WINDOW_SLACK
    return start, end


def _graph_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


class DeltaRoutes:
    """The first URL of a full round for a calendar, with the v1.0 → beta fallback."""

    def __init__(self, graph: GraphClient, mode: str, default_calendar_id: Callable[[], str]) -> None:
        self._graph = graph
        self._mode = mode
        self._default_calendar_id = default_calendar_id
        self._v1_rejected = mode == "beta"

    def _url(self, calendar_id: str, version: str, start: datetime, end: datetime) -> str:
        if calendar_id == self._default_calendar_id():
            path = "/me/calendarView/delta"
            version = "v1.0"
        else:
            path = f"/me/calendars/{quote(calendar_id, safe='')}/calendarView/delta"
        return (
            self._graph.url(path, version) + f"?startDateTime={_graph_instant(start)}&endDateTime={_graph_instant(end)}"
        )

    def first_page(self, calendar_id: str, start: datetime, end: datetime) -> Json:
        if not self._v1_rejected:
            try:
                return self._graph.get_json(self._url(calendar_id, "v1.0", start, end), page=True, delta=True)
            except GraphError as exc:
                primary = calendar_id == self._default_calendar_id()
                if self._mode != "auto" or primary or exc.status not in (400, 404):
                    raise
                log.info("v1.0 refused per-calendar delta (HTTP %s %s); using beta", exc.status, exc.code)
                self._v1_rejected = True
        return self._graph.get_json(self._url(calendar_id, "beta", start, end), page=True, delta=True)


MarkerReader = Callable[[Json], str | None]


def read_page(values: object, read_marker: MarkerReader) -> ChangePage:
    """The items, removals and unreadable items of one page (its flags and cursor left to the
    caller). An id listed twice keeps its last state."""
    latest: dict[str, RemoteItem | None] = {}  # None: removed
    unreadable: dict[str, None] = {}
    without_id = 0
    for raw in values if isinstance(values, list) else []:
        event_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(event_id, str) or not event_id:
            without_id += 1
            continue
        latest.pop(event_id, None)  # a later entry for the same id wins, in page order
        unreadable.pop(event_id, None)
        if "@removed" in raw:
            latest[event_id] = None
            continue
        try:
            event = normalize_event(raw, marker=read_marker(raw))
        except MalformedEvent as exc:
            log.warning("Skipped unreadable Graph event %s: %s", event_id[:100], exc)  # ids are short; a runaway one is cut
            unreadable[event_id] = None
            continue
        latest[event_id] = RemoteItem(resource_id=event.resource_id, etag=event.etag, events=(event,))
    items = tuple(item for item in latest.values() if item is not None)
    removed = tuple(event_id for event_id, item in latest.items() if item is None)
    return ChangePage(items, removed, without_id + len(unreadable), tuple(unreadable))


def delta_pages(
    graph: GraphClient,
    routes: DeltaRoutes,
    calendar_id: str,
    cursor: str | None,
    window: SyncWindow,
    read_marker: MarkerReader,
) -> Iterator[ChangePage]:
    """The pages of one round: a full round without a usable cursor, the changes otherwise."""
    state = DeltaCursor.decode(cursor) if cursor else None
    if state is not None and not graph.is_ours(state.link):
        raise CursorExpired("The saved Microsoft sync position belongs to another server; a full sync follows.")
    resumed = False
    if state is None or not state.covers(window):
        start, end = delta_range(window)
        full = True
        page = routes.first_page(calendar_id, start, end)
    else:
        start, end, full = state.start, state.end, state.full
        resumed = state.mid_round
        page = graph.get_json(state.link, page=True, delta=True)
    while True:
        read = read_page(page.get("value"), read_marker)
        next_link, delta_link = page.get("@odata.nextLink"), page.get("@odata.deltaLink")
        if isinstance(next_link, str):
            cursor = DeltaCursor(next_link, start, end, full, mid_round=True)
            yield dataclasses.replace(read, full=full, last=False, cursor=cursor.encode())
            page = graph.get_json(graph.check_link(next_link), page=True, delta=True)
        elif isinstance(delta_link, str):
            graph.check_link(delta_link)
            cursor = DeltaCursor(delta_link, start, end, False)
            yield dataclasses.replace(read, full=full, last=True, cursor=cursor.encode())
            if not resumed:
                return
            # The round began in an earlier pass: catch up with what changed since, now.
            resumed, full = False, False
            page = graph.get_json(delta_link, page=True, delta=True)
        else:
            raise PermanentError("A Microsoft Graph delta page carried neither a next link nor a delta link.")
