"""Reading QR codes and barcodes from images and camera frames with zxing-cpp.

Two speeds: :func:`decode_frame` for live camera frames (the formats the hall meets, no inverted/rotated
retries, ~10-20 ms for 1280×720) and :func:`decode_image` for a still photo or file (every format, every retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

from app.errors import DeviceError

# Tickets and e-licences carry QR; receipts Code128; ID-card copies PDF417 (港澳台 permits) or none;
# EAN13/Code39 show up on forms from other systems.
FRAME_FORMATS = zxingcpp.barcode_formats_from_str("QRCode,Code128,Code39,DataMatrix,PDF417,EAN13")
MAX_IMAGE_PIXELS = 60_000_000  # a 60-megapixel photo is already far beyond any document camera


@dataclass(frozen=True)
class Code:
    """One decoded symbol: its text, format name (e.g. ``QRCode``) and corner points in image pixels."""

    text: str
    format: str
    corners: tuple[tuple[int, int], ...]

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "format": self.format, "corners": [list(p) for p in self.corners]}


def _format_name(fmt: Any) -> str:
    return str(fmt).replace("BarcodeFormat.", "").replace(" ", "")


def _to_codes(results: list[Any]) -> list[Code]:
    codes: list[Code] = []
    seen: set[tuple[str, str]] = set()
    for r in results:
        p = r.position
        corners = tuple(
            (int(pt.x), int(pt.y)) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        key = (r.text, _format_name(r.format))
        if key in seen:  # try_downscale can report the same symbol twice
            continue
        seen.add(key)
        codes.append(Code(r.text, key[1], corners))
    return codes


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    raise DeviceError("图像格式不支持（应为灰度、BGR 或 BGRA）")


def decode_frame(image: np.ndarray) -> list[Code]:
    """Fast decode for a live camera frame (grayscale, BGR or BGRA uint8 array)."""
    gray = np.ascontiguousarray(_gray(image))
    return _to_codes(zxingcpp.read_barcodes(gray, formats=FRAME_FORMATS, try_rotate=False, try_invert=False))


def decode_image(image: np.ndarray) -> list[Code]:
    """Thorough decode for a still photo: every readable format, rotated and inverted retries."""
    gray = np.ascontiguousarray(_gray(image))
    codes = _to_codes(zxingcpp.read_barcodes(gray))
    if not codes:
        # Phone photos of glossy paper: evening out the lighting often rescues a QR zxing's binarizer missed.
        clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
        codes = _to_codes(zxingcpp.read_barcodes(clahe.apply(gray)))
    return codes


def read_image(path: Path) -> np.ndarray:
    """Load a photo as a BGR array; a clear DeviceError for a missing, empty or non-image file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DeviceError(f"找不到图片文件：{path}", field="file") from exc
    except OSError as exc:
        raise DeviceError(f"无法读取图片文件：{path}（{exc.strerror or exc}）", field="file") from exc
    return image_from_bytes(data, name=str(path))


def image_from_bytes(data: bytes, *, name: str = "图片") -> np.ndarray:
    if not data:
        raise DeviceError(f"图片文件是空的：{name}", field="file")
    buf = np.frombuffer(data, dtype=np.uint8)
    header = cv2.imdecode(buf, cv2.IMREAD_REDUCED_GRAYSCALE_8)  # cheap size probe before a full decode
    if header is None:
        raise DeviceError(f"不是可识别的图片（支持 JPEG、PNG、BMP、TIFF）：{name}", field="file")
    if header.shape[0] * header.shape[1] * 64 > MAX_IMAGE_PIXELS:
        raise DeviceError(f"图片过大：{name}，请用不超过 6000 万像素的照片", field="file")
    image = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    if image is None:
        raise DeviceError(f"图片已损坏，无法解码：{name}", field="file")
    return image


def decode_file(path: Path) -> list[Code]:
    return decode_image(read_image(path))
