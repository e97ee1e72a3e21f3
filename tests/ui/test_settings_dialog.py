"""The 设置 dialog through its real widgets: saving round-trips through the TOML file and is audited, bad input
stays in the form, roles and environment variables fix fields, the token is masked, and the two 测试 buttons talk
to a real hub over loopback and to real (or missing) serial ports."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import APP_NAME
from app.auth import ClerkView, create_clerk
from app.settings import load_settings
from app.store import Store
from app.store.models import AuditEvent, Hall, Window
from sync.testbed import HubThread, add_device, free_port
from tests.ui._counter_kit import demo_ctx, type_text
from ui.context import AppContext
from ui.settings_dialog import SettingsDialog, open_settings
from ui.settings_fields import SPECS, check_hub_url
from ui.tasks import InlineRunner, TaskRunner


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def open_dialog(qtbot: QtBot, ctx: AppContext) -> SettingsDialog:
    dialog = open_settings(ctx)
    assert isinstance(dialog, SettingsDialog)
    qtbot.add_widget(dialog)
    return dialog


def child(dialog: QDialog, kind: type, name: str) -> Any:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, dialog: QDialog, name: str) -> None:
    qtbot.mouseClick(child(dialog, QPushButton, name), Qt.MouseButton.LeftButton)


def retype(edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    edit.del_()
    type_text(edit, text)


def choose(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def audit_rows(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        rows = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.change")
                                    .order_by(AuditEvent.id)))
        session.expunge_all()
        return rows


def test_admin_saves_every_page_and_the_file_reads_back(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin")
    path = ctx.settings.source
    assert path is not None and path.read_text(encoding="utf-8") == ""
    ca = tmp_path / "hub-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    out = tmp_path / "pdf-out"
    out.mkdir()
    d = open_dialog(qtbot, ctx)

    window = child(d, QComboBox, "windowCombo")
    assert window.itemText(0) == "登录时选择" and window.findData(3) > 0  # the hall's windows, read off the store
    choose(window, 3)
    child(d, QSpinBox, "idleLockSpin").setValue(10)
    assert not child(d, QCheckBox, "autoPrintCheck").isChecked()  # demo_ctx turns it off
    child(d, QCheckBox, "autoPrintCheck").setChecked(True)
    child(d, QCheckBox, "allowPledgeCheck").setChecked(False)
    choose(child(d, QComboBox, "voiceCombo"), "silent")
    child(d, QSpinBox, "voiceRepeatSpin").setValue(3)
    child(d, QSpinBox, "highlightSpin").setValue(20)
    retype(child(d, QLineEdit, "noticeEdit"), "请保管好号票，过号请重新取号。")
    choose(child(d, QComboBox, "ticketWidthCombo"), 58)
    retype(child(d, QLineEdit, "readerPortEdit"), "/dev/ttyUSB0")
    child(d, QComboBox, "readerBaudCombo").setCurrentText("9600")
    child(d, QCheckBox, "cameraCheck").setChecked(False)
    choose(child(d, QComboBox, "paperCombo"), "A5")
    retype(child(d, QLineEdit, "thermalEdit"), "tcp:192.168.1.50:9100")
    retype(child(d, QLineEdit, "outputDirEdit"), str(out))
    retype(child(d, QLineEdit, "hubUrlEdit"), "https://hub.example.cn/")
    retype(child(d, QLineEdit, "tokenEdit"), "device-token-abc123")
    retype(child(d, QLineEdit, "caFileEdit"), str(ca))
    child(d, QSpinBox, "syncIntervalSpin").setValue(60)

    with qtbot.wait_signal(d.saved) as saved:
        click(qtbot, d, "saveButton")
    assert len(saved.args[0]) == 19

    again = load_settings(path, environ={})
    assert again.hall.window == 3
    assert (again.counter.idle_lock_minutes, again.counter.auto_print, again.counter.allow_pledge) == (10, True, False)
    assert again.counter.allow_deferral is True  # untouched
    assert (again.queue.voice, again.queue.voice_repeat, again.queue.highlight_seconds) == ("silent", 3, 20)
    assert (again.queue.notice, again.queue.ticket_width_mm) == ("请保管好号票，过号请重新取号。", 58)
    assert (again.counter.reader_port, again.counter.reader_baud, again.counter.camera) == ("/dev/ttyUSB0", 9600, False)
    assert (again.printing.paper, again.printing.thermal, again.printing.output_dir) == ("A5", "tcp:192.168.1.50:9100",
                                                                                         str(out))
    assert (again.sync.hub_url, again.sync.token, again.sync.ca_file, again.sync.interval_seconds) == (
        "https://hub.example.cn/", "device-token-abc123", str(ca), 60)
    assert again.hall.code != "150929"  # demo mode's hall is not written into the file
    assert ctx.settings.queue.voice == "silent" and ctx.settings.sync.interval_seconds == 60  # updated in place

    [row] = audit_rows(store)
    assert (row.actor, row.target) == ("admin", "settings")
    assert "sync.token" in row.detail["keys"] and "queue.voice" in row.detail["keys"]
    assert "device-token-abc123" not in str(row.detail)
    # Changes that need a restart are named; the dialog stays open to say so.
    result = child(d, QLabel, "saveResult").text()
    assert "重新启动程序后生效" in result and "读卡器端口" in result and "同步间隔" in result
    assert "纸张" not in result  # the print dialog reads the paper each time
    assert d.isVisible() and child(d, QPushButton, "cancelButton").text() == "关闭"


def test_opening_and_saving_without_changes_writes_nothing(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    for login in ("admin", "supervisor", "clerk01", None):
        ctx = demo_ctx(tmp_path, store, login=login)
        d = open_dialog(qtbot, ctx)
        assert d.changes() == ({}, [])  # every field shows exactly what the settings hold
        click(qtbot, d, "saveButton")
        assert d.result() == QDialog.DialogCode.Accepted
    assert ctx.settings.source is not None and ctx.settings.source.read_text(encoding="utf-8") == ""
    assert audit_rows(store) == []


def test_a_live_change_saves_and_closes(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="clerk01")
    d = open_dialog(qtbot, ctx)
    choose(child(d, QComboBox, "paperCombo"), "A5")
    click(qtbot, d, "saveButton")
    assert d.result() == QDialog.DialogCode.Accepted and not d.isVisible()
    assert ctx.settings.printing.paper == "A5"
    assert load_settings(ctx.settings.source, environ={}).printing.paper == "A5"
    assert [r.actor for r in audit_rows(store)] == ["clerk01"]


def test_invalid_input_is_shown_at_the_field_and_nothing_is_written(
        qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin")
    assert ctx.settings.source is not None
    ctx.settings.source.write_text('[queue]\nvoice = "voice"\n', encoding="utf-8")
    before = ctx.settings.source.read_bytes()
    d = open_dialog(qtbot, ctx)
    d.show()
    child(d, QSpinBox, "idleLockSpin").setValue(0)
    child(d, QSpinBox, "voiceRepeatSpin").setValue(9)
    child(d, QComboBox, "readerBaudCombo").setCurrentText("12345")
    retype(child(d, QLineEdit, "thermalEdit"), "lpt1")
    retype(child(d, QLineEdit, "hubUrlEdit"), "http://hub.example.cn/")
    child(d, QSpinBox, "syncIntervalSpin").setValue(2)
    choose(child(d, QComboBox, "paperCombo"), "A5")  # a good change does not slip through either

    click(qtbot, d, "saveButton")
    expected = {
        "idleLockSpinError": "无操作锁屏应在 1–120 分钟之间",
        "voiceRepeatSpinError": "播报遍数应在 1–5 遍之间",
        "readerBaudComboError": "波特率应为常用值之一：9600、19200、38400、57600、115200",
        "thermalEditError": "热敏打印机地址无法识别",
        "hubUrlEditError": "枢纽地址必须以 https:// 开头（http:// 只允许 127.0.0.1 或 localhost）",
        "syncIntervalSpinError": "同步间隔应在 5–3600 秒之间",
    }
    for name, text in expected.items():
        label = child(d, QLabel, name)
        assert not label.isHidden() and text in label.text(), name
    assert child(d, QLineEdit, "hubUrlEdit").property("state") == "invalid"
    assert d.isVisible() and d.stack.currentWidget().objectName() == "counterPage"  # the first bad field's page
    titles = [d.page_list.item(i).text() for i in range(d.page_list.count())]
    assert titles == ["本机", "受理  ！", "叫号  ！", "语言", "设备  ！", "打印  ！", "同步  ！"]
    assert ctx.settings.source.read_bytes() == before and ctx.settings.printing.paper == "A4"
    assert audit_rows(store) == []

    # Corrected, it saves; the errors go away.
    child(d, QSpinBox, "idleLockSpin").setValue(5)
    child(d, QSpinBox, "voiceRepeatSpin").setValue(2)
    child(d, QComboBox, "readerBaudCombo").setCurrentText("115200")
    retype(child(d, QLineEdit, "thermalEdit"), "")
    retype(child(d, QLineEdit, "hubUrlEdit"), "http://127.0.0.1:8765/")  # loopback may be plain http
    child(d, QSpinBox, "syncIntervalSpin").setValue(30)
    click(qtbot, d, "saveButton")
    assert child(d, QLabel, "hubUrlEditError").isHidden() and d.page_list.item(6).text() == "同步"
    assert load_settings(ctx.settings.source, environ={}).sync.hub_url == "http://127.0.0.1:8765/"


def test_files_that_must_exist_are_checked_before_writing(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin")
    d = open_dialog(qtbot, ctx)
    d.show()
    retype(child(d, QLineEdit, "caFileEdit"), str(tmp_path / "missing-ca.pem"))
    click(qtbot, d, "saveButton")
    label = child(d, QLabel, "caFileEditError")
    assert not label.isHidden() and label.text() == f"找不到 CA 证书文件：{tmp_path / 'missing-ca.pem'}"
    assert d.stack.currentWidget().objectName() == "syncPage"
    retype(child(d, QLineEdit, "caFileEdit"), "")
    retype(child(d, QLineEdit, "outputDirEdit"), str(tmp_path / "no-such-folder"))
    click(qtbot, d, "saveButton")
    assert "文件夹不存在" in child(d, QLabel, "outputDirEditError").text()
    assert ctx.settings.source is not None and ctx.settings.source.read_text(encoding="utf-8") == ""


def test_hub_url_rule() -> None:
    for good in ("https://hub.example.cn/", "https://10.1.2.3:8443", "http://127.0.0.1:8080", "http://localhost/",
                 "http://[::1]:9000/"):
        check_hub_url(good)
    for bad in ("http://hub.example.cn/", "http://192.168.1.5/", "ftp://hub.example.cn/", "hub.example.cn",
                "https://"):
        with pytest.raises(Exception, match="枢纽地址"):
            check_hub_url(bad)


EVERYONE = {"hall.window", "queue.voice", "printing.paper", "language.ui"}
SUPERVISOR = EVERYONE | {"counter.auto_print", "counter.follow_up_workdays", "queue.voice_repeat",
                         "language.bilingual", "language.first", "queue.notice_mn",
                         "queue.highlight_seconds", "queue.notice", "queue.ticket_width_mm", "printing.thermal",
                         "printing.output_dir"}


@pytest.mark.parametrize(("login", "allowed"), [
    (None, EVERYONE), ("clerk01", EVERYONE), ("supervisor", SUPERVISOR), ("admin", {s.name for s in SPECS})])
def test_who_may_change_what(qtbot: QtBot, tmp_path: Path, store: Store, login: str | None,
                             allowed: set[str]) -> None:
    ctx = demo_ctx(tmp_path, store, login=login)
    ctx.settings.sync.token = "device-token-abc123"
    d = open_dialog(qtbot, ctx)
    enabled = {spec.name for spec in SPECS if child(d, QWidget, spec.widget).isEnabled()}
    assert enabled == allowed
    for page in ("devices", "sync"):
        locked = d.findChild(QLabel, f"{page}LockedLabel")
        assert (locked is not None and locked.text() == "由系统管理员设置") == (login != "admin")
    token = child(d, QLineEdit, "tokenEdit")
    if login == "admin":
        assert token.text() == "device-token-abc123"
    else:  # a clerk's dialog never holds the token, and cannot reveal it
        assert token.text() == "" and token.placeholderText() == "已设置（已隐藏）"
        assert not child(d, QPushButton, "showTokenButton").isEnabled()
    if login == "supervisor":
        note = child(d, QLabel, "allowDeferralCheckNote")
        assert not note.isHidden() and note.text() == "由系统管理员设置"
    if login == "clerk01":
        assert child(d, QLabel, "voiceRepeatSpinNote").text() == "由大厅负责人或系统管理员设置"
        assert child(d, QLabel, "counterLockedLabel").text() == "由大厅负责人或系统管理员设置"


def test_a_field_set_by_the_environment_is_fixed_and_not_written(
        qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZC_QUEUE_VOICE", "silent")
    monkeypatch.setenv("ZC_SYNC_INTERVAL_SECONDS", "120")
    ctx = demo_ctx(tmp_path, store, login="admin")
    d = open_dialog(qtbot, ctx)
    voice = child(d, QComboBox, "voiceCombo")
    assert not voice.isEnabled() and voice.currentData() == "silent"
    note = child(d, QLabel, "voiceComboNote")
    assert not note.isHidden() and note.text() == "由环境变量 ZC_QUEUE_VOICE 指定"
    assert child(d, QLabel, "syncIntervalSpinNote").text() == "由环境变量 ZC_SYNC_INTERVAL_SECONDS 指定"
    assert child(d, QComboBox, "paperCombo").isEnabled()

    choose(child(d, QComboBox, "paperCombo"), "A5")
    click(qtbot, d, "saveButton")
    assert ctx.settings.source is not None
    written = load_settings(ctx.settings.source, environ={})
    assert written.printing.paper == "A5"
    assert (written.queue.voice, written.sync.interval_seconds) == ("voice", 30)  # the file keeps its own values
    assert ctx.settings.queue.voice == "silent"  # and the running value stays the environment's


def test_token_is_masked_until_shown(qtbot: QtBot, tmp_path: Path, store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin")
    ctx.settings.sync.token = "device-token-abc123"
    d = open_dialog(qtbot, ctx)
    token = child(d, QLineEdit, "tokenEdit")
    assert token.echoMode() == QLineEdit.EchoMode.Password
    assert "device-token-abc123" not in token.displayText()
    click(qtbot, d, "showTokenButton")
    assert token.echoMode() == QLineEdit.EchoMode.Normal and token.displayText() == "device-token-abc123"
    assert child(d, QPushButton, "showTokenButton").text() == "隐藏"
    click(qtbot, d, "showTokenButton")
    assert token.echoMode() == QLineEdit.EchoMode.Password


def hub_test(qtbot: QtBot, d: SettingsDialog, url: str, token: str) -> tuple[bool, str]:
    retype(child(d, QLineEdit, "hubUrlEdit"), url)
    retype(child(d, QLineEdit, "tokenEdit"), token)
    with qtbot.wait_signal(d.hub_tested, timeout=20000) as tested:
        click(qtbot, d, "hubTestButton")
    assert child(d, QLabel, "hubTestResult").text() == tested.args[1]
    return bool(tested.args[0]), str(tested.args[1])


def test_hub_connection_test_against_a_real_hub(qtbot: QtBot, tmp_path: Path, store: Store,
                                                runner: TaskRunner) -> None:
    db_url = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db_url, "四子王旗政务服务中心-1")
    hub = HubThread(db_url, tmp_path / "hub-files").start()
    try:
        ctx = demo_ctx(tmp_path, store, login="admin", runner=runner)  # a real runner: the call is off the GUI thread
        d = open_dialog(qtbot, ctx)
        ok, text = hub_test(qtbot, d, hub.url, token)
        assert ok and text.startswith("连接正常：枢纽已识别本设备")
        ok, text = hub_test(qtbot, d, hub.url, "not-a-device-token")
        assert not ok and text.startswith("连接失败：枢纽拒绝本设备")
    finally:
        hub.stop()
    assert ctx.settings.source is not None
    assert ctx.settings.source.read_text(encoding="utf-8") == ""  # testing the connection saves nothing


def test_hub_connection_test_against_a_closed_port(qtbot: QtBot, tmp_path: Path, store: Store,
                                                   runner: TaskRunner) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin", runner=runner)
    d = open_dialog(qtbot, ctx)
    ok, text = hub_test(qtbot, d, f"http://127.0.0.1:{free_port()}", "device-token-abc123")
    assert not ok and text == "连接失败：无法连接枢纽（网络中断或枢纽未运行）"
    ok, text = hub_test(qtbot, d, "http://hub.example.cn/", "device-token-abc123")
    assert not ok and "必须以 https:// 开头" in text and not child(d, QLabel, "hubUrlEditError").isHidden()


def test_reader_test_on_a_port_that_does_not_exist(qtbot: QtBot, tmp_path: Path, store: Store,
                                                   runner: TaskRunner) -> None:
    ctx = demo_ctx(tmp_path, store, login="admin", runner=runner)
    d = open_dialog(qtbot, ctx)
    missing = "COM97" if sys.platform == "win32" else str(tmp_path / "ttyUSB-none")
    retype(child(d, QLineEdit, "readerPortEdit"), missing)
    with qtbot.wait_signal(d.reader_tested, timeout=20000) as tested:
        click(qtbot, d, "readerTestButton")
    assert tested.args == [False, f"测试失败：读卡器未连接：无法打开端口 {missing}"]
    assert child(d, QLabel, "readerTestResult").text() == tested.args[1]
    assert child(d, QPushButton, "readerTestButton").isEnabled()


@pytest.mark.skipif(sys.platform == "win32", reason="the reader simulator runs on a POSIX pseudo-terminal")
def test_reader_test_against_the_simulated_reader(qtbot: QtBot, tmp_path: Path, store: Store,
                                                  runner: TaskRunner) -> None:
    from app.devices.simulator import ReaderSimulator

    ctx = demo_ctx(tmp_path, store, login="clerk01", runner=runner)  # testing is allowed; changing the port is not
    d = open_dialog(qtbot, ctx)
    with ReaderSimulator() as sim:
        ctx.settings.counter.reader_port = sim.port
        sim.place("resident")
        with qtbot.wait_signal(d.reader_tested, timeout=20000) as tested:
            click(qtbot, d, "readerTestButton")
    assert tested.args == [True, f"读卡器正常（{sim.port}，115200）：读卡器上有证件"]


def test_without_a_settings_file_it_writes_the_default_one(
        qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ctx = demo_ctx(tmp_path, store, login="clerk01")
    ctx.settings.source = None
    d = open_dialog(qtbot, ctx)
    choose(child(d, QComboBox, "voiceCombo"), "silent")
    click(qtbot, d, "saveButton")
    written = tmp_path / "config" / APP_NAME / "settings.toml"
    assert ctx.settings.source == written
    assert load_settings(written, environ={}).queue.voice == "silent"


def test_window_choice_and_audit_on_both_engines(qtbot: QtBot, tmp_path: Path, any_store: Store) -> None:
    with any_store.write() as session:
        session.add(Hall(code="150929", name="四子王旗政务服务中心"))
        session.flush()
        session.add_all([Window(hall_code="150929", number=1, name="综合受理"),
                         Window(hall_code="150929", number=2, name="不动产登记"),
                         Window(hall_code="150929", number=9, name="已撤销", active=False)])
        clerk_id = create_clerk(session, hall_code="150929", username="wuyun", name="乌云", role="clerk",
                                password="demo1234")
    settings = load_settings(data_dir=tmp_path / "data")
    settings.hall.code = "150929"
    settings.hall.window = 9  # a window since closed: still shown, so nothing changes unnoticed
    ctx = AppContext(settings=settings, store=any_store, runner=InlineRunner(), host="pc-3",
                     clerk=ClerkView(id=clerk_id, username="wuyun", name="乌云", role="clerk", hall_code="150929"))
    d = open_dialog(qtbot, ctx)
    combo = child(d, QComboBox, "windowCombo")
    assert [combo.itemData(i) for i in range(combo.count())] == [0, 1, 2, 9]
    assert combo.currentData() == 9 and "本大厅现无此窗口" in combo.currentText()
    choose(combo, 2)
    click(qtbot, d, "saveButton")
    assert "本机窗口" in child(d, QLabel, "saveResult").text()
    assert ctx.settings.source is not None and load_settings(ctx.settings.source, environ={}).hall.window == 2
    [row] = audit_rows(any_store)
    assert (row.actor, row.host, row.detail["keys"], row.detail["values"]) == (
        "wuyun", "pc-3", ["hall.window"], {"hall.window": 2})


def test_language_page_sets_this_pcs_bilingual_order_ui_and_mongolian_notice(qtbot: QtBot, tmp_path: Path,
                                                                           store: Store) -> None:
    ctx = demo_ctx(tmp_path, store, login="supervisor")
    d = open_dialog(qtbot, ctx)
    titles = [d.page_list.item(i).text() for i in range(d.page_list.count())]
    assert titles[3] == "语言" and d.stack.widget(3).objectName() == "languagePage"
    assert child(d, QComboBox, "bilingualCombo").currentData() == "hall"  # follows the hall by default
    choose(child(d, QComboBox, "bilingualCombo"), "off")
    choose(child(d, QComboBox, "firstCombo"), "zh")
    choose(child(d, QComboBox, "uiLanguageCombo"), "mn_Mong_CN")
    retype(child(d, QLineEdit, "noticeMnEdit"), "请按号码顺序")  # Chinese in the Mongolian field
    click(qtbot, d, "saveButton")
    error = child(d, QLabel, "noticeMnEditError")
    assert not error.isHidden() and "传统蒙古文" in error.text()
    notice_mn = "ᠳᠤᠭᠠᠷ ᠤᠨ ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠢᠶᠠᠷ"
    retype(child(d, QLineEdit, "noticeMnEdit"), notice_mn)
    with qtbot.wait_signal(d.saved):
        click(qtbot, d, "saveButton")
    path = ctx.settings.source
    assert path is not None
    again = load_settings(path, environ={})
    assert (again.language.bilingual, again.language.first, again.language.ui) == ("off", "zh", "mn_Mong_CN")
    assert again.queue.notice_mn == notice_mn
