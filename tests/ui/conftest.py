"""GUI fixtures: a qasync loop that pytest-qt's waits drive, and a window over a test profile."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import qasync

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.paths import AppPaths
from calendar_desktop.providers.registry import ProviderContext
from calendar_desktop.secrets import SecretStore
from calendar_desktop.ui.gc_guard import MainThreadCollector
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.shell import DesktopShell
from calendar_desktop.ui.worker import Worker
from tests.servers.fixtures import radicale, radicale_server  # noqa: F401 - real-server fixtures
from tests.support.fake_provider import FakeServer, fake_registry
from tests.support.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def collect_qt_garbage_here() -> Iterator[None]:
    """Widgets a test dropped are destroyed now, on this thread, not later by a worker's GC pass."""
    yield
    gc.collect()


@pytest.fixture
def qloop(qapp) -> Iterator[qasync.QEventLoop]:
    """A qasync loop marked running, so tasks advance whenever Qt processes events (qtbot waits).

    Never await qtbot waits inside a coroutine on this loop (DESIGN.md §7)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    collector = MainThreadCollector()  # as in the app: Qt garbage is freed on the Qt thread only
    try:
        yield loop
    finally:
        collector.stop()
        # Not loop.stop(): it calls QApplication.exit(), which Qt 6 remembers, so the next test's
        # first QEventLoop.exec() (every qtbot wait) would return at once.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        loop.close()


@pytest.fixture
def fake_server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def service(paths: AppPaths, keyring_backend: MemoryKeyring, fake_server: FakeServer) -> Iterator[AppService]:
    """The real facade over a temporary profile; CalDAV accounts talk to ``fake_server``."""
    registry = fake_registry(fake_server, ProviderContext(data_dir=paths.data_dir, settings={}))
    service = AppService.open(paths, secrets=SecretStore(keyring_backend), providers=registry)
    yield service
    service.close()


@pytest.fixture
def controller(service: AppService) -> Iterator[SyncController]:
    # No interview tracker here: the UI tests create suggestions themselves (detection is tested elsewhere).
    controller = SyncController(service)
    yield controller
    controller._executor.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def shell(qtbot, qloop, service: AppService, controller: SyncController) -> Iterator[DesktopShell]:
    """The window without a tray (offscreen has none): prompts go to the in-window banner."""
    worker = Worker()
    shell = DesktopShell(service, controller, worker, use_tray=False)
    qtbot.addWidget(shell.window)
    with qtbot.waitSignal(shell.window.ready, timeout=10_000):
        shell.show()
    yield shell
    closing = worker.spawn(shell.close_notifications())
    qtbot.waitUntil(closing.done, timeout=10_000)
    shell.close()
    worker.shutdown()
    qtbot.waitUntil(lambda: worker.idle, timeout=5000)  # let cancelled tasks end while the loop still runs


@pytest.fixture
def window(shell: DesktopShell) -> MainWindow:
    return shell.window
