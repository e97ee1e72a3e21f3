"""Catalog versions in the store, on SQLite and PostgreSQL: idempotent imports, newest is current, old cases keep
the matter they were accepted under."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.catalog import load_catalog, matter_from_payload, matter_to_payload
from app.catalog.model import Catalog, TimeLimit
from app.catalog.store import (
    catalog_by_id,
    current_catalog,
    current_categories,
    ensure_catalog,
    import_catalog,
    stored_matter,
)
from app.errors import CatalogError
from app.store import Store
from app.store.models import Case, CatalogVersion, Hall, MatterRow


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def newer(catalog: Catalog, version: str = "2026.2", issued: str = "2026-03-01") -> Catalog:
    """The same catalog with 食品经营许可 promised in 3 workdays instead of 5."""
    matters = tuple(
        dataclasses.replace(m, promised=TimeLimit(3, "workday")) if m.code == "150929-SJ-004" else m
        for m in catalog.matters
    )
    return dataclasses.replace(catalog, version=version, issued=issued, matters=matters)


def test_import_and_rebuild(any_store: Store, shipped: Catalog) -> None:
    with any_store.write() as session:
        assert current_catalog(session) is None
        version_id = import_catalog(session, shipped, source="test")
    with any_store.read() as session:
        found = current_catalog(session)
        rows = session.scalar(select(func.count()).select_from(MatterRow))
        row = session.get(CatalogVersion, version_id)
        assert row is not None and len(row.sha256) == 64 and row.source == "test"
    assert rows == len(shipped.matters)
    assert found is not None and found[0] == version_id
    assert found[1] == shipped
    assert found[1].categories["A"] == "社保医保"


def test_same_version_twice_is_a_no_op(any_store: Store, shipped: Catalog) -> None:
    with any_store.write() as session:
        first = import_catalog(session, shipped, source="a")
    with any_store.write() as session:
        second = import_catalog(session, shipped, source="b")
    with any_store.read() as session:
        versions = session.scalar(select(func.count()).select_from(CatalogVersion))
        rows = session.scalar(select(func.count()).select_from(MatterRow))
    assert first == second and versions == 1 and rows == len(shipped.matters)


def test_changed_content_under_old_version_is_refused(any_store: Store, shipped: Catalog) -> None:
    with any_store.write() as session:
        import_catalog(session, shipped, source="a")
    with pytest.raises(CatalogError, match=f"事项目录版本 {shipped.version} 已导入过且内容不同"), \
            any_store.write() as session:
        import_catalog(session, newer(shipped, version=shipped.version), source="b")
    with any_store.read() as session:
        found = current_catalog(session)
    assert found is not None and found[1].matter("150929-SJ-004").promised.amount == 5  # type: ignore[union-attr]


def test_newer_becomes_current_and_old_cases_keep_their_matter(any_store: Store, shipped: Catalog) -> None:
    with any_store.write() as session:
        old_id = import_catalog(session, shipped, source="a")
        session.add(Hall(code="150929", name="四子王旗政务服务中心"))
        session.flush()
        matter = shipped.matter("150929-SJ-004")
        assert matter is not None
        session.add(Case(
            case_no="T-0001", hall_code="150929", window_number=1, catalog_version_id=old_id,
            matter_code=matter.code, matter_name=matter.name, department=matter.department,
            matter_snapshot=matter_to_payload(matter), applicant_name="张三", applicant_id_kind="resident",
            applicant_id_no="150929199001010011", decision="normal", state="accepted",
            service_date=dt.date(2026, 2, 2), accepted_at=dt.datetime(2026, 2, 2, 2, 0, tzinfo=dt.UTC),
        ))
    with any_store.write() as session:
        new_id = import_catalog(session, newer(shipped), source="b")
    assert new_id != old_id
    with any_store.read() as session:
        found = current_catalog(session)
        case = session.scalars(select(Case).where(Case.case_no == "T-0001")).one()
        old_catalog = catalog_by_id(session, old_id)
        old_matter = stored_matter(session, old_id, "150929-SJ-004")
        flags = {i: c for i, c in session.execute(select(CatalogVersion.id, CatalogVersion.current))}
    assert found is not None and found[0] == new_id
    assert found[1].matter("150929-SJ-004").promised.amount == 3  # type: ignore[union-attr]
    assert case.catalog_version_id == old_id
    assert matter_from_payload(case.matter_snapshot).promised.amount == 5
    assert old_catalog == shipped and old_matter is not None and old_matter.promised.amount == 5
    assert flags == {old_id: False, new_id: True}


def test_importing_an_older_version_later_keeps_the_newer_current(any_store: Store, shipped: Catalog) -> None:
    with any_store.write() as session:
        new_id = import_catalog(session, newer(shipped, version="2026.10", issued=shipped.issued), source="b")
    with any_store.write() as session:
        old_id = import_catalog(session, newer(shipped, version="2026.9", issued=shipped.issued), source="a")
    with any_store.read() as session:
        found = current_catalog(session)
    assert found is not None and found[0] == new_id != old_id  # 2026.10 is newer than 2026.9


def test_ensure_catalog_imports_once_and_upgrades(any_store: Store, shipped: Catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]
    version_id, catalog = ensure_catalog(any_store)
    again_id, _ = ensure_catalog(any_store)
    assert version_id == again_id and catalog == shipped
    with any_store.write() as session:
        newest = import_catalog(session, newer(shipped, version="2027.1", issued="2027-01-04"), source="hub")
    assert ensure_catalog(any_store)[0] == newest  # the shipped (older) one does not take over


def test_current_categories_without_rebuilding(sqlite_store: Store, shipped: Catalog) -> None:
    with sqlite_store.read() as session:
        assert current_categories(session) == {}
    ensure_catalog(sqlite_store)
    with sqlite_store.read() as session:
        assert current_categories(session) == shipped.categories


def test_rebuilt_catalog_reflects_each_stores_own_rows(tmp_path, shipped: Catalog) -> None:  # type: ignore[no-untyped-def]
    # Two stores with different current versions must each see their own, whatever was read before.
    from app.store import open_store

    one = open_store(f"sqlite:///{(tmp_path / 'one.db').as_posix()}")
    two = open_store(f"sqlite:///{(tmp_path / 'two.db').as_posix()}")
    try:
        ensure_catalog(one)
        with two.write() as session:
            import_catalog(session, newer(shipped), source="hub")
        with one.read() as s1, two.read() as s2:
            a, b = current_catalog(s1), current_catalog(s2)
        assert a is not None and b is not None
        assert a[1].matter("150929-SJ-004").promised.amount == 5  # type: ignore[union-attr]
        assert b[1].matter("150929-SJ-004").promised.amount == 3  # type: ignore[union-attr]
    finally:
        one.dispose()
        two.dispose()


def test_two_hall_pcs_starting_at_once_share_one_version(pg_store: Store) -> None:
    # A county hall: several window PCs on one PostgreSQL start together; each ensures the catalog.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _i: ensure_catalog(pg_store)[0], range(4)))
    with pg_store.read() as session:
        versions = session.scalar(select(func.count()).select_from(CatalogVersion))
    assert len(set(results)) == 1 and versions == 1
