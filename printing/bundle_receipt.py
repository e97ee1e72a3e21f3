"""一件事一次办受理回执: one receipt for a bundle intake, listing every matter with its 受理编号, department,
decision and deadline, and the materials taken (shared ones once). Each case's own papers (容缺受理通知书,
告知承诺书, 补正材料通知书 …) still print per case, as after a single intake.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.errors import NotFound
from app.settings import Settings
from app.vocabulary import CASE_STATE_LABELS, DECISION_LABELS
from printing.bilingual import Both, heading
from printing.data import CaseDoc
from printing.layout import Styles, build_pdf, fmt_date, grid_table, para, signature_block, title_block
from printing.parts import applicant_grid, require

TITLE = "一件事一次办受理回执"
FORM_WORDS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件", "electronic": "电子材料"}
STATE_WORDS = {"original": "已收原件", "copy": "已收复印件", "e_license": "电子证照", "deferred": "容缺后补",
               "pledge": "告知承诺", "missing": "未提交"}


def _deadline(doc: CaseDoc) -> str:
    if doc.state == "collected":
        return "自受理机关受理之日起计算"
    if doc.promised_label == "即办":
        return "即办（当场办结）" if doc.result == "approved" else "即办"
    if doc.promised_due is not None:
        return f"{doc.promised_label}，{fmt_date(doc.promised_due, '—')}前"
    return doc.promised_label or "—"


def _status(doc: CaseDoc) -> str:
    decision = DECISION_LABELS.get(doc.decision, doc.decision)
    state = CASE_STATE_LABELS.get(doc.state, doc.state)
    return decision if state in (decision, "已受理") else f"{decision}，{state}"


def bundle_receipt(name: str, docs: Sequence[CaseDoc], *, paper: str = "A4") -> bytes:
    """The receipt of one bundle intake; ``docs`` are its cases' documents data, in the bundle's order."""
    require(bool(docs), f"一件事“{name}”没有办件，无法打印回执")
    first = docs[0]

    def story(width: float, st: Styles) -> list[Flowable]:
        # Title, headings and the applicant's field labels bilingual as on every applicant paper
        # (printing.bilingual); the bundle's own name and the case data as entered.
        out: list[Flowable] = [*title_block(TITLE, st, f"（{name}）"), Spacer(1, 2 * mm)]
        out.append(heading("一、申请人", st))
        out.append(applicant_grid(first, "receipt", width, st))  # a 受理回执, signed: the ID rule of the receipt
        out.append(heading("二、办理的事项", st))
        widths = [8 * mm, 44 * mm, 32 * mm, 41 * mm, 24 * mm]
        widths.append(width - sum(widths))
        rows: list[list[str | Both]] = [[str(i), Both(d.matter_name, d.matter_name_mn), Both(d.department, d.department_mn),
                                         d.printed_case_no, _status(d), _deadline(d)]
                                        for i, d in enumerate(docs, 1)]
        out.append(grid_table(["序号", "事项名称", "办理部门", "受理编号", "受理结论", "承诺办结时限"], rows, widths, st,
                              centered=(0,)))
        out.append(heading("三、收取的材料", st))
        out.append(para("多个事项共用的材料只收一次。", st.body))
        seen: dict[str, tuple[str, str, list[int]]] = {}
        for i, d in enumerate(docs, 1):
            for m in d.materials:
                state = STATE_WORDS.get(m.state, m.state)
                if m.state == "deferred" and m.due is not None:
                    state += f"（{fmt_date(m.due, '—')}前补交）"
                entry = seen.setdefault(m.key, (m.name, state, []))
                entry[2].append(i)
        mat_widths = [8 * mm, 78 * mm, 40 * mm]
        mat_widths.append(width - sum(mat_widths))
        mat_rows = [[str(n), title, state, "、".join(f"事项{i}" for i in used)]
                    for n, (title, state, used) in enumerate(seen.values(), 1)]
        out.append(grid_table(["序号", "材料名称", "收取情况", "用于"], mat_rows, mat_widths, st, centered=(0,)))
        out.append(heading("四、说明", st))
        window = f"{first.hall.name}{first.window_number}号窗口" if first.window_number else first.hall.name
        phone = first.hall.consult_phone or first.hall.phone
        notes = ["各事项分别受理、分送各部门办理，各有受理编号和办结时限；全部事项办结即本件事办结。",
                 "办理进度凭各自的受理编号查询；"
                 f"受理窗口：{window}" + (f"，咨询电话 {phone}。" if phone else "。"),
                 "容缺后补、告知承诺或需补正的事项，另附该事项的通知书或承诺书，请按其中写明的期限办理。"]
        out += [para(f"{n}. {t}", st.body) for n, t in enumerate(notes, 1)]
        out.append(signature_block(width, st, office=first.hall.name, date=first.accepted_at.date()))
        return out

    return build_pdf(first, TITLE, story, paper=paper)


def bundle_docs(session: Session, bundle_id: str, *, clock: HallClock, settings: Settings | None = None,
                reprint: bool = False) -> tuple[str, list[CaseDoc]]:
    """The bundle's name and its cases' documents data (``printing.from_store.case_doc``), in its order."""
    from app.cases.bundle import bundle_view
    from printing.from_store import case_doc

    view = bundle_view(session, bundle_id)
    if view is None:
        raise NotFound(f"没有编号为 {bundle_id} 的一件事办件", field="bundle_id")
    return view.name, [case_doc(session, c.case_no, clock=clock, settings=settings, reprint=reprint)
                       for c in view.cases]
