"""绿色通道 rules a hall sets: who is served early (elders read from the ID number, the disabled, 军人/消防,
pregnant women) and how — ``jump`` (the priority lane, bounded by ``queue.priority_every`` so walk-ins keep
moving) or ``weight:N`` (an ordinary ticket queued as if it had come N minutes earlier).

The rule text is one setting, ``queue.priority_rules``, e.g. ``elder=jump, disabled=jump, military=weight:20,
pregnant=off``; ``queue.priority_elder_age`` is the age from which the ID number alone grants the elder rule.
The rule that applied is kept on the ticket (``priority_reason``), printed and counted per day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.errors import SettingsError, ValidationError
from app.identity import check_id
from app.queue.common import PRIORITY_KINDS, TicketView
from app.queue.tickets import _issue
from app.settings import QueueSettings
from app.store import Store
from app.store.models import Ticket

MODES = ("jump", "weight", "off")
DEFAULT_RULES = "elder=jump, disabled=jump, military=jump, pregnant=jump"


@dataclass(frozen=True)
class PriorityRule:
    kind: str  # elder | disabled | military | pregnant
    mode: str  # jump | weight | off
    minutes: int = 0  # the head start of a weight rule

    @property
    def label(self) -> str:
        how = {"jump": "优先叫号", "weight": f"提前 {self.minutes} 分钟排队", "off": "不适用"}[self.mode]
        return f"{PRIORITY_KINDS[self.kind]}：{how}"


@dataclass(frozen=True)
class PriorityRules:
    rules: dict[str, PriorityRule]
    elder_age: int = 65

    def get(self, kind: str) -> PriorityRule:
        return self.rules.get(kind, PriorityRule(kind, "jump"))


def parse_rules(text: str, *, elder_age: int = 65) -> PriorityRules:
    """``kind=mode`` pairs separated by commas; a kind not named keeps ``jump`` (the behaviour before rules)."""
    rules: dict[str, PriorityRule] = {}
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        kind, sep, mode = (x.strip().lower() for x in part.partition("="))
        if not sep or kind not in PRIORITY_KINDS:
            kinds = "、".join(PRIORITY_KINDS)
            raise SettingsError(f"设置 queue.priority_rules 中的 {part!r} 无法识别：应为 类别=jump|weight:分钟|off，"
                                f"类别可选 {kinds}")
        name, _, arg = mode.partition(":")
        if name not in MODES:
            raise SettingsError(f"设置 queue.priority_rules 中 {kind} 的方式 {mode!r} 无法识别：应为 jump、weight:分钟 或 off")
        minutes = 0
        if name == "weight":
            try:
                minutes = int(arg)
            except ValueError:
                minutes = -1
            if not 1 <= minutes <= 240:
                raise SettingsError(f"设置 queue.priority_rules 中 {kind}=weight 应写提前的分钟数（1–240），如 weight:15")
        rules[kind] = PriorityRule(kind, name, minutes)
    if elder_age < 0 or elder_age > 120:
        raise SettingsError(f"设置 queue.priority_elder_age 应在 0–120 之间（0 = 不按年龄），得到 {elder_age}")
    return PriorityRules(rules, elder_age)


def hall_rules(queue_settings: QueueSettings) -> PriorityRules:
    """The hall's rules from its ``[queue]`` settings (``priority_rules``, ``priority_elder_age``)."""
    return parse_rules(queue_settings.priority_rules, elder_age=queue_settings.priority_elder_age)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class GreenChannel:
    """What a rule decided for one applicant: the ticket's lane, its head start and the reason to print."""

    kind: str  # the rule that applied, or ""
    priority: str  # the ticket's priority column: the kind for jump, "" for weight or none
    head_start: dt.timedelta
    age: int | None = None

    @property
    def text(self) -> str:
        """Printed on the ticket and said by the clerk, e.g. 绿色通道：老年人（72 岁）."""
        if not self.kind:
            return ""
        age = f"（{self.age} 岁）" if self.age is not None else ""
        return f"绿色通道：{PRIORITY_KINDS[self.kind]}{age}"


def decide(rules: PriorityRules, *, kind: str = "", id_no: str = "", day: dt.date) -> GreenChannel:
    """The 绿色通道 an applicant gets: the kind the clerk or kiosk chose, else the elder rule from the ID's birth
    date. A kind the hall switched off is refused with a message, so the clerk can say why."""
    chosen = (kind or "").strip().lower()
    age: int | None = None
    if id_no.strip():
        check = check_id(id_no, today=day)
        if not check.valid or check.birth_date is None:
            raise ValidationError(f"证件号码无法识别出生日期：{check.message or id_no}（请核对后重新输入）",
                                  field="id_no")
        age = age_on(check.birth_date, day)
        if not chosen and rules.elder_age and age >= rules.elder_age and rules.get("elder").mode != "off":
            chosen = "elder"
        if chosen == "elder" and (not rules.elder_age or age < rules.elder_age):
            raise ValidationError(f"申请人 {age} 岁，未到本大厅老年人绿色通道的年龄（{rules.elder_age} 岁）",
                                  field="priority")
    if not chosen:
        return GreenChannel("", "", dt.timedelta(0), age)
    if chosen not in PRIORITY_KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in PRIORITY_KINDS.items())
        raise ValidationError(f"优先类别不存在：{kind!r}；可选：{choices}", field="priority")
    rule = rules.get(chosen)
    if rule.mode == "off":
        raise ValidationError(f"本大厅未开放{PRIORITY_KINDS[chosen]}绿色通道，请取普通号", field="priority")
    if rule.mode == "weight":
        return GreenChannel(chosen, "", dt.timedelta(minutes=rule.minutes), age if chosen == "elder" else None)
    return GreenChannel(chosen, chosen, dt.timedelta(0), age if chosen == "elder" else None)


def green_detail(rules: PriorityRules, green: GreenChannel) -> dict[str, object]:
    """What the issue event records of the rule that applied (empty without one)."""
    if not green.kind:
        return {}
    detail: dict[str, object] = {"rule": green.kind, "mode": rules.get(green.kind).mode,
                                 "head_start_min": int(green.head_start.total_seconds() // 60)}
    if green.age is not None:
        detail["age"] = green.age
    return detail


def issue_green(store: Store, *, hall_code: str, category: str, rules: PriorityRules, kind: str = "",
                id_no: str = "", request_id: str | None = None, daily_reset: bool = True,
                number: int | None = None, at: dt.datetime | None = None,
                clock: HallClock) -> tuple[TicketView, GreenChannel]:
    """取号 under the hall's 绿色通道 rules; the ID number is only read for the age, never stored.

    ``number`` and ``at``: a number from the kiosk's reserved block and the moment it was drawn (the kiosk's local
    copy, ``app.queue.offline``); by default the counter's next number, now."""
    at = at or clock.now()
    day = clock.day_of(at)
    green = decide(rules, kind=kind, id_no=id_no, day=day)
    detail = green_detail(rules, green)
    ticket = _issue(store, hall_code=hall_code, category=category, priority=green.priority, request_id=request_id,
                    daily_reset=daily_reset, at=at, day=day, reason=green.kind, head_start=green.head_start,
                    detail=detail, number=number)
    return ticket, green


@dataclass(frozen=True)
class GreenCount:
    kind: str
    label: str
    issued: int
    served: int


def green_counts(session: Session, *, hall_code: str | None, start: dt.date, end: dt.date) -> list[GreenCount]:
    """Tickets per 绿色通道 reason over the days (void tickets not counted): one GROUP BY."""
    done = func.sum(case((Ticket.state == "done", 1), else_=0))
    stmt = (select(Ticket.priority_reason, func.count(), done)
            .where(Ticket.service_date >= start, Ticket.service_date <= end, Ticket.priority_reason != "",
                   Ticket.state.notin_(("void", "issuing")))
            .group_by(Ticket.priority_reason).order_by(Ticket.priority_reason))
    if hall_code:
        stmt = stmt.where(Ticket.hall_code == hall_code)
    return [GreenCount(str(k), PRIORITY_KINDS.get(str(k), str(k)), int(n), int(d or 0))
            for k, n, d in session.execute(stmt)]
