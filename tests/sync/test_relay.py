"""The outbox relay against the real hub over loopback, with the fault proxy between."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.excluded import listed
from app.store import Store, open_store
from app.store.models import Case, Outbox, UploadState
from sync.faultproxy import FaultProxy, LinkProfile
from sync.hub_client import HubConfig
from sync.relay import Relay, RelayOptions, read_status, requeue
from sync.server import service
from sync.server.publish import publish_files
from sync.testbed import seed_cases
from tests.sync.conftest import RunningHub

REPO = Path(__file__).resolve().parents[2]
FAST = RelayOptions(backoff_base=0.01, backoff_cap=0.05, offline_probe_seconds=0.05)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'client.db'}")
    yield store
    store.dispose()


@pytest.fixture
def proxy(hub: RunningHub) -> Iterator[FaultProxy]:
    with FaultProxy(("127.0.0.1", hub.hub.port), profile=LinkProfile(latency=0.002)) as p:
        yield p


def make_relay(client: Store, url: str, token: str, tmp_path: Path, **kw: object) -> Relay:
    config = HubConfig(url, token, connect_timeout=2, read_timeout=5)
    return Relay(client, config, files_dir=tmp_path / "files", data_dir=tmp_path / "data",
                 options=kw.pop("options", FAST), **kw)  # type: ignore[arg-type]


def hub_cases(hub: RunningHub) -> list[dict[str, object]]:
    with hub.hub.store.read() as session:
        return service.list_cases(session, hub.files)


def states(client: Store) -> dict[str, str]:
    with client.read() as session:
        return {c.case_no: c.state for c in session.scalars(select(Case))}


def test_cases_reach_the_hub_once_with_identical_files_and_results_come_back(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    numbers = seed_cases(client, tmp_path / "files", 6)
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    report = relay.run_until_idle(timeout=60)
    assert report.online and report.sent == 6 and report.pending == 0
    received = hub_cases(hub)
    assert sorted(c["case_no"] for c in received) == numbers
    for case in received:
        assert all(f["stored_sha256"] == f["sha256"] for f in case["files"])  # type: ignore[index]
    assert set(states(client).values()) == {"forwarded"}
    with hub.hub.store.write() as session:
        service.set_result(session, numbers[0], "approved", "准予")
        service.set_result(session, numbers[1], "refused", "不符合条件")
    assert relay.run_once().changes == 2
    assert states(client)[numbers[0]] == "approved" and states(client)[numbers[1]] == "refused"
    relay.run_once()  # replaying the feed from the stored cursor changes nothing
    status = read_status(client)
    assert status.done == 6 and status.pending == 0 and status.cursor != "" and status.online
    assert len(hub_cases(hub)) == 6


def test_a_rejected_case_is_shown_and_never_blocks_the_others(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    numbers = seed_cases(client, tmp_path / "files", 4)
    with client.write() as session:
        first = session.scalars(select(Outbox).order_by(Outbox.seq)).first()
        assert first is not None
        first.payload = {**first.payload, "hall_code": ""}  # invalid at the hub → 422
        second = session.scalars(select(Outbox).order_by(Outbox.seq).offset(1)).first()
        assert second is not None
        (tmp_path / "files" / second.payload["attachments"][0]["path"]).write_bytes(b"changed on disk")
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    report = relay.run_until_idle(timeout=60)
    assert report.pending == 0 and report.rejected == 2
    assert sorted(c["case_no"] for c in hub_cases(hub)) == numbers[2:]
    status = read_status(client)
    assert status.rejected == 2
    messages = {p.case_no: p.error for p in status.problems}
    assert "hall_code" in messages[numbers[0]]
    assert "损坏" in messages[numbers[1]]
    with client.read() as session:
        assert session.scalar(select(Outbox).where(Outbox.state == "rejected").limit(1)) is not None  # kept


def test_upload_cut_mid_file_resumes_from_hub_offset_after_restart(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 1, attachments=1, size_range=(600_000, 600_000))
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    relay.sizer.size = relay.sizer.maximum = 64 * 1024  # fixed chunks so the count of re-sent chunks is exact
    proxy.cut_after(250_000)
    first = relay.run_once()
    assert not first.online and first.sent == 0
    with client.read() as session:
        saved = session.scalars(select(UploadState)).one()
        assert 0 < saved.offset < 600_000 and not saved.done
    # A new process: a fresh relay resumes from the persisted URL and the hub's HEAD offset.
    again = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    again.sizer.size = again.sizer.maximum = 64 * 1024
    report = again.run_until_idle(timeout=60)
    assert report.sent == 1
    total = relay.counters.uploads.bytes_sent + again.counters.uploads.bytes_sent
    assert total == 600_000  # confirmed bytes are never sent twice
    assert relay.counters.uploads.chunks_failed == 1  # the cut cost exactly the chunk in flight
    # Bytes on the wire: the file plus at most one chunk re-sent (and headers).
    assert proxy.stats.bytes_up < 600_000 + 64 * 1024 + 40_000
    stored = hub_cases(hub)[0]["files"][0]  # type: ignore[index]
    assert stored["stored_sha256"] == stored["sha256"]


def test_link_down_persists_backoff_and_the_probe_sends_at_once_when_it_returns(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 2)
    slow = RelayOptions(backoff_base=3600, backoff_cap=3600)  # a retry would otherwise wait up to an hour
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path, options=slow)
    proxy.outage("refuse")
    down = relay.run_once()
    assert not down.online and "无法连接" in down.error
    assert read_status(client).online is False
    # Link answers the probe but dies while sending: the row records the failure and its backoff.
    proxy.up()
    proxy.cut_after(3000)
    relay.run_once()
    with client.read() as session:
        row = session.scalars(select(Outbox).order_by(Outbox.seq)).first()
        assert row is not None and row.attempts == 1 and row.last_error
        assert row.next_attempt_at.replace(tzinfo=dt.UTC) > relay.now()
    proxy.outage("refuse")
    relay.run_once()
    proxy.up()
    report = relay.run_once()  # probe sees the link back: waiting rows go now, not after their backoff
    assert report.online and report.sent == 2 and report.pending == 0


def test_after_twenty_attempts_an_item_is_parked_kept_and_can_be_requeued(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 2)
    # The first case declares an attachment the hub never got (and this PC believes it sent): the hub keeps
    # answering "retry", so the 20th failed attempt parks it.
    with client.write() as session:
        first = session.scalars(select(Outbox).order_by(Outbox.seq)).first()
        assert first is not None
        first.attempts = 19
        first.payload = {**first.payload, "attachments": [{"id": "never-uploaded-1", "filename": "x.jpg",
                                                           "sha256": "0" * 64, "size": 5, "path": "nope"}]}
        session.add(UploadState(attachment_id="never-uploaded-1", upload_url="/files/x", offset=5, size=5,
                                done=True))
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    report = relay.run_until_idle(timeout=30)
    assert report.pending == 0 and report.parked == 1
    status = read_status(client)
    assert status.parked == 1 and status.done == 1
    assert requeue(client) == 1
    assert read_status(client).pending == 1


class _Maintenance(http.server.BaseHTTPRequestHandler):
    """A hub behind a maintenance page: health answers, everything else 503 with Retry-After."""

    def do_GET(self) -> None:
        self._answer(200 if self.path.startswith("/v1/health") else 503)

    def do_POST(self) -> None:
        self._answer(503)

    def do_HEAD(self) -> None:
        self._answer(503)

    def _answer(self, status: int) -> None:
        body = json.dumps({"error": "maintenance", "message": "枢纽维护中"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if status == 503:
            self.send_header("Retry-After", "120")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_retry_after_is_obeyed(client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 1, attachments=0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Maintenance)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        relay = make_relay(client, f"http://127.0.0.1:{server.server_address[1]}", "t", tmp_path)
        relay.run_once()
    finally:
        server.shutdown()
    with client.read() as session:
        row = session.scalars(select(Outbox)).one()
    wait = (row.next_attempt_at.replace(tzinfo=dt.UTC) - relay.now()).total_seconds()
    assert row.state == "pending" and 110 < wait <= 120 and "维护" in row.last_error


def test_excluded_list_and_calendar_updates_arrive_through_the_feed(
        hub: RunningHub, proxy: FaultProxy, client: Store, tmp_path: Path) -> None:
    excluded = tmp_path / "excluded.json"
    # The county's list may carry a lower-case check character; the counter looks numbers up upper-cased.
    excluded.write_text(json.dumps({"upsert": [{"id_no": "150929198001011234", "reason": "虚假承诺"},
                                               {"id_no": " 15092919850315234x ", "reason": "失信被执行人"}],
                                    "remove": []}, ensure_ascii=False), encoding="utf-8")
    calendar = REPO / "resources" / "calendar" / "2026.toml"
    with hub.hub.store.write() as session:
        publish_files(session, "excluded", [excluded])
        publish_files(session, "calendar", [calendar])
    relay = make_relay(client, f"http://127.0.0.1:{proxy.port}", hub.token, tmp_path)
    assert relay.run_once().changes == 2
    with client.read() as session:
        row = listed(session, "150929198001011234")
        assert row is not None and row.reason == "虚假承诺" and row.source == "hub"
        assert listed(session, "15092919850315234X").reason == "失信被执行人"
    assert (tmp_path / "data" / "calendar" / "2026.toml").read_bytes() == calendar.read_bytes()
    assert read_status(client).cursor == "2"


def test_cli_run_and_status(hub: RunningHub, client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 2)
    common = ["--db", client.url, "--data-dir", str(tmp_path)]
    run = subprocess.run([sys.executable, "-m", "app", "sync", "run", *common, "--hub", hub.url, "--token",
                          hub.token, "--until-idle", "--json"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["sent"] == 2
    status = subprocess.run([sys.executable, "-m", "app", "sync", "status", *common, "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert json.loads(status.stdout)["done"] == 2
    text = subprocess.run([sys.executable, "-m", "app", "sync", "status", *common], cwd=REPO,
                          capture_output=True, text=True, timeout=60).stdout
    assert "待发送：0 件" in text and "连接：在线" in text
    nohub = subprocess.run([sys.executable, "-m", "app", "sync", "run", *common], cwd=REPO, capture_output=True,
                           text=True, timeout=60)
    assert nohub.returncode == 1 and "sync.hub_url" in nohub.stderr
    bad = subprocess.run([sys.executable, "-m", "app", "sync", "run", *common, "--hub", hub.url, "--token",
                          "wrong"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 4 and "拒绝本设备" in bad.stderr


def test_only_one_relay_pass_runs_at_a_time_per_store(hub: RunningHub, client: Store, tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 1)
    holder = make_relay(client, hub.url, hub.token, tmp_path)
    other = make_relay(client, hub.url, hub.token, tmp_path)
    assert holder._lock.acquire()
    try:
        skipped = other.run_once()
        assert skipped.sent == 0 and "正在同步" in skipped.error and skipped.pending == 1
    finally:
        holder._lock.release()
    assert other.run_once().sent == 1


@pytest.mark.postgres
def test_a_hall_store_on_postgresql_relays_and_applies_results(hub: RunningHub, pg_store: Store,
                                                                tmp_path: Path) -> None:
    numbers = seed_cases(pg_store, tmp_path / "files", 3)
    relay = make_relay(pg_store, hub.url, hub.token, tmp_path)
    assert relay.run_until_idle(timeout=60).sent == 3
    with hub.hub.store.write() as session:
        service.set_result(session, numbers[2], "approved", "")
    relay.run_once()
    assert states(pg_store)[numbers[2]] == "approved"
    assert read_status(pg_store).done == 3


def test_until_idle_stops_at_once_when_the_hub_refuses_the_device(hub: RunningHub, client: Store,
                                                                   tmp_path: Path) -> None:
    seed_cases(client, tmp_path / "files", 1)
    relay = make_relay(client, hub.url, "revoked-token", tmp_path)
    report = relay.run_until_idle(timeout=60)
    assert report.fatal and not report.online and "拒绝本设备" in report.error
    assert relay.counters.passes == 1 and read_status(client).pending == 1


def test_a_catalog_published_on_the_hub_becomes_current_at_the_counter(hub: RunningHub, client: Store,
                                                                        tmp_path: Path) -> None:
    from app.catalog import load_catalog
    from app.catalog.store import current_catalog

    shipped = load_catalog().version
    files = sorted((REPO / "resources" / "catalog").glob("*.toml"))
    with hub.hub.store.write() as session:
        publish_files(session, "catalog", files, version=shipped)
    relay = make_relay(client, hub.url, hub.token, tmp_path)
    assert relay.run_once().changes == 1
    with client.read() as session:
        current = current_catalog(session)
    assert current is not None and current[1].version == shipped and len(current[1].matters) > 10
    assert relay.run_once().changes == 0  # the cursor moved with the import


def test_on_a_slow_link_each_case_lands_as_soon_as_its_files_are_up(
        hub: RunningHub, client: Store, tmp_path: Path) -> None:
    """The batch is posted once its uploads took ``flush_after_seconds``: the first case is on the hub while the
    others' files are still on the wire, instead of all of them arriving together at the end."""
    import time

    numbers = seed_cases(client, tmp_path / "files", 4, attachments=1, size_range=(30_000, 30_000))
    slow = LinkProfile(rate_bps=200_000, latency=0.01)  # 25 KB/s: ~1.2 s per case
    with FaultProxy(("127.0.0.1", hub.hub.port), profile=slow) as link:
        options = dataclasses.replace(FAST, flush_after_seconds=0.5)
        relay = make_relay(client, f"http://127.0.0.1:{link.port}", hub.token, tmp_path, options=options)
        reports: list[object] = []
        passing = threading.Thread(target=lambda: reports.append(relay.run_once()))
        passing.start()
        first_seen_with_others_pending = False
        while passing.is_alive():
            if hub_cases(hub) and len(hub_cases(hub)) < len(numbers):
                first_seen_with_others_pending = True
            time.sleep(0.05)
        passing.join()
    assert first_seen_with_others_pending
    assert sorted(c["case_no"] for c in hub_cases(hub)) == numbers  # and all of them, once, by the pass's end


def test_a_pass_keeps_several_requests_in_flight_and_gzips_the_batches(
        hub: RunningHub, client: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: on a link with a long round trip the scans of several cases are on the wire at once (the
    relay does not wait for each reply), case batches go gzipped, and every case still arrives exactly once with
    byte-identical files."""
    import time

    from sync.hub_client import HubClient

    encodings: list[str] = []
    real_request = HubClient.request

    def spy(self: HubClient, method: str, path: str, **kwargs: object) -> object:
        if path == "v1/cases":
            encodings.append(str((kwargs.get("headers") or {}).get("Content-Encoding", "")))  # type: ignore[union-attr]
        return real_request(self, method, path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HubClient, "request", spy)
    numbers = seed_cases(client, tmp_path / "files", 12, attachments=2, size_range=(2_000, 3_000))
    lagging = LinkProfile(latency=0.15)  # RTT 300 ms, no bandwidth limit: waiting is all the time there is
    with FaultProxy(("127.0.0.1", hub.hub.port), profile=lagging) as link:
        relay = make_relay(client, f"http://127.0.0.1:{link.port}", hub.token, tmp_path)
        peak = [0]
        watching = threading.Event()

        def watch() -> None:
            while not watching.is_set():
                peak[0] = max(peak[0], link.stats.connections)
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.monotonic()
        report = relay.run_until_idle(timeout=120)
        elapsed = time.monotonic() - started
        watching.set()
        watcher.join()
        relay.close()
    assert report.sent == 12 and report.pending == 0
    assert peak[0] >= 2  # more than one connection carried requests
    # 24 scans + 2 batches one after another would take ≥ 26 round trips (7.8 s); pipelined it is far less.
    assert elapsed < 26 * 0.3 * 0.6, elapsed
    cases = hub_cases(hub)
    assert sorted(c["case_no"] for c in cases) == numbers
    for case in cases:
        assert all(f["stored_sha256"] == f["sha256"] for f in case["files"])  # type: ignore[attr-defined]
    assert encodings and set(encodings) == {"gzip"}  # the hub's health announced gzip, so every batch used it
