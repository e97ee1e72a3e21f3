"""The shipped TrueType CJK font, registered with reportlab once per process.

reportlab embeds a subset of a TrueType font into each PDF, so documents print the same on a PC without any
Chinese fonts. ``STSong-Light`` (a non-embedded CID font) must never be used.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from app.errors import PrintError
from app.paths import resource

FONT_NAME = "ZCHei"
"""The reportlab name of the body font (WenQuanYi Micro Hei, face 0 of the collection)."""

FONT_DIR = resource("fonts")
FONT_FILE = FONT_DIR / "wqy-microhei.ttc"

_lock = threading.Lock()


def font_path() -> Path:
    return FONT_FILE


@cache
def _register() -> str:
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not FONT_FILE.exists():
        raise PrintError(f"缺少打印字体文件 {FONT_FILE}，请重新安装本程序")
    try:
        font = TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0)
    except (TTFError, OSError) as exc:
        raise PrintError(f"打印字体文件 {FONT_FILE.name} 无法读取：{exc}") from None
    pdfmetrics.registerFont(font)
    # Binary (not ASCII85) page streams: a quarter smaller, and every PDF reader takes them.
    rl_config.useA85 = 0
    # One face only: map bold/italic to the same face so <b> in a Paragraph never falls back to Helvetica
    # (which has no Chinese glyphs). Headings are set larger instead of with a synthetic bold.
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME,
                                  boldItalic=FONT_NAME)
    from printing.kinsoku import install

    install()  # the Chinese line-breaking rules reportlab lacks, before the first paragraph is wrapped
    return FONT_NAME


def register_fonts() -> str:
    """Register the CJK font (first call parses the file, ~0.1 s) and return its reportlab name."""
    with _lock:
        return _register()
