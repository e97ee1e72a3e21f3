"""The applicant panel of the counter: a person (ID number with live validation, name, phone, address) or an
organisation (统一社会信用代码, 单位名称, 法定代表人), and the 帮办代办 proxy's details.

A card from the ID-card reader fills the person's fields (``offer_card``); it never silently overwrites another
applicant already on the form, and a card whose number fails its check is shown, not filled.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.cases import ApplicantInput, ProxyInput
from app.devices.gat467 import IdCard
from app.masking import mask_id
from widgets.id_edit import ORGANISATION_KINDS, PERSON_KINDS, IdEdit


def _line(name: str, placeholder: str = "", max_length: int = 100) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    # A long address (or name) shows its start when the field is not being typed in — the end scrolled into
    # view hides "内蒙古自治区…", the part a clerk checks — and the whole text on hover.
    edit.editingFinished.connect(lambda: edit.setCursorPosition(0))
    edit.textChanged.connect(lambda text: edit.setToolTip(text if len(text) > 12 else ""))
    return edit


def _fill(edit: QLineEdit, text: str) -> None:
    """Put a card's value into a field, showing its start."""
    edit.setText(text)
    edit.setCursorPosition(0)


def _hint(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(name)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


CardOutcome = Literal["filled", "asked", "rejected"]


def card_details(card: IdCard, *, today: dt.date) -> tuple[str, str]:
    """(one line on the card read, a warning or "") for the hint under the ID field; ``today`` is the hall's day."""
    # Gender, birth date and region are already shown from the number itself; add only what the card adds.
    parts = [f"已读卡（{card.card_type_label}）"]
    if card.nation:
        parts.append(card.nation)
    parts.append(f"有效期至 {card.valid_to:%Y-%m-%d}" if card.valid_to else "长期有效")
    warning = ""
    if card.valid_to is not None and card.valid_to < today:
        warning = f"证件已于 {card.valid_to:%Y-%m-%d} 过期，请申请人出示有效证件"
    elif card.id_check is not None and card.id_check.warnings:
        warning = str(card.id_check.warnings[0])
    return " · ".join(p for p in parts if p), warning


class ApplicantPanel(QGroupBox):
    """Who is applying.

    Signals:
        facts_changed(): person/organisation or proxy switched (the materials that apply change).
        id_changed(str): the applicant's normalised number once valid, "" otherwise (for the excluded-list check).
        card_filled(object): a card's details were put into the form (the IdCard).
    """

    facts_changed = Signal()
    id_changed = Signal(str)
    card_filled = Signal(object)

    def __init__(self, *, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__("申请人", parent)
        self.setObjectName("applicantPanel")
        self._today = today  # the hall's day, for a card read past its validity
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

        self.id_edit = IdEdit(today=today, kinds=PERSON_KINDS)
        self.id_message = _hint("idNumberMessage")
        self.card_info = _hint("cardInfoLabel")
        self.card_info.setVisible(False)
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
        self.form.addRow("", self.card_info)
        self.form.addRow(self.name_label, self.name_edit)
        self.form.addRow(self.legal_rep_label, self.legal_rep_edit)
        self.form.addRow("联系电话", self.phone_edit)
        self.form.addRow("地址", self.address_edit)

        self.proxy_box = QWidget()
        self.proxy_box.setObjectName("proxyBox")
        self.proxy_name_edit = _line("proxyNameEdit", "代办人姓名", 60)
        self.proxy_id_edit = IdEdit(today=today, kinds=PERSON_KINDS, object_name="proxyIdEdit")
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
        self._build_card_bar()
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(mode_row)
        layout.addWidget(self.card_bar)
        layout.addLayout(self.form)
        layout.addWidget(self.proxy_box)
        layout.addWidget(self.error)

        self.organisation_radio.toggled.connect(self._on_mode)
        self.proxy_check.toggled.connect(self._on_proxy)
        self.id_edit.message_changed.connect(self.id_message.setText)
        self.id_edit.check_changed.connect(self._on_id_check)
        self.proxy_id_edit.message_changed.connect(self.proxy_id_message.setText)
        self.id_edit.textEdited.connect(lambda _t: self._set_card_info("", ""))  # the card no longer matches
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
        self.hide_card_bar()
        self._set_card_info("", "")
        for edit in (self.id_edit, self.name_edit, self.legal_rep_edit, self.phone_edit, self.address_edit,
                     self.proxy_name_edit, self.proxy_id_edit, self.proxy_phone_edit):
            edit.clear()
        self.proxy_check.setChecked(False)
        self.person_radio.setChecked(True)
        self.clear_errors()

    # --- the card reader -------------------------------------------------------------------------------

    def _build_card_bar(self) -> None:
        self.card_bar = QFrame()
        self.card_bar.setObjectName("cardConfirmBar")
        self.card_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.card_bar.setStyleSheet("QFrame#cardConfirmBar { background: #fff4d6; border: 1px solid #e0b050; }")
        self.card_bar_text = QLabel("")
        self.card_bar_text.setObjectName("cardConfirmText")
        self.card_bar_text.setWordWrap(True)
        self.card_replace_button = QPushButton("替换")
        self.card_replace_button.setObjectName("cardReplaceButton")
        self.card_replace_button.setToolTip("用读到的证件替换当前申请人（电话、地址一并清空）")
        self.card_proxy_button = QPushButton("作为代办人")
        self.card_proxy_button.setObjectName("cardAsProxyButton")
        self.card_ignore_button = QPushButton("忽略")
        self.card_ignore_button.setObjectName("cardIgnoreButton")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.card_replace_button)
        buttons.addWidget(self.card_proxy_button)
        buttons.addWidget(self.card_ignore_button)
        bar = QVBoxLayout(self.card_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        bar.setSpacing(2)
        bar.addWidget(self.card_bar_text)
        bar.addLayout(buttons)
        self.card_bar.setVisible(False)
        self._pending_card: IdCard | None = None
        self.card_replace_button.clicked.connect(self._replace_with_card)
        self.card_proxy_button.clicked.connect(self._card_as_proxy)
        self.card_ignore_button.clicked.connect(self.hide_card_bar)

    def tab_chain(self) -> list[QWidget]:
        """The panel's controls in reading order (top to bottom), for the counter's one keyboard path."""
        return [self.person_radio, self.organisation_radio, self.proxy_check, self.card_replace_button,
                self.card_proxy_button, self.card_ignore_button, self.id_edit, self.name_edit, self.legal_rep_edit,
                self.phone_edit, self.address_edit, self.proxy_name_edit, self.proxy_id_edit, self.proxy_phone_edit]

    @property
    def pending_card(self) -> IdCard | None:
        """The card waiting for the clerk's 替换/忽略, if any."""
        return self._pending_card

    def offer_card(self, card: IdCard) -> CardOutcome:
        """A card was read: fill the form, or ask first when another applicant is on it, or say why not."""
        check = card.id_check
        if check is not None and not check.valid:
            reason = "；".join(check.errors) if check.errors else "号码无效"
            self._show_card_bar(None, f"读到 {card.name} 的{card.card_type_label}，但证件号码未通过校验：{reason}。"
                                      "未填入，请核对证件或手工录入。")
            return "rejected"
        typed_id = self.id_edit.normalized()
        typed_name = self.name_edit.text().strip()
        same = typed_id == card.id_number and not self.organisation
        if same or (not typed_id and not typed_name and not self.organisation):
            self._fill_from_card(card, replace=False)
            return "filled"
        who = typed_name or (mask_id(typed_id) if typed_id else "当前单位")
        self._show_card_bar(card, f"读到新证件：{card.name}（{mask_id(card.id_number)}）。"
                                  f"表单上已有申请人 {who}，是否替换？")
        return "asked"

    def fill_scanned_id(self, number: str) -> None:
        """A scanned (already checked) number goes into the ID field; the clerk moves on to the name."""
        self.hide_card_bar()
        self.error.setText("")
        self.id_edit.setText(number)
        self._set_card_info("", "")
        self._focus_next(self.name_edit)

    def hide_card_bar(self) -> None:
        self._pending_card = None
        self.card_bar.setVisible(False)

    def _show_card_bar(self, card: IdCard | None, text: str) -> None:
        self._pending_card = card
        self.card_bar_text.setText(text)
        self.card_replace_button.setVisible(card is not None)
        self.card_proxy_button.setVisible(card is not None and self.proxy)
        self.card_ignore_button.setText("知道了" if card is None else "忽略")
        self.card_bar.setVisible(True)

    def _replace_with_card(self) -> None:
        card = self._pending_card
        if card is not None:
            self._fill_from_card(card, replace=True)

    def _card_as_proxy(self) -> None:
        card = self._pending_card
        if card is None:
            return
        self.hide_card_bar()
        _fill(self.proxy_name_edit, card.name)
        self.proxy_id_edit.setText(card.id_number)
        self._clear_mark(self.proxy_name_edit)
        self.card_filled.emit(card)

    def _fill_from_card(self, card: IdCard, *, replace: bool) -> None:
        self.hide_card_bar()
        self.clear_errors()
        if replace:
            self.set_organisation(False)
            for edit in (self.phone_edit, self.address_edit, self.legal_rep_edit):
                edit.clear()
        self.id_edit.setText(card.id_number)
        _fill(self.name_edit, card.name)
        if card.address and (replace or not self.address_edit.text().strip()):
            _fill(self.address_edit, card.address)
            self.address_edit.setCursorPosition(0)  # show where the address starts, not its tail
        self._set_card_info(*card_details(card, today=self._today()))
        # The next thing the clerk types is the phone number: the card does not carry it.
        self.phone_edit.setFocus()
        self.card_filled.emit(card)

    def _set_card_info(self, text: str, warning: str) -> None:
        self.card_info.setText(text + (f"\n⚠ {warning}" if warning else ""))
        self.card_info.setProperty("role", "error" if warning else "hint")
        self.card_info.style().unpolish(self.card_info)
        self.card_info.style().polish(self.card_info)
        self.card_info.setVisible(bool(text))

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
