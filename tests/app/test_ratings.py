"""好差评: the clerk asks, the applicant rates once, a 差评 opens a follow-up with a working-day deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app import ratings
from app.clock import HallClock
from app.errors import NotFound, StateError, ValidationError
from app.store import Store
from app.store.models import AuditEvent, Rating, Ticket
from tests.app.report_day import HALL, at, build_day
from tests.hall_clock import CLOCK

HALL_ZONE = CLOCK.zone  # the hall's wall clock, as the services read it


@pytest.fixture
def day(sqlite_store: Store) -> Store:
    build_day(sqlite_store)
    return sqlite_store


def ask(store: Store, case_no: str | None = "C2", *, window: int = 1, **kw: object) -> ratings.RatingRequestView:
    return ratings.request_rating(store, hall_code=HALL, window_number=window, case_no=case_no,
                                  requested_by="clerk01", clock=HallClock.frozen(at(11, 0)), **kw)  # type: ignore[arg-type]


def count_ratings(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Rating)) or 0)


def test_request_then_rate_once_on_both_engines(any_store: Store) -> None:
    build_day(any_store)
    req = ask(any_store)
    with any_store.read() as s:
        shown = ratings.pending_request(s, hall_code=HALL, window_number=1)
    assert shown is not None and shown.id == req.id
    assert (shown.case_no, shown.matter_name, shown.clerk_name, shown.masked_applicant) == (
        "C2", "城乡居民养老保险参保登记", "其木格", "张**")
    view = ratings.submit_rating(any_store, req.id, level=5, attitude=4, comment="  很耐心  ", clock=HallClock.frozen(at(11, 2)))
    assert (view.case_no, view.level_label, view.overall, view.attitude, view.comment) == ("C2", "非常满意", 5, 4, "很耐心")
    assert view.follow_up_state == "" and view.follow_up_due is None
    with any_store.read() as s:
        assert ratings.pending_request(s, hall_code=HALL, window_number=1) is None
        clerk_side = ratings.request_state(s, req.id)
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "rating.submit")).one()
    # The clerk learns that the rating came, never what it was — not even from the audit log.
    assert clerk_side.state == "rated" and not hasattr(clerk_side, "level")
    assert audit.target == "C2" and "level" not in audit.detail
    with pytest.raises(StateError, match="已评价过（一次一评）"):
        ask(any_store)
    with pytest.raises(StateError, match="请勿重复提交"):
        ratings.submit_rating(any_store, req.id, level=1, clock=CLOCK)


def test_new_request_supersedes_the_pending_one(day: Store) -> None:
    first = ask(day, "C2")
    again = ask(day, "C2")
    assert again.id == first.id  # asking twice for the same case is one request
    second = ask(day, "C6")
    with day.read() as s:
        assert ratings.request_state(s, first.id).state == "superseded"
        assert ratings.pending_request(s, hall_code=HALL, window_number=1).case_no == "C6"  # type: ignore[union-attr]
    with pytest.raises(StateError):
        ratings.submit_rating(day, first.id, level=4, clock=CLOCK)
    ratings.submit_rating(day, second.id, level=4, clock=CLOCK)
    other_window = ask(day, "C7", window=2)
    with day.read() as s:
        assert ratings.pending_request(s, hall_code=HALL, window_number=2).id == other_window.id  # type: ignore[union-attr]


def test_bad_rating_opens_a_follow_up_due_in_working_days(day: Store) -> None:
    req = ask(day)
    view = ratings.submit_rating(day, req.id, level=2, comment="等太久", clock=HallClock.frozen(at(16, 0)), follow_up_workdays=5)
    # Tue 2026-03-10 + 5 working days = Tue 2026-03-17.
    assert (view.follow_up_state, view.follow_up_due) == ("open", dt.date(2026, 3, 17))
    # Across 国庆 (1–7 Oct holidays, Sat 10 Oct a 调休 working day), 5 working days after Wed 30 Sep:
    req = ask(day, "C6")
    autumn = dt.datetime(2026, 9, 30, 10, 0, tzinfo=HALL_ZONE)
    late = ratings.submit_rating(day, req.id, level=1, clock=HallClock.frozen(autumn), follow_up_workdays=5)
    assert late.follow_up_due == dt.date(2026, 10, 13)
    req = ask(day, "C7")
    fifteen = ratings.submit_rating(day, req.id, level=2, clock=HallClock.frozen(at(9, 0)), follow_up_workdays=15)
    assert fifteen.follow_up_due == dt.date(2026, 3, 31)


def test_follow_up_call_back_is_recorded_once(day: Store) -> None:
    bad = ratings.submit_rating(day, ask(day).id, level=1, clock=HallClock.frozen(at(16, 0)))
    good = ratings.submit_rating(day, ask(day, "C6").id, level=4, clock=HallClock.frozen(at(16, 5)))
    with day.read() as s:
        open_items = ratings.list_follow_ups(s, hall_code=HALL, state="open")
    # The fixture day already has one open 差评 (C5); ours joins it, the good one does not.
    assert {r.case_no for r in open_items} == {"C5", "C2"}
    assert open_items[0].overdue(dt.date(2026, 3, 18)) and not open_items[0].overdue(dt.date(2026, 3, 10))
    with pytest.raises(ValidationError) as err:
        ratings.record_follow_up(day, bad.id, note="  ", by="赵敏", clock=CLOCK)
    assert err.value.field == "note"
    with pytest.raises(ValidationError, match="回访人"):
        ratings.record_follow_up(day, bad.id, note="已电话致歉", by="", clock=CLOCK)
    with pytest.raises(StateError, match="不是差评"):
        ratings.record_follow_up(day, good.id, note="x", by="赵敏", clock=CLOCK)
    done = ratings.record_follow_up(day, bad.id, note="已电话致歉，增开窗口；申请人表示认可", by="赵敏",
                                    clock=HallClock.frozen(at(17, 0)))
    assert (done.follow_up_state, done.follow_up_by, done.follow_up_note) == (
        "done", "赵敏", "已电话致歉，增开窗口；申请人表示认可")
    assert done.follow_up_at == at(17, 0)
    with pytest.raises(StateError, match="已于 2026-03-10 回访"):
        ratings.record_follow_up(day, bad.id, note="again", by="赵敏", clock=CLOCK)
    with day.read() as s:
        assert [r.case_no for r in ratings.list_follow_ups(s, state="done")] == ["C2"]
        with pytest.raises(ValidationError):
            ratings.list_follow_ups(s, state="later")
    with pytest.raises(NotFound):
        ratings.record_follow_up(day, 9999, note="x", by="y", clock=CLOCK)


@pytest.mark.parametrize(("kwargs", "field", "text"), [
    ({"level": 0}, "level", "评价等级应为 1 到 5 的整数"),
    ({"level": 6}, "level", "评价等级应为 1 到 5 的整数"),
    ({"level": 4, "efficiency": 7}, "efficiency", "服务效率应为 1 到 5 的整数"),
    ({"level": True}, "level", "评价等级"),
    ({"level": 3, "comment": "慢" * 501}, "comment", "评价意见最多 500 字"),
    ({"level": 4, "reasons": ["等候时间长"]}, "reasons", "只有“不满意”或“非常不满意”需要选择原因"),
    ({"level": 2, "reasons": ["太冷"]}, "reasons", "不满意原因不在可选项中：太冷"),
    ({"level": 1, "reasons": ["其他"], "comment": "  "}, "comment", "选择“其他”时，请在下面写明"),
])
def test_bad_input_names_the_field_and_writes_nothing(day: Store, kwargs: dict[str, object], field: str,
                                                      text: str) -> None:
    req = ask(day)
    before = count_ratings(day)
    with pytest.raises(ValidationError, match=text) as err:
        ratings.submit_rating(day, req.id, **kwargs, clock=CLOCK)  # type: ignore[arg-type]
    assert err.value.field == field
    assert count_ratings(day) == before
    with day.read() as s:
        assert ratings.request_state(s, req.id).state == "pending"


def test_a_bad_rating_s_reasons_lead_its_comment_in_the_store_and_the_outbox(day: Store) -> None:
    """The reasons chosen on the rating screen travel in the comment: the rating and its hub payload keep the
    fields they always had."""
    from app.store.models import Outbox

    req = ask(day)
    ratings.submit_rating(day, req.id, level=2, reasons=["多次跑腿", "等候时间长", "多次跑腿"], comment="跑了三趟",
                          clock=CLOCK)
    with day.read() as s:
        row = s.scalars(select(Rating).where(Rating.level == 2).order_by(Rating.id.desc())).first()
        assert row is not None
        payload = s.scalars(select(Outbox.payload).where(Outbox.kind == "rating").order_by(Outbox.seq.desc())).first()
        assert payload is not None
    assert row.comment == "不满意原因：等候时间长、多次跑腿；跑了三趟"  # the offered order, each once
    assert payload["comment"] == row.comment


def test_targets_must_exist_and_tickets_must_be_served(day: Store) -> None:
    with pytest.raises(ValidationError, match="二者选一"):
        ask(day, None)
    with pytest.raises(NotFound, match="受理编号不存在：C99"):
        ask(day, "C99")
    with day.read() as s:
        waiting = s.scalars(select(Ticket.id).where(Ticket.code == "B004")).one()
        served = s.scalars(select(Ticket.id).where(Ticket.code == "A001", Ticket.state == "done")
                           .order_by(Ticket.service_date.desc())).first()
    with pytest.raises(StateError, match="尚未办结"):
        ask(day, None, ticket_id=waiting)
    req = ask(day, None, ticket_id=served)
    assert req.ticket_code == "A001" and req.target == "A001"
    view = ratings.submit_rating(day, req.id, level=3, clock=CLOCK)
    assert view.ticket_code == "A001" and view.case_no is None


def test_applicant_may_decline(day: Store) -> None:
    req = ask(day)
    assert ratings.decline_request(day, req.id, clock=CLOCK).state == "declined"
    assert ratings.decline_request(day, req.id, clock=CLOCK).state == "declined"
    with day.read() as s:
        assert ratings.pending_request(s, hall_code=HALL, window_number=1) is None
    assert count_ratings(day) == 5  # only the fixture's
