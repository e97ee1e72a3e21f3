"""Reading a 政务服务事项实施清单 export (``.xlsx`` or ``.csv``) into plain rows of named fields.

A region's export has one row per material; the matter's own columns are merged down over its material rows
(in a CSV they are repeated or left blank). The header row is found by its column names, which the region may
spell its own way: :class:`HeaderMap` holds the standard names and a mapping file's additions
(``docs/catalog-import.md``). Merged cells are filled in, so every row carries its matter's values.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import CatalogError

# Field → how the messages name it (the standard column name of the export).
FIELD_LABELS: dict[str, str] = {
    "name": "事项名称", "name_mn": "事项名称（蒙古文）", "basic_code": "基本编码", "code": "实施编码",
    "kind": "事项类型", "department": "实施主体", "office": "承办机构", "item": "办理项", "item_code": "办理项编码",
    "legal": "法定办结时限", "legal_unit": "法定办结时限单位", "promised": "承诺办结时限",
    "promised_unit": "承诺办结时限单位", "time_unit": "时限单位", "handling": "办件类型", "visits": "到办事现场次数",
    "fee": "是否收费", "fee_detail": "收费标准", "audience": "服务对象", "keywords": "常用名称",
    "category": "排队类别", "basis": "设定依据", "conditions": "受理条件", "phone": "咨询电话",
    "supervise_phone": "监督电话", "township": "苏木乡镇", "village": "嘎查村",
    "material": "材料名称", "form": "材料类型", "copies": "份数", "required": "是否必要", "channel": "来源渠道",
    "deferrable": "容缺", "pledgeable": "告知承诺", "core": "核心材料", "supply_days": "容缺补交期限",
    "e_license": "电子证照", "material_note": "材料备注", "pledge_content": "证明内容", "pledge_text": "承诺内容",
    "pledge_verification": "核查方式", "pledge_basis": "承诺依据",
}
MATTER_FIELDS = frozenset({
    "name", "name_mn", "basic_code", "code", "kind", "department", "office", "item", "item_code", "legal",
    "legal_unit", "promised", "promised_unit", "time_unit", "handling", "visits", "fee", "fee_detail", "audience",
    "keywords", "category", "basis", "conditions", "phone", "supervise_phone", "township", "village",
})
REQUIRED_FIELDS = ("name", "kind", "department", "legal", "promised", "material")

# Column names as exports spell them (after :func:`normalize_header`), beyond the labels above.
_ALIASES: dict[str, str] = {
    "事项名": "name", "实施清单名称": "name", "政务服务事项名称": "name",
    "事项名称(蒙文)": "name_mn", "蒙古文名称": "name_mn", "蒙文名称": "name_mn", "事项蒙古文名称": "name_mn",
    "事项基本编码": "basic_code", "事项实施编码": "code", "实施清单编码": "code", "事项编码": "code",
    "实施机构": "department", "实施主体名称": "department", "实施机构名称": "department",
    "承办处(科)室": "office", "承办科室": "office", "承办机构名称": "office",
    "办理项名称": "item", "业务办理项": "item", "业务办理项名称": "item", "业务办理项编码": "item_code",
    "法定时限": "legal", "承诺时限": "promised", "办结时限单位": "time_unit", "时限类型": "time_unit",
    "到现场次数": "visits", "收费依据及标准": "fee_detail", "收费标准及依据": "fee_detail",
    "群众常用说法": "keywords", "别名": "keywords", "俗称": "keywords", "同义词": "keywords", "关键词": "keywords",
    "常用说法": "keywords", "取号类别": "category", "业务类别": "category", "法律依据": "basis",
    "办理条件": "conditions", "申请条件": "conditions", "咨询方式": "phone", "投诉电话": "supervise_phone",
    "监督投诉电话": "supervise_phone", "苏木乡镇便民服务中心": "township", "苏木乡镇办理": "township",
    "乡镇(苏木)": "township", "嘎查村便民服务站": "village", "嘎查村办理": "village", "村(嘎查)": "village",
    "申请材料": "material", "申请材料名称": "material", "材料形式": "form", "材料份数": "copies",
    "纸质材料份数": "copies", "材料必要性": "required", "必要性": "required", "是否必需": "required",
    "材料来源": "channel", "来源渠道说明": "channel", "是否容缺": "deferrable", "容缺受理": "deferrable",
    "可容缺": "deferrable", "是否容缺受理": "deferrable", "是否告知承诺": "pledgeable", "可告知承诺": "pledgeable",
    "是否实行告知承诺": "pledgeable", "是否核心材料": "core", "补交期限": "supply_days",
    "补交时限": "supply_days", "容缺补交时限": "supply_days", "可用电子证照": "e_license",
    "电子证照名称": "e_license", "填报须知": "material_note", "备注": "material_note",
}
MIN_HEADER_MATCHES = 3
HEADER_SCAN_ROWS = 12


def normalize_header(text: str) -> str:
    """Full-width forms to ASCII, no spaces or line breaks, no required-field stars or trailing colon."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*:]+", "", text)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how the spreadsheet names the column."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


@dataclass(frozen=True)
class RowIssue:
    """One bad cell (or row, or sheet): where it is, as the clerk finds it in the spreadsheet, and why."""

    sheet: str
    row: int  # spreadsheet row number (1-based); 0 for the whole file
    column: str  # "F 列（材料类型）", or "" for the whole row
    message: str
    matter: str = ""  # the matter the row belongs to (code and name), which is left out of the import

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”" + (f" 第 {self.row} 行" if self.row else "")
        whose = f"（事项 {self.matter}）" if self.matter else ""
        return f"{where}{(' ' + self.column) if self.column else ''}：{self.message}{whose}"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "matter": self.matter}


@dataclass
class HeaderMap:
    """Column name → field: the standard names plus a region's own (a mapping file's ``[columns]``)."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def standard(cls) -> HeaderMap:
        names = {normalize_header(label): key for key, label in FIELD_LABELS.items()}
        names.update({normalize_header(k): v for k, v in _ALIASES.items()})
        return cls(names)

    def field_of(self, header: str) -> tuple[str | None, str]:
        """(field, unit hint): ``承诺办结时限（工作日）`` is the promised limit counted in working days."""
        text = normalize_header(header)
        if not text:
            return None, ""
        if text in self.names:
            return self.names[text], ""
        match = re.fullmatch(r"(.+)\((工作日|自然日|日|天|小时)\)", text)
        if match and match.group(1) in self.names:
            return self.names[match.group(1)], match.group(2)
        return None, ""


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str
    unit_hint: str = ""

    @property
    def label(self) -> str:
        return f"{column_letter(self.index)} 列（{self.header.strip() or FIELD_LABELS[self.field]}）"


@dataclass
class Table:
    """One sheet's rows, each cell as text, with the columns the header maps to fields."""

    sheet: str
    header_row: int
    columns: dict[str, Column]  # field → column
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cell texts)
    unused: list[str]  # header names that map to no field

    def value(self, cells: list[str], name: str) -> str:
        column = self.columns.get(name)
        if column is None or column.index >= len(cells):
            return ""
        return cells[column.index]

    def where(self, name: str) -> str:
        column = self.columns.get(name)
        return column.label if column is not None else FIELD_LABELS.get(name, name)


def cell_text(value: Any) -> str:
    """A cell as the clerk reads it: integers without ``.0``, booleans as 是/否, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).replace("\r\n", "\n").strip()


def find_header(grid: list[list[str]], headers: HeaderMap, *, header_row: int | None) -> int | None:
    """Index (0-based) of the header row: the given one, or the first rows' best match of known names."""
    if header_row is not None:
        return header_row - 1 if 0 < header_row <= len(grid) else None
    best, best_count = None, MIN_HEADER_MATCHES - 1
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        count = len({f for c in row if (f := headers.field_of(c)[0]) is not None})
        if count > best_count:
            best, best_count = i, count
    return best


def build_table(sheet: str, grid: list[list[str]], headers: HeaderMap, *, header_row: int | None,
                issues: list[RowIssue]) -> Table | None:
    """The table of one sheet, or None (with an issue) when no header row is found."""
    at = find_header(grid, headers, header_row=header_row)
    if at is None:
        if any(any(c for c in row) for row in grid):
            issues.append(RowIssue(sheet, 0, "", "找不到表头行（应含“事项名称”“实施编码”“材料名称”等列名）；"
                                                 "如本地区列名不同，请用映射文件 [columns] 写明，已跳过此表"))
        return None
    columns: dict[str, Column] = {}
    unused: list[str] = []
    for index, text in enumerate(grid[at]):
        name, unit = headers.field_of(text)
        if name is None:
            if text.strip():
                unused.append(text.strip())
            continue
        if name in columns:
            issues.append(RowIssue(sheet, at + 1, f"{column_letter(index)} 列（{text.strip()}）",
                                   f"与 {columns[name].label} 都对应“{FIELD_LABELS[name]}”，只用第一列"))
            continue
        columns[name] = Column(index, text, name, unit)
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in columns]
    if "code" not in columns and "basic_code" not in columns:
        missing.insert(0, "实施编码")
    if missing:
        issues.append(RowIssue(sheet, at + 1, "", f"缺少必需的列：{'、'.join(missing)}（如本地区列名不同，请在映射文件 "
                                                  "[columns] 中写明），已跳过此表"))
        return None
    rows = [(at + 2 + i, row) for i, row in enumerate(grid[at + 1:]) if any(c for c in row)]
    return Table(sheet, at + 1, columns, rows, unused)


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ch - 64
    return value - 1


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column), 0-based, of a read-only sheet's merged cells.

    openpyxl's read-only mode (fast: a 10,000-row export in about a second instead of ten) does not read them,
    so they are taken from the sheet's XML, where they follow the cells."""
    with ws.parent._archive.open(ws._worksheet_path) as fh:
        data = fh.read()
    return [(int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2))
            for c1, r1, c2, r2 in _MERGE_RE.findall(data)]


def read_xlsx(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Every sheet as a grid of texts, merged cells filled with their top-left value."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for a file it cannot read
        raise CatalogError(f"无法读取 Excel 文件 {path.name}：{exc}（请确认是 .xlsx 格式，旧版 .xls 请另存为 .xlsx）",
                           field="file") from None
    sheets = []
    try:
        for ws in book.worksheets:
            grid = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for top, left, bottom, right in _merged_ranges(ws):
                if top >= len(grid):
                    continue
                first = grid[top][left] if left < len(grid[top]) else ""
                for r in range(top, min(bottom + 1, len(grid))):
                    row = grid[r]
                    if len(row) <= right:
                        row.extend([""] * (right + 1 - len(row)))
                    for c in range(left, right + 1):
                        row[c] = first
            sheets.append((ws.title, grid))
    finally:
        book.close()
    return sheets


def read_csv(path: Path) -> list[tuple[str, list[list[str]]]]:
    """The CSV as one sheet (named after the file); UTF-8 with or without BOM, or GB18030/GBK."""
    import csv
    import io

    # The one decoder of spreadsheet CSVs (Excel on Chinese Windows saves GB18030).
    from app.cases.import_csv import decode_csv

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"无法读取文件 {path}：{exc.strerror or exc}", field="file") from None
    text = decode_csv(data, name=path.name)
    if "\x00" in text:
        raise CatalogError(f"{path.name} 不是 CSV 文本文件（是否是改了扩展名的 Excel 文件？）", field="file")
    try:
        grid = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise CatalogError(f"{path.name} 无法解析为 CSV：{exc}", field="file") from None
    return [(path.stem, grid)]


def read_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise CatalogError(f"文件不存在：{path}", field="file")
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".csv":
        return read_csv(path)
    raise CatalogError(f"不支持的文件类型 {suffix or '（无扩展名）'}：请导出为 .xlsx 或 .csv", field="file")


# --- the mapping file ---------------------------------------------------------------------------------------

_MAPPING_KEYS = {"header_row", "sheets", "columns", "departments", "categories", "categories_mn",
                 "department_categories", "default_category", "supply_days", "add_proxy_authorization",
                 "source", "supervise_phone", "pledge_basis"}
DEFAULT_PLEDGE_BASIS = "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"


@dataclass
class ImportMapping:
    """How to read one region's export (``docs/catalog-import.md`` describes the TOML file)."""

    headers: HeaderMap = field(default_factory=HeaderMap.standard)
    header_row: int | None = None
    sheets: tuple[str, ...] = ()  # only these sheets; () = every sheet with a header row
    departments: dict[str, str] = field(default_factory=dict)  # 实施主体 name → department code
    categories: dict[str, str] = field(default_factory=dict)  # queue letter → name; {} = the current catalog's
    categories_mn: dict[str, str] = field(default_factory=dict)
    department_categories: dict[str, str] = field(default_factory=dict)  # department name or code → letter
    default_category: str = ""
    supply_days: int = 5  # 容缺补交期限 when the sheet gives none (capped at the promised limit)
    add_proxy_authorization: bool = True  # give a matter without 授权委托书 one (condition proxy)
    source: str = ""
    supervise_phone: str = ""
    pledge_basis: str = DEFAULT_PLEDGE_BASIS


def load_mapping(path: Path | None) -> ImportMapping:
    """The mapping file at ``path`` (None: the standard column names only); CatalogError naming what is wrong."""
    mapping = ImportMapping()
    if path is None:
        return mapping
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise CatalogError(f"无法读取映射文件 {path}：{exc.strerror or exc}", field="mapping") from None
    except UnicodeDecodeError:
        raise CatalogError(f"映射文件 {path.name} 不是 UTF-8 编码，请另存为 UTF-8", field="mapping") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"映射文件 {path.name} 的 TOML 语法错误：{exc}", field="mapping") from None
    errors: list[str] = []
    for key in raw:
        if key not in _MAPPING_KEYS:
            errors.append(f"未知字段 {key}（可用：{'、'.join(sorted(_MAPPING_KEYS))}）")

    def table(key: str) -> dict[str, str]:
        value = raw.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            errors.append(f"{key} 应为“名称 = \"值\"”的表")
            return {}
        return {str(k).strip(): v.strip() for k, v in value.items()}

    by_label = {normalize_header(label): key for key, label in FIELD_LABELS.items()}
    for header, target in table("columns").items():
        name = target if target in FIELD_LABELS else by_label.get(normalize_header(target))
        if name is None:
            errors.append(f"columns.\"{header}\" = \"{target}\"：“{target}”不是可导入的字段（可写标准列名，"
                          f"如 事项名称、实施主体、材料名称，见 docs/catalog-import.md）")
            continue
        mapping.headers.names[normalize_header(header)] = name
    mapping.departments = table("departments")
    mapping.categories = table("categories")
    mapping.categories_mn = table("categories_mn")
    mapping.department_categories = table("department_categories")
    for key in ("default_category", "source", "supervise_phone", "pledge_basis"):
        if key in raw:
            if not isinstance(raw[key], str):
                errors.append(f"{key} 应为文字")
            else:
                setattr(mapping, key, raw[key].strip())
    if "header_row" in raw:
        if not isinstance(raw["header_row"], int) or isinstance(raw["header_row"], bool) or raw["header_row"] < 1:
            errors.append("header_row 应为正整数（表头所在的行号）")
        else:
            mapping.header_row = raw["header_row"]
    if "sheets" in raw:
        if not isinstance(raw["sheets"], list) or not all(isinstance(s, str) for s in raw["sheets"]):
            errors.append("sheets 应为工作表名称的数组")
        else:
            mapping.sheets = tuple(raw["sheets"])
    if "supply_days" in raw:
        days = raw["supply_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
            errors.append("supply_days 应为 1–60 的整数（容缺补交期限，工作日）")
        else:
            mapping.supply_days = days
    if "add_proxy_authorization" in raw:
        if not isinstance(raw["add_proxy_authorization"], bool):
            errors.append("add_proxy_authorization 应为 true 或 false")
        else:
            mapping.add_proxy_authorization = raw["add_proxy_authorization"]
    if errors:
        raise CatalogError(f"映射文件 {path.name}：" + "；".join(errors), field="mapping")
    return mapping


# The 一件事一次办 sheet: one row per matter of a bundle (app.catalog.importer reads it).
BUNDLE_COLUMNS = {"一件事编码": "code", "一件事名称": "name", "事项编码": "matter", "实施编码": "matter",
                  "排队类别": "category", "常用名称": "keywords", "说明": "note"}


def bundle_header(grid: list[list[str]]) -> int | None:
    """Index (0-based) of the header row of a 一件事 sheet (it names 一件事名称), or None for any other sheet."""
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if any(normalize_header(c) == "一件事名称" for c in row):
            return i
    return None


def read_tables(path: Path, mapping: ImportMapping, issues: list[RowIssue],
                bundle_sheets: list[tuple[str, list[list[str]]]] | None = None) -> list[Table]:
    """The tables of the file's sheets (those the mapping names, or all with a header row); a 一件事 sheet goes to
    ``bundle_sheets`` instead (when given)."""
    sheets = read_sheets(path)
    if bundle_sheets is not None:
        bundle_sheets.extend((n, g) for n, g in sheets if bundle_header(g) is not None)
        sheets = [(n, g) for n, g in sheets if bundle_header(g) is None]
    if mapping.sheets:
        names = {name for name, _grid in sheets}
        for wanted in mapping.sheets:
            if wanted not in names:
                raise CatalogError(f"映射文件指定的工作表“{wanted}”不存在（文件中有：{'、'.join(sorted(names))}）",
                                   field="mapping")
        sheets = [(n, g) for n, g in sheets if n in mapping.sheets]
    tables = []
    for name, grid in sheets:
        table = build_table(name, grid, mapping.headers, header_row=mapping.header_row, issues=issues)
        if table is not None:
            tables.append(table)
    return tables
