"""Screenshots of the hall display and the kiosk with a busy morning's queue, for review.

Run under a virtual screen:
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshot_queue.py [OUT_DIR]
Writes display-1920x1080.png, display-1366x768.png, display-720p.png, display-portrait.png (1080×1920),
kiosk-1920x1080.png, kiosk-1366x768.png, kiosk-1024x768.png, ticket.png (the printed ticket's PDF rendered by pdftoppm), rating-1366x768.png and panel.png
into OUT_DIR (default /tmp/queue-shots), bilingual as the hall's default says (``ZC_LANGUAGE_*`` change it).
Uses a throwaway SQLite store seeded like the demo hall.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.clock import HallClock


def seed(url: str, clock: HallClock) -> str:
    from app import queue as q
    from app.store import open_store
    from app.store.models import Hall, Window

    store = open_store(url)
    try:
        from app.demo import DEMO_HALL_CODE, seed_demo_hall

        seed_demo_hall(store)
        hall = DEMO_HALL_CODE
    except Exception as exc:  # the demo needs the shipped catalog; a hand-made hall shows the same screens
        print(f"demo seed unavailable ({exc}); using a hand-made hall")
        hall = "150929"
        with store.write() as s:
            s.add(Hall(code=hall, name="四子王旗政务服务中心"))
            s.flush()
            for n, name, cats in ((1, "综合受理", "ABCDEFGH"), (2, "综合受理", "ABCDEFGH"), (3, "社保医保", "A"),
                                  (4, "就业创业", "B"), (5, "市场准入", "C"), (6, "不动产登记", "D"),
                                  (7, "户籍证件", "EF"), (8, "帮办代办", "GH")):
                s.add(Window(hall_code=hall, number=n, name=name, categories=list(cats)))
    for cat in "AABACDAEBBAGCAHA":
        q.confirm_printed(store, q.issue_ticket(store, hall_code=hall, category=cat, clock=clock).id, clock=clock)
    elder = q.issue_ticket(store, hall_code=hall, category="A", priority="elder", clock=clock)
    q.confirm_printed(store, elder.id, clock=clock)
    for window in (3, 4, 5, 2):
        q.call_next(store, hall_code=hall, window_number=window, request_id=f"shot-{window}", clock=clock)
    q.start_service(store, hall_code=hall, window_number=3, clock=clock)
    q.pause_window(store, hall_code=hall, window_number=6, reason="午休", clock=clock)
    q.call_next(store, hall_code=hall, window_number=1, request_id="shot-1", clock=clock)
    store.dispose()
    return hall


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/queue-shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zc-shots-"))
    url = f"sqlite:///{tmp / 'counter.db'}"
    clock = HallClock()  # the screens and the seeded queue read the same clock
    hall = seed(url, clock)
    from PySide6.QtCore import QEventLoop, QTimer

    from app import queue as q
    from app.settings import load_settings
    from app.store import open_store
    from ui.application import make_qapp
    from ui.context import AppContext
    from ui.display import HallDisplay
    from ui.kiosk import Kiosk
    from ui.queue_controller import QueueController
    from ui.tasks import InlineRunner
    from ui.voice import Announcer

    app = make_qapp()
    settings = load_settings(data_dir=tmp)
    settings.hall.code = hall
    settings.hall.name_mn = "ᠳᠦᠷᠪᠡᠨ ᠬᠡᠦᠬᠡᠳ ᠬᠣᠰᠢᠭᠤ"  # Dörben Keüked qosiγu (四子王旗), the header's Mongolian
    settings.printing.output_dir = str(tmp / "tickets")
    ctx = AppContext(settings=settings, store=open_store(url), runner=InlineRunner(), window_number=3,
                     clock=clock)

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    display = HallDisplay(ctx, announcer=Announcer(speaker=None, auto=False))
    for size, name in (((1920, 1080), "display-1920x1080.png"), ((1366, 768), "display-1366x768.png"),
                       ((1280, 720), "display-720p.png"), ((1080, 1920), "display-portrait.png")):
        display.resize(*size)
        display.show()
        settle()
        display._highlight(display.board.recent[0])  # type: ignore[union-attr]  # show the highlight state
        settle()
        display.grab().save(str(out / name))
    display.close()

    kiosk = Kiosk(ctx)
    kiosk.show()
    kiosk.priority_buttons["elder"].setChecked(True)
    kiosk.take("A")
    for size in ((1920, 1080), (1366, 768), (1024, 768)):
        kiosk.resize(*size)
        settle()
        kiosk.grab().save(str(out / f"kiosk-{size[0]}x{size[1]}.png"))
    kiosk.close()

    import subprocess

    from printing.from_store import ticket_doc
    from printing.ticket import render_ticket_pdf

    with ctx.store.read() as session:
        tickets = q.list_tickets(session, hall_code=hall, service_date=clock.today())
        newest = max(tickets, key=lambda t: t.id)
        served = next(t for t in tickets if t.window_number == 3 and t.state == "serving")
        doc = ticket_doc(session, hall_code=hall, code=newest.code, service_date=clock.today(), clock=clock,
                         notice=settings.queue.notice, settings=settings, notice_mn=settings.queue.notice_mn)
    pdf = tmp / "ticket.pdf"
    pdf.write_bytes(render_ticket_pdf(doc))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(out / "ticket")], check=True)

    from app import ratings
    from ui.rating import RatingScreen

    q.finish(ctx.store, hall_code=hall, window_number=3, clock=clock)
    ratings.request_rating(ctx.store, hall_code=hall, window_number=3, ticket_id=served.id, requested_by="shot",
                           clock=clock)
    rating = RatingScreen(ctx, window_number=3)
    rating.resize(1366, 768)
    rating.show()
    settle(600)
    rating.grab().save(str(out / "rating-1366x768.png"))
    rating.close()

    controller = QueueController(ctx)
    controller.panel.resize(250, 520)  # the counter docks it 250 px wide
    controller.panel.show()
    settle()
    controller.panel.grab().save(str(out / "panel.png"))
    print("\n".join(str(p) for p in sorted(out.glob("*.png"))))
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
