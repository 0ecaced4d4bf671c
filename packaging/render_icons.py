"""Render the app icon (resources/icons/calendar-desktop.svg) for every platform, with Qt itself.

    python packaging/render_icons.py [OUT_DIR]      # default: build/icons

Writes ``hicolor/<N>x<N>/apps/calendar-desktop.png`` (the freedesktop icon theme layout, for the
.deb), ``calendar-desktop.ico`` (Windows: PNG-compressed entries, 16-256 px) and
``calendar-desktop.icns`` (macOS: PNG entries, 16-1024 px). The containers are written here
rather than by Qt's image plugins, which store one image per file.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
NAME = "calendar-desktop"
SOURCE = ROOT / "resources" / "icons" / f"{NAME}.svg"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's icon types that take PNG data, and the pixel size of each.
ICNS_TYPES = {
    b"icp4": 16, b"icp5": 32, b"ic11": 32, b"icp6": 64, b"ic12": 64, b"ic07": 128,
    b"ic08": 256, b"ic13": 256, b"ic09": 512, b"ic14": 512, b"ic10": 1024,
}  # fmt: skip


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon as PNG bytes, ``size`` pixels square, on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode a {size} px PNG")
    return bytes(data.data())


def ico_container(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding one PNG per size (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    return header + entries + blobs


def icns_container(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: a header, then (type, length, PNG) per entry, lengths counting their header."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_icons(out_dir: Path, source: Path = SOURCE) -> list[Path]:
    """Render every icon file into ``out_dir``; returns the files written."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise RuntimeError(f"Qt cannot read the SVG icon {source}")
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *ICNS_TYPES.values()})
    pngs = {size: render_png(renderer, size) for size in sizes}

    written = []
    for size in HICOLOR_SIZES:
        path = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    ico = out_dir / f"{NAME}.ico"
    ico.write_bytes(ico_container({size: pngs[size] for size in ICO_SIZES}))
    icns = out_dir / f"{NAME}.icns"
    icns.write_bytes(icns_container(pngs))
    return [*written, ico, icns]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for path in render_icons(target):
        print(path)
