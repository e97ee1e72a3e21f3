"""Bilingual papers: the Mongolian beside the Chinese of a document's fixed wording — the title, the section
headings, the field labels — and beside the catalog's names (the matter, the office). Case data prints as entered.

The wording itself lives in ``app.vocabulary.MONGOLIAN``; the catalog's names come with the case's snapshot.
Inner Mongolia's language rule puts Mongolian first — above; ``[language] first = zh`` puts it below
(``app.language.languages_for`` decides, ``Styles.bilingual`` / ``Styles.mongolian_first`` carry it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from reportlab.platypus import Flowable

from app.vocabulary import mongolian
from printing.mongolian import MongolianParagraph, draw_mongolian, line_height, line_width

if TYPE_CHECKING:
    from printing.layout import Styles

TITLE_SIZE = 15.0
SUBTITLE_SIZE = 10.0
HEADING_SIZE = 9.0
LABEL_SIZE = 6.0

T = TypeVar("T")


@dataclass(frozen=True)
class Both:
    """A value printed in both scripts, e.g. the matter's name: the Chinese and the catalog's Mongolian."""

    zh: str
    mn: str = ""

    def __bool__(self) -> bool:
        return bool(self.zh or self.mn)


def in_order(mongolian_first: bool, mongolian_part: list[T], chinese_part: list[T]) -> list[T]:
    """The two parts of a bilingual item in the configured order (Mongolian first: above)."""
    return [*mongolian_part, *chinese_part] if mongolian_first else [*chinese_part, *mongolian_part]


def mongolian_title(title: str, subtitle: str = "", *, scale: float = 1.0) -> list[Flowable]:
    """The Mongolian title (and subtitle) lines to stand beside a document's Chinese title; [] when the wording
    is unknown, so the paper never shows half a translation."""
    out: list[Flowable] = []
    text = mongolian(title)
    if not text:
        return out
    sub = mongolian(subtitle.strip("（）()"))
    out.append(MongolianParagraph(text, TITLE_SIZE * scale, align="center", space_after=0))
    if sub:
        out.append(MongolianParagraph(sub, SUBTITLE_SIZE * scale, align="center", space_after=0))
    return out


_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")
_COUNT = re.compile(r"（共 \d+ 项）$")


def heading_wording(text: str) -> str:
    """The Mongolian for a section heading: its numbering (一、) and count (（共 3 项）) stay Chinese-only
    markers, the words are looked up; "" when unknown."""
    words = _COUNT.sub("", _NUMBERING.sub("", text))
    return mongolian(words)


class _HeadingLine(Flowable):
    """A section heading on one line: the Mongolian run and the Chinese heading side by side (Mongolian to the
    left when it comes first), sharing the Chinese heading's space before and after."""

    def __init__(self, chinese: Flowable, mongolian_text: str, size: float, mongolian_first: bool) -> None:
        super().__init__()
        self.chinese = chinese
        self.mongolian_text = mongolian_text
        self.size = size
        self.mongolian_first = mongolian_first
        self.gap = size * 0.8
        self._mn_width = line_width(mongolian_text, size)
        self.spaceBefore = chinese.getSpaceBefore()
        self.spaceAfter = chinese.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        room = availWidth - self._mn_width - self.gap
        self._zh_width, zh_height = self.chinese.wrap(room, availHeight)
        self.width = availWidth
        self.height = max(zh_height, line_height(self.size) * 0.8)
        return self.width, self.height

    def draw(self) -> None:
        zh_w = self.chinese.wrap(self.width - self._mn_width - self.gap, self.height)[0]
        zh_w = min(zh_w, self._zh_text_width())
        zh_x, mn_x = (self._mn_width + self.gap, 0.0) if self.mongolian_first else (0.0, zh_w + self.gap)
        # Drawn in reading order, so copied text (and pdftotext) comes out in the order it is read.
        # The Mongolian letters' middle band on the Chinese line's middle: the baseline a little under it.
        steps = [lambda: draw_mongolian(self.canv, self.mongolian_text, mn_x, self.height * 0.5 - self.size * 0.25,
                                        self.size),
                 lambda: self.chinese.drawOn(self.canv, zh_x, 0)]
        for step in steps if self.mongolian_first else reversed(steps):
            step()

    def _zh_text_width(self) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        style = getattr(self.chinese, "style", None)
        text = getattr(self.chinese, "text", "")
        if style is None:
            return float("inf")
        return float(stringWidth(text, style.fontName, style.fontSize))


def heading(text: str, st: Styles) -> Flowable:
    """A section heading, with its Mongolian beside it (one line) when the paper is bilingual and the wording
    known."""
    from printing.layout import para

    chinese = para(text, st.heading)
    mn = heading_wording(text) if st.bilingual else ""
    if not mn:
        return chinese
    return _HeadingLine(chinese, mn, HEADING_SIZE * st.scale, st.mongolian_first)


def _stack(zh: Flowable | str, mn: str, st: Styles, size: float) -> list[Flowable | str] | Flowable | str:
    if not mn:
        return zh
    from printing.layout import para

    chinese = zh if not isinstance(zh, str) else para(zh, st.cell)
    return in_order(st.mongolian_first, [MongolianParagraph(mn, size * st.scale, space_after=0, tight=True)], [chinese])


def label_cell(label: str, st: Styles, width: float) -> list[Flowable | str] | Flowable | str:
    """A field label cell: the Chinese, with the Mongolian label beside it when bilingual and known."""
    from printing.layout import cell

    zh = cell(label, st.cell, width)
    return _stack(zh, mongolian(label) if st.bilingual else "", st, LABEL_SIZE)


def value_cell(value: str | Both, st: Styles, width: float) -> list[Flowable | str] | Flowable | str:
    """A value cell; a :class:`Both` prints its Mongolian beside the Chinese when the paper is bilingual."""
    from printing.layout import cell

    if isinstance(value, Both):
        zh = cell(value.zh or "—", st.cell, width)
        return _stack(zh, value.mn if st.bilingual else "", st, LABEL_SIZE + 1.5)
    return cell(value or "—", st.cell, width)
