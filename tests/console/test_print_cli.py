"""``python -m app print …`` as an admin or a script runs it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.store import Store
from app.store.models import AuditEvent
from console import run_group
from tests.printing.pdf_tools import REPO_ROOT, add_case, add_ticket, decode, pdf_text, render_page, seed_hall

CASE_NO = "150929260309050001"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command exactly as an admin types it, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "app", "print", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def run_here(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The same command through the same dispatcher, in this process (several times faster than a subprocess)."""
    try:
        code = run_group("print", list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_print_receipt_and_reprint_from_the_store(sqlite_store: Store, sqlite_url: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=CASE_NO)
    out = tmp_path / "receipt.pdf"
    done = run("receipt", "--case", CASE_NO, "--pdf", str(out), "--db", sqlite_url)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert "食品经营许可" in pdf_text(pdf) and "补打" not in pdf_text(pdf)
    assert decode(render_page(pdf)).get("Code128") == [CASE_NO]
    code, out_text, _err = run_here(capsys, "receipt", "--case", CASE_NO, "--pdf", str(out), "--db", sqlite_url,
                                    "--reprint", "--json")
    assert code == 0 and '"reprint": true' in out_text
    assert "补打" in pdf_text(out.read_bytes())
    with sqlite_store.read() as s:
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["print.document", "print.reprint"]


def test_unknown_case_and_unfit_document_exit_1_with_reason(sqlite_store: Store, sqlite_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    version = seed_hall(sqlite_store)
    add_case(sqlite_store, version, case_no=CASE_NO, states={"application": "original", "layout": "original",
                                                             "fire": "original"}, decision="normal")
    code, _out, err = run_here(capsys, "receipt", "--case", "150929260309059999", "--pdf", str(tmp_path / "x.pdf"),
                               "--db", sqlite_url)
    assert code == 1 and err.strip() == "错误：受理编号 150929260309059999 不存在：请核对编号"
    code, _out, err = run_here(capsys, "pledge", "--case", CASE_NO, "--pdf", str(tmp_path / "p.pdf"), "--db", sqlite_url)
    assert code == 1 and "没有以告知承诺代替的材料" in err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "p.pdf").exists()
    code, _out, err = run_here(capsys, "receipt", "--pdf", str(tmp_path / "x.pdf"), "--db", sqlite_url)
    assert code == 2 and "--case" in err


def test_print_ticket_pdf_and_escpos(sqlite_store: Store, sqlite_url: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    seed_hall(sqlite_store)
    add_ticket(sqlite_store, code="A011", category="A", queued_minute=1)
    add_ticket(sqlite_store, code="A012", category="A", queued_minute=2)
    pdf, raw = tmp_path / "t.pdf", tmp_path / "t.bin"
    done = run("ticket", "--ticket", "A012", "--date", "2026-03-09", "--hall", "150929", "--pdf", str(pdf),
               "--escpos", str(raw), "--width", "58", "--db", sqlite_url)
    assert done.returncode == 0, done.stderr
    text = pdf_text(pdf.read_bytes())
    assert "A012" in text and "您前面还有1人等候" in text
    assert "A012".encode("gb18030") in raw.read_bytes()
    code, _out, err = run_here(capsys, "ticket", "--ticket", "A012", "--date", "2026-13-01", "--pdf", str(pdf),
                               "--db", sqlite_url)
    assert code == 1 and "YYYY-MM-DD" in err
    code, _out, err = run_here(capsys, "ticket", "--ticket", "A012", "--date", dt.date(2026, 3, 10).isoformat(),
                               "--hall", "150929", "--pdf", str(pdf), "--db", sqlite_url)
    assert code == 1 and "没有号票 A012" in err
