"""A batch's items in one transaction, each in its own savepoint; the device checked in the request's transaction.

The hub takes a POST /v1/cases batch in one transaction (one commit per batch, not per item). These tests hold it
to what one transaction per item guaranteed: an item that fails at the database leaves nothing of itself and
spoils none of the others, and a device disabled on the hub is refused on its very next request even by a
worker that has seen its token before.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import delete, func, select

from sync.server import service
from sync.server.models import HubCase, HubCaseFile, Operation, Upload
from tests.sync.conftest import RunningHub, start_hub
from tests.sync.test_hub import TUS, case_item, meta, post, sha1, upload


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningHub]:
    if request.param == "sqlite":
        yield from start_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub-files")
    else:
        yield from start_hub(request.getfixturevalue("pg_cluster").new_database(), tmp_path / "hub-files")


def _counts(hub: RunningHub) -> dict[str, int]:
    with hub.hub.store.read() as s:
        return {model.__tablename__: int(s.scalar(select(func.count()).select_from(model)) or 0)
                for model in (HubCase, HubCaseFile, Operation, Upload)}


def test_an_item_failing_at_the_database_is_undone_alone_and_the_rest_of_its_batch_is_kept(
        any_hub: RunningHub) -> None:
    # A case whose op id is already taken by another case at the hub, with no Operation row to answer a replay
    # from (as a hand-edited database could leave it): inserting it violates hub_case.op_id's unique key.
    earlier = case_item("150929-E01")
    assert post(any_hub, earlier)[0]["outcome"] == "accepted"
    with any_hub.hub.store.write() as s:
        s.execute(delete(Operation).where(Operation.op_id == earlier["op_id"]))
    scans = {name: name.encode() * 500 for name in ("att-a", "att-p", "att-b")}
    for att_id, data in scans.items():
        upload(any_hub, data, att_id)
    first = case_item("150929-A01", files=[("att-a", scans["att-a"])])
    poisoned = case_item("150929-P01", files=[("att-p", scans["att-p"])], op_id=earlier["op_id"])
    last = case_item("150929-B01", files=[("att-b", scans["att-b"])])
    before = _counts(any_hub)

    results = post(any_hub, first, poisoned, last)

    assert [(r["case_id"], r["outcome"]) for r in results] == [
        (first["case_id"], "accepted"), (poisoned["case_id"], "retry"), (last["case_id"], "accepted")]
    assert results[1]["error"] == "in_flight" and "稍后重试" in results[1]["message"]
    after = _counts(any_hub)
    assert after["hub_case"] == before["hub_case"] + 2 and after["hub_case_file"] == before["hub_case_file"] + 2
    assert after["hub_operation"] == before["hub_operation"] + 2
    with any_hub.hub.store.read() as s:
        assert s.get(HubCase, poisoned["case_id"]) is None
        assert s.scalars(select(HubCaseFile).where(HubCaseFile.case_id == poisoned["case_id"])).all() == []
        assert {c.case_no for c in s.scalars(select(HubCase))} == {"150929-E01", "150929-A01", "150929-B01"}
    # The two kept items answer as replays, exactly once each.
    assert [r["outcome"] for r in post(any_hub, first, last)] == ["replay", "replay"]
    assert _counts(any_hub) == after


def test_one_batch_with_the_same_case_twice_keeps_it_once(any_hub: RunningHub) -> None:
    item = case_item("150929-D01")
    again = dict(item, op_id=str(uuid.uuid4()))  # the same case under a second key (a relay re-queued it)
    results = post(any_hub, item, item, again)
    assert [r["outcome"] for r in results] == ["accepted", "replay", "replay"]
    assert _counts(any_hub)["hub_case"] == 1


def _create_with_upload(hub: RunningHub, data: bytes, token: str | None = None) -> requests.Response:
    return requests.post(f"{hub.url}/files/", data=data, timeout=10, headers={
        **hub.auth(token), **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": meta(attachment_id="att-x"),
        "Content-Type": "application/offset+octet-stream", "Upload-Checksum": sha1(data)})


def test_a_disabled_device_is_refused_on_its_next_request_though_the_hub_has_seen_its_token(
        any_hub: RunningHub) -> None:
    assert _create_with_upload(any_hub, b"scan" * 100).status_code == 201  # the worker now knows the token
    assert post(any_hub, case_item("150929-R01"))[0]["outcome"] == "accepted"
    before = _counts(any_hub)
    with any_hub.hub.store.write() as s:
        service.disable_device(s, "乌兰花镇便民服务中心-1")

    refused: list[Any] = [
        _create_with_upload(any_hub, b"scan" * 100),
        requests.post(f"{any_hub.url}/v1/cases", json={"items": [case_item("150929-R02")]},
                      headers=any_hub.auth(), timeout=10),
        requests.get(f"{any_hub.url}/v1/changes", headers=any_hub.auth(), timeout=10),
        requests.get(f"{any_hub.url}/v1/health", headers=any_hub.auth(), timeout=10),
    ]
    for r in refused:
        assert r.status_code == 401, (r.request.method, r.request.url, r.text)
        assert r.json() == {"error": "unknown_device", "message": "设备令牌无效或已停用，请联系管理员重新登记设备"}
    assert _counts(any_hub) == before


def test_an_upload_with_an_unknown_token_is_refused_and_nothing_is_stored(any_hub: RunningHub) -> None:
    before = _counts(any_hub)
    r = _create_with_upload(any_hub, b"x" * 4096, token="not-a-device-token")
    assert r.status_code == 401 and r.json()["error"] == "unknown_device"
    assert r.headers["Tus-Resumable"] == "1.0.0"
    assert _counts(any_hub) == before
