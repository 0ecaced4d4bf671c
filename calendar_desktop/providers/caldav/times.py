"""iCalendar dates, date-times and durations, with their TZIDs resolved to time zones.

A value is a ``date`` (all-day), an aware ``datetime`` (UTC or with a TZID) or a naive
``datetime`` (floating: the same wall-clock time wherever the user is, so it is read in the
computer's zone). TZIDs are looked up by name first (IANA names, Windows names and
"globally unique" prefixes such as ``/mozilla.org/.../Europe/Berlin``, through icalendar's
lookup); a custom name falls back to the object's own VTIMEZONE; an unknown zone with no
definition is read as floating.
"""

from __future__ import annotations

import functools
import re
import warnings
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from calendar_desktop.providers.caldav.ical import Component, MalformedItem, Property

Moment = date | datetime

_DURATION = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=512)
def named_zone(tzid: str) -> tzinfo | None:
    """The zone a TZID names (IANA, Windows or a globally unique id), or None if unknown."""
    from icalendar.timezone import tzp

    try:
        with warnings.catch_warnings():  # icalendar 7 warns that it guessed: the guess is what we want
            warnings.filterwarnings("ignore", message=r"Timezone .* is a globally unique TZID")
            return tzp.timezone(tzid)
    except (ValueError, KeyError):
        return None


def zone_name(zone: tzinfo, tzid: str) -> str:
    """The IANA name to keep with an event (the TZID itself for a custom definition)."""
    return zone.key if isinstance(zone, ZoneInfo) and zone.key else tzid


class Zones:
    """The time zones one iCalendar object refers to."""

    def __init__(self, vtimezones: list[Component]) -> None:
        self._definitions = {}
        for vtimezone in vtimezones:
            tzid = vtimezone.first("TZID")
            if tzid is not None:
                self._definitions[tzid.value] = vtimezone
        self._custom: dict[str, tzinfo | None] = {}

    def custom_definitions(self) -> list[Component]:
        """The VTIMEZONEs whose TZID is not known by name (the others need no definition)."""
        return [d for tzid, d in self._definitions.items() if named_zone(tzid) is None]

    def get(self, tzid: str) -> tzinfo | None:
        zone = named_zone(tzid)
        if zone is not None:
            return zone
        if tzid not in self._custom:
            self._custom[tzid] = self._from_definition(tzid)
        return self._custom[tzid]

    def _from_definition(self, tzid: str) -> tzinfo | None:
        definition = self._definitions.get(tzid)
        if definition is None:
            return None
        import icalendar

        try:
            return icalendar.Timezone.from_ical(to_text(definition)).to_tz()
        except Exception as exc:  # icalendar raises many kinds on a broken VTIMEZONE
            raise MalformedItem(f"the definition of time zone {tzid!r} cannot be read") from exc


def to_text(component: Component) -> str:
    """A component written back as iCalendar text (values as they were read)."""
    lines = [f"BEGIN:{component.name}"]
    for prop in component.properties:
        params = "".join(f';{k}="{v}"' if any(c in v for c in ':;,') else f";{k}={v}" for k, v in prop.params.items())
        lines.append(f"{prop.name}{params}:{prop.value}")
    lines.extend(to_text(child).rstrip("\r\n") for child in component.children)
    lines.append(f"END:{component.name}")
    return "\r\n".join(lines) + "\r\n"


def parse_moment(prop: Property, zones: Zones) -> tuple[Moment, str | None]:
    """The value of a DTSTART-like property and the name of its zone (None for dates and floating)."""
    value = prop.value.strip()
    try:
        if prop.params.get("VALUE", "").upper() == "DATE" or len(value) == 8:
            return date(int(value[0:4]), int(value[4:6]), int(value[6:8])), None
        if len(value) < 15 or value[8] not in "Tt":
            raise ValueError(value)
        moment = datetime(
            int(value[0:4]), int(value[4:6]), int(value[6:8]),
            int(value[9:11]), int(value[11:13]), min(int(value[13:15]), 59),
        )  # fmt: skip
    except ValueError:
        raise MalformedItem(f"{prop.name} is not a valid date or date-time") from None
    if value.endswith(("Z", "z")):
        return moment.replace(tzinfo=UTC), "UTC"
    tzid = prop.params.get("TZID")
    if tzid:
        zone = zones.get(tzid)
        if zone is not None:
            return moment.replace(tzinfo=zone), zone_name(zone, tzid)
    return moment, None


def parse_duration(value: str) -> timedelta:
    match = _DURATION.fullmatch(value.strip())
    if match is None or not any(match.groups()[1:]):
        raise MalformedItem("DURATION is not a valid duration")
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0), days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0)
    )
    return -delta if sign == "-" else delta


def instant(moment: datetime) -> datetime:
    """A date-time as an aware UTC instant; floating times are read in the computer's zone."""
    return moment.astimezone(UTC)


def add_duration(start: Moment, duration: timedelta) -> Moment:
    """RFC 5545 §3.3.6: days and weeks are nominal (wall clock), hours and less are exact."""
    if not isinstance(start, datetime):
        return start + timedelta(days=duration.days)
    nominal = start + timedelta(days=duration.days)
    exact = timedelta(seconds=duration.seconds, microseconds=duration.microseconds)
    if not exact:
        return nominal
    if nominal.tzinfo is None:
        return nominal + exact
    return (nominal.astimezone(UTC) + exact).astimezone(nominal.tzinfo)
