"""Mongolian in PDFs: the glyphs drawn are HarfBuzz's shaping (contextual forms), the font is embedded as a
subset, and the Unicode text comes back out."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from app.language import is_mongolian
from printing.fonts import register_fonts
from printing.mongolian import MONGOLIAN_FONT_FILE, draw_mongolian, shape
from tests.printing.pdf_glyphs import drawn_outlines, outlines
from tests.printing.pdf_tools import pdf_fonts, pdf_text

WORDS = [
    "ᠮᠣᠩᠭᠣᠯ",  # mongγol: Mongolian
    "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ",  # to accept (受理)
    "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ",  # service
    "ᠨᠢᠭᠡ ᠤᠳᠠᠭᠠ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # one-time notice
    "ᠭ᠋ᠠ",  # a free variation selector changes the form
    "ᠨᠠᠷ\u180eᠠ",  # a Mongolian vowel separator: the final a
]


def _pdf(words: list[str], *, vertical: bool) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1, initialFontName=register_fonts())
    for i, word in enumerate(words):
        if vertical:
            draw_mongolian(canvas, word, 40 + 40 * i, 800, 18, vertical=True)
        else:
            draw_mongolian(canvas, word, 40, 800 - 40 * i, 18)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical"])
def test_pdf_draws_harfbuzz_glyphs_embedded_and_extractable(vertical: bool) -> None:
    pdf = _pdf(WORDS, vertical=vertical)
    font = MONGOLIAN_FONT_FILE.read_bytes()
    drawn = drawn_outlines(pdf, "NotoSansMongolian-Regular")
    assert drawn == [outlines(font, shape(word, 18).glyph_ids) for word in WORDS]
    isolated = outlines(font, [shape(ch, 18).glyph_ids[0] for ch in WORDS[0]])
    assert all(a != b for a, b in zip(drawn[0], isolated, strict=True))
    fonts = {row.name.split("+")[-1]: row for row in pdf_fonts(pdf)}
    assert fonts["NotoSansMongolian-Regular"].embedded
    assert all(row.embedded for row in fonts.values())
    text = pdf_text(pdf)
    for word in WORDS:
        assert "".join(word.split()).replace("\u180e", "").replace("\u180b", "") in text.replace(
            "\u180e", "").replace("\u180b", "")


def test_shaping_uses_contextual_forms_not_isolated_letters() -> None:
    word = "ᠮᠣᠩᠭᠣᠯ"
    isolated = [shape(ch, 18).glyph_ids[0] for ch in word]
    shaped = shape(word, 18).glyph_ids
    assert len(shaped) == len(word)
    assert all(a != b for a, b in zip(shaped, isolated, strict=True))  # initial, medial…, final forms
    assert shape("ᠭ᠋ᠠ", 18).glyph_ids != shape("ᠭᠠ", 18).glyph_ids  # FVS1 picks another form
    assert is_mongolian(word) and not is_mongolian("受理回执")


def test_subset_embedding_keeps_the_pdf_small() -> None:
    assert len(_pdf(WORDS, vertical=False)) < 60_000  # the whole font is 242 KB; only used glyphs embed
