"""The hub over loopback HTTP: auth, tus 1.0 uploads, idempotent case batches, the change feed, admin CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync.server import service
from sync.server.models import Device
from tests.sync.conftest import RunningHub, start_hub

REPO = Path(__file__).resolve().parents[2]
TUS = {"Tus-Resumable": "1.0.0"}


def meta(**kv: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in kv.items())


def sha1(data: bytes) -> str:
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()


def create(hub: RunningHub, size: int, attachment_id: str) -> str:
    r = requests.post(f"{hub.url}/files/", headers={**hub.auth(), **TUS, "Upload-Length": str(size),
                                                    "Upload-Metadata": meta(attachment_id=attachment_id,
                                                                            filename="身份证.jpg")}, timeout=10)
    assert r.status_code == 201, r.text
    assert r.headers["Tus-Resumable"] == "1.0.0"
    return hub.url + r.headers["Location"]


def patch(hub: RunningHub, url: str, offset: int, data: bytes, checksum: str | None = None) -> requests.Response:
    return requests.patch(url, data=data, timeout=10, headers={
        **hub.auth(), **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": checksum or sha1(data)})


def upload(hub: RunningHub, data: bytes, attachment_id: str) -> None:
    url = create(hub, len(data), attachment_id)
    if data:
        assert patch(hub, url, 0, data).status_code == 204


def case_item(case_no: str = "150929-001", files: list[tuple[str, bytes]] | None = None,
              **overrides: Any) -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    payload = {"id": case_id, "case_no": case_no, "hall_code": "150929", "matter_code": "M001",
               "matter_name": "城乡居民养老保险参保登记", "applicant": {"name": "张三"}, "state": "accepted",
               "attachments": [{"id": att_id, "material_key": "id_card", "filename": "身份证.jpg",
                                "path": f"x/{att_id}.jpg", "sha256": hashlib.sha256(data).hexdigest(),
                                "size": len(data), "mime": "image/jpeg"} for att_id, data in (files or [])]}
    item = {"op_id": str(uuid.uuid4()), "kind": "case.accept", "case_id": case_id, "payload": payload}
    item.update(overrides)
    return item


def post(hub: RunningHub, *items: dict[str, Any]) -> list[dict[str, Any]]:
    r = requests.post(f"{hub.url}/v1/cases", json={"items": list(items)}, headers=hub.auth(), timeout=10)
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def test_every_request_needs_a_known_device_token(hub: RunningHub) -> None:
    for method, path in [("GET", "/v1/health"), ("GET", "/v1/changes"), ("POST", "/v1/cases"),
                         ("OPTIONS", "/files/")]:
        r = requests.request(method, hub.url + path, headers={"Authorization": "Bearer not-a-token", **TUS},
                             timeout=10)
        assert r.status_code == 401, path
        assert "令牌" in r.json()["message"]
    assert requests.get(hub.url + "/v1/health", timeout=10).status_code == 401
    assert requests.get(hub.url + "/v1/health", headers=hub.auth(), timeout=10).json()["status"] == "ok"


def test_tus_options_advertises_creation_and_checksum(hub: RunningHub) -> None:
    r = requests.options(f"{hub.url}/files/", headers=hub.auth(), timeout=10)
    assert r.status_code == 204
    assert r.headers["Tus-Version"] == "1.0.0"
    assert set(r.headers["Tus-Extension"].split(",")) == {"creation", "creation-with-upload", "checksum"}
    assert "sha1" in r.headers["Tus-Checksum-Algorithm"]


def upload_count(hub: RunningHub) -> int:
    from sqlalchemy import func, select

    from sync.server.models import Upload

    with hub.hub.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Upload)) or 0)


def test_creation_with_upload_stores_a_small_file_in_one_request(hub: RunningHub) -> None:
    data = "身份证正反面".encode() * 500
    headers = {**hub.auth(), **TUS, "Upload-Length": str(len(data)), "Upload-Metadata": meta(attachment_id="a-1"),
               "Content-Type": "application/offset+octet-stream", "Upload-Checksum": sha1(data)}
    r = requests.post(f"{hub.url}/files/", data=data, headers=headers, timeout=10)
    assert r.status_code == 201 and r.headers["Upload-Offset"] == str(len(data))
    head = requests.head(hub.url + r.headers["Location"], headers={**hub.auth(), **TUS}, timeout=10)
    assert head.headers["Upload-Offset"] == head.headers["Upload-Length"] == str(len(data))
    before = upload_count(hub)
    bad = requests.post(f"{hub.url}/files/", data=data, timeout=10,
                        headers={**headers, "Upload-Checksum": sha1(data + b"x")})
    assert bad.status_code == 460 and "校验" in bad.json()["message"]
    assert upload_count(hub) == before  # a bad checksum creates nothing
    longer = requests.post(f"{hub.url}/files/", data=data, timeout=10,
                           headers={**headers, "Upload-Length": str(len(data) - 1)})
    assert longer.status_code == 413 and upload_count(hub) == before


def test_tus_upload_resumes_from_head_offset_and_stores_the_exact_bytes(hub: RunningHub) -> None:
    data = bytes(range(256)) * 400
    url = create(hub, len(data), "att-1")
    assert patch(hub, url, 0, data[:30000]).headers["Upload-Offset"] == "30000"
    head = requests.head(url, headers={**hub.auth(), **TUS}, timeout=10)
    assert head.headers["Upload-Offset"] == "30000" and head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"
    assert patch(hub, url, 30000, data[30000:]).status_code == 204
    stored = hub.files / "uploads" / url.rsplit("/", 1)[1]
    assert stored.read_bytes() == data


def test_tus_rejects_wrong_offset_bad_checksum_and_missing_version(hub: RunningHub) -> None:
    url = create(hub, 100, "att-2")
    r = patch(hub, url, 10, b"x" * 10)
    assert r.status_code == 409 and r.headers["Upload-Offset"] == "0"
    r = patch(hub, url, 0, b"y" * 10, checksum=sha1(b"z" * 10))
    assert r.status_code == 460 and "校验" in r.json()["message"]
    assert requests.head(url, headers={**hub.auth(), **TUS}, timeout=10).headers["Upload-Offset"] == "0"
    r = requests.head(url, headers=hub.auth(), timeout=10)
    assert r.status_code == 412
    r = requests.patch(url, data=b"a", headers={**hub.auth(), **TUS, "Upload-Offset": "0",
                                                "Content-Type": "text/plain"}, timeout=10)
    assert r.status_code == 415
    assert requests.head(hub.url + "/files/nope", headers={**hub.auth(), **TUS}, timeout=10).status_code == 404


def test_oversized_bodies_get_413(hub: RunningHub) -> None:
    r = requests.post(f"{hub.url}/files/", headers={**hub.auth(), **TUS,
                                                    "Upload-Length": str(service.MAX_UPLOAD_BYTES + 1)}, timeout=10)
    assert r.status_code == 413 and "过大" in r.json()["message"]
    url = create(hub, service.MAX_CHUNK_BYTES + 10, "att-big")
    assert patch(hub, url, 0, b"\0" * (service.MAX_CHUNK_BYTES + 1)).status_code == 413
    r = requests.post(f"{hub.url}/v1/cases", data=b"{" + b" " * (9 * 1024 * 1024) + b"}",
                      headers={**hub.auth(), "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 413


def test_case_is_received_once_and_a_replay_answers_the_same(hub: RunningHub) -> None:
    scan = b"\xff\xd8scan" * 1000
    item = case_item(files=[("att-a", scan)])
    upload(hub, scan, "att-a")
    first = post(hub, item)[0]
    assert first["status"] == 201 and first["outcome"] == "accepted"
    again = post(hub, item)[0]
    assert again["status"] == 200 and again["outcome"] == "replay"
    same_case_new_key = dict(item, op_id=str(uuid.uuid4()))
    assert post(hub, same_case_new_key)[0]["outcome"] == "replay"
    changed = dict(item, payload={**item["payload"], "matter_code": "M999"})
    reused = post(hub, changed)[0]
    assert reused["status"] == 422 and "幂等键" in reused["message"]
    with hub.hub.store.read() as session:
        cases = service.list_cases(session, hub.files)
    assert len(cases) == 1
    assert cases[0]["files"][0]["stored_sha256"] == hashlib.sha256(scan).hexdigest()


def test_case_with_files_not_uploaded_is_retryable_and_then_accepted(hub: RunningHub) -> None:
    scan = b"photo" * 5000
    item = case_item(files=[("att-b", scan)])
    waiting = post(hub, item)[0]
    assert waiting["status"] == 424 and waiting["outcome"] == "retry" and waiting["missing"] == ["att-b"]
    upload(hub, b"tampered" * 10, "att-b")  # complete, but not the declared bytes
    assert post(hub, item)[0]["outcome"] == "retry"
    upload(hub, scan, "att-b")
    assert post(hub, item)[0]["outcome"] == "accepted"


def test_invalid_items_are_rejected_without_spoiling_the_batch(hub: RunningHub) -> None:
    good = case_item("150929-002")
    bad = case_item("")
    no_key = case_item("150929-003", op_id="")
    results = post(hub, good, bad, no_key)
    assert [r["outcome"] for r in results] == ["accepted", "rejected", "rejected"]
    assert "case_no" in results[1]["message"]
    r = requests.post(f"{hub.url}/v1/cases", data=b"not json", headers=hub.auth(), timeout=10)
    assert r.status_code == 422 and r.json()["error"] == "invalid_json"
    r = requests.post(f"{hub.url}/v1/cases", json={"items": []}, headers=hub.auth(), timeout=10)
    assert r.status_code == 422


def test_results_flow_back_through_the_change_feed_in_order(hub: RunningHub) -> None:
    post(hub, case_item("150929-010"), case_item("150929-011"))
    with hub.hub.store.write() as session:
        assert service.set_result(session, "150929-010", "approved", "准予登记")
    with hub.hub.store.write() as session:
        assert not service.set_result(session, "150929-010", "approved", "准予登记")  # same result: no change
        service.set_result(session, "150929-011", "refused", "不符合条件")
    feed = requests.get(f"{hub.url}/v1/changes?since=0&limit=1", headers=hub.auth(), timeout=10).json()
    assert [c["data"]["case_no"] for c in feed["changes"]] == ["150929-010"] and feed["more"]
    rest = requests.get(f"{hub.url}/v1/changes", params={"since": feed["cursor"]}, headers=hub.auth(),
                        timeout=10).json()
    assert [(c["data"]["case_no"], c["data"]["result"]) for c in rest["changes"]] == [("150929-011", "refused")]
    assert not rest["more"]
    other = service.add_device
    with hub.hub.store.write() as session:
        other_token = other(session, "另一台设备")
    theirs = requests.get(f"{hub.url}/v1/changes", headers=hub.auth(other_token), timeout=10).json()
    assert theirs["changes"] == []  # results go only to the device that sent the case
    gone = requests.get(f"{hub.url}/v1/changes?since=999", headers=hub.auth(), timeout=10)
    assert gone.status_code == 410
    assert requests.get(f"{hub.url}/v1/changes?since=abc", headers=hub.auth(), timeout=10).status_code == 400


@pytest.fixture
def pg_hub(pg_cluster: Any, tmp_path: Path) -> Iterator[RunningHub]:
    yield from start_hub(pg_cluster.new_database(), tmp_path / "hub-files")


@pytest.mark.postgres
def test_hub_on_postgresql_takes_cases_and_feeds_results(pg_hub: RunningHub) -> None:
    scan = b"pg-scan" * 3000
    item = case_item("150929-PG1", files=[("att-pg", scan)])
    upload(pg_hub, scan, "att-pg")
    assert post(pg_hub, item)[0]["outcome"] == "accepted"
    assert post(pg_hub, item)[0]["outcome"] == "replay"
    with pg_hub.hub.store.write() as session:
        service.set_result(session, "150929-PG1", "approved", "")
    feed = requests.get(f"{pg_hub.url}/v1/changes", headers=pg_hub.auth(), timeout=10).json()
    assert feed["changes"][0]["data"]["result"] == "approved"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sync.server", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=60)


def test_admin_cli_devices_cases_and_results(hub: RunningHub) -> None:
    added = run_cli("device", "add", "红格尔苏木便民服务中心", "--db", hub.db_url)
    assert added.returncode == 0
    token = added.stdout.strip()
    assert requests.get(hub.url + "/v1/health", headers=hub.auth(token), timeout=10).status_code == 200
    with hub.hub.store.read() as session:  # only a hash is stored (never open the live DB file directly:
        # closing any descriptor of it drops this process's SQLite locks)
        stored = set(session.scalars(select(Device.token_hash)))
    assert token not in stored and service.token_hash(token) in stored
    post(hub, case_item("150929-020"))
    listed = run_cli("cases", "--json", "--db", hub.db_url, "--files", str(hub.files))
    assert [c["case_no"] for c in json.loads(listed.stdout)] == ["150929-020"]
    done = run_cli("case", "set-result", "150929-020", "refused", "--note", "材料不实", "--db", hub.db_url)
    assert done.returncode == 0 and "已登记" in done.stdout
    missing = run_cli("case", "set-result", "NOPE", "approved", "--db", hub.db_url)
    assert missing.returncode == 1 and "NOPE" in missing.stderr
    assert run_cli("case", "set-result", "150929-020", "maybe", "--db", hub.db_url).returncode == 2
    disabled = run_cli("device", "disable", "红格尔苏木便民服务中心", "--db", hub.db_url)
    assert disabled.returncode == 0, disabled.stdout + disabled.stderr
    with hub.hub.store.read() as session:
        assert service.device_for_token(session, token) is None


def test_gzip_case_batches_are_read_and_bounded_after_decompression(hub: RunningHub) -> None:
    """Village links send case batches gzipped (issue 21); the size limit holds for the decompressed body, so a
    small bomb is refused, and a corrupt or unknown encoding gets a clear answer. Nothing refused is stored."""
    import gzip

    from sync.server.app import MAX_JSON_BODY

    health = requests.get(f"{hub.url}/v1/health", headers=hub.auth(), timeout=10).json()
    assert health["content_encoding"] == ["gzip"]
    item = case_item("150929-GZ1")
    body = gzip.compress(json.dumps({"items": [item]}, ensure_ascii=False).encode())
    zipped = {**hub.auth(), "Content-Type": "application/json", "Content-Encoding": "gzip"}
    r = requests.post(f"{hub.url}/v1/cases", data=body, headers=zipped, timeout=10)
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "accepted"
    bomb = gzip.compress(b'{"items": [' + b" " * (MAX_JSON_BODY + 10) + b"]}")
    assert len(bomb) < 64 * 1024  # small on the wire, over the limit once inflated
    r = requests.post(f"{hub.url}/v1/cases", data=bomb, headers=zipped, timeout=30)
    assert r.status_code == 413 and "解压后" in r.json()["message"]
    r = requests.post(f"{hub.url}/v1/cases", data=body[:-9], headers=zipped, timeout=10)
    assert r.status_code == 400 and "gzip" in r.json()["message"]
    r = requests.post(f"{hub.url}/v1/cases", data=b"\x1f\x8bnot gzip at all", headers=zipped, timeout=10)
    assert r.status_code == 400
    r = requests.post(f"{hub.url}/v1/cases", data=body, timeout=10,
                      headers={**zipped, "Content-Encoding": "br"})
    assert r.status_code == 415 and "gzip" in r.json()["message"]
    with hub.hub.store.read() as session:
        assert [c["case_no"] for c in service.list_cases(session, hub.files)] == ["150929-GZ1"]
