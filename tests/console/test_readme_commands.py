"""Every command line of the README's "Commands for admins and checks" block runs, as written, on a demo data dir.

The block is read from README.md itself, so this test follows the README. Each line runs in a subprocess
(``python`` is this interpreter) with ``--demo`` added (the global options are taken anywhere on a line), a
throwaway ``ZC_DATA_DIR`` and the hall clock stood at a fixed instant (``ZC_CLOCK_AT``). The placeholders get real
values made here first: ``CASE_NO`` a case imported from a 补录 CSV, ``paper-cases.csv`` and ``excluded.csv`` real
files, ``photo.jpg`` a rendered receipt with its barcode, ``/dev/ttyUSB0`` the pty of the reader simulator, ticket
``A012`` issued today; ``sync run`` talks to a hub started here, ``python -m sync.server`` gets a free port, is
waited for until it answers HTTP and is then stopped. The lines run in the temporary directory, so the files they
write (receipt.pdf, day.xlsx, hub.db, …) land there.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.demo import DEMO_HALL_CODE
from app.devices.simulator import SAMPLE_CARDS, ReaderSimulator
from app.settings import load_settings
from tests.printing.pdf_tools import decode, render_page
from tests.sync.conftest import RunningHub, start_hub

REPO = Path(__file__).resolve().parents[2]
HEADING = "## Commands for admins and checks"
INSTANT = "2026-11-23T10:00:00+08:00"  # a Monday: today's tickets exist; the README's 2026-11-22 is the day before
PASSWORD = "Qimuge-2026"

PAPER_CSV = """accepted_at,window,clerk,matter_code,applicant_name,applicant_id_no,materials
2026-11-22 09:30,2,clerk01,150929-SB-002,其其格,15092919800101123X,id_card=原件;household=复印件;ss_card=原件;no_other_pension=原件;photo=原件
2026-11-22 10:00,2,clerk01,150929-SB-002,苏和,150929198001010552,id_card=original;household=copy;ss_card=original;no_other_pension=pledge;photo=deferred
"""
FIRST_CASE_CSV = """accepted_at,window,clerk,matter_code,applicant_name,applicant_id_no,materials
2026-11-22 08:30,1,clerk01,150929-SB-002,巴特尔,150929197001010013,id_card=original;household=copy;ss_card=original;no_other_pension=original;photo=original
"""
EXCLUDED_CSV = 'id_no,reason\n150929199001011234,虚假承诺（2026-03 不动产登记）\n15092919850315234x,"法院失信被执行人, (2025) 内0929执 12 号"\n'


def readme_commands(text: str) -> list[str]:
    """The lines of the first ```sh block under the heading (comments kept; blank lines dropped)."""
    assert HEADING in text, f"README.md has no {HEADING!r} section"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    assert "```sh\n" in section, f"no ```sh block under {HEADING!r}"
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert lines, f"the ```sh block under {HEADING!r} is empty"
    return lines


def test_readme_block_is_found() -> None:
    lines = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert all(line.startswith(("python -m app", "python -m sync.server")) for line in lines), lines
    with pytest.raises(AssertionError, match="empty"):
        readme_commands(f"{HEADING}\n```sh\n\n```\n")
    with pytest.raises(AssertionError, match="no"):
        readme_commands("# nothing here\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Hall:
    """The throwaway demo data dir, the values the placeholders stand for, and a runner for one command line."""

    def __init__(self, tmp: Path, hub: RunningHub, reader: ReaderSimulator) -> None:
        self.tmp = tmp
        self.reader = reader
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ZC_") or k.endswith("_KEY_FILE")}
        self.env.update(ZC_DATA_DIR=str(tmp / "data"), ZC_CLOCK_AT=INSTANT, ZC_SYNC_HUB_URL=hub.url,
                        ZC_SYNC_TOKEN=hub.token, ZC_SYNC_BACKOFF_BASE_SECONDS="0.05",
                        ZC_SYNC_BACKOFF_CAP_SECONDS="0.2", QT_QPA_PLATFORM="offscreen")
        self.case_no = ""
        self.paper_cases: list[str] = []

    def argv(self, line: str) -> list[str]:
        words = shlex.split(line, comments=True)
        assert words[:2] == ["python", "-m"], line
        out = [sys.executable, "-m", *words[2:]]
        subst = {"CASE_NO": self.case_no, "/dev/ttyUSB0": self.reader.port,
                 "resources/catalog": str(REPO / "resources" / "catalog")}
        out = [subst.get(w, w) for w in out]
        if "--port" in out and words[2] == "sync.server":
            out[out.index("--port") + 1] = str(_free_port())
        if words[2] == "app":
            out.append("--demo")
        return out

    def run(self, argv: list[str], *, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=self.tmp, env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=60)

    def app(self, *args: str) -> str:
        out = self.run([sys.executable, "-m", "app", *args, "--demo"])
        assert out.returncode == 0, out.stderr + out.stdout
        return out.stdout

    def prepare(self) -> None:
        (self.tmp / "first.csv").write_text(FIRST_CASE_CSV, encoding="utf-8")
        (self.tmp / "paper-cases.csv").write_text(PAPER_CSV, encoding="utf-8")
        (self.tmp / "excluded.csv").write_text(EXCLUDED_CSV, encoding="utf-8")
        imported = json.loads(self.app("case", "import", "first.csv", "--json"))
        self.case_no = imported["rows"][0]["case_no"]
        self.app("print", "receipt", "--case", self.case_no, "--pdf", "first-receipt.pdf")
        page = render_page((self.tmp / "first-receipt.pdf").read_bytes(), dpi=200)
        assert self.case_no in decode(page).get("Code128", [])
        page.convert("RGB").save(self.tmp / "photo.jpg", quality=90)
        self.reader.place("resident")
        self._issue_tickets_up_to("A012")

    def _issue_tickets_up_to(self, code: str) -> None:
        from app.queue import confirm_printed
        from app.queue.tickets import issue_ticket
        from app.store import open_store

        settings = load_settings(environ=self.env)
        store = open_store(settings.db_url)
        try:
            clock = settings.hall_clock(self.env)
            for _ in range(int(code[1:])):
                ticket = issue_ticket(store, hall_code=DEMO_HALL_CODE, category=code[0],
                                      daily_reset=settings.queue.daily_reset, clock=clock)
                confirm_printed(store, ticket.id, clock=clock)
            assert ticket.code == code
        finally:
            store.dispose()

    def serve_hub(self, argv: list[str]) -> None:
        port = argv[argv.index("--port") + 1]
        proc = subprocess.Popen(argv, cwd=self.tmp, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                assert proc.poll() is None, f"the hub exited with {proc.returncode}: {proc.communicate()[1]}"
                try:
                    answer = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, "the hub did not answer HTTP within 30 s"
                    time.sleep(0.1)
            assert answer.status_code in (200, 401), answer.status_code
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        assert (self.tmp / "hub.db").exists()


Check = Callable[[Hall, str, Any], object]  # false or raising: the command did not do its job


def _pdf(name: str) -> Check:
    def check(hall: Hall, _out: str, _data: Any) -> None:
        assert (hall.tmp / name).read_bytes()[:5] == b"%PDF-"
    return check


def _import(hall: Hall, _out: str, data: Any) -> None:
    assert (data["ok"], data["failed"]) == (2, 0)
    hall.paper_cases = [row["case_no"] for row in data["rows"]]


def _case_list(hall: Hall, _out: str, data: Any) -> None:
    listed = {case["case_no"] for case in data}
    assert {hall.case_no, *hall.paper_cases} <= listed, (hall.paper_cases, listed)


def _scan(hall: Hall, _out: str, data: Any) -> None:
    """The receipt's Code128 (and its QR) read back as the case number, not as an ID number."""
    found = {code["format"]: code["recognised"] for code in data["codes"]}
    assert (found["Code128"]["kind"], found["Code128"]["value"]) == ("case_no", hall.case_no), found


def _sync_run(_hall: Hall, _out: str, data: Any) -> None:
    assert data["online"] is True and data["sent"] > 0 and data["pending"] == 0 and data["rejected"] == 0, data


def _clerk(hall: Hall, out: str, _data: Any) -> None:
    from app import auth
    from app.store import open_store

    assert "qimuge" in out
    settings = load_settings(environ=hall.env)
    store = open_store(settings.db_url)
    try:
        assert auth.authenticate(store, "qimuge", PASSWORD, host="t", clock=settings.hall_clock(hall.env)).role \
            == "clerk"
    finally:
        store.dispose()


# (words after "python -m app", up to the first option or value) → what the command must have done
CHECKS: dict[str, Check] = {
    "--version": lambda h, out, d: "0.1" in out,
    "db upgrade": lambda h, out, d: "数据库" in out,
    "catalog validate": lambda h, out, d: d["errors"] == [] and d["matters"] > 0,
    "catalog search": lambda h, out, d: "150929-YB-001" in out,
    "id check": lambda h, out, d: d["valid"] and d["birth_date"] == "1949-12-31",
    "id read": lambda h, out, d: d["id_valid"] and (d["name"], d["id_number"]) == (
        SAMPLE_CARDS["resident"]["name"], SAMPLE_CARDS["resident"]["id_number"]),
    "workdays add": lambda h, out, d: out.strip() == "2026-10-13",
    "case import": _import,
    "case show": lambda h, out, d: d["case_no"] == h.case_no,
    "case list": _case_list,
    # Two README lines share the key: one without a case (by its matter), one for CASE_NO; the list has both.
    "assist add": lambda h, out, d: "已登记帮办" in out and ("社保卡挂失" in out or h.case_no in out),
    "assist list": lambda h, out, d: [r["mode"] for r in d] == ["assisted", "assisted"]
    and {r["case_no"] for r in d} == {"", h.case_no} and d[0]["matter_name"] == "社保卡挂失",
    "demo generate": lambda h, out, d: "200 件办件" in out,
    "queue issue": lambda h, out, d: d["category"] == "A" and d["code"] == "A013" and d["state_label"] == "等候",
    "queue call": lambda h, out, d: d["window"] == 3,
    "queue list": lambda h, out, d: {"A012", "A013"} <= {t["code"] for t in d["tickets"]},
    "print receipt": _pdf("receipt.pdf"),
    "print ticket": _pdf("ticket.pdf"),
    "scan image": _scan,
    "sync run": _sync_run,
    "sync status": lambda h, out, d: d["pending"] == 0 and d["online"] is True,
    "report daily": lambda h, out, d: (h.tmp / "day.xlsx").read_bytes()[:2] == b"PK",
    "window add": lambda h, out, d: "已添加 9 号窗口" in out,
    "clerk add": _clerk,
    "excluded import": lambda h, out, d: (d["added"], d["failed"]) == (2, 0),
}


def _key(words: list[str]) -> str:
    picked = []
    for w in words[3:]:
        if w.startswith("-") and picked:
            break
        picked.append(w)
        if w.startswith("-") or len(picked) == 2:
            break
    return " ".join(picked)


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    with ReaderSimulator() as reader:
        yield from (Hall(tmp_path, hub, reader) for hub in start_hub(f"sqlite:///{tmp_path / 'county.db'}",
                                                                     tmp_path / "county-files"))


@pytest.mark.timeout(120)
def test_every_readme_command_runs_as_written(hall: Hall) -> None:
    lines = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    hall.prepare()
    checked: set[str] = set()
    for line in lines:
        argv = hall.argv(line)
        if argv[2] == "sync.server":
            hall.serve_hub(argv)
            checked.add("sync.server")
            continue
        out = hall.run(argv, stdin=f"{PASSWORD}\n{PASSWORD}\n")  # what clerk add asks twice for; others ignore it
        assert out.returncode == 0, f"{line}\n→ exit {out.returncode}: {out.stderr.strip()}"
        data = json.loads(out.stdout) if "--json" in argv else None
        key = _key(shlex.split(line, comments=True))
        assert key in CHECKS, f"{line}: a new README command — add what it must do to CHECKS"
        try:
            assert CHECKS[key](hall, out.stdout, data) is not False
        except (AssertionError, KeyError, TypeError) as exc:
            raise AssertionError(f"{line}\n→ {out.stdout.strip()[:500]}") from exc
        checked.add(key)
    assert "sync.server" in checked, "the README no longer starts the hub"
