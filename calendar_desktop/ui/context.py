"""What every pane and dialog needs from the app, passed in through constructors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QWidget

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.tracker import InterviewTracker
from calendar_desktop.core.wiring import build_tracker
from calendar_desktop.store import DatabaseCorrupt, DatabaseTooNew, as_store_error
from calendar_desktop.ui.worker import Worker

T = TypeVar("T")

COALESCE_MS = 250
"""How long bus messages are gathered into one refresh (a sync announces changes in bursts)."""


@dataclass(slots=True)
class UiContext:
    service: AppService
    controller: SyncController
    worker: Worker
    tracker: InterviewTracker

    @classmethod
    def create(cls, service: AppService, controller: SyncController, worker: Worker) -> UiContext:
        return cls(service, controller, worker, build_tracker(service))


UNUSABLE_DATABASE = (DatabaseCorrupt, DatabaseTooNew)
"""Store errors the window cannot work around: it says why and how out (as the CLI does), then stops."""


def explained(exc: BaseException, service: AppService) -> BaseException:
    """``exc`` as the user should read it: a database error raised by any query becomes the store's
    message naming the way out (the backup made before upgrading, or starting afresh)."""
    return as_store_error(exc, service.paths.database) or exc


def translator(context: str) -> Callable[[str], str]:
    """``tr`` for one translation context (the strings Qt's translation tools collect)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate(context, text)

    return tr


class Pane(QWidget):
    """A tab of the window. Blocking work goes through ``run``; failures are emitted on ``failed``.

    Panes show snapshots of the store: ``refresh`` asks for a fresh one (through ``load_snapshot``),
    ``schedule_refresh`` does so for a change announced on the bus, gathered with the changes that
    follow it within ``COALESCE_MS``.
    """

    failed = Signal(object)
    ready = Signal()
    """Emitted when the pane has shown its first snapshot."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ready = False
        self._loading = self._load_again = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(COALESCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        raise NotImplementedError

    def schedule_refresh(self) -> None:
        """Refresh soon: every call until then is answered by the same refresh."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def ensure_loaded(self) -> None:
        """Refresh unless the first snapshot is shown or on its way."""
        if not self._ready and not self._loading:
            self.refresh()

    def cancel_scheduled_refresh(self) -> None:
        """Drop a refresh still waiting on ``schedule_refresh`` (the window is detaching from the core)."""
        if shiboken6.isValid(self._refresh_timer):  # once the pane is deleted its timer is gone and cannot fire
            self._refresh_timer.stop()

    def load_snapshot(self, load: Callable[[], T], show: Callable[[T], None]) -> None:
        """``load()`` on a worker thread, then ``show(snapshot)`` on the Qt thread; one load at a time.

        A refresh asked for while a load runs is folded into a single ``refresh`` once it ends, whose
        answer replaces the older one: however many requests arrive, at most one load runs (each
        is CPU work competing with the Qt thread for the GIL) and the newest request wins.
        """
        if self._loading:
            self._load_again = True
            return
        self._loading = True

        async def job() -> None:
            failure: Exception | None = None
            try:
                snapshot = await self.ctx.worker.run(load)
            except Exception as exc:
                failure = exc
            finally:
                self._loading = False
            if self._load_again:
                self._load_again = False
                self.refresh()
            elif failure is not None:
                raise failure
            else:
                show(snapshot)

        self.ctx.worker.spawn(job(), self.fail)

    def run(self, fn: Callable[..., T], *args: Any, then: Callable[[T], None] | None = None) -> None:
        """Call ``fn(*args)`` on a worker thread, then ``then(result)`` back on the Qt thread."""

        async def job() -> None:
            result = await self.ctx.worker.run(fn, *args)
            if then is not None:
                then(result)

        self.ctx.worker.spawn(job(), self.fail)

    def fail(self, exc: BaseException) -> None:
        """Report a failed job on ``failed``, database errors turned into the store's message."""
        self.failed.emit(explained(exc, self.ctx.service))

    def mark_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready
