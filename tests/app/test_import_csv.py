"""补录 from CSV: per-row results, per-row errors naming row and column, encodings, re-import, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cases.import_csv import decode_csv, import_cases
from app.errors import ValidationError
from app.store import Store
from app.store.models import Case, Clerk
from tests.app._case_kit import HALL, PENSION, credit_code, person_id, prepare
from tests.hall_clock import CLOCK

REPO = Path(__file__).resolve().parents[2]
HEADER = "accepted_at,window,clerk,matter_code,applicant_name,applicant_id_no,materials"
GOOD = f"2026-11-20 09:30,2,clerk01,{PENSION},其其格,{person_id()},id_card=original;household=copy;ss_card=原件;no_other_pension=original;photo=original"
DEFERRED = f"2026-11-20 10:00,2,clerk01,{PENSION},苏和,{person_id(seq=55)},id_card=original;household=copy;ss_card=original;no_other_pension=承诺;photo=容缺"
BAD_ID = f"2026-11-20 10:30,2,clerk01,{PENSION},王五,{person_id()[:-1]}0,id_card=original"
BAD_KEY = f"2026-11-20 11:00,2,,{PENSION},赵六,{person_id(seq=66)},id_card=original;passport=original"


@pytest.fixture
def store(any_store: Store) -> Store:
    prepare(any_store)
    with any_store.write() as s:
        s.add(Clerk(hall_code=HALL, username="clerk01", name="其木格", password_hash="x"))
    return any_store


def case_count(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def run(store: Store, text: str, tmp_path: Path, encoding: str = "utf-8"):
    return import_cases(store, text.encode(encoding), hall_code=HALL, files_dir=tmp_path, clock=CLOCK)


def test_valid_rows_are_kept_and_bad_rows_name_row_and_column(store: Store, tmp_path: Path) -> None:
    report = run(store, "\n".join([HEADER, GOOD, BAD_ID, DEFERRED, BAD_KEY]) + "\n", tmp_path)
    assert (report.accepted, report.failed) == (2, 2)
    by_row = {r.row: r for r in report.rows}
    assert by_row[2].ok and by_row[2].decision == "normal" and by_row[2].case_no.startswith("150929261120020")
    assert str(by_row[2].promised_due) == "2026-11-27"
    assert by_row[4].ok and by_row[4].decision == "deferred" and by_row[4].state == "awaiting_supplement"
    assert by_row[4].supplement_due is not None
    assert not by_row[3].ok and by_row[3].issue is not None
    assert by_row[3].issue.column == "applicant_id_no" and "第 3 行" in str(by_row[3].issue)
    assert not by_row[5].ok and by_row[5].issue is not None and by_row[5].issue.column == "materials"
    assert "passport" in by_row[5].issue.message
    assert case_count(store) == 2
    with store.read() as s:
        sources = set(s.scalars(select(Case.source)))
    assert sources == {"paper"}


def test_importing_the_same_file_twice_does_not_duplicate(store: Store, tmp_path: Path) -> None:
    text = "\n".join([HEADER, GOOD, DEFERRED]) + "\n"
    first = run(store, text, tmp_path)
    second = run(store, text, tmp_path)
    assert [r.case_no for r in first.rows] == [r.case_no for r in second.rows]
    assert all(r.replayed for r in second.rows) and case_count(store) == 2


def test_utf8_bom_and_gb18030_are_read(store: Store, tmp_path: Path) -> None:
    text = "\n".join([HEADER, GOOD]) + "\n"
    assert run(store, "\ufeff" + text, tmp_path).accepted == 1
    other = text.replace("其其格", "巴雅尔").replace(person_id(), person_id(seq=77))
    report = run(store, other, tmp_path, encoding="gb18030")
    assert report.accepted == 1
    with store.read() as s:
        assert "巴雅尔" in set(s.scalars(select(Case.applicant_name)))


def test_chinese_headers_are_understood(store: Store, tmp_path: Path) -> None:
    header = "受理时间,窗口,受理人,事项编码,申请人,证件号码,材料"
    assert run(store, header + "\n" + GOOD + "\n", tmp_path).accepted == 1


def test_missing_columns_and_unreadable_files_are_refused_whole(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "accepted_at,window,matter_code\n2026-11-20,1,X\n", tmp_path)
    assert "applicant_name" in err.value.message and "materials" in err.value.message
    with pytest.raises(ValidationError) as err2:
        import_cases(store, b"PK\x03\x04\x00\x00binary", hall_code=HALL, files_dir=tmp_path, clock=CLOCK)
    assert "CSV" in err2.value.message
    with pytest.raises(ValidationError):
        run(store, "", tmp_path)
    with pytest.raises(ValidationError) as err3:
        decode_csv(b"\xff\xfe\x00\x00\x81\x30")
    assert "编码" in err3.value.message


def test_broken_rows_are_reported_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    short = "2026-11-20 09:00,2,clerk01"
    future = GOOD.replace("2026-11-20 09:30", "2099-01-01 09:00").replace(person_id(), person_id(seq=88))
    org = (f"2026-11-20 12:00,3,clerk01,150929-JY-004,草原奶食店,{credit_code()},id_card=original")
    report = run(store, "\n".join([HEADER, short, GOOD, future, org]) + "\n", tmp_path)
    by_row = {r.row: r for r in report.rows}
    assert not by_row[2].ok and "有 3 列" in by_row[2].issue.message  # type: ignore[union-attr]
    assert by_row[3].ok
    assert not by_row[4].ok and by_row[4].issue.column == "accepted_at"  # type: ignore[union-attr]
    # An organisation row without applicant_kind is a person row: the credit code is refused for a person.
    assert not by_row[5].ok and by_row[5].issue.column == "applicant_id_no"  # type: ignore[union-attr]


def test_cli_import_prints_per_row_results_and_fails_when_a_row_failed(sqlite_store: Store, tmp_path: Path) -> None:
    # The commands are the same on both engines; the engine-specific part is covered by the tests above.
    store = sqlite_store
    prepare(store)
    with store.write() as s:
        s.add(Clerk(hall_code=HALL, username="clerk01", name="其木格", password_hash="x"))
    csv_path = tmp_path / "paper.csv"
    csv_path.write_bytes(("\n".join([HEADER, GOOD, BAD_ID]) + "\n").encode("gb18030"))
    env = dict(os.environ, ZC_DATA_DIR=str(tmp_path / "data"))
    cmd = [sys.executable, "-m", "app", "case", "import", str(csv_path), "--db", store.url, "--hall", HALL]
    out = subprocess.run([*cmd, "--json"], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] == 1 and data["failed"] == 1
    assert data["rows"][1]["column"] == "applicant_id_no" and data["rows"][1]["row"] == 3
    case_no = data["rows"][0]["case_no"]
    human = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert "此前已导入" in human.stdout and "第 3 行" in human.stdout
    shown = subprocess.run([sys.executable, "-m", "app", "case", "show", case_no, "--db", store.url],
                           capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert shown.returncode == 0 and "正常受理" in shown.stdout and "其其格" in shown.stdout
    listed = subprocess.run([sys.executable, "-m", "app", "case", "list", "--date", "2026-11-20", "--json",
                             "--db", store.url], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert [r["case_no"] for r in json.loads(listed.stdout)] == [case_no]
    missing = subprocess.run([sys.executable, "-m", "app", "case", "show", "150929261120029999",
                              "--db", store.url], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert missing.returncode == 1 and missing.stderr.startswith("错误：没有受理编号为 150929 261120 02 9999")
    bad_state = subprocess.run([sys.executable, "-m", "app", "case", "list", "--state", "done", "--db", store.url],
                               capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert bad_state.returncode == 1 and "未知的办件状态" in bad_state.stderr
