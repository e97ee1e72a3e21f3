"""A live camera preview that reads QR codes and barcodes from the frames and captures stills of materials.

Frames arrive on a QVideoSink; at most one frame per ``decode_interval_ms`` is copied to grayscale and decoded
on a worker thread, and only if the previous decode has finished, so the GUI never waits on zxing. Without a
camera the widget says so in Chinese and stays usable (a frame source can still feed ``video_sink()``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoSink,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

# (text, format name) for every code in a grayscale frame.
FrameDecoder = Callable[[np.ndarray], Sequence[tuple[str, str]]]

MSG_NO_CAMERA = "未检测到摄像头。\n可以用扫码枪扫描，或手工录入证件号码。"
MSG_WAITING = "正在打开摄像头…"
MSG_READY = "把二维码或条码对准镜头；拍摄材料时请让纸张四角都在画面内。"


def default_decoder(gray: np.ndarray) -> list[tuple[str, str]]:
    from app.devices.codes import decode_frame  # pure zxing wrapper; no store behind it

    return [(c.text, c.format) for c in decode_frame(gray)]


def qimage_to_gray(image: QImage) -> np.ndarray:
    """A grayscale numpy copy of ``image`` (safe to hand to another thread)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, stride = gray.width(), gray.height(), gray.bytesPerLine()
    buf = np.frombuffer(gray.constBits(), dtype=np.uint8, count=stride * h)
    return buf.reshape(h, stride)[:, :w].copy()


class _Relay(QObject):
    """Carries decode results from the worker thread to the GUI thread (queued signal)."""

    done = Signal(object)


class CameraView(QWidget):
    """Camera preview with code reading and a capture button.

    Args:
        decoder: reads codes from a grayscale frame; runs on a worker thread.
        decode_interval_ms: at most one decode per this many milliseconds.
        repeat_after_ms: the same code seen continuously is reported again only after this long.

    Signals:
        code_found(str, str): text and format of a code newly seen in the preview.
        captured(QImage): the frame on screen when 拍照 was pressed.
        camera_error(str): a Chinese message when the camera cannot be opened or fails.
        frame_decoded(int): a frame's decode finished, with this many codes in it (-1: the decoder failed).
    """

    code_found = Signal(str, str)
    captured = Signal(QImage)
    camera_error = Signal(str)
    frame_decoded = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        decoder: FrameDecoder | None = None,
        decode_interval_ms: int = 200,
        repeat_after_ms: int = 3000,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cameraView")
        self._decoder = decoder or default_decoder
        self._decode_interval_ms = decode_interval_ms
        self._repeat_after_ms = repeat_after_ms
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camera-decode")
        self._pending: Future[Sequence[tuple[str, str]]] | None = None
        self._since_decode = QElapsedTimer()
        self._since_report = QElapsedTimer()
        self._last_text: str | None = None
        self._last_image: QImage | None = None
        self._camera: QCamera | None = None
        self._closed = False
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_decoded, Qt.ConnectionType.QueuedConnection)

        self._session = QMediaCaptureSession(self)
        self._sink = QVideoSink(self)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)

        self._preview = QLabel(MSG_WAITING, self)
        self._preview.setObjectName("cameraPreview")
        self._preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._preview.setMinimumSize(320, 240)
        self._preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._preview.setWordWrap(True)
        self._preview.setStyleSheet(
            "QLabel#cameraPreview { background: #20242a; color: #e8e8e8; font-size: 15px; }"
        )
        self._status = QLabel(self)
        self._status.setObjectName("cameraStatus")
        self._status.setWordWrap(True)
        self._devices = QComboBox(self)
        self._devices.setObjectName("cameraSelect")
        self._devices.setToolTip(self.tr("选择摄像头"))
        self._devices.setPlaceholderText(self.tr("无可用摄像头"))
        self._toggle = QPushButton(self.tr("打开摄像头"), self)
        self._toggle.setObjectName("cameraToggleButton")
        self._capture = QPushButton(self.tr("拍照"), self)
        self._capture.setObjectName("cameraCaptureButton")
        self._capture.setEnabled(False)
        self._toggle.clicked.connect(self._on_toggle)
        self._capture.clicked.connect(self.capture)

        buttons = QHBoxLayout()
        buttons.addWidget(self._devices, 1)
        buttons.addWidget(self._toggle)
        buttons.addWidget(self._capture)
        layout = QVBoxLayout(self)
        layout.addWidget(self._preview, 1)
        layout.addWidget(self._status)
        layout.addLayout(buttons)
        self.refresh_devices()

    # -- devices ----------------------------------------------------------------------------------------

    def refresh_devices(self) -> None:
        """Re-list the cameras (e.g. after one was plugged in)."""
        self._devices.clear()
        cameras: list[QCameraDevice] = list(QMediaDevices.videoInputs())
        for device in cameras:
            self._devices.addItem(device.description(), device)
        has_camera = bool(cameras)
        self._devices.setEnabled(has_camera)
        self._toggle.setEnabled(has_camera)
        if not has_camera and self._last_image is None:
            self._preview.setText(self.tr(MSG_NO_CAMERA))
            self._status.setText(self.tr("没有摄像头时，读卡器和扫码枪照常可用。"))
        elif has_camera and self._camera is None:
            self._preview.setText(self.tr("摄像头未打开"))
            self._status.setText(self.tr(MSG_READY))

    @property
    def has_camera(self) -> bool:
        return self._devices.count() > 0

    def video_sink(self) -> QVideoSink:
        """The sink the preview reads; another frame source (a test, a network camera) may feed it."""
        return self._sink

    def start(self) -> None:
        if self._camera is not None or not self.has_camera:
            return
        device = self._devices.currentData()
        camera = QCamera(device, self)
        camera.errorOccurred.connect(self._on_camera_error)
        self._session.setCamera(camera)
        self._camera = camera
        self._preview.setText(self.tr(MSG_WAITING))
        self._toggle.setText(self.tr("关闭摄像头"))
        camera.start()

    def stop(self) -> None:
        if self._camera is None:
            return
        self._camera.stop()
        self._session.setCamera(None)  # type: ignore[arg-type]  # Qt takes nullptr: detach
        self._camera.deleteLater()
        self._camera = None
        self._toggle.setText(self.tr("打开摄像头"))

    @Slot()
    def _on_toggle(self) -> None:
        if self._camera is None:
            self.start()
        else:
            self.stop()

    @Slot(QCamera.Error, str)
    def _on_camera_error(self, _error: QCamera.Error, detail: str) -> None:
        message = (
            self.tr("摄像头无法使用：")
            + (detail or self.tr("未知原因"))
            + self.tr("。请检查连接或换一个摄像头。")
        )
        self._status.setText(message)
        self.stop()
        self.camera_error.emit(message)

    # -- frames -------------------------------------------------------------------------------------------

    @Slot(QVideoFrame)
    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            return
        self._last_image = image
        self._capture.setEnabled(True)
        self._preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                self._preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
        if self._pending is not None or self._closed:
            return  # the worker is still on an earlier frame: skip, never queue up
        if self._since_decode.isValid() and self._since_decode.elapsed() < self._decode_interval_ms:
            return
        self._since_decode.start()
        gray = qimage_to_gray(image)
        self._pending = self._pool.submit(self._decoder, gray)
        self._pending.add_done_callback(self._relay.done.emit)

    @Slot(object)
    def _on_decoded(self, future: Future[Sequence[tuple[str, str]]]) -> None:
        self._pending = None
        try:
            codes = future.result()
        except Exception as exc:  # a decoder failure on one frame must not stop the preview
            self._status.setText(self.tr("识别画面时出错：") + str(exc))
            self.frame_decoded.emit(-1)
            return
        for text, fmt in codes:
            fresh = text != self._last_text or (
                self._since_report.isValid() and self._since_report.elapsed() >= self._repeat_after_ms
            )
            if fresh:
                self._last_text = text
                self._since_report.start()
                self._status.setText(self.tr("已识别：") + text)
                self.code_found.emit(text, fmt)
        self.frame_decoded.emit(len(codes))

    @Slot()
    def capture(self) -> None:
        """Emit the frame on screen; explain when there is none."""
        if self._last_image is None:
            self._status.setText(self.tr("还没有画面，无法拍照。"))
            return
        self._status.setText(self.tr("已拍照 ") + f"{self._last_image.width()}×{self._last_image.height()}")
        self.captured.emit(self._last_image.copy())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the camera and the decode worker (also done on close)."""
        self.stop()
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
