"""Clerks and logging in: argon2id password hashes, failed-login lockout, and an audit row for every attempt.

There is no default password: a fresh store asks for the administrator on first start (demo mode seeds its own
accounts, see ``app.demo``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import HallClock
from app.errors import NotFound, StateError, ValidationError
from app.store import Store
from app.store.models import AuditEvent, Clerk, Hall, Window

ROLES: dict[str, str] = {"clerk": "窗口人员", "supervisor": "大厅负责人", "admin": "系统管理员"}
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
MIN_PASSWORD = 8
BAD_CREDENTIALS = "用户名或密码错误"

# argon2id with OWASP's first recommended profile (19 MiB, 2 passes, 1 lane; RFC 9106 §4 lets the memory be
# chosen for the machine). argon2-cffi's default (RFC 9106 "low memory": 64 MiB, t=3, p=4) cost 0.11–0.6 s per
# login on a 2-core hall PC; this profile answers in ≈ 25 ms there (docs/admin.md "Passwords" has the figures).
# Hashes stored with other parameters are rehashed on the next good login (see ``_attempt``).
HASH_TIME_COST = 2
HASH_MEMORY_KIB = 19 * 1024
HASH_PARALLELISM = 1
_hasher = PasswordHasher(time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM)


@dataclass(frozen=True)
class ClerkView:
    id: int
    username: str
    name: str
    role: str
    hall_code: str

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


@dataclass(frozen=True)
class WindowChoice:
    """A window the clerk may sit at, as offered on the login screen."""

    number: int
    name: str
    categories: tuple[str, ...]
    occupied_by: str  # the name of the clerk recorded there now, "" if free

    @property
    def label(self) -> str:
        text = f"{self.number} 号窗口 · {self.name}"
        return text + (f"（{self.occupied_by}）" if self.occupied_by else "")


def _view(clerk: Clerk) -> ClerkView:
    return ClerkView(id=clerk.id, username=clerk.username, name=clerk.name, role=clerk.role,
                     hall_code=clerk.hall_code)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes even for timezone=True columns; they were written as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码太短：至少 {MIN_PASSWORD} 位", field=field)
    if password.strip() != password:
        raise ValidationError("密码首尾不能有空格", field=field)


def audit(session: Session, *, action: str, actor: str, target: str = "", host: str = "",
          at: dt.datetime, detail: dict[str, Any] | None = None) -> None:
    """One audit row, stamped at ``at`` (the hall clock's now of the service that writes it)."""
    session.add(AuditEvent(action=action, actor=actor, target=target, host=host, detail=detail or {}, at=at))


def record_audit(store: Store, *, action: str, actor: str, at: dt.datetime, target: str = "", host: str = "",
                 detail: dict[str, Any] | None = None) -> None:
    """:func:`audit` in a transaction of its own, committed here: for callers that hold no session (the UI)."""
    with store.write() as session:
        audit(session, action=action, actor=actor, at=at, target=target, host=host, detail=detail)


def check_clerk_name(name: str) -> str:
    """A clerk's name as stored (stripped), or ValidationError on the ``name`` field."""
    name = name.strip()
    if not name:
        raise ValidationError("请填写姓名", field="name")
    if len(name) > 40:
        raise ValidationError("姓名太长：最多 40 个字", field="name")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"角色无效：{role}（可选：{'、'.join(ROLES)}）", field="role")
    return role


def create_clerk(session: Session, *, hall_code: str, username: str, name: str, role: str, password: str) -> int:
    """Add a clerk account; returns its id. Raises ValidationError naming the field at fault."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise ValidationError("用户名只能用 2–40 位字母、数字、下划线、点或减号", field="username")
    name = check_clerk_name(name)
    check_role(role)
    check_password_rules(password)
    if session.get(Hall, hall_code) is None:
        raise NotFound(f"大厅不存在：{hall_code}", field="hall_code")
    taken = session.scalars(select(Clerk.id).where(func.lower(Clerk.username) == username.lower())).first()
    if taken is not None:
        raise ValidationError(f"用户名已被使用：{username}", field="username")
    clerk = Clerk(hall_code=hall_code, username=username, name=name, role=role,
                  password_hash=hash_password(password))
    session.add(clerk)
    session.flush()
    return int(clerk.id)


def has_admin(session: Session) -> bool:
    return session.scalars(select(Clerk.id).where(Clerk.role == "admin", Clerk.active.is_(True))).first() is not None


def create_first_admin(store: Store, *, hall_code: str, hall_name: str, username: str, name: str,
                       password: str, clock: HallClock, host: str = "") -> ClerkView:
    """First start: create the hall (if missing) and its administrator. Refused once any admin exists."""
    hall_code = hall_code.strip()
    hall_name = hall_name.strip()
    if not re.fullmatch(r"\d{6,12}", hall_code):
        raise ValidationError("大厅编码应为 6–12 位数字（一般为旗县区划代码）", field="hall_code")
    if not hall_name:
        raise ValidationError("请填写大厅名称", field="hall_name")
    with store.write() as session:
        if has_admin(session):
            raise StateError("已有系统管理员，不能再次初始化；请用管理员账号登录后添加人员")
        if session.get(Hall, hall_code) is None:
            session.add(Hall(code=hall_code, name=hall_name, region_code=hall_code[:6]))
            session.flush()
        clerk_id = create_clerk(session, hall_code=hall_code, username=username, name=name, role="admin",
                                password=password)
        audit(session, action="admin.create", actor=username.strip(), target=f"clerk:{clerk_id}", host=host,
              at=clock.now())
        return _view(session.get_one(Clerk, clerk_id))


@dataclass(frozen=True)
class _Attempt:
    clerk: ClerkView | None
    error: str  # "" on success
    field: str
    locked: bool


def authenticate(store: Store, username: str, password: str, *, host: str, max_failures: int = 5,
                 lock_minutes: int = 15, clock: HallClock) -> ClerkView:
    """Check a login; every attempt is audited. After ``max_failures`` wrong passwords in a row the account is
    locked for ``lock_minutes`` (a correct password is refused meanwhile).

    Raises:
        ValidationError: empty fields or wrong username/password (the same message for both, so names are not
            revealed).
        StateError: the account is locked or disabled.
    """
    username = username.strip()
    if not username:
        raise ValidationError("请输入用户名", field="username")
    if not password:
        raise ValidationError("请输入密码", field="password")
    at = clock.now()
    # The failure is committed (counter + audit) before it is raised, so the transaction must not raise it.
    with store.write() as session:
        attempt = _attempt(session, username, password, host=host, at=at, zone=clock.zone,
                           max_failures=max_failures, lock_minutes=lock_minutes)
    if attempt.clerk is None:
        if attempt.locked:
            raise StateError(attempt.error, field=attempt.field)
        raise ValidationError(attempt.error, field=attempt.field)
    return attempt.clerk


def _attempt(session: Session, username: str, password: str, *, host: str, at: dt.datetime, zone: dt.tzinfo,
             max_failures: int, lock_minutes: int, purpose: str = "login") -> _Attempt:
    """Check one password; audit rows are ``{purpose}.ok|fail|locked|lockout`` (login, or password.verify)."""
    clerk = session.scalars(select(Clerk).where(func.lower(Clerk.username) == username.lower())).one_or_none()
    if clerk is None:
        audit(session, action=f"{purpose}.fail", actor=username[:60], host=host, detail={"reason": "unknown_user"},
              at=at)
        return _Attempt(None, BAD_CREDENTIALS, "password", False)
    target = f"clerk:{clerk.id}"
    if not clerk.active:
        audit(session, action=f"{purpose}.fail", actor=clerk.username, target=target, host=host,
              detail={"reason": "inactive"}, at=at)
        return _Attempt(None, "该账号已停用，请联系系统管理员", "username", True)
    if clerk.locked_until is not None and _aware(clerk.locked_until) > at:
        until = _aware(clerk.locked_until).astimezone(zone).strftime("%H:%M")  # the hall's wall clock
        audit(session, action=f"{purpose}.locked", actor=clerk.username, target=target, host=host, at=at)
        return _Attempt(None, f"密码错误次数过多，账号已锁定，请 {until} 后再试或联系系统管理员", "password", True)
    try:
        _hasher.verify(clerk.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        clerk.failed_logins += 1
        left = max_failures - clerk.failed_logins
        if left <= 0:
            clerk.locked_until = at + dt.timedelta(minutes=lock_minutes)
            clerk.failed_logins = 0
            audit(session, action=f"{purpose}.lockout", actor=clerk.username, target=target, host=host,
                  detail={"minutes": lock_minutes}, at=at)
            return _Attempt(None, f"密码错误次数过多，账号已锁定 {lock_minutes} 分钟", "password", True)
        audit(session, action=f"{purpose}.fail", actor=clerk.username, target=target, host=host,
              detail={"reason": "bad_password", "failures": clerk.failed_logins}, at=at)
        return _Attempt(None, f"{BAD_CREDENTIALS}（再错 {left} 次将锁定账号）", "password", False)
    clerk.failed_logins = 0
    clerk.locked_until = None
    if _hasher.check_needs_rehash(clerk.password_hash):
        # Stored with older parameters (or another type): the password is known good now, so store it anew.
        clerk.password_hash = hash_password(password)
        audit(session, action=f"{purpose}.rehash", actor=clerk.username, target=target, host=host, at=at)
    audit(session, action=f"{purpose}.ok", actor=clerk.username, target=target, host=host, at=at)
    return _Attempt(_view(clerk), "", "", False)


def change_own_password(store: Store, clerk: ClerkView, current: str, new: str, *, host: str, clock: HallClock,
                        max_failures: int = 5, lock_minutes: int = 15) -> None:
    """A logged-in clerk changes their own password; the current one must be given (the PC may be left
    unlocked). A wrong current password counts towards the lockout like a failed login.

    Raises:
        ValidationError: field ``current`` (wrong), ``password`` (rules, or the same as before).
        StateError: the account is locked or disabled.
    """
    if not current:
        raise ValidationError("请输入当前密码", field="current")
    check_password_rules(new)
    if new == current:
        raise ValidationError("新密码不能与当前密码相同", field="password")
    at = clock.now()
    with store.write() as session:
        attempt = _attempt(session, clerk.username, current, host=host, at=at, zone=clock.zone,
                           max_failures=max_failures, lock_minutes=lock_minutes, purpose="password.verify")
        if attempt.clerk is not None:
            row = session.get_one(Clerk, clerk.id)
            row.password_hash = hash_password(new)
            audit(session, action="password.change", actor=clerk.username, target=f"clerk:{clerk.id}", host=host,
                  at=at)
    if attempt.clerk is None:
        if attempt.locked:
            raise StateError(attempt.error, field="current")
        raise ValidationError(attempt.error.replace(BAD_CREDENTIALS, "当前密码不正确"), field="current")


def hall_windows(session: Session, hall_code: str) -> list[WindowChoice]:
    """The active windows of a hall, for the login screen's window choice."""
    rows = session.execute(
        select(Window, Clerk.name).outerjoin(Clerk, Clerk.id == Window.clerk_id)
        .where(Window.hall_code == hall_code, Window.active.is_(True)).order_by(Window.number)
    ).all()
    return [WindowChoice(number=w.number, name=w.name, categories=tuple(w.categories or ()),
                         occupied_by=clerk_name or "") for w, clerk_name in rows]


def take_window(store: Store, *, clerk: ClerkView, window_number: int, host: str, clock: HallClock) -> None:
    """Record that ``clerk`` now sits at ``window_number`` (the queue calls for that window in their name)."""
    if window_number <= 0:
        raise ValidationError("请选择窗口", field="window")
    with store.write() as session:
        window = session.scalars(
            select(Window).where(Window.hall_code == clerk.hall_code, Window.number == window_number)
        ).one_or_none()
        if window is None:
            if session.scalars(select(Window.id).where(Window.hall_code == clerk.hall_code)).first() is not None:
                raise ValidationError(f"本大厅没有 {window_number} 号窗口", field="window")
        else:
            # One clerk sits at one window: leaving any other window they were recorded at.
            for other in session.scalars(select(Window).where(Window.clerk_id == clerk.id)):
                other.clerk_id = None
            window.clerk_id = clerk.id
        audit(session, action="window.take", actor=clerk.username, target=f"window:{window_number}", host=host,
              at=clock.now())


def leave_window(store: Store, *, clerk: ClerkView, host: str, clock: HallClock) -> None:
    """Logging out: the clerk's window is free again."""
    with store.write() as session:
        for window in session.scalars(select(Window).where(Window.clerk_id == clerk.id)):
            window.clerk_id = None
        audit(session, action="logout", actor=clerk.username, target=f"clerk:{clerk.id}", host=host, at=clock.now())
