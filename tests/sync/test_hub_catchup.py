"""A counter 30 days offline catches up: the hub's change feed in bounded pages, resumable after a cut.

While the counter was away the back office decided its cases day after day, another counter's results piled up
beside them, and the hub published broadcasts (a false-pledge listing) now and then. Coming back, the counter
pulls GET /v1/changes page by page from its cursor: every page is bounded (``limit`` changes), the counter sees
its own results and the broadcasts exactly once and in ``seq`` order, never another counter's, and a pull cut off
after some pages (the page that was being fetched is lost, its cursor never stored) resumes from the last stored
cursor without a gap or a double.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync.server import service
from sync.server.models import Device
from sync.testbed import add_device
from tests.sync.conftest import RunningHub, start_hub

pytestmark = pytest.mark.postgres
DAYS = 30
PER_DAY = 20  # results a township counter gets a day
PAGE = 100
FIRST_DAY = dt.date(2026, 10, 1)


@pytest.fixture
def pg_hub(pg_cluster: Any, tmp_path: Path) -> Iterator[RunningHub]:
    yield from start_hub(pg_cluster.new_database(), tmp_path / "hub-files")


def _case(hall: str, case_no: str) -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    return {"op_id": str(uuid.uuid4()), "kind": "case.accept", "case_id": case_id, "payload": {
        "id": case_id, "case_no": case_no, "hall_code": hall, "matter_code": "150929-SB-002",
        "matter_name": "城乡居民养老保险参保登记", "applicant": {"name": "测试申请人"}, "state": "accepted",
        "attachments": []}}


def _month_away(hub: RunningHub) -> dict[str, list[str]]:
    """30 days of the hub's work while the counter is offline; returns the case numbers decided per device."""
    add_device(hub.db_url, "乌兰花镇便民服务中心-2", "150930")
    decided: dict[str, list[str]] = {"150929": [], "150930": []}
    with hub.hub.store.write() as s:
        devices = {d.hall_code or "150929": d.id for d in s.scalars(select(Device))}
        for hall, device_id in devices.items():
            items = [_case(hall, f"{hall}-{n:05d}") for n in range(DAYS * PER_DAY)]
            for start in range(0, len(items), service.MAX_BATCH_ITEMS):
                received = service.receive_items(s, device_id=device_id, items=items[start:start + 50])
                assert {r.outcome for r in received.results} == {"accepted"}
    for day in range(DAYS):
        when = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=day), dt.time(9), tzinfo=dt.UTC)
        with hub.hub.store.write() as s:  # a day's decisions, both counters' interleaved
            for n in range(day * PER_DAY, (day + 1) * PER_DAY):
                for hall in ("150929", "150930"):
                    case_no = f"{hall}-{n:05d}"
                    assert service.set_result(s, case_no, "approved", f"第{day + 1}天", at=when + dt.timedelta(
                        minutes=n % PER_DAY))
                    decided[hall].append(case_no)
            if day % 7 == 3:  # a weekly false-pledge listing, for every counter
                service.publish(s, "excluded", {"upsert": [{"id_no": f"15292819800101{day:04d}",
                                                            "id_kind": "身份证", "listed_on": when.date().isoformat()}],
                                                "remove": []})
    return decided


def _page(hub: RunningHub, since: str) -> tuple[dict[str, Any], int]:
    r = requests.get(f"{hub.url}/v1/changes", params={"since": since, "limit": str(PAGE)}, headers=hub.auth(),
                     timeout=30)
    assert r.status_code == 200, r.text
    return r.json(), len(r.content)


def test_a_counter_thirty_days_offline_catches_up_in_bounded_resumable_pages(pg_hub: RunningHub) -> None:
    decided = _month_away(pg_hub)
    expected_results = decided["150929"]
    broadcasts = len(range(3, DAYS, 7))

    seen: list[dict[str, Any]] = []
    stored_cursor = "0"  # what the counter has committed with the pages it applied
    pages = 0
    biggest = 0
    cut_after = 4  # the link drops while the 5th page is on its way: that page is lost with its cursor
    while True:
        page, size = _page(pg_hub, stored_cursor)
        pages += 1
        biggest = max(biggest, size)
        assert len(page["changes"]) <= PAGE
        if pages == cut_after + 1:
            lost = page
            continue  # nothing applied, the cursor not stored: the next pull starts again from stored_cursor
        seen.extend(page["changes"])
        stored_cursor = page["cursor"]
        if not page["more"]:
            break

    total = len(expected_results) + broadcasts
    assert pages == -(-total // PAGE) + 1  # every page once, and the lost one again
    assert lost["changes"] and lost["changes"][0] in seen  # what was lost came again, after the resume
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)  # in order, nothing twice
    results = [c["data"]["case_no"] for c in seen if c["kind"] == "case.result"]
    assert results == expected_results  # all of this counter's, in the order they were decided; none of the other's
    assert sum(c["kind"] == "excluded" for c in seen) == broadcasts
    assert biggest < 64 * 1024  # a page is small enough for a township's link
    # Caught up: the stored cursor answers an empty page, and a new result arrives on the next pull.
    page, _ = _page(pg_hub, stored_cursor)
    assert page["changes"] == [] and page["more"] is False
    with pg_hub.hub.store.write() as s:
        service.set_result(s, expected_results[0], "refused", "复核后不予许可")
    page, _ = _page(pg_hub, stored_cursor)
    assert [(c["kind"], c["data"]["case_no"], c["data"]["result"]) for c in page["changes"]] == [
        ("case.result", expected_results[0], "refused")]
