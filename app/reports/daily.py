"""The day's (or a range's) counts for supervisors, read straight from the store's tables.

Every number is defined in docs/reports.md. Each query selects only the columns it needs for the range (by
``service_date`` or an indexed timestamp), so a day's report stays fast on a store with millions of rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.errors import ValidationError
from app.reports.clock_events import ClockEvents, clock_events
from app.reports.staff_figures import StaffFigures, staff_figures
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
    # 帮办代办 help records (app.assist) and 延时/上门/政务专递 (app.cases.outreach)
    help_total: int
    help_assisted: int
    help_on_behalf: int
    after_hours_cases: int
    home_visit_cases: int
    post_in_cases: int
    mailed_out: int
    drill: dict[str, tuple[str, ...]] = field(default_factory=dict)
    time_rules: ClockEvents = field(default_factory=ClockEvents)  # §42/§45/补正 returns (app.reports.clock_events)
    # issue 18: late arrivals given an ordinary ticket, 绿色通道 tickets per reason, tickets called out of turn
    appointments_late: int = 0
    green_by_reason: tuple[Row, ...] = ()
    calls_chosen: int = 0
    bundles_total: int = 0  # 一件事一次办 intakes (app.cases.bundle)
    bundle_cases: int = 0  # … and the cases they became
    staff: StaffFigures = field(default_factory=StaffFigures)  # per clerk and window (app.reports.staff_figures)

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
            ("代办人办理的办件", str(self.proxy_cases), "proxy"),
            ("帮办代办记录", str(self.help_total), "help"),
            ("　其中帮办（协助）", str(self.help_assisted), "help:assisted"),
            ("　其中代办（受托）", str(self.help_on_behalf), "help:on_behalf"),
            ("延时服务办件", str(self.after_hours_cases), "after_hours"),
            ("上门服务办件", str(self.home_visit_cases), "home_visit"),
            ("政务专递收件", str(self.post_in_cases), "post_in"),
            ("政务专递寄出结果", str(self.mailed_out), "mailed_out"),
            ("通办（全区/跨省）", str(self.tongban_cases), "tongban"),
            ("一件事一次办（件数）", str(self.bundles_total), "bundle"),
            ("一件事一次办所含办件", str(self.bundle_cases), "bundle"),
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
            ("预约迟到（改取普通号）", str(self.appointments_late), ""),
            *[(f"绿色通道：{r.label}", str(r.count), "") for r in self.green_by_reason],
            ("指定叫号（跳号，有原因）", str(self.calls_chosen), ""),
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
                      "bundles": self.bundles_total, "bundle_cases": self.bundle_cases,
                      "supplements_due": self.supplements_due, "supplements_overdue": self.supplements_overdue,
                      "concluded": self.concluded, "concluded_on_time": self.concluded_on_time,
                      "on_time_rate": _r(self.on_time_rate, 4)},
            "ratings": {"total": self.ratings_total, "good": self.ratings_good, "bad": self.ratings_bad,
                        "good_rate": _r(self.good_rate, 4), "by_level": rows(self.by_level),
                        "indicators": {k: _r(v, 2) for k, v in self.indicator_avgs},
                        "follow_ups_opened": self.follow_ups_opened},
            "appointments": {"booked": self.appointments_booked, "kept": self.appointments_kept,
                             "missed": self.appointments_missed, "late": self.appointments_late},
            "queue_rules": {"green": rows(self.green_by_reason), "calls_chosen": self.calls_chosen},
            "help": {"total": self.help_total, "assisted": self.help_assisted, "on_behalf": self.help_on_behalf},
            "outreach": {"after_hours": self.after_hours_cases, "home_visit": self.home_visit_cases,
                         "post_in": self.post_in_cases, "mailed_out": self.mailed_out},
            "drill": {k: list(v) for k, v in sorted(self.drill.items())},
            "time_rules": self.time_rules.to_json(),
            "staff": self.staff.to_json(),
        }


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _quarter_start(quarter: Any) -> dt.datetime:
    """The UTC instant a quarter-hour number (seconds since the epoch // 900, as the SQL groups by) begins."""
    return _EPOCH + dt.timedelta(seconds=int(quarter) * 900)


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
    if session.get_bind().dialect.name == "postgresql":
        # Each statement here reads a range's few thousand rows; PostgreSQL's JIT, triggered by the planner's cost
        # guesses for the per-ticket look-ups, spent 40–55 ms compiling each of two of them at 1M cases — more
        # than they take to run. For this transaction only.
        session.execute(text("SET LOCAL jit = off"))
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
    helps = _help(session, start, end, hall_code, drill)
    mailed = _mailed(session, start, end, hall_code, clock, drill)
    time_rules = clock_events(session, start=start, end=end, hall_code=hall_code, clock=clock, drill=drill)
    bundles = _bundles(session, start, end, hall_code, drill)
    staff = staff_figures(session, start=start, end=end, hall_code=hall_code, clock=clock)
    drill.update((k, list(v)) for k, v in staff.drill.items())
    return DailyReport(start=start, end=end, hall_code=hall_code, hall_name=hall_name,
                       made_at=clock.local_now().replace(tzinfo=None), **tickets, **cases,
                       **concluded, **supplements, **ratings, **appts, **helps, **mailed,
                       **_queue_rules(session, start, end, hall_code),
                       drill={k: tuple(v) for k, v in drill.items()}, time_rules=time_rules, staff=staff, **bundles)


def _first(row: Any) -> Any:
    """Sort key for rows led by the unique case number (comparing SQLAlchemy rows whole is slow in Python)."""
    return row[0]


SEP = "\x1f"  # between case numbers joined in SQL (never part of one)


def _joined(session: Session, column: Any) -> Any:
    """The group's values of ``column`` as one string (split on SEP; the order is not kept)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.group_concat(column, SEP)
    return func.string_agg(column, SEP)


def _hall(stmt: Any, column: Any, hall_code: str | None) -> Any:
    return stmt.where(column == hall_code) if hall_code else stmt


def _epoch_us(session: Session, column: Any) -> Any:
    """Microseconds since 1970 of a stored UTC instant, as an exact integer in SQL: differences of these are the
    durations Python's ``timedelta.total_seconds()`` gives, to the microsecond, without reading the rows."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLAlchemy writes SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; unixepoch() (SQLite 3.38)
        # is twice as fast as strftime('%s').
        whole = (func.unixepoch(column) if sqlite3.sqlite_version_info >= (3, 38)
                 else func.cast(func.strftime("%s", column), Integer))
        return whole * literal(1_000_000, BigInteger) + func.cast(func.substr(column, 21, 6), Integer)
    return func.cast(func.round(func.extract("epoch", column) * literal(1_000_000, BigInteger)), BigInteger)


def _nonneg(value: Any) -> Any:
    return case((value < 0, 0), else_=value)


QUARTER_HOUR_US = 15 * 60 * 1_000_000  # every UTC offset in use is a whole number of quarter hours


def _tickets(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
             clock: HallClock) -> dict[str, Any]:
    # First call, print and transfer per ticket from the event log (a requeued ticket is called twice; its wait
    # ends at the first call), looked up per ticket through the ticket_id index.
    def event_of(kind: str) -> Any:
        return and_(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == kind)

    first_call = select(func.min(TicketEvent.at)).where(event_of("call")).scalar_subquery()
    # The printed tickets with the instants that count; materialized, so each look-up runs once per ticket.
    printed = _hall(
        select(Ticket.state.label("state"), Ticket.skip_count.label("skips"),
               or_(Ticket.transferred_from.is_not(None), exists().where(event_of("transfer"))).label("moved"),
               Ticket.issued_at.label("issued"), func.coalesce(first_call, Ticket.called_at).label("call"),
               case((and_(Ticket.state == "done", Ticket.finished_at.is_not(None)),
                     func.coalesce(Ticket.started_at, Ticket.called_at))).label("begin"),
               Ticket.finished_at.label("finished"))
        .where(Ticket.service_date.between(start, end),
               or_(Ticket.state.in_(ISSUED_STATES), exists().where(event_of("print")))),
        Ticket.hall_code, hall_code).cte("printed").prefix_with("MATERIALIZED")
    p = printed.c
    # Each instant converted once per ticket (the conversion is most of a row's cost; the differences below would
    # repeat it, since neither engine shares a repeated expression).
    instants = select(
        p.state, p.moved, p.skips, *(_epoch_us(session, column).label(f"{column.name}_us")
                                     for column in (p.issued, p.call, p.begin, p.finished)),
    ).cte("instants").prefix_with("MATERIALIZED")
    at = instants.c
    per_ticket = select(
        at.state, at.moved, (at.issued_us // literal(QUARTER_HOUR_US, BigInteger)).label("quarter"),
        _nonneg(at.call_us - at.issued_us).label("wait_us"),  # NULL when never called
        _nonneg(at.finished_us - at.begin_us).label("service_us"),  # NULL unless done with a start and a finish
        or_(at.state == "skipped", and_(at.state == "void", func.coalesce(at.skips, 0) > 0)).label("no_show"),
    ).cte("per_ticket").prefix_with("MATERIALIZED")  # computed once, not once per use below
    t = per_ticket.c

    def minutes(n: int) -> Any:
        return literal(n * 60_000_000, BigInteger)

    def tally(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    buckets = [tally(and_(t.wait_us >= minutes(low), *([t.wait_us < minutes(high)] if high is not None else [])))
               for low, high in WAIT_BUCKETS]
    # Part 0: the printed tickets grouped by quarter hour of issue (the hours of the day come from it, the totals
    # are its sums). Parts 1 and 2: the two order statistics of the waits and of the service times that p90
    # interpolates between. One statement, so the per-ticket table is computed once.
    grouped = [t.quarter, func.count(), tally(t.state == "done"), tally(t.no_show), tally(t.moved),
               func.count(t.wait_us), func.sum(t.wait_us), func.count(t.service_us), func.sum(t.service_us), *buckets]
    parts = [select(literal(0), *grouped).group_by(t.quarter)]
    for i, column in enumerate((t.wait_us, t.service_us), start=1):
        ranked = select(column.label("v"), func.row_number().over(order_by=column).label("rn"),
                        func.count().over().label("n")).where(column.is_not(None)).subquery()
        low = (ranked.c.n - 1) * 9 // 10 + 1  # statistics.quantiles(n=10, method="inclusive")[-1]: between the
        parts.append(select(literal(i), ranked.c.rn, ranked.c.n, ranked.c.v,  # 0-based sorted[j] and sorted[j+1]
                            *[null()] * (len(grouped) - 3)).where(ranked.c.rn >= low, ranked.c.rn <= low + 1))
    rows = session.execute(union_all(*parts)).all()
    by_quarter = [row[1:] for row in rows if row[0] == 0]
    sums = [sum(int(row[i] or 0) for row in by_quarter) for i in range(1, len(grouped))]
    issued, served, no_show, transferred, n_wait, sum_wait, n_service, sum_service = sums[:8]
    by_hour = [0] * 24
    for row in by_quarter:
        by_hour[clock.local(_quarter_start(row[0])).hour] += int(row[1])
    hist = [Row(key=f"{low}-{high or ''}", label=bucket_label(low, high), count=n)
            for (low, high), n in zip(WAIT_BUCKETS, sums[8:], strict=True)]
    wait_p90, service_p90 = (_p90_of(sorted((int(r[1]), int(r[3])) for r in rows if r[0] == i), n)
                             for i, n in ((1, n_wait), (2, n_service)))
    return {"tickets_issued": issued, "tickets_served": served, "tickets_no_show": no_show,
            "tickets_transferred": transferred,
            "wait_avg_s": sum_wait / 1e6 / n_wait if n_wait else None, "wait_p90_s": wait_p90,
            "service_avg_s": sum_service / 1e6 / n_service if n_service else None, "service_p90_s": service_p90,
            "tickets_by_hour": tuple(by_hour), "wait_histogram": tuple(hist)}


def _p90_of(ranked: list[tuple[int, int]], n: int) -> float | None:
    """:func:`p90` in seconds of ``n`` microsecond values, from the (rank, value) of the one or two values it
    interpolates between — the same arithmetic as ``statistics.quantiles``, so the same float."""
    if n == 0:
        return None
    pair = [v / 1e6 for _rank, v in ranked]
    if n == 1:
        return pair[0]
    delta = 9 * (n - 1) % 10
    return (pair[0] * (10 - delta) + pair[1] * delta) / 10


def _rows(tally: Tally[str], labels: dict[str, str], prefix: str, *, order: list[str] | None = None) -> tuple[Row, ...]:
    keys = order if order is not None else sorted(tally, key=lambda k: (-tally[k], k))
    return tuple(Row(key=k, label=labels.get(k, k), count=tally[k], drill=f"{prefix}:{k}") for k in keys)


def _cases(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
           drill: dict[str, list[str]]) -> dict[str, Any]:
    has_proxy = _json_set(Case.proxy)
    tongban = func.coalesce(Case.scope, "local") != "local"
    keys = (Case.decision, Case.matter_code, Case.matter_name, Case.department, Case.window_number, Case.clerk_id,
            has_proxy, tongban, func.coalesce(Case.after_hours, False), _json_set(Case.home_visit),
            _json_set(Case.post_in))
    # One row per combination of the breakdowns' keys, with its count and case numbers (the drill-down lists).
    stmt = _hall(select(*keys, func.count(), func.max(Case.case_no), _joined(session, Case.case_no))
                 .where(Case.service_date.between(start, end)).group_by(*keys), Case.hall_code, hall_code)
    tallies: dict[str, Tally[str]] = {k: Tally() for k in ("decision", "matter", "department", "window", "clerk")}
    lists: dict[str, list[str]] = defaultdict(list)
    matter_names: dict[str, tuple[str, str]] = {}  # code -> (the latest case number, its name as shown)
    clerk_ids: set[int] = set()
    for (decision, m_code, m_name, dept, window, clerk_id, proxy, moved, late, home, post, n, last_no,
         numbers) in session.execute(stmt):
        cases = numbers.split(SEP)
        lists["cases"].extend(cases)
        clerk_key = str(clerk_id) if clerk_id is not None else "-"
        for kind, key in (("decision", decision), ("matter", m_code), ("department", dept or "（未注明）"),
                          ("window", str(window)), ("clerk", clerk_key)):
            tallies[kind][key] += n
            lists[f"{kind}:{key}"].extend(cases)
        # A matter renamed within the range is called by the name on its latest case.
        if m_code not in matter_names or last_no > matter_names[m_code][0]:
            matter_names[m_code] = (last_no, f"{m_name}（{m_code}）")
        if clerk_id is not None:
            clerk_ids.add(clerk_id)
        # A proxy written as JSON null reads back as None too; an empty object is no proxy either.
        if proxy:
            lists["proxy"].extend(cases)
        if moved:
            lists["tongban"].extend(cases)
        for flag, key in ((late, "after_hours"), (home, "home_visit"), (post, "post_in")):
            if flag:
                lists[key].extend(cases)
    for key, numbers in lists.items():
        drill[key].extend(sorted(numbers))
    total, proxy_cases, tongban_cases = len(lists["cases"]), len(lists["proxy"]), len(lists["tongban"])
    clerk_names = {str(i): n for i, n in session.execute(select(Clerk.id, Clerk.name).where(Clerk.id.in_(clerk_ids)))}
    clerk_names["-"] = "（未登录）"
    windows = sorted(tallies["window"], key=lambda k: int(k) if k.lstrip("-").isdigit() else 0)
    return {
        "cases_total": total,
        "by_decision": _rows(tallies["decision"], DECISION_LABELS, "decision",
                             order=list(DECISION_LABELS) + sorted(set(tallies["decision"]) - set(DECISION_LABELS))),
        "by_matter": _rows(tallies["matter"], {k: name for k, (_no, name) in matter_names.items()}, "matter"),
        "by_department": _rows(tallies["department"], {}, "department"),
        "by_window": _rows(tallies["window"], {k: f"{k} 号窗口" for k in windows}, "window", order=windows),
        "by_clerk": _rows(tallies["clerk"], clerk_names, "clerk"),
        "proxy_cases": proxy_cases, "tongban_cases": tongban_cases,
        "after_hours_cases": len(lists["after_hours"]), "home_visit_cases": len(lists["home_visit"]),
        "post_in_cases": len(lists["post_in"]),
    }


def _bundles(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
             drill: dict[str, list[str]]) -> dict[str, Any]:
    """一件事一次办 taken in during the range: the intakes (distinct ``bundle_id``) and their cases."""
    stmt = _hall(select(Case.bundle_id, Case.case_no).where(Case.service_date.between(start, end),
                                                            Case.bundle_id.is_not(None)), Case.hall_code, hall_code)
    rows = session.execute(stmt).all()
    drill["bundle"].extend(sorted(no for _id, no in rows))
    return {"bundles_total": len({bundle_id for bundle_id, _no in rows}), "bundle_cases": len(rows)}


def _json_set(column: Any) -> Any:
    """A JSON column holding a record: neither SQL NULL, JSON null nor an empty object."""
    return and_(column.is_not(None), func.cast(column, String).not_in(("null", "{}")))


def _help(session: Session, start: dt.date, end: dt.date, hall_code: str | None,
          drill: dict[str, list[str]]) -> dict[str, Any]:
    """帮办代办 records by mode; the drill lists the case number, or the matter when no case was made."""
    from app.store.models import HelpRecord

    label = case((HelpRecord.case_no != "", HelpRecord.case_no),
                 else_=literal("帮办：") + HelpRecord.matter_name)
    stmt = _hall(select(HelpRecord.mode, func.count(), _joined(session, label))
                 .where(HelpRecord.service_date.between(start, end)).group_by(HelpRecord.mode),
                 HelpRecord.hall_code, hall_code)
    counts: dict[str, int] = {}
    for mode, n, labels in session.execute(stmt):
        counts[mode] = int(n)
        items = sorted(labels.split(SEP))
        drill["help"].extend(items)
        drill[f"help:{mode}"].extend(items)
    drill["help"].sort()
    return {"help_total": sum(counts.values()), "help_assisted": counts.get("assisted", 0),
            "help_on_behalf": counts.get("on_behalf", 0)}


def _mailed(session: Session, start: dt.date, end: dt.date, hall_code: str | None, clock: HallClock,
            drill: dict[str, list[str]]) -> dict[str, Any]:
    """政务专递 out: results mailed (with a tracking number) in the range, by the instant they were sent."""
    lo, hi = clock.day_bounds(start, end)
    stmt = _hall(select(Case.case_no).where(Case.tracking_no != "", Case.handed_over_at >= lo,
                                            Case.handed_over_at < hi), Case.hall_code, hall_code)
    drill["mailed_out"] = sorted(session.scalars(stmt))
    return {"mailed_out": len(drill["mailed_out"])}


def _concluded(session: Session, start: dt.date, end: dt.date, hall_code: str | None, clock: HallClock,
               drill: dict[str, list[str]]) -> dict[str, Any]:
    lo, hi = clock.day_bounds(start, end)
    # The hall day a case was concluded on, from the quarter hour of its instant (one zone lookup per quarter
    # hour, not per case).
    quarter = _epoch_us(session, Case.concluded_at) // literal(QUARTER_HOUR_US, BigInteger)
    stmt = _hall(select(Case.case_no, quarter, func.coalesce(Case.promised_due, Case.service_date))
                 .where(Case.concluded_at >= lo, Case.concluded_at < hi), Case.hall_code, hall_code)
    day_of_quarter: dict[int, dt.date] = {}
    total = on_time = 0
    for case_no, q, due in sorted(session.execute(stmt), key=_first):
        total += 1
        drill["concluded"].append(case_no)
        done_on = day_of_quarter.get(q)
        if done_on is None:
            done_on = day_of_quarter[q] = clock.day_of(_quarter_start(q))
        # Without a promised deadline (即办件) the case was due the day it was accepted.
        if done_on <= due:
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
            "appointments_kept": counts.get("checked_in", 0), "appointments_missed": counts.get("missed", 0),
            "appointments_late": counts.get("late", 0)}


def _queue_rules(session: Session, start: dt.date, end: dt.date, hall_code: str | None) -> dict[str, Any]:
    """绿色通道 tickets per reason (printed ones: void and unprinted are not counted) and the calls a clerk made
    out of turn, passing over waiting tickets (their call event names who was passed over)."""
    from app.vocabulary import PRIORITY_LABELS

    green = _hall(select(Ticket.priority_reason, func.count()).where(
        Ticket.service_date.between(start, end), Ticket.priority_reason != "",
        Ticket.state.notin_(("void", "issuing"))).group_by(Ticket.priority_reason).order_by(Ticket.priority_reason),
        Ticket.hall_code, hall_code)
    rows = tuple(Row(str(k), PRIORITY_LABELS.get(str(k), str(k)), int(n)) for k, n in session.execute(green))
    # Only the calls whose stored detail names "passed" are read back and decoded (a handful a day, not every
    # call of the range); the check in Python decides, the text match only narrows.
    direct = _hall(select(TicketEvent.detail).join(Ticket, Ticket.id == TicketEvent.ticket_id).where(
        Ticket.service_date.between(start, end), TicketEvent.kind == "call",
        func.cast(TicketEvent.detail, String).like('%"passed"%')), Ticket.hall_code, hall_code)
    chosen = sum(1 for (d,) in session.execute(direct) if isinstance(d, dict) and d.get("passed"))
    return {"green_by_reason": rows, "calls_chosen": chosen}
