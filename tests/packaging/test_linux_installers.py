"""The Linux installers, built once per session with ``packaging/build.py`` and used as a user would.

The .deb is extracted with ``dpkg-deb -x`` (not installed), then its bundled binary runs the
window offscreen and the headless CLI. ``CALENDAR_DESKTOP_DIST=DIR`` reuses the artifacts of a
build made just before (the CI workflow builds, then runs these tests on what it uploads).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PyInstaller.archive.readers import CArchiveReader

from calendar_desktop import __version__
from tests.packaging.scripts import BUILD_SCRIPT, REPO, load

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),  # the first test also pays for the build (about 2-3 minutes on 2 cores)
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb and tarball are Linux artifacts"),
]

APP = "calendar-desktop"


@dataclass(frozen=True)
class Installers:
    tarball: Path
    deb: Path


@pytest.fixture(scope="session")
def installers(tmp_path_factory: pytest.TempPathFactory) -> Installers:
    tarball_name, deb_name = load("artifacts").artifact_names(__version__)
    reused = os.environ.get("CALENDAR_DESKTOP_DIST")
    if reused:
        dist = (REPO / reused).resolve()
    else:
        scratch = tmp_path_factory.mktemp("installers")
        dist = scratch / "dist"
        env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(scratch / "pyinstaller-cache")}
        build = subprocess.run(
            [sys.executable, str(BUILD_SCRIPT), "--dist", str(dist), "--work", str(scratch / "work")],
            capture_output=True,
            text=True,
            env=env,
            timeout=840,
        )
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-4000:]
    return Installers(tarball=dist / tarball_name, deb=dist / deb_name)


@pytest.fixture(scope="session")
def deb_root(installers: Installers, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(installers.deb), str(root)], check=True)
    return root


@pytest.fixture
def bundled_app(deb_root: Path) -> Path:
    return deb_root / "opt" / APP / APP


def run_bundled(app: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(app), *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def test_artifacts_carry_the_version_in_their_names(installers: Installers) -> None:
    assert installers.tarball.is_file() and installers.deb.is_file()
    assert __version__ in installers.tarball.name and __version__ in installers.deb.name
    assert deb_field(installers.deb, "Version") == __version__


def test_deb_installs_under_opt_with_a_launcher_a_desktop_entry_and_icons(deb_root: Path) -> None:
    launcher = deb_root / "usr" / "bin" / APP
    assert launcher.is_symlink() and os.readlink(launcher) == f"/opt/{APP}/{APP}"
    assert os.access(deb_root / "opt" / APP / APP, os.X_OK)

    entry = deb_root / "usr" / "share" / "applications" / f"{APP}.desktop"
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    assert "Icon=calendar-desktop" in entry.read_text()

    hicolor = deb_root / "usr" / "share" / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / f"{APP}.svg").is_file()
    for size in (16, 32, 48, 128, 256, 512):
        assert (hicolor / f"{size}x{size}" / "apps" / f"{APP}.png").is_file()
    assert (deb_root / "usr" / "share" / "metainfo" / "io.github.calendar_desktop.metainfo.xml").is_file()


def test_deb_depends_on_the_system_libraries_the_bundle_loads(installers: Installers) -> None:
    depends = {name.strip() for name in deb_field(installers.deb, "Depends").split(",")}
    # xcb's core library and GL come from the system; so do the libraries the spec keeps out.
    assert {"libc6", "libxcb1", "libgl1", "libegl1", "libstdc++6", "libfontconfig1", "libfreetype6"} <= depends
    # No maintainer scripts: dpkg triggers of hicolor-icon-theme and desktop-file-utils refresh the caches.
    info = subprocess.run(["dpkg-deb", "--info", str(installers.deb)], capture_output=True, text=True, check=True)
    assert not re.search(r"\b(preinst|postinst|prerm|postrm)\b", info.stdout)


def test_bundled_binary_prints_its_version(bundled_app: Path) -> None:
    result = run_bundled(bundled_app, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP} {__version__}"


def test_bundled_window_starts_offscreen(bundled_app: Path, tmp_path: Path) -> None:
    result = run_bundled(bundled_app, "--profile", str(tmp_path / "profile"), "--smoke", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"startup_ms=\d+", result.stdout.strip()), result.stdout


def test_bundled_binary_runs_the_headless_cli(bundled_app: Path, tmp_path: Path) -> None:
    profile = str(tmp_path / "profile")
    added = run_bundled(bundled_app, "--profile", profile, "pipeline", "add", "--company", "Acme", "--role", "SRE")
    assert added.returncode == 0, added.stderr
    listed = run_bundled(bundled_app, "--profile", profile, "pipeline", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(a["company"], a["role"]) for a in json.loads(listed.stdout)] == [("Acme", "SRE")]


def test_bundle_holds_what_providers_import_lazily(bundled_app: Path) -> None:
    modules = set(CArchiveReader(str(bundled_app)).open_embedded_archive("PYZ.pyz").toc)
    lazily_imported = {
        "calendar_desktop.providers.registry", "calendar_desktop.resources", "caldav.davclient", "niquests",
        "googleapiclient.discovery", "google_auth_oauthlib.flow", "msal", "httpx", "keyring.backends.SecretService",
        "secretstorage", "jeepney", "icalendar", "recurring_ical_events", "rapidfuzz", "peewee", "platformdirs",
        "qasync",
    }  # fmt: skip
    assert lazily_imported - modules == set()
    internal = bundled_app.parent / "_internal"
    assert any(internal.glob("keyring-*.dist-info/entry_points.txt"))  # how keyring finds its backends
    documents = internal / "googleapiclient" / "discovery_cache" / "documents"
    assert [p.name for p in documents.iterdir()] == ["calendar.v3.json"]
    assert (internal / "resources" / "icons" / f"{APP}.svg").is_file()


def test_bundle_leaves_out_what_the_app_does_not_use(bundled_app: Path) -> None:
    internal = bundled_app.parent / "_internal"
    files = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    plugins = {name.split("plugins/", 1)[1] for name in files if "/plugins/" in name and name.endswith(".so")}
    assert {"platforms/libqxcb.so", "platforms/libqwayland.so", "platforms/libqoffscreen.so"} <= plugins
    assert "iconengines/libqsvgicon.so" in plugins
    assert "networkinformation/libqglib.so" in plugins  # sync soon when the network comes back
    unused = ("qgtk3", "qeglfs", "qvnc", "qjpeg", "qpdf", "tls/")
    assert [p for p in plugins if any(u in p for u in unused)] == []
    unwanted_libraries = ("libgtk-3", "libstdc++", "libfontconfig", "libQt6Qml", "libQt6Quick", "libQt6Pdf")
    assert [f for f in files if Path(f).name.startswith(unwanted_libraries)] == []
    assert not [f for f in files if f.endswith(".qm")]  # no Qt translations


def test_tarball_holds_the_bundle_in_a_versioned_folder(installers: Installers) -> None:
    with tarfile.open(installers.tarball) as archive:
        executable = archive.getmember(f"{APP}-{__version__}/{APP}")
        assert executable.isfile() and executable.mode & 0o111
        names = archive.getnames()
    assert all(name.startswith(f"{APP}-{__version__}") for name in names)
    assert f"{APP}-{__version__}/_internal/resources/icons/{APP}.svg" in names


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True, text=True, check=True).stdout.strip()
