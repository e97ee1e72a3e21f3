"""``python -m app case extend|stop|resume``: §42 and §45 from the command line — the approving 大厅负责人 checked,
one-line Chinese errors with nothing written, the dates printed, JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app import auth
from app.cases import accept_case
from app.store import Store, open_store
from app.store.models import Case, CaseEvent
from app.workdays import default_calendar
from console import main
from tests.app._case_kit import HALL, MONDAY, pension_request, prepare
from tests.hall_clock import on

TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("ZC_CLOCK_AT", TUESDAY.isoformat())  # the hall clock of every command below
    store = open_store(sqlite_url)
    prepare(store)
    with store.write() as session:
        auth.create_clerk(session, hall_code=HALL, username="zhaomin", name="赵敏", role="supervisor",
                          password="Secret-123")
        auth.create_clerk(session, hall_code=HALL, username="clerk05", name="苏和", role="clerk",
                          password="Secret-123")
    return store


@pytest.fixture
def case_no(store: Store, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return accept_case(store, pension_request(), files_dir=tmp_path, clock=on(MONDAY.date())).case_no


def run(capsys: pytest.CaptureFixture[str], store: Store, *argv: str) -> tuple[int, str, str]:
    code = main(["case", *argv, "--db", store.url])
    out, err = capsys.readouterr()
    return code, out, err


def kinds(store: Store, case_no: str) -> list[str]:
    with store.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        return list(session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                                    .order_by(CaseEvent.id)))


def test_extend_needs_a_supervisor_and_prints_the_new_date(store: Store, case_no: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    with store.read() as session:
        legal0 = session.scalars(select(Case.legal_due)).one()
    code, out, err = run(capsys, store, "extend", case_no, "--days", "5", "--approved-by", "clerk05",
                         "--reason", "需实地核查")
    assert code != 0 and out == ""
    assert err.startswith("错误：clerk05 不是本大厅在岗的大厅负责人") and "赵敏（zhaomin）" in err
    code, out, err = run(capsys, store, "extend", case_no, "--days", "12", "--approved-by", "zhaomin",
                         "--reason", "需实地核查")
    assert code != 0 and "1–10 个工作日" in err
    assert kinds(store, case_no) == ["accept"]

    code, out, err = run(capsys, store, "extend", case_no, "--days", "5", "--approved-by", "zhaomin",
                         "--reason", "需实地核查")
    assert (code, err) == (0, "")
    new_due = default_calendar().add_workdays(legal0, 5)
    assert f"法定办结 {new_due}" in out and "经赵敏批准延长 5 个工作日" in out and "print extension-notice" in out
    with store.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "extend")).one()
        assert event.detail["day"] == TUESDAY.date().isoformat() and event.actor.startswith("cli:")
    code, _out, err = run(capsys, store, "extend", case_no, "--approved-by", "zhaomin", "--reason", "再延")
    assert code != 0 and "已经延期一次" in err


def test_stop_and_resume(store: Store, case_no: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, store, "stop", case_no, "--kind", "lunch")
    assert code != 0 and err.startswith("错误：不计时的情形只能是：听证、招标")
    code, out, err = run(capsys, store, "stop", case_no, "--kind", "appraisal", "--note", "司法鉴定所", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["paused"] is True and any("鉴定，暂停计时" in n for n in data["notes"])
    code, _out, err = run(capsys, store, "stop", case_no, "--kind", "testing")
    assert code != 0 and "已因鉴定暂停计时" in err
    code, out, err = run(capsys, store, "resume", case_no)
    assert code == 0 and out.startswith("已恢复计时：")
    code, _out, err = run(capsys, store, "resume", case_no)
    assert code != 0 and "没有暂停计时" in err
    assert kinds(store, case_no) == ["accept", "clock_stop", "clock_resume"]


def test_a_mistyped_case_number_is_named(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, store, "resume", "1509290320261123999")
    assert code != 0 and err.startswith("错误：受理编号校验位不符")


def test_sweep_accepts_a_review_left_without_notice(store: Store, tmp_path, capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from app.cases import accept

    request = dataclasses.replace(pension_request(), review=True)
    case_no = accept(store, request, files_dir=tmp_path, clock=on(MONDAY.date())).summary.case_no
    after = default_calendar().add_workdays(MONDAY.date(), 6)
    monkeypatch.setenv("ZC_CLOCK_AT", on(after).now().isoformat())
    code, out, err = run(capsys, store, "sweep")
    assert (code, err) == (0, "")
    assert f"依法视为受理 1 件：{case_no}" in out
    code, out, _err = run(capsys, store, "sweep", "--json")
    assert code == 0 and json.loads(out) == {"flagged": [], "deemed": []}
    assert kinds(store, case_no) == ["accept", "deemed_accept"]
