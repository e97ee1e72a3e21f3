"""The camera view without a camera: a clear message, and frames fed to its sink are decoded and captured."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QMediaDevices, QVideoFrame
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from widgets.camera_view import MSG_NO_CAMERA, CameraView, qimage_to_gray


def qr_frame(text: str, size: tuple[int, int] = (1280, 720)) -> QVideoFrame:
    """A 720p camera-like frame with a QR somewhere off-centre."""
    w, h = size
    canvas = np.full((h, w), 170, np.uint8)
    canvas += np.random.default_rng(5).integers(0, 25, canvas.shape, dtype=np.uint8)
    qr = np.array(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=6 if w > 640 else 2)
    )
    y, x = h // 5, w * 11 // 20
    canvas[y : y + qr.shape[0], x : x + qr.shape[1]] = qr
    image = QImage(canvas.data, w, h, w, QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_RGB32
    )
    return QVideoFrame(image)


@pytest.fixture
def view(qtbot: QtBot) -> CameraView:
    widget = CameraView(decode_interval_ms=0)
    qtbot.add_widget(widget)
    widget.resize(640, 520)
    yield widget
    widget.shutdown()


@pytest.mark.skipif(bool(QMediaDevices.videoInputs()), reason="this machine has a camera")
def test_without_a_camera_the_widget_says_so(view: CameraView) -> None:
    preview = view.findChild(QLabel, "cameraPreview")
    assert preview.text() == MSG_NO_CAMERA
    assert not view.findChild(QPushButton, "cameraToggleButton").isEnabled()
    assert not view.findChild(QPushButton, "cameraCaptureButton").isEnabled()
    view.start()  # harmless without a camera
    assert preview.text() == MSG_NO_CAMERA


def test_frames_are_decoded_off_the_gui_thread(qtbot: QtBot, view: CameraView) -> None:
    with qtbot.waitSignal(view.code_found, timeout=5000) as blocker:
        view.video_sink().setVideoFrame(qr_frame("ZCT:150929:20261122:A012:345"))
    assert blocker.args == ["ZCT:150929:20261122:A012:345", "QRCode"]
    assert view.findChild(QLabel, "cameraStatus").text().endswith("ZCT:150929:20261122:A012:345")
    assert view.findChild(QLabel, "cameraPreview").pixmap().width() > 0
    with qtbot.waitSignal(view.code_found, timeout=5000) as blocker:
        view.video_sink().setVideoFrame(qr_frame("15092920261122010001"))
    assert blocker.args[0] == "15092920261122010001"


def test_the_same_code_is_not_reported_on_every_frame(qtbot: QtBot) -> None:
    seen: list[int] = []

    def counting_decoder(gray: np.ndarray) -> list[tuple[str, str]]:
        seen.append(gray.shape[0])
        return [("A012", "QRCode")]

    view = CameraView(decoder=counting_decoder, decode_interval_ms=0)
    qtbot.add_widget(view)
    found: list[str] = []
    view.code_found.connect(lambda text, _fmt: found.append(text))
    for _ in range(4):
        with qtbot.waitSignal(view.frame_decoded, timeout=5000):
            view.video_sink().setVideoFrame(qr_frame("A012", size=(320, 240)))  # a new frame each time
    assert seen == [240, 240, 240, 240]  # every frame was decoded…
    assert found == ["A012"]  # …but the code still in view is reported once
    view.shutdown()


def test_decoder_failure_is_shown_not_raised(qtbot: QtBot) -> None:
    def broken(_gray: np.ndarray) -> list[tuple[str, str]]:
        raise RuntimeError("坏帧")

    view = CameraView(decoder=broken, decode_interval_ms=0)
    qtbot.add_widget(view)
    with qtbot.waitSignal(view.frame_decoded, timeout=5000) as blocker:
        view.video_sink().setVideoFrame(qr_frame("x", size=(320, 240)))
    assert blocker.args == [-1]
    assert view.findChild(QLabel, "cameraStatus").text() == "识别画面时出错：坏帧"
    view.shutdown()


def test_capture_emits_the_frame_on_screen(qtbot: QtBot, view: CameraView) -> None:
    capture = view.findChild(QPushButton, "cameraCaptureButton")
    view.capture()
    assert "还没有画面" in view.findChild(QLabel, "cameraStatus").text()
    view.video_sink().setVideoFrame(qr_frame("A012"))
    assert capture.isEnabled()
    with qtbot.waitSignal(view.captured, timeout=1000) as blocker:
        capture.click()
    image: QImage = blocker.args[0]
    assert (image.width(), image.height()) == (1280, 720)
    assert qimage_to_gray(image).shape == (720, 1280)


def test_frames_after_shutdown_are_ignored(qtbot: QtBot, view: CameraView) -> None:
    view.shutdown()
    view.video_sink().setVideoFrame(qr_frame("A012"))  # must not try the stopped worker
    assert view.findChild(QPushButton, "cameraCaptureButton").isEnabled()  # the frame is still shown
