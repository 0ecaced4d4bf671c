"""An invented user and pipeline, and factories for events (nothing here comes from the corpus)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from calendar_desktop.detection import PipelineEntry
from calendar_desktop.detection.jsonl import CorpusEvent
from calendar_desktop.domain import UserIdentity

PERSONAL = "tomasz.wren@fastmail.com"
WORK = "t.wren@lanternworks.io"
IDENTITY = UserIdentity(
    name="Tomasz Wren", emails=(PERSONAL, WORK), current_employer="Lanternworks", timezone="Europe/Warsaw"
)
PIPELINE = (
    PipelineEntry("Orbital Foods, Inc.", role="Data Engineer", key=1),
    PipelineEntry("Cedar Robotics GmbH", role="Robotics Engineer", key=2),
    PipelineEntry("Kestrel Pay Ltd", aliases=("Kestrel",), role="Backend Engineer", key=3),
    PipelineEntry("Halcyon Labs, Inc.", role="ML Engineer", key=4),
    PipelineEntry("Cascade Holdings, Inc.", aliases=("Trailhead",), role="Platform Engineer", key=5),
    PipelineEntry("Ferrocene S.A.", role="Ingeniero de Datos", key=6),
)
START = datetime(2026, 9, 14, 13, 0, tzinfo=UTC)

MakeEvent = Callable[..., CorpusEvent]


def make_event(
    title: str,
    description: str = "",
    organizer: str | None = PERSONAL,
    attendees: tuple[str, ...] = (),
    location: str = "",
    all_day: bool = False,
) -> CorpusEvent:
    """An event; by default one the user typed into their personal calendar."""
    return CorpusEvent(
        id="t1",
        title=title,
        description=description,
        location=location,
        organizer=organizer,
        attendees=attendees,
        start=START,
        end=START + timedelta(hours=1),
        all_day=all_day,
    )


def make_invite(
    title: str,
    description: str = "",
    sender: str = "Ada Novak <ada.novak@orbitalfoods.com>",
    location: str = "",
    to: tuple[str, ...] = (PERSONAL,),
) -> CorpusEvent:
    """An invitation sent by someone outside to the user's personal address."""
    return make_event(title, description, organizer=sender, attendees=to, location=location)
