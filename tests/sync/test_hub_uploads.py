"""Hub uploads: a per-device quota of bytes not yet named by a case (429, clear), and the sweep of uploads no
case names (finished or not) plus stray files — never a file a case names."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from sync.server import service
from sync.server.models import Upload
from sync.testbed import HubThread, add_device
from tests.sync.conftest import RunningHub
from tests.sync.test_hub import TUS, case_item, post, upload

MB = 1024 * 1024


@pytest.fixture
def small_quota_hub(tmp_path: Path) -> Iterator[RunningHub]:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db, "quota-device")
    hub = HubThread(db, tmp_path / "hub-files", upload_quota=1 * MB).start()
    try:
        yield RunningHub(hub, token, db, tmp_path / "hub-files")
    finally:
        hub.stop()


def create(hub: RunningHub, size: int) -> requests.Response:
    return requests.post(f"{hub.url}/files/", headers={**hub.auth(), **TUS, "Upload-Length": str(size),
                                                       "Upload-Metadata": ""}, timeout=10)


def test_a_device_over_its_upload_quota_gets_429_until_its_cases_arrive(small_quota_hub: RunningHub) -> None:
    hub = small_quota_hub
    scan = os.urandom(700 * 1024)
    upload(hub, scan, "att-q1")
    refused = create(hub, 400 * 1024)
    assert refused.status_code == 429 and refused.json()["error"] == "upload_quota"
    assert "上限 1 MB" in refused.json()["message"] and refused.headers["Retry-After"] == "600"
    assert post(hub, case_item("150929-Q01", files=[("att-q1", scan)]))[0]["outcome"] == "accepted"
    assert create(hub, 400 * 1024).status_code == 201  # the scan is now part of a case: off the quota


def test_sweep_removes_uploads_no_case_names_and_stray_files_only(hub: RunningHub) -> None:
    kept_scan, lost_scan = os.urandom(3000), os.urandom(2000)
    upload(hub, kept_scan, "att-keep")
    upload(hub, lost_scan, "att-lost")  # complete, but its case never comes
    half = create(hub, 5000)  # never finished
    assert half.status_code == 201
    assert post(hub, case_item("150929-S01", files=[("att-keep", kept_scan)]))[0]["outcome"] == "accepted"
    stray = hub.files / "uploads" / ("f" * 32)
    stray.write_bytes(b"left by a crash")
    os.utime(stray, (1_000_000_000, 1_000_000_000))
    store = hub.hub.store
    early = service.sweep_uploads(store, hub.files)  # everything is younger than the retention
    assert (early.rows, early.stray_files) == (0, 1) and not stray.exists()
    later = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)  # long after the retention of every upload made here
    swept = service.sweep_uploads(store, hub.files, now=later)
    assert swept.rows == 2 and swept.freed_bytes == len(lost_scan)
    with store.read() as s:
        left = list(s.scalars(select(Upload)))
    assert [u.attachment_id for u in left] == ["att-keep"]
    assert (hub.files / "uploads" / left[0].id).read_bytes() == kept_scan
    assert sorted(p.name for p in (hub.files / "uploads").iterdir()) == [left[0].id]
    with store.read() as s:
        [case] = service.list_cases(s, hub.files)
    assert case["files"][0]["stored_sha256"] == case["files"][0]["sha256"]
