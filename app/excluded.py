"""The local excluded (失信) list: look up, add, remove and import from CSV, every change audited.

Rows the county hub sent (``source = "hub"``) are never changed or removed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import audit
from app.cases.import_csv import ImportIssue, decode_csv, read_table
from app.clock import HallClock, aware
from app.errors import NotFound, StateError, ValidationError
from app.identity import PERSON_ID_KINDS, check_id, normalize_id_text
from app.masking import mask_id
from app.staff import Acting, require_admin
from app.store import Store
from app.store.crypto import blind_index
from app.store.models import ExcludedApplicant

SOURCE_LABELS: dict[str, str] = {"local": "本地", "hub": "枢纽下发"}
EXCLUDED_COLUMNS: dict[str, str] = {"id_no": "证件号码", "reason": "原因"}  # CSV column → its name for people
EXCLUDED_ALIASES: dict[str, str] = {"证件号码": "id_no", "身份证号码": "id_no", "原因": "reason",
                                    "列入原因": "reason", "事由": "reason"}


def bar_text(row: ExcludedApplicant) -> str:
    """Why 容缺/告知承诺 are barred, as the counter shows it: the reason, since when, until when."""
    parts = [row.reason]
    if row.listed_on is not None:
        parts.append(f"{row.listed_on:%Y-%m-%d} 列入")
    if row.until is not None:
        parts.append(f"限制至 {row.until:%Y-%m-%d}")
    if row.case_no:
        parts.append(f"办件 {row.case_no}")
    return "，".join(p for p in parts if p)


@dataclass(frozen=True)
class ExcludedRow:
    id_no: str
    reason: str
    source: str  # local | hub
    updated_at: dt.datetime
    id_kind: str = ""
    kind: str = ""
    listed_on: dt.date | None = None
    until: dt.date | None = None
    case_no: str = ""

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def to_json(self) -> dict[str, Any]:
        return {"id_no": self.id_no, "reason": self.reason, "source": self.source, "source_label": self.source_label,
                "updated_at": self.updated_at.isoformat(timespec="seconds"), "id_kind": self.id_kind,
                "kind": self.kind, "listed_on": self.listed_on.isoformat() if self.listed_on else None,
                "until": self.until.isoformat() if self.until else None, "case_no": self.case_no}


def _excluded_row(row: ExcludedApplicant) -> ExcludedRow:
    return ExcludedRow(id_no=row.id_no, reason=row.reason, source=row.source or "local",
                       updated_at=aware(row.updated_at), id_kind=row.id_kind or "", kind=row.kind or "",
                       listed_on=row.listed_on, until=row.until, case_no=row.case_no or "")


def list_excluded(store: Store, query: str = "", *, limit: int | None = 1000) -> list[ExcludedRow]:
    """The excluded list, newest first; ``query`` matches the start of the ID number or any part of the reason.

    The numbers are sealed at rest (app.store.crypto), so the match is made here on the opened rows: the list is
    a county's few hundred entries, not the case table."""
    query = query.strip()
    stmt = select(ExcludedApplicant).order_by(ExcludedApplicant.updated_at.desc(), ExcludedApplicant.id_index)
    prefix = normalize_id_text(query)
    with store.read() as session:
        rows = [_excluded_row(r) for r in session.scalars(stmt)
                if not query or r.id_no.startswith(prefix) or query in r.reason]
    return rows if limit is None else rows[:limit]


def listed(session: Session, number: str) -> ExcludedApplicant | None:
    """The list's entry for ``number`` (normalised), found by its blind index."""
    return session.get(ExcludedApplicant, blind_index(session, normalize_id_text(number)))


def new_listing(session: Session, number: str) -> ExcludedApplicant:
    """A new entry for ``number`` (normalised), added to ``session``, keyed by its blind index."""
    row = ExcludedApplicant(id_index=blind_index(session, number), id_no=number)
    session.add(row)
    return row


LISTED_ID_KINDS = PERSON_ID_KINDS | {"credit_code"}


def check_listed_id(id_no: str, *, today: dt.date) -> tuple[str, str]:
    """(normalised number, kind) of a person's ID or an organisation's 统一社会信用代码 (GB 32100 check char)."""
    checked = check_id(id_no, today=today)
    if not checked.valid:
        raise ValidationError(f"证件号码无效：{checked.message}", field="id_no")
    if checked.kind not in LISTED_ID_KINDS:
        raise ValidationError("失信名单登记个人证件号码（居民身份证、港澳台居民居住证、外国人永久居留身份证）"
                              "或单位的统一社会信用代码", field="id_no")
    return checked.normalized, checked.kind


def check_person_id(id_no: str, *, today: dt.date) -> str:
    """The normalised number of a listed applicant: a person's ID, or an organisation's credit code."""
    return check_listed_id(id_no, today=today)[0]


def check_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("请填写列入失信名单的原因", field="reason")
    if len(reason) > 200:
        raise ValidationError(f"原因太长：最多 200 个字，现有 {len(reason)} 个", field="reason")
    return reason


def _hub_refusal(row: ExcludedApplicant, doing: str) -> StateError:
    return StateError(f"{row.id_no} 由县级枢纽下发（原因：{row.reason}），本地不能{doing}；如有异议请联系县级政务服务中心",
                      field="id_no")


def _put_excluded(session: Session, id_no: str, reason: str, *,
                  now: dt.datetime) -> tuple[ExcludedApplicant, str | None]:
    """Add or re-word a local entry; (row, the previous reason or None when new). Refuses a hub row."""
    row = listed(session, id_no)
    if row is None:
        row = new_listing(session, id_no)
        row.reason, row.source, row.updated_at = reason, "local", now
        return row, None
    if row.source == "hub":
        raise _hub_refusal(row, "修改")
    previous = row.reason
    row.reason, row.updated_at = reason, now
    return row, previous


def add_excluded(store: Store, who: Acting, id_no: str, reason: str, *, clock: HallClock,
                 host: str = "") -> ExcludedRow:
    """List a person locally (or re-word their local entry)."""
    actor = require_admin(who, "维护失信名单")
    now = clock.now()
    number, kind = check_listed_id(id_no, today=clock.day_of(now))
    reason = check_reason(reason)
    with store.write() as session:
        row, previous = _put_excluded(session, number, reason, now=now)
        row.id_kind = kind
        # The target column is not sealed: the number is masked there and whole in the sealed detail.
        audit(session, action="excluded.add", actor=actor.name, target=f"excluded:{mask_id(number)}", host=host,
              detail={"id_no": number, "reason": reason, "previous": previous}, at=now)
        session.flush()
        return _excluded_row(row)


def remove_excluded(store: Store, who: Acting, id_no: str, *, clock: HallClock, host: str = "") -> ExcludedRow:
    """Take a local entry off the list; entries the county hub sent are refused."""
    actor = require_admin(who, "维护失信名单")
    number = normalize_id_text(id_no)
    if not number:
        raise ValidationError("请填写证件号码", field="id_no")
    with store.write() as session:
        row = listed(session, number)
        if row is None:
            raise NotFound(f"失信名单中没有 {number}", field="id_no")
        if row.source == "hub":
            raise _hub_refusal(row, "移除")
        gone = _excluded_row(row)
        session.delete(row)
        audit(session, action="excluded.remove", actor=actor.name, target=f"excluded:{mask_id(number)}", host=host,
              at=clock.now(), detail={"id_no": number, "reason": row.reason})
        return gone


@dataclass(frozen=True)
class ExcludedImportRow:
    row: int  # line number in the file (the header is row 1)
    ok: bool
    id_no: str = ""
    updated: bool = False  # an existing local entry got the new reason
    issue: ImportIssue | None = None

    @property
    def message(self) -> str:
        """第 4 行，证件号码：… for a failed row; 第 2 行：… 已列入 for a good one."""
        if self.issue is None:
            return f"第 {self.row} 行：{self.id_no} {'已更新原因' if self.updated else '已列入'}"
        column = EXCLUDED_COLUMNS.get(self.issue.column, self.issue.column)
        return f"第 {self.row} 行" + (f"，{column}" if column else "") + f"：{self.issue.message}"

    def to_json(self) -> dict[str, Any]:
        if self.issue is not None:
            return {"row": self.row, "ok": False, "column": self.issue.column, "error": self.issue.message}
        return {"row": self.row, "ok": True, "id_no": self.id_no, "updated": self.updated}


@dataclass(frozen=True)
class ExcludedImportReport:
    rows: tuple[ExcludedImportRow, ...]

    @property
    def added(self) -> int:
        return sum(1 for r in self.rows if r.ok and not r.updated)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.ok and r.updated)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "failed": self.failed,
                "rows": [r.to_json() for r in self.rows]}


def _excluded_columns(header: list[str]) -> list[str]:
    columns = [EXCLUDED_ALIASES.get(h.strip(), h.strip()) for h in header]
    if sorted(columns) != sorted(EXCLUDED_COLUMNS):
        raise ValidationError(f"列名应为 id_no,reason（或 证件号码,原因），文件的列名是：{','.join(header)}",
                              field="header")
    return columns


def import_excluded_csv(store: Store, who: Acting, path: Path | str, *, clock: HallClock,
                        host: str = "") -> ExcludedImportReport:
    """Add every valid row of an ``id_no,reason`` CSV in one transaction; bad rows are reported, not written.

    Raises:
        ValidationError: the file cannot be read at all (missing, wrong encoding, wrong columns).
    """
    actor = require_admin(who, "维护失信名单")
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取文件 {path}：{exc.strerror}", field="file") from None
    _columns, rows, issues = read_table(decode_csv(data, name=path.name), _excluded_columns,
                                        empty_message="文件是空的：第一行应为列名 id_no,reason")
    results = [ExcludedImportRow(row=i.row, ok=False, issue=i) for i in issues]
    now = clock.now()
    today = clock.day_of(now)
    with store.write() as session:
        seen: dict[str, int] = {}
        for line, values in rows:
            try:
                number = check_person_id(values["id_no"], today=today)
                reason = check_reason(values["reason"])
                if number in seen:
                    raise ValidationError(f"与第 {seen[number]} 行的证件号码重复", field="id_no")
                _row, previous = _put_excluded(session, number, reason, now=now)
            except (ValidationError, StateError) as exc:
                results.append(ExcludedImportRow(row=line, ok=False,
                                                 issue=ImportIssue(line, exc.field or "", exc.message)))
                continue
            seen[number] = line
            results.append(ExcludedImportRow(row=line, ok=True, id_no=number, updated=previous is not None))
        report = ExcludedImportReport(rows=tuple(sorted(results, key=lambda r: r.row)))
        audit(session, action="excluded.import", actor=actor.name, target=f"file:{path.name}"[:80], host=host,
              detail={"added": report.added, "updated": report.updated, "failed": report.failed,
                      "id_nos": [r.id_no for r in report.rows if r.ok]}, at=now)
    return report
