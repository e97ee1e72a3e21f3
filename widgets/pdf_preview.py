"""A page-by-page preview of a document, given its pages as images (the caller rasterizes, off the GUI thread).

Knows nothing of PDFs' origin, the store or printers: it takes ``QImage`` pages and shows them stacked, with zoom.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from widgets.naming import named

ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)





class PdfPreview(QWidget):
    """Shows document pages with zoom in/out and fit-to-width.

    Signals:
        zoom_changed(float): the zoom factor changed (1.0 = the images' own size).
    """

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self._images: list[QImage] = []
        self._zoom = 1.0
        self._labels: list[QLabel] = []

        self._zoom_out = named(QPushButton(self.tr("缩小")), "pdfZoomOutButton")
        self._zoom_in = named(QPushButton(self.tr("放大")), "pdfZoomInButton")
        self._fit = named(QPushButton(self.tr("适合宽度")), "pdfFitWidthButton")
        self._info = named(QLabel(), "pdfPageLabel")
        self._zoom_out.clicked.connect(lambda: self._step(-1))
        self._zoom_in.clicked.connect(lambda: self._step(+1))
        self._fit.clicked.connect(self.fit_width)
        bar = QHBoxLayout()
        for button in (self._zoom_out, self._zoom_in, self._fit):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self._info)

        self._pages = named(QWidget(), "pdfPages")
        self._column = QVBoxLayout(self._pages)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._column.setSpacing(12)
        self._message = named(QLabel(), "pdfMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._column.addWidget(self._message)
        self._scroll = named(QScrollArea(), "pdfScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._pages)
        self._scroll.setStyleSheet("QScrollArea { background: #8a8a8a; } #pdfPages { background: #8a8a8a; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._scroll, 1)
        self._update_controls()

    # --- public API ---------------------------------------------------------------------------------------

    def set_pages(self, images: Sequence[QImage]) -> None:
        """Show these pages (replacing any shown)."""
        self._clear_pages()
        self._images = list(images)
        self._message.hide()
        for _image in self._images:
            label = named(QLabel(), "pdfPageImage")
            label.setFrameShape(QFrame.Shape.Box)
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self._column.addWidget(label)
            self._labels.append(label)
        self._render()
        self._update_controls()

    def show_message(self, text: str) -> None:
        """Replace the pages with a line of text (e.g. 正在生成预览…, or why there is nothing to show)."""
        self._clear_pages()
        self._images = []
        self._message.setText(text)
        self._message.show()
        self._update_controls()

    def page_count(self) -> int:
        return len(self._images)

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        if abs(zoom - self._zoom) > 1e-6:
            self._zoom = zoom
            self._render()
            self._update_controls()
            self.zoom_changed.emit(zoom)

    def fit_width(self) -> None:
        if not self._images:
            return
        available = self._scroll.viewport().width() - 40
        self.set_zoom(max(available, 100) / max(self._images[0].width(), 1))

    # --- internals ----------------------------------------------------------------------------------------

    def _step(self, direction: int) -> None:
        if direction > 0:
            bigger = [z for z in ZOOM_STEPS if z > self._zoom + 1e-6]
            self.set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])
        else:
            smaller = [z for z in ZOOM_STEPS if z < self._zoom - 1e-6]
            self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def _render(self) -> None:
        for label, image in zip(self._labels, self._images, strict=True):
            pixmap = QPixmap.fromImage(image)
            if abs(self._zoom - 1.0) > 1e-6:
                pixmap = pixmap.scaledToWidth(max(1, int(image.width() * self._zoom)),
                                              Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())

    def _clear_pages(self) -> None:
        for label in self._labels:
            self._column.removeWidget(label)
            label.deleteLater()
        self._labels = []

    def _update_controls(self) -> None:
        has = bool(self._images)
        for button in (self._zoom_out, self._zoom_in, self._fit):
            button.setEnabled(has)
        self._zoom_out.setEnabled(has and self._zoom > ZOOM_STEPS[0] + 1e-6)
        self._zoom_in.setEnabled(has and self._zoom < ZOOM_STEPS[-1] - 1e-6)
        self._info.setText(self.tr("共 {0} 页　{1}%").format(len(self._images), round(self._zoom * 100)) if has else "")
