"""PDF pages as RGB pixels (PDFium through pypdfium2), for the on-screen preview and for printer drivers that
take images. No Qt here: ``ui`` wraps the pixels in QImages.

This installation's PySide6 ships without the QtPdf module, so PDFium stands in for QPdfDocument.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from app.errors import PrintError

# PDFium is not thread-safe; the preview and a print job may rasterize at the same time on two "io" workers.
PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    width: int  # pixels
    height: int
    rgb: bytes  # width * height * 3 bytes, rows top to bottom
    width_pt: float  # page size in points (1/72 inch)
    height_pt: float


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise PrintError(f"PDF 文档无法打开：{exc}") from None
        try:
            return len(doc)
        finally:
            doc.close()


def rasterize(pdf: bytes, *, dpi: float = 96, pages: range | None = None) -> list[PageImage]:
    """Render the pages (all, or ``pages``, 0-based) at ``dpi``."""
    import pypdfium2 as pdfium

    if dpi <= 0 or dpi > 1200:
        raise PrintError(f"渲染分辨率 {dpi} 超出范围（1–1200 dpi）")
    out: list[PageImage] = []
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise PrintError(f"PDF 文档无法打开：{exc}") from None
        try:
            for index in pages if pages is not None else range(len(doc)):
                page = doc[index]
                width_pt, height_pt = page.get_size()
                image = page.render(scale=dpi / 72).to_pil().convert("RGB")
                out.append(PageImage(image.width, image.height, image.tobytes(), width_pt, height_pt))
                page.close()
        finally:
            doc.close()
    return out


def mongolian_line_image(text: str, *, height_px: int) -> Any:
    """A Mongolian line (shaped by ``printing.mongolian``, the one shaping path) as a greyscale PIL image
    ``height_px`` tall, for thermal printers, which carry no Mongolian font."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from printing.fonts import register_fonts
    from printing.mongolian import ASCENT, DESCENT, draw_mongolian, line_width

    size = 20.0
    width = line_width(text, size) + 4
    height = (ASCENT + DESCENT) * size
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=register_fonts())
    draw_mongolian(canvas, text, 2, DESCENT * size, size)
    canvas.showPage()
    canvas.save()
    page = rasterize(buf.getvalue(), dpi=72 * height_px / height)[0]
    from PIL import Image

    return Image.frombytes("RGB", (page.width, page.height), page.rgb).convert("L")
