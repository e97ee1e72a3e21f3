"""An ID-number line edit that validates as the clerk types or scans (GB 11643 check digit, birth date, division
code; permits, foreign permanent residence cards and 统一社会信用代码) through ``app.identity.check_id``."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.identity import IdCheck, check_id, normalize_id_text
from app.vocabulary import ID_KIND_LABELS

PERSON_KINDS = frozenset({"resident", "resident15", "hmt_permit", "foreign_pr", "foreign_pr_old"})
ORGANISATION_KINDS = frozenset({"credit_code"})
COMPLETE_LENGTHS = (15, 18)  # every supported number is 15 or 18 characters once typed in full


def describe(check: IdCheck) -> str:
    """One line for the clerk: what the number is, or the first thing wrong with it."""
    if not check.valid:
        return check.errors[0] if check.errors else "号码无效"
    parts = [ID_KIND_LABELS.get(check.kind, check.kind)]
    if check.gender:
        parts.append(check.gender)
    if check.birth_date:
        d = check.birth_date
        parts.append(f"{d.year}年{d.month}月{d.day}日生")
    if check.region_name:
        parts.append(check.region_name)
    text = " · ".join(parts)
    if check.warnings:
        text += f"（注意：{check.warnings[0]}）"
    return text


class IdEdit(QLineEdit):
    """Live-validated ID number.

    The edit's dynamic property ``state`` is "", "valid", "warning" or "invalid" (styled in app.qss).

    Signals:
        check_changed(object): the IdCheck for a complete number, or None while incomplete/empty; only on change.
        message_changed(str): the one-line description or error to show beside the field.
    """

    check_changed = Signal(object)
    message_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date],
                 kinds: Collection[str] | None = PERSON_KINDS, object_name: str = "idNumberEdit") -> None:
        """``today`` gives the hall's day: a birth date after it is an error."""
        super().__init__(parent)
        self._today = today
        self.setObjectName(object_name)
        self.setMaxLength(24)
        self.setClearButtonEnabled(True)
        self._kinds = frozenset(kinds) if kinds is not None else None
        self._check: IdCheck | None = None
        self._message = ""
        self._state = ""
        self._update_placeholder()
        self.textChanged.connect(self._revalidate)
        self.editingFinished.connect(self._normalise_text)

    # --- public -------------------------------------------------------------------------------------

    @property
    def check(self) -> IdCheck | None:
        return self._check

    @property
    def message(self) -> str:
        return self._message

    @property
    def state(self) -> str:
        return self._state

    def is_acceptable(self) -> bool:
        """A complete, valid number of an allowed kind."""
        return self._state in ("valid", "warning")

    def set_kinds(self, kinds: Collection[str] | None) -> None:
        self._kinds = frozenset(kinds) if kinds is not None else None
        self._update_placeholder()
        self._revalidate(self.text())

    def normalized(self) -> str:
        return self._check.normalized if self._check is not None else normalize_id_text(self.text())

    # --- internals ----------------------------------------------------------------------------------

    def _update_placeholder(self) -> None:
        if self._kinds == ORGANISATION_KINDS:
            self.setPlaceholderText("18 位统一社会信用代码")
        else:
            self.setPlaceholderText("18 位身份证号码，可读卡或扫码")

    def _normalise_text(self) -> None:
        # Only when the clerk leaves the field: rewriting while typing would move the cursor.
        self._revalidate(self.text(), final=True)
        if self._check is not None and self._check.valid and self.text() != self._check.normalized:
            self.setText(self._check.normalized)

    def _set(self, check: IdCheck | None, state: str, message: str) -> None:
        if state != self._state:
            self._state = state
            self.setProperty("state", state)
            self.style().unpolish(self)
            self.style().polish(self)
        if message != self._message:
            self._message = message
            self.setToolTip(message)
            self.message_changed.emit(message)
        before = self._check
        self._check = check
        if (before is None) != (check is None) or (
            before is not None and check is not None
            and (before.normalized, before.valid, before.kind) != (check.normalized, check.valid, check.kind)
        ):
            self.check_changed.emit(check)

    def _revalidate(self, text: str, *, final: bool = False) -> None:
        """``final``: the clerk left the field, so a short number is an error rather than "still typing"."""
        compact = normalize_id_text(text)
        if not compact:
            self._set(None, "", "")
            return
        longest = max(COMPLETE_LENGTHS)
        if len(compact) < longest:
            check = check_id(compact, today=self._today()) if len(compact) in COMPLETE_LENGTHS else None
            # An 18-digit number passes 15 on the way: only a valid 15-digit one counts before the clerk leaves.
            if check is None or not check.valid:
                if not final:
                    self._set(None, "", f"已输入 {len(compact)} 位")
                elif check is None:
                    self._set(None, "invalid", f"号码位数不对：已输入 {len(compact)} 位，身份证应为 18 位")
                else:
                    why = check.errors[0] if check.errors else "号码无效"
                    self._set(check, "invalid",
                              f"号码不完整：18 位身份证还差 {longest - len(compact)} 位（按 15 位旧证：{why}）")
                return
        else:
            check = check_id(compact, today=self._today())
        if check.valid and self._kinds is not None and check.kind not in self._kinds:
            wanted = "统一社会信用代码" if self._kinds == ORGANISATION_KINDS else "个人证件号码"
            self._set(check, "invalid", f"这里应填{wanted}，输入的是{ID_KIND_LABELS.get(check.kind, '其他号码')}")
            return
        if not check.valid:
            self._set(check, "invalid", describe(check))
        elif check.warnings:
            self._set(check, "warning", describe(check))
        else:
            self._set(check, "valid", describe(check))
