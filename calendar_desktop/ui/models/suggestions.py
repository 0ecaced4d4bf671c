"""Suggestions, pending first, with their confidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from calendar_desktop.domain import Suggestion, SuggestionKind
from calendar_desktop.ui.models.table import Column, SnapshotTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("SuggestionsModel", text)


def describe(s: Suggestion) -> str:
    when = s.start.astimezone().strftime("%a %d %b %H:%M") if s.start else ""
    if s.kind is SuggestionKind.RESCHEDULE:
        return tr("We saw this interview rescheduled to {date}, confirm?").format(date=when)
    if s.kind is SuggestionKind.CANCELLATION:
        return tr("This interview looks cancelled. Mark it cancelled?")
    return tr("New interview{company} on {date}").format(company=f" — {s.company}" if s.company else "", date=when)


class SuggestionsModel(SnapshotTableModel[Suggestion]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("Suggestion"), describe, tooltip=lambda s: s.title),
                Column(tr("Event"), lambda s: s.title),
                Column(tr("Confidence"), lambda s: f"{s.confidence.value} ({s.score:.2f})"),
                Column(tr("Status"), lambda s: s.status.value.replace("_", " ")),
            ],
            parent,
        )

    def pending(self) -> int:
        return sum(1 for s in self.rows() if s.status.value == "pending")
