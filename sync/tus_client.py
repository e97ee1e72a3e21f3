"""A tus 1.0 client for one file at a time: creation, HEAD for the offset, PATCH chunks with a sha1 checksum.

The chunk size adapts to the link (start 64 KiB, aim for 8–15 s per chunk, at most 1 MiB, halve after a
failure), so a cut costs at most one chunk, and a GPRS link still sees few round trips per file.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import SyncError
from sync.hub_client import HubClient, Rejected, Transient

TUS_HEADERS = {"Tus-Resumable": "1.0.0"}
KIB = 1024


class LocalFileError(SyncError):
    """The attachment on this PC is missing or no longer matches its recorded SHA-256."""


@dataclass
class ChunkSizer:
    """Chooses the next PATCH size from the throughput of the last one."""

    size: int = 64 * KIB
    minimum: int = 16 * KIB
    maximum: int = 1024 * KIB
    target_seconds: float = 11.5  # middle of the 8–15 s aim
    rate: float | None = None  # bytes/s of the last confirmed chunk (the relay sizes its pipeline with it)

    def succeeded(self, sent: int, seconds: float) -> None:
        if sent <= 0:
            return
        rate = sent / max(seconds, 1e-3)
        self.rate = rate
        wanted = int(rate * self.target_seconds)
        # Grow at most 2x per step so one lucky fast chunk does not overshoot on a bursty link.
        self.size = max(self.minimum, min(self.maximum, wanted, self.size * 2))

    def failed(self) -> None:
        self.size = max(self.minimum, self.size // 2)


@dataclass
class UploadStats:
    """Totals over every upload of a relay; several uploads may run at once (pipelined), so they add under a
    lock."""

    bytes_sent: int = 0  # bytes the hub confirmed
    chunks: int = 0
    chunks_failed: int = 0  # chunks whose PATCH failed (re-sent later from the hub's offset)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, sent: int = 0, chunks: int = 0, failed: int = 0) -> None:
        with self._lock:
            self.bytes_sent += sent
            self.chunks += chunks
            self.chunks_failed += failed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_checksum(data: bytes) -> str:
    """The tus checksum extension's header value for one chunk."""
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")


def encode_metadata(meta: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in meta.items())


class TusUploader:
    def __init__(self, hub: HubClient, sizer: ChunkSizer | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.hub = hub
        self.sizer = sizer or ChunkSizer()
        self.clock = clock
        self.stats = UploadStats()
        self.confirmed = 0  # bytes the hub confirmed to this uploader (the relay's "progress made")

    def create(self, *, size: int, meta: dict[str, str]) -> str:
        headers = {**TUS_HEADERS, "Upload-Length": str(size), "Upload-Metadata": encode_metadata(meta)}
        response = self.hub.request("POST", "files/", ok=(201,), headers=headers)
        location = response.headers.get("Location", "")
        if not location:
            raise Transient("枢纽创建上传时没有返回地址")
        return location

    def create_with(self, data: bytes, *, meta: dict[str, str]) -> tuple[str, int]:
        """tus creation-with-upload for a file that fits in one chunk: create and send it in one request.
        Returns (url, confirmed offset). If the request is cut, nothing was recorded here, so the next try
        creates a fresh upload; the hub keeps at most that one chunk-sized orphan."""
        headers = {**TUS_HEADERS, "Upload-Length": str(len(data)), "Upload-Metadata": encode_metadata(meta),
                   "Upload-Checksum": upload_checksum(data),
                   "Content-Type": "application/offset+octet-stream"}
        started = self.clock()
        try:
            response = self.hub.request("POST", "files/", ok=(201,), headers=headers, data=data)
        except Transient:
            self.stats.add(failed=1)
            self.sizer.failed()
            raise
        location = response.headers.get("Location", "")
        raw = response.headers.get("Upload-Offset", "")
        if not location or not raw.isdigit():
            raise Transient("枢纽创建上传时没有返回地址或偏移量")
        offset = int(raw)
        if offset:
            self.stats.add(sent=offset, chunks=1)
            self.confirmed += offset
            if offset >= self.sizer.minimum:  # a few KB sent in one round trip says little about the link's rate
                self.sizer.succeeded(offset, self.clock() - started)
        return location, offset

    def offset(self, url: str) -> int | None:
        """The hub's committed offset, or None when the hub no longer knows this upload."""
        try:
            response = self.hub.request("HEAD", url, ok=(200,), headers=TUS_HEADERS)
        except Rejected as exc:
            if exc.status in (404, 410):
                return None
            raise
        raw = response.headers.get("Upload-Offset", "")
        if not raw.isdigit():
            raise Transient("枢纽返回的上传偏移量无效")
        return int(raw)

    def upload(self, path: Path, *, size: int, sha256: str, meta: dict[str, str], url: str | None,
               on_url: Callable[[str, int], None]) -> str:
        """Send ``path`` to completion; ``on_url(url, offset)`` persists progress (called before any bytes go
        out for a new upload, and after each confirmed chunk). Returns the upload URL."""
        if not path.is_file():
            raise LocalFileError(f"附件文件不存在：{path.name}")
        if path.stat().st_size != size or file_sha256(path) != sha256:
            raise LocalFileError(f"附件文件已损坏或被改动（校验值不符）：{path.name}")
        offset = self.offset(url) if url else None
        if (url is None or offset is None) and 0 < size <= self.sizer.size:
            with open(path, "rb") as fh:
                url, offset = self.create_with(fh.read(size), meta=meta)
            on_url(url, offset)
        elif url is None or offset is None:
            url = self.create(size=size, meta=meta)  # the URL is stored before the first byte goes out
            offset = 0
            on_url(url, 0)
        with open(path, "rb") as fh:
            while offset < size:
                fh.seek(offset)
                data = fh.read(self.sizer.size)
                offset = self._patch(url, offset, data)
                on_url(url, offset)
        return url

    def _patch(self, url: str, offset: int, data: bytes) -> int:
        headers = {**TUS_HEADERS, "Upload-Offset": str(offset), "Upload-Checksum": upload_checksum(data),
                   "Content-Type": "application/offset+octet-stream"}
        started = self.clock()
        try:
            response = self.hub.request("PATCH", url, ok=(204,), headers=headers, data=data)
        except Transient as exc:
            self.stats.add(failed=1)
            self.sizer.failed()
            if exc.status == 409:
                # Our idea of the offset was stale (an earlier PATCH landed after all): ask and carry on.
                fresh = self.offset(url)
                if fresh is not None:
                    return fresh
            raise
        raw = response.headers.get("Upload-Offset", "")
        new_offset = int(raw) if raw.isdigit() else offset + len(data)
        self.sizer.succeeded(len(data), self.clock() - started)
        self.stats.add(sent=new_offset - offset, chunks=1)
        self.confirmed += new_offset - offset
        return new_offset
