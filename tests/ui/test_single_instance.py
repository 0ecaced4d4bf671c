"""One window per profile: a second launch raises the first instead of starting again."""

from __future__ import annotations

import os
import subprocess
import sys

from calendar_desktop.paths import AppPaths
from calendar_desktop.ui.single_instance import activate_running, claim, instance_key
from tests.support.cli import REPO


def test_second_claim_activates_the_first(paths: AppPaths, qtbot, tmp_path) -> None:
    first = claim(paths)
    assert first is not None
    try:
        with qtbot.waitSignal(first.activated, timeout=5000):
            assert claim(paths) is None  # the second launch finds the first and asks it to show
        other_profile = AppPaths.profile(tmp_path / "other")
        other = claim(other_profile)  # another profile runs side by side
        assert other is not None
        other.close()
    finally:
        first.close()
    assert not activate_running(instance_key(paths))


def test_a_second_process_exits_and_raises_the_running_window(paths: AppPaths, qtbot, profile_dir) -> None:
    first = claim(paths)
    assert first is not None
    try:
        with qtbot.waitSignal(first.activated, timeout=30_000):
            proc = subprocess.run(
                [sys.executable, "-m", "calendar_desktop", "--profile", str(profile_dir)],
                capture_output=True, text=True, timeout=60, cwd=REPO,
                env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"},
            )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "already running" in proc.stdout
    finally:
        first.close()
