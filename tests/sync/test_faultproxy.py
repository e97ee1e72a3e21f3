"""The fault proxy itself: it must really delay, throttle, cut and black-hole, or the sync tests prove nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from sync.faultproxy import FaultProxy, LinkProfile


@pytest.fixture
def echo() -> Iterator[int]:
    """A TCP echo server on loopback."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=pump, args=(conn,), daemon=True).start()

    def pump(conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:
                pass  # the proxy reset us: that is the point of some tests

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


def roundtrip(port: int, payload: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(payload)
        got = b""
        while len(got) < len(payload):
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += chunk
        return got


def test_bytes_pass_unchanged_with_latency_and_rate_limit(echo: int) -> None:
    payload = bytes(range(256)) * 200  # 51,200 bytes each way
    with FaultProxy(("127.0.0.1", echo), profile=LinkProfile("t", 1_000_000, 0.05, 0.01)) as proxy:
        started = time.monotonic()
        assert roundtrip(proxy.port, payload) == payload
        elapsed = time.monotonic() - started
    # 51,200 bytes at 1 Mbit/s is ~0.41 s per direction, plus 2×50 ms latency: the cap really applies.
    assert elapsed > 0.4
    assert proxy.stats.bytes_up == proxy.stats.bytes_down == len(payload)


def test_cut_after_n_bytes_resets_the_connection(echo: int) -> None:
    with FaultProxy(("127.0.0.1", echo)) as proxy:
        proxy.cut_after(10_000)
        got = roundtrip(proxy.port, b"x" * 50_000)
        assert len(got) < 50_000
        assert proxy.stats.resets >= 1
        assert roundtrip(proxy.port, b"after the cut") == b"after the cut"  # later connections work


def test_refuse_outage_and_recovery(echo: int) -> None:
    with FaultProxy(("127.0.0.1", echo)) as proxy:
        proxy.outage("refuse")
        time.sleep(0.05)  # control calls are asynchronous to the proxy's loop
        with pytest.raises(OSError):
            got = roundtrip(proxy.port, b"hello", timeout=2)
            if not got:
                raise ConnectionResetError("closed")
        proxy.up()
        time.sleep(0.05)
        assert roundtrip(proxy.port, b"hello") == b"hello"


def test_blackhole_holds_traffic_until_the_scheduled_outage_ends(echo: int) -> None:
    with FaultProxy(("127.0.0.1", echo)) as proxy:
        proxy.outage("blackhole", 0.5)
        time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
            sock.sendall(b"ping")
            sock.settimeout(0.2)
            with pytest.raises(TimeoutError):
                sock.recv(10)  # nothing comes back while the hole lasts
            sock.settimeout(5)
            assert sock.recv(10) == b"ping"  # and the link recovers by itself
