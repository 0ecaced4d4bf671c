"""Notifications with buttons over a real D-Bus session bus: a private dbus-daemon and a fake
notification service that presses the button a user would."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from calendar_desktop.core.service import AppService
from calendar_desktop.domain import SuggestionStatus
from calendar_desktop.ui.shell import DesktopShell
from tests.support.cli import REPO
from tests.ui.helpers import reschedule_suggestion, tracked_interview

pytest.importorskip("desktop_notifier", reason="the optional desktop-notifier is not installed")


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon (Debian package dbus-daemon)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        address = daemon.stdout.readline().strip()  # type: ignore[union-attr]
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address
    finally:
        daemon.terminate()
        daemon.wait(5)
        daemon.stdout.close()  # type: ignore[union-attr]


class FakeService:
    def __init__(self, address: str, press: str) -> None:
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.fake_notifications", press],
            stdout=subprocess.PIPE, text=True, cwd=REPO,
            env={"DBUS_SESSION_BUS_ADDRESS": address, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        try:
            ready = self.lines.get(timeout=20)
        except queue.Empty:
            ready = None
        if ready != {"ready": True}:
            self.stop()
            raise RuntimeError("the fake notification service did not start")

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.put(json.loads(line))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)
        self.proc.stdout.close()  # type: ignore[union-attr]


@pytest.fixture
def pressing_confirm(session_bus: str) -> Iterator[FakeService]:
    service = FakeService(session_bus, "Confirm")
    yield service
    service.stop()


def test_confirm_button_on_the_os_notification_applies_the_reschedule(
    shell: DesktopShell, service: AppService, pressing_confirm: FakeService, qtbot
) -> None:
    task = shell.worker.spawn(shell.upgrade_notifications())
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == "desktop-notifier"
    interview = tracked_interview(service)
    suggestion = reschedule_suggestion(service, interview, hours=5)
    qtbot.waitUntil(lambda: not pressing_confirm.lines.empty(), timeout=10_000)  # the Qt loop must run to send
    sent = pressing_confirm.lines.get_nowait()
    assert sent["summary"] == "Interview rescheduled" and "confirm?" in sent["body"]
    assert [b for b in sent["buttons"] if b] == ["Confirm", "Review"]
    qtbot.waitUntil(lambda: service.store.suggestions.get(suggestion.id).status is SuggestionStatus.ACCEPTED, timeout=10_000)
    assert service.store.interviews.get(interview.id).start == suggestion.start


def test_without_a_notification_service_the_chain_keeps_the_banner(shell: DesktopShell, session_bus: str, qtbot) -> None:
    task = shell.worker.spawn(shell.upgrade_notifications())
    qtbot.waitUntil(task.done, timeout=15_000)
    assert task.result() == "banner" and shell.banner is not None
