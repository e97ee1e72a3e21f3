"""``python -m app id check``: exit codes, JSON lines and readable Chinese lines, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.identity import credit_check_char, id_check_digit, org_check_char

REPO = Path(__file__).resolve().parents[2]
FIELDS = {"input", "valid", "kind", "normalized", "birth_date", "gender", "region_code", "region_name",
          "errors", "warnings"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "id", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=60)


def resident(born: str = "19900307", seq: str = "123") -> str:
    body = "150929" + born + seq
    return body + id_check_digit(body)


def test_all_valid_exits_0_with_one_json_object_per_number() -> None:
    org = "MA0N0001"
    body = "91150929" + org + org_check_char(org)
    code = body + credit_check_char(body)
    out = run("check", resident(), "150929900307123", code, "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert FIELDS <= row.keys()
        assert row["valid"] is True and row["errors"] == []
    assert rows[0]["warnings"] == []
    assert rows[0]["birth_date"] == "1990-03-07" and rows[0]["gender"] == "男"
    assert rows[0]["region_name"] == "内蒙古自治区乌兰察布市四子王旗"
    assert rows[1]["kind"] == "resident15" and rows[1]["normalized"] == resident()
    assert rows[2]["kind"] == "credit_code" and rows[2]["birth_date"] is None


def test_any_invalid_exits_1_and_says_why() -> None:
    good = resident()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    out = run("check", good, bad, "--json")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["valid"] for r in rows] == [True, False]
    assert rows[1]["errors"] == [f"身份证号码校验位错误：应为 {good[-1]}"]


def test_readable_lines_without_json() -> None:
    out = run("check", resident(), resident(born="19990230"))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert "有效" in lines[0] and "内蒙古自治区乌兰察布市四子王旗" in lines[0] and "男" in lines[0]
    assert "无效" in lines[1] and "出生日期不存在：19990230" in lines[1]


def test_fullwidth_and_emoji_input_on_the_command_line() -> None:
    number = resident()
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)
    out = run("check", fullwidth, "😀", "--json")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0]["valid"] and rows[0]["normalized"] == number
    assert rows[1]["errors"] == ["证件号码含有无效字符“😀”（第 1 位）"]


def test_no_numbers_is_a_usage_error() -> None:
    out = run("check")
    assert out.returncode == 2
    assert "NUMBER" in out.stderr


def test_read_needs_a_port() -> None:
    out = run("read")
    assert out.returncode == 2 and "--port" in out.stderr
