"""GUI fixtures: a qasync loop that pytest-qt's waits drive, and a window over a test profile."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync

from calendar_desktop.core.service import AppService
from calendar_desktop.core.wiring import build_controller
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.worker import Worker


@pytest.fixture
def qloop(qapp) -> Iterator[qasync.QEventLoop]:
    """A qasync loop marked running, so tasks advance whenever Qt processes events (qtbot waits).

    Never await qtbot waits inside a coroutine on this loop (DESIGN.md §7)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        # Not loop.stop(): it calls QApplication.exit(), which Qt 6 remembers, so the next test's
        # first QEventLoop.exec() (every qtbot wait) would return at once.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        loop.close()


@pytest.fixture
def window(qtbot, qloop, service: AppService) -> Iterator[MainWindow]:
    worker = Worker()
    controller = build_controller(service)
    win = MainWindow(service, controller, worker)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=10_000):
        win.show()
    yield win
    win.bridge.detach()
    worker.shutdown()
