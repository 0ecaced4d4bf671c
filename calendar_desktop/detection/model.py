"""What the detector reads and what it answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Literal, Protocol

from calendar_desktop.domain import Confidence, RoleType, Stage

Variant = Literal["original", "update", "reschedule", "cancellation"]


class DetectableEvent(Protocol):
    """The attributes the detector reads; ``calendar_desktop.domain.Event`` has all of them.

    ``organizer`` is ``"Name <email>"``, a bare address or ``None``; ``attendees`` are addresses.
    An optional ``status`` attribute equal to ``"cancelled"`` marks a cancellation too.
    """

    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def organizer(self) -> str | None: ...
    @property
    def attendees(self) -> Sequence[str]: ...
    @property
    def start(self) -> datetime | date: ...
    @property
    def end(self) -> datetime | date: ...
    @property
    def all_day(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PipelineEntry:
    """A company the user tracks; ``key`` is the app's application id."""

    company: str
    aliases: tuple[str, ...] = ()
    role: str = ""
    key: int | None = None


@dataclass(frozen=True, slots=True, init=False)
class Detection:
    """The verdict on one event.

    ``title_key`` is the base title (variant prefixes removed), case- and accent-folded: equal
    keys plus the same organizer and company are what links a variant to its original.
    """

    is_interview: bool
    company: str | None = None
    role: str | None = None
    role_type: RoleType | None = None
    stage: Stage | None = None
    confidence: Confidence | None = None
    score: float = 0.0
    pipeline_key: int | None = None
    variant: Variant = "original"
    title_key: str = ""

    def __init__(
        self,
        is_interview: bool,
        company: str | None = None,
        role: str | None = None,
        role_type: RoleType | None = None,
        stage: Stage | None = None,
        confidence: Confidence | None = None,
        score: float = 0.0,
        pipeline_key: int | None = None,
        variant: Variant = "original",
        title_key: str = "",
    ) -> None:
        # The generated __init__ of a frozen dataclass looks object.__setattr__ up for every field;
        # setting the slots through their descriptors does the same in half the time, and the
        # detector builds one Detection per event.
        s = _SET_SLOT
        s[0](self, is_interview)
        s[1](self, company)
        s[2](self, role)
        s[3](self, role_type)
        s[4](self, stage)
        s[5](self, confidence)
        s[6](self, score)
        s[7](self, pipeline_key)
        s[8](self, variant)
        s[9](self, title_key)


_SET_SLOT = tuple(getattr(Detection, field.name).__set__ for field in fields(Detection))
