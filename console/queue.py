"""``python -m app queue …``: issue, call, list and the other window actions without a screen.

A ticket issued here has no printer to wait for, so it is confirmed as printed at once (it joins the queue);
``--pending`` leaves it unprinted (``issuing``) for a later ``queue printed`` or ``queue void``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path

from app.errors import ValidationError
from console import HallCommand, print_json


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")

    def cmd(name: str, help_text: str, handler: Callable[[argparse.Namespace], int], *,
            window: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--hall", metavar="CODE", help="大厅编码（默认取设置 hall.code）")
        if window:
            p.add_argument("--window", required=True, type=_window, metavar="N", help="窗口号")
        p.set_defaults(handler=handler)
        return p

    p = cmd("issue", "取号（命令行取号视为已打印，立即进入排队）", _issue)
    p.add_argument("--category", required=True, metavar="C", help="业务类别字母，如 A")
    p.add_argument("--priority", default="", metavar="KIND",
                   help="绿色通道：elder 老年人 / disabled 残疾人 / military 军人消防 / pregnant 孕妇（按设置 queue.priority_rules）")
    p.add_argument("--id-no", default="", metavar="ID", help="身份证号码：只读出年龄判断老年人绿色通道，不保存")
    p.add_argument("--pending", action="store_true", help="只出号不确认打印（之后用 queue printed 或 queue void）")
    p = cmd("checkin", "预约签到取号（预约码或身份证号码）", _checkin)
    p.add_argument("--code", required=True, metavar="CODE_OR_ID")
    p = cmd("printed", "确认号票已打印", _printed)
    p.add_argument("--ticket", required=True, metavar="CODE", help="号票号码，如 A012")
    p = cmd("void", "作废未叫的号票", _void)
    p.add_argument("--ticket", required=True, metavar="CODE")
    p.add_argument("--reason", default="人工作废")
    p = cmd("call", "叫号：本窗口的下一个号（无号可叫时退出码 3）", _call, window=True)
    p.add_argument("--ticket", metavar="CODE", help="指定叫某个号（如回来的过号）")
    p.add_argument("--reason", default="", help="指定叫号的原因（跳过前面等候的号时必填）")
    p.add_argument("--request-id", metavar="ID", help="请求编号；重复同一编号不会再叫新号")
    cmd("waiting", "本窗口可叫的号，按叫号顺序（第一个即下一个）", _waiting, window=True)
    cmd("recall", "重呼当前号（次数上限见设置 queue.recall_max）", _recall, window=True)
    cmd("skip", "过号（去向见设置 queue.skip_to / skip_requeue_behind / skip_requeue_times）", _skip, window=True)
    cmd("start", "开始办理当前号", _start, window=True)
    p = cmd("finish", "办结当前号", _finish, window=True)
    p.add_argument("--ticket", metavar="CODE", help="指定号票（须由本窗口持有）")
    p = cmd("transfer", "转窗：把当前号转给其他窗口或业务类别", _transfer, window=True)
    p.add_argument("--to-window", type=_window, metavar="N")
    p.add_argument("--to-category", metavar="C")
    p = cmd("pause", "暂停本窗口叫号", _pause, window=True)
    p.add_argument("--reason", required=True, help="暂停原因，大厅屏会显示")
    cmd("resume", "恢复本窗口叫号", _resume, window=True)
    p = cmd("list", "列出某天的全部号票及状态与时间", _list)
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="默认今天")
    p = cmd("stats", "某天各业务类别的等候与办理时间", _stats)
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="默认今天")
    cmd("board", "大厅屏当前内容", _board)
    p = sub.add_parser("appointment", help="预约：登记、取消、导入、当天名单、未到处理",
                       description="预约：登记、取消、导入、当天名单、未到处理")
    appt = p.add_subparsers(dest="appointment_command", required=True)

    def acmd(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        a = appt.add_parser(name, help=help_text, description=help_text)
        a.add_argument("--hall", metavar="CODE", help="大厅编码（默认取设置 hall.code）")
        a.set_defaults(handler=handler)
        return a

    a = acmd("book", "登记一个预约（窗口或电话预约）", _appt_book)
    a.add_argument("--category", required=True, metavar="C")
    a.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="默认今天")
    a.add_argument("--start", required=True, type=_time, metavar="HH:MM", help="时段开始，如 10:00")
    a.add_argument("--name", default="")
    a.add_argument("--id-no", default="", metavar="ID")
    a.add_argument("--phone", default="")
    a.add_argument("--matter", default="", metavar="CODE", help="事项编码")
    a.add_argument("--source", default="counter", choices=("counter", "phone"), help="counter 窗口 / phone 电话")
    a = acmd("cancel", "取消预约（释放名额）", _appt_cancel)
    a.add_argument("--code", required=True)
    a = acmd("list", "某天的预约名单", _appt_list)
    a.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="默认今天")
    a = acmd("slots", "某天某类业务各时段余量", _appt_slots)
    a.add_argument("--category", required=True, metavar="C")
    a.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="默认今天")
    a = acmd("import", "导入预约系统的 CSV 或 JSON（按预约码去重）", _appt_import)
    a.add_argument("file", type=Path, help=".csv（列见 docs/queue.md）或 .json")
    acmd("sweep", "把时段结束超过 queue.appointment_noshow_minutes 仍未签到的预约记为未到", _appt_sweep)


def _window(text: str) -> int:
    from app.queue.common import check_window_number

    try:
        return check_window_number(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，得到 {text!r}") from None


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间格式应为 HH:MM，得到 {text!r}") from None


def _ticket_out(args: argparse.Namespace, c: HallCommand, t: object, text: str) -> int:
    if args.json:
        print_json(t.to_json(c.clock))  # type: ignore[attr-defined]
    else:
        print(text)
    return 0


def _issue(args: argparse.Namespace) -> int:
    from app import queue as q
    from app.queue import priority as pr

    c = HallCommand(args)
    qs = c.settings.queue
    t, green = pr.issue_green(c.store, hall_code=c.hall, category=args.category, kind=args.priority,
                              id_no=args.id_no, rules=pr.hall_rules(qs), daily_reset=qs.daily_reset, clock=c.clock)
    if not args.pending:
        t = q.confirm_printed(c.store, t.id, clock=c.clock)
    extra = f"（{green.text}）" if green.kind else ""
    return _ticket_out(args, c, t, f"已取号 {t.code}{extra}，状态：{t.state_label}")


def _checkin(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    qs = c.settings.queue
    t = q.check_in(c.store, hall_code=c.hall, code_or_id=args.code, early_minutes=qs.checkin_early_minutes,
                   late_minutes=qs.checkin_late_minutes, daily_reset=qs.daily_reset, clock=c.clock)
    t = q.confirm_printed(c.store, t.id, clock=c.clock)
    return _ticket_out(args, c, t, f"预约签到成功，号票 {t.code}")


def _by_code(c: HallCommand, code: str) -> int:
    from app import queue as q

    with c.store.read() as s:
        return q.find_ticket(s, hall_code=c.hall, code=code, service_date=c.clock.today()).id


def _printed(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.confirm_printed(c.store, _by_code(c, args.ticket), clock=c.clock)
    return _ticket_out(args, c, t, f"{t.code} 已确认打印，进入排队")


def _void(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.void_ticket(c.store, _by_code(c, args.ticket), reason=args.reason, clock=c.clock)
    return _ticket_out(args, c, t, f"{t.code} 已作废")


def _call(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    rid = args.request_id or f"cli-{uuid.uuid4()}"
    if args.ticket:
        t = q.call_ticket(c.store, hall_code=c.hall, window_number=args.window, code=args.ticket, request_id=rid,
                          reason=args.reason, priority_every=c.settings.queue.priority_every, clock=c.clock)
    else:
        t = q.call_next(c.store, hall_code=c.hall, window_number=args.window, request_id=rid,
                        priority_every=c.settings.queue.priority_every, clock=c.clock)
    return _ticket_out(args, c, t, f"请 {t.code} 号到 {args.window} 号窗口办理")


def _recall(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.recall(c.store, hall_code=c.hall, window_number=args.window, max_recalls=c.settings.queue.recall_max,
                 clock=c.clock)
    return _ticket_out(args, c, t, f"重呼 {t.code}（第 {t.recall_count} 次）")


def _skip(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    qs = c.settings.queue
    t = q.skip(c.store, hall_code=c.hall, window_number=args.window, requeue_behind=qs.skip_requeue_behind,
               to=qs.skip_to, requeue_times=qs.skip_requeue_times, clock=c.clock)
    text = f"{t.code} 过号，已排回队列" if t.state == "waiting" else f"{t.code} 过号，已作过号处理"
    return _ticket_out(args, c, t, text)


def _start(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.start_service(c.store, hall_code=c.hall, window_number=args.window, clock=c.clock)
    return _ticket_out(args, c, t, f"{t.code} 开始办理")


def _finish(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.finish(c.store, hall_code=c.hall, window_number=args.window, code=args.ticket, clock=c.clock)
    return _ticket_out(args, c, t, f"{t.code} 已办结")


def _transfer(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    t = q.transfer(c.store, hall_code=c.hall, window_number=args.window, to_window=args.to_window,
                   to_category=args.to_category, clock=c.clock)
    where = f"{t.window_number} 号窗口" if t.window_number else f"{t.category} 类业务"
    return _ticket_out(args, c, t, f"{t.code} 已转至 {where}，保留原排队顺序")


def _window_out(args: argparse.Namespace, c: HallCommand, w: object, text: str) -> int:
    from dataclasses import asdict

    if args.json:
        data = asdict(w)  # type: ignore[call-overload]
        data["current"] = w.current.to_json(c.clock) if w.current else None  # type: ignore[attr-defined]
        print_json(data)
    else:
        print(text)
    return 0


def _pause(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    w = q.pause_window(c.store, hall_code=c.hall, window_number=args.window, reason=args.reason, actor="cli",
                       clock=c.clock)
    return _window_out(args, c, w, f"{w.number} 号窗口已暂停：{w.pause_reason}")


def _resume(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    w = q.resume_window(c.store, hall_code=c.hall, window_number=args.window, actor="cli", clock=c.clock)
    return _window_out(args, c, w, f"{w.number} 号窗口已恢复叫号")


def _hm(c: HallCommand, value: dt.datetime | None) -> str:
    return c.clock.local(value).strftime("%H:%M:%S") if value else "—"


def _list(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    day = args.date or c.clock.today()
    with c.store.read() as s:
        tickets = q.list_tickets(s, hall_code=c.hall, service_date=day)
    if args.json:
        print_json({"hall": c.hall, "date": day.isoformat(), "tickets": [t.to_json(c.clock) for t in tickets]})
        return 0
    print(f"{day.isoformat()} 共 {len(tickets)} 张号票")
    print("号票    状态    窗口  取号      叫号      开始      办结")
    for t in tickets:
        window = str(t.window_number or "—")
        print(f"{t.code:<7} {t.state_label:<5} {window:>4}  {_hm(c, t.issued_at)}  {_hm(c, t.called_at)}  "
              f"{_hm(c, t.started_at)}  {_hm(c, t.finished_at)}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from app import queue as q

    c = HallCommand(args)
    day = args.date or c.clock.today()
    with c.store.read() as s:
        rows = q.category_stats(s, hall_code=c.hall, service_date=day)
    if args.json:
        print_json({"hall": c.hall, "date": day.isoformat(), "categories": [asdict(r) for r in rows]})
        return 0

    def minutes(v: float | None) -> str:
        return f"{v / 60:.1f}" if v is not None else "—"

    print(f"{day.isoformat()} 类别  取号  办结  过号  平均等候(分)  90%等候(分)  平均办理(分)")
    for r in rows:
        print(f"{'':10} {r.category:<4} {r.issued:>4}  {r.served:>4}  {r.skipped:>4}  {minutes(r.avg_wait_s):>12}"
              f"  {minutes(r.p90_wait_s):>11}  {minutes(r.avg_service_s):>12}")
    return 0


def _board(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from app import queue as q

    c = HallCommand(args)
    with c.store.read() as s:
        b = q.hall_board(s, c.hall, clock=c.clock)
    if args.json:
        print_json(asdict(b))
        return 0
    print(f"{b.hall_name}  等候 {b.total_waiting} 人")
    for w in b.windows:
        now = f"暂停：{w.pause_reason}" if w.paused else (w.code or "空闲")
        print(f"{w.number:>3} 号窗口 {w.name:<10} {now}")
    return 0


def _waiting(args: argparse.Namespace) -> int:
    from app import queue as q

    c = HallCommand(args)
    with c.store.read() as s:
        rows = q.waiting_list(s, hall_code=c.hall, window_number=args.window,
                              priority_every=c.settings.queue.priority_every, clock=c.clock)
    if args.json:
        print_json({"window": args.window, "tickets": [t.to_json(c.clock) for t in rows]})
        return 0
    print(f"{args.window} 号窗口可叫 {len(rows)} 个号（按叫号顺序）")
    for t in rows:
        lane = "预约" if t.appointment_id else (t.green_label or "")
        print(f"{t.code:<7} {_hm(c, t.queued_at)}  {lane}")
    return 0


def _appt_settings(c: HallCommand) -> tuple[str, int]:
    qs = c.settings.queue
    return qs.appointment_capacity, qs.appointment_slot_minutes


def _appt_book(args: argparse.Namespace) -> int:
    from app.queue import appointments as ap

    c = HallCommand(args)
    capacity, minutes = _appt_settings(c)
    a = ap.book(c.store, ap.Booking(category=args.category, day=args.date or c.clock.today(), start=args.start,
                                    name=args.name, id_no=args.id_no, phone=args.phone, matter_code=args.matter),
                hall_code=c.hall, capacity=capacity, slot_minutes=minutes, source=args.source, actor="cli",
                clock=c.clock)
    if args.json:
        print_json(a.to_json(c.clock))
    else:
        print(f"已预约 {a.code}：{a.service_date.isoformat()} {a.slot_label(c.clock)} {a.category} 类业务")
    return 0


def _appt_cancel(args: argparse.Namespace) -> int:
    from app.queue import appointments as ap

    c = HallCommand(args)
    a = ap.cancel(c.store, hall_code=c.hall, code=args.code, clock=c.clock)
    print_json(a.to_json(c.clock)) if args.json else print(f"预约 {a.code} 已取消，名额已释放")
    return 0


def _appt_list(args: argparse.Namespace) -> int:
    from app.queue import appointments as ap

    c = HallCommand(args)
    day = args.date or c.clock.today()
    with c.store.read() as s:
        rows = ap.list_day(s, hall_code=c.hall, day=day)
    if args.json:
        print_json({"hall": c.hall, "date": day.isoformat(), "appointments": [a.to_json(c.clock) for a in rows]})
        return 0
    print(f"{day.isoformat()} 共 {len(rows)} 个预约")
    for a in rows:
        print(f"{a.slot_label(c.clock)}  {a.code:<12} {a.category}  {a.masked_name or '—':<6} {a.state_label:<10}"
              f" {a.ticket_code or '—':<6} {a.source_label}")
    return 0


def _appt_slots(args: argparse.Namespace) -> int:
    from app.queue import appointments as ap

    c = HallCommand(args)
    capacity, minutes = _appt_settings(c)
    day = args.date or c.clock.today()
    with c.store.read() as s:
        rows = ap.slots_for(s, hall_code=c.hall, day=day, category=args.category,
                            hours=c.settings.queue.appointment_hours, slot_minutes=minutes, capacity=capacity,
                            clock=c.clock)
    if args.json:
        print_json([{"start": f"{x.start:%H:%M}", "end": f"{x.end:%H:%M}", "booked": x.booked,
                     "capacity": x.capacity} for x in rows])
        return 0
    for x in rows:
        print(x.label)
    return 0


def _appt_import(args: argparse.Namespace) -> int:
    import json

    from app.queue import appointments as ap

    c = HallCommand(args)
    capacity, minutes = _appt_settings(c)
    path: Path = args.file
    if path.suffix.lower() == ".json":
        try:
            payload = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"无法读取预约 JSON 文件 {path}：{exc}", field="file") from None
        res = ap.import_json(c.store, payload, hall_code=c.hall, capacity=capacity, slot_minutes=minutes,
                             actor=path.name, clock=c.clock)
    else:
        res = ap.import_csv(c.store, path, hall_code=c.hall, capacity=capacity, slot_minutes=minutes, clock=c.clock)
    if args.json:
        print_json({"added": res.added, "already": res.already,
                    "refused": [{"line": n, "reason": r} for n, r in res.refused]})
    else:
        print(f"导入 {len(res.added)} 个预约，已有 {len(res.already)} 个未重复导入，拒收 {len(res.refused)} 行")
        for n, r in res.refused:
            print(f"  第 {n} 行：{r}")
    return 0 if not res.refused else 2


def _appt_sweep(args: argparse.Namespace) -> int:
    from app.queue import appointments as ap

    c = HallCommand(args)
    codes = ap.sweep_missed(c.store, hall_code=c.hall, noshow_minutes=c.settings.queue.appointment_noshow_minutes,
                            clock=c.clock)
    print_json({"missed": codes}) if args.json else print(f"{len(codes)} 个预约记为未到：{'、'.join(codes) or '无'}")
    return 0
