"""Small widget helpers shared by the panes: named buttons and row-selecting table views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView

from calendar_desktop.ui.models.table import ROW_ROLE

T = TypeVar("T")


def button(text: str, accessible_name: str, on_click: Callable[[], object] | None = None) -> QPushButton:
    """A push button with a screen-reader name (the visible text carries the mnemonic)."""
    widget = QPushButton(text)
    widget.setAccessibleName(accessible_name)
    if on_click is not None:
        widget.clicked.connect(lambda _checked=False: on_click())
    return widget


def table_view(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view


def selected_row(view: QTableView, kind: type[T]) -> T | None:
    """The row object behind the view's selected row, if it is a ``kind``."""
    indexes = view.selectionModel().selectedRows()
    row = indexes[0].data(ROW_ROLE) if indexes else None
    return row if isinstance(row, kind) else None


def select_row(view: QTableView, row: int) -> None:
    index = view.model().index(row, 0)
    view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.scrollTo(index)
