"""Hall administration: clerk accounts and windows, changed only by a system administrator, every change audited.

:class:`Actor` says who acts (a logged-in clerk or the command line's local operator); app.excluded uses it too.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import (
    ROLES,
    ClerkView,
    audit,
    check_clerk_name,
    check_password_rules,
    check_role,
    create_clerk,
    hash_password,
)
from app.clock import HallClock, aware
from app.errors import NotFound, StateError, ValidationError
from app.language import has_foreign_letters
from app.queue.common import HELD_STATES, STATE_LABELS, catalog_category_names
from app.store import Store
from app.store.models import Clerk, Hall, Ticket, Window

ADMIN = "admin"
PHONE_CHARS = set("0123456789+-() ")
MAX_WINDOW = 999


# --- who acts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who makes an administrative change, as written into the audit rows.

    Attributes:
        name: the audit actor: a clerk's username, or ``cli:<os user>`` for the command line.
        role: the role the rules check (the command line counts as ``admin``).
        hall_code: the hall whose clerks and windows are changed.
        clerk_id: the acting clerk's id; None for the command line (which never is "themselves").
    """

    name: str
    role: str
    hall_code: str
    clerk_id: int | None = None

    @classmethod
    def of(cls, who: Actor | ClerkView) -> Actor:
        if isinstance(who, Actor):
            return who
        return cls(name=who.username, role=who.role, hall_code=who.hall_code, clerk_id=who.id)

    @classmethod
    def local_operator(cls, hall_code: str) -> Actor:
        """The person at this PC's command line: trusted as an administrator (whoever can run it can open the
        database file or its connection settings anyway)."""
        try:
            user = getpass.getuser()
        except Exception:  # no login name in the environment (some containers, services)
            user = "unknown"
        return cls(name=f"cli:{user}"[:60], role=ADMIN, hall_code=hall_code)


Acting = Actor | ClerkView


def require_admin(who: Acting, what: str) -> Actor:
    actor = Actor.of(who)
    if actor.role != ADMIN:
        raise StateError(f"只有系统管理员可以{what}")
    return actor


# --- clerks --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClerkRow:
    id: int
    username: str
    name: str
    role: str
    role_label: str
    phone: str
    active: bool
    locked: bool  # locked_until lies in the future (too many wrong passwords)
    window: int | None  # the window they sit at now

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "name": self.name, "role": self.role,
                "role_label": self.role_label, "phone": self.phone, "active": self.active, "locked": self.locked,
                "window": self.window}


def _is_locked(clerk: Clerk, now: dt.datetime) -> bool:
    return clerk.locked_until is not None and aware(clerk.locked_until) > now


def _clerk_row(clerk: Clerk, window: int | None, now: dt.datetime) -> ClerkRow:
    return ClerkRow(id=clerk.id, username=clerk.username, name=clerk.name, role=clerk.role,
                    role_label=ROLES.get(clerk.role, clerk.role), phone=clerk.phone or "", active=clerk.active,
                    locked=_is_locked(clerk, now), window=window)


def _seat(session: Session, clerk_id: int) -> int | None:
    return session.scalars(select(Window.number).where(Window.clerk_id == clerk_id).order_by(Window.number)).first()


def list_clerks(store: Store, hall_code: str, *, clock: HallClock) -> list[ClerkRow]:
    """The hall's clerks, active ones first, then by username (locked as the hall clock stands)."""
    at = clock.now()
    with store.read() as session:
        rows = session.execute(select(Window.clerk_id, Window.number)
                               .where(Window.hall_code == hall_code, Window.clerk_id.is_not(None)))
        seats = {clerk_id: number for clerk_id, number in rows if clerk_id is not None}
        clerks = session.scalars(select(Clerk).where(Clerk.hall_code == hall_code)
                                 .order_by(Clerk.active.desc(), Clerk.username))
        return [_clerk_row(c, seats.get(c.id), at) for c in clerks]


def _find_clerk(session: Session, hall_code: str, username: str) -> Clerk:
    username = username.strip()
    clerk = session.scalars(select(Clerk).where(Clerk.hall_code == hall_code,
                                                func.lower(Clerk.username) == username.lower())).one_or_none()
    if clerk is None:
        raise NotFound(f"本大厅没有用户名为 {username or '（空）'} 的人员", field="username")
    return clerk


def _check_phone(phone: str) -> str:
    phone = phone.strip()
    if len(phone) > 40:
        raise ValidationError("电话太长：最多 40 个字符", field="phone")
    if not set(phone) <= PHONE_CHARS:
        raise ValidationError("电话只能包含数字、空格、+、- 和括号", field="phone")
    return phone


def _guard_last_admin(session: Session, actor: Actor, clerk: Clerk, *, doing: str, own: str, field: str) -> None:
    """Refuse to take ``clerk`` out of the active administrators when that would leave the hall with none."""
    if clerk.role != ADMIN or not clerk.active:
        return
    if clerk.id == actor.clerk_id:
        raise StateError(f"不能{own}：请由另一位系统管理员操作", field=field)
    # Every active admin row is locked in one order, so two admins disabling each other at once queue up on
    # PostgreSQL and the second sees the first's change (SQLite's writer lock already serialises them).
    admins = session.scalars(select(Clerk.id).where(
        Clerk.hall_code == clerk.hall_code, Clerk.role == ADMIN, Clerk.active.is_(True),
    ).order_by(Clerk.id).with_for_update()).all()
    if not [i for i in admins if i != clerk.id]:
        raise StateError(f"{clerk.name}（{clerk.username}）是本大厅最后一位在用的系统管理员，不能{doing}；"
                         "请先添加另一位系统管理员", field=field)


def add_clerk(store: Store, who: Acting, *, username: str, name: str, role: str, password: str, phone: str = "",
              host: str = "", clock: HallClock) -> ClerkRow:
    """Add an account to the actor's hall (the rules of :func:`app.auth.create_clerk`, plus the phone)."""
    actor = require_admin(who, "添加人员")
    at = clock.now()
    phone = _check_phone(phone)
    with store.write() as session:
        clerk_id = create_clerk(session, hall_code=actor.hall_code, username=username, name=name, role=role,
                                password=password)
        clerk = session.get_one(Clerk, clerk_id)
        clerk.phone = phone
        audit(session, at=at, action="clerk.add", actor=actor.name, target=f"clerk:{clerk_id}", host=host,
              detail={"username": clerk.username, "name": clerk.name, "role": clerk.role})
        return _clerk_row(clerk, None, at)


def update_clerk(store: Store, who: Acting, username: str, *, name: str | None = None, role: str | None = None,
                 phone: str | None = None, host: str = "", clock: HallClock) -> ClerkRow:
    """Change a clerk's name, role or phone (None leaves it as it is)."""
    actor = require_admin(who, "修改人员信息")
    at = clock.now()
    changes: dict[str, Any] = {}
    if name is not None:
        name = check_clerk_name(name)
    if role is not None:
        check_role(role)
    if phone is not None:
        phone = _check_phone(phone)
    with store.write() as session:
        clerk = _find_clerk(session, actor.hall_code, username)
        if role is not None and role != clerk.role:
            _guard_last_admin(session, actor, clerk, doing="改为其他角色", own="取消自己的系统管理员角色",
                              field="role")
        for key, value in (("name", name), ("role", role), ("phone", phone)):
            if value is not None and getattr(clerk, key) != value:
                changes[key] = {"from": getattr(clerk, key), "to": value}
                setattr(clerk, key, value)
        if changes:
            audit(session, at=at, action="clerk.update", actor=actor.name, target=f"clerk:{clerk.id}", host=host,
                  detail=changes)
        return _clerk_row(clerk, _seat(session, clerk.id), at)


def reset_password(store: Store, who: Acting, username: str, password: str, *, host: str = "", clock: HallClock) -> ClerkRow:
    """Set a new password; a locked account is unlocked at the same time."""
    actor = require_admin(who, "重置密码")
    at = clock.now()
    check_password_rules(password)
    with store.write() as session:
        clerk = _find_clerk(session, actor.hall_code, username)
        clerk.password_hash = hash_password(password)
        clerk.failed_logins = 0
        clerk.locked_until = None
        audit(session, at=at, action="clerk.password", actor=actor.name, target=f"clerk:{clerk.id}", host=host)
        return _clerk_row(clerk, _seat(session, clerk.id), at)


def set_clerk_active(store: Store, who: Acting, username: str, active: bool, *, host: str = "", clock: HallClock) -> ClerkRow:
    """Enable or disable an account. A disabled clerk is taken off the window they sit at."""
    actor = require_admin(who, "启用或停用人员")
    at = clock.now()
    with store.write() as session:
        clerk = _find_clerk(session, actor.hall_code, username)
        if clerk.active == active:
            return _clerk_row(clerk, _seat(session, clerk.id), at)
        left: list[int] = []
        if not active:
            _guard_last_admin(session, actor, clerk, doing="停用", own="停用自己的账号", field="active")
            for window in session.scalars(select(Window).where(Window.clerk_id == clerk.id)):
                window.clerk_id = None
                left.append(window.number)
        clerk.active = active
        audit(session, at=at, action="clerk.active", actor=actor.name, target=f"clerk:{clerk.id}", host=host,
              detail={"active": active, "left_windows": left})
        return _clerk_row(clerk, _seat(session, clerk.id), at)


def unlock_clerk(store: Store, who: Acting, username: str, *, host: str = "", clock: HallClock) -> ClerkRow:
    """Lift a lockout after too many wrong passwords (and forget the failures counted so far)."""
    actor = require_admin(who, "解锁账号")
    at = clock.now()
    with store.write() as session:
        clerk = _find_clerk(session, actor.hall_code, username)
        if _is_locked(clerk, at) or clerk.failed_logins:
            audit(session, at=at, action="clerk.unlock", actor=actor.name, target=f"clerk:{clerk.id}", host=host,
                  detail={"was_locked": _is_locked(clerk, at), "failures": clerk.failed_logins})
        clerk.locked_until = None
        clerk.failed_logins = 0
        return _clerk_row(clerk, _seat(session, clerk.id), at)


# --- windows -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    id: int
    number: int
    name: str
    categories: tuple[str, ...]
    category_labels: tuple[str, ...]  # "A 社保医保"
    active: bool
    paused: bool
    clerk_name: str  # who sits there now, "" if nobody
    name_mn: str = ""  # the name in Mongolian script for the hall display, "" if none

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "name_mn": self.name_mn,
                "categories": list(self.categories),
                "category_labels": list(self.category_labels), "active": self.active, "paused": self.paused,
                "clerk": self.clerk_name}


def queue_categories(session: Session, hall_code: str) -> dict[str, str]:
    """The queue categories a window may serve: the current catalog's (letter → name), plus any letter a window
    of the hall already serves (a category the queue keeps taking tickets for)."""
    names = catalog_category_names(session)
    for cats in session.scalars(select(Window.categories).where(Window.hall_code == hall_code)):
        for letter in cats or ():
            names.setdefault(str(letter).upper(), f"{str(letter).upper()} 类业务")
    return dict(sorted(names.items()))


def _window_row(window: Window, names: dict[str, str], clerk_name: str) -> WindowRow:
    cats = tuple(str(c).upper() for c in window.categories or ())
    return WindowRow(id=window.id, number=window.number, name=window.name, name_mn=window.name_mn or "",
                     categories=cats,
                     category_labels=tuple(f"{c} {names.get(c, '')}".strip() for c in cats), active=window.active,
                     paused=window.paused, clerk_name=clerk_name)


def list_windows(store: Store, hall_code: str) -> list[WindowRow]:
    with store.read() as session:
        names = queue_categories(session, hall_code)
        rows = session.execute(select(Window, Clerk.name).outerjoin(Clerk, Clerk.id == Window.clerk_id)
                               .where(Window.hall_code == hall_code).order_by(Window.number)).all()
        return [_window_row(w, names, clerk_name or "") for w, clerk_name in rows]


def parse_window_number(number: object) -> int:
    """A window number typed or given on the command line: an integer 1–999."""
    try:
        value = int(str(number).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"窗口号应为 1–{MAX_WINDOW} 的整数，得到 {number!r}", field="number") from None
    if not 1 <= value <= MAX_WINDOW:
        raise ValidationError(f"窗口号应为 1–{MAX_WINDOW} 的整数，得到 {value}", field="number")
    return value


def _check_window_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("请填写窗口名称", field="name")
    if len(name) > 60:
        raise ValidationError(f"窗口名称太长：最多 60 个字，现有 {len(name)} 个", field="name")
    return name


def _check_window_name_mn(name_mn: str) -> str:
    """The Mongolian name: traditional script only (no 汉字 or Latin letters, which the display's column would
    show on their side); "" for none."""
    name_mn = " ".join(part for part in name_mn.split(" ") if part.strip())  # U+202F stays: it binds a suffix
    if has_foreign_letters(name_mn):
        raise ValidationError("窗口蒙古文名称应为传统蒙古文（不能夹汉字或拉丁字母）；没有可留空", field="name_mn")
    if len(name_mn) > 120:
        raise ValidationError(f"窗口蒙古文名称太长：最多 120 个字符，现有 {len(name_mn)} 个", field="name_mn")
    return name_mn


def _check_categories(session: Session, hall_code: str, categories: Iterable[str]) -> list[str]:
    letters = sorted({str(c).strip().upper() for c in categories if str(c).strip()})
    if not letters:
        raise ValidationError("请至少选择一个业务类别", field="categories")
    known = queue_categories(session, hall_code)
    unknown = [c for c in letters if c not in known]
    if unknown:
        offered = "、".join(f"{k} {v}" for k, v in known.items()) or "（尚未导入事项目录，没有业务类别）"
        raise ValidationError(f"业务类别不存在：{'、'.join(unknown)}；可选：{offered}", field="categories")
    return letters


def _find_window(session: Session, hall_code: str, number: int) -> Window:
    window = session.scalars(select(Window).where(Window.hall_code == hall_code, Window.number == number)
                             ).one_or_none()
    if window is None:
        raise NotFound(f"本大厅没有 {number} 号窗口", field="number")
    return window


def _window_result(session: Session, hall_code: str, window: Window) -> WindowRow:
    clerk_name = session.scalars(select(Clerk.name).where(Clerk.id == window.clerk_id)).first() or ""
    return _window_row(window, queue_categories(session, hall_code), clerk_name)


def add_window(store: Store, who: Acting, *, number: int, name: str, categories: Iterable[str],
               name_mn: str = "", host: str = "", clock: HallClock) -> WindowRow:
    actor = require_admin(who, "添加窗口")
    at = clock.now()
    number = parse_window_number(number)
    name = _check_window_name(name)
    name_mn = _check_window_name_mn(name_mn)
    with store.write() as session:
        if session.get(Hall, actor.hall_code) is None:
            raise NotFound(f"大厅不存在：{actor.hall_code}（请检查设置 hall.code 或 --hall）", field="hall_code")
        if session.scalars(select(Window.id).where(Window.hall_code == actor.hall_code,
                                                   Window.number == number)).first() is not None:
            raise ValidationError(f"本大厅已有 {number} 号窗口", field="number")
        letters = _check_categories(session, actor.hall_code, categories)
        window = Window(hall_code=actor.hall_code, number=number, name=name, name_mn=name_mn, categories=letters,
                        active=True)
        session.add(window)
        session.flush()
        audit(session, at=at, action="window.add", actor=actor.name, target=f"window:{number}", host=host,
              detail={"name": name, "name_mn": name_mn, "categories": letters})
        return _window_result(session, actor.hall_code, window)


def update_window(store: Store, who: Acting, number: int, *, name: str | None = None,
                  categories: Iterable[str] | None = None, name_mn: str | None = None, host: str = "",
                  clock: HallClock) -> WindowRow:
    """Rename a window (in Chinese or Mongolian) or change the categories it calls (None leaves it as it is)."""
    actor = require_admin(who, "修改窗口")
    at = clock.now()
    number = parse_window_number(number)
    if name is not None:
        name = _check_window_name(name)
    if name_mn is not None:
        name_mn = _check_window_name_mn(name_mn)
    with store.write() as session:
        window = _find_window(session, actor.hall_code, number)
        letters = _check_categories(session, actor.hall_code, categories) if categories is not None else None
        changes: dict[str, Any] = {}
        if name is not None and name != window.name:
            changes["name"] = {"from": window.name, "to": name}
            window.name = name
        if name_mn is not None and name_mn != (window.name_mn or ""):
            changes["name_mn"] = {"from": window.name_mn or "", "to": name_mn}
            window.name_mn = name_mn
        if letters is not None and letters != list(window.categories or ()):
            changes["categories"] = {"from": list(window.categories or ()), "to": letters}
            window.categories = letters
        if changes:
            audit(session, at=at, action="window.update", actor=actor.name, target=f"window:{number}", host=host,
                  detail=changes)
        return _window_result(session, actor.hall_code, window)


def set_hall_bilingual(store: Store, who: Acting, bilingual: bool, *, host: str = "", clock: HallClock) -> bool:
    """Switch the hall's public output between 蒙汉双语 and Chinese only (each PC may still override it with
    ``[language] bilingual``). Audited; returns the new value."""
    actor = require_admin(who, "设置大厅蒙汉双语")
    at = clock.now()
    with store.write() as session:
        hall = session.get(Hall, actor.hall_code)
        if hall is None:
            raise NotFound(f"大厅 {actor.hall_code} 不存在，请先登录或初始化本大厅")
        if bool(hall.bilingual) != bilingual:
            audit(session, at=at, action="hall.bilingual", actor=actor.name, target=f"hall:{actor.hall_code}",
                  host=host, detail={"from": bool(hall.bilingual), "to": bilingual})
            hall.bilingual = bilingual
        return bilingual


def set_window_active(store: Store, who: Acting, number: int, active: bool, *, host: str = "",
                      clock: HallClock) -> WindowRow:
    """Open or close a window. A window that holds a called or serving ticket today, or has tickets transferred
    to it waiting, cannot be closed (they would be stranded)."""
    actor = require_admin(who, "启用或停用窗口")
    number = parse_window_number(number)
    at = clock.now()
    day = clock.day_of(at)
    with store.write() as session:
        window = _find_window(session, actor.hall_code, number)
        if window.active == active:
            return _window_result(session, actor.hall_code, window)
        detail: dict[str, Any] = {"active": active}
        if not active:
            ticket = session.scalars(select(Ticket).where(
                Ticket.hall_code == actor.hall_code, Ticket.service_date == day, Ticket.window_number == number,
                Ticket.state.in_((*HELD_STATES, "waiting")),
            ).order_by(Ticket.state != "serving", Ticket.state != "called", Ticket.queued_at)).first()
            if ticket is not None and ticket.state in HELD_STATES:
                raise StateError(f"{number} 号窗口正在{'办理' if ticket.state == 'serving' else '叫号'} "
                                 f"{ticket.code}（{STATE_LABELS[ticket.state]}），请先办结、过号或转走再停用")
            if ticket is not None:
                raise StateError(f"有转给 {number} 号窗口的号票 {ticket.code} 在等候，请先叫号办理或转给其他窗口再停用")
            if window.clerk_id is not None:
                detail["clerk_id"] = window.clerk_id
                window.clerk_id = None  # nobody sits at a closed window
        window.active = active
        audit(session, at=at, action="window.active", actor=actor.name, target=f"window:{number}", host=host,
              detail=detail)
        return _window_result(session, actor.hall_code, window)
