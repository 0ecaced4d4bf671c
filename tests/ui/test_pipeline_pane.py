"""The Pipeline pane: add, edit and archive applications; add and edit their interviews."""

from __future__ import annotations

from datetime import timedelta

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import ApplicationStatus, InterviewStatus, RoleType, Stage
from calendar_desktop.ui.dialogs.fields import select_enum, to_qt
from calendar_desktop.ui.main_window import MainWindow
from tests.ui.helpers import tracked_interview


def test_add_edit_and_archive_an_application(window: MainWindow, service: AppService, qtbot) -> None:
    pane = window.pipeline_pane
    dialog = pane.add_application()
    qtbot.keyClicks(dialog.company, "Acme")
    qtbot.keyClicks(dialog.role, "Platform Engineer")
    qtbot.keyClicks(dialog.aliases, "Acme Corp, acme.io")
    select_enum(dialog.role_type, RoleType.CONTRACT)
    dialog._accept_if_valid()
    qtbot.waitUntil(lambda: pane.applications_model.rowCount() == 1, timeout=5000)
    (application,) = service.list_applications()
    assert (application.company, application.role_type, application.aliases) == (
        "Acme", RoleType.CONTRACT, ("Acme Corp", "acme.io")
    )

    assert pane.select_application(application.id)
    edit = pane.edit_application()
    assert edit is not None and edit.company.text() == "Acme"
    select_enum(edit.status, ApplicationStatus.OFFER)
    edit.role.setText("Staff Platform Engineer")
    edit._accept_if_valid()
    qtbot.waitUntil(lambda: service.store.applications.get(application.id).status is ApplicationStatus.OFFER, timeout=5000)
    assert service.store.applications.get(application.id).role == "Staff Platform Engineer"

    qtbot.waitUntil(lambda: pane.select_application(application.id), timeout=5000)
    pane.archive_button.click()
    qtbot.waitUntil(lambda: pane.applications_model.rowCount() == 0, timeout=5000)
    assert service.store.applications.get(application.id).archived
    pane.show_archived.setChecked(True)
    qtbot.waitUntil(lambda: pane.applications_model.rowCount() == 1, timeout=5000)
    assert pane.applications_model.index(0, 3).data() == "offer (archived)"
    pane.select_application(application.id)
    assert pane.archive_button.text().replace("&", "") == "Restore"


def test_an_application_needs_a_company(window: MainWindow) -> None:
    dialog = window.pipeline_pane.add_application()
    dialog._accept_if_valid()
    assert dialog.isVisible() and dialog.company.placeholderText() == "A company name is needed"
    dialog.reject()


def test_interviews_of_the_selected_application(window: MainWindow, service: AppService, qtbot) -> None:
    interview = tracked_interview(service, "Acme")
    pane = window.pipeline_pane
    qtbot.waitUntil(lambda: pane.select_application(interview.application_id), timeout=5000)
    qtbot.waitUntil(lambda: pane.interviews_model.rowCount() == 1, timeout=5000)
    assert pane.interviews_model.index(0, 1).data() == "technical"
    assert pane.interviews_label.text() == "Interviews at Acme"

    pane.interviews_view.selectRow(0)
    edit = pane.edit_interview()
    assert edit is not None
    moved = interview.start + timedelta(days=2)
    edit.start.setDateTime(to_qt(moved))
    edit.end.setDateTime(to_qt(moved + timedelta(hours=1)))
    select_enum(edit.status, InterviewStatus.DONE)
    edit._accept_if_valid()
    qtbot.waitUntil(lambda: service.store.interviews.get(interview.id).start == moved, timeout=5000)
    assert service.store.interviews.get(interview.id).status is InterviewStatus.DONE

    add = pane.add_interview()
    assert add is not None
    select_enum(add.stage, Stage.FINAL)
    add.title.setText("Final round")
    add._accept_if_valid()
    qtbot.waitUntil(lambda: pane.interviews_model.rowCount() == 2, timeout=5000)
    assert {i.stage for i in service.list_interviews(interview.application_id)} == {Stage.TECHNICAL, Stage.FINAL}
