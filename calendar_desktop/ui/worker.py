"""Running blocking core calls off the Qt thread, from coroutines on the qasync loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Worker:
    """A small pool for disk and network work requested by the window."""

    def __init__(self, max_workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ui-worker")
        self._tasks: set[asyncio.Task[Any]] = set()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def spawn(self, coro: Coroutine[Any, Any, Any], on_error: Callable[[BaseException], None] | None = None) -> asyncio.Task[Any]:
        """Start a coroutine and keep a reference until it ends; errors go to ``on_error`` or the log."""
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("background task failed", exc_info=exc)

        task.add_done_callback(done)
        return task

    @property
    def idle(self) -> bool:
        """No task started here is still running (a cancelled one counts until the loop has ended it)."""
        return not self._tasks

    def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
