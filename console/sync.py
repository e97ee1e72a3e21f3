"""``python -m app sync run|status|requeue|enroll``: push the outbox to the county hub and pull its changes;
enrol this PC at the hub once."""

from __future__ import annotations

import argparse
import sys

from app.errors import SyncError
from console import print_json, settings_from


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="发送待同步办件并拉取枢纽变更")
    run.add_argument("--hub", metavar="URL", help="枢纽地址，覆盖设置 sync.hub_url")
    run.add_argument("--token", help="设备令牌，覆盖设置 sync.token")
    run.add_argument("--ca", metavar="FILE", help="校验枢纽证书用的 CA 证书文件，覆盖设置 sync.ca_file")
    run.add_argument("--until-idle", action="store_true", help="反复同步直到没有待发送的办件")
    run.add_argument("--timeout", type=float, default=None, metavar="SECONDS", help="配合 --until-idle：最长运行时间")
    run.set_defaults(handler=_run)

    enroll = sub.add_parser("enroll", help="用枢纽管理员给的一次性注册码登记本机，设备凭据写入设置（仅本账户可读）")
    enroll.add_argument("url", metavar="URL", help="枢纽地址（https://…；http:// 只允许本机 127.0.0.1）")
    enroll.add_argument("code", metavar="CODE", help="一次性注册码（如 ABCD-EFGH-…）")
    enroll.add_argument("--name", default="", help="本机的设备名称（默认：计算机名）")
    enroll.add_argument("--ca", metavar="FILE", default="", help="校验枢纽证书用的本大厅 CA 证书文件")
    enroll.set_defaults(handler=_enroll)

    status = sub.add_parser("status", help="同步状态：待发送、被拒收、已搁置、上次成功、游标")
    status.set_defaults(handler=_status)

    requeue = sub.add_parser("requeue", help="把已搁置（或被拒收）的条目重新排队")
    requeue.add_argument("--rejected", action="store_true", help="同时重新排队被拒收的条目（修正数据后）")
    requeue.set_defaults(handler=_requeue)


def _run(args: argparse.Namespace) -> int:
    from app.store import open_store
    from sync.hub_client import HubConfig
    from sync.relay import Relay, RelayOptions

    settings = settings_from(args)
    sync = settings.sync
    hub = args.hub or sync.hub_url
    if not hub:
        raise SyncError("未设置枢纽地址：请在设置中填写 sync.hub_url 或使用 --hub")
    if args.timeout is not None and args.timeout <= 0:
        raise SyncError("--timeout 应为正数（秒）")
    config = HubConfig(url=hub, token=args.token or sync.token, ca_file=args.ca or sync.ca_file,
                       connect_timeout=sync.connect_timeout, read_timeout=sync.read_timeout)
    options = RelayOptions(backoff_base=sync.backoff_base_seconds, backoff_cap=sync.backoff_cap_seconds,
                           chunk_target_seconds=sync.chunk_target_seconds,
                           offline_probe_seconds=min(5.0, sync.backoff_cap_seconds))
    store = open_store(settings.db_url, key_file=settings.key_file)
    relay = Relay(store, config, files_dir=settings.files_dir, data_dir=settings.data_dir, options=options)
    try:
        if args.until_idle:
            report = relay.run_until_idle(timeout=args.timeout)
        else:
            report = relay.run_once()
    finally:
        relay.close()
    if args.json:
        print_json({"online": report.online, "sent": report.sent, "rejected": report.rejected,
                    "retried": report.retried, "parked": report.parked, "changes": report.changes,
                    "pending": report.pending, "error": report.error})
    else:
        state = "在线" if report.online else "离线"
        print(f"{state}：发送 {report.sent} 件，拒收 {report.rejected} 件，待重试 {report.retried} 件，"
              f"搁置 {report.parked} 件，收到变更 {report.changes} 条，仍待发送 {report.pending} 件")
        if report.error:
            sys.stderr.write(f"提示：{report.error}\n")
    return 0 if report.online else 4


def _enroll(args: argparse.Namespace) -> int:
    import socket
    from pathlib import Path

    from app.settings import default_config_file, update_settings_file
    from sync.enrol import enrol

    settings = settings_from(args)
    ca = str(Path(args.ca).resolve()) if args.ca else settings.sync.ca_file
    cred = enrol(args.url, args.code, args.name or socket.gethostname()[:100], ca_file=ca)
    path = update_settings_file({("sync", "hub_url"): cred.hub_url, ("sync", "token"): cred.token,
                                 ("sync", "ca_file"): ca}, settings.source or default_config_file())
    if args.json:
        print_json({"name": cred.name, "hall_code": cred.hall_code, "hub_url": cred.hub_url,
                    "settings": str(path)})
    else:
        print(f"已登记：设备 {cred.name}（大厅 {cred.hall_code}），凭据已写入 {path}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from app.store import open_store
    from sync.relay import read_status

    settings = settings_from(args)
    status = read_status(open_store(settings.db_url, key_file=settings.key_file))
    if args.json:
        print_json(status.to_json())
        return 0
    online = {None: "尚未同步", True: "在线", False: "离线"}[status.online]
    last = (f"{settings.hall_clock().local(status.last_success_at):%Y-%m-%d %H:%M:%S}" if status.last_success_at
            else "从未")
    print(f"连接：{online}\n待发送：{status.pending} 件\n被拒收：{status.rejected} 件\n已搁置：{status.parked} 件\n"
          f"已送达：{status.done} 件\n上次成功：{last}\n变更游标：{status.cursor or '（无）'}")
    if status.last_error:
        print(f"最近错误：{status.last_error}")
    for item in status.problems:
        label = "拒收" if item.state == "rejected" else "搁置"
        print(f"  [{label}] {item.case_no or item.seq}：{item.error}")
    return 0


def _requeue(args: argparse.Namespace) -> int:
    from app.store import open_store
    from sync.relay import requeue

    states = ("parked", "rejected") if args.rejected else ("parked",)
    settings = settings_from(args)
    count = requeue(open_store(settings.db_url, key_file=settings.key_file), states=states)
    print(f"已重新排队 {count} 条")
    return 0
