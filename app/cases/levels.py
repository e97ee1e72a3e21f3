"""Levels of service: the county hall (旗县政务服务中心), a 苏木乡镇 centre and a 嘎查村 service point.

The catalog says per matter what a lower level may do (``Matter.levels``): 受理 there, 代收, or nothing. A hall's
level is its setting ``hall.level``. 代收 (take in and forward): the point checks the papers and registers them
(收件), the case goes to the hub in state ``collected``, and the deciding office (the matter's department) 受理
it there; its deadlines start on that day, which the hub sends back (change ``case.office_accept``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.catalog.model import Catalog, Matter, TimeLimit
from app.catalog.payload import limit_from_payload
from app.errors import ValidationError
from app.store.models import Case

LEVEL_LABELS = {"county": "旗县政务服务中心", "township": "苏木乡镇便民服务中心", "village": "嘎查村便民服务站"}
# What a point may register for the office that decides: complete papers only (it decides nothing itself, so it
# can neither defer a material nor refuse; what is missing it tells once, and the applicant comes back).
COLLECT_OUTCOMES = frozenset({"normal", "pledge"})


def offered(matter: Matter, level: str) -> bool:
    return matter.mode_at(level) is not None


def matters_at(catalog: Catalog, level: str) -> tuple[Matter, ...]:
    """The matters a hall of ``level`` offers (受理 or 代收), in catalog order."""
    if level not in LEVEL_LABELS:
        raise ValidationError(f"本大厅的层级设置无效：{level!r}（hall.level 应为 county / township / village）",
                              field="hall_level")
    return tuple(m for m in catalog.matters if offered(m, level))


def check_level(matter: Matter, level: str, outcome: str) -> None:
    """Refuse what this hall may not do, in words the clerk can tell the applicant."""
    if level not in LEVEL_LABELS:
        raise ValidationError(f"本大厅的层级设置无效：{level!r}（hall.level 应为 county / township / village）",
                              field="hall_level")
    mode = matter.mode_at(level)
    if mode is None:
        raise ValidationError(f"本{LEVEL_LABELS[level]}不办理“{matter.name}”，请告知申请人到"
                              f"{LEVEL_LABELS['county']}（{matter.department}）办理", field="matter_code")
    if mode == "collect" and outcome not in COLLECT_OUTCOMES:
        raise ValidationError(f"“{matter.name}”在本{LEVEL_LABELS[level]}只能代收：材料须齐全方可收件转{matter.department}"
                              "受理；缺少的材料请一次性告知申请人", field="materials")


def mark_collected(case: Case) -> str:
    """A 代收 case as it is written: 收件 here, no deadline yet (they start when the office accepts)."""
    case.state = "collected"
    case.promised_due = case.legal_due = case.supplement_due = None
    return case.state


def office_accepted(session: Session, *, case_no: str, day: dt.date, office: str, at: dt.datetime,
                    calendar: object | None = None) -> None:
    """The deciding office accepted a case this point collected: deadlines from ``day`` (the matter as it was
    collected). Repeating it is a no-op."""
    from app.cases.lifecycle import _record, load_case
    from app.workdays import default_calendar

    case = load_case(session, case_no=case_no)
    if any(e.kind == "office_accept" for e in case.events):
        return
    if case.state != "collected":
        raise ValidationError(f"办件 {case_no} 不是代收待受理的办件，不能登记受理机关受理", field="case_no")
    cal = calendar or default_calendar()
    snapshot = case.matter_snapshot or {}

    def due(raw: object) -> dt.date | None:
        limit: TimeLimit | None = limit_from_payload(raw)
        return None if limit is None else cal.due_date(day, limit)  # type: ignore[attr-defined]

    case.promised_due, case.legal_due = due(snapshot.get("promised")), due(snapshot.get("legal"))
    forwarded = any(e.kind == "forward" for e in case.events)
    _record(session, case, kind="office_accept", to_state="forwarded" if forwarded else "accepted", actor="hub",
            at=at, outbox=False,
            detail={"office": office, "day": day.isoformat(),
                    "promised_due": case.promised_due.isoformat() if case.promised_due else None,
                    "legal_due": case.legal_due.isoformat() if case.legal_due else None})


def record_collection(session: Session, case: Case, *, level: str, office: str, actor: str, at: dt.datetime) -> None:
    """The 代收 event after the acceptance's: where it was collected and which office will 受理 it."""
    from app.cases.lifecycle import _record

    _record(session, case, kind="collect", to_state=None, actor=actor, at=at, outbox=False,
            detail={"level": level, "point": LEVEL_LABELS[level], "office": office})
