"""Search-as-you-type over the matter catalog (name, code, pinyin initials), throttled with a QTimer.

The widget is handed a plain search function (e.g. ``MatterIndex(catalog).search``) and knows nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.catalog.model import Matter

SearchFn = Callable[[str], Sequence[Matter]]
THROTTLE_MS = 150  # one search per pause in typing, not one per keystroke


class MatterSearch(QWidget):
    """A search box over a list of matching matters.

    Signals:
        matter_chosen(Matter): the clerk picked a matter (Enter, click or double-click).
        results_changed(int): a search ran; the number of matches shown.
    """

    matter_chosen = Signal(object)
    results_changed = Signal(int)

    def __init__(self, search: SearchFn | None = None, parent: QWidget | None = None, *, limit: int = 20) -> None:
        super().__init__(parent)
        self._search = search
        self._limit = limit
        self._matters: list[Matter] = []
        self._chosen: Matter | None = None
        self.fold_on_choice = False

        self.edit = QLineEdit()
        self.edit.setObjectName("matterSearchEdit")
        self.edit.setPlaceholderText("事项名称、编码或拼音首字母，如 ylbx、不动产")
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("matterResults")
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.status = QLabel("")
        self.status.setObjectName("matterSearchStatus")
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)  # a long matter name in a narrow column wraps instead of being cut
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(THROTTLE_MS)
        self.timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(self._on_text)
        self.edit.returnPressed.connect(self._choose_current)
        self.edit.installEventFilter(self)
        self.results.itemActivated.connect(lambda _i: self._choose_current())
        self.results.itemDoubleClicked.connect(lambda _i: self._choose_current())

    def _on_text(self, _text: str) -> None:
        self.results.setVisible(True)  # typing again reopens the list a choice folded away
        self.timer.start()

    def set_search(self, search: SearchFn | None) -> None:
        self._search = search
        self.run_search()

    @property
    def chosen(self) -> Matter | None:
        return self._chosen

    def matters(self) -> list[Matter]:
        return list(self._matters)

    def run_search(self) -> None:
        self.timer.stop()
        query = self.edit.text().strip()
        self._matters = list(self._search(query, )[: self._limit]) if (self._search and query) else []
        self.results.clear()
        for matter in self._matters:
            item = QListWidgetItem(f"{matter.name}\n{matter.department} · {matter.code} · 承诺 {matter.promised.label()}")
            item.setToolTip(matter.conditions or matter.name)
            self.results.addItem(item)
        if self._matters:
            self.results.setCurrentRow(0)
            self.status.setText(f"找到 {len(self._matters)} 项，按回车选第一项，↓ 选其他")
        elif query:
            self.status.setText("没有找到匹配的事项，换个关键词或拼音首字母试试")
        else:
            self.status.setText("")
        self.results_changed.emit(len(self._matters))

    def choose(self, matter: Matter) -> None:
        """Select ``matter`` as if the clerk had picked it; the list folds away to give the checklist room."""
        self._chosen = matter
        if self.fold_on_choice:
            self.results.setVisible(False)
            self.status.setText(f"已选：{matter.name}（改关键词可重新选择）")
        self.matter_chosen.emit(matter)

    def clear(self) -> None:
        self._chosen = None
        self.edit.clear()
        self.run_search()

    def _choose_current(self) -> None:
        if self.timer.isActive():  # Enter pressed before the throttle fired: search now, then choose
            self.run_search()
        row = self.results.currentRow()
        if 0 <= row < len(self._matters):
            self.choose(self._matters[row])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # ↓/↑ in the search box move through the results, so the hands never leave the keyboard.
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._matters:
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(len(self._matters) - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
