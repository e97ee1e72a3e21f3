"""The one Mongolian text widget: the bundled font (no tofu), shaping equal to HarfBuzz's, vertical columns turned
90° clockwise and left to right, lines broken only at spaces, and both scripts placed in the configured order."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontInfo, QFontMetrics, QFontMetricsF, QImage, QRawFont, QTextLayout
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.language import Languages
from app.vocabulary import mongolian
from printing.mongolian import shape
from widgets.mongolian_text import (
    BilingualButton,
    BilingualPair,
    MongolianText,
    mongolian_family,
    mongolian_font,
)

WORDS = ["ᠮᠣᠩᠭᠣᠯ", "ᠪᠢᠴᠢᠭ", "ᠬᠦᠯᠢᠶᠡᠨ", "ᠠᠪᠬᠤ", "ᠳᠤᠭᠠᠷ", "ᠴᠣᠩᠬᠤ", "ᠨᠡᠷ᠎ᠡ"]


def test_the_bundled_font_is_loaded_and_covers_every_letter(qtbot: QtBot) -> None:
    assert mongolian_family() == "Noto Sans Mongolian"
    font = mongolian_font(24)
    assert QFontInfo(font).family() == "Noto Sans Mongolian"  # resolved, not a fallback
    metrics = QFontMetrics(font)
    text = "".join(WORDS) + mongolian("请按号码顺序办理业务，过号请到服务台重新取号。")
    missing = [ch for ch in set(text) if "\u1820" <= ch <= "\u18af" and not metrics.inFontUcs4(ord(ch))]
    assert missing == []


def test_qt_shapes_each_word_as_harfbuzz_does_with_the_same_font(qtbot: QtBot) -> None:
    font = mongolian_font(48)
    for word in WORDS:
        layout = QTextLayout(word, font)
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        qt_glyphs = [g for run in layout.glyphRuns() for g in run.glyphIndexes()]
        isolated = [QRawFont.fromFont(font).glyphIndexesForString(ch)[0] for ch in word]
        assert qt_glyphs == shape(word, 48).glyph_ids, word  # joined forms, as the PDFs draw them
        assert qt_glyphs != isolated, word  # not one isolated form per letter


def _ink(widget: QWidget) -> tuple[int, int, int, int]:
    """The bounding box (left, top, right, bottom) of the dark pixels the widget painted."""
    image = QImage(widget.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    widget.render(image)
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 128:
                xs.append(x)
                ys.append(y)
    assert xs, "nothing was drawn"
    return min(xs), min(ys), max(xs), max(ys)


def test_vertical_text_runs_down_in_columns_left_to_right(qtbot: QtBot) -> None:
    text = MongolianText("ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ", pixel_size=40)
    text.set_color("black")
    qtbot.addWidget(text)
    text.resize(200, 400)
    text.show()
    qtbot.waitExposed(text)
    left, top, right, bottom = _ink(text)
    assert bottom - top > 2 * (right - left)  # one tall column: the run turned 90°
    text.resize(200, 150)  # too short for both words: two columns
    qtbot.waitUntil(lambda: text.height() == 150)
    assert len(text.lines()) == 2 and text.minimumWidth() >= 2 * QFontMetricsF(text.font()).height()
    left2, _t, right2, _b = _ink(text)
    assert right2 - left2 > 1.5 * (right - left)
    horizontal = MongolianText("ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ", vertical=False, pixel_size=40)
    horizontal.set_color("black")
    qtbot.addWidget(horizontal)
    horizontal.resize(600, 120)
    left, top, right, bottom = _ink(horizontal)
    assert right - left > 2 * (bottom - top)  # the narrow-place form: letters on their side


def test_lines_break_only_at_spaces_never_before_a_suffix(qtbot: QtBot) -> None:
    text = MongolianText("ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ\u202fᠦᠨ ᠨᠡᠷ᠎ᠡ", vertical=False, pixel_size=30)
    qtbot.addWidget(text)
    lines = text.lines(1)  # no room at all: one word a line
    assert lines == ["ᠠᠵᠢᠯ", "ᠬᠡᠷᠡᠭ\u202fᠦᠨ", "ᠨᠡᠷ᠎ᠡ"]


def test_pair_follows_the_order_and_hides_the_mongolian_when_off(qtbot: QtBot) -> None:
    mn = MongolianText("ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ", pixel_size=30)
    zh = QLabel("号窗口")
    pair = BilingualPair(mn, zh)
    qtbot.addWidget(pair)
    pair.resize(400, 300)
    pair.show()
    qtbot.waitExposed(pair)
    assert pair.order() == ["mn", "zh"] and mn.geometry().right() < zh.geometry().left()  # Mongolian left
    pair.set_languages(Languages(bilingual=True, mongolian_first=False))
    qtbot.waitUntil(lambda: zh.geometry().right() < mn.geometry().left())
    assert pair.order() == ["zh", "mn"]
    pair.set_languages(Languages(bilingual=False))
    assert pair.order() == ["zh"] and mn.isHidden()
    stacked = BilingualPair(MongolianText("ᠳᠤᠭᠠᠷ", vertical=False), QLabel("号"))
    qtbot.addWidget(stacked)
    stacked.show()
    qtbot.waitExposed(stacked)
    assert stacked.mongolian.geometry().bottom() <= stacked.chinese.geometry().top()  # Mongolian above


def test_button_draws_both_scripts_in_order(qtbot: QtBot) -> None:
    button = BilingualButton("老年人优先", mongolian("老年人优先"))
    qtbot.addWidget(button)
    assert button.order() == ["mn", "zh"] and button.accessibleName() == "老年人优先"
    button.set_languages(Languages(bilingual=True, mongolian_first=False))
    assert button.order() == ["zh", "mn"]
    tall = button.sizeHint().height()
    button.set_languages(Languages(bilingual=False))
    assert button.order() == ["zh"] and button.sizeHint().height() < tall
    button.setStyleSheet("QPushButton { color: black; background: white; border: none; }")
    button.resize(300, 120)
    _l, top, _r, bottom = _ink(button)  # Chinese only
    button.set_languages(Languages(bilingual=True))
    _l, top2, _r, bottom2 = _ink(button)
    assert bottom2 - top2 > 1.6 * (bottom - top)  # a Mongolian line of ink above the Chinese one
    assert top2 < top
