"""Build the installers of calendar-desktop for the platform this runs on.

    python packaging/build.py [--dist DIR] [--work DIR]     # default: dist/ and build/
    python packaging/build.py --names                        # print the artifact names, build nothing

Needs the app and the ``package`` extra installed (``pip install -e '.[package]'``). Every platform
gets the PyInstaller bundle ``dist/calendar-desktop/`` (``calendar-desktop.app`` on macOS); then
Linux: a .tar.gz of it and a .deb (dpkg-deb); macOS: a .dmg (hdiutil); Windows: a setup .exe
(Inno Setup 6). Run this file as a script: ``packaging/`` is not a package.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

from artifacts import NAME, ROOT, artifact_names, debian_architecture, debian_version, project_version

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the artifacts go (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch space (default: build/)")
    parser.add_argument("--names", action="store_true", help="print the artifact names as JSON and exit")
    args = parser.parse_args(argv)
    version = project_version()
    names = artifact_names(version)
    if args.names:
        print(json.dumps({"version": version, "artifacts": names}))
        return 0

    dist, work = args.dist.resolve(), args.work.resolve()
    report: dict[str, object] = {"version": version}
    icons = timed(report, "icons_s", lambda: make_icons(work / "icons"))
    bundle = timed(report, "pyinstaller_s", lambda: run_pyinstaller(dist, work, icons))
    report["bundle"] = str(bundle)

    system = platform.system()
    if system == "Linux":
        tarball, deb = (dist / name for name in names)
        timed(report, "tarball_s", lambda: make_tarball(bundle, tarball, f"{NAME}-{version}"))
        report["depends"] = timed(report, "deb_s", lambda: make_deb(bundle, icons, work, deb, version))
    elif system == "Darwin":
        timed(report, "dmg_s", lambda: make_dmg(bundle, work / "dmg", dist / names[0]))
    elif system == "Windows":
        timed(report, "installer_s", lambda: make_windows_installer(bundle, icons, dist / names[0], version))
    report["artifacts"] = {name: round((dist / name).stat().st_size / 1e6, 1) for name in names if (dist / name).exists()}
    print(json.dumps(report, indent=2))
    return 0


def timed(report: dict[str, object], key: str, step: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = step()
    report[key] = round(time.perf_counter() - started, 1)
    return result


def make_icons(out_dir: Path) -> Path:
    from render_icons import render_icons  # imports Qt: only when building

    render_icons(out_dir)
    return out_dir


def run_pyinstaller(dist: Path, work: Path, icons: Path) -> Path:
    try:
        import PyInstaller.__main__
    except ImportError:
        sys.exit("PyInstaller is missing: pip install -e '.[package]'")
    PyInstaller.__main__.run(
        [str(HERE / f"{NAME}.spec"), "--noconfirm", "--log-level=WARN",
         "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), "--", "--icons", str(icons)]  # fmt: skip
    )
    return dist / (f"{NAME}.app" if platform.system() == "Darwin" else NAME)


def make_tarball(bundle: Path, output: Path, top: str) -> None:
    """The bundle as ``top/…`` in a gzip tarball (level 6: 67 MB in 19 s here; level 9: 66.7 MB in 36 s)."""
    with tarfile.open(output, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=top)


def make_deb(bundle: Path, icons: Path, work: Path, output: Path, version: str) -> list[str]:
    from deb import DebInputs, build_deb

    inputs = DebInputs(bundle, icons, debian_version(version), debian_architecture(platform.machine()))
    return build_deb(inputs, work / "deb-root", output)


def make_dmg(app: Path, staging: Path, output: Path) -> None:
    """A compressed disk image with the .app and a link to /Applications to drag it onto."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(app, staging / app.name, symlinks=True)
    (staging / "Applications").symlink_to("/Applications")
    output.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", NAME, "-srcfolder", str(staging), "-fs", "HFS+", "-format", "UDZO", str(output)],
        check=True,
    )


def make_windows_installer(bundle: Path, icons: Path, output: Path, version: str) -> None:
    iscc = shutil.which("iscc") or shutil.which(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe")
    if iscc is None:
        sys.exit("Inno Setup 6 (ISCC.exe) is needed for the installer, e.g. choco install innosetup")
    subprocess.run(
        [iscc, f"/DAppVersion={version}", f"/DBundleDir={bundle}", f"/DIconFile={icons / f'{NAME}.ico'}",
         f"/O{output.parent}", f"/F{output.stem}", str(HERE / "windows" / f"{NAME}.iss")],  # fmt: skip
        check=True,
    )


if __name__ == "__main__":
    sys.exit(main())
