"""``python -m app case show|list|import|flag-overdue|sweep|extend|stop|resume``: cases for admins and scripts."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.errors import NotFound, ValidationError
from console import hall_from, print_json, settings_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")

    show = sub.add_parser("show", help="查看一个办件：材料、受理结论、状态与经过")
    show.add_argument("case_no", help="受理编号（可带空格）")
    show.set_defaults(handler=_show)

    listing = sub.add_parser("list", help="列出办件")
    listing.add_argument("--date", help="受理日期 YYYY-MM-DD（大厅当地日期）")
    listing.add_argument("--state", help="状态，如 accepted、awaiting_correction（收件-待补正）、awaiting_supplement、refused_at_counter")
    listing.add_argument("--limit", type=int, default=500)
    listing.set_defaults(handler=_list)

    imp = sub.add_parser("import", help="补录：从 CSV 导入纸质受理的办件（列见 docs/case-import.md）")
    imp.add_argument("file", help="CSV 文件（UTF-8 或 GB18030 编码）")
    imp.add_argument("--hall", help="大厅编码，默认取设置 hall.code")
    imp.set_defaults(handler=_import)

    flag = sub.add_parser("flag-overdue", help="标记容缺材料逾期未补交的办件")
    flag.add_argument("--today", help="按此日期判断（默认今天）")
    flag.set_defaults(handler=_flag)

    sweep = sub.add_parser("sweep", help="当日检查：标记容缺逾期；收件审查超过 5 个工作日未告知补正的，依法视为自收件之日起受理")
    sweep.set_defaults(handler=_sweep)

    from app.cases.deadlines import MAX_EXTENSION_WORKDAYS
    from app.cases.time_rules import SECTION45_STOPS
    from app.vocabulary import CLOCK_STOP_LABELS

    extend = sub.add_parser("extend", help="延长办理期限（行政许可法第四十二条，须大厅负责人批准，一次为限）")
    extend.add_argument("case_no", help="受理编号（可带空格）")
    extend.add_argument("--days", type=int, default=MAX_EXTENSION_WORKDAYS,
                        help=f"延长的工作日数（1–{MAX_EXTENSION_WORKDAYS}，默认 {MAX_EXTENSION_WORKDAYS}）")
    extend.add_argument("--approved-by", required=True, metavar="USERNAME",
                        help="批准延期的大厅负责人的登录名（角色 supervisor）")
    extend.add_argument("--reason", required=True, help="延期理由（写入延期告知书）")
    extend.set_defaults(handler=_extend)

    kinds = "、".join(f"{k}（{CLOCK_STOP_LABELS[k]}）" for k in SECTION45_STOPS)
    stop = sub.add_parser("stop", help="暂停计时：第四十五条听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审期间不计入期限")
    stop.add_argument("case_no", help="受理编号（可带空格）")
    stop.add_argument("--kind", required=True, help=f"不计时的情形：{kinds}")
    stop.add_argument("--note", default="", help="说明，如 检测机构、报告编号")
    stop.set_defaults(handler=_stop)

    resume = sub.add_parser("resume", help="恢复计时（第四十五条的程序结束，或后台退回的补正已收到）")
    resume.add_argument("case_no", help="受理编号（可带空格）")
    resume.add_argument("--note", default="")
    resume.set_defaults(handler=_resume)


def optional_date(text: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD option's date (None when not given); a clear error naming ``field`` otherwise."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"日期 {text!r} 格式应为 YYYY-MM-DD", field=field) from None


def _show(args: argparse.Namespace) -> int:
    from app.case_no import normalize_case_no
    from app.cases.views import find_case
    from app.store import open_store

    case_no = normalize_case_no(args.case_no)
    settings = settings_from(args)
    clock = settings.hall_clock()
    store = open_store(settings.db_url, key_file=settings.key_file)
    with store.read() as session:
        view = find_case(session, case_no.text)
    if view is None:
        legacy = "（按旧式 18 位编号查询）" if case_no.form == "legacy" else ""
        raise NotFound(f"没有受理编号为 {case_no.spoken} 的办件{legacy}", field="case_no")
    if args.json:
        print_json(view.to_json())
        return 0
    s = view.summary
    lines = [
        f"受理编号  {case_no.spoken}" + ("（旧式 18 位）" if case_no.form == "legacy" else ""),
        f"事项      {s.matter_name}（{s.matter_code}）  {s.department}",
        f"申请人    {s.applicant_name}  {s.applicant_id_no}",
        f"受理结论  {s.decision_label}    状态：{s.state_label}" + ("    ⚠ 补正逾期" if s.flagged else ""),
        f"受理时间  {clock.local(s.accepted_at):%Y-%m-%d %H:%M}"
        f"  窗口 {s.window_number}",
    ]
    if s.promised_due:
        lines.append(f"承诺办结  {s.promised_due}    法定办结 {s.legal_due}")
    if s.supplement_due:
        lines.append(f"补正期限  {s.supplement_due}")
    if view.proxy:
        lines.append(f"代办人    {view.proxy.get('name', '')}  {view.proxy.get('id_no', '')}")
    lines.append("材料：")
    lines += [f"  {'★' if m.core else ' '} {m.name:<20} {m.state_label}" for m in view.materials]
    if view.reasons:
        lines.append("理由：")
        lines += [f"  {r}" for r in view.reasons]
    if view.notice:
        lines.append("一次性告知（仍需提交）：")
        lines += [f"  {n['name']}（{n['form']} {n['copies']} 份）：{n['reason']}" for n in view.notice]
    lines.append("经过：")
    from app.cases.lifecycle import EVENT_LABELS, state_label

    for e in view.history:
        local = clock.local(e.at)
        lines.append(f"  {local:%Y-%m-%d %H:%M}  {EVENT_LABELS.get(e.kind, e.kind):<8} → {state_label(e.to_state) if e.to_state else '':<10} {e.actor}")
    print("\n".join(lines))
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.cases.lifecycle import states_in
    from app.cases.views import list_cases
    from app.store import open_store

    day = optional_date(args.date, "date")
    state = states_in([args.state])[0] if args.state else None
    settings = settings_from(args)
    store = open_store(settings.db_url, key_file=settings.key_file)
    with store.read() as session:
        rows = list_cases(session, day=day, state=state, limit=args.limit)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    if not rows:
        print("没有符合条件的办件")
        return 0
    for r in rows:
        print(f"{r.case_no}  {r.decision_label:<5} {r.state_label:<8} {r.applicant_name:<8} {r.matter_name}")
    print(f"共 {len(rows)} 件")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.cases.import_csv import import_cases
    from app.checklist import OUTCOME_LABELS, policy_of
    from app.store import open_store

    settings = settings_from(args)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取文件 {path}：{exc.strerror}", field="file") from None
    store = open_store(settings.db_url, key_file=settings.key_file)
    policy = policy_of(settings.counter)
    report = import_cases(store, data, hall_code=hall_from(args, settings, store), files_dir=settings.files_dir,
                          name=path.name, clock=settings.hall_clock(), policy=policy)
    if args.json:
        print_json(report.to_json())
    else:
        for row in report.rows:
            if row.ok:
                due = f"  承诺办结 {row.promised_due}" if row.promised_due else ""
                supp = f"  补正期限 {row.supplement_due}" if row.supplement_due else ""
                again = "（此前已导入）" if row.replayed else ""
                print(f"第 {row.row} 行：{row.case_no}  {OUTCOME_LABELS.get(row.decision, row.decision)}{due}{supp}{again}")
            else:
                print(f"错误：{row.issue}")
        print(f"导入完成：成功 {report.accepted} 行，失败 {report.failed} 行")
    return 1 if report.failed else 0


def _flag(args: argparse.Namespace) -> int:
    from app.cases.lifecycle import flag_overdue
    from app.store import open_store

    settings = settings_from(args)
    clock = settings.hall_clock()
    today = optional_date(args.today, "today") or clock.today()
    store = open_store(settings.db_url, key_file=settings.key_file)
    with store.write() as session:
        flagged = flag_overdue(session, today, at=clock.now())
    if args.json:
        print_json({"today": today.isoformat(), "flagged": flagged})
    else:
        print(f"新标记补正逾期 {len(flagged)} 件" + ("：" + "、".join(flagged) if flagged else ""))
    return 0


def _clock_step(args: argparse.Namespace, step: str) -> int:
    """One §42/§45 step on a case, in a transaction of its own, stamped at the hall clock; prints the new dates."""
    from app.case_no import normalize_case_no
    from app.cases import time_rules
    from app.staff import Actor
    from app.store import open_store
    from app.workdays import default_calendar

    settings = settings_from(args)
    clock = settings.hall_clock()
    store = open_store(settings.db_url, key_file=settings.key_file)
    case_no = normalize_case_no(args.case_no).text
    actor = Actor.local_operator(settings.hall.code).name
    calendar = default_calendar(settings.data_dir)
    at = clock.now()
    common = {"case_no": case_no, "actor": actor, "at": at, "today": clock.day_of(at), "calendar": calendar}
    with store.write() as session:
        if step == "extend":
            found = time_rules.extend_case(session, days=args.days, approver=args.approved_by, reason=args.reason,
                                           **common)
        elif step == "stop":
            found = time_rules.stop_clock(session, stop=args.kind.strip(), note=args.note, **common)
        else:
            found = time_rules.resume_clock(session, note=args.note, **common)
    if args.json:
        print_json({"case_no": case_no, "promised_due": found.promised_due, "legal_due": found.legal_due,
                    "extended_days": found.extended_days, "paused": found.paused is not None,
                    "notes": found.notes()})
        return 0
    done = {"extend": "已延长办理期限", "stop": "已暂停计时", "resume": "已恢复计时"}[step]
    print(f"{done}：{case_no}    承诺办结 {found.promised_due or '—'}    法定办结 {found.legal_due or '—'}")
    for note in found.notes():
        print(f"  {note}")
    if step == "extend":
        print(f"请打印延期告知书交申请人：python -m app print extension-notice --case {case_no} --pdf 延期告知书.pdf")
    return 0


def _extend(args: argparse.Namespace) -> int:
    return _clock_step(args, "extend")


def _stop(args: argparse.Namespace) -> int:
    return _clock_step(args, "stop")


def _resume(args: argparse.Namespace) -> int:
    return _clock_step(args, "resume")


def _sweep(args: argparse.Namespace) -> int:
    """The hall day's sweep the counter runs at start and when the day turns (app.cases.review.sweep_day)."""
    from app.cases.review import sweep_day
    from app.checklist import policy_of
    from app.store import open_store
    from app.workdays import default_calendar

    settings = settings_from(args)
    policy = policy_of(settings.counter)
    swept = sweep_day(open_store(settings.db_url, key_file=settings.key_file), clock=settings.hall_clock(),
                      calendar=default_calendar(settings.data_dir), policy=policy)
    if args.json:
        print_json(swept)
        return 0
    print(f"新标记容缺逾期 {len(swept['flagged'])} 件" + ("：" + "、".join(swept["flagged"]) if swept["flagged"] else ""))
    print(f"收件审查逾期未告知补正、依法视为受理 {len(swept['deemed'])} 件"
          + ("：" + "、".join(swept["deemed"]) if swept["deemed"] else ""))
    return 0
