"""Applications in the job pipeline, and the interviews of one application."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from calendar_desktop.domain import Application, Interview
from calendar_desktop.ui.models.table import Column, SnapshotTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("PipelineModel", text)


def _label(value: str) -> str:
    return value.replace("_", " ")


class ApplicationsModel(SnapshotTableModel[Application]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("Company"), lambda a: a.company, tooltip=lambda a: ", ".join(a.aliases)),
                Column(tr("Role"), lambda a: a.role),
                Column(tr("Type"), lambda a: _label(a.role_type.value)),
                Column(tr("Status"), lambda a: _label(a.status.value) + (tr(" (archived)") if a.archived else "")),
                Column(tr("Other names"), lambda a: ", ".join(a.aliases)),
            ],
            parent,
        )

    def row_of(self, application_id: int) -> int | None:
        return next((i for i, a in enumerate(self.rows()) if a.id == application_id), None)


def _when(interview: Interview) -> str:
    start, end = interview.start.astimezone(), interview.end.astimezone()
    return f"{start:%a %d %b %Y  %H:%M}–{end:%H:%M}"


class InterviewsModel(SnapshotTableModel[Interview]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("When"), _when),
                Column(tr("Stage"), lambda i: _label(i.stage.value)),
                Column(tr("Status"), lambda i: _label(i.status.value)),
                Column(tr("Title"), lambda i: i.title, tooltip=lambda i: i.location),
                Column(tr("Linked event"), lambda i: tr("yes") if i.event_id is not None else tr("no")),
            ],
            parent,
        )
