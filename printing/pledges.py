"""容缺受理通知书 (two copies), 容缺受理承诺书 and 告知承诺书 (one per pledged material)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from printing import DOCUMENTS
from printing.bilingual import Both, heading
from printing.data import CaseDoc, MaterialLine, PledgeDoc
from printing.layout import Styles, build_pdf, fmt_date, kv_table, markup, para, signature_block, title_block
from printing.parts import (
    SUPPLY_WAYS,
    TERMINATION,
    applicant_table,
    e,
    letter,
    numbered,
    office_lines,
    owed_table,
    printed_id,
    require,
    you,
)

COPIES = ("申请人留存联", "存档联")


def check_deferral(data: CaseDoc) -> None:
    require(bool(data.deferred()), f"办件 {data.case_no} 没有容缺材料，不能打印容缺受理文书")


def check_pledge(data: CaseDoc) -> None:
    require(bool(data.pledged()), f"办件 {data.case_no} 没有以告知承诺代替的材料，不能打印告知承诺书")


def _deferral_due(data: CaseDoc) -> str:
    dues = [m.due for m in data.deferred() if m.due]
    due = data.supplement_due or (max(dues) if dues else None)
    return fmt_date(due, "通知书所列期限")


def deferral_notice(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """容缺受理通知书 in two copies (申请人留存联, 存档联), each starting on its own page."""
    check_deferral(data)
    deferred = data.deferred()

    def one_copy(width: float, st: Styles, copy: str) -> list[Flowable]:
        out = title_block(DOCUMENTS["deferral-notice"], st, f"（{copy}）")
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}申请办理的"
            f"“{e(data.matter_name)}”（受理编号 {e(data.printed_case_no)}），基本条件具备、主要申请材料齐全，"
            "根据容缺受理有关规定，本机关决定予以<b>容缺受理</b>。请于下列期限内补交以下材料：", st))
        out.append(Spacer(1, 2 * mm))
        out.append(owed_table(deferred, width, st))
        out.append(Spacer(1, 2 * mm))
        items = [
            f"补交方式：{SUPPLY_WAYS}。",
            f"全部容缺材料须于{_deferral_due(data)}前补齐；补齐后本机关按承诺时限继续办理。",
            TERMINATION,
            "补交的材料与申请时所作说明不一致，或者承诺内容不实的，本机关将依法撤回已作出的决定。",
        ]
        for line in numbered(items):
            out.append(para(line, st.indent))
        out.append(signature_block(width, st, office=data.hall.name, date=data.accepted_date,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    def story(width: float, st: Styles) -> list[Flowable]:
        out: list[Flowable] = []
        for i, copy in enumerate(COPIES):
            if i:
                out.append(PageBreak())
            out += one_copy(width, st, copy)
        return out

    return build_pdf(data, DOCUMENTS["deferral-notice"], story, paper=paper)


def deferral_pledge(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """容缺受理承诺书: the applicant promises to supply each deferred material by its deadline."""
    check_deferral(data)
    deferred = data.deferred()
    org = data.applicant.is_organisation

    def story(width: float, st: Styles) -> list[Flowable]:
        me = "本单位" if org else "本人"
        out = title_block(DOCUMENTS["deferral-pledge"], st)
        out.append(heading("承诺人", st))
        out.append(applicant_table(data, "deferral-pledge", width, st))
        out.append(Spacer(1, 2 * mm))
        out.append(markup(
            f"{me}申请办理“{e(data.matter_name)}”（受理编号 {e(data.printed_case_no)}），因下列材料暂时无法提供，"
            f"自愿申请容缺受理，并郑重承诺：", st.first))
        out.append(Spacer(1, 2 * mm))
        out.append(owed_table(deferred, width, st))
        out.append(Spacer(1, 2 * mm))
        promises = [
            f"{me}已提交的申请材料真实、合法、有效，所填写的信息真实、准确。",
            f"{me}将于{_deferral_due(data)}前，按上表所列方式补交全部容缺材料，并保证补交材料与申请时的说明一致。",
            f"逾期未补交的，{me}同意终止办理，自愿承担由此产生的一切后果，并同意将有关情况记入信用记录。",
            f"{me}未被列入失信联合惩戒对象名单，此前未作出过虚假承诺。",
        ]
        if data.applicant.proxy_name:
            promises.append(f"代办人{data.applicant.proxy_name}已取得{me}的书面授权（授权委托书附后）。")
        for line in numbered(promises):
            out.append(para(line, st.indent))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（受理专用章）",
                                   date=data.accepted_date,
                                   signer="承诺人（签字并盖章）" if org else "承诺人（签字）"))
        return out

    return build_pdf(data, DOCUMENTS["deferral-pledge"], story, paper=paper)


def _pledge_page(data: CaseDoc, m: MaterialLine, terms: PledgeDoc, width: float, st: Styles) -> list[Flowable]:
    org = data.applicant.is_organisation
    me = "本单位" if org else "本人"
    way = "书面承诺：申请人在本告知承诺书上签字" + ("并加盖单位公章" if org else "") + "，交受理窗口留存。"
    if terms.personal:
        way += "本项承诺须由申请人本人（法定代表人）亲自签署，不得由他人代为承诺。"
    out = title_block(DOCUMENTS["pledge"], st, f"（{m.name}）")
    out.append(heading("一、行政机关告知", st))
    out.append(kv_table([
        ("事项名称", Both(data.matter_name, data.matter_name_mn)),
        ("设定依据", terms.basis or data.matter_basis or "—"),
        ("证明内容", terms.content),
        ("承诺方式", way),
        ("承诺效力", terms.effect),
        ("不实承诺的法律责任", terms.liability),
        ("核查方式", f"{terms.verification}。行政机关有权依法对承诺内容进行核查，申请人应当予以配合。"),
    ], width, st))
    out.append(heading("二、申请人承诺", st))
    out.append(markup(f"{me}（{e(data.applicant.name)}，{e(data.applicant.id_label)} "
                      f"{e(printed_id(data, 'pledge'))}）现作出如下承诺：", st.first))
    promises = [
        f"{me}已经知晓行政机关告知的全部内容；",
        f"{me}已符合行政机关告知的条件、标准和要求：{terms.text}",
        f"{me}所填写的信息真实、准确，所作承诺是{me}的真实意思表示；",
        f"{me}愿意接受行政机关的核查，愿意承担不实承诺的法律责任。",
    ]
    for line in numbered(promises):
        out.append(para(line, st.indent))
    out.append(signature_block(width, st, office=data.hall.name, seal_label="（行政机关专用章）",
                               date=data.accepted_date,
                               signer="承诺人（签字并盖章）" if org else "承诺人（签字）"))
    return out


def pledge(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """告知承诺书, one per pledged material (each starting on its own page)."""
    check_pledge(data)
    pledged = data.pledged()
    missing_terms = [m.name for m in pledged if m.pledge is None]
    require(not missing_terms,
            f"事项目录没有为材料“{'、'.join(missing_terms)}”规定告知承诺内容（设定依据、证明内容等），无法打印告知承诺书")

    def story(width: float, st: Styles) -> list[Flowable]:
        out: list[Flowable] = []
        for i, m in enumerate(pledged):
            if i:
                out.append(PageBreak())
            assert m.pledge is not None  # checked above
            out += _pledge_page(data, m, m.pledge, width, st)
        return out

    return build_pdf(data, DOCUMENTS["pledge"], story, paper=paper)
