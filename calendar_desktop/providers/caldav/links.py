"""Finding the video-meeting link of an event.

Properties made for conference links (CONFERENCE, Google's and Microsoft's X- properties) are
trusted as they are; in URL, LOCATION and DESCRIPTION only a link to a known meeting service
counts, since those hold all sorts of links (job postings, maps, company pages).
"""

from __future__ import annotations

import re

MEETING_HOSTS = (
    "zoom.us",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "whereby.com",
    "gotomeeting.com",
    "meet.goto.com",
    "chime.aws",
    "bluejeans.com",
    "meet.jit.si",
    "skype.com",
    "around.co",
    "discord.gg",
    "slack.com/huddle",
)
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_HOST = re.compile(r"https?://([^/?#\s]+)(/[^\s]*)?", re.IGNORECASE)


def is_meeting_url(url: str) -> bool:
    match = _HOST.match(url)
    if match is None:
        return False
    host = match.group(1).lower().rsplit("@", 1)[-1].split(":")[0]
    path = (match.group(2) or "").lower()
    for known in MEETING_HOSTS:
        known_host, _, known_path = known.partition("/")
        if (host == known_host or host.endswith("." + known_host)) and path.startswith("/" + known_path if known_path else ""):
            return True
    return False


def first_url(text: str) -> str | None:
    match = _URL.search(text)
    return match.group(0).rstrip(".,;:!?") if match else None


def meeting_link(conference: list[str], url: str, location: str, description: str) -> str | None:
    """The first link of the conference properties, else a known meeting link in URL, location or description."""
    for value in conference:
        found = first_url(value)
        if found:
            return found
    for text in (url, location, description):
        for match in _URL.finditer(text):
            found = match.group(0).rstrip(".,;:!?")
            if is_meeting_url(found):
                return found
    return None
