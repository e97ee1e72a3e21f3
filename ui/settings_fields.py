"""The 设置 form without widgets: the settings the dialog edits and who may change each, the checks, writing the
file, the audit row and the reader and hub probes; it loads no Qt, so it runs on worker threads and in tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import auth
from app.errors import PrintError, ValidationError
from app.language import has_foreign_letters, is_mongolian
from app.settings import update_settings_file
from printing.escpos import parse_spec

if TYPE_CHECKING:
    from ui.context import AppContext

RANK = {"clerk": 0, "supervisor": 1, "admin": 2}
LOCKED_BY = {"supervisor": "由大厅负责人或系统管理员设置", "admin": "由系统管理员设置"}
COMMON_BAUDS = (9600, 19200, 38400, 57600, 115200)
SECRET = frozenset({"sync.token"})  # audited by name only, never by value
THERMAL_FORMS = ("可填：usb:0x0416:0x5011（USB 厂商号:产品号）、serial:/dev/ttyUSB0:9600（Windows 为 serial:COM3:9600）"
                 "或 tcp:192.168.1.50:9100（网络打印机）；留空则号票保存为 PDF")
PAGES = (("local", "本机"), ("counter", "受理"), ("queue", "叫号"), ("language", "语言"), ("devices", "设备"),
         ("printing", "打印"), ("sync", "同步"))
UI_LANGUAGES = (("简体中文", "zh_CN"), ("ᠮᠣᠩᠭᠣᠯ 蒙古文（群众可见部分）", "mn_Mong_CN"))


@dataclass(frozen=True)
class SettingSpec:
    """One setting the dialog edits: where it lives, who may change it, and whether it applies at once."""

    name: str  # "section.key" of app.settings.Settings
    label: str
    page: str
    editor: str  # the lowest role that may change it
    widget: str  # the editor's objectName
    live: bool = False  # read each time it is used; otherwise it takes effect after a restart

    @property
    def section(self) -> str:
        return self.name.split(".")[0]

    @property
    def key(self) -> str:
        return self.name.split(".")[1]


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("hall.window", "本机窗口", "local", "clerk", "windowCombo"),
    SettingSpec("counter.idle_lock_minutes", "无操作锁屏", "counter", "admin", "idleLockSpin"),
    SettingSpec("counter.auto_print", "受理后自动打印", "counter", "supervisor", "autoPrintCheck", live=True),
    SettingSpec("counter.follow_up_workdays", "差评整改期限", "counter", "supervisor", "followUpSpin", live=True),
    SettingSpec("counter.allow_deferral", "容缺受理", "counter", "admin", "allowDeferralCheck", live=True),
    SettingSpec("counter.allow_pledge", "告知承诺", "counter", "admin", "allowPledgeCheck", live=True),
    SettingSpec("counter.excluded_blocks_pledge", "失信名单", "counter", "admin", "excludedBlocksPledgeCheck",
                live=True),
    SettingSpec("queue.voice", "叫号方式", "queue", "clerk", "voiceCombo"),
    SettingSpec("queue.voice_repeat", "播报遍数", "queue", "supervisor", "voiceRepeatSpin"),
    SettingSpec("queue.highlight_seconds", "新叫号高亮", "queue", "supervisor", "highlightSpin"),
    SettingSpec("queue.notice", "提示语", "queue", "supervisor", "noticeEdit"),
    SettingSpec("queue.ticket_width_mm", "号票纸宽", "queue", "supervisor", "ticketWidthCombo"),
    SettingSpec("queue.notice_mn", "蒙古文提示语", "language", "supervisor", "noticeMnEdit"),
    SettingSpec("language.bilingual", "蒙汉双语", "language", "supervisor", "bilingualCombo"),
    SettingSpec("language.first", "蒙汉顺序", "language", "supervisor", "firstCombo"),
    SettingSpec("language.ui", "界面语言", "language", "clerk", "uiLanguageCombo"),
    SettingSpec("counter.reader_port", "读卡器端口", "devices", "admin", "readerPortEdit"),
    SettingSpec("counter.reader_baud", "波特率", "devices", "admin", "readerBaudCombo"),
    SettingSpec("counter.camera", "拍照", "devices", "admin", "cameraCheck"),
    SettingSpec("printing.paper", "纸张", "printing", "clerk", "paperCombo", live=True),
    SettingSpec("printing.thermal", "热敏打印机", "printing", "supervisor", "thermalEdit"),
    SettingSpec("printing.output_dir", "PDF 输出文件夹", "printing", "supervisor", "outputDirEdit"),
    SettingSpec("sync.hub_url", "枢纽地址", "sync", "admin", "hubUrlEdit"),
    SettingSpec("sync.token", "设备令牌", "sync", "admin", "tokenEdit"),
    SettingSpec("sync.ca_file", "CA 证书文件", "sync", "admin", "caFileEdit"),
    SettingSpec("sync.interval_seconds", "同步间隔", "sync", "admin", "syncIntervalSpin"),
)
SPEC = {spec.name: spec for spec in SPECS}
# (lowest, highest, unit) of the numbers; the spin boxes allow a little more so a wrong value gets a clear message.
RANGES: dict[str, tuple[int, int, str]] = {
    "counter.idle_lock_minutes": (1, 120, "分钟"),
    "counter.follow_up_workdays": (1, 30, "个工作日"),
    "queue.voice_repeat": (1, 5, "遍"),
    "queue.highlight_seconds": (3, 60, "秒"),
    "sync.interval_seconds": (5, 3600, "秒"),
}
NOTICE_MAX = 60  # one line on an 80 mm ticket and on the hall display


def check_hub_url(url: str) -> None:
    """The relay's own rule (``sync.hub_client.hub_url_problem``), reported at the field."""
    from sync.hub_client import hub_url_problem

    problem = hub_url_problem(url)
    if problem:
        raise ValidationError(problem, field="sync.hub_url")


def check_value(spec: SettingSpec, raw: Any) -> Any:
    """The typed value of a changed field, or ValidationError naming the field and the reason."""
    name = spec.name
    if name in RANGES:
        low, high, unit = RANGES[name]
        if not low <= int(raw) <= high:
            raise ValidationError(f"{spec.label}应在 {low}–{high} {unit}之间", field=name)
        return int(raw)
    if name == "counter.reader_baud":
        text = str(raw).strip()
        if not text.isdigit() or int(text) not in COMMON_BAUDS:
            rates = "、".join(str(b) for b in COMMON_BAUDS)
            raise ValidationError(f"波特率应为常用值之一：{rates}", field=name)
        return int(text)
    if isinstance(raw, str):
        text = raw.strip()
        if name == "sync.hub_url" and text:
            check_hub_url(text)
        if name == "queue.notice" and len(text) > NOTICE_MAX:
            raise ValidationError(f"提示语太长：最多 {NOTICE_MAX} 个字（现有 {len(text)} 个）", field=name)
        if name == "queue.notice_mn" and text and (not is_mongolian(text) or has_foreign_letters(text)):
            raise ValidationError("蒙古文提示语应为传统蒙古文（不能夹汉字或拉丁字母）；留空则用默认提示语的蒙古文",
                                  field=name)
        if name == "printing.thermal" and text:
            try:
                parse_spec(text)
            except PrintError:
                raise ValidationError("热敏打印机地址无法识别，请按下面的格式填写", field=name) from None
        return text
    return raw


def check_paths(changes: dict[str, Any]) -> None:
    """Files and folders that must exist (checked on a worker thread: a network path may be slow to answer)."""
    ca_file = changes.get("sync.ca_file")
    if ca_file and not Path(ca_file).is_file():
        raise ValidationError(f"找不到 CA 证书文件：{ca_file}", field="sync.ca_file")
    out = changes.get("printing.output_dir")
    if out and not Path(out).is_dir():
        raise ValidationError(f"文件夹不存在：{out}（请先建好，或用“浏览…”选择）", field="printing.output_dir")


def write_changes(path: Path, changes: dict[str, Any]) -> Path:
    """Merge ``changes`` into the settings file at ``path`` and write it back atomically.

    The file is read again without the environment or command-line options, so a value set by ``ZC_*``, by
    ``--db`` or by demo mode is never written into the file; only the changed keys are.
    """
    check_paths(changes)
    return update_settings_file({(SPEC[name].section, SPEC[name].key): value for name, value in changes.items()},
                                path)


def audit_changes(ctx: AppContext, path: Path, changes: dict[str, Any]) -> None:
    """Runs on the store thread."""
    values = {name: value for name, value in changes.items() if name not in SECRET}
    # The path goes into the detail: audit targets are short (80 characters) and a Windows path may not be.
    auth.record_audit(ctx.store, action="settings.change", actor=ctx.actor, at=ctx.clock.now(), target="settings",
                      host=ctx.host, detail={"keys": sorted(changes), "values": values, "file": str(path)})


def probe_reader(port: str, baud: int) -> str:
    """Open the reader and ask for a card once (io thread); DeviceError with a Chinese reason if it fails."""
    from app.devices.reader import open_reader

    with open_reader(port, today=None, baud=baud) as reader:  # only asks whether a card is there
        present = reader.find_card()
    return f"读卡器正常（{port}，{baud}）：" + ("读卡器上有证件" if present else "请放上证件即可读取")


def probe_hub(url: str, token: str, ca_file: str) -> str:
    """Call the hub's health endpoint once (io thread); SyncError with a Chinese reason if it fails."""
    from sync.hub_client import HubClient, HubConfig

    if not url:
        raise ValidationError("请先填写枢纽地址", field="sync.hub_url")
    check_hub_url(url)
    client = HubClient(HubConfig(url=url, token=token, ca_file=ca_file, connect_timeout=5.0, read_timeout=10.0))
    try:
        started = time.monotonic()
        answer = client.health()
    finally:
        client.close()
    took = round((time.monotonic() - started) * 1000)
    return f"连接正常：枢纽已识别本设备（设备号 {answer.get('device_id', '?')}），用时 {took} 毫秒"


def role_of(ctx: AppContext) -> str:
    """Kiosk and display PCs have nobody logged in: they get what a 窗口人员 gets."""
    return ctx.clerk.role if ctx.clerk is not None and ctx.clerk.role in RANK else "clerk"
