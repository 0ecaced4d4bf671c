"""The app icon, rendered from resources/icons/calendar-desktop.svg for every platform."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QImageReader

from tests.packaging.scripts import load

render_icons = load("render_icons")


def image_sizes(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert image.width() == image.height(), reader.errorString()
        sizes.append(image.width())
    return sizes


def test_icons_render_for_linux_windows_and_macos(tmp_path: Path, qapp) -> None:
    written = render_icons.render_icons(tmp_path)

    for size in render_icons.HICOLOR_SIZES:
        png = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "calendar-desktop.png"))
        assert (png.width(), png.height()) == (size, size)
        assert png.hasAlphaChannel() and png.pixelColor(0, size - 1).alpha() == 0  # transparent corner
        assert png.pixelColor(size // 2, size * 3 // 4).alpha() == 255  # the page itself is opaque
    assert image_sizes(tmp_path / "calendar-desktop.ico") == list(render_icons.ICO_SIZES)
    assert sorted(image_sizes(tmp_path / "calendar-desktop.icns")) == sorted(render_icons.ICNS_TYPES.values())
    assert len(written) == len(render_icons.HICOLOR_SIZES) + 2
