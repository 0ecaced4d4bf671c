"""The Suggestions pane: pending first, confidence shown, accept / edit / dismiss by clicking."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import InterviewStatus, Stage, SuggestionStatus
from calendar_desktop.ui.main_window import MainWindow
from calendar_desktop.ui.dialogs.fields import select_enum, to_qt
from tests.ui.helpers import new_interview_suggestion, reschedule_suggestion, tracked_interview


def _wait_rows(qtbot, window: MainWindow, n: int) -> None:
    qtbot.waitUntil(lambda: window.suggestions_pane.model.rowCount() == n, timeout=5000)


def test_confirm_a_reschedule_by_clicking(window: MainWindow, service: AppService, qtbot) -> None:
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview, hours=48)
    pane = window.suggestions_pane
    _wait_rows(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.tabs.tabText(window.suggestions_tab).replace("&", "") == "Suggestions (1)", timeout=5000)
    text = pane.model.index(0, 2).data()
    assert text.startswith("We saw this interview rescheduled to ") and text.endswith(", confirm?")
    assert pane.model.index(0, 1).data().startswith("Acme")  # the application's company is filled in
    assert pane.model.index(0, 3).data() == "high (1.00)"

    window.tabs.setCurrentWidget(pane)
    pane.select(suggestion.id)
    assert pane.accept_button.text().replace("&", "") == "Confirm"
    qtbot.mouseClick(pane.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.store.interviews.get(interview.id).start == interview.start + timedelta(hours=48),
                    timeout=5000)  # fmt: skip
    assert service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED
    _wait_rows(qtbot, window, 0)
    assert window.tabs.tabText(window.suggestions_tab).replace("&", "") == "Suggestions"


def test_accept_a_new_interview_by_clicking_creates_the_pipeline_entry(
    window: MainWindow, service: AppService, qtbot
) -> None:
    suggestion = new_interview_suggestion(service, "Globex", score=0.82)
    pane = window.suggestions_pane
    _wait_rows(qtbot, window, 1)
    assert pane.model.index(0, 3).data() == "high (0.82)"
    pane.select(suggestion.id)
    qtbot.mouseClick(pane.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pipeline_pane.applications_model.rowCount() == 1, timeout=5000)
    application = window.pipeline_pane.applications_model.row_at(0)
    assert (application.company, application.role) == ("Globex", "Backend Engineer")
    assert [i.stage for i in service.list_interviews(application.id)] == [Stage.RECRUITER_SCREEN]


def test_edit_before_accepting(window: MainWindow, service: AppService, qtbot) -> None:
    existing = service.add_application("Initech", "SRE")
    suggestion = new_interview_suggestion(service, "Initech Labs")
    pane = window.suggestions_pane
    _wait_rows(qtbot, window, 1)
    pane.select(suggestion.id)
    dialog = pane.edit_and_accept()
    assert dialog is not None and dialog.company.text() == "Initech Labs"
    dialog.application.setCurrentIndex(dialog.application.findData(existing.id))
    assert not dialog.company.isEnabled()
    select_enum(dialog.stage, Stage.ONSITE)
    new_start = suggestion.start + timedelta(days=1)
    dialog.start.setDateTime(to_qt(new_start))
    dialog.end.setDateTime(to_qt(new_start + timedelta(hours=2)))
    dialog._accept_if_valid()
    qtbot.waitUntil(lambda: service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED, timeout=5000)
    (interview,) = service.list_interviews(existing.id)
    assert (interview.stage, interview.start, interview.end) == (Stage.ONSITE, new_start, new_start + timedelta(hours=2))
    assert [a.company for a in service.list_applications()] == ["Initech"]  # no duplicate application


def test_edit_refuses_an_end_before_the_start(window: MainWindow, service: AppService, qtbot) -> None:
    suggestion = new_interview_suggestion(service)
    pane = window.suggestions_pane
    _wait_rows(qtbot, window, 1)
    pane.select(suggestion.id)
    dialog = pane.edit_and_accept()
    assert dialog is not None
    dialog.end.setDateTime(dialog.start.dateTime().addSecs(-60))
    dialog._accept_if_valid()
    assert dialog.isVisible() and "end after" in dialog.error.text()
    dialog.reject()


def test_dismiss_and_show_decided(window: MainWindow, service: AppService, qtbot) -> None:
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview)
    pane = window.suggestions_pane
    _wait_rows(qtbot, window, 1)
    pane.select(suggestion.id)
    qtbot.mouseClick(pane.dismiss_button, Qt.MouseButton.LeftButton)
    _wait_rows(qtbot, window, 0)
    assert service.store.interviews.get(interview.id).start == interview.start
    assert service.store.interviews.get(interview.id).status is InterviewStatus.SCHEDULED
    pane.show_decided.setChecked(True)
    _wait_rows(qtbot, window, 1)
    pane.select(suggestion.id)
    assert pane.model.index(0, 4).data() == "Dismissed"
    assert not pane.accept_button.isEnabled() and not pane.dismiss_button.isEnabled()
