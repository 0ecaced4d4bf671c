"""When to try a failing account again: exponential backoff with jitter, at least ``Retry-After``."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    base_s: float = 30.0
    cap_s: float = 1800.0

    def delay(self, failures: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after the ``failures``-th consecutive failure (1-based)."""
        exponential = min(self.cap_s, self.base_s * 2 ** max(0, failures - 1))
        jittered = exponential * rng.uniform(0.5, 1.0)
        if retry_after is not None:
            return max(jittered, min(retry_after, self.cap_s * 4))
        return jittered


def jittered_interval(interval_s: float, rng: random.Random, spread: float = 0.1) -> float:
    """A poll interval spread by ±``spread`` so accounts (and users) do not poll in lockstep."""
    return interval_s * rng.uniform(1 - spread, 1 + spread)
