"""Accepting a case: one transaction, idempotent per request id, 受理编号, files, outbox, on both engines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.case_no import CaseNo, damm_check_digit, normalize_case_no
from app.cases import (
    AcceptRequest,
    ApplicantInput,
    AttachmentInput,
    MaterialInput,
    ProxyInput,
    accept,
    accept_case,
    case_exists,
    find_case,
    list_cases,
    search_cases,
    speak_case_no,
)
from app.errors import NotFound, ValidationError
from app.store import Store
from app.store.models import Attachment, AuditEvent, Case, CaseEvent, CaseMaterial, ExcludedApplicant, Outbox
from tests.app._case_kit import (
    HALL,
    JOBLESS,
    LOAN,
    MONDAY,
    credit_code,
    pension_request,
    person_id,
    prepare,
)
from tests.hall_clock import CLOCK


@pytest.fixture
def store(any_store: Store) -> Store:
    prepare(any_store)
    return any_store


def counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (Case, CaseMaterial, CaseEvent, Attachment, Outbox, AuditEvent)}


def test_normal_acceptance_writes_case_materials_event_outbox_and_audit(store: Store, tmp_path: Path) -> None:
    summary = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    assert summary.case_no == "150929" + "261123" + "03" + "0001" + damm_check_digit("150929261123030001")
    assert speak_case_no(summary.case_no) == f"150929 261123 03 0001 {summary.case_no[-1]}"
    assert summary.decision == "normal" and summary.state == "accepted"
    assert summary.decision_label == "正常受理" and summary.state_label == "已受理"
    assert summary.promised_due == dt.date(2026, 11, 30)  # 5 working days after Mon 11-23
    with store.read() as s:
        outbox = s.scalars(select(Outbox)).one()
        assert outbox.kind == "case.accept" and outbox.case_id == summary.id
        canonical = json.dumps(outbox.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert outbox.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
        assert outbox.payload["case_no"] == summary.case_no
        assert outbox.payload["matter_code"] == "150929-SB-002"
        assert outbox.payload["applicant"]["name"] == "其其格"
        assert {m["key"] for m in outbox.payload["materials"]} >= {"id_card", "ss_card", "photo"}
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "case.accept")).one()
        assert audit.target == summary.case_no and audit.actor == "clerk01"
        event = s.scalars(select(CaseEvent)).one()
        assert (event.kind, event.to_state, event.actor) == ("accept", "accepted", "clerk01")
    second = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    assert second.case_no[12:18] == "030002" and len(second.case_no) == 19


def test_the_same_request_id_twice_gives_one_case(store: Store, tmp_path: Path) -> None:
    request = pension_request()
    first = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    again = accept(store, request, files_dir=tmp_path, clock=CLOCK)
    assert again.replayed and again.summary.case_no == first.summary.case_no
    assert again.decision.outcome == first.decision.outcome
    assert [m.key for m in again.decision.materials] == [m.key for m in first.decision.materials]
    assert again.decision.reasons == first.decision.reasons
    assert counts(store)["case"] == 1 and counts(store)["outbox"] == 1


def test_windows_and_days_number_independently(store: Store, tmp_path: Path) -> None:
    a = accept_case(store, pension_request(window=3), files_dir=tmp_path, clock=CLOCK)
    b = accept_case(store, pension_request(window=5), files_dir=tmp_path, clock=CLOCK)
    c = accept_case(store, pension_request(window=3, at=MONDAY + dt.timedelta(days=1)), files_dir=tmp_path, clock=CLOCK)
    assert (a.case_no[12:18], b.case_no[12:18], c.case_no[12:18]) == ("030001", "050001", "030001")
    assert c.case_no[6:12] == "261124"


def test_late_evening_utc_is_the_next_local_day(store: Store, tmp_path: Path) -> None:
    at = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 24th in the hall
    summary = accept_case(store, pension_request(at=at), files_dir=tmp_path, clock=CLOCK)
    assert summary.service_date == dt.date(2026, 11, 24) and summary.case_no[6:12] == "261124"


def test_deferred_case_waits_for_the_supplement_with_its_deadline(store: Store, tmp_path: Path) -> None:
    result = accept(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert result.summary.decision == "deferred" and result.summary.state == "awaiting_supplement"
    assert result.summary.supplement_due == dt.date(2026, 11, 26)  # 3 working days
    with store.read() as s:
        view = find_case(s, result.summary.case_no)
    assert view is not None
    photo = next(m for m in view.materials if m.key == "photo")
    assert photo.state == "deferred" and photo.due == dt.date(2026, 11, 26)
    assert "supplement" in view.next_actions


def test_missing_materials_are_registered_for_correction_with_the_one_time_notice(store: Store,
                                                                                 tmp_path: Path) -> None:
    result = accept(store, pension_request(ss_card="missing", photo="missing"), files_dir=tmp_path, clock=CLOCK)
    assert result.summary.decision == "supplement" and result.summary.state == "awaiting_correction"
    with store.read() as s:
        view = find_case(s, speak_case_no(result.summary.case_no))  # typed with spaces
    assert view is not None
    assert {n["key"] for n in view.notice} == {"ss_card", "photo"}
    assert not any("不予受理" in r for r in view.reasons)
    assert view.next_actions == ("complete_correction", "terminate", "print_supplement_notice",
                                 "print_one_time_notice")


def test_attachments_are_on_disk_with_their_hash_before_the_case_names_them(store: Store, tmp_path: Path) -> None:
    scan = b"\xff\xd8\xff" + bytes(range(256)) * 40
    request = pension_request(files=(AttachmentInput("照片.JPG", scan),))
    summary = accept_case(store, request, files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        att = s.scalars(select(Attachment)).one()
        payload = s.scalars(select(Outbox)).one().payload
    assert att.path.startswith("2026/11/") and att.path.endswith(".jpg")
    assert (tmp_path / att.path).read_bytes() == scan
    assert att.sha256 == hashlib.sha256(scan).hexdigest() and att.size == len(scan)
    assert payload["attachments"][0]["path"] == att.path and payload["attachments"][0]["material_key"] == "photo"
    assert payload["id"] == summary.id


def test_bad_id_number_names_the_field_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    good = person_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    request = pension_request(id_no=bad, files=(AttachmentInput("a.jpg", b"x" * 10),))
    with pytest.raises(ValidationError) as err:
        accept_case(store, request, files_dir=tmp_path, clock=CLOCK)
    assert err.value.field == "applicant_id_no" and "校验" in err.value.message
    assert counts(store)["case"] == 0 and not any(tmp_path.rglob("*.jpg"))


def test_unknown_matter_and_unknown_material_key(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NotFound) as err:
        accept_case(store, dataclasses.replace(pension_request(), matter_code="NOPE"), files_dir=tmp_path, clock=CLOCK)
    assert err.value.field == "matter_code"
    with pytest.raises(ValidationError) as err2:
        accept_case(store, pension_request(extra=(MaterialInput("passport", "original"),)), files_dir=tmp_path, clock=CLOCK)
    assert err2.value.field == "passport"
    assert counts(store)["case"] == 0


def test_excluded_applicant_cannot_use_deferral(store: Store, tmp_path: Path) -> None:
    with store.write() as s:
        s.add(ExcludedApplicant(id_no=person_id(), reason="2025 年虚假承诺", updated_at=CLOCK.now()))
    result = accept(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert result.summary.decision == "supplement"
    assert any("虚假承诺" in r for r in result.decision.reasons)


def test_proxy_is_recorded_and_personal_pledge_by_proxy_is_refused(store: Store, tmp_path: Path) -> None:
    proxy = ProxyInput(name="巴特尔", id_no=person_id(seq=457, birth="19900202"))
    extra = (MaterialInput("proxy_auth", "original"), MaterialInput("proxy_id", "original"))
    ok = accept(store, pension_request(proxy=proxy, extra=extra), files_dir=tmp_path, clock=CLOCK)
    assert ok.summary.decision == "normal"
    refused = accept(store, pension_request(proxy=proxy, extra=extra, pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    assert refused.summary.decision == "supplement"
    assert any("本人到场签署" in r for r in refused.decision.reasons)
    with store.read() as s:
        view = find_case(s, ok.summary.case_no)
    assert view is not None and view.proxy is not None and view.proxy["name"] == "巴特尔"


def test_organisation_needs_a_credit_code(store: Store, tmp_path: Path) -> None:
    request = AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=2, matter_code=LOAN,
        applicant=ApplicantInput(name="四子王旗草原奶食店", id_no=person_id(), kind="organisation",
                                 legal_rep="张三"),
        materials=(MaterialInput("id_card", "original"),), accepted_at=MONDAY,
    )
    with pytest.raises(ValidationError) as err:
        accept_case(store, request, files_dir=tmp_path, clock=CLOCK)
    assert err.value.field == "applicant_id_no" and "统一社会信用代码" in err.value.message
    org = dataclasses.replace(request, applicant=dataclasses.replace(request.applicant, id_no=credit_code()))
    summary = accept_case(store, org, files_dir=tmp_path, clock=CLOCK)
    assert summary.decision == "supplement"  # licence and the rest missing, but the applicant itself is fine


def test_cross_region_cases_are_marked_and_checked(store: Store, tmp_path: Path) -> None:
    base = AcceptRequest(
        request_id=str(uuid.uuid4()), hall_code=HALL, window_number=1, matter_code=JOBLESS,
        applicant=ApplicantInput(name="王强", id_no=person_id(seq=31)),
        materials=(MaterialInput("id_card", "original"), MaterialInput("termination", "original"),
                   MaterialInput("bank_card", "original")),
        accepted_at=MONDAY, scope="cross_province", target_region="110105",
    )
    summary = accept_case(store, base, files_dir=tmp_path, clock=CLOCK)
    assert (summary.scope, summary.target_region) == ("cross_province", "110105")
    with pytest.raises(ValidationError) as err:
        accept_case(store, dataclasses.replace(base, request_id=str(uuid.uuid4()), target_region=""),
                    files_dir=tmp_path, clock=CLOCK)
    assert err.value.field == "target_region"
    local = dataclasses.replace(base, request_id=str(uuid.uuid4()), matter_code=LOAN, scope="region_wide")
    with pytest.raises(ValidationError) as err2:
        accept_case(store, local, files_dir=tmp_path, clock=CLOCK)
    assert err2.value.field == "scope" and "全区通办" in err2.value.message


def test_search_and_list(store: Store, tmp_path: Path) -> None:
    a = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    b = accept_case(store, pension_request(id_no=person_id(seq=777), photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        assert {c.case_no for c in search_cases(s, text="其其格")} == {a.case_no, b.case_no}
        assert [c.case_no for c in search_cases(s, text=person_id(seq=777))] == [b.case_no]
        assert [c.case_no for c in search_cases(s, text=speak_case_no(a.case_no))] == [a.case_no]
        assert {c.case_no for c in search_cases(s, text="养老保险待遇")} == {a.case_no, b.case_no}
        assert [c.case_no for c in list_cases(s, state="awaiting_supplement")] == [b.case_no]
        assert len(list_cases(s, day=dt.date(2026, 11, 23))) == 2
        assert list_cases(s, day=dt.date(2026, 11, 24)) == []
    assert a.to_json()["applicant_id_no"].count("*") == 8  # masked on lists


def test_case_no_input_is_normalised_or_refused() -> None:
    assert normalize_case_no("150929 261123-03 0001 0").text == "1509292611230300010"
    assert normalize_case_no("150929 261123-03 0001") == CaseNo("150929261123030001", "legacy")
    with pytest.raises(ValidationError):
        normalize_case_no("15092926112303")


def test_an_old_18_digit_case_is_found_by_its_number_and_keeps_it(store: Store, tmp_path: Path) -> None:
    """Cases numbered before the check digit keep their 18 digits; typed as read aloud, they are found."""
    summary = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    legacy = summary.case_no[:18]
    with store.write() as s:
        s.execute(update(Case).where(Case.id == summary.id).values(case_no=legacy))
    with store.read() as s:
        assert case_exists(s, legacy) and not case_exists(s, summary.case_no)
        view = find_case(s, normalize_case_no(speak_case_no(legacy)).text)
        assert view is not None and view.case_no == legacy
    assert accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK).case_no[12:18] == "030002"


def test_concurrent_accepts_at_one_window_get_distinct_numbers(any_url: str, tmp_path: Path) -> None:
    """Two clerk PCs (threads with their own store) sharing one window's day counter never share a number."""
    import threading

    from app.store import open_store

    prepare_store = open_store(any_url)
    prepare(prepare_store)
    prepare_store.dispose()
    results: list[str] = []
    errors: list[BaseException] = []
    same = pension_request(window=4)

    def worker(seed: int) -> None:
        store = open_store(any_url, upgrade=False)
        try:
            for i in range(8):
                req = pension_request(window=4, id_no=person_id(seq=seed * 100 + i))
                results.append(accept_case(store, req, files_dir=tmp_path, clock=CLOCK).case_no)
                results.append(accept_case(store, same, files_dir=tmp_path, clock=CLOCK).case_no)  # the double click
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    distinct = set(results)
    assert len(distinct) == 17  # 16 different requests + the one repeated request
    assert sorted(int(no[14:18]) for no in distinct) == list(range(1, 18))
