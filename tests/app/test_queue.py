"""Tickets and calling on both engines: numbering, priority, appointments, recall, skip, transfer, pause."""

from __future__ import annotations

import datetime as dt

import pytest

from app import queue as q
from app.errors import NotFound, QueueEmpty, StateError, ValidationError
from app.store import Store
from app.store.models import Appointment, TicketEvent
from tests.app.queue_hall import DAY, HALL, clock_at, make_hall, utc


@pytest.fixture
def hall(any_store: Store) -> Store:
    make_hall(any_store)
    return any_store


def issue(store: Store, cat: str, minute: float, priority: str = "") -> q.TicketView:
    t = q.issue_ticket(store, hall_code=HALL, category=cat, priority=priority, clock=clock_at(minute))
    return q.confirm_printed(store, t.id, clock=clock_at(minute))


def call(store: Store, window: int, minute: float, rid: str | None = None) -> q.TicketView:
    return q.call_next(store, hall_code=HALL, window_number=window, request_id=rid or f"r-{window}-{minute}",
                       clock=clock_at(minute))


def done(store: Store, window: int, minute: float) -> None:
    q.finish(store, hall_code=HALL, window_number=window, clock=clock_at(minute))


@pytest.mark.date_sensitive
def test_numbers_per_category_and_daily_reset(hall: Store) -> None:
    codes = [issue(hall, c, i).code for i, c in enumerate("AABA")]
    assert codes == ["A001", "A002", "B001", "A003"]
    tomorrow = q.issue_ticket(hall, hall_code=HALL, category="a", clock=clock_at(24 * 60))
    assert tomorrow.code == "A001" and tomorrow.service_date == dt.date(2026, 3, 11)


def test_unknown_category_and_priority_are_refused_without_a_ticket(hall: Store) -> None:
    with pytest.raises(ValidationError, match="业务类别不存在：'Z'") as err:
        q.issue_ticket(hall, hall_code=HALL, category="Z", clock=clock_at(0))
    assert err.value.field == "category"
    with pytest.raises(ValidationError, match="优先类别不存在"):
        q.issue_ticket(hall, hall_code=HALL, category="A", priority="vip", clock=clock_at(0))
    with hall.read() as s:
        assert q.list_tickets(s, hall_code=HALL, service_date=DAY) == []


def test_unprinted_ticket_is_not_called_and_void_is_final(hall: Store) -> None:
    pending = q.issue_ticket(hall, hall_code=HALL, category="A", clock=clock_at(0))
    with pytest.raises(QueueEmpty):
        call(hall, 2, 1)
    voided = q.void_ticket(hall, pending.id, reason="打印机缺纸", clock=clock_at(1))
    assert voided.state == "void"
    with pytest.raises(StateError, match="已作废"):
        q.confirm_printed(hall, pending.id, clock=clock_at(1))


def test_call_order_fifo_within_window_categories(hall: Store) -> None:
    a1, b1, a2 = issue(hall, "A", 0), issue(hall, "B", 1), issue(hall, "A", 2)
    assert call(hall, 2, 3).code == a1.code  # window 2 serves only A
    assert call(hall, 1, 3).code == b1.code  # window 1 serves all; B001 came before A002
    done(hall, 2, 4)
    assert call(hall, 2, 5).code == a2.code
    done(hall, 2, 6)
    with pytest.raises(QueueEmpty, match="2 号窗口暂无等候的号"):
        call(hall, 2, 7)


def test_retried_request_returns_the_same_ticket(hall: Store) -> None:
    issue(hall, "A", 0)
    issue(hall, "A", 1)
    first = call(hall, 2, 2, rid="click-1")
    again = call(hall, 2, 3, rid="click-1")
    assert again.id == first.id
    with hall.read() as s:
        waiting = [t for t in q.list_tickets(s, hall_code=HALL, service_date=DAY) if t.state == "waiting"]
    assert len(waiting) == 1


def test_window_never_holds_two_tickets(hall: Store) -> None:
    issue(hall, "A", 0)
    issue(hall, "A", 1)
    held = call(hall, 2, 2)
    with pytest.raises(StateError, match=f"正在办理 {held.code}"):
        call(hall, 2, 3)


def test_priority_first_but_bounded(hall: Store) -> None:
    for i in range(3):
        issue(hall, "A", i)  # ordinary A001-A003 came first
    for i in range(5):
        issue(hall, "A", 10 + i, priority="elder")  # A004-A008 绿色通道
    order = []
    for i in range(8):
        order.append(call(hall, 2, 20 + i).priority)
        done(hall, 2, 20 + i + 0.5)
    # priority_every=3: three priority calls, then one ordinary, and so on.
    assert order == ["elder", "elder", "elder", "", "elder", "elder", "", ""]


def test_recall_is_counted_and_skip_requeues_once_then_closes(hall: Store) -> None:
    first = issue(hall, "A", 0)
    for i in range(1, 5):
        issue(hall, "A", i)  # A002..A005 wait behind it
    assert call(hall, 2, 10).code == first.code
    recalled = q.recall(hall, hall_code=HALL, window_number=2, clock=clock_at(11))
    assert recalled.recall_count == 1
    skipped = q.skip(hall, hall_code=HALL, window_number=2, requeue_behind=3, clock=clock_at(12))
    assert skipped.state == "waiting" and skipped.skip_count == 1
    order = []
    for i in range(4):
        order.append(call(hall, 2, 20 + i).code)
        if order[-1] == first.code:
            break
        done(hall, 2, 20 + i + 0.5)
    assert order == ["A002", "A003", "A004", "A001"]  # behind three tickets, ahead of A005
    closed = q.skip(hall, hall_code=HALL, window_number=2, clock=clock_at(30))
    assert closed.state == "skipped"
    assert call(hall, 2, 31).code == "A005"


def test_a_ticket_being_served_refuses_recall_and_skip_naming_the_act(hall: Store) -> None:
    ticket = issue(hall, "A", 0)
    call(hall, 2, 1)
    q.start_service(hall, hall_code=HALL, window_number=2, clock=clock_at(2))
    with pytest.raises(StateError, match=f"{ticket.code} 已开始办理，正在办理的号不能过号"):
        q.skip(hall, hall_code=HALL, window_number=2, clock=clock_at(3))
    with pytest.raises(StateError, match="正在办理的号不能重呼"):
        q.recall(hall, hall_code=HALL, window_number=2, clock=clock_at(3))
    with hall.read() as s:
        still = q.find_ticket(s, hall_code=HALL, code=ticket.code, service_date=DAY)
    assert (still.state, still.skip_count, still.recall_count) == ("serving", 0, 0)  # nothing changed


def test_transfer_keeps_place_and_reaches_the_target_window(hall: Store) -> None:
    a1 = issue(hall, "A", 0)
    call(hall, 2, 1)
    issue(hall, "C", 2)  # C001 came after A001
    moved = q.transfer(hall, hall_code=HALL, window_number=2, to_category="C", clock=clock_at(3))
    assert (moved.category, moved.state, moved.transferred_from) == ("C", "waiting", 2)
    assert moved.queued_at == a1.queued_at
    assert call(hall, 4, 4).code == a1.code  # C window gets the transferred ticket first: it queued earlier
    q.transfer(hall, hall_code=HALL, window_number=4, to_window=3, clock=clock_at(5))
    assert call(hall, 3, 6).code == a1.code  # reserved for window 3 though it serves only B
    with pytest.raises(NotFound, match="窗口号不存在"):
        q.transfer(hall, hall_code=HALL, window_number=3, to_window=99, clock=clock_at(7))


def test_finish_refuses_a_ticket_another_window_holds(hall: Store) -> None:
    issue(hall, "A", 0)
    held = call(hall, 2, 1)
    with pytest.raises(StateError, match="由 2 号窗口办理，1 号窗口不能办结"):
        q.finish(hall, hall_code=HALL, window_number=1, code=held.code, clock=clock_at(2))
    q.start_service(hall, hall_code=HALL, window_number=2, clock=clock_at(2))
    finished = q.finish(hall, hall_code=HALL, window_number=2, code=held.code, clock=clock_at(9))
    assert finished.state == "done"


def test_pause_blocks_calls_until_resumed(hall: Store) -> None:
    issue(hall, "A", 0)
    with pytest.raises(ValidationError, match="请填写暂停原因"):
        q.pause_window(hall, hall_code=HALL, window_number=2, reason=" ", clock=clock_at(1))
    q.pause_window(hall, hall_code=HALL, window_number=2, reason="午休", clock=clock_at(1))
    with pytest.raises(StateError, match="已暂停（午休）"):
        call(hall, 2, 2)
    with hall.read() as s:
        board = q.hall_board(s, HALL, clock=clock_at(2))
    assert [w.pause_reason for w in board.windows if w.number == 2] == ["午休"]
    q.resume_window(hall, hall_code=HALL, window_number=2, clock=clock_at(3))
    assert call(hall, 2, 4).code == "A001"


def test_a_retried_click_after_pausing_still_answers_its_ticket(hall: Store) -> None:
    """The replay check comes before the pause check: the clerk's retried click learns what it already called."""
    issue(hall, "A", 0)
    issue(hall, "A", 1)
    first = call(hall, 2, 2, rid="click-before-lunch")
    q.pause_window(hall, hall_code=HALL, window_number=2, reason="午休", clock=clock_at(3))
    assert call(hall, 2, 4, rid="click-before-lunch").id == first.id
    with pytest.raises(StateError, match="已暂停（午休）"):
        call(hall, 2, 5, rid="a-new-click")


def test_a_request_id_used_by_another_window_is_refused(hall: Store) -> None:
    issue(hall, "A", 0)
    issue(hall, "A", 1)
    call(hall, 1, 2, rid="shared-id")
    with pytest.raises(ValidationError, match="1 号窗口"):
        call(hall, 2, 3, rid="shared-id")
    with hall.read() as s:
        waiting = [t for t in q.list_tickets(s, hall_code=HALL, service_date=DAY) if t.state == "waiting"]
    assert len(waiting) == 1, "the refused click claimed nothing"


def test_unknown_window_is_a_clear_error(hall: Store) -> None:
    with pytest.raises(NotFound, match="窗口号不存在或已停用：9 号窗口"):
        call(hall, 9, 0)


@pytest.mark.date_sensitive
def test_appointment_check_in_within_booked_window_goes_first(hall: Store) -> None:
    with hall.write() as s:
        s.add(Appointment(hall_code=HALL, code="YY0001", category="B", id_no="150929199001011234", name="张三",
                          service_date=DAY, start=utc(60), end=utc(90)))
    issue(hall, "B", 0)
    with pytest.raises(StateError, match="尚未到预约时段"):
        q.check_in(hall, hall_code=HALL, code_or_id="yy0001", clock=clock_at(10))
    with pytest.raises(NotFound, match="没有找到今天的预约"):
        q.check_in(hall, hall_code=HALL, code_or_id="YY9999", clock=clock_at(45))
    t = q.check_in(hall, hall_code=HALL, code_or_id="150929199001011234", clock=clock_at(45))
    assert t.state == "issuing" and t.masked_name == "张*"
    q.confirm_printed(hall, t.id, clock=clock_at(45))
    with pytest.raises(StateError, match="已签到"):
        q.check_in(hall, hall_code=HALL, code_or_id="YY0001", clock=clock_at(46))
    assert call(hall, 3, 47).code == t.code  # the appointment beats the earlier walk-in B001


def test_every_step_is_an_event_with_its_time(hall: Store) -> None:
    t = issue(hall, "A", 0)
    call(hall, 2, 5)
    q.recall(hall, hall_code=HALL, window_number=2, clock=clock_at(6))
    q.start_service(hall, hall_code=HALL, window_number=2, clock=clock_at(7))
    q.finish(hall, hall_code=HALL, window_number=2, clock=clock_at(17))
    with hall.read() as s:
        kinds = [e.kind for e in s.query(TicketEvent).filter_by(ticket_id=t.id).order_by(TicketEvent.id)]
        times = {r.code: r for r in q.ticket_times(s, hall_code=HALL, service_date=DAY)}
        stats = q.category_stats(s, hall_code=HALL, service_date=DAY)
    assert kinds == ["issue", "print", "call", "recall", "start", "finish"]
    assert (times[t.code].wait_s, times[t.code].walk_s, times[t.code].service_s) == (300.0, 60.0, 600.0)
    assert stats[0].served == 1 and stats[0].avg_wait_s == 300.0


@pytest.mark.date_sensitive
def test_board_masks_names_and_shows_recent_calls(hall: Store) -> None:
    with hall.write() as s:
        s.add(Appointment(hall_code=HALL, code="YY0002", category="A", id_no="150929199001011234",
                          name="欧阳娜娜", service_date=DAY, start=utc(0), end=utc(30)))
    t = q.check_in(hall, hall_code=HALL, code_or_id="YY0002", clock=clock_at(1))
    q.confirm_printed(hall, t.id, clock=clock_at(1))
    issue(hall, "B", 2)
    call(hall, 2, 3)
    with hall.read() as s:
        board = q.hall_board(s, HALL, clock=clock_at(4))
    w2 = next(w for w in board.windows if w.number == 2)
    assert (w2.code, w2.masked_name) == (t.code, "欧***")
    assert [(c.code, c.window_number) for c in board.recent] == [(t.code, 2)]
    assert {c.category: c.waiting for c in board.waiting} == {"A": 0, "B": 1, "C": 0}
    assert "150929199001011234" not in repr(board)
