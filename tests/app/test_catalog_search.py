"""Finding a matter as the clerk types: pinyin initials, codes, names, keywords; best first."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog import MatterIndex, load_catalog
from app.catalog.model import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def index(catalog: Catalog) -> MatterIndex:
    return MatterIndex(catalog)


def names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [m.name for m in found]


def test_pinyin_initials_find_medical_insurance_matters(index: MatterIndex, catalog: Catalog) -> None:
    found = names(index.search("ylbx", limit=50))
    medical = [m.name for m in catalog.matters if "医疗保险" in m.name]
    assert len(medical) >= 2 and set(medical) <= set(found)
    # 养老保险 has the same initials (yang lao bao xian); nothing else may match.
    assert all("医疗保险" in name or "养老保险" in name for name in found)


def test_exact_code_comes_first(index: MatterIndex) -> None:
    found = index.search("150929-SJ-004")
    assert found[0].name == "食品经营许可"


def test_code_prefix_lists_a_department(index: MatterIndex) -> None:
    found = index.search("150929-bdc")
    assert found and all(m.department_code == "BDC" for m in found)
    assert [m.code for m in found] == sorted(m.code for m in found)


def test_name_prefix_ranks_above_substring(index: MatterIndex) -> None:
    found = names(index.search("个体工商户"))
    assert all(n.startswith("个体工商户") for n in found)
    assert found == sorted(found, key=len)  # equally good (name prefix): shorter first


def test_initials_prefix_beats_initials_substring(index: MatterIndex) -> None:
    found = names(index.search("gtgsh"))
    assert found and all(n.startswith("个体工商户") for n in found)


def test_ranking_order_on_a_small_catalog(catalog: Catalog) -> None:
    base = catalog.matters[0]
    made = [
        dataclasses.replace(base, code="M-9", name="基本医疗保险关系转移", keywords=()),  # initials substring
        dataclasses.replace(base, code="M-8", name="门诊报销", keywords=("医疗保险",)),  # keyword
        dataclasses.replace(base, code="M-7", name="医疗保险报销", keywords=()),  # initials prefix... and name
        dataclasses.replace(base, code="YLBX", name="其他事项", keywords=()),  # exact code
        dataclasses.replace(base, code="M-6", name="职工医疗保险", keywords=()),  # name substring
    ]
    index = MatterIndex(made)
    assert [m.code for m in index.search("ylbx")] == ["YLBX", "M-7", "M-8", "M-6", "M-9"]
    assert [m.code for m in index.search("医疗保险")] == ["M-7", "M-6", "M-9", "M-8"]


def test_full_pinyin_and_keywords(index: MatterIndex) -> None:
    assert "食品经营许可" in names(index.search("shipin"))
    assert names(index.search("低保"))[0] == "最低生活保障审核确认"
    assert "居民身份证换领、补领" in names(index.search("身份证丢了"))
    assert "最低生活保障审核确认" in names(index.search("db"))  # keyword 低保 by its initials


def test_fullwidth_and_case_are_ignored(index: MatterIndex) -> None:
    assert names(index.search("ＹＬＢＸ")) == names(index.search("ylbx"))
    assert names(index.search("  YLBX ")) == names(index.search("ylbx"))


def test_all_terms_must_match(index: MatterIndex) -> None:
    found = names(index.search("公积金 提取"))
    assert found and all("公积金" in n and "提取" in n for n in found)
    assert index.search("公积金 火星") == []


def test_empty_and_unknown_queries(index: MatterIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zzzzzz") == []


def test_limit(index: MatterIndex) -> None:
    assert len(index.search("150929", limit=5)) == 5
    assert index.search("150929", limit=0) == []


def test_typing_on_gives_same_results_as_a_fresh_search(catalog: Catalog) -> None:
    typed = MatterIndex(catalog)
    for query in ["y", "yl", "ylb", "ylbx", "ylb", "g", "gj", "gjj", "gjj t", "gjj tq", "个", "个体", "x"]:
        assert names(typed.search(query)) == names(MatterIndex(catalog).search(query)), query


def test_matters_without_keywords_and_get_by_code(catalog: Catalog) -> None:
    bare = [dataclasses.replace(m, keywords=()) for m in catalog.matters]
    index = MatterIndex(bare)
    assert len(index) == len(catalog.matters)
    assert index.get("150929-yb-001") is not None and index.get("nope") is None
    assert "城乡居民基本医疗保险参保登记" in names(index.search("cxjm"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ylbxgjjtq 个体公积金提取150929-sj", max_size=8), min_size=1, max_size=6))
def test_remembering_the_last_query_never_changes_results(queries: list[str]) -> None:
    typed = MatterIndex(_SHIPPED.matters)
    for query in queries:
        assert names(typed.search(query)) == names(_FRESH.search_fresh(query)), query


class _FreshIndex:
    """A search with no memory of an earlier query, to compare against."""

    def __init__(self, index: MatterIndex) -> None:
        self.index = index

    def search_fresh(self, query: str) -> list:  # type: ignore[type-arg]
        self.index.search("")
        return self.index.search(query)


_SHIPPED = load_catalog()
_FRESH = _FreshIndex(MatterIndex(_SHIPPED))


def test_one_index_shared_by_threads_gives_each_its_own_results(catalog: Catalog) -> None:
    from concurrent.futures import ThreadPoolExecutor

    shared = MatterIndex(catalog)
    sequences = [["y", "yl", "ylb", "ylbx"], ["g", "gj", "gjj", "gjj t", "gjj tq"], ["个", "个体", "个体工"]] * 30
    expected = {q: names(MatterIndex(catalog).search(q)) for seq in sequences[:3] for q in seq}

    def type_in(seq: list[str]) -> list[bool]:
        return [names(shared.search(q)) == expected[q] for q in seq]

    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = [ok for result in pool.map(type_in, sequences) for ok in result]
    assert all(outcomes)


def test_the_pinyin_cache_gives_the_same_index_and_is_reused(catalog: Catalog, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from app.catalog import search

    path = tmp_path / "cache" / "pinyin.json"
    fresh = MatterIndex(catalog, pinyin_cache=path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["pypinyin"] and len(data["texts"]) >= len(catalog.matters)

    def no_pypinyin(text: str) -> tuple[str, str]:
        raise AssertionError(f"pypinyin asked for {text!r} although the cache knows it")

    monkeypatch.setattr(search, "_pinyin", no_pypinyin)
    cached = MatterIndex(catalog, pinyin_cache=path)
    for query in ("ylbx", "gjj", "医疗", "个体", "150929-SB", "yl"):
        assert [m.code for m in cached.search(query)] == [m.code for m in fresh.search(query)]


def test_a_broken_or_foreign_pinyin_cache_is_recomputed(catalog: Catalog, tmp_path: Path) -> None:
    import json

    path = tmp_path / "pinyin.json"
    path.write_text("{not json", encoding="utf-8")
    assert [m.code for m in MatterIndex(catalog, pinyin_cache=path).search("ylbx")] == \
        [m.code for m in MatterIndex(catalog).search("ylbx")]
    assert json.loads(path.read_text(encoding="utf-8"))["texts"]  # rewritten whole
    path.write_text(json.dumps({"pypinyin": "0.0-other", "texts": {"医疗保险": ["xx", "wrong"]}}), encoding="utf-8")
    index = MatterIndex(catalog, pinyin_cache=path)
    assert json.loads(path.read_text(encoding="utf-8"))["pypinyin"] != "0.0-other"
    assert [m.code for m in index.search("ylbx")] == [m.code for m in MatterIndex(catalog).search("ylbx")]
