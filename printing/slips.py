"""出件单 (the applicant signs for the result) and 政务专递 mailing slip — A5 by default."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.vocabulary import CASE_STATE_LABELS
from printing import DOCUMENTS
from printing.data import CaseDoc
from printing.layout import (
    Styles,
    build_pdf,
    fmt_date,
    fmt_datetime,
    kv_table,
    para,
    signature_block,
    title_block,
)
from printing.parts import printed_id, require

CONCLUDED_STATES = ("approved", "refused", "ready", "handed_over", "mailed")
RESULT_LABELS = {"approved": "准予办理（已办结）", "refused": "不予许可（已办结）"}


def check_pickup(data: CaseDoc) -> None:
    require(data.decision != "refused", f"办件 {data.case_no} 为不予受理，没有办理结果可领取")
    require(bool(data.result) or data.state in CONCLUDED_STATES,
            f"办件 {data.case_no} 尚未办结（当前状态：{_state_label(data.state)}），不能打印出件单")


def check_mailing(data: CaseDoc) -> None:
    require(data.delivery == "mail",
            f"办件 {data.case_no} 的送达方式不是政务专递，不能打印寄递单")
    require(bool(data.mail_address.strip()), f"办件 {data.case_no} 没有填写邮寄地址，不能打印寄递单")


def _state_label(state: str) -> str:
    return CASE_STATE_LABELS.get(state, state or "未知")


def pickup_slip(data: CaseDoc, *, paper: str = "A5") -> bytes:
    """办件出件单: the result handed over, with the collector's signature, ID and date."""
    check_pickup(data)

    def story(width: float, st: Styles) -> list[Flowable]:
        result = RESULT_LABELS.get(data.result, _state_label(data.state))
        out = title_block(DOCUMENTS["pickup"], st)
        out.append(kv_table([
            ("受理编号", data.printed_case_no),
            ("事项名称", data.matter_name),
            ("申请人", data.applicant.name),
            (data.applicant.id_label, printed_id(data, "pickup")),
            ("办理结果", result + (f"：{data.result_note}" if data.result_note else "")),
            ("结果名称", data.result_name or "—"),
            ("受理时间", fmt_datetime(data.accepted_at)),
            ("办结时间", fmt_datetime(data.concluded_at) or "—"),
            ("出件窗口", f"{data.hall.name} {data.window_number}号窗口" if data.window_number else data.hall.name),
        ], width, st))
        out.append(Spacer(1, 3 * mm))
        out.append(para("本人已核对并领取上述办理结果（证照/文书），确认无误。", st.first))
        out.append(signature_block(
            width, st, office=data.hall.name, seal_label="（出件专用章）", date=None, signer="领取人（签字）",
            extra_left=["领取人证件号码：____________________", "与申请人关系：本人 / 代领"],
        ))
        return out

    return build_pdf(data, DOCUMENTS["pickup"], story, paper=paper)


def mailing_slip(data: CaseDoc, *, paper: str = "A5") -> bytes:
    """政务专递寄递单: sender (the hall), recipient, the enclosed result and the tracking number."""
    check_mailing(data)

    def story(width: float, st: Styles) -> list[Flowable]:
        hall = data.hall
        out = title_block(DOCUMENTS["mailing"], st, "（政务服务专递 · 邮费由政府承担）")
        out.append(para("寄件方", st.heading))
        out.append(kv_table([("寄件单位", hall.name), ("寄件地址", hall.address or "—"),
                             ("联系电话", hall.phone or "—")], width, st))
        out.append(para("收件方", st.heading))
        out.append(kv_table([("收件人", data.applicant.name), ("联系电话", data.applicant.phone or "—"),
                             ("收件地址", data.mail_address)], width, st))
        out.append(para("内件", st.heading))
        out.append(kv_table([
            ("受理编号", data.printed_case_no), ("事项名称", data.matter_name),
            ("寄递内容", data.result_name or "办理结果（证照/文书）"),
            ("运单号", data.tracking_no or "（揽收时填写）"),
            ("交寄日期", fmt_date(data.concluded_at.date() if data.concluded_at else None)),
        ], width, st))
        out.append(signature_block(width, st, office=hall.name, seal_label="（寄件单位章）", date=None,
                                   signer="揽收人（签字）"))
        return out

    return build_pdf(data, DOCUMENTS["mailing"], story, paper=paper)
