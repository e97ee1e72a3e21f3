"""Traditional Mongolian in PDFs: shaped with HarfBuzz, drawn as the shaped glyph run, the Unicode kept extractable.

reportlab draws one nominal glyph per character, which for Mongolian would print every letter in its isolated
form. Here a run is shaped by uharfbuzz with the shipped Noto Sans Mongolian; each (glyph, source text) pair
gets a private code in the embedded subset whose ToUnicode entry is that source text, and each run is wrapped
in ``/Span <</ActualText …>> BDC … EMC``, so copy and ``pdftotext`` give the Unicode back.

Two forms, one helper: horizontal (the run as shaped: letters lie on their side, for table cells and tickets)
and vertical (the run turned 90° clockwise: columns top to bottom, for signage-style headings).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.errors import PrintError
from printing.fonts import FONT_DIR

MONGOLIAN_FONT_NAME = "ZCMong"
MONGOLIAN_FONT_FILE = FONT_DIR / "NotoSansMongolian-Regular.ttf"
_PRIVATE_BASE = 0xF0000  # Supplementary Private Use Area-A: never a real character in our text

_lock = threading.RLock()


class _ShapedTTFont(TTFont):
    """A TrueType font whose private codes (one per glyph and source text) map back to their text in ToUnicode."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self.code_text: dict[int, str] = {}  # private code → the Unicode text its glyph stands for
        self.code_for: dict[tuple[int, str], int] = {}

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, [self.code_text.get(c, chr(c)) for c in subset])


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap mapping code i of the subset to ``texts[i]`` (several characters for a ligature)."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(texts) - 1:02X}>", "endcodespacerange",
        f"{len(texts)} beginbfchar",
        *[f"<{i:02X}> <{_utf16_hex(t) or '200B'}>" for i, t in enumerate(texts)],
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


@cache
def _font() -> _ShapedTTFont:
    from printing.fonts import register_fonts

    register_fonts()  # the CJK font sets the shared reportlab options
    if not MONGOLIAN_FONT_FILE.exists():
        raise PrintError(f"缺少蒙古文字体文件 {MONGOLIAN_FONT_FILE}，请重新安装本程序")
    font = _ShapedTTFont(MONGOLIAN_FONT_NAME, str(MONGOLIAN_FONT_FILE))
    pdfmetrics.registerFont(font)
    return font


@cache
def _hb_font() -> Any:
    import uharfbuzz as hb

    face = hb.Face(MONGOLIAN_FONT_FILE.read_bytes())
    return hb.Font(face)


def register_mongolian_font() -> str:
    """Register the Mongolian font with reportlab (once per process) and return its reportlab name."""
    with _lock:
        return _font().fontName


@dataclass(frozen=True)
class Glyph:
    gid: int
    cluster: int  # index of the first source character this glyph stands for
    x_advance: float  # in 1/1000 em
    x_offset: float
    y_offset: float


@dataclass(frozen=True)
class ShapedRun:
    """A shaped line of text: its glyphs and its width at ``size`` points."""

    text: str
    size: float
    glyphs: tuple[Glyph, ...]

    @property
    def width(self) -> float:
        return sum(g.x_advance for g in self.glyphs) * self.size / 1000

    @property
    def glyph_ids(self) -> list[int]:
        return [g.gid for g in self.glyphs]


ASCENT = 1.457  # Noto Sans Mongolian's hhea ascender/descender, em
DESCENT = 0.293


def line_height(size: float) -> float:
    """The height of one horizontal line (the width of one vertical column) at ``size`` points."""
    return (ASCENT + DESCENT) * size


@cache
def _shape_cached(text: str) -> tuple[Glyph, ...]:
    import uharfbuzz as hb

    font = _hb_font()
    upem = font.face.upem
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "ltr"  # the script's fonts are designed for a horizontal run turned 90° clockwise
    buf.script = "Mong"
    buf.language = "mn"
    with _lock:
        hb.shape(font, buf, {})
    return tuple(
        Glyph(info.codepoint, info.cluster, pos.x_advance * 1000 / upem, pos.x_offset * 1000 / upem,
              pos.y_offset * 1000 / upem)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True))


def shape(text: str, size: float) -> ShapedRun:
    """Shape ``text`` (Mongolian, with spaces, digits and punctuation the font has) at ``size`` points."""
    return ShapedRun(text, size, _shape_cached(text))


def _shaped_str(run: ShapedRun) -> ShapedStr:
    """The run as reportlab's ShapedStr: one private code per glyph, with HarfBuzz's advances and offsets."""
    font = _font()
    face = font.face
    ends = sorted({g.cluster for g in run.glyphs} | {len(run.text)})
    next_cluster = {c: ends[i + 1] for i, c in enumerate(ends[:-1])}
    chars: list[str] = []
    data: list[ShapeData] = []
    seen: set[int] = set()
    with _lock:
        for glyph in run.glyphs:
            # The first glyph of a cluster carries the cluster's text; further glyphs of it (a split letter) none.
            text = "" if glyph.cluster in seen else run.text[glyph.cluster:next_cluster[glyph.cluster]]
            seen.add(glyph.cluster)
            key = (glyph.gid, text)
            code = font.code_for.get(key)
            if code is None:
                code = _PRIVATE_BASE + len(font.code_for)
                font.code_for[key] = code
                font.code_text[code] = text
                face.charToGlyph[code] = glyph.gid
                face.charWidths[code] = _nominal_width(glyph.gid)
            chars.append(chr(code))
            data.append(ShapeData(glyph.cluster, glyph.x_advance, 0, glyph.x_offset, glyph.y_offset,
                                  face.charWidths[code]))
    return ShapedStr("".join(chars), shapeData=data)


@cache
def _nominal_width(gid: int) -> float:
    font = _hb_font()
    return font.get_glyph_h_advance(gid) * 1000 / font.face.upem


def _actual_text_open(text: str) -> str:
    return f"/Span <</ActualText <FEFF{_utf16_hex(text)}>>> BDC"


def draw_run(canvas: Canvas, run: ShapedRun, x: float, y: float) -> None:
    """Draw ``run`` horizontally with its baseline starting at (x, y)."""
    if not run.glyphs:
        return
    text = _shaped_str(run)
    canvas.saveState()
    canvas._code.append(_actual_text_open(run.text))
    textobj = canvas.beginText(x, y)
    textobj.setFont(MONGOLIAN_FONT_NAME, run.size)
    textobj.textOut(text)
    canvas.drawText(textobj)
    canvas._code.append("EMC")
    canvas.restoreState()


def _covered(ch: str) -> bool:
    return ch in _CONTROLS or _hb_font().get_nominal_glyph(ord(ch)) is not None


_CONTROLS = frozenset("\u180b\u180c\u180d\u180e\u200c\u200d\u202f")


def segments(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (Mongolian font?, piece): digits, Latin and Chinese (the Mongolian font has no
    digits) go to the CJK font so nothing prints as a box."""
    out: list[tuple[bool, str]] = []
    for ch in text:
        mn = _covered(ch)
        if out and out[-1][0] == mn:
            out[-1] = (mn, out[-1][1] + ch)
        else:
            out.append((mn, ch))
    return out


_OTHER_SCALE = 0.8  # CJK/digits beside Mongolian: the Mongolian font's em is tall, its letters small


def line_width(text: str, size: float) -> float:
    """The length of ``text`` along its line at ``size`` points, as ``draw_mongolian`` draws it."""
    from printing.fonts import FONT_NAME, register_fonts

    register_fonts()
    return sum(shape(piece, size).width if mn else pdfmetrics.stringWidth(piece, FONT_NAME, size * _OTHER_SCALE)
               for mn, piece in segments(text))


def _draw_line(canvas: Canvas, text: str, x: float, y: float, size: float) -> float:
    from printing.fonts import FONT_NAME

    start = x
    for mn, piece in segments(text):
        if mn:
            run = shape(piece, size)
            draw_run(canvas, run, x, y)
            x += run.width
        else:
            canvas.saveState()
            canvas.setFont(FONT_NAME, size * _OTHER_SCALE)
            # CJK sits on the Mongolian letters' middle band, not on their baseline far below.
            canvas.drawString(x, y + 0.12 * size, piece)
            canvas.restoreState()
            x += pdfmetrics.stringWidth(piece, FONT_NAME, size * _OTHER_SCALE)
    return x - start


def draw_mongolian(canvas: Canvas, text: str, x: float, y: float, size: float, *,
                   vertical: bool = False) -> float:
    """Draw Mongolian ``text`` (digits or Chinese inside it in the CJK font) and return its length.

    Horizontal: the baseline starts at (x, y). Vertical: the column's top left corner is (x, y); the column is
    ``line_height(size)`` wide and runs downwards (the horizontal run turned 90° clockwise).
    """
    register_mongolian_font()
    if not vertical:
        return _draw_line(canvas, text, x, y, size)
    canvas.saveState()
    # Turned clockwise, the run's "up" points right: its descender side is the column's left edge.
    canvas.translate(x + DESCENT * size, y)
    canvas.rotate(-90)
    length = _draw_line(canvas, text, 0, 0, size)
    canvas.restoreState()
    return length


def wrap_words(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``width`` (a longer word stands alone). Only U+0020
    breaks: U+202F joins a suffix to its word."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        trial = f"{current} {word}" if current else word
        if current and line_width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


class MongolianParagraph(Flowable):
    """A horizontal Mongolian paragraph for a story: wrapped at spaces, left aligned or centred."""

    def __init__(self, text: str, size: float, *, align: str = "left", space_after: float = 1 * mm,
                 tight: bool = False) -> None:
        super().__init__()
        register_mongolian_font()
        self.text = text
        self.size = size
        self.align = align
        self.space_after = space_after
        # ``tight``: a label in a table cell; the line step follows the letters' own height rather than the
        # font's tall ascender (few words have one, and the cell's padding gives them room).
        self._step = 0.72 if tight else 0.82
        self._lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self._lines = wrap_words(self.text, self.size, availWidth)
        self.height = len(self._lines) * line_height(self.size) * self._step + self.space_after
        return self.width, self.height

    def draw(self) -> None:
        step = line_height(self.size) * self._step
        y = self.height - self.space_after - ASCENT * self.size * self._step
        for line in self._lines:
            x = (self.width - line_width(line, self.size)) / 2 if self.align == "center" else 0
            _draw_line(self.canv, line, x, y, self.size)
            y -= step
