"""Code128 (受理编号) and QR (verification, ticket) drawn with reportlab.

Sizes are chosen to scan from a 200-dpi scan or a phone camera: a Code128 module of 0.3 mm is ~2.4 px at 200
dpi, and a 4-module quiet zone is kept on both sides.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any, cast

import zxingcpp
from reportlab.graphics.barcode.code128 import Code128Auto
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.errors import PrintError

CODE128_MODULE = 0.3 * mm


def _check_code128_text(value: str) -> None:
    if not value:
        raise PrintError("受理编号为空，无法生成条码")
    bad = [ch for ch in value if not 32 <= ord(ch) < 127]
    if bad:
        raise PrintError(f"受理编号含有条码不能表示的字符：{''.join(bad)!r}（只允许字母、数字和符号）")


def code128(value: str, *, bar_height: float = 10 * mm, max_width: float | None = None) -> Code128Auto:
    """A Code128 flowable (auto code sets, so digit runs use the dense set C), no human-readable line.

    When ``max_width`` is given the modules shrink to fit, but never below 0.25 mm, under which a 200-dpi scan
    stops decoding reliably: a too-long number is refused rather than printed unreadable.
    """
    _check_code128_text(value)
    module = CODE128_MODULE
    code = _make(value, module, bar_height)
    if max_width is not None and code.width > max_width:
        module = module * max_width / code.width
        if module < 0.25 * mm:
            raise PrintError(f"受理编号 {value} 太长，条码无法在页面上清晰印出")
        code = _make(value, module, bar_height)
    return code


def _make(value: str, module: float, bar_height: float) -> Code128Auto:
    return Code128Auto(value, barWidth=module, barHeight=bar_height, humanReadable=0, quiet=1,
                       lquiet=4 * module, rquiet=4 * module)


def draw_code128(canvas: object, value: str, x: float, y: float, *, bar_height: float = 10 * mm,
                 max_width: float | None = None) -> float:
    """Draw the barcode with its lower-left corner at (x, y) on a reportlab canvas; returns its width."""
    code = code128(value, bar_height=bar_height, max_width=max_width)
    code.drawOn(canvas, x, y)
    return float(code.width)


def code128_width(value: str) -> float:
    return float(code128(value).width)


@lru_cache(maxsize=256)
def qr_matrix(payload: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR module matrix (True = dark), without quiet zone.

    Encoded by zxing-cpp (C++, ~0.3 ms) rather than reportlab's pure-Python encoder (~10 ms, it tries every
    mask pattern in Python), which alone would use a third of a receipt's time budget.
    """
    if not payload:
        raise PrintError("二维码内容为空")
    if level not in ("L", "M", "Q", "H"):
        raise PrintError(f"二维码纠错等级 {level!r} 无效（L/M/Q/H）")
    try:
        code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    except Exception as exc:  # zxing-cpp raises plain exceptions for content that does not fit a QR code
        raise PrintError(f"二维码无法生成：{exc}") from None
    # The image's buffer read directly (no numpy: a receipt should not load 12 MB of it into the clerk's window).
    image: Any = code.to_image(scale=1, add_quiet_zones=False)  # a 2-D uint8 buffer (zxing-cpp's stubs omit it)
    rows = cast(list[list[int]], memoryview(image).tolist())
    return tuple(tuple(v < 128 for v in row) for row in rows)


@lru_cache(maxsize=256)
def _qr_path_ops(payload: str, level: str) -> str:
    """PDF path operators for the dark runs, in module units with y growing downwards (small integers only)."""
    ops = []
    for r, row in enumerate(qr_matrix(payload, level)):
        col = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                ops.append(f"{col} {r} {length} 1 re")
            col += length
    return "\n".join(ops) + "\nf"


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float, *, level: str = "M",
            quiet: int = 2) -> None:
    """Draw a QR code filling the square (x, y, size) with a ``quiet``-module margin, as one filled path."""
    count = len(qr_matrix(payload, level))
    box = size / (count + 2 * quiet)
    canvas.saveState()
    canvas.translate(x + quiet * box, y + size - quiet * box)
    canvas.scale(box, -box)
    canvas.setFillColor(colors.black)
    canvas.addLiteral(_qr_path_ops(payload, level))
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a flowable (for tickets and slips laid out with platypus)."""

    def __init__(self, payload: str, size: float, *, level: str = "M") -> None:
        super().__init__()
        qr_matrix(payload, level)  # fail at construction on bad input, not mid-layout
        self.payload, self.size, self.level = payload, size, level
        self.width = self.height = size

    def wrap(self, _avail_w: float, _avail_h: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.payload, 0, 0, self.size, level=self.level)
