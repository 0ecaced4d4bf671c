"""Every control can be reached by keyboard and named by a screen reader; the palette is the system's."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)

from calendar_desktop.ui.main_window import MainWindow

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox)


def _inside_control(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QLineEdit)):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.parent() is None:
            continue
        if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView) or _inside_control(widget):
            continue  # Qt's own parts: headers (named by the model), a line edit's clear button, a combo's popup
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name.replace("&", "").strip():
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_in_the_window_and_its_dialogs_has_a_name(window: MainWindow) -> None:
    assert unnamed_controls(window) == []
    for dialog in (window.open_settings(), window.pipeline_pane.add_application()):
        assert unnamed_controls(dialog) == []
        dialog.reject()


def test_controls_take_keyboard_focus(window: MainWindow) -> None:
    pane = window.events_pane
    for widget in (pane.search_box, pane.calendar_filter, pane.interviews_only, pane.view):
        assert widget.focusPolicy() & widget.focusPolicy().TabFocus, type(widget).__name__


def test_no_hard_coded_style_sheets(window: MainWindow) -> None:
    """Colours come from the system palette (light or dark); only calendar colours are drawn as given."""
    assert all(not w.styleSheet() for w in [window, *window.findChildren(QWidget)])
