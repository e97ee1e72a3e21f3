"""The demo hall: 四子王旗政务服务中心, eight windows with their queue categories, demo accounts that log in,
the shipped catalog; seeding twice changes nothing."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import func, select

from app import auth
from app.catalog.store import current_catalog
from app.demo import DEMO_ACCOUNTS, DEMO_HALL_CODE, DEMO_PASSWORD, seed_demo_hall
from app.store import Store
from app.store.models import AuditEvent, Clerk, Hall, Window
from tests.conftest import REPO
from tests.hall_clock import CLOCK


def test_seed_builds_the_hall(sqlite_store: Store) -> None:
    seed_demo_hall(sqlite_store)
    with sqlite_store.read() as session:
        hall = session.get_one(Hall, DEMO_HALL_CODE)
        assert hall.name == "四子王旗政务服务中心" and "四子王旗" in hall.address and hall.phone
        windows = session.scalars(select(Window).order_by(Window.number)).all()
        found = current_catalog(session)
        roles = {u: r for u, r in session.execute(select(Clerk.username, Clerk.role))}
    assert [w.number for w in windows] == list(range(1, 9))
    assert found is not None
    catalog = found[1]
    # 综合受理 windows take every category of the catalog; the others a subset of real categories.
    assert set(windows[0].categories) == set(catalog.categories)
    for window in windows:
        assert window.categories and set(window.categories) <= set(catalog.categories)
    assert roles["clerk01"] == "clerk" and roles["supervisor"] == "supervisor" and roles["admin"] == "admin"
    assert len(roles) == len(DEMO_ACCOUNTS)


def test_seed_is_idempotent_and_keeps_changed_passwords(sqlite_store: Store) -> None:
    seed_demo_hall(sqlite_store)
    with sqlite_store.write() as session:
        clerk = session.scalars(select(Clerk).where(Clerk.username == "clerk01")).one()
        clerk.password_hash = auth.hash_password("Changed-pass-1")
    seed_demo_hall(sqlite_store)
    with sqlite_store.read() as session:
        assert session.scalar(select(func.count()).select_from(Window)) == 8
        assert session.scalar(select(func.count()).select_from(Clerk)) == len(DEMO_ACCOUNTS)
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "demo.seed")) == 1
    assert auth.authenticate(sqlite_store, "clerk01", "Changed-pass-1", host="t", clock=CLOCK).username == "clerk01"
    assert auth.authenticate(sqlite_store, "clerk02", DEMO_PASSWORD, host="t", clock=CLOCK).name == "巴特尔"


def test_seed_on_postgresql(pg_store: Store) -> None:
    seed_demo_hall(pg_store)
    seed_demo_hall(pg_store)
    with pg_store.read() as session:
        assert session.scalar(select(func.count()).select_from(Window)) == 8
    assert auth.authenticate(pg_store, "supervisor", DEMO_PASSWORD, host="t", clock=CLOCK).role == "supervisor"


def test_app_modules_stay_free_of_qt() -> None:
    code = "import sys, app.auth, app.demo; assert 'PySide6' not in sys.modules, 'Qt leaked into app/'"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
