"""A case's life after acceptance: forward, result, 补正, overdue flag and termination, 出件 and mailing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import ProxyInput, accept_case, find_case
from app.cases.lifecycle import (
    confirm_termination,
    flag_overdue,
    hand_over,
    mail_result,
    mark_forwarded,
    mark_ready,
    receive_supplement,
    record_result,
    terminate,
)
from app.errors import StateError, ValidationError
from app.masking import mask_id
from app.store import Store
from app.store.models import Outbox
from tests.app._case_kit import MONDAY, pension_request, person_id, prepare
from tests.hall_clock import CLOCK

LATER = MONDAY + dt.timedelta(hours=2)


@pytest.fixture
def store(any_store: Store) -> Store:
    prepare(any_store)
    return any_store


def events(store: Store, case_no: str) -> list[str]:
    with store.read() as s:
        view = find_case(s, case_no)
    assert view is not None
    return [e.kind for e in view.history]


def state(store: Store, case_no: str) -> str:
    with store.read() as s:
        view = find_case(s, case_no)
    assert view is not None
    return view.state


def updates(store: Store, case_id: str) -> list[dict]:
    with store.read() as s:
        return [o.payload for o in s.scalars(select(Outbox).where(Outbox.kind == "case.update",
                                                                 Outbox.case_id == case_id).order_by(Outbox.seq))]


def test_forward_and_result_are_idempotent_and_recorded(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    for _ in range(2):
        with store.write() as s:
            mark_forwarded(s, case_id=case.id, actor="hub", at=LATER)
    assert state(store, case.case_no) == "forwarded"
    for _ in range(2):
        with store.write() as s:
            record_result(s, case_no=case.case_no, result="approved", note="准予", actor="hub", at=LATER)
    assert state(store, case.case_no) == "approved"
    assert events(store, case.case_no) == ["accept", "forward", "approve"]
    with pytest.raises(StateError):
        with store.write() as s:
            record_result(s, case_no=case.case_no, result="refused", note="", actor="hub", at=LATER)
    assert updates(store, case.id) == []  # the hub's own news is not echoed back


def test_a_result_may_overtake_the_forward_acknowledgement(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="refused", note="不符合条件", actor="hub", at=LATER)
    with store.write() as s:
        mark_forwarded(s, case_id=case.id, actor="hub", at=LATER)  # late ack: nothing to move
    assert state(store, case.case_no) == "refused"


def test_supplement_completes_a_deferred_case(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert case.state == "awaiting_supplement"
    with store.write() as s:
        mark_forwarded(s, case_id=case.id, actor="hub", at=LATER)  # the hub has it while the photo is owed
    assert state(store, case.case_no) == "awaiting_supplement"
    with store.write() as s:
        owed = receive_supplement(s, case_no=case.case_no, material_keys=["photo"], actor="clerk01", at=LATER)
    assert owed == []
    assert state(store, case.case_no) == "forwarded"
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None
    photo = next(m for m in view.materials if m.key == "photo")
    assert photo.supplied_at is not None and "已补交" in photo.state_label
    sent = updates(store, case.id)
    assert [u["event"]["kind"] for u in sent] == ["supplement"] and sent[0]["state"] == "forwarded"


def test_supplement_before_forwarding_returns_to_accepted(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        receive_supplement(s, case_no=case.case_no, material_keys=["photo"], actor="clerk01", at=LATER)
    assert state(store, case.case_no) == "accepted"


def test_supplement_errors_name_the_reason(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    for keys, text in ((["ss_card"], "不是容缺材料"), (["nope"], "没有材料"), ([], "请选择")):
        with pytest.raises(ValidationError) as err:
            with store.write() as s:
                receive_supplement(s, case_no=case.case_no, material_keys=keys, actor="c", at=LATER)
        assert text in err.value.message


def test_a_handed_over_case_cannot_be_supplemented(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
        hand_over(s, case_no=case.case_no, collector_id_no=person_id(), collector_name="其其格",
                  actor="clerk01", at=LATER, today=CLOCK.today())
    with pytest.raises(StateError) as err:
        with store.write() as s:
            receive_supplement(s, case_no=case.case_no, material_keys=["photo"], actor="c", at=LATER)
    assert err.value.message == '办件当前状态为"已出件"，不能再补正'


def test_overdue_supplement_is_flagged_then_terminated_by_a_clerk(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    assert case.supplement_due == dt.date(2026, 11, 26)
    with store.write() as s:
        assert flag_overdue(s, dt.date(2026, 11, 26), at=CLOCK.now()) == []  # the due day itself is still in time
    with store.write() as s:
        assert flag_overdue(s, dt.date(2026, 11, 27), at=CLOCK.now()) == [case.case_no]
    with store.write() as s:
        assert flag_overdue(s, dt.date(2026, 11, 28), at=CLOCK.now()) == []  # flagged once
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and view.summary.flagged == "supplement_overdue"
    assert "confirm_termination" in view.next_actions
    with store.write() as s:
        confirm_termination(s, case_no=case.case_no, actor="clerk01", at=LATER)
    assert state(store, case.case_no) == "terminated"
    assert updates(store, case.id)[-1]["event"]["detail"]["reason"].startswith("容缺材料逾期未补交")


def test_termination_needs_a_reason_and_an_open_case(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with pytest.raises(ValidationError):
        with store.write() as s:
            terminate(s, case_no=case.case_no, reason=" ", actor="c", at=LATER)
    with store.write() as s:
        terminate(s, case_no=case.case_no, reason="申请人撤回申请", actor="c", at=LATER)
    with pytest.raises(StateError) as err:
        with store.write() as s:
            terminate(s, case_no=case.case_no, reason="again", actor="c", at=LATER)
    assert "已终止" in err.value.message


def test_pickup_checks_who_collects(store: Store, tmp_path: Path) -> None:
    proxy = ProxyInput(name="巴特尔", id_no=person_id(seq=457, birth="19900202"))
    from app.cases.service import MaterialInput

    extra = (MaterialInput("proxy_auth", "original"), MaterialInput("proxy_id", "original"))
    case = accept_case(store, pension_request(proxy=proxy, extra=extra), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
        mark_ready(s, case_no=case.case_no, actor="clerk01", at=LATER)
    stranger = person_id(seq=901, birth="19700303")
    with pytest.raises(ValidationError) as err:
        with store.write() as s:
            hand_over(s, case_no=case.case_no, collector_id_no=stranger, collector_name="路人",
                      actor="clerk01", at=LATER, today=CLOCK.today())
    assert "授权委托书" in err.value.message and err.value.field == "collector_id_no"
    with pytest.raises(ValidationError) as err2:
        with store.write() as s:
            hand_over(s, case_no=case.case_no, collector_id_no="150929198001011230", collector_name="x",
                      actor="clerk01", at=LATER, today=CLOCK.today())
    assert err2.value.field == "collector_id_no" and "领取人证件号码有误" in err2.value.message
    with store.write() as s:
        who = hand_over(s, case_no=case.case_no, collector_id_no=proxy.id_no, collector_name="巴特尔",
                        actor="clerk01", at=LATER, today=CLOCK.today())
    assert who == "proxy" and state(store, case.case_no) == "handed_over"


def test_authorised_stranger_may_collect_and_is_recorded(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    stranger = person_id(seq=901, birth="19700303")
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
        assert hand_over(s, case_no=case.case_no, collector_id_no=stranger, collector_name="苏和",
                         authorized=True, actor="clerk01", at=LATER, today=CLOCK.today()) == "authorized"
    with store.read() as s:
        view = find_case(s, case.case_no)
    # Recorded masked: the event is a record, never read back, and goes to the hub with the case's history.
    assert view is not None and view.history[-1].detail["collector_id_no"] == mask_id(stranger)


def test_mailing_needs_address_and_tracking_number(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
    with pytest.raises(ValidationError) as err:
        with store.write() as s:
            mail_result(s, case_no=case.case_no, address="内蒙古", tracking_no="1180000000000", actor="c", at=LATER)
    assert err.value.field == "mail_address"
    with pytest.raises(ValidationError) as err2:
        with store.write() as s:
            mail_result(s, case_no=case.case_no, address="内蒙古乌兰察布市四子王旗乌兰花镇1号", tracking_no="12",
                        actor="c", at=LATER)
    assert err2.value.field == "tracking_no"
    with store.write() as s:
        mail_result(s, case_no=case.case_no, address="内蒙古乌兰察布市四子王旗乌兰花镇1号",
                    tracking_no="1180 0000 0000 0", actor="c", at=LATER)
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and view.state == "mailed" and view.tracking_no == "1180000000000"
    assert view.next_actions == ("print_receipt", "print_mailing")


def test_deferred_case_offers_its_documents(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(photo="deferred", pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None
    assert view.next_actions == ("supplement", "terminate", "extend", "stop_clock", "print_receipt", "print_deferral_notice",
                                 "print_deferral_pledge", "print_supplement_notice", "print_pledge")


def test_next_actions_follow_the_state(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(pledge="pledge"), files_dir=tmp_path, clock=CLOCK)
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None
    assert view.next_actions == ("terminate", "extend", "stop_clock", "print_receipt", "print_pledge")
    with store.write() as s:
        record_result(s, case_no=case.case_no, result="approved", note="", actor="hub", at=LATER)
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and view.next_actions[:4] == ("mark_ready", "hand_over", "mail", "print_pickup")


def test_supplement_with_a_scan_writes_the_file_and_tells_the_hub(store: Store, tmp_path: Path) -> None:
    import hashlib

    from app.cases.service import AttachmentInput, MaterialInput, supply_materials

    case = accept_case(store, pension_request(photo="deferred"), files_dir=tmp_path, clock=CLOCK)
    scan = b"\x89PNG" + b"\x01" * 5000
    owed = supply_materials(store, case_no=case.case_no, actor="clerk01", at=LATER, files_dir=tmp_path,
                            materials=(MaterialInput("photo", "original", (AttachmentInput("照片.png", scan,
                                                                                            "image/png"),)),))
    assert owed == []
    sent = updates(store, case.id)[-1]["event"]["detail"]["attachments"]
    assert len(sent) == 1 and (tmp_path / sent[0]["path"]).read_bytes() == scan
    assert sent[0]["sha256"] == hashlib.sha256(scan).hexdigest()
    with store.read() as s:
        view = find_case(s, case.case_no)
    assert view is not None and [a.material_key for a in view.attachments] == ["photo"]
    # A second supplement of the same material is refused and leaves no stray file behind.
    before = sorted(p.name for p in tmp_path.rglob("*.png"))
    with pytest.raises(StateError):
        supply_materials(store, case_no=case.case_no, actor="c", at=LATER, files_dir=tmp_path,
                         materials=(MaterialInput("photo", "original", (AttachmentInput("b.png", scan),)),))
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == before


def test_a_result_for_a_terminated_case_is_noted_without_reopening_it(store: Store, tmp_path: Path) -> None:
    case = accept_case(store, pension_request(), files_dir=tmp_path, clock=CLOCK)
    with store.write() as s:
        terminate(s, case_no=case.case_no, reason="申请人撤回申请", actor="c", at=LATER)
    for _ in range(2):
        with store.write() as s:
            record_result(s, case_no=case.case_no, result="approved", note="", actor="hub",
                          at=LATER.replace(tzinfo=None))  # naive times are taken as UTC
    assert state(store, case.case_no) == "terminated"
    assert events(store, case.case_no) == ["accept", "terminate", "late_result"]
