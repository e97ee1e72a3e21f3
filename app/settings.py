"""Settings: a TOML file in the user config directory, ``ZC_SECTION_KEY`` environment overrides, CLI options.

Precedence, lowest first: built-in defaults → settings file → environment → command-line options.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import APP_NAME
from app.clock import HallClock, hall_zone
from app.errors import SettingsError

ENV_PREFIX = "ZC_"
DEMO_HALL_CODE = "150929"  # GB/T 2260: 内蒙古自治区乌兰察布市四子王旗
DEMO_HALL_NAME = "四子王旗政务服务中心"


@dataclass
class StoreSettings:
    url: str = ""  # empty: SQLite file ``counter.db`` in the data directory
    # The data key sealing ID numbers and phones (app.store.crypto); empty: ``data.key`` beside the settings file.
    key_file: str = ""


@dataclass
class HallSettings:
    code: str = "150000"  # the hall this PC serves (a hall row's code)
    window: int = 0  # the window this PC sits at; 0 = ask at login
    name: str = ""
    # The hall's name in Mongolian script, beside the Chinese one on the hall display (issue 15); "" = none.
    name_mn: str = ""
    timezone: str = "Asia/Shanghai"  # the hall clock's zone (IANA name): days, deadlines and printed times
    # county 旗县政务服务中心 / township 苏木乡镇便民服务中心 / village 嘎查村便民服务站: which matters this hall
    # offers and whether it 受理 or only 代收 them (the catalog's ``levels``; app.cases.levels).
    level: str = "county"
    # Personal data of closed cases is masked this many years after they closed (app.retention); 0 = not set yet
    # (the hall states its period from its archive rules; nothing is masked until it does).
    retention_years: int = 0
    # 延时服务: a case accepted outside these hall-local periods, or on a non-working day, is flagged after hours
    # (app.cases.outreach; "" = never flagged from the clock). Lunch counts as after hours (午间不打烊).
    opening_hours: str = "08:30-12:00,14:30-17:30"


@dataclass
class CounterSettings:
    idle_lock_minutes: int = 5
    allow_deferral: bool = True  # 容缺受理 offered at this hall
    allow_pledge: bool = True  # 告知承诺 offered at this hall
    excluded_blocks_pledge: bool = True
    lapse_credit_record: bool = True  # a 容缺 supplement that lapsed is written to the applicant's credit record
    false_pledge_bar_days: int = 365  # 告知承诺不实: barred from 容缺/承诺 this many days (0 = until removed)
    supplement_remind_workdays: int = 2  # the worklist reminds this many working days before a supply date
    auto_print: bool = True
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    follow_up_workdays: int = 5  # 差评 rectification deadline
    reader_port: str = ""  # ID-card reader (GA/T 467) serial port or pyserial URL; empty = no reader
    reader_baud: int = 115200
    camera: bool = True  # offer 拍照 for materials (a document camera or webcam at the window)


@dataclass
class QueueSettings:
    daily_reset: bool = True
    priority_every: int = 3  # after this many priority calls in a row, one ordinary ticket is called
    voice: str = "voice"  # voice | silent
    voice_repeat: int = 2
    highlight_seconds: int = 10
    # The hall display's screen diagonal in inches: its type sizes are set in millimetres read from 5 m
    # (ui.display_sizes); a TV's own EDID size is not trusted. 43 is the smallest hall TV commonly fitted.
    display_inches: float = 43.0
    notice: str = "请按号码顺序办理业务，过号请到服务台重新取号。"
    notice_mn: str = ""  # the notice in Mongolian script; "" uses app.vocabulary's wording of the default notice
    ticket_width_mm: int = 80
    checkin_early_minutes: int = 30  # an appointment may check in this long before its booked start
    checkin_late_minutes: int = 15  # … and this long after its booked end
    skip_to: str = "behind"  # where a 过号 ticket goes: behind (N waiting) | end (of the line) | drop (closed)
    skip_requeue_behind: int = 3  # a 过号 goes back behind this many waiting tickets (0 = end of the line)
    skip_requeue_times: int = 1  # how many 过号 a ticket survives back in the line; the next one closes it
    recall_max: int = 0  # 重呼 at most this many times, then 过号 (0 = no limit)
    # 绿色通道 per hall (docs/queue.md): kind=jump | weight:MINUTES | off, for elder, disabled, military, pregnant
    priority_rules: str = "elder=jump, disabled=jump, military=jump, pregnant=jump"
    priority_elder_age: int = 65  # from this age the ID number alone grants the elder rule (0 = not by age)
    appointment_noshow_minutes: int = 60  # a booking not checked in this long after its slot is 未到 (爽约)
    appointment_slot_minutes: int = 30  # 预约 slots of the day
    appointment_capacity: str = "4"  # bookings per slot and category: "4" for all, or "A=6, B=2, *=4"
    appointment_hours: str = "09:00-12:00, 13:30-17:00"  # when slots are offered
    offline_block: int = 20  # numbers per category each kiosk reserves to issue from when the hall server is gone


@dataclass
class SyncSettings:
    hub_url: str = ""
    token: str = ""
    ca_file: str = ""
    interval_seconds: int = 30
    connect_timeout: float = 10.0
    read_timeout: float = 90.0
    backoff_base_seconds: float = 2.0  # full-jitter backoff; tests compress these
    backoff_cap_seconds: float = 300.0
    chunk_target_seconds: float = 11.5  # aim per upload chunk (8–15 s)


@dataclass
class PrintSettings:
    printer: str = ""  # last desktop printer
    paper: str = "A4"
    thermal: str = ""  # e.g. usb:0x0416:0x5011, serial:/dev/ttyUSB0, tcp:192.0.2.10:9100
    output_dir: str = ""  # PDF back-end directory
    # The region's progress-query page for the QR on case documents, with {case_no} where the 受理编号 goes
    # (e.g. "https://zwfw.nmg.gov.cn/query?no={case_no}"); empty = the QR holds the signed payload alone.
    query_url: str = ""


@dataclass
class LanguageSettings:
    """Which scripts the applicant sees and hears, and the clerk UI's language (docs/mongolian.md)."""

    bilingual: str = "hall"  # hall (follow the hall's setting) | on | off: Mongolian beside the Chinese on this PC
    first: str = "mn"  # mn | zh: which script comes first (the region's rule: Mongolian first)
    ui: str = "zh_CN"  # the clerk UI's translation (Qt .qm under resources/i18n)


@dataclass
class Settings:
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    store: StoreSettings = field(default_factory=StoreSettings)
    hall: HallSettings = field(default_factory=HallSettings)
    counter: CounterSettings = field(default_factory=CounterSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    printing: PrintSettings = field(default_factory=PrintSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)
    demo: bool = False
    source: Path | None = None  # the file these settings came from

    @property
    def db_url(self) -> str:
        if self.store.url:
            return self.store.url
        return f"sqlite:///{(self.data_dir / 'counter.db').as_posix()}"

    def hall_clock(self, environ: Mapping[str, str] | None = None) -> HallClock:
        """The hall clock for these settings: the machine's clock in ``hall.timezone``, or standing at the
        instant ``ZC_CLOCK_AT`` names (ISO 8601 with its offset — for drills, training and tests)."""
        at = (os.environ if environ is None else environ).get("ZC_CLOCK_AT", "").strip()
        if not at:
            return HallClock(self.hall.timezone)
        try:
            return HallClock.frozen(at, self.hall.timezone)
        except ValueError:
            raise SettingsError(f"环境变量 ZC_CLOCK_AT 应为带时区的时刻（如 2026-12-31T23:59:59+08:00），得到 {at!r}"
                                ) from None

    @property
    def key_file(self) -> Path:
        """The data key file: ``[store] key_file``, else ``data.key`` beside this settings file — never in the
        data directory, so a copy of the data (or a backup) carries no key."""
        if self.store.key_file:
            return Path(self.store.key_file).expanduser()
        if self.source is not None:
            return self.source.parent / "data.key"
        return default_key_file()

    @property
    def files_dir(self) -> Path:
        """Where attachment scans live (fsynced before the commit that names them)."""
        return self.data_dir / "files"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """The data key file when no settings say (app.store.crypto): ``ZC_STORE_KEY_FILE``, else ``data.key`` beside
    the settings file in effect (``ZC_CONFIG`` or the platform's config directory) — outside the data directory, so
    a copy of the data directory or a backup carries no key."""
    env = os.environ if environ is None else environ
    if env.get("ZC_STORE_KEY_FILE"):
        return Path(env["ZC_STORE_KEY_FILE"]).expanduser()
    if env.get("ZC_CONFIG"):
        return Path(env["ZC_CONFIG"]).expanduser().parent / "data.key"
    return default_config_file().parent / "data.key"


def default_config_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.toml"


_SECTIONS = ("store", "hall", "counter", "queue", "sync", "printing", "language")


def _coerce(value: Any, current: Any, where: str) -> Any:
    kind = type(current)
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "是"):
            return True
        if text in ("0", "false", "no", "off", "否"):
            return False
        raise SettingsError(f"设置 {where} 应为 true 或 false，得到 {value!r}")
    if kind in (int, float):
        if isinstance(value, bool):
            raise SettingsError(f"设置 {where} 应为数字，得到 {value!r}")
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise SettingsError(f"设置 {where} 应为数字，得到 {value!r}") from None
    if kind is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise SettingsError(f"设置 {where} 应为文本，得到 {value!r}")
        return str(value)
    return value


def _apply(settings: Settings, section: str, key: str, value: Any, where: str) -> None:
    if section == "data_dir" and key == "":
        settings.data_dir = Path(str(value)).expanduser()
        return
    target = getattr(settings, section, None)
    if section not in _SECTIONS or target is None:
        raise SettingsError(f"未知的设置分节 [{section}]（{where}）；可用：{', '.join(_SECTIONS)}")
    names = {f.name for f in dataclasses.fields(target)}
    if key not in names:
        raise SettingsError(f"未知的设置项 {section}.{key}（{where}）；可用：{', '.join(sorted(names))}")
    try:
        setattr(target, key, _coerce(value, getattr(target, key), f"{section}.{key}"))
    except SettingsError as exc:
        raise SettingsError(f"{exc.message}（{where}）") from None
    if (section, key) == ("hall", "opening_hours") and str(value).strip():
        # Refused here, at start, rather than on every 受理 of the day.
        from app.cases.outreach import parse_opening_hours
        from app.errors import ValidationError

        try:
            parse_opening_hours(str(value))
        except ValidationError as exc:
            raise SettingsError(f"设置 hall.opening_hours 有误：{exc.message}（{where}）") from None


def env_overrides(environ: Mapping[str, str] | None = None) -> dict[tuple[str, str], str]:
    """Which settings the environment overrides: ``(section, key)`` → the variable's name, in environment order.

    ``ZC_HALL_WINDOW`` gives ``("hall", "window")``; ``ZC_DATA_DIR`` gives ``("data_dir", "")``. ``load_settings``
    applies exactly these, so a settings screen can show an overridden field as fixed. Keys no section has are
    listed too (``load_settings`` rejects them).
    """
    env = os.environ if environ is None else environ
    found: dict[tuple[str, str], str] = {}
    for name in env:
        if not name.startswith(ENV_PREFIX) or name == "ZC_CONFIG":
            continue
        rest = name[len(ENV_PREFIX) :].lower()
        section, _, key = ("data_dir", "", "") if rest == "data_dir" else rest.partition("_")
        if section == "data_dir" or (section in _SECTIONS and key):
            found[(section, key)] = name  # a later spelling of the same variable wins, as it always did
    return found


def load_settings(
    path: Path | None = None,
    *,
    environ: dict[str, str] | None = None,
    data_dir: Path | str | None = None,
    db_url: str | None = None,
    demo: bool = False,
) -> Settings:
    """Build the settings from defaults, the TOML file, the environment and explicit options."""
    env = os.environ if environ is None else environ
    settings = Settings()
    if path is None and env.get("ZC_CONFIG"):
        path = Path(env["ZC_CONFIG"])
    explicit_path = path is not None
    path = path or default_config_file()
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"设置文件 {path} 格式错误：{exc}") from None
        except OSError as exc:
            raise SettingsError(f"无法读取设置文件 {path}：{exc.strerror}") from None
        for top, value in raw.items():
            if top == "data_dir":
                _apply(settings, "data_dir", "", value, str(path))
            elif isinstance(value, dict):
                for key, item in value.items():
                    _apply(settings, top, key, item, str(path))
            else:
                raise SettingsError(f"设置文件 {path}：{top} 应是一个分节 [{top}]")
        settings.source = path
    elif explicit_path:
        raise SettingsError(f"设置文件不存在：{path}")
    for (section, key), name in env_overrides(env).items():
        _apply(settings, section, key, env[name], f"环境变量 {name}")
    if demo:
        settings.demo = True
        settings.hall.code, settings.hall.name = DEMO_HALL_CODE, DEMO_HALL_NAME  # whatever the file says
        if data_dir is None and not env.get("ZC_DATA_DIR"):
            settings.data_dir = settings.data_dir / "demo"
    if data_dir is not None:
        settings.data_dir = Path(data_dir).expanduser()
    if db_url:
        settings.store.url = db_url
    hall_zone(settings.hall.timezone)  # a zone no one knows is refused here, not at the first case
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings back as TOML (atomically: temp file, fsync, rename)."""
    import tomli_w

    path = path or settings.source or default_config_file()
    data: dict[str, Any] = {}
    if settings.data_dir != default_data_dir():  # the default stays implicit, so it can follow the platform
        data["data_dir"] = str(settings.data_dir)
    for section in _SECTIONS:
        data[section] = dataclasses.asdict(getattr(settings, section))
    from app.private import open_private, private_dir

    private_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    with os.fdopen(open_private(tmp), "wb") as fh:  # 0600: it holds the hub's device token
        tomli_w.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def secure_paths(settings: Settings) -> None:
    """Make the data directory, its files directory and the settings file private (0700 / 0600), creating the
    directories when missing: run at every start (command line and screens), so an install made before this
    was world-readable is tightened too."""
    from app.private import private_dir, private_file

    try:
        private_dir(settings.data_dir, tighten=True)
        private_dir(settings.files_dir, tighten=True)
        if settings.source is not None:
            private_file(settings.source)
    except OSError:
        pass  # a read-only or foreign data directory: opening the store reports it in Chinese


def update_settings_file(changes: dict[tuple[str, str], Any], path: Path | None = None) -> Path:
    """Write only ``changes`` ({(section, key): value}) into the settings file (atomically) and return its path.

    The file is read again without the environment or command-line options, so a value that came from ``ZC_*``,
    ``--data-dir``, ``--db`` or demo mode for this run is never written into it.
    """
    path = path or default_config_file()
    base = load_settings(path, environ={}) if path.exists() else Settings()
    for (section, key), value in changes.items():
        _apply(base, section, key, value, "保存设置时")
    return save_settings(base, path)
