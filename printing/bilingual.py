"""Bilingual papers: the Mongolian line placed before (above) the Chinese of a document's fixed wording.

The wording itself lives in ``app.vocabulary.MONGOLIAN``; case data prints as entered. Inner Mongolia's language
rule puts Mongolian first — above, or to the left.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.vocabulary import mongolian
from printing.mongolian import MongolianParagraph

TITLE_SIZE = 15.0
SUBTITLE_SIZE = 10.0


def mongolian_title(title: str, subtitle: str = "", *, scale: float = 1.0) -> list[Flowable]:
    """The Mongolian title (and subtitle) lines to stand above a document's Chinese title; [] when the wording
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
