"""Meeting links found where clients put them; the cursor survives a round trip and refuses junk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calendar_desktop.domain import SyncWindow
from calendar_desktop.providers.caldav.cursor import Mode, SyncState, window_key
from calendar_desktop.providers.caldav.links import is_meeting_url, meeting_link
from calendar_desktop.providers.errors import CursorExpired


@pytest.mark.parametrize(
    "url",
    ["https://acme.zoom.us/j/123", "https://meet.google.com/abc-defg-hij", "https://teams.microsoft.com/l/meetup-join/x",
     "https://acme.webex.com/meet/jo", "https://meet.jit.si/Interview", "https://app.slack.com/huddle/T1/C2"],
)  # fmt: skip
def test_known_meeting_services(url: str) -> None:
    assert is_meeting_url(url)


@pytest.mark.parametrize("url", ["https://acme.example/careers", "https://zoom.us.evil.example/j/1", "https://slack.com/pricing"])
def test_other_links_are_not_meetings(url: str) -> None:
    assert not is_meeting_url(url)


def test_conference_properties_win_then_known_links_in_url_location_description() -> None:
    assert meeting_link(["https://video.example/any"], "https://meet.google.com/a-b-c", "", "") == "https://video.example/any"
    assert meeting_link([], "https://acme.example/job", "Room 4", "Call: https://acme.zoom.us/j/9.") == "https://acme.zoom.us/j/9"
    assert meeting_link([], "", "https://teams.microsoft.com/l/x", "") == "https://teams.microsoft.com/l/x"
    assert meeting_link([], "https://acme.example/job", "HQ", "See https://acme.example/map") is None


def test_cursor_round_trip() -> None:
    window = SyncWindow(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    state = SyncState(Mode.ETAGS, window_key(window), ctag='"c1"', etags={"/a/1.ics": '"e1"'}, recurring=frozenset({"/a/2.ics"}))
    assert SyncState.decode(state.encode()) == state
    assert state.encode().startswith("caldav1:")


@pytest.mark.parametrize("cursor", ["CAIQAA==", "caldav1:not base64 at all", "caldav1:" + "eJyrVkrOSczPS8lXslIqS8wpTgUAKqUFsg=="])
def test_a_foreign_or_damaged_cursor_means_a_full_resync(cursor: str) -> None:
    with pytest.raises(CursorExpired):
        SyncState.decode(cursor)

