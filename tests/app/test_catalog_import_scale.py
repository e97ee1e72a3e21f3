"""The 1,200-matter 实施清单 (benchmarks/catalog_gen.py) imported from a real .xlsx with merged cells: each
deliberately broken cell is named at its sheet, row and column, the rest imports, and a second import shows a
clean difference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog.importer import ImportPlan, plan_import
from app.catalog.sheet import column_letter, load_mapping
from app.catalog.store import current_catalog, import_catalog
from app.store import Store
from benchmarks.catalog_gen import BAD_CELLS, HEADERS, apply_bad, matters, write_csv, write_xlsx

MAPPING = load_mapping(None)


def plan(path: Path, current=None, version: str = "2026.12.07.1") -> ImportPlan:  # type: ignore[no-untyped-def]
    return plan_import(path, mapping=MAPPING, current=current, version=version, issued="2026-12-07")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[tuple[int, int | None], tuple[str, int]]]]:
    path = tmp_path_factory.mktemp("scale") / "实施清单.xlsx"
    where = write_xlsx(path, apply_bad(matters(1200)))
    yield path, where


def test_the_bad_cells_are_each_named_and_the_other_matters_import(
        broken: tuple[Path, dict[tuple[int, int | None], tuple[str, int]]], tmp_path: Path,
        sqlite_store: Store) -> None:
    path, where = broken
    result = plan(path)
    assert result.matters_read == 1200 and result.rows == sum(len(m.materials) for m in matters(1200))
    expected = set()
    for index, material, column, _value in BAD_CELLS:
        sheet, row = where[(index, material)]
        expected.add((sheet, row, f"{column_letter(HEADERS.index(column))} 列（{column}）"))
    assert {(i.sheet, i.row, i.column) for i in result.issues} == expected
    assert len(result.issues) == len(BAD_CELLS) and len(result.rejected) == len(BAD_CELLS)
    catalog = result.catalog
    assert len(catalog.matters) == 1200 - len(BAD_CELLS) and len(catalog.departments) == 27
    assert sum(m.has_deferrable for m in catalog.matters) >= 71
    assert sum(m.has_pledgeable for m in catalog.matters) >= 102
    assert all(3 <= len(m.materials) <= 26 for m in catalog.matters)  # 3–25 listed, plus an added 委托书 at most
    with sqlite_store.write() as session:
        import_catalog(session, catalog, source="import:实施清单.xlsx")
        current = current_catalog(session)
    assert current is not None
    # The corrected list, as a GB18030 CSV this time: only the eight matters that were left out are new.
    fixed = tmp_path / "实施清单.csv"
    write_csv(fixed, matters(1200))
    second = plan(fixed, current=current[1], version="2026.12.07.2")
    assert second.issues == ()
    assert sorted(m.code for m in second.diff.added) == sorted(result.rejected)
    assert second.diff.changed == () and second.diff.removed == () and second.diff.catalog_changes == ()
    # And the same broken file again: nothing to change (the bad rows are still named).
    again = plan(path, current=current[1], version="2026.12.07.2")
    assert again.diff.empty and len(again.issues) == len(BAD_CELLS)
