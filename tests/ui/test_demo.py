"""Demo mode: the local Radicale, seeded with the fortnight, and stopped again."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx
import pytest

from calendar_desktop.demo.data import fortnight
from calendar_desktop.demo.server import PASSWORD, USER, RadicaleServer
from calendar_desktop.demo.session import DemoSession

pytest.importorskip("radicale", reason="the demo extra (radicale) is not installed")

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>"""


def test_demo_server_serves_the_seeded_fortnight_on_loopback_and_stops(tmp_path) -> None:
    session = DemoSession(tmp_path / "demo")
    session._serve_and_seed()
    try:
        assert session.server.url.startswith("http://127.0.0.1:")
        data = fortnight()
        with httpx.Client(auth=(USER, PASSWORD)) as client:
            counts = {}
            for name, url in session._calendar_urls.items():
                response = client.request("REPORT", url, content=REPORT, headers={"Depth": "1"})
                assert response.status_code == 207
                counts[name] = len(ElementTree.fromstring(response.content).findall("{DAV:}response"))
            props = client.request("PROPFIND", session._calendar_urls["Work"], headers={"Depth": "0"})
            assert "#3478f6" in props.text and "Work" in props.text
            session.move_tracked_interview()
            moved = client.get(f"{session._calendar_urls['Personal']}{data.tracked_uid}.ics").text
            assert "SEQUENCE:1" in moved
        assert counts == {name: sum(1 for i in data.items if i.calendar == name) for name in data.calendars}
    finally:
        session.server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(session.server.url, timeout=2)


def test_a_second_server_gets_its_own_port(tmp_path) -> None:
    first, second = RadicaleServer(tmp_path / "a"), RadicaleServer(tmp_path / "b")
    first.start()
    try:
        second.start()
        try:
            assert first.port != second.port
        finally:
            second.stop()
    finally:
        first.stop()


def test_demo_session_connects_through_caldav_and_the_move_prompts_a_reschedule(
    shell, service, qtbot, tmp_path
) -> None:
    """The whole demo: real Radicale, the CalDAV provider, detection and the tracker."""
    pytest.importorskip("calendar_desktop.providers.caldav.connect", reason="the CalDAV provider is not in this build")
    from calendar_desktop.core.wiring import build_controller
    from calendar_desktop.domain import ProviderKind, SuggestionKind, SuggestionStatus
    from calendar_desktop.providers.registry import ProviderContext, ProviderRegistry

    service.providers = ProviderRegistry(ProviderContext(service.paths.data_dir, {}))  # the real CalDAV provider
    controller = build_controller(service)
    session = DemoSession(tmp_path / "demo", move_after_s=0.2)
    try:
        task = shell.worker.spawn(session.start(service, controller))
        qtbot.waitUntil(task.done, timeout=60_000)
        account = task.result()
        assert account.provider is ProviderKind.CALDAV and account.server_url
        data = fortnight()
        assert service.count_events() == sum(len(i.events()) for i in data.items)
        (interview,) = [i for i in service.list_interviews() if i.event_uid == data.tracked_uid]

        def rescheduled():
            return [s for s in service.store.suggestions.list(SuggestionStatus.PENDING)
                    if s.kind is SuggestionKind.RESCHEDULE and s.interview_id == interview.id]  # fmt: skip

        qtbot.waitUntil(lambda: bool(rescheduled()), timeout=60_000)
        assert rescheduled()[0].start == interview.start + data.reschedule_by
        # The suggestion is in the store before its bus message reaches the Qt thread, and the banner
        # may still show an earlier prompt: wait for the newest one.
        qtbot.waitUntil(lambda: "Interview rescheduled" in shell.window.banner.label.text(), timeout=10_000)
        assert shell.window.banner.isVisible()
    finally:
        stopping = shell.worker.spawn(session.stop())
        qtbot.waitUntil(stopping.done, timeout=30_000)
        stopped = shell.worker.spawn(controller.stop())
        qtbot.waitUntil(stopped.done, timeout=30_000)
    assert not (tmp_path / "demo").exists()
