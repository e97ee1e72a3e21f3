"""``python -m app clerk|window|excluded …``: exit codes 0/1/2, one-line Chinese errors, JSON output, passwords from
the terminal or stdin, and the local operator as the audited actor."""

from __future__ import annotations

import getpass
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app import auth, staff
from app.errors import CounterError
from app.store import Store, open_store
from app.store.models import AuditEvent, ExcludedApplicant
from console import main
from tests.app._case_kit import HALL, person_id, prepare
from tests.hall_clock import CLOCK

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Secret-123"


@pytest.fixture
def store(sqlite_url: str) -> Store:
    store = open_store(sqlite_url)
    prepare(store)
    with store.write() as session:
        auth.create_clerk(session, hall_code=HALL, username="admin", name="系统管理员", role="admin",
                          password=PASSWORD)
    return store


@pytest.fixture
def db(store: Store) -> list[str]:
    return ["--db", store.url, "--hall", HALL]


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clerk_add_reads_the_password_from_stdin_and_the_clerk_can_log_in(
        store: Store, db: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "窗口人员", "--phone", "13800000000",
                         "--password-stdin", *db, stdin="Brand-new-456\n", monkeypatch=monkeypatch)
    assert (code, out.strip(), err) == (0, "已添加 clerk07（苏和，窗口人员）", "")
    assert auth.authenticate(store, "clerk07", "Brand-new-456", host="t", clock=CLOCK).role == "clerk"
    with store.read() as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "clerk.add")).one()
    assert entry.actor == staff.Actor.local_operator(HALL).name and entry.actor.startswith("cli:")


def test_clerk_add_asks_twice_on_the_terminal(store: Store, db: list[str], capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    typed = iter(["Brand-new-456", "Brand-new-457"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(typed))
    code, _, err = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "clerk", *db)
    assert (code, err.strip()) == (1, "错误：两次输入的密码不一致")
    assert [c.username for c in staff.list_clerks(store, HALL, clock=CLOCK)] == ["admin"]
    typed = iter(["Brand-new-456", "Brand-new-456"])
    code, out, _ = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "supervisor", *db)
    assert code == 0 and "大厅负责人" in out


def test_clerk_add_reads_two_lines_when_stdin_is_no_terminal(store: Store, db: list[str],
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped without --password-stdin (docs/admin.md): the password and its confirmation, one line each."""
    code, _, err = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "clerk", *db,
                       stdin="Brand-new-456\nBrand-new-457\n", monkeypatch=monkeypatch)
    assert (code, err.strip()) == (1, "错误：两次输入的密码不一致")
    code, out, _ = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "clerk", *db,
                       stdin="Brand-new-456\nBrand-new-456\n", monkeypatch=monkeypatch)
    assert code == 0 and "窗口人员" in out
    assert auth.authenticate(store, "clerk07", "Brand-new-456", host="t", clock=CLOCK).role == "clerk"


def test_clerk_list_set_disable_enable_passwd_unlock(store: Store, db: list[str],
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cli = staff.Actor.local_operator(HALL)
    staff.add_clerk(store, cli, username="clerk01", name="其木格", role="clerk", password=PASSWORD, clock=CLOCK)
    code, out, _ = run(capsys, "clerk", "list", "--json", *db)
    rows = {r["username"]: r for r in json.loads(out)}
    assert code == 0 and rows["clerk01"]["role_label"] == "窗口人员" and rows["admin"]["active"] is True
    code, out, _ = run(capsys, "clerk", "set", "clerk01", "--role", "supervisor", "--phone", "0474-1", *db)
    assert (code, out.strip()) == (0, "已保存 clerk01（其木格，大厅负责人）")
    assert run(capsys, "clerk", "disable", "clerk01", *db)[:2] == (0, "已停用 clerk01（其木格，大厅负责人）\n")
    code, out, _ = run(capsys, "clerk", "list", *db)
    assert code == 0 and "停用" in out.splitlines()[2] and out.strip().endswith("共 2 人")
    assert run(capsys, "clerk", "enable", "clerk01", *db)[0] == 0
    for _ in range(5):
        with pytest.raises(CounterError):
            auth.authenticate(store, "clerk01", "wrong-password", host="t", clock=CLOCK)
    assert "已锁定" in run(capsys, "clerk", "list", *db)[1]
    assert run(capsys, "clerk", "unlock", "clerk01", *db)[:2] == (0, "已解锁 clerk01（其木格，大厅负责人）\n")
    code, out, _ = run(capsys, "clerk", "passwd", "clerk01", "--password-stdin", *db, stdin="Brand-new-456\n",
                       monkeypatch=monkeypatch)
    assert code == 0 and out.startswith("已重置 clerk01")
    assert auth.authenticate(store, "clerk01", "Brand-new-456", host="t", clock=CLOCK).username == "clerk01"


def test_clerk_errors_exit_1_with_one_line(store: Store, db: list[str], capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(capsys, "clerk", "disable", "admin", *db)
    assert code == 1
    assert err.strip() == "错误：系统管理员（admin）是本大厅最后一位在用的系统管理员，不能停用；请先添加另一位系统管理员"
    code, _, err = run(capsys, "clerk", "unlock", "nobody", *db)
    assert (code, err.strip()) == (1, "错误：本大厅没有用户名为 nobody 的人员")
    code, _, err = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "clerk", "--password-stdin", *db,
                       stdin="short\n", monkeypatch=monkeypatch)
    assert (code, err.strip()) == (1, "错误：密码太短：至少 8 位")
    code, _, err = run(capsys, "clerk", "add", "clerk07", "--name", "苏和", "--role", "clerk", "--password-stdin", *db,
                       stdin="", monkeypatch=monkeypatch)
    assert code == 1 and "标准输入中没有密码" in err
    code, _, err = run(capsys, "clerk", "set", "admin", *db)
    assert code == 1 and "--name" in err


def test_window_commands(store: Store, db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "window", "add", "3", "--name", "社保医保", "--categories", "a，j", *db)
    assert (code, out.strip()) == (0, "已添加 3 号窗口 · 社保医保（A 社保医保、J 公积金）")
    code, out, _ = run(capsys, "window", "set", "3", "--categories", "A", *db)
    assert (code, out.strip()) == (0, "已保存 3 号窗口 · 社保医保（A 社保医保）")
    code, _, err = run(capsys, "window", "set", "3", "--name-mn", "社保", *db)
    assert code == 1 and "传统蒙古文" in err
    assert run(capsys, "window", "set", "3", "--name-mn", "ᠴᠣᠩᠬᠤ", *db)[0] == 0
    code, out, _ = run(capsys, "window", "list", "--json", *db)
    assert json.loads(out)[0]["name_mn"] == "ᠴᠣᠩᠬᠤ"
    assert run(capsys, "window", "set", "3", "--name-mn", "", *db)[0] == 0  # cleared
    code, _, err = run(capsys, "window", "add", "3", "--name", "x", "--categories", "A", *db)
    assert (code, err.strip()) == (1, "错误：本大厅已有 3 号窗口")
    code, _, err = run(capsys, "window", "add", "4", "--name", "x", "--categories", "Z", *db)
    assert code == 1 and err.startswith("错误：业务类别不存在：Z；可选：A 社保医保")
    assert run(capsys, "window", "disable", "3", *db)[0] == 0
    code, out, _ = run(capsys, "window", "list", "--json", *db)
    assert json.loads(out) == [{"number": 3, "name": "社保医保", "name_mn": "", "categories": ["A"],
                                "category_labels": ["A 社保医保"],
                                "active": False, "paused": False, "clerk": ""}]
    assert run(capsys, "window", "enable", "3", *db)[0] == 0
    code, out, _ = run(capsys, "window", "list", *db)
    assert code == 0 and "在用" in out and "业务类别：A 社保医保" in out
    with store.read() as session:
        assert [w.number for w in auth.hall_windows(session, HALL)] == [3]


def test_usage_errors_exit_2(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "window")[0] == 2  # no command: the help, exit 2
    with pytest.raises(SystemExit) as bad_number:
        main(["window", "disable", "x", *db])
    assert bad_number.value.code == 2
    assert "窗口号应为 1–999 的整数" in capsys.readouterr().err
    with pytest.raises(SystemExit) as missing:
        main(["excluded", "add", person_id(), "--db", db[1]])
    assert missing.value.code == 2


def test_excluded_commands(store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = ["--db", store.url]
    code, out, _ = run(capsys, "excluded", "add", person_id(seq=5).lower(), "--reason", "虚假承诺", *url)
    assert (code, out.strip()) == (0, f"已列入失信名单：{person_id(seq=5)}（虚假承诺）")
    wrong = person_id(seq=5)[:-1] + ("1" if person_id(seq=5).endswith("0") else "0")
    code, _, err = run(capsys, "excluded", "add", wrong, "--reason", "虚假承诺", *url)
    assert code == 1 and err.startswith("错误：证件号码无效：")
    with store.write() as session:
        session.add(ExcludedApplicant(id_no=person_id(seq=7), reason="法院失信被执行人", source="hub",
                                      updated_at=CLOCK.now()))
    code, _, err = run(capsys, "excluded", "remove", person_id(seq=7), *url)
    assert code == 1 and "由县级枢纽下发" in err and "本地不能移除" in err
    code, out, _ = run(capsys, "excluded", "list", "--json", *url)
    assert code == 0 and {r["id_no"]: r["source_label"] for r in json.loads(out)} == {
        person_id(seq=5): "本地", person_id(seq=7): "枢纽下发"}
    code, out, _ = run(capsys, "excluded", "list", "法院", *url)
    assert code == 0 and person_id(seq=7) in out and person_id(seq=5) not in out and "枢纽下发" in out
    assert run(capsys, "excluded", "remove", person_id(seq=5), *url)[:2] == (0, f"已从失信名单移除：{person_id(seq=5)}\n")

    good = tmp_path / "good.csv"
    good.write_text(f"证件号码,原因\n{person_id(seq=1)},虚假承诺\n", encoding="utf-8-sig")
    code, out, _ = run(capsys, "excluded", "import", str(good), *url)
    assert (code, out.splitlines()) == (0, [f"第 2 行：{person_id(seq=1)} 已列入", "导入完成：新增 1 条，更新 0 条，失败 0 条"])
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(f"id_no,reason\n{person_id(seq=2)},虚假承诺\n{person_id(seq=7)},改\n", encoding="gb18030")
    code, out, _ = run(capsys, "excluded", "import", str(mixed), "--json", *url)
    report = json.loads(out)
    assert code == 1 and (report["added"], report["failed"]) == (1, 1)
    assert report["rows"][1]["row"] == 3 and report["rows"][1]["column"] == "id_no"
    code, _, err = run(capsys, "excluded", "import", str(tmp_path / "missing.csv"), *url)
    assert code == 1 and err.startswith("错误：无法读取文件")


def test_demo_means_the_demo_hall(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "clerk", "list", "--demo", "--json")
    assert code == 0 and {"admin", "clerk01", "supervisor"} <= {r["username"] for r in json.loads(out)}


def test_as_a_real_command(store: Store) -> None:
    out = subprocess.run([sys.executable, "-m", "app", "clerk", "add", "clerk07", "--name", "苏和", "--role", "admin",
                          "--password-stdin", "--db", store.url, "--hall", HALL], input="Brand-new-456\n",
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert (out.returncode, out.stdout.strip(), out.stderr) == (0, "已添加 clerk07（苏和，系统管理员）", "")
    listed = subprocess.run([sys.executable, "-m", "app", "clerk", "disable", "admin", "--db", store.url,
                             "--hall", HALL], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert listed.returncode == 0  # no longer the last admin
    assert auth.authenticate(store, "clerk07", "Brand-new-456", host="t", clock=CLOCK).role == "admin"
