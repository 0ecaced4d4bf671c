"""The main window over real store data, loaded off the Qt thread."""

from __future__ import annotations

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import CalendarInfo, ProviderKind, RoleType
from calendar_desktop.ui.main_window import MainWindow
from tests.support.events import make_event, page


def test_empty_profile_shows_the_empty_state(window: MainWindow) -> None:
    assert window.accounts_stack.currentWidget() is window.empty_state
    assert "Connect a calendar to get started" in window.empty_state.text()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Accounts", "Events", "Suggestions", "Pipeline"]
    assert window.events_model.rowCount() == 0


def test_panes_follow_the_store(window: MainWindow, service: AppService, qtbot) -> None:
    account = service.store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com")
    (calendar,) = service.store.calendars.replace_from_provider(account.id, [CalendarInfo("w", "Work calendar")])
    service.store.events.apply_page(calendar.id, page(*[make_event(i) for i in range(3)]))
    window.refresh_all()
    qtbot.waitUntil(lambda: window.events_model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: window.accounts_stack.currentWidget() is window.accounts_view, timeout=5000)
    root = window.accounts_model.item(0)
    assert root.text().startswith("Work") and root.child(0).text() == "Work calendar"

    service.add_application("Acme", "Platform Engineer", RoleType.FULL_TIME)  # announced on the bus
    qtbot.waitUntil(lambda: window.applications_model.rowCount() == 1, timeout=5000)
    assert window.applications_model.row_at(0).company == "Acme"


def test_search_filters_events(window: MainWindow, service: AppService, qtbot) -> None:
    account = service.store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com")
    (calendar,) = service.store.calendars.replace_from_provider(account.id, [CalendarInfo("w", "Work")])
    service.store.events.apply_page(calendar.id, page(make_event(1, title="Acme onsite"), make_event(2, title="Dentist")))
    window.refresh_events()
    qtbot.waitUntil(lambda: window.events_model.rowCount() == 2, timeout=5000)
    qtbot.keyClicks(window.search_box, "acme")
    qtbot.waitUntil(lambda: window.events_model.rowCount() == 1, timeout=5000)
    assert window.events_model.row_at(0).event.title == "Acme onsite"


def test_unchecking_a_calendar_deselects_it(window: MainWindow, service: AppService, qtbot) -> None:
    from PySide6.QtCore import Qt

    account = service.store.accounts.add(ProviderKind.CALDAV, "Work", "me@example.com")
    (calendar,) = service.store.calendars.replace_from_provider(account.id, [CalendarInfo("w", "Work")])
    window.refresh_accounts()
    qtbot.waitUntil(lambda: window.accounts_model.rowCount() == 1, timeout=5000)
    window.accounts_model.item(0).child(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: not service.store.calendars.get(calendar.id).selected, timeout=5000)
