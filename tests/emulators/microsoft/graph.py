"""Microsoft Graph v1.0 and beta calendar endpoints over a ``Mailbox``.

What is emulated, after the Graph docs (event-delta v1.0 and beta, delta-query-overview,
delta-query-events, errors, event/calendar resources) and after reports in the docs' issue
tracker where the docs are silent:

- ``/me``, ``/me/calendars`` (paged), ``/me/calendar``;
- ``calendarView/delta`` for the primary calendar and (beta, or v1.0 when the knob allows)
  per calendar: ``Prefer: odata.maxpagesize``, ``outlook.timezone``, ``IdType="ImmutableId"``;
  pages chained by ``@odata.nextLink`` (``$skiptoken``; the first page of a fresh round is empty,
  as observed on the real service) up to an ``@odata.deltaLink`` (``$deltatoken``); later rounds
  list changed events in full and ``@removed`` (reason ``deleted``) for deletions and for events
  that changed outside the window; ``$select/$filter/$expand/$orderby/$search/$top`` refused;
- events: GET (``$expand`` of single-value extended properties by id), POST (``transactionId``
  makes a retried create return the first event), PATCH and DELETE honouring ``If-Match``
  (412 ``ErrorIrresolvableConflict``, as Outlook answers for a stale change key).

Unknown or evicted state tokens answer 410 ``SyncStateNotFound`` like the real service does.

``Mailbox.corrupt_event`` makes an event be served with members a client cannot read (a test's
malformed item; Graph itself never accepts one through its API).
"""

from __future__ import annotations

import html
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser
from typing import TypeVar
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from tests.emulators.microsoft.http import Request, Response, graph_error
from tests.emulators.microsoft.identity import AccessGrant, IdentityPlatform
from tests.emulators.microsoft.mailbox import (
    Mailbox,
    MailboxEvent,
    Person,
    core_of,
    render_id,
    zone_accepted_on_write,
    zone_for,
)

_VERSION = re.compile(r"^/(?P<version>v1\.0|beta)(?P<rest>/.*)$")
_FORBIDDEN_ON_DELTA = ("$select", "$filter", "$expand", "$orderby", "$search", "$top")
_EXPAND_PROPERTY = re.compile(r"^singleValueExtendedProperties\(\$filter=id eq '(?P<id>[^']*)'\)$", re.I)
_PROPERTY_ID = re.compile(
    r"^(String|Integer|Boolean|SystemTime|Double|Binary)\s+\{[0-9a-f-]{36}\}\s+(Name|Id)\s+\S+$", re.I
)
_WRITABLE = frozenset(
    {
        "@odata.type",
        "subject",
        "body",
        "start",
        "end",
        "isAllDay",
        "location",
        "locations",
        "attendees",
        "transactionId",
        "singleValueExtendedProperties",
        "categories",
        "showAs",
        "importance",
        "sensitivity",
        "isReminderOn",
        "reminderMinutesBeforeStart",
        "isOnlineMeeting",
        "onlineMeetingProvider",
        "responseRequested",
        "allowNewTimeProposals",
        "hideAttendees",
    }
)
READ_SCOPES = frozenset({"Calendars.Read", "Calendars.ReadWrite"})
WRITE_SCOPES = frozenset({"Calendars.ReadWrite"})
_T = TypeVar("_T")


@dataclass(slots=True)
class _Round:
    calendar_id: str
    start: datetime
    end: datetime
    path: str
    """The delta path of the request that started the round (links keep it)."""
    cores: list[str]
    removed_only: set[str]
    """Cores listed as ``@removed`` whatever their state when the page is served."""
    snapshot_seq: int


@dataclass(frozen=True, slots=True)
class _Position:
    round: _Round
    offset: int
    empty: bool = False
    """Serve an empty page (the first page of a fresh round) and move on to ``offset``."""


@dataclass(frozen=True, slots=True)
class _DeltaState:
    calendar_id: str
    start: datetime
    end: datetime
    path: str
    seq: int


class GraphApi:
    """The Graph half of the emulator. Knobs are plain attributes."""

    def __init__(self, mailbox: Mailbox, identity: IdentityPlatform) -> None:
        self.mailbox = mailbox
        self.identity = identity
        self._lock = threading.Lock()
        self._skip_tokens: dict[str, _Position] = {}
        self._delta_tokens: dict[str, _DeltaState] = {}
        self._failing_tokens: dict[str, str] = {}
        # Knobs.
        self.v1_per_calendar_delta = False
        """The v1.0 docs list only ``/me/calendarView/delta``; True accepts the per-calendar form on v1.0 too."""
        self.empty_first_page = True
        self.default_page_size = 10
        self.all_day_as_instant = False
        """Render all-day events as instants converted into the requested zone (the pessimistic reading of §F.5)."""
        self.replay_rounds = 0
        """The next N incremental rounds list every change twice."""

    # --- knobs -----------------------------------------------------------------------

    def fail_state_tokens(self, mode: str) -> None:
        """Make every state token issued so far fail: ``gone`` (410 + Location), ``syncStateNotFound``
        (410) or ``resyncRequired`` (400)."""
        if mode not in ("gone", "syncStateNotFound", "resyncRequired"):
            raise ValueError(mode)
        with self._lock:
            for token in [*self._skip_tokens, *self._delta_tokens]:
                self._failing_tokens[token] = mode

    # --- dispatch --------------------------------------------------------------------

    def handle(self, request: Request) -> Response | None:
        match = _VERSION.match(request.path)
        if match is None:
            return None
        version, rest = match["version"], match["rest"].rstrip("/")
        grant = self._authenticate(request)
        if isinstance(grant, Response):
            return grant
        ctx = _Context(request, version, grant)
        for method, pattern, handler in self._routes():
            if request.method == method and (m := re.fullmatch(pattern, rest, re.I)):
                return handler(ctx, **{name: unquote(value) for name, value in m.groupdict().items()})
        if request.method in ("GET", "POST", "PATCH", "DELETE") and rest.lower().startswith("/me"):
            segment = rest.rsplit("/", 1)[-1]
            return graph_error(400, "BadRequest", f"Resource not found for the segment '{segment}'.")
        return graph_error(
            400, "BadRequest", f"Invalid version or unsupported request: {request.method} {request.path}"
        )

    def _routes(self):  # type: ignore[no-untyped-def]
        cal = r"/me/calendars/(?P<calendar_id>[^/]+)"
        item = r"/(?P<event_id>[^/]+)"
        routes = [
            ("GET", r"/me", self._me),
            ("GET", r"/me/calendars", self._list_calendars),
            ("GET", r"/me/calendar", self._get_calendar),
            ("GET", cal, self._get_calendar),
            ("GET", r"/me/calendarView/delta", self._delta),
            ("GET", r"/me/calendar/calendarView/delta", self._delta),
            ("GET", cal + r"/calendarView/delta", self._delta),
        ]
        for events in (r"/me/events", r"/me/calendar/events", cal + r"/events"):
            routes.append(("POST", events, self._create_event))
            routes.extend(
                (method, events + item, handler)
                for method, handler in (
                    ("GET", self._get_event),
                    ("PATCH", self._update_event),
                    ("DELETE", self._delete_event),
                )
            )
        return routes

    def _authenticate(self, request: Request) -> AccessGrant | Response:
        scheme, _, token = (request.header("Authorization") or "").partition(" ")
        challenge = {
            "WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'
        }
        if scheme.lower() != "bearer" or not token:
            return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", challenge)
        grant = self.identity.check_access_token(token)
        if grant is None:
            return graph_error(
                401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", challenge
            )
        return grant

    # --- users and calendars ---------------------------------------------------------

    def _me(self, ctx: _Context) -> Response:
        if not ctx.grant.scopes & {"User.Read", *READ_SCOPES}:
            return _access_denied()
        user = self.identity.user
        return ctx.json(
            200,
            {
                "@odata.context": f"{ctx.root}/$metadata#users/$entity",
                "businessPhones": [],
                "displayName": user.name,
                "givenName": user.name.split()[0],
                "jobTitle": None,
                "mail": user.username,
                "mobilePhone": None,
                "officeLocation": None,
                "preferredLanguage": "en-US",
                "surname": user.name.split()[-1],
                "userPrincipalName": user.username,
                "id": user.oid,
            },
        )

    def _render_calendar(self, calendar_id: str) -> dict:
        calendar = self.mailbox.calendars[calendar_id]
        owner = self.mailbox.owner
        return {
            "id": calendar.id,
            "name": calendar.name,
            "color": "auto",
            "hexColor": calendar.hex_color,
            "isDefaultCalendar": calendar.is_default,
            "changeKey": calendar.change_key,
            "canShare": calendar.can_edit,
            "canViewPrivateItems": True,
            "canEdit": calendar.can_edit,
            "allowedOnlineMeetingProviders": ["teamsForBusiness"],
            "defaultOnlineMeetingProvider": "teamsForBusiness",
            "isTallyingResponses": True,
            "isRemovable": not calendar.is_default,
            "owner": {"name": owner.name, "address": owner.address},
        }

    def _list_calendars(self, ctx: _Context) -> Response:
        if not ctx.grant.scopes & READ_SCOPES:
            return _access_denied()
        q = ctx.request.query
        size = _int(q.get("$top")) or _int(ctx.prefer.get("odata.maxpagesize")) or self.default_page_size
        skip = _int(q.get("$skip")) or 0
        with self.mailbox.lock:
            ids = list(self.mailbox.calendars)
        body: dict[str, object] = {
            "@odata.context": f"{ctx.root}/$metadata#users('{self.identity.user.oid}')/calendars",
            "value": [self._render_calendar(i) for i in ids[skip : skip + size]],
        }
        if skip + size < len(ids):
            body["@odata.nextLink"] = f"{ctx.root}/me/calendars?$top={size}&$skip={skip + size}"
        return ctx.json(200, body)

    def _get_calendar(self, ctx: _Context, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & READ_SCOPES:
            return _access_denied()
        calendar = self.mailbox.calendar(calendar_id or self.mailbox.default_calendar_id)
        if calendar is None:
            return _not_found()
        return ctx.json(
            200,
            {
                "@odata.context": f"{ctx.root}/$metadata#users('{self.identity.user.oid}')/calendars/$entity",
                **self._render_calendar(calendar.id),
            },
        )

    # --- delta -----------------------------------------------------------------------

    def _delta(self, ctx: _Context, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & READ_SCOPES:
            return _access_denied()
        if calendar_id is not None and ctx.version == "v1.0" and not self.v1_per_calendar_delta:
            return graph_error(400, "BadRequest", "Resource not found for the segment 'delta'.")
        q = ctx.request.query
        forbidden = [name for name in _FORBIDDEN_ON_DELTA if name in q]
        if forbidden:
            return graph_error(
                400,
                "ErrorInvalidUrlQuery",
                "The following parameters are not supported with change tracking over the 'CalendarView' resource: "
                "'$orderby, $filter, $select, $expand, $search, $top'.",
            )
        skip_token, delta_token = q.get("$skiptoken"), q.get("$deltatoken")
        if skip_token:
            return self._serve_skip_token(ctx, skip_token)
        if delta_token:
            return self._serve_delta_token(ctx, delta_token)
        return self._start_full_round(ctx, calendar_id)

    def _start_full_round(self, ctx: _Context, calendar_id: str | None) -> Response:
        q = ctx.request.query
        start, end = _parse_instant(q.get("startdatetime")), _parse_instant(q.get("enddatetime"))
        if start is None or end is None:
            return graph_error(
                400,
                "ErrorInvalidParameter",
                "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
            )
        calendar = self.mailbox.calendar(calendar_id or self.mailbox.default_calendar_id)
        if calendar is None:
            return _not_found()
        with self.mailbox.lock:
            seq = self.mailbox.seq
            cores = [e.core for e in self.mailbox.calendar_view(calendar.id, start, end)]
        round_ = _Round(calendar.id, start, end, ctx.request.path, cores, set(), seq)
        if self.empty_first_page:
            return self._page_response(ctx, _Position(round_, 0, empty=True))
        return self._page_response(ctx, _Position(round_, 0))

    def _token_state(self, ctx: _Context, token: str, table: dict[str, _T]) -> _T | Response:
        """What a state token stands for, or the error its use gets (failing, evicted, unknown)."""
        failure = self._token_failure(ctx, token)
        if failure:
            return failure
        with self._lock:
            state = table.get(token)
        return _sync_state_not_found() if state is None else state

    def _serve_skip_token(self, ctx: _Context, token: str) -> Response:
        position = self._token_state(ctx, token, self._skip_tokens)
        return position if isinstance(position, Response) else self._page_response(ctx, position)

    def _serve_delta_token(self, ctx: _Context, token: str) -> Response:
        state = self._token_state(ctx, token, self._delta_tokens)
        if isinstance(state, Response):
            return state
        with self.mailbox.lock:
            seq = self.mailbox.seq
            changed = self.mailbox.changed_since(state.calendar_id, state.seq)
        cores = [e.core for e in changed]
        removed = {e.core for e in changed if e.deleted or not e.overlaps(state.start, state.end)}
        with self._lock:
            if self.replay_rounds > 0:
                self.replay_rounds -= 1
                cores = cores + cores
        round_ = _Round(state.calendar_id, state.start, state.end, state.path, cores, removed, seq)
        return self._page_response(ctx, _Position(round_, 0))

    def _token_failure(self, ctx: _Context, token: str) -> Response | None:
        with self._lock:
            mode = self._failing_tokens.get(token)
            position = self._skip_tokens.get(token)
            state = self._delta_tokens.get(token)
        if mode is None:
            return None
        if mode == "gone":
            source = position.round if position else state
            assert source is not None
            restart = (
                f"{ctx.request.base_url}{source.path}?startDateTime={_iso_z(source.start)}"
                f"&endDateTime={_iso_z(source.end)}&$deltatoken="
            )
            return graph_error(
                410, "Gone", "The delta token is no longer valid; restart from the Location URL.", {"Location": restart}
            )
        if mode == "syncStateNotFound":
            return _sync_state_not_found()
        return graph_error(
            400,
            "resyncRequired",
            "Resync required. The delta token is no longer valid and the app must reset the sync state.",
        )

    def _page_response(self, ctx: _Context, position: _Position) -> Response:
        round_ = position.round
        size = _int(ctx.prefer.get("odata.maxpagesize")) or self.default_page_size
        applied = ["odata.track-changes"]
        if "odata.maxpagesize" in ctx.prefer:
            applied.append(f"odata.maxpagesize={size}")
        if ctx.out_zone_applied:
            applied.append(f'outlook.timezone="{ctx.out_zone_name}"')
        base = f"{ctx.request.base_url}{round_.path}"
        body: dict[str, object] = {"@odata.context": f"{ctx.root}/$metadata#Collection(event)"}
        if position.empty:
            body["value"] = []
            body["@odata.nextLink"] = f"{base}?$skiptoken={self._issue_skip(_Position(round_, 0))}"
            return ctx.json(200, body, {"Preference-Applied": ", ".join(applied)})
        page = round_.cores[position.offset : position.offset + size]
        body["value"] = [self._render_delta_item(ctx, round_, core) for core in page]
        next_offset = position.offset + size
        if next_offset < len(round_.cores):
            body["@odata.nextLink"] = f"{base}?$skiptoken={self._issue_skip(_Position(round_, next_offset))}"
        else:
            state = _DeltaState(round_.calendar_id, round_.start, round_.end, round_.path, round_.snapshot_seq)
            token = secrets.token_urlsafe(32)
            with self._lock:
                self._delta_tokens[token] = state
            body["@odata.deltaLink"] = f"{base}?$deltatoken={token}"
        return ctx.json(200, body, {"Preference-Applied": ", ".join(applied)})

    def _issue_skip(self, position: _Position) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._skip_tokens[token] = position
        return token

    def _render_delta_item(self, ctx: _Context, round_: _Round, core: str) -> dict:
        with self.mailbox.lock:
            event = self.mailbox.events[core]
            gone = core in round_.removed_only or event.deleted or not event.overlaps(round_.start, round_.end)
            if gone:
                return {
                    "@odata.type": "#microsoft.graph.event",
                    "id": render_id(core, ctx.immutable_ids),
                    "@removed": {"reason": "deleted"},
                }
            return self.render_event(event, ctx)

    # --- events ----------------------------------------------------------------------

    def render_event(self, event: MailboxEvent, ctx: _Context) -> dict:
        """An event in Graph's shape, times in the requested zone (UTC by default)."""
        text = _text_of(event.body_html)
        rendered_id = render_id(event.core, ctx.immutable_ids)
        organizer = event.organizer or self.mailbox.owner
        is_organizer = organizer.address.lower() == self.mailbox.owner.address.lower()
        master = render_id(event.series_master_core, ctx.immutable_ids) if event.series_master_core else None
        return {
            "@odata.type": "#microsoft.graph.event",
            "@odata.etag": event.etag,
            "id": rendered_id,
            "createdDateTime": _graph_utc(event.created),
            "lastModifiedDateTime": _graph_utc(event.modified),
            "changeKey": event.change_key,
            "categories": [],
            "transactionId": event.transaction_id,
            "originalStartTimeZone": event.tz,
            "originalEndTimeZone": event.tz,
            "iCalUId": event.ical_uid,
            "reminderMinutesBeforeStart": 15,
            "isReminderOn": True,
            "hasAttachments": False,
            "subject": event.subject,
            "bodyPreview": text[:255],
            "importance": "normal",
            "sensitivity": "normal",
            "isAllDay": event.all_day,
            "isCancelled": event.is_cancelled,
            "isOrganizer": is_organizer,
            "responseRequested": True,
            "seriesMasterId": master,
            "showAs": "free" if event.is_cancelled else "busy",
            "type": event.kind,
            "webLink": f"https://outlook.office365.com/owa/?itemid={rendered_id}&exvsurl=1&path=/calendar/item",
            "onlineMeetingUrl": None,
            "isOnlineMeeting": event.join_url is not None,
            "onlineMeetingProvider": "teamsForBusiness" if event.join_url else "unknown",
            "allowNewTimeProposals": True,
            "isDraft": False,
            "hideAttendees": False,
            **({"originalStart": _graph_utc(event.original_start, fraction=False)} if event.original_start else {}),
            "recurrence": None,
            "responseStatus": {
                "response": "organizer" if is_organizer else "notResponded",
                "time": "0001-01-01T00:00:00Z",
            },
            "body": {"contentType": "html", "content": event.body_html},
            "start": self._render_time(event, event.start, ctx),
            "end": self._render_time(event, event.end, ctx),
            "location": _render_location(event.location),
            "locations": [_render_location(event.location)] if event.location else [],
            "attendees": [
                {
                    "type": "required",
                    "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                    "emailAddress": {"name": a.name, "address": a.address},
                }
                for a in event.attendees
            ],
            "organizer": {"emailAddress": {"name": organizer.name, "address": organizer.address}},
            "onlineMeeting": {"joinUrl": event.join_url} if event.join_url else None,
            **event.served_as,
        }

    def _render_time(self, event: MailboxEvent, wall: datetime, ctx: _Context) -> dict[str, str]:
        if event.all_day and not self.all_day_as_instant:
            local = wall  # floating: the same dates whatever zone is asked for
        else:
            source = zone_for(event.tz) or ZoneInfo("UTC")
            local = wall.replace(tzinfo=source).astimezone(ctx.out_zone).replace(tzinfo=None)
        return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": ctx.out_zone_name}

    def _locate(self, ctx: _Context, event_id: str, calendar_id: str | None) -> MailboxEvent | Response:
        if calendar_id is not None and self.mailbox.calendar(calendar_id) is None:
            return _not_found()
        event = self.mailbox.find(event_id)
        if event is None or (calendar_id is not None and self.mailbox.calendar(calendar_id).id != event.calendar_id):  # type: ignore[union-attr]
            return _not_found()
        return event

    def _get_event(self, ctx: _Context, event_id: str, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & READ_SCOPES:
            return _access_denied()
        found = self._locate(ctx, event_id, calendar_id)
        if isinstance(found, Response):
            return found
        body = self.render_event(found, ctx)
        expand = ctx.request.query.get("$expand")
        if expand:
            m = _EXPAND_PROPERTY.match(expand)
            if m is None:
                return graph_error(
                    400, "ErrorInvalidRequest", "Expanding extended properties requires a $filter on their id."
                )
            stored = found.extended.get(m["id"].lower())
            body["singleValueExtendedProperties"] = [{"id": stored[0], "value": stored[1]}] if stored else []
        select = ctx.request.query.get("$select")
        if select:
            keep = {s.strip() for s in select.split(",")} | {
                "id",
                "@odata.etag",
                "@odata.type",
                "singleValueExtendedProperties",
            }
            body = {k: v for k, v in body.items() if k in keep}
        return ctx.json(
            200, {"@odata.context": f"{ctx.root}/$metadata#users('{self.identity.user.oid}')/events/$entity", **body}
        )

    def _create_event(self, ctx: _Context, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & WRITE_SCOPES:
            return _access_denied()
        calendar = self.mailbox.calendar(calendar_id or self.mailbox.default_calendar_id)
        if calendar is None:
            return _not_found()
        if not calendar.can_edit:
            return _access_denied()
        parsed = _parse_event_body(ctx.request, creating=True)
        if isinstance(parsed, Response):
            return parsed
        with self.mailbox.lock:
            transaction_id = parsed.get("transaction_id")
            existing = self.mailbox.transactions.get(transaction_id) if transaction_id else None
            if existing and not self.mailbox.events[existing].deleted:
                event = self.mailbox.events[existing]
            else:
                new_id = self.mailbox.add_event(calendar.id, organizer=self.mailbox.owner, **parsed)
                event = self.mailbox.events[core_of(new_id) or ""]
        body = self.render_event(event, ctx)
        location = f"{ctx.root}/Users('{self.identity.user.oid}')/Events('{body['id']}')"
        return ctx.json(
            201,
            {
                "@odata.context": f"{ctx.root}/$metadata#users('{self.identity.user.oid}')/calendars('{calendar.id}')/events/$entity",
                **body,
            },
            {"Location": location},
        )

    def _conditional_target(self, ctx: _Context, event_id: str, calendar_id: str | None) -> MailboxEvent | Response:
        """The event a PATCH or DELETE applies to, once its ``If-Match`` holds (hold the mailbox lock)."""
        found = self._locate(ctx, event_id, calendar_id)
        if isinstance(found, Response):
            return found
        return _precondition(ctx.request, found) or found

    def _update_event(self, ctx: _Context, event_id: str, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & WRITE_SCOPES:
            return _access_denied()
        parsed = _parse_event_body(ctx.request, creating=False)
        if isinstance(parsed, Response):
            return parsed
        with self.mailbox.lock:
            found = self._conditional_target(ctx, event_id, calendar_id)
            if isinstance(found, Response):
                return found
            end_zone = parsed.pop("_end_zone", None)
            if end_zone is not None:  # only the end moved: read it in its own zone, keep the event's
                source, target = zone_for(str(end_zone)), zone_for(found.tz)
                parsed["end"] = parsed["end"].replace(tzinfo=source).astimezone(target).replace(tzinfo=None)  # type: ignore[union-attr]
            if "start" in parsed or "end" in parsed:
                start, end = parsed.get("start", found.start), parsed.get("end", found.end)
                if end < start:  # type: ignore[operator]
                    return _invalid("The end date you entered occurs before the start date.")
            self.mailbox.update_event(render_id(found.core, True), **parsed)
            event = self.mailbox.events[found.core]
        return ctx.json(
            200,
            {
                "@odata.context": f"{ctx.root}/$metadata#users('{self.identity.user.oid}')/events/$entity",
                **self.render_event(event, ctx),
            },
        )

    def _delete_event(self, ctx: _Context, event_id: str, calendar_id: str | None = None) -> Response:
        if not ctx.grant.scopes & WRITE_SCOPES:
            return _access_denied()
        with self.mailbox.lock:
            found = self._conditional_target(ctx, event_id, calendar_id)
            if isinstance(found, Response):
                return found
            self.mailbox.delete_event(render_id(found.core, True))
        return Response(204)


class _Context:
    """Per-request view: API version, grant, preferences."""

    def __init__(self, request: Request, version: str, grant: AccessGrant) -> None:
        self.request = request
        self.version = version
        self.grant = grant
        self.prefer = request.prefer()
        self.root = f"{request.base_url}/{version}"
        self.immutable_ids = self.prefer.get("idtype", "").lower() == "immutableid"
        asked = self.prefer.get("outlook.timezone")
        zone = zone_for(asked) if asked else None
        self.out_zone_applied = zone is not None
        self.out_zone = zone or ZoneInfo("UTC")
        self.out_zone_name = asked if zone is not None else "UTC"

    def json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
        extra = {"OData-Version": "4.0", **(headers or {})}
        client_request_id = self.request.header("client-request-id")
        if client_request_id:
            extra["client-request-id"] = client_request_id
        return Response.json(status, payload, extra)


def _precondition(request: Request, event: MailboxEvent) -> Response | None:
    wanted = request.header("If-Match")
    if wanted is None or wanted.strip() == "*" or wanted.strip() == event.etag:
        return None
    return graph_error(
        412,
        "ErrorIrresolvableConflict",
        "The send or update operation could not be performed because the change key passed in the request "
        "does not match the current change key for the item.",
    )


def _parse_event_body(request: Request, *, creating: bool) -> dict | Response:
    """The mailbox fields a POST or PATCH body sets, or the 400 Graph answers."""
    try:
        payload = request.json()
    except ValueError:
        return graph_error(
            400,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    if not isinstance(payload, dict):
        return graph_error(400, "BadRequest", "Empty Payload. JSON content expected.")
    for name in payload:
        if name not in _WRITABLE:
            return graph_error(
                400,
                "RequestBodyRead",
                f"The property '{name}' does not exist on type 'Microsoft.OutlookServices.Event'. "
                "Make sure to only use property names that are defined by the type or mark the type as open type.",
            )
    fields: dict[str, object] = {"subject": ""} if creating else {}
    if "transactionId" in payload:
        if not creating:
            return _invalid("The transactionId of an event cannot be changed.")
        fields["transaction_id"] = str(payload["transactionId"])
    if "subject" in payload:
        fields["subject"] = str(payload["subject"] or "")
    if "body" in payload:
        body = payload["body"] or {}
        content = str(body.get("content") or "")
        if str(body.get("contentType", "text")).lower() == "text":
            content = "<html><body>" + html.escape(content).replace("\n", "<br>") + "</body></html>"
        fields["body_html"] = content
    if "location" in payload:
        fields["location"] = str((payload["location"] or {}).get("displayName") or "")
    if "attendees" in payload:
        fields["attendees"] = tuple(
            Person(str(a["emailAddress"].get("name") or ""), str(a["emailAddress"]["address"]))
            for a in payload["attendees"] or []
        )
    if "singleValueExtendedProperties" in payload:
        properties = {}
        for prop in payload["singleValueExtendedProperties"] or []:
            if not _PROPERTY_ID.match(str(prop.get("id", ""))):
                return graph_error(
                    400, "ErrorInvalidProperty", f"The extended property id '{prop.get('id')}' is not valid."
                )
            properties[str(prop["id"])] = str(prop.get("value", ""))
        fields["extended"] = properties
    all_day = bool(payload.get("isAllDay", False))
    if "isAllDay" in payload:
        fields["all_day"] = all_day
    for name in ("start", "end"):
        if name not in payload:
            if creating:
                return _invalid(f"The {name} of the event is required.")
            continue
        value = payload[name] or {}
        zone_name = str(value.get("timeZone") or "")
        if not zone_accepted_on_write(zone_name):
            return graph_error(
                400,
                "TimeZoneNotSupportedException",
                f"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone_name}'.",
            )
        try:
            wall = datetime.fromisoformat(str(value.get("dateTime")))
        except ValueError:
            return _invalid(
                f"Cannot convert the literal '{value.get('dateTime')}' to the expected type 'Edm.DateTime'."
            )
        if wall.tzinfo is not None:
            wall = wall.astimezone(UTC).replace(tzinfo=None)
        if all_day and wall.time() != time():
            return _invalid(
                "Your request can't be completed. If the event is an all-day event, start and end must be at midnight."
            )
        fields[name] = wall
        fields["tz" if name == "start" else "_end_zone"] = zone_name
    if "start" in fields and "end" in fields:
        start_zone = zone_for(str(payload["start"]["timeZone"])) or ZoneInfo("UTC")
        end_zone = zone_for(str(payload["end"]["timeZone"])) or ZoneInfo("UTC")
        end = fields["end"].replace(tzinfo=end_zone).astimezone(start_zone).replace(tzinfo=None)  # type: ignore[union-attr]
        fields["end"] = end
        del fields["_end_zone"]
        if end < fields["start"]:  # type: ignore[operator]
            return _invalid("The end date you entered occurs before the start date.")
    return fields


def _invalid(message: str) -> Response:
    return graph_error(400, "ErrorInvalidRequest", message)


def _not_found() -> Response:
    return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def _access_denied() -> Response:
    return graph_error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def _sync_state_not_found() -> Response:
    return graph_error(
        410, "SyncStateNotFound", "The sync state generation is not found; generation=149;[highest=157][157][155][156]."
    )


def _render_location(name: str) -> dict:
    return {"displayName": name, "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}}


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number and number > 0 else None


def _parse_instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _iso_z(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _graph_utc(value: datetime | date, *, fraction: bool = True) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{value.microsecond:06d}0Z" if fraction else "Z")
    return value.isoformat() + "T00:00:00Z"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_of(body_html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(body_html)
    return " ".join(" ".join(extractor.parts).split())


__all__ = ["GraphApi", "READ_SCOPES", "WRITE_SCOPES"]
