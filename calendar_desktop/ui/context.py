"""What every pane and dialog needs from the app, passed in through constructors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from calendar_desktop.core.service import AppService
from calendar_desktop.core.sync.controller import SyncController
from calendar_desktop.core.tracker import InterviewTracker
from calendar_desktop.core.wiring import build_tracker
from calendar_desktop.ui.worker import Worker

T = TypeVar("T")


@dataclass(slots=True)
class UiContext:
    service: AppService
    controller: SyncController
    worker: Worker
    tracker: InterviewTracker

    @classmethod
    def create(cls, service: AppService, controller: SyncController, worker: Worker) -> UiContext:
        return cls(service, controller, worker, build_tracker(service))


def translator(context: str) -> Callable[[str], str]:
    """``tr`` for one translation context (the strings Qt's translation tools collect)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate(context, text)

    return tr


class Pane(QWidget):
    """A tab of the window. Blocking work goes through ``run``; failures are emitted on ``failed``."""

    failed = Signal(object)
    ready = Signal()
    """Emitted when the pane has shown its first snapshot."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ready = False

    def run(self, fn: Callable[..., T], *args: Any, then: Callable[[T], None] | None = None) -> None:
        """Call ``fn(*args)`` on a worker thread, then ``then(result)`` back on the Qt thread."""

        async def job() -> None:
            result = await self.ctx.worker.run(fn, *args)
            if then is not None:
                then(result)

        self.ctx.worker.spawn(job(), self.failed.emit)

    def mark_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self.ready.emit()

    @property
    def is_ready(self) -> bool:
        return self._ready
