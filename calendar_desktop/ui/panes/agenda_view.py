"""The agenda list view and its delegate: one painted line per row, no widget per row."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from calendar_desktop.ui.models.agenda import AgendaEntry, DayHeader
from calendar_desktop.ui.models.table import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex
TIME_COLUMN_CHARS = "00:00–00:00 (Wed 00)"


class AgendaDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        height = QFontMetrics(option.font).height()
        return QSize(200, int(height * 1.9))

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
        palette = option.palette
        rect = option.rect
        painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, header.label)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

    def _paint_entry(self, painter: QPainter, option: QStyleOptionViewItem, entry: AgendaEntry) -> None:
        palette = option.palette
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        faint = QColor(text_colour)
        faint.setAlphaF(0.65)

        strip = QRect(rect.left() + 8, rect.top() + 4, 5, rect.height() - 8)
        painter.fillRect(strip, QColor(entry.colour) if entry.colour else palette.color(QPalette.ColorRole.Mid))

        metrics = QFontMetrics(option.font)
        x = strip.right() + 10
        time_width = metrics.horizontalAdvance(TIME_COLUMN_CHARS)
        painter.setFont(option.font)
        painter.setPen(faint)
        painter.drawText(QRect(x, rect.top(), time_width, rect.height()), Qt.AlignmentFlag.AlignVCenter, entry.time_text)
        x += time_width + 12

        right = rect.right() - 8
        if entry.is_interview:
            tag = QCoreApplication.translate("Agenda", "Interview")
            tag_font = QFont(option.font)
            tag_font.setBold(True)
            tag_font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
            tag_metrics = QFontMetrics(tag_font)
            tag_width = tag_metrics.horizontalAdvance(tag) + 12
            tag_rect = QRect(right - tag_width, rect.top() + 5, tag_width, rect.height() - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight if not selected else QPalette.ColorRole.Base))
            painter.drawRoundedRect(tag_rect, 4, 4)
            painter.setFont(tag_font)
            painter.setPen(palette.color(QPalette.ColorRole.HighlightedText if not selected else QPalette.ColorRole.Text))
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)
            right = tag_rect.left() - 8

        title_font = QFont(option.font)
        title_font.setStrikeOut(entry.cancelled)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        available = max(0, right - x)
        title_width = min(metrics.horizontalAdvance(entry.title), available)
        painter.drawText(
            QRect(x, rect.top(), title_width, rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(entry.title, Qt.TextElideMode.ElideRight, available),
        )
        if entry.location and available - title_width > 40:
            painter.setFont(option.font)
            painter.setPen(faint)
            location_rect = QRect(x + title_width + 16, rect.top(), right - x - title_width - 16, rect.height())
            painter.drawText(
                location_rect,
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(entry.location, Qt.TextElideMode.ElideRight, location_rect.width()),
            )


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
