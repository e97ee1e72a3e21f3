"""收件回执（代收）: the paper a 苏木乡镇 centre or 嘎查村 point gives for a matter it only collects.

It says the papers were taken in (收件) here and that the deciding office will 受理 them, and that the time limits
run from that office's acceptance (app.cases.levels); once the office has accepted, a reprint names the day and
the due dates. The receipt (``printing.documents.receipt``) hands over to this for a collected case.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from printing.data import CaseDoc
from printing.layout import Styles, build_pdf, fmt_date, kv_lines, para, signature_block, title_block
from printing.parts import applicant_grid, delivery_text, e, letter, materials_table, office_lines, you

TITLE = "收件回执"


def collected(data: CaseDoc) -> bool:
    return "collect" in data.events


def _limit(label: str, due: object, accepted: bool) -> str:
    if not label:
        return "—"
    if not accepted:
        return f"{label}（自受理机关受理之日起计算）"
    return f"{label}，预计于{fmt_date(due, '—')}前办结" if due else label  # type: ignore[arg-type]


def collection_receipt(data: CaseDoc, *, paper: str = "A4") -> bytes:
    collect = data.events["collect"]
    office = str(collect.get("office") or data.department)
    point = data.hall.name or str(collect.get("point", ""))
    accept = data.events.get("office_accept")

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(TITLE, st, "（代收）")
        then = (f"{office}已于{accept['day']}受理，办结时限自该日起计算。" if accept
                else f"{office}受理后，办结时限自受理之日起计算，届时将告知您。")
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}提交的"
            f"“{e(data.matter_name)}”申请材料齐全，本点（{e(point)}）已代为收件，转{e(office)}受理。"
            f"本点只收件、不受理，{e(then)}", st))
        out.append(para("一、办件信息", st.heading))
        out.append(kv_lines([
            [("收件编号", data.printed_case_no), ("收件方式", "代收（收件转办）")],
            [("事项名称", data.matter_name)],
            [("事项编码", data.matter_code), ("受理机关", office)],
            [("收费标准", data.fee or "不收费")],
        ], width, st))
        out.append(para("二、申请人", st.heading))
        out.append(applicant_grid(data, "receipt", width, st))
        out.append(para(f"三、收件材料清单（共 {len(data.materials)} 项）", st.heading))
        out.append(materials_table(data.materials, width, st))
        out.append(para("四、办理时限", st.heading))
        out.append(kv_lines([
            [("收件时间", fmt_date(data.accepted_date)),
             ("受理时间", str(accept["day"]) if accept else f"待{office}受理")],
            [("法定办结时限", _limit(data.legal_label, data.legal_due, bool(accept))),
             ("承诺办结时限", _limit(data.promised_label, data.promised_due, bool(accept)))],
        ], width, st))
        out.append(para("五、结果领取", st.heading))
        out.append(kv_lines([[("结果领取", delivery_text(data))]], width, st))
        out.append(signature_block(width, st, office=point, seal_label="（收件专用章）", date=data.accepted_date,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, TITLE, story, paper=paper)
