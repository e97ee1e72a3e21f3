"""``help.record`` items at the hub: a counter's 帮办代办 records (app.assist), kept once each for the county's counts.

Kept apart from the case items (sync.server.service) on purpose: a help record is no case, has no files and no
lifecycle; it is stored as sent, keyed by the counter's record UUID and the item's Idempotency-Key, so a resend
(a lost answer, a retry after a restart) is a replay and never a second count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.canonical import canonical_sha256
from sync.server.models import Device, HubHelpRecord
from sync.server.service import HubProblem, ItemResult, _foreign, _reject, _text

HELP_KIND = "help.record"
MODES = ("assisted", "on_behalf")


def _validate(case_id: str, payload: Any) -> tuple[str, dt.date, str, str]:
    if not isinstance(payload, dict):
        raise HubProblem(422, "invalid_payload", "payload 应为对象")
    if payload.get("id") != case_id:
        raise HubProblem(422, "invalid_field", "payload.id 与 case_id 不一致")
    hall = _text(payload, "hall_code", "payload.", max_len=12)
    _text(payload, "helper", "payload.", max_len=60)
    _text(payload, "matter_name", "payload.", max_len=200)
    case_no = _text(payload, "case_no", "payload.", max_len=32, required=False)
    if payload.get("mode") not in MODES:
        raise HubProblem(422, "invalid_field", "payload.mode 应为 assisted 或 on_behalf")
    try:
        day = dt.date.fromisoformat(str(payload.get("service_date", "")))
    except ValueError:
        raise HubProblem(422, "invalid_field", "payload.service_date 应为 YYYY-MM-DD") from None
    return hall, day, str(payload["mode"]), case_no


def receive_help(session: Session, *, device_id: int, op_id: str, case_id: str, payload: Any) -> ItemResult:
    """Keep one help record (``case_id`` is the record's UUID) in a savepoint of the batch's transaction;
    replays answer 200, never count twice."""
    try:
        hall, day, mode, case_no = _validate(case_id, payload)
    except HubProblem as problem:
        return _reject(op_id, case_id, problem.code, problem.message)
    digest = canonical_sha256(payload)
    try:
        with session.begin_nested():
            return _keep(session, device_id=device_id, op_id=op_id, case_id=case_id, payload=payload, hall=hall,
                         day=day, mode=mode, case_no=case_no, digest=digest)
    except IntegrityError:  # the same record from a concurrent request: the retry finds it and replays
        return ItemResult(op_id, case_id, 409, "retry", "同一帮办记录正在处理中，请稍后重试", "in_flight")


def _keep(session: Session, *, device_id: int, op_id: str, case_id: str, payload: dict[str, Any], hall: str,
          day: dt.date, mode: str, case_no: str, digest: str) -> ItemResult:
    earlier = session.get(HubHelpRecord, case_id) or session.scalars(
        select(HubHelpRecord).where(HubHelpRecord.op_id == op_id)).first()
    if earlier is not None:
        if earlier.device_id != device_id:
            return _foreign(op_id, case_id)
        if earlier.sha256 != digest or earlier.id != case_id or earlier.op_id != op_id:
            return _reject(op_id, case_id, "key_reused", "幂等键或记录编号已用于不同的内容")
        return ItemResult(op_id, case_id, 200, "replay", "帮办记录已接收")
    device = session.get(Device, device_id, with_for_update=True)
    assert device is not None  # authenticated just now
    if device.hall_code and device.hall_code != hall:
        return ItemResult(op_id, case_id, 403, "rejected",
                          f"本设备登记在大厅 {device.hall_code}，不能提交大厅 {hall} 的帮办记录", "wrong_hall")
    if not device.hall_code:
        device.hall_code = hall  # trust on first use, as for a device's first case
    session.add(HubHelpRecord(id=case_id, op_id=op_id, device_id=device_id, hall_code=hall, service_date=day,
                              mode=mode, case_no=case_no, payload=payload, sha256=digest))
    session.flush()
    return ItemResult(op_id, case_id, 201, "accepted", "帮办记录已接收")


def help_counts(session: Session, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Help records per hall and mode in ``start``..``end`` (their hall day), counted in SQL."""
    rows = session.execute(
        select(HubHelpRecord.hall_code, HubHelpRecord.mode, func.count())
        .where(HubHelpRecord.service_date.between(start, end))
        .group_by(HubHelpRecord.hall_code, HubHelpRecord.mode))
    halls: dict[str, dict[str, int]] = {}
    for hall, mode, n in rows:
        counts = halls.setdefault(str(hall), {"total": 0, "assisted": 0, "on_behalf": 0})
        counts[str(mode)] = int(n)
        counts["total"] += int(n)
    return [{"hall_code": h, **c} for h, c in sorted(halls.items())]
