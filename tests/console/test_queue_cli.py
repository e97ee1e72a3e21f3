"""``python -m app queue …``: issue, call (exit 3 when empty), list, and clear one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import open_store
from console import main
from tests.app.queue_hall import HALL, make_hall

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(sqlite_url: str) -> list[str]:
    store = open_store(sqlite_url)
    make_hall(store)
    store.dispose()
    return ["--db", sqlite_url]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_call_finish_list(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queue", "issue", *db, "--hall", HALL, "--category", "a", "--json")
    ticket = json.loads(out)
    assert code == 0 and ticket["code"] == "A001" and ticket["state"] == "waiting"  # the CLI counts as printed
    code, out, _ = run(capsys, "queue", "issue", *db, "--hall", HALL, "--category", "A", "--priority", "elder")
    assert code == 0 and out.strip() == "已取号 A002（绿色通道：老年人），状态：等候"
    code, out, _ = run(capsys, "queue", "call", *db, "--hall", HALL, "--window", "2")
    assert code == 0 and out.strip() == "请 A002 号到 2 号窗口办理"
    code, _, err = run(capsys, "queue", "finish", *db, "--hall", HALL, "--window", "1", "--ticket", "A002")
    assert code == 1 and err.strip() == "错误：号票 A002 由 2 号窗口办理，1 号窗口不能办结"
    assert run(capsys, "queue", "finish", *db, "--hall", HALL, "--window", "2")[0] == 0
    code, out, _ = run(capsys, "queue", "list", *db, "--hall", HALL, "--json")
    rows = {t["code"]: t for t in json.loads(out)["tickets"]}
    assert rows["A002"]["state"] == "done" and rows["A002"]["window"] == 2 and rows["A002"]["finished_at"]
    assert rows["A001"]["state"] == "waiting"


def test_call_on_an_empty_queue_exits_3(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "queue", "call", *db, "--hall", HALL, "--window", "3")
    assert code == 3 and err.strip() == "错误：3 号窗口暂无等候的号"


def test_bad_input_is_one_clear_line(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "queue", "issue", *db, "--hall", HALL, "--category", "Z")
    assert code == 1 and err.startswith("错误：业务类别不存在：'Z'") and err.count("\n") == 1
    code, _, err = run(capsys, "queue", "call", *db, "--hall", HALL, "--window", "99")
    assert code == 1 and "窗口号不存在或已停用：99 号窗口" in err
    run(capsys, "queue", "pause", *db, "--hall", HALL, "--window", "2", "--reason", "午休")
    code, _, err = run(capsys, "queue", "call", *db, "--hall", HALL, "--window", "2")
    assert code == 1 and "2 号窗口已暂停（午休）" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["queue", "call", *db, "--window", "x"])
    assert exit_info.value.code == 2
    assert "窗口号应为正整数" in capsys.readouterr().err


def test_unreachable_store_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    code, _, err = run(capsys, "queue", "call", "--db", url, "--window", "1")
    assert code == 1 and err.startswith("错误：无法连接数据库")


def test_queue_modules_do_not_import_qt() -> None:
    code = ("import sys, app.queue, console.queue; "
            "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_appointments_rules_and_chosen_call_from_the_command_line(
        db: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZC_CLOCK_AT", "2026-03-10T09:00:00+08:00")
    at: list[str] = []
    code, out, _ = run(capsys, "queue", "appointment", "book", *db, *at, "--hall", HALL, "--category", "A",
                       "--date", "2026-03-10", "--start", "09:30", "--name", "张三", "--source", "phone", "--json")
    booked = json.loads(out)
    assert code == 0 and booked["source"] == "phone" and booked["start"].startswith("2026-03-10T09:30")
    csv_file = tmp_path / "yy.csv"
    csv_file.write_text("预约码,预约日期,开始时间,业务类别,姓名\nR9,2026-03-10,10:00,B,李四\nR8,2026-03-10,bad,B,王五\n",
                        encoding="utf-8")
    code, out, _ = run(capsys, "queue", "appointment", "import", *db, *at, "--hall", HALL, str(csv_file))
    assert code == 2 and out.splitlines() == ["导入 1 个预约，已有 0 个未重复导入，拒收 1 行",
                                              "  第 3 行：日期或时间格式有误（应为 2026-03-10 与 09:30）"]
    code, out, _ = run(capsys, "queue", "appointment", "list", *db, *at, "--hall", HALL, "--json")
    assert [(a["code"], a["state"]) for a in json.loads(out)["appointments"]] == [(booked["code"], "booked"),
                                                                                 ("R9", "booked")]
    code, out, _ = run(capsys, "queue", "checkin", *db, *at, "--hall", HALL, "--code", booked["code"])
    assert code == 0 and out.strip() == "预约签到成功，号票 A001"
    code, out, _ = run(capsys, "queue", "issue", *db, *at, "--hall", HALL, "--category", "A",
                       "--id-no", "150102195003071234"[:17] + _check("150102195003071234"[:17]))
    assert code == 0 and out.strip() == "已取号 A002（绿色通道：老年人（76 岁）），状态：等候"
    run(capsys, "queue", "issue", *db, *at, "--hall", HALL, "--category", "A")
    code, _, err = run(capsys, "queue", "call", *db, *at, "--hall", HALL, "--window", "2", "--ticket", "A003")
    assert code == 1 and "跳过他们叫号请填写原因" in err
    code, out, _ = run(capsys, "queue", "call", *db, *at, "--hall", HALL, "--window", "2", "--ticket", "A003",
                       "--reason", "申请人带婴儿")
    assert code == 0 and out.strip() == "请 A003 号到 2 号窗口办理"
    code, out, _ = run(capsys, "queue", "waiting", *db, *at, "--hall", HALL, "--window", "2", "--json")
    assert [t["code"] for t in json.loads(out)["tickets"]] == ["A001", "A002"]  # the appointment first
    monkeypatch.setenv("ZC_CLOCK_AT", "2026-03-10T12:00:00+08:00")
    code, out, _ = run(capsys, "queue", "appointment", "sweep", *db, "--hall", HALL)
    assert code == 0 and out.strip() == "1 个预约记为未到：R9"


def _check(id17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(id17, weights, strict=True)) % 11]
