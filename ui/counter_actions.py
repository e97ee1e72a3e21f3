"""The next steps for one case, beside the lookup: 补正后继续受理 (a case in 收件-待补正), 补交容缺材料, 登记审批结果, 结果到窗, 出件 (the collector's ID checked),
邮寄, §42 延期 (approved by a 大厅负责人, the 延期告知书 printed) and §45 暂停/恢复计时, 终止 and 补打 — only those the
case's state allows. Each step is one lifecycle call on the store thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.cases import AcceptResult, CaseView, MaterialInput, complete_correction, lifecycle, time_rules
from app.cases.deadlines import MAX_EXTENSION_WORKDAYS
from app.catalog.payload import matter_from_payload
from app.errors import CounterError
from app.vocabulary import CASE_ACTION_LABELS, CLOCK_STOP_LABELS
from ui.context import AppContext
from ui.counter_print import DOCS_BY_DECISION
from widgets.checklist_view import CHOICE_LABELS, choices_for, received_state
from widgets.id_edit import PERSON_KINDS, IdEdit

RESULT_STATES = ("accepted", "forwarded", "awaiting_supplement")  # a township point may record the result
# Papers of a case's later life, offered for 补打 once the case has them (next_actions names them print_*).
LATER_DOCS = ("supply-receipt", "extension-notice", "termination-notice", "revocation")


class CaseActions(QWidget):
    """Signals:
        changed(object): the case after a step was written (a fresh CaseView).
        action_done(str): the message for the status bar.
        reprint_requested(str, tuple): case_no and the documents to print again.
        print_requested(str, tuple): case_no and a document a step has just made due (the 延期告知书).
        case_corrected(object): the AcceptResult of a 补正 (the same case, decided again).
    """

    changed = Signal(object)
    action_done = Signal(str)
    reprint_requested = Signal(str, tuple)
    print_requested = Signal(str, tuple)
    case_corrected = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("caseActions")
        self.case: CaseView | None = None
        self.setMinimumWidth(360)
        self.hint = QLabel("查到办件后，这里显示可办理的下一步")
        self.hint.setObjectName("nextActionsHint")
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("lookupError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self._build_correction())
        layout.addWidget(self._build_supplement())
        layout.addWidget(self._build_result())
        layout.addWidget(self._build_hand_over())
        layout.addWidget(self._build_clock())
        layout.addWidget(self._build_terminate())
        layout.addWidget(self._build_reprint())
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.show_for(None)

    def _build_correction(self) -> QGroupBox:
        self.correction_box = QGroupBox("补正：收取一次性告知的材料，继续受理")
        self.correction_box.setObjectName("correctionBox")
        self.correction_form = QFormLayout()
        self.correction_combos: dict[str, QComboBox] = {}
        self.correction_button = QPushButton("补正并继续受理")
        self.correction_button.setObjectName("correctionButton")
        self.correction_button.setProperty("role", "primary")
        layout = QVBoxLayout(self.correction_box)
        layout.addLayout(self.correction_form)
        layout.addWidget(self.correction_button)
        self.correction_button.clicked.connect(self.submit_correction)
        return self.correction_box

    def _fill_correction(self, view: CaseView) -> None:
        while self.correction_form.rowCount():
            self.correction_form.removeRow(0)
        self.correction_combos = {}
        review = "complete_review" in view.next_actions
        self.correction_box.setTitle("收件后审查：逐项审查材料，齐全即受理，否则一次性告知补正" if review
                                     else "补正：收取一次性告知的材料，继续受理")
        self.correction_button.setText("审查完成（受理或告知补正）" if review else "补正并继续受理")
        if view.summary.state != "awaiting_correction" or not view.matter_snapshot:
            return
        matter = matter_from_payload(view.matter_snapshot)
        counter = self.ctx.settings.counter
        recorded = {m.key: m.state for m in view.materials}
        # A review looks at every material received; a 补正 at what the notice listed.
        keys = list(recorded) if review else [str(item.get("key", "")) for item in view.notice]
        for key in keys:
            material = matter.material(key)
            if material is None:
                continue
            combo = QComboBox()
            combo.setObjectName(f"correction_{material.key}")
            for state in choices_for(material, allow_deferral=counter.allow_deferral,
                                     allow_pledge=counter.allow_pledge):
                combo.addItem(CHOICE_LABELS[state], state)
            start = recorded.get(key) if review else received_state(material)
            index = combo.findData(start)
            combo.setCurrentIndex(index if index >= 0 else combo.findData(received_state(material)))
            self.correction_form.addRow(material.name, combo)
            self.correction_combos[material.key] = combo

    def _build_supplement(self) -> QGroupBox:
        self.supplement_box = QGroupBox("补正：收取容缺材料")
        self.supplement_box.setObjectName("supplementBox")
        self.supplement_list = QVBoxLayout()
        self.supplement_checks: dict[str, QCheckBox] = {}
        self.supplement_button = QPushButton("确认收到所选材料")
        self.supplement_button.setObjectName("supplementButton")
        self.supplement_button.setProperty("role", "primary")
        layout = QVBoxLayout(self.supplement_box)
        layout.addLayout(self.supplement_list)
        layout.addWidget(self.supplement_button)
        self.supplement_button.clicked.connect(self.submit_supplement)
        return self.supplement_box

    def _build_result(self) -> QGroupBox:
        self.result_box = QGroupBox("办结：登记审批结果")
        self.result_box.setObjectName("resultBox")
        self.result_combo = QComboBox()
        self.result_combo.setObjectName("resultCombo")
        self.result_combo.addItem("准予许可（办结）", "approved")
        self.result_combo.addItem("不予许可", "refused")
        self.result_note_edit = QLineEdit()
        self.result_note_edit.setObjectName("resultNoteEdit")
        self.result_note_edit.setPlaceholderText("结果说明，如 证照编号")
        self.result_button = QPushButton("登记结果")
        self.result_button.setObjectName("resultButton")
        form = QFormLayout(self.result_box)
        form.addRow("结果", self.result_combo)
        form.addRow("说明", self.result_note_edit)
        form.addRow("", self.result_button)
        self.result_button.clicked.connect(self.submit_result)
        return self.result_box

    def _build_hand_over(self) -> QGroupBox:
        self.hand_over_box = QGroupBox("出件")
        self.hand_over_box.setObjectName("handOverBox")
        self.ready_button = QPushButton("结果已到窗口")
        self.ready_button.setObjectName("readyButton")
        self.collector_id_edit = IdEdit(today=self.ctx.clock.today, kinds=PERSON_KINDS, object_name="collectorIdEdit")
        self.collector_id_edit.setPlaceholderText("领取人证件号码（读卡或输入）")
        self.collector_message = QLabel("")
        self.collector_message.setObjectName("collectorIdMessage")
        self.collector_message.setProperty("role", "hint")
        self.collector_name_edit = QLineEdit()
        self.collector_name_edit.setObjectName("collectorNameEdit")
        self.authorized_check = QCheckBox("凭授权委托书代领")
        self.authorized_check.setObjectName("authorizedCheck")
        self.hand_over_button = QPushButton("核验并出件")
        self.hand_over_button.setObjectName("handOverButton")
        self.hand_over_button.setProperty("role", "primary")
        self.mail_address_edit = QLineEdit()
        self.mail_address_edit.setObjectName("lookupMailAddressEdit")
        self.mail_address_edit.setPlaceholderText("邮寄地址")
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setObjectName("trackingNoEdit")
        self.tracking_edit.setPlaceholderText("邮件号")
        self.mail_button = QPushButton("登记邮寄")
        self.mail_button.setObjectName("mailButton")
        form = QFormLayout(self.hand_over_box)
        form.addRow("", self.ready_button)
        form.addRow("领取人证件", self.collector_id_edit)
        form.addRow("", self.collector_message)
        form.addRow("领取人姓名", self.collector_name_edit)
        form.addRow("", self.authorized_check)
        form.addRow("", self.hand_over_button)
        form.addRow("邮寄地址", self.mail_address_edit)
        form.addRow("邮件号", self.tracking_edit)
        form.addRow("", self.mail_button)
        self.collector_id_edit.message_changed.connect(self.collector_message.setText)
        self.ready_button.clicked.connect(self.submit_ready)
        self.hand_over_button.clicked.connect(self.submit_hand_over)
        self.mail_button.clicked.connect(self.submit_mail)
        return self.hand_over_box

    def _build_clock(self) -> QGroupBox:
        """§42 延期 and §45 暂停/恢复计时: the deadline's own steps, while it runs."""
        self.clock_box = QGroupBox("办理期限：延期（第四十二条）/ 暂停计时（第四十五条）")
        self.clock_box.setObjectName("clockBox")
        self.extend_days_spin = QSpinBox()
        self.extend_days_spin.setObjectName("extendDaysSpin")
        self.extend_days_spin.setRange(1, MAX_EXTENSION_WORKDAYS)
        self.extend_days_spin.setValue(MAX_EXTENSION_WORKDAYS)
        self.extend_days_spin.setSuffix(" 个工作日")
        self.extend_reason_edit = QLineEdit()
        self.extend_reason_edit.setObjectName("extendReasonEdit")
        self.extend_reason_edit.setPlaceholderText("延期理由（写入延期告知书，如 需实地核查）")
        self.approver_combo = QComboBox()
        self.approver_combo.setObjectName("approverCombo")
        self.extend_button = QPushButton("批准延期并打印延期告知书")
        self.extend_button.setObjectName("extendButton")
        self.stop_combo = QComboBox()
        self.stop_combo.setObjectName("stopKindCombo")
        for kind in time_rules.SECTION45_STOPS:
            self.stop_combo.addItem(CLOCK_STOP_LABELS[kind], kind)
        self.clock_note_edit = QLineEdit()
        self.clock_note_edit.setObjectName("clockNoteEdit")
        self.clock_note_edit.setPlaceholderText("说明（如 检测机构、报告编号）")
        self.stop_button = QPushButton("开始暂停计时")
        self.stop_button.setObjectName("stopClockButton")
        self.resume_button = QPushButton("恢复计时")
        self.resume_button.setObjectName("resumeClockButton")
        self.clock_state = QLabel("")
        self.clock_state.setObjectName("clockStateLabel")
        self.clock_state.setProperty("role", "hint")
        self.clock_state.setWordWrap(True)
        form = QFormLayout(self.clock_box)
        form.addRow("延长", self.extend_days_spin)
        form.addRow("延期理由", self.extend_reason_edit)
        form.addRow("批准负责人", self.approver_combo)
        form.addRow("", self.extend_button)
        form.addRow("不计时情形", self.stop_combo)
        form.addRow("说明", self.clock_note_edit)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.stop_button)
        stop_row.addWidget(self.resume_button)
        form.addRow("", stop_row)
        form.addRow("", self.clock_state)
        self._extend_rows = (self.extend_days_spin, self.extend_reason_edit, self.approver_combo, self.extend_button)
        self.extend_button.clicked.connect(self.submit_extend)
        self.stop_button.clicked.connect(self.submit_stop)
        self.resume_button.clicked.connect(self.submit_resume)
        return self.clock_box

    def _fill_clock(self, view: CaseView, actions: set[str]) -> None:
        extend, stop, resume = "extend" in actions, "stop_clock" in actions, "resume_clock" in actions
        form = self.clock_box.layout()
        assert isinstance(form, QFormLayout)
        for widget in self._extend_rows:
            form.setRowVisible(widget, extend)
        form.setRowVisible(self.stop_combo, stop)
        self.stop_button.setVisible(stop)
        self.resume_button.setVisible(resume)
        self.clock_state.setText("\n".join(view.time_notes))
        if extend:
            self._load_approvers(view.summary.hall_code)

    def _load_approvers(self, hall_code: str) -> None:
        ctx = self.ctx

        def read() -> list[tuple[str, str]]:
            with ctx.store.read() as session:
                return time_rules.hall_approvers(session, hall_code)

        ctx.runner.submit(read, self._fill_approvers, self._on_error)

    def _fill_approvers(self, approvers: list[tuple[str, str]]) -> None:
        self.approver_combo.clear()
        for username, name in approvers:
            self.approver_combo.addItem(f"{name}（{username}）", username)
        clerk = self.ctx.clerk
        if clerk is not None:  # a 大厅负责人 at the window approves their own extension
            index = self.approver_combo.findData(clerk.username)
            if index >= 0:
                self.approver_combo.setCurrentIndex(index)
        if not approvers:
            self.approver_combo.addItem("本大厅没有大厅负责人账号，请管理员添加", "")

    def _build_terminate(self) -> QGroupBox:
        self.terminate_box = QGroupBox("终止办理")
        self.terminate_box.setObjectName("terminateBox")
        self.terminate_reason_edit = QLineEdit()
        self.terminate_reason_edit.setObjectName("terminateReasonEdit")
        self.terminate_reason_edit.setPlaceholderText("终止原因（如 申请人撤回申请）")
        self.terminate_button = QPushButton("终止")
        self.terminate_button.setObjectName("terminateButton")
        self.terminate_button.setProperty("role", "danger")
        row = QHBoxLayout(self.terminate_box)
        row.addWidget(self.terminate_reason_edit, 1)
        row.addWidget(self.terminate_button)
        self.terminate_button.clicked.connect(self.submit_terminate)
        return self.terminate_box

    def _build_reprint(self) -> QGroupBox:
        from printing import DOCUMENTS

        self.reprint_box = QGroupBox("补打文书")
        self.reprint_box.setObjectName("reprintBox")
        self.reprint_combo = QComboBox()
        self.reprint_combo.setObjectName("reprintCombo")
        self._doc_titles = DOCUMENTS
        self.reprint_button = QPushButton("打印")
        self.reprint_button.setObjectName("reprintButton")
        row = QHBoxLayout(self.reprint_box)
        row.addWidget(self.reprint_combo, 1)
        row.addWidget(self.reprint_button)
        self.reprint_button.clicked.connect(self._reprint)
        return self.reprint_box

    # --- showing ---------------------------------------------------------------------------------------

    def show_for(self, view: CaseView | None) -> None:
        """Offer the steps ``view``'s state allows (nothing for None)."""
        if view is None or self.case is None or view.case_no != self.case.case_no:
            self.clear_forms()  # another case: nothing typed for the last one may carry over
        self.case = view
        for box in (self.correction_box, self.supplement_box, self.result_box, self.hand_over_box,
                    self.clock_box, self.terminate_box, self.reprint_box):
            box.setVisible(False)
        if view is None:
            self.hint.setText("查到办件后，这里显示可办理的下一步")
            return
        s = view.summary
        actions = set(view.next_actions)
        owed = [m for m in view.materials if m.state == "deferred" and m.supplied_at is None]
        self._fill_supplement(owed)
        self._fill_correction(view)
        self.correction_box.setVisible(bool(actions & {"complete_correction", "complete_review"})
                                       and bool(self.correction_combos))
        self.supplement_box.setVisible("supplement" in actions and bool(owed))
        self.result_box.setVisible(s.state in RESULT_STATES)
        self.hand_over_box.setVisible(bool(actions & {"hand_over", "mail", "mark_ready"}))
        self.ready_button.setVisible("mark_ready" in actions)
        self.terminate_box.setVisible("terminate" in actions or "confirm_termination" in actions)
        self.clock_box.setVisible(bool(actions & {"extend", "stop_clock", "resume_clock"}))
        self._fill_clock(view, actions)
        docs = [d for d in DOCS_BY_DECISION.get(s.decision, ()) if d in self._doc_titles]
        if "print_pickup" in actions:
            docs.append("pickup")
        docs += [d for d in LATER_DOCS if "print_" + d.replace("-", "_") in actions]
        self.reprint_combo.clear()
        for doc in docs:
            self.reprint_combo.addItem(self._doc_titles.get(doc, doc), doc)
        self.reprint_box.setVisible(bool(docs))
        labels = [CASE_ACTION_LABELS.get(a, a) for a in view.next_actions if not a.startswith("print_")]
        if s.state in RESULT_STATES:
            labels.append("登记审批结果")
        self.hint.setText("下一步：" + ("、".join(labels) if labels else "无（办件已结束）"))

    def _fill_supplement(self, owed: list[Any]) -> None:
        while self.supplement_list.count():
            item = self.supplement_list.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.supplement_checks = {}
        for m in owed:
            due = f"（{m.due:%m月%d日}前）" if m.due else ""
            check = QCheckBox(f"{m.name}{due}")
            check.setObjectName(f"supplement_{m.key}")
            check.setChecked(True)
            self.supplement_list.addWidget(check)
            self.supplement_checks[m.key] = check

    # --- actions ---------------------------------------------------------------------------------------

    def _act(self, change: Callable[[Session, str, dt.datetime], object], done: str,
             then_print: tuple[str, ...] = ()) -> None:
        """Run one lifecycle transition on the store thread, then show the case again (and ask for the papers
        the step made due)."""
        if self.case is None:
            return
        case_no = self.case.case_no
        ctx = self.ctx
        actor = ctx.actor
        self.error.setText("")

        def work() -> CaseView | None:
            at = ctx.clock.now()
            return lifecycle.transition(ctx.store, case_no=case_no, change=lambda session: change(session, actor, at))

        def finished(view: CaseView | None) -> None:
            self.show_for(view)
            self.changed.emit(view)
            self.action_done.emit(f"{case_no}：{done}")
            if then_print:
                self.print_requested.emit(case_no, then_print)

        ctx.runner.submit(work, finished, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, CounterError) else "办理时出现意外错误，未保存")

    def submit_correction(self) -> None:
        """补正: the items brought back, as the clerk set them; the checklist decides the same case again."""
        if self.case is None or not self.correction_combos:
            return
        from app.workdays import default_calendar
        from ui.counter_intake import policy_from

        ctx = self.ctx
        no, actor = self.case.case_no, ctx.actor
        materials = tuple(MaterialInput(key=k, state=c.currentData())
                          for k, c in self.correction_combos.items())
        policy = policy_from(ctx)
        self.error.setText("")

        def work() -> tuple[AcceptResult, CaseView | None]:
            from app.cases.views import find_case

            result = complete_correction(ctx.store, case_no=no, materials=materials, actor=actor, clock=ctx.clock,
                                         files_dir=ctx.settings.files_dir,
                                         calendar=default_calendar(ctx.settings.data_dir), policy=policy)
            with ctx.store.read() as session:
                return result, find_case(session, no)

        def finished(done: tuple[AcceptResult, CaseView | None]) -> None:
            result, view = done
            self.show_for(view)
            self.changed.emit(view)
            self.case_corrected.emit(result)
            label = "仍须补正" if result.decision.outcome == "supplement" else result.decision.label
            self.action_done.emit(f"{no}：已补正，{label}")

        ctx.runner.submit(work, finished, self._on_error)

    def submit_supplement(self) -> None:
        keys = [k for k, c in self.supplement_checks.items() if c.isChecked()]
        if not keys:
            self.error.setText("请勾选申请人带来的材料")
            return
        assert self.case is not None
        no = self.case.case_no
        self._act(lambda s, actor, at: lifecycle.receive_supplement(s, case_no=no, material_keys=keys, actor=actor,
                                                                   at=at), "已补正")

    def submit_result(self) -> None:
        assert self.case is not None
        no, result, note = self.case.case_no, self.result_combo.currentData(), self.result_note_edit.text().strip()
        self._act(lambda s, actor, at: lifecycle.record_result(s, case_no=no, result=result, note=note, actor=actor,
                                                              at=at), "已登记办结结果")

    def submit_ready(self) -> None:
        assert self.case is not None
        no = self.case.case_no
        self._act(lambda s, actor, at: lifecycle.mark_ready(s, case_no=no, actor=actor, at=at), "结果已到窗口")

    def submit_hand_over(self) -> None:
        assert self.case is not None
        if not self.collector_id_edit.is_acceptable():
            self.error.setText("请读取或输入领取人的证件号码：" + (self.collector_id_edit.message or "未填写"))
            self.collector_id_edit.setFocus()
            return
        no = self.case.case_no
        id_no = self.collector_id_edit.normalized()
        name = self.collector_name_edit.text().strip()
        authorized = self.authorized_check.isChecked()
        self._act(lambda s, actor, at: lifecycle.hand_over(s, case_no=no, collector_id_no=id_no, collector_name=name,
                                                          authorized=authorized, actor=actor, at=at,
                                                          today=self.ctx.clock.day_of(at)), "已出件")

    def submit_mail(self) -> None:
        assert self.case is not None
        no, address, tracking = self.case.case_no, self.mail_address_edit.text(), self.tracking_edit.text()
        self._act(lambda s, actor, at: lifecycle.mail_result(s, case_no=no, address=address, tracking_no=tracking,
                                                            actor=actor, at=at), "已登记邮寄")

    def submit_terminate(self) -> None:
        assert self.case is not None
        no, reason = self.case.case_no, self.terminate_reason_edit.text()
        if self.case.summary.flagged == "supplement_overdue" and not reason.strip():
            self._act(lambda s, actor, at: lifecycle.confirm_termination(s, case_no=no, actor=actor, at=at),
                      "已按补正逾期终止")
            return
        self._act(lambda s, actor, at: lifecycle.terminate(s, case_no=no, reason=reason, actor=actor, at=at),
                  "已终止办理")

    def submit_extend(self) -> None:
        """§42: the approving 大厅负责人 picked, the reason told to the applicant in the 延期告知书 printed next."""
        assert self.case is not None
        no, days, reason = self.case.case_no, self.extend_days_spin.value(), self.extend_reason_edit.text()
        approver = str(self.approver_combo.currentData() or "")
        if not approver:
            self.error.setText("请选择批准延期的大厅负责人（行政许可法第四十二条：经本行政机关负责人批准）")
            return
        if not reason.strip():
            self.error.setText("请填写延期理由：延期告知书须向申请人说明")
            self.extend_reason_edit.setFocus()
            return
        from app.workdays import default_calendar

        calendar = default_calendar(self.ctx.settings.data_dir)
        self._act(lambda s, actor, at: time_rules.extend_case(
            s, case_no=no, days=days, approver=approver, reason=reason, actor=actor, at=at,
            today=self.ctx.clock.day_of(at), calendar=calendar), f"已延长办理期限 {days} 个工作日",
            then_print=("extension-notice",))

    def submit_stop(self) -> None:
        """§45: a period that does not count starts today (听证、检验、检测 …)."""
        assert self.case is not None
        no, stop, note = self.case.case_no, str(self.stop_combo.currentData()), self.clock_note_edit.text()
        from app.workdays import default_calendar

        calendar = default_calendar(self.ctx.settings.data_dir)
        self._act(lambda s, actor, at: time_rules.stop_clock(
            s, case_no=no, stop=stop, note=note, actor=actor, at=at, today=self.ctx.clock.day_of(at),
            calendar=calendar), f"已因{CLOCK_STOP_LABELS.get(stop, stop)}暂停计时")

    def submit_resume(self) -> None:
        assert self.case is not None
        no, note = self.case.case_no, self.clock_note_edit.text()
        from app.workdays import default_calendar

        calendar = default_calendar(self.ctx.settings.data_dir)
        self._act(lambda s, actor, at: time_rules.resume_clock(
            s, case_no=no, note=note, actor=actor, at=at, today=self.ctx.clock.day_of(at), calendar=calendar),
            "已恢复计时")

    def _reprint(self) -> None:
        if self.case is not None and self.reprint_combo.currentData():
            self.reprint_requested.emit(self.case.case_no, (self.reprint_combo.currentData(),))

    def clear_forms(self) -> None:
        for edit in (self.collector_id_edit, self.collector_name_edit, self.mail_address_edit, self.tracking_edit,
                     self.terminate_reason_edit, self.result_note_edit, self.extend_reason_edit,
                     self.clock_note_edit):
            edit.clear()
        self.authorized_check.setChecked(False)
