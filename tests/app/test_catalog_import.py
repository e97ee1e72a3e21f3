"""Importing a region's 政务服务事项实施清单: real .xlsx files (merged cells) and GB18030/UTF-8 CSVs, every bad
cell named with its sheet, row and column while the good matters import, versions and their differences."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.catalog import load_catalog
from app.catalog.importer import diff_catalogs, plan_import
from app.catalog.payload import catalog_sha256
from app.catalog.sheet import load_mapping
from app.catalog.store import catalog_by_id, current_catalog, import_catalog, next_version
from app.catalog.writer import write_catalog_dir
from app.errors import CatalogError
from app.store import Store
from console import run_group
from tests.app.test_catalog_loader import MN_LOWSTD

HEADERS = ["事项名称", "事项名称（蒙古文）", "基本编码", "实施编码", "事项类型", "实施主体", "承办机构", "法定办结时限",
           "承诺办结时限", "办件类型", "到办事现场次数", "是否收费", "服务对象", "常用名称",
           "材料名称", "材料类型", "份数", "是否必要", "来源渠道", "容缺", "告知承诺", "核心材料"]
MATTER_COLS = HEADERS.index("材料名称")
DEPT = "测试旗民政局"
LOWSTD = ["最低生活保障审核确认", MN_LOWSTD, "000806001000", "11150000TEST000001A", "行政给付", DEPT, "社会救助股",
          "30", "20", "承诺件", "1", "否", "自然人", "办低保、低保申请"]
LOWSTD_MATERIALS = [
    ["居民身份证", "原件", "1", "是", "政府部门核发", "否", "否", "是"],
    ["家庭收入情况说明", "原件", "1", "是", "申请人自备", "是", "否", "否"],
    ["婚姻状况证明", "复印件", "1", "是", "政府部门核发", "否", "是", "否"],
]
MARRIAGE = ["内地居民婚姻登记", "", "000805002000", "11150000TEST000002B", "行政确认", DEPT, "婚姻登记处",
            "即办", "即办", "即办件", "1", "否", "自然人", "领结婚证"]
MARRIAGE_MATERIALS = [
    ["居民身份证", "原件", "1", "是", "政府部门核发", "否", "否", "是"],
    ["居民户口簿", "原件及复印件", "1", "是", "政府部门核发", "否", "否", "是"],
    ["近期二寸合影照片", "原件", "3份", "是", "申请人自备", "否", "否", "否"],
]
CLINIC = ["医疗机构执业登记", "", "000109003000", "11150000TEST000003C", "行政许可", "测试旗卫生健康委员会", "",
          "45", "10", "承诺件", "1", "是", "法人", ""]
CLINIC_MATERIALS = [
    ["营业执照", "电子证照", "1", "是", "政府部门核发", "否", "否", "是"],
    ["授权委托书", "原件", "1", "否", "申请人自备", "否", "否", "否"],
]


def write_xlsx(path: Path, matters: list[tuple[list[str], list[list[str]]]], *, title: bool = True,
               sheet: str = "事项清单") -> dict[tuple[int, int], int]:
    """The export as a region sends it: a merged title row, the header, one row per material with the matter's
    columns merged down. Returns (matter, material) → row number."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append(["测试旗政务服务事项实施清单"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(HEADERS)
    rows: dict[tuple[int, int], int] = {}
    for i, (values, materials) in enumerate(matters):
        start = ws.max_row + 1
        for j, material in enumerate(materials):
            ws.append((values if j == 0 else [None] * MATTER_COLS) + material)
            rows[(i, j)] = start + j
        if len(materials) > 1:
            for col in range(1, MATTER_COLS + 1):
                ws.merge_cells(start_row=start, start_column=col, end_row=start + len(materials) - 1, end_column=col)
    book.save(path)
    return rows


def plan(path: Path, *, current=None, mapping: Path | None = None, version: str = "2026.12.07.1"):  # type: ignore[no-untyped-def]
    return plan_import(path, mapping=load_mapping(mapping), current=current, version=version, issued="2026-12-07")


def test_xlsx_with_merged_cells_becomes_a_catalog(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    write_xlsx(path, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, MARRIAGE_MATERIALS), (CLINIC, CLINIC_MATERIALS)])
    result = plan(path)
    assert result.issues == () and result.matters_read == 3 and result.rows == 8
    catalog = result.catalog
    lowstd, marriage, clinic = catalog.matters
    # The merged matter cells reached every material row: each matter has all its materials.
    assert [m.name for m in lowstd.materials] == ["居民身份证", "家庭收入情况说明", "婚姻状况证明",
                                                  "授权委托书（委托他人代办时提交）"]
    assert lowstd.code == "11150000TEST000001A" and lowstd.basic_code == "000806001000"
    assert lowstd.name_mn == MN_LOWSTD and lowstd.keywords == ("办低保", "低保申请")
    assert lowstd.department == DEPT and lowstd.office == "社会救助股" and lowstd.audience == ("person",)
    assert lowstd.promised.label() == "20个工作日" and lowstd.legal.label() == "30个工作日" and not lowstd.instant
    assert lowstd.visits == 1 and lowstd.fee == "不收费" and lowstd.kind == "行政给付"
    income = lowstd.material("jtsrqksm")
    assert income is not None and income.deferrable and income.supply_days == 5 and not income.core
    pledge = lowstd.material("hyzkzm")
    assert pledge is not None and pledge.pledgeable and pledge.pledge is not None
    assert "婚姻状况证明" in pledge.pledge.text and pledge.pledge.verification == "书面核查" and pledge.form == "copy"
    assert lowstd.materials[0].core and lowstd.materials[0].channel == "政府部门核发"
    assert marriage.instant and marriage.promised.amount == 0 and marriage.legal.amount == 0
    assert marriage.materials[1].form == "original_and_copy" and marriage.materials[2].copies == 3
    # 授权委托书 in the list is the proxy material; no second one is added.
    assert [m.condition for m in clinic.materials] == ["always", "proxy"] and clinic.materials[0].form == "electronic"
    assert clinic.fee == "收费（标准见办事指南）" and clinic.audience == ("organisation",)
    assert clinic.queue_category == "A"  # no category column, no mapping, no current catalog: the first letter
    assert [d.name for d in catalog.departments] == [DEPT, "测试旗卫生健康委员会"]
    assert any("2 个事项的清单未列授权委托书" in n for n in result.notes)
    # The files the hub publishes read back as the same catalog.
    write_catalog_dir(catalog, tmp_path / "toml")
    assert catalog_sha256(load_catalog(tmp_path / "toml")) == catalog_sha256(catalog)


def test_every_bad_cell_is_named_and_the_good_matters_still_import(tmp_path: Path) -> None:
    bad_lowstd = [list(r) for r in LOWSTD_MATERIALS]
    bad_lowstd[1][1] = "扫描件"  # 材料类型
    bad_lowstd[0][5] = "是"  # a core material may not be deferred
    bad_marriage = list(MARRIAGE)
    bad_marriage[7:9] = ["20", "5"]  # 即办件 with a promised limit of five days
    bad_clinic = list(CLINIC)
    bad_clinic[4] = "行政处罚"
    path = tmp_path / "清单.xlsx"
    rows = write_xlsx(path, [(LOWSTD, bad_lowstd), (bad_marriage, MARRIAGE_MATERIALS), (bad_clinic, CLINIC_MATERIALS),
                             (["个体工商户登记", "", "", "11150000TEST000004D", "行政许可", "测试旗市场监督管理局", "", "3",
                               "即办", "即办件", "0", "否", "自然人", "开店"],
                              [["居民身份证", "原件", "1", "是", "", "否", "否", "是"],
                               ["经营场所证明", "复印件", "一", "是", "", "否", "否", "否"]]),
                             (["食品经营许可", "", "", "11150000TEST000005E", "行政许可", "测试旗市场监督管理局", "", "20",
                               "5", "承诺件", "1", "否", "自然人,法人", "开饭店"],
                              [["营业执照", "原件", "1", "是", "", "否", "否", "是"]])])
    result = plan(path)
    by_column = {(i.row, i.column): i.message for i in result.issues}
    assert by_column[(rows[(0, 1)], "P 列（材料类型）")].startswith("材料类型“扫描件”无效")
    assert by_column[(rows[(0, 0)], "T 列（容缺）")] == "核心材料“居民身份证”不能容缺"
    assert "即办件的承诺时限应为 0" in by_column[(rows[(1, 0)], "J 列（办件类型）")]
    assert "行政处罚" in by_column[(rows[(2, 0)], "E 列（事项类型）")]
    assert by_column[(rows[(3, 1)], "Q 列（份数）")] == "份数“一”应为正整数（如 1、2份）"
    assert len(result.issues) == 5 and all(i.sheet == "事项清单" for i in result.issues)
    assert "（事项 11150000TEST000001A“最低生活保障审核确认”）" in str(result.issues[0])
    # Only the matter without a bad cell imports; the four others are named as left out.
    assert [m.code for m in result.catalog.matters] == ["11150000TEST000005E"]
    assert set(result.rejected) == {"11150000TEST000001A", "11150000TEST000002B", "11150000TEST000003C",
                                    "11150000TEST000004D"}


def test_a_bad_matter_the_current_catalog_has_stays_as_it_was(tmp_path: Path) -> None:
    good = tmp_path / "v1.xlsx"
    write_xlsx(good, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, MARRIAGE_MATERIALS)])
    v1 = plan(good).catalog
    changed = [list(r) for r in MARRIAGE_MATERIALS]
    changed[0][2] = "零"
    broken = tmp_path / "v2.xlsx"
    write_xlsx(broken, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, changed)])
    result = plan(broken, current=v1, version="2026.12.07.2")
    assert len(result.issues) == 1 and result.kept == ("11150000TEST000002B",)
    assert [m.code for m in result.catalog.matters] == ["11150000TEST000001A", "11150000TEST000002B"]
    assert result.catalog.matters[1] == v1.matters[1]  # as the current catalog has it, not half-read
    assert result.diff.empty  # nothing removed: the bad matter is the one already in use


def test_gb18030_csv_with_a_mapping_for_the_regions_column_names(tmp_path: Path) -> None:
    mapping = tmp_path / "映射.toml"
    mapping.write_text('''
source = "测试盟政务服务网导出"
supply_days = 3
default_category = "E"

[columns]
"主管部门" = "实施主体"
"事项名称（蒙文）" = "name_mn"
"群众叫法" = "常用名称"

[categories]
A = "社保医保"
E = "民政事务"

[departments]
"测试旗民政局" = "MZ"
''', encoding="utf-8")
    header = ["事项名称", "事项名称（蒙文）", "实施编码", "事项类型", "主管部门", "法定办结时限", "承诺办结时限（工作日）",
              "群众叫法", "材料名称", "材料类型", "容缺", "核心材料", "审批结果"]
    lines = [header,
             ["最低生活保障审核确认", MN_LOWSTD, "CSV-001", "行政给付", DEPT, "30", "20", "办低保", "居民身份证", "原件",
              "否", "是", "低保证"],
             ["", "", "", "", "", "", "", "", "家庭收入情况说明", "原件", "是", "否", ""],  # continuation row
             ["", "", "", "", "", "", "", "", "授权委托书", "原件", "否", "否", ""]]
    text = "\r\n".join(",".join(cells) for cells in lines) + "\r\n"
    path = tmp_path / "清单.csv"
    path.write_bytes(text.encode("gb18030"))
    result = plan(path, mapping=mapping)
    assert result.issues == ()
    (matter,) = result.catalog.matters
    assert matter.department_code == "MZ" and matter.queue_category == "E" and matter.name_mn == MN_LOWSTD
    assert matter.keywords == ("办低保",) and matter.promised.label() == "20个工作日"
    assert [m.name for m in matter.materials] == ["居民身份证", "家庭收入情况说明", "授权委托书"]
    assert matter.materials[1].supply_days == 3 and matter.materials[2].condition == "proxy"
    assert result.catalog.source == "测试盟政务服务网导出" and result.catalog.categories == {"A": "社保医保",
                                                                                       "E": "民政事务"}
    assert any("未使用的列：审批结果" in n for n in result.notes)
    # The same file saved as UTF-8 with a BOM reads the same.
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert catalog_sha256(plan(path, mapping=mapping).catalog) == catalog_sha256(result.catalog)


def test_unreadable_files_and_mappings_say_what_to_do(tmp_path: Path) -> None:
    xls = tmp_path / "old.txt"
    xls.write_text("x", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"请导出为 \.xlsx 或 \.csv"):
        plan(xls)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(CatalogError, match="无法读取 Excel 文件"):
        plan(fake)
    wrong = tmp_path / "m.toml"
    wrong.write_text('[columns]\n"部门" = "部门名称"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="“部门名称”不是可导入的字段"):
        load_mapping(wrong)
    no_header = tmp_path / "h.csv"
    no_header.write_bytes("甲,乙\n1,2\n".encode("gb18030"))
    with pytest.raises(CatalogError, match="找不到表头行"):
        plan(no_header)
    missing = tmp_path / "m.csv"
    missing.write_bytes("事项名称,实施编码,材料名称\n甲,A1,乙\n".encode("gb18030"))
    with pytest.raises(CatalogError, match="缺少必需的列：事项类型、实施主体、法定办结时限、承诺办结时限"):
        plan(missing)


def test_each_import_is_a_version_and_the_diff_names_what_changed(tmp_path: Path, sqlite_store: Store) -> None:
    first = tmp_path / "v1.xlsx"
    write_xlsx(first, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, MARRIAGE_MATERIALS)])
    with sqlite_store.write() as session:
        assert next_version(session, "2026-12-07") == "2026.12.07.1"
        v1_id = import_catalog(session, plan(first).catalog, source="import:v1.xlsx")
        assert next_version(session, "2026-12-07") == "2026.12.07.2"
        current = current_catalog(session)
    assert current is not None and current[0] == v1_id
    # Next month's list: 低保 promises 15 days and asks one more paper, 婚姻登记 is gone, a clinic is new.
    lowstd = list(LOWSTD)
    lowstd[8] = "15"
    second = tmp_path / "v2.xlsx"
    write_xlsx(second, [(lowstd, [*LOWSTD_MATERIALS, ["残疾人证", "复印件", "1", "否", "", "否", "否", "否"]]),
                        (CLINIC, CLINIC_MATERIALS)])
    result = plan(second, current=current[1], version="2026.12.07.2")
    assert [m.code for m in result.diff.added] == ["11150000TEST000003C"]
    assert [m.code for m in result.diff.removed] == ["11150000TEST000002B"]
    (change,) = result.diff.changed
    assert change.changes == ("承诺办结时限：20个工作日 → 15个工作日", "新增材料：残疾人证")
    assert "新增部门：测试旗卫生健康委员会（CSQWSJKWYH）" in result.diff.catalog_changes
    with sqlite_store.write() as session:
        v2_id = import_catalog(session, result.catalog, source="import:v2.xlsx")
        now = current_catalog(session)
        old = catalog_by_id(session, v1_id)
    assert now is not None and now[0] == v2_id != v1_id
    # The older version is untouched: a case accepted under it still finds its matter as it was.
    assert old is not None and old.matter("11150000TEST000002B") is not None
    assert old.matter(LOWSTD[3]).promised.amount == 20  # type: ignore[union-attr]
    # Importing the same list again finds nothing to change.
    assert diff_catalogs(now[1], dataclasses.replace(plan(second).catalog, version="x")).empty


def test_cli_dry_run_then_import_then_a_clean_second_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "清单.xlsx"
    write_xlsx(path, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, MARRIAGE_MATERIALS)])
    data = ["--data-dir", str(tmp_path / "data")]
    assert run_group("catalog", ["import", str(path), "--dry-run", "--issued", "2026-12-07", *data]) == 0
    out = capsys.readouterr().out
    assert "新增 2 个事项：" in out and "+ 11150000TEST000001A  最低生活保障审核确认" in out
    assert "试运行，未导入（去掉 --dry-run 即导入为版本 2026.12.07.1）" in out
    assert run_group("catalog", ["import", str(path), "--issued", "2026-12-07", "--write-toml",
                                 str(tmp_path / "publish"), *data]) == 0
    out = capsys.readouterr().out
    assert "已导入为事项目录 2026.12.07.1" in out and "已设为当前目录" in out
    assert sorted(p.name for p in (tmp_path / "publish").iterdir()) == ["01_csqmzj.toml", "catalog.toml"]
    assert run_group("catalog", ["import", str(path), "--issued", "2026-12-07", "--json", *data]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["unchanged"] is True and "catalog_version_id" not in report and report["matters"] == 2
    broken = [list(r) for r in MARRIAGE_MATERIALS]
    broken[2][1] = "影印件"
    write_xlsx(path, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, broken)])
    assert run_group("catalog", ["import", str(path), "--issued", "2026-12-07", *data]) == 1
    captured = capsys.readouterr()
    assert "错误：工作表“事项清单” 第 8 行 P 列（材料类型）：材料类型“影印件”无效" in captured.err
    assert "1 个事项因此未导入，其中 1 个沿用当前目录中的版本" in captured.err
    assert "与当前目录相同，未产生新版本" in captured.out


def test_the_shipped_catalog_written_as_files_reads_back_the_same(tmp_path: Path) -> None:
    shipped = load_catalog()
    written = write_catalog_dir(shipped, tmp_path / "out", supervise_phone="12345")
    assert written[0].name == "catalog.toml" and written[1].name.startswith("01_")
    assert catalog_sha256(load_catalog(tmp_path / "out")) == catalog_sha256(shipped)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "stray.toml").write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="请指定一个空目录"):
        write_catalog_dir(shipped, tmp_path / "other")


def test_a_case_keeps_the_version_it_was_accepted_under(tmp_path: Path, sqlite_store: Store) -> None:
    import uuid

    from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, accept
    from app.store.models import Case, Hall
    from tests.app._case_kit import MONDAY, person_id
    from tests.hall_clock import CLOCK

    first = tmp_path / "v1.xlsx"
    write_xlsx(first, [(LOWSTD, LOWSTD_MATERIALS)])
    with sqlite_store.write() as session:
        session.add(Hall(code="150929", name="测试旗政务服务中心"))
        v1 = import_catalog(session, plan(first).catalog, source="import:v1.xlsx")

    def apply() -> Case:
        request = AcceptRequest(
            request_id=str(uuid.uuid4()), hall_code="150929", window_number=1, matter_code=LOWSTD[3],
            applicant=ApplicantInput(name="其其格", id_no=person_id(), phone="13800000000", address="测试旗"),
            materials=tuple(MaterialInput(k, "original") for k in ("jmsfz", "jtsrqksm", "hyzkzm")),
            actor="clerk01", accepted_at=MONDAY)
        done = accept(sqlite_store, request, files_dir=tmp_path / "files", clock=CLOCK)
        with sqlite_store.read() as session:
            case = session.scalars(select(Case).where(Case.case_no == done.summary.case_no)).one()
            session.expunge(case)
        return case

    before = apply()
    lowstd = list(LOWSTD)
    lowstd[8] = "15"
    second = tmp_path / "v2.xlsx"
    write_xlsx(second, [(lowstd, LOWSTD_MATERIALS)])
    with sqlite_store.read() as session:
        current = current_catalog(session)
    assert current is not None
    with sqlite_store.write() as session:
        v2 = import_catalog(session, plan(second, current=current[1], version="2026.12.07.2").catalog,
                            source="import:v2.xlsx")
    after = apply()
    assert before.catalog_version_id == v1 and before.matter_snapshot["promised"]["amount"] == 20
    assert after.catalog_version_id == v2 and after.matter_snapshot["promised"]["amount"] == 15
    assert before.promised_due is not None and after.promised_due is not None
    assert after.promised_due < before.promised_due  # the same day, a shorter promise
    with sqlite_store.read() as session:
        kept = session.get(Case, before.id)
        assert kept is not None and kept.promised_due == before.promised_due and kept.catalog_version_id == v1


def test_cli_refuses_an_old_xls_and_sheet_options_on_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    old = tmp_path / "清单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert run_group("catalog", ["import", str(old), *data]) == 1
    assert "不支持旧版 .xls 文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入" in capsys.readouterr().err
    assert run_group("catalog", ["import", "--dry-run", *data]) == 1
    assert "--dry-run 只用于导入事项实施清单（.xlsx/.csv）" in capsys.readouterr().err
    assert run_group("catalog", ["import", str(tmp_path / "无此文件.xlsx"), *data]) == 1
    assert "文件不存在" in capsys.readouterr().err


def test_levels_columns_import_and_survive_the_files(tmp_path: Path) -> None:
    from tests.app.test_levels import levelled

    path = tmp_path / "清单.csv"
    header = ["事项名称", "实施编码", "事项类型", "实施主体", "法定办结时限", "承诺办结时限", "苏木乡镇", "嘎查村", "材料名称"]
    rows = [header,
            ["食品经营许可", "L-001", "行政许可", DEPT, "20", "5", "受理", "代收", "营业执照"],
            ["临时救助", "L-002", "行政给付", DEPT, "20", "10", "代收", "", "居民身份证"],
            ["婚姻登记", "L-003", "行政确认", DEPT, "即办", "即办", "不办理", "送县里", "居民身份证"]]
    path.write_bytes(("\n".join(",".join(r) for r in rows) + "\n").encode("gb18030"))
    result = plan(path)
    food, relief = result.catalog.matters
    assert food.levels == (("township", "accept"), ("village", "collect")) and relief.levels == (("township", "collect"),)
    assert food.mode_at("village") == "collect" and relief.mode_at("village") is None and food.mode_at("county") == "accept"
    (issue,) = result.issues
    assert issue.row == 4 and issue.column == "H 列（嘎查村）" and "“送县里”无效，应为 受理 / 代收 / 不办理" in issue.message
    # Levels are part of the catalog files the hub publishes.
    catalog = levelled()
    write_catalog_dir(catalog, tmp_path / "toml")
    assert catalog_sha256(load_catalog(tmp_path / "toml")) == catalog_sha256(catalog)
