"""预约 end to end: booking a slot (at the counter, a phone call a clerk takes, or the region's 预约 export as
CSV), per-slot capacity per category, cancelling, the day's list, the no-show sweep, and a late arrival who gets
an ordinary ticket instead of the appointment lane.

Check-in itself is :func:`app.queue.tickets.check_in` (the kiosk's path): inside the window from
``checkin_early_minutes`` before the slot to ``checkin_late_minutes`` after it, the appointment's ticket is called
before walk-ins (call-next's appointment lane). Past that window the booking is 迟到 and
:func:`check_in_or_walk_in` gives an ordinary ticket with a message that says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import HallClock, aware
from app.errors import NotFound, SettingsError, StateError, ValidationError
from app.identity import check_id
from app.masking import mask_name
from app.queue.common import TicketView, get_hall
from app.queue.tickets import _issue, _next_number, check_category, check_in
from app.store import Store
from app.store.crypto import blind_index
from app.store.models import Appointment, Hall, Ticket

STATE_LABELS = {"booked": "已预约", "checked_in": "已签到", "missed": "未到（爽约）", "late": "迟到（已取普通号）",
                "cancelled": "已取消"}
SOURCE_LABELS = {"counter": "窗口预约", "phone": "电话预约", "import": "预约系统导入"}
# The region's 预约 export, one booking a line (UTF-8, with or without BOM; the header line names the columns).
CSV_COLUMNS = ("预约码", "预约日期", "开始时间", "结束时间", "业务类别", "事项编码", "姓名", "证件号码", "联系电话")
REQUIRED_COLUMNS = ("预约码", "预约日期", "开始时间", "业务类别")
# Capacity and slot counting: bookings that still hold (or held) their place.
HOLDING = ("booked", "checked_in")


@dataclass(frozen=True)
class AppointmentView:
    id: int
    code: str
    category: str
    matter_code: str
    service_date: dt.date
    start: dt.datetime
    end: dt.datetime
    state: str
    masked_name: str
    phone_tail: str
    source: str
    ticket_code: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def slot_label(self, clock: HallClock) -> str:
        return f"{clock.local(self.start):%H:%M}–{clock.local(self.end):%H:%M}"

    def to_json(self, clock: HallClock) -> dict[str, object]:
        return {"code": self.code, "category": self.category, "matter_code": self.matter_code,
                "date": self.service_date.isoformat(), "start": clock.local(self.start).isoformat(timespec="minutes"),
                "end": clock.local(self.end).isoformat(timespec="minutes"), "state": self.state,
                "state_label": self.state_label, "name": self.masked_name, "source": self.source,
                "ticket": self.ticket_code}


def _view(a: Appointment, ticket_code: str = "") -> AppointmentView:
    phone = a.phone or ""
    return AppointmentView(
        id=a.id, code=a.code, category=a.category, matter_code=a.matter_code or "", service_date=a.service_date,
        start=aware(a.start), end=aware(a.end), state=a.state, masked_name=mask_name(a.name or ""),
        phone_tail=phone[-4:] if len(phone) >= 4 else "", source=a.source or "counter", ticket_code=ticket_code)


# --- hall settings ------------------------------------------------------------------------------------------------


def parse_capacity(text: str) -> dict[str, int]:
    """``"4"`` (every category) or ``"A=6, B=2, *=4"``; ``*`` is the default for letters not named."""
    caps: dict[str, int] = {}
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = (key.strip().upper(), value.strip()) if sep else ("*", key.strip())
        try:
            n = int(value)
        except ValueError:
            n = -1
        if n < 0:
            raise SettingsError(f"设置 queue.appointment_capacity 中的 {part!r} 无法识别：应为 每时段人数，如 4 或 A=6, *=4")
        caps[key] = n
    caps.setdefault("*", 4)
    return caps


def parse_hours(text: str) -> list[tuple[dt.time, dt.time]]:
    """``"09:00-12:00, 13:30-17:00"`` → the spans slots are offered in."""
    spans: list[tuple[dt.time, dt.time]] = []
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip().replace("–", "-")
        if not part:
            continue
        try:
            a, b = (dt.time.fromisoformat(x.strip()) for x in part.split("-"))
        except ValueError:
            raise SettingsError(f"设置 queue.appointment_hours 中的 {part!r} 无法识别：应为 09:00-12:00 这样的时段") from None
        if b <= a:
            raise SettingsError(f"设置 queue.appointment_hours 中的 {part!r} 结束早于开始")
        spans.append((a, b))
    return spans


def day_slots(hours: str, slot_minutes: int) -> list[tuple[dt.time, dt.time]]:
    """Every slot of a day (start, end) from the hall's hours."""
    if slot_minutes <= 0:
        raise SettingsError("设置 queue.appointment_slot_minutes 应为正整数（分钟）")
    out: list[tuple[dt.time, dt.time]] = []
    base = dt.date(2000, 1, 1)
    for a, b in parse_hours(hours):
        t = dt.datetime.combine(base, a)
        stop = dt.datetime.combine(base, b)
        while t + dt.timedelta(minutes=slot_minutes) <= stop:
            out.append((t.time(), (t + dt.timedelta(minutes=slot_minutes)).time()))
            t += dt.timedelta(minutes=slot_minutes)
    return out


@dataclass(frozen=True)
class Slot:
    start: dt.time
    end: dt.time
    booked: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}（余 {self.free}/{self.capacity}）"


def slots_for(session: Session, *, hall_code: str, day: dt.date, category: str, hours: str, slot_minutes: int,
              capacity: str, clock: HallClock) -> list[Slot]:
    """The day's slots of one category with how many are booked (one GROUP BY over the slot index)."""
    cap = parse_capacity(capacity)
    letter = category.strip().upper()
    limit = cap.get(letter, cap["*"])
    counts = {clock.local(aware(s)).time(): int(n) for s, n in session.execute(
        select(Appointment.start, func.count()).where(
            Appointment.hall_code == hall_code, Appointment.service_date == day, Appointment.category == letter,
            Appointment.state.in_(HOLDING)).group_by(Appointment.start))}
    return [Slot(a, b, counts.get(a, 0), limit) for a, b in day_slots(hours, slot_minutes)]


# --- booking ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    """What a clerk (or the import) asks for."""

    category: str
    day: dt.date
    start: dt.time
    name: str = ""
    id_no: str = ""
    phone: str = ""
    matter_code: str = ""
    end: dt.time | None = None  # default: start + the hall's slot length
    code: str = ""  # the region's 预约码 for an import; generated otherwise


def _clean_id(id_no: str, day: dt.date) -> str:
    text = (id_no or "").strip().upper()
    if not text:
        return ""
    check = check_id(text, today=day)
    if not check.valid:
        raise ValidationError(f"证件号码有误：{check.message}（请核对后重新输入）", field="id_no")
    return check.normalized or text


def book(store: Store, booking: Booking, *, hall_code: str, capacity: str, slot_minutes: int,
         source: str = "counter", actor: str = "", clock: HallClock) -> AppointmentView:
    """Book one slot; refused when the slot of that category is full, already past, or the code is taken."""
    if source not in SOURCE_LABELS:
        raise ValidationError(f"预约来源不存在：{source!r}", field="source")
    now = clock.now()
    start = clock.at(booking.day, booking.start)
    end = clock.at(booking.day, booking.end) if booking.end else start + dt.timedelta(minutes=slot_minutes)
    if end <= start:
        raise ValidationError("预约结束时间应晚于开始时间", field="end")
    if end <= now and source != "import":
        raise ValidationError(f"该时段（{booking.start:%H:%M}）已过，请选择之后的时段", field="start")
    id_no = _clean_id(booking.id_no, clock.day_of(now))
    if not (booking.name.strip() or id_no or booking.phone.strip()):
        raise ValidationError("请至少填写申请人姓名、证件号码或联系电话中的一项", field="name")
    with store.write() as session:
        # The hall row is locked so two clerks (or a clerk and an import) booking the last place of a slot at
        # the same moment are serialised on PostgreSQL too; SQLite has one writer at a time anyway.
        get_hall(session, hall_code)
        session.execute(select(Hall.code).where(Hall.code == hall_code).with_for_update())
        letter = check_category(session, hall_code, booking.category)
        cap = parse_capacity(capacity)
        limit = cap.get(letter, cap["*"])
        taken = int(session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.hall_code == hall_code, Appointment.service_date == booking.day,
            Appointment.category == letter, Appointment.start == start, Appointment.state.in_(HOLDING))) or 0)
        if taken >= limit:
            raise StateError(f"{booking.day.isoformat()} {booking.start:%H:%M} 的 {letter} 类预约已满（{limit} 人），"
                             "请选择其他时段", field="start")
        if id_no and session.scalar(select(Appointment.code).where(
                Appointment.hall_code == hall_code, Appointment.service_date == booking.day,
                Appointment.id_index == blind_index(session, id_no), Appointment.category == letter,
                Appointment.state.in_(HOLDING)).limit(1)):
            raise StateError("该申请人当天已预约同类业务，请勿重复预约（可先取消原预约）", field="id_no")
        code = booking.code.strip().upper()
        if code:
            if session.scalar(select(Appointment.id).where(Appointment.code == code)) is not None:
                raise StateError(f"预约码 {code} 已存在", field="code")
        else:
            n = _next_number(session, f"appointment:{hall_code}:{booking.day.isoformat()}")
            code = f"YY{booking.day:%m%d}{n:03d}"
        appt = Appointment(hall_code=hall_code, code=code, category=letter, id_no=id_no, name=booking.name.strip(),
                           phone=booking.phone.strip(), matter_code=booking.matter_code.strip(),
                           service_date=booking.day, start=start, end=end, state="booked", source=source,
                           booked_by=actor, booked_at=now)
        session.add(appt)
        session.flush()
        return _view(appt)


def cancel(store: Store, *, hall_code: str, code: str, clock: HallClock) -> AppointmentView:
    """取消预约 (frees the slot). A checked-in booking has its ticket already and cannot be cancelled."""
    del clock  # the state is the record; times stay as booked
    with store.write() as session:
        appt = _by_code(session, hall_code, code, lock=True)
        if appt.state == "cancelled":
            return _view(appt)
        if appt.state != "booked":
            raise StateError(f"预约 {appt.code} 当前为{STATE_LABELS.get(appt.state, appt.state)}，不能取消",
                             field="appointment")
        appt.state = "cancelled"
        session.flush()
        return _view(appt)


def _by_code(session: Session, hall_code: str, code: str, *, lock: bool = False) -> Appointment:
    stmt = select(Appointment).where(Appointment.hall_code == hall_code,
                                     Appointment.code == (code or "").strip().upper())
    if lock:
        stmt = stmt.with_for_update()
    appt = session.scalars(stmt).one_or_none()
    if appt is None:
        raise NotFound(f"预约不存在：{code}（请核对预约码）", field="appointment")
    return appt


def list_day(session: Session, *, hall_code: str, day: dt.date) -> list[AppointmentView]:
    """The day's appointments by slot, with the ticket each checked-in one drew."""
    rows = session.execute(
        select(Appointment, Ticket.code).outerjoin(Ticket, Ticket.id == Appointment.ticket_id)
        .where(Appointment.hall_code == hall_code, Appointment.service_date == day)
        .order_by(Appointment.start, Appointment.category, Appointment.code))
    return [_view(a, t or "") for a, t in rows]


def sweep_missed(store: Store, *, hall_code: str, noshow_minutes: int, clock: HallClock) -> list[str]:
    """未到 (爽约): a booking still ``booked`` ``noshow_minutes`` after its slot ended is marked missed; returns
    their codes. Until then a late arrival still gets an ordinary ticket (:func:`check_in_or_walk_in`). Run by
    the supervisor screen's list and ``queue appointment sweep``; repeating it changes nothing."""
    now = clock.now()
    day = clock.day_of(now)
    cutoff = now - dt.timedelta(minutes=max(noshow_minutes, 0))
    with store.write() as session:
        rows = list(session.scalars(select(Appointment).where(
            Appointment.hall_code == hall_code, Appointment.service_date <= day, Appointment.state == "booked",
            Appointment.end < cutoff).with_for_update()))
        for a in rows:
            a.state = "missed"
        session.flush()
        return [a.code for a in rows]


@dataclass(frozen=True)
class CheckIn:
    ticket: TicketView
    late: bool
    message: str


def check_in_or_walk_in(store: Store, *, hall_code: str, code_or_id: str, early_minutes: int, late_minutes: int,
                        daily_reset: bool = True, request_id: str | None = None,
                        number_for: Callable[[str], int | None] | None = None, clock: HallClock) -> CheckIn:
    """预约签到; a late arrival (past ``late_minutes`` after the slot) gets an ordinary ticket of the same
    category and the booking is closed as 迟到 — said in the message, so nobody waits in the wrong lane.
    ``number_for(category)``: the kiosk's next reserved number (``app.queue.offline``), else the counter's."""
    at = clock.now()
    day = clock.day_of(at)
    text = (code_or_id or "").strip().upper()
    with store.read() as session:
        late = session.scalars(select(Appointment).where(
            Appointment.hall_code == hall_code, Appointment.service_date == day, Appointment.state == "booked",
            (Appointment.code == text) | (Appointment.id_index == blind_index(session, text)),
            Appointment.end < at - dt.timedelta(minutes=late_minutes)).order_by(Appointment.start)).first()
        on_time = session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.hall_code == hall_code, Appointment.service_date == day, Appointment.state == "booked",
            (Appointment.code == text) | (Appointment.id_index == blind_index(session, text)),
            Appointment.end >= at - dt.timedelta(minutes=late_minutes))) if text else 0
        late_id = late.id if late is not None and not on_time else None
        slot = f"{clock.local(late.start):%H:%M}–{clock.local(late.end):%H:%M}" if late is not None else ""
        late_category, late_code = (late.category, late.code) if late is not None else ("", "")
    if late_id is None:
        t = check_in(store, hall_code=hall_code, code_or_id=code_or_id, request_id=request_id,
                     early_minutes=early_minutes, late_minutes=late_minutes, daily_reset=daily_reset,
                     number_for=number_for, clock=clock)
        return CheckIn(t, False, f"预约签到成功，号票 {t.code}，将优先叫号")
    t = _issue(store, hall_code=hall_code, category=late_category, priority="", request_id=request_id,
               daily_reset=daily_reset, at=at, day=day, appointment=late_id, late=True,
               detail={"late_appointment": late_code, "slot": slot},
               number=number_for(late_category) if number_for else None)
    return CheckIn(t, True, f"已超过预约时段（{slot}）{late_minutes} 分钟以上，预约作迟到处理；"
                            f"已为您取普通号 {t.code}，请按普通号排队等候")


# --- the region's 预约 export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    added: list[str]
    already: list[str]  # codes imported before (a re-import adds nothing twice)
    refused: list[tuple[int, str]]  # (line number, reason)


def import_csv(store: Store, path: Path, *, hall_code: str, capacity: str, slot_minutes: int, actor: str = "",
               clock: HallClock) -> ImportResult:
    """Read the region's 预约 export (columns :data:`CSV_COLUMNS`); see :func:`import_rows`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取预约文件 {path}：{exc.strerror}", field="file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError(f"预约文件 {path.name} 不是 UTF-8 或 GB18030 编码的 CSV", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(f"预约文件缺少列：{'、'.join(missing)}（应有列：{'、'.join(CSV_COLUMNS)}）", field="file")
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]
    return import_rows(store, rows, hall_code=hall_code, capacity=capacity, slot_minutes=slot_minutes,
                       actor=actor or path.name, first_line=2, clock=clock)


# The 预约 system's JSON (its API answer or a saved file): a list of bookings, or {"appointments": [...]},
# with these English keys (the Chinese column names of the CSV are accepted too).
JSON_KEYS = {"code": "预约码", "date": "预约日期", "start": "开始时间", "end": "结束时间", "category": "业务类别",
             "matter_code": "事项编码", "name": "姓名", "id_no": "证件号码", "phone": "联系电话"}


def import_json(store: Store, payload: object, *, hall_code: str, capacity: str, slot_minutes: int,
                actor: str = "预约系统", clock: HallClock) -> ImportResult:
    """The 预约 system's JSON answer (already parsed); see :func:`import_rows`. Entry numbers start at 1."""
    items = payload.get("appointments") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise ValidationError("预约数据应为预约列表，或含 appointments 列表的对象", field="file")
    rows: list[dict[str, str]] = []
    for item in items:
        if not isinstance(item, dict):
            rows.append({})
            continue
        rows.append({JSON_KEYS.get(str(k), str(k)): "" if v is None else str(v).strip() for k, v in item.items()})
    return import_rows(store, rows, hall_code=hall_code, capacity=capacity, slot_minutes=slot_minutes,
                       actor=actor, first_line=1, clock=clock)


def import_rows(store: Store, rows: list[dict[str, str]], *, hall_code: str, capacity: str, slot_minutes: int,
                actor: str, first_line: int, clock: HallClock) -> ImportResult:
    """Book every row on its own, so one bad row is refused with its number and reason while the others are
    kept; a 预约码 seen before is skipped (a re-import adds nothing twice). Slots already past are accepted
    (the region's system booked them), capacity is not: a full slot refuses the row."""
    added: list[str] = []
    already: list[str] = []
    refused: list[tuple[int, str]] = []
    for line, cells in enumerate(rows, start=first_line):
        code = cells.get("预约码", "").upper()
        try:
            if not code:
                raise ValidationError("预约码为空")
            if not cells.get("业务类别"):
                raise ValidationError("业务类别为空")
            day = dt.date.fromisoformat(cells.get("预约日期", "").replace("/", "-"))
            start = dt.time.fromisoformat(cells.get("开始时间", ""))
            end = dt.time.fromisoformat(cells["结束时间"]) if cells.get("结束时间") else None
        except (ValueError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ValidationError) else "日期或时间格式有误（应为 2026-03-10 与 09:30）"
            refused.append((line, message))
            continue
        with store.read() as session:
            if session.scalar(select(Appointment.id).where(Appointment.code == code)) is not None:
                already.append(code)
                continue
        try:
            book(store, Booking(category=cells["业务类别"], day=day, start=start, end=end, name=cells.get("姓名", ""),
                                id_no=cells.get("证件号码", ""), phone=cells.get("联系电话", ""),
                                matter_code=cells.get("事项编码", ""), code=code),
                 hall_code=hall_code, capacity=capacity, slot_minutes=slot_minutes, source="import",
                 actor=actor, clock=clock)
        except (ValidationError, StateError, NotFound) as exc:
            refused.append((line, exc.message))
            continue
        added.append(code)
    return ImportResult(added, already, refused)


def view_by_code(session: Session, *, hall_code: str, code: str) -> AppointmentView:
    appt = _by_code(session, hall_code, code)
    ticket = session.get(Ticket, appt.ticket_id) if appt.ticket_id else None
    return _view(appt, ticket.code if ticket else "")


__all__ = [
    "CSV_COLUMNS", "JSON_KEYS", "AppointmentView", "Booking", "CheckIn", "ImportResult", "Slot", "book", "cancel",
    "check_in_or_walk_in", "day_slots", "import_csv", "import_json", "import_rows", "list_day", "parse_capacity",
    "slots_for", "sweep_missed", "view_by_code",
]
