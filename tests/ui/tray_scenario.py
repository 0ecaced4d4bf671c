"""Run under a real X display with a tray host (see test_tray_xvfb.py): drives the tray for real and
prints what it saw as one JSON document. A separate process because Qt's platform is fixed per process."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.paths import AppPaths
from calendar_desktop.ui.shell import DesktopShell
from calendar_desktop.ui.tray import tray_available
from calendar_desktop.ui.worker import Worker
from tests.ui.helpers import reschedule_suggestion, tracked_interview


async def wait_for(condition: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.05)
    return condition()


def balloon() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "QBalloonTip" and widget.isVisible():
            return widget
    return None


def balloon_text() -> str:
    tip = balloon()
    return " | ".join(label.text() for label in tip.findChildren(QLabel)) if tip else ""


async def scenario(app: QApplication, profile: Path, results: dict[str, Any]) -> None:
    results["tray_available"] = await wait_for(tray_available, 10)
    service = AppService.open(AppPaths.profile(profile))
    controller = SyncController(service)
    worker = Worker()
    shell = DesktopShell(service, controller, worker)
    quit_requests: list[bool] = []
    shell.quit_requested.connect(lambda: quit_requests.append(True))
    try:
        assert shell.tray is not None, "the shell made no tray icon"
        tray = shell.tray
        shell.show()
        await wait_for(lambda: shell.window.isVisible() and all(p.is_ready for p in shell.window.panes))
        results["tray_visible"] = tray.is_visible()
        geometry = await wait_for(lambda: not tray.icon.geometry().isEmpty(), 5) and tray.icon.geometry()
        results["tray_geometry"] = [geometry.width(), geometry.height()] if geometry else [0, 0]
        results["menu"] = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
        results["notifier"] = shell.os_notifier.name if shell.os_notifier else None

        shell.window.close()  # with a tray: hidden, still running, a one-time hint
        await wait_for(balloon, 5)
        results["closed_window_hidden"] = not shell.window.isVisible()
        results["quit_on_close"] = bool(quit_requests)
        results["hint"] = balloon_text()
        results["hint_remembered"] = service.settings.ui_state.get("tray_hint_shown")

        interview = tracked_interview(service)
        suggestion = reschedule_suggestion(service, interview, hours=24)
        await wait_for(lambda: "rescheduled" in balloon_text(), 10)
        results["message"] = balloon_text()
        await wait_for(lambda: tray.pending == 1, 5)
        results["pending"] = tray.pending
        results["tooltip"] = tray.tooltip
        results["menu_after"] = [a.text() for a in tray.menu.actions() if not a.isSeparator()]

        tip = balloon()
        assert tip is not None
        QTest.mouseClick(tip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20))
        pane = shell.window.suggestions_pane
        await wait_for(lambda: shell.window.isVisible() and (s := pane.selected()) is not None and s.id == suggestion.id)
        results["window_shown_after_click"] = shell.window.isVisible()
        results["opened_on_suggestion"] = (s := pane.selected()) is not None and s.id == suggestion.id
        results["current_tab"] = shell.window.tabs.currentWidget() is pane

        tray.pause_action.trigger()
        results["paused_from_tray"] = controller.paused and shell.window.pause_action.isChecked()
        shell.window.close()
        results["second_close_hint"] = "still running" in balloon_text()
        tray.quit_action.trigger()
        results["quit_from_tray"] = bool(quit_requests)
    finally:
        shell.close()
        worker.shutdown()
        await controller.stop()
        service.close()


def main() -> int:
    profile = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    results: dict[str, Any] = {}
    try:
        with loop:
            loop.run_until_complete(scenario(app, profile, results))
    except AssertionError as exc:
        results["error"] = str(exc)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
