"""The command line and composition root: ``python -m app`` opens the clerk client, ``python -m app GROUP …`` runs
a command group; each group lives in its own module of this package, imported on demand (a command never loads Qt).

``console`` sits above ``ui``, ``sync`` and ``printing``: it is where they are wired to the store.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app import __version__
from app.errors import CounterError

# group name → (module, one-line help). Only the chosen group's module is imported.
GROUPS: dict[str, tuple[str, str]] = {
    "db": ("console.db", "数据库：升级结构、检查、备份与恢复"),
    "key": ("console.db", "数据密钥：轮换（证件号码与电话的加密密钥）"),
    "audit": ("console.audit", "审计记录：校验哈希链 (audit verify)"),
    "catalog": ("console.catalog", "事项目录：校验、搜索、导入"),
    "id": ("console.identity", "证件号码校验与读卡器读卡"),
    "workdays": ("console.workdays", "工作日计算"),
    "case": ("console.case", "办件：补录导入、查看、列表"),
    "assist": ("console.assist", "帮办代办记录：登记、列表"),
    "demo": ("console.demo", "演示数据生成"),
    "queue": ("console.queue", "排队叫号：取号、叫号、列表"),
    "print": ("console.printing", "打印回执、通知书、承诺书与号票"),
    "sync": ("console.sync", "与县级枢纽同步"),
    "report": ("console.report", "统计报表"),
    "clerk": ("console.staff", "人员：添加、修改、停用、重置密码、解锁"),
    "window": ("console.staff", "窗口：添加、修改、停用"),
    "excluded": ("console.staff", "失信名单：查看、添加、移除、导入"),
    "scan": ("console.scan", "识别照片中的条码与二维码"),
    "display": ("console.screens", "大厅叫号显示屏"),
    "kiosk": ("console.screens", "自助取号机"),
    "rate": ("console.screens", "评价器（好差评）"),
    "supervisor": ("console.screens", "统计看板"),
}

Handler = Callable[[argparse.Namespace], int]


# The options every command and screen understands, before or after the group and subcommand
# (``python -m app --db URL db upgrade`` = ``python -m app db upgrade --db URL``): defined here once, parsed once.
GLOBAL_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("--db", {"metavar": "URL", "help": "数据库地址，覆盖设置（sqlite:///… 或 postgresql://…）"}),
    ("--data-dir", {"metavar": "DIR", "help": "数据目录，覆盖设置"}),
    ("--config", {"metavar": "FILE", "help": "设置文件（TOML）"}),
    ("--demo", {"action": "store_true", "help": "使用演示大厅的数据目录"}),
    ("--json", {"action": "store_true", "help": "以 JSON 输出结果"}),
)
GLOBAL_HELP = "通用选项（放在子命令之前或之后均可）：\n" + "\n".join(
    f"  {flag} {kw.get('metavar', '')}".ljust(20) + kw["help"] for flag, kw in GLOBAL_OPTIONS
)


def global_parser() -> argparse.ArgumentParser:
    """The one parser of the global options; ``parse_known_args`` takes them from anywhere in a command line."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for flag, kwargs in GLOBAL_OPTIONS:
        parser.add_argument(flag, **kwargs)
    return parser


def global_value_options() -> set[str]:
    return {flag for flag, kw in GLOBAL_OPTIONS if kw.get("action") != "store_true"}


def root_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="综窗受理客户端。不带子命令时打开柜员窗口。",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="子命令：\n" + "\n".join(f"  {name:<11}{text}" for name, (_m, text) in GROUPS.items())
        + "\n\n" + GLOBAL_HELP,
    )
    parser.add_argument("--version", action="version", version=f"综窗受理客户端 {__version__}")
    return parser


def settings_from(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from app.settings import load_settings, secure_paths

    settings = load_settings(
        Path(args.config) if getattr(args, "config", None) else None,
        data_dir=getattr(args, "data_dir", None),
        db_url=getattr(args, "db", None),
        demo=bool(getattr(args, "demo", False)),
    )
    secure_paths(settings)
    return settings


def clock_from(args: argparse.Namespace) -> Any:
    """The hall clock of the settings (``hall.timezone``; ``ZC_CLOCK_AT`` stands it at an instant)."""
    return settings_from(args).hall_clock()


def store_from(args: argparse.Namespace, *, upgrade: bool = True) -> Any:
    """Open the store the settings (and ``--db``) name; migrations run unless ``upgrade`` is false."""
    from app.store import open_store

    settings = settings_from(args)
    return open_store(settings.db_url, upgrade=upgrade, key_file=settings.key_file)


def hall_from(args: argparse.Namespace, settings: Any, store: Any) -> str:
    """The hall a command acts on: ``--hall``; else, under ``--demo``, the demo hall (seeded on first use, like the
    demo screens do); else the settings' ``hall.code``."""
    explicit = getattr(args, "hall", None)
    if explicit:
        return str(explicit)
    if not settings.demo:
        return str(settings.hall.code)
    from app.demo import DEMO_HALL_CODE, seed_demo_hall
    from app.store.models import Hall

    with store.read() as s:
        seeded = s.get(Hall, DEMO_HALL_CODE) is not None
    if not seeded:
        seed_demo_hall(store)
    return DEMO_HALL_CODE


class HallCommand:
    """What a command acting on one hall works with: the settings, the hall clock, the opened store, the hall."""

    def __init__(self, args: argparse.Namespace) -> None:
        from app.store import open_store

        self.settings = settings_from(args)
        self.clock = self.settings.hall_clock()
        self.store = open_store(self.settings.db_url, key_file=self.settings.key_file)
        self.hall = hall_from(args, self.settings, self.store)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = 1) -> int:
    sys.stderr.write(f"错误：{message}\n")
    return code


def parse(group: str | None, argv: Sequence[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse ``argv`` (without the group word) for ``group``, or for the clerk client when ``group`` is None; the
    global options are taken from anywhere in it."""
    if group is None:
        from console import screens

        parser = root_parser()
        screens.register(parser, "counter")
    else:
        module = importlib.import_module(GROUPS[group][0])
        parser = argparse.ArgumentParser(prog=f"python -m app {group}", description=GROUPS[group][1],
                                         epilog=GLOBAL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        module.register(parser, group)
    for action in parser._actions:  # every subcommand's --help names the global options too
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.epilog = "\n\n".join(t for t in (sub.epilog, GLOBAL_HELP) if t)
                sub.formatter_class = argparse.RawDescriptionHelpFormatter
    options, rest = global_parser().parse_known_args(list(argv))
    args = parser.parse_args(rest)
    for name, value in vars(options).items():
        setattr(args, name, value)
    return parser, args


def run_group(group: str, argv: Sequence[str]) -> int:
    """Run ``python -m app GROUP …`` (``argv`` without the group word)."""
    return _run(*parse(group, argv))


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except CounterError as exc:
        return fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        return 130


def split_group(argv: list[str]) -> tuple[str | None, list[str]]:
    """Find the command group: the first word that is not an option or an option's value (``--db URL queue …``)."""
    from console.screens import SCREEN_VALUE_OPTIONS

    takes_value = global_value_options() | SCREEN_VALUE_OPTIONS
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in takes_value:
            i += 2
            continue
        if not arg.startswith("-"):
            if arg in GROUPS:
                return arg, argv[:i] + argv[i + 1 :]
            return None, argv
        i += 1
    return None, argv


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app [GROUP] …``: a command group, a screen, or the clerk client."""
    args = list(sys.argv[1:] if argv is None else argv)
    group, rest = split_group(args)
    return _run(*parse(group, rest))
