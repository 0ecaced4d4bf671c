"""Form fields shared by the dialogs: enum choices and UTC date-time editors."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit

E = TypeVar("E", bound=StrEnum)


def enum_label(value: StrEnum) -> str:
    return value.value.replace("_", " ")


def enum_combo(values: type[E], current: E | None, name: str, labels: dict[E, str] | None = None) -> QComboBox:
    """A choice among an enum's members (stored as their string values: Qt turns StrEnums into str)."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for value in values:
        combo.addItem(labels[value] if labels else enum_label(value), value.value)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current.value)))
    return combo


def enum_value(combo: QComboBox, values: type[E]) -> E:
    return values(combo.currentData())


def select_enum(combo: QComboBox, value: StrEnum) -> None:
    combo.setCurrentIndex(combo.findData(value.value))


def to_qt(value: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()))


def from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def date_time_edit(value: datetime | None, name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd dd MMM yyyy HH:mm")
    edit.setAccessibleName(name)
    if value is not None:
        edit.setDateTime(to_qt(value))
    return edit
