"""The catalog files: the shipped catalog is valid and realistic; every broken file gets a named error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog import CatalogInvalid, check_catalog, load_catalog
from app.catalog.loader import DEFAULT_CATALOG_DIR, parse_time_limit
from app.catalog.model import TimeLimit
from app.errors import CatalogError

HEAD = """\
version = "t1"
issued = 2026-01-05
source = "测试目录"

[categories]
A = "社保医保"
C = "市场准入"

[[departments]]
code = "YB"
name = "测试医疗保障局"
phone = "12345"
"""

MATTER = """\
department = "YB"

[[matters]]
code = "T-YB-001"
name = "医疗费用手工报销"
kind = "行政给付"
category = "A"
promised = "15 工作日"
legal = "20 工作日"

[[matters.materials]]
key = "id_card"
name = "居民身份证"
core = true

[[matters.materials]]
key = "cost_list"
name = "费用明细清单"
deferrable = true
supply_days = 5

[[matters.materials]]
key = "kinship"
name = "亲属关系证明"
[matters.materials.pledge]
basis = "某条例第三条"
content = "申请人与参保人的亲属关系"
text = "本人承诺亲属关系真实。"
verification = "书面核查"

[[matters.materials]]
key = "proxy_auth"
name = "授权委托书"
condition = "proxy"
"""


def write_catalog(root: Path, matter: str = MATTER, head: str = HEAD) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.toml").write_text(head, encoding="utf-8")
    (root / "yibao.toml").write_text(matter, encoding="utf-8")
    return root


def errors_of(root: Path) -> tuple[str, ...]:
    report = check_catalog(root)
    assert report.catalog is None
    return report.errors


def test_shipped_catalog_is_valid_and_realistic() -> None:
    catalog = load_catalog()
    assert len(catalog.matters) >= 40
    assert len(catalog.departments) >= 10
    assert len({m.department_code for m in catalog.matters}) >= 10
    assert sum(m.has_deferrable for m in catalog.matters) >= 12
    assert sum(m.has_pledgeable for m in catalog.matters) >= 12
    assert all(code in catalog.categories for code in {m.queue_category for m in catalog.matters})
    by_name = {m.name: m for m in catalog.matters}
    assert by_name["个体工商户设立登记"].instant
    assert by_name["食品经营许可"].promised == TimeLimit(5, "workday")
    assert by_name["食品经营许可"].legal == TimeLimit(20, "workday")
    assert by_name["城乡居民基本医疗保险参保登记"].promised.label() == "即办"
    transfer = next(m for m in catalog.matters if "转移登记" in m.name)
    assert (transfer.legal.amount, transfer.promised.amount) == (30, 5)
    for matter in catalog.matters:
        assert any(x.condition == "proxy" and "委托书" in x.name for x in matter.materials), matter.code
        for material in matter.materials:
            if material.pledgeable:
                assert material.pledge is not None and material.pledge.basis and material.pledge.verification


def test_loaded_matter_carries_every_field() -> None:
    matter = load_catalog().matter("150929-YB-003")
    assert matter is not None
    assert matter.department == "四子王旗医疗保障局" and matter.department_code == "YB"
    assert matter.kind == "行政确认" and matter.queue_category == "A"
    assert matter.consult_phone == "12345" and matter.supervise_phone == "12345"
    records = matter.material("records")
    assert records is not None and records.deferrable and records.supply_days == 5 and records.form == "copy"
    assert "慢病" in matter.keywords


def test_minimal_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path / "cat"))
    matter = catalog.matters[0]
    assert catalog.version == "t1" and catalog.issued == "2026-01-05"
    assert catalog.categories == {"A": "社保医保", "C": "市场准入"}
    kinship = matter.material("kinship")
    assert kinship is not None and kinship.pledgeable and kinship.pledge is not None
    assert kinship.pledge.verification == "书面核查" and not kinship.pledge.personal
    assert matter.delivery == ("pickup",) and matter.scope == "local" and matter.fee == "不收费"


def test_catalog_toml_path_means_its_directory(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat")
    assert load_catalog(root / "catalog.toml").matters[0].code == "T-YB-001"


def test_single_file_catalog(tmp_path: Path) -> None:
    body = MATTER.replace('department = "YB"\n', "").replace('kind = "行政给付"', 'kind = "行政给付"\ndepartment = "YB"')
    single = tmp_path / "one.toml"
    single.write_text(HEAD + "\n" + body, encoding="utf-8")
    assert load_catalog(single).matters[0].department == "测试医疗保障局"


def test_bom_is_accepted(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat")
    (root / "yibao.toml").write_bytes(b"\xef\xbb\xbf" + MATTER.encode("utf-8"))
    assert len(load_catalog(root).matters) == 1


def test_error_names_file_matter_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_catalog(tmp_path / "cat", MATTER.replace('promised = "15 工作日"', 'promised = "3 工作日"'))
    assert errors_of(Path("cat")) == (
        "cat/yibao.toml: 事项 T-YB-001 字段 materials[1].supply_days: 容缺补交期限 5 个工作日超过承诺时限 3 个工作日",
    )


def test_load_raises_catalog_error_with_all_errors(tmp_path: Path) -> None:
    bad = MATTER.replace("core = true", "core = true\ndeferrable = true\nsupply_days = 1").replace(
        'category = "A"', 'category = "Z"')
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(write_catalog(tmp_path / "cat", bad))
    assert isinstance(info.value, CatalogError)
    assert len(info.value.errors) == 2
    assert "另有 1 处错误" in info.value.message
    joined = "\n".join(info.value.errors)
    assert "字段 materials[0].deferrable: 核心材料“居民身份证”不能容缺" in joined
    assert "字段 category: 未知排队业务类别 \"Z\"" in joined


def test_bad_toml_syntax_names_line(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat", MATTER.replace('name = "费用明细清单"', "name = 费用明细清单"))
    (error,) = errors_of(root)
    assert error.endswith("yibao.toml: TOML 语法错误（第 18 行第 8 列）：值无效（字符串是否缺少引号？）")


def test_non_utf8_file(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat")
    (root / "yibao.toml").write_bytes(MATTER.encode("gbk"))
    (error,) = errors_of(root)
    assert "yibao.toml: 文件不是 UTF-8 编码（第 5 行" in error and "GBK" in error


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('legal = "20 工作日"', 'legal = "20 工作日"\nfee = 0', "字段 fee: 类型错误：应为字符串，实际为 0"),
        ("core = true", "core = true\ncopies = 0", "字段 materials[0].copies: 份数至少为 1，实际为 0"),
        ("core = true", 'core = "yes"', "字段 materials[0].core: 类型错误：应为true 或 false，实际为 \"yes\""),
        ("supply_days = 5", "supply_days = true", "字段 materials[1].supply_days: 类型错误：应为整数，实际为 true"),
        ('name = "医疗费用手工报销"\n', "", "事项 T-YB-001 字段 name: 缺少必填字段"),
        ('code = "T-YB-001"\n', "", "事项 （第 1 个，编码缺失或无效） 字段 code: 缺少必填字段"),
        ('legal = "20 工作日"\n', "", "字段 legal: 缺少必填字段"),
        ("supply_days = 5", "suply_days = 5", "字段 materials[1].suply_days: 未知字段（拼写错误？），是否应为 supply_days？"),
        ('kind = "行政给付"', 'kind = "行政给付"\nkeyword = ["报销"]', "字段 keyword: 未知字段（拼写错误？），是否应为 keywords？"),
        ('kind = "行政给付"', 'kind = "给付"', "字段 kind: 取值 \"给付\" 无效"),
        ('promised = "15 工作日"', 'promised = "15 天"', "字段 promised: 时限单位 \"天\" 无效，应为 工作日 / 自然日 / 小时"),
        ('promised = "15 工作日"', 'promised = { amount = 1.5, unit = "工作日" }', "字段 promised: amount 应为非负整数，实际为 1.5"),
        ('promised = "15 工作日"', 'promised = "25 工作日"', "字段 promised: 承诺时限 25个工作日 超过法定时限 20个工作日"),
        ('promised = "15 工作日"', "promised = -3", "字段 promised: 时限不能为负数：-3"),
        ("supply_days = 5\n", "", "字段 materials[1].supply_days: 容缺材料必须给出补交期限（工作日）"),
        ('basis = "某条例第三条"\n', "", "字段 materials[2].pledge.basis: 告知承诺材料必须写明设定依据"),
        ('verification = "书面核查"\n', "", "字段 materials[2].pledge.verification: 告知承诺材料必须写明核查方式"),
        ('key = "kinship"', 'key = "kinship"\npledgeable = false', "字段 materials[2].pledgeable: 给出了 pledge 表却写明 pledgeable = false"),
        ('condition = "proxy"', 'condition = "always"', "字段 materials: 缺少代办授权材料"),
        ('condition = "proxy"', 'condition = "agent"', "字段 materials[3].condition: 取值 \"agent\" 无效"),
        ('key = "cost_list"', 'key = "id_card"', "字段 materials: 材料 key \"id_card\" 重复"),
        ('key = "cost_list"', 'key = "Cost List"', "字段 materials[1].key: \"Cost List\" 无效"),
        ('department = "YB"', 'department = "XX"', "yibao.toml: 字段 department: 未知部门 \"XX\""),
        ('legal = "20 工作日"', 'legal = "20 工作日"\ndelivery = ["pickup", "fax"]', "字段 delivery[1]: 取值 \"fax\" 无效"),
        ('legal = "20 工作日"', 'legal = "20 工作日"\ninstant = true', "字段 instant: 即办件的承诺时限应为 0（即办），实际为 15个工作日"),
    ],
)
def test_each_broken_field_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in MATTER
    errors = errors_of(write_catalog(tmp_path / "cat", MATTER.replace(old, new, 1)))
    assert any(expected in e for e in errors), errors
    assert all("yibao.toml" in e for e in errors)


def test_pledgeable_without_pledge_table(tmp_path: Path) -> None:
    text = MATTER.replace('name = "费用明细清单"', 'name = "费用明细清单"\npledgeable = true')
    errors = errors_of(write_catalog(tmp_path / "cat", text))
    assert any("字段 materials[1].pledge: 告知承诺材料必须给出 pledge 表" in e for e in errors)


def test_empty_materials_and_empty_matters(tmp_path: Path) -> None:
    head_part, _sep, _rest = MATTER.partition("[[matters.materials]]")
    errors = errors_of(write_catalog(tmp_path / "a", head_part + "materials = []\n"))
    assert any("字段 materials: 申请材料不能为空" in e for e in errors)
    errors = errors_of(write_catalog(tmp_path / "b", 'department = "YB"\nmatters = []\n'))
    assert any("字段 matters: 文件中没有事项" in e for e in errors)


def test_duplicate_code_across_files_names_both(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat")
    (root / "zz.toml").write_text(MATTER, encoding="utf-8")
    (error,) = errors_of(root)
    assert "zz.toml: 事项 T-YB-001 字段 code: 事项编码重复，已在" in error and "yibao.toml" in error


def test_header_errors(tmp_path: Path) -> None:
    head = HEAD.replace("issued = 2026-01-05", 'issued = "2026-13-01"').replace('A = "社保医保"', 'a = "社保医保"')
    head += '\n[[departments]]\ncode = "YB"\nname = "重复"\n'
    errors = errors_of(write_catalog(tmp_path / "cat", head=head))
    joined = "\n".join(errors)
    assert "catalog.toml: 字段 issued: 日期 \"2026-13-01\" 无效，应为 YYYY-MM-DD" in joined
    assert "catalog.toml: 字段 categories.a: 排队业务类别必须是一个大写字母 A–Z" in joined
    assert "catalog.toml: 字段 departments[1].code: 部门编码 \"YB\" 重复" in joined


def test_missing_directory_and_missing_head(tmp_path: Path) -> None:
    assert "事项目录不存在" in errors_of(tmp_path / "nope")[0]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "yibao.toml").write_text(MATTER, encoding="utf-8")
    assert "缺少目录总表 catalog.toml" in errors_of(tmp_path / "d")[0]


def test_every_error_is_collected_not_just_the_first(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat", MATTER.replace('kind = "行政给付"', 'kind = "x"'))
    (root / "broken.toml").write_text("department = \n", encoding="utf-8")
    (root / "other.toml").write_text(MATTER.replace("T-YB-001", "T-YB-002").replace("core = true", "core = 1"),
                                     encoding="utf-8")
    errors = errors_of(root)
    assert len(errors) == 3
    assert {e.split(":")[0].rsplit("/", 1)[-1] for e in errors} == {"yibao.toml", "broken.toml", "other.toml"}


def test_parse_time_limit_forms() -> None:
    assert parse_time_limit(5) == TimeLimit(5, "workday")
    assert parse_time_limit("24 小时") == TimeLimit(24, "hour")
    assert parse_time_limit("60自然日") == TimeLimit(60, "day")
    assert parse_time_limit("即办") == TimeLimit(0, "workday")
    assert parse_time_limit({"amount": 3, "unit": "workday"}) == TimeLimit(3, "workday")
    with pytest.raises(ValueError, match="无法识别的时限"):
        parse_time_limit("五个工作日")


def test_default_dir_is_the_shipped_resources() -> None:
    assert (DEFAULT_CATALOG_DIR / "catalog.toml").is_file()


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 40), st.text(max_size=6), st.floats(allow_nan=False),
                    st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _paths(obj: object, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_wrong_value_anywhere_is_reported_never_a_crash(tmp_path: Path, data: st.DataObject) -> None:
    import tomllib

    import tomli_w

    doc = tomllib.loads(MATTER)
    for _ in range(data.draw(st.integers(1, 3))):
        if not _paths(doc):
            break
        path = data.draw(st.sampled_from(_paths(doc)))
        parent: Any = doc
        for step in path[:-1]:
            parent = parent[step]
        value = data.draw(_VALUES)
        if value is None:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    root = tmp_path / f"fuzz{data.draw(st.integers(0, 10**9))}"
    write_catalog(root)
    (root / "yibao.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    report = check_catalog(root)  # must not raise, whatever the values
    assert all("yibao.toml" in e for e in report.errors)
    assert (report.catalog is None) == bool(report.errors)


def test_in_person_and_refusal_grounds_are_read_and_checked(tmp_path: Path) -> None:
    extra = ('in_person = true\n'
             'refusal_grounds = [{ code = "over_age", text = "申请人超过规定年龄", basis = "某条例第五条" }]\n')
    good = MATTER.replace('legal = "20 工作日"\n', 'legal = "20 工作日"\n' + extra)
    catalog = load_catalog(write_catalog(tmp_path / "good", good))
    matter = catalog.matter("T-YB-001")
    assert matter is not None and matter.in_person
    assert [g.code for g in matter.all_refusal_grounds] == ["no_permit_needed", "not_competent", "over_age"]
    bad = MATTER.replace('legal = "20 工作日"\n', 'legal = "20 工作日"\nrefusal_grounds = [\n'
                         '  { code = "not_competent", text = "重复", basis = "x" },\n'
                         '  { code = "Bad", text = "t", basis = "b" },\n'
                         '  { code = "no_basis", text = "t" },\n'
                         '  { code = "typo", text = "t", basis = "b", names_authorty = true },\n]\n')
    errors = errors_of(write_catalog(tmp_path / "bad", bad))
    assert any("refusal_grounds[0].code" in e and "重复" in e for e in errors), errors
    assert any("refusal_grounds[1].code" in e for e in errors)
    assert any("refusal_grounds[2].basis" in e for e in errors)
    assert any("names_authorty" in e and "names_authority" in e for e in errors)


MN_LOWSTD = "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠪᠠᠭᠠ ᠳᠡᠭᠡᠳᠦ ᠪᠠᠲᠤᠯᠠᠭᠠ"  # a Mongolian phrase; only its script matters here


def test_mongolian_names_of_matter_category_and_office_load_and_survive_the_store_payload(tmp_path: Path) -> None:
    from app.catalog.payload import catalog_from_payload, catalog_to_payload

    head = HEAD.replace('C = "市场准入"\n', f'C = "市场准入"\n\n[categories_mn]\nA = "{MN_LOWSTD}"\n')
    head = head.replace('phone = "12345"\n', f'phone = "12345"\nname_mn = "{MN_LOWSTD}"\n')
    matter = MATTER.replace('kind = "行政给付"', f'kind = "行政给付"\nname_mn = "{MN_LOWSTD}"')
    catalog = load_catalog(write_catalog(tmp_path / "cat", matter, head))
    assert catalog.categories_mn == {"A": MN_LOWSTD}
    assert catalog.matters[0].name_mn == MN_LOWSTD and catalog.departments[0].name_mn == MN_LOWSTD
    assert catalog_from_payload(catalog_to_payload(catalog)) == catalog
    plain = load_catalog(write_catalog(tmp_path / "plain"))
    assert plain.matters[0].name_mn == "" and plain.categories_mn == {}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('kind = "行政给付"', 'kind = "行政给付"\nname_mn = "医疗费用手工报销"', "字段 name_mn: 应为蒙古文"),
        ('kind = "行政给付"', f'kind = "行政给付"\nname_mn = "{MN_LOWSTD} abc"', "字段 name_mn: 应为蒙古文"),
        ('kind = "行政给付"', "kind = \"行政给付\"\nname_mn = 3", "字段 name_mn: 类型错误"),
    ],
)
def test_a_mongolian_name_in_another_script_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    errors = errors_of(write_catalog(tmp_path / "cat", MATTER.replace(old, new, 1)))
    assert any(expected in e for e in errors), errors


def test_a_mongolian_category_name_for_an_unknown_letter_is_named(tmp_path: Path) -> None:
    head = HEAD + f'\n[categories_mn]\nZ = "{MN_LOWSTD}"\n'
    errors = errors_of(write_catalog(tmp_path / "cat", head=head))
    assert any("categories_mn.Z" in e and "未在 categories 中登记" in e for e in errors), errors
