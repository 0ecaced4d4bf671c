"""Fault knobs: errors, delays, dropped connections and truncated answers, global or per path,
count-limited, optionally after letting the first matching requests through."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    kind: str
    """``error``, ``delay``, ``drop`` (close before answering), ``drop_after`` (act, then close) or
    ``truncate`` (answer with the full ``Content-Length`` but half the body, then close)."""
    count: int
    path: str | None = None
    """Applies to request paths containing this text; None for every path."""
    method: str | None = None
    status: int = 0
    reason: str | None = None
    retry_after: float | None = None
    seconds: float = 0.0
    skip: int = 0
    """Matching requests to let through untouched before the fault starts (e.g. the second page)."""

    def applies(self, method: str, path: str) -> bool:
        return (self.path is None or self.path in path) and (self.method is None or self.method == method)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self, method: str, path: str) -> list[Fault]:
        """The faults for this request (at most one of each kind), each used up once."""
        taken: dict[str, Fault] = {}
        with self._lock:
            for fault in self._pending:
                if fault.kind in taken or fault.count <= 0 or not fault.applies(method, path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.count -= 1
                taken[fault.kind] = fault
            self._pending = [f for f in self._pending if f.count > 0]
        return list(taken.values())
