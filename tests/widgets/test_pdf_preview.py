"""The page preview: pages appear, zoom steps change what the clerk sees, a message replaces the pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from widgets.pdf_preview import PdfPreview


def page(width: int = 400, height: int = 566) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    return image


def test_pages_are_shown_and_zoom_changes_their_size(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.add_widget(preview)
    preview.resize(700, 600)
    preview.set_pages([page(), page()])
    labels = preview.findChildren(QLabel, "pdfPageImage")
    assert len(labels) == 2 and labels[0].width() == 400
    info = preview.findChild(QLabel, "pdfPageLabel")
    assert info.text() == "共 2 页　100%"
    with qtbot.wait_signal(preview.zoom_changed) as blocker:
        qtbot.mouseClick(preview.findChild(QPushButton, "pdfZoomInButton"), Qt.MouseButton.LeftButton)
    assert blocker.args == [1.25]
    assert labels[0].width() == 500 and info.text() == "共 2 页　125%"
    for _ in range(10):
        preview.findChild(QPushButton, "pdfZoomOutButton").click()
    assert preview.zoom() == 0.5 and not preview.findChild(QPushButton, "pdfZoomOutButton").isEnabled()


def test_message_replaces_pages_and_disables_zoom(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.add_widget(preview)
    preview.set_pages([page()])
    preview.show_message("正在生成预览…")
    qtbot.wait_until(lambda: not preview.findChildren(QLabel, "pdfPageImage"))
    assert preview.page_count() == 0
    assert preview.findChild(QLabel, "pdfMessage").text() == "正在生成预览…"
    assert not preview.findChild(QPushButton, "pdfZoomInButton").isEnabled()


def test_zoom_signal_fires_only_on_real_change(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.add_widget(preview)
    preview.set_pages([page()])
    with qtbot.assert_not_emitted(preview.zoom_changed):
        preview.set_zoom(1.0)
