"""Documents after acceptance (issue 14): 补交材料回执, 终止办理通知书, 延期告知书 (§42) and 撤销决定书 (§69)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from printing import DOCUMENTS
from printing.data import CaseDoc
from printing.layout import (
    Styles,
    build_pdf,
    fmt_date,
    grid_table,
    kv_table,
    markup,
    para,
    signature_block,
    title_block,
)
from printing.parts import REVIEW_RIGHTS, e, letter, office_lines, printed_id, require, you


def _event(data: CaseDoc, kind: str) -> dict[str, Any]:
    return data.events.get(kind, {})


def _day(detail: dict[str, Any]) -> dt.date | None:
    if detail.get("day"):
        return dt.date.fromisoformat(str(detail["day"]))
    at = detail.get("at")
    return at.date() if isinstance(at, dt.datetime) else None


def check_supply_receipt(data: CaseDoc) -> None:
    require(any(m.state == "deferred" and m.supplied for m in data.materials),
            f"办件 {data.case_no} 还没有补交的容缺材料，不能打印补交材料回执")


def supply_receipt(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """补交材料回执: which deferred materials arrived on which day, and what is still owed."""
    check_supply_receipt(data)
    supplied = [m for m in data.deferred() if m.supplied]
    owed = [m for m in data.deferred() if not m.supplied]
    last = max((m.supplied_on for m in supplied if m.supplied_on), default=None)

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["supply-receipt"], st)
        out.extend(letter(data,
            f"{you(data)}申请办理的“{e(data.matter_name)}”（受理编号 "
            f"{e(data.printed_case_no)}）容缺受理时所欠的下列材料，本机关已经收到：", st))
        rows = [[str(i), m.name, f"{m.copies}份", fmt_date(m.due, "—"), fmt_date(m.supplied_on, "—")]
                for i, m in enumerate(supplied, 1)]
        out.append(grid_table(["序号", "材料名称", "份数", "补交期限", "收到日期"], rows,
                              [width * 0.08, width * 0.44, width * 0.12, width * 0.18, width * 0.18], st,
                              centered=(0, 2, 3, 4)))
        if owed:
            out.append(para("尚欠材料：" + "、".join(f"{m.name}（{fmt_date(m.due, '—')}前）" for m in owed)
                            + "。请按期补交，逾期未补交的将终止办理。", st.first))
        else:
            out.append(para("容缺材料已全部补齐，本机关按承诺时限继续办理。", st.first))
        out.append(signature_block(width, st, office=data.hall.name, date=last or data.accepted_date,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["supply-receipt"], story, paper=paper)


def check_termination(data: CaseDoc) -> None:
    require(data.state == "terminated" and bool(_event(data, "terminate")),
            f"办件 {data.case_no} 未终止办理，不能打印终止办理通知书")


def termination_notice(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """终止办理通知书: why the case was ended (e.g. the 容缺 material never came) and the applicant's remedies."""
    check_termination(data)
    detail = _event(data, "terminate")
    credit = _event(data, "credit")
    day = _day(detail) or data.accepted_date

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["termination-notice"], st)
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}申请办理的"
            f"“{e(data.matter_name)}”（受理编号 {e(data.printed_case_no)}），因下列原因，本机关决定"
            f"自{fmt_date(day)}起<b>终止办理</b>：", st))
        out.append(para(str(detail.get("reason", "")), st.indent))
        if data.deferred():
            out.append(para("上述材料为容缺受理时您承诺补交的材料，补交期限已届满。", st.first))
        if credit:
            out.append(para("根据您签署的容缺受理承诺书和本机关的规定，上述情况已记入申请人信用记录。", st.first))
        out.append(para("您可以在备齐全部申请材料后重新提出申请。" + REVIEW_RIGHTS, st.first))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（行政机关专用章）", date=day,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["termination-notice"], story, paper=paper)


def check_extension(data: CaseDoc) -> None:
    require(bool(_event(data, "extend")), f"办件 {data.case_no} 没有延长办理期限，不能打印延期告知书")


def extension_notice(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """延期告知书 (行政许可法 §42): by how many working days, why, who approved it, the new last day."""
    check_extension(data)
    detail = _event(data, "extend")
    day = _day(detail) or data.accepted_date
    new_due = dt.date.fromisoformat(detail["legal_due"]) if detail.get("legal_due") else data.legal_due
    old_due = dt.date.fromisoformat(detail["legal_due_before"]) if detail.get("legal_due_before") else None

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["extension-notice"], st)
        out.extend(letter(data,
            f"{you(data)}于{fmt_date(data.accepted_date)}申请办理的"
            f"“{e(data.matter_name)}”（受理编号 {e(data.printed_case_no)}），因"
            f"{e(str(detail.get('reason', '')))}，不能在法定期限内作出决定。根据《中华人民共和国行政许可法》"
            f"第四十二条第一款的规定，经本行政机关负责人批准，办理期限延长<b>{int(detail.get('days', 0))}个工作日</b>。",
            st))
        out.append(kv_table([
            ("原法定办结期限", fmt_date(old_due, "—")),
            ("延长期限", f"{int(detail.get('days', 0))}个工作日"),
            ("延长后办结期限", fmt_date(new_due, "—")),
            ("延期理由", str(detail.get("reason", ""))),
            ("批准人", str(detail.get("approved_by", ""))),
            ("批准日期", fmt_date(day)),
        ], width, st))
        out.append(Spacer(1, 2 * mm))
        for note in data.time_notes:
            if "第四十二条" not in note:
                out.append(para(note + "。", st.first_small))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（行政机关专用章）", date=day,
                                   signer="申请人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["extension-notice"], story, paper=paper)


def check_revocation(data: CaseDoc) -> None:
    require(data.state == "revoked" and bool(_event(data, "revoke")),
            f"办件 {data.case_no} 未因不实承诺撤销，不能打印撤销决定书")


def revocation(data: CaseDoc, *, paper: str = "A4") -> bytes:
    """撤销决定书 (行政许可法 §69, 国办发〔2020〕42号): the untrue pledge found, the decision revoked, the bar."""
    check_revocation(data)
    detail = _event(data, "revoke")
    listing = detail.get("listing") or {}
    day = _day(detail) or data.accepted_date
    until = listing.get("until")

    def story(width: float, st: Styles) -> list[Flowable]:
        out = title_block(DOCUMENTS["revocation"], st)
        who = data.applicant
        out.append(kv_table([
            ("被撤销人", who.name), (who.id_label if not who.is_organisation else "统一社会信用代码", printed_id(data, "revocation")),
            *([("法定代表人", who.legal_rep)] if who.legal_rep else []),
            ("事项名称", data.matter_name), ("受理编号", data.printed_case_no),
        ], width, st))
        out.append(Spacer(1, 2 * mm))  # the decision's text does not touch the table
        out.append(markup(
            f"{you(data)}于{fmt_date(data.accepted_date)}申请办理“{e(data.matter_name)}”时，以告知承诺方式"
            f"代替提交“{e(str(detail.get('material', '')))}”。经事中事后核查，发现：{e(str(detail.get('note', '')))}，"
            "所作承诺与实际情况不符。", st.first))
        out.append(markup(
            "根据《中华人民共和国行政许可法》第六十九条和《国务院办公厅关于全面推行证明事项和涉企经营许可事项"
            "告知承诺制的指导意见》（国办发〔2020〕42号）的规定，本机关决定<b>撤销</b>就该申请作出的决定，"
            "并将不实承诺记入信用记录，列入虚假承诺名单"
            + (f"，自{fmt_date(day)}至{fmt_date(dt.date.fromisoformat(until))}" if until else "")
            + "期间不得适用容缺受理和告知承诺。", st.first))
        out.append(para(REVIEW_RIGHTS.replace("本通知书", "本决定书"), st.first))
        out.append(signature_block(width, st, office=data.hall.name, seal_label="（行政机关专用章）", date=day,
                                   signer="被撤销人（签收）", details=office_lines(data)))
        return out

    return build_pdf(data, DOCUMENTS["revocation"], story, paper=paper)
