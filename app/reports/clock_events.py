"""The day's (or range's) time-rule events for the daily report: cases given a §42 extension, §45 periods started
(by kind), the back office's returns for 补正, and the cases whose clock is stopped now.

Counted in SQL (GROUP BY over ``case_event`` rows stamped inside the range's hall days); only the drill-down
lists of 受理编号 come back as rows. Kept apart from ``app.reports.daily`` so that module's aggregation can change
without this one, and the other way round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from app.cases.lifecycle import CLOCK_STATES
from app.clock import HallClock
from app.store.models import Case, CaseEvent
from app.vocabulary import CLOCK_STOP_LABELS

SECTION45 = tuple(k for k in CLOCK_STOP_LABELS if k != "supplement")
_CLOCK_KINDS = ("clock_stop", "return", "clock_resume")


@dataclass(frozen=True)
class StopCount:
    kind: str  # a key of CLOCK_STOP_LABELS
    count: int

    @property
    def label(self) -> str:
        return CLOCK_STOP_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class ClockEvents:
    extended: int = 0  # cases extended under §42 in the range
    stops: tuple[StopCount, ...] = ()  # §45 periods started in the range, by kind (kinds with none left out)
    returns: int = 0  # cases the back office returned for 补正 in the range
    paused_now: int = 0  # open cases whose clock is stopped as the report is made

    @property
    def stops_total(self) -> int:
        return sum(s.count for s in self.stops)

    def summary(self) -> list[tuple[str, str, str]]:
        """(label, value, drill key) lines for the report's overview, after the case counts."""
        return [
            ("延长办理期限（第四十二条）", str(self.extended), "clock:extend"),
            ("暂停计时（第四十五条）", str(self.stops_total), "clock:stop"),
            *[(f"　其中{s.label}", str(s.count), f"clock:stop:{s.kind}") for s in self.stops],
            ("后台退回补正", str(self.returns), "clock:return"),
            ("目前暂停计时的办件", str(self.paused_now), "clock:paused"),
        ]

    def to_json(self) -> dict[str, Any]:
        return {"extended": self.extended, "stops": {s.kind: s.count for s in self.stops},
                "stops_total": self.stops_total, "returns": self.returns, "paused_now": self.paused_now}


def _scoped(stmt: Any, hall_code: str | None) -> Any:
    stmt = stmt.select_from(CaseEvent).join(Case, Case.id == CaseEvent.case_id)
    return stmt.where(Case.hall_code == hall_code) if hall_code else stmt


def clock_events(session: Session, *, start: dt.date, end: dt.date, hall_code: str | None, clock: HallClock,
                 drill: dict[str, list[str]] | None = None) -> ClockEvents:
    """Counts for the hall days ``start``..``end``; ``drill`` (the report's) gets the 受理编号 behind each line."""
    lo, hi = clock.day_bounds(start, end)
    in_range = (CaseEvent.at >= lo, CaseEvent.at < hi)
    stop_kind = CaseEvent.detail["stop"].as_string()

    extended = session.scalar(_scoped(select(func.count(func.distinct(CaseEvent.case_id))), hall_code)
                              .where(CaseEvent.kind == "extend", *in_range)) or 0
    returns = session.scalar(_scoped(select(func.count(func.distinct(CaseEvent.case_id))), hall_code)
                             .where(CaseEvent.kind == "return", *in_range)) or 0
    by_kind = dict(session.execute(_scoped(select(stop_kind, func.count()), hall_code)
                                   .where(CaseEvent.kind == "clock_stop", *in_range).group_by(stop_kind)).all())
    stops = tuple(StopCount(k, int(by_kind[k])) for k in SECTION45 if by_kind.get(k))
    stops += tuple(StopCount(str(k), int(n)) for k, n in by_kind.items() if k not in SECTION45 and n)

    # The clock is stopped now when the case is still open and its latest clock event is a stop: looked up per
    # open case. One equality per open state (UNION ALL), because SQLite, with no histogram of the states, would
    # rather walk every case of the hall than trust its index for an IN list; few cases are open.
    last_kind = (select(CaseEvent.kind).where(CaseEvent.case_id == Case.id, CaseEvent.kind.in_(_CLOCK_KINDS))
                 .order_by(CaseEvent.id.desc()).limit(1).scalar_subquery())
    paused = union_all(*[select(Case.case_no).where(Case.state == state, last_kind != "clock_resume",
                                                    *([Case.hall_code == hall_code] if hall_code else []))
                         for state in sorted(CLOCK_STATES)])
    paused_cases = sorted(session.scalars(paused))

    if drill is not None:
        def cases(*where: Any) -> list[str]:
            stmt = _scoped(select(Case.case_no).distinct(), hall_code).where(*in_range, *where)
            return sorted(session.scalars(stmt))

        drill["clock:extend"] = cases(CaseEvent.kind == "extend")
        drill["clock:return"] = cases(CaseEvent.kind == "return")
        drill["clock:stop"] = cases(CaseEvent.kind == "clock_stop")
        for s in stops:
            drill[f"clock:stop:{s.kind}"] = cases(CaseEvent.kind == "clock_stop", stop_kind == s.kind)
        drill["clock:paused"] = paused_cases
    return ClockEvents(extended=int(extended), stops=stops, returns=int(returns), paused_now=len(paused_cases))
