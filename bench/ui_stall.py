"""Largest event-loop stall of the window with 10,000 events: while scrolling, and while a sync runs.

Prints one JSON document. The sync is a fake provider feeding pages through the real sync
controller and store (the network is not what this measures). Run:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_stall.py [--events 10000]

A repeating 5 ms timer measures the loop: a stall is how late a tick came beyond its interval.
Garbage collection runs as in the app (``MainThreadCollector``: on the Qt thread, by timer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from calendar_desktop.core.service import AppService  # noqa: E402
from calendar_desktop.core.sync.controller import SyncController  # noqa: E402
from calendar_desktop.domain import CalendarInfo, Event  # noqa: E402
from calendar_desktop.paths import AppPaths  # noqa: E402
from calendar_desktop.providers.registry import ProviderContext  # noqa: E402
from calendar_desktop.secrets import SecretStore  # noqa: E402
from calendar_desktop.ui.gc_guard import MainThreadCollector  # noqa: E402
from calendar_desktop.ui.shell import DesktopShell  # noqa: E402
from calendar_desktop.ui.worker import Worker  # noqa: E402
from tests.support.events import page  # noqa: E402
from tests.support.fake_provider import FakeServer, fake_registry, new_account  # noqa: E402
from tests.support.keyrings import MemoryKeyring  # noqa: E402

TICK_MS = 5


class StallMeter:
    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        late = [max(0.0, g - TICK_MS) for g in self.gaps] or [0.0]
        return {
            "max_stall_ms": round(max(late), 1),
            "p99_stall_ms": round(statistics.quantiles(late, n=100)[98], 1) if len(late) >= 100 else round(max(late), 1),
            "ticks": len(self.gaps),
        }

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now


def events(n: int, prefix: str) -> list[Event]:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    return [
        Event(f"{prefix}{i}", f"{prefix}{i}", f"{prefix}-uid-{i}", f"Meeting {i} with the team",
              base + timedelta(minutes=47 * i), base + timedelta(minutes=47 * i + 30), location="Room 4")
        for i in range(n)
    ]  # fmt: skip


async def wait_until(condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.01)


async def scroll_through(view, steps: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Scroll top to bottom in ``steps``, painting each position, one step per loop iteration."""
    bar = view.verticalScrollBar()
    paint_ms = []
    for i in range(steps + 1):
        bar.setValue(round(bar.maximum() * i / steps))
        started = time.perf_counter()
        view.viewport().repaint()
        paint_ms.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0)
    return {"steps": steps, "max_paint_ms": round(max(paint_ms), 2), "median_paint_ms": round(statistics.median(paint_ms), 2)}


async def run(count: int, profile: Path) -> dict[str, object]:
    keyring.set_keyring(MemoryKeyring())
    paths = AppPaths.profile(profile)
    server = FakeServer(page_size=250)
    service = AppService.open(
        paths, secrets=SecretStore(), providers=fake_registry(server, ProviderContext(paths.data_dir, {}))
    )
    controller = SyncController(service)
    worker = Worker()
    collector = MainThreadCollector()  # as in the app: garbage collection happens on the Qt thread
    shell = DesktopShell(service, controller, worker, use_tray=False)
    window = shell.window
    window.resize(1200, 800)
    meter = StallMeter()
    try:
        # 1. Scrolling through `count` stored events.
        account = service.add_account(new_account("Stored"))
        (calendar,) = service.store.calendars.replace_from_provider(account.id, [CalendarInfo("s", "Stored", "#3478f6")])
        service.store.events.apply_page(calendar.id, page(*events(count, "s")))
        window.show()
        window.tabs.setCurrentWidget(window.events_pane)
        pane = window.events_pane
        started = time.perf_counter()
        pane.refresh()
        await wait_until(lambda: pane.model.event_count == count)
        load_s = time.perf_counter() - started
        meter.start()
        scroll = await scroll_through(pane.view, 400)
        scroll.update(meter.stop())

        # 2. A sync of another `count` events through the real controller, scrolling meanwhile.
        server.add_calendar(CalendarInfo("work", "Work", "#e5534b"), events(count, "w"))
        service.add_account(new_account())
        meter.start()
        started = time.perf_counter()
        task = asyncio.get_running_loop().create_task(controller.sync_all())
        while not task.done():
            await scroll_through(pane.view, 40)
        results = task.result()
        await wait_until(lambda: pane.model.event_count == 2 * count)
        sync = {"duration_s": round(time.perf_counter() - started, 2), "ok": all(r.ok for r in results)}
        sync.update(meter.stop())
        return {
            "benchmark": "ui_stall",
            "events": count,
            "platform": QApplication.platformName(),
            "agenda_load_s": round(load_s, 3),
            "scrolling": scroll,
            "while_syncing": sync,
            "note": "stall = lateness of a 5 ms timer tick; sync pages of 250 events via a fake provider",
        }
    finally:
        meter.timer.stop()
        shell.close()
        worker.shutdown()
        await controller.stop()
        service.close()
        collector.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="cd-bench-") as tmp, loop:
        result = loop.run_until_complete(run(args.events, Path(tmp)))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
