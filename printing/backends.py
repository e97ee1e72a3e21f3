"""Where printed output goes when it does not go through Qt: a directory of PDF files or a thermal printer.

Points without a printer (and tests) use :class:`PdfFileBackend`; kiosks use :class:`ThermalTicketBackend`.
Desktop printers are reached through Qt in ``ui.print_dialog``.
"""

from __future__ import annotations

import errno
import io
import os
import re
from pathlib import Path
from typing import Protocol

from app.clock import HallClock
from app.errors import PrintError
from printing.data import TicketDoc
from printing.escpos import ThermalPrinter
from printing.raster import PDFIUM_LOCK
from printing.ticket import EscposMode, render_ticket_pdf, ticket_escpos


class Printer(Protocol):
    """Something a finished PDF can be sent to; returns where it went (a path or a printer name)."""

    name: str

    def print_pdf(self, pdf: bytes, *, title: str, copies: int = 1) -> str: ...


class TicketPrinter(Protocol):
    name: str

    def print_ticket(self, ticket: TicketDoc) -> str: ...


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


class PdfFileBackend:
    """Writes each document as a PDF file into ``directory`` (atomically: temp file, fsync, rename)."""

    def __init__(self, directory: Path | str, *, clock: HallClock) -> None:
        self.directory = Path(directory)
        self.clock = clock  # the file names carry the hall's wall-clock time of printing
        self.name = f"PDF 文件（{self.directory}）"

    def print_pdf(self, pdf: bytes, *, title: str, copies: int = 1) -> str:
        """Save ``pdf`` as one file; with ``copies`` > 1 the file holds the document that many times over,
        collated, so printing the file later gives what the clerk asked for."""
        if not pdf.startswith(b"%PDF"):
            raise PrintError("要保存的内容不是 PDF 文档")
        if copies != 1:
            pdf = repeat_document(pdf, copies)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrintError(f"无法创建打印输出目录 {self.directory}：{exc.strerror}") from None
        stem = _UNSAFE.sub("_", title).strip("_") or "document"
        stamp = self.clock.local_now().strftime("%Y%m%d-%H%M%S")
        target = self.directory / f"{stamp}-{stem}.pdf"
        n = 1
        while target.exists():
            n += 1
            target = self.directory / f"{stamp}-{stem}-{n}.pdf"
        tmp = target.with_suffix(".pdf.part")
        try:
            with open(tmp, "wb") as fh:
                fh.write(pdf)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise PrintError(f"磁盘已满，文书没有保存：{self.directory}") from None
            raise PrintError(f"无法写入打印输出目录 {self.directory}：{exc.strerror}") from None
        return str(target)


MAX_COPIES = 99


def repeat_document(pdf: bytes, copies: int) -> bytes:
    """The document's pages ``copies`` times over (1–n, 1–n, …), copied as they are, not rendered again."""
    import pypdfium2 as pdfium

    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise PrintError(f"打印份数应为 1 到 {MAX_COPIES} 之间的整数，得到 {copies!r}")
    buffer = io.BytesIO()
    with PDFIUM_LOCK:
        try:
            source = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise PrintError(f"PDF 文档已损坏，无法按份数保存：{exc}") from None
        out = pdfium.PdfDocument.new()
        try:
            for _ in range(copies):
                out.import_pages(source)
            out.save(buffer)
        finally:
            out.close()
            source.close()
    return buffer.getvalue()


class PdfTicketBackend:
    """Saves tickets as roll-width PDFs (a kiosk whose printer has a PDF-capable driver, or tests)."""

    def __init__(self, directory: Path | str, *, clock: HallClock, width_mm: int = 80) -> None:
        self.files = PdfFileBackend(directory, clock=clock)
        self.width_mm = width_mm
        self.name = self.files.name

    def print_ticket(self, ticket: TicketDoc) -> str:
        return self.files.print_pdf(render_ticket_pdf(ticket, self.width_mm), title=f"号票-{ticket.code}")


class ThermalTicketBackend:
    """Prints tickets on an ESC/POS printer (GB18030 text or raster image)."""

    def __init__(self, printer: ThermalPrinter, *, width_mm: int = 80, mode: EscposMode = "text") -> None:
        self.printer = printer
        self.width_mm = width_mm
        self.mode = mode
        self.name = printer.name

    def print_ticket(self, ticket: TicketDoc) -> str:
        self.printer.send(ticket_escpos(ticket, mode=self.mode, width_mm=self.width_mm))
        return self.printer.name


def ticket_printer(*, thermal: str, output_dir: str, clock: HallClock, width_mm: int = 80,
                   mode: EscposMode = "text") -> TicketPrinter:
    """The kiosk's ticket printer from the ``printing`` settings: the thermal printer if one is set, else PDFs."""
    if thermal.strip():
        return ThermalTicketBackend(ThermalPrinter(thermal), width_mm=width_mm, mode=mode)
    if output_dir.strip():
        return PdfTicketBackend(output_dir, clock=clock, width_mm=width_mm)
    raise PrintError("没有可用的号票打印机：请在设置中填写热敏打印机（printing.thermal）或 PDF 输出目录（printing.output_dir）")
