"""The tray for real: Xvfb with trayer as the tray host, the app in its own process on that display."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.cli import REPO
from tests.support.xserver import VirtualDisplay, missing_binaries, virtual_display


@pytest.fixture
def tray_display() -> Iterator[VirtualDisplay]:
    missing = missing_binaries(with_tray=True)
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (`.ci/dev test` installs the Debian packages xvfb and trayer)")
    with virtual_display(with_tray=True) as display:
        yield display


@pytest.fixture
def tray_run(tray_display: VirtualDisplay, profile_dir) -> dict[str, Any]:
    env = {**tray_display.env(), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.tray_scenario", str(profile_dir)],
        capture_output=True, text=True, timeout=90, cwd=REPO, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_tray_icon_menu_messages_and_click_to_confirm(tray_run: dict[str, Any]) -> None:
    r = tray_run
    assert "error" not in r, r
    assert r["tray_available"] and r["tray_visible"]
    assert r["tray_geometry"][0] > 0 and r["tray_geometry"][1] > 0  # embedded in trayer for real
    assert r["notifier"] == "tray"
    assert r["menu"] == ["&Open calendar-desktop", "No pending suggestions", "&Sync now", "&Pause syncing", "&Quit"]
    # Closing the window keeps the app in the tray, with a hint shown once.
    assert r["closed_window_hidden"] and not r["quit_on_close"]
    assert "still running" in r["hint"] and r["hint_remembered"] == "1"
    # A reschedule arrives: a balloon, a badge count, the count in the menu and tooltip.
    assert "Interview rescheduled" in r["message"] and "confirm?" in r["message"]
    assert r["pending"] == 1 and "1 pending suggestion" in r["tooltip"]
    assert "1 pending suggestion" in r["menu_after"]
    # Clicking the balloon opens the window on that confirmation.
    assert r["window_shown_after_click"] and r["opened_on_suggestion"] and r["current_tab"]
    assert r["paused_from_tray"]
    assert not r["second_close_hint"]  # the hint is one-time
    assert r["quit_from_tray"]
