"""一件事一次办: bundles in the catalog (validated with clear messages) and one intake at the counter that becomes
one case per matter, each with its own department, decision and deadline, all written at once or not at all."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.bundle import BundleRequest, accept_bundle, bundle_of_case, case_id_for
from app.cases.payload import ACCEPT_KIND
from app.cases.service import ApplicantInput, AttachmentInput, MaterialInput
from app.catalog import check_catalog, load_catalog
from app.catalog.bundles import merged_materials, shared_keys
from app.catalog.payload import catalog_from_payload, catalog_sha256, catalog_to_payload
from app.catalog.store import current_catalog
from app.catalog.writer import write_catalog_dir
from app.errors import ValidationError
from app.store import Store
from app.store.models import Attachment, Case, Outbox
from tests.app._case_kit import HALL, MONDAY, person_id, prepare
from tests.hall_clock import CLOCK

BIRTH = "150929-YJS-001"  # 新生儿出生一件事: 出生医学证明, 出生登记, 医保参保, 社保卡申领
MATTERS = ("150929-WJ-004", "150929-GA-003", "150929-YB-001", "150929-SB-006")


def _catalog_with(tmp_path: Path, bundles: str) -> Path:
    """A copy of the shipped catalog whose catalog.toml ends with ``bundles``."""
    import shutil

    from app.catalog import DEFAULT_CATALOG_DIR

    folder = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG_DIR, folder)
    head = folder / "catalog.toml"
    text = head.read_text(encoding="utf-8")
    text = text[:text.index("[[bundles]]")] if "[[bundles]]" in text else text
    head.write_text(text + bundles, encoding="utf-8")
    return folder


def test_the_shipped_catalog_has_the_newborn_bundle_with_its_shared_papers() -> None:
    catalog = load_catalog()
    bundle = catalog.bundle(BIRTH)
    assert bundle is not None and bundle.name == "新生儿出生一件事" and bundle.matters == MATTERS
    matters = tuple(catalog.matter(c) for c in MATTERS)
    assert all(m is not None for m in matters)
    shared = shared_keys(matters)  # type: ignore[arg-type]
    assert {"parents_ids", "proxy_auth", "proxy_id"} <= shared
    merged = merged_materials(matters)  # type: ignore[arg-type]
    keys = [m.key for m in merged]
    assert len(keys) == len(set(keys)) and keys.count("parents_ids") == 1


def test_bad_bundles_are_each_named_with_the_reason(tmp_path: Path) -> None:
    folder = _catalog_with(tmp_path, '''
[[bundles]]
code = "YJS-1"
name = "开办企业一件事"
matters = ["150929-SJ-003", "150929-SJ-0O3", "150929-SW-001", "150929-SW-001"]

[[bundles]]
code = "YJS-1"
name = "重复编码"
matters = ["150929-SJ-003", "150929-SW-001"]

[[bundles]]
code = "YJS-2"
name = "只有一个事项"
matters = ["150929-SJ-003"]
category = "Z"
''')
    report = check_catalog(folder)
    assert not report.ok
    text = "\n".join(report.errors)
    assert "一件事 YJS-1 字段 matters[1]: 未知事项编码 \"150929-SJ-0O3\"，是否应为 150929-SJ-003？" in text
    assert "事项 150929-SW-001 重复列出" in text
    assert "一件事 YJS-1 字段 code: 一件事编码重复" in text
    assert "一件事 YJS-2 字段 matters: 一件事至少包含 2 个不同的事项，实际为 1 个" in text
    assert "一件事 YJS-2 字段 category: 未知排队业务类别 \"Z\"" in text
    assert all(line.startswith(str(folder.name)) or "catalog.toml" in line for line in report.errors)


def test_bundles_survive_the_store_the_payload_and_the_written_toml(sqlite_store: Store, tmp_path: Path) -> None:
    catalog = load_catalog()
    assert catalog_from_payload(catalog_to_payload(catalog)).bundles == catalog.bundles
    write_catalog_dir(catalog, tmp_path / "out")
    again = load_catalog(tmp_path / "out")
    assert again.bundles == catalog.bundles and catalog_sha256(again) == catalog_sha256(catalog)
    prepare(sqlite_store)
    with sqlite_store.read() as session:
        found = current_catalog(session)
    assert found is not None and found[1].bundles == catalog.bundles


def _request(**kw: object) -> BundleRequest:
    states = {"parents_ids": "original", "delivery_record": "original", "birth_cert": "original",
              "household": "original", "marriage": "original", "id_card": "original", "photo": "original"}
    states.update(kw.pop("states", {}))  # type: ignore[arg-type]
    files = kw.pop("files", {})
    return BundleRequest(
        request_id=str(kw.pop("request_id", uuid.uuid4())), hall_code=HALL, window_number=2, bundle_code=BIRTH,
        applicant=ApplicantInput(name="其其格", id_no=person_id(), phone="13800000000", address="四子王旗乌兰花镇"),
        materials=tuple(MaterialInput(k, v, files.get(k, ())) for k, v in states.items()),  # type: ignore[arg-type]
        actor="clerk01", accepted_at=MONDAY, ticket_id=None, **kw)  # type: ignore[arg-type]


def test_one_intake_becomes_one_case_per_matter_with_its_own_department_and_deadline(
        any_store: Store, tmp_path: Path) -> None:
    prepare(any_store)
    scan = AttachmentInput("父母身份证.jpg", b"\xff\xd8scan-bytes", "image/jpeg")
    request = _request(states={"photo": "deferred"}, files={"parents_ids": (scan,)})
    result = accept_bundle(any_store, request, files_dir=tmp_path / "files", clock=CLOCK)
    assert [c.summary.matter_code for c in result.cases] == list(MATTERS)
    assert len({c.summary.case_no for c in result.cases}) == 4
    by = {c.summary.matter_code: c for c in result.cases}
    assert by["150929-WJ-004"].summary.department == "四子王旗卫生健康委员会"
    assert by["150929-SB-006"].decision.outcome == "deferred"  # its own decision: the photo is owed
    assert by["150929-WJ-004"].decision.outcome == "normal" and by["150929-WJ-004"].summary.promised_due
    assert by["150929-GA-003"].summary.state == "handed_over"  # 即办件 completed at the window
    with any_store.read() as session:
        cases = session.scalars(select(Case).where(Case.bundle_id == request.request_id)).all()
        assert len(cases) == 4 and {c.id for c in cases} == {case_id_for(request.request_id, m) for m in MATTERS}
        outbox = session.scalars(select(Outbox).where(Outbox.kind == ACCEPT_KIND,
                                                      Outbox.case_id.in_([c.id for c in cases]))).all()
        assert len(outbox) == 4
        assert all(o.payload["bundle"]["id"] == request.request_id and o.payload["bundle"]["code"] == BIRTH
                   for o in outbox)
        shared = session.scalars(select(Attachment).where(Attachment.material_key == "parents_ids")).all()
        # The shared paper's scan is stored once and recorded on both cases that need it.
        assert len(shared) == 2 and len({a.path for a in shared}) == 1 and len({a.case_id for a in shared}) == 2
        view = bundle_of_case(session, by["150929-YB-001"].summary.case_no)
    assert (tmp_path / "files" / shared[0].path).read_bytes() == scan.data
    assert view is not None and view.name == "新生儿出生一件事" and len(view.cases) == 4 and not view.done
    assert view.done_count == 2  # the two 即办件 (出生登记, 医保参保) were concluded at the window


def test_a_retried_intake_returns_the_same_cases_and_a_bad_one_writes_nothing(sqlite_store: Store,
                                                                              tmp_path: Path) -> None:
    prepare(sqlite_store)
    request = _request()
    first = accept_bundle(sqlite_store, request, files_dir=tmp_path, clock=CLOCK)
    again = accept_bundle(sqlite_store, request, files_dir=tmp_path, clock=CLOCK)
    assert again.replayed and [c.summary.case_no for c in again.cases] == [c.summary.case_no for c in first.cases]
    with sqlite_store.read() as session:
        count = len(session.scalars(select(Case.id)).all())
    assert count == 4
    bad = BundleRequest(**{**_request().__dict__,
                           "applicant": ApplicantInput(name="其其格", id_no="150929198001011230")})
    with pytest.raises(ValidationError, match="申请人证件号码有误"):
        accept_bundle(sqlite_store, bad, files_dir=tmp_path, clock=CLOCK)
    with pytest.raises(ValidationError, match="不属于一件事"):
        accept_bundle(sqlite_store, _request(matter_codes=("150929-WJ-004", "150929-SJ-001")), files_dir=tmp_path,
                      clock=CLOCK)
    with pytest.raises(ValidationError, match="至少办理两个事项"):
        accept_bundle(sqlite_store, _request(matter_codes=("150929-WJ-004",)), files_dir=tmp_path, clock=CLOCK)
    with sqlite_store.read() as session:
        assert len(session.scalars(select(Case.id)).all()) == 4


def test_the_applicant_may_take_only_some_of_the_bundles_matters(sqlite_store: Store, tmp_path: Path) -> None:
    prepare(sqlite_store)
    request = _request(matter_codes=("150929-GA-003", "150929-YB-001"),
                       states={"parents_ids": "original", "birth_cert": "original", "household": "original",
                               "marriage": "original", "id_card": "original"})
    request = BundleRequest(**{**request.__dict__, "materials": tuple(
        m for m in request.materials if m.key not in ("delivery_record", "photo"))})
    result = accept_bundle(sqlite_store, request, files_dir=tmp_path, clock=CLOCK)
    assert [c.summary.matter_code for c in result.cases] == ["150929-GA-003", "150929-YB-001"]


def test_the_bundle_receipt_lists_every_matter_with_its_case_number_and_deadline(sqlite_store: Store,
                                                                                tmp_path: Path) -> None:
    from printing.bundle_receipt import bundle_docs, bundle_receipt
    from tests.printing.pdf_tools import pdf_text

    prepare(sqlite_store)
    result = accept_bundle(sqlite_store, _request(states={"photo": "deferred"}), files_dir=tmp_path, clock=CLOCK)
    with sqlite_store.read() as session:
        name, docs = bundle_docs(session, result.bundle_id, clock=CLOCK)
    pdf = bundle_receipt(name, docs)
    (tmp_path / "bundle.pdf").write_bytes(pdf)
    text = pdf_text(pdf).replace("\n", "")
    assert "一件事一次办受理回执" in text and "新生儿出生一件事" in text
    for case in result.cases:
        assert case.summary.case_no[-6:] in text.replace(" ", "")
    assert "出生医学证明签发" in text and "社会保障卡申领" in text and "容缺" in text
    assert text.count("父母双方居民身份证") == 1  # the shared paper is listed once


def test_the_daily_report_counts_bundles_and_their_cases(any_store: Store, tmp_path: Path) -> None:
    from app.reports.daily import daily_report

    prepare(any_store)
    first = accept_bundle(any_store, _request(), files_dir=tmp_path, clock=CLOCK)
    two = _request(matter_codes=("150929-WJ-004", "150929-SB-006"))
    two = BundleRequest(**{**two.__dict__, "materials": tuple(
        m for m in two.materials if m.key in ("parents_ids", "delivery_record", "id_card", "photo"))})
    accept_bundle(any_store, two, files_dir=tmp_path, clock=CLOCK)
    with any_store.read() as session:
        report = daily_report(session, start=MONDAY.date(), hall_code=HALL, clock=CLOCK)
    lines = {label: value for label, value, _key in report.summary()}
    assert lines["一件事一次办（件数）"] == "2" and lines["一件事一次办所含办件"] == "6"
    assert report.to_json()["cases"]["bundles"] == 2 and report.cases_total == 6
    assert {c.summary.case_no for c in first.cases} < set(report.drill["bundle"])
    assert len(report.drill["bundle"]) == 6


def test_bundles_come_from_the_imports_one_thing_sheet_with_bad_rows_named(tmp_path: Path) -> None:
    import openpyxl

    from app.catalog.importer import diff_catalogs, plan_import
    from app.catalog.sheet import load_mapping
    from tests.app.test_catalog_import import (
        CLINIC,
        CLINIC_MATERIALS,
        LOWSTD,
        LOWSTD_MATERIALS,
        MARRIAGE,
        MARRIAGE_MATERIALS,
        write_xlsx,
    )

    path = tmp_path / "实施清单.xlsx"
    write_xlsx(path, [(LOWSTD, LOWSTD_MATERIALS), (MARRIAGE, MARRIAGE_MATERIALS), (CLINIC, CLINIC_MATERIALS)])
    book = openpyxl.load_workbook(path)
    ws = book.create_sheet("一件事")
    ws.append(["一件事编码", "一件事名称", "事项编码", "排队类别"])
    ws.append(["YJS-01", "婚后救助一件事", "11150000TEST000002B", ""])
    ws.append(["", "", "11150000TEST000001A", ""])
    ws.append(["YJS-02", "开诊所一件事", "11150000TEST000003C", ""])
    ws.append(["", "", "11150000TEST00003C", ""])  # a typo: row 5
    book.save(path)
    plan = plan_import(path, mapping=load_mapping(None), current=None, version="2026.12.07.1", issued="2026-12-07")
    assert [b.code for b in plan.catalog.bundles] == ["YJS-01"]
    assert plan.catalog.bundles[0].matters == ("11150000TEST000002B", "11150000TEST000001A")
    bad = [str(i) for i in plan.issues if i.sheet == "一件事"]
    assert any("第 5 行 C 列（事项编码）" in line and "未知事项编码 \"11150000TEST00003C\"" in line
               and "开诊所一件事" in line for line in bad), bad
    assert len(plan.catalog.matters) == 3  # the matters still import
    assert "新增一件事：婚后救助一件事（2 个事项）" in diff_catalogs(
        dataclasses.replace(plan.catalog, bundles=()), plan.catalog).catalog_changes
