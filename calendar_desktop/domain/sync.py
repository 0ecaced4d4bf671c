"""The record of one sync pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SyncDirection(StrEnum):
    PULL = "pull"
    PUSH = "push"


class SyncOutcome(StrEnum):
    RUNNING = "running"
    OK = "ok"
    ERROR = "error"
    NEEDS_REAUTH = "needs_reauth"
    CANCELLED = "cancelled"
    CONFLICT = "conflict"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class SyncRun:
    id: int
    account_id: int
    calendar_id: int | None
    direction: SyncDirection
    started_at: datetime
    finished_at: datetime | None = None
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    outcome: SyncOutcome = SyncOutcome.RUNNING
    error: str | None = None
    full_resync: bool = False
    interview_id: int | None = None
    """For a push: the interview it wrote."""
