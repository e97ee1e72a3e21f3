"""10,000 hostile requests against the real hub over loopback: no answer is a 5xx and the hub still serves."""

from __future__ import annotations

import requests

from sync.hubfuzz import good_item, run_fuzz
from sync.server.parsing import MAX_JSON_DEPTH, json_depth, parse_json, parse_uint
from sync.server.service import HubProblem
from tests.sync.conftest import RunningHub

TUS = {"Tus-Resumable": "1.0.0"}


def _problem(fn: object, *args: object, **kwargs: object) -> HubProblem:
    try:
        fn(*args, **kwargs)  # type: ignore[operator]
    except HubProblem as problem:
        return problem
    raise AssertionError(f"{fn} accepted {args}")


def test_numbers_are_ascii_digits_bounded_in_length_and_range() -> None:
    assert parse_uint("0", name="n", code="c") == 0
    assert parse_uint("9223372036854775807", name="n", code="c") == 2**63 - 1
    assert parse_uint(None, name="n", code="c", default=7) == 7
    for raw in ("²", "١٢", "５", "-1", "+5", " 7", "1e3", "9" * 5000, "9223372036854775808", "1_0"):
        problem = _problem(parse_uint, raw, name="Upload-Offset", code="bad_offset")
        assert problem.status == 400 and problem.code == "bad_offset" and "Upload-Offset" in problem.message
    assert _problem(parse_uint, "1001", name="limit", code="bad_limit", minimum=1, maximum=1000).status == 400
    assert _problem(parse_uint, "", name="Upload-Length", code="bad_length").message.startswith("缺少")


def test_json_depth_size_and_constants_are_bounded() -> None:
    assert json_depth(b'{"a":[1,{"b":"[[[[[["}]}') == 3  # brackets inside strings do not count
    assert parse_json(b'{"items":[{"x":1.5}]}') == {"items": [{"x": 1.5}]}
    deep = b"[" * 990 + b"]" * 990
    assert _problem(parse_json, deep).code == "json_too_deep"
    assert parse_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    for body in (b"[NaN]", b"[Infinity]", b"[-Infinity]", b"[1e400]", b"[" + b"9" * 5000 + b"]", b"\xff",
                 b'["\\u0000"]', b""):
        assert _problem(parse_json, body).status == 422, body[:20]


def test_ten_thousand_hostile_requests_get_no_5xx_and_the_hub_still_serves(hub: RunningHub) -> None:
    uploads = []
    for size in (10, 100, 0):
        r = requests.post(f"{hub.url}/files/", headers={**hub.auth(), **TUS, "Upload-Length": str(size)}, timeout=10)
        assert r.status_code == 201, r.text
        uploads.append(r.headers["Location"].rsplit("/", 1)[1])
    result = run_fuzz("127.0.0.1", hub.hub.port, hub.token, 10_000, seed=20, upload_ids=uploads)
    assert result.sent == 10_000
    assert result.five_xx == 0, result.server_errors[:5]
    assert sum(result.statuses.values()) + result.dropped == 10_000
    assert result.statuses[400] > 1000 and result.statuses[422] > 1000  # the hostile inputs were answered 4xx
    assert requests.get(f"{hub.url}/v1/health", headers=hub.auth(), timeout=10).status_code == 200
    answer = requests.post(f"{hub.url}/v1/cases", json={"items": [good_item()]}, headers=hub.auth(), timeout=10)
    assert answer.status_code == 200 and answer.json()["results"][0]["outcome"] == "accepted"
