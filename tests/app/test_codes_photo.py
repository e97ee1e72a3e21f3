"""Codes from camera frames and photos, page cleaning, and ``python -m app scan`` on generated photos."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from app.devices.codes import decode_file, decode_frame, decode_image, read_image
from app.devices.photo import A4_RATIO, MAX_JPEG_BYTES, MSG_NO_PAGE, MSG_NOISE, clean_document
from app.errors import DeviceError

REPO = Path(__file__).resolve().parents[2]
TICKET = "ZCT:150929:20261122:A012:345"
CASE_NO = "1509292611220300074"  # a 受理编号 with its check digit (app.case_no)


def make_page(*, qr_text: str = TICKET, code128: str = CASE_NO, width: int = 1050, landscape: bool = False):
    """A white A4 page with a title, lines of "text", a red seal, a Code128 and a QR (BGR array)."""
    w, h = width, round(width * A4_RATIO)
    if landscape:
        w, h = h, w
    page = np.full((h, w, 3), 250, np.uint8)
    rng = np.random.default_rng(1)
    cv2.putText(page, "ZONGCHUANG RECEIPT", (80, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (20, 20, 20), 3)
    for y in range(200, h - 450, 40):
        x = 80
        while x < w - 120:
            word = int(rng.integers(20, 70))
            cv2.rectangle(page, (x, y), (min(x + word, w - 80), y + 18), (40, 40, 40), -1)
            x += word + 14
    qr = np.array(zxingcpp.create_barcode(qr_text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=8))
    page[h - 80 - qr.shape[0] : h - 80, w - 80 - qr.shape[1] : w - 80] = cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR)
    bar = np.array(zxingcpp.create_barcode(code128, zxingcpp.BarcodeFormat.Code128).to_image(scale=3))
    bar = cv2.resize(bar, (bar.shape[1], 110), interpolation=cv2.INTER_NEAREST)
    page[h - 190 : h - 80, 80 : 80 + bar.shape[1]] = cv2.cvtColor(bar, cv2.COLOR_GRAY2BGR)
    cv2.circle(page, (w - 250, 300), 110, (30, 30, 210), 8)
    return page


def make_photo(page: np.ndarray, *, size: tuple[int, int] = (1920, 1080), quad=None, noise: float = 6.0):
    """``page`` warped in perspective onto a dark desk, with uneven light and sensor noise."""
    width, height = size
    rng = np.random.default_rng(2)
    ramp = np.linspace(40, 90, width, dtype=np.float32)
    desk = np.broadcast_to(np.stack([ramp * 0.6, ramp * 0.8, ramp], axis=-1)[None], (height, width, 3))
    ph, pw = page.shape[:2]
    if quad is None:
        quad = [(0.36, 0.08), (0.66, 0.12), (0.70, 0.93), (0.31, 0.90)]
    dst = np.float32([(x * width, y * height) for x, y in quad])
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), dst)
    warped = cv2.warpPerspective(page, matrix, (width, height))
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), matrix, (width, height))
    photo = np.where(mask[..., None] > 0, warped, desk).astype(np.float32)
    photo = photo * np.linspace(0.75, 1.0, width, dtype=np.float32)[None, :, None]
    photo += rng.standard_normal(photo.shape, dtype=np.float32) * noise
    return np.clip(photo, 0, 255).astype(np.uint8)


def decode_jpeg(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return make_photo(make_page())


def test_codes_in_a_warped_photo_decode(photo: np.ndarray) -> None:
    found = {(c.text, c.format) for c in decode_image(photo)}
    assert (TICKET, "QRCode") in found and (CASE_NO, "Code128") in found


def test_fast_frame_decode_reads_a_qr_in_a_720p_frame() -> None:
    frame = cv2.resize(make_photo(make_page()), (1280, 720), interpolation=cv2.INTER_AREA)
    assert TICKET in [c.text for c in decode_frame(frame)]
    assert decode_frame(np.full((720, 1280), 128, np.uint8)) == []


def test_cleaned_page_is_upright_a4_small_and_still_readable(photo: np.ndarray) -> None:
    page = clean_document(photo)
    assert page.height > page.width  # portrait sheet stays portrait
    assert page.aspect == pytest.approx(A4_RATIO, rel=0.01)
    assert len(page.jpeg) <= MAX_JPEG_BYTES
    image = decode_jpeg(page.jpeg)
    assert image.shape[:2] == (page.height, page.width)
    assert TICKET in [c.text for c in decode_image(image)]
    # The paper comes out white and the ink black, whatever the desk lighting was.
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    assert np.percentile(gray, 50) > 235 and np.percentile(gray, 2) < 40
    # The red seal stays red (a ring of about 2π·130·9 ≈ 7000 pixels at this size).
    b, g, r = (image[..., i].astype(int) for i in range(3))
    assert int(np.count_nonzero((r > 150) & (r - g > 80) & (r - b > 80))) > 3000


def test_landscape_page_comes_out_landscape() -> None:
    shot = make_photo(make_page(landscape=True), quad=[(0.12, 0.14), (0.86, 0.1), (0.9, 0.88), (0.1, 0.92)])
    page = clean_document(shot)
    assert page.width > page.height and page.aspect == pytest.approx(A4_RATIO, rel=0.01)
    assert TICKET in [c.text for c in decode_image(decode_jpeg(page.jpeg))]


def test_big_phone_photo_still_fits_the_budget() -> None:
    page = clean_document(make_photo(make_page(width=2000), size=(4000, 3000), noise=10))
    assert len(page.jpeg) <= MAX_JPEG_BYTES and page.aspect == pytest.approx(A4_RATIO, rel=0.01)


def test_unreadable_photos_get_clear_messages(tmp_path: Path) -> None:
    noise = np.random.default_rng(3).integers(0, 256, (1080, 1920, 3), dtype=np.uint8)
    with pytest.raises(DeviceError, match=MSG_NOISE):
        clean_document(noise)
    with pytest.raises(DeviceError, match=MSG_NO_PAGE):
        clean_document(np.full((1080, 1920, 3), 60, np.uint8))  # an empty desk
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(DeviceError, match="图片文件是空的"):
        read_image(empty)
    text = tmp_path / "notes.jpg"
    text.write_text("这不是图片", encoding="utf-8")
    with pytest.raises(DeviceError, match="不是可识别的图片"):
        decode_file(text)
    with pytest.raises(DeviceError, match="找不到图片文件"):
        read_image(tmp_path / "missing.png")
    with pytest.raises(DeviceError, match="分辨率太低"):
        clean_document(np.zeros((100, 100, 3), np.uint8))


# --- python -m app scan ------------------------------------------------------------------------------------


def _scan(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "app", "scan", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_cli_scan_image_names_what_each_code_is(tmp_path: Path, photo: np.ndarray) -> None:
    path = tmp_path / "photo.jpg"
    cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, 90])
    done = _scan("image", str(path), "--json")
    assert done.returncode == 0, done.stderr
    kinds = {c["text"]: c["recognised"]["kind"] for c in json.loads(done.stdout)["codes"]}
    assert kinds == {TICKET: "ticket", CASE_NO: "case_no"}
    plain = _scan("image", str(path))
    assert "排队号票" in plain.stdout and "受理编号" in plain.stdout


def test_cli_scan_errors_are_one_line(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((400, 400), 255, np.uint8))
    done = _scan("image", str(blank))
    assert done.returncode == 1 and done.stderr.startswith("错误：图片中没有找到可识别的条码或二维码")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG garbage")
    done = _scan("image", str(bad))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "不是可识别的图片" in done.stderr


def test_cli_scan_clean_writes_an_a4_jpeg(tmp_path: Path, photo: np.ndarray) -> None:
    src, out = tmp_path / "photo.png", tmp_path / "page.jpg"
    cv2.imwrite(str(src), photo)
    done = _scan("clean", str(src), "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert out.stat().st_size == info["bytes"] <= MAX_JPEG_BYTES
    assert decode_jpeg(out.read_bytes()).shape[:2] == (info["height"], info["width"])
