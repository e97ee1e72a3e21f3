"""The day's (or a range's) counts for supervisors, read straight from the store's tables.

Every number is defined in docs/reports.md. Each query selects only the columns it needs for the range (by
``service_date`` or an indexed timestamp), so a day's report stays fast on a store with millions of rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import HallClock, aware
from app.errors import ValidationError
from app.reports.clock_events import ClockEvents, clock_events
from app.store.models import Appointment, Case, Clerk, Hall, Rating, Ticket, TicketEvent
from app.vocabulary import DECISION_LABELS, RATING_LEVEL_LABELS

MAX_RANGE_DAYS = 366

# Wait-time histogram buckets in minutes: [low, high).
WAIT_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 5), (5, 10), (10, 20), (20, 30), (30, 60), (60, None))
ISSUED_STATES = ("waiting", "called", "serving", "done", "skipped")


def bucket_label(low: int, high: int | None) -> str:
    return f"{low}–{high} 分钟" if high is not None else f"{low} 分钟以上"


@dataclass(frozen=True)
class Row:
    """One line of a breakdown table: ``drill`` names the case numbers behind ``count`` in ``DailyReport.drill``."""

    key: str
    label: str
    count: int
    drill: str = ""


@dataclass(frozen=True)
class DailyReport:
    start: dt.date
    end: dt.date
    hall_code: str | None
    hall_name: str
    made_at: dt.datetime  # the hall's wall clock when the counts were taken (printed on the exports)
    # tickets
    tickets_issued: int
    tickets_served: int
    tickets_no_show: int
    tickets_transferred: int
    wait_avg_s: float | None
    wait_p90_s: float | None
    service_avg_s: float | None
    service_p90_s: float | None
    tickets_by_hour: tuple[int, ...]  # 24 counts, by the local hour the ticket was issued
    wait_histogram: tuple[Row, ...]
    # cases
    cases_total: int
    by_decision: tuple[Row, ...]
    by_matter: tuple[Row, ...]
    by_department: tuple[Row, ...]
    by_window: tuple[Row, ...]
    by_clerk: tuple[Row, ...]
    proxy_cases: int
    tongban_cases: int
    supplements_due: int
    supplements_overdue: int
    concluded: int
    concluded_on_time: int
    on_time_rate: float | None
    # ratings
    ratings_total: int
    ratings_good: int
    ratings_bad: int
    good_rate: float | None
    by_level: tuple[Row, ...]
    indicator_avgs: tuple[tuple[str, float | None], ...]
    follow_ups_opened: int
    # appointments
    appointments_booked: int
    appointments_kept: int
    appointments_missed: int
    drill: dict[str, tuple[str, ...]] = field(default_factory=dict)
    time_rules: ClockEvents = field(default_factory=ClockEvents)  # §42/§45/补正 returns (app.reports.clock_events)

    @property
    def period_label(self) -> str:
        return self.start.isoformat() if self.start == self.end else f"{self.start} 至 {self.end}"

    def summary(self) -> list[tuple[str, str, str]]:
        """(label, value, drill key) lines for the overview table, in reading order."""

        def pct(v: float | None) -> str:
            return "—" if v is None else f"{v * 100:.1f}%"

        return [
            ("取号数（已出票）", str(self.tickets_issued), ""),
            ("办结号数", str(self.tickets_served), ""),
            ("过号（未到）", str(self.tickets_no_show), ""),
            ("转窗", str(self.tickets_transferred), ""),
            ("平均等候", fmt_duration(self.wait_avg_s), ""),
            ("90% 等候不超过", fmt_duration(self.wait_p90_s), ""),
            ("平均办理", fmt_duration(self.service_avg_s), ""),
            ("90% 办理不超过", fmt_duration(self.service_p90_s), ""),
            ("办件总数", str(self.cases_total), "cases"),
            *[(r.label, str(r.count), r.drill) for r in self.by_decision],
            ("帮办代办", str(self.proxy_cases), "proxy"),
            ("通办（全区/跨省）", str(self.tongban_cases), "tongban"),
            ("容缺材料到期", str(self.supplements_due), "supplement_due"),
            ("容缺材料逾期未补", str(self.supplements_overdue), "supplement_overdue"),
            *self.time_rules.summary(),
            ("办结件数", str(self.concluded), "concluded"),
            ("按时办结", str(self.concluded_on_time), "on_time"),
            ("按时办结率", pct(self.on_time_rate), ""),
            ("评价数", str(self.ratings_total), "ratings"),
            ("好评（满意及以上）", str(self.ratings_good), "rating_good"),
            ("差评（不满意及以下）", str(self.ratings_bad), "rating_bad"),
            ("好评率", pct(self.good_rate), ""),
            ("差评回访立项", str(self.follow_ups_opened), "rating_bad"),
            ("预约数", str(self.appointments_booked), ""),
            ("预约到场", str(self.appointments_kept), ""),
            ("预约未到", str(self.appointments_missed), ""),
        ]

    def to_json(self) -> dict[str, Any]:
        def rows(items: tuple[Row, ...]) -> list[dict[str, object]]:
            return [{"key": r.key, "label": r.label, "count": r.count} for r in items]

        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "hall_code": self.hall_code,
            "hall_name": self.hall_name,
            "tickets": {"issued": self.tickets_issued, "served": self.tickets_served,
                        "no_show": self.tickets_no_show, "transferred": self.tickets_transferred,
                        "wait_avg_s": _r(self.wait_avg_s), "wait_p90_s": _r(self.wait_p90_s),
                        "service_avg_s": _r(self.service_avg_s), "service_p90_s": _r(self.service_p90_s),
                        "by_hour": list(self.tickets_by_hour), "wait_histogram": rows(self.wait_histogram)},
            "cases": {"total": self.cases_total, "by_decision": rows(self.by_decision),
                      "by_matter": rows(self.by_matter), "by_department": rows(self.by_department),
                      "by_window": rows(self.by_window), "by_clerk": rows(self.by_clerk),
                      "proxy": self.proxy_cases, "tongban": self.tongban_cases,
                      "supplements_due": self.supplements_due, "supplements_overdue": self.supplements_overdue,
                      "concluded": self.concluded, "concluded_on_time": self.concluded_on_time,
                      "on_time_rate": _r(self.on_time_rate, 4)},
            "ratings": {"total": self.ratings_total, "good": self.ratings_good, "bad": self.ratings_bad,
                        "good_rate": _r(self.good_rate, 4), "by_level": rows(self.by_level),
                        "indicators": {k: _r(v, 2) for k, v in self.indicator_avgs},
                        "follow_ups_opened": self.follow_ups_opened},
            "appointments": {"booked": self.appointments_booked, "kept": self.appointments_kept,
                             "missed": self.appointments_missed},
            "drill": {k: list(v) for k, v in sorted(self.drill.items())},
            "time_rules": self.time_rules.to_json(),
        }


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} 分 {secs:02d} 秒"


def p90(values: list[float]) -> float | None:
    """The 90th percentile, inclusive method (the same as the queue's own statistics)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def check_range(start: dt.date, end: dt.date | None) -> dt.date:
    end = end or start
    if end < start:
        raise ValidationError(f"结束日期 {end} 早于开始日期 {start}", field="to")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationError(f"统计区间最长 {MAX_RANGE_DAYS} 天，现为 {(end - start).days + 1} 天", field="to")
    return end


def daily_report(session: Session, *, start: dt.date, end: dt.date | None = None, hall_code: str | None = None,
                 clock: HallClock) -> DailyReport:
    """Counts for ``start``..``end`` (hall days; one day when ``end`` is omitted) of one hall, or every hall in
    the store, as the hall clock stands now (what is overdue is overdue by its today)."""
    end = check_range(start, end)
    today = clock.today()
    hall_name = "全部大厅"
    if hall_code:
        hall = session.get(Hall, hall_code)
        if hall is None:
            raise ValidationError(f"大厅不存在：{hall_code}", field="hall")
        hall_name = hall.name
    else:
        names = list(session.scalars(select(Hall.name).limit(2)))
        if len(names) == 1:  # a point or a hall with its own store: call it by its name
            hall_name = names[0]
    drill: dict[str, list[str]] = defaultdict(list)
    tickets = _tickets(session, start, end, hall_code, clock)
    cases = _cases(session, start, end, hall_code, drill)
    concluded = _concluded(session, start, end, hall_code, clock, drill)
    supplements = _supplements(session, start, end, hall_code, min(end + dt.timedelta(days=1), today), drill)
    ratings = _ratings(session, start, end, hall_code, clock, drill)
    appts = _appointments(session, start, end, hall_code)
    time_rules = clock_events(session, start=start, end=end, hall_code=hall_code, clock=clock, drill=drill)
    return DailyReport(start=start, end=end, hall_code=hall_code, hall_name=hall_name,
                       made_at=clock.local_now().replace(tzinfo=None), **tickets, **cases,
                       **concluded, **supplements, **ratings, **appts,
                       drill={k: tuple(v) for k, v in drill.items()}, time_rules=time_rules)


def _hall(stmt: Any, column: Any, hall_code: str | None) -> Any:
    return stmt.where(column == hall_code) if hall_code else stmt


def _tickets(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
             clock: HallClock) -> dict[str, Any]:
    stmt = _hall(select(Ticket.id, Ticket.state, Ticket.issued_at, Ticket.called_at, Ticket.started_at,
                        Ticket.finished_at, Ticket.skip_count, Ticket.transferred_from)
                 .where(Ticket.service_date.between(start, end)), Ticket.hall_code, hall_code)
    rows = session.execute(stmt).all()
    # First call, print and transfer per ticket from the event log (a requeued ticket is called twice;
    # its wait ends at the first call).
    ev = _hall(select(TicketEvent.ticket_id, TicketEvent.kind, func.min(TicketEvent.at))
               .join(Ticket, Ticket.id == TicketEvent.ticket_id)
               .where(Ticket.service_date.between(start, end), TicketEvent.kind.in_(("call", "print", "transfer")))
               .group_by(TicketEvent.ticket_id, TicketEvent.kind), Ticket.hall_code, hall_code)
    first: dict[tuple[int, str], dt.datetime] = {(tid, kind): at for tid, kind, at in session.execute(ev)}
    issued = served = no_show = transferred = 0
    by_hour = [0] * 24
    waits: list[float] = []
    services: list[float] = []
    for tid, state, issued_at, called_at, started_at, finished_at, skips, moved_from in rows:
        printed = state in ISSUED_STATES or (tid, "print") in first
        if not printed:
            continue
        issued += 1
        by_hour[clock.local(issued_at).hour] += 1
        served += state == "done"
        no_show += state == "skipped" or (state == "void" and (skips or 0) > 0)
        transferred += moved_from is not None or (tid, "transfer") in first
        call = first.get((tid, "call")) or called_at
        if call is not None:
            waits.append(max(0.0, (aware(call) - aware(issued_at)).total_seconds()))
        begin = started_at or called_at
        if state == "done" and finished_at is not None and begin is not None:
            services.append(max(0.0, (aware(finished_at) - aware(begin)).total_seconds()))
    hist = []
    for low, high in WAIT_BUCKETS:
        n = sum(1 for w in waits if w >= low * 60 and (high is None or w < high * 60))
        hist.append(Row(key=f"{low}-{high or ''}", label=bucket_label(low, high), count=n))
    return {"tickets_issued": issued, "tickets_served": served, "tickets_no_show": no_show,
            "tickets_transferred": transferred,
            "wait_avg_s": statistics.fmean(waits) if waits else None, "wait_p90_s": p90(waits),
            "service_avg_s": statistics.fmean(services) if services else None, "service_p90_s": p90(services),
            "tickets_by_hour": tuple(by_hour), "wait_histogram": tuple(hist)}


def _rows(tally: Tally[str], labels: dict[str, str], prefix: str, *, order: list[str] | None = None) -> tuple[Row, ...]:
    keys = order if order is not None else sorted(tally, key=lambda k: (-tally[k], k))
    return tuple(Row(key=k, label=labels.get(k, k), count=tally[k], drill=f"{prefix}:{k}") for k in keys)


def _cases(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
           drill: dict[str, list[str]]) -> dict[str, Any]:
    stmt = _hall(select(Case.case_no, Case.decision, Case.matter_code, Case.matter_name, Case.department,
                        Case.window_number, Case.clerk_id, Case.proxy, Case.scope)
                 .where(Case.service_date.between(start, end)), Case.hall_code, hall_code)
    tallies: dict[str, Tally[str]] = {k: Tally() for k in ("decision", "matter", "department", "window", "clerk")}
    matter_names: dict[str, str] = {}
    clerk_ids: set[int] = set()
    proxy = tongban = total = 0
    for case_no, decision, m_code, m_name, dept, window, clerk_id, proxy_json, scope in sorted(session.execute(stmt)):
        total += 1
        drill["cases"].append(case_no)
        clerk_key = str(clerk_id) if clerk_id is not None else "-"
        for kind, key in (("decision", decision), ("matter", m_code), ("department", dept or "（未注明）"),
                          ("window", str(window)), ("clerk", clerk_key)):
            tallies[kind][key] += 1
            drill[f"{kind}:{key}"].append(case_no)
        matter_names[m_code] = f"{m_name}（{m_code}）"
        if clerk_id is not None:
            clerk_ids.add(clerk_id)
        # A proxy written as JSON null reads back as None too; an empty object is no proxy either.
        if proxy_json:
            proxy += 1
            drill["proxy"].append(case_no)
        if (scope or "local") != "local":
            tongban += 1
            drill["tongban"].append(case_no)
    clerk_names = {str(i): n for i, n in session.execute(select(Clerk.id, Clerk.name).where(Clerk.id.in_(clerk_ids)))}
    clerk_names["-"] = "（未登录）"
    windows = sorted(tallies["window"], key=lambda k: int(k) if k.lstrip("-").isdigit() else 0)
    return {
        "cases_total": total,
        "by_decision": _rows(tallies["decision"], DECISION_LABELS, "decision",
                             order=list(DECISION_LABELS) + sorted(set(tallies["decision"]) - set(DECISION_LABELS))),
        "by_matter": _rows(tallies["matter"], matter_names, "matter"),
        "by_department": _rows(tallies["department"], {}, "department"),
        "by_window": _rows(tallies["window"], {k: f"{k} 号窗口" for k in windows}, "window", order=windows),
        "by_clerk": _rows(tallies["clerk"], clerk_names, "clerk"),
        "proxy_cases": proxy, "tongban_cases": tongban,
    }


def _concluded(session: Session, start: dt.date, end: dt.date, hall_code: str | None, clock: HallClock,
               drill: dict[str, list[str]]) -> dict[str, Any]:
    lo, hi = clock.day_bounds(start, end)
    stmt = _hall(select(Case.case_no, Case.concluded_at, Case.promised_due, Case.service_date)
                 .where(Case.concluded_at >= lo, Case.concluded_at < hi), Case.hall_code, hall_code)
    total = on_time = 0
    for case_no, concluded_at, promised_due, service_date in sorted(session.execute(stmt)):
        total += 1
        drill["concluded"].append(case_no)
        done_on = clock.day_of(concluded_at)
        # Without a promised deadline (即办件) the case was due the day it was accepted.
        if done_on <= (promised_due or service_date):
            on_time += 1
            drill["on_time"].append(case_no)
        else:
            drill["late"].append(case_no)
    return {"concluded": total, "concluded_on_time": on_time, "on_time_rate": on_time / total if total else None}


def _supplements(session: Session, start: dt.date, end: dt.date, hall_code: str | None, as_of: dt.date,
                 drill: dict[str, list[str]]) -> dict[str, Any]:
    # Sorted here, not in SQL: an ORDER BY case_no tempts SQLite to walk the case_no index over every case.
    due = _hall(select(Case.case_no).where(Case.supplement_due.between(start, end)), Case.hall_code, hall_code)
    drill["supplement_due"] = sorted(session.scalars(due))
    overdue = _hall(select(Case.case_no).where(Case.state == "awaiting_supplement", Case.supplement_due < as_of),
                    Case.hall_code, hall_code)
    drill["supplement_overdue"] = sorted(session.scalars(overdue))
    return {"supplements_due": len(drill["supplement_due"]), "supplements_overdue": len(drill["supplement_overdue"])}


def _ratings(session: Session, start: dt.date, end: dt.date, hall_code: str | None, clock: HallClock,
             drill: dict[str, list[str]]) -> dict[str, Any]:
    lo, hi = clock.day_bounds(start, end)
    stmt = _hall(select(Rating.level, Rating.overall, Rating.efficiency, Rating.service, Rating.attitude,
                        Rating.follow_up_state, Case.case_no, Ticket.code)
                 .outerjoin(Case, Case.id == Rating.case_id).outerjoin(Ticket, Ticket.id == Rating.ticket_id)
                 .where(Rating.at >= lo, Rating.at < hi).order_by(Rating.id), Rating.hall_code, hall_code)
    levels: Tally[str] = Tally()
    sums = [0, 0, 0, 0]
    total = good = bad = opened = 0
    for level, overall, efficiency, service, attitude, follow_state, case_no, code in session.execute(stmt):
        total += 1
        target = case_no or f"号票 {code}"
        drill["ratings"].append(target)
        levels[str(level)] += 1
        drill[f"level:{level}"].append(target)
        for i, v in enumerate((overall, efficiency, service, attitude)):
            sums[i] += v
        if level >= 4:
            good += 1
            drill["rating_good"].append(target)
        if level <= 2:
            bad += 1
            drill["rating_bad"].append(target)
        opened += follow_state in ("open", "done")
    names = ("overall", "efficiency", "service", "attitude")
    return {"ratings_total": total, "ratings_good": good, "ratings_bad": bad,
            "good_rate": good / total if total else None,
            "by_level": _rows(levels, {str(k): v for k, v in RATING_LEVEL_LABELS.items()}, "level",
                              order=[str(k) for k in RATING_LEVEL_LABELS]),
            "indicator_avgs": tuple((n, sums[i] / total if total else None) for i, n in enumerate(names)),
            "follow_ups_opened": opened}


def _appointments(session: Session, start: dt.date, end: dt.date, hall_code: str | None) -> dict[str, Any]:
    stmt = _hall(select(Appointment.state, func.count()).where(Appointment.service_date.between(start, end))
                 .group_by(Appointment.state), Appointment.hall_code, hall_code)
    counts: dict[str, int] = {state: n for state, n in session.execute(stmt)}
    return {"appointments_booked": sum(v for k, v in counts.items() if k != "cancelled"),
            "appointments_kept": counts.get("checked_in", 0), "appointments_missed": counts.get("missed", 0)}
