"""The README's screenshots come from a script: keep it working (a real window under Xvfb)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from tests.support.cli import REPO
from tests.support.xserver import missing_binaries


@pytest.mark.slow
def test_make_screenshots_writes_every_picture(tmp_path) -> None:
    missing = missing_binaries(with_tray=True)
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (`.ci/dev test` installs the Debian packages xvfb and trayer)")
    proc = subprocess.run(
        [sys.executable, str(REPO / "docs" / "screenshots" / "make_screenshots.py"), str(tmp_path)],
        capture_output=True, text=True, timeout=110, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("accounts.png", "events.png", "reschedule.png", "tray.png", "settings.png"):
        image = QImage(str(tmp_path / name))
        assert not image.isNull() and image.width() > 300, name
