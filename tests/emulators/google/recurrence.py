"""Expansion of recurring series into instances, the way ``singleEvents=true`` shows them.

A series is an event with ``recurrence: ["RRULE:..."]`` (EXDATE lines honoured) expanded in its
``start.timeZone``, so wall-clock times hold across DST. Instance ids follow Google's form:
``<seriesId>_<YYYYMMDDTHHMMSSZ>`` for timed series, ``<seriesId>_<YYYYMMDD>`` for all-day ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule

from tests.emulators.google.errors import bad_request

MAX_INSTANCES = 730
"""Instances generated for a series without COUNT or UNTIL (Google also stops somewhere)."""


@dataclass(frozen=True)
class Occurrence:
    start: datetime | date
    """Aware local datetime for timed series, a date for all-day ones."""

    def key(self) -> str:
        if isinstance(self.start, datetime):
            return self.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return self.start.strftime("%Y%m%d")

    def as_event_time(self, zone: str | None) -> dict[str, str]:
        if isinstance(self.start, datetime):
            return {"dateTime": self.start.isoformat(), "timeZone": zone or "UTC"}
        return {"date": self.start.isoformat()}


def instance_id(series_id: str, occurrence: Occurrence) -> str:
    return f"{series_id}_{occurrence.key()}"


def parse_event_time(value: Any, field: str) -> datetime | date:
    """``{"date": ...}`` -> date; ``{"dateTime": ..., "timeZone"?}`` -> aware datetime."""
    if not isinstance(value, dict):
        raise bad_request(f"Missing {field} time.", reason="required")
    if "date" in value and value["date"] is not None:
        try:
            return date.fromisoformat(value["date"])
        except (TypeError, ValueError):
            raise bad_request("Bad Request") from None
    raw = value.get("dateTime")
    if not isinstance(raw, str):
        raise bad_request(f"Missing {field} time.", reason="required")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise bad_request("Bad Request") from None
    zone = value.get("timeZone")
    if zone:
        try:
            tz = ZoneInfo(zone)
        except (ValueError, KeyError, OSError):
            raise bad_request(f"Invalid time zone definition for {field} time.", reason="timeRangeEmpty") from None
        moment = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    elif moment.tzinfo is None:
        raise bad_request(f"Missing time zone definition for {field} time.", reason="required")
    return moment


def occurrences(body: dict[str, Any]) -> list[Occurrence]:
    """All instances of a series (an event with a ``recurrence``)."""
    start = parse_event_time(body.get("start"), "start")
    lines = [line for line in body.get("recurrence", []) if isinstance(line, str)]
    if isinstance(start, datetime):
        zone = ZoneInfo((body.get("start") or {}).get("timeZone") or "UTC")
        dtstart = start.astimezone(zone)
    else:
        dtstart = datetime(start.year, start.month, start.day)
    rules = rrule.rruleset()
    for line in lines:
        name, _, value = line.partition(":")
        try:
            if name.upper().startswith("RRULE"):
                rules.rrule(rrule.rrulestr(value, dtstart=dtstart))
            elif name.upper().startswith("EXDATE"):
                for raw in value.split(","):
                    rules.exdate(_exdate(raw, dtstart))
        except (ValueError, TypeError):
            raise bad_request("Invalid recurrence rule.", reason="invalid") from None
    found = [Occurrence(each if isinstance(start, datetime) else each.date()) for each in islice(rules, MAX_INSTANCES)]
    return found


def _exdate(raw: str, dtstart: datetime) -> datetime:
    raw = raw.strip()
    if len(raw) == 8:
        return datetime.strptime(raw, "%Y%m%d").replace(tzinfo=dtstart.tzinfo)
    if raw.endswith("Z"):
        return datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(dtstart.tzinfo)
    return datetime.strptime(raw, "%Y%m%dT%H%M%S").replace(tzinfo=dtstart.tzinfo)


def duration(body: dict[str, Any]) -> timedelta:
    start = parse_event_time(body.get("start"), "start")
    end = parse_event_time(body.get("end"), "end")
    return end - start  # type: ignore[operator]


def instance_times(body: dict[str, Any], occurrence: Occurrence) -> tuple[dict[str, str], dict[str, str]]:
    """Start and end of one instance, in the series' zone."""
    zone = (body.get("start") or {}).get("timeZone")
    length = duration(body)
    start = occurrence.start
    end = start + length
    if isinstance(start, datetime):
        end = end.astimezone(start.tzinfo)  # type: ignore[union-attr]
    return Occurrence(start).as_event_time(zone), Occurrence(end).as_event_time((body.get("end") or {}).get("timeZone") or zone)
