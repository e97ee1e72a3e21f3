"""``python -m app catalog validate|search|import`` as an admin runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console import run_group
from tests.app.test_catalog_loader import MATTER, write_catalog

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_group("catalog", list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_shipped_json() -> None:
    # One real process: the command wiring from ``python -m app`` down to the JSON on stdout.
    proc = subprocess.run([sys.executable, "-m", "app", "catalog", "validate", "--json"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    assert report["matters"] >= 40 and report["departments"] >= 10
    assert report["deferrable_matters"] >= 12 and report["pledgeable_matters"] >= 12


def test_validate_broken_lists_every_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_catalog(tmp_path / "cat", MATTER.replace('kind = "行政给付"', 'kind = "给付"').replace(
        "supply_days = 5", "supply_days = 50"))
    code, out, _err = run(capsys, "validate", str(root), "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["matters"] == 0
    assert len(report["errors"]) == 2
    assert any("事项 T-YB-001 字段 kind" in e for e in report["errors"])
    assert any("materials[1].supply_days: 容缺补交期限 50 个工作日超过承诺时限 15 个工作日" in e
               for e in report["errors"])
    code, out, err = run(capsys, "validate", str(root))
    assert code == 1 and out == ""
    assert err.count("错误：") == 2 and "共 2 处错误" in err


def test_validate_plain_text_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "validate", str(write_catalog(tmp_path / "cat")))
    assert code == 0 and "事项目录 t1 校验通过：1 个部门，1 个事项（容缺 1，告知承诺 1" in out


def test_search_json_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "search", "150929-SJ-004", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0] == {"code": "150929-SJ-004", "name": "食品经营许可",
                                     "department": "四子王旗市场监督管理局", "category": "C", "promised": "5个工作日"}
    code, out, _err = run(capsys, "search", "没有这种事项")
    assert code == 0 and "没有找到" in out


def test_search_in_a_broken_catalog_fails_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_catalog(tmp_path / "cat", MATTER.replace('kind = "行政给付"', 'kind = "给付"'))
    code, out, err = run(capsys, "search", "bx", "--path", str(root))
    assert code == 1 and out == ""
    assert err.startswith("错误：") and "字段 kind" in err and err.count("\n") == 1


def test_import_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{(tmp_path / 'c.db').as_posix()}"
    code, out, _err = run(capsys, "import", "--db", db, "--json")
    first = json.loads(out)
    assert code == 0 and first["already_imported"] is False and first["current"] is True
    assert first["matters"] >= 40
    code, out, _err = run(capsys, "import", "--db", db)
    assert code == 0 and f"已导入过（编号 {first['catalog_version_id']}），未作改动" in out
    version = first["version"]
    changed = write_catalog(tmp_path / "cat", head=(
        f'version = "{version}"\nissued = 2026-01-05\n[categories]\nA = "社保医保"\n'
        '[[departments]]\ncode = "YB"\nname = "测试医疗保障局"\n'))
    code, _out, err = run(capsys, "import", str(changed), "--db", db)
    assert code == 1 and f"事项目录版本 {version} 已导入过且内容不同" in err
