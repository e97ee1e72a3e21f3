"""The hub's HTTP face (Starlette): health, tus 1.0 uploads, idempotent case batches, the change feed.

Every request carries ``Authorization: Bearer <device token>``. Errors are JSON ``{"error", "message"}`` with a
Chinese message. Database and file work runs in the thread pool so slow disks never block the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.errors import StoreError
from app.private import private_dir
from app.store.engine import Store
from sync.server import encoding, service
from sync.server.filestore import FileStore, LocalFileStore, StorageProblem, open_file_store
from sync.server.parsing import parse_json, parse_uint
from sync.server.service import HubProblem

TUS_VERSION = "1.0.0"
MAX_JSON_BODY = 8 * 1024 * 1024
TUS_HEADERS = {"Tus-Resumable": TUS_VERSION}
UPLOAD_ID_RE = re.compile(r"[0-9a-f]{32}")  # what service.create_upload hands out (uuid4().hex)
Endpoint = Callable[[Request], Awaitable[Response]]


def problem_response(problem: HubProblem, *, tus: bool = False) -> JSONResponse:
    headers = dict(problem.headers)
    if tus:
        headers.update(TUS_HEADERS)
    return JSONResponse({"error": problem.code, "message": problem.message}, status_code=problem.status,
                        headers=headers)


@dataclass(frozen=True)
class Caller:
    """The bearer token of a request. ``device(session)`` is the authoritative check: every endpoint calls it first
    in the transaction that does the request's work (one indexed read there, not a transaction of its own)."""

    token: str

    def device(self, session: Session) -> int:
        return service.authorised_device(session, self.token)


ANONYMOUS = Caller("")
SEEN_LIMIT = 100_000  # token hashes one worker remembers as seen valid (a region's counters, with room)


class Hub:
    """Holds the store and the file store — and nothing a second worker process would rely on.

    A device is checked on every request, in the request's own transaction (``Caller.device``), never from a
    cache: a device disabled by ``device disable`` is refused on its very next request, by every worker process
    alike. ``seen`` (hashes of tokens this worker found valid before) only decides whether a request's body is
    worth reading first: an unknown token is looked up — and refused with 401 — before its body is read, a known
    one is read and then checked in the transaction. Writes to one upload are serialised by the database (a row
    lock on PostgreSQL, the write lock on SQLite; see ``service.write_chunk``), not by a lock in this process, so
    any worker may take any chunk.
    """

    def __init__(self, store: Store, files: FileStore) -> None:
        self.store = store
        self.files = files
        self.seen: set[str] = set()

    def _lookup(self, token: str) -> tuple[int, str] | None:
        with self.store.read() as session:
            return service.device_for_token(session, token)

    async def authenticate(self, request: Request) -> Caller:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise HubProblem(401, "unauthenticated", "缺少设备令牌（Authorization: Bearer …）",
                             headers={"WWW-Authenticate": "Bearer"})
        digest = service.token_hash(token)
        if digest not in self.seen:
            if await run_in_threadpool(self._lookup, token) is None:
                raise service.unknown_device()
            if len(self.seen) >= SEEN_LIMIT:
                self.seen.clear()
            self.seen.add(digest)
        return Caller(token)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and parse_uint(declared, name="Content-Length", code="bad_length") > limit:
        raise HubProblem(413, "too_large", f"请求体过大：{declared} 字节，上限 {limit} 字节")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HubProblem(413, "too_large", f"请求体过大，上限 {limit} 字节")
        chunks.append(chunk)
    return b"".join(chunks)


def known_upload_id(request: Request) -> str:
    """The upload id in the path, refused as unknown (404) unless it has the form the hub hands out."""
    upload_id = str(request.path_params["upload_id"])
    if not UPLOAD_ID_RE.fullmatch(upload_id):
        raise HubProblem(404, "no_upload", "上传不存在或已失效，请重新上传该文件")
    return upload_id


def endpoint(hub: Hub, *, tus: bool = False,
             anonymous: bool = False) -> Callable[[Callable[..., Awaitable[Response]]], Endpoint]:
    """Authenticate (unless ``anonymous``: the enrolment exchange, whose code is the credential), then turn
    HubProblem / StoreError / client disconnects into clear answers."""

    def wrap(fn: Callable[..., Awaitable[Response]]) -> Endpoint:
        async def handler(request: Request) -> Response:
            try:
                if tus and request.method != "OPTIONS" and request.headers.get("tus-resumable") != TUS_VERSION:
                    raise HubProblem(412, "tus_version", "不支持的 tus 协议版本（需要 1.0.0）",
                                     headers={"Tus-Version": TUS_VERSION})
                caller = ANONYMOUS if anonymous else await hub.authenticate(request)
                return await fn(request, caller)
            except HubProblem as problem:
                return problem_response(problem, tus=tus)
            except StorageProblem as exc:
                return problem_response(HubProblem(503, "storage_unavailable", f"枢纽文件存储暂不可用：{exc.message}",
                                                   headers={"Retry-After": "10"}), tus=tus)
            except StoreError as exc:
                return problem_response(HubProblem(503, "store_unavailable", f"枢纽数据库暂不可用：{exc.message}",
                                                   headers={"Retry-After": "10"}), tus=tus)
            except ClientDisconnect:
                return Response(status_code=400)

        return handler

    return wrap


def build_app(store: Store, files: Path | FileStore, *,
              upload_quota: int = service.DEFAULT_UPLOAD_QUOTA) -> Starlette:
    """The hub's app on ``store``; scans go to ``files`` (a local directory, or any FileStore such as S3)."""
    files_dir = open_file_store(files)
    hub = Hub(store, files_dir)
    if isinstance(files_dir, LocalFileStore):
        private_dir(files_dir.root, tighten=True)  # uploaded scans: personal data, for the hub's account only

    def check(caller: Caller) -> int:
        with store.read() as session:
            return caller.device(session)

    @endpoint(hub)
    async def health(request: Request, caller: Caller) -> Response:
        device_id = await run_in_threadpool(check, caller)
        return JSONResponse({"status": "ok", "device_id": device_id, "tus": TUS_VERSION,
                             "content_encoding": list(encoding.SUPPORTED)})

    @endpoint(hub, tus=True)
    async def tus_options(request: Request, caller: Caller) -> Response:
        await run_in_threadpool(check, caller)
        return Response(status_code=204, headers={
            **TUS_HEADERS, "Tus-Version": TUS_VERSION, "Tus-Extension": "creation,creation-with-upload,checksum",
            "Tus-Checksum-Algorithm": "sha1", "Tus-Max-Size": str(service.MAX_UPLOAD_BYTES)})

    @endpoint(hub, tus=True)
    async def tus_create(request: Request, caller: Caller) -> Response:
        length = parse_uint(request.headers.get("upload-length"), name="Upload-Length", code="bad_length")
        meta = service.parse_upload_metadata(request.headers.get("upload-metadata", ""))
        # creation-with-upload: the first bytes ride in the creation request (one round trip less per file on a
        # 600 ms link), and are stored in the same transaction as the upload's row. They are checked before
        # anything is created, so a bad checksum leaves no upload behind.
        with_upload = request.headers.get("content-type", "") == "application/offset+octet-stream"
        data = await read_body(request, service.MAX_CHUNK_BYTES) if with_upload else b""
        checksum = request.headers.get("upload-checksum")

        def create() -> tuple[str, int]:
            with store.write() as session:
                device_id = caller.device(session)
                if with_upload:
                    service.verify_chunk_checksum(checksum, data)
                return service.create_upload(session, files_dir, device_id=device_id, length=length, meta=meta,
                                             quota=upload_quota, data=data)

        upload_id, offset = await run_in_threadpool(create)
        return Response(status_code=201, headers={**TUS_HEADERS, "Location": f"/files/{upload_id}",
                                                  "Upload-Offset": str(offset)})

    @endpoint(hub, tus=True)
    async def tus_head(request: Request, caller: Caller) -> Response:
        upload_id = known_upload_id(request)

        def look() -> service.UploadView:
            with store.read() as session:
                return service.get_upload(session, upload_id, caller.device(session))

        view = await run_in_threadpool(look)
        return Response(status_code=200, headers={**TUS_HEADERS, "Upload-Offset": str(view.offset),
                                                  "Upload-Length": str(view.length), "Cache-Control": "no-store"})

    @endpoint(hub, tus=True)
    async def tus_patch(request: Request, caller: Caller) -> Response:
        upload_id = known_upload_id(request)
        if request.headers.get("content-type", "") != "application/offset+octet-stream":
            raise HubProblem(415, "bad_content_type", "Content-Type 必须是 application/offset+octet-stream")
        offset = parse_uint(request.headers.get("upload-offset"), name="Upload-Offset", code="bad_offset")
        data = await read_body(request, service.MAX_CHUNK_BYTES)
        checksum = request.headers.get("upload-checksum")

        def write() -> int:
            with store.write() as session:
                device_id = caller.device(session)
                service.verify_chunk_checksum(checksum, data)
                return service.write_chunk(session, files_dir, upload_id=upload_id, device_id=device_id,
                                           offset=offset, data=data)

        new_offset = await run_in_threadpool(write)
        return Response(status_code=204, headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)})

    @endpoint(hub)
    async def post_cases(request: Request, caller: Caller) -> Response:
        raw = await read_body(request, MAX_JSON_BODY)
        content_encoding = request.headers.get("content-encoding")

        def receive() -> list[dict[str, Any]]:
            # One transaction for the whole batch (each item in its own savepoint): the device is checked, the
            # body decoded and every item taken, then one commit.
            with store.write() as session:
                device_id = caller.device(session)
                doc = parse_json(encoding.decode_body(raw, content_encoding, MAX_JSON_BODY))
                items = doc.get("items") if isinstance(doc, dict) else None
                if not isinstance(items, list) or not 1 <= len(items) <= service.MAX_BATCH_ITEMS:
                    raise HubProblem(422, "invalid_batch", f"items 应为 1～{service.MAX_BATCH_ITEMS} 个条目的列表")
                received = service.receive_items(session, device_id=device_id, items=items)
            service.drop_files(files_dir, received.doomed)
            return [result.to_json() for result in received.results]

        return JSONResponse({"results": await run_in_threadpool(receive)})

    @endpoint(hub)
    async def get_changes(request: Request, caller: Caller) -> Response:
        since = parse_uint(request.query_params.get("since"), name="since（同步游标）", code="bad_cursor", default=0)
        limit = parse_uint(request.query_params.get("limit"), name="limit", code="bad_limit", minimum=1,
                           maximum=1000, default=100)

        def read() -> dict[str, Any]:
            with store.read() as session:
                return service.changes_since(session, device_id=caller.device(session), since=since, limit=limit)

        return JSONResponse(await run_in_threadpool(read))

    @endpoint(hub, anonymous=True)
    async def post_enrol(request: Request, _caller: Caller) -> Response:
        doc = await run_in_threadpool(parse_json, await read_body(request, 4096))
        code = doc.get("code") if isinstance(doc, dict) else None
        name = doc.get("name", "") if isinstance(doc, dict) else ""
        if not isinstance(code, str) or not isinstance(name, str):
            raise HubProblem(422, "invalid_enrol", "请求应为 {\"code\": 注册码, \"name\": 设备名称}")

        def redeem() -> service.Enrolled:
            with store.write() as session:
                return service.redeem_enrolment(session, code, name)

        done = await run_in_threadpool(redeem)
        return JSONResponse({"name": done.name, "hall_code": done.hall_code, "token": done.token},
                            status_code=201, headers={"Cache-Control": "no-store"})

    routes = [
        Route("/v1/health", health, methods=["GET"]),
        Route("/v1/enrol", post_enrol, methods=["POST"]),
        Route("/files/", tus_options, methods=["OPTIONS"]),
        Route("/files/", tus_create, methods=["POST"]),
        Route("/files/{upload_id:str}", tus_head, methods=["HEAD"]),
        Route("/files/{upload_id:str}", tus_patch, methods=["PATCH"]),
        Route("/v1/cases", post_cases, methods=["POST"]),
        Route("/v1/changes", get_changes, methods=["GET"]),
    ]
    async def not_found(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "not_found", "message": f"没有这个接口：{request.method} {request.url.path}"},
                            status_code=getattr(exc, "status_code", 404))

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    app.state.hub = hub
    return app
