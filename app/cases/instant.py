"""即办件: a matter the window decides on the spot — 办结 and 出件 in the same visit.

A 即办件 accepted with its materials complete (正常受理, or 告知承诺 in place of a proof) is approved at the window
in the acceptance's own transaction, and handed to the applicant (or the 代办人 who applied) who is standing
there; when the result is to be mailed or sent online it is 办结 now and sent as any other. Each step is an
ordinary case event with its ``case.update`` outbox row, so the hub hears of it as of any transition. 承诺件
keep their deadlines and go the usual way (受理 → 转办 → 审批结果 → 出件).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.cases.lifecycle import _record, _utc
from app.catalog.model import Matter
from app.masking import mask_id
from app.store.models import Case

INSTANT_NOTE = "即办件，窗口当场办结"
# Outcomes after which the matter is decided at once; 容缺 cannot occur (即办件 have no deferrable material) and
# 补正/不予受理 are not accepted.
INSTANT_OUTCOMES = frozenset({"normal", "pledge"})


def completes_at_window(matter: Matter, outcome: str) -> bool:
    return matter.instant and outcome in INSTANT_OUTCOMES


def complete_at_window(session: Session, case: Case, *, actor: str, at: dt.datetime) -> None:
    """Approve the just-accepted 即办件 (result recorded as the window's) and, for pickup, hand it over to the
    person who applied: the applicant, or the 代办人 whose ID was checked at 受理."""
    at = _utc(at)
    case.result = "approved"
    case.result_note = INSTANT_NOTE
    case.concluded_at = at
    _record(session, case, kind="approve", to_state="approved", actor=actor, at=at,
            detail={"note": INSTANT_NOTE, "instant": True})
    if case.delivery != "pickup":
        return
    proxy = case.proxy or {}
    who, name, number = ("proxy", str(proxy.get("name", "")), str(proxy.get("id_no") or "")) if proxy.get("id_no") \
        else ("applicant", case.applicant_name, case.applicant_id_no)
    case.handed_over_at = at
    _record(session, case, kind="hand_over", to_state="handed_over", actor=actor, at=at,
            detail={"collector": who, "collector_name": name, "collector_id_no": mask_id(number), "instant": True})
