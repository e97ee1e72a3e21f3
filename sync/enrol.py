"""The counter's side of enrolment: exchange the admin's one-time code for this PC's device credential.

The code travels once, over HTTPS (or plain HTTP to a hub on this PC), and the token that comes back is written
into ``settings.toml`` (0600) with the hub's address; the hub keeps only its hash and binds it to the code's hall.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests

from app.errors import SyncError
from sync.hub_client import describe, hub_url_problem


@dataclass(frozen=True)
class Credential:
    hub_url: str
    name: str
    hall_code: str
    token: str


def enrol(hub_url: str, code: str, name: str, *, ca_file: str = "", timeout: float = 20.0) -> Credential:
    """POST /v1/enrol; raises SyncError with the hub's Chinese reason (unknown, used or expired code)."""
    problem = hub_url_problem(hub_url)
    if problem:
        raise SyncError(problem)
    if ca_file and not Path(ca_file).is_file():
        raise SyncError(f"找不到 CA 证书文件：{ca_file}")
    url = hub_url.rstrip("/") + "/v1/enrol"
    try:
        r = requests.post(url, json={"code": code.strip(), "name": name.strip()}, timeout=(10, timeout),
                          verify=ca_file or True)
    except requests.RequestException as exc:
        raise SyncError(f"注册失败：{describe(exc)}") from None
    try:
        body = r.json()
    except ValueError:
        body = {}
    if r.status_code != 201 or not isinstance(body, dict) or not isinstance(body.get("token"), str):
        message = body.get("message") if isinstance(body, dict) else None
        raise SyncError(f"注册失败：{message or f'枢纽应答 HTTP {r.status_code}'}")
    return Credential(hub_url.rstrip("/"), str(body.get("name", name)), str(body.get("hall_code", "")),
                      body["token"])
