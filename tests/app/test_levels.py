"""Levels: a 嘎查村 point offers only what the catalog lets it do; 代收 registers the papers (收件) for the deciding
office, whose acceptance starts the deadlines; the 收件回执 says who collects and who 受理."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases.levels import matters_at, office_accepted
from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, accept, current_matter
from app.catalog import load_catalog
from app.catalog.model import Catalog
from app.catalog.store import import_catalog
from app.errors import ValidationError
from app.store import Store
from app.store.models import Case, Outbox
from printing.documents import render
from printing.from_store import case_doc
from tests.app._case_kit import HALL, MONDAY, person_id, prepare
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import pdf_text

FOOD = "150929-SJ-004"  # 食品经营许可: 承诺 5 working days — collected at the village point
SELF_EMPLOYED = "150929-SJ-001"  # 个体工商户设立登记 — the village point 受理 it itself
PENSION = "150929-SB-002"  # offered at the township only


def levelled() -> Catalog:
    shipped = load_catalog()
    levels = {FOOD: (("township", "accept"), ("village", "collect")),
              SELF_EMPLOYED: (("township", "accept"), ("village", "accept")),
              PENSION: (("township", "collect"),)}
    return dataclasses.replace(
        shipped, version=shipped.version + ".levels", issued="2026-11-01",
        matters=tuple(dataclasses.replace(m, levels=levels.get(m.code, ())) for m in shipped.matters))


def install(store: Store) -> None:
    prepare(store)
    with store.write() as session:
        import_catalog(session, levelled(), source="test:levels")


def materials(store: Store, matter: str) -> tuple[MaterialInput, ...]:
    with store.read() as session:
        found = current_matter(session, matter)
    assert found is not None
    return tuple(MaterialInput(m.key, "original") for m in found[1].materials if m.condition == "always")


def request(matter: str, items: tuple[MaterialInput, ...], level: str = "village") -> AcceptRequest:
    return AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=1, matter_code=matter,
        applicant=ApplicantInput(name="其其格", id_no=person_id(), phone="13800000000", address="江岸苏木"),
        materials=items, actor="clerk01", accepted_at=MONDAY, hall_level=level)


def test_each_level_offers_what_the_catalog_lets_it() -> None:
    catalog = levelled()
    village = {m.code for m in matters_at(catalog, "village")}
    township = {m.code for m in matters_at(catalog, "township")}
    assert village == {FOOD, SELF_EMPLOYED} and township == {FOOD, SELF_EMPLOYED, PENSION}
    assert len(matters_at(catalog, "county")) == len(catalog.matters)
    with pytest.raises(ValidationError, match=r"hall\.level 应为 county / township / village"):
        matters_at(catalog, "gacha")


def test_a_village_point_refuses_what_it_does_not_offer_and_collects_only_complete_papers(
        sqlite_store: Store, tmp_path: Path) -> None:
    install(sqlite_store)
    with pytest.raises(ValidationError, match="本嘎查村便民服务站不办理“城乡居民基本养老保险待遇申领”，请告知申请人到旗县政务服务中心"):
        accept(sqlite_store, request(PENSION, materials(sqlite_store, PENSION)), files_dir=tmp_path, clock=CLOCK)
    short = materials(sqlite_store, FOOD)[1:]
    with pytest.raises(ValidationError, match="只能代收：材料须齐全方可收件"):
        accept(sqlite_store, request(FOOD, short), files_dir=tmp_path, clock=CLOCK)
    with sqlite_store.read() as session:
        assert session.scalar(select(Case.id)) is None  # nothing written for either


def test_collected_at_the_village_then_accepted_by_the_office(sqlite_store: Store, tmp_path: Path) -> None:
    install(sqlite_store)
    result = accept(sqlite_store, request(FOOD, materials(sqlite_store, FOOD)), files_dir=tmp_path, clock=CLOCK)
    no = result.summary.case_no
    with sqlite_store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == no)).one()
        kinds = [e.kind for e in sorted(case.events, key=lambda e: e.id)]
        payload = session.scalars(select(Outbox.payload).where(Outbox.case_id == case.id)).one()
        doc = case_doc(session, no, clock=CLOCK)
    assert case.state == "collected" and case.promised_due is None and case.legal_due is None
    assert kinds == ["accept", "collect"] and payload["state"] == "collected"
    text = pdf_text(render("receipt", doc)).replace("\n", "").replace(" ", "")
    assert "收件回执" in text and "已代为收件，转四子王旗市场监督管理局受理" in text
    assert "本点只收件、不受理" in text and "5个工作日（自受理机关受理之日起计算）" in text
    assert "待四子王旗市场监督管理局受理" in text
    # The office accepts on Wednesday: five working days from then, not from Monday's 收件.
    wednesday = MONDAY.date() + dt.timedelta(days=2)
    with sqlite_store.write() as session:
        office_accepted(session, case_no=no, day=wednesday, office="四子王旗市场监督管理局",
                        at=MONDAY + dt.timedelta(days=2))
        office_accepted(session, case_no=no, day=wednesday, office="四子王旗市场监督管理局",
                        at=MONDAY + dt.timedelta(days=2))  # a re-delivered change: no second event
    with sqlite_store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == no)).one()
        doc = case_doc(session, no, clock=CLOCK)
        events = [e.kind for e in case.events]
    assert case.state == "accepted" and events.count("office_accept") == 1
    assert case.promised_due == dt.date(2026, 12, 2)  # Wed 25 Nov + 5 working days
    text = pdf_text(render("receipt", doc)).replace("\n", "").replace(" ", "")
    assert "四子王旗市场监督管理局已于2026-11-25受理" in text and "预计于2026年12月2日前办结" in text


def test_a_matter_the_village_accepts_itself_is_an_ordinary_case(sqlite_store: Store, tmp_path: Path) -> None:
    install(sqlite_store)
    result = accept(sqlite_store, request(SELF_EMPLOYED, materials(sqlite_store, SELF_EMPLOYED)),
                    files_dir=tmp_path, clock=CLOCK)
    assert result.summary.state == "handed_over"  # 即办 and 受理 at the point: done on the spot
