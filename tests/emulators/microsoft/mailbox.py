"""The mailbox behind the Graph emulator: calendars, events, series and a change sequence.

Every change to an event stamps it with the next value of one mailbox-wide sequence number;
deleted events stay as tombstones. That is all the delta engine needs: a round since sequence
``S`` reports every event of the calendar stamped after ``S``.

Times are kept the way Exchange keeps them: a wall-clock time plus the zone name the event was
written with (Windows or IANA). All-day events are floating midnights.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Exchange answers with two id formats: "REST" ids change when an item moves between folders,
# immutable ids (Prefer: IdType="ImmutableId") do not. Both name the same item here.
IMMUTABLE_PREFIX = "AAkALgAAAAAA"
REST_PREFIX = "AAMkAGI2TGuL"

_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "tzone://Microsoft/Utc", "Coordinated Universal Time"}
_SUPPORTED_IANA = frozenset(WINDOWS_TO_OLSON.values())


def zone_for(name: str | None) -> ZoneInfo | None:
    """The zone a Windows or IANA name stands for, or None when it is unknown."""
    if not name:
        return None
    if name in _UTC_NAMES:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(WINDOWS_TO_OLSON.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_accepted_on_write(name: str) -> bool:
    """Graph takes Windows zone names and a listed subset of IANA names (approximated by CLDR's)."""
    return name in _UTC_NAMES or name in WINDOWS_TO_OLSON or name in _SUPPORTED_IANA


def _new_core() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(33)).decode().rstrip("=")


def render_id(core: str, immutable: bool) -> str:
    return (IMMUTABLE_PREFIX if immutable else REST_PREFIX) + core


def core_of(item_id: str) -> str | None:
    for prefix in (IMMUTABLE_PREFIX, REST_PREFIX):
        if item_id.startswith(prefix):
            return item_id[len(prefix) :]
    return None


def _change_key() -> str:
    return base64.b64encode(secrets.token_bytes(12)).decode()


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    address: str


@dataclass(frozen=True, slots=True)
class Calendar:
    id: str
    name: str
    hex_color: str = ""
    can_edit: bool = True
    is_default: bool = False
    change_key: str = field(default_factory=_change_key)


@dataclass(slots=True)
class MailboxEvent:
    core: str
    calendar_id: str
    kind: str  # singleInstance | occurrence | exception | seriesMaster
    subject: str
    start: datetime
    """Naive wall-clock time in ``tz`` (midnight for all-day events)."""
    end: datetime
    tz: str
    all_day: bool = False
    body_html: str = ""
    location: str = ""
    attendees: tuple[Person, ...] = ()
    organizer: Person | None = None
    join_url: str | None = None
    is_cancelled: bool = False
    series_master_core: str | None = None
    original_start: datetime | None = None
    """Aware UTC original start of an occurrence or exception."""
    weekly_count: int = 0
    """For a series master: how many weekly occurrences it has."""
    ical_uid: str = ""
    transaction_id: str | None = None
    extended: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Single-value extended properties: lower-cased id -> (id as written, value)."""
    served_as: dict[str, object] = field(default_factory=dict)
    """JSON members served in place of the rendered ones (see ``Mailbox.corrupt_event``)."""
    change_key: str = field(default_factory=_change_key)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    seq: int = 0
    deleted: bool = False

    @property
    def etag(self) -> str:
        return f'W/"{self.change_key}"'

    def instants(self) -> tuple[datetime, datetime]:
        """Aware UTC start and end (all-day events are read as UTC midnights)."""
        zone = ZoneInfo("UTC") if self.all_day else (zone_for(self.tz) or ZoneInfo("UTC"))
        return (
            self.start.replace(tzinfo=zone).astimezone(UTC),
            self.end.replace(tzinfo=zone).astimezone(UTC),
        )

    def overlaps(self, start: datetime, end: datetime) -> bool:
        own_start, own_end = self.instants()
        if own_end == own_start:
            return start <= own_start < end
        return own_start < end and own_end > start


def _ical_uid() -> str:
    return "040000008200E00074C5B7101A82E00800000000" + secrets.token_hex(24).upper()


def _wall(value: datetime | date, tz: str) -> datetime:
    """A wall-clock time in ``tz`` from an aware datetime, a naive one (taken as already local) or a date."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        zone = zone_for(tz) or ZoneInfo("UTC")
        return value.astimezone(zone).replace(tzinfo=None)
    return datetime.combine(value, time())


class Mailbox:
    """One user's calendars. Thread-safe: every public method holds the mailbox lock."""

    def __init__(self, owner: Person) -> None:
        self.owner = owner
        self.lock = threading.RLock()
        self._seq = 0
        self.calendars: dict[str, Calendar] = {}
        self.events: dict[str, MailboxEvent] = {}
        self.transactions: dict[str, str] = {}
        """transactionId -> event core, so a retried create returns the first event."""
        default = Calendar(id=render_id(_new_core(), True), name="Calendar", hex_color="#0078d4", is_default=True)
        self.calendars[default.id] = default

    # --- calendars -------------------------------------------------------------------

    @property
    def default_calendar_id(self) -> str:
        return next(c.id for c in self.calendars.values() if c.is_default)

    def create_calendar(self, name: str, *, hex_color: str = "", can_edit: bool = True) -> str:
        with self.lock:
            calendar = Calendar(id=render_id(_new_core(), True), name=name, hex_color=hex_color, can_edit=can_edit)
            self.calendars[calendar.id] = calendar
            return calendar.id

    def calendar(self, calendar_id: str) -> Calendar | None:
        core = core_of(calendar_id)
        if core is None:
            return None
        return self.calendars.get(render_id(core, True))

    # --- change stamping -------------------------------------------------------------

    def _stamp(self, event: MailboxEvent) -> None:
        self._seq += 1
        event.seq = self._seq
        event.change_key = _change_key()
        event.modified = datetime.now(UTC)

    @property
    def seq(self) -> int:
        with self.lock:
            return self._seq

    # --- events ----------------------------------------------------------------------

    def add_event(
        self,
        calendar_id: str,
        subject: str,
        start: datetime | date,
        end: datetime | date,
        *,
        tz: str = "UTC",
        all_day: bool | None = None,
        body_html: str = "",
        location: str = "",
        attendees: Iterable[Person] = (),
        organizer: Person | None = None,
        join_url: str | None = None,
        is_cancelled: bool = False,
        transaction_id: str | None = None,
        extended: dict[str, str] | None = None,
    ) -> str:
        """Add a single event; returns its immutable id. Datetimes may be aware (converted to ``tz``)."""
        all_day = (not isinstance(start, datetime)) if all_day is None else all_day
        calendar = self.calendar(calendar_id)
        if calendar is None:
            raise KeyError(calendar_id)
        event = MailboxEvent(
            core=_new_core(),
            calendar_id=calendar.id,
            kind="singleInstance",
            subject=subject,
            start=_wall(start, tz),
            end=_wall(end, tz),
            tz=tz,
            all_day=all_day,
            body_html=body_html,
            location=location,
            attendees=tuple(attendees),
            organizer=organizer or self.owner,
            join_url=join_url,
            is_cancelled=is_cancelled,
            ical_uid=_ical_uid(),
            transaction_id=transaction_id,
            extended={k.lower(): (k, v) for k, v in (extended or {}).items()},
        )
        with self.lock:
            self._stamp(event)
            self.events[event.core] = event
            if transaction_id:
                self.transactions[transaction_id] = event.core
        return render_id(event.core, True)

    def add_events(self, calendar_id: str, specs: Iterable[dict]) -> list[str]:
        """Add many single events at once (each spec holds ``add_event``'s arguments)."""
        with self.lock:
            return [self.add_event(calendar_id, **spec) for spec in specs]

    def add_weekly_series(
        self,
        calendar_id: str,
        subject: str,
        first_start: datetime,
        duration: timedelta,
        count: int,
        *,
        tz: str = "UTC",
        location: str = "",
        organizer: Person | None = None,
        attendees: Iterable[Person] = (),
        join_url: str | None = None,
    ) -> str:
        """A weekly series of ``count`` occurrences; returns the series master's immutable id."""
        with self.lock:
            master_id = self.add_event(
                calendar_id,
                subject,
                first_start,
                first_start + duration,
                tz=tz,
                location=location,
                organizer=organizer,
                attendees=attendees,
                join_url=join_url,
            )
            master = self.events[core_of(master_id) or ""]
            master.kind = "seriesMaster"
            master.weekly_count = count
            for index in range(count):
                start = master.start + timedelta(weeks=index)
                occurrence = replace(
                    master,
                    core=_new_core(),
                    kind="occurrence",
                    start=start,
                    end=start + (master.end - master.start),
                    series_master_core=master.core,
                    weekly_count=0,
                    ical_uid=hashlib.sha256(f"{master.ical_uid}{index}".encode()).hexdigest().upper(),
                    extended={},
                    transaction_id=None,
                )
                occurrence.original_start = occurrence.instants()[0]
                self._stamp(occurrence)
                self.events[occurrence.core] = occurrence
            return master_id

    def find(self, event_id: str, *, include_deleted: bool = False) -> MailboxEvent | None:
        core = core_of(event_id)
        with self.lock:
            event = self.events.get(core or "")
            if event is None or (event.deleted and not include_deleted):
                return None
            return event

    def _require(self, event_id: str) -> MailboxEvent:
        event = self.find(event_id)
        if event is None:
            raise KeyError(event_id)
        return event

    def occurrences(self, master_id: str) -> list[MailboxEvent]:
        master = self._require(master_id)
        with self.lock:
            return sorted(
                (e for e in self.events.values() if e.series_master_core == master.core and not e.deleted),
                key=lambda e: e.original_start or datetime.min.replace(tzinfo=UTC),
            )

    def occurrence_at(self, master_id: str, original_start: datetime) -> MailboxEvent:
        for occurrence in self.occurrences(master_id):
            if occurrence.original_start == original_start.astimezone(UTC):
                return occurrence
        raise KeyError(f"no occurrence of {master_id} at {original_start}")

    def update_event(self, event_id: str, **changes: object) -> None:
        """Change fields of an event (``subject``, ``start``, ``end``, ``location`` …) and stamp it.

        On a series master, fields other than times are copied to its unmodified occurrences.
        """
        with self.lock:
            event = self._require(event_id)
            for name, value in changes.items():
                if name in ("start", "end") and isinstance(value, (datetime, date)):
                    value = _wall(value, str(changes.get("tz", event.tz)))
                if name == "extended":
                    event.extended = {k.lower(): (k, v) for k, v in dict(value).items()}  # type: ignore[call-overload]
                    continue
                setattr(event, name, value)
            if event.kind == "occurrence" and ({"start", "end"} & changes.keys()):
                event.kind = "exception"
            self._stamp(event)
            if event.kind == "seriesMaster":
                copied = {k: v for k, v in changes.items() if k not in ("start", "end", "tz", "extended")}
                for occurrence in self.occurrences(event_id):
                    if occurrence.kind == "occurrence":
                        for name, value in copied.items():
                            setattr(occurrence, name, value)
                        self._stamp(occurrence)

    def corrupt_event(self, event_id: str, **members: object) -> None:
        """From now on serve the event with these JSON members in place of the rendered ones
        (e.g. ``start={"dateTime": "soon", "timeZone": "UTC"}``), stamped as a change.

        A test-seeding helper: Graph validates what is written to it, so an item a client cannot
        read is planted here, as a server glitch would serve it. The stored event keeps its real
        times, so calendar views and delta rounds still find it.
        """
        with self.lock:
            event = self._require(event_id)
            event.served_as = dict(members)
            self._stamp(event)

    def touch_event(self, event_id: str) -> None:
        """A new change key with no visible change (Exchange does this on its own, e.g. after a create)."""
        with self.lock:
            self._stamp(self._require(event_id))

    def delete_event(self, event_id: str) -> None:
        """Delete an event; deleting a series master deletes its occurrences."""
        with self.lock:
            event = self._require(event_id)
            if event.kind == "seriesMaster":
                for occurrence in self.occurrences(event_id):
                    occurrence.deleted = True
                    self._stamp(occurrence)
            event.deleted = True
            self._stamp(event)

    def move_occurrence(self, master_id: str, original_start: datetime, start: datetime, end: datetime) -> str:
        """Reschedule one occurrence: it becomes an exception. Returns its id."""
        with self.lock:
            occurrence = self.occurrence_at(master_id, original_start)
            self.update_event(render_id(occurrence.core, True), start=start, end=end)
            return render_id(occurrence.core, True)

    def cancel_occurrence(self, master_id: str, original_start: datetime, *, mode: str = "delete") -> str:
        """Cancel one occurrence: as the organizer (``delete``: it disappears) or as an attendee
        sees it (``flag``: an exception with ``isCancelled`` and a "Canceled:" subject)."""
        with self.lock:
            occurrence = self.occurrence_at(master_id, original_start)
            occurrence_id = render_id(occurrence.core, True)
            if mode == "delete":
                self.delete_event(occurrence_id)
            elif mode == "flag":
                occurrence.kind = "exception"
                self.update_event(occurrence_id, is_cancelled=True, subject=f"Canceled: {occurrence.subject}")
            else:
                raise ValueError(mode)
            return occurrence_id

    # --- views -----------------------------------------------------------------------

    def in_calendar(self, calendar_id: str, *, include_deleted: bool = False) -> Iterator[MailboxEvent]:
        calendar = self.calendar(calendar_id)
        if calendar is None:
            return
        for event in self.events.values():
            if event.calendar_id == calendar.id and (include_deleted or not event.deleted):
                yield event

    def calendar_view(self, calendar_id: str, start: datetime, end: datetime) -> list[MailboxEvent]:
        """What ``calendarView`` lists: single events, occurrences and exceptions overlapping the range."""
        with self.lock:
            return [e for e in self.in_calendar(calendar_id) if e.kind != "seriesMaster" and e.overlaps(start, end)]

    def changed_since(self, calendar_id: str, seq: int) -> list[MailboxEvent]:
        """Events of the calendar (tombstones included, masters excluded) stamped after ``seq``."""
        with self.lock:
            return sorted(
                (
                    e
                    for e in self.in_calendar(calendar_id, include_deleted=True)
                    if e.seq > seq and e.kind != "seriesMaster"
                ),
                key=lambda e: e.seq,
            )
