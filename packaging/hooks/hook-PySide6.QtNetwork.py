"""PyInstaller's hook for PySide6.QtNetwork, without its TLS plugins.

The app uses QtNetwork for QLocalServer / QLocalSocket (one instance per profile) and for
QNetworkInformation (sync soon when the network comes back: its backends stay in). HTTP goes
through Python libraries, so Qt's TLS backends (and the OpenSSL copies PyInstaller's own hook
adds for them on Windows) stay out.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGIN_TYPES = {"tls"}

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if Path(destination).name not in UNUSED_PLUGIN_TYPES]
