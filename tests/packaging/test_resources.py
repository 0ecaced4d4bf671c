"""Finding resources/ from a checkout, a PyInstaller bundle and a wheel install; the window icon."""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path

import pytest

from calendar_desktop import resources
from tests.packaging.scripts import REPO


def test_a_checkout_uses_the_top_level_resources_folder() -> None:
    assert resources.resources_dir() == REPO / "resources"
    assert resources.app_icon_path() == REPO / "resources" / "icons" / "calendar-desktop.svg"


def test_a_bundle_uses_the_resources_inside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "resources", tmp_path / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.app_icon_path() == tmp_path / "resources" / "icons" / "calendar-desktop.svg"

    shutil.rmtree(tmp_path / "resources")  # a broken bundle must not pick up files from elsewhere
    assert resources.app_icon_path() is None


def test_a_wheel_install_uses_its_data_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "venv"
    icon = prefix / "share" / "calendar-desktop" / "icons" / "calendar-desktop.svg"
    icon.parent.mkdir(parents=True)
    shutil.copy2(REPO / "resources" / "icons" / "calendar-desktop.svg", icon)
    site_packages = prefix / "lib" / "site-packages" / "calendar_desktop"
    monkeypatch.setattr(resources, "__file__", str(site_packages / "resources.py"))
    monkeypatch.setattr(sysconfig, "get_path", lambda name, scheme=None: str(prefix))
    assert resources.app_icon_path() == icon


def test_the_application_carries_the_app_icon(qapp) -> None:
    from calendar_desktop.ui.app import _application

    app = _application()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().pixmap(32, 32).width() == 32
