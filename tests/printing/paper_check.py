"""What a reader of a printed paper trips on, found in the rendered PDF and in its layout: a table column too
narrow for four characters, a line that starts with closing punctuation or ends with opening punctuation (禁则,
GB/T 15834 and the Chinese typesetting rules of W3C's clreq), and a heading left alone at the foot of a page."""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Table

from printing import layout
from printing.layout import BOTTOM, HEADER_H, TOP, Styles

NOT_AT_LINE_START = set("，。；：、）」』”’！？》〉")  # the PDF's own lines, whatever printing.kinsoku says
NOT_AT_LINE_END = set("（「『“‘《〈")
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
MIN_CHARS = 4


def _tables(flowables: Any) -> Iterator[Table]:
    items = flowables if isinstance(flowables, (list, tuple)) else [flowables]
    for item in items:
        if isinstance(item, Table):
            yield item
            for row in item._cellvalues:
                for value in row:
                    if isinstance(value, (Flowable, list, tuple)):
                        yield from _tables(value)
        elif isinstance(item, KeepTogether):
            yield from _tables(item._content)


def narrow_columns(story: list[Flowable], st: Styles) -> list[str]:
    """Columns narrower than four characters of the cell font whose text wraps there. Spacer columns with no
    text pass, and so do narrow columns whose every cell is one short line (序号 "1", 份数 "2"): the defect is
    text broken a character or two a line, as 四子王旗政务服务中心 once was on A5."""
    least = MIN_CHARS * st.cell.fontSize + 2 * layout.CELL_PAD
    out = []
    for table in _tables(story):
        for col, width in enumerate(table._colWidths):
            texts = [row[col] for row in table._cellvalues if row[col] not in ("", None)]
            one_liners = all(isinstance(t, str) and "\n" not in t for t in texts)  # layout.cell: plain = fits
            if texts and not one_liners and width is not None and width < least - 0.5:
                sample = next((t for t in texts if isinstance(t, str)), type(texts[0]).__name__)
                out.append(f"表格列宽 {width / 2.835:.1f} mm，不足四个字（{least / 2.835:.1f} mm）：{sample!s:.20}")
    return out


@contextmanager
def watching_layouts() -> Iterator[list[str]]:
    """Collects :func:`narrow_columns` of every document laid out inside the block, each prefixed by its title."""
    found: list[str] = []

    def observe(title: str, paper: str, story: list[Flowable], st: Styles) -> None:
        found.extend(f"{title}（{paper}）：{p}" for p in narrow_columns(story, st))

    layout.STORY_OBSERVERS.append(observe)
    try:
        yield found
    finally:
        layout.STORY_OBSERVERS.remove(observe)


def _lines(pdf: bytes) -> Iterator[tuple[int, float, float, str]]:
    """(page, yMin, yMax, text) of every line pdftotext finds, top-down per page; page height in points."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    for number, page in enumerate(root.iter("page"), 1):
        height = float(page.get("height", "0"))
        for line in page.iter("line"):
            words = [w.text or "" for w in line.iter("word")]
            yield number, float(line.get("yMin", "0")), float(line.get("yMax", "0")), "".join(words)
        yield number, height, height, ""  # marks the page's height


def text_problems(pdf: bytes) -> list[str]:
    """禁则 breaks and lone headings at the foot of a page, read from the PDF's text lines."""
    out: list[str] = []
    pages: dict[int, list[tuple[float, float, str]]] = {}
    heights: dict[int, float] = {}
    for page, y0, y1, text in _lines(pdf):
        if not text:
            heights[page] = y1
            continue
        pages.setdefault(page, []).append((y0, y1, text))
        if text[0] in NOT_AT_LINE_START:
            out.append(f"第 {page} 页：行首是标点“{text[0]}”：{text[:24]}")
        if text[-1] in NOT_AT_LINE_END:
            out.append(f"第 {page} 页：行尾是标点“{text[-1]}”：{text[-24:]}")
    for page, lines in pages.items():
        body_top, body_bottom = TOP + HEADER_H, heights[page] - BOTTOM
        body = [line for line in lines if body_top < line[0] and line[1] < body_bottom]
        if body and page < len(pages):
            last = max(body, key=lambda line: line[1])
            if HEADING.match(last[2]):
                out.append(f"第 {page} 页：标题“{last[2]}”独自留在页尾")
    return out
