"""Chinese line-breaking rules (禁则) for reportlab's CJK wrapping.

A line must not start with closing punctuation (，。；：、）」》！？ and the closing quotes) nor end with opening
punctuation (（「《 and the opening quotes) — GB/T 15834-2011 标点符号用法 and W3C's "Requirements for Chinese Text
Layout" (clreq §3.1.7). reportlab's ``wordWrap="CJK"`` knows only part of it: its list of characters that may not
start a line (``reportlab.lib.textsplit.ALL_CANNOT_START``) lacks the full-width comma, semicolon, colon,
exclamation and question marks and the closing quotes, and nothing keeps an opening bracket off a line's end.

:func:`install` completes the list (a closing mark that would start a line hangs at the end of the line before, as
reportlab already does for 。 and 、) and wraps reportlab's two CJK splitters so a line ending in an opening mark
is broken one character earlier. Idempotent; called when the printing fonts are registered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

NOT_AT_LINE_START = "，。；：、）」』”’！？》〉】〕…％"
NOT_AT_LINE_END = "（「『“‘《〈【〔"
_RETRIES = 8  # a paragraph with that many opening marks at line ends in a row does not exist in our papers

_installed = False


def _ends_badly(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and text[-1] in NOT_AT_LINE_END


def _narrower(max_widths: Sequence[float] | float, line: int, by: float) -> list[float]:
    """reportlab's per-line widths (a list, or one number for every line) with line ``line`` ``by`` narrower."""
    if isinstance(max_widths, (int, float)):
        widths = [float(max_widths)]
    else:
        widths = [float(w) for w in max_widths]
    while len(widths) <= line:
        widths.append(widths[-1])
    widths[line] = widths[line] - by
    return widths


def _trailing_closers(text: str) -> str:
    """The run of closing marks at the end of ``text`` and the character before it (what moves down together)."""
    text = text.rstrip()
    end = len(text)
    while end > 0 and text[end - 1] in NOT_AT_LINE_START:
        end -= 1
    return text[max(end - 1, 0):]


def _keep_marks_right(split: Callable[..., Any], line_texts: Callable[[Any], list[str]],
                      text_width: Callable[[Any, int, str], float]) -> Callable[..., Any]:
    """``split`` re-run with one line made narrower wherever it would end with an opening mark (the mark moves
    down), or the next line would start with a closing mark reportlab could not hang (two in a row, e.g. ”，:
    the last character before them moves down with them)."""

    def wrapped(first: Any, max_widths: Any, *args: Any, **kwargs: Any) -> Any:
        result = split(first, max_widths, *args, **kwargs)
        for _ in range(_RETRIES):
            texts = line_texts(result)
            for i, text in enumerate(texts[:-1]):
                if _ends_badly(text):
                    moving = text.rstrip()[-1]
                    break
                following = texts[i + 1].lstrip()
                if following and following[0] in NOT_AT_LINE_START and len(_trailing_closers(text)) < len(text):
                    moving = _trailing_closers(text)
                    break
            else:
                return result
            max_widths = _narrower(max_widths, i, text_width(result, i, moving) + 0.01)
            result = split(first, max_widths, *args, **kwargs)
        return result

    return wrapped


def install() -> None:
    global _installed
    if _installed:
        return
    from reportlab.lib import textsplit
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in NOT_AT_LINE_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra  # read at call time by textsplit.wordSplit …
    paragraph.ALL_CANNOT_START += extra  # … and by paragraph.cjkFragSplit, which imported its own copy

    def word_lines(lines: Any) -> list[str]:  # wordSplit: [[extraSpace, text], …]
        return [str(text) for _space, text in lines]

    plain = paragraph.wordSplit

    def word_split(word: str, max_widths: Any, font_name: str, font_size: float, encoding: str = "utf8") -> Any:
        wrapped = _keep_marks_right(
            lambda w, mw: plain(w, mw, font_name, font_size, encoding), word_lines,
            lambda _r, _i, text: stringWidth(text, font_name, font_size))
        return wrapped(word, max_widths)

    def frag_lines(para_lines: Any) -> list[str]:  # cjkFragSplit: ParaLines of FragLine(words=[frag, …])
        return ["".join(str(getattr(w, "text", "")) for w in line.words) for line in para_lines.lines]

    def frag_text_width(para_lines: Any, line: int, text: str) -> float:
        last = para_lines.lines[line].words[-1]
        return stringWidth(text, last.fontName, last.fontSize)

    paragraph.wordSplit = word_split
    paragraph.cjkFragSplit = _keep_marks_right(paragraph.cjkFragSplit, frag_lines, frag_text_width)
    _installed = True
