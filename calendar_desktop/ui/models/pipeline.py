"""Applications in the job pipeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from calendar_desktop.domain import Application
from calendar_desktop.ui.models.table import Column, SnapshotTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("PipelineModel", text)


class ApplicationsModel(SnapshotTableModel[Application]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("Company"), lambda a: a.company, tooltip=lambda a: ", ".join(a.aliases)),
                Column(tr("Role"), lambda a: a.role),
                Column(tr("Type"), lambda a: a.role_type.value.replace("_", " ")),
                Column(tr("Status"), lambda a: a.status.value + (tr(" (archived)") if a.archived else "")),
            ],
            parent,
        )
