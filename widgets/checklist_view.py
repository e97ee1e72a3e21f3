"""The materials checklist: one row per material with its badges (核心/可容缺/可承诺/电子证照), a state chooser
(原件/复印件/电子证照/容缺/承诺/缺) and a button to attach a scan file. Plain values in, signals out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog.model import Material
from app.vocabulary import MATERIAL_FORM_LABELS

CHOICE_LABELS: dict[str, str] = {
    "original": "原件",
    "copy": "复印件",
    "e_license": "电子证照",
    "deferred": "容缺",
    "pledge": "承诺",
    "defective": "有误",  # handed in but not in the legal form: to be 补正
    "missing": "缺",
}
MAX_SCAN_BYTES = 50 * 1024 * 1024
SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;所有文件 (*)"
FilePicker = Callable[[QWidget, str], str | None]


def _pick_with_dialog(parent: QWidget, material_name: str) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, f"选择“{material_name}”的扫描件", "", SCAN_FILTER)
    return path or None


def choices_for(material: Material, *, allow_deferral: bool, allow_pledge: bool) -> list[str]:
    """The states a clerk may pick for ``material`` (the rules still decide whether they are enough)."""
    states = ["original", "copy"]
    if material.e_license:
        states.append("e_license")
    if material.deferrable and not material.core and allow_deferral:
        states.append("deferred")
    if material.pledgeable and allow_pledge:
        states.append("pledge")
    states += ["defective", "missing"]
    return states


def received_state(material: Material) -> str:
    return "copy" if material.form == "copy" else "original"


class _Row:
    def __init__(self, material: Material, combo: QComboBox, attach: QPushButton, files_label: QLabel,
                 due_label: QLabel) -> None:
        self.material = material
        self.combo = combo
        self.attach = attach
        self.files_label = files_label
        self.due_label = due_label


class ChecklistView(QWidget):
    """The checklist of one matter.

    Signals:
        states_changed(dict): material key → state, after any chooser changes.
        attachments_changed(dict): material key → list of scan file paths.
        attach_failed(str): a picked file could not be used (message for the clerk).
    """

    states_changed = Signal(dict)
    attachments_changed = Signal(dict)
    attach_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, file_picker: FilePicker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistView")
        self._pick = file_picker or _pick_with_dialog
        self._rows: dict[str, _Row] = {}
        self._states: dict[str, str] = {}
        self._files: dict[str, list[Path]] = {}
        self._building = False
        # Has the clerk said anything about this matter's materials yet? Every row starts at 缺, so until then a
        # decision would only repeat the defaults (the banner stays neutral, see ui/counter_intake.py).
        self.checked = False

        self.all_button = QPushButton("材料齐全 (Ctrl+Shift+A)")
        self.all_button.setObjectName("allReceivedButton")
        self.all_button.setToolTip("把每项材料设为已收原件（或复印件），再逐项改例外")
        self.all_button.clicked.connect(self.mark_all_received)
        self.summary = QLabel("")
        self.summary.setObjectName("checklistSummary")
        self.summary.setProperty("role", "hint")
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.all_button)

        self._grid_host = QWidget()
        self._grid_host.setObjectName("checklistRows")
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        scroll.setObjectName("checklistScroll")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the rows; a focused row scrolls into view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self._show_empty()

    # --- building ------------------------------------------------------------------------------------

    def _clear_grid(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, not at the next deferred-delete pass
                widget.deleteLater()
        self._rows.clear()

    def _show_empty(self) -> None:
        self._clear_grid()
        hint = QLabel("选择事项后，这里列出所需材料")
        hint.setProperty("role", "hint")
        self._grid.addWidget(hint, 0, 0)
        self.summary.setText("")
        self.all_button.setEnabled(False)

    def set_materials(self, materials: Sequence[Material], *, organisation: bool = False, proxy: bool = False,
                      allow_deferral: bool = True, allow_pledge: bool = True) -> None:
        """Show the materials that apply to this applicant; states and files of keys still shown are kept."""
        applicable = [m for m in materials if m.applies(organisation=organisation, proxy=proxy)]
        self._building = True
        try:
            self._clear_grid()
            if not applicable:
                self._show_empty()
                self._states = {}
                self.checked = False
            else:
                self.all_button.setEnabled(True)
                keep = {m.key: self._states.get(m.key, "missing") for m in applicable}
                if not any(m.key in self._states for m in applicable):
                    self.checked = False  # another matter: nothing of it has been checked yet
                self._states = {}
                for row, material in enumerate(applicable):
                    self._add_row(row, material, keep[material.key], allow_deferral=allow_deferral,
                                  allow_pledge=allow_pledge)
                self._grid.setColumnStretch(0, 1)
                self._grid.setRowStretch(len(applicable), 1)
            self._files = {k: v for k, v in self._files.items() if k in self._states}
        finally:
            self._building = False
        self._update_summary()
        self.states_changed.emit(self.states())
        self.attachments_changed.emit(self.attachments())

    def _add_row(self, row: int, material: Material, state: str, *, allow_deferral: bool,
                 allow_pledge: bool) -> None:
        copies = f" ×{material.copies}" if material.copies > 1 else ""
        name = QLabel(f"{material.name}（{MATERIAL_FORM_LABELS.get(material.form, material.form)}{copies}）")
        name.setWordWrap(True)
        name.setToolTip(material.note or material.name)
        name.setObjectName(f"materialName_{material.key}")
        badges = QHBoxLayout()
        badges.setSpacing(3)
        for kind, text in self._badges(material):
            badge = QLabel(text)
            badge.setProperty("badge", kind)
            badges.addWidget(badge)
        badges.addStretch(1)
        badge_host = QWidget()
        badge_host.setLayout(badges)
        badges.setContentsMargins(0, 0, 0, 0)

        combo = QComboBox()
        combo.setObjectName(f"materialState_{material.key}")
        combo.setAccessibleName(f"{material.name} 收取情况")
        for choice in choices_for(material, allow_deferral=allow_deferral, allow_pledge=allow_pledge):
            combo.addItem(CHOICE_LABELS[choice], choice)
        if combo.findData(state) < 0:
            state = "missing"
        combo.setCurrentIndex(combo.findData(state))
        combo.currentIndexChanged.connect(lambda _i, key=material.key: self._on_combo(key))

        attach = QPushButton("附件…")
        attach.setObjectName(f"attach_{material.key}")
        attach.setToolTip("附上这项材料的扫描件")
        attach.clicked.connect(lambda _c=False, m=material: self._attach_picked(m))
        files_label = QLabel("")
        files_label.setObjectName(f"attachments_{material.key}")
        files_label.setProperty("role", "hint")
        due_label = QLabel("")
        due_label.setObjectName(f"due_{material.key}")
        due_label.setProperty("role", "hint")
        due_label.setMinimumWidth(due_label.fontMetrics().horizontalAdvance("12月31日前补齐") + 6)

        self._grid.addWidget(name, row, 0)
        self._grid.addWidget(badge_host, row, 1)
        self._grid.addWidget(combo, row, 2)
        self._grid.addWidget(attach, row, 3)
        self._grid.addWidget(files_label, row, 4)
        self._grid.addWidget(due_label, row, 5)
        self._rows[material.key] = _Row(material, combo, attach, files_label, due_label)
        self._states[material.key] = state
        self._refresh_files_label(material.key)

    @staticmethod
    def _badges(material: Material) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if material.core:
            out.append(("core", "核心"))
        if material.deferrable and not material.core:
            out.append(("deferrable", "可容缺"))
        if material.pledgeable:
            out.append(("pledgeable", "可承诺"))
        if material.e_license:
            out.append(("e_license", "电子证照"))
        if not material.required:
            out.append(("optional", "非必需"))
        if material.condition == "proxy":
            out.append(("optional", "代办时需"))
        return out

    # --- states --------------------------------------------------------------------------------------

    def states(self) -> dict[str, str]:
        return dict(self._states)

    def focus_first(self) -> None:
        """Put the keyboard on the first material's chooser (after a matter is picked).

        Rows just added to a visible widget are shown by a queued call, and a hidden widget cannot take focus,
        so the focus is set from the event loop right after that."""
        for row in self._rows.values():
            QTimer.singleShot(0, row.combo, row.combo.setFocus)
            return

    def keys(self) -> list[str]:
        return list(self._rows)

    def tab_chain(self) -> list[QWidget]:
        """The controls in reading order: 材料齐全, then per material its state and its 附件 button."""
        chain: list[QWidget] = [self.all_button]
        for row in self._rows.values():
            chain.append(row.combo)
            chain.append(row.attach)
        return chain

    def set_state(self, key: str, state: str) -> None:
        row = self._rows.get(key)
        if row is None:
            raise KeyError(key)
        index = row.combo.findData(state)
        if index < 0:
            raise ValueError(f"{row.material.name} 不可选“{CHOICE_LABELS.get(state, state)}”")
        row.combo.setCurrentIndex(index)

    def mark_all_received(self) -> None:
        self._building = True
        try:
            for key, row in self._rows.items():
                row.combo.setCurrentIndex(row.combo.findData(received_state(row.material)))
                self._states[key] = received_state(row.material)
        finally:
            self._building = False
        self.checked = True
        self._update_summary()
        self.states_changed.emit(self.states())

    def _on_combo(self, key: str) -> None:
        row = self._rows[key]
        self._states[key] = str(row.combo.currentData())
        if not self._building:
            self.checked = True
            self._update_summary()
            self.states_changed.emit(self.states())

    def set_dues(self, dues: Mapping[str, dt.date | None]) -> None:
        """Show each deferred material's supply deadline next to it (from the live decision)."""
        for key, row in self._rows.items():
            due = dues.get(key)
            row.due_label.setText(f"{due.month}月{due.day}日前补齐" if due else "")

    def _update_summary(self) -> None:
        if not self._rows:
            self.summary.setText("")
            return
        counts: dict[str, int] = {}
        for state in self._states.values():
            counts[state] = counts.get(state, 0) + 1
        received = counts.get("original", 0) + counts.get("copy", 0) + counts.get("e_license", 0)
        parts = [f"共 {len(self._rows)} 项", f"已收 {received}"]
        for state in ("deferred", "pledge", "defective", "missing"):
            if counts.get(state):
                parts.append(f"{CHOICE_LABELS[state]} {counts[state]}")
        self.summary.setText("，".join(parts))

    # --- attachments ---------------------------------------------------------------------------------

    def attachments(self) -> dict[str, list[Path]]:
        return {k: list(v) for k, v in self._files.items() if v}

    def _attach_picked(self, material: Material) -> None:
        path = self._pick(self, material.name)
        if path:
            self.attach_file(material.key, Path(path))

    def attach_file(self, key: str, path: Path) -> bool:
        """Attach a scan to material ``key``; returns False (and emits attach_failed) if it cannot be used."""
        row = self._rows.get(key)
        if row is None:
            self.attach_failed.emit(f"没有这项材料：{key}")
            return False
        try:
            size = path.stat().st_size
        except OSError:
            self.attach_failed.emit(f"“{row.material.name}”的扫描件无法读取：{path}")
            return False
        if not path.is_file() or size == 0:
            self.attach_failed.emit(f"“{row.material.name}”的扫描件是空文件：{path.name}")
            return False
        if size > MAX_SCAN_BYTES:
            self.attach_failed.emit(f"“{row.material.name}”的扫描件太大（超过 50 MB）：{path.name}")
            return False
        files = self._files.setdefault(key, [])
        if path not in files:
            files.append(path)
        self._refresh_files_label(key)
        self.attachments_changed.emit(self.attachments())
        return True

    def clear_attachments(self) -> None:
        self._files.clear()
        for key in self._rows:
            self._refresh_files_label(key)
        self.attachments_changed.emit({})

    def _refresh_files_label(self, key: str) -> None:
        row = self._rows[key]
        files = self._files.get(key, [])
        row.files_label.setText("、".join(p.name for p in files) if files else "")
        row.files_label.setToolTip("\n".join(str(p) for p in files))
        row.files_label.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
