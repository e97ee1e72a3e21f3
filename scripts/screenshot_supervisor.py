"""Screenshots of the supervisor screen (统计看板) and the rating screen (评价器) over a busy generated day.

Run under a virtual screen:
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_supervisor.py [OUT_DIR]
Writes supervisor.png, supervisor-breakdown.png, supervisor-staff.png (人员与窗口), supervisor-followups.png,
supervisor-appointments.png (今日预约), drill.png, rating.png and rating-idle.png into OUT_DIR (default
/tmp/supervisor-shots). Uses a throwaway SQLite store of the demo hall.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.settings import Settings

DAY = dt.date(2026, 3, 10)
CLOCK = Settings().hall_clock()  # the demo hall's clock (ZC_CLOCK_AT stands it at an instant)


def at(minutes: float, day: dt.date = DAY) -> dt.datetime:
    return CLOCK.at(day, dt.time(8, 30)) + dt.timedelta(minutes=minutes)


def seed(url: str) -> str:
    from sqlalchemy import select

    from app.demo import DEMO_HALL_CODE, seed_demo_hall
    from app.store import open_store
    from app.store.models import Case, CatalogVersion, Clerk, MatterRow, Rating, Ticket, TicketEvent

    store = open_store(url)
    seed_demo_hall(store)
    rnd = random.Random(7)
    with store.write() as s:
        version = s.scalars(select(CatalogVersion).where(CatalogVersion.current.is_(True))).one()
        matters = list(s.scalars(select(MatterRow).where(MatterRow.catalog_version_id == version.id).limit(14)))
        clerks = list(s.scalars(select(Clerk).where(Clerk.role == "clerk")))
        numbers: dict[str, int] = {}
        for i in range(140):
            cat = rnd.choice("AAABBCCDDEFG")
            numbers[cat] = numbers.get(cat, 0) + 1
            issued = rnd.triangular(0, 480, 60)
            wait = rnd.expovariate(1 / 14)
            state = rnd.choices(["done", "skipped", "waiting"], [88, 7, 5])[0]
            t = Ticket(hall_code=DEMO_HALL_CODE, service_date=DAY, category=cat, number=numbers[cat],
                       code=f"{cat}{numbers[cat]:03d}", state=state, issued_at=at(issued), queued_at=at(issued),
                       window_number=1 + i % 8, clerk_id=clerks[i % len(clerks)].id)
            if state != "waiting":
                t.called_at = at(issued + wait)
            if state == "done":
                t.started_at = at(issued + wait + 1)
                t.finished_at = at(issued + wait + 1 + rnd.uniform(4, 25))
            s.add(t)
            s.flush()
            s.add(TicketEvent(ticket_id=t.id, kind="print", at=at(issued)))
            if t.called_at:
                s.add(TicketEvent(ticket_id=t.id, kind="call", at=t.called_at, window_number=t.window_number))
            if i % 23 == 0:
                t.transferred_from = 1 + (i + 1) % 8
            if state == "done" and i < 110:
                m = matters[i % len(matters)]
                decision = rnd.choices(["normal", "deferred", "pledge", "refused"], [70, 12, 8, 10])[0]
                case = Case(
                    case_no=f"{DEMO_HALL_CODE}{DAY:%Y%m%d}{i:04d}", hall_code=DEMO_HALL_CODE,
                    window_number=t.window_number or 1, clerk_id=t.clerk_id, ticket_id=t.id,
                    catalog_version_id=version.id, matter_code=m.code, matter_name=m.name, department=m.department,
                    matter_snapshot={}, applicant_name=rnd.choice(["王建华", "其其格", "李秀英", "巴图", "张伟"]),
                    applicant_id_kind="resident", applicant_id_no="150929199001011234", decision=decision,
                    state={"refused": "refused_at_counter", "deferred": "awaiting_supplement"}.get(decision, "forwarded"),
                    accepted_at=t.finished_at, service_date=DAY, promised_due=DAY + dt.timedelta(days=10),
                    supplement_due=DAY + dt.timedelta(days=5) if decision == "deferred" else None,
                    proxy={"name": "帮办员"} if i % 9 == 0 else None, scope="region_wide" if i % 13 == 0 else "local")
                s.add(case)
                s.flush()
                if i % 3 == 0:
                    level = rnd.choices([5, 4, 3, 2, 1], [60, 25, 8, 4, 3])[0]
                    s.add(Rating(hall_code=DEMO_HALL_CODE, case_id=case.id, window_number=case.window_number,
                                 clerk_id=case.clerk_id, level=level, overall=level, efficiency=level, service=level,
                                 attitude=level, at=t.finished_at, comment="等候时间较长" if level <= 2 else "",
                                 follow_up_due=DAY + dt.timedelta(days=7) if level <= 2 else None,
                                 follow_up_state="open" if level <= 2 else ""))
        pending_case = s.scalars(select(Case.case_no).where(Case.window_number == 3).limit(1)).first()
    from app.ratings import request_rating

    if pending_case:
        request_rating(store, hall_code=DEMO_HALL_CODE, window_number=3, case_no=pending_case, requested_by="clerk01",
                       clock=CLOCK)
    book_appointments(store)
    store.dispose()
    return DEMO_HALL_CODE


def book_appointments(store: object) -> None:
    """The day's 预约 as the 今日预约 tab lists them: booked the evening before, some checked in, one late, one
    cancelled, one not come (swept at noon)."""
    from app.clock import HallClock
    from app.demo import DEMO_HALL_CODE
    from app.queue import appointments as ap

    qs = Settings().queue
    rules = dict(hall_code=DEMO_HALL_CODE, capacity=qs.appointment_capacity, slot_minutes=qs.appointment_slot_minutes)
    eve = HallClock.frozen(f"{DAY - dt.timedelta(days=1)}T18:00:00+08:00")
    people = [("A", "09:00", "乌兰", "13904781234", "phone"), ("A", "09:30", "巴图", "13804782345", "counter"),
              ("B", "10:00", "李秀英", "15904783456", "phone"), ("D", "10:00", "孟和", "13704784567", "counter"),
              ("E", "14:00", "高娃", "18604785678", "phone"), ("A", "15:00", "张建军", "13504786789", "phone")]
    codes = [ap.book(store, ap.Booking(category=cat, day=DAY, start=dt.time.fromisoformat(start), name=name,  # type: ignore[arg-type]
                                       phone=phone), source=source, clock=eve, **rules).code  # type: ignore[arg-type]
             for cat, start, name, phone, source in people]
    numbers = itertools.count(201)  # past the generated day's tickets, which bypassed the hall's number counter
    for code, when in ((codes[0], "08:50"), (codes[2], "09:55"), (codes[1], "10:20")):  # the last one late
        ap.check_in_or_walk_in(store, hall_code=DEMO_HALL_CODE, code_or_id=code,  # type: ignore[arg-type]
                               early_minutes=qs.checkin_early_minutes, late_minutes=qs.checkin_late_minutes,
                               number_for=lambda _cat: next(numbers), clock=HallClock.frozen(f"{DAY}T{when}:00+08:00"))
    ap.cancel(store, hall_code=DEMO_HALL_CODE, code=codes[5], clock=eve)  # type: ignore[arg-type]
    ap.sweep_missed(store, hall_code=DEMO_HALL_CODE, noshow_minutes=qs.appointment_noshow_minutes,  # type: ignore[arg-type]
                    clock=HallClock.frozen(f"{DAY}T12:00:00+08:00"))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/supervisor-shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zc-supervisor-shot-"))
    url = f"sqlite:///{tmp / 'counter.db'}"
    hall = seed(url)

    from PySide6.QtCore import QEventLoop, QTimer

    from app.clock import HallClock
    from app.settings import load_settings
    from app.store import open_store
    from ui.application import make_qapp
    from ui.context import AppContext
    from ui.rating import RatingScreen
    from ui.supervisor import SupervisorWindow
    from ui.tasks import InlineRunner

    make_qapp()
    settings = load_settings(data_dir=tmp)
    settings.hall.code = hall
    store = open_store(url)
    ctx = AppContext(settings=settings, store=store, runner=InlineRunner(), window_number=3)

    def settle(ms: int = 300) -> None:
        # A script, not the app: let layouts and charts paint before grabbing.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    # The board as it looked ten days after the generated day (its follow-ups overdue); the rating screens below
    # keep the running clock, as the rating request was made just now.
    later = HallClock.frozen(f"{DAY + dt.timedelta(days=10)}T10:00:00+08:00")
    window = SupervisorWindow(dataclasses.replace(ctx, clock=later))
    window.resize(1366, 768)
    window.show()
    window.show_day(DAY)
    settle()
    window.grab().save(str(out / "supervisor.png"))
    window.tabs.setCurrentIndex(1)
    settle()
    window.grab().save(str(out / "supervisor-breakdown.png"))
    for tab, name in ((window.staff, "supervisor-staff"), (window.follow_ups, "supervisor-followups"),
                      (window.appointments, "supervisor-appointments")):
        window.tabs.setCurrentWidget(tab)
        settle()
        window.grab().save(str(out / f"{name}.png"))
    dialog = window.open_drill("decision:deferred", "容缺受理")
    if dialog is not None:
        settle()
        dialog.grab().save(str(out / "drill.png"))
        dialog.close()

    rating = RatingScreen(ctx, window_number=3, poll_ms=60_000)
    rating.resize(1100, 720)
    rating.show()
    settle()
    rating.levels.button(4).click()
    settle()
    rating.grab().save(str(out / "rating.png"))
    idle = RatingScreen(ctx, window_number=5, poll_ms=60_000)
    idle.resize(1100, 720)
    idle.show()
    settle()
    idle.grab().save(str(out / "rating-idle.png"))
    for widget in (window, rating, idle):
        widget.close()
        widget.deleteLater()
    settle(50)
    store.dispose()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
