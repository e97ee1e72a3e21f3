"""Every document on every paper it is offered on (A4 and A5; the ticket on both thermal widths), checked as a
reader would see it: no table column narrower than four characters, no line starting with closing punctuation
or ending with opening punctuation, no heading alone at the foot of a page (tests/printing/paper_check.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest

from printing import samples
from printing.data import CaseDoc
from printing.documents import applicable, render
from tests.printing.paper_check import text_problems, watching_layouts

PAPERS = ("A4", "A5")
SAMPLES: dict[str, Callable[[], CaseDoc]] = {
    "person": samples.person_normal, "organisation": samples.organisation_mixed,
    "supplement": samples.person_supplement, "refused": samples.person_refused,
    "long": lambda: samples.long_case(12),
    "reprint": lambda: dataclasses.replace(samples.person_normal(), reprint=True),
}


def _cases() -> Iterator[object]:
    for name, make in SAMPLES.items():
        for doc in applicable(make()):
            for paper in PAPERS:
                yield pytest.param(name, doc, paper, id=f"{name}-{doc}-{paper}")


@pytest.mark.parametrize(("sample", "doc", "paper"), list(_cases()))
def test_the_paper_reads_cleanly(sample: str, doc: str, paper: str) -> None:
    with watching_layouts() as narrow:
        pdf = render(doc, SAMPLES[sample](), paper=paper)
    problems = narrow + text_problems(pdf)
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_look_for() -> None:
    """The checker itself, on a paper built to fail: a one-character column, a line starting with "，", and a
    heading as the last line of a full page."""
    from reportlab.platypus import Flowable, PageBreak, Spacer

    from printing.layout import Styles, build_pdf, grid_table, para

    data = samples.person_normal()

    def story(width: float, st: Styles) -> list[Flowable]:
        return [grid_table(["一", "二"], [["四子王旗政务服务中心", "x"]], [8, width - 8], st),
                para("，开头是逗号的一行", st.body), Spacer(1, 440), para("九、孤零零的标题", st.body),
                PageBreak(), para("下一页", st.body)]

    with watching_layouts() as narrow:
        pdf = build_pdf(data, "受理通知书（受理回执）", story, paper="A5")
    problems = narrow + text_problems(pdf)
    assert any("不足四个字" in p for p in problems), problems
    assert any("行首是标点“，”" in p for p in problems), problems
    assert any("独自留在页尾" in p for p in problems), problems
