"""Conversions between domain values and the columns that store them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from calendar_desktop.domain.events import EventTime


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_ts(value: EventTime) -> int:
    """Seconds since the epoch; an all-day date counts from its midnight UTC (a floating day)."""
    if isinstance(value, datetime):
        return int(value.timestamp())
    return int(datetime.combine(value, time(0), tzinfo=UTC).timestamp())


def from_ts(ts: int, all_day: bool) -> EventTime:
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.date() if all_day else moment


def as_date(value: EventTime) -> date:
    return value.date() if isinstance(value, datetime) else value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default
