"""Importing the region's 政务服务事项实施清单 (``.xlsx``/``.csv``) as a new catalog version.

Each matter's rows (one per material) become the same table a ``[[matters]]`` entry of the TOML files holds, and
are checked by :func:`app.catalog.loader.read_matter`, so the import and the files obey one set of rules. A bad
cell is reported with its sheet, row and column; the matter it belongs to is left out (a matter the current
catalog already has stays as it was) and every other matter imports. :func:`plan_import` does the reading and
the comparison with the current catalog (``--dry-run`` stops there); :func:`store_plan` stores the version.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog.bundles import bundles_from_sheets
from app.catalog.fields import Where
from app.catalog.loader import KINDS, LEVEL_NAMES, PROXY_AUTH_WORD, MatterContext, read_matter
from app.catalog.model import Catalog, Department, Matter
from app.catalog.payload import catalog_meta, matter_to_payload
from app.catalog.sheet import (
    FIELD_LABELS,
    MATTER_FIELDS,
    ImportMapping,
    RowIssue,
    Table,
    read_tables,
)
from app.errors import CatalogError

YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有", "可", "可以", "必要", "必须", "必需", "需要"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "无", "不", "不可", "非必要", "非必需", "不需要", "可选", "选填",
                "如有", ""})
FORMS = {"原件": "original", "纸质原件": "original", "纸质": "original", "复印件": "copy", "纸质复印件": "copy",
         "原件及复印件": "original_and_copy", "原件和复印件": "original_and_copy", "原件、复印件": "original_and_copy",
         "原件+复印件": "original_and_copy", "电子证照": "electronic", "电子材料": "electronic", "电子": "electronic",
         "电子版": "electronic", "电子文档": "electronic"}
HANDLING = {"即办件": True, "即办": True, "承诺件": False, "承诺": False}
AUDIENCE_WORDS = {"自然人": "person", "个人": "person", "法人": "organisation", "企业法人": "organisation",
                  "事业单位法人": "organisation", "社会组织法人": "organisation", "机关法人": "organisation",
                  "非法人企业": "organisation", "其他组织": "organisation", "企业": "organisation",
                  "非法人组织": "organisation", "社会组织": "organisation", "单位": "organisation"}
LEVEL_WORDS = {"受理": "accept", "可受理": "accept", "办理": "accept", "代收": "collect", "收件转办": "collect",
               "不办理": None, "否": None, "无": None, "—": None, "-": None, "": None}
INSTANT_WORDS = frozenset({"即办", "即时办结", "当场办结", "立即办结", "0"})
_LIMIT_RE = re.compile(r"^(\d+)\s*(?:个)?\s*(工作日|自然日|日|天|小时)?$")
_LIST_SPLIT = re.compile(r"[、,，;；/|｜\s]+")
_UNIT_WORDS = {"工作日": "工作日", "自然日": "自然日", "日": "工作日", "天": "工作日", "小时": "小时"}
PROXY_MATERIAL = {"key": "proxy_auth", "name": "授权委托书（委托他人代办时提交）", "condition": "proxy",
                  "note": "本材料由导入程序补充：清单未列授权委托书，帮办代办时须提交"}


@dataclass(frozen=True)
class MatterChange:
    code: str
    name: str
    changes: tuple[str, ...]  # what differs, in words (承诺办结时限 5个工作日 → 3个工作日; 材料：新增 …)


@dataclass(frozen=True)
class CatalogDiff:
    added: tuple[Matter, ...]
    changed: tuple[MatterChange, ...]
    removed: tuple[Matter, ...]
    catalog_changes: tuple[str, ...]  # departments and queue categories

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.catalog_changes)

    def to_json(self) -> dict[str, Any]:
        return {"added": [{"code": m.code, "name": m.name} for m in self.added],
                "changed": [{"code": c.code, "name": c.name, "changes": list(c.changes)} for c in self.changed],
                "removed": [{"code": m.code, "name": m.name} for m in self.removed],
                "catalog": list(self.catalog_changes)}


@dataclass(frozen=True)
class ImportPlan:
    """What an import would store: the catalog, what is wrong in the file, and the comparison."""

    catalog: Catalog
    issues: tuple[RowIssue, ...]
    diff: CatalogDiff
    rows: int  # data rows read
    matters_read: int  # matters found in the file (good and bad)
    rejected: tuple[str, ...]  # codes of the file's matters left out for their errors
    kept: tuple[str, ...]  # of those, the codes the current catalog had: they stay as they were
    notes: tuple[str, ...]  # things done for the admin to know (authorisations added, columns not used)


# --- reading one matter ---------------------------------------------------------------------------------------


class _Cells(Where):
    """Collects the loader's errors as (field path, reason) to place them on the sheet's cells."""

    def __init__(self, found: list[tuple[str | None, str]], file: str) -> None:
        super().__init__([], file)
        self.found = found

    def at(self, matter: str) -> Where:
        return self

    def add(self, field: str | None, reason: str) -> None:
        self.errors.append(reason)  # the loader counts these to tell a bad matter
        self.found.append((field, reason))


@functools.lru_cache(maxsize=8192)
def material_key(name: str) -> str:
    """A stable key from the material's name: its pinyin initials (``居民身份证`` → ``jmsfz``), so the same
    material keeps its key from one import to the next."""
    from app.catalog.search import pinyin_of

    initials = re.sub(r"[^a-z0-9]", "", pinyin_of(name)[0])[:24]
    return initials if initials[:1].isalpha() else f"m{initials}"[:24] or "m"


@functools.lru_cache(maxsize=1024)
def department_code(name: str) -> str:
    """A department code from its name when the mapping gives none: the pinyin initials, upper case."""
    from app.catalog.search import pinyin_of

    code = re.sub(r"[^A-Z0-9]", "", pinyin_of(name)[0].upper())[:16]
    return code or "DEPT"


@dataclass
class _Group:
    """The rows of one matter."""

    table: Table
    code: str
    first: tuple[int, list[str]]
    rows: list[tuple[int, list[str]]]


class _Reader:
    def __init__(self, mapping: ImportMapping, current: Catalog | None) -> None:
        self.mapping = mapping
        self.current = current
        self.issues: list[RowIssue] = []
        self.departments: dict[str, Department] = {}  # code → department
        self.dept_by_name: dict[str, str] = {}  # name → code
        self.proxy_added = 0
        self.matter = ""  # the matter being read, named in its issues
        self.categories = dict(mapping.categories or (current.categories if current else {}) or {"A": "综合业务"})
        self.categories_mn = dict(mapping.categories_mn or (current.categories_mn if current else {}))
        self._current_dept_category = self._categories_of_current()

    def _categories_of_current(self) -> dict[str, str]:
        """Department name → the queue letter most of its matters use in the current catalog."""
        if self.current is None:
            return {}
        votes: dict[str, Counter[str]] = {}
        for m in self.current.matters:
            votes.setdefault(m.department, Counter())[m.queue_category] += 1
        return {dept: c.most_common(1)[0][0] for dept, c in votes.items()}

    def issue(self, table: Table, row: int, field: str | None, message: str) -> None:
        column = table.where(field) if field else ""
        self.issues.append(RowIssue(table.sheet, row, column, message, self.matter))

    # --- grouping rows into matters ---------------------------------------------------------------------------

    def groups(self, tables: list[Table]) -> list[_Group]:
        groups: list[_Group] = []
        by_code: dict[str, _Group] = {}
        items: dict[str, str] = {}  # 实施编码 → first 办理项 seen (two items need 办理项编码)
        for table in tables:
            current: _Group | None = None
            for number, cells in table.rows:
                code = self._code_of(table, cells)
                name = table.value(cells, "name")
                if not code and not name:
                    if current is None:
                        self.issue(table, number, "code", "本行没有事项名称和实施编码，且上方没有事项可归属")
                        continue
                    current.rows.append((number, cells))
                    continue
                if not code:
                    self.issue(table, number, "code", f"事项“{name}”缺少实施编码")
                    current = None
                    continue
                if current is not None and current.code == code:
                    current.rows.append((number, cells))
                    continue
                item = table.value(cells, "item")
                base = table.value(cells, "code")
                if "item_code" not in table.columns and item and base:
                    earlier = items.setdefault(base, item)
                    if earlier != item:
                        self.issue(table, number, "item", f"实施编码 {base} 下有多个办理项（“{earlier}”“{item}”），"
                                                          "请在表中加“办理项编码”列以区分")
                        current = None
                        continue
                if code in by_code:
                    first = by_code[code].first[0]
                    self.issue(table, number, "code", f"实施编码 {code} 已在工作表“{by_code[code].table.sheet}”第 "
                                                      f"{first} 行出现；同一事项的材料行应连续排列")
                    current = None
                    continue
                current = _Group(table, code, (number, cells), [(number, cells)])
                by_code[code] = current
                groups.append(current)
        return groups

    @staticmethod
    def _code_of(table: Table, cells: list[str]) -> str:
        item_code = table.value(cells, "item_code")
        if item_code:
            return item_code
        return table.value(cells, "code") if "code" in table.columns else table.value(cells, "basic_code")

    # --- cell values ------------------------------------------------------------------------------------------

    def _flag(self, g: _Group, number: int, cells: list[str], field: str) -> bool | None:
        text = g.table.value(cells, field).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        self.issue(g.table, number, field, f"取值“{text}”无法识别，应为 是 / 否")
        return None

    def _limit(self, g: _Group, field: str, unit_field: str, instant: bool) -> str | None:
        number, cells = g.first
        text = re.sub(r"\s+", "", g.table.value(cells, field))
        if not text:
            if instant:
                return "即办"
            self.issue(g.table, number, field, f"{FIELD_LABELS[field]}为空")
            return None
        if text in INSTANT_WORDS:
            return "即办"
        match = _LIMIT_RE.match(text)
        if not match:
            self.issue(g.table, number, field, f"无法识别的时限“{text}”，应写成“20”“20个工作日”“60自然日”或“即办”")
            return None
        unit = match.group(2)
        if unit is None:
            unit = (g.table.value(cells, unit_field) or g.table.value(cells, "time_unit")
                    or g.table.columns[field].unit_hint or "工作日")
            unit = re.sub(r"^个", "", unit.strip())
            if unit not in _UNIT_WORDS:
                column = unit_field if unit_field in g.table.columns else "time_unit"
                self.issue(g.table, number, column, f"时限单位“{unit}”无效，应为 工作日 / 自然日 / 小时")
                return None
        return f"{int(match.group(1))} {_UNIT_WORDS[unit]}"

    def _department(self, name: str) -> Department:
        code = self.dept_by_name.get(name)
        if code is not None:
            return self.departments[code]
        known = next((d for d in (self.current.departments if self.current else ()) if d.name == name), None)
        code = self.mapping.departments.get(name) or (known.code if known else department_code(name))
        base, n = code, 2
        while code in self.departments:
            code, n = f"{base}{n}", n + 1
        dept = Department(code=code, name=name, phone=known.phone if known else "",
                          name_mn=known.name_mn if known else "")
        self.departments[code] = dept
        self.dept_by_name[name] = code
        return dept

    def _category(self, g: _Group, dept: Department) -> str:
        cells = g.first[1]
        given = g.table.value(cells, "category").strip().upper()
        if given:
            return given
        return (self.mapping.department_categories.get(dept.name)
                or self.mapping.department_categories.get(dept.code)
                or self._current_dept_category.get(dept.name)
                or self.mapping.default_category
                or next(iter(self.categories)))

    # --- one matter ------------------------------------------------------------------------------------------

    def raw_matter(self, g: _Group) -> tuple[dict[str, Any], dict[str, tuple[int, str | None]], bool]:
        """The ``[[matters]]`` table of the group, where each of its fields came from, and whether a cell could
        not be read (reported; the table then lacks that field, so the loader's checks still see the rest)."""
        before = len(self.issues)
        t = g.table
        number, cells = g.first
        self.matter = f"{g.code}“{_full_name(t, cells)}”"
        where: dict[str, tuple[int, str | None]] = {}
        # Matter columns must agree on every row (merged cells do; a misaligned CSV row does not).
        for row_no, row in g.rows[1:]:
            for name in MATTER_FIELDS & t.columns.keys():
                value = t.value(row, name)
                if value and value != t.value(cells, name):
                    self.issue(t, row_no, name, f"与本事项第 {number} 行的“{t.value(cells, name)}”不一致（“{value}”），"
                                                "同一事项的各材料行应相同")
        name = _full_name(t, cells)
        handling = t.value(cells, "handling").replace(" ", "")
        instant: bool | None = None
        if handling:
            instant = HANDLING.get(handling)
            if instant is None:
                self.issue(t, number, "handling", f"办件类型“{handling}”无效，应为 即办件 / 承诺件")
        raw: dict[str, Any] = {"code": g.code, "name": name}
        where.update(code=(number, "code"), name=(number, "name"))
        kind = t.value(cells, "kind")
        if kind and kind not in KINDS:
            self.issue(t, number, "kind", f"事项类型“{kind}”不在窗口受理的类型中（{' / '.join(KINDS)}）")
        raw["kind"] = kind
        where["kind"] = (number, "kind")
        where["department"] = (number, "department")
        dept_name = t.value(cells, "department")
        if not dept_name:
            self.issue(t, number, "department", "实施主体为空")
        else:
            dept = self._department(dept_name)
            raw["department"] = dept.code
            raw["category"] = self._category(g, dept)
            where["category"] = (number, "category" if "category" in t.columns else "department")
        promised = self._limit(g, "promised", "promised_unit", bool(instant))
        legal = self._limit(g, "legal", "legal_unit", bool(instant))
        raw.update({k: v for k, v in (("promised", promised), ("legal", legal)) if v is not None})
        where.update(promised=(number, "promised"), legal=(number, "legal"))
        if instant is not None:
            raw["instant"] = instant
            where["instant"] = (number, "handling")
        for key, col in (("name_mn", "name_mn"), ("basic_code", "basic_code"), ("office", "office"),
                         ("basis", "basis"), ("conditions", "conditions"), ("consult_phone", "phone"),
                         ("supervise_phone", "supervise_phone")):
            if text := t.value(cells, col):
                raw[key] = text
                where[key] = (number, col)
        if "supervise_phone" not in raw and self.mapping.supervise_phone:
            raw["supervise_phone"] = self.mapping.supervise_phone
        if "fee" in t.columns:
            charged = self._flag(g, number, cells, "fee")
            detail = t.value(cells, "fee_detail")
            raw["fee"] = (detail or "收费（标准见办事指南）") if charged else "不收费"
            where["fee"] = (number, "fee")
        if visits := t.value(cells, "visits"):
            if re.fullmatch(r"\d+", visits.rstrip("次")):
                raw["visits"] = int(visits.rstrip("次"))
                where["visits"] = (number, "visits")
            else:
                self.issue(t, number, "visits", f"到办事现场次数“{visits}”应为整数（0、1、2 …）")
        if audience := t.value(cells, "audience"):
            kinds = []
            for word in (w for w in _LIST_SPLIT.split(audience) if w):
                if word not in AUDIENCE_WORDS:
                    self.issue(t, number, "audience", f"服务对象“{word}”无法识别，应为 自然人 / 法人（企业法人、"
                                                      "事业单位法人、社会组织法人、其他组织）")
                elif AUDIENCE_WORDS[word] not in kinds:
                    kinds.append(AUDIENCE_WORDS[word])
            raw["audience"] = kinds
            where["audience"] = (number, "audience")
        levels = {}
        for level in ("township", "village"):
            text = t.value(cells, level).replace(" ", "")
            if text not in LEVEL_WORDS:
                self.issue(t, number, level, f"“{text}”无效，应为 受理 / 代收 / 不办理（空白为不办理）")
            elif LEVEL_WORDS[text]:
                levels[level] = LEVEL_WORDS[text]
                where[f"levels.{level}"] = (number, level)
        if levels:
            raw["levels"] = levels
        if keywords := t.value(cells, "keywords"):
            raw["keywords"] = list(dict.fromkeys(w for w in _LIST_SPLIT.split(keywords) if w))
            where["keywords"] = (number, "keywords")
        raw["materials"] = self._materials(g, promised, raw, where)
        where["materials"] = (number, "material")
        return raw, where, len(self.issues) > before

    def _materials(self, g: _Group, promised: str | None, matter: dict[str, Any],
                   where: dict[str, tuple[int, str | None]]) -> list[dict[str, Any]]:
        t = g.table
        out: list[dict[str, Any]] = []
        keys: set[str] = set()
        promised_days = None
        if promised and promised.endswith("工作日"):
            promised_days = int(promised.split()[0])
        for number, cells in g.rows:
            name = t.value(cells, "material")
            if not name:
                if len(g.rows) > 1:
                    self.issue(t, number, "material", "材料名称为空")
                continue
            j = len(out)
            prefix = f"materials[{j}]"
            key = base = material_key(name)
            n = 2
            while key in keys:
                key, n = f"{base}_{n}", n + 1
            keys.add(key)
            m: dict[str, Any] = {"key": key, "name": name}
            for field in ("", ".key", ".name", ".condition"):
                where[f"{prefix}{field}"] = (number, "material")
            if PROXY_AUTH_WORD in name:
                m["condition"] = "proxy"
            form = t.value(cells, "form").replace(" ", "")
            if form:
                if form not in FORMS:
                    self.issue(t, number, "form", f"材料类型“{form}”无效，应为 原件 / 复印件 / 原件及复印件 / 电子证照")
                else:
                    m["form"] = FORMS[form]
                    where[f"{prefix}.form"] = (number, "form")
            copies = t.value(cells, "copies")
            if copies:
                count = copies.removesuffix("份").strip()
                if re.fullmatch(r"\d+", count) and int(count) >= 1:
                    m["copies"] = int(count)
                    where[f"{prefix}.copies"] = (number, "copies")
                else:
                    self.issue(t, number, "copies", f"份数“{copies}”应为正整数（如 1、2份）")
            for field, key_ in (("required", "required"), ("core", "core"), ("deferrable", "deferrable")):
                if field in t.columns:
                    flag = self._flag(g, number, cells, field)
                    if flag is not None and (flag or field == "required"):
                        m[key_] = flag
                        where[f"{prefix}.{key_}"] = (number, field)
            if m.get("deferrable"):
                days_text = t.value(cells, "supply_days")
                days_text = re.sub(r"\s*(个)?工作日$", "", days_text)
                if days_text:
                    if re.fullmatch(r"\d+", days_text):
                        m["supply_days"] = int(days_text)
                        where[f"{prefix}.supply_days"] = (number, "supply_days")
                    else:
                        self.issue(t, number, "supply_days", f"容缺补交期限“{days_text}”应为工作日数（整数）")
                else:
                    default = self.mapping.supply_days
                    m["supply_days"] = min(default, promised_days) if promised_days else default
                    where[f"{prefix}.supply_days"] = (number, "deferrable")
            if "pledgeable" in t.columns and self._flag(g, number, cells, "pledgeable"):
                m["pledge"] = {
                    "basis": t.value(cells, "pledge_basis") or matter.get("basis") or self.mapping.pledge_basis,
                    "content": t.value(cells, "pledge_content") or f"“{name}”所证明的事项",
                    "text": t.value(cells, "pledge_text") or f"本人（单位）承诺符合“{name}”所证明的条件，"
                                                             "所作承诺真实有效，愿意承担不实承诺的法律责任。",
                    "verification": t.value(cells, "pledge_verification") or "书面核查",
                }
                where[f"{prefix}.pledge"] = (number, "pledgeable")
                where[f"{prefix}.pledgeable"] = (number, "pledgeable")
            for key_, col in (("channel", "channel"), ("e_license", "e_license"), ("note", "material_note")):
                if text := t.value(cells, col):
                    m[key_] = text
                    where[f"{prefix}.{key_}"] = (number, col)
            out.append(m)
        if out and self.mapping.add_proxy_authorization and not any(
                m.get("condition") == "proxy" for m in out):
            out.append(dict(PROXY_MATERIAL))
            self.proxy_added += 1
        return out

    def place(self, g: _Group, where: dict[str, tuple[int, str | None]], field: str | None, reason: str, *,
              skip: set[tuple[int, str]]) -> None:
        """Put one of the loader's errors on the cell it came from (``materials[2].supply_days`` → that
        material's row, the 容缺补交期限 column)."""
        number, column = g.first[0], None
        path = field or ""
        while path:
            if path in where:
                number, column = where[path]
                break
            if "." in path:
                path = path.rsplit(".", 1)[0]
            elif re.search(r"\[\d+\]$", path):
                path = re.sub(r"\[\d+\]$", "", path)
            else:
                break
        if (number, g.table.where(column) if column else "") in skip:
            return  # that cell is already reported as unreadable; the loader only misses its value
        self.issue(g.table, number, column, reason if column or not field else f"{field}：{reason}")


def _full_name(t: Table, cells: list[str]) -> str:
    """事项名称, with the 办理项 in brackets when there is one (食品经营许可（变更）)."""
    name, item = t.value(cells, "name"), t.value(cells, "item")
    return f"{name}（{item}）" if item and item != name else name


def _context(reader: _Reader) -> MatterContext:
    return MatterContext(departments=reader.departments, categories=reader.categories, codes={},
                         supervise_phone=reader.mapping.supervise_phone, categories_mn=reader.categories_mn)


def _read_matters(tables: list[Table], reader: _Reader) -> tuple[list[Matter], list[str], int]:
    groups = reader.groups(tables)
    ctx = _context(reader)
    matters: list[Matter] = []
    rejected: list[str] = []
    for i, g in enumerate(groups):
        before = len(reader.issues)
        raw, where, unreadable = reader.raw_matter(g)
        found: list[tuple[str | None, str]] = []
        cells = _Cells(found, f"工作表“{g.table.sheet}”第 {g.first[0]} 行")
        matter = read_matter(raw, i, ctx, cells)
        reported = {(x.row, x.column) for x in reader.issues[before:]}
        for field, reason in found:
            reader.place(g, where, field, reason, skip=reported)
        reader.matter = ""
        if matter is None or unreadable:
            rejected.append(g.code)
        else:
            matters.append(matter)
    return matters, rejected, len(groups)


# --- comparing with the current catalog ---------------------------------------------------------------------

_CHANGE_LABELS = {"name": "事项名称", "name_mn": "蒙古文名称", "department": "实施主体", "kind": "事项类型",
                  "promised": "承诺办结时限", "legal": "法定办结时限", "queue_category": "排队类别", "fee": "收费",
                  "instant": "办件类型", "keywords": "常用名称", "basis": "设定依据", "conditions": "受理条件",
                  "consult_phone": "咨询电话", "supervise_phone": "监督电话", "basic_code": "基本编码",
                  "office": "承办机构", "visits": "到办事现场次数", "audience": "服务对象", "levels": "苏木乡镇/嘎查村"}


def _shown(key: str, m: Matter) -> str:
    if key in ("promised", "legal"):
        return getattr(m, key).label()
    if key == "instant":
        return "即办件" if m.instant else "承诺件"
    if key == "levels":
        words = {"accept": "受理", "collect": "代收"}
        return "、".join(f"{LEVEL_NAMES[lv]}{words[mode]}" for lv, mode in m.levels) or "（均不办理）"
    value = getattr(m, key, "")
    if isinstance(value, tuple):
        return "、".join(value) or "（无）"
    return str(value) if value not in ("", None) else "（无）"


def matter_changes(old: Matter, new: Matter) -> tuple[str, ...]:
    """What differs between two versions of one matter, in words an admin checks against the region's list."""
    a, b = matter_to_payload(old), matter_to_payload(new)
    out: list[str] = []
    for key in sorted(set(a) | set(b), key=lambda k: list(b).index(k) if k in b else 99):
        if key in ("materials", "schema", "department_code") or a.get(key) == b.get(key):
            continue
        label = _CHANGE_LABELS.get(key, key)
        if key in _CHANGE_LABELS:
            out.append(f"{label}：{_shown(key, old)} → {_shown(key, new)}")
        else:
            out.append(f"{label} 有变化")
    old_m = {m["key"]: m for m in a["materials"]}
    new_m = {m["key"]: m for m in b["materials"]}
    added = [new_m[k]["name"] for k in new_m if k not in old_m]
    removed = [old_m[k]["name"] for k in old_m if k not in new_m]
    changed = [new_m[k]["name"] for k in new_m if k in old_m and new_m[k] != old_m[k]]
    for words, names in (("新增材料", added), ("删除材料", removed), ("材料要求变化", changed)):
        if names:
            out.append(f"{words}：{'、'.join(names)}")
    if not out and [m["key"] for m in a["materials"]] != [m["key"] for m in b["materials"]]:
        out.append("材料顺序变化")
    return tuple(out)


def diff_catalogs(old: Catalog | None, new: Catalog) -> CatalogDiff:
    before = {m.code: m for m in (old.matters if old else ())}
    after = {m.code: m for m in new.matters}
    added = tuple(m for c, m in after.items() if c not in before)
    removed = tuple(m for c, m in before.items() if c not in after)
    changed = []
    for code, m in after.items():
        if code in before:
            changes = matter_changes(before[code], m)
            if changes:
                changed.append(MatterChange(code, m.name, changes))
    notes: list[str] = []
    if old is not None:
        a, b = catalog_meta(old), catalog_meta(new)
        if a["categories"] != b["categories"] or a["categories_mn"] != b["categories_mn"]:
            notes.append("排队类别：" + "、".join(f"{k} {v}" for k, v in b["categories"].items()))
        old_d = {d["code"]: d for d in a["departments"]}
        new_d = {d["code"]: d for d in b["departments"]}
        for code, d in new_d.items():
            if code not in old_d:
                notes.append(f"新增部门：{d['name']}（{code}）")
            elif old_d[code] != d:
                notes.append(f"部门信息变化：{d['name']}（{code}）")
        for code, d in old_d.items():
            if code not in new_d:
                notes.append(f"不再有部门：{d['name']}（{code}）")
        old_b = {b.code: b for b in old.bundles}
        new_b = {b.code: b for b in new.bundles}
        notes += [f"新增一件事：{b.name}（{len(b.matters)} 个事项）" for c, b in new_b.items() if c not in old_b]
        notes += [f"一件事变化：{b.name}" for c, b in new_b.items() if c in old_b and old_b[c] != b]
        notes += [f"不再有一件事：{b.name}" for c, b in old_b.items() if c not in new_b]
    return CatalogDiff(added, tuple(changed), removed, tuple(notes))


# --- the whole import -------------------------------------------------------------------------------------


def plan_import(path: Path, *, mapping: ImportMapping, current: Catalog | None, version: str,
                issued: str) -> ImportPlan:
    """Read ``path`` and build the catalog it describes, compared with ``current``. CatalogError when the file
    cannot be read at all or no matter in it is usable."""
    reader = _Reader(mapping, current)
    bundle_sheets: list[tuple[str, list[list[str]]]] = []
    tables = read_tables(path, mapping, reader.issues, bundle_sheets)
    if not tables:
        detail = "；".join(str(i) for i in reader.issues[:3])
        raise CatalogError(f"{path.name} 中没有可导入的事项表" + (f"：{detail}" if detail else ""), field="file")
    matters, rejected, count = _read_matters(tables, reader)
    kept: list[str] = []
    by_code = {m.code: m for m in (current.matters if current else ())}
    for code in rejected:
        old = by_code.get(code)
        if old is None or old.queue_category not in reader.categories:
            continue
        if old.department_code not in reader.departments:
            dept = next((d for d in current.departments if d.code == old.department_code), None) if current else None
            if dept is None or dept.name in reader.dept_by_name:
                continue
            reader.departments[dept.code] = dept
            reader.dept_by_name[dept.name] = dept.code
        matters.append(old)
        kept.append(code)
    if not matters:
        raise CatalogError(f"{path.name} 中没有一个事项可以导入（共 {len(reader.issues)} 处错误，第一处：{reader.issues[0]}）"
                           if reader.issues else f"{path.name} 中没有事项", field="file")
    # Grouped by department (in the order the file names them), as the catalog files hold them.
    first = {code: n for n, code in enumerate(dict.fromkeys(m.department_code for m in matters))}
    matters.sort(key=lambda m: first[m.department_code])
    used = set(first)
    # 一件事一次办 from the file's 一件事 sheet; without one, the current catalog's bundles whose matters remain.
    by_code = {m.code: m for m in matters}
    if bundle_sheets:
        bundles = bundles_from_sheets(bundle_sheets, matters=by_code, known=set(by_code) | set(rejected),
                                      categories=reader.categories, issues=reader.issues)
    else:
        bundles = tuple(b for b in (current.bundles if current else ()) if set(b.matters) <= set(by_code))
    catalog = Catalog(
        version=version, issued=issued, source=mapping.source or f"政务服务事项实施清单 {path.name}",
        departments=tuple(d for d in reader.departments.values() if d.code in used), matters=tuple(matters),
        categories=reader.categories, categories_mn=reader.categories_mn, bundles=bundles,
    )
    notes = []
    if reader.proxy_added:
        notes.append(f"{reader.proxy_added} 个事项的清单未列授权委托书，已补充“{PROXY_MATERIAL['name']}”"
                     "（帮办代办时提交；映射文件 add_proxy_authorization = false 可关闭）")
    for table in tables:
        if table.unused:
            notes.append(f"工作表“{table.sheet}”中未使用的列：{'、'.join(table.unused)}")
    rows = sum(len(t.rows) for t in tables)
    return ImportPlan(catalog=catalog, issues=tuple(reader.issues), diff=diff_catalogs(current, catalog), rows=rows,
                      matters_read=count, rejected=tuple(rejected), kept=tuple(kept), notes=tuple(notes))


def with_version(plan: ImportPlan, version: str) -> ImportPlan:
    return dataclasses.replace(plan, catalog=dataclasses.replace(plan.catalog, version=version))
