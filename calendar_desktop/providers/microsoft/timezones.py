"""Windows ↔ IANA time-zone names, from maintained data only.

Graph names zones the Windows way (``W. Europe Standard Time``) and accepts only a listed subset
of IANA names on write, so we map IANA → Windows before writing and Windows → IANA on read.

The source is CLDR's ``windowsZones`` as shipped by icalendar (``WINDOWS_TO_OLSON``, the
territory-001 zone of each Windows name). An IANA zone that is not one of those is matched
through icalendar's table of equivalent zones (aliases such as ``Asia/Kolkata`` =
``Asia/Calcutta``), and failing that to a CLDR zone whose UTC offsets agree with it, per tzdata,
at every day of the next few years (``Europe/Madrid`` is written as a CET/CEST Windows zone).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar.timezone.tzid import tzids_from_tzinfo
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "tzone://Microsoft/Utc"})
WINDOWS_UTC = "UTC"
_OLSON_TO_WINDOWS = {olson: windows for windows, olson in sorted(WINDOWS_TO_OLSON.items())}
_SAMPLE_DAYS = 3 * 366


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def windows_to_iana(name: str | None) -> str | None:
    """The IANA zone for a Graph zone name (Windows or IANA), or None (unknown or custom)."""
    if not name:
        return None
    if name in UTC_NAMES:
        return "UTC"
    if name in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[name]
    return name if "/" in name and _zone(name) is not None else None


@cache
def iana_to_windows(name: str) -> str | None:
    """The Windows zone to write for an IANA zone, or None when no Windows zone keeps its times."""
    if name in UTC_NAMES:
        return WINDOWS_UTC
    zone = _zone(name)
    if zone is None:
        return None
    if name in _OLSON_TO_WINDOWS:
        return _OLSON_TO_WINDOWS[name]
    for equivalent in tzids_from_tzinfo(zone):
        if equivalent in _OLSON_TO_WINDOWS:
            return _OLSON_TO_WINDOWS[equivalent]
    return _same_offsets(zone)


def _offsets(zone: ZoneInfo) -> tuple[timedelta | None, ...]:
    start = datetime(datetime.now(UTC).year, 1, 1, 12, tzinfo=UTC)
    return tuple((start + timedelta(days=d)).astimezone(zone).utcoffset() for d in range(_SAMPLE_DAYS))


@cache
def _offsets_of(olson: str) -> tuple[timedelta | None, ...] | None:
    zone = _zone(olson)
    return _offsets(zone) if zone is not None else None


def _same_offsets(zone: ZoneInfo) -> str | None:
    wanted = _offsets(zone)
    region = zone.key.split("/")[0]
    candidates = sorted(_OLSON_TO_WINDOWS.items(), key=lambda item: (item[0].split("/")[0] != region, item[1]))
    for olson, windows in candidates:
        if _offsets_of(olson) == wanted:
            return windows
    return None
