"""The Debian package: the bundle under /opt, a launcher, desktop entry, icons, and its Depends.

Depends is measured, not guessed: ``ldd`` over every ELF file of the bundle lists the system
libraries it loads from outside itself, and ``dpkg -S`` names the packages that own them. No
maintainer scripts: the hicolor-icon-theme and desktop-file-utils packages refresh their caches
through dpkg triggers on the folders we install into.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from artifacts import NAME, ROOT

INSTALL_DIR = Path("opt") / NAME
METAINFO = "io.github.calendar_desktop.metainfo.xml"
# Not found by ldd: a Secret Service for the keyring, and xdg-open for the sign-in browser.
RECOMMENDS = "gnome-keyring | keepassxc, xdg-utils"

_LDD_LINE = re.compile(r"^\s*(?:(\S+) => )?(\S+|not found)(?: \(0x[0-9a-f]+\))?$")


class PackagingError(RuntimeError):
    pass


@dataclass(frozen=True)
class DebInputs:
    bundle: Path  # the PyInstaller folder (holds the executable and _internal/)
    icons: Path  # render_icons.py output (hicolor/…)
    version: str  # Debian version
    architecture: str


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def external_libraries(bundle: Path) -> set[Path]:
    """System libraries the bundle's executables and libraries load from outside the bundle."""
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}  # what the bootloader makes visible
    found: set[Path] = set()
    missing: set[str] = set()
    elves = [p for p in sorted(bundle.rglob("*")) if p.is_file() and not p.is_symlink() and is_elf(p)]
    for elf in elves:
        result = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            match = _LDD_LINE.match(line)
            if not match:
                continue
            soname, where = match.groups()
            if where == "not found":
                missing.add(f"{soname} (needed by {elf.relative_to(bundle)})")
            elif where.startswith("/") and not Path(where).resolve().is_relative_to(bundle.resolve()):
                found.add(Path(where))
    if missing:
        raise PackagingError("libraries missing on the build machine:\n  " + "\n  ".join(sorted(missing)))
    return found


def owning_packages(libraries: set[Path]) -> list[str]:
    """The Debian packages that own ``libraries`` (tried as given, resolved, and across /usr-merge)."""
    candidates: dict[str, Path] = {}
    for library in libraries:
        for variant in (library, library.resolve()):
            text = variant.as_posix()
            for spelling in (text, text.removeprefix("/usr") if text.startswith("/usr/") else "/usr" + text):
                candidates[spelling] = library
    result = subprocess.run(["dpkg", "-S", *sorted(candidates)], capture_output=True, text=True)
    packages: set[str] = set()
    owned: set[Path] = set()
    for line in result.stdout.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        owners, path = line.split(": ", 1)
        if path in candidates:
            owned.add(candidates[path])
            packages.update(owner.strip().split(":")[0] for owner in owners.split(","))
    unowned = libraries - owned
    if unowned:
        raise PackagingError("no Debian package owns: " + ", ".join(sorted(map(str, unowned))))
    return sorted(packages)


def control_file(inputs: DebInputs, depends: list[str], installed_kib: int) -> str:
    description = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["description"]
    return "\n".join(
        [
            f"Package: {NAME}",
            f"Version: {inputs.version}",
            f"Architecture: {inputs.architecture}",
            "Maintainer: calendar-desktop maintainers <maintainers@calendar-desktop.invalid>",
            f"Installed-Size: {installed_kib}",
            f"Depends: {', '.join(depends)}",
            f"Recommends: {RECOMMENDS}",
            "Section: utils",
            "Priority: optional",
            "Description: Calendar sync and interview tracking for job seekers",
            f" {description}",
            "",
        ]
    )


def stage(inputs: DebInputs, root: Path) -> None:
    """Lay out the package's files under ``root`` as they will be installed."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(inputs.bundle, root / INSTALL_DIR, symlinks=True)
    launcher = root / "usr" / "bin" / NAME
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(Path("/") / INSTALL_DIR / NAME)  # the bootloader finds its folder via /proc/self/exe

    share = root / "usr" / "share"
    resources = ROOT / "resources"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(resources / f"{NAME}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy2(resources / METAINFO, share / "metainfo")
    shutil.copytree(inputs.icons / "hicolor", share / "icons" / "hicolor")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(resources / "icons" / f"{NAME}.svg", scalable)
    doc = share / "doc" / NAME
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {NAME}\n\nFiles: *\nCopyright: calendar-desktop maintainers\nLicense: MIT\n"
    )


def installed_size_kib(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*")) // 1024 + 1


def build_deb(inputs: DebInputs, staging: Path, output: Path) -> list[str]:
    """Build ``output`` (.deb, zstd-compressed: seconds instead of xz's minutes); returns Depends."""
    stage(inputs, staging)
    depends = owning_packages(external_libraries(staging / INSTALL_DIR))
    debian = staging / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control_file(inputs, depends, installed_size_kib(staging)))
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(staging), str(output)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return depends
