"""County-level daily counts at the hub: every case the hub received from every point, by hall and decision.

Computed from the ``case.accept`` payloads (``app.cases.payload.case_payload``) and the results the hub set, the
好差评 ratings the points sent (``rating`` items), their 告知承诺 核查 findings and false-pledge listings (from
``case.update`` events); the window-side queue numbers (tickets, waits) stay at each point
(``python -m app report daily``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import aware
from app.errors import ValidationError
from sync.server.assist import help_counts
from sync.server.models import HubCase, HubFalsePledge, HubPledgeCheck, HubRating

DECISIONS = ("normal", "deferred", "pledge", "supplement", "refused")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _local(at: dt.datetime | None, zone: dt.tzinfo) -> dt.date | None:
    return None if at is None else aware(at).astimezone(zone).date()


def hub_daily_report(session: Session, *, start: dt.date, end: dt.date | None = None,
                     zone: dt.tzinfo) -> dict[str, Any]:
    """Cases accepted in ``start``..``end`` (their ``service_date``) at every point, and results set at the hub;
    days are those of ``zone``, the county's (``--timezone``, default Asia/Shanghai)."""
    end = end or start
    if end < start:
        raise ValidationError(f"结束日期 {end} 早于开始日期 {start}", field="to")
    # A case reaches the hub after it was accepted (points may be offline for days), never before; a case
    # concluded in the period may have arrived long before it.
    since = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
    halls: dict[str, Counter[str]] = defaultdict(Counter)
    matters: Counter[str] = Counter()
    departments: Counter[str] = Counter()
    concluded = on_time = 0
    total = 0
    for case in session.scalars(select(HubCase).where(or_(HubCase.received_at >= since, HubCase.result_at >= since))):
        p = case.payload or {}
        day = _date(p.get("service_date")) or _date(p.get("accepted_at"))
        if day is not None and start <= day <= end:
            total += 1
            hall = str(p.get("hall_code") or case.hall_code or "")
            decision = str(p.get("decision") or "")
            halls[hall]["total"] += 1
            halls[hall][decision] += 1
            halls[hall]["proxy"] += bool((p.get("applicant") or {}).get("proxy"))
            halls[hall]["tongban"] += (p.get("scope") or "local") != "local"
            halls[hall]["after_hours"] += bool(p.get("after_hours"))  # 延时/上门/专递 (app.cases.outreach)
            halls[hall]["home_visit"] += bool(p.get("home_visit"))
            halls[hall]["post_in"] += bool(p.get("post_in"))
            matters[f"{p.get('matter_name', '')}（{p.get('matter_code', '')}）"] += 1
            departments[str(p.get("department") or "（未注明）")] += 1
        done_on = _local(case.result_at, zone)
        if case.result and done_on is not None and start <= done_on <= end:
            concluded += 1
            due = _date(p.get("promised_due")) or _date(p.get("service_date"))
            on_time += due is not None and done_on <= due
    first, last = start.isoformat(), end.isoformat()
    ratings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in session.scalars(select(HubRating).where(HubRating.day >= first, HubRating.day <= last)):
        ratings[r.hall_code]["total"] += 1
        ratings[r.hall_code][f"level_{r.level}"] += 1
        ratings[r.hall_code]["bad"] += r.level <= 2  # 差评 (app.ratings.BAD_LEVEL)
        ratings[r.hall_code]["good"] += r.level >= 4
    checks: dict[str, Counter[str]] = defaultdict(Counter)
    for c in session.scalars(select(HubPledgeCheck).where(HubPledgeCheck.day >= first, HubPledgeCheck.day <= last)):
        checks[c.hall_code][c.state] += 1
    listed = list(session.scalars(select(HubFalsePledge).where(HubFalsePledge.listed_on >= first,
                                                              HubFalsePledge.listed_on <= last)))
    return {
        "start": first, "end": last, "cases": total,
        "by_hall": [{"hall_code": h, **{k: c[k] for k in ("total", *DECISIONS, "proxy", "tongban", "after_hours",
                                                                    "home_visit", "post_in")}}
                    for h, c in sorted(halls.items())],
        "by_matter": [{"label": k, "count": n} for k, n in matters.most_common()],
        "by_department": [{"label": k, "count": n} for k, n in departments.most_common()],
        "help": help_counts(session, start=start, end=end),  # 帮办代办 (sync.server.assist)
        "concluded": concluded, "concluded_on_time": on_time,
        "on_time_rate": round(on_time / concluded, 4) if concluded else None,
        "ratings": [{"hall_code": h, "total": c["total"], "good": c["good"], "bad": c["bad"],
                     "satisfaction": round(c["good"] / c["total"], 4) if c["total"] else None,
                     **{f"level_{n}": c[f"level_{n}"] for n in range(1, 6)}} for h, c in sorted(ratings.items())],
        "pledge_checks": [{"hall_code": h, "true": c["true"], "false": c["false"]} for h, c in sorted(checks.items())],
        "false_pledges": len(listed),
    }
