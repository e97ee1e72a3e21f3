"""一件事一次办 at the counter: the bundle dialog opened from the intake, with the applicant already typed there.

The clerk picks the bundle (and, if the applicant does not need them all, unticks matters), ticks each material
once (shared papers appear once), sees every matter's own decision as the case service would take it, and
accepts: ``app.cases.bundle.accept_bundle`` writes all the cases at once, then the 一件事一次办受理回执 and each
case's own papers (容缺/告知承诺/补正) are rendered off the GUI thread for the print preview.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cases import AcceptRequest, ApplicantInput, MaterialInput, ProxyInput
from app.cases.bundle import BundleRequest, BundleResult, accept_bundle
from app.cases.levels import matters_at
from app.cases.service import preview_decision
from app.catalog import Catalog, Matter
from app.catalog.bundles import bundle_matters, merged_materials
from app.checklist import Decision
from app.clock import HallClock
from app.errors import CounterError
from app.settings import Settings
from app.store import Store
from app.workdays import WorkCalendar
from ui.context import AppContext
from ui.counter_print import RenderedDoc, render_case_documents
from widgets.checklist_view import ChecklistView

# The papers each case needs beside the bundle's one receipt (its 受理通知书 is the bundle receipt's line).
OWN_PAPERS: dict[str, tuple[str, ...]] = {"deferred": ("deferral-notice", "deferral-pledge"), "pledge": ("pledge",),
                                          "supplement": ("supplement-notice",)}


def offered_bundles(catalog: Catalog, level: str) -> list[tuple[str, str]]:
    """(code, name) of the bundles this hall can take in: every matter offered at its level."""
    offered = {m.code for m in matters_at(catalog, level)}
    return [(b.code, b.name) for b in catalog.bundles if set(b.matters) <= offered]


def render_bundle_documents(store: Store, result: BundleResult, *, out_dir: Path, clock: HallClock,
                            settings: Settings | None = None) -> list[RenderedDoc]:
    """Runs on the io pool: the bundle receipt, then each case's own papers, each kept on disk for reprints."""
    from app.store.engine import fsync_file
    from printing.bundle_receipt import TITLE, bundle_docs, bundle_receipt

    with store.read() as session:
        name, docs = bundle_docs(session, result.bundle_id, clock=clock, settings=settings)
    pdf = bundle_receipt(name, docs)
    first = docs[0].case_no
    path = out_dir / first / "bundle-receipt.pdf"
    fsync_file(path, pdf)
    out: list[RenderedDoc] = [RenderedDoc(doc="bundle-receipt", title=TITLE, pdf=pdf, path=path, case_no=first)]
    for case in result.cases:
        papers = OWN_PAPERS.get(case.summary.decision, ())
        if papers:
            out += render_case_documents(store, case.summary.case_no, papers, out_dir=out_dir, clock=clock,
                                         settings=settings)
    return out


class BundleDialog(QDialog):
    """Signals:
        bundle_accepted(BundleResult): the intake's cases were written.
    """

    bundle_accepted = Signal(object)

    def __init__(self, ctx: AppContext, *, catalog: Catalog, calendar: WorkCalendar, applicant: ApplicantInput,
                 proxy: ProxyInput | None, ticket_id: int | None, parent: QWidget | None = None,
                 check_ready: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.setObjectName("bundleDialog")
        self.setWindowTitle("一件事一次办")
        self.ctx, self.catalog, self.calendar = ctx, catalog, calendar
        self.applicant, self.proxy, self.ticket_id = applicant, proxy, ticket_id
        self._check_ready = check_ready
        self._request_id = str(uuid.uuid4())
        self._asked = 0
        self._busy = False
        self.decisions: dict[str, Decision] = {}
        self.matters: tuple[Matter, ...] = ()

        self.combo = QComboBox()
        self.combo.setObjectName("bundleCombo")
        for code, name in offered_bundles(catalog, ctx.settings.hall.level):
            self.combo.addItem(name, code)
        who = applicant.name or "（未填写申请人）"
        self.applicant_label = QLabel(f"申请人：{who}　{applicant.id_no}" + (f"　代办人：{proxy.name}" if proxy else ""))
        self.applicant_label.setObjectName("bundleApplicantLabel")
        self.matter_box = QVBoxLayout()
        self.checks: list[QCheckBox] = []
        self.checklist = ChecklistView()
        self.preview = QLabel("")
        self.preview.setObjectName("bundlePreview")
        self.preview.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("bundleError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.accept_button = QPushButton("一次受理全部事项")
        self.accept_button.setObjectName("bundleAcceptButton")
        self.accept_button.setProperty("role", "primary")
        cancel = QPushButton("取消")
        cancel.setObjectName("bundleCancelButton")

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("一件事"))
        top.addWidget(self.combo, 1)
        layout.addLayout(top)
        layout.addWidget(self.applicant_label)
        layout.addWidget(QLabel("办理的事项（申请人不需要的可取消勾选）"))
        layout.addLayout(self.matter_box)
        layout.addWidget(QLabel("申请材料（多个事项共用的只收一次）"))
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.accept_button)
        layout.addLayout(buttons)

        self.combo.currentIndexChanged.connect(lambda _i: self._on_bundle())
        self.checklist.states_changed.connect(lambda _s: self.recompute())
        self.accept_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._on_bundle()

    # --- the bundle and its matters -------------------------------------------------------------------

    def _on_bundle(self) -> None:
        for check in self.checks:
            self.matter_box.removeWidget(check)
            check.deleteLater()
        self.checks = []
        bundle = self.catalog.bundle(self.combo.currentData() or "")
        if bundle is None:
            self.preview.setText("本点没有可办理的一件事")
            self._set_matters(())
            return
        for matter in bundle_matters(bundle, self.catalog):
            check = QCheckBox(f"{matter.name}（{matter.department}，{matter.promised.label()}）")
            check.setObjectName(f"bundleMatter_{matter.code}")
            check.setChecked(True)
            check.setProperty("matter_code", matter.code)
            check.toggled.connect(lambda _on: self._on_matters())
            self.matter_box.addWidget(check)
            self.checks.append(check)
        self._on_matters()

    def _on_matters(self) -> None:
        chosen = {c.property("matter_code") for c in self.checks if c.isChecked()}
        bundle = self.catalog.bundle(self.combo.currentData() or "")
        self._set_matters(tuple(m for m in bundle_matters(bundle, self.catalog) if m.code in chosen)
                          if bundle else ())

    def _set_matters(self, matters: tuple[Matter, ...]) -> None:
        self.matters = matters
        counter = self.ctx.settings.counter
        self.checklist.set_materials(merged_materials(matters), organisation=self.applicant.kind == "organisation",
                                     proxy=self.proxy is not None, allow_deferral=counter.allow_deferral,
                                     allow_pledge=counter.allow_pledge)
        self.recompute()

    # --- each matter's decision ----------------------------------------------------------------------

    def _material_inputs(self) -> tuple[MaterialInput, ...]:
        return tuple(MaterialInput(key=k, state=s)  # type: ignore[arg-type]
                     for k, s in self.checklist.states().items())

    def recompute(self) -> None:
        """Ask the case service each chosen matter's decision for the ticks as they stand."""
        self._asked += 1
        asked, ctx, matters = self._asked, self.ctx, self.matters
        self.decisions = {}
        self._update_button()
        if len(matters) < 2:
            self.preview.setText("一件事至少办理两个事项；只办一个事项请关闭本窗口按单个事项受理")
            return
        states = self._material_inputs()
        today, calendar = ctx.clock.today(), self.calendar

        def work() -> dict[str, Decision]:
            out = {}
            for m in matters:
                keys = {x.key for x in m.materials}
                request = AcceptRequest(request_id=self._request_id, hall_code=ctx.hall_code, window_number=0,
                                        matter_code=m.code, applicant=self.applicant,
                                        materials=tuple(s for s in states if s.key in keys), proxy=self.proxy,
                                        hall_level=ctx.settings.hall.level)
                out[m.code] = preview_decision(ctx.store, request, accepted_on=today, calendar=calendar)
            return out

        ctx.runner.submit(work, lambda found: self._on_decisions(asked, found),
                          lambda exc: self._on_error(asked, exc))

    def _on_decisions(self, asked: int, found: dict[str, Decision]) -> None:
        if asked != self._asked:
            return
        self.decisions = found
        lines = []
        for m in self.matters:
            d = found[m.code]
            if m.instant:
                due = "，即办件当场办结" if d.outcome in ("normal", "pledge") else ""
            else:
                due = f"，承诺 {d.promised_due:%Y-%m-%d} 前办结" if d.promised_due else ""
            lines.append(f"· {m.name}：{d.label}{due}")
        self.preview.setText("\n".join(lines))
        self._update_button()

    def _on_error(self, asked: int, exc: BaseException) -> None:
        if asked == self._asked:
            self.error.setText(exc.message if isinstance(exc, CounterError) else "无法判断受理结论，请重试")

    def _update_button(self) -> None:
        ready = bool(self.decisions) and all(d.outcome != "refused" for d in self.decisions.values())
        self.accept_button.setEnabled(ready and not self._busy and self.checklist.checked)

    # --- accepting -----------------------------------------------------------------------------------

    def submit(self) -> None:
        problem = self._check_ready()
        if problem is not None:
            self.error.setText(problem)
            return
        if not self.accept_button.isEnabled():
            self.error.setText("请先核对每项材料，等各事项的受理结论显示后再受理")
            return
        ctx = self.ctx
        assert ctx.window_number is not None
        clerk = ctx.clerk
        files = self.checklist.attachments()
        request = BundleRequest(
            request_id=self._request_id, hall_code=ctx.hall_code, window_number=ctx.window_number,
            bundle_code=self.combo.currentData(), applicant=self.applicant, materials=self._material_inputs(),
            matter_codes=tuple(m.code for m in self.matters), actor=ctx.actor, clerk_id=clerk.id if clerk else None,
            proxy=self.proxy, ticket_id=self.ticket_id, host=ctx.host, hall_level=ctx.settings.hall.level)
        self._busy = True
        self._update_button()
        calendar = self.calendar

        def work() -> BundleResult:
            from ui.counter_intake import read_attachments

            attachments = read_attachments(files)
            materials = tuple(dataclasses.replace(m, files=attachments.get(m.key, ())) for m in request.materials)
            return accept_bundle(ctx.store, dataclasses.replace(request, materials=materials),
                                 files_dir=ctx.settings.files_dir, clock=ctx.clock, calendar=calendar)

        ctx.runner.submit(work, self._on_accepted, self._on_accept_error)

    def _on_accepted(self, result: BundleResult) -> None:
        self._busy = False
        self.bundle_accepted.emit(result)
        self.accept()

    def _on_accept_error(self, exc: BaseException) -> None:
        self._busy = False
        self._update_button()
        self.error.setText(exc.message if isinstance(exc, CounterError)
                           else "保存一件事办件时出现意外错误，办件未保存；请重试")

    @property
    def request_id(self) -> str:
        return self._request_id
