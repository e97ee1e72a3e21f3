"""The intake side of the counter screen: applicant, matter, checklist, the live decision and 受理 / 补正告知 /
不予受理 (only on a ground picked from the matter's list), with 当场更正 recorded.

The decision shown is the case service's (``app.cases.service.preview_decision``, the same assembly 受理 uses),
asked for on the store thread after every change; the buttons wait for its answer. Everything that touches the
store or files runs through ``ctx.runner``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.cases import AcceptRequest, AcceptResult, AttachmentInput, MaterialInput
from app.cases.levels import matters_at
from app.cases.request import CorrectionInput, check_corrections
from app.cases.service import accept, preview_decision
from app.catalog import Catalog, Matter, MatterIndex
from app.catalog.store import current_catalog, ensure_catalog
from app.checklist import ChecklistPolicy, Decision, RefusalChoice
from app.errors import CounterError
from app.workdays import WorkCalendar, default_calendar
from ui.context import AppContext
from ui.counter_applicant import ApplicantPanel
from ui.device_service import CameraDialog, qimage_to_bgr, save_cleaned_photo
from widgets.checklist_view import ChecklistView
from widgets.decision_banner import DecisionBanner
from widgets.focus import chain_tab_order
from widgets.matter_search import MatterSearch


@dataclass(frozen=True)
class IntakeResources:
    """What the intake needs loaded before the first keystroke (built on a worker thread)."""

    catalog_version: int
    catalog: Catalog
    index: MatterIndex
    calendar: WorkCalendar


SEARCH_LIST_HEIGHT = 130  # about four results; the list folds away once a matter is chosen


def load_resources(ctx: AppContext) -> IntakeResources:
    """Runs on the store thread: the current catalog (imported from the shipped one if the store has none),
    its search index (pinyin is computed here, not on the GUI thread) and the workday calendar. It also reads the
    division-code table, which the first ID number typed would otherwise load on the GUI thread (40–120 ms)."""
    from app.divisions import division_table

    division_table()
    with ctx.store.read() as session:
        found = current_catalog(session)
    if found is None:
        found = ensure_catalog(ctx.store)
    version, catalog = found
    # A 苏木乡镇 centre or 嘎查村 point finds only what it may take in (受理 or 代收); the county hall finds all.
    offered = matters_at(catalog, ctx.settings.hall.level)
    index = MatterIndex(offered, pinyin_cache=ctx.settings.data_dir / "cache" / "pinyin.json")
    return IntakeResources(version, catalog, index, default_calendar(ctx.settings.data_dir))


def policy_from(ctx: AppContext) -> ChecklistPolicy:
    from app.checklist import policy_of

    return policy_of(ctx.settings.counter)


def read_attachments(files: Mapping[str, list[Path]]) -> dict[str, tuple[AttachmentInput, ...]]:
    """Runs on the worker: the scan files' bytes (a vanished or unreadable file is the clerk's to fix)."""
    from app.errors import ValidationError

    out: dict[str, tuple[AttachmentInput, ...]] = {}
    for key, paths in files.items():
        items = []
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ValidationError(f"扫描件无法读取：{path.name}（{exc.strerror}）", field=key) from None
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            items.append(AttachmentInput(filename=path.name, data=data, mime=mime))
        out[key] = tuple(items)
    return out


class IntakePanel(QWidget):
    """Signals:
        case_accepted(AcceptResult): a case was written (accepted or its refusal recorded).
        ready(): the catalog and calendar are loaded.
        decision_changed(object): the live Decision, or None when nothing can be decided yet.
        status(str): a one-line message for the status bar.
        code_seen(str): a code read by the camera preview (routed like a scanner burst by the window).
        bundle_accepted(object): a 一件事一次办 intake was written (``app.cases.bundle.BundleResult``).
    """

    case_accepted = Signal(object)
    bundle_accepted = Signal(object)
    ready = Signal()
    decision_changed = Signal(object)
    status = Signal(str)
    code_seen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("intakePanel")
        self.resources: IntakeResources | None = None
        self.matter: Matter | None = None
        self.decision: Decision | None = None
        self.ticket_id: int | None = None
        self._request_id = str(uuid.uuid4())
        self._busy = False
        self._asked = 0  # the newest decision asked of the service; older answers are dropped
        self._deciding = False

        self.applicant = ApplicantPanel(today=ctx.clock.today)
        self.search = MatterSearch()
        self.search.fold_on_choice = True
        self.search.results.setMaximumHeight(SEARCH_LIST_HEIGHT)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.applicant)

        self.matter_label = QLabel("尚未选择事项")
        self.matter_label.setObjectName("matterLabel")
        self.matter_label.setWordWrap(True)
        font = self.matter_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.matter_label.setFont(font)
        self.matter_info = QLabel("")
        self.matter_info.setObjectName("matterInfo")
        self.matter_info.setProperty("role", "hint")
        self.matter_info.setWordWrap(True)
        self.checklist = ChecklistView()
        self.banner = DecisionBanner()
        self.delivery_combo = QComboBox()
        self.delivery_combo.setObjectName("deliveryCombo")
        self.delivery_combo.addItem("窗口领取", "pickup")
        self.delivery_combo.addItem("政务专递（邮寄）", "mail")
        self.mail_edit = QLineEdit()
        self.mail_edit.setObjectName("mailAddressEdit")
        self.mail_edit.setPlaceholderText("邮寄地址：省市县（旗）乡镇（苏木）及门牌")
        self.mail_edit.setVisible(False)
        from ui.intake_outreach import OutreachRow

        self.outreach = OutreachRow(ctx.clock)  # 上门服务 / 政务专递收件 (app.cases.outreach)
        self.error = QLabel("")
        self.error.setObjectName("intakeError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.clear_button = QPushButton("清空 (Ctrl+N)")
        self.clear_button.setObjectName("clearButton")
        # 一件事一次办: several matters in one intake, the applicant typed above taken once (ui.counter_bundle).
        self.bundle_button = QPushButton("一件事一次办…")
        self.bundle_button.setObjectName("bundleButton")
        self.bundle_button.setToolTip("一次收件办理多个关联事项（如新生儿出生一件事），每个事项各成一件、分送各部门")
        self.bundle_button.setEnabled(False)
        self.bundle_dialog: QWidget | None = None
        # 不予受理 only on a lawful ground the clerk picks (行政许可法 §32(1)(2) or the matter's own).
        self.refusal_combo = QComboBox()
        self.refusal_combo.setObjectName("refusalGroundCombo")
        self.refusal_combo.setToolTip("材料不齐或不符合法定形式时一次性告知补正，不选不予受理理由")
        self.authority_edit = QLineEdit()
        self.authority_edit.setObjectName("competentAuthorityEdit")
        self.authority_edit.setPlaceholderText("有权受理的行政机关（如 乌兰察布市民政局）")
        self.authority_edit.setVisible(False)
        # 当场更正 (§32(3)): a small error corrected at the window and initialled by the applicant.
        self.correction_item_edit = QLineEdit()
        self.correction_item_edit.setObjectName("correctionItemEdit")
        self.correction_item_edit.setPlaceholderText("当场更正的项目，如 申请表·联系电话")
        self.correction_before_edit = QLineEdit()
        self.correction_before_edit.setObjectName("correctionBeforeEdit")
        self.correction_before_edit.setPlaceholderText("原内容")
        self.correction_after_edit = QLineEdit()
        self.correction_after_edit.setObjectName("correctionAfterEdit")
        self.correction_after_edit.setPlaceholderText("更正为")
        self.correction_initialled = QCheckBox("申请人已签名确认")
        self.correction_initialled.setObjectName("correctionInitialledCheck")
        self.add_correction_button = QPushButton("记录更正")
        self.add_correction_button.setObjectName("addCorrectionButton")
        self.corrections_label = QLabel("")
        self.corrections_label.setObjectName("correctionsLabel")
        self.corrections_label.setWordWrap(True)
        self.corrections_label.setVisible(False)
        self.corrections: list[CorrectionInput] = []
        self.refuse_button = QPushButton("不予受理 (Ctrl+R)")
        self.refuse_button.setObjectName("refuseButton")
        self.refuse_button.setProperty("role", "danger")
        # 收件后审查 (行政许可法 §32): for papers the back office must review before anyone can say they are complete;
        # the notice (or acceptance) follows from the lookup within five working days, else it counts as accepted.
        self.review_button = QPushButton("收件后审查")
        self.review_button.setObjectName("reviewButton")
        self.review_button.setToolTip("材料须经审查才能判断是否齐全时使用：先收件，5 个工作日内告知是否补正；"
                                      "逾期未告知的，自收件之日起视为受理")
        self.accept_button = QPushButton("受理 (Ctrl+Enter)")
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setProperty("role", "primary")
        self.accept_button.setMinimumWidth(220)
        self.camera_button = QPushButton("拍照…")
        self.camera_button.setObjectName("cameraButton")
        self.camera_button.setToolTip("用摄像头拍下材料，自动裁正后作为扫描件附上")
        self.camera_button.setVisible(ctx.settings.counter.camera)
        self.camera_dialog: CameraDialog | None = None

        delivery_row = QHBoxLayout()
        delivery_row.addWidget(QLabel("结果领取"))
        delivery_row.addWidget(self.delivery_combo)
        delivery_row.addWidget(self.mail_edit, 1)
        delivery_row.addStretch(0)
        correction_row = QHBoxLayout()
        correction_row.addWidget(QLabel("当场更正"))
        correction_row.addWidget(self.correction_item_edit, 2)
        correction_row.addWidget(self.correction_before_edit, 1)
        correction_row.addWidget(self.correction_after_edit, 1)
        correction_row.addWidget(self.correction_initialled)
        correction_row.addWidget(self.add_correction_button)
        delivery_row.addSpacing(12)
        delivery_row.addWidget(QLabel("不予受理理由"))
        delivery_row.addWidget(self.refusal_combo, 1)
        delivery_row.addWidget(self.authority_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.bundle_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.accept_button)
        search_box = QGroupBox("事项（Ctrl+F）")
        search_layout = QVBoxLayout(search_box)
        search_layout.setContentsMargins(6, 4, 6, 4)
        search_layout.addWidget(self.search)
        checklist_box = QGroupBox("申请材料")
        checklist_layout = QVBoxLayout(checklist_box)
        checklist_layout.setContentsMargins(6, 4, 6, 4)
        title_row = QHBoxLayout()
        title_row.addWidget(self.matter_label, 1)
        title_row.addWidget(self.camera_button, 0, Qt.AlignmentFlag.AlignTop)
        checklist_layout.addLayout(title_row)
        checklist_layout.addWidget(self.matter_info)
        checklist_layout.addWidget(self.checklist, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(4)
        # The matter search sits under the applicant (what the clerk reads next, and where the left column had
        # room), so the materials get the right column's height.
        left_layout.addWidget(search_box)
        left_layout.addStretch(1)
        right_layout.addWidget(checklist_box, 1)
        right_layout.addWidget(self.banner)
        right_layout.addLayout(delivery_row)
        right_layout.addWidget(self.outreach)
        right_layout.addLayout(correction_row)
        right_layout.addWidget(self.corrections_label)
        right_layout.addWidget(self.error)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        left.setMinimumWidth(330)
        left.setMaximumWidth(420)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        # Keyboard order: the applicant (ID → name → phone → address) → matter search → results → checklist →
        # 结果领取 → 不予受理理由 → 当场更正 → the buttons; the queue panel and the header follow. Enter moves on
        # too, so a scanner's trailing Enter or a clerk's habit both land in the next field.
        self._chain_tab_order()
        self.applicant.address_edit.returnPressed.connect(self.focus_search)

        self.applicant.facts_changed.connect(self._on_facts)
        self.applicant.id_changed.connect(lambda _id: self.recompute())  # the excluded list, in the service
        self.search.matter_chosen.connect(self.set_matter)
        self.checklist.states_changed.connect(lambda _s: self.recompute())
        self.checklist.attach_failed.connect(self._show_error)
        self.delivery_combo.currentIndexChanged.connect(self._on_delivery)
        self.accept_button.clicked.connect(lambda: self.submit(refuse=False))
        self.refuse_button.clicked.connect(lambda: self.submit(refuse=True))
        self.review_button.clicked.connect(lambda: self.submit(refuse=False, review=True))
        self.clear_button.clicked.connect(self.clear)
        self.bundle_button.clicked.connect(lambda: self.open_bundle())
        self.refusal_combo.currentIndexChanged.connect(self._on_refusal_ground)
        self.authority_edit.textChanged.connect(lambda _t: self.recompute())
        self.add_correction_button.clicked.connect(self.add_correction)
        self.camera_button.clicked.connect(lambda: self.open_camera())
        self._update_buttons()
        ctx.runner.submit(lambda: load_resources(ctx), self._on_resources, self._on_resources_error)

    # --- loading ---------------------------------------------------------------------------------------

    def _on_resources(self, resources: IntakeResources) -> None:
        self.resources = resources
        self.search.set_search(resources.index.search)
        from ui.counter_bundle import offered_bundles

        self.bundle_button.setEnabled(bool(offered_bundles(resources.catalog, self.ctx.settings.hall.level)))
        self.status.emit(f"事项目录 {resources.catalog.version} 已载入，共 {len(resources.catalog.matters)} 项")
        self.ready.emit()

    def _on_resources_error(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, CounterError) else "事项目录载入失败，请联系系统管理员"
        self.banner.show_error(message)
        self.status.emit(message)

    # --- inputs ----------------------------------------------------------------------------------------

    def set_matter(self, matter: Matter) -> None:
        self.matter = matter
        self.matter_label.setText(f"{matter.name}（{matter.code}）")
        extra = " · 即办件" if matter.instant else ""
        if matter.mode_at(self.ctx.settings.hall.level) == "collect":  # app.cases.levels
            extra += f" · 本点代收，转{matter.department}受理（材料须齐全）"
        self.matter_info.setText(f"{matter.department} · {matter.kind} · 承诺时限 {matter.promised.label()}"
                                 f" · 法定时限 {matter.legal.label()} · {matter.fee}{extra}")
        self._rebuild_checklist()
        self._fill_refusal_grounds()
        self.checklist.focus_first()

    def _fill_refusal_grounds(self) -> None:
        self.refusal_combo.blockSignals(True)
        self.refusal_combo.clear()
        self.refusal_combo.addItem("无（按材料判定，缺件或有误告知补正）", None)
        for ground in self.matter.all_refusal_grounds if self.matter is not None else ():
            self.refusal_combo.addItem(ground.text, ground)
        self.refusal_combo.blockSignals(False)
        self.authority_edit.clear()
        self.authority_edit.setVisible(False)

    def _on_refusal_ground(self) -> None:
        ground = self.refusal_combo.currentData()
        self.authority_edit.setVisible(ground is not None and ground.names_authority)
        self.recompute()

    def add_correction(self) -> None:
        """Record one 当场更正 (item, before, after, initialled) on the form; it is written with the case."""
        item = CorrectionInput(item=self.correction_item_edit.text().strip(),
                               before=self.correction_before_edit.text().strip(),
                               after=self.correction_after_edit.text().strip(),
                               initialled=self.correction_initialled.isChecked())
        try:
            check_corrections((item,))
        except CounterError as exc:
            self._show_error(exc.message)
            return
        self.error.setText("")
        self.corrections.append(item)
        for edit in (self.correction_item_edit, self.correction_before_edit, self.correction_after_edit):
            edit.clear()
        self.correction_initialled.setChecked(False)
        self._show_corrections()

    def _show_corrections(self) -> None:
        self.corrections_label.setVisible(bool(self.corrections))
        self.corrections_label.setText("；".join(
            f"已当场更正：{c.item}" + (f"（{c.before}→{c.after}）" if c.before else f"（更正为 {c.after}）")
            for c in self.corrections))

    def _rebuild_checklist(self) -> None:
        if self.matter is None:
            return
        counter = self.ctx.settings.counter
        self.checklist.set_materials(self.matter.materials, organisation=self.applicant.organisation,
                                     proxy=self.applicant.proxy, allow_deferral=counter.allow_deferral,
                                     allow_pledge=counter.allow_pledge)
        self._chain_tab_order()  # the rows are new widgets

    def _chain_tab_order(self) -> None:
        chain_tab_order([
            *self.applicant.tab_chain(), self.search.edit, self.search.results, self.camera_button,
            *self.checklist.tab_chain(), self.delivery_combo, self.mail_edit, self.refusal_combo,
            self.authority_edit, self.correction_item_edit, self.correction_before_edit,
            self.correction_after_edit, self.correction_initialled, self.add_correction_button, self.clear_button,
            self.refuse_button, self.review_button, self.accept_button,
        ])

    def _on_facts(self) -> None:
        self._rebuild_checklist()
        self.recompute()

    def _on_delivery(self) -> None:
        self.mail_edit.setVisible(self.delivery_combo.currentData() == "mail")

    # --- the live decision -----------------------------------------------------------------------------

    def recompute(self) -> None:
        """Ask the service what the form as it stands would get; the answer to the newest question is shown."""
        self._asked += 1
        if self.matter is None or self.resources is None:
            self._deciding = False
            self.banner.show_prompt("请选择事项并核对材料")
            self._show_decision(None)
            return
        asked, ctx = self._asked, self.ctx
        today = ctx.clock.today()
        request, calendar, policy = self.build_request(), self.resources.calendar, policy_from(ctx)
        self._deciding = True
        self._update_buttons()  # no 受理 on an answer that is about to change
        ctx.runner.submit(
            lambda: preview_decision(ctx.store, request, accepted_on=today, calendar=calendar, policy=policy),
            lambda decision: self._on_decision(asked, decision, today),
            lambda exc: self._on_decision_error(asked, exc))

    def _on_decision(self, asked: int, decision: Decision, today: dt.date) -> None:
        if asked != self._asked:
            return
        self._deciding = False
        if self.checklist.checked or not self.checklist.keys():
            self.banner.set_decision(decision, today=today)
        else:  # all rows still at their default 缺: no verdict before the clerk has looked
            self.banner.show_prompt("请逐项核对材料：选择每项的收取情况，全部收齐可按“材料齐全”（Ctrl+Shift+A）")
        self.checklist.set_dues({m.key: m.due for m in decision.materials})
        self._show_decision(decision)

    def _on_decision_error(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        self._deciding = False
        self.banner.show_error(exc.message if isinstance(exc, CounterError) else "无法判断受理结论，请重试或联系系统管理员")
        self._show_decision(None)

    def _show_decision(self, decision: Decision | None) -> None:
        self.decision = decision
        self._update_buttons()
        self.decision_changed.emit(decision)

    # --- 拍照 -------------------------------------------------------------------------------------------

    def open_camera(self, material_key: str = "") -> CameraDialog | None:
        """Open the 拍照 dialog for the current matter's materials (the first one selected unless given)."""
        keys = self.checklist.keys()
        if self.matter is None or not keys:
            self._show_error("请先选择事项，再拍摄材料")
            return None
        names = {m.key: m.name for m in self.matter.materials}
        if self.camera_dialog is not None:
            self.camera_dialog.close()
        dialog = CameraDialog([(k, names.get(k, k)) for k in keys], selected=material_key, parent=self)
        dialog.photo_taken.connect(self.attach_photo)
        dialog.code_read.connect(self.code_seen)
        self.camera_dialog = dialog
        dialog.show()
        return dialog

    def attach_photo(self, material_key: str, image: QImage) -> None:
        """A captured frame: cleaned into a page JPEG on the io pool, then attached like a scan file."""
        if image.isNull():
            self._report_photo("照片为空，请重拍")
            return
        bgr = qimage_to_bgr(image)  # copied here: the QImage stays on the GUI thread
        folder = self.ctx.settings.data_dir / "captures"
        self.status.emit("正在裁正照片…")
        self.ctx.runner.submit(lambda: save_cleaned_photo(bgr, folder, material_key=material_key,
                                                       taken_at=self.ctx.clock.local_now()),
                               lambda path: self._on_photo_saved(material_key, path), self._on_photo_error,
                               pool="io")

    def _on_photo_saved(self, material_key: str, path: Path) -> None:
        if not self.checklist.attach_file(material_key, path):
            self._report_photo("照片已保存，但这项材料已不在清单上（事项是否换过？）")
            return
        name = next((m.name for m in self.matter.materials if m.key == material_key), material_key) \
            if self.matter is not None else material_key
        self._report_photo(f"已附上“{name}”的照片：{path.name}", error=False)

    def _on_photo_error(self, exc: BaseException) -> None:
        self._report_photo(exc.message if isinstance(exc, CounterError) else "照片处理失败，请重拍")

    def _report_photo(self, message: str, *, error: bool = True) -> None:
        if self.camera_dialog is not None:
            self.camera_dialog.show_result(message)
        if error:
            self._show_error(message)
        self.status.emit(message)

    def _update_buttons(self) -> None:
        outcome = self.decision.outcome if self.decision is not None else None
        idle = not self._busy and not self._deciding
        self.accept_button.setEnabled(idle and outcome in ("normal", "deferred", "pledge", "supplement"))
        self.accept_button.setText("收件并告知补正 (Ctrl+Enter)" if outcome == "supplement" else "受理 (Ctrl+Enter)")
        self.refuse_button.setEnabled(idle and outcome == "refused")
        self.review_button.setEnabled(idle and outcome in ("normal", "deferred", "pledge", "supplement"))

    # --- submitting ------------------------------------------------------------------------------------

    def build_request(self, *, review: bool = False) -> AcceptRequest:
        """The form as a request, without the scan files (they are read on the worker); ``review``: 收件后审查."""
        assert self.matter is not None
        clerk = self.ctx.clerk
        home_visit, post_in = self.outreach.inputs()
        materials = tuple(MaterialInput(key=key, state=state)  # type: ignore[arg-type]
                          for key, state in self.checklist.states().items())
        return AcceptRequest(
            request_id=self._request_id, hall_code=self.ctx.hall_code, window_number=self.ctx.window_number or 0,
            matter_code=self.matter.code, applicant=self.applicant.applicant_input(), materials=materials,
            actor=self.ctx.actor, clerk_id=clerk.id if clerk else None, proxy=self.applicant.proxy_input(),
            ticket_id=self.ticket_id, delivery=self.delivery_combo.currentData(),
            mail_address=self.mail_edit.text().strip(), host=self.ctx.host, refusal=self.refusal_choice(),
            corrections=tuple(self.corrections), review=review, hall_level=self.ctx.settings.hall.level,
            opening_hours=self.ctx.settings.hall.opening_hours,
            home_visit=home_visit, post_in=post_in,
        )

    def refusal_choice(self) -> RefusalChoice | None:
        ground = self.refusal_combo.currentData()
        if ground is None:
            return None
        return RefusalChoice(ground=ground.code, competent_authority=self.authority_edit.text().strip())

    def submit(self, *, refuse: bool, review: bool = False) -> None:
        """受理 (or record 不予受理, or 收件后审查): one request id per form, and the buttons are off while it runs."""
        blocked = self._blocked(refuse=refuse)
        if blocked is not None:  # a shortcut pressed when its button is off: say why instead of nothing
            self._show_error(blocked)
            return
        assert self.decision is not None and self.resources is not None and self.matter is not None
        self.error.setText("")
        self.applicant.clear_errors()
        problem = self.applicant.check_ready()
        if problem is not None:
            self.applicant.show_error(*problem)
            return
        if self.delivery_combo.currentData() == "mail" and len(self.mail_edit.text().strip()) < 6:
            self._show_error("选择政务专递须填写完整的邮寄地址")
            self.mail_edit.setFocus()
            return
        self._busy = True
        self._update_buttons()
        self.status.emit("正在保存办件…")
        ctx = self.ctx
        files = self.checklist.attachments()
        calendar = self.resources.calendar
        policy = policy_from(ctx)

        # Widget values are read here on the GUI thread; only the scan files are read on the worker.
        assert ctx.window_number is not None
        request = self.build_request(review=review)

        def work() -> AcceptResult:
            attachments = read_attachments(files)
            materials = tuple(MaterialInput(key=m.key, state=m.state, files=attachments.get(m.key, ()))
                              for m in request.materials)
            return accept(ctx.store, replace(request, materials=materials), files_dir=ctx.settings.files_dir,
                          clock=ctx.clock, calendar=calendar, policy=policy)

        ctx.runner.submit(work, self._on_accepted, self._on_accept_error)

    def _on_accepted(self, result: AcceptResult) -> None:
        self._busy = False
        summary = result.summary
        verb = {"refused": "已记录不予受理", "supplement": "已收件，一次性告知补正"}.get(
            summary.decision, f"已{result.decision.label}")
        if result.decision.outcome == "supplement" and not result.decision.notice:
            due = result.decision.correction_due
            verb = f"已收件待审查（请于 {due:%Y-%m-%d} 前告知是否补正）" if due else "已收件待审查"
        elif summary.state == "collected":  # 代收 at a 苏木乡镇/嘎查村 point (app.cases.levels)
            verb = f"已代收（收件转{summary.department}受理，办结时限自其受理之日起计算）"
        elif summary.state in ("handed_over", "approved"):  # 即办件 (app.cases.instant)
            verb += "，即办件已当场办结" + ("并出件，请将办理结果交给申请人" if summary.state == "handed_over" else "")
        self.status.emit(f"{verb}：受理编号 {summary.case_no}" + ("（重复提交，返回原办件）" if result.replayed else ""))
        self.case_accepted.emit(result)
        self.clear()

    def _on_accept_error(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        if isinstance(exc, CounterError):
            if not self.applicant.show_error(exc.field, exc.message):
                self._show_error(exc.message)
        else:
            self._show_error("保存办件时出现意外错误，办件未保存；请重试，若反复出现请联系系统管理员")
        self.status.emit("办件未保存")

    def _show_error(self, message: str) -> None:
        self.error.setText(message)

    def _blocked(self, *, refuse: bool) -> str | None:
        """Why 受理 (or 不予受理) cannot be done now, in the clerk's words; None when it can."""
        if self._busy:
            return "正在保存上一份办件，请稍候"
        if self.matter is None or self.resources is None:
            return "请先选择办理事项"
        if self._deciding:
            return "正在判定受理结论，请稍候再按"
        if self.decision is None:
            return "受理结论尚未得出：请先处理上方的提示"
        if refuse and self.decision.outcome != "refused":
            return (f"当前结论为“{self.decision.label}”，不能不予受理。不予受理只用于法定情形："
                    "请先在“不予受理理由”中选择理由")
        if not refuse and self.decision.outcome == "refused":
            return "已选择不予受理理由：请按“不予受理 (Ctrl+R)”，或把理由改回“无”后再受理"
        return None

    # --- reset -----------------------------------------------------------------------------------------

    def clear(self) -> None:
        """A fresh form for the next applicant (and a fresh request id)."""
        self._request_id = str(uuid.uuid4())
        self.applicant.clear()
        self.matter = None
        self.matter_label.setText("尚未选择事项")
        self.matter_info.setText("")
        self.search.clear()
        self.checklist.clear_attachments()
        self.checklist.set_materials(())
        self.delivery_combo.setCurrentIndex(0)
        self.mail_edit.clear()
        self.outreach.clear()
        self.corrections = []
        self._show_corrections()
        self._fill_refusal_grounds()
        self.error.setText("")
        self.ticket_id = None
        self.recompute()
        self.applicant.id_edit.setFocus()
        self._check_catalog()

    def _check_catalog(self) -> None:
        """Between applicants: when the store's current catalog is no longer the one loaded (the hub published a
        newer version and the sync imported it), load it, so the next case is taken in under it. Cases already
        accepted keep the version and matter snapshot they were accepted under."""
        if self.resources is None:
            return
        loaded, ctx = self.resources.catalog_version, self.ctx

        def newer() -> IntakeResources | None:
            from sqlalchemy import select

            from app.store.models import CatalogVersion

            with ctx.store.read() as session:
                current = session.scalars(select(CatalogVersion.id).where(CatalogVersion.current.is_(True))).first()
            return load_resources(ctx) if current is not None and current != loaded else None

        ctx.runner.submit(newer, self._on_newer_catalog,
                          lambda _exc: self.status.emit("检查事项目录更新失败，仍按已载入的目录办理"))

    def _on_newer_catalog(self, resources: IntakeResources | None) -> None:
        if resources is None or self.resources is None or resources.catalog_version == self.resources.catalog_version:
            return
        self._on_resources(resources)
        self.status.emit(f"事项目录已更新为 {resources.catalog.version}，新受理的办件按新目录办理")

    # --- 一件事一次办 ------------------------------------------------------------------------------------

    def open_bundle(self) -> QWidget | None:
        """The bundle dialog for the applicant on the form (checked first: the data is taken once, here)."""
        from ui.counter_bundle import BundleDialog

        if self.resources is None or self._busy:
            return None
        self.error.setText("")
        self.applicant.clear_errors()
        problem = self.applicant.check_ready()
        if problem is not None:
            self.applicant.show_error(*problem)
            return None
        dialog = BundleDialog(self.ctx, catalog=self.resources.catalog, calendar=self.resources.calendar,
                              applicant=self.applicant.applicant_input(), proxy=self.applicant.proxy_input(),
                              ticket_id=self.ticket_id, parent=self)
        dialog.bundle_accepted.connect(self._on_bundle_accepted)
        self.bundle_dialog = dialog
        dialog.resize(900, 640)
        dialog.show()
        return dialog

    def _on_bundle_accepted(self, result: object) -> None:
        from app.cases.bundle import BundleResult

        assert isinstance(result, BundleResult)
        numbers = "、".join(c.summary.case_no for c in result.cases)
        self.status.emit(f"已受理“{result.name}”共 {len(result.cases)} 件：{numbers}"
                         + ("（重复提交，返回原办件）" if result.replayed else ""))
        self.bundle_accepted.emit(result)
        self.clear()

    def focus_search(self) -> None:
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    @property
    def request_id(self) -> str:
        return self._request_id

    @property
    def busy(self) -> bool:
        return self._busy
