"""Prompts outside the pane: banner without a tray, tray balloons, notifications with buttons.

Each path ends the same way: the window opens on the suggestion, or Confirm accepts it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import InterviewStatus, SuggestionStatus
from calendar_desktop.ui.notifications import DesktopNotifierAdapter, TrayMessageAdapter, prompt_for
from calendar_desktop.ui.shell import DesktopShell
from tests.ui.helpers import cancellation_suggestion, new_interview_suggestion, reschedule_suggestion, tracked_interview


def test_without_a_tray_a_reschedule_shows_as_a_banner_and_confirm_applies_it(
    shell: DesktopShell, service: AppService, qtbot
) -> None:
    window = shell.window
    interview = tracked_interview(service)
    with qtbot.waitSignal(shell.prompted, timeout=5000):
        suggestion = reschedule_suggestion(service, interview, hours=24)
    banner = window.banner
    assert banner.isVisible() and banner.confirm_button.isVisible()
    assert "Interview rescheduled" in banner.label.text() and "confirm?" in banner.label.text()
    qtbot.mouseClick(banner.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED, timeout=5000)
    assert service.store.interviews.get(interview.id).start == interview.start + timedelta(hours=24)
    assert not banner.isVisible()


def test_a_cancelled_interview_is_confirmed_from_the_banner(shell: DesktopShell, service: AppService, qtbot) -> None:
    interview = tracked_interview(service)
    with qtbot.waitSignal(shell.prompted, timeout=5000):
        suggestion = cancellation_suggestion(service, interview)
    banner = shell.window.banner
    assert "Interview cancelled?" in banner.label.text() and "Mark it cancelled?" in banner.label.text()
    qtbot.mouseClick(banner.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.store.interviews.get(interview.id).status is InterviewStatus.CANCELLED, timeout=5000)
    assert service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED


def test_banner_review_opens_the_suggestion_in_the_pane(shell: DesktopShell, service: AppService, qtbot) -> None:
    window = shell.window
    window.tabs.setCurrentIndex(1)
    new_interview_suggestion(service, "Initech")
    second = new_interview_suggestion(service, "Globex")
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "1 more" in window.banner.label.text()
    assert not window.banner.confirm_button.isVisible()  # a new interview is reviewed, not confirmed blind
    qtbot.mouseClick(window.banner.review_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.suggestions_pane
    qtbot.waitUntil(lambda: (s := window.suggestions_pane.selected()) is not None and s.id == second.id, timeout=5000)


def test_deciding_in_the_pane_clears_the_banner(shell: DesktopShell, service: AppService, qtbot) -> None:
    window = shell.window
    suggestion = new_interview_suggestion(service)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: window.suggestions_pane.select(suggestion.id), timeout=5000)
    window.suggestions_pane.dismiss_selected()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)


def test_notifications_off_still_leaves_the_prompt_in_the_pane(shell: DesktopShell, service: AppService, qtbot) -> None:
    service.update_settings(notifications=False)
    suggestion = new_interview_suggestion(service)
    qtbot.waitUntil(lambda: shell.window.suggestions_pane.model.row_of(suggestion.id) is not None, timeout=5000)


class FakeTray(QObject):
    message_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def show_message(self, title: str, body: str) -> None:
        self.messages.append((title, body))


def test_tray_balloon_click_opens_the_window_on_the_confirmation(
    shell: DesktopShell, service: AppService, qtbot
) -> None:
    tray = FakeTray()
    shell.os_notifier = TrayMessageAdapter(tray, shell.actions)
    shell.window.hide()
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview)
    qtbot.waitUntil(lambda: bool(tray.messages), timeout=5000)
    title, body = tray.messages[0]
    assert title == "Interview rescheduled" and body.startswith("Acme")
    tray.message_clicked.emit()
    window = shell.window
    assert window.isVisible() and window.tabs.currentWidget() is window.suggestions_pane
    qtbot.waitUntil(lambda: (s := window.suggestions_pane.selected()) is not None and s.id == suggestion.id, timeout=5000)
    qtbot.mouseClick(window.suggestions_pane.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED, timeout=5000)


class FakeDesktopNotifier:
    """Stands in for desktop_notifier.DesktopNotifier: records what was sent, lets the test press buttons."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> str:
        self.sent.append(kwargs)
        return str(len(self.sent))


def test_notification_buttons_confirm_or_review(shell: DesktopShell, service: AppService, qtbot) -> None:
    notifier = FakeDesktopNotifier()
    shell.os_notifier = DesktopNotifierAdapter(notifier, shell.actions, shell.worker.spawn)
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview, hours=3)
    qtbot.waitUntil(lambda: bool(notifier.sent), timeout=5000)
    buttons = {b.title: b for b in notifier.sent[0]["buttons"]}
    assert set(buttons) == {"Confirm", "Review"}
    buttons["Confirm"].on_pressed()
    qtbot.waitUntil(lambda: service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED, timeout=5000)

    other = new_interview_suggestion(service)
    qtbot.waitUntil(lambda: len(notifier.sent) == 2, timeout=5000)
    assert [b.title for b in notifier.sent[1]["buttons"]] == ["Review"]
    shell.window.hide()
    notifier.sent[1]["on_clicked"]()
    assert shell.window.isVisible()
    qtbot.waitUntil(
        lambda: (s := shell.window.suggestions_pane.selected()) is not None and s.id == other.id, timeout=5000
    )


def test_auto_applied_reschedules_are_reported_without_a_confirm(service: AppService) -> None:
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview)
    applied = service.store.suggestions.resolve(suggestion.id, SuggestionStatus.AUTO_APPLIED)
    prompt = prompt_for(applied)
    assert not prompt.confirmable and "applied automatically" in prompt.title
