"""Where the hub keeps uploaded scans: a local directory (the default) or S3-compatible object storage.

The tus endpoint (``service.write_chunk``) calls a :class:`FileStore` while it holds the upload's row lock, and
commits whatever state the store hands back (``hub_upload.storage``) in the same transaction as the new offset.
So a back end keeps *no* state in the process: any worker on any host can take the next chunk, and a chunk cut off
by a crash before the commit is simply written again (the local file is truncated to the committed offset; on S3
the staged object or part is overwritten under the same key or number).

S3 (MinIO, Ceph RGW, the cloud's OSS): tus chunks on a weak link are 64 KiB – 4 MiB, below S3's 5 MiB minimum
part. Each chunk is therefore first kept as a small *staged* object (``staging/<id>/<offset>``); once the staged
bytes reach ``part_size`` (8 MiB) they are sent as one part of the upload's multipart upload, and the last chunk
completes it. Every object and part goes with ``Content-MD5`` (the server refuses a corrupted body with
``BadDigest``), and the finished object is read back and hashed (SHA-256) for the row: the case's declared hash
is compared with what the storage holds, not with what the hub meant to write.

``open_file_store("DIR")`` or ``open_file_store("s3://bucket/prefix", endpoint_url=...)``; credentials for S3
come the usual boto3 way (``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` or ``~/.aws``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.errors import CounterError
from app.private import private_dir, private_file

S3_MIN_PART = 5 * 1024 * 1024
DEFAULT_PART_SIZE = 8 * 1024 * 1024
READ_BLOCK = 1 << 20

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # file times (seconds since the epoch) as instants


class StorageProblem(CounterError):
    """The object storage refused or failed a request (answered 503 + Retry-After: the client retries)."""


@dataclass(frozen=True)
class StoredObject:
    upload_id: str
    size: int
    modified: dt.datetime


class FileStore(Protocol):
    """Bytes of tus uploads, addressed by upload id. ``state`` is the back end's JSON kept in the upload's row."""

    description: str

    def create(self, upload_id: str) -> dict[str, Any]:
        """Make room for a new upload; returns its initial state."""
        ...

    def write(self, upload_id: str, *, offset: int, data: bytes, length: int,
              state: dict[str, Any]) -> dict[str, Any]:
        """Store ``data`` at ``offset`` (the committed offset); durable before it returns. When ``offset +
        len(data) == length`` the upload is complete and readable as one object. Returns the new state."""
        ...

    def sha256(self, upload_id: str, length: int) -> str:
        """SHA-256 of the first ``length`` stored bytes of a complete upload, read back from the storage."""
        ...

    def exists(self, upload_id: str) -> bool: ...

    def read(self, upload_id: str) -> Iterator[bytes]:
        """The complete upload's bytes, in blocks."""
        ...

    def delete(self, upload_id: str, state: dict[str, Any]) -> None:
        """Remove the upload and anything staged for it (missing is fine)."""
        ...

    def objects(self) -> list[StoredObject]:
        """Every upload the storage holds (for the sweep of strays a crash left without a row)."""
        ...


class LocalFileStore:
    """``<dir>/uploads/<id>``: fsynced before the offset commits, truncated to the committed offset on write."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = str(root)

    def path(self, upload_id: str) -> Path:
        return self.root / "uploads" / upload_id

    def create(self, upload_id: str) -> dict[str, Any]:
        path = self.path(upload_id)
        private_file(private_dir(path.parent) / path.name, create=True)
        return {}

    def write(self, upload_id: str, *, offset: int, data: bytes, length: int,
              state: dict[str, Any]) -> dict[str, Any]:
        with open(self.path(upload_id), "r+b") as fh:
            fh.truncate(offset)
            fh.seek(offset)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return state

    def sha256(self, upload_id: str, length: int) -> str:
        digest = hashlib.sha256()
        with open(self.path(upload_id), "rb") as fh:
            remaining = length
            while remaining:
                block = fh.read(min(remaining, READ_BLOCK))
                if not block:
                    break
                digest.update(block)
                remaining -= len(block)
        return digest.hexdigest()

    def exists(self, upload_id: str) -> bool:
        return self.path(upload_id).exists()

    def read(self, upload_id: str) -> Iterator[bytes]:
        with open(self.path(upload_id), "rb") as fh:
            while block := fh.read(READ_BLOCK):
                yield block

    def delete(self, upload_id: str, state: dict[str, Any]) -> None:
        self.path(upload_id).unlink(missing_ok=True)

    def objects(self) -> list[StoredObject]:
        uploads = self.root / "uploads"
        if not uploads.is_dir():
            return []
        out = []
        for path in uploads.iterdir():
            if path.is_file():
                st = path.stat()
                out.append(StoredObject(path.name, st.st_size, _EPOCH + dt.timedelta(seconds=st.st_mtime)))
        return out


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode("ascii")


class S3FileStore:
    """Uploads as objects ``<prefix>uploads/<id>`` in ``bucket``, built by multipart upload (see the module doc).

    State in the row: ``mpu`` (the multipart upload id, once the first part went), ``parts`` ([number, ETag,
    size] of the parts sent) and ``staged`` ([offset, size] of the chunks kept as staged objects since).
    """

    def __init__(self, bucket: str, prefix: str = "", *, client: Any = None, endpoint_url: str | None = None,
                 part_size: int = DEFAULT_PART_SIZE) -> None:
        if part_size < S3_MIN_PART:
            raise ValueError(f"part_size must be at least {S3_MIN_PART} (S3's minimum part)")
        if client is None:
            try:
                import boto3
            except ImportError:
                raise CounterError("对象存储需要 boto3：请安装 pip install 'zongchuang[s3]'，或改用本地目录 --files DIR") from None
            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.part_size = part_size
        self.description = f"s3://{bucket}/{self.prefix}"

    def key(self, upload_id: str) -> str:
        return f"{self.prefix}uploads/{upload_id}"

    def _staged_key(self, upload_id: str, offset: int) -> str:
        return f"{self.prefix}staging/{upload_id}/{offset:012d}"

    def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise StorageProblem(f"对象存储拒绝了 {method}：{error.get('Code', '')} {error.get('Message', '')}".strip()) from exc
        except BotoCoreError as exc:
            raise StorageProblem(f"对象存储暂不可用（{method}）：{exc}") from exc

    def create(self, upload_id: str) -> dict[str, Any]:
        return {"mpu": "", "parts": [], "staged": []}

    def write(self, upload_id: str, *, offset: int, data: bytes, length: int,
              state: dict[str, Any]) -> dict[str, Any]:
        parts: list[list[Any]] = [list(p) for p in state.get("parts", [])]
        staged: list[list[int]] = [list(s) for s in state.get("staged", [])]
        mpu = str(state.get("mpu", ""))
        complete = offset + len(data) == length
        staged_bytes = sum(size for _, size in staged)
        if not complete and staged_bytes + len(data) < self.part_size:
            # Keep the chunk as its own small object: nothing is read back until a whole part is gathered.
            self._call("put_object", Key=self._staged_key(upload_id, offset), Body=data, ContentMD5=_md5(data))
            return {"mpu": mpu, "parts": parts, "staged": [*staged, [offset, len(data)]]}
        buffer = b"".join(self._staged(upload_id, staged)) + data
        start = offset - staged_bytes  # where ``buffer`` begins in the file
        if not parts and complete and len(buffer) <= self.part_size:
            self._call("put_object", Key=self.key(upload_id), Body=buffer, ContentMD5=_md5(buffer))
            self._drop_staging(upload_id)
            return {"mpu": "", "parts": [], "staged": []}
        if not mpu:
            mpu = self._call("create_multipart_upload", Key=self.key(upload_id))["UploadId"]
        while len(buffer) >= self.part_size or (complete and buffer):
            body = buffer[:self.part_size]  # every part but the last is exactly part_size (>= 5 MiB)
            number = len(parts) + 1
            etag = self._call("upload_part", Key=self.key(upload_id), UploadId=mpu, PartNumber=number, Body=body,
                              ContentMD5=_md5(body))["ETag"]
            parts.append([number, etag, len(body)])
            buffer, start = buffer[len(body):], start + len(body)
        if complete:
            self._call("complete_multipart_upload", Key=self.key(upload_id), UploadId=mpu,
                       MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e, _ in parts]})
            self._drop_staging(upload_id)
            return {"mpu": "", "parts": [], "staged": []}
        if buffer:  # the rest of the last chunk, below a part: staged at its own offset
            self._call("put_object", Key=self._staged_key(upload_id, start), Body=buffer, ContentMD5=_md5(buffer))
            return {"mpu": mpu, "parts": parts, "staged": [[start, len(buffer)]]}
        return {"mpu": mpu, "parts": parts, "staged": []}

    def _staged(self, upload_id: str, staged: list[list[int]]) -> Iterator[bytes]:
        for offset, size in staged:
            body = self._call("get_object", Key=self._staged_key(upload_id, offset))["Body"].read()
            if len(body) < size:
                raise StorageProblem(f"对象存储中暂存的数据块不完整（{upload_id} 偏移 {offset}）")
            yield body[:size]

    def _drop_staging(self, upload_id: str) -> None:
        keys = self._list(f"{self.prefix}staging/{upload_id}/")
        for i in range(0, len(keys), 1000):
            self._call("delete_objects", Delete={"Objects": [{"Key": k} for k, _, _ in keys[i:i + 1000]],
                                                 "Quiet": True})

    def _list(self, prefix: str) -> list[tuple[str, int, dt.datetime]]:
        out: list[tuple[str, int, dt.datetime]] = []
        token: dict[str, str] = {}
        while True:
            page = self._call("list_objects_v2", Prefix=prefix, **token)
            out.extend((o["Key"], int(o["Size"]), o["LastModified"]) for o in page.get("Contents", []))
            if not page.get("IsTruncated"):
                return out
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def sha256(self, upload_id: str, length: int) -> str:
        digest = hashlib.sha256()
        remaining = length
        for block in self.read(upload_id):
            digest.update(block[:remaining])
            remaining -= min(len(block), remaining)
        return digest.hexdigest()

    def exists(self, upload_id: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(upload_id))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise StorageProblem(f"对象存储拒绝了 head_object：{exc}") from exc
        return True

    def read(self, upload_id: str) -> Iterator[bytes]:
        body = self._call("get_object", Key=self.key(upload_id))["Body"]
        while block := body.read(READ_BLOCK):
            yield block

    def delete(self, upload_id: str, state: dict[str, Any]) -> None:
        if state.get("mpu"):
            from botocore.exceptions import ClientError

            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key(upload_id), UploadId=state["mpu"])
            except ClientError:
                pass  # already completed or aborted
        self._call("delete_object", Key=self.key(upload_id))
        self._drop_staging(upload_id)

    def objects(self) -> list[StoredObject]:
        out = [StoredObject(k.rsplit("/", 1)[-1], size, at) for k, size, at in self._list(f"{self.prefix}uploads/")]
        seen = {o.upload_id for o in out}
        for key, size, at in self._list(f"{self.prefix}staging/"):
            upload_id = key[len(self.prefix) + len("staging/"):].split("/", 1)[0]
            if upload_id not in seen:  # only staged chunks left (an upload never finished, its row gone)
                seen.add(upload_id)
                out.append(StoredObject(upload_id, size, at))
        return out


def open_file_store(spec: str | Path | FileStore, *, endpoint_url: str | None = None) -> FileStore:
    """``DIR`` → :class:`LocalFileStore`; ``s3://bucket[/prefix]`` → :class:`S3FileStore` at ``endpoint_url``
    (or the ``ZC_HUB_S3_ENDPOINT`` environment variable; none = AWS itself)."""
    if not isinstance(spec, str | Path):
        return spec
    text = str(spec)
    if text.startswith("s3://"):
        bucket, _, prefix = text[len("s3://"):].partition("/")
        if not bucket:
            raise CounterError(f"对象存储地址应为 s3://桶名/前缀，得到 {text!r}")
        return S3FileStore(bucket, prefix, endpoint_url=endpoint_url or os.environ.get(ENV_S3_ENDPOINT) or None)
    return LocalFileStore(Path(text))


ENV_S3_ENDPOINT = "ZC_HUB_S3_ENDPOINT"
