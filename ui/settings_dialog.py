"""The 设置 dialog: the everyday settings of this PC, edited by role, saved to the settings file and audited.

The rules, file writing and probes it runs off the GUI thread live in ``ui.settings_fields``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import auth
from app.auth import WindowChoice
from app.errors import CounterError, ValidationError
from app.settings import default_config_file, env_overrides
from ui.context import AppContext
from ui.login import FALLBACK_WINDOWS
from ui.settings_fields import (
    COMMON_BAUDS,
    LOCKED_BY,
    NOTICE_MAX,
    PAGES,
    RANGES,
    RANK,
    SPEC,
    SPECS,
    THERMAL_FORMS,
    audit_changes,
    check_value,
    probe_hub,
    probe_reader,
    role_of,
    write_changes,
)
from widgets.screen_fit import fit_to_screen


def _label(text: str, name: str = "", role: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if role:
        label.setProperty("role", role)
    return label


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


def _spin(name: str, value: int) -> QSpinBox:
    _low, high, unit = RANGES[name]
    spin = QSpinBox()
    # Room beyond the range, so a typed 0 gets "应在 1–120 分钟之间" instead of silently becoming 1, and the file's
    # own value always shows as it is.
    spin.setRange(min(0, value), max(high * 10, value))
    spin.setSuffix(f" {unit}")
    spin.setValue(value)
    return spin


def _combo(options: list[tuple[str, Any]], current: Any) -> QComboBox:
    combo = QComboBox()
    for text, value in options:
        combo.addItem(text, value)
    if combo.findData(current) < 0:  # a value the file holds but the dialog does not offer: show it honestly
        combo.addItem(f"{current}（不支持）", current)
    combo.setCurrentIndex(combo.findData(current))
    return combo


class SettingsDialog(QDialog):
    """The 设置 dialog.

    Signals:
        windows_loaded(): the hall's windows are in the 本机窗口 list (or the reason they could not be read is shown).
        saved(object): the settings file was written; the dict of changed ``section.key`` → new value.
        reader_tested(bool, str): the reader 测试 finished: whether it worked, and the message shown.
        hub_tested(bool, str): 测试连接 finished: whether the hub answered, and the message shown.
    """

    windows_loaded = Signal()
    saved = Signal(object)
    reader_tested = Signal(bool, str)
    hub_tested = Signal(bool, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 environ: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.role = role_of(ctx)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("设置"))
        fit_to_screen(self, 900, 600)
        self.overrides = {f"{s}.{k}": var for (s, k), var in env_overrides(environ).items()}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        self._saving = False

        self.page_list = QListWidget()
        self.page_list.setObjectName("settingsPageList")
        self.page_list.setFixedWidth(110)
        self.page_list.setStyleSheet("QListWidget::item { padding: 7px 12px; }")
        self.stack = QStackedWidget()
        self.stack.setObjectName("settingsStack")
        builders: dict[str, Callable[[QGridLayout], None]] = {
            "local": self._build_local, "counter": self._build_counter, "queue": self._build_queue,
            "devices": self._build_devices, "printing": self._build_printing, "sync": self._build_sync}
        for page, title in PAGES:
            self.page_list.addItem(title)
            self.stack.addWidget(self._page(page, builders[page]))
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)

        self.save_error = _label("", "saveError", "error")
        self.save_result = _label("", "saveResult", "hint")
        self.save_button = _button("保存 (Ctrl+S)", "saveButton")
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        self.cancel_button = _button("取消", "cancelButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_result, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.save_error)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self._apply_locks()
        self.page_list.setFocus()
        self._load_windows()

    # --- building --------------------------------------------------------------------------------------

    def _page(self, page: str, build: Callable[[QGridLayout], None]) -> QWidget:
        widget = QWidget()
        widget.setObjectName(f"{page}Page")
        column = QVBoxLayout(widget)
        specs = [s for s in SPECS if s.page == page]
        if all(RANK[self.role] < RANK[s.editor] for s in specs):
            lowest = min((s.editor for s in specs), key=RANK.__getitem__)
            column.addWidget(_label(LOCKED_BY[lowest], f"{page}LockedLabel", "hint"))
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        build(grid)
        column.addLayout(grid)
        column.addStretch(1)
        return widget

    def _value(self, name: str) -> Any:
        spec = SPEC[name]
        return getattr(getattr(self.ctx.settings, spec.section), spec.key)

    def _row(self, grid: QGridLayout, name: str, editor: QWidget, *extras: QWidget, hint: str = "") -> None:
        spec = SPEC[name]
        editor.setObjectName(spec.widget)
        self.editors[name] = editor
        row = grid.rowCount()
        label = QLabel(spec.label)
        label.setBuddy(editor)
        grid.addWidget(label, row, 0)
        line = QHBoxLayout()
        short = isinstance(editor, QSpinBox) or (isinstance(editor, QComboBox) and spec.name != "hall.window")
        if short:
            editor.setMinimumWidth(160)
        line.addWidget(editor, 0 if short else 1)
        for extra in extras:
            line.addWidget(extra)
        if short:
            line.addStretch(1)
        grid.addLayout(line, row, 1)
        note = _label("", f"{spec.widget}Note", "hint")
        note.setVisible(False)
        grid.addWidget(note, row + 1, 1)
        self.notes[name] = note
        error = _label("", f"{spec.widget}Error", "error")
        error.setVisible(False)
        grid.addWidget(error, row + 2, 1)
        self.errors[name] = error
        if hint:
            grid.addWidget(_label(hint, f"{spec.widget}Hint", "hint"), row + 3, 1)

    def _build_local(self, grid: QGridLayout) -> None:
        hall = self.ctx.settings.hall
        grid.addWidget(QLabel("大厅"), 0, 0)
        grid.addWidget(_label(f"{hall.name or '（未命名）'}（{hall.code}）", "hallInfoLabel"), 0, 1)
        current = int(self._value("hall.window"))
        combo = _combo([("登录时选择", 0)] + ([(f"{current} 号窗口", current)] if current else []), current)
        self._row(grid, "hall.window", combo, hint="选“登录时选择”则每次登录时再选窗口；修改后下次启动时生效。")
        grid.addWidget(QLabel("设置文件"), grid.rowCount(), 0)
        grid.addWidget(_label(str(self._target()), "settingsFileLabel", "hint"), grid.rowCount() - 1, 1)

    def _build_counter(self, grid: QGridLayout) -> None:
        self._row(grid, "counter.idle_lock_minutes", self._spin("counter.idle_lock_minutes"))
        self._row(grid, "counter.auto_print", self._check("counter.auto_print", "受理成功后自动打开应出具文书的打印预览"))
        self._row(grid, "counter.follow_up_workdays", self._spin("counter.follow_up_workdays"),
                  hint="收到差评后须在这么多个工作日内整改回访。")
        policy = _label("以下三项按本大厅的容缺受理、告知承诺制度设置，须与大厅公布的政策一致。", "policyLabel", "hint")
        grid.addWidget(policy, grid.rowCount(), 0, 1, 2)
        self._row(grid, "counter.allow_deferral", self._check("counter.allow_deferral", "本大厅开展容缺受理"))
        self._row(grid, "counter.allow_pledge", self._check("counter.allow_pledge", "本大厅开展告知承诺"))
        self._row(grid, "counter.excluded_blocks_pledge",
                  self._check("counter.excluded_blocks_pledge", "失信名单上的申请人也不适用告知承诺"),
                  hint="失信名单上的申请人一律不适用容缺受理；勾选后也不适用告知承诺。")

    def _check(self, name: str, text: str) -> QCheckBox:
        check = QCheckBox(text)
        check.setChecked(bool(self._value(name)))
        return check

    def _spin(self, name: str) -> QSpinBox:
        return _spin(name, int(self._value(name)))

    def _build_queue(self, grid: QGridLayout) -> None:
        self._row(grid, "queue.voice", _combo([("语音播报", "voice"), ("静音（只显示）", "silent")],
                                             self._value("queue.voice")))
        self._row(grid, "queue.voice_repeat", self._spin("queue.voice_repeat"))
        self._row(grid, "queue.highlight_seconds", self._spin("queue.highlight_seconds"),
                  hint="大厅屏上新叫的号醒目显示这么多秒。")
        notice = QLineEdit(self._value("queue.notice"))
        self._row(grid, "queue.notice", notice, hint=f"印在号票上并显示在大厅屏上，最多 {NOTICE_MAX} 个字。")
        self._row(grid, "queue.ticket_width_mm", _combo([("80 毫米", 80), ("58 毫米", 58)],
                                                         self._value("queue.ticket_width_mm")))

    def _build_devices(self, grid: QGridLayout) -> None:
        port = QLineEdit(self._value("counter.reader_port"))
        port.setPlaceholderText("如 COM3 或 /dev/ttyUSB0；留空表示不接读卡器")
        self.reader_test_button = _button("测试", "readerTestButton")
        self.reader_test_button.clicked.connect(self.test_reader)
        self._row(grid, "counter.reader_port", port, self.reader_test_button)
        baud = QComboBox()
        baud.setEditable(True)
        baud.addItems([str(b) for b in COMMON_BAUDS])
        baud.setCurrentText(str(self._value("counter.reader_baud")))
        self._row(grid, "counter.reader_baud", baud)
        self.reader_result = _label("", "readerTestResult", "hint")
        grid.addWidget(self.reader_result, grid.rowCount(), 1)
        self._row(grid, "counter.camera", self._check("counter.camera", "受理时可用高拍仪或摄像头拍摄材料"))

    def _build_printing(self, grid: QGridLayout) -> None:
        self._row(grid, "printing.paper", _combo([("A4", "A4"), ("A5", "A5")], self._value("printing.paper")))
        thermal = QLineEdit(self._value("printing.thermal"))
        thermal.setPlaceholderText("tcp:192.168.1.50:9100")
        self._row(grid, "printing.thermal", thermal, hint=THERMAL_FORMS)
        out = QLineEdit(self._value("printing.output_dir"))
        out.setPlaceholderText("留空：数据目录下的 tickets 文件夹")
        browse = _button("浏览…", "outputDirBrowseButton")
        browse.clicked.connect(self._browse_output_dir)
        self._row(grid, "printing.output_dir", out, browse)

    def _build_sync(self, grid: QGridLayout) -> None:
        url = QLineEdit(self._value("sync.hub_url"))
        url.setPlaceholderText("https://枢纽主机名/")
        self._row(grid, "sync.hub_url", url)
        token = QLineEdit(self._value("sync.token"))
        token.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_token_button = _button("显示", "showTokenButton")
        self.show_token_button.setCheckable(True)
        self.show_token_button.toggled.connect(self._show_token)
        self._row(grid, "sync.token", token, self.show_token_button)
        ca = QLineEdit(self._value("sync.ca_file"))
        ca.setPlaceholderText("留空：使用系统信任的证书")
        browse = _button("浏览…", "caFileBrowseButton")
        browse.clicked.connect(self._browse_ca_file)
        self._row(grid, "sync.ca_file", ca, browse)
        self._row(grid, "sync.interval_seconds", self._spin("sync.interval_seconds"))
        self.hub_test_button = _button("测试连接", "hubTestButton")
        self.hub_test_button.clicked.connect(self.test_hub)
        self.hub_result = _label("", "hubTestResult", "hint")
        line = QHBoxLayout()
        line.setSpacing(12)
        line.addWidget(self.hub_test_button)
        line.addWidget(self.hub_result, 1)
        grid.addLayout(line, grid.rowCount(), 1)

    def _apply_locks(self) -> None:
        for spec in SPECS:
            editor = self.editors[spec.name]
            why = ""
            if spec.name in self.overrides:
                why = f"由环境变量 {self.overrides[spec.name]} 指定"
            elif RANK[self.role] < RANK[spec.editor]:
                page_locked = self.stack.findChild(QLabel, f"{spec.page}LockedLabel") is not None
                why = "" if page_locked else LOCKED_BY[spec.editor]
            editable = self.editable(spec.name)
            editor.setEnabled(editable)
            self.notes[spec.name].setText(why)
            self.notes[spec.name].setVisible(bool(why))
        token_editable = self.editable("sync.token")
        self.show_token_button.setEnabled(token_editable)
        if not token_editable:  # nobody who may not change the token gets it into a widget at all
            token = self.editors["sync.token"]
            assert isinstance(token, QLineEdit)
            token.clear()
            token.setPlaceholderText("已设置（已隐藏）" if self._value("sync.token") else "未设置")
        for name, button in (("printing.output_dir", "outputDirBrowseButton"), ("sync.ca_file", "caFileBrowseButton")):
            found = self.findChild(QPushButton, button)
            if found is not None:
                found.setEnabled(self.editable(name))

    def editable(self, name: str) -> bool:
        """May the person at this PC change ``name`` here (role allows it and no environment variable fixes it)?"""
        return name not in self.overrides and RANK[self.role] >= RANK[SPEC[name].editor]

    # --- reading and writing the editors ---------------------------------------------------------------

    def _raw(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QComboBox):
            return editor.currentText() if editor.isEditable() else editor.currentData()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def current(self, name: str) -> Any:
        """What the form says now for ``name`` (the running value where the field is not editable here)."""
        return self._raw(name) if self.editable(name) else self._value(name)

    def changes(self) -> tuple[dict[str, Any], list[ValidationError]]:
        """The changed, editable fields as typed values, and one ValidationError per changed field that is wrong."""
        changed: dict[str, Any] = {}
        bad: list[ValidationError] = []
        for spec in SPECS:
            if not self.editable(spec.name):
                continue
            raw, old = self._raw(spec.name), self._value(spec.name)
            if raw == old or (isinstance(raw, str) and raw == str(old)):
                continue
            try:
                value = check_value(spec, raw)
            except ValidationError as exc:
                bad.append(exc)
                continue
            if value != old:
                changed[spec.name] = value
        return changed, bad

    def _target(self) -> Path:
        return self.ctx.settings.source or default_config_file()

    # --- errors next to the fields ---------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for name, label in self.errors.items():
            label.clear()
            label.setVisible(False)
            self._mark(name, invalid=False)
        for row, (_page, title) in enumerate(PAGES):
            self._flag_page(row, title, bad=False)
        self.save_error.clear()

    def _flag_page(self, row: int, title: str, *, bad: bool) -> None:
        item = self.page_list.item(row)
        item.setText(f"{title}  ！" if bad else title)
        item.setForeground(QColor("#b42318") if bad else self.page_list.palette().text().color())

    def _mark(self, name: str, *, invalid: bool) -> None:
        editor = self.editors[name]
        editor.setProperty("state", "invalid" if invalid else None)
        editor.style().unpolish(editor)
        editor.style().polish(editor)

    def show_error(self, exc: CounterError) -> None:
        """Next to the field the error names (its page marked in the list), else under the pages."""
        label = self.errors.get(exc.field or "")
        if label is None:
            self.save_error.setText(exc.message)
            return
        label.setText(exc.message)
        label.setVisible(True)
        self._mark(exc.field or "", invalid=True)
        row = [page for page, _title in PAGES].index(SPEC[exc.field or ""].page)
        self._flag_page(row, PAGES[row][1], bad=True)

    def _focus_first(self, names: list[str]) -> None:
        pages = [p for p, _title in PAGES]
        first = min(names, key=lambda n: (pages.index(SPEC[n].page), SPECS.index(SPEC[n])))
        self.page_list.setCurrentRow(pages.index(SPEC[first].page))
        self.editors[first].setFocus()

    # --- saving ----------------------------------------------------------------------------------------

    def save(self) -> None:
        if self._saving:
            return
        self._clear_errors()
        changes, bad = self.changes()
        if bad:
            for exc in bad:
                self.show_error(exc)
            self._focus_first([exc.field or "" for exc in bad])
            return
        if not changes:
            self.accept()
            return
        self._set_saving(True)
        path = self._target()
        self.ctx.runner.submit(lambda: write_changes(path, changes), lambda written: self._written(written, changes),
                               self._save_failed, pool="io")

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        self.save_result.setText("正在保存…" if saving else "")

    def _save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, CounterError):
            self.show_error(exc)
            if exc.field in SPEC:
                self._focus_first([exc.field or ""])
        else:
            self.save_error.setText(f"设置没有保存：{exc}")

    def _written(self, path: Path, changes: dict[str, Any]) -> None:
        settings = self.ctx.settings
        for name, value in changes.items():
            setattr(getattr(settings, SPEC[name].section), SPEC[name].key, value)
        settings.source = path
        ctx = self.ctx
        self.ctx.runner.submit(lambda: audit_changes(ctx, path, changes), lambda _none: self._finish(path, changes),
                               lambda exc: self._finish(path, changes, audit_error=exc))

    def _finish(self, path: Path, changes: dict[str, Any], *, audit_error: BaseException | None = None) -> None:
        self._set_saving(False)
        later = [SPEC[name].label for name in changes if not SPEC[name].live]
        self.saved.emit(dict(changes))
        if audit_error is not None:
            reason = audit_error.message if isinstance(audit_error, CounterError) else type(audit_error).__name__
            self.save_error.setText(f"设置已保存，但操作记录没有写入：{reason}。请告知系统管理员。")
        if not later and audit_error is None:
            self.accept()
            return
        message = f"已保存到 {path}。"
        if later:
            message += f"以下修改在重新启动程序后生效：{'、'.join(later)}。"
        self.save_result.setText(message)
        self.cancel_button.setText("关闭")
        self.cancel_button.setFocus()

    # --- the test buttons ------------------------------------------------------------------------------

    def test_reader(self) -> None:
        self._clear_errors()
        port = str(self.current("counter.reader_port")).strip()
        try:
            baud = check_value(SPEC["counter.reader_baud"], self.current("counter.reader_baud"))
            if not port:
                raise ValidationError("请先填写读卡器端口", field="counter.reader_port")
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.reader_test_button.setEnabled(False)
        self.reader_result.setText(f"正在打开 {port}…")
        self.ctx.runner.submit(lambda: probe_reader(port, baud), lambda text: self._tested("reader", True, text),
                               lambda exc: self._tested("reader", False, exc), pool="io")

    def test_hub(self) -> None:
        self._clear_errors()
        url = str(self.current("sync.hub_url")).strip()
        token = str(self.current("sync.token")).strip()
        ca_file = str(self.current("sync.ca_file")).strip()
        self.hub_test_button.setEnabled(False)
        self.hub_result.setText("正在连接枢纽…")
        self.ctx.runner.submit(lambda: probe_hub(url, token, ca_file), lambda text: self._tested("hub", True, text),
                               lambda exc: self._tested("hub", False, exc), pool="io")

    def _tested(self, what: str, ok: bool, outcome: str | BaseException) -> None:
        if isinstance(outcome, BaseException):
            reason = outcome.message if isinstance(outcome, CounterError) else f"意外错误（{type(outcome).__name__}）"
            text = ("连接失败：" if what == "hub" else "测试失败：") + reason
            if isinstance(outcome, ValidationError) and outcome.field in SPEC:
                self.show_error(outcome)
        else:
            text = outcome
        label, button, signal = ((self.hub_result, self.hub_test_button, self.hub_tested) if what == "hub" else
                                 (self.reader_result, self.reader_test_button, self.reader_tested))
        label.setText(text)
        label.setProperty("role", "hint" if ok else "error")
        label.style().unpolish(label)
        label.style().polish(label)
        button.setEnabled(True)
        signal.emit(ok, text)

    # --- the rest --------------------------------------------------------------------------------------

    def _show_token(self, shown: bool) -> None:
        token = self.editors["sync.token"]
        assert isinstance(token, QLineEdit)
        token.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_token_button.setText("隐藏" if shown else "显示")

    def _browse_output_dir(self) -> None:
        edit = self.editors["printing.output_dir"]
        assert isinstance(edit, QLineEdit)
        chosen = QFileDialog.getExistingDirectory(self, "选择 PDF 输出文件夹", edit.text())
        if chosen:
            edit.setText(chosen)

    def _browse_ca_file(self) -> None:
        edit = self.editors["sync.ca_file"]
        assert isinstance(edit, QLineEdit)
        chosen, _filter = QFileDialog.getOpenFileName(self, "选择 CA 证书文件", edit.text(),
                                                      "证书文件 (*.pem *.crt *.cer);;所有文件 (*)")
        if chosen:
            edit.setText(chosen)

    def _load_windows(self) -> None:
        ctx = self.ctx
        combo = self.editors["hall.window"]
        combo.setToolTip("正在读取本大厅的窗口…")

        def read() -> list[WindowChoice]:
            with ctx.store.read() as session:
                return auth.hall_windows(session, ctx.hall_code)

        self.ctx.runner.submit(read, self._on_windows, self._on_windows_failed)

    def _on_windows(self, windows: list[WindowChoice]) -> None:
        combo = self.editors["hall.window"]
        assert isinstance(combo, QComboBox)
        chosen = combo.currentData()
        combo.clear()
        combo.addItem("登录时选择", 0)
        for window in windows:
            combo.addItem(window.label, window.number)
        if not windows:  # a hall with no window rows yet: the same numbers the login screen offers
            for number in range(1, FALLBACK_WINDOWS + 1):
                combo.addItem(f"{number} 号窗口", number)
        if combo.findData(chosen) < 0:  # the window this PC was set to is gone or inactive
            combo.addItem(f"{chosen} 号窗口（本大厅现无此窗口）", chosen)
        combo.setCurrentIndex(combo.findData(chosen))
        combo.setToolTip("")
        self.windows_loaded.emit()

    def _on_windows_failed(self, exc: BaseException) -> None:
        combo = self.editors["hall.window"]
        combo.setToolTip("")
        reason = exc.message if isinstance(exc, CounterError) else "请稍后再试"
        self.show_error(ValidationError(f"读取本大厅的窗口失败：{reason}", field="hall.window"))
        self.windows_loaded.emit()


def open_settings(ctx: AppContext, parent: QWidget | None = None) -> QDialog | None:
    """Open the 设置 dialog (window-modal, returns at once). Every role may open it; what each may change differs."""
    dialog = SettingsDialog(ctx, parent)
    dialog.open()
    return dialog
