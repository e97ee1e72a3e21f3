"""Hostile requests against a running hub (test bed; not used by the product at run time).

A seeded generator of requests an attacker or a broken client would send: numeric headers and query values that
``str.isdigit()`` accepts but ``int()`` refuses (``²``, ``١٢``), numbers of thousands of digits, signs and spaces,
JSON nested thousands deep, ``NaN``/``Infinity``/``1e400``, invalid UTF-8, batch items whose fields have the
wrong types, garbage tus metadata and checksums, forged tokens, raw bytes that are not HTTP. Every answer must be
below 500 and the hub must still serve a good request afterwards (``tests/sync/test_hub_fuzz.py``,
``benchmarks/bench_hub_fuzz.py``).
"""

from __future__ import annotations

import base64
import http.client
import json
import random
import socket
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

NUMBERS = ["²", "١٢", "５", "٣", "-1", "+5", " 7", "7 ", "0x10", "1e3", "1.5", "NaN", "inf", "", "0", "00",
           "9" * 19, "9" * 20, "9" * 5000, "1" * 4301, "18446744073709551616", "9223372036854775808",
           "9223372036854775807", "1_000", "\t3", "0" * 19, "12abc", "①", "𝟗"]
NASTY_TEXT = ["", " ", "\x00", "a" * 10_000, "=1+2", "../../etc/passwd", "%", "_", "²", "\u202e", "😀" * 50,
              "null", "{", "'; DROP TABLE hub_case; --"]


@dataclass(frozen=True)
class HostileRequest:
    method: str
    path: str
    headers: dict[str, bytes]
    body: bytes = b""
    raw: bytes | None = None  # sent as-is on a fresh socket instead of an HTTP request


@dataclass
class FuzzResult:
    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (status, method path, body head)
    dropped: int = 0  # connections the hub closed without an answer (only allowed for raw non-HTTP bytes)

    @property
    def five_xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _json_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2**63, 2**64, -(2**70), 10**30, 1.5, -0.0, 1e308])
    if kind in (3, 4, 5):
        return rng.choice([*NASTY_TEXT, str(uuid.uuid4()), "150929", "accepted", "case.update"])
    if kind == 6:
        return [_json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(["id", "x", "", "\x00", "state", "kind"]): _json_value(rng, depth + 1)
            for _ in range(rng.randrange(4))}


def good_item(hall_code: str = "150929") -> dict[str, Any]:
    case_id = str(uuid.uuid4())
    return {"op_id": str(uuid.uuid4()), "kind": "case.accept", "case_id": case_id,
            "payload": {"id": case_id, "case_no": f"F{uuid.uuid4().hex[:12]}", "hall_code": hall_code,
                        "matter_code": "M001", "matter_name": "城乡居民养老保险参保登记",
                        "applicant": {"name": "张三"}, "state": "accepted", "attachments": []}}


def _mutated_item(rng: random.Random) -> dict[str, Any]:
    item = good_item()
    target: dict[str, Any] = item if rng.random() < 0.4 else item["payload"]
    for _ in range(rng.randint(1, 3)):
        key = rng.choice([*target.keys(), "attachments", "event", "applicant", "detail"])
        target[key] = _json_value(rng)
    if rng.random() < 0.3:
        item["kind"] = "case.update"
        item["payload"] = {"case_id": item["case_id"], "state": rng.choice(["accepted", _json_value(rng)]),
                           "event": {"kind": "correction", "detail": {"decision": _json_value(rng),
                                                                      "listing": _json_value(rng)}}}
    if rng.random() < 0.2 and isinstance(item.get("payload"), dict):
        item["payload"]["attachments"] = [{"id": _json_value(rng), "filename": "a.jpg", "sha256": "0" * 64,
                                           "size": _json_value(rng)}]
    return item


def _hostile_json(rng: random.Random) -> bytes:
    depth = rng.choice([40, 990, 5000, 20_000])
    choice = rng.randrange(12)
    if choice == 0:
        return b"[" * depth + b"]" * depth
    if choice == 1:
        return b'{"items":' + b"[" * depth + b"1" + b"]" * depth + b"}"
    if choice == 2:
        return b'{"items":[' + b'{"a":' * depth + b"1" + b"}" * depth + b"]}"
    if choice == 3:
        return rng.choice([b'{"items":[NaN]}', b'{"items":[Infinity]}', b'{"items":[-Infinity]}',
                           b'{"items":[1e400]}', b'{"items":[' + b"9" * 5000 + b"]}"])
    if choice == 4:
        return rng.choice([b"\xff\xfe{}", b'{"items":["\xed\xa0\x80"]}', b"", b"   ", b"null", b"[]", b'"x"',
                           b'{"items":{}}', b'{"items":"abc"}', b'{"items":[]}', b"{" * 3, b'{"items":[1,]}'])
    if choice == 5:
        return json.dumps({"items": [_json_value(rng) for _ in range(rng.randint(1, 5))]}).encode()
    if choice == 6:
        return b'{"items":[' + b",".join([b"{}"] * rng.choice([51, 500])) + b"]}"
    if choice == 7:
        return b'"' + b"[" * depth + b'"'  # brackets inside a string are not nesting
    return json.dumps({"items": [_mutated_item(rng) for _ in range(rng.randint(1, 3))]},
                      ensure_ascii=rng.random() < 0.5).encode()


def _header_text(value: str) -> bytes:
    """Header bytes as a client would put them on the wire (Latin-1 where it can, else UTF-8 bytes)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def hostile_requests(rng: random.Random, token: str, upload_ids: list[str]) -> Iterator[HostileRequest]:
    """An endless stream of hostile requests; ``upload_ids`` are real uploads of this device (to aim at)."""
    tus = {"Tus-Resumable": b"1.0.0"}
    while True:
        auth = {"Authorization": f"Bearer {token}".encode()}
        roll = rng.random()
        if roll < 0.03:
            auth = {"Authorization": _header_text(rng.choice(
                ["Bearer", "Bearer ²", "Basic abc", "Bearer " + "x" * 5000, "bearer  " + token, "Bearer é",
                 "Bearer " + token[:-1]]))}
        kind = rng.randrange(10)
        number = rng.choice(NUMBERS) if rng.random() < 0.85 else str(rng.randrange(0, 10**6))
        if kind == 0:
            headers = {**auth, **tus, "Upload-Length": _header_text(number)}
            if rng.random() < 0.4:
                headers["Upload-Metadata"] = _header_text(rng.choice(
                    ["attachment_id", "a b,a c", "attachment_id ²²", "x " + "é", ",,,", "k " + "A" * 3000,
                     "attachment_id " + base64.b64encode(b"\xff\xfe").decode(), "filename " +
                     base64.b64encode("身份证.jpg".encode()).decode()]))
            body = b""
            if rng.random() < 0.3:
                headers["Content-Type"] = b"application/offset+octet-stream"
                body = rng.randbytes(rng.randrange(64))
                headers["Upload-Checksum"] = _header_text(rng.choice(["sha1 ²", "sha1 ###", "md5 abc", "sha1",
                                                                       "sha1 " + "é" * 4, ""]))
            yield HostileRequest("POST", "/files/", headers, body)
        elif kind == 1:
            upload = rng.choice(upload_ids) if upload_ids and rng.random() < 0.7 else rng.choice(
                ["x", "²", "../../hub.db", "a" * 300, uuid.uuid4().hex, "%00", "0" * 32])
            headers = {**auth, **tus, "Upload-Offset": _header_text(number),
                       "Content-Type": b"application/offset+octet-stream"}
            if rng.random() < 0.3:
                headers["Content-Length"] = _header_text(rng.choice(["²", "-1", "9" * 30, "abc"]))
            yield HostileRequest("PATCH", "/files/" + quote(upload, safe="/%"), headers, rng.randbytes(rng.randrange(32)))
        elif kind == 2:
            upload = rng.choice(upload_ids) if upload_ids and rng.random() < 0.5 else rng.choice(
                ["²", "..", "a" * 5000, uuid.uuid4().hex])
            yield HostileRequest("HEAD", "/files/" + quote(upload, safe=""), {**auth, **tus})
        elif kind in (3, 4):
            params = []
            if rng.random() < 0.8:
                params.append("since=" + quote(number))
            if rng.random() < 0.6:
                params.append("limit=" + quote(rng.choice([*NUMBERS, "1000", "1001", "0", "50"])))
            if rng.random() < 0.1:
                params.append("since=1&since=" + quote("²"))
            yield HostileRequest("GET", "/v1/changes?" + "&".join(params), auth)
        elif kind in (5, 6, 7, 8):
            headers = {**auth, "Content-Type": b"application/json"}
            yield HostileRequest("POST", "/v1/cases", headers, _hostile_json(rng))
        else:
            raw = rng.choice([
                b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: \xc2\xb2\r\n\r\n",
                b"POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n",
                b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello to a plain port
                b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X: " + b"a" * 70_000 + b"\r\n\r\n",
                b"BREW /pot HTCPCP/1.0\r\n\r\n",
                b"GET /v1/changes?since=%C2%B2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode()
                + b"\r\n\r\n",
            ])
            yield HostileRequest("RAW", "", {}, raw=raw)


def _send_raw(host: str, port: int, data: bytes, result: FuzzResult) -> None:
    with socket.create_connection((host, port), timeout=10) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            answer = sock.recv(64)
        except OSError:
            answer = b""
    if answer.startswith(b"HTTP/1."):
        status = int(answer[9:12])
        result.statuses[status] += 1
        if status >= 500:
            result.server_errors.append((status, "RAW", repr(data[:60])))
    else:
        result.dropped += 1


def _send(conn: http.client.HTTPConnection, req: HostileRequest) -> tuple[int, str, bool]:
    """(status, body head, whether the hub asked to close) of one request on ``conn``."""
    conn.putrequest(req.method, req.path, skip_accept_encoding=True)
    for name, value in req.headers.items():
        conn.putheader(name, value)
    if "Content-Length" not in req.headers:
        conn.putheader("Content-Length", str(len(req.body)))
    conn.endheaders(req.body or None)
    response = conn.getresponse()
    head = response.read()[:200].decode("utf-8", "replace")
    return response.status, head, response.getheader("connection", "").lower() == "close"


def run_fuzz(host: str, port: int, token: str, count: int, *, seed: int = 20,
             upload_ids: list[str] | None = None) -> FuzzResult:
    """Send ``count`` hostile requests over keep-alive connections; record every status.

    A request with a lying ``Content-Length`` goes on a connection of its own with a short timeout: when the
    hub answers before reading a body (e.g. 404 for an unknown upload) and then waits for bytes that never come,
    that is HTTP working as specified, and must not stall the requests behind it."""
    rng = random.Random(seed)
    result = FuzzResult()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    requests = hostile_requests(rng, token, upload_ids or [])
    try:
        for _ in range(count):
            req = next(requests)
            result.sent += 1
            if req.raw is not None:
                _send_raw(host, port, req.raw, result)
                continue
            lying = "Content-Length" in req.headers
            target = http.client.HTTPConnection(host, port, timeout=3) if lying else conn
            try:
                status, head, close = _send(target, req)
            except (http.client.HTTPException, OSError):
                # The hub closed the connection (a malformed Content-Length) or waits for the declared body.
                target.close()
                if not lying:
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                result.dropped += 1
                continue
            result.statuses[status] += 1
            if status >= 500:
                result.server_errors.append((status, f"{req.method} {req.path[:80]}", head))
            if lying:
                target.close()
            elif close:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
    finally:
        conn.close()
    return result
