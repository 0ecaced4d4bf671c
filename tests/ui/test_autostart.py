"""Start at login: the XDG autostart entry (Windows and macOS variants are built but not run here)."""

from __future__ import annotations

import plistlib
import shutil
import subprocess

import pytest

from calendar_desktop.ui.autostart import launch_agent, set_start_at_login, xdg_autostart_file


def test_xdg_entry_is_written_and_removed(isolated_home) -> None:
    command = ["/opt/calendar desktop/bin/python", "-m", "calendar_desktop", "--minimized"]
    set_start_at_login(True, command, platform="linux")
    path = xdg_autostart_file()
    assert path.parent == isolated_home / ".config" / "autostart"
    text = path.read_text()
    assert 'Exec="/opt/calendar desktop/bin/python" -m calendar_desktop --minimized' in text
    assert "Type=Application" in text
    set_start_at_login(False, command, platform="linux")
    assert not path.exists()
    set_start_at_login(False, command, platform="linux")  # already off: nothing to do


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_xdg_entry_is_a_valid_desktop_file() -> None:
    set_start_at_login(True, ["/usr/bin/calendar-desktop", "--minimized"], platform="linux")
    result = subprocess.run(["desktop-file-validate", str(xdg_autostart_file())], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_launch_agent_runs_the_command_at_load() -> None:
    agent = plistlib.loads(launch_agent(["/Applications/calendar-desktop.app/Contents/MacOS/calendar-desktop"]))
    assert agent["RunAtLoad"] is True
    assert agent["ProgramArguments"] == ["/Applications/calendar-desktop.app/Contents/MacOS/calendar-desktop"]
