"""Retries inside one sync pass: exponential backoff with full jitter, honouring ``Retry-After``.

Only ``TransientError`` is retried, and only for calls the caller knows to be safe to repeat.
A ``Retry-After`` longer than ``max_delay`` is not slept through: the error goes up so the sync
controller can park the account until then instead of holding a worker thread.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from calendar_desktop.providers.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    """Total tries, the first included."""
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        if retry_after is not None:
            return max(0.0, retry_after)
        return rng.uniform(0, min(self.max_delay, self.base_delay * 2**retry))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class Cancelled(Exception):
    """The pass was cancelled while waiting to retry."""


def call_with_retries(
    fn: Callable[[], T],
    policy: RetryPolicy = RetryPolicy(),
    *,
    cancel: threading.Event | None = None,
    rng: random.Random | None = None,
) -> T:
    """Call ``fn``; on ``TransientError`` wait and call again, up to ``policy.attempts`` tries."""
    rng = rng or random.Random()
    cancel = cancel or threading.Event()
    for retry in range(policy.attempts):
        try:
            return fn()
        except TransientError as exc:
            if retry == policy.attempts - 1:
                raise
            wait = policy.delay(retry, exc.retry_after, rng)
            if wait > policy.max_delay:
                raise
            if cancel.wait(wait):
                raise Cancelled() from exc
    raise AssertionError("unreachable")
