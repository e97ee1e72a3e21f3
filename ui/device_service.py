"""The counter's devices on the Qt side: the ID-card reader's poller (hopped onto the GUI thread through a queued
signal) and the 拍照 dialog whose captured frames are cleaned off the GUI thread and saved as JPEG scans.

The device logic itself (frames, bursts, page cleaning) lives in ``app.devices``; this module only wires it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.devices.gat467 import IdCard
from app.devices.reader import CardPoller, CardSource, ReaderUnplugged, open_reader
from app.errors import DeviceError
from app.settings import Settings
from app.store.engine import fsync_file

if TYPE_CHECKING:  # numpy is imported when a photo is taken, not when the counter opens
    import numpy as np

log = logging.getLogger(__name__)

MSG_READER_READY = "读卡器已就绪，请把证件放在读卡器上"
MSG_READER_BACK = "读卡器已恢复连接"


class CardReaderService(QObject):
    """Runs a :class:`CardPoller` on the configured port and re-emits what it sees on the GUI thread.

    The poller calls back on its own thread; emitting a signal of this GUI-thread object from there makes Qt
    queue the call, so slots connected to these signals always run on the GUI thread.

    Signals:
        card_read(object): an ``IdCard`` newly placed on the reader (once per placement).
        card_removed(): the card was taken off the reader.
        reader_error(str): a one-line message, once per problem (an unplugged reader is reported once, not on
            every reconnect attempt).
        reader_ok(str): the reader works again after an error (message for the status bar).
    """

    card_read = Signal(object)
    card_removed = Signal()
    reader_error = Signal(str)
    reader_ok = Signal(str)

    def __init__(
        self,
        port: str,
        *,
        today: Callable[[], dt.date],
        baud: int = 115200,
        interval: float = 0.3,
        reconnect_interval: float = 2.0,
        open_source: Callable[[], CardSource] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cardReaderService")
        self.port = port
        self._failing: str | None = None  # the problem last reported, None while the reader works
        self._stopped = False
        opener = open_source or (lambda: open_reader(port, today=today, baud=baud))
        self._poller = CardPoller(opener, on_card=self._card, on_error=self._error, on_removed=self._removed,
                                  interval=interval, reconnect_interval=reconnect_interval)

    @classmethod
    def from_settings(cls, settings: Settings, *, today: Callable[[], dt.date],
                      parent: QObject | None = None) -> CardReaderService | None:
        """A service for ``settings.counter.reader_port``, or None when this PC has no reader configured."""
        counter = settings.counter
        if not counter.reader_port.strip():
            return None
        return cls(counter.reader_port.strip(), today=today, baud=counter.reader_baud, parent=parent)

    @property
    def running(self) -> bool:
        return self._poller.running

    @property
    def failing(self) -> str | None:
        """The reader problem currently shown to the clerk, if any."""
        return self._failing

    def start(self) -> None:
        self._stopped = False
        self._poller.start()

    def stop(self) -> None:
        """Stop polling and close the port; safe to call twice. Waits at most one reader exchange."""
        self._stopped = True
        self._poller.stop()

    # -- poller thread ------------------------------------------------------------------------------------

    def _card(self, card: IdCard) -> None:
        if self._stopped:
            return
        if self._failing is not None:
            self._failing = None
            self.reader_ok.emit(MSG_READER_BACK)
        self.card_read.emit(card)

    def _removed(self) -> None:
        if not self._stopped:
            self.card_removed.emit()

    def _error(self, exc: DeviceError) -> None:
        if self._stopped:
            return
        # An unplugged reader fails first on I/O, then on every reopen: one problem, one message.
        unplugged = isinstance(exc, ReaderUnplugged)
        if unplugged and self._failing is not None and self._failing.startswith("读卡器未连接"):
            return
        self._failing = exc.message
        self.reader_error.emit(exc.message)


# --- camera ----------------------------------------------------------------------------------------------


def qimage_to_bgr(image: QImage) -> np.ndarray:
    """A BGR numpy copy of ``image`` (made on the GUI thread, so the worker never touches the QImage)."""
    import numpy as np

    rgb = image.convertToFormat(QImage.Format.Format_BGR888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    buf = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


def save_cleaned_photo(bgr: np.ndarray, folder: Path, *, material_key: str,
                       taken_at: dt.datetime) -> Path:
    """Runs on the io pool: straighten and clean the photographed page and write it as a JPEG scan file.

    The file is fsynced before its path is handed back: accepting the case later reads it like any scan file.
    DeviceError (with the reason in Chinese) when no page can be found in the photo.
    """
    from app.devices.photo import clean_document

    page = clean_document(bgr)
    stamp = taken_at.strftime("%Y%m%d-%H%M%S")  # the hall wall-clock time the photo was taken
    path = folder / f"拍照_{material_key}_{stamp}_{uuid.uuid4().hex[:6]}.jpg"
    folder.mkdir(parents=True, exist_ok=True)
    fsync_file(path, page.jpeg)
    return path


class CameraDialog(QDialog):
    """拍照: a live preview (``widgets.camera_view.CameraView``) and the material the photo belongs to.

    Codes the preview reads (e.g. an e-licence QR held up to the camera) are passed on like scanner bursts.

    Signals:
        photo_taken(str, QImage): material key and the captured frame.
        code_read(str): the text of a code seen in the preview.
    """

    photo_taken = Signal(str, QImage)
    code_read = Signal(str)

    def __init__(self, materials: Sequence[tuple[str, str]], *, selected: str = "",
                 parent: QWidget | None = None) -> None:
        from widgets.camera_view import CameraView  # QtMultimedia is loaded only when the dialog is opened

        super().__init__(parent)
        self.setObjectName("cameraDialog")
        self.setWindowTitle("拍照上传材料")
        self.setModal(False)
        self.resize(720, 560)
        self.material_combo = QComboBox()
        self.material_combo.setObjectName("cameraMaterialCombo")
        self.material_combo.setAccessibleName("照片附到哪项材料")
        for key, name in materials:
            self.material_combo.addItem(name, key)
        if selected and self.material_combo.findData(selected) >= 0:
            self.material_combo.setCurrentIndex(self.material_combo.findData(selected))
        self.view = CameraView(self)
        self.message = QLabel("")
        self.message.setObjectName("cameraDialogMessage")
        self.message.setWordWrap(True)
        self.close_button = QPushButton("关闭")
        self.close_button.setObjectName("cameraCloseButton")
        row = QHBoxLayout()
        row.addWidget(QLabel("附到材料"))
        row.addWidget(self.material_combo, 1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.view.captured.connect(self._on_captured)
        self.view.camera_error.connect(self.message.setText)
        self.view.code_found.connect(lambda text, _fmt: self.code_read.emit(text))
        self.close_button.clicked.connect(self.close)
        if not self.view.has_camera:
            self.message.setText("本机没有可用的摄像头；可以用“附件…”附上扫描仪扫出的文件。")
        else:
            self.view.start()

    @property
    def material_key(self) -> str:
        return str(self.material_combo.currentData() or "")

    @Slot(QImage)
    def _on_captured(self, image: QImage) -> None:
        key = self.material_key
        if not key:
            self.message.setText("请先选择照片所属的材料")
            return
        self.message.setText(f"正在处理“{self.material_combo.currentText()}”的照片…")
        self.photo_taken.emit(key, image)

    def show_result(self, text: str) -> None:
        self.message.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.shutdown()
        super().closeEvent(event)

