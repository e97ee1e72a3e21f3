"""Applying the hub's change feed on the client: results, catalog, calendar and excluded-list updates.

A page of changes and the new cursor are written in one transaction, so a crash either applies the page and
moves the cursor, or does neither (every apply is idempotent, so a re-applied page is harmless). Files
(calendar, catalog) are written durably before that transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.clock import system_now
from app.errors import CounterError, SyncError
from app.excluded import listed, new_listing
from app.identity import normalize_id_text
from app.store.engine import fsync_file
from app.store.models import SyncCursor

CURSOR_NAME = "changes"

Applier = Callable[[Session, dict[str, Any], Path], None]


def _safe_name(name: Any) -> str:
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise SyncError(f"枢纽下发的文件名不合规：{name!r}")
    return name


def _files(data: dict[str, Any]) -> list[tuple[str, str]]:
    files = data.get("files")
    if not isinstance(files, list) or not files:
        raise SyncError("枢纽下发的更新缺少文件")
    return [(_safe_name(f.get("name")), str(f.get("content", ""))) for f in files if isinstance(f, dict)]


def apply_result(session: Session, data: dict[str, Any], _data_dir: Path) -> None:
    from app.cases.lifecycle import record_result

    result = data.get("result")
    if result not in ("approved", "refused") or not isinstance(data.get("case_no"), str):
        raise SyncError(f"枢纽下发的审批结果格式错误：{data!r}")
    at_raw = data.get("at")
    at = dt.datetime.fromisoformat(at_raw) if isinstance(at_raw, str) else system_now()
    record_result(session, case_no=data["case_no"], result=result, note=str(data.get("note", "")), actor="hub",
                  at=at)


def apply_return(session: Session, data: dict[str, Any], _data_dir: Path) -> None:
    """The back office returns a case for 补正: the clock stops, the case goes on the counter's worklist."""
    from app.cases.time_rules import return_for_supplement

    if not isinstance(data.get("case_no"), str):
        raise SyncError(f"枢纽下发的退回补正格式错误：{data!r}")
    at_raw = data.get("at")
    at = dt.datetime.fromisoformat(at_raw) if isinstance(at_raw, str) else system_now()
    # The hub names the hall day the clock stops (``day``); failing that, the date of its stamp as it wrote it.
    day = _day(data.get("day")) or at.date()
    items = [str(i) for i in data.get("items", []) if i] if isinstance(data.get("items"), list) else []
    return_for_supplement(session, case_no=data["case_no"], items=items, note=str(data.get("note", "")),
                          actor="hub", at=at, today=day)


def apply_office_accept(session: Session, data: dict[str, Any], _data_dir: Path) -> None:
    """The deciding office accepted a case this 苏木乡镇/嘎查村 point collected (代收): its deadlines start."""
    from app.cases.levels import office_accepted

    day = _day(data.get("day"))
    if not isinstance(data.get("case_no"), str) or day is None:
        raise SyncError(f"枢纽下发的受理通知格式错误：{data!r}")
    at_raw = data.get("at")
    at = dt.datetime.fromisoformat(at_raw) if isinstance(at_raw, str) else system_now()
    office_accepted(session, case_no=data["case_no"], day=day, office=str(data.get("office", "")), at=at)


def apply_calendar(_session: Session, data: dict[str, Any], data_dir: Path) -> None:
    """Each file is one year's TOML; the identity engineer's loader validates it (CalendarError when bad) and
    stores it durably in ``<data_dir>/calendar/<year>.toml``, clearing the cached calendar."""
    from app.workdays import install_calendar_update

    for name, content in _files(data):
        install_calendar_update(data_dir, content, source=f"枢纽下发 {name}")


def apply_catalog(session: Session, data: dict[str, Any], data_dir: Path) -> None:
    from app.catalog import load_catalog
    from app.catalog.store import import_catalog

    version = _safe_name(str(data.get("version") or "hub"))
    folder = data_dir / "catalog" / version
    for name, content in _files(data):
        fsync_file(folder / name, content.encode("utf-8"))
    catalog = load_catalog(folder)
    import_catalog(session, catalog, source=f"hub:{version}")


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        raise SyncError(f"枢纽下发的失信名单日期格式错误：{value!r}") from None


def apply_excluded(session: Session, data: dict[str, Any], _data_dir: Path) -> None:
    """Entries for persons (ID number) and organisations (统一社会信用代码), with kind, date, term and case."""
    now = system_now()
    for row in data.get("upsert", []):
        id_no = normalize_id_text(str(row.get("id_no", "")))  # the key the counter looks applicants up by
        if not id_no:
            continue
        existing = listed(session, id_no)
        if existing is None:
            existing = new_listing(session, id_no)
        existing.reason, existing.source, existing.updated_at = str(row.get("reason", ""))[:200], "hub", now
        existing.id_kind = str(row.get("id_kind", "") or "")[:20]
        existing.kind = str(row.get("kind", "") or "")[:20]
        existing.listed_on, existing.until = _day(row.get("listed_on")), _day(row.get("until"))
        existing.case_no = str(row.get("case_no", "") or "")[:32]
    for id_no in data.get("remove", []):
        existing = listed(session, str(id_no))
        if existing is not None and existing.source == "hub":
            session.delete(existing)
    session.flush()


APPLIERS: dict[str, Applier] = {
    "case.result": apply_result,
    "case.return": apply_return,
    "case.office_accept": apply_office_accept,
    "calendar": apply_calendar,
    "catalog": apply_catalog,
    "excluded": apply_excluded,
}


def read_cursor(session: Session, name: str = CURSOR_NAME) -> str:
    row = session.get(SyncCursor, name)
    return row.cursor if row is not None else ""


def apply_page(session: Session, page: dict[str, Any], *, data_dir: Path, name: str = CURSOR_NAME) -> int:
    """Apply one page from GET /v1/changes and store its cursor (caller commits). Returns changes applied.

    An unknown kind is skipped (a newer hub may publish things this client does not know yet).
    """
    applied = 0
    skipped: list[str] = []
    for change in page.get("changes", []):
        applier = APPLIERS.get(str(change.get("kind")))
        data = change.get("data")
        if applier is None or not isinstance(data, dict):
            continue
        try:
            # A savepoint per change: one the counter cannot take (a case no longer here, a malformed catalog)
            # is skipped and reported instead of holding the cursor back forever.
            with session.begin_nested():
                applier(session, data, data_dir)
            applied += 1
        except CounterError as exc:
            skipped.append(f"变更 {change.get('seq')}：{exc.message}")
    cursor = str(page.get("cursor", ""))
    row = session.get(SyncCursor, name)
    if row is None:
        row = SyncCursor(name=name)
        session.add(row)
    row.cursor, row.last_success_at = cursor, system_now()
    row.last_error = "；".join(skipped)[-2000:]
    session.flush()
    return applied
