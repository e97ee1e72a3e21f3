"""Reading the matter catalog (TOML, described in ``docs/catalog.md``) into the dataclasses of
:mod:`app.catalog.model`. Validation collects every error, each naming the file, the matter code and the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from app.catalog.bundles import read_bundles
from app.catalog.fields import (
    UNITS,
    Where,
    display_path,
    field_choice,
    field_limit,
    field_mongolian,
    field_str_list,
    field_value,
    parse_time_limit,
    read_toml,
    toml_repr,
    unknown_keys,
)
from app.catalog.model import (
    Bundle,
    Catalog,
    Delivery,
    Department,
    Material,
    MaterialForm,
    Matter,
    PledgeTerms,
    RefusalGround,
    Scope,
    TimeLimit,
)
from app.errors import CatalogError
from app.paths import resource

CATALOG_FILE = "catalog.toml"
DEFAULT_CATALOG_DIR = resource("catalog")

# The 政务服务事项 types a counter takes applications for (行政处罚/强制/检查 are not applied for).
KINDS = ("行政许可", "公共服务", "行政确认", "行政给付", "行政征收", "行政奖励", "行政裁决", "其他行政权力")
AUDIENCES = ("person", "organisation")
FORMS: dict[str, MaterialForm] = {
    "original": "original", "copy": "copy", "original_and_copy": "original_and_copy", "electronic": "electronic",
    "原件": "original", "复印件": "copy", "原件及复印件": "original_and_copy", "电子材料": "electronic",
}
CONDITIONS = ("always", "proxy", "person", "organisation")
SCOPES = ("local", "region_wide", "cross_province")
DELIVERIES = ("pickup", "mail", "online")
# An authorisation for 帮办代办 is recognised by its name; "委托书" covers 授权委托书 and 委托代理书.
PROXY_AUTH_WORD = "委托书"

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_MATTER_KEYS = {
    "code", "name", "department", "kind", "category", "promised", "legal", "fee", "result_type", "result_name",
    "delivery", "scope", "conditions", "consult_phone", "supervise_phone", "keywords", "basis", "instant",
    "materials", "in_person", "refusal_grounds", "hand_over_before_supply", "name_mn",
    "basic_code", "office", "visits", "audience", "levels",
}
LEVEL_MODES = {"accept": "accept", "collect": "collect", "受理": "accept", "代收": "collect"}
LEVEL_NAMES = {"township": "苏木乡镇便民服务中心", "village": "嘎查村便民服务站"}
_GROUND_KEYS = {"code", "text", "basis", "names_authority"}
_MATERIAL_KEYS = {
    "key", "name", "core", "copies", "form", "required", "condition", "deferrable", "supply_days", "pledgeable",
    "pledge", "e_license", "note", "channel",
}
_PLEDGE_KEYS = {"basis", "content", "text", "verification", "personal", "effect", "liability", "check_method",
                "check_days"}
# 核查方式 in the catalog (Chinese or code) → the check task's method.
CHECK_METHODS: dict[str, str] = {"data": "data", "site": "site", "document": "document",
                                 "数据核验": "data", "现场核查": "site", "材料核查": "document"}
_PLEDGE_REQUIRED = {"basis": "设定依据", "content": "证明内容", "text": "承诺内容", "verification": "核查方式"}
_CATALOG_KEYS = {"version", "issued", "source", "supervise_phone", "categories", "categories_mn", "departments",
                 "matters", "bundles"}
_DEPARTMENT_KEYS = {"code", "name", "phone", "name_mn"}
_DEPT_FILE_KEYS = {"department", "matters"}

__all__ = ["UNITS", "CatalogInvalid", "CatalogReport", "check_catalog", "load_catalog", "parse_time_limit"]


class CatalogInvalid(CatalogError):
    """A catalog with one or more errors; ``errors`` lists every one, ``message`` is the first plus a count."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0] if self.errors else "事项目录无效"
        more = f"（另有 {len(self.errors) - 1} 处错误）" if len(self.errors) > 1 else ""
        super().__init__(first + more)


@dataclass(frozen=True)
class CatalogReport:
    """The outcome of reading a catalog: the catalog when it is valid, and every error found."""

    catalog: Catalog | None
    errors: tuple[str, ...]
    files: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def default_check_method(verification: str) -> str:
    """The check a catalog entry without ``check_method`` gets, read from its 核查方式 text."""
    if "网络" in verification or "数据" in verification:
        return "data"
    if "实地" in verification or "现场" in verification:
        return "site"
    return "document"


def _pledge(raw: Any, where: Where, field: str) -> PledgeTerms | None:
    if not isinstance(raw, dict):
        where.add(field, f"类型错误：应为表，实际为 {toml_repr(raw)}")
        return None
    unknown_keys(raw, _PLEDGE_KEYS, where, field + ".")
    values: dict[str, Any] = {}
    for key, label in _PLEDGE_REQUIRED.items():
        if key not in raw:
            where.add(f"{field}.{key}", f"告知承诺材料必须写明{label}")
            continue
        values[key] = field_value(raw, key, str, where, f"{field}.{key}")
    values["personal"] = field_value(raw, "personal", bool, where, f"{field}.personal", False)
    for key in ("effect", "liability"):
        if key in raw:
            values[key] = field_value(raw, key, str, where, f"{field}.{key}")
    if "check_method" in raw:
        values["check_method"] = field_choice(raw, "check_method", CHECK_METHODS, where, f"{field}.check_method")
    else:
        values["check_method"] = default_check_method(str(raw.get("verification", "")))
    if "check_days" in raw:
        days = field_value(raw, "check_days", int, where, f"{field}.check_days")
        if days is not None and not 1 <= days <= 365:
            where.add(f"{field}.check_days", f"核查期限应为 1–365 个工作日，实际为 {days}")
            days = None
        values["check_days"] = days
    if any(v is None for v in values.values()) or set(_PLEDGE_REQUIRED) - set(values):
        return None
    return PledgeTerms(**values)


def _refusal_grounds(raw: Any, where: Where) -> tuple[RefusalGround, ...]:
    """The matter's own 不予受理 grounds; §32(1)(2) are always available and need not be listed."""
    from app.catalog.model import DEFAULT_REFUSAL_GROUNDS

    if not isinstance(raw, list):
        where.add("refusal_grounds", f"类型错误：应为表数组，实际为 {toml_repr(raw)}")
        return ()
    grounds: list[RefusalGround] = []
    seen = {g.code for g in DEFAULT_REFUSAL_GROUNDS}
    for i, item in enumerate(raw):
        field = f"refusal_grounds[{i}]"
        if not isinstance(item, dict):
            where.add(field, f"类型错误：应为表，实际为 {toml_repr(item)}")
            continue
        unknown_keys(item, _GROUND_KEYS, where, field + ".")
        before = len(where.errors)
        code = field_value(item, "code", str, where, f"{field}.code")
        text = field_value(item, "text", str, where, f"{field}.text")
        basis = field_value(item, "basis", str, where, f"{field}.basis")
        names = field_value(item, "names_authority", bool, where, f"{field}.names_authority", False)
        if code is not None and not _KEY_RE.match(code):
            where.add(f"{field}.code", f"\"{code}\" 无效：只能用小写字母、数字和下划线，以字母开头")
        elif code is not None and code in seen:
            where.add(f"{field}.code", f"不予受理理由编码 \"{code}\" 重复（no_permit_needed、not_competent 已内置）")
        if len(where.errors) > before:
            continue
        seen.add(cast(str, code))
        grounds.append(RefusalGround(code=cast(str, code), text=cast(str, text), basis=cast(str, basis),
                                     names_authority=bool(names)))
    return tuple(grounds)


def _material(raw: Any, i: int, promised: TimeLimit | None, where: Where) -> Material | None:
    field = f"materials[{i}]"
    if not isinstance(raw, dict):
        where.add(field, f"类型错误：应为表，实际为 {toml_repr(raw)}")
        return None
    unknown_keys(raw, _MATERIAL_KEYS, where, field + ".")
    before = len(where.errors)
    key = field_value(raw, "key", str, where, f"{field}.key")
    if key is not None and not _KEY_RE.match(key):
        where.add(f"{field}.key", f"\"{key}\" 无效：只能用小写字母、数字和下划线，以字母开头")
    name = field_value(raw, "name", str, where, f"{field}.name")
    core = field_value(raw, "core", bool, where, f"{field}.core", False)
    copies = field_value(raw, "copies", int, where, f"{field}.copies", 1)
    if copies is not None and copies < 1:
        where.add(f"{field}.copies", f"份数至少为 1，实际为 {copies}")
    form = field_choice(raw, "form", FORMS, where, f"{field}.form", "original")
    required = field_value(raw, "required", bool, where, f"{field}.required", True)
    condition = field_choice(raw, "condition", CONDITIONS, where, f"{field}.condition", "always")
    deferrable = field_value(raw, "deferrable", bool, where, f"{field}.deferrable", False)
    supply_days = field_value(raw, "supply_days", int, where, f"{field}.supply_days", None)
    has_pledge = "pledge" in raw
    pledgeable = field_value(raw, "pledgeable", bool, where, f"{field}.pledgeable", has_pledge)
    e_license = field_value(raw, "e_license", str, where, f"{field}.e_license", None)
    note = field_value(raw, "note", str, where, f"{field}.note", "")
    channel = field_value(raw, "channel", str, where, f"{field}.channel", "")
    if core and deferrable:
        where.add(f"{field}.deferrable", f"核心材料“{name}”不能容缺")
    if deferrable and supply_days is None and "supply_days" not in raw:
        where.add(f"{field}.supply_days", "容缺材料必须给出补交期限（工作日）")
    if supply_days is not None:
        if not deferrable:
            where.add(f"{field}.supply_days", "只有容缺材料（deferrable = true）才有补交期限")
        elif supply_days < 1:
            where.add(f"{field}.supply_days", f"补交期限至少 1 个工作日，实际为 {supply_days}")
        elif promised is not None and promised.unit == "workday" and supply_days > promised.amount:
            limit = f" {promised.amount} 个工作日" if promised.amount else "（即办件不能容缺）"
            where.add(f"{field}.supply_days", f"容缺补交期限 {supply_days} 个工作日超过承诺时限{limit}")
    pledge = None
    if pledgeable and not has_pledge:
        where.add(f"{field}.pledge", "告知承诺材料必须给出 pledge 表（设定依据、证明内容、承诺内容、核查方式）")
    elif has_pledge and not pledgeable:
        where.add(f"{field}.pledgeable", "给出了 pledge 表却写明 pledgeable = false")
    elif has_pledge:
        pledge = _pledge(raw["pledge"], where, f"{field}.pledge")
    if len(where.errors) > before:
        return None
    return Material(
        key=cast(str, key), name=cast(str, name), core=bool(core), copies=cast(int, copies),
        form=cast(MaterialForm, form), required=bool(required), condition=cast(Any, condition),
        deferrable=bool(deferrable), supply_days=supply_days, pledgeable=bool(pledgeable), pledge=pledge,
        e_license=e_license, note=cast(str, note), channel=cast(str, channel),
    )


def _matter(raw: Any, i: int, file_dept: str | None, ctx: _Context, where: Where) -> Matter | None:
    if not isinstance(raw, dict):
        where.add(f"matters[{i}]", f"类型错误：应为表，实际为 {toml_repr(raw)}")
        return None
    code = raw.get("code")
    label = code.strip() if isinstance(code, str) and code.strip() else f"（第 {i + 1} 个，编码缺失或无效）"
    w = where.at(label)
    before = len(w.errors)
    unknown_keys(raw, _MATTER_KEYS, w)
    code = field_value(raw, "code", str, w, "code")
    if code is not None:
        if not _CODE_RE.match(code):
            w.add("code", "编码只能用字母、数字、点、横线、下划线，最长 40 个字符")
        elif code in ctx.codes:
            w.add("code", f"事项编码重复，已在 {ctx.codes[code]} 中使用")
        else:
            ctx.codes[code] = where.file
    name = field_value(raw, "name", str, w, "name")
    name_mn = field_mongolian(raw, "name_mn", w, "name_mn")
    # In a department file the matter belongs to the file's department unless it names another one.
    if file_dept is None:
        dept_code = field_value(raw, "department", str, w, "department")
    else:
        dept_code = field_value(raw, "department", str, w, "department", file_dept)
    department = None
    if dept_code is not None:
        department = ctx.departments.get(dept_code)
        if department is None:
            w.add("department", f"未知部门 \"{dept_code}\"，请先在 {CATALOG_FILE} 的 departments 中登记")
    kind = field_choice(raw, "kind", KINDS, w, "kind")
    category = field_value(raw, "category", str, w, "category")
    if category is not None and category not in ctx.categories:
        known = "、".join(sorted(ctx.categories)) or "（无）"
        w.add("category", f"未知排队业务类别 \"{category}\"，已登记的类别：{known}")
    promised = field_limit(raw, "promised", w)
    legal = field_limit(raw, "legal", w)
    if legal is not None and legal.amount == 0 and (promised is None or promised.amount > 0):
        w.add("legal", "法定时限不能为 0（只有即办件的承诺时限可以为 0）")
    if promised and legal and promised.unit == legal.unit and promised.amount > legal.amount:
        w.add("promised", f"承诺时限 {promised.label()} 超过法定时限 {legal.label()}")
    instant = field_value(raw, "instant", bool, w, "instant", promised is not None and promised.amount == 0)
    early = field_value(raw, "hand_over_before_supply", bool, w, "hand_over_before_supply", False)
    if instant and promised is not None and promised.amount > 0:
        w.add("instant", f"即办件的承诺时限应为 0（即办），实际为 {promised.label()}")
    delivery = field_str_list(raw, "delivery", w, "delivery") if "delivery" in raw else ("pickup",)
    if delivery is not None:
        if not delivery:
            w.add("delivery", "至少给出一种送达方式（pickup / mail / online）")
        for j, item in enumerate(delivery):
            if item not in DELIVERIES:
                w.add(f"delivery[{j}]", f"取值 \"{item}\" 无效，应为 pickup / mail / online 之一")
        if len(set(delivery)) != len(delivery):
            w.add("delivery", "送达方式重复")
    scope = field_choice(raw, "scope", SCOPES, w, "scope", "local")
    keywords = field_str_list(raw, "keywords", w, "keywords")
    texts = {key: field_value(raw, key, str, w, key, default) for key, default in (
        ("fee", "不收费"), ("result_type", "证照"), ("result_name", ""), ("conditions", ""), ("basis", ""),
        ("consult_phone", department.phone if department else ""),
        ("supervise_phone", ctx.supervise_phone))}
    in_person = field_value(raw, "in_person", bool, w, "in_person", False)
    listed = {key: field_value(raw, key, str, w, key, "") for key in ("basic_code", "office")}
    visits = field_value(raw, "visits", int, w, "visits", None)
    if visits is not None and not 0 <= visits <= 10:
        w.add("visits", f"到办事现场次数应为 0–10，实际为 {visits}")
    audience = field_str_list(raw, "audience", w, "audience")
    for j, item in enumerate(audience or ()):
        if item not in AUDIENCES:
            w.add(f"audience[{j}]", f"取值 \"{item}\" 无效，应为 person（自然人）/ organisation（法人）之一")
    levels: list[tuple[str, str]] = []
    raw_levels = field_value(raw, "levels", dict, w, "levels", {}) or {}
    for level in raw_levels:
        if level not in LEVEL_NAMES:
            w.add(f"levels.{level}", "层级应为 township（苏木乡镇）/ village（嘎查村）；旗县政务服务中心受理全部事项，不必写")
            continue
        mode = field_choice(raw_levels, level, LEVEL_MODES, w, f"levels.{level}")
        if mode is not None:
            levels.append((level, mode))
    grounds = _refusal_grounds(raw["refusal_grounds"], w) if "refusal_grounds" in raw else ()
    raw_materials = field_value(raw, "materials", list, w, "materials")
    materials: list[Material] = []
    if raw_materials is not None:
        if not raw_materials:
            w.add("materials", "申请材料不能为空")
        for j, item in enumerate(raw_materials):
            material = _material(item, j, promised, w)
            if material is not None:
                materials.append(material)
        keys = [m.key for m in materials]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            w.add("materials", f"材料 key \"{key}\" 重复")
        if raw_materials and not any(
            isinstance(m, dict) and m.get("condition") == "proxy" and PROXY_AUTH_WORD in str(m.get("name", ""))
            for m in raw_materials
        ):
            w.add("materials", "缺少代办授权材料（condition = \"proxy\" 的授权委托书），无法受理帮办代办")
    if len(w.errors) > before:
        return None
    assert department is not None and promised is not None and legal is not None
    return Matter(
        code=cast(str, code), name=cast(str, name), department=department.name, department_code=department.code,
        kind=cast(str, kind), promised=promised, legal=legal, materials=tuple(materials),
        queue_category=cast(str, category), fee=cast(str, texts["fee"]), result_type=cast(str, texts["result_type"]),
        result_name=cast(str, texts["result_name"]), delivery=cast(tuple[Delivery, ...], delivery),
        scope=cast(Scope, scope), conditions=cast(str, texts["conditions"]),
        consult_phone=cast(str, texts["consult_phone"]), supervise_phone=cast(str, texts["supervise_phone"]),
        keywords=cast(tuple[str, ...], keywords), basis=cast(str, texts["basis"]), instant=bool(instant),
        in_person=bool(in_person), refusal_grounds=grounds,
        hand_over_before_supply=bool(early), name_mn=name_mn,
        basic_code=cast(str, listed["basic_code"]), office=cast(str, listed["office"]), visits=visits,
        audience=cast(tuple[str, ...], audience), levels=cast(Any, tuple(levels)),
    )


@dataclass
class _Context:
    departments: dict[str, Department]
    categories: dict[str, str]
    codes: dict[str, str]  # matter code → file that defined it first
    supervise_phone: str = ""
    categories_mn: dict[str, str] = field(default_factory=dict)


def _header(data: dict[str, Any], where: Where, *, allow_matters: bool) -> tuple[dict[str, Any], _Context]:
    allowed = _CATALOG_KEYS if allow_matters else _CATALOG_KEYS - {"matters"}
    unknown_keys(data, allowed, where)
    head: dict[str, Any] = {"version": field_value(data, "version", str, where, "version")}
    issued = data.get("issued")
    if isinstance(issued, dt.date) and not isinstance(issued, dt.datetime):
        head["issued"] = issued.isoformat()
    elif isinstance(issued, str):
        try:
            head["issued"] = dt.date.fromisoformat(issued.strip()).isoformat()
        except ValueError:
            where.add("issued", f"日期 \"{issued}\" 无效，应为 YYYY-MM-DD")
    elif "issued" in data:
        where.add("issued", f"类型错误：应为日期 YYYY-MM-DD，实际为 {toml_repr(issued)}")
    else:
        where.add("issued", "缺少必填字段")
    head["source"] = field_value(data, "source", str, where, "source", "")
    supervise = field_value(data, "supervise_phone", str, where, "supervise_phone", "")
    categories: dict[str, str] = {}
    raw_categories = field_value(data, "categories", dict, where, "categories")
    for letter, name in (raw_categories or {}).items():
        if not re.fullmatch(r"[A-Z]", letter):
            where.add(f"categories.{letter}", "排队业务类别必须是一个大写字母 A–Z")
        elif not isinstance(name, str) or not name.strip():
            where.add(f"categories.{letter}", f"类别名称应为非空字符串，实际为 {toml_repr(name)}")
        else:
            categories[letter] = name.strip()
    categories_mn: dict[str, str] = {}
    raw_categories_mn: dict[str, Any] = field_value(data, "categories_mn", dict, where, "categories_mn", {}) or {}
    for letter in raw_categories_mn:
        if letter not in categories:
            where.add(f"categories_mn.{letter}", f"类别 \"{letter}\" 未在 categories 中登记")
        elif text := field_mongolian(raw_categories_mn, letter, where, f"categories_mn.{letter}"):
            categories_mn[letter] = text
    departments: dict[str, Department] = {}
    raw_depts = field_value(data, "departments", list, where, "departments")
    for i, raw in enumerate(raw_depts or []):
        field = f"departments[{i}]"
        if not isinstance(raw, dict):
            where.add(field, f"类型错误：应为表，实际为 {toml_repr(raw)}")
            continue
        unknown_keys(raw, _DEPARTMENT_KEYS, where, field + ".")
        code = field_value(raw, "code", str, where, f"{field}.code")
        name = field_value(raw, "name", str, where, f"{field}.name")
        phone = field_value(raw, "phone", str, where, f"{field}.phone", "")
        dept_mn = field_mongolian(raw, "name_mn", where, f"{field}.name_mn")
        if code is not None and code in departments:
            where.add(f"{field}.code", f"部门编码 \"{code}\" 重复")
        elif code is not None and name is not None:
            departments[code] = Department(code=code, name=name, phone=cast(str, phone), name_mn=dept_mn)
    return head, _Context(departments=departments, categories=categories, codes={},
                          supervise_phone=cast(str, supervise), categories_mn=categories_mn)


def _matters(data: dict[str, Any], file_dept: str | None, ctx: _Context, where: Where) -> list[Matter]:
    raw = field_value(data, "matters", list, where, "matters")
    if raw is not None and not raw:
        where.add("matters", "文件中没有事项")
    return [m for i, item in enumerate(raw or []) if (m := _matter(item, i, file_dept, ctx, where)) is not None]


def check_catalog(path: Path | None = None) -> CatalogReport:
    """Read and validate a catalog directory (``catalog.toml`` + one file per department) or a single file,
    returning the catalog only when there is no error at all."""
    path = Path(path) if path is not None else DEFAULT_CATALOG_DIR
    if path.is_file() and path.name == CATALOG_FILE:
        path = path.parent
    errors: list[str] = []
    if path.is_dir():
        head_path = path / CATALOG_FILE
        dept_paths = sorted(p for p in path.glob("*.toml") if p.name != CATALOG_FILE)
    elif path.is_file():
        head_path, dept_paths = path, []
    else:
        return CatalogReport(None, (f"{display_path(path)}: 事项目录不存在",), ())
    files = (head_path, *dept_paths)
    where = Where(errors, display_path(head_path))
    if not head_path.exists():
        where.add(None, f"缺少目录总表 {CATALOG_FILE}")
        return CatalogReport(None, tuple(errors), tuple(display_path(p) for p in files))
    data = read_toml(head_path, where)
    if data is None:
        return CatalogReport(None, tuple(errors), tuple(display_path(p) for p in files))
    single = not path.is_dir()
    head, ctx = _header(data, where, allow_matters=single)
    matters: list[Matter] = []
    if single:
        matters += _matters(data, None, ctx, where)
    elif not dept_paths:
        where.add(None, "目录中没有部门事项文件（*.toml）")
    for dept_path in dept_paths:
        w = Where(errors, display_path(dept_path))
        dept_data = read_toml(dept_path, w)
        if dept_data is None:
            continue
        unknown_keys(dept_data, _DEPT_FILE_KEYS, w)
        dept = field_value(dept_data, "department", str, w, "department")
        if dept is not None and dept not in ctx.departments:
            w.add("department", f"未知部门 \"{dept}\"，请先在 {CATALOG_FILE} 的 departments 中登记")
            continue
        matters += _matters(dept_data, dept, ctx, w)
    bundles: tuple[Bundle, ...] = ()
    if "bundles" in data:  # 一件事一次办, checked once every matter is read (app.catalog.bundles)
        bundles = read_bundles(data["bundles"], matters={m.code: m for m in matters}, categories=ctx.categories,
                               where=where, known=set(ctx.codes))
    if errors:
        return CatalogReport(None, tuple(errors), tuple(display_path(p) for p in files))
    catalog = Catalog(
        version=head["version"], issued=head["issued"], source=head["source"],
        departments=tuple(ctx.departments.values()), matters=tuple(matters), categories=ctx.categories,
        categories_mn=ctx.categories_mn, bundles=bundles,
    )
    return CatalogReport(catalog, (), tuple(display_path(p) for p in files))


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog at ``path`` (default: the shipped ``resources/catalog``); :class:`CatalogInvalid` (a
    :class:`~app.errors.CatalogError`) lists every error when anything is wrong."""
    report = check_catalog(path)
    if report.catalog is None:
        raise CatalogInvalid(report.errors)
    return report.catalog


# The per-matter validation for other front ends (the spreadsheet import builds the same tables the TOML files
# hold and checks them here, so a rule lives in one place).
MatterContext = _Context


def read_matter(raw: dict[str, Any], index: int, ctx: MatterContext, where: Where) -> Matter | None:
    """One ``[[matters]]`` table checked against ``ctx`` (departments, categories, codes seen so far); errors go
    to ``where`` and the result is None when there is any."""
    return _matter(raw, index, None, ctx, where)
