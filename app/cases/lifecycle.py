"""A case's life after acceptance: states, the transitions between them, 补正, termination, 出件 and results.

Every transition writes a :class:`CaseEvent` (actor, time, from → to). Transitions a clerk makes at the counter
also write a ``case.update`` outbox row so the hub hears of them; transitions that come *from* the hub
(``mark_forwarded``, ``record_result``) do not echo back. A transition the current state does not allow raises
:class:`StateError` naming the state in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.canonical import canonical_sha256
from app.cases.payload import UPDATE_KIND, event_payload
from app.errors import NotFound, StateError, ValidationError
from app.masking import mask_id
from app.store import Store
from app.store.models import Attachment, AuditEvent, Case, CaseEvent, Outbox
from app.vocabulary import CASE_EVENT_LABELS, CASE_STATE_LABELS

if TYPE_CHECKING:
    from app.cases.views import CaseView

CaseState = Literal[
    "accepted",
    "awaiting_correction",
    "awaiting_supplement",
    "forwarded",
    "approved",
    "refused",
    "ready",
    "handed_over",
    "mailed",
    "terminated",
    "refused_at_counter",
    "revoked",
    "collected",
]

# Where each state may go next. The hub's result may overtake the forward acknowledgement (a lost ack), so a
# result is accepted straight from "accepted" too.
# A pledge found untrue (告知承诺 核查 不实) revokes the decision from any state that granted or may grant it.
TRANSITIONS: dict[str, frozenset[str]] = {
    "accepted": frozenset({"forwarded", "approved", "refused", "terminated", "revoked"}),
    # 补正告知: once the applicant brings what was asked, the same case is accepted (app.cases.correction).
    "awaiting_correction": frozenset({"accepted", "awaiting_supplement", "forwarded", "terminated"}),
    "awaiting_supplement": frozenset({"accepted", "forwarded", "approved", "refused", "terminated", "revoked"}),
    "forwarded": frozenset({"approved", "refused", "terminated", "revoked"}),
    "approved": frozenset({"ready", "handed_over", "mailed", "revoked"}),
    "refused": frozenset({"ready", "handed_over", "mailed"}),
    "ready": frozenset({"handed_over", "mailed", "revoked"}),
    "handed_over": frozenset({"revoked"}),
    "mailed": frozenset({"revoked"}),
    "terminated": frozenset(),
    "refused_at_counter": frozenset(),
    "revoked": frozenset(),
    # 代收: the deciding office accepts it (app.cases.levels.office_accepted), or the applicant withdraws.
    "collected": frozenset({"accepted", "forwarded", "terminated"}),
}

# app/cli/case.py reads the event words from here.
EVENT_LABELS = CASE_EVENT_LABELS

_VERBS: dict[str, str] = {
    "supplement": "补正",
    "correction": "补正后受理",
    "terminate": "终止办理",
    "forward": "转办",
    "result": "登记审批结果",
    "ready": "通知领取",
    "hand_over": "出件",
    "mail": "邮寄",
}


class _HasState(Protocol):
    state: str
    decision: str
    flagged: str


def state_label(state: str) -> str:
    return CASE_STATE_LABELS.get(state, state)


def _refuse(case: Case, verb: str) -> StateError:
    return StateError(f'办件当前状态为"{state_label(case.state)}"，不能再{_VERBS[verb]}', field="state")


def _utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)  # the store's convention: naive times are UTC
    return at.astimezone(dt.UTC)


def load_case(session: Session, *, case_no: str | None = None, case_id: str | None = None) -> Case:
    """The case row (with materials and events loaded), or :class:`NotFound` naming what was asked for."""
    query = select(Case).options(selectinload(Case.materials), selectinload(Case.events),
                                 selectinload(Case.attachments))
    if case_id is not None:
        case = session.scalars(query.where(Case.id == case_id)).one_or_none()
        if case is None:
            raise NotFound(f"没有编号为 {case_id} 的办件", field="case_id")
        return case
    no = (case_no or "").replace(" ", "").strip()
    case = session.scalars(query.where(Case.case_no == no)).one_or_none()
    if case is None:
        raise NotFound(f"没有受理编号为 {no or '（空）'} 的办件", field="case_no")
    return case


def _record(
    session: Session,
    case: Case,
    *,
    kind: str,
    to_state: str | None,
    actor: str,
    at: dt.datetime,
    detail: dict[str, Any] | None = None,
    outbox: bool = True,
) -> CaseEvent:
    """Move ``case`` to ``to_state`` (None: stay) and write its event, audit and (for counter actions) outbox."""
    at = _utc(at)
    from_state = case.state
    if to_state is not None and to_state != from_state:
        if to_state not in TRANSITIONS.get(from_state, frozenset()):
            raise StateError(
                f'办件当前状态为"{state_label(from_state)}"，不能改为"{state_label(to_state)}"', field="state"
            )
        case.state = to_state
    event = CaseEvent(
        case_id=case.id,
        kind=kind,
        from_state=from_state,
        to_state=case.state,
        actor=actor,
        at=at,
        detail=detail or {},
    )
    case.events.append(event)
    case.updated_at = at
    session.add(AuditEvent(at=at, actor=actor, action=f"case.{kind}", target=case.case_no, detail=detail or {}))
    session.flush()
    if outbox:
        payload = event_payload(case, event)
        session.add(
            Outbox(
                op_id=str(uuid.uuid4()),
                kind=UPDATE_KIND,
                case_id=case.id,
                payload=payload,
                sha256=canonical_sha256(payload),
                created_at=at,
                next_attempt_at=at,
            )
        )
    return event


# --- transitions driven by the hub (sync) -------------------------------------------------------------------


def mark_forwarded(session: Session, *, case_id: str, actor: str, at: dt.datetime) -> None:
    """The hub has the case: accepted → forwarded. Idempotent (a second call is a no-op).

    A 容缺 case still owing materials stays ``awaiting_supplement`` (the back office may start, but the supplement
    is still owed); the forward is recorded and the case goes to ``forwarded`` once everything is supplied.
    """
    case = load_case(session, case_id=case_id)
    if any(e.kind == "forward" for e in case.events):
        return
    if case.state == "accepted":
        _record(session, case, kind="forward", to_state="forwarded", actor=actor, at=at, outbox=False)
    elif case.state == "awaiting_supplement":
        _record(session, case, kind="forward", to_state=None, actor=actor, at=at,
                detail={"supplement_pending": True}, outbox=False)
    elif case.state == "awaiting_correction":
        _record(session, case, kind="forward", to_state=None, actor=actor, at=at,
                detail={"correction_pending": True}, outbox=False)
    elif case.state == "collected":
        # 代收: the hub has it for the deciding office; it stays collected until that office accepts.
        _record(session, case, kind="forward", to_state=None, actor=actor, at=at, outbox=False)
    elif case.state in ("refused_at_counter", "terminated"):
        # The hub keeps records of these too; there is nothing to move, but the receipt is worth noting.
        _record(session, case, kind="forward", to_state=None, actor=actor, at=at, outbox=False)
    elif case.state in ("forwarded", "approved", "refused", "ready", "handed_over", "mailed"):
        return  # already past forwarding (e.g. the result overtook the acknowledgement)
    else:
        raise _refuse(case, "forward")


def record_result(
    session: Session,
    *,
    case_no: str,
    result: Literal["approved", "refused"],
    note: str,
    actor: str,
    at: dt.datetime,
) -> None:
    """The back office decided: → approved / refused. Repeating the same result is a no-op."""
    if result not in ("approved", "refused"):
        raise ValidationError(f"审批结果只能是 approved 或 refused，得到 {result!r}", field="result")
    case = load_case(session, case_no=case_no)
    if case.result:
        if case.result == result:
            return
        raise StateError(f"办件已登记审批结果\"{state_label(case.result)}\"，不能改为\"{state_label(result)}\"",
                         field="result")
    if case.state in ("terminated", "refused_at_counter", "awaiting_correction"):
        # The back office decided a case this counter had closed (or not yet accepted): keep the news in the history, change nothing,
        # and do not fail the change feed (it would block every later result).
        if not any(e.kind == "late_result" and e.detail.get("result") == result for e in case.events):
            _record(session, case, kind="late_result", to_state=None, actor=actor, at=at,
                    detail={"result": result, "note": note}, outbox=False)
        return
    if result not in TRANSITIONS.get(case.state, frozenset()):
        raise _refuse(case, "result")
    at = _utc(at)
    case.result = result
    case.result_note = note
    case.concluded_at = at
    _record(session, case, kind="approve" if result == "approved" else "refuse", to_state=result, actor=actor,
            at=at, detail={"note": note}, outbox=False)


# --- transitions made at the counter ------------------------------------------------------------------------


def owed_materials(case: Case) -> list[str]:
    """Keys of deferred (容缺) materials not yet supplied."""
    return [m.key for m in case.materials if m.state == "deferred" and m.supplied_at is None]


def may_hand_over_owing(case: Any) -> bool:
    """Does the case's matter (as accepted) let the result out before the owed 容缺 material arrives?"""
    return bool((getattr(case, "matter_snapshot", None) or {}).get("hand_over_before_supply", False))


def _check_nothing_owed(case: Case, doing: str) -> None:
    """出件/邮寄 wait for every 容缺 material unless the matter allows otherwise (the catalog says)."""
    owed = [m for m in case.materials if m.state == "deferred" and m.supplied_at is None]
    if owed and not may_hand_over_owing(case):
        names = "、".join(f"“{m.name}”" + (f"（补交期限 {m.due:%Y-%m-%d}）" if m.due else "") for m in owed)
        raise StateError(f"容缺材料{names}尚未补交，本事项须补齐后方可{doing}", field="state")


# States a supplement may still arrive in: the back office may decide before the owed material comes.
_SUPPLEMENT_STATES = frozenset({"awaiting_supplement", "approved", "refused", "ready"})


def receive_supplement(
    session: Session,
    *,
    case_no: str,
    material_keys: Sequence[str],
    actor: str,
    at: dt.datetime,
    attachments: Sequence[Attachment] = (),
) -> list[str]:
    """补正: record that the listed deferred materials arrived; returns the keys still owed.

    When nothing is owed any more the case moves on: to ``forwarded`` if the hub already has it, else ``accepted``
    (the supplement goes to the hub as a ``case.update``). A cleared overdue flag is removed.
    """
    case = load_case(session, case_no=case_no)
    if case.state not in _SUPPLEMENT_STATES or (case.state != "awaiting_supplement" and not owed_materials(case)):
        raise _refuse(case, "supplement")
    keys = [k.strip() for k in material_keys if k.strip()]
    if not keys:
        raise ValidationError("请选择补交的材料", field="materials")
    by_key = {m.key: m for m in case.materials}
    at = _utc(at)
    for key in keys:
        material = by_key.get(key)
        if material is None:
            raise ValidationError(f"本办件没有材料 {key}", field="materials")
        if material.state != "deferred":
            raise ValidationError(f"材料\"{material.name}\"不是容缺材料，无需补正", field="materials")
        if material.supplied_at is not None:
            raise ValidationError(f"材料\"{material.name}\"已于 {material.supplied_at:%Y-%m-%d} 补交", field="materials")
    for key in keys:
        by_key[key].supplied_at = at
    for att in attachments:
        if att.material_key not in keys:
            raise ValidationError(f"附件 {att.filename} 不属于本次补交的材料", field="materials")
        case.attachments.append(att)
    owed = owed_materials(case)
    to_state = None
    if not owed:
        if case.state == "awaiting_supplement":
            to_state = "forwarded" if any(e.kind == "forward" for e in case.events) else "accepted"
        case.flagged = ""
    _record(session, case, kind="supplement", to_state=to_state, actor=actor, at=at,
            detail={"materials": keys, "still_owed": owed,
                    # The hub fetches these files like the acceptance's (paths relative to files_dir).
                    "attachments": [
                        {"id": a.id, "material_key": a.material_key, "filename": a.filename, "path": a.path,
                         "sha256": a.sha256, "size": a.size, "mime": a.mime}
                        for a in attachments
                    ]})
    return owed


def flag_overdue(session: Session, today: dt.date, *, at: dt.datetime, actor: str = "system") -> list[str]:
    """Flag every case whose 容缺 supply deadline has passed by the hall day ``today`` with a material still
    owed, stamping the flags at ``at``; returns their case_nos.

    Flagging does not terminate: a clerk confirms termination (``confirm_termination``), since the applicant may
    be standing at the window with the paper.
    """
    cases = session.scalars(
        select(Case)
        .where(Case.state == "awaiting_supplement", Case.flagged == "")
        .options(selectinload(Case.materials), selectinload(Case.events))
    ).all()
    flagged: list[str] = []
    for case in cases:
        late = [m.key for m in case.materials
                if m.state == "deferred" and m.supplied_at is None and m.due is not None and m.due < today]
        if late:
            case.flagged = "supplement_overdue"
            _record(session, case, kind="flag", to_state=None, actor=actor, at=at,
                    detail={"flag": "supplement_overdue", "materials": late, "today": today.isoformat()},
                    outbox=False)
            flagged.append(case.case_no)
    return flagged


def terminate(session: Session, *, case_no: str, reason: str, actor: str, at: dt.datetime) -> None:
    """终止办理 (e.g. the applicant withdrew, or a 容缺 supplement never came)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写终止办理的原因", field="reason")
    case = load_case(session, case_no=case_no)
    if "terminated" not in TRANSITIONS.get(case.state, frozenset()):
        raise _refuse(case, "terminate")
    case.flagged = ""
    _record(session, case, kind="terminate", to_state="terminated", actor=actor, at=at, detail={"reason": reason})


def confirm_termination(session: Session, *, case_no: str, actor: str, at: dt.datetime,
                        credit_record_on: dt.date | None = None) -> None:
    """A clerk confirms a flagged overdue case: terminated for the supplement that never came.

    With ``credit_record_on`` (the hall's day; given when the hall's rule ``counter.lapse_credit_record`` says so)
    the lapse is also written to the applicant's credit record (信用记录), as the 容缺受理承诺书 says it will be.
    """
    from app.store.models import CreditRecord

    case = load_case(session, case_no=case_no)
    if case.flagged != "supplement_overdue":
        raise StateError("该办件没有补正逾期标记，不能按逾期终止", field="case_no")
    owed = "、".join(m.name for m in case.materials if m.state == "deferred" and m.supplied_at is None)
    reason = f"容缺材料逾期未补交：{owed}"
    terminate(session, case_no=case_no, reason=reason, actor=actor, at=at)
    if credit_record_on is not None:
        day = credit_record_on
        session.add(CreditRecord(id_no=case.applicant_id_no, id_kind=case.applicant_id_kind,
                                 name=case.applicant_name, kind="supplement_lapse", case_no=case.case_no,
                                 recorded_on=day, reason=reason[:300], created_at=_utc(at)))
        _record(session, case, kind="credit", to_state=None, actor=actor, at=at,
                detail={"credit": "supplement_lapse", "reason": reason, "day": day.isoformat()})


def mark_ready(session: Session, *, case_no: str, actor: str, at: dt.datetime) -> None:
    """The result (licence, decision letter) has arrived at the window: → ready (待领取)."""
    case = load_case(session, case_no=case_no)
    if case.state == "ready":
        return
    if "ready" not in TRANSITIONS.get(case.state, frozenset()):
        raise _refuse(case, "ready")
    _record(session, case, kind="ready", to_state="ready", actor=actor, at=at)


def hand_over(
    session: Session,
    *,
    case_no: str,
    collector_id_no: str,
    collector_name: str,
    authorized: bool = False,
    actor: str,
    at: dt.datetime,
    today: dt.date,
) -> str:
    """出件 at the window after checking the collector's ID; returns who collected ("applicant"/"proxy"/"authorized").
    ``at`` stamps the hand-over, ``today`` is the hall's day the ID is checked against.

    The collector must be the applicant, the 代办人 recorded at acceptance, or someone presenting an 授权委托书
    (``authorized``), whose ID is then recorded.
    """
    from app.identity import check_id

    case = load_case(session, case_no=case_no)
    if case.state == "revoked" or "handed_over" not in TRANSITIONS.get(case.state, frozenset()):
        raise _refuse(case, "hand_over")
    _check_nothing_owed(case, "出件")
    checked = check_id(collector_id_no, today=today)
    if not checked.valid:
        reason = checked.errors[0] if checked.errors else "号码无效"
        raise ValidationError(f"领取人证件号码有误：{reason}", field="collector_id_no")
    number = checked.normalized
    proxy_no = ((case.proxy or {}).get("id_no") or "").upper()
    if number == case.applicant_id_no.upper():
        who = "applicant"
    elif proxy_no and number == proxy_no:
        who = "proxy"
    elif authorized:
        if not collector_name.strip():
            raise ValidationError("凭授权委托书领取须填写领取人姓名", field="collector_name")
        who = "authorized"
    else:
        raise ValidationError("领取人不是申请人或登记的代办人，须出示授权委托书", field="collector_id_no")
    at = _utc(at)
    case.handed_over_at = at
    _record(session, case, kind="hand_over", to_state="handed_over", actor=actor, at=at,
            # The collector's number is a record, never read back: kept masked (the case's own are sealed).
            detail={"collector": who, "collector_name": collector_name.strip(), "collector_id_no": mask_id(number)})
    return who


_TRACKING = re.compile(r"^[A-Z0-9]{8,30}$")


def mail_result(
    session: Session, *, case_no: str, address: str, tracking_no: str, actor: str, at: dt.datetime
) -> None:
    """政务专递: the result is mailed to ``address`` with a tracking number."""
    address = address.strip()
    tracking = tracking_no.strip().upper().replace(" ", "")
    if len(address) < 6:
        raise ValidationError("邮寄地址不完整：请填写省市县（旗）乡镇（苏木）及门牌", field="mail_address")
    if not _TRACKING.match(tracking):
        raise ValidationError("邮件号应为 8–30 位字母或数字", field="tracking_no")
    case = load_case(session, case_no=case_no)
    if case.state == "revoked" or "mailed" not in TRANSITIONS.get(case.state, frozenset()):
        raise _refuse(case, "mail")
    _check_nothing_owed(case, "邮寄")
    at = _utc(at)
    case.delivery = "mail"
    case.mail_address = address
    case.tracking_no = tracking
    case.handed_over_at = at
    _record(session, case, kind="mail", to_state="mailed", actor=actor, at=at,
            detail={"address": address, "tracking_no": tracking})


# States whose deadline still runs: a §42 extension or a §45 stop applies only to these.
CLOCK_STATES = frozenset({"accepted", "awaiting_supplement", "forwarded"})


def stop_in_force(events: Iterable[Any]) -> str | None:
    """The kind of the stop the clock is under now (§45 period or the back office's return), or None."""
    current: str | None = None
    for e in events:
        if e.kind in ("clock_stop", "return"):
            current = str((e.detail or {}).get("stop", "supplement"))
        elif e.kind == "clock_resume":
            current = None
    return current


def clock_actions(case: Any) -> list[str]:
    """§42 延期 (once, for a matter whose legal limit counts working days) and §45 暂停/恢复计时, while the
    deadline runs."""
    from app.catalog.payload import limit_from_payload

    if case.state not in CLOCK_STATES:
        return []
    events = getattr(case, "events", ()) or ()
    if stop_in_force(events) is not None:
        return ["resume_clock"]
    legal = limit_from_payload((getattr(case, "matter_snapshot", None) or {}).get("legal"))
    extendable = legal is not None and legal.unit == "workday" and not any(e.kind == "extend" for e in events)
    return (["extend"] if extendable else []) + ["stop_clock"]


def next_actions(case: _HasState) -> list[str]:
    """What a clerk can do with the case now (identifiers; ``app.vocabulary.CASE_ACTION_LABELS`` gives the Chinese).

    ``print_*`` actions name the document to print (``printing.documents`` doc names with ``-``).
    """
    state = case.state
    actions: list[str] = []
    if state == "refused_at_counter":
        return ["print_refusal"]
    if state == "awaiting_correction":
        from app.cases.review import review_pending

        if review_pending(case):  # 收件后审查: no notice yet to print
            return ["complete_review", "terminate"]
        return ["complete_correction", "terminate", "print_supplement_notice", "print_one_time_notice"]
    materials = getattr(case, "materials", ()) or ()
    owing = any(m.state == "deferred" and m.supplied_at is None for m in materials)
    supplied = any(m.state == "deferred" and m.supplied_at is not None for m in materials)
    if state == "awaiting_supplement" or (owing and state in _SUPPLEMENT_STATES):
        actions.append("supplement")
        if case.flagged == "supplement_overdue":
            actions.append("confirm_termination")
    if state in ("accepted", "awaiting_supplement", "forwarded"):
        actions.append("terminate")
    actions += clock_actions(case)
    if state in ("approved", "refused"):
        actions.append("mark_ready")
    if state in ("approved", "refused", "ready") and (not owing or may_hand_over_owing(case)):
        actions += ["hand_over", "mail", "print_pickup"]
    events = getattr(case, "events", ()) or ()
    later = (["print_supply_receipt"] if supplied else []) + (
        ["print_extension_notice"] if any(e.kind == "extend" for e in events) else [])
    if state == "terminated":
        return [*actions, *later, "print_termination_notice"]
    if state == "revoked":
        return [*actions, *later, "print_revocation"]
    actions.append("print_receipt")
    pledged = bool((getattr(case, "decision_detail", None) or {}).get("pledged"))
    if case.decision == "deferred":
        actions += ["print_deferral_notice", "print_deferral_pledge"]
        if state == "awaiting_supplement":
            actions.append("print_supplement_notice")
    if case.decision == "pledge" or pledged:
        actions.append("print_pledge")
    if state == "mailed":
        actions.append("print_mailing")
    return actions + later


def states_in(values: Iterable[str]) -> list[str]:
    """Validate state names given on a command line or in a filter."""
    out = []
    for value in values:
        if value not in CASE_STATE_LABELS:
            raise ValidationError(f"未知的办件状态 {value}；可用：{', '.join(CASE_STATE_LABELS)}", field="state")
        out.append(value)
    return out


def transition(store: Store, *, case_no: str, change: Callable[[Session], object]) -> CaseView | None:
    """Run one of the transitions above in a transaction of its own, committed here, and return the case as it
    now stands: for callers that hold a store rather than a session, such as the counter screen."""
    from app.cases.views import find_case  # views reads this module's next_actions

    with store.write() as session:
        change(session)
    with store.read() as session:
        return find_case(session, case_no)
