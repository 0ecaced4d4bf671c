"""The agenda list view and its delegate: one painted line per row, no widget per row.

Fonts, metrics and colours are built once per view font (not per painted row): painting is
what scrolling through 10,000 events costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from calendar_desktop.ui.models.agenda import AgendaEntry, DayHeader
from calendar_desktop.ui.models.table import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex
TIME_COLUMN_CHARS = "00:00–00:00 (Wed 00)"
VCENTER = Qt.AlignmentFlag.AlignVCenter
ELIDE = Qt.TextElideMode.ElideRight


@dataclass(frozen=True, slots=True)
class _Fonts:
    base: QFont
    bold: QFont
    struck: QFont
    tag: QFont
    metrics: QFontMetrics
    time_width: int
    tag_text: str
    tag_width: int
    row_height: int


def _make_fonts(base: QFont) -> _Fonts:
    bold = QFont(base)
    bold.setBold(True)
    struck = QFont(base)
    struck.setStrikeOut(True)
    tag = QFont(bold)
    tag.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
    tag_text = QCoreApplication.translate("Agenda", "Interview")
    metrics = QFontMetrics(base)
    return _Fonts(
        base, bold, struck, tag, metrics, metrics.horizontalAdvance(TIME_COLUMN_CHARS), tag_text,
        QFontMetrics(tag).horizontalAdvance(tag_text) + 12, int(metrics.height() * 1.9),
    )  # fmt: skip


@cache
def _colour(name: str) -> QColor:
    return QColor(name)


_FONTS: dict[str, _Fonts] = {}


def fonts_for(font: QFont) -> _Fonts:
    key = font.key()
    if key not in _FONTS:
        _FONTS[key] = _make_fonts(QFont(font))
    return _FONTS[key]


class AgendaDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, fonts_for(option.font).row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(ROW_ROLE)
        painter.save()
        try:
            if isinstance(row, DayHeader):
                self._paint_header(painter, option, row)
            elif isinstance(row, AgendaEntry):
                self._paint_entry(painter, option, row)
        finally:
            painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, header: DayHeader) -> None:
        palette, rect = option.palette, option.rect
        painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        painter.setFont(fonts_for(option.font).bold)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect.adjusted(8, 0, -8, 0), VCENTER | Qt.AlignmentFlag.AlignLeft, header.label)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

    def _paint_entry(self, painter: QPainter, option: QStyleOptionViewItem, entry: AgendaEntry) -> None:
        palette, rect = option.palette, option.rect
        fonts = fonts_for(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        faint = QColor(text_colour)
        faint.setAlphaF(0.65)

        top, height = rect.top(), rect.height()
        strip = QRect(rect.left() + 8, top + 4, 5, height - 8)
        painter.fillRect(strip, _colour(entry.colour) if entry.colour else palette.color(QPalette.ColorRole.Mid))

        x = strip.right() + 10
        painter.setFont(fonts.base)
        painter.setPen(faint)
        painter.drawText(QRect(x, top, fonts.time_width, height), VCENTER, entry.time_text)
        x += fonts.time_width + 12

        right = rect.right() - 8
        if entry.is_interview:
            tag_rect = QRect(right - fonts.tag_width, top + 5, fonts.tag_width, height - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Base if selected else QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(tag_rect, 4, 4)
            painter.setFont(fonts.tag)
            painter.setPen(palette.color(QPalette.ColorRole.Text if selected else QPalette.ColorRole.HighlightedText))
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, fonts.tag_text)
            right = tag_rect.left() - 8

        metrics = fonts.metrics
        available = max(0, right - x)
        title_width = min(metrics.horizontalAdvance(entry.title), available)
        painter.setFont(fonts.struck if entry.cancelled else fonts.base)
        painter.setPen(text_colour)
        painter.drawText(QRect(x, top, title_width, height), VCENTER, metrics.elidedText(entry.title, ELIDE, available))
        if entry.location and available - title_width > 40:
            painter.setFont(fonts.base)
            painter.setPen(faint)
            location_rect = QRect(x + title_width + 16, top, right - x - title_width - 16, height)
            painter.drawText(location_rect, VCENTER, metrics.elidedText(entry.location, ELIDE, location_rect.width()))


class AgendaView(QListView):
    """Uniform row heights and a painting delegate keep 10,000 rows as cheap as 10."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(AgendaDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(500)
