"""Which step of the process an interview is (LABELING §4, stage table and precedence)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from calendar_desktop.detection import lexicon
from calendar_desktop.detection.matching import Field, Hits
from calendar_desktop.domain import Stage

_PRECEDENCE = (
    ("final", Stage.FINAL),
    ("onsite", Stage.ONSITE),
    ("take_home", Stage.TAKE_HOME_REVIEW),
    ("technical", Stage.TECHNICAL),
    ("hiring_manager", Stage.HIRING_MANAGER),
)
CATEGORIES: dict[str, str | tuple[str, ...]] = {
    "final": lexicon.FINAL,
    "onsite": lexicon.ONSITE,
    "take_home": (lexicon.TAKE_HOME, lexicon.TAKE_HOME_CASE),
    "technical": lexicon.TECHNICAL,
    "hiring_manager": lexicon.HIRING_MANAGER,
    "recruiter_title": lexicon.RECRUITER_TITLE,
    # In a description a bare "Talent Acquisition" is usually a signature: only call-like phrases count.
    "recruiter_phrase": lexicon.RECRUITER_PHRASE,
    "other_explicit": lexicon.OTHER_EXPLICIT,
}
_AGENDA_SLOT = re.compile(lexicon.AGENDA_SLOT, re.MULTILINE)
_INTERVIEW_DAY_SLOTS = 3


def _first_stage(found: Sequence[Hits], recruiter: str, fields: Sequence[Field] = ()) -> Stage | None:
    for name, stage in _PRECEDENCE:
        for hits in found:
            if name in hits:
                return stage
        if stage is Stage.ONSITE:
            for field in fields:
                if _is_interview_day(field):
                    return Stage.ONSITE
    for hits in found:
        if recruiter in hits:
            return Stage.RECRUITER_SCREEN
    return None


def _is_interview_day(field: Field) -> bool:
    """An agenda of several timed sessions is a multi-session interview day."""
    return ":" in field.text and len(_AGENDA_SLOT.findall(field.text)) >= _INTERVIEW_DAY_SLOTS


def stage_of(title: Hits, body: Sequence[Hits], body_fields: Sequence[Field], agency: bool = False) -> Stage:
    """The title decides when it names a stage or a kind of interview; otherwise the body
    (description, location) does. An agency call that names no stage is a recruiter screen."""
    stage = _first_stage((title,), "recruiter_title")
    if stage is not None:
        return stage
    if "other_explicit" in title:
        return Stage.OTHER
    stage = _first_stage(body, "recruiter_phrase", body_fields)
    if stage is not None:
        return stage
    # A coffee chat that is an interview is tied to a role: a recruiter's (LABELING §4 table).
    return Stage.RECRUITER_SCREEN if agency or "coffee" in title else Stage.OTHER
