"""Issue 18 on both engines: appointments (booking, capacity, import, check-in, late, no-show), 绿色通道 rules,
calling a chosen ticket with its reason, and the hall's 重呼/过号 rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import queue as q
from app.errors import QueueEmpty, StateError, ValidationError
from app.queue import appointments as ap
from app.queue import priority as pr
from app.store import Store
from app.store.models import Appointment, TicketEvent
from tests.app.queue_hall import DAY, HALL, clock_at, make_hall

# A 1950 birth date: 76 on the test day; a 1990 one: 36.
ELDER_ID = "150102195003071234"
YOUNG_ID = "150102199003071236"


def _valid(id17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return id17 + "10X98765432"[sum(int(c) * w for c, w in zip(id17, weights, strict=True)) % 11]


ELDER = _valid(ELDER_ID[:17])
YOUNG = _valid(YOUNG_ID[:17])


@pytest.fixture
def hall(any_store: Store) -> Store:
    make_hall(any_store)
    return any_store


def book(store: Store, start: str, *, cat: str = "A", minute: float = 0, capacity: str = "2", **kw: str,
         ) -> ap.AppointmentView:
    return ap.book(store, ap.Booking(category=cat, day=DAY, start=dt.time.fromisoformat(start), **kw),
                   hall_code=HALL, capacity=capacity, slot_minutes=30, source="phone", actor="王芳",
                   clock=clock_at(minute))


def printed(store: Store, t: q.TicketView, minute: float) -> q.TicketView:
    return q.confirm_printed(store, t.id, clock=clock_at(minute))


@pytest.mark.date_sensitive
def test_capacity_per_slot_and_category_and_cancel_frees_a_place(hall: Store) -> None:
    a = book(hall, "10:00", name="张三")
    book(hall, "10:00", name="李四")
    with pytest.raises(StateError, match="10:00 的 A 类预约已满（2 人），请选择其他时段"):
        book(hall, "10:00", name="王五")
    book(hall, "10:00", cat="B", name="王五")  # another category has its own places
    with hall.read() as s:
        slots = {x.start: x for x in ap.slots_for(s, hall_code=HALL, day=DAY, category="A", hours="09:00-12:00",
                                                 slot_minutes=30, capacity="2", clock=clock_at(0))}
    assert slots[dt.time(10)].free == 0 and slots[dt.time(9, 30)].free == 2 and len(slots) == 6
    assert ap.cancel(hall, hall_code=HALL, code=a.code, clock=clock_at(1)).state == "cancelled"
    assert book(hall, "10:00", name="王五").state == "booked"
    with pytest.raises(ValidationError, match="已过"):
        book(hall, "09:00", minute=45, name="赵六")
    with pytest.raises(ValidationError, match="至少填写"):
        book(hall, "11:00")


@pytest.mark.date_sensitive
def test_import_csv_and_json_keep_good_rows_refuse_bad_and_never_double(hall: Store, tmp_path: Path) -> None:
    path = tmp_path / "yy.csv"
    path.write_text("预约码,预约日期,开始时间,业务类别,姓名,证件号码\n"
                    f"R001,2026-03-10,10:00,A,张三,{YOUNG}\n"
                    "R002,2026-03-10,10:xx,A,李四,\n"
                    "R003,2026-03-10,10:30,Z,王五,\n", encoding="utf-8-sig")
    first = ap.import_csv(hall, path, hall_code=HALL, capacity="4", slot_minutes=30, clock=clock_at(0))
    assert first.added == ["R001"] and [n for n, _ in first.refused] == [3, 4]
    assert "时间格式有误" in first.refused[0][1] and "业务类别不存在" in first.refused[1][1]
    again = ap.import_csv(hall, path, hall_code=HALL, capacity="4", slot_minutes=30, clock=clock_at(0))
    assert again.added == [] and again.already == ["R001"]
    payload = json.loads(json.dumps({"appointments": [
        {"code": "J001", "date": "2026-03-10", "start": "11:00", "category": "b", "name": "赵六"},
        {"code": "J002", "date": "2026-03-10", "start": "11:00"}]}))
    res = ap.import_json(hall, payload, hall_code=HALL, capacity="4", slot_minutes=30, clock=clock_at(0))
    assert res.added == ["J001"] and res.refused == [(2, "业务类别为空")]
    with hall.read() as s:
        day = ap.list_day(s, hall_code=HALL, day=DAY)
    assert [(a.code, a.source) for a in day] == [("R001", "import"), ("J001", "import")]
    assert day[0].masked_name == "张*"


@pytest.mark.date_sensitive
def test_check_in_jumps_walk_ins_late_gets_ordinary_ticket_and_no_show_is_swept(hall: Store) -> None:
    on_time = book(hall, "09:30", name="张三", id_no=YOUNG)
    late = book(hall, "09:30", cat="B", name="李四")
    never = book(hall, "10:00", cat="C", name="王五")
    walk = printed(hall, q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(5)), 5)
    got = ap.check_in_or_walk_in(hall, hall_code=HALL, code_or_id=YOUNG, early_minutes=30, late_minutes=15,
                                 clock=clock_at(20))
    assert not got.late and got.ticket.appointment_id == on_time.id
    printed(hall, got.ticket, 20)
    with pytest.raises(StateError, match="已签到取号"):
        ap.check_in_or_walk_in(hall, hall_code=HALL, code_or_id=on_time.code, early_minutes=30, late_minutes=15,
                               clock=clock_at(21))
    called = q.call_next(hall, hall_code=HALL, window_number=2, request_id="c1", clock=clock_at(22))
    assert called.code == got.ticket.code and called.code != walk.code  # before the earlier walk-in
    # 李四 comes at 10:20: 20 minutes after his slot ended, past the 15 allowed.
    res = ap.check_in_or_walk_in(hall, hall_code=HALL, code_or_id=late.code, early_minutes=30, late_minutes=15,
                                 clock=clock_at(80))
    assert res.late and res.ticket.appointment_id is None and "已为您取普通号" in res.message
    # 王五's slot ended 10:30; an hour later he is 未到.
    assert ap.sweep_missed(hall, hall_code=HALL, noshow_minutes=60, clock=clock_at(149)) == []
    assert ap.sweep_missed(hall, hall_code=HALL, noshow_minutes=60, clock=clock_at(151)) == [never.code]
    assert ap.sweep_missed(hall, hall_code=HALL, noshow_minutes=60, clock=clock_at(152)) == []
    with pytest.raises(StateError, match="未到处理"):
        q.check_in(hall, hall_code=HALL, code_or_id=never.code, clock=clock_at(153))
    with hall.read() as s:
        states = dict(s.execute(select(Appointment.code, Appointment.state)).all())
    assert states == {on_time.code: "checked_in", late.code: "late", never.code: "missed"}


def test_rules_parse_and_refuse_with_clear_messages() -> None:
    rules = pr.parse_rules("elder=weight:20, pregnant=off", elder_age=70)
    assert rules.get("elder").minutes == 20 and rules.get("disabled").mode == "jump"
    with pytest.raises(Exception, match="无法识别"):
        pr.parse_rules("vip=jump")
    young = pr.decide(rules, id_no=YOUNG, day=DAY)
    assert young.kind == "" and young.age == 36
    with pytest.raises(ValidationError, match="未开放孕妇绿色通道"):
        pr.decide(rules, kind="pregnant", day=DAY)
    with pytest.raises(ValidationError, match="未到本大厅老年人绿色通道的年龄"):
        pr.decide(rules, kind="elder", id_no=YOUNG, day=DAY)


@pytest.mark.date_sensitive
def test_elder_from_id_weight_and_jump_with_a_cap_and_counted(hall: Store) -> None:
    jump = pr.parse_rules("elder=jump, military=jump", elder_age=65)
    for i in range(3):
        printed(hall, q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(i)), i)
    green = []
    for i, kind in enumerate(("", "military", "military", "military")):
        t, g = pr.issue_green(hall, hall_code=HALL, category="A", rules=jump, kind=kind,
                              id_no=ELDER if not kind else "", clock=clock_at(10 + i))
        printed(hall, t, 10 + i)
        green.append((t.code, g.text))
    assert green[0] == ("A004", "绿色通道：老年人（76 岁）") and green[1][1] == "绿色通道：军人/消防"
    order = []
    for i in range(5):
        order.append(q.call_next(hall, hall_code=HALL, window_number=2, request_id=f"j{i}", priority_every=2,
                                 clock=clock_at(20 + i)).code)
        q.finish(hall, hall_code=HALL, window_number=2, clock=clock_at(20.5 + i))
    # Two priority calls in a row, then one walk-in, so the ordinary line is never starved.
    assert order == ["A004", "A005", "A001", "A006", "A007"]
    weight = pr.parse_rules("elder=weight:30")
    t, g = pr.issue_green(hall, hall_code=HALL, category="B", rules=weight, id_no=ELDER, clock=clock_at(40))
    assert t.priority == "" and t.priority_reason == "elder" and g.head_start == dt.timedelta(minutes=30)
    with hall.read() as s:
        counts = {c.kind: c.issued for c in pr.green_counts(s, hall_code=HALL, start=DAY, end=DAY)}
    assert counts == {"elder": 1, "military": 3}  # the unprinted weight ticket is not counted yet


@pytest.mark.date_sensitive
def test_call_a_chosen_ticket_needs_a_reason_when_it_passes_others(hall: Store) -> None:
    for i in range(3):
        printed(hall, q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(i)), i)
    with pytest.raises(ValidationError, match="前面还有 2 个号在等，跳过他们叫号请填写原因"):
        q.call_ticket(hall, hall_code=HALL, window_number=2, code="A003", request_id="d0", clock=clock_at(5))
    with hall.read() as s:
        listed = [t.code for t in q.waiting_list(s, hall_code=HALL, window_number=2, clock=clock_at(5))]
    assert listed == ["A001", "A002", "A003"]
    t = q.call_ticket(hall, hall_code=HALL, window_number=2, code="a003", request_id="d1", reason="申请人行动不便",
                      clock=clock_at(5))
    assert t.code == "A003" and t.state == "called"
    with hall.read() as s:
        detail = s.scalars(select(TicketEvent.detail).where(TicketEvent.request_id == "d1")).one()
    assert detail == {"how": "direct", "passed": ["A001", "A002"], "reason": "申请人行动不便"}


@pytest.mark.date_sensitive
@pytest.mark.parametrize("to", ["end", "drop"])
def test_recall_cap_and_where_a_skipped_ticket_goes(hall: Store, to: str) -> None:
    for i in range(4):
        printed(hall, q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(i)), i)
    first = q.call_next(hall, hall_code=HALL, window_number=2, request_id="s0", clock=clock_at(5))
    q.recall(hall, hall_code=HALL, window_number=2, max_recalls=1, clock=clock_at(6))
    with pytest.raises(StateError, match="已重呼 1 次，达到本大厅上限"):
        q.recall(hall, hall_code=HALL, window_number=2, max_recalls=1, clock=clock_at(7))
    skipped = q.skip(hall, hall_code=HALL, window_number=2, to=to, clock=clock_at(8))
    assert skipped.state == ("waiting" if to == "end" else "skipped")
    order = []
    for i in range(4):
        try:
            order.append(q.call_next(hall, hall_code=HALL, window_number=2, request_id=f"s{i + 1}",
                                     clock=clock_at(10 + i)).code)
        except QueueEmpty:
            break
        q.finish(hall, hall_code=HALL, window_number=2, clock=clock_at(10.5 + i))
    tail = [first.code] if to == "end" else []
    assert order[:3 + len(tail)] == ["A002", "A003", "A004", *tail]
    with pytest.raises(ValidationError, match="过号去向无法识别"):
        q.skip(hall, hall_code=HALL, window_number=2, to="somewhere", clock=clock_at(30))


@pytest.mark.date_sensitive
def test_the_daily_report_counts_green_reasons_late_appointments_and_chosen_calls(hall: Store) -> None:
    from app.reports.daily import daily_report

    rules = pr.parse_rules("")
    t, _ = pr.issue_green(hall, hall_code=HALL, category="A", rules=rules, id_no=ELDER, clock=clock_at(0))
    printed(hall, t, 0)
    for i in (1, 2):
        printed(hall, q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(i)), i)
    late = book(hall, "09:30", cat="B", name="李四")
    ap.check_in_or_walk_in(hall, hall_code=HALL, code_or_id=late.code, early_minutes=30, late_minutes=15,
                           clock=clock_at(80))
    q.call_ticket(hall, hall_code=HALL, window_number=2, code="A002", request_id="x", reason="行动不便",
                  clock=clock_at(81))
    with hall.read() as s:
        report = daily_report(s, start=DAY, hall_code=HALL, clock=clock_at(90))
    assert report.appointments_late == 1 and report.calls_chosen == 1
    assert [(r.key, r.count) for r in report.green_by_reason] == [("elder", 1)]
    lines = {label: value for label, value, _ in report.summary()}
    assert lines["绿色通道：老年人"] == "1" and lines["指定叫号（跳号，有原因）"] == "1"
    assert report.to_json()["queue_rules"]["green"] == [{"key": "elder", "label": "老年人", "count": 1}]
