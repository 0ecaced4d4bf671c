"""Where the app's resources (icon, desktop entry, metainfo) are, however it was installed.

The files live in the top-level ``resources/`` folder of the source tree. They are found there in a
checkout or an editable install, in ``_MEIPASS/resources`` inside a PyInstaller bundle, and in
``<prefix>/share/calendar-desktop`` after a wheel install (pyproject.toml ships them as data
files). No Qt here: the CLI may import this too.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

APP_ID = "calendar-desktop"
ICON = Path("icons") / f"{APP_ID}.svg"


def _candidates() -> list[Path]:
    bundled = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundled:
        return [Path(bundled) / "resources"]
    checkout = Path(__file__).resolve().parent.parent / "resources"
    schemes = [sysconfig.get_default_scheme(), f"{os.name}_user"]
    installed = [Path(sysconfig.get_path("data", scheme)) / "share" / APP_ID for scheme in schemes]
    return [checkout, *installed]


def resources_dir() -> Path | None:
    """The folder holding ``icons/calendar-desktop.svg`` and its siblings, or None if none is found."""
    return next((folder for folder in _candidates() if (folder / ICON).is_file()), None)


def app_icon_path() -> Path | None:
    """The app icon (SVG), for the window and the tray; None when the resources are missing."""
    folder = resources_dir()
    return folder / ICON if folder else None
