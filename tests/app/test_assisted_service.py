"""帮办代办 records, 延时/上门 service and 政务专递 (issue 18), on SQLite and PostgreSQL, counted in the daily report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app.assist import HELP_KIND, HelpInput, list_help, record_help
from app.cases import lifecycle
from app.cases.outreach import HomeVisitInput, PostInInput, parse_opening_hours
from app.cases.service import ProxyInput, accept, accept_case
from app.errors import NotFound, ValidationError
from app.reports.daily import daily_report
from app.store import Store
from app.store.models import Case, HelpRecord, Outbox
from tests.app._case_kit import HALL, HALL_ZONE, MONDAY, pension_request, person_id, prepare
from tests.hall_clock import on

DAY = MONDAY.date()  # Monday 2026-11-23, a working day
HOURS = "08:30-12:00,14:30-17:30"
AGENT = ProxyInput(name="巴特尔", id_no=person_id(7, "19700505"), phone="13900000000")


def _local(hh: int, mm: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), HALL_ZONE)


@pytest.fixture
def store(any_store: Store) -> Store:
    prepare(any_store)
    return any_store


def test_help_record_assisted_without_case_and_on_behalf_from_the_intakes_proxy(store: Store,
                                                                                 tmp_path: Path) -> None:
    clock = on(DAY)
    with_agent = accept_case(store, pension_request(proxy=AGENT), files_dir=tmp_path, clock=clock)
    own = accept_case(store, pension_request(id_no=person_id(55)), files_dir=tmp_path, clock=clock)
    helped = record_help(store, HelpInput(hall_code=HALL, helper="帮办员 乌云", mode="assisted",
                                          matter_name="城乡居民养老保险参保登记", applicant_name="其其格",
                                          note="帮助填写申请表", window_number=3), clock=clock)
    proxied = record_help(store, HelpInput(hall_code=HALL, helper="王芳", mode="on_behalf",
                                           case_no=with_agent.case_no, window_number=3), clock=clock)
    assert helped.case_no == "" and helped.matter_name == "城乡居民养老保险参保登记"
    assert proxied.case_no == with_agent.case_no and proxied.agent_name == "巴特尔"
    assert proxied.matter_name == with_agent.matter_name
    # 代办 without a 委托 captured at intake is refused and says what to do; nothing is written.
    with pytest.raises(ValidationError, match="未登记代办人"):
        record_help(store, HelpInput(hall_code=HALL, helper="王芳", mode="on_behalf", case_no=own.case_no),
                    clock=clock)
    with pytest.raises(ValidationError, match="须填写受理编号"):
        record_help(store, HelpInput(hall_code=HALL, helper="王芳", mode="on_behalf", matter_name="x"), clock=clock)
    with pytest.raises(NotFound, match="没有受理编号"):
        record_help(store, HelpInput(hall_code=HALL, helper="王芳", mode="assisted", case_no="NOPE1"), clock=clock)
    with pytest.raises(ValidationError, match="帮办人"):
        record_help(store, HelpInput(hall_code=HALL, helper=" ", mode="assisted", matter_name="x"), clock=clock)
    with store.read() as session:
        rows = list(session.scalars(select(HelpRecord)))
        outbox = list(session.scalars(select(Outbox).where(Outbox.kind == HELP_KIND)))
        listed = list_help(session, hall_code=HALL, start=DAY, end=DAY)
    assert len(rows) == 2 and len(outbox) == 2
    assert {o.case_id for o in outbox} == {r.id for r in rows}
    agent = next(r.agent for r in rows if r.mode == "on_behalf")
    assert agent == {"name": "巴特尔", "id_no": AGENT.id_no, "phone": "13900000000"}
    assert [v.mode for v in listed] == ["assisted", "on_behalf"]


def test_the_same_request_id_records_once(store: Store) -> None:
    item = HelpInput(hall_code=HALL, helper="乌云", mode="assisted", matter_name="社保卡挂失",
                     request_id="0f6c1a9e-0000-4000-8000-000000000001")
    first = record_help(store, item, clock=on(DAY))
    again = record_help(store, dataclasses.replace(item, note="双击"), clock=on(DAY))
    assert again.id == first.id and again.note == ""
    with store.read() as session:
        assert len(list(session.scalars(select(Outbox).where(Outbox.kind == HELP_KIND)))) == 1


def test_opening_hours_parse_and_refuse_bad_text() -> None:
    hours = parse_opening_hours("08:30-12:00， 14:30-17:30")
    assert hours.is_open(_local(9)) and not hours.is_open(_local(12, 30)) and not hours.is_open(_local(18))
    for bad in ("8点-12点", "12:00-08:30", "25:00-26:00", ""):
        with pytest.raises(ValidationError, match="开放时间"):
            parse_opening_hours(bad)


@pytest.mark.parametrize(("when", "expected"), [
    (_local(10), False),  # in the morning period
    (_local(12, 30), True),  # 午间延时
    (_local(18, 10), True),  # evening
    (_local(10, day=dt.date(2026, 11, 28)), True),  # Saturday: not a working day
])
def test_after_hours_flag_from_the_halls_opening_hours(store: Store, tmp_path: Path, when: dt.datetime,
                                                       expected: bool) -> None:
    request = dataclasses.replace(pension_request(at=when), opening_hours=HOURS)
    summary = accept_case(store, request, files_dir=tmp_path, clock=on(when.date(), when.timetz()))
    with store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == summary.case_no)).one()
        assert case.after_hours is expected
        outbox = session.scalars(select(Outbox).where(Outbox.case_id == case.id, Outbox.kind == "case.accept")).one()
        assert outbox.payload["after_hours"] is expected


def test_home_visit_keeps_place_time_staff_and_refuses_missing_parts(store: Store, tmp_path: Path) -> None:
    visit = HomeVisitInput(place="四子王旗乌兰花镇某嘎查 3 号", at=_local(9, 15), staff=("王芳", "乌云"),
                           reason="elder")
    summary = accept_case(store, dataclasses.replace(pension_request(), home_visit=visit), files_dir=tmp_path,
                          clock=on(DAY))
    with store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == summary.case_no)).one()
    assert case.home_visit == {"place": "四子王旗乌兰花镇某嘎查 3 号", "at": _local(9, 15).astimezone(dt.UTC).isoformat(),
                               "staff": ["王芳", "乌云"], "reason": "elder"}
    for bad, field in ((dataclasses.replace(visit, staff=(" ",)), "上门人员"),
                       (dataclasses.replace(visit, place="家"), "服务地点"),
                       (dataclasses.replace(visit, at=_local(9, day=DAY + dt.timedelta(days=2))), "不能晚于今天")):
        with pytest.raises(ValidationError, match=field):
            accept(store, dataclasses.replace(pension_request(id_no=person_id(77)), home_visit=bad),
                   files_dir=tmp_path, clock=on(DAY))
    with store.read() as session:
        assert len(list(session.scalars(select(Case)))) == 1  # the refused requests wrote nothing


def test_post_in_deadlines_run_from_the_receipt_date(store: Store, tmp_path: Path) -> None:
    # Received by post on Thursday 11-19, entered on Monday 11-23: the deferred photo (3 workdays) is due from
    # Thursday (11-24), not from the Monday (11-26).
    post = PostInInput(tracking_no="ep 1234 5678 9cn", sender="乌兰花镇 其其格", received_on=dt.date(2026, 11, 19))
    by_post = accept(store, dataclasses.replace(pension_request(photo="deferred"), post_in=post),
                     files_dir=tmp_path, clock=on(DAY))
    at_counter = accept(store, pension_request(photo="deferred", id_no=person_id(88)), files_dir=tmp_path,
                        clock=on(DAY))
    assert by_post.decision.supplement_due is not None and at_counter.decision.supplement_due is not None
    assert by_post.decision.supplement_due < at_counter.decision.supplement_due
    with store.read() as session:
        case = session.scalars(select(Case).where(Case.case_no == by_post.summary.case_no)).one()
    assert case.post_in == {"tracking_no": "EP123456789CN", "sender": "乌兰花镇 其其格", "received_on": "2026-11-19"}
    assert case.service_date == DAY
    with pytest.raises(ValidationError, match="收到日期不能晚于今天"):
        accept(store, dataclasses.replace(pension_request(id_no=person_id(99)),
                                          post_in=dataclasses.replace(post, received_on=DAY + dt.timedelta(days=1))),
               files_dir=tmp_path, clock=on(DAY))
    with pytest.raises(ValidationError, match="邮件号"):
        accept(store, dataclasses.replace(pension_request(id_no=person_id(99)),
                                          post_in=dataclasses.replace(post, tracking_no="12")),
               files_dir=tmp_path, clock=on(DAY))


def test_daily_report_counts_help_outreach_and_mail_out(store: Store, tmp_path: Path) -> None:
    clock = on(DAY, dt.time(18, 30))
    late = accept_case(store, dataclasses.replace(pension_request(proxy=AGENT, at=_local(18, 5)),
                                                  opening_hours=HOURS), files_dir=tmp_path, clock=clock)
    home = accept_case(store, dataclasses.replace(pension_request(id_no=person_id(12)), home_visit=HomeVisitInput(
        place="某嘎查 5 号", at=_local(9), staff=("王芳",), reason="disabled")), files_dir=tmp_path, clock=clock)
    posted = accept_case(store, dataclasses.replace(pension_request(id_no=person_id(13)), post_in=PostInInput(
        tracking_no="EP123456789CN", sender="其其格", received_on=DAY)), files_dir=tmp_path, clock=clock)
    record_help(store, HelpInput(hall_code=HALL, helper="乌云", mode="assisted", matter_name="社保卡挂失"),
                clock=clock)
    record_help(store, HelpInput(hall_code=HALL, helper="王芳", mode="on_behalf", case_no=late.case_no),
                clock=clock)
    with store.write() as session:
        for no in (posted.case_no,):
            lifecycle.record_result(session, case_no=no, result="approved", note="准予", actor="hub",
                                    at=_local(18, 10))
            lifecycle.mail_result(session, case_no=no, address="四子王旗乌兰花镇某嘎查 5 号",
                                  tracking_no="EP987654321CN", actor="clerk01", at=_local(18, 20))
    with store.read() as session:
        report = daily_report(session, start=DAY, hall_code=HALL, clock=clock)
        next_day = daily_report(session, start=DAY + dt.timedelta(days=1), hall_code=HALL, clock=clock)
    assert (report.help_total, report.help_assisted, report.help_on_behalf) == (2, 1, 1)
    assert report.drill["help:on_behalf"] == (late.case_no,)
    assert report.drill["help:assisted"] == ("帮办：社保卡挂失",)
    assert report.drill["after_hours"] == (late.case_no,)
    assert report.drill["home_visit"] == (home.case_no,)
    assert report.drill["post_in"] == (posted.case_no,)
    assert report.drill["mailed_out"] == (posted.case_no,) and report.mailed_out == 1
    lines = {label: value for label, value, _d in report.summary()}
    assert lines["帮办代办记录"] == "2" and lines["延时服务办件"] == "1" and lines["政务专递寄出结果"] == "1"
    assert report.to_json()["help"] == {"total": 2, "assisted": 1, "on_behalf": 1}
    assert (next_day.help_total, next_day.after_hours_cases, next_day.mailed_out) == (0, 0, 0)


def test_paper_cases_imported_with_home_visit_post_in_and_after_hours(store: Store, tmp_path: Path) -> None:
    from app.cases.import_csv import import_cases
    from tests.app._case_kit import PENSION

    header = "受理时间,窗口,事项编码,申请人,证件号码,材料,延时服务,上门地点,上门人员,上门原因,来件邮件号,寄件人,收到日期"
    materials = "id_card=original;household=copy;ss_card=original;no_other_pension=original;photo=original"
    rows = [f"2026-11-20 09:30,2,{PENSION},其其格,{person_id(21)},{materials},是,某嘎查 8 号,王芳、乌云,残疾人,,,",
            f"2026-11-20 10:30,2,{PENSION},苏和,{person_id(22)},{materials},,,,,EP123456789CN,苏和,2026-11-18",
            f"2026-11-20 11:30,2,{PENSION},巴雅尔,{person_id(23)},{materials},,,,,EP123456789CN,巴雅尔,昨天"]
    report = import_cases(store, ("\n".join([header, *rows]) + "\n").encode(), hall_code=HALL, files_dir=tmp_path,
                          clock=on(DAY))
    assert (report.accepted, report.failed) == (2, 1)
    bad = next(r for r in report.rows if not r.ok)
    assert bad.issue is not None and bad.issue.column == "post_received_on"
    with store.read() as session:
        cases = {c.applicant_name: c for c in session.scalars(select(Case))}
    assert cases["其其格"].after_hours and cases["其其格"].home_visit["staff"] == ["王芳", "乌云"]  # type: ignore[index]
    assert cases["其其格"].home_visit["reason"] == "disabled"  # type: ignore[index]
    assert cases["苏和"].post_in == {"tracking_no": "EP123456789CN", "sender": "苏和", "received_on": "2026-11-18"}
    assert not cases["苏和"].after_hours


def test_a_bad_opening_hours_setting_is_refused_at_load() -> None:
    from app.errors import SettingsError
    from app.settings import load_settings

    assert load_settings(environ={"ZC_HALL_OPENING_HOURS": "09:00-12:00"}).hall.opening_hours == "09:00-12:00"
    with pytest.raises(SettingsError, match=r"hall\.opening_hours"):
        load_settings(environ={"ZC_HALL_OPENING_HOURS": "九点到五点"})


def test_the_help_drill_lists_cases_and_the_matters_helped_without_one(store: Store, tmp_path: Path) -> None:
    from app.reports.drill import case_lines

    clock = on(DAY)
    case_no = accept_case(store, pension_request(), files_dir=tmp_path, clock=clock).case_no
    record_help(store, HelpInput(hall_code=HALL, helper="乌云", mode="assisted", case_no=case_no), clock=clock)
    record_help(store, HelpInput(hall_code=HALL, helper="乌云", mode="assisted", matter_name="社保卡挂失"), clock=clock)
    with store.read() as session:
        report = daily_report(session, start=DAY, hall_code=HALL, clock=clock)
        lines = case_lines(session, report.drill["help"])
    assert [(line.case_no, line.matter_name) for line in lines] == [
        (case_no, "城乡居民基本养老保险待遇申领"), ("帮办：社保卡挂失", "（无办件的帮办记录）")]


def test_migration_0008_goes_down_and_up_again(any_store: Store) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from app.store.migrate import alembic_config, current_revision, head_revision

    command.downgrade(alembic_config(any_store), "0006")
    any_store.engine.dispose()
    names = inspect(any_store.engine).get_table_names()
    assert "help_record" not in names
    assert "after_hours" not in {c["name"] for c in inspect(any_store.engine).get_columns("case")}
    command.upgrade(alembic_config(any_store), "head")
    any_store.engine.dispose()
    assert current_revision(any_store) == head_revision()
    assert {"after_hours", "home_visit", "post_in"} <= {c["name"] for c in inspect(any_store.engine).get_columns("case")}
