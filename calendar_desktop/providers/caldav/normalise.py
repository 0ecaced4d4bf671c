"""One CalDAV resource (an iCalendar object) to the events it stands for.

- A single event: its UTC start and end plus the original TZID for timed events, dates (end
  exclusive) for all-day ones. ``remote_id`` is the resource's href.
- A recurring event (RRULE or RDATE on the master): its instances inside the sync window, with
  EXDATEs and RECURRENCE-ID overrides applied by recurring-ical-events. Each instance has
  ``remote_id`` = ``href#recurrence-id``, ``series_id`` = href, and ``recurrence_id`` = its
  original start (UTC ISO 8601, a date for all-day series, a naive time for floating ones).
  The series itself lives on the server; the cursor remembers which resources are series so
  the window can be re-expanded as days pass.
- An override without its master (an invitation to one occurrence): one instance.
- STATUS:CANCELLED becomes a cancelled event (instances too); a resource with no VEVENT
  (a task, a journal) stands for no event.

Anything we cannot read raises ``MalformedItem``: the provider skips and counts it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from calendar_desktop.domain import Event, EventStatus, RemoteItem, SyncWindow
from calendar_desktop.providers.caldav.ical import Component, MalformedItem, Property, parse
from calendar_desktop.providers.caldav.links import meeting_link
from calendar_desktop.providers.caldav.times import (
    Moment,
    Zones,
    add_duration,
    instant,
    parse_duration,
    parse_moment,
    to_text,
)

MARKER_PROPERTY = "X-CALENDAR-DESKTOP-MARKER"
"""Put on events the app writes, so two-way sync can tell them apart."""
CONFERENCE_PROPERTIES = (
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
)
TIMING_PROPERTIES = frozenset(
    {"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID", "SEQUENCE"}
)
"""All recurring-ical-events needs to expand a series: the rest stays out of its (slow) parse."""
_STATUS = {"CANCELLED": EventStatus.CANCELLED, "TENTATIVE": EventStatus.TENTATIVE}


@dataclass(frozen=True, slots=True)
class Normalised:
    item: RemoteItem
    recurring: bool
    """True for a series (its instances depend on the window)."""


@dataclass(frozen=True, slots=True)
class _Fields:
    """What an event shows, apart from its times."""

    uid: str
    title: str
    status: EventStatus
    organizer: str | None
    attendees: tuple[str, ...]
    location: str
    description: str
    meeting_link: str | None
    updated: datetime | None
    marker: str | None


def normalise(href: str, etag: str | None, data: str, window: SyncWindow) -> Normalised:
    try:
        return _normalise(href, etag, data, window)
    except OverflowError:  # a time near year 1 or 9999 moved past the end of the calendar
        raise MalformedItem("a date is out of range") from None


def _normalise(href: str, etag: str | None, data: str, window: SyncWindow) -> Normalised:
    roots = parse(data)
    calendars = [root for root in roots if root.name == "VCALENDAR"]
    if not calendars:
        raise MalformedItem("it is not an iCalendar object")
    children = [child for calendar in calendars for child in calendar.children]
    vevents = [c for c in children if c.name == "VEVENT"]
    zones = Zones([c for c in children if c.name == "VTIMEZONE"])
    masters = [v for v in vevents if not v.has("RECURRENCE-ID")]
    if len(masters) > 1:
        raise MalformedItem("it holds several events (one resource must hold one event and its overrides)")
    master = masters[0] if masters else None
    if master is not None and (master.has("RRULE") or master.has("RDATE")):
        overrides = [v for v in vevents if v is not master]
        events = _expand(href, etag, master, overrides, zones, window)
        return Normalised(RemoteItem(href, etag, tuple(events)), recurring=True)
    events = [_single(href, etag, vevent, zones) for vevent in vevents]
    return Normalised(RemoteItem(href, etag, tuple(events)), recurring=False)


# --- fields -------------------------------------------------------------------------------------


def _fields(vevent: Component) -> _Fields:
    first: dict[str, Property] = {}
    attendees: list[str] = []
    conference: list[str] = []
    for prop in vevent.properties:
        name = prop.name
        if name == "ATTENDEE":
            address = _address(prop.value)
            if address:
                attendees.append(address)
        elif name in CONFERENCE_PROPERTIES:
            conference.append(prop.value)
        elif name not in first:
            first[name] = prop
    uid = first.get("UID")
    if uid is None or not uid.value.strip():
        raise MalformedItem("it has no UID")
    location = first["LOCATION"].text() if "LOCATION" in first else ""
    description = first["DESCRIPTION"].text() if "DESCRIPTION" in first else ""
    url = first["URL"].value if "URL" in first else ""
    status = first.get("STATUS")
    marker = first.get(MARKER_PROPERTY)
    return _Fields(
        uid=uid.value.strip(),
        title=first["SUMMARY"].text() if "SUMMARY" in first else "",
        status=_STATUS.get(status.value.strip().upper(), EventStatus.CONFIRMED) if status else EventStatus.CONFIRMED,
        organizer=_organizer(first.get("ORGANIZER")),
        attendees=tuple(dict.fromkeys(attendees)),
        location=location,
        description=description,
        meeting_link=meeting_link(conference, url, location, description),
        updated=_stamp(first.get("LAST-MODIFIED") or first.get("DTSTAMP")),
        marker=marker.text() if marker else None,
    )


def _address(value: str) -> str | None:
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    return value if "@" in value else None


def _organizer(prop: Property | None) -> str | None:
    if prop is None:
        return None
    address = _address(prop.value)
    name = prop.params.get("CN", "").strip()
    if address and name:
        return f"{name} <{address}>"
    return address or name or None


def _stamp(prop: Property | None) -> datetime | None:
    if prop is None:
        return None
    try:
        moment, _zone = parse_moment(prop, Zones([]))
    except MalformedItem:
        return None  # a broken timestamp is not worth losing the event over
    return instant(moment) if isinstance(moment, datetime) else None


# --- times --------------------------------------------------------------------------------------


def _start_end(vevent: Component, zones: Zones) -> tuple[Moment, Moment, str | None]:
    """DTSTART and the end (DTEND, DTSTART + DURATION, or RFC 5545's default), checked."""
    dtstart = vevent.first("DTSTART")
    if dtstart is None:
        raise MalformedItem("it has no DTSTART")
    start, zone = parse_moment(dtstart, zones)
    all_day = not isinstance(start, datetime)
    dtend, duration = vevent.first("DTEND"), vevent.first("DURATION")
    if dtend is not None:
        end, _ = parse_moment(dtend, zones)
        if isinstance(end, datetime) == all_day:
            raise MalformedItem("its DTSTART and DTEND mix a date and a date-time")
    elif duration is not None:
        delta = parse_duration(duration.value)
        if delta < timedelta(0):
            raise MalformedItem("its DURATION is negative")
        end = add_duration(start, delta)
    else:
        end = start + timedelta(days=1) if all_day else start
    return start, end, zone


def _span(start: Moment, end: Moment) -> tuple[Moment, Moment]:
    """UTC instants for a timed event, dates for an all-day one; an end before the start is refused."""
    if isinstance(start, datetime):
        assert isinstance(end, datetime)
        start_utc, end_utc = instant(start), instant(end)
        if end_utc < start_utc:
            raise MalformedItem("it ends before it starts")
        return start_utc, end_utc
    assert not isinstance(end, datetime)
    if end < start:
        raise MalformedItem("it ends before it starts")
    return start, end if end > start else start + timedelta(days=1)


def recurrence_key(moment: Moment) -> str:
    """How an instance's original start is written in ids: UTC for zoned times, as is otherwise."""
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).isoformat() if moment.tzinfo else moment.isoformat()
    return moment.isoformat()


def _event(
    href: str, etag: str | None, fields: _Fields, start: Moment, end: Moment, zone: str | None, recurrence: Moment | None
) -> Event:
    start, end = _span(start, end)
    recurrence_id = None if recurrence is None else recurrence_key(recurrence)
    return Event(
        remote_id=href if recurrence_id is None else f"{href}#{recurrence_id}",
        resource_id=href,
        uid=fields.uid,
        title=fields.title,
        start=start,
        end=end,
        all_day=not isinstance(start, datetime),
        timezone=zone if isinstance(start, datetime) else None,
        status=fields.status,
        organizer=fields.organizer,
        attendees=fields.attendees,
        location=fields.location,
        meeting_link=fields.meeting_link,
        description=fields.description,
        etag=etag,
        updated=fields.updated,
        series_id=None if recurrence_id is None else href,
        recurrence_id=recurrence_id,
        marker=fields.marker,
    )


def _single(href: str, etag: str | None, vevent: Component, zones: Zones) -> Event:
    start, end, zone = _start_end(vevent, zones)
    recurrence = vevent.first("RECURRENCE-ID")
    original = parse_moment(recurrence, zones)[0] if recurrence is not None else None
    return _event(href, etag, _fields(vevent), start, end, zone, original)


# --- series -------------------------------------------------------------------------------------


def _expand(
    href: str,
    etag: str | None,
    master: Component,
    overrides: list[Component],
    zones: Zones,
    window: SyncWindow,
) -> list[Event]:
    import recurring_ical_events

    _start_end(master, zones)  # the same checks as a single event, before the library sees it
    for rule in master.all("RRULE"):
        _check_density(rule.value)
    try:
        calendar = _series_calendar([master, *overrides], zones)
        query = recurring_ical_events.of(calendar, components=[_vevents()])
        occurrences = query.between(window.start, window.end)
    except Exception as exc:  # icalendar and recurring-ical-events raise many kinds on bad rules
        raise MalformedItem(f"its recurrence cannot be expanded ({type(exc).__name__})") from exc

    master_fields = _fields(master)
    by_original: dict[datetime, tuple[Moment, _Fields]] = {}
    for override in overrides:
        prop = override.first("RECURRENCE-ID")
        assert prop is not None
        original = parse_moment(prop, zones)[0]
        by_original[_library_key(original)] = (original, _fields(override))

    master_zone = parse_moment(master.first("DTSTART"), zones)[1]  # type: ignore[arg-type]
    events = []
    for occurrence in occurrences:
        start, end = occurrence.start, occurrence.end
        overridden = occurrence.id.recurrence_id
        original, fields = by_original.get(overridden, (start, master_fields)) if overridden else (start, master_fields)
        events.append(_event(href, etag, fields, start, end, _zone_of(start, master_zone), original))
    return events


MAX_PER_DAY = 24
"""Occurrences a day a series may have (hourly). Denser rules are legal iCalendar but no calendar
app makes them, and expanding one (``FREQ=SECONDLY``: 34 million occurrences over the sync window,
all built in memory by dateutil) would stall the sync for minutes."""
MAX_COUNT = 10_000
"""A rule with a ``COUNT`` up to this ends soon enough, however dense."""
_SLOTS_PER_DAY = {"SECONDLY": 86_400, "MINUTELY": 1_440, "HOURLY": 24}
_FINER_PARTS = {"BYHOUR": "HOURLY", "BYMINUTE": "MINUTELY", "BYSECOND": "SECONDLY"}
_ORDER = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]


def _check_density(rule: str) -> None:
    """Refuse a rule that could repeat more than ``MAX_PER_DAY`` times a day (and has no small COUNT)."""
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";") if "=" in part)
    count = parts.get("COUNT", "")
    if count.isdigit() and int(count) <= MAX_COUNT:
        return
    freq = parts.get("FREQ", "")
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() and int(parts["INTERVAL"]) > 0 else 1
    per_day = _SLOTS_PER_DAY.get(freq, 1) / interval
    rank = _ORDER.index(freq) if freq in _ORDER else len(_ORDER)
    for part, level in _FINER_PARTS.items():
        if part in parts and rank > _ORDER.index(level):  # BYMINUTE on a daily rule multiplies it
            per_day *= len(parts[part].split(","))
    if per_day > MAX_PER_DAY:
        raise MalformedItem(f"it repeats up to {per_day:g} times a day ({freq or 'no FREQ'}), more than a calendar can show")


def _series_calendar(vevents: list[Component], zones: Zones):  # type: ignore[no-untyped-def]
    """The series as an icalendar Calendar for recurring-ical-events: only its timing properties,
    built from the values read already (five times faster than icalendar parsing the text).
    What is not built here (RDATE, EXRULE, RANGE) goes through icalendar's parser."""
    import icalendar
    from icalendar.prop import vDDDTypes, vRecur

    if any(p.name in ("RDATE", "EXRULE") or "RANGE" in p.params for v in vevents for p in v.properties):
        return icalendar.Calendar.from_ical(_timing_text(vevents, zones))
    calendar = icalendar.Calendar()
    for vevent in vevents:
        component = icalendar.Event()
        for prop in vevent.properties:
            name = prop.name
            if name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
                component[name] = vDDDTypes(parse_moment(prop, zones)[0])
            elif name == "DURATION":
                component[name] = vDDDTypes(parse_duration(prop.value))
            elif name == "RRULE":
                component.add(name, vRecur.from_ical(prop.value))
            elif name == "EXDATE":
                component.add(name, [parse_moment(Property(name, value, prop.params), zones)[0] for value in prop.value.split(",")])
            elif name == "UID":
                component[name] = icalendar.vText(prop.value)
            elif name == "SEQUENCE" and prop.value.strip().isdigit():
                component[name] = icalendar.vInt(int(prop.value))
        calendar.add_component(component)
    return calendar


def _timing_text(vevents: list[Component], zones: Zones) -> str:
    """A VCALENDAR with only the timing properties of ``vevents`` (and the custom zones they use)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//calendar-desktop//expansion//EN"]
    lines += [to_text(definition).rstrip("\r\n") for definition in zones.custom_definitions()]
    for vevent in vevents:
        lines.append(to_text(Component("VEVENT", [p for p in vevent.properties if p.name in TIMING_PROPERTIES])).rstrip("\r\n"))
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@functools.cache
def _vevents():  # type: ignore[no-untyped-def]
    """Select VEVENTs, yielding bare occurrences (start, end, original) instead of copied components."""
    import recurring_ical_events

    class Instance(recurring_ical_events.Occurrence):
        def as_component(self, keep_recurrence_attributes: bool) -> Instance:  # noqa: FBT001
            return self

    return recurring_ical_events.ComponentsWithName("VEVENT", occurrence=Instance)


def _library_key(original: Moment) -> datetime:
    """An override's original start the way recurring-ical-events identifies it (naive UTC)."""
    if not isinstance(original, datetime):
        return datetime(original.year, original.month, original.day)
    return original.astimezone(UTC).replace(tzinfo=None) if original.tzinfo else original


def _zone_of(moment: date | datetime, master_zone: str | None) -> str | None:
    """The zone name of an instance: its own IANA zone (a moved instance may have another), else the series'."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        return None
    return getattr(moment.tzinfo, "key", None) or master_zone
