"""The acceptance checklist: a matter plus the state of each material decides 正常受理 / 容缺受理 / 告知承诺 /
补正告知, with the reasons, the 一次性告知 list and every deadline; 不予受理 only on a ground the clerk picks from
the matter's lawful grounds (行政许可法 §32). Pure functions, no store.

The rules and which of them are hall settings are written up in ``docs/checklist.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from app.catalog.model import Material, Matter, RefusalGround, TimeLimit
from app.errors import ValidationError
from app.vocabulary import DECISION_LABELS, MATERIAL_FORM_LABELS

MaterialState = Literal["original", "copy", "e_license", "deferred", "pledge", "defective", "missing"]
Outcome = Literal["normal", "deferred", "pledge", "supplement", "refused"]

# ``defective``: handed in but not in the legal form (unsigned, wrong copy, illegible …) — to be 补正 like a missing one.
MATERIAL_STATES: tuple[str, ...] = ("original", "copy", "e_license", "deferred", "pledge", "defective", "missing")
RECEIVED: frozenset[str] = frozenset({"original", "copy", "e_license"})
OUTCOME_LABELS = DECISION_LABELS  # the name the CLI imports from here; the words live in app.vocabulary
# Worse first: receiving one more material may only move a decision to the right. 不予受理 does not depend on the
# materials at all (only on a ground the clerk picks), so it is outside this order.
OUTCOME_RANK: dict[str, int] = {"refused": 0, "supplement": 1, "deferred": 2, "pledge": 3, "normal": 4}
# 行政许可法 §32(4): the authority tells the applicant everything to 补正 on the spot or within 五日; §82 counts
# the Act's periods in 工作日, so these are working days. Not told in time → accepted on the day of receipt.
CORRECTION_NOTICE_WORKDAYS = 5
SUPPLEMENT_BASIS = "《中华人民共和国行政许可法》第三十二条第一款第（四）项"


class WorkCalendarLike(Protocol):
    """What the checklist needs of :class:`app.workdays.WorkCalendar`."""

    def add_workdays(self, start: dt.date, days: int) -> dt.date: ...

    def due_date(self, start: dt.date, limit: TimeLimit) -> dt.date: ...

    def provisional_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class ApplicantFacts:
    """What the rules need to know about who is applying."""

    organisation: bool = False  # 法人/其他组织 (else a natural person)
    proxy: bool = False  # 帮办代办: someone applies on the applicant's behalf
    excluded: bool = False  # on the 失信 / false-pledge list (ExcludedApplicant)
    excluded_reason: str = ""


@dataclass(frozen=True)
class ChecklistPolicy:
    """Hall-level switches (``Settings.counter``)."""

    allow_deferral: bool = True  # 容缺受理 offered here
    allow_pledge: bool = True  # 告知承诺 offered here
    excluded_blocks_pledge: bool = True  # the excluded list bars 告知承诺 too (容缺 is always barred)
    default_supply_days: int = 5  # when a deferrable material names no supply_days


def policy_of(counter: Any) -> ChecklistPolicy:
    """The hall's switches as the checklist takes them, from ``Settings.counter`` (the counter, ``case import`` and
    the day's sweep decide alike)."""
    return ChecklistPolicy(allow_deferral=counter.allow_deferral, allow_pledge=counter.allow_pledge,
                           excluded_blocks_pledge=counter.excluded_blocks_pledge)


@dataclass(frozen=True)
class RefusalChoice:
    """The clerk's 不予受理: a ground code of the matter and, where the ground needs it, the competent authority."""

    ground: str
    competent_authority: str = ""


@dataclass(frozen=True)
class MaterialDecision:
    key: str
    name: str
    state: str
    core: bool
    required: bool
    accepted: bool  # counts as handled (received, validly deferred or validly pledged)
    due: dt.date | None = None  # 容缺 supply deadline
    problem: str = ""  # why this material blocks acceptance


@dataclass(frozen=True)
class NoticeItem:
    """One line of the 一次性告知书: a material still needed and how it may be provided."""

    key: str
    name: str
    form: str  # 原件 / 复印件 …
    copies: int
    reason: str  # why it is listed (未提交 / 不能容缺 …)
    options: str = ""  # what the applicant could do instead (可容缺后补 / 可告知承诺 / 可用电子证照 …)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: tuple[str, ...]
    notice: tuple[NoticeItem, ...]  # only for supplement: EVERYTHING still needed, once
    materials: tuple[MaterialDecision, ...]
    promised_due: dt.date | None = None
    legal_due: dt.date | None = None
    supplement_due: dt.date | None = None  # the latest 容缺 supply deadline
    deferred: tuple[str, ...] = ()
    pledged: tuple[str, ...] = ()
    personal_pledges: tuple[str, ...] = field(default=())  # pledges the applicant signed in person
    provisional_years: tuple[int, ...] = ()  # deadlines reach into these years, whose holiday notice is not out
    correction_due: dt.date | None = None  # 补正告知: the last day of §32's five-workday notice period
    refusal: RefusalGround | None = None  # 不予受理: the ground picked
    competent_authority: str = ""  # 不予受理 as not this authority's: where to apply instead

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.outcome]

    @property
    def accepted(self) -> bool:
        """受理 now (normal / 容缺 / 告知承诺); 补正告知 registers the papers without accepting yet."""
        return self.outcome in ("normal", "deferred", "pledge")

    def due_of(self, key: str) -> dt.date | None:
        for item in self.materials:
            if item.key == key:
                return item.due
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "label": self.label,
            "reasons": list(self.reasons),
            "notice": [
                {"key": n.key, "name": n.name, "form": n.form, "copies": n.copies, "reason": n.reason,
                 "options": n.options}
                for n in self.notice
            ],
            "materials": [
                {"key": m.key, "name": m.name, "state": m.state, "core": m.core, "required": m.required,
                 "accepted": m.accepted, "due": m.due.isoformat() if m.due else None, "problem": m.problem}
                for m in self.materials
            ],
            "promised_due": self.promised_due.isoformat() if self.promised_due else None,
            "legal_due": self.legal_due.isoformat() if self.legal_due else None,
            "supplement_due": self.supplement_due.isoformat() if self.supplement_due else None,
            "deferred": list(self.deferred),
            "pledged": list(self.pledged),
            "provisional_years": list(self.provisional_years),
            "correction_due": self.correction_due.isoformat() if self.correction_due else None,
            "refusal": None if self.refusal is None else {
                "ground": self.refusal.code, "text": self.refusal.text, "basis": self.refusal.basis,
                "competent_authority": self.competent_authority},
            "competent_office": self.competent_authority,
        }


def _options(material: Material) -> str:
    parts = []
    if material.e_license:
        parts.append(f"可调取电子证照（{material.e_license}）")
    if material.deferrable and not material.core:
        parts.append("可容缺后补")
    if material.pledgeable:
        parts.append("可告知承诺" + ("（须本人签署）" if material.pledge and material.pledge.personal else ""))
    return "；".join(parts)


def _deferral_problem(m: Material, applicant: ApplicantFacts, policy: ChecklistPolicy) -> str:
    if m.core:
        return f"\"{m.name}\"是核心材料，不能容缺"
    if not m.deferrable:
        return f"\"{m.name}\"不在容缺材料清单内，不能容缺"
    if not policy.allow_deferral:
        return "本大厅未开通容缺受理"
    if applicant.excluded:
        why = f"（{applicant.excluded_reason}）" if applicant.excluded_reason else ""
        return f"申请人在失信或虚假承诺名单中{why}，不能容缺受理"
    return ""


def _pledge_problem(m: Material, applicant: ApplicantFacts, policy: ChecklistPolicy) -> str:
    if not m.pledgeable:
        return f"\"{m.name}\"不适用告知承诺，须提交材料"
    if not policy.allow_pledge:
        return "本大厅未开通告知承诺"
    if applicant.excluded and policy.excluded_blocks_pledge:
        why = f"（{applicant.excluded_reason}）" if applicant.excluded_reason else ""
        return f"申请人在失信或虚假承诺名单中{why}，不能告知承诺"
    if m.pledge is not None and m.pledge.personal and applicant.proxy:
        return f"\"{m.name}\"的告知承诺须申请人本人到场签署，不能由代办人代为承诺"
    return ""


def evaluate_checklist(
    matter: Matter,
    states: Mapping[str, MaterialState],
    *,
    applicant: ApplicantFacts,
    accepted_on: dt.date,
    calendar: WorkCalendarLike,
    policy: ChecklistPolicy = ChecklistPolicy(),
    refusal: RefusalChoice | None = None,
) -> Decision:
    """Decide how the counter may take this application.

    Args:
        matter: the catalog matter.
        states: material key → state; a key not given counts as ``missing``.
        applicant: organisation / proxy / excluded facts.
        accepted_on: the local service date deadlines count from (the day itself not counted).
        calendar: the workday calendar (raises CalendarError outside its known years).
        policy: the hall's switches.
        refusal: the clerk's 不予受理 ground, if any; without one the materials decide, and missing or
            defective ones give 补正告知, never 不予受理.

    Raises:
        ValidationError: a state key the matter does not have, an unknown state, a proxy for a matter that must
            be done in person, a refusal ground the matter does not have, or a missing competent authority.
    """
    if applicant.proxy and matter.in_person:
        raise ValidationError(f"事项\"{matter.name}\"须申请人本人到场办理，不能由他人代办；请申请人本人前来",
                              field="proxy_name")
    known = {m.key for m in matter.materials}
    for key, state in states.items():
        if key not in known:
            keys = "、".join(m.key for m in matter.materials)
            raise ValidationError(f"事项\"{matter.name}\"没有材料 {key}（可用：{keys}）", field=key)
        if state not in MATERIAL_STATES:
            raise ValidationError(
                f"材料 {key} 的状态 {state!r} 无效；可用：{', '.join(MATERIAL_STATES)}", field=key
            )
        material = matter.material(key)
        if state == "e_license" and material is not None and not material.e_license:
            raise ValidationError(f"\"{material.name}\"没有可调取的电子证照", field=key)

    decisions: list[MaterialDecision] = []
    problems: list[tuple[Material, str]] = []
    deferred: list[Material] = []
    pledged: list[Material] = []
    for m in matter.materials:
        if not m.applies(organisation=applicant.organisation, proxy=applicant.proxy):
            continue
        state = states.get(m.key, "missing")
        problem = ""
        if state in RECEIVED:
            ok = True
        elif state == "deferred":
            problem = _deferral_problem(m, applicant, policy)
            ok = not problem
            if ok:
                deferred.append(m)
        elif state == "pledge":
            problem = _pledge_problem(m, applicant, policy)
            ok = not problem
            if ok:
                pledged.append(m)
        elif state == "defective":
            ok = False
            problem = f"\"{m.name}\"不符合法定形式，须补正"
        else:
            ok = False
            if m.required:
                who = "帮办代办须提交" if m.condition == "proxy" else "未提交"
                problem = f"{who}\"{m.name}\""
        if not ok and not m.required:
            problem = ""  # an optional material may simply be absent
        if problem:
            problems.append((m, problem))
        decisions.append(
            MaterialDecision(key=m.key, name=m.name, state=state, core=m.core, required=m.required,
                             accepted=ok, problem=problem)
        )

    if refusal is not None:
        return _refused(matter, refusal, tuple(decisions))

    if problems:
        problem_reasons = tuple(dict.fromkeys(p for _m, p in problems))
        # 一次性告知: everything not yet in hand, including what could be deferred or pledged, so the applicant
        # comes back once with all of it.
        notice = tuple(
            NoticeItem(
                key=d.key,
                name=d.name,
                form=MATERIAL_FORM_LABELS.get(mat.form, mat.form),
                copies=mat.copies,
                reason=d.problem or ("可容缺后补" if d.state == "deferred" else
                                     "可告知承诺" if d.state == "pledge" else "未提交"),
                options=_options(mat),
            )
            for d in decisions
            for mat in (matter.material(d.key),)
            if mat is not None and d.state not in RECEIVED and (mat.required or d.state in ("deferred", "pledge"))
        )
        correction_due = calendar.add_workdays(accepted_on, CORRECTION_NOTICE_WORKDAYS)
        return Decision(
            outcome="supplement",
            reasons=(f"申请材料不齐全或者不符合法定形式，一次性告知申请人补正（{SUPPLEMENT_BASIS}）",
                     *problem_reasons),
            notice=notice, materials=tuple(decisions), correction_due=correction_due,
            provisional_years=calendar.provisional_years(accepted_on, correction_due),
        )

    promised_due = calendar.due_date(accepted_on, matter.promised)
    legal_due = calendar.due_date(accepted_on, matter.legal)
    dues: dict[str, dt.date] = {}
    for m in deferred:
        days = m.supply_days if m.supply_days is not None else policy.default_supply_days
        due = calendar.add_workdays(accepted_on, days)
        # The supply deadline never runs past the promised completion date.
        dues[m.key] = min(due, promised_due)
    decisions = [
        MaterialDecision(key=d.key, name=d.name, state=d.state, core=d.core, required=d.required,
                         accepted=d.accepted, due=dues.get(d.key), problem=d.problem)
        for d in decisions
    ]
    reasons: list[str] = []
    if deferred:
        outcome: Outcome = "deferred"
        names = "、".join(f"\"{m.name}\"（{dues[m.key]:%Y-%m-%d}前）" for m in deferred)
        reasons.append(f"核心材料齐全，容缺受理；须补交：{names}；申请人签署容缺受理承诺书")
        if pledged:
            reasons.append("另有材料以告知承诺代替：" + "、".join(f"\"{m.name}\"" for m in pledged))
    elif pledged:
        outcome = "pledge"
        reasons.append("以告知承诺代替证明：" + "、".join(f"\"{m.name}\"" for m in pledged)
                       + "；申请人签署告知承诺书，纳入事中事后核查")
    else:
        outcome = "normal"
        reasons.append("材料齐全，正常受理")
    personal = tuple(m.key for m in pledged if m.pledge is not None and m.pledge.personal)
    if personal:
        reasons.append("以下承诺须申请人本人签署：" + "、".join(
            f"\"{m.name}\"" for m in pledged if m.key in personal))
    unsettled = calendar.provisional_years(accepted_on, max(promised_due, legal_due, *dues.values()))
    if unsettled:
        years = "、".join(str(y) for y in unsettled)
        reasons.append(f"期限跨入 {years} 年：该年放假安排尚未公布，暂按《全国年节及纪念日放假办法》的法定节假日计算，"
                       "公布后以国务院办公厅通知为准")
    return Decision(
        outcome=outcome,
        reasons=tuple(reasons),
        notice=(),
        materials=tuple(decisions),
        promised_due=promised_due,
        legal_due=legal_due,
        supplement_due=max(dues.values()) if dues else None,
        deferred=tuple(m.key for m in deferred),
        pledged=tuple(m.key for m in pledged),
        personal_pledges=personal,
        provisional_years=unsettled,
    )


def _refused(matter: Matter, choice: RefusalChoice, materials: tuple[MaterialDecision, ...]) -> Decision:
    """不予受理 on the ground the clerk picked; the materials play no part in it."""
    ground = matter.refusal_ground(choice.ground.strip())
    if ground is None:
        known = "、".join(f"{g.code}（{g.text}）" for g in matter.all_refusal_grounds)
        raise ValidationError(f"事项\"{matter.name}\"没有不予受理理由 {choice.ground!r}；可选：{known}",
                              field="refusal_ground")
    authority = choice.competent_authority.strip() if ground.names_authority else ""
    if ground.names_authority and not authority:
        raise ValidationError("不属于本机关职权范围的，须写明有权受理的行政机关", field="competent_authority")
    reasons = [f"不予受理：{ground.text}", f"依据：{ground.basis}"]
    if authority:
        reasons.append(f"告知申请人向{authority}申请")
    return Decision(outcome="refused", reasons=tuple(reasons), notice=(), materials=materials, refusal=ground,
                    competent_authority=authority)
