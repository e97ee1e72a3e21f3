"""``python -m app print DOC --case CASE_NO --pdf OUT.pdf`` and ``python -m app print ticket --ticket A012 --pdf OUT.pdf``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
from pathlib import Path

from app.errors import PrintError, ValidationError
from console import clock_from, print_json, settings_from, store_from

DOC_NAMES = ("receipt", "deferral-notice", "deferral-pledge", "pledge", "one-time-notice", "refusal",
             "supplement-notice", "pickup", "mailing")


def register(parser: argparse.ArgumentParser, _group: str) -> None:
    from printing import DOCUMENTS

    sub = parser.add_subparsers(dest="doc", metavar="DOC")
    for name in DOC_NAMES:
        p = sub.add_parser(name, help=f"打印{DOCUMENTS[name]}")
        p.add_argument("--case", required=True, metavar="CASE_NO", help="受理编号")
        p.add_argument("--pdf", required=True, metavar="OUT.pdf", help="输出的 PDF 文件")
        p.add_argument("--paper", choices=("A4", "A5"), help="纸张（默认 A4；出件单与寄递单默认 A5）")
        p.add_argument("--reprint", action="store_true", help="补打：每页标注“补打”并记入审计日志")
        p.set_defaults(handler=_print_doc, doc_name=name)
    t = sub.add_parser("ticket", help="打印排队号票（58/80 毫米热敏纸）")
    t.add_argument("--ticket", required=True, metavar="NUMBER", help="号码，如 A012")
    t.add_argument("--date", metavar="YYYY-MM-DD", help="取号日期（默认今天）")
    t.add_argument("--hall", metavar="CODE", help="大厅编码（默认取设置 hall.code）")
    t.add_argument("--pdf", metavar="OUT.pdf", help="输出的 PDF 文件")
    t.add_argument("--escpos", metavar="OUT.bin", help="输出 ESC/POS 字节流（可直接发送给热敏打印机）")
    t.add_argument("--mode", choices=("text", "raster"), default="text",
                   help="ESC/POS 方式：text 为 GB18030 文字，raster 为图像（默认 text）")
    t.add_argument("--width", type=int, choices=(58, 80), help="纸宽（毫米，默认取设置 queue.ticket_width_mm）")
    t.set_defaults(handler=_print_ticket)


def _write(path: str, data: bytes) -> Path:
    """Write the whole file or nothing (temp file, fsync, rename)."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PrintError(f"无法写入文件 {target}：{exc.strerror or exc}") from None
    return target


def _print_doc(args: argparse.Namespace) -> int:
    from printing.documents import render
    from printing.from_store import case_doc, record_print

    store = store_from(args)
    try:
        with store.read() as session:
            data = case_doc(session, args.case, clock=clock_from(args), reprint=args.reprint,
                            settings=settings_from(args))
        pdf = render(args.doc_name, data, paper=args.paper)
        target = _write(args.pdf, pdf)
        with store.write() as session:
            record_print(session, case_no=data.case_no, doc=args.doc_name, actor="cli", host=socket.gethostname(),
                         reprint=args.reprint, printer=f"PDF:{target}", at=clock_from(args).now())
    finally:
        store.dispose()
    result = {"doc": args.doc_name, "case_no": data.case_no, "pdf": str(target), "bytes": len(pdf),
              "reprint": args.reprint}
    if args.json:
        print_json(result)
    else:
        print(f"已生成 {target}（{len(pdf) // 1024} KB）")
    return 0


def _print_ticket(args: argparse.Namespace) -> int:
    from printing.from_store import ticket_doc
    from printing.ticket import render_ticket_pdf, ticket_escpos

    if not args.pdf and not args.escpos:
        raise ValidationError("请至少指定 --pdf 或 --escpos 之一", field="pdf")
    settings = settings_from(args)
    clock = settings.hall_clock()
    try:
        day = dt.date.fromisoformat(args.date) if args.date else clock.today()
    except ValueError:
        raise ValidationError(f"--date 日期格式应为 YYYY-MM-DD，得到 {args.date!r}", field="date") from None
    width = args.width or settings.queue.ticket_width_mm
    store = store_from(args)
    try:
        with store.read() as session:
            ticket = ticket_doc(session, hall_code=args.hall or settings.hall.code, code=args.ticket,
                                service_date=day, clock=clock, notice=settings.queue.notice, settings=settings,
                                notice_mn=settings.queue.notice_mn)
    finally:
        store.dispose()
    result: dict[str, object] = {"ticket": ticket.code, "date": day.isoformat(), "ahead": ticket.ahead}
    if args.pdf:
        result["pdf"] = str(_write(args.pdf, render_ticket_pdf(ticket, width)))
    if args.escpos:
        result["escpos"] = str(_write(args.escpos, ticket_escpos(ticket, mode=args.mode, width_mm=width)))
    if args.json:
        print_json(result)
    else:
        print(f"号票 {ticket.code}：" + "，".join(f"已生成 {v}" for k, v in result.items() if k in ("pdf", "escpos")))
    return 0
