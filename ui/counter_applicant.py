"""The applicant panel of the counter: a person (ID number with live validation, name, phone, address) or an
organisation (统一社会信用代码, 单位名称, 法定代表人), and the 帮办代办 proxy's details."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.cases import ApplicantInput, ProxyInput
from widgets.id_edit import ORGANISATION_KINDS, PERSON_KINDS, IdEdit


def _line(name: str, placeholder: str = "", max_length: int = 100) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def _hint(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


class ApplicantPanel(QGroupBox):
    """Who is applying.

    Signals:
        facts_changed(): person/organisation or proxy switched (the materials that apply change).
        id_changed(str): the applicant's normalised number once valid, "" otherwise (for the excluded-list check).
    """

    facts_changed = Signal()
    id_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("申请人", parent)
        self.setObjectName("applicantPanel")
        self.person_radio = QRadioButton("个人")
        self.person_radio.setObjectName("personModeRadio")
        self.person_radio.setChecked(True)
        self.organisation_radio = QRadioButton("单位（法人）")
        self.organisation_radio.setObjectName("organisationModeRadio")
        group = QButtonGroup(self)
        group.addButton(self.person_radio)
        group.addButton(self.organisation_radio)
        self.proxy_check = QCheckBox("帮办代办")
        self.proxy_check.setObjectName("proxyCheck")
        self.proxy_check.setToolTip("由代办人替申请人办理：登记代办人的姓名、证件与电话")
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.person_radio)
        mode_row.addWidget(self.organisation_radio)
        mode_row.addStretch(1)
        mode_row.addWidget(self.proxy_check)

        self.id_edit = IdEdit(kinds=PERSON_KINDS)
        self.id_message = _hint("idNumberMessage")
        self.name_edit = _line("applicantNameEdit", "与证件一致", 200)
        self.legal_rep_edit = _line("legalRepEdit", "法定代表人姓名", 60)
        self.phone_edit = _line("phoneEdit", "手机或固定电话", 40)
        self.address_edit = _line("addressEdit", "住址或单位地址", 300)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(4)
        self.id_label = QLabel("证件号码")
        self.name_label = QLabel("姓名")
        self.legal_rep_label = QLabel("法定代表人")
        self.form.addRow(self.id_label, self.id_edit)
        self.form.addRow("", self.id_message)
        self.form.addRow(self.name_label, self.name_edit)
        self.form.addRow(self.legal_rep_label, self.legal_rep_edit)
        self.form.addRow("联系电话", self.phone_edit)
        self.form.addRow("地址", self.address_edit)

        self.proxy_box = QWidget()
        self.proxy_box.setObjectName("proxyBox")
        self.proxy_name_edit = _line("proxyNameEdit", "代办人姓名", 60)
        self.proxy_id_edit = IdEdit(kinds=PERSON_KINDS, object_name="proxyIdEdit")
        self.proxy_id_message = _hint("proxyIdMessage")
        self.proxy_phone_edit = _line("proxyPhoneEdit", "代办人电话", 40)
        proxy_form = QFormLayout(self.proxy_box)
        proxy_form.setContentsMargins(0, 0, 0, 0)
        proxy_form.setVerticalSpacing(4)
        proxy_form.addRow("代办人", self.proxy_name_edit)
        proxy_form.addRow("代办人证件", self.proxy_id_edit)
        proxy_form.addRow("", self.proxy_id_message)
        proxy_form.addRow("代办人电话", self.proxy_phone_edit)

        self.error = QLabel("")
        self.error.setObjectName("applicantError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(mode_row)
        layout.addLayout(self.form)
        layout.addWidget(self.proxy_box)
        layout.addWidget(self.error)

        self.organisation_radio.toggled.connect(self._on_mode)
        self.proxy_check.toggled.connect(self._on_proxy)
        self.id_edit.message_changed.connect(self.id_message.setText)
        self.id_edit.check_changed.connect(self._on_id_check)
        self.proxy_id_edit.message_changed.connect(self.proxy_id_message.setText)
        for edit in (self.name_edit, self.legal_rep_edit, self.proxy_name_edit):
            edit.textEdited.connect(lambda _t, e=edit: self._clear_mark(e))
        chain = (self.id_edit, self.name_edit, self.legal_rep_edit, self.phone_edit, self.address_edit)
        for current, following in itertools.pairwise(chain):
            current.returnPressed.connect(lambda f=following: self._focus_next(f))
        self._apply_mode()
        self.proxy_box.setVisible(False)

    # --- facts -----------------------------------------------------------------------------------------

    @property
    def organisation(self) -> bool:
        return self.organisation_radio.isChecked()

    @property
    def proxy(self) -> bool:
        return self.proxy_check.isChecked()

    def applicant_input(self) -> ApplicantInput:
        return ApplicantInput(
            name=self.name_edit.text().strip(),
            id_no=self.id_edit.normalized(),
            kind="organisation" if self.organisation else "person",
            phone=self.phone_edit.text().strip(),
            address=self.address_edit.text().strip(),
            legal_rep=self.legal_rep_edit.text().strip() if self.organisation else "",
        )

    def proxy_input(self) -> ProxyInput | None:
        if not self.proxy:
            return None
        return ProxyInput(name=self.proxy_name_edit.text().strip(), id_no=self.proxy_id_edit.normalized(),
                          phone=self.proxy_phone_edit.text().strip())

    def set_organisation(self, organisation: bool) -> None:
        (self.organisation_radio if organisation else self.person_radio).setChecked(True)

    # --- errors ----------------------------------------------------------------------------------------

    def field_widget(self, field: str | None) -> QWidget | None:
        return {
            "applicant_name": self.name_edit,
            "applicant_id_no": self.id_edit,
            "legal_rep": self.legal_rep_edit,
            "proxy_name": self.proxy_name_edit,
            "proxy_id_no": self.proxy_id_edit,
            "phone": self.phone_edit,
        }.get(field or "")

    def show_error(self, field: str | None, message: str) -> bool:
        """Show ``message`` under the panel and mark the field; False if the field is not on this panel."""
        widget = self.field_widget(field)
        if widget is None:
            return False
        self.error.setText(message)
        if widget not in (self.id_edit, self.proxy_id_edit):  # the ID edits mark themselves
            widget.setProperty("state", "invalid")
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        widget.setFocus()
        return True

    def clear_errors(self) -> None:
        self.error.setText("")
        for edit in (self.name_edit, self.legal_rep_edit, self.proxy_name_edit, self.phone_edit):
            self._clear_mark(edit)

    def _clear_mark(self, edit: QWidget) -> None:
        if edit.property("state"):
            edit.setProperty("state", "")
            edit.style().unpolish(edit)
            edit.style().polish(edit)

    def check_ready(self) -> tuple[str, str] | None:
        """The first thing missing before a case can be submitted, as (field, message); None when complete."""
        if not self.id_edit.text().strip():
            what = "统一社会信用代码" if self.organisation else "申请人证件号码"
            return "applicant_id_no", f"请填写{what}"
        if not self.id_edit.is_acceptable():
            return "applicant_id_no", f"申请人证件号码有误：{self.id_edit.message or '号码不完整'}"
        if not self.name_edit.text().strip():
            return "applicant_name", "请填写单位名称" if self.organisation else "请填写申请人姓名"
        if self.organisation and not self.legal_rep_edit.text().strip():
            return "legal_rep", "单位申请人须填写法定代表人"
        if self.proxy:
            if not self.proxy_name_edit.text().strip():
                return "proxy_name", "请填写代办人姓名"
            if not self.proxy_id_edit.is_acceptable():
                return "proxy_id_no", f"代办人证件号码有误：{self.proxy_id_edit.message or '请填写'}"
        return None

    # --- reset -----------------------------------------------------------------------------------------

    def clear(self) -> None:
        for edit in (self.id_edit, self.name_edit, self.legal_rep_edit, self.phone_edit, self.address_edit,
                     self.proxy_name_edit, self.proxy_id_edit, self.proxy_phone_edit):
            edit.clear()
        self.proxy_check.setChecked(False)
        self.person_radio.setChecked(True)
        self.clear_errors()

    # --- internals -------------------------------------------------------------------------------------

    def _focus_next(self, target: QLineEdit) -> None:
        if target is self.legal_rep_edit and not self.organisation:
            target = self.phone_edit  # hidden for a person
        target.setFocus()

    def _apply_mode(self) -> None:
        org = self.organisation
        self.id_label.setText("信用代码" if org else "证件号码")
        self.name_label.setText("单位名称" if org else "姓名")
        self.id_edit.set_kinds(ORGANISATION_KINDS if org else PERSON_KINDS)
        self.legal_rep_label.setVisible(org)
        self.legal_rep_edit.setVisible(org)

    def _on_mode(self, _checked: bool) -> None:
        self._apply_mode()
        self.facts_changed.emit()

    def _on_proxy(self, checked: bool) -> None:
        self.proxy_box.setVisible(checked)
        self.facts_changed.emit()

    def _on_id_check(self, _check: object) -> None:
        self.id_changed.emit(self.id_edit.normalized() if self.id_edit.is_acceptable() else "")
