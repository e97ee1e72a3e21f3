"""Hall administration (app.staff) on SQLite and PostgreSQL: only admins, the last admin stays, windows with live
tickets stay open, hub rows of the excluded list are untouchable, and the CSV import keeps its valid rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import auth, excluded, staff
from app import queue as q
from app.auth import ClerkView
from app.cases.service import current_matter, excluded_reason
from app.catalog.loader import load_catalog
from app.checklist import ApplicantFacts, evaluate_checklist
from app.errors import NotFound, StateError, ValidationError
from app.identity import id_check_digit
from app.masking import mask_id
from app.queue import call_next, confirm_printed, finish, issue_ticket, start_service, transfer
from app.store import Store
from app.store.models import AuditEvent, Clerk, ExcludedApplicant, Window
from app.workdays import default_calendar
from tests.app._case_kit import HALL, credit_code, person_id, prepare
from tests.hall_clock import CLOCK

PASSWORD = "Secret-123"
HOUSING_LOAN = "150929-GJJ-002"  # income deferrable; marital pledgeable; id_card and contract core


def person(seq: int) -> str:
    return person_id(seq=seq)


def make_clerk(store: Store, username: str, role: str = "clerk", name: str = "其木格") -> ClerkView:
    with store.write() as session:
        clerk_id = auth.create_clerk(session, hall_code=HALL, username=username, name=name, role=role,
                                     password=PASSWORD)
    return ClerkView(id=clerk_id, username=username, name=name, role=role, hall_code=HALL)


@pytest.fixture
def store(any_store: Store) -> Store:
    prepare(any_store)  # the hall and the shipped catalog (queue categories A–K)
    return any_store


@pytest.fixture
def admin(store: Store) -> ClerkView:
    return make_clerk(store, "admin", "admin", "系统管理员")


def audits(store: Store, action: str) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def excluded_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(ExcludedApplicant)) or 0


def add_hub_row(store: Store, id_no: str, reason: str = "法院失信被执行人") -> None:
    with store.write() as session:
        session.add(ExcludedApplicant(id_no=id_no, reason=reason, source="hub", updated_at=CLOCK.now()))


# --- who may act -----------------------------------------------------------------------------------------


def test_only_an_admin_may_change_anything(store: Store, admin: ClerkView, tmp_path: Path) -> None:
    supervisor = make_clerk(store, "boss", "supervisor", "赵敏")
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(f"id_no,reason\n{person(1)},虚假承诺\n", encoding="utf-8")
    attempts = [
        lambda: staff.add_clerk(store, supervisor, username="x1", name="某", role="clerk", password=PASSWORD, clock=CLOCK),
        lambda: staff.update_clerk(store, supervisor, "admin", name="改名", clock=CLOCK),
        lambda: staff.reset_password(store, supervisor, "admin", "Another-123", clock=CLOCK),
        lambda: staff.set_clerk_active(store, supervisor, "admin", False, clock=CLOCK),
        lambda: staff.unlock_clerk(store, supervisor, "admin", clock=CLOCK),
        lambda: staff.add_window(store, supervisor, number=1, name="综合受理", categories=["A"], clock=CLOCK),
        lambda: staff.update_window(store, supervisor, 1, name="x", clock=CLOCK),
        lambda: staff.set_window_active(store, supervisor, 1, False, clock=CLOCK),
        lambda: excluded.add_excluded(store, supervisor, person(1), "虚假承诺", clock=CLOCK),
        lambda: excluded.remove_excluded(store, supervisor, person(1), clock=CLOCK),
        lambda: excluded.import_excluded_csv(store, supervisor, csv_file, clock=CLOCK),
    ]
    for attempt in attempts:
        with pytest.raises(StateError, match=r"^只有系统管理员可以"):
            attempt()
    assert excluded_count(store) == 0
    assert [c.username for c in staff.list_clerks(store, HALL, clock=CLOCK)] == ["admin", "boss"]
    assert staff.list_windows(store, HALL) == []


def test_the_command_line_acts_as_admin_and_is_audited_by_os_user(store: Store) -> None:
    cli = staff.Actor.local_operator(HALL)
    assert cli.role == "admin" and cli.name.startswith("cli:") and cli.clerk_id is None
    staff.add_clerk(store, cli, username="clerk07", name="苏和", role="clerk", password=PASSWORD, host="pc-1", clock=CLOCK)
    [row] = audits(store, "clerk.add")
    assert (row.actor, row.host, row.detail["username"]) == (cli.name, "pc-1", "clerk07")


# --- clerks ------------------------------------------------------------------------------------------------


def test_added_clerk_is_listed_and_can_log_in(store: Store, admin: ClerkView) -> None:
    row = staff.add_clerk(store, admin, username=" clerk07 ", name=" 苏和 ", role="supervisor", password=PASSWORD,
                          phone="0474-5200001", clock=CLOCK)
    assert (row.username, row.name, row.role_label, row.phone, row.active, row.locked) == (
        "clerk07", "苏和", "大厅负责人", "0474-5200001", True, False)
    assert [c.username for c in staff.list_clerks(store, HALL, clock=CLOCK)] == ["admin", "clerk07"]
    assert staff.list_clerks(store, "150000", clock=CLOCK) == []  # another hall's list
    who = auth.authenticate(store, "clerk07", PASSWORD, host="t", clock=CLOCK)
    assert who.role == "supervisor" and who.hall_code == HALL
    [entry] = audits(store, "clerk.add")
    assert entry.actor == "admin" and entry.target == f"clerk:{row.id}"
    assert PASSWORD not in str(entry.detail)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"username": "张三"}, "username", "用户名只能用"),
        ({"username": "admin"}, "username", "已被使用"),
        ({"name": " "}, "name", "请填写姓名"),
        ({"role": "boss"}, "role", "角色无效"),
        ({"password": "short"}, "password", "至少 8 位"),
        ({"phone": "call me"}, "phone", "电话只能包含"),
    ],
)
def test_bad_clerk_fields_are_named(store: Store, admin: ClerkView, kwargs: dict[str, str], field: str,
                                    words: str) -> None:
    values = {"username": "clerk07", "name": "苏和", "role": "clerk", "password": PASSWORD, "phone": ""} | kwargs
    with pytest.raises(ValidationError, match=words) as caught:
        staff.add_clerk(store, admin, **values, clock=CLOCK)
    assert caught.value.field == field
    assert len(staff.list_clerks(store, HALL, clock=CLOCK)) == 1


def test_update_clerk_changes_name_role_and_phone_and_audits_what_changed(store: Store, admin: ClerkView) -> None:
    make_clerk(store, "clerk01")
    row = staff.update_clerk(store, admin, "CLERK01", name="其木格·新", role="supervisor", phone="13800000000", clock=CLOCK)
    assert (row.name, row.role, row.phone) == ("其木格·新", "supervisor", "13800000000")
    [entry] = audits(store, "clerk.update")
    assert entry.detail["role"] == {"from": "clerk", "to": "supervisor"} and entry.actor == "admin"
    staff.update_clerk(store, admin, "clerk01", name="其木格·新", clock=CLOCK)  # nothing changes: nothing audited
    assert len(audits(store, "clerk.update")) == 1
    with pytest.raises(ValidationError) as caught:
        staff.update_clerk(store, admin, "clerk01", name="", clock=CLOCK)
    assert caught.value.field == "name"
    with pytest.raises(NotFound) as missing:
        staff.update_clerk(store, admin, "nobody", name="某", clock=CLOCK)
    assert missing.value.field == "username" and "nobody" in missing.value.message


def test_an_admin_cannot_disable_or_demote_themselves(store: Store, admin: ClerkView) -> None:
    make_clerk(store, "admin2", "admin", "乌云")  # not the last admin: the refusal is about "themselves"
    with pytest.raises(StateError, match="不能停用自己的账号"):
        staff.set_clerk_active(store, admin, "admin", False, clock=CLOCK)
    with pytest.raises(StateError, match="不能取消自己的系统管理员角色") as caught:
        staff.update_clerk(store, admin, "admin", role="clerk", clock=CLOCK)
    assert caught.value.field == "role"
    rows = {c.username: c for c in staff.list_clerks(store, HALL, clock=CLOCK)}
    assert rows["admin"].active and rows["admin"].role == "admin"


def test_the_last_active_admin_can_never_be_disabled_or_demoted(store: Store, admin: ClerkView) -> None:
    cli = staff.Actor.local_operator(HALL)
    with pytest.raises(StateError, match="最后一位在用的系统管理员，不能停用"):
        staff.set_clerk_active(store, cli, "admin", False, clock=CLOCK)
    with pytest.raises(StateError, match="最后一位在用的系统管理员，不能改为其他角色"):
        staff.update_clerk(store, cli, "admin", role="supervisor", clock=CLOCK)
    # A second admin may take over; once the first is gone, the second is the last one.
    second = staff.add_clerk(store, admin, username="admin2", name="乌云", role="admin", password=PASSWORD, clock=CLOCK)
    staff.set_clerk_active(store, cli, "admin", False, clock=CLOCK)
    with pytest.raises(StateError, match="乌云（admin2）是本大厅最后一位"):
        staff.update_clerk(store, cli, "admin2", role="clerk", clock=CLOCK)
    # A disabled admin does not count: enabling the first again makes the second removable.
    staff.set_clerk_active(store, cli, "admin", True, clock=CLOCK)
    assert staff.update_clerk(store, cli, second.username, role="clerk", clock=CLOCK).role == "clerk"
    with pytest.raises(StateError, match="最后一位"):
        staff.set_clerk_active(store, cli, "admin", False, clock=CLOCK)


def test_disabled_clerk_leaves_their_window_and_cannot_log_in(store: Store, admin: ClerkView) -> None:
    staff.add_window(store, admin, number=3, name="社保医保", categories=["A"], clock=CLOCK)
    clerk = make_clerk(store, "clerk01")
    auth.take_window(store, clerk=clerk, window_number=3, host="t", clock=CLOCK)
    assert {c.username: c.window for c in staff.list_clerks(store, HALL, clock=CLOCK)}["clerk01"] == 3
    row = staff.set_clerk_active(store, admin, "clerk01", False, clock=CLOCK)
    assert not row.active and row.window is None
    with store.read() as session:
        assert auth.hall_windows(session, HALL)[0].occupied_by == ""
    with pytest.raises(StateError, match="已停用"):
        auth.authenticate(store, "clerk01", PASSWORD, host="t", clock=CLOCK)
    [entry] = audits(store, "clerk.active")
    assert entry.detail == {"active": False, "left_windows": [3]}
    staff.set_clerk_active(store, admin, "clerk01", False, clock=CLOCK)  # already disabled: no second audit row
    assert len(audits(store, "clerk.active")) == 1
    staff.set_clerk_active(store, admin, "clerk01", True, clock=CLOCK)
    assert auth.authenticate(store, "clerk01", PASSWORD, host="t", clock=CLOCK).username == "clerk01"


def lock_out(store: Store, username: str) -> None:
    for _ in range(5):
        with pytest.raises((ValidationError, StateError)):
            auth.authenticate(store, username, "wrong-password", host="t", clock=CLOCK)


def test_reset_password_sets_the_new_one_and_lifts_a_lockout(store: Store, admin: ClerkView) -> None:
    make_clerk(store, "clerk01")
    lock_out(store, "clerk01")
    assert {c.username: c.locked for c in staff.list_clerks(store, HALL, clock=CLOCK)}["clerk01"] is True
    with pytest.raises(ValidationError, match="至少 8 位") as caught:
        staff.reset_password(store, admin, "clerk01", "short", clock=CLOCK)
    assert caught.value.field == "password"
    row = staff.reset_password(store, admin, "clerk01", "Brand-new-456", clock=CLOCK)
    assert not row.locked
    with pytest.raises(ValidationError):
        auth.authenticate(store, "clerk01", PASSWORD, host="t", clock=CLOCK)
    assert auth.authenticate(store, "clerk01", "Brand-new-456", host="t", clock=CLOCK).username == "clerk01"
    [entry] = audits(store, "clerk.password")
    assert entry.actor == "admin" and "Brand-new-456" not in str(entry.detail)
    with store.read() as session:
        assert "Brand-new-456" not in session.scalars(select(Clerk.password_hash)
                                                      .where(Clerk.username == "clerk01")).one()


def test_unlock_lets_a_locked_clerk_log_in_again(store: Store, admin: ClerkView) -> None:
    make_clerk(store, "clerk01")
    lock_out(store, "clerk01")
    with pytest.raises(StateError, match="锁定"):
        auth.authenticate(store, "clerk01", PASSWORD, host="t", clock=CLOCK)
    assert not staff.unlock_clerk(store, admin, "clerk01", clock=CLOCK).locked
    assert auth.authenticate(store, "clerk01", PASSWORD, host="t", clock=CLOCK).username == "clerk01"
    [entry] = audits(store, "clerk.unlock")
    assert entry.detail["was_locked"] is True and entry.actor == "admin"


# --- windows -----------------------------------------------------------------------------------------------


def test_added_window_is_offered_at_login(store: Store, admin: ClerkView) -> None:
    row = staff.add_window(store, admin, number=9, name=" 帮办代办 ", categories=["g", "A", "g"], clock=CLOCK)
    assert (row.number, row.name, row.categories, row.category_labels) == (
        9, "帮办代办", ("A", "G"), ("A 社保医保", "G 农牧交通"))
    with store.read() as session:
        [choice] = auth.hall_windows(session, HALL)
    assert (choice.number, choice.name, choice.categories) == (9, "帮办代办", ("A", "G"))
    [entry] = audits(store, "window.add")
    assert entry.target == "window:9" and entry.detail == {"name": "帮办代办", "name_mn": "", "categories": ["A", "G"]}


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"number": 0}, "number", "1–999"),
        ({"number": 1000}, "number", "1–999"),
        ({"number": 1}, "number", "本大厅已有 1 号窗口"),
        ({"name": "  "}, "name", "请填写窗口名称"),
        ({"name": "窗" * 61}, "name", "最多 60 个字"),
        ({"categories": []}, "categories", "至少选择一个"),
        ({"categories": ["A", "Z"]}, "categories", "业务类别不存在：Z；可选：A 社保医保"),
        ({"name_mn": "ᠴᠣᠩᠬᠤ 社保"}, "name_mn", "传统蒙古文"),
        ({"name_mn": "chonghu"}, "name_mn", "不能夹汉字或拉丁字母"),
        ({"name_mn": "ᠠ" * 121}, "name_mn", "最多 120 个字符"),
    ],
)
def test_bad_window_fields_are_named(store: Store, admin: ClerkView, kwargs: dict[str, object], field: str,
                                     words: str) -> None:
    staff.add_window(store, admin, number=1, name="综合受理", categories=["A"], clock=CLOCK)
    values: dict[str, object] = {"number": 2, "name": "社保医保", "categories": ["A"]} | kwargs
    with pytest.raises(ValidationError, match=words) as caught:
        staff.add_window(store, admin, **values, clock=CLOCK)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert [w.number for w in staff.list_windows(store, HALL)] == [1]


def test_update_window_renames_and_changes_categories(store: Store, admin: ClerkView) -> None:
    staff.add_window(store, admin, number=3, name="社保医保", categories=["A"], clock=CLOCK)
    row = staff.update_window(store, admin, 3, name="社保医保 · 公积金", categories=["A", "J"], clock=CLOCK)
    assert (row.name, row.categories) == ("社保医保 · 公积金", ("A", "J"))
    [entry] = audits(store, "window.update")
    assert entry.detail["categories"] == {"from": ["A"], "to": ["A", "J"]}
    assert staff.update_window(store, admin, 3, name="社保医保 · 公积金", clock=CLOCK).categories == ("A", "J")
    with pytest.raises(NotFound, match="没有 4 号窗口"):
        staff.update_window(store, admin, 4, name="x", clock=CLOCK)


def test_a_window_s_mongolian_name_is_kept_changed_and_cleared(store: Store, admin: ClerkView) -> None:
    """The hall display shows it beside the Chinese (issue 15): stored with the window, audited, "" clears it."""
    name_mn = load_catalog().categories_mn["A"]
    row = staff.add_window(store, admin, number=3, name="社保医保", name_mn=f"  {name_mn} ", categories=["A"],
                           clock=CLOCK)
    assert row.name_mn == name_mn and row.to_json()["name_mn"] == name_mn
    with store.read() as session:
        assert [w.name_mn for w in q.hall_board(session, HALL, clock=CLOCK).windows] == [name_mn]
    assert staff.update_window(store, admin, 3, categories=["A"], clock=CLOCK).name_mn == name_mn  # None: kept
    assert staff.update_window(store, admin, 3, name_mn="", clock=CLOCK).name_mn == ""
    [entry] = audits(store, "window.update")
    assert entry.detail == {"name_mn": {"from": name_mn, "to": ""}}


def test_a_window_serving_a_ticket_cannot_be_closed(store: Store, admin: ClerkView) -> None:
    staff.add_window(store, admin, number=1, name="综合受理", categories=["A"], clock=CLOCK)
    staff.add_window(store, admin, number=2, name="社保医保", categories=["A"], clock=CLOCK)
    clerk = make_clerk(store, "clerk01")
    auth.take_window(store, clerk=clerk, window_number=1, host="t", clock=CLOCK)
    ticket = confirm_printed(store, issue_ticket(store, hall_code=HALL, category="A", clock=CLOCK).id, clock=CLOCK)
    call_next(store, hall_code=HALL, window_number=1, request_id="r1", clock=CLOCK)
    with pytest.raises(StateError, match=f"1 号窗口正在叫号 {ticket.code}（已叫号）"):
        staff.set_window_active(store, admin, 1, False, clock=CLOCK)
    start_service(store, hall_code=HALL, window_number=1, clock=CLOCK)
    with pytest.raises(StateError, match=f"1 号窗口正在办理 {ticket.code}（办理中）"):
        staff.set_window_active(store, admin, 1, False, clock=CLOCK)
    # Handed on to window 2, it waits there: window 2 cannot close while it waits.
    transfer(store, hall_code=HALL, window_number=1, to_window=2, clock=CLOCK)
    with pytest.raises(StateError, match=f"转给 2 号窗口的号票 {ticket.code}"):
        staff.set_window_active(store, admin, 2, False, clock=CLOCK)
    row = staff.set_window_active(store, admin, 1, False, clock=CLOCK)
    assert not row.active and row.clerk_name == ""  # nobody sits at a closed window
    with store.read() as session:
        assert [w.number for w in auth.hall_windows(session, HALL)] == [2]
    call_next(store, hall_code=HALL, window_number=2, request_id="r2", clock=CLOCK)
    finish(store, hall_code=HALL, window_number=2, clock=CLOCK)
    assert not staff.set_window_active(store, admin, 2, False, clock=CLOCK).active
    assert staff.set_window_active(store, admin, 1, True, clock=CLOCK).active
    assert [e.detail["active"] for e in audits(store, "window.active")] == [False, False, True]


def test_categories_come_from_the_catalog_and_the_windows(store: Store, admin: ClerkView) -> None:
    with store.write() as session:  # a letter the catalog does not know, but a window already serves
        session.add(Window(hall_code=HALL, number=5, name="旧窗口", categories=["Q"]))
    with store.read() as session:
        categories = staff.queue_categories(session, HALL)
    assert categories["A"] == "社保医保" and categories["Q"] == "Q 类业务" and len(categories) == 11
    assert staff.add_window(store, admin, number=6, name="新窗口", categories=["Q"], clock=CLOCK).categories == ("Q",)


# --- the excluded list -------------------------------------------------------------------------------------


def test_an_excluded_applicant_cannot_use_deferral(store: Store, admin: ClerkView) -> None:
    row = excluded.add_excluded(store, admin, person(5).lower(), "  虚假承诺（2026-03）  ", clock=CLOCK)
    assert (row.id_no, row.reason, row.source, row.source_label) == (person(5), "虚假承诺（2026-03）", "local", "本地")
    with store.read() as session:
        reason = excluded_reason(session, person(5))
        found = current_matter(session, HOUSING_LOAN)
    assert reason == "虚假承诺（2026-03）" and found is not None
    decision = evaluate_checklist(
        found[1], {"id_card": "original", "contract": "original", "marital": "original", "income": "deferred"},
        applicant=ApplicantFacts(excluded=True, excluded_reason=reason), accepted_on=dt.date(2026, 11, 23),
        calendar=default_calendar())
    assert decision.outcome == "supplement"
    assert any("失信" in r and "不能容缺" in r for r in decision.reasons)
    [entry] = audits(store, "excluded.add")
    assert entry.actor == "admin" and entry.target == f"excluded:{mask_id(person(5))}" and entry.detail["id_no"] == person(5) and entry.detail["previous"] is None


def test_every_person_id_kind_is_accepted_and_normalised(store: Store, admin: ClerkView) -> None:
    hmt_body = "81000019851201002"
    foreign_body = "915156198507011" + "23"
    numbers = {
        "150929800101123": person_id(seq=123, birth="19800101"),  # a 15-digit number is upgraded to 18
        hmt_body + id_check_digit(hmt_body): hmt_body + id_check_digit(hmt_body),
        foreign_body + id_check_digit(foreign_body): foreign_body + id_check_digit(foreign_body),
        "usa150903071234": "USA150903071234",
    }
    for typed, stored in numbers.items():
        assert excluded.add_excluded(store, admin, typed, "虚假承诺", clock=CLOCK).id_no == stored
    assert excluded_count(store) == 4


@pytest.mark.parametrize(
    ("id_no", "reason", "field", "words"),
    [
        (person(5)[:-1] + ("0" if person(5)[-1] != "0" else "1"), "虚假承诺", "id_no", "校验位错误"),
        ("12345", "虚假承诺", "id_no", "证件号码无效"),
        # An organisation's credit code is listed too (issue 14); a wrong GB 32100 check character is named.
        (credit_code()[:-1] + ("0" if credit_code()[-1] != "0" else "1"), "虚假承诺", "id_no", "证件号码无效"),
        (person(5), "  ", "reason", "请填写"),
        (person(5), "因" * 201, "reason", "最多 200 个字"),
    ],
)
def test_bad_excluded_input_is_named(store: Store, admin: ClerkView, id_no: str, reason: str, field: str,
                                     words: str) -> None:
    with pytest.raises(ValidationError, match=words) as caught:
        excluded.add_excluded(store, admin, id_no, reason, clock=CLOCK)
    assert caught.value.field == field
    assert excluded_count(store) == 0


def test_adding_a_local_entry_again_updates_its_reason(store: Store, admin: ClerkView) -> None:
    excluded.add_excluded(store, admin, person(5), "虚假承诺", clock=CLOCK)
    excluded.add_excluded(store, admin, person(5), "虚假承诺（第二次）", clock=CLOCK)
    [row] = excluded.list_excluded(store)
    assert row.reason == "虚假承诺（第二次）"
    assert audits(store, "excluded.add")[-1].detail["previous"] == "虚假承诺"


def test_hub_rows_are_never_changed_or_removed_locally(store: Store, admin: ClerkView) -> None:
    add_hub_row(store, person(7))
    with pytest.raises(StateError, match=r"由县级枢纽下发.*本地不能修改") as caught:
        excluded.add_excluded(store, admin, person(7), "本地原因", clock=CLOCK)
    assert caught.value.field == "id_no"
    with pytest.raises(StateError, match=r"由县级枢纽下发.*本地不能移除"):
        excluded.remove_excluded(store, staff.Actor.local_operator(HALL), person(7), clock=CLOCK)
    [row] = excluded.list_excluded(store)
    assert (row.reason, row.source, row.source_label) == ("法院失信被执行人", "hub", "枢纽下发")
    assert audits(store, "excluded.add") == [] and audits(store, "excluded.remove") == []


def test_remove_takes_a_local_entry_off(store: Store, admin: ClerkView) -> None:
    excluded.add_excluded(store, admin, person(5), "虚假承诺", clock=CLOCK)
    assert excluded.remove_excluded(store, admin, f" {person(5).lower()} ", clock=CLOCK).id_no == person(5)
    assert excluded_count(store) == 0
    with store.read() as session:
        assert excluded_reason(session, person(5)) is None
    [entry] = audits(store, "excluded.remove")
    assert entry.detail == {"id_no": person(5), "reason": "虚假承诺"}  # whole in the sealed detail
    with pytest.raises(NotFound, match="失信名单中没有") as caught:
        excluded.remove_excluded(store, admin, person(5), clock=CLOCK)
    assert caught.value.field == "id_no"


def test_search_by_id_prefix_or_reason(store: Store, admin: ClerkView) -> None:
    excluded.add_excluded(store, admin, person(5), "虚假承诺（不动产登记）", clock=CLOCK)
    excluded.add_excluded(store, admin, person_id(seq=6, region="150102"), "法院失信被执行人_100%", clock=CLOCK)
    add_hub_row(store, person(7), "骗取低保")
    assert len(excluded.list_excluded(store)) == 3
    assert {r.id_no for r in excluded.list_excluded(store, "150929")} == {person(5), person(7)}
    assert [r.id_no for r in excluded.list_excluded(store, "不动产")] == [person(5)]
    assert [r.source for r in excluded.list_excluded(store, " 低保 ")] == ["hub"]
    assert len(excluded.list_excluded(store, "_100%")) == 1  # LIKE wildcards are matched literally
    assert excluded.list_excluded(store, "承诺%") == [] and excluded.list_excluded(store, "1509292") == []


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_keeps_valid_rows_and_names_each_bad_one(store: Store, admin: ClerkView, tmp_path: Path) -> None:
    excluded.add_excluded(store, admin, person(2), "旧原因", clock=CLOCK)
    add_hub_row(store, person(3))
    bad_check = person(4)[:-1] + ("0" if person(4)[-1] != "0" else "1")
    lines = [
        "id_no,reason",
        f"{person(1)},虚假承诺",  # 2: new
        f"{person(2)},新原因",  # 3: re-worded
        f"{person(3)},本地想改",  # 4: a hub row
        f"{bad_check},虚假承诺",  # 5: bad check digit
        f"{person(6)},",  # 6: no reason
        f"{person(1).lower()},又一次",  # 7: the same person twice in the file
        f"{person(8)},多,一列",  # 8: wrong number of fields
        "",  # blank lines are skipped
        f'"{person(9)}","原因, 带逗号"',  # 10
    ]
    report = excluded.import_excluded_csv(store, admin, write_csv(tmp_path / "名单.csv", "\n".join(lines) + "\n"),
                                       clock=CLOCK, host="pc-1")
    assert (report.added, report.updated, report.failed) == (2, 1, 5)
    by_row = {r.row: r for r in report.rows}
    assert by_row[2].ok and not by_row[2].updated and by_row[3].updated and by_row[10].ok
    problems = {r.row: (r.issue.column, r.issue.message) for r in report.rows if r.issue is not None}
    assert problems[4][0] == "id_no" and "县级枢纽" in problems[4][1]
    assert problems[5][0] == "id_no" and "校验位错误" in problems[5][1]
    assert problems[6][0] == "reason"
    assert problems[7] == ("id_no", "与第 2 行的证件号码重复")
    assert problems[8] == ("", "有 3 列，表头有 2 列")
    assert by_row[5].message.startswith("第 5 行，证件号码：证件号码无效：")
    assert by_row[2].message == f"第 2 行：{person(1)} 已列入" and by_row[3].message.endswith("已更新原因")
    reasons = {r.id_no: (r.reason, r.source) for r in excluded.list_excluded(store)}
    assert reasons == {person(1): ("虚假承诺", "local"), person(2): ("新原因", "local"),
                       person(3): ("法院失信被执行人", "hub"), person(9): ("原因, 带逗号", "local")}
    [entry] = audits(store, "excluded.import")
    assert entry.actor == "admin" and entry.host == "pc-1" and entry.target == "file:名单.csv"
    assert entry.detail["added"] == 2 and entry.detail["failed"] == 5
    assert sorted(entry.detail["id_nos"]) == sorted([person(1), person(2), person(9)])


@pytest.mark.parametrize(("encoding", "bom", "header"), [
    ("utf-8", b"\xef\xbb\xbf", "id_no,reason"), ("gb18030", b"", "证件号码,原因"), ("utf-8", b"", "reason,id_no"),
])
def test_import_reads_bom_gb18030_and_chinese_headers(store: Store, admin: ClerkView, tmp_path: Path,
                                                      encoding: str, bom: bytes, header: str) -> None:
    first, second = (person(1), "虚假承诺") if header != "reason,id_no" else ("虚假承诺", person(1))
    path = tmp_path / "list.csv"
    path.write_bytes(bom + f"{header}\r\n{first},{second}\r\n".encode(encoding))
    report = excluded.import_excluded_csv(store, admin, path, clock=CLOCK)
    assert (report.added, report.failed) == (1, 0)
    assert excluded.list_excluded(store)[0].reason == "虚假承诺"


@pytest.mark.parametrize(("content", "field", "words"), [
    (b"id_no,name\n1,2\n", "header", "列名应为 id_no,reason"),
    (b"", "file", "文件是空的"),
    (b"PK\x03\x04\x00\x00", "file", "不是 CSV 文本文件"),
])
def test_an_unreadable_file_is_refused_whole(store: Store, admin: ClerkView, tmp_path: Path, content: bytes,
                                             field: str, words: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=words) as caught:
        excluded.import_excluded_csv(store, admin, path, clock=CLOCK)
    assert caught.value.field == field
    with pytest.raises(ValidationError, match="无法读取文件") as missing:
        excluded.import_excluded_csv(store, admin, tmp_path / "nope.csv", clock=CLOCK)
    assert missing.value.field == "file"
    assert excluded_count(store) == 0 and audits(store, "excluded.import") == []


def test_a_broken_quote_stops_the_file_there_and_keeps_the_rows_before(store: Store, admin: ClerkView,
                                                                        tmp_path: Path) -> None:
    text = f'id_no,reason\n{person(1)},虚假承诺\n{person(2)},"未闭合的引号\n{person(3)},虚假承诺\n'
    report = excluded.import_excluded_csv(store, admin, write_csv(tmp_path / "list.csv", text), clock=CLOCK)
    assert report.added == 1 and report.failed == 1
    assert [r.id_no for r in excluded.list_excluded(store)] == [person(1)]
