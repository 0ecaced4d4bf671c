"""Starting the window: Qt application, qasync event loop, the core, and an orderly shutdown."""

from __future__ import annotations

import asyncio
import logging
import sys
import time

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from PySide6.QtGui import QIcon

from calendar_desktop import STARTED_AT, __version__
from calendar_desktop.core.service import AppService
from calendar_desktop.core.wiring import build_controller
from calendar_desktop.logging_setup import configure_logging
from calendar_desktop.paths import AppPaths
from calendar_desktop.resources import app_icon_path
from calendar_desktop.secrets import SecretStoreError
from calendar_desktop.store import StoreError
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.worker import Worker

log = logging.getLogger(__name__)


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("calendar-desktop")
    app.setApplicationDisplayName("calendar-desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("calendar-desktop")
    app.setDesktopFileName("calendar-desktop")
    app.setWindowIcon(QIcon(str(app_icon_path() or "")))  # every window and dialog; none if resources are missing
    return app


def run_gui(paths: AppPaths, *, verbosity: int = 0, smoke: bool = False, demo: bool = False) -> int:
    paths.ensure()
    configure_logging(paths.log_file, verbosity)
    app = _application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        service = AppService.open(paths)
    except (StoreError, SecretStoreError) as exc:
        log.error("cannot start: %s", exc)
        if not smoke:
            QMessageBox.critical(None, "calendar-desktop", str(exc))
        print(f"calendar-desktop: {exc}", file=sys.stderr)
        loop.close()
        return 1

    worker = Worker()
    controller = build_controller(service)
    window = MainWindow(service, controller, worker)
    quit_event = asyncio.Event()
    app.aboutToQuit.connect(quit_event.set)
    app.lastWindowClosed.connect(app.quit)

    if smoke:
        def report() -> None:
            print(f"startup_ms={round((time.perf_counter() - STARTED_AT) * 1000)}", flush=True)
            QTimer.singleShot(0, app.quit)

        window.ready.connect(lambda: QTimer.singleShot(0, report))

    window.show()

    async def main() -> None:
        if not smoke:
            controller.start(sync_now=service.settings.sync_on_startup)
        await quit_event.wait()
        await controller.stop()

    with loop:
        loop.run_until_complete(main())
    worker.shutdown()
    window.bridge.detach()
    service.close()
    return 0
