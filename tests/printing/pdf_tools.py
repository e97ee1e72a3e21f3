"""Test helpers: read printed PDFs the way a user's tools would (pdftotext, pdffonts, a 200-dpi render, a barcode
reader), and write hall, case and ticket rows straight through the ORM."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image

from app.store import Store
from app.store.models import Case, CaseMaterial, CatalogVersion, Clerk, Hall, Ticket


def pdf_text(pdf: bytes) -> str:
    """All text as poppler extracts it (``-raw`` keeps reading order; whitespace collapsed for matching)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True, timeout=60).stdout.decode("utf-8")
    return "".join(out.split())


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool


def pdf_fonts(pdf: bytes) -> list[FontRow]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run(["pdffonts", fh.name], capture_output=True, check=True, timeout=60).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID: count from the right, names never contain spaces.
        rows.append(FontRow(name=parts[0], type=parts[1], embedded=parts[-5] == "yes"))
    return rows


def render_page(pdf: bytes, page: int = 1, dpi: int = 200) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                        "-singlefile", str(src), str(Path(tmp) / "page")], check=True, timeout=120)
        with Image.open(Path(tmp) / "page.png") as img:
            return img.convert("L")


def decode(image: Image.Image) -> dict[str, list[str]]:
    """Every barcode zxing-cpp finds, by format name (e.g. ``Code128``, ``QRCode``)."""
    found: dict[str, list[str]] = {}
    for code in zxingcpp.read_barcodes(image):
        found.setdefault(code.format.name, []).append(code.text)
    return found


# --- a store holding one hall, a clerk and cases written straight through the ORM ----------------------


REPO_ROOT = Path(__file__).resolve().parents[2]
HALL_CODE = "150929"


def seed_hall(store: Store) -> int:
    """Hall, clerk and a catalog version; returns the catalog version id."""
    with store.write() as s:
        s.add(Hall(code=HALL_CODE, name="四子王旗政务服务中心", address="乌兰花镇政务服务大楼一楼", phone="0474-5201234",
                   consult_phone="0474-5201235", supervise_phone="0474-12345"))
        s.flush()  # no ORM relationship orders hall before clerk
        s.add(Clerk(id=7, hall_code=HALL_CODE, username="saren", name="萨仁", password_hash="x", phone="0474-5201203"))
        version = CatalogVersion(version="test-1", issued="2026-01-01", sha256="0" * 64, current=True)
        s.add(version)
        s.flush()
        return version.id


PLEDGE = {"basis": "《中华人民共和国消防法》第十五条", "content": "经营场所符合消防技术标准。",
          "text": "本场所消防设施器材配置齐全。", "verification": "实地核查", "personal": True}


def snapshot(code: str, name: str) -> dict[str, object]:
    return {
        "schema": 1, "code": code, "name": name, "department": "四子王旗市场监督管理局", "department_code": "SJ",
        "kind": "行政许可", "promised": {"amount": 5, "unit": "workday"}, "legal": {"amount": 20, "unit": "workday"},
        "materials": [
            {"key": "application", "name": "申请书", "core": True, "copies": 1, "form": "original"},
            {"key": "layout", "name": "经营场所平面图", "deferrable": True, "copies": 1, "form": "original"},
            {"key": "fire", "name": "消防安全检查合格证明", "pledgeable": True, "pledge": PLEDGE},
        ],
        "queue_category": "B", "fee": "不收费", "result_name": "食品经营许可证", "delivery": ["pickup", "mail"],
        "basis": "《中华人民共和国食品安全法》第三十五条", "consult_phone": "", "supervise_phone": "",
    }


def add_case(store: Store, version_id: int, *, case_no: str, decision: str = "deferred",
             kind: str = "organisation", states: dict[str, str] | None = None, state: str = "awaiting_supplement",
             delivery: str = "pickup", mail_address: str = "", detail: dict[str, object] | None = None) -> None:
    states = states or {"application": "original", "layout": "deferred", "fire": "pledge"}
    names = {"application": "申请书", "layout": "经营场所平面图", "fire": "消防安全检查合格证明"}
    with store.write() as s:
        case = Case(
            case_no=case_no, hall_code=HALL_CODE, window_number=5, clerk_id=7, catalog_version_id=version_id,
            matter_code="SC-0102", matter_name="食品经营许可", department="四子王旗市场监督管理局",
            matter_snapshot=snapshot("SC-0102", "食品经营许可"), applicant_kind=kind,
            applicant_name="草原人家农牧业专业合作社" if kind == "organisation" else "巴特尔",
            applicant_id_kind="credit_code" if kind == "organisation" else "resident",
            applicant_id_no="93150929MA0N2XY13R" if kind == "organisation" else "150929198503150010",
            applicant_phone="13904741234", applicant_address="四子王旗吉生太镇", legal_rep="乌云其木格",
            decision=decision, decision_detail=detail or {"reasons": ["核心材料齐全，次要材料容缺"]}, state=state,
            accepted_at=dt.datetime(2026, 3, 9, 2, 24, tzinfo=dt.UTC), service_date=dt.date(2026, 3, 9),
            promised_due=dt.date(2026, 3, 16), legal_due=dt.date(2026, 4, 7), supplement_due=dt.date(2026, 3, 12),
            delivery=delivery, mail_address=mail_address,
        )
        for key, st in states.items():
            case.materials.append(CaseMaterial(key=key, name=names[key], core=key == "application", copies=1,
                                               form="original", state=st,
                                               due=dt.date(2026, 3, 12) if st == "deferred" else None))
        s.add(case)


def add_ticket(store: Store, *, code: str, category: str, queued_minute: int, state: str = "waiting",
               day: dt.date = dt.date(2026, 3, 9)) -> None:
    at = dt.datetime(2026, 3, 9, 1, queued_minute, tzinfo=dt.UTC)
    with store.write() as s:
        s.add(Ticket(hall_code=HALL_CODE, service_date=day, category=category, number=int(code[1:]), code=code,
                     state=state, queued_at=at, issued_at=at))
