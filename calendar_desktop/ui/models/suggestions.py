"""Suggestions, pending first, with their confidence."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from calendar_desktop.domain import Suggestion, SuggestionKind, SuggestionStatus
from calendar_desktop.ui.models.table import Column, SnapshotTableModel


def tr(text: str) -> str:
    return QCoreApplication.translate("SuggestionsModel", text)


def when(s: Suggestion) -> str:
    return s.start.astimezone().strftime("%a %d %b %Y %H:%M") if s.start else ""


def describe(s: Suggestion) -> str:
    """The sentence the user answers (also the notification's text)."""
    if s.kind is SuggestionKind.RESCHEDULE:
        return tr("We saw this interview rescheduled to {date}, confirm?").format(date=when(s))
    if s.kind is SuggestionKind.CANCELLATION:
        return tr("This interview looks cancelled. Mark it cancelled?")
    return tr("New interview on {date}: add it to your pipeline?").format(date=when(s))


def subject(s: Suggestion) -> str:
    parts = [p for p in (s.company, s.role) if p]
    return " — ".join(parts) or s.title


KIND_TEXT = {
    SuggestionKind.NEW_INTERVIEW: "New interview",
    SuggestionKind.RESCHEDULE: "Reschedule",
    SuggestionKind.CANCELLATION: "Cancellation",
}
STATUS_TEXT = {
    SuggestionStatus.PENDING: "Pending",
    SuggestionStatus.ACCEPTED: "Accepted",
    SuggestionStatus.DISMISSED: "Dismissed",
    SuggestionStatus.AUTO_APPLIED: "Applied automatically",
}


class SuggestionsModel(SnapshotTableModel[Suggestion]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(tr("Kind"), lambda s: tr(KIND_TEXT[s.kind])),
                Column(tr("Company / role"), subject, tooltip=lambda s: s.title),
                Column(tr("Suggestion"), describe, tooltip=lambda s: s.title),
                Column(tr("Confidence"), lambda s: f"{tr(s.confidence.value)} ({s.score:.2f})"),
                Column(tr("Status"), lambda s: tr(STATUS_TEXT[s.status])),
            ],
            parent,
        )

    def pending(self) -> int:
        return sum(1 for s in self.rows() if s.status is SuggestionStatus.PENDING)

    def row_of(self, suggestion_id: int) -> int | None:
        for i, s in enumerate(self.rows()):
            if s.id == suggestion_id:
                return i
        return None
