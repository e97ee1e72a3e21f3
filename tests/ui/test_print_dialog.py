"""The print dialog: preview, print to the PDF back-end off the GUI thread, failure with retry, 补打 audited,
and the real Qt printing path (QPrinter) producing pages a scanner can read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.settings import Settings
from app.store import Store
from app.store.models import AuditEvent
from printing import samples
from printing.documents import render
from printing.from_store import case_doc
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import add_case, decode, pdf_pages, pdf_text, render_page, seed_hall
from ui.print_dialog import PDF_TARGET, PrintDialog, PrintItem, preview_documents, print_with_qt
from ui.tasks import TaskRunner

CASE_NO = "150929260309050001"


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def case_store(sqlite_store: Store) -> Store:
    add_case(sqlite_store, seed_hall(sqlite_store), case_no=CASE_NO)
    return sqlite_store


def items_for(store: Store) -> list[PrintItem]:
    with store.read() as s:
        data = case_doc(s, CASE_NO, clock=CLOCK)
    return [PrintItem("受理通知书（受理回执）", render("receipt", data), CASE_NO, "receipt"),
            PrintItem("容缺受理通知书", render("deferral-notice", data), CASE_NO, "deferral-notice")]


def test_preview_then_print_to_pdf_then_reprint_is_marked_and_audited(
        qtbot: QtBot, runner: TaskRunner, case_store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    settings.printing.output_dir = str(tmp_path / "out")
    saved: list[tuple[str, str]] = []
    items = items_for(case_store)
    dialog = PrintDialog(items, runner=runner, settings=settings, store=case_store,
                         actor="saren", host="pc-5",
                         save_settings=lambda s: saved.append((s.printing.printer, s.printing.paper)), clock=CLOCK)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.wait_until(lambda: dialog.preview.page_count() == pdf_pages(items[0].pdf) > 0)
    with qtbot.wait_signal(dialog.preview_ready) as shown:
        dialog.doc_list.setCurrentRow(1)
    assert shown.args == [2]  # 容缺受理通知书: two copies

    assert dialog.printer_combo.findData(PDF_TARGET) >= 0
    dialog.printer_combo.setCurrentIndex(dialog.printer_combo.findData(PDF_TARGET))
    dialog.paper_combo.setCurrentText("A5")
    with qtbot.wait_signal(dialog.printed, timeout=20000) as first:
        dialog.print_button.click()
    path = Path(first.args[1])
    assert path.parent == tmp_path / "out" and pdf_pages(path.read_bytes()) == 2
    assert "补打" not in pdf_text(path.read_bytes())
    assert dialog.print_button.text() == "补打"
    qtbot.wait_until(lambda: saved == [(PDF_TARGET, "A5")])  # the choice is remembered

    with qtbot.wait_signal(dialog.printed, timeout=20000) as second:
        dialog.print_button.click()
    again = Path(second.args[1]).read_bytes()
    assert again != path.read_bytes() and pdf_text(again).count("补打") >= 2

    def audited() -> list[tuple[str, str]]:
        with case_store.read() as s:
            return [(a.action, a.target) for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    qtbot.wait_until(lambda: audited() == [("print.document", f"{CASE_NO}:deferral-notice"),
                                           ("print.reprint", f"{CASE_NO}:deferral-notice")])


def test_failure_is_shown_with_retry_that_works(qtbot: QtBot, runner: TaskRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings = Settings(data_dir=tmp_path)
    settings.printing.output_dir = str(blocker / "sub")
    settings.printing.printer = PDF_TARGET
    pdf = render("receipt", samples.person_normal())
    dialog = PrintDialog([PrintItem("受理通知书（受理回执）", pdf)], runner=runner, settings=settings, clock=CLOCK)
    qtbot.add_widget(dialog)
    with qtbot.wait_signal(dialog.failed, timeout=20000) as failure:
        dialog.print_button.click()
    assert "无法创建打印输出目录" in failure.args[0]
    assert dialog.status_label.text() == failure.args[0] and dialog.retry_button.isVisibleTo(dialog)
    settings.printing.output_dir = str(tmp_path / "fixed")
    with qtbot.wait_signal(dialog.printed, timeout=20000) as ok:
        dialog.retry_button.click()
    assert Path(ok.args[1]).read_bytes() == pdf and not dialog.retry_button.isVisibleTo(dialog)


def test_preview_documents_finds_case_and_document_from_the_pdf(qtbot: QtBot) -> None:
    pdf = render("receipt", samples.person_normal())
    dialog = preview_documents(None, [("受理通知书（受理回执）", pdf)])
    qtbot.add_widget(dialog)
    assert dialog.isVisible()
    assert dialog._items[0].case_no == samples.person_normal().case_no and dialog._items[0].doc == "receipt"
    pages = pdf_pages(pdf)  # the bilingual receipt of this sample runs to two pages (docs/mongolian.md)
    qtbot.wait_until(lambda: dialog.preview.page_count() == pages)


def test_qt_printer_path_prints_every_page_readably(tmp_path: Path) -> None:
    out = tmp_path / "qt.pdf"
    pdf = render("deferral-notice", samples.organisation_mixed())
    assert print_with_qt(pdf, printer_name="", paper="A4", output_file=str(out)) == str(out)
    printed = out.read_bytes()
    assert pdf_pages(printed) == 2
    codes = decode(render_page(printed, 2, dpi=200))
    assert codes.get("Code128") == [samples.organisation_mixed().case_no]


def test_unknown_printer_is_a_clear_error() -> None:
    from app.errors import PrintError

    with pytest.raises(PrintError, match="找不到打印机“不存在的打印机”"):
        print_with_qt(render("receipt", samples.person_normal()), printer_name="不存在的打印机")
