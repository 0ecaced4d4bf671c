"""The in-window banner: where prompts show when there is no tray to carry notifications."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from calendar_desktop.ui.context import translator
from calendar_desktop.ui.notifications import Prompt
from calendar_desktop.ui.widgets import button

tr = translator("Banner")


class PromptBanner(QFrame):
    review = Signal(int)
    confirm = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prompt-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setAccessibleName(tr("Notification"))
        self.prompt: Prompt | None = None
        self._waiting = 0
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.confirm_button = button(tr("&Confirm"), tr("Confirm this change"), self._confirm)
        self.review_button = button(tr("Re&view"), tr("Review in Suggestions"), self._review)
        self.close_button = button(tr("Hide"), tr("Hide notification"), self.dismiss)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.review_button)
        layout.addWidget(self.close_button)
        self.setVisible(False)

    def show_prompt(self, prompt: Prompt) -> None:
        self._waiting = self._waiting + 1 if self.isVisible() else 0
        self.prompt = prompt
        text = f"<b>{html.escape(prompt.title)}</b> — {html.escape(prompt.body)}"
        if self._waiting:
            text += " " + tr("(and {n} more in Suggestions)").format(n=self._waiting)
        self.label.setText(text)
        self.confirm_button.setVisible(prompt.confirmable)
        self.setVisible(True)

    def dismiss(self) -> None:
        self.prompt = None
        self._waiting = 0
        self.setVisible(False)

    def forget(self, suggestion_id: int) -> None:
        """The suggestion was decided elsewhere (the pane, a notification): drop it from the banner."""
        if self.prompt is not None and self.prompt.suggestion_id == suggestion_id:
            self.dismiss()

    def _review(self) -> None:
        if self.prompt is not None:
            sid = self.prompt.suggestion_id
            self.dismiss()
            self.review.emit(sid)

    def _confirm(self) -> None:
        if self.prompt is not None:
            sid = self.prompt.suggestion_id
            self.dismiss()
            self.confirm.emit(sid)
