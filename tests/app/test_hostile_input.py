"""Hostile input at the counter: LIKE wildcards in search, over-long texts, formulas in exported cells."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from app.cases.import_csv import import_cases
from app.cases.request import TEXT_LIMITS, ApplicantInput
from app.cases.service import accept_case
from app.cases.views import search_cases
from app.errors import ValidationError
from app.reports.export import neutral_cell, to_csv, to_xlsx
from app.store import Store
from app.store.models import Case, Clerk
from tests.app._case_kit import HALL, PENSION, pension_request, person_id, prepare
from tests.app.report_day import build_day
from tests.app.test_reports import report_of
from tests.hall_clock import CLOCK


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    prepare(sqlite_store)
    return sqlite_store


def test_percent_and_underscore_in_a_search_are_characters_not_wildcards(store: Store, tmp_path: Path) -> None:
    plain = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    odd = accept_case(store, pension_request(id_no=person_id(seq=321)), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        s.execute(update(Case).where(Case.id == odd.id).values(applicant_name="百分之100%_公司"))
    with store.read() as s:
        assert search_cases(s, text="%") == search_cases(s, text="_")
        assert [c.case_no for c in search_cases(s, text="%")] == [odd.case_no]
        assert [c.case_no for c in search_cases(s, text="0%_")] == [odd.case_no]
        assert search_cases(s, text="%%其") == []
        assert plain.case_no in {c.case_no for c in search_cases(s, text="其其格")}


def test_every_text_of_a_case_has_a_stated_limit_with_a_clear_message(store: Store, tmp_path: Path) -> None:
    base = pension_request()
    long_name = dataclasses.replace(base, applicant=ApplicantInput(name="张" * 100_000, id_no=person_id()))
    with pytest.raises(ValidationError) as err:
        accept_case(store, long_name, files_dir=tmp_path, clock=CLOCK)
    assert err.value.field == "applicant_name"
    assert "申请人姓名或单位名称过长：100000 字，上限 200 字" in err.value.message
    for field, kwargs in (("applicant_address", {"address": "路" * 301}), ("applicant_phone", {"phone": "1" * 41})):
        applicant = ApplicantInput(name="其其格", id_no=person_id(), **kwargs)  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as err:
            accept_case(store, dataclasses.replace(base, applicant=applicant), files_dir=tmp_path, clock=CLOCK)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        accept_case(store, dataclasses.replace(base, mail_address="址" * 301, delivery="mail"), files_dir=tmp_path,
                    clock=CLOCK)
    assert err.value.field == "mail_address"
    assert TEXT_LIMITS["applicant_name"][1] == Case.__table__.c.applicant_name.type.length  # the schema states it
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0  # nothing accepted
    ok = accept_case(store, dataclasses.replace(base, applicant=ApplicantInput(name="张" * 200, id_no=person_id())),
                     files_dir=tmp_path, clock=CLOCK)
    assert ok.case_no


def test_case_import_refuses_a_100000_character_name_and_names_row_and_column(store: Store, tmp_path: Path) -> None:
    with store.write() as s:
        s.add(Clerk(hall_code=HALL, username="clerk01", name="其木格", password_hash="x"))
    materials = "id_card=original;household=copy;ss_card=原件;no_other_pension=original;photo=original"
    text = ("accepted_at,window,clerk,matter_code,applicant_name,applicant_id_no,materials\n"
            f"2026-11-20 09:30,2,clerk01,{PENSION},{'名' * 100_000},{person_id()},{materials}\n"
            f"2026-11-20 09:40,2,clerk01,{PENSION},其其格,{person_id(seq=9)},{materials}\n")
    report = import_cases(store, text.encode(), hall_code=HALL, files_dir=tmp_path, clock=CLOCK)
    assert (report.accepted, report.failed) == (1, 1)
    bad = next(r for r in report.rows if not r.ok)
    assert bad.row == 2 and bad.issue is not None and bad.issue.column == "applicant_name"
    assert "上限 200 字" in bad.issue.message


@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"])
def test_a_text_a_spreadsheet_would_evaluate_is_neutralised(text: str) -> None:
    assert neutral_cell(text) == "'" + text
    assert neutral_cell(12) == 12 and neutral_cell("其木格") == "其木格" and neutral_cell("50.0%") == "50.0%"


def test_no_exported_cell_is_a_formula_in_xlsx_or_csv(sqlite_store: Store, tmp_path: Path) -> None:
    build_day(sqlite_store)
    with sqlite_store.write() as s:
        s.execute(update(Clerk).where(Clerk.username == "clerk01").values(name="=1+2"))
        s.execute(update(Case).values(matter_name="@SUM(1,2)"))
    report = report_of(sqlite_store)
    path = tmp_path / "r.xlsx"
    path.write_bytes(to_xlsx(report))
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert "'=1+2" in texts and "'@SUM(1,2)（M1）" in texts and "=1+2" not in texts
    rows = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "'=1+2" in flat and "'@SUM(1,2)（M1）" in flat
    assert not [cell for cell in flat if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert ["窗口", "件数"] in rows
