"""The Suggestions pane: the primary place where every prompt waits (notifications only point here)."""

from __future__ import annotations

import dataclasses
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from calendar_desktop.core.tracker import SuggestionEdits
from calendar_desktop.domain import Application, Suggestion, SuggestionKind, SuggestionStatus
from calendar_desktop.ui.context import Pane, UiContext, translator
from calendar_desktop.ui.dialogs.suggestion import SuggestionDialog
from calendar_desktop.ui.models.suggestions import SuggestionsModel
from calendar_desktop.ui.widgets import button, select_row, selected_row, table_view

tr = translator("SuggestionsPane")


def with_company(suggestions: list[Suggestion], applications: list[Application]) -> list[Suggestion]:
    """Reschedules and cancellations name their application, not the company: fill it in for display."""
    by_id = {a.id: a for a in applications}
    filled = []
    for s in suggestions:
        application = by_id.get(s.application_id) if s.application_id is not None else None
        if application is not None and not s.company:
            s = dataclasses.replace(s, company=application.company, role=s.role or application.role)
        filled.append(s)
    return filled


class SuggestionsPane(Pane):
    pending_changed = Signal(int)
    decided = Signal(int, str)
    """(suggestion id, "accepted" | "dismissed") once the store has the decision."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = SuggestionsModel(self)
        self._applications: list[Application] = []
        self._pending_select: int | None = None

        self.intro = QLabel(
            tr("Interviews found in your calendars, and changes to the ones you track. Nothing changes until you accept.")
        )
        self.intro.setWordWrap(True)
        self.show_decided = QCheckBox(tr("Show &decided"))
        self.show_decided.setAccessibleName(tr("Show decided suggestions"))
        self.show_decided.toggled.connect(lambda _on: self.refresh())
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.show_decided)

        self.view = table_view(self.model, tr("Suggestions"))
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in ((0, 110), (1, 240), (3, 110), (4, 110)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the sentence to answer
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.doubleClicked.connect(lambda _index: self.edit_and_accept())

        self.accept_button = button(tr("&Accept"), tr("Accept suggestion"), self.accept_selected)
        self.edit_button = button(tr("&Edit and accept…"), tr("Edit the suggestion, then accept it"), self.edit_and_accept)
        self.dismiss_button = button(tr("D&ismiss"), tr("Dismiss suggestion"), self.dismiss_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for widget in (self.accept_button, self.edit_button, self.dismiss_button):
            buttons.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        service = self.ctx.service
        only_pending = not self.show_decided.isChecked()

        def load() -> tuple[list[Suggestion], list[Application], int]:
            applications = service.list_applications(include_archived=True)
            status = SuggestionStatus.PENDING if only_pending else None
            suggestions = with_company(service.store.suggestions.list(status), applications)
            return suggestions, applications, service.store.suggestions.pending_count()

        def show(result: tuple[list[Suggestion], list[Application], int]) -> None:
            suggestions, applications, pending = result
            selected = self.selected()
            self._applications = [a for a in applications if not a.archived]
            self.model.replace(suggestions)
            target = self._pending_select or (selected.id if selected else None)
            if target is not None:
                self.select(target)
            self._update_buttons()
            self.pending_changed.emit(pending)
            self.mark_ready()

        self.load_snapshot(load, show)

    # --- selection ---------------------------------------------------------------------------

    def selected(self) -> Suggestion | None:
        return selected_row(self.view, Suggestion)

    def select(self, suggestion_id: int) -> bool:
        """Select a suggestion (e.g. from a notification); if not loaded yet, once it is."""
        row = self.model.row_of(suggestion_id)
        if row is None:
            self._pending_select = suggestion_id
            return False
        self._pending_select = None
        select_row(self.view, row)
        self.view.setFocus()
        return True

    def _update_buttons(self) -> None:
        suggestion = self.selected()
        pending = suggestion is not None and suggestion.status is SuggestionStatus.PENDING
        self.accept_button.setEnabled(pending)
        self.dismiss_button.setEnabled(pending)
        self.edit_button.setEnabled(pending and suggestion is not None and suggestion.kind is not SuggestionKind.CANCELLATION)
        if suggestion is not None and suggestion.kind is not SuggestionKind.NEW_INTERVIEW:
            self.accept_button.setText(tr("&Confirm"))
        else:
            self.accept_button.setText(tr("&Accept"))

    # --- decisions ---------------------------------------------------------------------------

    def accept(self, suggestion_id: int, edits: SuggestionEdits = SuggestionEdits()) -> None:
        self.run(
            self.ctx.tracker.accept,
            suggestion_id,
            edits,
            then=lambda _resolved: self.decided.emit(suggestion_id, "accepted"),
        )

    def dismiss(self, suggestion_id: int) -> None:
        self.run(
            self.ctx.tracker.dismiss, suggestion_id, then=lambda _resolved: self.decided.emit(suggestion_id, "dismissed")
        )

    def accept_selected(self) -> None:
        suggestion = self.selected()
        if suggestion is not None and suggestion.status is SuggestionStatus.PENDING:
            self.accept(suggestion.id)

    def dismiss_selected(self) -> None:
        suggestion = self.selected()
        if suggestion is not None and suggestion.status is SuggestionStatus.PENDING:
            self.dismiss(suggestion.id)

    def edit_and_accept(self) -> SuggestionDialog | None:
        suggestion = self.selected()
        if suggestion is None or suggestion.status is not SuggestionStatus.PENDING:
            return None
        if suggestion.kind is SuggestionKind.CANCELLATION:
            return None
        dialog = SuggestionDialog(suggestion, self._applications, self)
        dialog.accepted.connect(lambda: self.accept(suggestion.id, dialog.edits()))
        dialog.open()
        return dialog
