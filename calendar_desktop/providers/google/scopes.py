"""The two ways an account can be connected, the OAuth scopes each asks for, and what a
partial grant (the user unticking a box on Google's consent page) means."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from calendar_desktop.providers.errors import SignInDenied

_BASE = "https://www.googleapis.com/auth/"
CALENDAR_READONLY = _BASE + "calendar.readonly"
CALENDAR_EVENTS = _BASE + "calendar.events"
CALENDAR_LIST_READONLY = _BASE + "calendar.calendarlist.readonly"
CALENDAR_FULL = _BASE + "calendar"


class AccessMode(StrEnum):
    READ_ONLY = "read_only"
    """See calendars and events (``calendar.readonly``)."""
    TWO_WAY = "two_way"
    """Also write events: ``calendar.events`` plus ``calendar.calendarlist.readonly`` to find the calendars."""

    @property
    def scopes(self) -> tuple[str, ...]:
        if self is AccessMode.READ_ONLY:
            return (CALENDAR_READONLY,)
        return (CALENDAR_EVENTS, CALENDAR_LIST_READONLY)


# What each ability needs: any one scope of a group (broader scopes included).
_CAN_LIST_CALENDARS = frozenset({CALENDAR_READONLY, CALENDAR_LIST_READONLY, _BASE + "calendar.calendarlist", CALENDAR_FULL})
_CAN_READ_EVENTS = frozenset({CALENDAR_READONLY, CALENDAR_EVENTS, _BASE + "calendar.events.readonly", CALENDAR_FULL})
_CAN_WRITE_EVENTS = frozenset({CALENDAR_EVENTS, CALENDAR_FULL})


def check_granted(mode: AccessMode, granted: Iterable[str]) -> None:
    """Raise ``SignInDenied`` explaining what is missing when ``granted`` is not enough for ``mode``.

    A partial grant is refused rather than turned into a lesser account: without the calendar
    list the app cannot find your calendars, without events access it has nothing to show, and
    a two-way account that cannot write would fail at the first interview it pushes.
    """
    have = frozenset(granted)
    missing = []
    if not have & _CAN_LIST_CALENDARS:
        missing.append("see the list of your calendars")
    if not have & _CAN_READ_EVENTS:
        missing.append("see your events")
    elif mode is AccessMode.TWO_WAY and not have & _CAN_WRITE_EVENTS:
        missing.append("add and edit events")
    if missing:
        raise SignInDenied(
            "Google granted calendar-desktop only part of the access it asked for: it may not "
            + " or ".join(missing)
            + ". Connect again and leave every permission ticked on Google's consent page"
            + (", or connect read-only." if mode is AccessMode.TWO_WAY else ".")
        )
