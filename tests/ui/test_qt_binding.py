"""The Qt binding installed keeps Python's reference counts right (PySide6 6.12.0 did not on 3.11)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor, QImage, QPainter


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_calls_do_not_drop_references_to_none(qapp) -> None:
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(200):
            painter.setPen(QColor("red"))
        after = sys.getrefcount(None)
    finally:
        painter.end()
    assert after - before > -50, "this PySide6 build loses references to None: painting will crash"
