"""即办件 are completed at the window — 办结 and 出件 in the same visit, and the receipt says so; 承诺件 get their
deadlines and wait for the back office."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from app.cases.service import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput, accept
from app.masking import mask_id
from app.store import Store
from app.store.models import Case, Outbox
from printing.documents import render
from printing.from_store import case_doc
from tests.app._case_kit import HALL, MONDAY, person_id, prepare
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import pdf_text

SELF_EMPLOYED = "150929-SJ-001"  # 个体工商户设立登记: 即办
FOOD = "150929-SJ-004"  # 食品经营许可: 承诺 5 working days


def request(matter: str, materials: dict[str, str], **kw: object) -> AcceptRequest:
    return AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=2, matter_code=matter,
        applicant=ApplicantInput(name="其其格", id_no=person_id(), phone="13800000000", address="四子王旗乌兰花镇"),
        materials=tuple(MaterialInput(k, v) for k, v in materials.items()),  # type: ignore[arg-type]
        actor="clerk01", accepted_at=MONDAY, **kw)  # type: ignore[arg-type]


def all_in(store: Store, matter: str, *, proxy: bool = False) -> dict[str, str]:
    from app.cases.service import current_matter

    with store.read() as session:
        found = current_matter(session, matter)
    assert found is not None
    return {m.key: "original" for m in found[1].materials
            if m.condition == "always" or (proxy and m.condition == "proxy")}


def test_an_instant_matter_is_concluded_and_handed_over_in_the_same_visit(sqlite_store: Store,
                                                                          tmp_path: Path) -> None:
    prepare(sqlite_store)
    result = accept(sqlite_store, request(SELF_EMPLOYED, all_in(sqlite_store, SELF_EMPLOYED)),
                    files_dir=tmp_path, clock=CLOCK)
    assert result.decision.outcome == "normal" and result.summary.state == "handed_over"
    with sqlite_store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == result.summary.case_no)).one()
        kinds = [e.kind for e in sorted(case.events, key=lambda e: e.id)]
        outbox = [(o.kind, o.payload.get("state")) for o in session.scalars(select(Outbox).order_by(Outbox.seq))]
        doc = case_doc(session, case.case_no, clock=CLOCK)
    assert kinds == ["accept", "approve", "hand_over"]
    assert case.result == "approved" and case.concluded_at == case.accepted_at == case.handed_over_at
    assert case.promised_due == MONDAY.date()
    # The hub hears the acceptance first, then the window's 办结 and 出件.
    assert outbox == [("case.accept", "accepted"), ("case.update", "approved"), ("case.update", "handed_over")]
    text = pdf_text(render("receipt", doc)).replace("\n", "").replace(" ", "")
    assert "五、办理结果与领取" in text and "即办件，已于2026年11月23日10:00当场办结" in text
    assert "已于2026年11月23日10:00当场领取（出件），本次办理完毕" in text
    assert "进度查询" not in text


def test_a_proxy_collects_what_they_applied_for_and_a_mailed_result_is_only_concluded(sqlite_store: Store,
                                                                                     tmp_path: Path) -> None:
    prepare(sqlite_store)
    materials = all_in(sqlite_store, SELF_EMPLOYED, proxy=True)
    proxy_id = person_id(seq=456)
    by_proxy = accept(sqlite_store, request(SELF_EMPLOYED, materials,
                                            proxy=ProxyInput(name="王小红", id_no=proxy_id, phone="13900000000")),
                      files_dir=tmp_path, clock=CLOCK)
    mailed = accept(sqlite_store, request(SELF_EMPLOYED, all_in(sqlite_store, SELF_EMPLOYED), delivery="mail",
                                          mail_address="四子王旗乌兰花镇团结路8号"),
                    files_dir=tmp_path, clock=CLOCK)
    assert by_proxy.decision.outcome == "normal", by_proxy.decision.reasons
    with sqlite_store.read() as session:
        proxy_case = session.scalars(select(Case).where(Case.case_no == by_proxy.summary.case_no)).one()
        hand_over = next(e for e in proxy_case.events if e.kind == "hand_over")
        mail_case = session.scalars(select(Case).where(Case.case_no == mailed.summary.case_no)).one()
    assert hand_over.detail["collector"] == "proxy" and hand_over.detail["collector_id_no"] == mask_id(proxy_id)  # recorded masked
    assert mail_case.state == "approved" and mail_case.handed_over_at is None and mail_case.result == "approved"


def test_a_promised_matter_keeps_its_deadline_and_waits(sqlite_store: Store, tmp_path: Path) -> None:
    prepare(sqlite_store)
    result = accept(sqlite_store, request(FOOD, all_in(sqlite_store, FOOD)), files_dir=tmp_path, clock=CLOCK)
    assert result.summary.state == "accepted" and result.decision.promised_due is not None
    assert result.decision.promised_due > MONDAY.date()
    with sqlite_store.read() as session:
        doc = case_doc(session, result.summary.case_no, clock=CLOCK)
        case = session.scalars(select(Case).where(Case.case_no == result.summary.case_no)).one()
    assert case.result == "" or case.result is None
    text = pdf_text(render("receipt", doc)).replace("\n", "")
    assert "进度查询" in text and "当场办结" not in text


def test_an_instant_matter_missing_a_paper_is_not_concluded(sqlite_store: Store, tmp_path: Path) -> None:
    prepare(sqlite_store)
    materials = all_in(sqlite_store, SELF_EMPLOYED)
    materials[next(iter(materials))] = "missing"
    result = accept(sqlite_store, request(SELF_EMPLOYED, materials), files_dir=tmp_path, clock=CLOCK)
    assert result.decision.outcome != "normal" and result.summary.state not in ("approved", "handed_over")
