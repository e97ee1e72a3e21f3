"""Print preview and desktop printing through Qt: preview, choose printer and paper, print off the GUI thread.

Rendering the preview, sending pages to the printer and writing the audit row all run through the TaskRunner
(previews and printing on the "io" pool, store reads and writes on the "store" pool). A failure is shown in the
dialog with a retry button; printing a document a second time re-renders it marked 补打 and is audited as
``print.reprint``. The printer and paper last used are remembered in the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.clock import HallClock
from app.errors import PrintError
from app.settings import Settings
from app.store import Store
from printing.raster import PageImage, rasterize
from ui.tasks import TaskRunner
from widgets.naming import named
from widgets.pdf_preview import PdfPreview
from widgets.screen_fit import fit_to_screen

log = logging.getLogger(__name__)

PDF_TARGET = "PDF 文件"  # the printer-list entry (and remembered setting) for "save as a PDF file"
PAPERS: dict[str, QPageSize.PageSizeId] = {"A4": QPageSize.PageSizeId.A4, "A5": QPageSize.PageSizeId.A5}
PREVIEW_DPI = 110
PRINT_DPI = 300


@dataclass(frozen=True)
class PrintItem:
    """One document offered for printing. ``case_no``/``doc`` let the dialog audit it and re-render a reprint."""

    title: str
    pdf: bytes
    case_no: str = ""
    doc: str = ""  # a key of printing.DOCUMENTS
    reprint: bool = False


def page_qimage(page: PageImage) -> QImage:
    """A QImage owning a copy of the pixels (the bytes object may go away after this returns)."""
    return QImage(page.rgb, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888).copy()


def print_with_qt(pdf: bytes, *, printer_name: str, paper: str = "A4", copies: int = 1, title: str = "",
                  output_file: str | None = None) -> str:
    """Send the PDF's pages to a desktop printer (or Qt's own PDF output when ``output_file`` is given).

    Runs on a worker thread: painting on a QPrinter outside the GUI thread is supported by Qt. Pages are
    rasterized at 300 dpi by PDFium and scaled to fit the chosen paper.
    """
    if paper not in PAPERS:
        raise PrintError(f"纸张 {paper} 不支持，可选：{'、'.join(PAPERS)}")
    pages = rasterize(pdf, dpi=PRINT_DPI)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if output_file:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(output_file)
        where = output_file
    else:
        if QPrinterInfo.printerInfo(printer_name).isNull():
            raise PrintError(f"找不到打印机“{printer_name}”：请检查打印机是否已安装、开机并联机")
        printer.setPrinterName(printer_name)
        where = printer_name
    printer.setDocName(title or "综窗文书")
    printer.setPageSize(QPageSize(PAPERS[paper]))
    printer.setFullPage(True)
    printer.setCopyCount(max(1, copies))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(f"打印机“{where}”无法开始打印：请检查是否开机、联机、有纸，然后重试")
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        for i, page in enumerate(pages):
            if i and not printer.newPage():
                raise PrintError(f"打印机“{where}”在第 {i + 1} 页出错：请检查纸张后重试")
            scale = min(area.width() / page.width, area.height() / page.height)
            w, h = page.width * scale, page.height * scale
            target = QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h)
            painter.drawImage(target, page_qimage(page))
    finally:
        painter.end()
    return where


def save_pdf_file(pdf: bytes, *, title: str, directory: Path, clock: HallClock, copies: int = 1) -> str:
    from printing.backends import PdfFileBackend

    return PdfFileBackend(directory, clock=clock).print_pdf(pdf, title=title, copies=copies)





class PrintDialog(QDialog):
    """Preview one or more documents and print them.

    Signals:
        printed(str, str): a document (title) was sent; where it went (printer name or file path).
        failed(str): printing failed; the clerk-facing reason (also shown in the dialog, with 重试).
        preview_ready(int): the shown document's preview has this many pages.
    """

    printed = Signal(str, str)
    failed = Signal(str)
    preview_ready = Signal(int)

    def __init__(self, items: Sequence[PrintItem], *, runner: TaskRunner, clock: HallClock,
                 settings: Settings | None = None, store: Store | None = None, actor: str = "", host: str = "",
                 save_settings: Callable[[Settings], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not items:
            raise PrintError("没有要打印的文书")
        self.setObjectName("printDialog")
        self.setWindowTitle(self.tr("打印预览"))
        fit_to_screen(self, 980, 760)
        self._items = list(items)
        self._runner = runner
        self._clock = clock
        self._settings = settings or Settings()
        self._store = store
        self._actor = actor
        self._host = host
        self._save_settings = save_settings
        self._printed: set[int] = set()
        self._previews: dict[int, list[QImage]] = {}
        self._busy = False

        self.doc_list = named(QListWidget(), "printDocList")
        self.doc_list.addItems([item.title for item in self._items])
        self.doc_list.setMaximumWidth(220)
        self.preview = PdfPreview(self)
        self.printer_combo = named(QComboBox(), "printPrinterCombo")
        self.choose_button = named(QPushButton(self.tr("选择打印机…")), "printChooseButton")
        self.paper_combo = named(QComboBox(), "printPaperCombo")
        self.paper_combo.addItems(list(PAPERS))
        self.copies_spin = named(QSpinBox(), "printCopiesSpin")
        self.copies_spin.setRange(1, 9)
        self.status_label = named(QLabel(), "printStatusLabel")
        self.status_label.setWordWrap(True)
        self.retry_button = named(QPushButton(self.tr("重试")), "printRetryButton")
        self.retry_button.hide()
        self.print_button = named(QPushButton(self.tr("打印")), "printButton")
        self.print_button.setDefault(True)
        self.close_button = named(QPushButton(self.tr("关闭")), "printCloseButton")

        self._fill_printers()
        paper = self._settings.printing.paper if self._settings.printing.paper in PAPERS else "A4"
        self.paper_combo.setCurrentText(paper)

        body = QHBoxLayout()
        body.addWidget(self.doc_list)
        body.addWidget(self.preview, 1)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("打印机")))
        controls.addWidget(self.printer_combo, 1)
        controls.addWidget(self.choose_button)
        controls.addWidget(QLabel(self.tr("纸张")))
        controls.addWidget(self.paper_combo)
        controls.addWidget(QLabel(self.tr("份数")))
        controls.addWidget(self.copies_spin)
        actions = QHBoxLayout()
        actions.addWidget(self.status_label, 1)
        actions.addWidget(self.retry_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(controls)
        layout.addLayout(actions)

        self.doc_list.currentRowChanged.connect(self._show_preview)
        self.choose_button.clicked.connect(self._choose_printer)
        self.print_button.clicked.connect(self.print_current)
        self.retry_button.clicked.connect(self.print_current)
        self.close_button.clicked.connect(self.reject)
        self.doc_list.setCurrentRow(0)

    # --- printers and settings ----------------------------------------------------------------------------

    def _fill_printers(self) -> None:
        names = QPrinterInfo.availablePrinterNames()
        for name in names:
            self.printer_combo.addItem(name, name)
        self.printer_combo.addItem(self.tr("保存为 PDF 文件（无打印机）"), PDF_TARGET)
        remembered = self._settings.printing.printer
        default = QPrinterInfo.defaultPrinterName()
        for wanted in (remembered, default):
            index = self.printer_combo.findData(wanted) if wanted else -1
            if index >= 0:
                self.printer_combo.setCurrentIndex(index)
                break
        else:
            self.printer_combo.setCurrentIndex(0)

    def _choose_printer(self) -> None:
        printer = QPrinter()
        current = self.printer_combo.currentData()
        if current and current != PDF_TARGET:
            printer.setPrinterName(current)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printSystemDialog")
        dialog.accepted.connect(lambda: self._take_printer(printer.printerName()))
        QDialog.open(dialog)  # not exec(): the GUI thread never waits in a nested loop

    def _take_printer(self, name: str) -> None:
        if not name:
            return
        index = self.printer_combo.findData(name)
        if index < 0:
            self.printer_combo.insertItem(0, name, name)
            index = 0
        self.printer_combo.setCurrentIndex(index)

    def _output_dir(self) -> Path:
        configured = self._settings.printing.output_dir
        return Path(configured) if configured else self._settings.data_dir / "printed"

    # --- preview ------------------------------------------------------------------------------------------

    def _show_preview(self, row: int) -> None:
        if row < 0:
            return
        if row in self._previews:
            self.preview.set_pages(self._previews[row])
            self.preview_ready.emit(len(self._previews[row]))
            return
        self.preview.show_message(self.tr("正在生成预览…"))
        pdf = self._items[row].pdf

        def done(pages: list[PageImage]) -> None:
            self._previews[row] = [page_qimage(p) for p in pages]
            if self.doc_list.currentRow() == row:
                self.preview.set_pages(self._previews[row])
                self.preview_ready.emit(len(pages))

        def error(exc: BaseException) -> None:
            self.preview.show_message(self.tr("无法预览：{0}").format(exc))

        self._runner.submit(lambda: rasterize(pdf, dpi=PREVIEW_DPI), done, error, pool="io")

    # --- printing -----------------------------------------------------------------------------------------

    def print_current(self) -> None:
        """Print the selected document; a second print of the same one is re-rendered as 补打."""
        row = max(self.doc_list.currentRow(), 0)
        if self._busy:
            return
        self._set_busy(True, self.tr("正在打印…"))
        item = self._items[row]
        if row in self._printed and not item.reprint:
            if self._store is not None and item.case_no and item.doc:
                store, case_no, doc, clock = self._store, item.case_no, item.doc, self._clock
                self._runner.submit(lambda: render_reprint(store, case_no, doc, clock=clock),
                                    lambda pdf: self._reprinted(row, pdf), self._failed, pool="store")
                return
            item = replace(item, reprint=True)  # nothing to re-render from: still audited as a reprint
        self._send(row, item)

    def _reprinted(self, row: int, pdf: bytes) -> None:
        self._items[row] = replace(self._items[row], pdf=pdf, reprint=True)
        self._previews.pop(row, None)
        if self.doc_list.currentRow() == row:
            self._show_preview(row)
        self._send(row, self._items[row])

    def _send(self, row: int, item: PrintItem) -> None:
        target = self.printer_combo.currentData()
        paper = self.paper_combo.currentText()
        copies = self.copies_spin.value()
        directory = self._output_dir()
        clock = self._clock

        def job() -> str:
            if target == PDF_TARGET:
                return save_pdf_file(item.pdf, title=f"{item.title}-{item.case_no}" if item.case_no else item.title,
                                     directory=directory, clock=clock, copies=copies)
            return print_with_qt(item.pdf, printer_name=str(target), paper=paper, copies=copies, title=item.title)

        self._runner.submit(job, lambda where: self._sent(row, item, str(target), paper, where), self._failed,
                            pool="io")

    def _sent(self, row: int, item: PrintItem, target: str, paper: str, where: str) -> None:
        self._printed.add(row)
        self._set_busy(False, self.tr("已打印：{0}（{1}）").format(item.title, where))
        self.retry_button.hide()
        self.print_button.setText(self.tr("补打"))
        self._remember(target, paper)
        if self._store is not None and item.case_no and item.doc:
            store = self._store
            actor, host, clock = self._actor, self._host, self._clock

            def audit() -> None:
                from printing.from_store import record_printed

                record_printed(store, case_no=item.case_no, doc=item.doc, actor=actor, host=host,
                               reprint=item.reprint, printer=where, clock=clock)

            self._runner.submit(audit, None, lambda exc: log.warning("print audit failed: %s", exc), pool="store")
        self.printed.emit(item.title, where)

    def _failed(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, PrintError) else self.tr("打印失败：{0}").format(exc)
        self._set_busy(False, message, error=True)
        self.retry_button.show()
        self.failed.emit(message)

    def _remember(self, target: str, paper: str) -> None:
        printing = self._settings.printing
        if (printing.printer, printing.paper) == (target, paper):
            return
        printing.printer, printing.paper = target, paper
        if self._save_settings is not None:
            save, settings = self._save_settings, self._settings
            self._runner.submit(lambda: save(settings), None,
                                lambda exc: log.warning("could not save printer choice: %s", exc), pool="io")

    def _set_busy(self, busy: bool, text: str, *, error: bool = False) -> None:
        self._busy = busy
        self.print_button.setEnabled(not busy)
        self.retry_button.setEnabled(not busy)
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #b00020;" if error else "")


def render_reprint(store: Store, case_no: str, doc: str, paper: str | None = None, *, clock: HallClock) -> bytes:
    """Re-render a case document marked 补打 (worker thread, store pool)."""
    from printing.documents import render
    from printing.from_store import case_doc

    with store.read() as session:
        data = case_doc(session, case_no, clock=clock, reprint=True)
    return render(doc, data, paper=paper)


def _context_of(widget: QWidget | None) -> object | None:
    from ui.context import AppContext

    while widget is not None:
        ctx = getattr(widget, "ctx", None)
        if isinstance(ctx, AppContext):
            return ctx
        widget = widget.parentWidget()
    return None


def preview_documents(parent: QWidget | None, docs: Sequence[tuple[str, bytes]] | Sequence[PrintItem], *,
                      ctx: object | None = None, case_no: str = "") -> PrintDialog:
    """Open the print dialog (non-modal) for freshly rendered documents; used by the counter after accepting.

    The application context (runner, settings, store, clerk) is taken from ``ctx`` or found on ``parent``.
    """
    from app.settings import save_settings
    from printing.layout import document_identity

    items: list[PrintItem] = []
    for d in docs:
        if isinstance(d, PrintItem):
            items.append(d)
            continue
        title, pdf = d
        doc, number = document_identity(pdf) or ("", case_no)
        items.append(PrintItem(title=title, pdf=pdf, case_no=number, doc=doc))
    context = ctx or _context_of(parent)
    if context is not None:
        dialog = PrintDialog(items, runner=context.runner, clock=context.clock,  # type: ignore[attr-defined]
                             settings=context.settings,  # type: ignore[attr-defined]
                             store=context.store, actor=context.actor, host=context.host,  # type: ignore[attr-defined]
                             save_settings=save_settings, parent=parent)
    else:
        runner = TaskRunner()
        settings = Settings()
        dialog = PrintDialog(items, runner=runner, clock=settings.hall_clock(), settings=settings, parent=parent)
        runner.setParent(dialog)
    dialog.open()
    return dialog
