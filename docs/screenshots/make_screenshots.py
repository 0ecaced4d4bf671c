"""Regenerate the README's screenshots from a real window: Xvfb with a tray host, a seeded profile.

    .venv/bin/python docs/screenshots/make_screenshots.py [OUTPUT_DIR]

Needs the Debian packages xvfb and trayer (`.ci/dev test` installs them). The profile is filled
with the demo fortnight straight into the store (the same data `calendar-desktop --demo` serves
from a local Radicale), so the pictures do not depend on a network or on the clock's minute.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))

WINDOW_SIZE = (1180, 720)


def parent(output: Path) -> int:
    from tests.support.xserver import virtual_display

    output.mkdir(parents=True, exist_ok=True)
    with virtual_display(with_tray=True, size="1600x1000x24") as display:
        env = {**display.env(), "PYTHONPATH": str(REPO), "QT_SCALE_FACTOR": "1"}
        return subprocess.run([sys.executable, __file__, "--child", str(output)], env=env, cwd=REPO).returncode


async def wait_for(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        await asyncio.sleep(0.05)
    raise TimeoutError("the window did not reach the expected state")


async def settle() -> None:
    await asyncio.sleep(0.4)  # let layouts and paints finish


async def shoot(output: Path) -> list[Path]:
    import keyring
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from calendar_desktop.core.bus import SuggestionsChanged
    from calendar_desktop.core.service import AppService
    from calendar_desktop.core.sync.controller import SyncController
    from calendar_desktop.demo.data import fortnight
    from calendar_desktop.demo.seed import seed_store, seed_suggestions
    from calendar_desktop.paths import AppPaths
    from calendar_desktop.secrets import SecretStore
    from calendar_desktop.ui.models.agenda import AgendaEntry
    from calendar_desktop.ui.shell import DesktopShell
    from calendar_desktop.ui.worker import Worker
    from tests.support.keyrings import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cd-shots-") as tmp:
        service = AppService.open(AppPaths.profile(Path(tmp)), secrets=SecretStore())
        data = fortnight()
        seed_store(service, data)
        reschedule = seed_suggestions(service, data)
        controller = SyncController(service)
        worker = Worker()
        shell = DesktopShell(service, controller, worker)
        window = shell.window
        try:
            window.resize(*WINDOW_SIZE)
            shell.show()
            await wait_for(lambda: all(p.is_ready for p in window.panes))

            def save(widget: Any, name: str) -> None:
                path = output / name
                widget.grab().save(str(path))
                shots.append(path)

            window.tabs.setCurrentWidget(window.accounts_pane)
            window.accounts_pane.view.setCurrentIndex(window.accounts_pane.model.index(0, 0))
            await settle()
            save(window, "accounts.png")

            events = window.events_pane
            window.tabs.setCurrentWidget(events)
            (interview_id,) = [
                r.stored.id for r in events.model.rows() if isinstance(r, AgendaEntry) and r.stored.event.uid == data.tracked_uid
            ]
            events.select_event(interview_id)
            await settle()
            save(window, "events.png")

            service.bus.publish(SuggestionsChanged(service.store.suggestions.pending_count(), (reschedule,)))
            await wait_for(lambda: window.suggestions_pane.model.rowCount() >= 3)
            window.open_suggestion(reschedule.id)
            await wait_for(lambda: (s := window.suggestions_pane.selected()) is not None and s.id == reschedule.id)
            await settle()
            save(window, "reschedule.png")
            if shell.tray is not None:  # the tray icon with its badge and the balloon, from the screen
                screen = QApplication.primaryScreen()
                whole = screen.grabWindow(0)
                area = QRect(whole.width() - 760, 0, 760, 150)
                path = output / "tray.png"
                whole.copy(area).save(str(path))
                shots.append(path)

            dialog = window.open_settings()
            await settle()
            save(dialog, "settings.png")
            dialog.reject()
        finally:
            shell.close()
            worker.shutdown()
            await controller.stop()
            service.close()
    return shots


def child(output: Path) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("calendar-desktop")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        shots = loop.run_until_complete(shoot(output))
    for path in shots:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(Path(argv[1]))
    output = Path(argv[0]).resolve() if argv else HERE
    if os.environ.get("DISPLAY") and os.environ.get("CALENDAR_DESKTOP_SCREENSHOTS_ON_DISPLAY"):
        return child(output)  # on an existing display, e.g. to look at them on a desktop
    return parent(output)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
