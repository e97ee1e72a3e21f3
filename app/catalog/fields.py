"""Reading typed fields out of parsed TOML tables, recording a named error for each bad one.

Used by :mod:`app.catalog.loader`; every reader returns ``None`` (or the default) after recording the error, so
validation carries on and reports everything at once.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from app.catalog.model import TimeLimit, TimeUnit
from app.language import has_foreign_letters, is_mongolian

UNITS: dict[str, TimeUnit] = {
    "工作日": "workday", "自然日": "day", "小时": "hour", "workday": "workday", "day": "day", "hour": "hour",
}
LIMIT_RE = re.compile(r"^\s*(\d+)\s*(\S+)\s*$")
TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
TOML_REASONS = {
    "Invalid value": "值无效（字符串是否缺少引号？）",
    "Expected '=' after a key in a key/value pair": "键后面应为 =",
    "Cannot overwrite a value": "重复定义了同一个键",
    "Cannot declare": "重复声明了同一个表",
    "Unclosed array": "数组缺少右方括号 ]",
    "Unclosed inline table": "内联表缺少右花括号 }",
    "Unterminated string": "字符串缺少结束引号",
    "Invalid statement": "无法识别的语句",
    "Expected newline or end of document after a statement": "一行只能写一条语句",
}

T = TypeVar("T")
MISSING = object()


class Where:
    """Where an error is: a file, optionally a matter; formats the one-line message."""

    def __init__(self, errors: list[str], file: str, matter: str | None = None) -> None:
        self.errors = errors
        self.file = file
        self.matter = matter

    def at(self, matter: str) -> Where:
        return Where(self.errors, self.file, matter)

    def add(self, field: str | None, reason: str) -> None:
        head = f"{self.file}: 事项 {self.matter}" if self.matter is not None else f"{self.file}:"
        if field:
            self.errors.append(f"{head} 字段 {field}: {reason}")
        else:
            self.errors.append(f"{head.rstrip(':')}: {reason}")


def display_path(path: Path) -> str:
    """The path as an admin would type it: relative to the working directory when it lies below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_toml(path: Path, where: Where) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        where.add(None, f"无法读取文件：{exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8-sig")  # Notepad on Windows writes a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where.add(None, f"文件不是 UTF-8 编码（第 {line} 行，第 {exc.start} 字节），可能是 GBK；请另存为 UTF-8")
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        match = TOML_POS_RE.search(raw)
        reason = TOML_POS_RE.sub("", raw)
        reason = next((zh for en, zh in TOML_REASONS.items() if reason.startswith(en)), reason)
        pos = f"第 {match.group(1)} 行第 {match.group(2)} 列" if match else "文件末尾"
        where.add(None, f"TOML 语法错误（{pos}）：{reason}")
        return None


def unknown_keys(table: Mapping[str, Any], allowed: set[str], where: Where, prefix: str = "") -> None:
    for key in table:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, sorted(allowed), n=1)
        hint = f"，是否应为 {close[0]}？" if close else ""
        where.add(prefix + key, f"未知字段（拼写错误？）{hint}")


TYPE_NAMES: dict[type, str] = {str: "字符串", int: "整数", bool: "true 或 false", list: "数组", dict: "表"}


def field_value(table: Mapping[str, Any], key: str, kind: type[T], where: Where, field: str,
         default: Any = MISSING) -> T | None:
    """The value of ``key`` when it has the right type; otherwise records an error and returns None/default."""
    if key not in table:
        if default is MISSING:
            where.add(field, "缺少必填字段")
            return None
        return cast(T, default)
    value = table[key]
    # bool is an int in Python; a true/false where a number belongs is a typo, not a 1.
    wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
    if wrong:
        where.add(field, f"类型错误：应为{TYPE_NAMES.get(kind, kind.__name__)}，实际为 {toml_repr(value)}")
        return None if default is MISSING else cast(T, default)
    if kind is str and default is MISSING and not cast(str, value).strip():
        where.add(field, "不能为空")
        return None
    return cast(T, value.strip() if isinstance(value, str) else value)


def toml_repr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "表"
    if isinstance(value, list):
        return "数组"
    return str(value)


def field_choice(table: Mapping[str, Any], key: str, choices: Mapping[str, T] | tuple[str, ...], where: Where,
            field: str, default: Any = MISSING) -> T | None:
    value = field_value(table, key, str, where, field, default)
    if value is None or (default is not MISSING and key not in table):
        return cast(T | None, value)
    if value not in choices:
        shown = " / ".join(choices)
        where.add(field, f"取值 \"{value}\" 无效，应为 {shown} 之一")
        return None
    return cast(T, choices[value] if isinstance(choices, Mapping) else value)


def parse_time_limit(value: Any) -> TimeLimit:
    """``5`` (工作日), ``"5 工作日"``, ``"即办"`` or ``{amount = 5, unit = "工作日"}``; ValueError with the reason."""
    if isinstance(value, bool):
        raise ValueError(f"应为时限，实际为 {toml_repr(value)}")
    if isinstance(value, int):
        amount, unit = value, "工作日"
    elif isinstance(value, str):
        if value.strip() == "即办":
            return TimeLimit(0, "workday")
        match = LIMIT_RE.match(value)
        if not match:
            raise ValueError(f"无法识别的时限 \"{value}\"，应写成 \"5 工作日\"、\"24 小时\" 或 \"即办\"")
        amount, unit = int(match.group(1)), match.group(2)
    elif isinstance(value, dict):
        extra = set(value) - {"amount", "unit"}
        if extra:
            raise ValueError(f"未知字段 {', '.join(sorted(extra))}，时限表只有 amount 与 unit")
        raw_amount, unit = value.get("amount"), value.get("unit", "工作日")
        if not isinstance(raw_amount, int) or isinstance(raw_amount, bool):
            raise ValueError(f"amount 应为非负整数，实际为 {toml_repr(raw_amount)}")
        amount = raw_amount
        if not isinstance(unit, str):
            raise ValueError(f"unit 应为字符串，实际为 {toml_repr(unit)}")
    else:
        raise ValueError(f"应为整数、字符串或表，实际为 {toml_repr(value)}")
    if amount < 0:
        raise ValueError(f"时限不能为负数：{amount}")
    if unit not in UNITS:
        raise ValueError(f"时限单位 \"{unit}\" 无效，应为 工作日 / 自然日 / 小时")
    return TimeLimit(amount, UNITS[unit])


def field_limit(table: Mapping[str, Any], key: str, where: Where) -> TimeLimit | None:
    if key not in table:
        where.add(key, "缺少必填字段")
        return None
    try:
        return parse_time_limit(table[key])
    except ValueError as exc:
        where.add(key, str(exc))
        return None


def field_str_list(table: Mapping[str, Any], key: str, where: Where, field: str) -> tuple[str, ...] | None:
    items = field_value(table, key, list, where, field, [])
    if items is None:
        return None
    bad = [i for i, item in enumerate(items) if not isinstance(item, str) or not item.strip()]
    for i in bad:
        where.add(f"{field}[{i}]", f"应为非空字符串，实际为 {toml_repr(items[i])}")
    return None if bad else tuple(item.strip() for item in items)


def field_mongolian(table: Mapping[str, Any], key: str, where: Where, field: str) -> str:
    """An optional name in traditional Mongolian script (U+1800–U+18AF): "" when absent; an error when it is
    not a string, or holds no Mongolian letter, or holds letters of another script (a Chinese name pasted into
    the Mongolian column is the usual slip)."""
    value = field_value(table, key, str, where, field, "")
    if not value:
        return ""
    text = cast(str, value)
    if not is_mongolian(text) or has_foreign_letters(text):
        where.add(field, f"应为蒙古文（传统蒙古文字母 U+1800–U+18AF），实际为 {toml_repr(text)}")
        return ""
    return text
