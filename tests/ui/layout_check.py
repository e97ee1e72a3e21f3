"""What a person would see as broken on a screen, found from the real widgets: text that needs more room than its
widget has (cut or elided by Qt), and controls placed outside the window."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from widgets.mongolian_text import BilingualButton

SLACK = 2  # pixels of rounding between measuring and drawing


def _inside_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _text_width(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText or "<" in text:
        return None
    room = label.contentsRect().width() - 2 * label.margin() - label.indent() if label.indent() > 0 else (
        label.contentsRect().width() - 2 * label.margin())
    need = _text_width(label, text)
    if need > room + SLACK:
        return f"文字被截断：标签 {label.objectName() or '?'}「{text[:30]}」需要 {need} px，只有 {room} px"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = re.sub(r"&(.)", r"\1", button.text())  # as drawn: "&P" is an underlined P, "&&" one "&"
    if not text:
        return None
    need = _text_width(button, text)
    if isinstance(button, (QCheckBox, QRadioButton)):
        option = QStyleOptionButton()
        option.initFrom(button)
        indicator = button.style().pixelMetric(
            QStyle.PixelMetric.PM_IndicatorWidth if isinstance(button, QCheckBox)
            else QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, option, button)
        need += indicator + 4
        room = button.width()
    else:
        room = button.contentsRect().width()
        if isinstance(button, QPushButton):  # the stylesheet's padding is inside the contents rect
            room = button.width() - 2 * 6
    if need > room + SLACK:
        return f"文字被截断：按钮 {button.objectName() or '?'}「{text[:30]}」需要 {need} px，只有 {room} px"
    return None


def _bilingual_problem(button: BilingualButton) -> str | None:
    """The Chinese lines of a two-script touch button (drawn by the button itself, so ``text()`` is empty); the
    Mongolian is broken into lines to fit, so only its height can run out."""
    if "zh" not in button.order():
        return None
    metrics = QFontMetrics(button.font())
    need = max((metrics.horizontalAdvance(line) for line in button.chinese_text().split("\n")), default=0)
    room = button.width() - 2 * 6
    if need > room + SLACK:
        return (f"文字被截断：按钮 {button.objectName() or '?'}「{button.chinese_text()[:30]}」需要 {need} px，"
                f"只有 {room} px")
    if button.minimumSizeHint().height() > button.height() + SLACK:
        return (f"文字被截断：按钮 {button.objectName() or '?'}「{button.chinese_text()[:30]}」两种文字需要 "
                f"{button.minimumSizeHint().height()} px 高，只有 {button.height()} px")
    return None


def _overlaps(widget: QWidget, window: QWidget) -> list[str]:
    """Visible children of ``widget`` laid on top of one another (a layout that ran out of room squeezes them
    together; Qt then paints one over the other)."""
    layout = widget.layout()
    if layout is None:  # hand-placed children (overlays, custom painting) are placed on purpose
        return []
    children = [c for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if c.isVisible() and not c.isWindow() and c.width() > 0 and c.height() > 0
                and layout.indexOf(c) >= 0]
    found: list[str] = []
    for i, first in enumerate(children):
        for second in children[i + 1:]:
            both = first.geometry().intersected(second.geometry())
            if both.width() > SLACK and both.height() > SLACK:
                found.append(f"控件重叠：{type(first).__name__} {first.objectName() or '?'} 与 "
                             f"{type(second).__name__} {second.objectName() or '?'} 重叠 {both.width()}×{both.height()}")
    return found


def layout_problems(window: QWidget) -> list[str]:
    """Every cut text, every pair of laid-out siblings on top of each other and every control outside ``window``
    (scrolled content excepted), in plain words."""
    problems: list[str] = _overlaps(window, window)
    frame = QRect(0, 0, window.width(), window.height())
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0 or _inside_scroll_area(widget, window):
            continue
        problems.extend(_overlaps(widget, window))
        if isinstance(widget, BilingualButton):
            problem = _bilingual_problem(widget)
        elif isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        else:
            problem = None
        if problem:
            problems.append(problem)
        if isinstance(widget, (QAbstractButton, QLabel)) or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            top_left = widget.mapTo(window, widget.rect().topLeft())
            box = QRect(top_left, widget.size())
            if not frame.contains(box.adjusted(SLACK, SLACK, -SLACK, -SLACK)):
                problems.append(f"控件超出窗口：{type(widget).__name__} {widget.objectName() or '?'} 在 "
                                f"{box.x()},{box.y()} {box.width()}×{box.height()}，窗口 {frame.width()}×{frame.height()}")
    return problems
