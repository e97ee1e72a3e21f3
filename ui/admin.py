"""系统管理: the administrator's dialog and its tabs for clerks, windows and the local excluded (失信) list.

Every read and write goes through app.staff or app.excluded on the store thread; the forms are in ui/admin_forms.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import excluded, staff
from ui.admin_forms import (
    ClerkForm,
    ExcludedForm,
    FormDialog,
    PasswordForm,
    WindowForm,
    acting,
    message_of,
    named,
    tr,
)
from ui.admin_voice import VoiceClipsTab
from ui.context import AppContext
from widgets.screen_fit import fit_to_screen

SEARCH_DELAY_MS = 250
HUB_HINT = "由县级枢纽下发，本地不能修改或移除；如有异议请联系县级政务服务中心"


def set_status(label: QLabel, text: str, *, error: bool = False) -> None:
    label.setProperty("role", "error" if error else "hint")
    label.style().unpolish(label)
    label.style().polish(label)
    label.setText(text)


def open_admin(ctx: AppContext, parent: QWidget | None = None) -> QDialog | None:
    """Show the 系统管理 dialog (non-modal) and return it; None, with a message, for anyone but an admin."""
    if ctx.clerk is None or ctx.clerk.role != staff.ADMIN:
        owner = parent or QApplication.activeWindow()
        box = named(QMessageBox(QMessageBox.Icon.Warning, tr("系统管理"), tr("只有系统管理员可以打开系统管理"),
                                QMessageBox.StandardButton.Ok, owner), "adminRefusedBox")
        box.button(QMessageBox.StandardButton.Ok).setText(tr("知道了"))
        if owner is None:
            box.exec()  # nothing else on screen to keep responsive
        else:
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        return None
    dialog = AdminDialog(ctx, parent)
    dialog.show()
    return dialog


class AdminDialog(QDialog):
    """The tabs: 人员, 窗口, 失信名单, 叫号语音 (ui/admin_voice.py)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminDialog")
        self.setWindowTitle(tr("系统管理"))
        self.setModal(False)
        fit_to_screen(self, 1000, 620)
        self.clerks = ClerksTab(ctx)
        self.windows = WindowsTab(ctx)
        self.excluded = ExcludedTab(ctx)
        self.voice = VoiceClipsTab(ctx)
        self.tabs = named(QTabWidget(), "adminTabs")
        self.tabs.addTab(self.clerks, tr("人员"))
        self.tabs.addTab(self.windows, tr("窗口"))
        self.tabs.addTab(self.excluded, tr("失信名单"))
        self.tabs.addTab(self.voice, tr("叫号语音"))
        close = named(QPushButton(tr("关闭")), "adminCloseButton")
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        for index in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{index + 1}"), self, lambda i=index: self.tabs.setCurrentIndex(i))
        self.clerks.reload()
        self.windows.reload()
        self.excluded.reload()


# --- the tabs ------------------------------------------------------------------------------------------------


class TableTab(QWidget):
    """A table of rows, a row of buttons and a status line; subclasses fill in the rows and the actions.

    Signals:
        loaded(int): the table was (re)filled with this many rows.
        changed(str): a change was saved; the status line's message.
    """

    loaded = Signal(int)
    changed = Signal(str)

    def __init__(self, ctx: AppContext, name: str, headers: tuple[str, ...]) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(name)
        self.rows: list[Any] = []
        self.form: FormDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._select_key: object = None
        self.table = named(QTableWidget(0, len(headers)), f"{name[:-3]}Table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in headers])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        # Every column as wide as its content and the last one takes the rest (long text elided, full text in
        # the tooltip), so the table never scrolls sideways on a 1366-pixel screen.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(200)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.table.itemActivated.connect(lambda _item: self.activate())
        self.buttons = QHBoxLayout()
        self.status = named(QLabel(""), f"{name[:-3]}Status")
        self.status.setWordWrap(True)
        self.top = QHBoxLayout()
        self.column = QVBoxLayout(self)
        self.column.addLayout(self.top)
        self.column.addWidget(self.table, 1)
        self.column.addWidget(self.status)
        self.column.addLayout(self.buttons)

    def button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(tr(text)), name)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def key_of(self, row: Any) -> object:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def load(self) -> Callable[[], Any]:
        raise NotImplementedError

    def update_buttons(self) -> None:
        raise NotImplementedError

    def activate(self) -> None:
        """Enter or double-click on a row."""

    def reload(self) -> None:
        self.ctx.runner.submit(self.load(), self.fill,
                               lambda exc: set_status(self.status, message_of(exc, tr("读取失败，请重试")), error=True))

    def fill(self, rows: list[Any]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        select = -1
        for i, row in enumerate(self.rows):
            for j, value in enumerate(self.cells(row)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(i, j, self.decorate(row, item))
            if self.key_of(row) == self._select_key:
                select = i
        if select >= 0:
            self.table.selectRow(select)
        self.update_buttons()
        self.loaded.emit(len(self.rows))

    def decorate(self, _row: Any, item: QTableWidgetItem) -> QTableWidgetItem:
        return item

    def open_form(self, form: FormDialog, done: Callable[[Any], str]) -> None:
        """Show ``form``; once saved, reload with the saved row selected and say ``done(result)``."""
        if self.form is not None:
            self.form.deleteLater()  # one form at a time; the last one stays reachable until the next opens
        self.form = form
        form.saved.connect(lambda result: self.after_change(done(result), self.key_of(result)))
        form.open()

    def run(self, work: Callable[[], Any], done: Callable[[Any], str]) -> None:
        """A change made without a form (停用, 解锁, 移除): its refusal appears on the status line."""
        set_status(self.status, "")
        self.ctx.runner.submit(work, lambda result: self.after_change(done(result), self.key_of(result)),
                               lambda exc: set_status(self.status, message_of(exc, tr("操作失败，请重试")), error=True))

    def confirm(self, text: str, yes: str, then: Callable[[], None]) -> None:
        box = named(QMessageBox(QMessageBox.Icon.Question, tr("请确认"), text,
                                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self), "confirmBox")
        yes_button = named(box.button(QMessageBox.StandardButton.Yes), "confirmYesButton")
        yes_button.setText(yes)
        named(box.button(QMessageBox.StandardButton.Cancel), "confirmCancelButton").setText(tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda clicked: then() if box.standardButton(clicked) == QMessageBox.StandardButton.Yes else None)
        if self.confirm_box is not None:
            self.confirm_box.deleteLater()
        self.confirm_box = box
        box.open()

    def after_change(self, message: str, key: object) -> None:
        self._select_key = key
        set_status(self.status, message)
        self.changed.emit(message)
        self.reload()


class ClerksTab(TableTab):
    HEADERS = ("用户名", "姓名", "角色", "电话", "状态", "所在窗口")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "clerksTab", self.HEADERS)
        self.add_button = self.button("新增(&N)", "addClerkButton", self.add)
        self.edit_button = self.button("修改(&E)", "editClerkButton", self.edit)
        self.password_button = self.button("重置密码(&P)", "resetPasswordButton", self.reset_password)
        self.toggle_button = self.button("停用(&D)", "toggleClerkButton", self.toggle)
        self.unlock_button = self.button("解锁(&U)", "unlockClerkButton", self.unlock)
        self.buttons.addStretch(1)

    def key_of(self, row: Any) -> object:
        return row.username if isinstance(row, staff.ClerkRow) else None

    def cells(self, row: staff.ClerkRow) -> tuple[str, ...]:
        state = tr("在用") if row.active else tr("停用")
        if row.locked:
            state += tr("（已锁定）")
        return (row.username, row.name, row.role_label, row.phone, state,
                tr("{0} 号").format(row.window) if row.window else "")

    def load(self) -> Callable[[], list[staff.ClerkRow]]:
        store, hall, clock = self.ctx.store, staff.Actor.of(acting(self.ctx)).hall_code, self.ctx.clock
        return lambda: staff.list_clerks(store, hall, clock=clock)

    def update_buttons(self) -> None:
        row: staff.ClerkRow | None = self.selected()
        for button in (self.edit_button, self.password_button, self.toggle_button):
            button.setEnabled(row is not None)
        self.toggle_button.setText(tr("启用(&D)") if row is not None and not row.active else tr("停用(&D)"))
        self.unlock_button.setEnabled(row is not None and row.locked)

    def activate(self) -> None:
        self.edit()

    def add(self) -> None:
        self.open_form(ClerkForm(self.ctx, None, self), lambda r: tr("已添加 {0}（{1}）").format(r.name, r.username))

    def edit(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_form(ClerkForm(self.ctx, row, self), lambda r: tr("已保存 {0}（{1}）").format(r.name, r.username))

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_form(PasswordForm(self.ctx, row, self),
                           lambda r: tr("已重置 {0}（{1}）的密码").format(r.name, r.username))

    def toggle(self) -> None:
        row: staff.ClerkRow | None = self.selected()
        if row is None:
            return
        store, clerk, host, active = self.ctx.store, acting(self.ctx), self.ctx.host, not row.active
        verb = tr("启用") if active else tr("停用")

        def go() -> None:
            self.run(lambda: staff.set_clerk_active(store, clerk, row.username, active, host=host,
                                                    clock=self.ctx.clock),
                     lambda r: tr("已{0} {1}（{2}）").format(verb, r.name, r.username))

        if active:
            go()
        else:
            seat = tr("，并离开 {0} 号窗口").format(row.window) if row.window else ""
            self.confirm(tr("停用 {0}（{1}）？停用后不能登录{2}。").format(row.name, row.username, seat), tr("停用"), go)

    def unlock(self) -> None:
        row: staff.ClerkRow | None = self.selected()
        if row is not None:
            store, clerk, host = self.ctx.store, acting(self.ctx), self.ctx.host
            self.run(lambda: staff.unlock_clerk(store, clerk, row.username, host=host, clock=self.ctx.clock),
                     lambda r: tr("已解锁 {0}（{1}）").format(r.name, r.username))


class WindowsTab(TableTab):
    HEADERS = ("窗口号", "名称", "状态", "当前人员", "业务类别")

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "windowsTab", self.HEADERS)
        self.categories: dict[str, str] = {}
        self.add_button = self.button("新增(&N)", "addWindowButton", self.add)
        self.edit_button = self.button("修改(&E)", "editWindowButton", self.edit)
        self.toggle_button = self.button("停用(&D)", "toggleWindowButton", self.toggle)
        self.buttons.addStretch(1)

    def key_of(self, row: Any) -> object:
        return row.number if isinstance(row, staff.WindowRow) else None

    def cells(self, row: staff.WindowRow) -> tuple[str, ...]:
        state = (tr("在用") if row.active else tr("停用")) + (tr("（暂停叫号）") if row.paused else "")
        if self.categories and set(row.categories) >= set(self.categories):
            served = tr("全部 {0} 类业务").format(len(self.categories))
        else:
            served = "、".join(row.category_labels)
        return tr("{0} 号").format(row.number), row.name, state, row.clerk_name, served

    def load(self) -> Callable[[], tuple[list[staff.WindowRow], dict[str, str]]]:
        store, hall = self.ctx.store, staff.Actor.of(acting(self.ctx)).hall_code

        def work() -> tuple[list[staff.WindowRow], dict[str, str]]:
            with store.read() as session:
                categories = staff.queue_categories(session, hall)
            return staff.list_windows(store, hall), categories

        return work

    def fill(self, loaded: Any) -> None:
        rows, self.categories = loaded
        super().fill(rows)

    def update_buttons(self) -> None:
        row: staff.WindowRow | None = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.toggle_button.setEnabled(row is not None)
        self.toggle_button.setText(tr("启用(&D)") if row is not None and not row.active else tr("停用(&D)"))

    def activate(self) -> None:
        self.edit()

    def add(self) -> None:
        form = WindowForm(self.ctx, None, self.categories, self)
        taken = {r.number for r in self.rows}
        form.number_spin.setValue(next(n for n in range(1, staff.MAX_WINDOW + 1) if n not in taken))
        self.open_form(form, lambda r: tr("已添加 {0} 号窗口 · {1}").format(r.number, r.name))

    def edit(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_form(WindowForm(self.ctx, row, self.categories, self),
                           lambda r: tr("已保存 {0} 号窗口 · {1}").format(r.number, r.name))

    def toggle(self) -> None:
        row: staff.WindowRow | None = self.selected()
        if row is None:
            return
        store, clerk, host, active = self.ctx.store, acting(self.ctx), self.ctx.host, not row.active
        verb = tr("启用") if active else tr("停用")

        def go() -> None:
            self.run(lambda: staff.set_window_active(store, clerk, row.number, active, host=host,
                                                     clock=self.ctx.clock),
                     lambda r: tr("已{0} {1} 号窗口 · {2}").format(verb, r.number, r.name))

        if active:
            go()
        else:
            self.confirm(tr("停用 {0} 号窗口（{1}）？停用后登录时不再提供该窗口。").format(row.number, row.name), tr("停用"), go)


class ExcludedTab(TableTab):
    HEADERS = ("证件号码", "来源", "更新时间", "原因")
    LIMIT = 1000

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "excludedTab", self.HEADERS)
        self.file_dialog: QFileDialog | None = None
        self.search = named(QLineEdit(), "excludedSearch")
        self.search.setPlaceholderText(tr("按证件号码开头或原因查找（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.top.addWidget(QLabel(tr("查找")))
        self.top.addWidget(self.search, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        self.add_button = self.button("添加(&N)", "addExcludedButton", self.add)
        self.remove_button = self.button("移除(&R)", "removeExcludedButton", self.remove)
        self.import_button = self.button("从 CSV 导入(&I)…", "importExcludedButton", self.choose_file)
        self.buttons.addStretch(1)
        self.import_result = named(QPlainTextEdit(), "excludedImportResult")
        self.import_result.setReadOnly(True)
        self.import_result.setMaximumHeight(110)
        self.import_result.setVisible(False)
        self.column.insertWidget(3, self.import_result)  # under the status line
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove,
                  context=Qt.ShortcutContext.WidgetShortcut)  # only while the table has the focus

    def key_of(self, row: Any) -> object:
        return row.id_no if isinstance(row, excluded.ExcludedRow) else None

    def cells(self, row: excluded.ExcludedRow) -> tuple[str, ...]:
        return (row.id_no, tr(row.source_label), f"{self.ctx.clock.local(row.updated_at):%Y-%m-%d %H:%M}", row.reason)

    def decorate(self, row: excluded.ExcludedRow, item: QTableWidgetItem) -> QTableWidgetItem:
        if row.source == "hub":
            item.setForeground(Qt.GlobalColor.darkGray)
            item.setToolTip(tr(HUB_HINT))
        return item

    def load(self) -> Callable[[], list[excluded.ExcludedRow]]:
        store, query, limit = self.ctx.store, self.search.text(), self.LIMIT
        return lambda: excluded.list_excluded(store, query, limit=limit)

    def fill(self, rows: list[Any]) -> None:
        super().fill(rows)
        if len(rows) >= self.LIMIT:
            set_status(self.status, tr("只显示最新的 {0} 条，请输入证件号码或原因查找").format(self.LIMIT))

    def update_buttons(self) -> None:
        row: excluded.ExcludedRow | None = self.selected()
        local = row is not None and row.source != "hub"
        self.remove_button.setEnabled(local)
        self.remove_button.setToolTip(tr(HUB_HINT) if row is not None and not local else "")

    def activate(self) -> None:
        row: excluded.ExcludedRow | None = self.selected()
        if row is not None and row.source != "hub":
            self.open_form(ExcludedForm(self.ctx, row, self), lambda r: tr("已更新 {0} 的列入原因").format(r.id_no))

    def add(self) -> None:
        self.open_form(ExcludedForm(self.ctx, None, self), lambda r: tr("已列入失信名单：{0}").format(r.id_no))

    def remove(self) -> None:
        row: excluded.ExcludedRow | None = self.selected()
        if row is None:
            return
        if row.source == "hub":
            set_status(self.status, tr("{0} {1}").format(row.id_no, HUB_HINT), error=True)
            return
        store, clerk, host = self.ctx.store, acting(self.ctx), self.ctx.host

        def go() -> None:
            self._select_key = None
            self.run(lambda: excluded.remove_excluded(store, clerk, row.id_no, host=host, clock=self.ctx.clock),
                     lambda r: tr("已从失信名单移除：{0}").format(r.id_no))

        self.confirm(tr("从失信名单移除 {0}（{1}）？").format(row.id_no, row.reason), tr("移除"), go)

    def choose_file(self) -> None:
        dialog = named(QFileDialog(self, tr("选择失信名单 CSV 文件")), "excludedFileDialog")
        dialog.setNameFilters([tr("CSV 文件 (*.csv)"), tr("所有文件 (*)")])
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.import_file)
        self.file_dialog = dialog
        dialog.open()

    def import_file(self, path: str) -> None:
        store, clerk, host = self.ctx.store, acting(self.ctx), self.ctx.host
        set_status(self.status, tr("正在导入 {0}…").format(Path(path).name))
        self.import_button.setEnabled(False)
        self.ctx.runner.submit(lambda: excluded.import_excluded_csv(store, clerk, path, clock=self.ctx.clock, host=host), self._imported,
                               self._import_failed)

    def _imported(self, report: excluded.ExcludedImportReport) -> None:
        self.import_button.setEnabled(True)
        summary = tr("导入完成：新增 {0} 条，更新 {1} 条，失败 {2} 条").format(report.added, report.updated, report.failed)
        lines = [summary] + [r.message for r in report.rows if not r.ok]
        self.import_result.setPlainText("\n".join(lines))
        self.import_result.setVisible(True)
        self._select_key = None
        set_status(self.status, summary, error=report.failed > 0)
        self.changed.emit(summary)
        self.reload()

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        set_status(self.status, message_of(exc, tr("导入失败，请重试")), error=True)
