"""The kiosk's on-screen keypad: the only typed inputs a kiosk has are an appointment code or an ID number, so ten
digits, X (the ID's check character), backspace and clear are the whole keyboard — large keys a finger hits and
an elder can read, usable with no physical keyboard at all.

The keypad types into a ``QLineEdit`` it is given (the field stays the one place the text lives, so a barcode
scanner or a hidden USB keyboard typing into the same field still works) and says ``submitted`` with the text
when 确认 is tapped; ``cancelled`` when the applicant goes back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.language import Languages
from app.vocabulary import mongolian
from widgets.mongolian_text import BilingualButton
from widgets.naming import named

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0")
MAX_LENGTH = 18  # an ID number; appointment codes are shorter


class KioskKeypad(QWidget):
    """Signals:
        submitted(str): 确认 tapped with this text (stripped, upper case).
        cancelled(): 返回 tapped.
    """

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, field: QLineEdit, *, prompt: str = "请输入预约码或身份证号码",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        field.setMaxLength(MAX_LENGTH)
        self.prompt = named(QLabel(prompt, alignment=Qt.AlignmentFlag.AlignCenter), "keypadPrompt")
        self.display = named(QLabel("", alignment=Qt.AlignmentFlag.AlignCenter), "keypadDisplay")
        self.display.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        field.textChanged.connect(self._show_text)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, key in enumerate(KEYS):
            button = named(QPushButton(key), f"key_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.backspace = named(QPushButton("⌫ 退格"), "key_backspace")
        self.backspace.clicked.connect(self.press_backspace)
        grid.addWidget(self.backspace, 3, 2)
        self.clear = named(QPushButton("清空"), "key_clear")
        self.clear.clicked.connect(field.clear)
        self.back = named(QPushButton("返回取号"), "keypadBack")
        self.back.clicked.connect(self.cancelled)
        self.confirm = named(BilingualButton("确认签到", mongolian("确认签到"), mn_scale=0.6), "keypadConfirm")
        self.confirm.setProperty("category", True)
        self.confirm.clicked.connect(self._submit)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        actions.addWidget(self.back)
        actions.addWidget(self.clear)
        actions.addWidget(self.confirm, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.prompt)
        layout.addWidget(self.display)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)
        self.buttons = [*self.keys.values(), self.backspace, self.clear, self.back, self.confirm]
        for button in self.buttons:
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap must not take the field's focus away
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._show_text(field.text())

    def press(self, key: str) -> None:
        if len(self.field.text()) < MAX_LENGTH:
            self.field.setText(self.field.text() + key)

    def press_backspace(self) -> None:
        self.field.setText(self.field.text()[:-1])

    def _submit(self) -> None:
        self.submitted.emit(self.field.text().strip().upper())

    def _show_text(self, text: str) -> None:
        """The typed text in groups (6-8-4 for an ID, 4s for a code) so it can be checked against the card."""
        text = text.strip().upper()
        groups = [text[:6], text[6:14], text[14:]] if len(text) > 8 else [text[i:i + 4] for i in range(0, len(text), 4)]
        self.display.setText(" ".join(g for g in groups if g) or "—")
        self.confirm.setEnabled(bool(text))

    def set_unit(self, unit: int) -> None:
        """Type sizes from the kiosk's unit (a 30th of its height, or less on a narrow screen)."""
        for widget, factor in ((self.prompt, 1.0), (self.display, 1.6)):
            font = QFont(widget.font())
            font.setPixelSize(int(unit * factor))
            font.setBold(widget is self.display)
            widget.setFont(font)
        for button in self.buttons:
            font = QFont(button.font())
            font.setPixelSize(int(unit * (1.5 if button in self.keys.values() else 1.0)))
            font.setBold(True)
            button.setFont(font)
            button.setMinimumHeight(int(unit * 2.2))
            text = button.chinese_text() if isinstance(button, BilingualButton) else button.text()
            button.setMinimumWidth(QFontMetrics(font).horizontalAdvance(text) + unit)
        self.confirm.setMinimumHeight(max(int(unit * 2.2), self.confirm.minimumSizeHint().height()))

    def set_languages(self, languages: Languages) -> None:
        """The bilingual buttons in the kiosk's languages (the Mongolian words the vocabulary has)."""
        self.confirm.set_languages(languages)


__all__ = ["KioskKeypad"]
