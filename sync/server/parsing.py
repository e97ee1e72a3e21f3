"""Strict, bounded parsing of everything a client sends the hub as text: numeric headers and query values, and
JSON bodies. Every refusal is a :class:`HubProblem` with a 4xx status, so no input can reach a 500.

Why not ``str.isdigit()`` + ``int()``: ``isdigit`` accepts ``²`` and other Unicode digits that ``int`` refuses,
and ``int`` refuses (``ValueError``) strings of more than 4,300 digits. Why not plain ``json.loads``: it raises
``RecursionError`` on deeply nested input, turns ``1e400`` into ``inf``, accepts ``NaN``/``Infinity``, and a
number of 4,300+ digits raises ``ValueError`` rather than ``JSONDecodeError``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from sync.server.service import HubProblem

UINT_RE = re.compile(r"[0-9]{1,19}")  # ASCII digits only (re's [0-9] never matches other scripts' digits)
MAX_UINT = 2**63 - 1  # what a BIGINT column holds
MAX_JSON_DEPTH = 32  # a case batch nests 6 levels deep; this leaves room without inviting recursion
MAX_JSON_NUMBER_CHARS = 40
_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def parse_uint(raw: str | None, *, name: str, code: str, maximum: int = MAX_UINT, minimum: int = 0,
               default: int | None = None) -> int:
    """A non-negative integer given as 1–19 ASCII digits within ``minimum..maximum``; else 400 ``code``.

    ``raw`` None or empty means "not given": ``default`` if there is one, else refused as missing."""
    if raw is None or raw == "":
        if default is not None:
            return default
        raise HubProblem(400, code, f"缺少 {name}（应为 {minimum}～{maximum} 的整数）")
    if not UINT_RE.fullmatch(raw):
        raise HubProblem(400, code, f"{name} 无效：应为 {minimum}～{maximum} 的整数（只含 0-9，最多 19 位）")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise HubProblem(400, code, f"{name} 超出范围：应为 {minimum}～{maximum} 的整数")
    return value


def json_depth(body: bytes) -> int:
    """How deeply ``body``'s arrays and objects nest, counted without recursion (brackets inside strings are not
    counted). Each pass removes the innermost pairs, so this is at most ``MAX_JSON_DEPTH + 1`` C-speed passes."""
    brackets = _STRING_RE.sub(b"", body).translate(_BRACKETS, _NOT_BRACKETS)
    depth = 0
    while brackets and depth <= MAX_JSON_DEPTH:
        shorter = brackets.replace(b"()", b"")
        if len(shorter) == len(brackets):
            break  # unbalanced: json.loads will refuse it
        brackets, depth = shorter, depth + 1
    return depth if not brackets else MAX_JSON_DEPTH + 1


def _refuse_constant(name: str) -> Any:
    raise HubProblem(422, "invalid_json", f"JSON 中不允许 {name}（只接受有限的数值）")


def _parse_float(text: str) -> float:
    if len(text) > MAX_JSON_NUMBER_CHARS:
        raise HubProblem(422, "invalid_json", f"JSON 数值过长（上限 {MAX_JSON_NUMBER_CHARS} 个字符）")
    value = float(text)
    if not math.isfinite(value):
        raise HubProblem(422, "invalid_json", "JSON 数值超出范围（只接受有限的数值）")
    return value


def _parse_int(text: str) -> int:
    if len(text) > MAX_JSON_NUMBER_CHARS:
        raise HubProblem(422, "invalid_json", f"JSON 整数过长（上限 {MAX_JSON_NUMBER_CHARS} 位）")
    return int(text)


def _refuse_nul(doc: Any) -> None:
    """No NUL character in any key or string (PostgreSQL text cannot hold one); iterative, depth is bounded."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                raise HubProblem(422, "invalid_json", "JSON 文本中不允许 NUL 字符（\\u0000）")
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def parse_json(body: bytes) -> Any:
    """Decode a request body as UTF-8 JSON, nested at most ``MAX_JSON_DEPTH`` deep, finite numbers only."""
    if not body.strip():
        raise HubProblem(422, "invalid_json", "请求体为空，应为 JSON")
    if json_depth(body) > MAX_JSON_DEPTH:
        raise HubProblem(422, "json_too_deep", f"JSON 嵌套过深（上限 {MAX_JSON_DEPTH} 层）")
    try:
        text = body.decode("utf-8")
        doc = json.loads(text, parse_constant=_refuse_constant, parse_float=_parse_float, parse_int=_parse_int)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HubProblem(422, "invalid_json", "请求体不是有效的 JSON（UTF-8）") from None
    _refuse_nul(doc)
    return doc
