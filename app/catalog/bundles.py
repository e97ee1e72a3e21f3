"""一件事一次办 bundles in the catalog: reading ``[[bundles]]`` (from ``catalog.toml`` or the import's 一件事 sheet)
and checking them against the catalog's matters, every error naming the bundle and the field.

A bundle names matters by code; a material key that two of its matters share is one paper at the counter (ticked
once, recorded on every case that needs it). ``docs/catalog.md`` (一件事一次办) describes the table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from app.catalog.fields import Where, field_mongolian, field_str_list, field_value, toml_repr, unknown_keys
from app.catalog.model import Bundle, Material, Matter

_BUNDLE_KEYS = {"code", "name", "name_mn", "matters", "category", "keywords", "note"}
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MIN_MATTERS = 2
MAX_MATTERS = 20


class _BundleWhere(Where):
    """Errors as ``catalog.toml: 一件事 YJS-001 字段 matters[2]: …``."""

    def add(self, field: str | None, reason: str) -> None:
        head = f"{self.file}: 一件事 {self.matter}" if self.matter is not None else f"{self.file}:"
        self.errors.append(f"{head} 字段 {field}: {reason}" if field else f"{head.rstrip(':')}: {reason}")


def read_bundles(raw: Any, *, matters: Mapping[str, Matter], categories: Mapping[str, str],
                 where: Where, known: set[str] | None = None) -> tuple[Bundle, ...]:
    """The ``[[bundles]]`` tables checked against the catalog's matters (code → matter) and queue categories.

    Rules: code unique among bundles and not a matter's code; a name; 2–20 matters, each a known matter code,
    none twice; the queue category, when given, registered. A bad bundle is left out and every error reported.
    ``known``: every matter code the file defines, also those left out for their own errors (already reported;
    the bundle is not blamed for them)."""
    codes_known: set[str] = set(matters) | (known or set())
    if not isinstance(raw, list):
        where.add("bundles", f"类型错误：应为表数组 [[bundles]]，实际为 {toml_repr(raw)}")
        return ()
    out: list[Bundle] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            where.add(f"bundles[{i}]", f"类型错误：应为表，实际为 {toml_repr(item)}")
            continue
        code = item.get("code")
        label = code.strip() if isinstance(code, str) and code.strip() else f"（第 {i + 1} 个，编码缺失或无效）"
        w = _BundleWhere(where.errors, where.file, label)
        before = len(w.errors)
        unknown_keys(item, _BUNDLE_KEYS, w)
        code = field_value(item, "code", str, w, "code")
        if code is not None:
            if not _CODE_RE.match(code):
                w.add("code", "编码只能用字母、数字、点、横线、下划线，最长 40 个字符")
            elif code in seen:
                w.add("code", f"一件事编码重复（与第 {seen[code] + 1} 个一件事相同）")
            elif code in codes_known:
                w.add("code", "与一个事项的编码相同，一件事须用自己的编码")
            else:
                seen[code] = i
        name = field_value(item, "name", str, w, "name")
        name_mn = field_mongolian(item, "name_mn", w, "name_mn")
        category = field_value(item, "category", str, w, "category", "")
        if category and category not in categories:
            letters = "、".join(sorted(categories)) or "（无）"
            w.add("category", f"未知排队业务类别 \"{category}\"，已登记的类别：{letters}")
        keywords = field_str_list(item, "keywords", w, "keywords") if "keywords" in item else ()
        note = field_value(item, "note", str, w, "note", "")
        codes = field_str_list(item, "matters", w, "matters")
        if codes is not None:
            for j, matter_code in enumerate(codes):
                if matter_code not in codes_known:
                    close = difflib.get_close_matches(matter_code, sorted(codes_known), n=1, cutoff=0.8)
                    hint = f"，是否应为 {close[0]}？" if close else "，请核对事项编码"
                    w.add(f"matters[{j}]", f"未知事项编码 \"{matter_code}\"{hint}")
            for dup in sorted({c for c in codes if codes.count(c) > 1}):
                w.add("matters", f"事项 {dup} 重复列出，同一个事项在一件事中只能出现一次")
            if len(set(codes)) < MIN_MATTERS:
                w.add("matters", f"一件事至少包含 {MIN_MATTERS} 个不同的事项，实际为 {len(set(codes))} 个")
            elif len(codes) > MAX_MATTERS:
                w.add("matters", f"一件事最多包含 {MAX_MATTERS} 个事项，实际为 {len(codes)} 个")
        if len(w.errors) > before:
            continue
        assert code is not None and name is not None and codes is not None
        out.append(Bundle(code=code, name=name, matters=tuple(codes), category=str(category), name_mn=name_mn,
                          keywords=tuple(keywords or ()), note=str(note)))
    return tuple(out)


def bundle_matters(bundle: Bundle, matters: Mapping[str, Matter] | Any) -> tuple[Matter, ...]:
    """The bundle's matters from a catalog (or a code → matter mapping), in the bundle's order."""
    lookup = matters if isinstance(matters, Mapping) else {m.code: m for m in matters.matters}
    return tuple(lookup[c] for c in bundle.matters if c in lookup)


def shared_keys(matters: tuple[Matter, ...]) -> frozenset[str]:
    """Material keys two or more of the matters ask for: the papers the applicant hands in once."""
    counts: dict[str, int] = {}
    for m in matters:
        for key in {x.key for x in m.materials}:
            counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n > 1)


def merged_materials(matters: tuple[Matter, ...]) -> tuple[Material, ...]:
    """One checklist for the whole intake: each material once (the first matter's wording), in order of first
    appearance; a shared material is core or required if it is so for any matter that asks for it, and may be
    deferred or pledged only if every matter allows it (the strictest reading, so no case gets less than it
    needs)."""
    by_key: dict[str, list[Material]] = {}
    for m in matters:
        for x in m.materials:
            by_key.setdefault(x.key, []).append(x)
    out = []
    for versions in by_key.values():
        first = versions[0]
        if len(versions) == 1:
            out.append(first)
            continue
        deferrable = all(v.deferrable for v in versions)
        pledgeable = all(v.pledgeable for v in versions)
        out.append(Material(
            key=first.key, name=first.name, core=any(v.core for v in versions),
            copies=max(v.copies for v in versions), form=first.form, required=any(v.required for v in versions),
            condition=first.condition, deferrable=deferrable and not any(v.core for v in versions),
            supply_days=min((v.supply_days for v in versions if v.supply_days), default=None) if deferrable
            else None,
            pledgeable=pledgeable, pledge=first.pledge if pledgeable else None, e_license=first.e_license,
            note=first.note or f"{len(versions)} 个事项共用，收取一次", channel=first.channel,
        ))
    return tuple(out)


def bundles_from_sheets(sheets: list[tuple[str, list[list[str]]]], *, matters: Mapping[str, Matter],
                        known: set[str], categories: Mapping[str, str], issues: list[Any]) -> tuple[Bundle, ...]:
    """The 一件事 sheets of a 实施清单 import (one row per matter of a bundle: 一件事编码, 一件事名称, 事项编码,
    and on its first row optionally 排队类别, 常用名称, 说明), checked by :func:`read_bundles`; each error becomes
    a :class:`~app.catalog.sheet.RowIssue` on the row it is about, and the bad bundle is left out."""
    from app.catalog.sheet import BUNDLE_COLUMNS, RowIssue, bundle_header, column_letter, normalize_header

    out: list[Bundle] = []
    for sheet, grid in sheets:
        at = bundle_header(grid)
        assert at is not None
        cols: dict[str, int] = {}
        for i, text in enumerate(grid[at]):
            key = BUNDLE_COLUMNS.get(normalize_header(text))
            if key is not None and key not in cols:
                cols[key] = i
        if "matter" not in cols:
            issues.append(RowIssue(sheet, at + 1, "", "一件事表缺少“事项编码”（或“实施编码”）列，已跳过此表"))
            continue
        groups: list[dict[str, Any]] = []
        for number, row in enumerate(grid[at + 1:], start=at + 2):
            def cell(key: str, row: list[str] = row, cols: dict[str, int] = cols) -> str:
                return row[cols[key]].strip() if key in cols and cols[key] < len(row) else ""

            if not any(c.strip() for c in row):
                continue
            name, code = cell("name"), cell("code")
            if name or code:
                if not groups or (code or name) != groups[-1]["key"]:
                    groups.append({"key": code or name, "first": number, "rows": [], "raw": {
                        "code": code or _code_from(name), "name": name,
                        **({"category": cell("category").upper()} if cell("category") else {}),
                        **({"keywords": [w for w in re.split(r"[、,，;；\s]+", cell("keywords")) if w]}
                           if cell("keywords") else {}),
                        **({"note": cell("note")} if cell("note") else {}),
                        "matters": []}})
            elif not groups:
                issues.append(RowIssue(sheet, number, "", "本行没有一件事名称，且上方没有一件事可归属"))
                continue
            matter = cell("matter")
            if matter:
                groups[-1]["rows"].append(number)
                groups[-1]["raw"]["matters"].append(matter)
        errors: list[str] = []
        where = Where(errors, f"工作表“{sheet}”")
        found = read_bundles([g["raw"] for g in groups], matters=matters, categories=categories, where=where,
                             known=known)
        by_label = {g["raw"]["code"]: g for g in groups}
        for error in errors:
            m = re.match(r"^.*?: 一件事 (.+?)(?: 字段 (\S+))?: (.*)$", error)
            group = by_label.get(m.group(1)) if m else None
            line: int = group["first"] if group else at + 1
            column = ""
            field = m.group(2) if m else None
            if group and field and (j := re.fullmatch(r"matters\[(\d+)\]", field)):
                line = group["rows"][int(j.group(1))]
                column = f"{column_letter(cols['matter'])} 列（事项编码）"
            whose = f"一件事“{group['raw']['name']}”" if group else ""
            issues.append(RowIssue(sheet, line, column, m.group(3) if m else error, whose))
        out += found
    return tuple(out)


def _code_from(name: str) -> str:
    """A bundle code from its name when the sheet gives none: YJS- and its pinyin initials (stable between
    imports of the same list)."""
    from app.catalog.search import pinyin_of

    initials = re.sub(r"[^A-Z0-9]", "", pinyin_of(name)[0].upper())[:30]
    return f"YJS-{initials or 'X'}"
