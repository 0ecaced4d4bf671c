"""Cyclic garbage collection on the Qt thread only, in slices short enough not to stall the window.

Python's collector runs in whichever thread happens to allocate when a threshold is crossed. If
that is a worker thread and the garbage holds Qt objects (a closed dialog in a reference cycle),
their C++ destructors run off the Qt thread and can crash the process. So while the window runs,
automatic collection is off and a timer collects on the Qt thread instead.

A collection of every object costs time in proportion to the heap: with 20,000 events loaded,
50 ms and more on a busy machine, which the user sees as a stall. So the timer collects the way
CPython's own collector does, by age:

- every tick (100 ms), the young generations: the objects made since the last tick, a few
  milliseconds at most even while a sync allocates fast;
- the old generation once ``OLD_GENERATION_SLICE`` objects have been promoted into it. Objects
  that survive that collection are moved out of the collector's view with ``gc.freeze()``, so
  the next one looks only at newer objects: each object is examined there about once;
- what exists when the collector starts (modules, classes, and with ``start()`` called once
  the window has loaded, its first snapshots: kept for a long time) is frozen at once rather
  than examined;
- everything, frozen objects included, every ``complete_every_s`` seconds: garbage cycles among
  long-lived objects are reclaimed then, at the cost of one full pass (50 to 100 ms with 20,000
  events loaded). That pass waits while the user is working in the window and runs once the app
  is in the background (it is a tray app: most of its life), or when it is a whole period late.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

OLD_GENERATION_SLICE = 5_000
"""Objects promoted into the old generation before it is collected (5 to 15 ms of work)."""


def application_in_use() -> bool:
    """The user is working in one of the app's windows (it has the focus)."""
    return QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive


class MainThreadCollector(QObject):
    def __init__(
        self,
        interval_ms: int = 100,
        complete_every_s: float = 900,
        *,
        start: bool = True,
        in_use: Callable[[], bool] = application_in_use,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        """With ``start=False`` nothing is collected until ``start()``: the app starts it once the
        window has loaded, so that start-up, which makes almost only long-lived objects, is not
        slowed down by collections that would find little garbage."""
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._complete_every_s = complete_every_s
        self._in_use = in_use
        self._monotonic = monotonic
        self._last_complete = monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        if start:
            self.start()

    def start(self) -> None:
        if not self._timer.isActive():
            gc.freeze()
            self._timer.start()

    def collect(self) -> None:
        """One tick: the young generations, and the older ones when they are due."""
        since = self._monotonic() - self._last_complete
        if since >= self._complete_every_s and (since >= 2 * self._complete_every_s or not self._in_use()):
            self.collect_everything()
            return
        gc.collect(1)
        if len(gc.get_objects(2)) >= OLD_GENERATION_SLICE:
            gc.collect(2)
            gc.freeze()

    def collect_everything(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._last_complete = self._monotonic()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
