"""Who the user is: the detector needs it to tell the candidate from the interviewer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserIdentity:
    name: str = ""
    emails: tuple[str, ...] = ()
    current_employer: str = ""
    timezone: str = ""
