"""Starting the window: Qt application, qasync event loop, the core, and an orderly shutdown."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path

import qasync
from PySide6.QtCore import QProcess, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from calendar_desktop import STARTED_AT, __version__
from calendar_desktop.core.service import AppService
from calendar_desktop.core.wiring import build_controller
from calendar_desktop.logging_setup import configure_logging
from calendar_desktop.paths import AppPaths
from calendar_desktop.resources import app_icon_path
from calendar_desktop.secrets import SecretStoreError
from calendar_desktop.store import StoreError
from calendar_desktop.ui.gc_guard import MainThreadCollector
from calendar_desktop.ui.network_watch import NetworkWatch
from calendar_desktop.ui.shell import DesktopShell
from calendar_desktop.ui.sign_in import sign_in_flows
from calendar_desktop.ui.single_instance import claim
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


def run_gui(
    paths: AppPaths, *, verbosity: int = 0, smoke: bool = False, demo: bool = False, minimized: bool = False
) -> int:
    demo_session = None
    if demo:
        from calendar_desktop.demo.session import DemoSession

        demo_session = DemoSession.create()
        paths = demo_session.paths
    paths.ensure()
    configure_logging(paths.log_file, verbosity)
    app = _application()
    instance = None
    if not smoke:
        instance = claim(paths)
        if instance is None:
            print("calendar-desktop is already running for this profile; its window was brought to the front.")
            return 0
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    collector = MainThreadCollector(start=False, parent=app)
    try:
        service = AppService.open(paths)
    except (StoreError, SecretStoreError) as exc:
        log.error("cannot start: %s", exc)
        print(f"calendar-desktop: {exc}", file=sys.stderr)
        if _can_show_dialogs(smoke):
            cannot_continue_dialog(str(exc), paths.database if isinstance(exc, StoreError) else None).exec()
        collector.stop()
        loop.close()
        return 1

    worker = Worker()
    controller = build_controller(service)
    shell = DesktopShell(
        service, controller, worker, use_tray=False if smoke else None, sign_in_flows=sign_in_flows(service)
    )
    window = shell.window
    quit_event = asyncio.Event()
    app.setQuitOnLastWindowClosed(False)  # the shell decides: to the tray, or quit
    app.aboutToQuit.connect(quit_event.set)
    shell.quit_requested.connect(app.quit)
    shell.window.accounts_pane.demo_requested.connect(lambda: _start_demo_process(app))
    if instance is not None:
        instance.activated.connect(window.bring_to_front)

    exit_code = 0

    def stop_with(message: str) -> None:
        """The window cannot go on (unusable database; with ``--smoke``, any start-up error)."""
        nonlocal exit_code
        if exit_code:
            return
        exit_code = 1
        print(f"calendar-desktop: {message}", file=sys.stderr, flush=True)
        if _can_show_dialogs(smoke):
            dialog = cannot_continue_dialog(message, service.paths.database, parent=window)
            dialog.finished.connect(lambda _result: app.quit())
            dialog.open()
        else:
            QTimer.singleShot(0, app.quit)

    window.store_unusable.connect(stop_with)
    window.ready.connect(collector.start)
    if smoke:
        window.start_failed.connect(stop_with)

    if smoke:
        def report() -> None:
            print(f"startup_ms={round((time.perf_counter() - STARTED_AT) * 1000)}", flush=True)

        window.ready.connect(lambda: QTimer.singleShot(0, report))
        # Exit once every pane has read the store, deferred ones too: --smoke checks them all.
        window.loaded.connect(lambda: QTimer.singleShot(0, app.quit))

    shell.show(minimized=minimized)

    network_watch = NetworkWatch(controller.network_changed, parent=app)

    async def main() -> None:
        if not smoke:
            await shell.upgrade_notifications()
            if demo_session is not None:
                try:
                    await demo_session.start(service, controller)
                except Exception as exc:  # the window still opens, on the empty demo profile
                    log.exception("the demo could not start")
                    QMessageBox(QMessageBox.Icon.Warning, "calendar-desktop", f"The demo could not start: {exc}",
                                parent=window).open()  # fmt: skip
            await controller.end_interrupted_passes()
            controller.start(sync_now=service.settings.sync_on_startup)
            network_watch.start()
        await quit_event.wait()
        await shell.close_notifications()
        await controller.stop()
        if demo_session is not None:
            await demo_session.stop()

    with loop:
        loop.run_until_complete(main())
    worker.shutdown()
    shell.close()
    if instance is not None:
        instance.close()
    service.close()
    collector.stop()
    return exit_code


def _can_show_dialogs(smoke: bool) -> bool:
    """Nobody would see a dialog with ``--smoke`` or on Qt's windowless platforms: it would wait forever."""
    return not smoke and QGuiApplication.platformName() not in ("offscreen", "minimal")


def cannot_continue_dialog(message: str, database: Path | None, parent: QWidget | None = None) -> QMessageBox:
    """Why the app cannot start or go on and the way out (both in ``message``), with a button opening
    the folder of a database the way out asks to move or replace."""
    dialog = QMessageBox(QMessageBox.Icon.Critical, "calendar-desktop", message, parent=parent)
    dialog.setInformativeText("calendar-desktop will quit now.")
    if database is not None:
        folder = QUrl.fromLocalFile(str(database.parent))
        dialog.addButton("Open the database folder", QMessageBox.ButtonRole.ActionRole).clicked.connect(
            lambda: QDesktopServices.openUrl(folder)
        )
    dialog.addButton(QMessageBox.StandardButton.Close)
    return dialog


def _start_demo_process(app: QApplication) -> None:
    """"Try with demo data": the demo runs as its own instance on a throwaway profile; this one quits."""
    if QProcess.startDetached(sys.executable, demo_command()):
        app.quit()
    else:
        QMessageBox.warning(None, "calendar-desktop", "Could not start the demo.")


def demo_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return ["--demo"]
    return ["-m", "calendar_desktop", "--demo"]
