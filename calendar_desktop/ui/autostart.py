"""Start at login: an XDG autostart entry on Linux, the Run key on Windows, a LaunchAgent on macOS.

No Qt here. Each platform's part is a few lines behind one ``set_start_at_login(enabled)``;
only the XDG one can be exercised on this project's Linux CI.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Sequence
from pathlib import Path

APP_ID = "calendar-desktop"
LAUNCH_AGENT_LABEL = "org.calendar-desktop.app"


def launch_command() -> list[str]:
    """How to start the app from a login session: the frozen executable, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "calendar_desktop", "--minimized"]


# --- Linux and other XDG desktops ----------------------------------------------------------------


def xdg_autostart_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / f"{APP_ID}.desktop"


def _desktop_exec(command: Sequence[str]) -> str:
    """Quote arguments as the Desktop Entry spec wants (double quotes, escaped specials)."""

    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
            return arg.replace("%", "%%")
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
        return '"' + escaped.replace("%", "%%") + '"'

    return " ".join(quote(a) for a in command)


def xdg_entry(command: Sequence[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=calendar-desktop",
            "Comment=Keep your calendars and job pipeline in sync",
            f"Exec={_desktop_exec(command)}",
            "Icon=calendar-desktop",
            "Terminal=false",
            "Categories=Office;Calendar;",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def _set_xdg(enabled: bool, command: Sequence[str]) -> None:
    path = xdg_autostart_file()
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xdg_entry(command), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


# --- Windows --------------------------------------------------------------------------------------


def _set_windows(enabled: bool, command: Sequence[str]) -> None:  # pragma: no cover - Windows only
    import subprocess
    import winreg

    key = winreg.OpenKey(
        winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run", 0, winreg.KEY_SET_VALUE
    )
    with key:
        if enabled:
            winreg.SetValueEx(key, APP_ID, 0, winreg.REG_SZ, subprocess.list2cmdline(list(command)))
        else:
            try:
                winreg.DeleteValue(key, APP_ID)
            except FileNotFoundError:
                pass


# --- macOS ----------------------------------------------------------------------------------------


def launch_agent_file() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def launch_agent(command: Sequence[str]) -> bytes:
    return plistlib.dumps({"Label": LAUNCH_AGENT_LABEL, "ProgramArguments": list(command), "RunAtLoad": True})


def _set_macos(enabled: bool, command: Sequence[str]) -> None:  # pragma: no cover - macOS only
    path = launch_agent_file()
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(launch_agent(command))
    else:
        path.unlink(missing_ok=True)


def set_start_at_login(enabled: bool, command: Sequence[str] | None = None, platform: str = sys.platform) -> None:
    command = list(command or launch_command())
    if platform == "win32":
        _set_windows(enabled, command)
    elif platform == "darwin":
        _set_macos(enabled, command)
    else:
        _set_xdg(enabled, command)
