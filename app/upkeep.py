"""What the counter does once a hall day when its screen starts (issue 20): back up the store, sweep files no case
names into the quarantine, queue the audit chain's head for the hub, and mask personal data past retention.

Each step is independent and none may keep the counter from opening: a failure is logged and the others run.
"Once a day" is remembered in the store (``sync_cursor`` row ``upkeep``), so it holds for PostgreSQL too and
for several PCs sharing one store (the first to start does it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.errors import CounterError
from app.settings import Settings
from app.store.engine import Store
from app.store.models import SyncCursor

log = logging.getLogger(__name__)
MARKER = "upkeep"


@dataclass
class UpkeepReport:
    ran: bool
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def start_of_day(store: Store, settings: Settings) -> UpkeepReport:
    clock = settings.hall_clock()
    today = clock.today().isoformat()
    with store.write() as session:  # claim the day (one PC of a shared store does it)
        marker = session.get(SyncCursor, MARKER)
        if marker is not None and marker.cursor == today:
            return UpkeepReport(ran=False)
        if marker is None:
            session.add(SyncCursor(name=MARKER, cursor=today))
        else:
            marker.cursor = today
    report = UpkeepReport(ran=True)

    def step(name: str, action: object) -> None:
        try:
            action()  # type: ignore[operator]
            report.done.append(name)
        except (CounterError, OSError) as exc:
            log.warning("daily %s failed: %s", name, getattr(exc, "message", exc))
            report.failed.append(name)

    from app.orphans import sweep_files
    from app.retention import mask_expired_cases
    from app.store.audit_chain import anchor
    from app.store.backup import backup

    if store.is_sqlite:
        step("backup", lambda: backup(store, clock=clock))
    step("sweep", lambda: sweep_files(store, settings.files_dir, clock=clock))

    def queue_anchor() -> None:
        with store.write() as session:
            anchor(session, at=clock.now())

    step("anchor", queue_anchor)
    if settings.hall.retention_years > 0:
        step("retention", lambda: mask_expired_cases(store, files_dir=settings.files_dir, clock=clock,
                                                     years=settings.hall.retention_years))
    return report
