"""Editing a suggestion before accepting it: company, role, stage, time, or an existing application."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from calendar_desktop.core.tracker import SuggestionEdits
from calendar_desktop.domain import Application, RoleType, Stage, Suggestion, SuggestionKind
from calendar_desktop.ui.context import translator
from calendar_desktop.ui.dialogs.fields import date_time_edit, enum_combo, enum_value, from_qt
from calendar_desktop.ui.models.suggestions import describe

tr = translator("SuggestionDialog")


class SuggestionDialog(QDialog):
    def __init__(self, suggestion: Suggestion, applications: list[Application], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        self.setWindowTitle(tr("Edit before accepting"))
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        summary = QLabel(describe(suggestion) + (f"\n“{suggestion.title}”" if suggestion.title else ""))
        summary.setWordWrap(True)
        form.addRow(summary)

        self.application = QComboBox()
        self.application.setAccessibleName(tr("Application"))
        self.company = QLineEdit(suggestion.company or "")
        self.company.setAccessibleName(tr("Company"))
        self.role = QLineEdit(suggestion.role or "")
        self.role.setAccessibleName(tr("Role"))
        self.role_type = enum_combo(RoleType, suggestion.role_type or RoleType.UNKNOWN, tr("Role type"))
        self.stage = enum_combo(Stage, suggestion.stage or Stage.OTHER, tr("Stage"))
        self.start = date_time_edit(suggestion.start, tr("Start"))
        self.end = date_time_edit(suggestion.end, tr("End"))

        if suggestion.kind is SuggestionKind.NEW_INTERVIEW:
            self.application.addItem(tr("New application (from the company below)"), None)
            for application in applications:
                label = application.company + (f" — {application.role}" if application.role else "")
                self.application.addItem(label, application.id)
            if suggestion.application_id is not None:
                self.application.setCurrentIndex(max(0, self.application.findData(suggestion.application_id)))
            self.application.currentIndexChanged.connect(self._application_changed)
            form.addRow(tr("&Application"), self.application)
            form.addRow(tr("&Company"), self.company)
            form.addRow(tr("&Role"), self.role)
            form.addRow(tr("Role &type"), self.role_type)
            form.addRow(tr("&Stage"), self.stage)
        form.addRow(tr("S&tarts"), self.start)
        form.addRow(tr("&Ends"), self.end)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        form.addRow(self.error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        accept = buttons.addButton(tr("&Accept"), QDialogButtonBox.ButtonRole.AcceptRole)
        accept.setAccessibleName(tr("Accept with these changes"))
        accept.setDefault(True)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._application_changed()

    def _application_changed(self, _index: int = 0) -> None:
        new = self.application.currentData() is None
        for widget in (self.company, self.role, self.role_type):
            widget.setEnabled(new)

    def _accept_if_valid(self) -> None:
        if self.end.dateTime() <= self.start.dateTime():
            self.error.setText(tr("The interview must end after it starts."))
            return
        if (
            self.suggestion.kind is SuggestionKind.NEW_INTERVIEW
            and self.application.currentData() is None
            and not self.company.text().strip()
        ):
            self.error.setText(tr("Name the company, or pick an existing application."))
            self.company.setFocus()
            return
        self.accept()

    def edits(self) -> SuggestionEdits:
        start, end = from_qt(self.start.dateTime()), from_qt(self.end.dateTime())
        if self.suggestion.kind is not SuggestionKind.NEW_INTERVIEW:
            return SuggestionEdits(start=start, end=end)
        application_id = self.application.currentData()
        if application_id is not None:
            return SuggestionEdits(application_id=application_id, stage=enum_value(self.stage, Stage), start=start, end=end)
        return SuggestionEdits(
            company=self.company.text().strip() or None,
            role=self.role.text().strip(),
            role_type=enum_value(self.role_type, RoleType),
            stage=enum_value(self.stage, Stage),
            start=start,
            end=end,
        )
