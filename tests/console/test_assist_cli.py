"""``python -m app assist add|list`` and the per-clerk / per-window lines of ``report daily`` (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import auth
from app.cases import accept_case
from app.cases.service import ProxyInput
from app.store import Store, open_store
from console import main
from tests.app._case_kit import HALL, MONDAY, pension_request, person_id, prepare
from tests.hall_clock import on


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("ZC_CLOCK_AT", MONDAY.isoformat())  # the hall clock of every command below
    store = open_store(sqlite_url)
    prepare(store)
    with store.write() as session:
        auth.create_clerk(session, hall_code=HALL, username="clerk05", name="苏和", role="clerk",
                          password="Secret-123")
    return store


def run(capsys: pytest.CaptureFixture[str], store: Store, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--db", store.url])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_and_list_help_records(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case_no = accept_case(store, pension_request(proxy=ProxyInput(name="巴特尔", id_no=person_id(7, "19700505"))),
                          files_dir=tmp_path, clock=on(MONDAY.date())).case_no
    code, out, _err = run(capsys, store, "assist", "add", "--helper", "乌云", "--mode", "on_behalf", "--case", case_no,
                          "--hall", HALL)
    assert code == 0 and "已登记代办" in out and "代办人 巴特尔" in out
    code, out, _err = run(capsys, store, "assist", "add", "--helper", "乌云", "--mode", "assisted",
                          "--matter", "社保卡挂失", "--note", "帮助网上申报", "--hall", HALL)
    assert code == 0 and "社保卡挂失" in out
    code, _out, err = run(capsys, store, "assist", "add", "--helper", "乌云", "--mode", "on_behalf", "--hall", HALL)
    assert code != 0 and "代办须填写受理编号" in err
    code, out, _err = run(capsys, store, "assist", "list")
    assert code == 0 and "共 2 条" in out and case_no in out
    code, out, _err = run(capsys, store, "--json", "assist", "list")
    assert [r["mode"] for r in json.loads(out)] == ["on_behalf", "assisted"]
    code, out, _err = run(capsys, store, "report", "daily", "--date", MONDAY.date().isoformat(), "--hall", HALL)
    assert code == 0 and "帮办代办记录：2" in out and "其中代办（受托）：1" in out
    assert "人员绩效" in out and "窗口绩效" in out and "3 号窗口" in out
