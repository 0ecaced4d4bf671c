"""Fault knobs: errors, delays and dropped connections, global or per path, count-limited."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    kind: str
    """``error``, ``delay``, ``drop`` (close before answering) or ``drop_after`` (act, then close)."""
    count: int
    path: str | None = None
    """Applies to request paths containing this text; None for every path."""
    method: str | None = None
    status: int = 0
    reason: str | None = None
    retry_after: float | None = None
    seconds: float = 0.0

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
                if fault.kind not in taken and fault.count > 0 and fault.applies(method, path):
                    fault.count -= 1
                    taken[fault.kind] = fault
            self._pending = [f for f in self._pending if f.count > 0]
        return list(taken.values())
