"""``python -m app demo generate --cases N [--days D]``: realistic synthetic tickets and cases in the demo hall.

For demonstrations, training and load tests. Days are the last D working days before today (never today, so the
live queue's numbering is untouched). Cases go through the real acceptance path (checklist, 受理编号, outbox), and
older ones move on through forwarding, results and 出件 so every screen and report has something to show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.clock import HallClock
from console import print_json, settings_from

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰梅红志建国海燕"
MONGOLIAN = ("其其格", "巴特尔", "乌云", "苏和", "娜仁", "额尔敦", "那日苏", "阿拉坦", "格日勒", "宝音", "萨仁",
             "朝鲁", "图雅", "孟和", "乌兰", "达来", "斯琴", "敖登", "巴雅尔", "吉雅")
PLACES = ("乌兰花镇", "吉生太镇", "库伦图镇", "供济堂镇", "白音朝克图镇", "东八号乡", "忽鸡图乡", "红格尔苏木",
          "江岸苏木", "脑木更苏木", "查干补力格苏木")


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="生成演示用的号票与办件（演示大厅 150929）")
    gen.add_argument("--cases", type=int, required=True, metavar="N", help="办件数量")
    gen.add_argument("--days", type=int, default=5, metavar="D", help="分布在最近 D 个工作日（默认 5）")
    gen.add_argument("--seed", type=int, default=None, help="随机种子（相同种子生成相同的数据）")
    gen.set_defaults(handler=_generate)


@dataclass(frozen=True)
class GenerateReport:
    days: tuple[dt.date, ...]
    tickets: int
    cases: int
    by_decision: dict[str, int]
    by_state: dict[str, int]
    skipped_calendar: int = 0  # visitors whose matter's deadline ran past the calendar's known years

    def to_json(self) -> dict[str, Any]:
        return {"days": [d.isoformat() for d in self.days], "tickets": self.tickets, "cases": self.cases,
                "by_decision": self.by_decision, "by_state": self.by_state,
                "skipped_calendar": self.skipped_calendar}


def _person(rng: random.Random) -> tuple[str, str]:
    from app.identity import id_check_digit

    name = rng.choice(MONGOLIAN) if rng.random() < 0.4 else rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    body = f"150929{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return name, body + id_check_digit(body)


def _states(matter: Any, rng: random.Random, *, proxy: bool) -> dict[str, str]:
    """Mostly complete; sometimes 容缺, 告知承诺 or an incomplete set told once what to 补正."""
    states: dict[str, str] = {}
    roll = rng.random()
    for m in matter.materials:
        if not m.applies(organisation=False, proxy=proxy):
            continue
        state = "e_license" if m.e_license and rng.random() < 0.3 else rng.choice(("original", "original", "copy"))
        if m.deferrable and not m.core and roll < 0.15:
            state = "deferred"
        elif m.pledgeable and roll < 0.35 and not (proxy and m.pledge and m.pledge.personal):
            state = "pledge"
        if not m.required and rng.random() < 0.5:
            state = "missing"
        states[m.key] = state
    if roll > 0.92:  # forgot something
        required = [k for k in states if (mm := matter.material(k)) is not None and mm.required]
        states[rng.choice(required)] = "missing"
    return states


def generate(store: Any, *, cases: int, days: int, files_dir: Path, clock: HallClock,
             seed: int | None = None) -> GenerateReport:
    from sqlalchemy import func, select

    from app.cases.lifecycle import (
        hand_over,
        mail_result,
        mark_forwarded,
        mark_ready,
        receive_supplement,
        record_result,
    )
    from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput, accept
    from app.catalog.store import current_catalog
    from app.demo import DEMO_HALL_CODE, seed_demo_hall
    from app.errors import CalendarError, ValidationError
    from app.store.models import Clerk, Ticket, TicketEvent, Window
    from app.workdays import default_calendar

    if cases < 0 or days < 1:
        raise ValidationError("--cases 不能为负数，--days 至少为 1", field="cases")
    rng = random.Random(seed)
    calendar = default_calendar()
    seed_demo_hall(store)
    today = clock.today()
    service_days: list[dt.date] = []
    day = today
    while len(service_days) < days:
        day = calendar.add_workdays(day, -1)
        service_days.append(day)
    service_days.reverse()
    with store.read() as session:
        found = current_catalog(session)
        assert found is not None
        catalog = found[1]
        clerks = {c.username: c.id for c in session.scalars(select(Clerk).where(Clerk.role == "clerk"))}
        windows = list(session.scalars(select(Window).where(Window.hall_code == DEMO_HALL_CODE)
                                       .order_by(Window.number)))
        window_cats = {w.number: list(w.categories) for w in windows}
        taken = {(d, c): int(n) for d, c, n in session.execute(
            select(Ticket.service_date, Ticket.category, func.max(Ticket.number))
            .where(Ticket.hall_code == DEMO_HALL_CODE).group_by(Ticket.service_date, Ticket.category))}
    by_category: dict[str, list[Any]] = {}
    for m in catalog.matters:
        by_category.setdefault(m.queue_category, []).append(m)
    clerk_ids = list(clerks.values())
    per_day = [cases // days + (1 if i < cases % days else 0) for i in range(days)]
    ticket_count = 0
    skipped_calendar = 0
    made: list[tuple[str, str, dt.date]] = []
    report_decisions: dict[str, int] = {}
    for day, n_cases in zip(service_days, per_day, strict=True):
        n_tickets = int(n_cases * 1.25) + 3  # some visits are only questions (咨询) and end without a case
        opening = clock.at(day, dt.time(9, 0))
        span = 7.5 * 3600
        numbers: dict[str, int] = {}
        for i in range(n_tickets):
            with_case = i < n_cases
            category = rng.choice(sorted(by_category)) if with_case else rng.choice(sorted(catalog.categories))
            fitting = [w for w, cats in window_cats.items() if category in cats] or [1]
            window = rng.choice(fitting)
            clerk = clerk_ids[(window - 1) % len(clerk_ids)] if clerk_ids else None
            numbers[category] = numbers.get(category, taken.get((day, category), 0)) + 1
            issued = opening + dt.timedelta(seconds=span * i / n_tickets + rng.randrange(0, 120))
            called = issued + dt.timedelta(seconds=rng.randrange(60, 1800))
            started = called + dt.timedelta(seconds=rng.randrange(10, 90))
            finished = started + dt.timedelta(seconds=rng.randrange(180, 1200))
            skipped = not with_case and rng.random() < 0.1
            priority = "elder" if rng.random() < 0.08 else ""
            with store.write() as session:
                ticket = Ticket(hall_code=DEMO_HALL_CODE, service_date=day, category=category,
                                number=numbers[category], code=f"{category}{numbers[category]:03d}",
                                priority=priority, state="skipped" if skipped else "done", window_number=window,
                                clerk_id=clerk, queued_at=issued, issued_at=issued, called_at=called,
                                started_at=None if skipped else started, finished_at=None if skipped else finished,
                                skip_count=1 if skipped else 0)
                session.add(ticket)
                session.flush()
                kinds = [("issue", issued), ("print", issued), ("call", called)]
                kinds += [("skip", called + dt.timedelta(minutes=2))] if skipped else [
                    ("start", started), ("finish", finished)]
                session.add_all(TicketEvent(ticket_id=ticket.id, kind=k, at=a,
                                            window_number=None if k in ("issue", "print") else window,
                                            clerk_id=None if k in ("issue", "print") else clerk) for k, a in kinds)
                ticket_id = ticket.id
            ticket_count += 1
            if not with_case:
                continue
            matter = rng.choice(by_category[category])
            name, id_no = _person(rng)
            proxy = None
            if rng.random() < 0.07 and not matter.in_person:  # 须本人到场 matters take no 代办
                pname, pid = _person(rng)
                if pid != id_no:
                    proxy = ProxyInput(name=pname, id_no=pid, phone=f"13{rng.randrange(10**8, 10**9)}")
            states = _states(matter, rng, proxy=proxy is not None)
            scope = "local"
            target = ""
            if matter.scope != "local" and rng.random() < 0.1:
                scope = "region_wide"
                target = rng.choice(("150102", "150203", "150602", "152502"))
            request = AcceptRequest(
                request_id=str(uuid.uuid4()), hall_code=DEMO_HALL_CODE, window_number=window,
                matter_code=matter.code,
                applicant=ApplicantInput(name=name, id_no=id_no, phone=f"1{rng.choice('358')}{rng.randrange(10**8, 10**9)}",
                                         address=f"四子王旗{rng.choice(PLACES)}"),
                materials=tuple(MaterialInput(k, v) for k, v in states.items()),  # type: ignore[arg-type]
                actor=next((u for u, i in clerks.items() if i == clerk), "demo"), clerk_id=clerk, proxy=proxy,
                ticket_id=ticket_id, accepted_at=finished - dt.timedelta(seconds=30), scope=scope,  # type: ignore[arg-type]
                target_region=target, source="demo",
            )
            try:
                done = accept(store, request, files_dir=files_dir, clock=clock, calendar=calendar)
            except CalendarError:
                # A long legal time limit runs into a year the calendar does not know yet; a real clerk would
                # see the same message. The demo just leaves this visitor without a case.
                skipped_calendar += 1
                continue
            report_decisions[done.summary.decision] = report_decisions.get(done.summary.decision, 0) + 1
            made.append((done.summary.id, done.summary.case_no, day))
    # Move older cases along as the back office and the window would have.
    for case_id, case_no, day in made:
        age = calendar.workdays_between(day, today)
        at = clock.at(min(calendar.add_workdays(day, 1), today), dt.time(10))
        with store.write() as session:
            from app.cases.lifecycle import load_case

            case = load_case(session, case_id=case_id)
            if case.state in ("refused_at_counter",):
                continue
            mark_forwarded(session, case_id=case_id, actor="hub", at=at)
            if case.state == "awaiting_correction" and rng.random() < 0.7:
                from app.cases.correction import apply_correction
                from app.cases.request import MaterialInput

                brought = tuple(MaterialInput(key=str(n["key"]), state="original")
                                for n in (case.decision_detail or {}).get("notice", ()))
                apply_correction(session, case_no=case_no, materials=brought, actor="demo", at=at,
                                 today=clock.day_of(at), calendar=calendar)
            if case.state == "awaiting_supplement" and rng.random() < 0.7:
                keys = [m.key for m in case.materials if m.state == "deferred"]
                receive_supplement(session, case_no=case_no, material_keys=keys, actor="demo", at=at)
            if age >= 2 and case.state in ("forwarded", "accepted") and rng.random() < 0.8:
                result = "approved" if rng.random() < 0.93 else "refused"
                record_result(session, case_no=case_no, result=result, note="", actor="hub", at=at)  # type: ignore[arg-type]
                if age >= 3 and rng.random() < 0.7:
                    mark_ready(session, case_no=case_no, actor="demo", at=at)
                    if rng.random() < 0.8:
                        hand_over(session, case_no=case_no, collector_id_no=case.applicant_id_no,
                                  collector_name=case.applicant_name, actor="demo", at=at, today=clock.day_of(at))
                    else:
                        mail_result(session, case_no=case_no, address=f"内蒙古乌兰察布市四子王旗{rng.choice(PLACES)}",
                                    tracking_no=f"11{rng.randrange(10**10, 10**11)}", actor="demo", at=at)
    from app.store.models import Case

    with store.read() as session:
        ids = [c for c, _n, _d in made]
        by_state: dict[str, int] = {}
        for chunk in range(0, len(ids), 500):
            for state, count in session.execute(select(Case.state, func.count()).where(
                    Case.id.in_(ids[chunk:chunk + 500])).group_by(Case.state)):
                by_state[state] = by_state.get(state, 0) + int(count)
    return GenerateReport(days=tuple(service_days), tickets=ticket_count, cases=len(made),
                          by_decision=report_decisions, by_state=by_state, skipped_calendar=skipped_calendar)


def _generate(args: argparse.Namespace) -> int:
    from app.store import open_store

    settings = settings_from(args)
    store = open_store(settings.db_url, key_file=settings.key_file)
    report = generate(store, cases=args.cases, days=args.days, files_dir=settings.files_dir,
                      clock=settings.hall_clock(), seed=args.seed)
    if args.json:
        print_json(report.to_json())
    else:
        from app.cases.lifecycle import state_label
        from app.checklist import OUTCOME_LABELS

        print(f"已生成 {report.tickets} 张号票、{report.cases} 件办件（{report.days[0]} 至 {report.days[-1]}）")
        print("受理结论：" + "，".join(f"{OUTCOME_LABELS[k]} {v}" for k, v in sorted(report.by_decision.items())))
        print("当前状态：" + "，".join(f"{state_label(k)} {v}" for k, v in sorted(report.by_state.items())))
        if report.skipped_calendar:
            print(f"另有 {report.skipped_calendar} 人的事项办结期限超出工作日历已知年份，未生成办件（请更新工作日历）")
    return 0
