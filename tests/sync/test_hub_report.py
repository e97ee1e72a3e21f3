"""The county hub's daily counts over the cases it received from every point."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sync.server.__main__ import main as hub_main
from sync.server.hubdb import open_hub_store
from sync.server.models import HubCase
from tests.hall_clock import CLOCK

HALL_ZONE = CLOCK.zone  # the hall's wall clock, as the services read it
D = dt.date(2026, 3, 10)


def _case(n: int, hall: str, decision: str, day: dt.date, **kw: object) -> HubCase:
    payload = {"case_no": f"C{n}", "hall_code": hall, "decision": decision, "service_date": day.isoformat(),
               "matter_code": "M1", "matter_name": "最低生活保障申请", "department": "旗民政局",
               "promised_due": (day + dt.timedelta(days=5)).isoformat(), "scope": kw.pop("scope", "local"),
               "applicant": {"proxy": kw.pop("proxy", None)}}
    return HubCase(id=f"id-{n}", case_no=f"C{n}", op_id=f"op-{n}", device_id=1, hall_code=hall, payload=payload,
                   sha256="0" * 64, received_at=dt.datetime.combine(day, dt.time(12), HALL_ZONE), **kw)


def test_hub_report_counts_every_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    store = open_hub_store(url)
    with store.write() as s:
        s.add_all([
            _case(1, "150929", "normal", D, proxy={"name": "帮办员"}),
            _case(2, "150929", "deferred", D),
            _case(3, "150929001", "refused", D, scope="region_wide"),  # a township point
            _case(4, "150929001", "normal", D - dt.timedelta(days=3), result="approved",
                  result_at=dt.datetime.combine(D, dt.time(9), HALL_ZONE)),  # concluded on D, due D+2: on time
            _case(5, "150929", "normal", D - dt.timedelta(days=20), result="approved",
                  result_at=dt.datetime.combine(D, dt.time(10), HALL_ZONE)),  # due D-15: late
        ])
    store.dispose()
    assert hub_main(["report", "daily", "--date", D.isoformat(), "--json", "--db", url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == 3
    assert data["by_hall"] == [
        {"hall_code": "150929", "total": 2, "normal": 1, "deferred": 1, "pledge": 0, "supplement": 0, "refused": 0,
         "proxy": 1, "tongban": 0, "after_hours": 0, "home_visit": 0, "post_in": 0},
        {"hall_code": "150929001", "total": 1, "normal": 0, "deferred": 0, "pledge": 0, "supplement": 0, "refused": 1,
         "proxy": 0, "tongban": 1, "after_hours": 0, "home_visit": 0, "post_in": 0}]
    assert (data["concluded"], data["concluded_on_time"], data["on_time_rate"]) == (2, 1, 0.5)
    assert hub_main(["report", "daily", "--date", D.isoformat(), "--to", "2026-03-01", "--db", url]) == 1
    assert "早于开始日期" in capsys.readouterr().err
