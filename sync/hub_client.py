"""The client's view of the hub over HTTP (requests): auth, CA verification, timeouts, error classification.

``requests`` has no default timeout, so every call passes (connect, read) explicitly. It is imported when the
first client is made (on the sync thread), not when the counter starts: reading the outbox status needs none.
"""

from __future__ import annotations

import gzip as gzip_module
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from app.clock import system_now
from app.errors import SyncError
from sync.backoff import parse_retry_after

if TYPE_CHECKING:
    import requests


class Transient(SyncError):
    """Worth retrying: connection errors, timeouts, 5xx, 408/409/423/424/425/429, checksum mismatches."""

    def __init__(self, message: str, *, retry_after: float | None = None, link_down: bool = False,
                 status: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status
        self.link_down = link_down  # the hub was not reached at all (not an answer from it)


class Rejected(SyncError):
    """The hub answered that this item is invalid; retrying will not help (shown to the clerk)."""

    def __init__(self, message: str, *, status: int, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class AuthFailed(SyncError):
    """401/403: the device token is wrong; nothing can be sent until an admin fixes the settings."""


RETRYABLE = {408, 409, 423, 424, 425, 429, 460}
GZIP_FROM_BYTES = 512  # smaller bodies gain less than gzip's 18-byte frame and the header cost
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def hub_url_problem(url: str) -> str:
    """Why ``url`` cannot be the hub's address, or "". Case data travels over HTTPS only; plain http:// is for a
    hub or test relay on this PC itself (loopback), where nothing crosses a wire."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"枢纽地址无效：{url}（应为 https://主机名/）"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        return "枢纽地址必须以 https:// 开头（http:// 只允许 127.0.0.1 或 localhost）"
    return ""


@dataclass(frozen=True)
class HubConfig:
    url: str
    token: str
    ca_file: str = ""
    connect_timeout: float = 10.0
    read_timeout: float = 90.0


def describe(exc: requests.RequestException) -> str:
    import requests

    if isinstance(exc, requests.exceptions.SSLError):
        return "与枢纽的加密连接校验失败（证书不受信任或已过期）"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "连接枢纽超时（网络不通或太慢）"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "等待枢纽应答超时"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "无法连接枢纽（网络中断或枢纽未运行）"
    return f"与枢纽通信出错：{type(exc).__name__}"


class HubClient:
    """One requests.Session per relay; every call classifies failures into Transient / Rejected / AuthFailed."""

    def __init__(self, config: HubConfig) -> None:
        problem = hub_url_problem(config.url)
        if problem:
            raise SyncError(problem)
        if config.ca_file and not Path(config.ca_file).is_file():
            raise SyncError(f"找不到 CA 证书文件：{config.ca_file}（设置 sync.ca_file）")
        if not config.token:
            raise SyncError("未设置设备令牌（sync.token），请向枢纽管理员申请")
        import requests

        self.config = config
        self.base = config.url.rstrip("/") + "/"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {config.token}"
        self.http.headers["User-Agent"] = "zongchuang-relay/0.1"
        # Passed on every request: a session-level ``verify`` loses to REQUESTS_CA_BUNDLE in the environment.
        self.verify: str | bool = config.ca_file or True
        self.timeout = (config.connect_timeout, config.read_timeout)

    def url(self, path: str) -> str:
        return urljoin(self.base, path.lstrip("/")) if not path.startswith("http") else path

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any) -> requests.Response:
        import requests

        try:
            response = self.http.request(method, self.url(path), timeout=self.timeout, verify=self.verify,
                                         **kwargs)
        except requests.exceptions.SSLError as exc:
            raise Transient(describe(exc), link_down=True) from exc
        except requests.RequestException as exc:
            raise Transient(describe(exc), link_down=True) from exc
        if response.status_code in ok:
            return response
        raise self.classify(response)

    @staticmethod
    def message_of(response: requests.Response) -> tuple[str, str]:
        try:
            body = response.json()
            return str(body.get("message") or response.reason), str(body.get("error", ""))
        except ValueError:
            return f"枢纽返回 {response.status_code} {response.reason}", ""

    def classify(self, response: requests.Response) -> SyncError:
        message, code = self.message_of(response)
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=system_now())  # an HTTP date: real time
        if status in (401, 403):
            return AuthFailed(f"枢纽拒绝本设备：{message}")
        if status >= 500 or status in RETRYABLE:
            return Transient(f"枢纽暂时无法处理（{status}）：{message}", retry_after=retry_after, status=status)
        return Rejected(message, status=status, code=code)

    def close(self) -> None:
        self.http.close()

    # -- endpoints ---------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return dict(self.request("GET", "v1/health").json())

    def post_cases(self, items: list[dict[str, Any]], *, gzip: bool = False) -> list[dict[str, Any]]:
        """Post a batch; ``gzip`` compresses the JSON (only for a hub whose health announced it)."""
        body = json.dumps({"items": items}, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        headers = {"Content-Type": "application/json"}
        if gzip and len(body) > GZIP_FROM_BYTES:
            body = gzip_module.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
        response = self.request("POST", "v1/cases", data=body, headers=headers)
        try:
            results = response.json()["results"]
        except (ValueError, KeyError, TypeError):
            raise Transient("枢纽应答格式错误") from None
        return list(results)

    def changes(self, since: str, limit: int = 200) -> dict[str, Any]:
        return dict(self.request("GET", "v1/changes", params={"since": since or "0", "limit": limit}).json())
