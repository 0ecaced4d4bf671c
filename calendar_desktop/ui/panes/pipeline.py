"""The Pipeline pane: applications (add, edit, archive) and the selected application's interviews."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from calendar_desktop.domain import Application, Interview
from calendar_desktop.ui.context import Pane, UiContext, translator
from calendar_desktop.ui.dialogs.pipeline import ApplicationDialog, InterviewDialog
from calendar_desktop.ui.models.pipeline import ApplicationsModel, InterviewsModel
from calendar_desktop.ui.widgets import button, select_row, selected_row, table_view

tr = translator("PipelinePane")


class PipelinePane(Pane):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.applications_model = ApplicationsModel(self)
        self.interviews_model = InterviewsModel(self)
        self._interviews: list[Interview] = []

        self.show_archived = QCheckBox(tr("Show a&rchived"))
        self.show_archived.setAccessibleName(tr("Show archived applications"))
        self.show_archived.toggled.connect(lambda _on: self.refresh())
        self.add_button = button(tr("&Add application…"), tr("Add application"), self.add_application)
        self.edit_button = button(tr("&Edit…"), tr("Edit application"), self.edit_application)
        self.archive_button = button(tr("A&rchive"), tr("Archive or restore application"), self.toggle_archived)
        top = QHBoxLayout()
        top.addWidget(self.show_archived)
        top.addStretch(1)
        for widget in (self.add_button, self.edit_button, self.archive_button):
            top.addWidget(widget)

        self.applications_view = table_view(self.applications_model, tr("Applications"))
        self.applications_view.setColumnWidth(0, 180)
        self.applications_view.setColumnWidth(1, 240)
        self.applications_view.selectionModel().selectionChanged.connect(lambda *_: self._application_selected())
        self.applications_view.doubleClicked.connect(lambda _i: self.edit_application())

        self.interviews_label = QLabel(tr("Interviews"))
        self.interviews_view = table_view(self.interviews_model, tr("Interviews of the selected application"))
        self.interviews_view.setColumnWidth(0, 240)
        self.interviews_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.interviews_view.doubleClicked.connect(lambda _i: self.edit_interview())
        self.add_interview_button = button(tr("Add &interview…"), tr("Add interview"), self.add_interview)
        self.edit_interview_button = button(tr("Edit interv&iew…"), tr("Edit interview"), self.edit_interview)
        interview_buttons = QHBoxLayout()
        interview_buttons.addWidget(self.interviews_label, 1)
        interview_buttons.addWidget(self.add_interview_button)
        interview_buttons.addWidget(self.edit_interview_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(interview_buttons)
        lower_layout.addWidget(self.interviews_view)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("pipeline-splitter")
        self.splitter.addWidget(self.applications_view)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        service = self.ctx.service
        include_archived = self.show_archived.isChecked()

        def load() -> tuple[list[Application], list[Interview]]:
            return service.list_applications(include_archived=include_archived), service.list_interviews()

        def show(result: tuple[list[Application], list[Interview]]) -> None:
            applications, interviews = result
            selected = self.selected_application()
            self._interviews = interviews
            self.applications_model.replace(applications)
            if selected is not None:
                self.select_application(selected.id)
            self._application_selected()
            self.mark_ready()

        self.load_snapshot(load, show)

    def selected_application(self) -> Application | None:
        return selected_row(self.applications_view, Application)

    def selected_interview(self) -> Interview | None:
        return selected_row(self.interviews_view, Interview)

    def select_application(self, application_id: int) -> bool:
        row = self.applications_model.row_of(application_id)
        if row is None:
            return False
        select_row(self.applications_view, row)
        return True

    def _application_selected(self) -> None:
        application = self.selected_application()
        if application is None:
            self.interviews_model.replace([])
            self.interviews_label.setText(tr("Interviews"))
        else:
            self.interviews_model.replace([i for i in self._interviews if i.application_id == application.id])
            self.interviews_label.setText(tr("Interviews at {company}").format(company=application.company))
        self._update_buttons()

    def _update_buttons(self) -> None:
        application = self.selected_application()
        for widget in (self.edit_button, self.archive_button, self.add_interview_button):
            widget.setEnabled(application is not None)
        self.archive_button.setText(tr("&Restore") if application and application.archived else tr("A&rchive"))
        self.edit_interview_button.setEnabled(self.selected_interview() is not None)

    # --- commands ----------------------------------------------------------------------------

    def add_application(self) -> ApplicationDialog:
        dialog = ApplicationDialog(self)

        def save() -> None:
            v = dialog.values()
            self.run(
                lambda: self.ctx.service.add_application(
                    v.company, v.role, v.role_type, aliases=v.aliases, status=v.status
                )
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_application(self) -> ApplicationDialog | None:
        application = self.selected_application()
        if application is None:
            return None
        dialog = ApplicationDialog(self, application)

        def save() -> None:
            v = dialog.values()
            self.run(
                lambda: self.ctx.service.update_application(
                    application.id, company=v.company, role=v.role, role_type=v.role_type, aliases=v.aliases,
                    status=v.status,
                )
            )  # fmt: skip

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def toggle_archived(self) -> None:
        application = self.selected_application()
        if application is not None:
            archived = not application.archived
            self.run(lambda: self.ctx.service.update_application(application.id, archived=archived))

    def add_interview(self) -> InterviewDialog | None:
        application = self.selected_application()
        if application is None:
            return None
        dialog = InterviewDialog(application, self)

        def save() -> None:
            v = dialog.values()
            self.run(
                lambda: self.ctx.service.add_interview(
                    application.id, v.start, v.end, stage=v.stage, title=v.title, location=v.location
                )
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def edit_interview(self) -> InterviewDialog | None:
        application, interview = self.selected_application(), self.selected_interview()
        if application is None or interview is None:
            return None
        dialog = InterviewDialog(application, self, interview)

        def save() -> None:
            v = dialog.values()
            self.run(
                lambda: self.ctx.service.update_interview(
                    interview.id, stage=v.stage, start=v.start, end=v.end, title=v.title, location=v.location,
                    status=v.status,
                )
            )  # fmt: skip

        dialog.accepted.connect(save)
        dialog.open()
        return dialog
