"""PyInstaller's hook for PySide6.QtNetwork, without its plugins.

The app uses QtNetwork for QLocalServer / QLocalSocket only (one instance per profile): HTTP goes
through Python libraries, so Qt's TLS backends (and the OpenSSL copies PyInstaller's own hook adds
for them on Windows) and the network-state backends stay out.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGIN_TYPES = {"tls", "networkinformation"}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if Path(destination).name not in UNUSED_PLUGIN_TYPES]
