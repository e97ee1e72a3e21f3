"""登记帮办代办: the counter's small dialog for a help record (app.assist) — who helped, which case or matter, and
whether the applicant was assisted (帮办) or the matter done on their behalf (代办, the 委托 taken from the case)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.assist import HELP_MODE_LABELS, HelpInput, HelpView, record_help
from app.errors import CounterError
from ui.context import AppContext


class HelpDialog(QDialog):
    """Records one help on 保存; a 代办 needs the 受理编号 of a case whose intake registered the agent."""

    saved = Signal(object)  # HelpView

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, case_no: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpDialog")
        self.setWindowTitle("登记帮办代办")
        self._request_id = str(uuid.uuid4())  # a second 保存 of the same form records once
        form = QFormLayout()
        self.helper_edit = QLineEdit(ctx.clerk.name if ctx.clerk else "")
        self.helper_edit.setObjectName("helperEdit")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("modeCombo")
        for key, label in HELP_MODE_LABELS.items():
            self.mode_combo.addItem(label, key)
        self.case_edit = QLineEdit(case_no)
        self.case_edit.setObjectName("caseEdit")
        self.case_edit.setPlaceholderText("代办必填；帮办有办件时填写")
        self.matter_edit = QLineEdit()
        self.matter_edit.setObjectName("matterEdit")
        self.matter_edit.setPlaceholderText("没有办件时填写所帮办的事项")
        self.applicant_edit = QLineEdit()
        self.applicant_edit.setObjectName("applicantEdit")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText("如 帮助填写申请表、网上申报、代为复印")
        form.addRow("帮办人", self.helper_edit)
        form.addRow("方式", self.mode_combo)
        form.addRow("受理编号", self.case_edit)
        form.addRow("事项", self.matter_edit)
        form.addRow("申请人", self.applicant_edit)
        form.addRow("备注", self.note_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("helpError")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def request(self) -> HelpInput:
        clerk = self.ctx.clerk
        return HelpInput(
            hall_code=self.ctx.hall_code, helper=self.helper_edit.text(), mode=self.mode_combo.currentData(),
            case_no=self.case_edit.text(), matter_name=self.matter_edit.text(),
            applicant_name=self.applicant_edit.text(), note=self.note_edit.text(),
            window_number=self.ctx.window_number or 0, clerk_id=clerk.id if clerk else None,
            actor=self.ctx.actor, request_id=self._request_id)

    def save(self) -> HelpView | None:
        try:
            view = record_help(self.ctx.store, self.request(), clock=self.ctx.clock)
        except CounterError as exc:
            self.error_label.setText(exc.message)
            return None
        self.saved.emit(view)
        self.accept()
        return view
