"""Clerk accounts and logging in: argon2id hashes, field-named validation, failed-login lockout and its expiry,
the first-start administrator, and an audit row for every attempt — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app import auth
from app.clock import HallClock
from app.errors import NotFound, StateError, ValidationError
from app.store import Store
from app.store.models import AuditEvent, Clerk, Hall, Window
from tests.hall_clock import CLOCK

HALL = "150929"


@pytest.fixture
def hall_store(sqlite_store: Store) -> Store:
    with sqlite_store.write() as session:
        session.add(Hall(code=HALL, name="四子王旗政务服务中心"))
    return sqlite_store


def add_clerk(store: Store, username: str = "clerk01", password: str = "Secret-123", role: str = "clerk") -> int:
    with store.write() as session:
        if session.get(Hall, HALL) is None:
            session.add(Hall(code=HALL, name="四子王旗政务服务中心"))
            session.flush()
        return auth.create_clerk(session, hall_code=HALL, username=username, name="其木格", role=role,
                                 password=password)


def audit_actions(store: Store) -> list[tuple[str, str]]:
    with store.read() as session:
        return [(a.action, a.actor) for a in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_password_is_stored_as_argon2id_only(hall_store: Store) -> None:
    clerk_id = add_clerk(hall_store)
    with hall_store.read() as session:
        row = session.get_one(Clerk, clerk_id)
    assert row.password_hash.startswith("$argon2id$")
    assert "Secret-123" not in row.password_hash


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"username": "张三"}, "username", "用户名"),
        ({"username": "a"}, "username", "2–40"),
        ({"name": "  "}, "name", "姓名"),
        ({"role": "boss"}, "role", "角色无效"),
        ({"password": "short"}, "password", "至少 8 位"),
        ({"password": " padded-pass "}, "password", "空格"),
    ],
)
def test_bad_clerk_fields_are_named(hall_store: Store, kwargs: dict[str, str], field: str, words: str) -> None:
    values = {"hall_code": HALL, "username": "clerk01", "name": "其木格", "role": "clerk", "password": "Secret-123"}
    values.update(kwargs)
    with pytest.raises(ValidationError) as err, hall_store.write() as session:
        auth.create_clerk(session, **values)  # type: ignore[arg-type]
    assert err.value.field == field and words in err.value.message


def test_duplicate_username_ignores_case_and_unknown_hall(hall_store: Store) -> None:
    add_clerk(hall_store, "Clerk01")
    with pytest.raises(ValidationError, match="已被使用") as err, hall_store.write() as session:
        auth.create_clerk(session, hall_code=HALL, username="clerk01", name="巴特尔", role="clerk",
                          password="Secret-123")
    assert err.value.field == "username"
    with pytest.raises(NotFound, match="大厅不存在"), hall_store.write() as session:
        auth.create_clerk(session, hall_code="999999", username="x1", name="某", role="clerk", password="Secret-123")


def test_login_success_resets_failures_and_is_audited(hall_store: Store) -> None:
    add_clerk(hall_store)
    with pytest.raises(ValidationError):
        auth.authenticate(hall_store, "clerk01", "wrong-one", host="pc-3", clock=CLOCK)
    view = auth.authenticate(hall_store, " CLERK01 ", "Secret-123", host="pc-3", clock=CLOCK)
    assert (view.username, view.role, view.hall_code, view.role_label) == ("clerk01", "clerk", HALL, "窗口人员")
    with hall_store.read() as session:
        assert session.scalars(select(Clerk.failed_logins)).one() == 0
        hosts = set(session.scalars(select(AuditEvent.host)))
    assert audit_actions(hall_store) == [("login.fail", "clerk01"), ("login.ok", "clerk01")]
    assert hosts == {"pc-3"}


def test_empty_fields_are_named_without_touching_the_store(hall_store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        auth.authenticate(hall_store, "", "x", host="h", clock=CLOCK)
    assert err.value.field == "username"
    with pytest.raises(ValidationError) as err:
        auth.authenticate(hall_store, "clerk01", "", host="h", clock=CLOCK)
    assert err.value.field == "password"
    assert audit_actions(hall_store) == []


def test_lockout_and_its_expiry(any_store: Store) -> None:
    add_clerk(any_store)
    t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    messages = []
    for i in range(3):
        with pytest.raises((ValidationError, StateError)) as err:
            auth.authenticate(any_store, "clerk01", "wrong-pass", host="h", max_failures=3, lock_minutes=15,
                              clock=HallClock.frozen(t0 + dt.timedelta(seconds=i)))
        messages.append(err.value.message)
    assert "再错 2 次" in messages[0] and "再错 1 次" in messages[1]
    assert "已锁定 15 分钟" in messages[2]
    with pytest.raises(StateError, match="已锁定"):
        auth.authenticate(any_store, "clerk01", "Secret-123", host="h", max_failures=3, lock_minutes=15,
                          clock=HallClock.frozen(t0 + dt.timedelta(minutes=10)))
    view = auth.authenticate(any_store, "clerk01", "Secret-123", host="h", max_failures=3, lock_minutes=15,
                             clock=HallClock.frozen(t0 + dt.timedelta(minutes=16)))
    assert view.username == "clerk01"
    assert [a for a, _ in audit_actions(any_store)] == [
        "login.fail", "login.fail", "login.lockout", "login.locked", "login.ok"]


def test_inactive_account_is_refused(hall_store: Store) -> None:
    clerk_id = add_clerk(hall_store)
    with hall_store.write() as session:
        session.get_one(Clerk, clerk_id).active = False
    with pytest.raises(StateError, match="停用"):
        auth.authenticate(hall_store, "clerk01", "Secret-123", host="h", clock=CLOCK)


def test_first_admin_only_once(sqlite_store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        auth.create_first_admin(sqlite_store, hall_code="15", hall_name="x", username="admin", name="管理员",
                                password="Admin-pass-1", clock=CLOCK)
    assert err.value.field == "hall_code"
    with sqlite_store.read() as session:
        assert not auth.has_admin(session)
    view = auth.create_first_admin(sqlite_store, hall_code=HALL, hall_name="四子王旗政务服务中心",
                                   username="admin", name="赵敏", password="Admin-pass-1", host="pc-1", clock=CLOCK)
    assert view.role == "admin" and view.hall_code == HALL
    with sqlite_store.read() as session:
        assert auth.has_admin(session)
        assert session.get_one(Hall, HALL).name == "四子王旗政务服务中心"
    with pytest.raises(StateError, match="已有系统管理员"):
        auth.create_first_admin(sqlite_store, hall_code=HALL, hall_name="别的", username="admin2", name="某",
                                password="Admin-pass-2", clock=CLOCK)
    assert ("admin.create", "admin") in audit_actions(sqlite_store)


def test_take_window_moves_the_clerk_and_names_a_missing_window(hall_store: Store) -> None:
    add_clerk(hall_store)
    with hall_store.write() as session:
        for n in (1, 2):
            session.add(Window(hall_code=HALL, number=n, name="综合受理", categories=["A"]))
    view = auth.authenticate(hall_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    auth.take_window(hall_store, clerk=view, window_number=1, host="h", clock=CLOCK)
    auth.take_window(hall_store, clerk=view, window_number=2, host="h", clock=CLOCK)
    with hall_store.read() as session:
        choices = auth.hall_windows(session, HALL)
    assert [(c.number, c.occupied_by) for c in choices] == [(1, ""), (2, "其木格")]
    assert choices[1].label == "2 号窗口 · 综合受理（其木格）"
    with pytest.raises(ValidationError, match="没有 9 号窗口"):
        auth.take_window(hall_store, clerk=view, window_number=9, host="h", clock=CLOCK)
    auth.leave_window(hall_store, clerk=view, host="h", clock=CLOCK)
    with hall_store.read() as session:
        assert all(c.occupied_by == "" for c in auth.hall_windows(session, HALL))


def test_a_clerk_changes_their_own_password(any_store: Store) -> None:
    add_clerk(any_store)
    me = auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    with pytest.raises(ValidationError) as wrong:
        auth.change_own_password(any_store, me, "not-my-pass", "Better-456", host="h", clock=CLOCK)
    assert wrong.value.field == "current" and "当前密码不正确" in wrong.value.message and "再错 4 次" in wrong.value.message
    with pytest.raises(ValidationError) as same:
        auth.change_own_password(any_store, me, "Secret-123", "Secret-123", host="h", clock=CLOCK)
    assert same.value.field == "password"
    with pytest.raises(ValidationError) as short:
        auth.change_own_password(any_store, me, "Secret-123", "short", host="h", clock=CLOCK)
    assert short.value.field == "password" and "至少 8 位" in short.value.message
    auth.change_own_password(any_store, me, "Secret-123", "Better-456", host="h", clock=CLOCK)
    with pytest.raises(ValidationError):
        auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    assert auth.authenticate(any_store, "clerk01", "Better-456", host="h", clock=CLOCK).username == "clerk01"
    actions = [a for a, _ in audit_actions(any_store)]
    assert actions[1:4] == ["password.verify.fail", "password.verify.ok", "password.change"]


def test_guessing_the_current_password_locks_the_account(any_store: Store) -> None:
    """Someone at an unlocked PC cannot try passwords without limit through 修改密码."""
    add_clerk(any_store)
    me = auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    for _ in range(2):
        with pytest.raises(ValidationError):
            auth.change_own_password(any_store, me, "guess-guess", "Better-456", host="h", max_failures=3, clock=CLOCK)
    with pytest.raises(StateError, match="已锁定"):
        auth.change_own_password(any_store, me, "guess-guess", "Better-456", host="h", max_failures=3, clock=CLOCK)
    with pytest.raises(StateError, match="已锁定"):
        auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)


OLD_HASHER_PARAMS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}  # argon2-cffi's default until issue 21


def store_old_hash(store: Store, clerk_id: int, password: str) -> str:
    from argon2 import PasswordHasher

    old = PasswordHasher(**OLD_HASHER_PARAMS).hash(password)
    with store.write() as session:
        session.get_one(Clerk, clerk_id).password_hash = old
    return old


def stored_hash(store: Store, clerk_id: int) -> str:
    with store.read() as session:
        return session.get_one(Clerk, clerk_id).password_hash


def test_hashes_use_the_chosen_parameters(hall_store: Store) -> None:
    clerk_id = add_clerk(hall_store)
    assert f"$m={auth.HASH_MEMORY_KIB},t={auth.HASH_TIME_COST},p={auth.HASH_PARALLELISM}$" in stored_hash(
        hall_store, clerk_id)
    assert auth.HASH_MEMORY_KIB >= 19 * 1024  # OWASP / RFC 9106: keep the recommended memory cost


def test_an_old_parameter_hash_is_rehashed_on_a_good_login_only(any_store: Store) -> None:
    clerk_id = add_clerk(any_store)
    old = store_old_hash(any_store, clerk_id, "Secret-123")
    assert "$m=65536,t=3,p=4$" in old
    with pytest.raises(ValidationError):
        auth.authenticate(any_store, "clerk01", "wrong-pass", host="h", clock=CLOCK)
    assert stored_hash(any_store, clerk_id) == old  # a wrong password changes nothing
    auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    new = stored_hash(any_store, clerk_id)
    assert new != old and f"$m={auth.HASH_MEMORY_KIB},t={auth.HASH_TIME_COST},p=1$" in new
    assert [a for a, _ in audit_actions(any_store)] == ["login.fail", "login.rehash", "login.ok"]
    auth.authenticate(any_store, "clerk01", "Secret-123", host="h", clock=CLOCK)
    assert stored_hash(any_store, clerk_id) == new  # rehashed once, then left alone
    with pytest.raises(ValidationError):
        auth.authenticate(any_store, "clerk01", "Secret-124", host="h", clock=CLOCK)


def test_a_rehash_is_not_done_while_locked(hall_store: Store) -> None:
    clerk_id = add_clerk(hall_store)
    old = store_old_hash(hall_store, clerk_id, "Secret-123")
    t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    for i in range(3):
        with pytest.raises((ValidationError, StateError)):
            auth.authenticate(hall_store, "clerk01", "wrong-pass", host="h", max_failures=3,
                              clock=HallClock.frozen(t0 + dt.timedelta(seconds=i)))
    with pytest.raises(StateError):
        auth.authenticate(hall_store, "clerk01", "Secret-123", host="h", max_failures=3,
                          clock=HallClock.frozen(t0 + dt.timedelta(minutes=1)))
    assert stored_hash(hall_store, clerk_id) == old
