"""Pieces several case documents print the same way: the applicant, the material list, time limits, offices."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from app.errors import PrintError
from app.masking import mask_id
from app.vocabulary import MATERIAL_FORM_LABELS
from printing import DOCUMENTS
from printing.bilingual import Both
from printing.data import STATE_FORM_LABELS, STATE_KIND_LABELS, CaseDoc, MaterialLine, NoticeLine
from printing.layout import Styles, fmt_date, fmt_datetime, grid_table, kv_lines, kv_table, markup, para

SUPPLY_WAYS = "到受理窗口当面提交，或通过邮寄、网上提交（以本机关收到之日为准）"
TERMINATION = "逾期未补交的，视为申请人放弃申请，本机关将终止办理，并将有关情况记入申请人信用记录。"
LEGAL_EXCLUDED = ("依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内"
                  "（《中华人民共和国行政许可法》第四十五条）。")
REVIEW_RIGHTS = ("如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
                 "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。")


def e(text: str) -> str:
    """Escape a value for use inside our paragraph markup."""
    return escape(text)


def you(doc: CaseDoc) -> str:
    """How a notice says "you": 您单位 to a legal person (the case's applicant kind), 您 to a natural person —
    never the form-letter "您（单位）"."""
    return "您单位" if doc.applicant.is_organisation else "您"


def letter(doc: CaseDoc, body: str, st: Styles) -> list[Flowable]:
    """A notice's opening: the addressee with its colon on a line of its own, then the first paragraph (trusted
    markup, values escaped) indented two ideographic spaces by its style."""
    return [para(f"{doc.applicant.name}：", st.body), markup(body, st.first)]


def applicant_title(doc: CaseDoc) -> str:
    """How a notice addresses the applicant: the name followed by the full-width colon."""
    return doc.applicant.name


# Where a full 18-digit ID number may be printed (docs/printing.md, "ID numbers on paper"): only on what the
# applicant signs and keeps as the record of what was accepted from whom — the 受理通知书（受理回执） and the
# 告知承诺书 / 容缺受理承诺书, whose signature binds the named person (the pledge's legal effect depends on who
# made it). Everything else — tickets, 出件单, 寄递单, notices, decisions, screens — is masked (app.masking.mask_id):
# those papers travel, are handed to proxies and couriers, and identify the case by its 受理编号 alone.
# A 统一社会信用代码 is public (国家企业信用信息公示系统) and always printed whole; an agent's ID always masked.
FULL_ID_DOCUMENTS = frozenset({"receipt", "pledge", "deferral-pledge"})


def printed_id(doc: CaseDoc, document: str) -> str:
    """The applicant's ID number as ``document`` (a key of ``printing.DOCUMENTS``) prints it: the one place the
    rule above is applied."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}")  # a typo would silently mask (or not)
    a = doc.applicant
    if a.is_organisation or document in FULL_ID_DOCUMENTS:
        return a.id_no
    return mask_id(a.id_no)


def applicant_rows(doc: CaseDoc, document: str) -> list[tuple[str, str]]:
    a = doc.applicant
    if a.is_organisation:
        rows = [("单位名称", a.name), ("统一社会信用代码", printed_id(doc, document)), ("法定代表人", a.legal_rep),
                ("联系人", a.contact or a.proxy_name), ("联系电话", a.phone or a.proxy_phone), ("单位地址", a.address)]
    else:
        rows = [("姓名", a.name), (a.id_label, printed_id(doc, document)), ("联系电话", a.phone), ("住址", a.address)]
        if a.contact:
            rows.append(("联系人", a.contact))
    if a.proxy_name:
        # The agent's own ID was checked at the window; paper carries it masked (app.masking, as on screen).
        proxy = a.proxy_name + (f"（证件号码 {mask_id(a.proxy_id_no)}，凭授权委托书代办）" if a.proxy_id_no else "")
        rows.append(("代办人", proxy + (f"，电话 {a.proxy_phone}" if a.proxy_phone else "")))
    return rows


def _visual_len(text: str) -> float:
    """Width in CJK characters: ASCII digits and letters are about half as wide."""
    return sum(0.55 if ord(ch) < 128 else 1.0 for ch in text)


def applicant_grid(doc: CaseDoc, document: str, width: float, st: Styles) -> Table:
    """The applicant in two columns, in reading order; long values (addresses, the proxy) take a whole line."""
    lines: list[list[tuple[str, str]]] = []
    pending: list[tuple[str, str]] = []
    for label, value in applicant_rows(doc, document):
        if _visual_len(value) > 18 or label in ("住址", "单位地址", "代办人"):
            if pending:
                lines.append(pending)
                pending = []
            lines.append([(label, value)])
            continue
        pending.append((label, value))
        if len(pending) == 2:
            lines.append(pending)
            pending = []
    if pending:
        lines.append(pending)
    return kv_lines(lines, width, st)


def applicant_table(doc: CaseDoc, document: str, width: float, st: Styles) -> Table:
    return kv_table(applicant_rows(doc, document), width, st)


def material_note(m: MaterialLine) -> str:
    parts: list[str] = []
    if m.core:
        parts.append("核心材料")
    if m.state == "deferred":
        parts.append(f"容缺，{fmt_date(m.due, '限期')}前补交" + ("（已补交）" if m.supplied else ""))
    elif m.state == "pledge":
        parts.append("以告知承诺书代替")
    elif m.state == "e_license":
        parts.append("电子证照共享调取")
    elif m.state == "missing":
        parts.append("未提交")
    elif m.state == "defective":
        parts.append("不符合法定形式，须补正")
    if m.note:
        parts.append(m.note)
    return "；".join(parts)


def materials_table(materials: tuple[MaterialLine, ...], width: float, st: Styles) -> Table:
    """收件材料清单: 序号, 名称, 份数, 原件/复印件, 形式 (纸质/电子证照/容缺/承诺), 备注. Header repeats per page."""
    rows = [
        [str(i), m.name, str(m.copies) if m.state in ("original", "copy") else "—", STATE_KIND_LABELS[m.state],
         STATE_FORM_LABELS[m.state], material_note(m)]
        for i, m in enumerate(materials, 1)
    ]
    fixed = [10 * mm, 11 * mm, 22 * mm, 19 * mm]
    name_w = (width - sum(fixed)) * 0.58
    note_w = width - sum(fixed) - name_w
    return grid_table(["序号", "材料名称", "份数", "原件/复印件", "形式", "备注"], rows,
                      [fixed[0], name_w, fixed[1], fixed[2], fixed[3], note_w], st, centered=(0, 2, 3, 4))


def owed_table(materials: tuple[MaterialLine, ...], width: float, st: Styles, *, with_due: bool = True,
               how: str = SUPPLY_WAYS) -> Table:
    """Materials the applicant still owes: what, how many and in what form, how to supply, by when."""
    header = ["序号", "材料名称", "份数及形式", "提交方式"] + (["补交期限"] if with_due else [])
    rows = []
    for i, m in enumerate(materials, 1):
        row = [str(i), m.name, f"{m.copies}份，{MATERIAL_FORM_LABELS.get(m.form, m.form)}", how]
        if with_due:
            row.append(fmt_date(m.due, "—"))
        rows.append(row)
    fixed = [10 * mm, 26 * mm] + ([28 * mm] if with_due else [])
    rest = width - sum(fixed)
    widths = [fixed[0], rest * 0.5, fixed[1], rest * 0.5] + ([fixed[2]] if with_due else [])
    return grid_table(header, rows, widths, st, centered=(0, 2, 4))


def notice_table(lines: tuple[NoticeLine, ...], width: float, st: Styles) -> list[Flowable]:
    """The checklist's 一次性告知 lines: what, how many and in what form, why, and what else would do.

    The 说明 column does not say the same words row after row: when every line has the same reason (often all
    "未提交") it is said once above the table and the column left out; otherwise a reason equal to the one above
    prints as 同上."""
    reasons = [n.reason or "未提交" for n in lines]
    fixed = [10 * mm, 26 * mm]
    rest = width - sum(fixed)
    if len(lines) > 1 and len(set(reasons)) == 1:
        rows = [[str(i), n.name, f"{n.copies}份" + (f"，{n.form}" if n.form else ""), n.options or "—"]
                for i, n in enumerate(lines, 1)]
        return [para(f"下列 {len(lines)} 项材料均为：{reasons[0]}。", st.small),
                grid_table(["序号", "材料名称", "份数及形式", "可选办理方式"], rows,
                           [fixed[0], rest * 0.55, fixed[1], rest * 0.45], st, centered=(0, 2))]
    shown = [r if i == 0 or r != reasons[i - 1] else "同上" for i, r in enumerate(reasons)]
    rows = [[str(i), n.name, f"{n.copies}份" + (f"，{n.form}" if n.form else ""), reason, n.options or "—"]
            for i, (n, reason) in enumerate(zip(lines, shown, strict=True), 1)]
    return [grid_table(["序号", "材料名称", "份数及形式", "说明", "可选办理方式"], rows,
                       [fixed[0], rest * 0.42, fixed[1], rest * 0.29, rest * 0.29], st, centered=(0, 2))]


def time_rows(doc: CaseDoc) -> list[tuple[str, str]]:
    accepted = fmt_datetime(doc.accepted_at)
    rows = [
        ("接收时间", fmt_datetime(doc.received_at) if doc.received_at else accepted),
        ("受理时间", accepted),
        ("法定办结时限", _limit(doc.legal_label, doc.legal_due)),
        ("承诺办结时限", _limit(doc.promised_label, doc.promised_due)),
    ]
    for note in doc.time_notes:
        rows.append(("期限说明", note))
    if doc.provisional_years:
        years = "、".join(str(y) for y in doc.provisional_years)
        rows.append(("说明", f"{years} 年放假安排尚未公布，上述日期暂按法定节假日推算，公布后以实际安排为准"))
    return rows


def _limit(label: str, due: object) -> str:
    if not label:
        return "—"
    if label == "即办":
        return "即办（当场办结）"
    return f"{label}，预计于{fmt_date(due, '—')}前办结" if due else label  # type: ignore[arg-type]


def instant_done(doc: CaseDoc) -> bool:
    """A 即办件 concluded at the window in the visit it was accepted (app.cases.instant)."""
    return (doc.result == "approved" and doc.promised_label == "即办" and doc.concluded_at is not None
            and doc.concluded_at.date() == doc.accepted_at.date())


def collection_rows(doc: CaseDoc) -> list[list[tuple[str, str]]]:
    """The receipt's 进度查询与结果领取: for a 即办件 done at the window, that it is 办结 (and 出件) already."""
    if not instant_done(doc):
        return [[("进度查询", progress_text(doc))], [("结果领取", delivery_text(doc))]]
    done = f"即办件，已于{fmt_datetime(doc.concluded_at)}当场办结"
    if doc.handed_over_at is not None:
        collected = f"已于{fmt_datetime(doc.handed_over_at)}当场领取（出件），本次办理完毕"
    else:
        collected = delivery_text(doc)
    return [[("办理结果", done)], [("结果领取", collected)]]


def delivery_text(doc: CaseDoc) -> str:
    if doc.delivery == "mail":
        where = doc.mail_address or "（未填写邮寄地址）"
        return f"政务专递（免费邮寄）送达，寄往：{where}；收件人：{doc.applicant.name}，电话：{doc.applicant.phone or '—'}"
    if doc.delivery == "online":
        return "网上送达（电子证照/电子文书），可在政务服务网或移动端下载"
    place = doc.hall.name + (f"（{doc.hall.address}）" if doc.hall.address else "")
    window = f"{doc.window_number}号窗口" if doc.window_number else "综合出件窗口"
    return f"窗口领取：{place}{window}，凭本通知书及申请人有效身份证件领取；代领须持委托书及代领人身份证件"


def progress_text(doc: CaseDoc) -> str:
    if doc.progress_query:
        return doc.progress_query
    phone = doc.hall.consult_phone or doc.hall.phone
    text = "凭受理编号在本大厅服务台、政务服务网或“蒙速办”查询办理进度"
    return text + (f"，或拨打咨询电话 {phone}" if phone else "")


def office_rows(doc: CaseDoc) -> list[tuple[str, str | Both]]:
    rows: list[tuple[str, str | Both]] = [("受理机构", doc.hall.name),
                                          ("实施机构", Both(doc.department, doc.department_mn))]
    window = f"{doc.window_number}号窗口" if doc.window_number else ""
    clerk = f"{doc.clerk_name}（{window}）" if doc.clerk_name and window else (doc.clerk_name or window)
    rows.append(("受理人", clerk))
    rows.append(("联系电话", doc.clerk_phone or doc.hall.phone))
    if doc.hall.consult_phone:
        rows.append(("咨询电话", doc.hall.consult_phone))
    if doc.hall.supervise_phone:
        rows.append(("监督电话", doc.hall.supervise_phone))
    return rows


def office_lines(doc: CaseDoc, *first: tuple[str, str | Both]) -> list[list[tuple[str, str | Both]]]:
    """The office rows for a signature block: names on their own lines, short values paired."""
    rows = [*first, *office_rows(doc)]
    lines: list[list[tuple[str, str | Both]]] = []
    pending: list[tuple[str, str | Both]] = []
    for label, value in rows:
        if isinstance(value, Both) or _visual_len(value) > 10:
            lines.append([(label, value)])
            continue
        pending.append((label, value))
        if len(pending) == 2:
            lines.append(pending)
            pending = []
    if pending:
        lines.append(pending)
    return lines


def require(condition: bool, message: str) -> None:
    """Refuse a document that does not fit the case, with the reason the clerk reads."""
    if not condition:
        raise PrintError(message)


def numbered(items: list[str]) -> list[str]:
    marks = "一二三四五六七八九十"
    return [f"（{marks[i] if i < len(marks) else i + 1}）{text}" for i, text in enumerate(items)]

