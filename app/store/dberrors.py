"""Database failures in words a clerk can act on (shared by the engine and the migrations)."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError


def describe_db_error(exc: BaseException, url: str) -> str:
    """One clerk-facing line for a database failure."""
    raw = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0] if str(exc) else type(exc).__name__
    low = raw.lower()
    where = make_url(url).render_as_string(hide_password=True)
    if "locked" in low or "busy" in low:
        return f"数据库正被其他程序占用，请稍后重试（{where}）"
    if "unable to open" in low or "readonly" in low or "read-only" in low or "permission" in low:
        return f"无法打开数据库文件，请检查路径与权限（{where}）：{raw}"
    if "disk" in low and ("full" in low or "i/o" in low):
        return f"磁盘已满或读写出错，本次操作未保存（{where}）"
    if "not a database" in low or "malformed" in low:
        return f"数据库文件已损坏或不是数据库（{where}），请联系管理员从备份恢复"
    if "connection" in low or "could not" in low or "timeout" in low:
        return f"无法连接数据库（{where}）：{raw}"
    return f"数据库操作失败（{where}）：{raw}"


def is_environmental(exc: DBAPIError) -> bool:
    low = str(exc.orig).lower()
    return any(word in low for word in ("locked", "disk", "readonly", "unable to open", "connection", "malformed"))
