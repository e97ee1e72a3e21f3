"""``python -m sync.server``: run the county hub, or administer it (devices, cases, results, publications).

  python -m sync.server --db URL --files DIR [--host H] [--port P] [--workers N] [--certfile F --keyfile F]
  python -m sync.server device enroll --hall CODE [--name NAME] [--hours H] --db URL
  python -m sync.server device add NAME [--hall CODE] --db URL
  python -m sync.server device bind NAME --hall CODE --db URL
  python -m sync.server cases [--json] --db URL [--files DIR]
  python -m sync.server case set-result CASE_NO approved|refused [--note TEXT] --db URL
  python -m sync.server case return CASE_NO --item TEXT [--item TEXT …] [--note TEXT] [--day D] --db URL
  python -m sync.server case accept-collected CASE_NO [--day YYYY-MM-DD] --db URL
  python -m sync.server publish catalog|calendar|excluded FILE... --db URL
  python -m sync.server sweep [--days N] --db URL --files DIR
  python -m sync.server audit anchors [--device NAME] [--json] --db URL
  python -m sync.server openapi [--check]     # docs/hub-openapi.json from the code
  python -m sync.server key rotate [--json] --db URL         (the key file: ZC_HUB_KEY_FILE)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.clock import DEFAULT_TIMEZONE, hall_zone
from app.errors import CounterError

DEFAULT_DB = "sqlite:///hub.db"


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    default = DEFAULT_DB if top else argparse.SUPPRESS
    parser.add_argument("--db", metavar="URL", default=default, help="枢纽数据库（postgresql://… 或 sqlite:///…）")
    parser.add_argument("--files", metavar="DIR", default="hub-files" if top else argparse.SUPPRESS,
                        help="上传文件存放处：本地目录（默认 hub-files），或对象存储 s3://桶名/前缀")
    parser.add_argument("--s3-endpoint", metavar="URL", default=None if top else argparse.SUPPRESS,
                        help="S3 兼容对象存储的地址（MinIO、Ceph RGW、OSS；凭据取自 AWS_ACCESS_KEY_ID 等环境变量）")


def _iso_date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，得到 {text!r}") from None


def _zone(text: str) -> Any:
    try:
        return hall_zone(text)
    except CounterError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sync.server", description="县级枢纽：接收办件、回传审批结果。")
    _common(parser, top=True)
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；对外服务用 0.0.0.0）")
    parser.add_argument("--port", type=int, default=8765, help="监听端口（默认 8765）")
    parser.add_argument("--certfile", help="TLS 证书（PEM）；与 --keyfile 一起启用 HTTPS")
    parser.add_argument("--keyfile", help="TLS 私钥（PEM）")
    parser.add_argument("--allow-plain-http", action="store_true",
                        help="不用 TLS 也在非本机地址上监听（只用于前面有 HTTPS 反向代理的情形）")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="工作进程数（默认 1；大于 1 时需要 PostgreSQL）")
    parser.add_argument("--upload-quota-mb", type=int, default=0, metavar="MB",
                        help="每台设备尚未归入办件的上传总量上限（默认 2048 MB）；超出时新上传得到 429")
    sub = parser.add_subparsers(dest="command")

    device = sub.add_parser("device", help="登记或列出设备").add_subparsers(dest="device_command", required=True)
    enroll = device.add_parser("enroll", help="生成一次性注册码：窗口用 python -m app sync enroll 换取设备凭据")
    enroll.add_argument("--hall", required=True, metavar="CODE", help="该窗口所属大厅的编码（设备将绑定到此大厅）")
    enroll.add_argument("--name", default="", help="设备名称（不给则用窗口注册时报的名称）")
    enroll.add_argument("--hours", type=float, default=72.0, metavar="H", help="注册码有效期（小时，默认 72）")
    enroll.add_argument("--json", action="store_true")
    _common(enroll)
    add = device.add_parser("add", help="登记设备并打印其令牌（只显示一次）")
    add.add_argument("name")
    add.add_argument("--hall", default="", metavar="CODE",
                     help="设备所属大厅编码：只接收该大厅的办件（不给则以其第一件被接收的办件的大厅为准）")
    _common(add)
    add.add_argument("--json", action="store_true")
    bind = device.add_parser("bind", help="把设备绑定到（或改到）某个大厅：此后只接收该大厅的办件")
    bind.add_argument("name")
    bind.add_argument("--hall", required=True, metavar="CODE")
    _common(bind)
    dis = device.add_parser("disable", aliases=["revoke"], help="停用（吊销）设备：令牌立即失效，下一个请求即被拒绝")
    dis.add_argument("name")
    _common(dis)
    lst = device.add_parser("list", help="列出设备")
    _common(lst)
    lst.add_argument("--json", action="store_true")

    cases = sub.add_parser("cases", help="列出收到的办件及其文件的 SHA-256")
    _common(cases)
    cases.add_argument("--json", action="store_true")

    case = sub.add_parser("case", help="办件后台操作").add_subparsers(dest="case_command", required=True)
    result = case.add_parser("set-result", help="登记审批结果，经变更流回传给窗口")
    result.add_argument("case_no")
    result.add_argument("result", choices=["approved", "refused"])
    result.add_argument("--note", default="")
    _common(result)
    ret = case.add_parser("return", help="后台退回补正（每件一次）：窗口暂停计时并列入待办")
    ret.add_argument("case_no")
    ret.add_argument("--item", action="append", default=[], metavar="TEXT",
                     help="需要补正的材料或内容（可多次给出）")
    ret.add_argument("--note", default="", help="补正意见")
    ret.add_argument("--day", type=_iso_date, metavar="YYYY-MM-DD", help="暂停计时自哪一天起（默认今天）")
    ret.add_argument("--timezone", default=DEFAULT_TIMEZONE, type=_zone, metavar="ZONE",
                     help=f"按哪个时区确定“今天”（默认 {DEFAULT_TIMEZONE}）")
    _common(ret)
    collected = case.add_parser("accept-collected", help="受理机关受理苏木乡镇/嘎查村代收的办件，办结时限自受理日起算")
    collected.add_argument("case_no")
    collected.add_argument("--day", type=_iso_date, metavar="YYYY-MM-DD", help="受理日期（默认今天，北京时间）")
    _common(collected)

    report = sub.add_parser("report", help="全县统计（汇总各点上报的办件）").add_subparsers(
        dest="report_command", required=True)
    daily = report.add_parser("daily", help="某天或某段时间各大厅的办件数、受理结果与按时办结率")
    daily.add_argument("--date", required=True, type=_iso_date, metavar="YYYY-MM-DD")
    daily.add_argument("--to", type=_iso_date, metavar="YYYY-MM-DD")
    daily.add_argument("--timezone", default=DEFAULT_TIMEZONE, type=_zone, metavar="ZONE",
                       help=f"按哪个时区划分日期（默认 {DEFAULT_TIMEZONE}）")
    daily.add_argument("--json", action="store_true")
    _common(daily)

    sweep = sub.add_parser("sweep", help="清理没有办件引用、且超过保留期的上传（及无记录的残留文件）")
    sweep.add_argument("--days", type=int, default=7, metavar="N", help="保留期（天，默认 7）")
    sweep.add_argument("--json", action="store_true")
    _common(sweep)

    audit = sub.add_parser("audit", help="各窗口审计链的锚点").add_subparsers(dest="audit_command", required=True)
    anchors = audit.add_parser("anchors", help="列出窗口发来的审计链锚点（第 N 条记录的哈希），用于核对窗口的审计记录")
    anchors.add_argument("--device", metavar="NAME")
    anchors.add_argument("--json", action="store_true")
    _common(anchors)

    spec = sub.add_parser("openapi", help="由代码生成 docs/hub-openapi.json（--check：只核对是否一致）")
    spec.add_argument("--check", action="store_true", help="不写文件：与代码不一致时返回 1")
    spec.add_argument("--out", type=Path, default=None, metavar="FILE", help="写到别处（默认 docs/hub-openapi.json）")
    key = sub.add_parser("key", help="枢纽数据密钥").add_subparsers(dest="key_command", required=True)
    rotate = key.add_parser("rotate", help="换一把新的枢纽数据密钥并重新加密（先停止枢纽服务；旧密钥保留以打开旧备份）")
    rotate.add_argument("--json", action="store_true")
    _common(rotate)

    pub = sub.add_parser("publish", help="发布事项目录、工作日历或失信名单更新")
    pub.add_argument("what", choices=["catalog", "calendar", "excluded"])
    pub.add_argument("files", nargs="+", metavar="FILE", type=Path)
    pub.add_argument("--version", default="", help="目录版本（catalog）")
    _common(pub)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.hub_client import LOOPBACK_HOSTS
    from sync.server.app import build_app
    from sync.server.filestore import open_file_store
    from sync.server.hubdb import open_hub_store

    if bool(args.certfile) != bool(args.keyfile):
        raise CounterError("--certfile 与 --keyfile 必须同时给出")
    if not args.certfile and not args.allow_plain_http and args.host not in LOOPBACK_HOSTS:
        raise CounterError(
            f"不能在 {args.host} 上以明文 HTTP 提供服务：办件与证件照片会明文经过网络。请用本大厅 CA 签发的证书"
            "（--certfile 与 --keyfile），或只在前面有 HTTPS 反向代理时加 --allow-plain-http")
    if not 1 <= args.workers <= 64:
        raise CounterError(f"--workers 应为 1～64，得到 {args.workers}")
    store = open_hub_store(args.db)  # checked and migrated once, before any worker starts
    quota = args.upload_quota_mb * 1024 * 1024 if args.upload_quota_mb > 0 else None
    if args.workers > 1 and store.is_sqlite:
        store.dispose()
        raise CounterError(
            f"SQLite 枢纽只能以单个工作进程运行（得到 --workers {args.workers}）：SQLite 同一时刻只允许一个写入者，"
            "多个进程会互相等待写锁直至超时，上传也失去进程内的顺序保证。乡镇枢纽请用 --workers 1；"
            "需要多个工作进程时请改用 PostgreSQL（--db postgresql://用户@主机/库名）")
    ssl: dict[str, Any] = {"ssl_certfile": args.certfile, "ssl_keyfile": args.keyfile} if args.certfile else {}
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": "warning",
                               "timeout_keep_alive": 30, **ssl}
    if args.workers == 1:
        files = open_file_store(args.files, endpoint_url=args.s3_endpoint)
        app = build_app(store, files, **({"upload_quota": quota} if quota else {}))
        uvicorn.run(app, **options)
        return 0
    import os

    from sync.server.asgi import worker_environment

    store.dispose()
    os.environ.update(worker_environment(store.url, args.files, quota, args.s3_endpoint))
    uvicorn.run("sync.server.asgi:create_app", factory=True, workers=args.workers, **options)
    return 0


def _admin(args: argparse.Namespace) -> int:
    from sync.server import publish, service
    from sync.server.filestore import open_file_store
    from sync.server.hubdb import open_hub_store

    store = open_hub_store(args.db)
    try:
        if args.command == "device" and args.device_command == "add":
            with store.write() as session:
                token = service.add_device(session, args.name, args.hall)
            if args.json:
                print(json.dumps({"name": args.name, "hall_code": args.hall, "token": token}, ensure_ascii=False))
            else:
                print(token)
            return 0
        if args.command == "device" and args.device_command == "bind":
            with store.write() as session:
                service.bind_device(session, args.name, args.hall)
            print(f"设备 {args.name} 已绑定大厅 {args.hall.strip()}：此后只接收该大厅的办件")
            return 0
        if args.command == "device" and args.device_command == "enroll":
            import datetime as dt

            with store.write() as session:
                code = service.create_enrolment(session, args.hall, name=args.name,
                                                valid=dt.timedelta(hours=args.hours))
            if args.json:
                print(json.dumps({"code": code, "hall_code": args.hall.strip(), "hours": args.hours},
                                 ensure_ascii=False))
            else:
                print(code)
                sys.stderr.write(f"一次性注册码（大厅 {args.hall.strip()}，{args.hours:g} 小时内有效，只能用一次）。"
                                 "在窗口电脑上执行：python -m app sync enroll 枢纽地址 注册码\n")
            return 0
        if args.command == "device" and args.device_command in ("disable", "revoke"):
            with store.write() as session:
                service.disable_device(session, args.name)
            print(f"已停用设备：{args.name}")
            return 0
        if args.command == "device":
            with store.read() as session:
                rows = service.list_devices(session)
            print(json.dumps(rows, ensure_ascii=False) if args.json else
                  "\n".join(f"{r['id']}\t{r['name']}\t{r['hall_code'] or '（未绑定大厅）'}\t"
                            f"{'启用' if r['active'] else '停用'}" for r in rows))
            return 0
        if args.command == "cases":
            with store.read() as session:
                rows = service.list_cases(session, open_file_store(args.files, endpoint_url=args.s3_endpoint))
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            else:
                for r in rows:
                    print(f"{r['case_no']}\t{r['matter_name']}\t{r['state']}\t{r['result'] or '-'}\t"
                          f"{len(r['files'])} 个文件")
                print(f"共 {len(rows)} 件")
            return 0
        if args.command == "report":
            from sync.server.report import hub_daily_report

            with store.read() as session:
                data = hub_daily_report(session, start=args.date, end=args.to, zone=args.timezone)
            if args.json:
                print(json.dumps(data, ensure_ascii=False))
            else:
                print(f"{data['start']} 至 {data['end']}：共 {data['cases']} 件；办结 {data['concluded']} 件，"
                      f"按时 {data['concluded_on_time']} 件")
                for h in data["by_hall"]:
                    print(f"  {h['hall_code']}\t{h['total']} 件（正常 {h['normal']}，容缺 {h['deferred']}，"
                          f"承诺 {h['pledge']}，不予受理 {h['refused']}）")
                for r in data["ratings"]:
                    rate = f"{r['satisfaction']:.1%}" if r["satisfaction"] is not None else "-"
                    print(f"  {r['hall_code']}	好差评 {r['total']} 条（满意 {r['good']}，差评 {r['bad']}，满意率 {rate}）")
                for c in data["pledge_checks"]:
                    print(f"  {c['hall_code']}	告知承诺核查：属实 {c['true']}，不实 {c['false']}")
                print(f"新列入虚假承诺名单 {data['false_pledges']} 人次")
            return 0
        if args.command == "case" and args.case_command == "return":
            from app.clock import HallClock

            clock = HallClock(args.timezone)  # the hall day the counter's clock stops from
            at = clock.now()
            with store.write() as session:
                seq = service.return_case(session, args.case_no, args.item, args.note,
                                          day=args.day or clock.day_of(at), at=at)
            print(f"已退回补正：{args.case_no}（变更序号 {seq}），窗口同步后暂停计时并列入待办")
            return 0
        if args.command == "case" and args.case_command == "accept-collected":
            from app.clock import HallClock

            day = args.day or HallClock(DEFAULT_TIMEZONE).today()
            with store.write() as session:
                changed = service.accept_collected(session, args.case_no, day=day)
            print(("已登记受理" if changed else "此前已受理") + f"：{args.case_no}，办结时限自 {day} 起算")
            return 0
        if args.command == "key":
            from app.clock import HallClock
            from app.store.rekey import rotate
            from sync.server.models import HubBase

            done = rotate(store, HubBase, record_table="hub_data_key", at=HallClock(DEFAULT_TIMEZONE).now())
            print(json.dumps(done.to_json(), ensure_ascii=False) if args.json else
                  f"枢纽数据密钥已轮换：{done.old} → {done.new}，重新加密 {done.values} 个值；请另行备份新的密钥文件")
            return 0
        if args.command == "audit":
            with store.read() as session:
                rows = service.list_anchors(session, args.device)
            if args.json:
                print(json.dumps(rows, ensure_ascii=False))
            else:
                for r in rows:
                    print(f"{r['device']}\t第 {r['count']} 条\t{r['head']}\t{r['at']}")
                print(f"共 {len(rows)} 个锚点；在窗口执行 python -m app audit verify --anchor 条数:哈希 核对")
            return 0
        if args.command == "sweep":
            import datetime as dt

            swept = service.sweep_uploads(store, open_file_store(args.files, endpoint_url=args.s3_endpoint), older_than=dt.timedelta(days=max(args.days, 0)))
            if args.json:
                print(json.dumps(swept.to_json(), ensure_ascii=False))
            else:
                print(f"已清理 {swept.rows} 个无办件引用的上传、{swept.stray_files} 个无记录的残留文件，"
                      f"释放 {swept.freed_bytes / (1024 * 1024):.1f} MB")
            return 0
        if args.command == "case":
            with store.write() as session:
                changed = service.set_result(session, args.case_no, args.result, args.note)
            print(("已登记" if changed else "结果未变化") + f"：{args.case_no} → {args.result}")
            return 0
        with store.write() as session:
            seq = publish.publish_files(session, args.what, args.files, version=args.version)
        print(f"已发布 {args.what}，变更序号 {seq}")
        return 0
    finally:
        store.dispose()


def _openapi(args: argparse.Namespace) -> int:
    from sync.server.openapi import DOC, render

    text, target = render(), args.out or DOC
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"错误：{target} 与代码不一致，请运行 python -m sync.server openapi 重新生成\n")
            return 1
        print(f"{target} 与代码一致")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"已生成 {target}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from sync.server.service import HubProblem

    args = build_parser().parse_args(argv)
    try:
        if args.command == "openapi":
            return _openapi(args)
        return _serve(args) if args.command is None else _admin(args)
    except HubProblem as problem:
        sys.stderr.write(f"错误：{problem.message}\n")
        return 1
    except CounterError as exc:
        sys.stderr.write(f"错误：{exc.message}\n")
        return exc.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
