"""Event bodies for test data, in the JSON shape the Calendar API takes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any


def timed(start: datetime, minutes: int = 30, *, zone: str | None = None, **fields: Any) -> dict[str, Any]:
    """A timed event: ``start`` aware, or naive wall-clock time in ``zone``."""
    end = start + timedelta(minutes=minutes)
    extra = {"timeZone": zone} if zone else {}
    return {"start": {"dateTime": start.isoformat(), **extra}, "end": {"dateTime": end.isoformat(), **extra}, **fields}


def all_day(day: date, days: int = 1, **fields: Any) -> dict[str, Any]:
    """An all-day event (the end date is exclusive)."""
    return {"start": {"date": day.isoformat()}, "end": {"date": (day + timedelta(days=days)).isoformat()}, **fields}


def recurring(body: dict[str, Any], *lines: str) -> dict[str, Any]:
    """``body`` made a series by RRULE / EXDATE lines."""
    return {**body, "recurrence": list(lines)}
