"""What a build is called: the version (from ``calendar_desktop.__version__``) and artifact names.

Shared by build.py and the tests; loaded as a file (``packaging/`` is not a package, DESIGN.md §4).
"""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "calendar-desktop"


def project_version() -> str:
    """The version of this checkout: ``calendar_desktop.__version__``, the only place it is written."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # this checkout's package, even if another copy is installed
    from calendar_desktop import __version__

    return __version__


def debian_version(version: str) -> str:
    """PEP 440 to Debian: a pre-release sorts before its release through '~' (1.0rc1 -> 1.0~rc1)."""
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version, count=1)


def debian_architecture(machine: str) -> str:
    """Debian's name for a CPU as ``platform.machine()`` reports it (x86_64 -> amd64)."""
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf", "i686": "i386"}.get(machine, machine)


def artifact_names(version: str, system: str | None = None, machine: str | None = None) -> list[str]:
    """The files ``build.py`` leaves in ``dist/`` besides the bundle folder, for one platform."""
    system = system or platform.system()
    machine = (machine or platform.machine()).lower()
    if system == "Linux":
        return [f"{NAME}-{version}-linux-{machine}.tar.gz", f"{NAME}_{debian_version(version)}_{debian_architecture(machine)}.deb"]
    if system == "Windows":
        machine = {"amd64": "x64", "x86_64": "x64"}.get(machine, machine)
        return [f"{NAME}-{version}-windows-{machine}-setup.exe"]
    if system == "Darwin":
        return [f"{NAME}-{version}-macos-{machine}.dmg"]
    raise ValueError(f"no installers are defined for {system}")
