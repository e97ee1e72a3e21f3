"""Printer back-ends: a network ESC/POS printer on loopback, and the PDF-file back-end."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import PrintError
from printing import samples
from printing.backends import PdfFileBackend, PdfTicketBackend, ThermalTicketBackend, ticket_printer
from printing.documents import render
from printing.escpos import RT_PAPER, ThermalPrinter, parse_spec
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import pdf_fonts, pdf_pages, pdf_text


class LoopbackPrinter:
    """A TCP "printer" on 127.0.0.1 that records what it receives and answers DLE EOT 4 with ``paper``."""

    def __init__(self, paper: int = 0x12) -> None:
        self.paper = paper
        self.received = bytearray()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.settimeout(5)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.received += chunk
                if chunk.endswith(RT_PAPER):
                    conn.sendall(bytes([self.paper]))
        self.done.set()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def loopback() -> Iterator[LoopbackPrinter]:
    printer = LoopbackPrinter()
    yield printer
    printer.close()


def test_ticket_reaches_a_network_printer(loopback: LoopbackPrinter) -> None:
    backend = ThermalTicketBackend(ThermalPrinter(f"tcp:127.0.0.1:{loopback.port}"))
    assert backend.print_ticket(samples.ticket()) == f"网络打印机 127.0.0.1:{loopback.port}"
    assert loopback.done.wait(5)
    assert "A012".encode("gb18030") in loopback.received and "社保医保".encode("gb18030") in loopback.received


def test_out_of_paper_is_reported_and_nothing_is_printed() -> None:
    printer = LoopbackPrinter(paper=0x72)  # paper-end bits set
    try:
        with pytest.raises(PrintError, match="缺纸"):
            ThermalPrinter(f"tcp:127.0.0.1:{printer.port}").send(b"\x1b@ticket")
        assert printer.done.wait(5)
        assert b"ticket" not in printer.received
    finally:
        printer.close()


def test_no_printer_listening_says_so() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before use: nothing listens there
    with pytest.raises(PrintError, match="未连接或未开机"):
        ThermalPrinter(f"tcp:127.0.0.1:{port}", timeout=2).send(b"x")


@pytest.mark.parametrize(("spec", "kind", "target"), [
    ("tcp:192.0.2.10:9100", "tcp", "192.0.2.10"),
    ("tcp:printer.local", "tcp", "printer.local"),
    ("serial:/dev/ttyUSB0:19200", "serial", "/dev/ttyUSB0"),
    ("serial:COM3", "serial", "COM3"),
    ("usb:0x0416:0x5011", "usb", "0x0416:0x5011"),
])
def test_printer_settings_are_parsed(spec: str, kind: str, target: str) -> None:
    parsed = parse_spec(spec)
    assert (parsed.kind, parsed.target) == (kind, target)


@pytest.mark.parametrize("spec", ["", "lpt1", "usb:zz:11", "tcp:", "tcp:host:port"])
def test_bad_printer_setting_names_the_field(spec: str) -> None:
    with pytest.raises(PrintError, match=r"printing\.thermal"):
        parse_spec(spec)


def test_missing_serial_device_is_a_clear_error() -> None:
    with pytest.raises(PrintError, match="/dev/ttyZC-none"):
        ThermalPrinter("serial:/dev/ttyZC-none").send(b"x")


def test_pdf_backend_writes_whole_files(tmp_path: Path) -> None:
    backend = PdfFileBackend(tmp_path / "out", clock=CLOCK)
    pdf = render("receipt", samples.person_normal())
    first = Path(backend.print_pdf(pdf, title="受理通知书 15092920260309A0012"))
    second = Path(backend.print_pdf(pdf, title="受理通知书 15092920260309A0012"))
    assert first != second and first.read_bytes() == pdf == second.read_bytes()
    assert "受理通知书" in first.name and " " not in first.name
    assert not list((tmp_path / "out").glob("*.part"))
    assert samples.person_normal().case_no in pdf_text(first.read_bytes())


def test_pdf_backend_saves_the_copies_asked_for(tmp_path: Path) -> None:
    backend = PdfFileBackend(tmp_path / "out", clock=CLOCK)
    pdf = render("receipt", samples.person_normal())
    pages = pdf_pages(pdf)
    saved = Path(backend.print_pdf(pdf, title="受理通知书", copies=3)).read_bytes()
    assert pdf_pages(saved) == 3 * pages
    # Each copy is the whole document, in order, with its fonts still embedded.
    once = pdf_text(pdf).count("最低生活保障审核确认")
    assert once >= 1 and pdf_text(saved).count("最低生活保障审核确认") == 3 * once
    assert all(font.embedded for font in pdf_fonts(saved))
    assert Path(backend.print_pdf(pdf, title="受理通知书", copies=1)).read_bytes() == pdf
    with pytest.raises(PrintError, match="打印份数"):
        backend.print_pdf(pdf, title="受理通知书", copies=0)


def test_pdf_backend_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(PrintError, match="不是 PDF"):
        PdfFileBackend(tmp_path, clock=CLOCK).print_pdf(b"hello", title="x")


def test_pdf_backend_directory_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PrintError, match="无法创建打印输出目录"):
        PdfFileBackend(blocker / "sub", clock=CLOCK).print_pdf(b"%PDF-1.4", title="x")


def test_ticket_printer_choice_follows_the_settings(tmp_path: Path) -> None:
    assert isinstance(ticket_printer(thermal="", output_dir=str(tmp_path), clock=CLOCK), PdfTicketBackend)
    assert isinstance(ticket_printer(thermal="tcp:192.0.2.1", output_dir="", clock=CLOCK), ThermalTicketBackend)
    with pytest.raises(PrintError, match="没有可用的号票打印机"):
        ticket_printer(thermal="", output_dir="", clock=CLOCK)
    path = Path(ticket_printer(thermal="", output_dir=str(tmp_path), width_mm=58, clock=CLOCK).print_ticket(samples.ticket()))
    assert "A012" in pdf_text(path.read_bytes())
