"""补录: cases accepted on paper (outage, outreach to a 嘎查) entered later from a CSV file, through the same rules.

Each row is accepted on its own (its own transaction), so valid rows are kept when others fail; each failure
names the row and the column. A row's request id is derived from its content, so importing the same file twice
does not create the cases twice. The columns are described in ``docs/case-import.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.cases.outreach import HomeVisitInput, PostInInput
from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput, accept
from app.checklist import MATERIAL_STATES, ChecklistPolicy, RefusalChoice, WorkCalendarLike
from app.clock import HallClock
from app.errors import CounterError, ValidationError
from app.store import Store
from app.store.models import Clerk, Hall

REQUIRED = ("accepted_at", "window", "matter_code", "applicant_name", "applicant_id_no", "materials")
OPTIONAL = (
    "clerk", "applicant_kind", "applicant_phone", "applicant_address", "legal_rep", "proxy_name", "proxy_id_no",
    "proxy_phone", "delivery", "mail_address", "scope", "target_region", "paper_no", "refusal_ground",
    "competent_authority", "after_hours", "home_place", "home_staff", "home_at", "home_reason", "post_tracking_no",
    "post_sender", "post_received_on",
)
# Headers as a clerk may type them in a spreadsheet.
ALIASES: dict[str, str] = {
    "受理时间": "accepted_at", "窗口": "window", "窗口号": "window", "受理人": "clerk", "事项编码": "matter_code",
    "申请人类型": "applicant_kind", "申请人": "applicant_name", "申请人姓名": "applicant_name",
    "证件号码": "applicant_id_no", "申请人证件号码": "applicant_id_no", "联系电话": "applicant_phone",
    "地址": "applicant_address", "法定代表人": "legal_rep", "代办人": "proxy_name", "代办人证件号码": "proxy_id_no",
    "代办人电话": "proxy_phone", "材料": "materials", "领取方式": "delivery", "邮寄地址": "mail_address",
    "通办范围": "scope", "办理地": "target_region", "纸质编号": "paper_no",
    "不予受理理由": "refusal_ground", "有权受理机关": "competent_authority",
    # 延时服务 / 上门服务 / 政务专递收件 (app.cases.outreach)
    "延时服务": "after_hours", "上门地点": "home_place", "上门人员": "home_staff", "上门时间": "home_at",
    "上门原因": "home_reason", "来件邮件号": "post_tracking_no", "寄件人": "post_sender", "收到日期": "post_received_on",
}
YES = ("是", "1", "true", "yes", "y")
HOME_REASON_ALIASES: dict[str, str] = {"": "elder", "高龄老人": "elder", "老人": "elder", "残疾人": "disabled",
                                       "重病": "ill", "其他": "other", "其他行动不便": "other"}
STATE_ALIASES: dict[str, str] = {
    "原件": "original", "复印件": "copy", "电子证照": "e_license", "容缺": "deferred", "容缺后补": "deferred",
    "承诺": "pledge", "告知承诺": "pledge", "未提交": "missing", "缺": "missing",
    "有误": "defective", "不符合法定形式": "defective",
}
KIND_ALIASES: dict[str, str] = {"": "person", "个人": "person", "person": "person", "单位": "organisation",
                                "法人": "organisation", "organisation": "organisation", "organization": "organisation"}
_NAMESPACE = uuid.UUID("6f1f3c52-7d0e-4c39-9a57-2f0c3b1d8e44")  # fixed: request ids stay stable across imports


@dataclass(frozen=True)
class ImportIssue:
    row: int  # line number in the file (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f"，{self.column} 列" if self.column else "")
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class ImportRow:
    row: int
    ok: bool
    case_no: str = ""
    decision: str = ""
    state: str = ""
    promised_due: dt.date | None = None
    legal_due: dt.date | None = None
    supplement_due: dt.date | None = None
    replayed: bool = False  # already imported earlier (same row content)
    issue: ImportIssue | None = None

    def to_json(self) -> dict[str, Any]:
        if not self.ok:
            assert self.issue is not None
            return {"row": self.row, "ok": False, "column": self.issue.column, "error": self.issue.message}
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"row": self.row, "ok": True, "case_no": self.case_no, "decision": self.decision,
                "state": self.state, "promised_due": iso(self.promised_due), "legal_due": iso(self.legal_due),
                "supplement_due": iso(self.supplement_due), "replayed": self.replayed}


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[ImportRow, ...]

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.accepted, "failed": self.failed, "rows": [r.to_json() for r in self.rows]}


def decode_csv(data: bytes, *, name: str = "文件") -> str:
    """UTF-8 (with or without BOM) or GB18030/GBK, as spreadsheets on Chinese Windows save it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(f"{name} 的编码无法识别：请另存为 UTF-8 或 GB18030（GBK）编码的 CSV") from None


Rows = list[tuple[int, dict[str, str]]]


def read_table(text: str, columns_of: Callable[[list[str]], list[str]], *,
               empty_message: str) -> tuple[list[str], Rows, list[ImportIssue]]:
    """A CSV text read strictly: (column keys, [(row number, stripped values)], row-level issues such as wrong
    field counts or a broken quote, after which the rest of the file cannot be read). ``columns_of`` turns the
    header into column keys or raises ValidationError; a file that is not CSV at all raises ValidationError."""
    if "\x00" in text:
        raise ValidationError("文件含有空字符，不是 CSV 文本文件（是否选成了 Excel 的 .xlsx？请另存为 CSV）",
                              field="file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(empty_message, field="file") from None
    except csv.Error as exc:
        raise ValidationError(f"第 1 行无法解析：{exc}", field="file") from None
    columns = columns_of(header)
    rows: Rows = []
    issues: list[ImportIssue] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(ImportIssue(reader.line_num, "", f"无法解析（引号不配对或格式错误）：{exc}"))
            break  # the reader cannot resynchronise after a broken quote
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            issues.append(ImportIssue(line, "", f"有 {len(values)} 列，表头有 {len(columns)} 列"))
            continue
        rows.append((line, {c: v.strip() for c, v in zip(columns, values, strict=True)}))
    return columns, rows, issues


def _case_columns(header: list[str]) -> list[str]:
    columns = [ALIASES.get(h.strip(), h.strip()) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationError(f"缺少必需的列：{', '.join(missing)}（列名见 docs/case-import.md）", field="header")
    unknown = [c for c in columns if c and c not in REQUIRED and c not in OPTIONAL]
    if unknown:
        raise ValidationError(f"未知的列：{', '.join(unknown)}（列名见 docs/case-import.md）", field="header")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ValidationError(f"列名重复：{', '.join(duplicated)}", field="header")
    return columns


def parse_rows(text: str) -> tuple[list[str], Rows, list[ImportIssue]]:
    """(columns, [(row number, values)], row-level issues) of a 补录 file."""
    return read_table(text, _case_columns, empty_message="文件是空的：第一行应为列名")


def _parse_time(text: str, zone: dt.tzinfo) -> dt.datetime:
    """A 受理时间 as written on paper: the hall's wall clock unless the text carries its own offset."""
    text = text.strip().replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(text, fmt)
            return value.replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"受理时间 {text!r} 无法识别，应为 YYYY-MM-DD HH:MM", field="accepted_at") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def parse_materials(text: str) -> tuple[MaterialInput, ...]:
    """``id_card=original;photo=deferred`` (Chinese state names and full-width separators accepted)."""
    items: list[MaterialInput] = []
    for part in text.replace("；", ";").replace("＝", "=").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, state = part.partition("=")
        key, state = key.strip(), STATE_ALIASES.get(state.strip(), state.strip())
        if not sep or not key:
            raise ValidationError(f"{part!r} 应写成 材料键=状态", field="materials")
        if state not in MATERIAL_STATES:
            raise ValidationError(f"材料 {key} 的状态 {state!r} 无效；可用：{', '.join(MATERIAL_STATES)}",
                                  field="materials")
        items.append(MaterialInput(key=key, state=state))  # type: ignore[arg-type]
    if not items:
        raise ValidationError("材料列为空：至少写一项 材料键=状态", field="materials")
    return tuple(items)


def _request_for(values: dict[str, str], *, hall_code: str, clerks: dict[str, int], request_id: str,
                 clock: HallClock) -> AcceptRequest:
    at = _parse_time(values["accepted_at"], clock.zone)
    if at > clock.now():
        raise ValidationError("受理时间晚于现在，补录只能登记已受理的纸质办件", field="accepted_at")
    try:
        window = int(values["window"])
    except ValueError:
        raise ValidationError(f"窗口号应为数字，得到 {values['window']!r}", field="window") from None
    clerk_name = values.get("clerk", "")
    clerk_id = None
    if clerk_name:
        if clerk_name not in clerks:
            raise ValidationError(f"没有用户名为 {clerk_name} 的工作人员", field="clerk")
        clerk_id = clerks[clerk_name]
    kind = KIND_ALIASES.get(values.get("applicant_kind", "").strip().lower())
    if kind is None:
        raise ValidationError("申请人类型应为 个人 或 单位", field="applicant_kind")
    proxy = None
    if values.get("proxy_name") or values.get("proxy_id_no"):
        proxy = ProxyInput(name=values.get("proxy_name", ""), id_no=values.get("proxy_id_no", ""),
                           phone=values.get("proxy_phone", ""))
    home_visit, post_in = _outreach_of(values, clock)
    return AcceptRequest(
        request_id=request_id, hall_code=hall_code, window_number=window, matter_code=values["matter_code"],
        applicant=ApplicantInput(name=values["applicant_name"], id_no=values["applicant_id_no"],
                                 kind=kind,  # type: ignore[arg-type]
                                 phone=values.get("applicant_phone", ""),
                                 address=values.get("applicant_address", ""), legal_rep=values.get("legal_rep", "")),
        materials=parse_materials(values["materials"]), actor=clerk_name or "补录", clerk_id=clerk_id, proxy=proxy,
        accepted_at=at, delivery=(values.get("delivery") or "pickup"),  # type: ignore[arg-type]
        mail_address=values.get("mail_address", ""), scope=(values.get("scope") or "local"),  # type: ignore[arg-type]
        target_region=values.get("target_region", ""), source="paper",
        # 不予受理 only on a ground written in the row, exactly as the counter's clerk picks one.
        refusal=RefusalChoice(ground=values["refusal_ground"], competent_authority=values.get("competent_authority", ""))
        if values.get("refusal_ground") else None,
        after_hours=values.get("after_hours", "").strip().lower() in YES, home_visit=home_visit, post_in=post_in,
    )


def _outreach_of(values: dict[str, str], clock: HallClock) -> tuple[HomeVisitInput | None, PostInInput | None]:
    """上门服务 and 政务专递收件 columns of a row (validated by the service, like the counter's)."""
    home = None
    if values.get("home_place") or values.get("home_staff"):
        reason = HOME_REASON_ALIASES.get(values.get("home_reason", "").strip())
        if reason is None:
            raise ValidationError("上门原因应为 高龄老人、残疾人、重病 或 其他", field="home_reason")
        when = values.get("home_at", "").strip() or values["accepted_at"]
        staff = tuple(values.get("home_staff", "").replace("、", ",").replace("，", ",").split(","))
        home = HomeVisitInput(place=values.get("home_place", ""), at=_parse_time(when, clock.zone), staff=staff,
                              reason=reason)  # type: ignore[arg-type]
    post = None
    if values.get("post_tracking_no") or values.get("post_sender"):
        text = values.get("post_received_on", "").strip()
        try:
            received = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"收到日期应为 YYYY-MM-DD，得到 {text!r}", field="post_received_on") from None
        post = PostInInput(tracking_no=values.get("post_tracking_no", ""), sender=values.get("post_sender", ""),
                           received_on=received)
    return home, post


def _column_of(field: str | None, columns: list[str]) -> str:
    if not field:
        return ""
    mapping = {"window_number": "window", "hall_code": "", "request_id": "", "time_limit": "accepted_at",
               "case_no": "window", "actor": "clerk"}
    field = mapping.get(field, field)
    return field if field in columns else "materials" if field not in REQUIRED + OPTIONAL else field


def import_cases(
    store: Store,
    data: bytes,
    *,
    hall_code: str,
    files_dir: Path,
    name: str = "文件",
    calendar: WorkCalendarLike | None = None,
    clock: HallClock,
    policy: ChecklistPolicy | None = None,
) -> ImportReport:
    """Accept every valid row of a 补录 CSV; ValidationError only for a file that cannot be read at all."""
    columns, rows, issues = parse_rows(decode_csv(data, name=name))
    with store.read() as session:
        if session.get(Hall, hall_code) is None:
            raise ValidationError(f"本机设置的大厅 {hall_code} 尚未登记，请先设置大厅编码", field="hall_code")
        clerks = {str(u): int(i) for u, i in session.execute(select(Clerk.username, Clerk.id))}
    results: list[ImportRow] = [ImportRow(row=i.row, ok=False, issue=i) for i in issues]
    seen: dict[str, int] = {}
    for line, values in rows:
        content = "\x1f".join(f"{c}={values[c]}" for c in sorted(values))
        seen[content] = seen.get(content, 0) + 1
        digest = hashlib.sha256(f"{hall_code}\x1e{content}\x1e{seen[content]}".encode()).hexdigest()
        request_id = str(uuid.uuid5(_NAMESPACE, digest))
        try:
            request = _request_for(values, hall_code=hall_code, clerks=clerks, request_id=request_id, clock=clock)
            done = accept(store, request, files_dir=files_dir, clock=clock, calendar=calendar, policy=policy)
        except CounterError as exc:
            results.append(ImportRow(row=line, ok=False,
                                     issue=ImportIssue(line, _column_of(exc.field, columns), exc.message)))
            continue
        s = done.summary
        results.append(ImportRow(row=line, ok=True, case_no=s.case_no, decision=s.decision, state=s.state,
                                 promised_due=s.promised_due, legal_due=s.legal_due,
                                 supplement_due=s.supplement_due, replayed=done.replayed))
    return ImportReport(rows=tuple(sorted(results, key=lambda r: r.row)))
