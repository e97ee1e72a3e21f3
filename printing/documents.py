"""Case documents as PDF bytes: one function per document and ``render(doc, data)`` choosing among them.

The 容缺/告知承诺 documents live in ``printing.pledges``, the 出件/寄递 slips in ``printing.slips``.
Every function refuses (``PrintError``) a case the document does not fit, e.g. a 告知承诺书 for a case
without a pledged material.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.errors import PrintError
from app.vocabulary import DECISION_LABELS
from printing import DOCUMENTS
from printing.bilingual import Both, heading
from printing.data import CaseDoc
from printing.layout import (
    Styles,
    build_pdf,
    fmt_date,
    kv_lines,
    kv_table,
    markup,
    para,
    signature_block,
    title_block,
)
from printing.parts import (
    LEGAL_EXCLUDED,
    REVIEW_RIGHTS,
    SUPPLY_WAYS,
    applicant_grid,
    collection_rows,
    delivery_text,
    e,
    instant_done,
    letter,
    materials_table,
    notice_table,
    office_lines,
    owed_table,
    require,
    time_rows,
    you,
)


def receipt(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """受理通知书（受理回执）: what was accepted, from whom, which materials, by when, and how to collect it."""
    require(data.decision != "refused",
            f"办件 {data.case_no} 为不予受理，没有受理通知书；请打印不予受理决定书")
    require(data.decision != "supplement",
            f"办件 {data.case_no} 为收件-待补正，尚未受理，没有受理通知书；请打印补正材料通知书")
    from printing.collection import collected, collection_receipt

    if collected(data):  # 代收 at a 苏木乡镇/嘎查村 point: 收件 here, 受理 by the deciding office
        return collection_receipt(data, paper=paper)

    def story(width: float, st: Styles) -> list[Flowable]:
        if data.decision == "deferred":
            basis = "基本条件具备、主要申请材料齐全，对下列容缺材料实行容缺受理"
        elif data.decision == "pledge":
            basis = "申请材料齐全（部分证明以告知承诺书代替）、符合法定形式"
        else:
            basis = "申请材料齐全、符合法定形式"
        out = title_block(DOCUMENTS["receipt"].split("（")[0], st, "（受理回执）")
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}提交的"
            f"“{e(data.matter_name)}”申请，经审查，{basis}，根据《中华人民共和国行政许可法》第三十二条的规定，"
            f"本机关决定予以受理（{DECISION_LABELS.get(data.decision, data.decision)}）。", st))
        out.append(heading("一、办件信息", st))
        out.append(kv_lines([
            [("受理编号", data.printed_case_no), ("受理方式", DECISION_LABELS.get(data.decision, data.decision))],
            [("事项名称", Both(data.matter_name, data.matter_name_mn))],
            [("事项编码", data.matter_code), ("办理结果", data.result_name or "—")],
            [("收费标准", data.fee or "不收费")],
        ], width, st))
        out.append(heading("二、申请人", st))
        out.append(applicant_grid(data, "receipt", width, st))
        out.append(heading(f"三、收件材料清单（共 {len(data.materials)} 项）", st))
        out.append(materials_table(data.materials, width, st))
        out.append(heading("四、办理时限", st))
        times = time_rows(data)
        out.append(kv_lines([times[0:2], times[2:4], *([times[4:]] if len(times) > 4 else [])], width, st))
        out.append(para(LEGAL_EXCLUDED, st.small))
        out.append(heading("五、办理结果与领取" if instant_done(data) else "五、进度查询与结果领取", st))
        out.append(kv_lines(collection_rows(data), width, st))
        if data.corrections:
            out.append(heading("六、当场更正（《中华人民共和国行政许可法》第三十二条第一款第（三）项）", st))
            for i, line in enumerate(data.corrections, 1):
                out.append(para(f"{i}. {line}", st.indent))
        out.append(signature_block(width, st, office=data.hall.name, date=data.accepted_date,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["receipt"], story, paper=paper)


def refusal(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """不予受理决定书: the ground the clerk picked and its legal basis, the competent authority where the matter is
    not this authority's, and the applicant's rights to 行政复议 (60 days) and 行政诉讼 (6 months)."""
    require(data.decision == "refused",
            f"办件 {data.case_no} 不是不予受理（{DECISION_LABELS.get(data.decision, data.decision)}），"
            "不能打印不予受理决定书")

    def story(width: float, st: Styles) -> list[Flowable]:
        ground = data.refusal_ground or next((r for r in data.reasons if r), "—")
        basis = data.refusal_basis or "《中华人民共和国行政许可法》第三十二条第一款"
        out = title_block(DOCUMENTS["refusal"], st)
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}提出的"
            f"“{e(data.matter_name)}”申请（编号 {e(data.printed_case_no)}），经审查，本机关认为：", st))
        out.append(heading("一、不予受理的理由和依据", st))
        out.append(kv_lines([[("不予受理理由", ground)], [("法律依据", basis)]], width, st))
        out.append(Spacer(1, 2 * mm))
        out.append(markup(
            f"根据{e(basis)}的规定，本机关决定<b>不予受理</b>。", st.first))
        if data.competent_office:
            out.append(markup(f"该申请事项请向<b>{e(data.competent_office)}</b>提出申请。", st.first))
        out.append(heading("二、申请人的权利", st))
        out.append(para(REVIEW_RIGHTS, st.first))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（行政机关专用章）",
                                   date=data.accepted_date, signer="申请人（签收）",
                                   details=office_lines(data, ("编号", data.printed_case_no))))
        return out

    return build_pdf(data, DOCUMENTS["refusal"], story, paper=paper)


def one_time_notice(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """一次性告知书: everything still needed, once, with the matter's facts and the consult/supervise phones."""
    owed = data.outstanding()
    require(bool(data.notice or owed or data.notice_items),
            f"办件 {data.case_no} 的材料已经齐全，没有需要一次性告知的内容")

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["one-time-notice"], st)
        out.extend(letter(data,
            f"{you(data)}申请办理的“{e(data.matter_name)}”，经审查，"
            "尚需提交下列材料（或办理下列事项）。现一次性告知如下，请一并准备齐全：", st))
        marks = iter("一二三四")
        if data.notice:
            out.append(heading(f"{next(marks)}、尚需提交的材料（共 {len(data.notice)} 项）", st))
            out.extend(notice_table(data.notice, width, st))
        elif owed:
            out.append(heading(f"{next(marks)}、尚需提交的材料（共 {len(owed)} 项）", st))
            out.append(owed_table(owed, width, st, with_due=any(m.due for m in owed)))
        if data.notice_items:
            out.append(heading(f"{next(marks)}、其他需要说明的事项", st))
            for i, item in enumerate(data.notice_items, 1):
                out.append(para(f"{i}. {item}", st.indent))
        # The facts table splits across pages; its heading needs a few of its rows with it, not keepWithNext alone.
        out.append(CondPageBreak(30 * mm))
        out.append(heading(f"{next(marks)}、事项基本信息", st))
        rows: list[tuple[str, str | Both]] = [
            ("事项名称", Both(data.matter_name, data.matter_name_mn)), ("事项类型", data.matter_kind or "—"),
            ("实施机构", Both(data.department, data.department_mn)),
            ("承诺时限", data.promised_label or "—"), ("法定时限", data.legal_label or "—"),
            ("办理结果", data.result_name or "—"),
            # Nothing is collected from a refusal: no 领取/送达 line on its papers.
            *([] if data.decision == "refused" else [("送达方式", delivery_text(data))]),
            ("咨询电话", data.hall.consult_phone or data.hall.phone or "—"),
            ("监督电话", data.hall.supervise_phone or "—"),
        ]
        out.append(kv_table(rows, width, st))
        out.append(para("本告知书所列内容为本事项全部补充要求，窗口工作人员不得在此之外要求申请人另行提交材料；"
                        "如遇此类情形，请拨打监督电话反映。", st.first_small))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（受理专用章）",
                                   date=data.accepted_date, signer="申请人（签收）"))
        return out

    return build_pdf(data, DOCUMENTS["one-time-notice"], story, paper=paper)


def supplement_notice(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """补正材料通知书 (一次性告知): for a case in 收件-待补正, every missing or defective item once (§32(4)); for a
    容缺 case, the deferred materials still owed and by when."""
    if data.decision == "supplement":
        require(bool(data.notice), f"办件 {data.case_no} 没有需要补正的材料")
        return _correction_notice(data, paper=paper)
    owed = data.outstanding()
    require(bool(owed), f"办件 {data.case_no} 没有需要补正的材料")

    def story(width: float, st: Styles) -> list[Flowable]:
        due = data.supplement_due or max((m.due for m in owed if m.due), default=None)
        out = title_block(DOCUMENTS["supplement-notice"], st)
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}提出的"
            f"“{e(data.matter_name)}”申请（受理编号 {e(data.printed_case_no)}），尚有下列容缺材料未补交，请"
            + (f"于<b>{fmt_date(due)}</b>前" if due else "尽快")
            + "补交：", st))
        out.append(owed_table(owed, width, st, with_due=any(m.due for m in owed)))
        out.append(para(f"补交方式：{SUPPLY_WAYS}。补交齐全后，本机关将继续办理；"
                        "逾期不补交的，视为放弃申请。", st.first))
        out.append(signature_block(width, st, office=data.hall.name, date=data.accepted_date,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["supplement-notice"], story, paper=paper)


def _correction_notice(data: CaseDoc, *, paper: str) -> bytes:
    received = data.received_at or data.accepted_at

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["supplement-notice"], st, "（一次性告知）")
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(received.date())}提交的"
            f"“{e(data.matter_name)}”申请材料（收件编号 {e(data.printed_case_no)}），经审查，申请材料不齐全或者"
            "不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知您"
            f"需要补正的全部内容（共 {len(data.notice)} 项）：", st))
        out.append(heading("一、需要补正的材料", st))
        out.extend(notice_table(data.notice, width, st))
        section = "二"
        if data.notice_items:
            out.append(heading("二、其他需要说明的事项", st))
            for i, item in enumerate(data.notice_items, 1):
                out.append(para(f"{i}. {item}", st.indent))
            section = "三"
        out.append(heading(f"{section}、补正方式与受理", st))
        out.append(para(
            f"请携带本通知书和上列材料，{SUPPLY_WAYS}。补正齐全之日本机关予以受理，"
            "办理时限自受理之日起计算；无需重新申请，也无需重新取号排队登记。", st.first))
        out.append(para(
            "本通知书所列为需要补正的全部内容，本机关不再另行要求补正其他材料。"
            "本机关未在收到申请材料之日起五日内一次告知的，自收到申请材料之日起即为受理。", st.first))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（受理专用章）",
                                   date=received.date(), signer="申请人（签收）",
                                   details=office_lines(data, ("收件编号", data.printed_case_no))))
        return out

    return build_pdf(data, DOCUMENTS["supplement-notice"], story, paper=paper)


Renderer = Callable[..., bytes]


def _renderers() -> dict[str, Renderer]:
    from printing.lifecycle_docs import extension_notice, revocation, supply_receipt, termination_notice
    from printing.pledges import deferral_notice, deferral_pledge, pledge
    from printing.slips import mailing_slip, pickup_slip

    return {
        "receipt": receipt,
        "deferral-notice": deferral_notice,
        "deferral-pledge": deferral_pledge,
        "pledge": pledge,
        "one-time-notice": one_time_notice,
        "refusal": refusal,
        "supplement-notice": supplement_notice,
        "pickup": pickup_slip,
        "mailing": mailing_slip,
        "supply-receipt": supply_receipt,
        "termination-notice": termination_notice,
        "extension-notice": extension_notice,
        "revocation": revocation,
    }


DEFAULT_PAPER: dict[str, str] = {"pickup": "A5", "mailing": "A5"}


def render(doc: str, data: CaseDoc, *, paper: str | None = None) -> bytes:
    """Render document ``doc`` (a key of ``printing.DOCUMENTS``) for the case; returns the PDF bytes.

    Raises:
        PrintError: unknown document, a document that does not fit the case, or content that cannot be laid out.
    """
    renderers = _renderers()
    if doc not in renderers:
        raise PrintError(f"未知的文书类型 {doc!r}，可选：{'、'.join(renderers)}")
    _outcome_gate(doc, data)
    return renderers[doc](data, paper=paper or DEFAULT_PAPER.get(doc, "A4"))


# A case not accepted has only the papers of its outcome: whatever its material rows say, a 不予受理 case gets no
# 容缺/承诺 documents, and a case awaiting 补正 none until it is accepted.
ONLY_DOCS: dict[str, tuple[str, ...]] = {
    "refused": ("refusal",),
    "supplement": ("supplement-notice", "one-time-notice"),
}


def _outcome_gate(name: str, data: CaseDoc) -> None:
    allowed = ONLY_DOCS.get(data.decision)
    if allowed is not None and name not in allowed:
        titles = "、".join(DOCUMENTS[d] for d in allowed)
        require(name in ("receipt", "refusal"),  # these two give their own, more specific reason
                f"办件 {data.case_no} 为{DECISION_LABELS.get(data.decision, data.decision)}，只能打印{titles}")


def applicable(data: CaseDoc) -> list[str]:
    """The documents that fit this case, in the order a clerk would print them."""
    out = []
    for name in DOCUMENTS:
        try:
            _check_fits(name, data)
        except PrintError:
            continue
        out.append(name)
    return out


def _check_fits(name: str, data: CaseDoc) -> None:
    # Mirrors each renderer's own ``require`` so a menu can be built without rendering anything.
    from printing.lifecycle_docs import (
        check_extension,
        check_revocation,
        check_supply_receipt,
        check_termination,
    )
    from printing.pledges import check_deferral, check_pledge
    from printing.slips import check_mailing, check_pickup

    _outcome_gate(name, data)
    checks: dict[str, Callable[[], None]] = {
        "receipt": lambda: require(data.decision not in ("refused", "supplement"), ""),
        "refusal": lambda: require(data.decision == "refused", ""),
        "one-time-notice": lambda: require(bool(data.notice or data.outstanding() or data.notice_items), ""),
        "supplement-notice": lambda: require(
            bool(data.notice) if data.decision == "supplement" else bool(data.outstanding()), ""),
        "deferral-notice": lambda: check_deferral(data),
        "deferral-pledge": lambda: check_deferral(data),
        "pledge": lambda: check_pledge(data),
        "pickup": lambda: check_pickup(data),
        "mailing": lambda: check_mailing(data),
        "supply-receipt": lambda: check_supply_receipt(data),
        "termination-notice": lambda: check_termination(data),
        "extension-notice": lambda: check_extension(data),
        "revocation": lambda: check_revocation(data),
    }
    checks[name]()
