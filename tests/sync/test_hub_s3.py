"""Scans on S3-compatible object storage: the tus endpoint over a real S3 HTTP server on loopback (moto's
ThreadedMotoServer), multipart upload of a scan larger than a part, Content-MD5 refused bodies, a chunk re-sent
after a cut, the case's hash checked against the object read back, the sweep, and 4 workers on PostgreSQL."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.server import service
from sync.server.filestore import S3_MIN_PART, S3FileStore, StorageProblem
from sync.server.models import Upload
from sync.testbed import HubProcess, HubThread, add_device, free_port
from tests.sync.conftest import RunningHub
from tests.sync.test_hub import case_item, create, patch, post

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

MB = 1024 * 1024
BUCKET = "zc-hub-scans"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint: str, tmp_path: Path) -> Any:
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = f"{BUCKET}-{tmp_path.name.lower().replace('_', '-')[-30:]}"
    client.create_bucket(Bucket=bucket)
    client.bucket = bucket
    return client


def store_for(s3: Any, prefix: str = "county/") -> S3FileStore:
    return S3FileStore(s3.bucket, prefix, client=s3, part_size=S3_MIN_PART)


@pytest.fixture
def s3_hub(s3: Any, tmp_path: Path) -> Iterator[RunningHub]:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = add_device(db, "四子王旗政务服务中心-1")
    hub = HubThread(db, store_for(s3)).start()
    try:
        yield RunningHub(hub, token, db, tmp_path / "unused")
    finally:
        hub.stop()


def send(hub: RunningHub, data: bytes, attachment_id: str, chunk: int) -> str:
    url = create(hub, len(data), attachment_id)
    for offset in range(0, len(data), chunk):
        answer = patch(hub, url, offset, data[offset:offset + chunk])
        assert answer.status_code == 204, answer.text
    return url


def keys(s3: Any, prefix: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=s3.bucket, Prefix=prefix).get("Contents", []))


def test_a_scan_larger_than_a_part_goes_by_multipart_upload_and_is_stored_exactly(s3_hub: RunningHub,
                                                                                   s3: Any) -> None:
    big = os.urandom(11 * MB + 12345)  # two 5 MiB parts and a last part of 1 MiB + 12345 bytes
    small = os.urandom(70 * 1024)
    send(s3_hub, big, "att-big", 1 * MB)
    send(s3_hub, small, "att-small", 64 * 1024)
    assert post(s3_hub, case_item("150929-S3", files=[("att-big", big), ("att-small", small)]))[0]["outcome"] \
        == "accepted"
    store = s3_hub.hub.store
    with store.read() as session:
        uploads = {u.attachment_id: u for u in session.scalars(service.select(Upload))}
        [case] = service.list_cases(session, store_for(s3))
    big_key = f"county/uploads/{uploads['att-big'].id}"
    head = s3.head_object(Bucket=s3.bucket, Key=big_key)
    assert head["ContentLength"] == len(big) and head["ETag"].strip('"').endswith("-3")  # three parts
    assert s3.get_object(Bucket=s3.bucket, Key=big_key)["Body"].read() == big
    small_key = f"county/uploads/{uploads['att-small'].id}"
    assert s3.get_object(Bucket=s3.bucket, Key=small_key)["Body"].read() == small
    assert keys(s3, "county/staging/") == []  # staged chunks are gone once their upload completed
    assert all(f["stored_sha256"] == f["sha256"] for f in case["files"]) and len(case["files"]) == 2
    assert uploads["att-big"].sha256 == hashlib.sha256(big).hexdigest()


def test_a_chunk_cut_before_its_commit_is_written_again_and_the_object_is_exact(s3: Any) -> None:
    files = store_for(s3, "cut/")
    data = os.urandom(6 * MB + 5)
    state = files.create("a" * 32)
    state = files.write("a" * 32, offset=0, data=data[:3 * MB], length=len(data), state=state)
    # The next chunk reaches the storage (a part is sent) but the hub dies before committing: the committed
    # state is still ``state``; the client resends the same chunk from the same offset.
    files.write("a" * 32, offset=3 * MB, data=data[3 * MB:6 * MB], length=len(data), state=state)
    state = files.write("a" * 32, offset=3 * MB, data=data[3 * MB:6 * MB], length=len(data), state=state)
    assert len(state["parts"]) == 1 and state["staged"] == [[5 * MB, 1 * MB]]
    state = files.write("a" * 32, offset=6 * MB, data=data[6 * MB:], length=len(data), state=state)
    assert b"".join(files.read("a" * 32)) == data
    assert files.sha256("a" * 32, len(data)) == hashlib.sha256(data).hexdigest()
    files.delete("a" * 32, state)
    assert not files.exists("a" * 32) and keys(s3, "cut/") == []


def test_a_body_the_storage_refuses_is_a_clear_storage_problem(s3: Any) -> None:
    files = S3FileStore(s3.bucket + "-missing", "x/", client=s3)
    with pytest.raises(StorageProblem, match="对象存储拒绝了 put_object"):
        files.write("b" * 32, offset=0, data=b"scan", length=10, state=files.create("b" * 32))


def test_sweep_removes_uploads_no_case_names_from_the_bucket(s3_hub: RunningHub, s3: Any) -> None:
    import datetime as dt

    kept, lost = os.urandom(3000), os.urandom(2000)
    send(s3_hub, kept, "att-keep", 1000)
    send(s3_hub, lost, "att-lost", 1000)
    half = create(s3_hub, 7 * MB, "att-half")
    assert patch(s3_hub, half, 0, os.urandom(1000)).status_code == 204  # a staged chunk, never finished
    assert post(s3_hub, case_item("150929-SW", files=[("att-keep", kept)]))[0]["outcome"] == "accepted"
    swept = service.sweep_uploads(s3_hub.hub.store, store_for(s3), now=dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert swept.rows == 2
    with s3_hub.hub.store.read() as session:
        [left] = list(session.scalars(service.select(Upload)))
    assert keys(s3, "county/") == [f"county/uploads/{left.id}"]


@pytest.mark.postgres
def test_four_workers_on_postgresql_share_one_bucket(pg_cluster: Any, s3: Any, s3_endpoint: str,
                                                     tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    db = pg_cluster.new_database()
    token = add_device(db, "w-device")
    hub = HubProcess(db, f"s3://{s3.bucket}/multi", workers=4, s3_endpoint=s3_endpoint).start(token)
    try:
        running = RunningHub(hub, token, db, tmp_path)  # type: ignore[arg-type]
        scans = [os.urandom(5 * MB + i * 1000) for i in range(3)]
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda i: send(running, scans[i], f"att-w{i}", 512 * 1024), range(3)))
        items = [case_item(f"150929-W{i}", files=[(f"att-w{i}", scans[i])]) for i in range(3)]
        assert [r["outcome"] for r in post(running, *items)] == ["accepted"] * 3
        stored = sorted(s3.get_object(Bucket=s3.bucket, Key=k)["Body"].read() for k in keys(s3, "multi/uploads/"))
        assert stored == sorted(scans)
        assert requests.get(f"{hub.url}/v1/health", headers=running.auth(), timeout=5).status_code == 200
    finally:
        hub.kill()
