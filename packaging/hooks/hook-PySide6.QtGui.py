"""PyInstaller's hook for PySide6.QtGui, minus the Qt plugins calendar-desktop does not use.

Pruned here, not in the spec, so that what those plugins link (the build machine's whole GTK 3
stack for the gtk3 theme, EGL device support, image codecs) is never collected at all.
"""

from fnmatch import fnmatch
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# "<plugin type>/<file>" patterns; names cover Linux (libqxcb.so), Windows (qxcb.dll) and macOS.
UNUSED_PLUGINS = [
    # The GTK 3 theme only restyles dialogs; Qt's own look stays (Fusion, or the portal theme).
    "platformthemes/*qgtk3*",
    # Platforms for embedded devices, VNC and tests: the window uses xcb, wayland or offscreen.
    "platforms/*qeglfs*",
    "platforms/*qlinuxfb*",
    "platforms/*qminimal*",
    "platforms/*qvnc*",
    "platforms/*qvkkhrdisplay*",
    "egldeviceintegrations/*",
    "generic/*",
    # Wayland: a raster window needs the xdg shell and the decorations, no GL buffer sharing.
    "wayland-graphics-integration-client/*",
    "wayland-shell-integration/*fullscreen-shell*",
    "wayland-shell-integration/*ivi-shell*",
    "wayland-shell-integration/*wl-shell*",
    "wayland-shell-integration/*qt-shell*",
    # Images: the icons are SVG (ICO on Windows); the app shows no pictures.
    *(f"imageformats/*{codec}*" for codec in ("qgif", "qjpeg", "qtga", "qtiff", "qwbmp", "qwebp", "qicns", "qpdf")),
]

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, destination)
    for source, destination in binaries
    if not any(fnmatch(f"{Path(destination).name}/{Path(source).name}", p) for p in UNUSED_PLUGINS)
]
