"""Adding or editing an application in the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from calendar_desktop.domain import RoleType


def tr(text: str) -> str:
    return QCoreApplication.translate("ApplicationDialog", text)


@dataclass(frozen=True, slots=True)
class ApplicationValues:
    company: str
    role: str
    role_type: RoleType
    aliases: tuple[str, ...]


class ApplicationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Add application"))
        form = QFormLayout(self)
        self.company = QLineEdit()
        self.company.setAccessibleName(tr("Company"))
        self.role = QLineEdit()
        self.role.setAccessibleName(tr("Role"))
        self.role_type = QComboBox()
        self.role_type.setAccessibleName(tr("Role type"))
        for value in RoleType:
            self.role_type.addItem(value.value.replace("_", " "), value)
        self.aliases = QLineEdit()
        self.aliases.setAccessibleName(tr("Other names"))
        self.aliases.setPlaceholderText(tr("comma-separated, e.g. Square, squareup.com"))
        form.addRow(tr("&Company"), self.company)
        form.addRow(tr("&Role"), self.role)
        form.addRow(tr("Role &type"), self.role_type)
        form.addRow(tr("Other &names"), self.aliases)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept_if_valid(self) -> None:
        if self.company.text().strip():
            self.accept()
        else:
            self.company.setFocus()
            self.company.setPlaceholderText(tr("A company name is needed"))

    def values(self) -> ApplicationValues:
        aliases = tuple(a.strip() for a in self.aliases.text().split(",") if a.strip())
        return ApplicationValues(
            self.company.text().strip(), self.role.text().strip(), self.role_type.currentData(), aliases
        )
