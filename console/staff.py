"""``python -m app clerk|window|excluded …``: hall administration from the command line.

The command line has no login. It acts as the local operator, allowed what a system administrator may do and
audited as ``cli:<os user>``: whoever can run it on this PC can open the database (or its connection settings)
anyway. The rules that protect the hall still hold (the last administrator stays, hub rows stay); see
docs/admin.md.
"""

from __future__ import annotations

import argparse
import getpass
import socket
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from console import HallCommand, print_json

Handler = Callable[[argparse.Namespace], int]
ROLE_NAMES = {"窗口人员": "clerk", "大厅负责人": "supervisor", "系统管理员": "admin"}


def register(parser: argparse.ArgumentParser, group: str) -> None:
    sub = parser.add_subparsers(dest="command")

    def cmd(name: str, help_text: str, handler: Handler, *, hall: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if hall:
            p.add_argument("--hall", metavar="CODE", help="大厅编码（默认取设置 hall.code）")
        p.set_defaults(handler=handler)
        return p

    if group == "clerk":
        cmd("list", "列出本大厅的人员", _clerk_list)
        p = cmd("add", "添加人员（密码从终端输入两次，或用 --password-stdin 从标准输入读一行）", _clerk_add)
        p.add_argument("username", help="用户名（2–40 位字母、数字、下划线、点或减号）")
        p.add_argument("--name", required=True, help="姓名")
        p.add_argument("--role", required=True, type=_role, metavar="ROLE",
                       help="角色：clerk 窗口人员 / supervisor 大厅负责人 / admin 系统管理员")
        p.add_argument("--phone", default="", help="联系电话")
        p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
        p = cmd("set", "修改人员的姓名、角色或电话", _clerk_set)
        p.add_argument("username")
        p.add_argument("--name", help="姓名")
        p.add_argument("--role", type=_role, metavar="ROLE", help="角色：clerk / supervisor / admin")
        p.add_argument("--phone", help="联系电话")
        p = cmd("passwd", "重置人员的密码（同时解除锁定）", _clerk_passwd)
        p.add_argument("username")
        p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
        for name, text, handler in (("disable", "停用账号（并离开所在窗口）", _clerk_disable),
                                    ("enable", "启用账号", _clerk_enable),
                                    ("unlock", "解除密码错误次数过多造成的锁定", _clerk_unlock)):
            cmd(name, text, handler).add_argument("username")
    elif group == "window":
        cmd("list", "列出本大厅的窗口", _window_list)
        p = cmd("add", "添加窗口", _window_add)
        p.add_argument("number", type=_number, help="窗口号 1–999")
        p.add_argument("--name", required=True, help="窗口名称，如 综合受理")
        p.add_argument("--name-mn", help="窗口的蒙古文名称（传统蒙古文，大厅叫号屏上与汉文并列）")
        p.add_argument("--categories", required=True, metavar="A,B", help="叫号的业务类别字母，逗号分隔")
        p = cmd("set", "修改窗口名称（汉文或蒙古文）或业务类别", _window_set)
        p.add_argument("number", type=_number)
        p.add_argument("--name", help="窗口名称")
        p.add_argument("--name-mn", help="窗口的蒙古文名称（传统蒙古文；给空字符串则清除）")
        p.add_argument("--categories", metavar="A,B", help="业务类别字母，逗号分隔")
        cmd("disable", "停用窗口（有在叫或办理中的号时不能停用）", _window_disable).add_argument("number", type=_number)
        cmd("enable", "启用窗口", _window_enable).add_argument("number", type=_number)
    else:
        p = cmd("list", "列出失信名单（可按证件号码开头或原因查找）", _excluded_list, hall=False)
        p.add_argument("query", nargs="?", default="", help="证件号码开头或原因中的文字")
        p = cmd("add", "把个人列入本地失信名单（已在本地名单中则更新原因）", _excluded_add, hall=False)
        p.add_argument("id_no", help="居民身份证、港澳台居民居住证或外国人永久居留身份证号码")
        p.add_argument("--reason", required=True, help="列入原因（最多 200 字）")
        p = cmd("remove", "移除本地失信名单中的一条（枢纽下发的不能移除）", _excluded_remove, hall=False)
        p.add_argument("id_no")
        p = cmd("import", "从 CSV 导入失信名单（列：id_no,reason）", _excluded_import, hall=False)
        p.add_argument("file", help="CSV 文件（UTF-8 或 GB18030 编码）")


def _role(text: str) -> str:
    return ROLE_NAMES.get(text.strip(), text.strip())


def _number(text: str) -> int:
    from app.staff import parse_window_number

    try:
        return parse_window_number(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


class _Ctx(HallCommand):
    """A hall command and the local operator acting on it."""

    def __init__(self, args: argparse.Namespace) -> None:
        from app.staff import Actor

        super().__init__(args)
        self.actor = Actor.local_operator(self.hall)
        self.host = socket.gethostname()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: Sequence[Sequence[str]]) -> str:
    """Columns padded by display width, so 汉字 columns line up in a terminal."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ValidationError("标准输入中没有密码（--password-stdin 读取第一行）", field="password")
        return line
    if not sys.stdin.isatty():  # piped (a script, a test): the same two lines the terminal would be asked for
        first, second = (sys.stdin.readline().rstrip("\r\n") for _ in range(2))
        if not first:
            raise ValidationError("标准输入中没有密码（非终端时读取两行：密码与确认）", field="password")
    else:
        try:
            first = getpass.getpass("新密码：")
            second = getpass.getpass("再次输入新密码：")
        except EOFError:
            raise ValidationError("没有读到密码：请在终端中输入，或使用 --password-stdin", field="password") from None
    if first != second:
        raise ValidationError("两次输入的密码不一致", field="password")
    return first


# --- clerk -----------------------------------------------------------------------------------------------


def _clerk_label(row: Any) -> str:
    return f"{row.username}（{row.name}，{row.role_label}）"


def _clerk_list(args: argparse.Namespace) -> int:
    from app.staff import list_clerks

    c = _Ctx(args)
    rows = list_clerks(c.store, c.hall, clock=c.clock)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    if not rows:
        print(f"大厅 {c.hall} 还没有人员")
        return 0
    lines = [("用户名", "姓名", "角色", "状态", "窗口", "电话")]
    for r in rows:
        state = ("在用" if r.active else "停用") + ("·已锁定" if r.locked else "")
        lines.append((r.username, r.name, r.role_label, state, f"{r.window} 号" if r.window else "", r.phone))
    print(_table(lines))
    print(f"共 {len(rows)} 人")
    return 0


def _clerk_add(args: argparse.Namespace) -> int:
    from app.staff import add_clerk

    password = _read_password(args)
    c = _Ctx(args)
    row = add_clerk(c.store, c.actor, username=args.username, name=args.name, role=args.role, password=password,
                    phone=args.phone, host=c.host, clock=c.clock)
    print(f"已添加 {_clerk_label(row)}")
    return 0


def _clerk_set(args: argparse.Namespace) -> int:
    from app.staff import update_clerk

    if args.name is None and args.role is None and args.phone is None:
        raise ValidationError("请至少给出 --name、--role 或 --phone 之一", field="name")
    c = _Ctx(args)
    row = update_clerk(c.store, c.actor, args.username, name=args.name, role=args.role, phone=args.phone,
                       host=c.host, clock=c.clock)
    print(f"已保存 {_clerk_label(row)}")
    return 0


def _clerk_passwd(args: argparse.Namespace) -> int:
    from app.staff import reset_password

    password = _read_password(args)
    c = _Ctx(args)
    row = reset_password(c.store, c.actor, args.username, password, host=c.host, clock=c.clock)
    print(f"已重置 {_clerk_label(row)} 的密码")
    return 0


def _clerk_active(args: argparse.Namespace, active: bool) -> int:
    from app.staff import set_clerk_active

    c = _Ctx(args)
    row = set_clerk_active(c.store, c.actor, args.username, active, host=c.host, clock=c.clock)
    print(f"已{'启用' if active else '停用'} {_clerk_label(row)}")
    return 0


def _clerk_disable(args: argparse.Namespace) -> int:
    return _clerk_active(args, False)


def _clerk_enable(args: argparse.Namespace) -> int:
    return _clerk_active(args, True)


def _clerk_unlock(args: argparse.Namespace) -> int:
    from app.staff import unlock_clerk

    c = _Ctx(args)
    row = unlock_clerk(c.store, c.actor, args.username, host=c.host, clock=c.clock)
    print(f"已解锁 {_clerk_label(row)}")
    return 0


# --- window ----------------------------------------------------------------------------------------------


def _letters(text: str) -> list[str]:
    return [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()]


def _window_label(row: Any) -> str:
    return f"{row.number} 号窗口 · {row.name}（{'、'.join(row.category_labels)}）"


def _ensure_categories(c: _Ctx) -> None:
    # The queue categories come from the matter catalog; a fresh store gets the shipped one, as the counter does.
    from app.catalog.store import ensure_catalog

    ensure_catalog(c.store)


def _window_list(args: argparse.Namespace) -> int:
    from app.staff import list_windows

    c = _Ctx(args)
    rows = list_windows(c.store, c.hall)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    if not rows:
        print(f"大厅 {c.hall} 还没有窗口")
        return 0
    lines = [("窗口", "名称", "业务类别", "状态", "人员")]
    legend: dict[str, str] = {}
    for r in rows:
        state = ("在用" if r.active else "停用") + ("·暂停" if r.paused else "")
        lines.append((f"{r.number} 号", r.name, " ".join(r.categories), state, r.clerk_name))
        legend.update(zip(r.categories, r.category_labels, strict=True))
    print(_table(lines))
    print(f"共 {len(rows)} 个窗口；业务类别：{'、'.join(legend[k] for k in sorted(legend))}")
    return 0


def _window_add(args: argparse.Namespace) -> int:
    from app.staff import add_window

    c = _Ctx(args)
    _ensure_categories(c)
    row = add_window(c.store, c.actor, number=args.number, name=args.name, categories=_letters(args.categories),
                     name_mn=args.name_mn or "", host=c.host, clock=c.clock)
    print(f"已添加 {_window_label(row)}")
    return 0


def _window_set(args: argparse.Namespace) -> int:
    from app.staff import update_window

    if args.name is None and args.categories is None and args.name_mn is None:
        raise ValidationError("请至少给出 --name、--name-mn 或 --categories 之一", field="name")
    c = _Ctx(args)
    _ensure_categories(c)
    row = update_window(c.store, c.actor, args.number, name=args.name, name_mn=args.name_mn,
                        categories=_letters(args.categories) if args.categories is not None else None, host=c.host, clock=c.clock)
    print(f"已保存 {_window_label(row)}")
    return 0


def _window_active(args: argparse.Namespace, active: bool) -> int:
    from app.staff import set_window_active

    c = _Ctx(args)
    row = set_window_active(c.store, c.actor, args.number, active, host=c.host, clock=c.clock)
    print(f"已{'启用' if active else '停用'} {_window_label(row)}")
    return 0


def _window_disable(args: argparse.Namespace) -> int:
    return _window_active(args, False)


def _window_enable(args: argparse.Namespace) -> int:
    return _window_active(args, True)


# --- excluded --------------------------------------------------------------------------------------------


def _excluded_list(args: argparse.Namespace) -> int:
    from app.excluded import list_excluded

    c = _Ctx(args)
    rows = list_excluded(c.store, args.query, limit=None)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    if not rows:
        print("失信名单中没有符合条件的记录" if args.query else "失信名单是空的")
        return 0
    lines = [("证件号码", "来源", "更新时间", "原因")]
    lines += [(r.id_no, r.source_label, f"{c.clock.local(r.updated_at):%Y-%m-%d %H:%M}", r.reason) for r in rows]
    print(_table(lines))
    print(f"共 {len(rows)} 条")
    return 0


def _excluded_add(args: argparse.Namespace) -> int:
    from app.excluded import add_excluded

    c = _Ctx(args)
    row = add_excluded(c.store, c.actor, args.id_no, args.reason, clock=c.clock, host=c.host)
    print(f"已列入失信名单：{row.id_no}（{row.reason}）")
    return 0


def _excluded_remove(args: argparse.Namespace) -> int:
    from app.excluded import remove_excluded

    c = _Ctx(args)
    row = remove_excluded(c.store, c.actor, args.id_no, host=c.host, clock=c.clock)
    print(f"已从失信名单移除：{row.id_no}")
    return 0


def _excluded_import(args: argparse.Namespace) -> int:
    from app.excluded import import_excluded_csv

    c = _Ctx(args)
    report = import_excluded_csv(c.store, c.actor, Path(args.file), clock=c.clock, host=c.host)
    if args.json:
        print_json(report.to_json())
    else:
        for row in report.rows:
            print(row.message if row.ok else f"错误：{row.message}")
        print(f"导入完成：新增 {report.added} 条，更新 {report.updated} 条，失败 {report.failed} 条")
    return 1 if report.failed else 0
