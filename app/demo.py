"""The demo hall: 四子王旗政务服务中心 with eight windows, demo accounts and the shipped catalog.

Seeding is idempotent: rows that exist are left as they are (a clerk's changed password survives a re-seed).
The addresses and phone numbers are placeholders for demonstration, not the real hall's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth import audit, create_clerk
from app.clock import system_now
from app.settings import DEMO_HALL_CODE, DEMO_HALL_NAME
from app.store import Store
from app.store.models import Clerk, Hall, Window

DEMO_PASSWORD = "demo1234"  # every demo account; only ever seeded in demo mode


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    password: str = DEMO_PASSWORD


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("clerk01", "其木格", "clerk"),
    DemoAccount("clerk02", "巴特尔", "clerk"),
    DemoAccount("clerk03", "王丽娜", "clerk"),
    DemoAccount("clerk04", "张海军", "clerk"),
    DemoAccount("clerk05", "乌云", "clerk"),
    DemoAccount("clerk06", "刘建国", "clerk"),
    DemoAccount("supervisor", "赵敏", "supervisor"),
    DemoAccount("admin", "系统管理员", "admin"),
)

# Queue category letters follow the shipped catalog's ``categories`` (A 社保医保, B 就业创业 …). ``None``: every
# category of the current catalog (the 综合受理 windows take anything).
DEMO_WINDOWS: tuple[tuple[int, str, tuple[str, ...] | None], ...] = (
    (1, "综合受理", None),
    (2, "综合受理", None),
    (3, "社保医保 · 公积金", ("A", "J")),
    (4, "就业创业 · 卫生健康", ("B", "K")),
    (5, "市场准入 · 税费办理", ("C", "H")),
    (6, "不动产登记", ("D",)),
    (7, "户籍证件 · 民政救助", ("E", "F")),
    (8, "农牧交通 · 帮办代办", ("G",)),
)


def seed_demo_hall(store: Store) -> None:
    """Create (or complete) the demo hall, its windows, the demo accounts and the current catalog."""
    from app.catalog.store import ensure_catalog

    _version_id, catalog = ensure_catalog(store)
    every = tuple(sorted(catalog.categories))
    with store.write() as session:
        hall = session.get(Hall, DEMO_HALL_CODE)
        if hall is None:
            session.add(Hall(
                code=DEMO_HALL_CODE,
                name=DEMO_HALL_NAME,
                address="内蒙古自治区乌兰察布市四子王旗乌兰花镇（演示地址）",
                phone="0474-5200001",
                consult_phone="0474-5200002",
                supervise_phone="12345",
                region_code=DEMO_HALL_CODE,
                level="county",
            ))
            session.flush()
        have = set(session.scalars(select(Window.number).where(Window.hall_code == DEMO_HALL_CODE)))
        for number, name, categories in DEMO_WINDOWS:
            if number not in have:
                # The Mongolian name from the catalog's category names (综合受理 has no such wording: "").
                name_mn = "᠂ ".join(catalog.categories_mn.get(c, "") for c in categories or ()
                                    if catalog.categories_mn.get(c))
                session.add(Window(hall_code=DEMO_HALL_CODE, number=number, name=name, name_mn=name_mn,
                                   categories=list(categories if categories is not None else every)))
        existing = set(session.scalars(select(Clerk.username)))
        created = []
        for account in DEMO_ACCOUNTS:
            if account.username not in existing:
                create_clerk(session, hall_code=DEMO_HALL_CODE, username=account.username, name=account.name,
                             role=account.role, password=account.password)
                created.append(account.username)
        if created:
            # Seeding is set-up bookkeeping, not a hall event: stamped by the machine's clock.
            audit(session, action="demo.seed", actor="demo", target=f"hall:{DEMO_HALL_CODE}",
                  detail={"accounts": created}, at=system_now())
