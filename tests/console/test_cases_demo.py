"""``demo generate``: synthetic tickets and cases through the real acceptance path; and the layer rule."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.store import Store
from app.store.models import Case, Outbox, Ticket
from console.demo import generate
from tests.hall_clock import on

REPO = Path(__file__).resolve().parents[2]


def test_generate_makes_tickets_and_cases_that_moved_along(sqlite_store: Store, tmp_path: Path) -> None:
    report = generate(sqlite_store, cases=40, days=3, files_dir=tmp_path, seed=7, clock=on(dt.date(2026, 11, 25)))
    assert report.days == (dt.date(2026, 11, 20), dt.date(2026, 11, 23), dt.date(2026, 11, 24))
    assert report.cases + report.skipped_calendar == 40
    assert report.tickets > report.cases
    with sqlite_store.read() as s:
        cases = s.scalars(select(Case)).all()
        assert len(cases) == report.cases
        assert all(c.ticket_id is not None and c.source == "demo" for c in cases)
        assert {c.service_date for c in cases} <= set(report.days)
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "case.accept")) == len(cases)
        assert s.scalar(select(func.count()).select_from(Ticket)) == report.tickets
    states = {c.state for c in cases}
    assert "forwarded" in states or "approved" in states  # older cases moved on
    assert sum(report.by_state.values()) == report.cases
    # A second run adds tickets after the first run's numbers instead of colliding.
    again = generate(sqlite_store, cases=5, days=1, files_dir=tmp_path, seed=8, clock=on(dt.date(2026, 11, 25)))
    assert again.cases + again.skipped_calendar == 5


def test_case_modules_do_not_import_qt() -> None:
    code = ("import sys; import app.checklist, app.cases, app.cases.lifecycle, app.cases.import_csv, "
            "console.case, console.demo; assert 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)
