"""Printing a case's documents from the counter: which documents a decision needs, rendering them off the GUI
thread (``printing.documents.render`` over ``printing.from_store.case_doc``), keeping a PDF copy for reprints, and
handing them to the print preview (``ui.print_dialog``, printing engineer).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.clock import HallClock
from app.errors import PrintError
from app.settings import Settings
from app.store import Store
from app.store.engine import fsync_file

log = logging.getLogger(__name__)

# What a clerk hands over after each decision (行政许可法 §32: written acceptance / refusal; 容缺 and 告知承诺
# need the notice and the signed promise).
DOCS_BY_DECISION: dict[str, tuple[str, ...]] = {
    "normal": ("receipt",),
    "deferred": ("receipt", "deferral-notice", "deferral-pledge"),
    "pledge": ("receipt", "pledge"),
    "supplement": ("supplement-notice",),  # the 补正材料通知书 is the 一次性告知 of everything to 补正
    "refused": ("refusal",),
}


@dataclass(frozen=True)
class RenderedDoc:
    doc: str
    title: str
    pdf: bytes
    path: Path  # the kept copy
    case_no: str = ""
    reprint: bool = False


def documents_for(decision: str) -> tuple[str, ...]:
    return DOCS_BY_DECISION.get(decision, ("receipt",))


def render_case_documents(store: Store, case_no: str, docs: Sequence[str], *, out_dir: Path, clock: HallClock,
                          paper: str | None = None, reprint: bool = False,
                          settings: Settings | None = None) -> list[RenderedDoc]:
    """Runs on a worker thread: build the CaseDoc from the store, render each document, keep a copy on disk.

    ``reprint``: the documents are marked 补打 (printed again from the lookup).

    Documents the case does not fit (per ``printing.documents.applicable``) are left out rather than failing.
    """
    from printing import DOCUMENTS
    from printing.documents import applicable, render
    from printing.from_store import case_doc

    with store.read() as session:
        data = case_doc(session, case_no, clock=clock, reprint=reprint, settings=settings)
    fits = set(applicable(data))
    out: list[RenderedDoc] = []
    for doc in docs:
        if doc not in fits:
            continue
        pdf = render(doc, data, paper=paper)
        path = out_dir / case_no / (f"{doc}-补打.pdf" if reprint else f"{doc}.pdf")
        fsync_file(path, pdf)
        out.append(RenderedDoc(doc=doc, title=DOCUMENTS.get(doc, doc), pdf=pdf, path=path, case_no=case_no,
                               reprint=reprint))
    if not out:
        raise PrintError(f"办件 {case_no} 没有可打印的文书")
    return out


def documents_dir(data_dir: Path) -> Path:
    return data_dir / "documents"


def release_freed_memory() -> None:
    """Hand the heap pages freed after printing back to the operating system (glibc keeps them otherwise).

    Rendering and previewing a case's papers allocate tens of MB of short-lived page images and PDF bytes; once
    the preview closes they are free but still counted in the window's memory until glibc trims its heap
    (``malloc_trim``). Windows' heap returns them itself, so there this does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        return


def show_print_dialog(parent: QWidget, docs: Sequence[RenderedDoc], *, ctx: object | None = None,
                      fallback: Callable[[str], None]) -> QWidget | None:
    """Open the printing engineer's preview/print dialog (``ui.print_dialog.preview_documents``); if it is not
    installed or fails to open, tell the clerk where the PDFs were saved (through ``fallback``)."""
    folder = docs[0].path.parent if docs else None
    try:
        from ui.print_dialog import PrintItem, preview_documents
    except ImportError as exc:
        if exc.name not in ("ui.print_dialog",):
            log.exception("ui.print_dialog failed to import")
        fallback(f"文书已生成并保存到 {folder}（打印预览组件未安装）")
        return None
    items = [PrintItem(title=d.title, pdf=d.pdf, case_no=d.case_no, doc=d.doc, reprint=d.reprint) for d in docs]
    try:
        dialog = preview_documents(parent, items, ctx=ctx)
        if dialog is not None:
            dialog.destroyed.connect(release_freed_memory)
            dialog.finished.connect(lambda _result: release_freed_memory())
        return dialog
    except Exception:  # a broken dialog must not lose the clerk's work; the PDFs are on disk
        log.exception("print dialog failed")
        fallback(f"打印预览打开失败，文书已保存到 {folder}")
        return None
