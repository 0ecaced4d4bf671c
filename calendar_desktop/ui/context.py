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
from calendar_desktop.store import DatabaseCorrupt, DatabaseTooNew, as_store_error
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
