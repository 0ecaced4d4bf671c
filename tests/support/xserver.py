"""A virtual X display (Xvfb) with an optional tray host (trayer), for real-window tests and screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class DisplayUnavailable(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class VirtualDisplay:
    name: str
    """e.g. ``:93``"""

    def env(self) -> dict[str, str]:
        """Environment for a Qt process on this display (no session bus: trayer's XEmbed tray is used)."""
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        env.update(DISPLAY=self.name, QT_QPA_PLATFORM="xcb")
        return env


def missing_binaries(with_tray: bool = True) -> list[str]:
    wanted = ["Xvfb", *(["trayer"] if with_tray else [])]
    return [b for b in wanted if shutil.which(b) is None]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def virtual_display(*, with_tray: bool = True, size: str = "1280x800x24") -> Iterator[VirtualDisplay]:
    """Start Xvfb on a free display (it picks one: ``-displayfd``), then trayer; stop both after."""
    missing = missing_binaries(with_tray)
    if missing:
        raise DisplayUnavailable(f"missing {', '.join(missing)} (Debian packages xvfb and trayer)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    tray: subprocess.Popen[bytes] | None = None
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise DisplayUnavailable("Xvfb did not start")
        display = VirtualDisplay(f":{number}")
        if with_tray:
            tray = subprocess.Popen(
                ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "28",
                 "--SetDockType", "true", "--transparent", "false"],
                env=display.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(0.3)  # trayer claims the tray selection; clients also wait for it themselves
        yield display
    finally:
        if tray is not None:
            _stop(tray)
        _stop(xvfb)
