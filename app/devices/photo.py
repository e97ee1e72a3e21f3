"""Turning a camera photo of a paper material into a clean, upright A4 page (JPEG ≤ ~300 KB) for the case file.

Steps: find the page's four edges on a reduced copy, warp the full-resolution photo onto an A4-proportioned
rectangle, even out the lighting (divide by a blurred background, so shadows and yellowed paper go white while
red seals keep their colour), and encode as JPEG, lowering the quality until it fits the size budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from app.devices.codes import read_image
from app.errors import DeviceError

A4_RATIO = 297 / 210
PAGE_SHORT_PX = 1240  # A4 at 150 dpi: enough for print-size text, small enough for a GPRS uplink
MAX_JPEG_BYTES = 300 * 1024
_DETECT_SIDE = 640
_MIN_PAGE_AREA = 0.15  # of the photo: smaller "pages" are usually a logo or a card, not the sheet

MSG_NO_PAGE = "照片中找不到完整的纸张边缘，请把材料平放在深色桌面上、四角都拍进画面后重拍"
MSG_NOISE = "照片过于模糊或杂乱，无法识别文件，请对准材料重拍"


@dataclass(frozen=True)
class CleanedPage:
    """The cleaned page: JPEG bytes, pixel size, and the page corners found in the source photo (tl, tr, br, bl)."""

    jpeg: bytes
    width: int
    height: int
    corners: tuple[tuple[int, int], ...]
    quality: int

    @property
    def aspect(self) -> float:
        return max(self.width, self.height) / min(self.width, self.height)


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    pts = pts.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _looks_like_noise(gray: np.ndarray) -> bool:
    """A photo of a page has large smooth areas (paper); sensor noise or a random image has none."""
    mean = cv2.blur(gray.astype(np.float32), (5, 5))
    sq = cv2.blur(gray.astype(np.float32) ** 2, (5, 5))
    local_std = np.sqrt(np.maximum(sq - mean * mean, 0))
    return float(np.mean(local_std < 12)) < 0.25


def _quad_candidates(gray: np.ndarray) -> list[np.ndarray]:
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    edges = cv2.Canny(blurred, 40, 120)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    # Paper is usually the brightest large region: Otsu's mask is a second opinion when edges are broken.
    _t, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    quads: list[np.ndarray] = []
    for source in (edges, mask):
        contours, _h = cv2.findContours(source, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            hull = cv2.convexHull(contour)
            peri = cv2.arcLength(hull, True)
            for eps in (0.02, 0.04, 0.06):
                approx = cv2.approxPolyDP(hull, eps * peri, True)
                if len(approx) == 4 and cv2.isContourConvex(approx):
                    quads.append(approx.reshape(4, 2))
                    break
    return quads


def find_page(image: np.ndarray) -> np.ndarray:
    """The page's corners (tl, tr, br, bl) in ``image`` pixels; DeviceError when there is no page to find."""
    # Striding first keeps a 12-megapixel photo's reduction cheap; the area filter then smooths what is left.
    step = max(1, max(image.shape[:2]) // (_DETECT_SIDE * 2))
    image = image[::step, ::step]
    h, w = image.shape[:2]
    scale = _DETECT_SIDE / max(h, w)
    small = cv2.resize(
        image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    if _looks_like_noise(gray):
        raise DeviceError(MSG_NOISE)
    area = gray.shape[0] * gray.shape[1]
    best: np.ndarray | None = None
    best_area = 0.0
    for quad in _quad_candidates(gray):
        a = cv2.contourArea(quad.astype(np.float32))
        # A quad that is the whole frame is the photo's own border (nothing was found), not a page.
        if _MIN_PAGE_AREA * area <= a <= 0.97 * area and a > best_area:
            best, best_area = quad, a
    if best is None:
        raise DeviceError(MSG_NO_PAGE)
    return _order(best / scale * step)


def _even_lighting(page: np.ndarray) -> np.ndarray:
    """Divide each channel by its paper background (estimated at low resolution for speed)."""
    h, w = page.shape[:2]
    small = cv2.resize(page, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    # Closing removes text strokes (dark, thin) so what remains is the paper's own brightness.
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    bg = cv2.GaussianBlur(bg, (0, 0), 5)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(page, bg, scale=255)
    # Stretch so the darkest ink is black and near-white paper becomes pure white (smaller JPEGs too).
    lut = np.clip((np.arange(256, dtype=np.float32) - 40) * 255 / (225 - 40), 0, 255).astype(np.uint8)
    return cv2.LUT(out, lut)


def _encode(page: np.ndarray, max_bytes: int) -> tuple[bytes, int, np.ndarray]:
    # Huffman optimisation saves ~10 % but costs 2-4× the time; the quality ladder is the cheaper lever.
    for quality in (85, 72, 60, 50, 40, 32):
        ok, buf = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok and len(buf) <= max_bytes:
            return buf.tobytes(), quality, page
    # Still too big (a page of dense print): fall back to fewer pixels rather than mush.
    h, w = page.shape[:2]
    smaller = cv2.resize(page, (w * 3 // 4, h * 3 // 4), interpolation=cv2.INTER_AREA)
    if min(smaller.shape[:2]) < 400:
        raise DeviceError("照片无法压缩到允许的大小")
    return _encode(smaller, max_bytes)


def clean_document(
    image: np.ndarray, *, max_bytes: int = MAX_JPEG_BYTES, short_side: int = PAGE_SHORT_PX, color: bool = True
) -> CleanedPage:
    """Find, straighten and clean the page in a BGR photo; DeviceError with a Chinese reason when it cannot."""
    if image is None or image.size == 0 or image.ndim not in (2, 3):
        raise DeviceError("照片为空，无法处理")
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if min(image.shape[:2]) < 200:
        raise DeviceError("照片分辨率太低，请靠近材料重拍")
    corners = find_page(image)
    # Pull the corners 0.5 % towards the centre so no strip of the table bleeds into the page's edge.
    centre = corners.mean(axis=0)
    tl, tr, br, bl = centre + (corners - centre) * 0.995
    quad_w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    quad_h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    long_side = round(short_side * A4_RATIO)
    out_w, out_h = (short_side, long_side) if quad_h >= quad_w else (long_side, short_side)
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], np.float32), target)
    page = cv2.warpPerspective(
        image, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
    )
    page = _even_lighting(page)
    if not color:
        page = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    jpeg, quality, final = _encode(page, max_bytes)
    return CleanedPage(
        jpeg=jpeg,
        width=int(final.shape[1]),
        height=int(final.shape[0]),
        corners=tuple((int(x), int(y)) for x, y in corners),
        quality=quality,
    )


def clean_document_file(
    path: Path, *, max_bytes: int = MAX_JPEG_BYTES, short_side: int = PAGE_SHORT_PX, color: bool = True
) -> CleanedPage:
    return clean_document(read_image(path), max_bytes=max_bytes, short_side=short_side, color=color)
