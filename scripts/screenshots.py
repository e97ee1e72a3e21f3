"""The full set of screens and papers for review, under a virtual X server.

    .venv/bin/python scripts/screenshots.py [OUT_DIR] [--only clerk,screens,papers,queue,supervisor]

- ``clerk/``: login, counter with a case filled in, lookup with its history, the idle lock and the first-start
  administrator form at 1366×768.
- ``screens/``: every top-level screen at every size the layout test checks (``tests/ui/test_layouts.py``: the
  same factories, so what is looked at is what CI checks) — ``<screen>-<size>.png``.
- ``papers/``: every document that fits each sample case on A4 and A5, and the ticket on 80 mm and 58 mm
  thermal paper, rendered with ``pdftoppm -r 60`` — ``<sample>-<doc>-<paper>-<page>.png``.
- ``queue/`` and ``supervisor/``: the busy-morning display/kiosk/ticket and the supervisor/rating over a
  generated day (``scripts/screenshot_queue.py``, ``scripts/screenshot_supervisor.py``, run from here).

Re-runs itself under ``xvfb-run -a -s "-screen 0 1366x768x24"`` when no display is set. Uses a throwaway demo
hall in a temporary directory; nothing touches the user's data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)


PARTS = ("clerk", "screens", "papers", "queue", "supervisor")


def main(argv: list[str]) -> int:
    only = set(PARTS)
    if "--only" in argv:
        at = argv.index("--only")
        only = set(argv[at + 1].split(","))
        argv = argv[:at] + argv[at + 2:]
        if only - set(PARTS):
            sys.stderr.write(f"错误：未知的截图部分 {','.join(sorted(only - set(PARTS)))}，可选：{','.join(PARTS)}\n")
            return 2
    out = Path(argv[0]) if argv else REPO / "screenshots"
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            sys.stderr.write("错误：没有显示器，也没有 xvfb-run（apt-get install xvfb）\n")
            return 1
        cmd = [xvfb, "-a", "-s", "-screen 0 1920x1920x24", sys.executable, __file__, str(out),
               "--only", ",".join(sorted(only))]
        return subprocess.call(cmd, cwd=REPO)
    sys.path.insert(0, str(REPO))
    status = 0
    if "clerk" in only:
        status |= shoot(out / "clerk")
    if "screens" in only:
        status |= shoot_screens(out / "screens")
    if "papers" in only:
        status |= shoot_papers(out / "papers")
    for part in ("queue", "supervisor"):
        if part in only:
            status |= subprocess.call([sys.executable, str(REPO / "scripts" / f"screenshot_{part}.py"),
                                       str(out / part)], cwd=REPO)
    return status


def shoot_screens(out: Path) -> int:
    """Every screen × size of the layout test, each with the problems the check finds printed beside it."""
    from PySide6.QtCore import Qt

    from tests.ui._counter_kit import demo_store
    from tests.ui.layout_check import layout_problems
    from tests.ui.test_layouts import SCREENS, SIZES, _cases
    from ui.application import make_qapp

    app = make_qapp()
    out.mkdir(parents=True, exist_ok=True)
    for case in _cases():
        screen, size = case.values  # type: ignore[attr-defined]
        tmp = Path(tempfile.mkdtemp(prefix="zc-shots-"))
        store = demo_store(tmp)
        widget = SCREENS[screen](tmp, store)
        widget.setWindowState(Qt.WindowState.WindowNoState)
        widget.resize(*SIZES[size])
        widget.show()
        for _ in range(10):
            app.processEvents()
        path = out / f"{screen}-{size}.png"
        widget.grab().save(str(path))
        problems = layout_problems(widget)
        print(path, f"({len(problems)} 处问题)" if problems else "")
        widget.close()
        widget.deleteLater()
        app.processEvents()
        store.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def shoot_papers(out: Path) -> int:
    """Every document of each sample case on A4 and A5, and the ticket on both thermal widths, as 60-dpi PNGs."""
    from printing import samples
    from printing.documents import applicable, render
    from printing.ticket import render_ticket_pdf

    out.mkdir(parents=True, exist_ok=True)
    pdfs: dict[str, bytes] = {}
    for name in ("person_normal", "organisation_mixed", "person_supplement", "person_refused"):
        data = getattr(samples, name)()
        for doc in applicable(data):
            for paper in ("A4", "A5"):
                pdfs[f"{name}-{doc}-{paper}"] = render(doc, data, paper=paper)
    for width in (80, 58):
        pdfs[f"ticket-{width}mm"] = render_ticket_pdf(samples.ticket(), width_mm=width)
    with tempfile.TemporaryDirectory() as tmp:
        for stem, pdf in pdfs.items():
            src = Path(tmp) / f"{stem}.pdf"
            src.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(src), str(out / stem)], check=True, timeout=120)
            print(out / f"{stem}-*.png")
    return 0


def shoot(out: Path) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from app import auth
    from app.cases import AcceptRequest, ApplicantInput, accept
    from app.cases.service import material_states
    from app.demo import DEMO_PASSWORD, seed_demo_hall
    from app.settings import load_settings
    from app.store import open_store
    from ui.application import make_qapp
    from ui.context import AppContext
    from ui.counter import CounterWindow
    from ui.login import LoginWindow
    from ui.tasks import InlineRunner

    app = make_qapp()
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zc-shots-"))
    os.environ["ZC_DATA_DIR"] = str(tmp / "data")

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    store = open_store(f"sqlite:///{(tmp / 'counter.db').as_posix()}")
    seed_demo_hall(store)
    settings = load_settings(data_dir=tmp / "data", db_url=store.url, demo=True)
    settings.counter.auto_print = False
    ctx = AppContext(settings=settings, store=store, runner=InlineRunner())

    login = LoginWindow(ctx)
    login.resize(*SIZE)
    login.show()
    login.username_edit.setText("clerk01")
    login.window_combo.setCurrentIndex(2)
    save(login, "login")
    login.close()

    ctx.clerk = auth.authenticate(store, "clerk01", DEMO_PASSWORD, host="shots", clock=ctx.clock)
    ctx.window_number = 3
    # A few cases for the lookup screen.
    for name, id_no, income in (("乌云其其格", "150929199001011234", "deferred"),
                                ("巴特尔", "150929197007073453", "original")):
        states = {"id_card": "original", "contract": "original", "marital": "original", "income": income,
                  "bank_flow": "original"}
        accept(store, AcceptRequest(request_id=str(uuid.uuid4()), hall_code=ctx.hall_code, window_number=3,
                                    matter_code="150929-GJJ-002",
                                    applicant=ApplicantInput(name=name, id_no=id_no, phone="13904741234"),
                                    materials=material_states(states), actor="clerk01"),
               files_dir=settings.files_dir, clock=ctx.clock)

    counter = CounterWindow(ctx)
    counter.resize(*SIZE)
    counter.show()
    panel = counter.intake.applicant
    panel.id_edit.setText("15092919850315234X")
    panel.name_edit.setText("其木格")
    panel.phone_edit.setText("13904740000")
    panel.address_edit.setText("内蒙古乌兰察布市四子王旗乌兰花镇富强街 12 号")
    counter.intake.search.edit.setText("公积金贷款")
    counter.intake.search.run_search()
    matter = counter.intake.resources.index.get("150929-GJJ-002") if counter.intake.resources else None
    if matter is not None:
        counter.intake.search.choose(matter)
        counter.intake.checklist.mark_all_received()
        counter.intake.checklist.set_state("income", "deferred")
    save(counter, "counter")

    counter.tabs.setCurrentIndex(1)
    counter.lookup.edit.setText("150929199001011234")
    counter.lookup.run_lookup()
    save(counter, "lookup")

    counter.idle_lock.lock()
    save(counter, "lock")
    counter.close()

    fresh = open_store(f"sqlite:///{(tmp / 'fresh.db').as_posix()}")
    first = AppContext(settings=load_settings(data_dir=tmp / "fresh"), store=fresh, runner=InlineRunner())
    first_login = LoginWindow(first)
    first_login.resize(*SIZE)
    first_login.show()
    save(first_login, "first_start")
    first_login.close()
    store.dispose()
    fresh.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
