"""Icons: the app icon (the shipped SVG, or a drawn stand-in when resources are missing) with a badge
count for the tray, provider marks and calendar swatches, drawn with QPainter so no image files
are needed for them."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from calendar_desktop.domain import Account, ProviderKind
from calendar_desktop.resources import app_icon_path

APP_BLUE = QColor("#2f6fdf")
BADGE_RED = QColor("#d93025")
ICLOUD_HOST = "icloud.com"

_PROVIDER_MARKS: dict[str, tuple[str, str]] = {
    "google": ("G", "#4285f4"),
    "microsoft": ("M", "#0078d4"),
    "icloud": ("i", "#7d7d85"),
    "caldav": ("C", "#3d8b5a"),
}


def provider_key(account: Account) -> str:
    """``google``, ``microsoft``, ``icloud`` or ``caldav`` (iCloud is a CalDAV server with its own mark)."""
    if account.provider is ProviderKind.CALDAV and ICLOUD_HOST in (account.server_url or ""):
        return "icloud"
    return account.provider.value


def _painter(pixmap: QPixmap) -> QPainter:
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return painter


def _calendar_glyph(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = _painter(pixmap)
    margin = size * 0.08
    body = QRectF(margin, margin * 1.6, size - 2 * margin, size - 2.6 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(body, size * 0.12, size * 0.12)
    header = QPainterPath()
    header.addRoundedRect(QRectF(body.left(), body.top(), body.width(), body.height() * 0.32), size * 0.12, size * 0.12)
    painter.setBrush(APP_BLUE)
    painter.drawPath(header)
    painter.drawRect(QRectF(body.left(), body.top() + body.height() * 0.18, body.width(), body.height() * 0.14))
    painter.setBrush(APP_BLUE.darker(120))
    cell = body.width() / 7
    for row in range(2):
        for col in range(3):
            x = body.left() + cell * (1 + col * 2)
            y = body.top() + body.height() * (0.45 + row * 0.26)
            painter.drawRoundedRect(QRectF(x, y, cell, cell * 0.8), cell * 0.2, cell * 0.2)
    painter.setPen(QPen(QColor(0, 0, 0, 60), max(1.0, size / 48)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(body, size * 0.12, size * 0.12)
    painter.end()
    return pixmap


@cache
def _shipped_icon() -> QIcon | None:
    """The app icon from the resources (SVG), when installed with the app and renderable here."""
    path = app_icon_path()
    icon = QIcon(str(path)) if path else None
    return icon if icon is not None and not icon.pixmap(32, 32).isNull() else None


def _base_pixmap(size: int) -> QPixmap:
    shipped = _shipped_icon()
    return shipped.pixmap(size, size) if shipped is not None else _calendar_glyph(size)


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(_base_pixmap(size))
    return icon


def badged_icon(count: int, *, paused: bool = False) -> QIcon:
    """The app icon with a red count in the corner (tray), greyed while syncing is paused."""
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        pixmap = _base_pixmap(size)
        painter = _painter(pixmap)
        if paused:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceAtop)
            painter.fillRect(pixmap.rect(), QColor(128, 128, 128, 150))
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if count > 0:
            text = str(count) if count < 100 else "99+"
            diameter = size * (0.62 if len(text) == 1 else 0.72)
            badge = QRectF(size - diameter, 0, diameter, diameter)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(BADGE_RED))
            painter.drawEllipse(badge)
            font = QFont()
            font.setBold(True)
            font.setPixelSize(max(6, int(diameter * (0.7 if len(text) == 1 else 0.5))))
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def provider_icon(key: str) -> QIcon:
    letter, colour = _PROVIDER_MARKS.get(key, ("?", "#777777"))
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = _painter(pixmap)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def colour_swatch(colour: str) -> QIcon:
    """A small rounded square in a calendar's colour."""
    icon = QIcon()
    for size in (12, 16, 24):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = _painter(pixmap)
        painter.setPen(QPen(QColor(0, 0, 0, 70), 1))
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), size * 0.2, size * 0.2)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
