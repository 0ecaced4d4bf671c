"""Adding or editing an application, and an interview of one, in the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from calendar_desktop.domain import Application, ApplicationStatus, Interview, InterviewStatus, RoleType, Stage
from calendar_desktop.ui.context import translator
from calendar_desktop.ui.dialogs.fields import date_time_edit, enum_combo, enum_value, from_qt

tr = translator("PipelineDialogs")


def _buttons(dialog: QDialog, on_ok: object) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)  # type: ignore[arg-type]
    buttons.rejected.connect(dialog.reject)
    return buttons


@dataclass(frozen=True, slots=True)
class ApplicationValues:
    company: str
    role: str
    role_type: RoleType
    aliases: tuple[str, ...]
    status: ApplicationStatus


class ApplicationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, application: Application | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Edit application") if application else tr("Add application"))
        form = QFormLayout(self)
        self.company = QLineEdit(application.company if application else "")
        self.company.setAccessibleName(tr("Company"))
        self.role = QLineEdit(application.role if application else "")
        self.role.setAccessibleName(tr("Role"))
        self.role_type = enum_combo(RoleType, application.role_type if application else RoleType.UNKNOWN, tr("Role type"))
        self.status = enum_combo(
            ApplicationStatus, application.status if application else ApplicationStatus.APPLIED, tr("Status")
        )
        self.aliases = QLineEdit(", ".join(application.aliases) if application else "")
        self.aliases.setAccessibleName(tr("Other names"))
        self.aliases.setPlaceholderText(tr("comma-separated, e.g. Square, squareup.com"))
        form.addRow(tr("&Company"), self.company)
        form.addRow(tr("&Role"), self.role)
        form.addRow(tr("Role &type"), self.role_type)
        form.addRow(tr("&Status"), self.status)
        form.addRow(tr("Other &names"), self.aliases)
        form.addRow(_buttons(self, self._accept_if_valid))

    def _accept_if_valid(self) -> None:
        if self.company.text().strip():
            self.accept()
        else:
            self.company.setFocus()
            self.company.setPlaceholderText(tr("A company name is needed"))

    def values(self) -> ApplicationValues:
        aliases = tuple(a.strip() for a in self.aliases.text().split(",") if a.strip())
        return ApplicationValues(
            self.company.text().strip(),
            self.role.text().strip(),
            enum_value(self.role_type, RoleType),
            aliases,
            enum_value(self.status, ApplicationStatus),
        )


@dataclass(frozen=True, slots=True)
class InterviewValues:
    stage: Stage
    start: datetime
    end: datetime
    title: str
    location: str
    status: InterviewStatus


class InterviewDialog(QDialog):
    def __init__(self, application: Application, parent: QWidget | None = None, interview: Interview | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            (tr("Edit interview at {company}") if interview else tr("Add interview at {company}")).format(
                company=application.company
            )
        )
        start = interview.start if interview else datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        end = interview.end if interview else start + timedelta(hours=1)
        form = QFormLayout(self)
        self.stage = enum_combo(Stage, interview.stage if interview else Stage.OTHER, tr("Stage"))
        self.start = date_time_edit(start, tr("Start"))
        self.end = date_time_edit(end, tr("End"))
        self.title = QLineEdit(interview.title if interview else "")
        self.title.setAccessibleName(tr("Title"))
        self.location = QLineEdit(interview.location if interview else "")
        self.location.setAccessibleName(tr("Location"))
        self.status = enum_combo(
            InterviewStatus, interview.status if interview else InterviewStatus.SCHEDULED, tr("Interview status")
        )
        self.error = QLabel("")
        form.addRow(tr("&Stage"), self.stage)
        form.addRow(tr("S&tarts"), self.start)
        form.addRow(tr("&Ends"), self.end)
        form.addRow(tr("T&itle"), self.title)
        form.addRow(tr("&Location"), self.location)
        form.addRow(tr("Stat&us"), self.status)
        form.addRow(self.error)
        form.addRow(_buttons(self, self._accept_if_valid))

    def _accept_if_valid(self) -> None:
        if self.end.dateTime() <= self.start.dateTime():
            self.error.setText(tr("The interview must end after it starts."))
            return
        self.accept()

    def values(self) -> InterviewValues:
        return InterviewValues(
            enum_value(self.stage, Stage),
            from_qt(self.start.dateTime()),
            from_qt(self.end.dateTime()),
            self.title.text().strip(),
            self.location.text().strip(),
            enum_value(self.status, InterviewStatus),
        )
