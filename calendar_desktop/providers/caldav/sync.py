"""Pages of changes for one calendar collection.

With RFC 6578 (``token`` mode): one ``sync-collection`` REPORT lists what changed since the
token (everything, for an empty token) and asks for ``calendar-data`` too, which Radicale
sends inline (one request per sync); members that come without data are fetched with
``calendar-multiget`` in batches, never one GET each. Without sync-collection (``etags``
mode): the collection's ctag says whether anything changed; if so a depth-1 PROPFIND of etags
is compared with the cursor's and the changed members are multigot.

Each page holds up to ``PAGE_SIZE`` resources; only the last carries the new cursor, so a
crash or a network failure between pages leaves the old cursor in place and the next pass
replays the changes (updates in place, no duplicate). Deleted members and members gone before
they could be fetched are removed with the last page. Unreadable members are counted in
``ChangePage.skipped``, logged without their content, and listed in ``ChangePage.unreadable``:
the store keeps their last good copy (a member that breaks loses nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from calendar_desktop.domain import ChangePage, RemoteItem, SyncWindow
from calendar_desktop.providers.caldav.cursor import Mode, SyncState, window_key
from calendar_desktop.providers.caldav.ical import MalformedItem
from calendar_desktop.providers.caldav.normalise import normalise
from calendar_desktop.providers.caldav.webdav import (
    CALENDAR_DATA,
    GETCTAG,
    GETETAG,
    NAMESPACES,
    RESOURCETYPE,
    DavSession,
    UnsupportedRequest,
    canonical_path,
    chunks,
)
from calendar_desktop.providers.errors import CursorExpired

log = logging.getLogger(__name__)

PAGE_SIZE = 250
"""Resources per page (one store transaction each)."""
MULTIGET_BATCH = 250
"""Hrefs per calendar-multiget REPORT."""
MAX_TRUNCATED_ROUNDS = 100


@dataclass(frozen=True, slots=True)
class Member:
    href: str
    etag: str | None
    data: str | None = None


class CalendarChanges:
    """The changes of the calendar collection at ``url``, for the given sync window."""

    def __init__(self, session: DavSession, url: str, window: SyncWindow) -> None:
        self.session = session
        self.url = url
        self.path = canonical_path(url)
        self.window = window

    def pages(self, cursor: str | None) -> Iterator[ChangePage]:
        if cursor is None:
            yield from self._full_listing()
            return
        state = SyncState.decode(cursor)
        if state.mode is Mode.TOKEN:
            yield from self._since_token(state)
        else:
            yield from self._since_etags(state)

    # --- RFC 6578 ----------------------------------------------------------------------------

    def _full_listing(self) -> Iterator[ChangePage]:
        try:
            token, members, _deleted = self._sync_collection("")
        except UnsupportedRequest as exc:
            log.info("the server refused sync-collection (HTTP %d); comparing etags instead", exc.status)
            yield from self._full_by_etags()
            return
        state = SyncState(Mode.TOKEN, window_key(self.window), token=token)
        yield from self._pages(members, [], state, full=True)

    def _since_token(self, state: SyncState) -> Iterator[ChangePage]:
        try:
            token, changed, deleted = self._sync_collection(state.token or "")
        except UnsupportedRequest as exc:
            raise CursorExpired(f"The server no longer answers sync-collection (HTTP {exc.status}).") from exc
        members = changed + self._reexpansion(state, {m.href for m in changed} | set(deleted))
        yield from self._pages(members, deleted, state.evolve(token=token), full=False)

    def _sync_collection(self, token: str) -> tuple[str, list[Member], list[str]]:
        """(new token, changed members, deleted hrefs), following truncated replies (RFC 6578 §3.6)."""
        changed: dict[str, Member] = {}
        deleted: dict[str, None] = {}
        for _round in range(MAX_TRUNCATED_ROUNDS):
            body = (
                f"<D:sync-collection {NAMESPACES}><D:sync-token>{escape(token)}</D:sync-token>"
                "<D:sync-level>1</D:sync-level><D:prop><D:getetag/><C:calendar-data/></D:prop></D:sync-collection>"
            )
            result = self.session.report(self.url, body, depth=0)
            truncated = False
            for response in result.responses:
                if response.href.rstrip("/") == self.path.rstrip("/") or response.href.endswith("/"):
                    truncated = truncated or response.status == 507
                    continue  # the collection itself (iCloud lists it) or a sub-collection
                etag = response.text(GETETAG)
                if response.status == 404 and etag is None:
                    deleted[response.href] = None
                    changed.pop(response.href, None)
                else:
                    changed[response.href] = Member(response.href, etag, response.text(CALENDAR_DATA))
                    deleted.pop(response.href, None)
            if not result.sync_token:
                raise UnsupportedRequest("The server's sync-collection reply has no sync token.", 207, set())
            again = truncated and result.sync_token != token
            token = result.sync_token
            if not again:
                break
        return token, list(changed.values()), list(deleted)

    # --- ctag + etags ------------------------------------------------------------------------

    def _full_by_etags(self) -> Iterator[ChangePage]:
        ctag = self._ctag()
        etags = self._etags()
        state = SyncState(Mode.ETAGS, window_key(self.window), ctag=ctag, etags=etags)
        yield from self._pages([Member(href, etag) for href, etag in etags.items()], [], state, full=True)

    def _since_etags(self, state: SyncState) -> Iterator[ChangePage]:
        ctag = self._ctag()
        if ctag is not None and ctag == state.ctag:
            etags = state.etags
            changed: list[Member] = []
            removed: list[str] = []
        else:
            etags = self._etags()
            changed = [Member(href, etag) for href, etag in etags.items() if state.etags.get(href) != etag]
            removed = [href for href in state.etags if href not in etags]
        members = changed + self._reexpansion(state, {m.href for m in changed} | set(removed))
        yield from self._pages(members, removed, state.evolve(ctag=ctag, etags=dict(etags)), full=False)

    def _ctag(self) -> str | None:
        result = self.session.propfind(self.url, "<CS:getctag/>", depth=0)
        return next((r.text(GETCTAG) for r in result.responses if GETCTAG in r.props), None)

    def _etags(self) -> dict[str, str]:
        result = self.session.propfind(self.url, "<D:resourcetype/><D:getetag/>", depth=1)
        etags = {}
        for response in result.responses:
            resourcetype = response.props.get(RESOURCETYPE)
            if response.href.endswith("/") or (resourcetype is not None and len(resourcetype)):
                continue  # the collection itself, or a sub-collection
            etags[response.href] = response.text(GETETAG) or ""
        return etags

    # --- common ------------------------------------------------------------------------------

    def _reexpansion(self, state: SyncState, exclude: set[str]) -> list[Member]:
        """Series expanded for an earlier window, to expand again (the window moves every day)."""
        if state.window == window_key(self.window):
            return []
        return [Member(href, None) for href in sorted(state.recurring - exclude)]

    def _with_data(self, members: list[Member]) -> Iterator[Member]:
        """The members with their data: inline data first, the rest by multiget in batches.

        A member without data afterwards is gone from the server."""
        missing = []
        for member in members:
            if member.data is None:
                missing.append(member.href)
            else:
                yield member
        for batch in chunks(missing, MULTIGET_BATCH):
            found = self._multiget(batch)
            for href in batch:
                yield found.get(href) or Member(href, None)

    def _multiget(self, hrefs: list[str]) -> dict[str, Member]:
        body = (
            f"<C:calendar-multiget {NAMESPACES}><D:prop><D:getetag/><C:calendar-data/></D:prop>"
            + "".join(f"<D:href>{escape(href)}</D:href>" for href in hrefs)
            + "</C:calendar-multiget>"
        )
        result = self.session.report(self.url, body, depth=1)
        return {
            r.href: Member(r.href, r.text(GETETAG), r.text(CALENDAR_DATA))
            for r in result.responses
            if CALENDAR_DATA in r.props
        }

    def _pages(self, members: list[Member], removed: Iterable[str], state: SyncState, *, full: bool) -> Iterator[ChangePage]:
        removed = list(removed)
        recurring = set(state.recurring) - set(removed)
        etags = dict(state.etags)
        items: list[RemoteItem] = []
        unreadable: list[str] = []
        for member in self._with_data(members):
            if member.data is None:
                removed.append(member.href)
                recurring.discard(member.href)
                etags.pop(member.href, None)
                continue
            if member.etag is not None and state.mode is Mode.ETAGS:
                etags[member.href] = member.etag
            try:
                normalised = normalise(member.href, member.etag, member.data, self.window)
            except MalformedItem as exc:
                log.warning("skipped an unreadable item %s in %s: %s", member.href, self.path, exc)
                unreadable.append(member.href)  # its last good copy, if any, is kept as it was
                continue
            if normalised.recurring:
                recurring.add(member.href)
            else:
                recurring.discard(member.href)
            items.append(normalised.item)
            if len(items) >= PAGE_SIZE:
                yield ChangePage(items=tuple(items), skipped=len(unreadable), unreadable=tuple(unreadable), full=full, last=False)
                items, unreadable = [], []
        final = state.evolve(recurring=frozenset(recurring), etags=etags, window=window_key(self.window))
        yield ChangePage(
            items=tuple(items),
            removed=tuple(removed),
            skipped=len(unreadable),
            unreadable=tuple(unreadable),
            full=full,
            last=True,
            cursor=final.encode(),
        )
