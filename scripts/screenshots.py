"""Screenshots of the clerk's screens at 1366×768 under a virtual X server: login, counter with a case filled in,
lookup with its history, the idle lock, and the first-start administrator form.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]      # default: screenshots/

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


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "screenshots"
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            sys.stderr.write("错误：没有显示器，也没有 xvfb-run（apt-get install xvfb）\n")
            return 1
        cmd = [xvfb, "-a", "-s", f"-screen 0 {SIZE[0]}x{SIZE[1]}x24", sys.executable, __file__, str(out)]
        return subprocess.call(cmd, cwd=REPO)
    sys.path.insert(0, str(REPO))
    return shoot(out)


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
