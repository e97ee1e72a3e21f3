"""A device is bound to its hall, cannot probe other devices' ids, and is refused on its next request once
disabled — in every hub process, since nothing about tokens is cached."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select, text

from sync.server import service
from sync.server.hubdb import alembic_config, open_hub_store
from sync.server.models import Device, HubCase, Operation
from sync.testbed import HubThread, add_device
from tests.sync.conftest import RunningHub
from tests.sync.test_hub import case_item, post, run_cli


def counts(hub: RunningHub) -> tuple[int, int]:
    with hub.hub.store.read() as s:
        return (s.scalar(select(func.count()).select_from(HubCase)) or 0,
                s.scalar(select(func.count()).select_from(Operation)) or 0)


def other_device(hub: RunningHub, name: str, hall_code: str = "") -> str:
    with hub.hub.store.write() as session:
        return service.add_device(session, name, hall_code)


def post_as(hub: RunningHub, token: str, *items: dict[str, Any]) -> list[dict[str, Any]]:
    r = requests.post(f"{hub.url}/v1/cases", json={"items": list(items)}, headers=hub.auth(token), timeout=10)
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def test_a_device_bound_to_its_hall_cannot_push_cases_of_another(hub: RunningHub) -> None:
    hall_b = other_device(hub, "红格尔苏木便民服务中心", "150929")
    foreign = case_item("999999-001")
    foreign["payload"]["hall_code"] = "999999"
    before = counts(hub)
    [answer] = post_as(hub, hall_b, foreign)
    assert answer["status"] == 403 and answer["outcome"] == "rejected" and answer["error"] == "wrong_hall"
    assert "150929" in str(answer["message"]) and "999999" in str(answer["message"])
    assert "device bind" in str(answer["message"])
    assert counts(hub) == before  # nothing written, not even the idempotency key
    assert post_as(hub, hall_b, case_item("150929-101"))[0]["outcome"] == "accepted"


def test_an_unbound_device_is_bound_by_its_first_case(hub: RunningHub) -> None:
    assert post(hub, case_item("150929-102"))[0]["outcome"] == "accepted"
    with hub.hub.store.read() as s:
        assert s.scalars(select(Device.hall_code).where(Device.name == "乌兰花镇便民服务中心-1")).one() == "150929"
    foreign = case_item("888888-001")
    foreign["payload"]["hall_code"] = "888888"
    assert post(hub, foreign)[0]["status"] == 403


def test_other_devices_ids_are_answered_as_unknown(hub: RunningHub) -> None:
    mine = case_item("150929-103")
    assert post(hub, mine)[0]["outcome"] == "accepted"
    prober = other_device(hub, "探测设备", "150929")
    stolen_key = post_as(hub, prober, mine)[0]  # the same op_id (and content): no replay of A's answer
    fresh_key = post_as(hub, prober, {**mine, "op_id": str(uuid.uuid4())})[0]  # A's case id under a new key
    for answer in (stolen_key, fresh_key):
        assert answer["outcome"] == "rejected" and answer["error"] == "id_unavailable", answer
        assert "已接收" not in str(answer["message"])
    update: dict[str, Any] = {"op_id": str(uuid.uuid4()), "kind": "case.update", "case_id": mine["case_id"],
              "payload": {"case_id": mine["case_id"], "state": "withdrawn"}}
    unknown_id = str(uuid.uuid4())
    nobody: dict[str, Any] = {"op_id": str(uuid.uuid4()), "kind": "case.update", "case_id": unknown_id,
              "payload": {"case_id": unknown_id, "state": "withdrawn"}}
    theirs, none = post_as(hub, prober, update, nobody)
    strip = {"op_id", "case_id"}
    assert {k: v for k, v in theirs.items() if k not in strip} == {k: v for k, v in none.items() if k not in strip}
    with hub.hub.store.read() as s:
        assert s.get(HubCase, mine["case_id"]).state == "accepted"  # type: ignore[union-attr]


def test_a_disabled_device_is_refused_on_its_next_request_by_every_hub_process(hub: RunningHub) -> None:
    second = HubThread(hub.db_url, hub.files).start()  # another worker on the same database
    try:
        for url in (hub.url, second.url):
            assert requests.get(f"{url}/v1/health", headers=hub.auth(), timeout=10).status_code == 200
        done = run_cli("device", "disable", "乌兰花镇便民服务中心-1", "--db", hub.db_url)
        assert done.returncode == 0, done.stderr
        for url in (hub.url, second.url):
            r = requests.get(f"{url}/v1/health", headers=hub.auth(), timeout=10)
            assert r.status_code == 401 and r.json()["error"] == "unknown_device"
    finally:
        second.stop()


def test_admin_binds_and_lists_devices_with_their_hall(hub: RunningHub) -> None:
    added = run_cli("device", "add", "白音朝克图镇", "--hall", "150929", "--json", "--db", hub.db_url)
    assert added.returncode == 0, added.stderr
    assert run_cli("device", "add", "坏编码", "--hall", "15-09", "--db", hub.db_url).returncode == 1
    moved = run_cli("device", "bind", "白音朝克图镇", "--hall", "150921", "--db", hub.db_url)
    assert moved.returncode == 0 and "150921" in moved.stdout
    listed = run_cli("device", "list", "--db", hub.db_url)
    assert "白音朝克图镇\t150921\t启用" in listed.stdout and "（未绑定大厅）" in listed.stdout


def test_migration_binds_devices_that_sent_cases_of_one_hall(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old-hub.db'}"
    old = open_hub_store(url)
    command.downgrade(alembic_config(old), "0001")
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO hub_device (id, name, token_hash, active, created_at) VALUES "
                          "(1, 'one-hall', 'a', 1, '2026-12-01'), (2, 'two-halls', 'b', 1, '2026-12-01'), "
                          "(3, 'no-cases', 'c', 1, '2026-12-01')"))
        for i, (device, hall) in enumerate([(1, "150929"), (1, "150929"), (2, "150929"), (2, "150921")]):
            conn.execute(text(
                "INSERT INTO hub_case (id, case_no, op_id, device_id, hall_code, matter_code, matter_name, "
                "applicant_name, payload, sha256, state, result, result_note, received_at) VALUES "
                f"('c{i}', 'n{i}', 'o{i}', {device}, '{hall}', 'M', '', '', '{{}}', 'x', 'accepted', '', '', "
                "'2026-12-01')"))
    old.dispose()
    store = open_hub_store(url)
    with store.read() as s:
        assert {name: hall for name, hall in s.execute(select(Device.name, Device.hall_code))} == {
            "one-hall": "150929", "two-halls": "", "no-cases": ""}
    store.dispose()
    assert add_device(url, "after", "150929")
