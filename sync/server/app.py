"""The hub's HTTP face (Starlette): health, tus 1.0 uploads, idempotent case batches, the change feed.

Every request carries ``Authorization: Bearer <device token>``. Errors are JSON ``{"error", "message"}`` with a
Chinese message. Database and file work runs in the thread pool so slow disks never block the event loop.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

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


class Hub:
    """Holds the store and the file store — and nothing a second worker process would not see.

    Tokens are looked up (by hash, one indexed read) on every request and never cached: a device disabled by
    ``device disable`` is refused on its very next request, by every worker process alike. Writes to one upload
    are serialised by the database (a row lock on PostgreSQL, the write lock on SQLite; see
    ``service.write_chunk``), not by a lock in this process, so any worker may take any chunk.
    """

    def __init__(self, store: Store, files: FileStore) -> None:
        self.store = store
        self.files = files

    def _lookup(self, token: str) -> tuple[int, str] | None:
        with self.store.read() as session:
            return service.device_for_token(session, token)

    async def authenticate(self, request: Request) -> int:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise HubProblem(401, "unauthenticated", "缺少设备令牌（Authorization: Bearer …）",
                             headers={"WWW-Authenticate": "Bearer"})
        found = await run_in_threadpool(self._lookup, token)
        if found is None:
            raise HubProblem(401, "unknown_device", "设备令牌无效或已停用，请联系管理员重新登记设备",
                             headers={"WWW-Authenticate": "Bearer"})
        return found[0]


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
                device_id = 0 if anonymous else await hub.authenticate(request)
                return await fn(request, device_id)
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

    @endpoint(hub)
    async def health(request: Request, device_id: int) -> Response:
        return JSONResponse({"status": "ok", "device_id": device_id, "tus": TUS_VERSION,
                             "content_encoding": list(encoding.SUPPORTED)})

    @endpoint(hub, tus=True)
    async def tus_options(request: Request, device_id: int) -> Response:
        return Response(status_code=204, headers={
            **TUS_HEADERS, "Tus-Version": TUS_VERSION, "Tus-Extension": "creation,creation-with-upload,checksum",
            "Tus-Checksum-Algorithm": "sha1", "Tus-Max-Size": str(service.MAX_UPLOAD_BYTES)})

    @endpoint(hub, tus=True)
    async def tus_create(request: Request, device_id: int) -> Response:
        length = parse_uint(request.headers.get("upload-length"), name="Upload-Length", code="bad_length")
        meta = service.parse_upload_metadata(request.headers.get("upload-metadata", ""))
        # creation-with-upload: the first bytes ride in the creation request (one round trip less per file on a
        # 600 ms link). They are checked before anything is created, so a bad checksum leaves no upload behind.
        data = b""
        if request.headers.get("content-type", "") == "application/offset+octet-stream":
            data = await read_body(request, service.MAX_CHUNK_BYTES)
            service.verify_chunk_checksum(request.headers.get("upload-checksum"), data)
            if len(data) > length:
                raise HubProblem(413, "beyond_length", "数据超出声明的文件长度")

        def create() -> str:
            with store.write() as session:
                return service.create_upload(session, files_dir, device_id=device_id, length=length, meta=meta,
                                             quota=upload_quota)

        upload_id = await run_in_threadpool(create)
        offset = 0
        if data:
            offset = await run_in_threadpool(
                lambda: service.write_chunk(store, files_dir, upload_id=upload_id, device_id=device_id,
                                            offset=0, data=data))
        return Response(status_code=201, headers={**TUS_HEADERS, "Location": f"/files/{upload_id}",
                                                  "Upload-Offset": str(offset)})

    @endpoint(hub, tus=True)
    async def tus_head(request: Request, device_id: int) -> Response:
        upload_id = known_upload_id(request)

        def look() -> service.UploadView:
            with store.read() as session:
                return service.get_upload(session, upload_id, device_id)

        view = await run_in_threadpool(look)
        return Response(status_code=200, headers={**TUS_HEADERS, "Upload-Offset": str(view.offset),
                                                  "Upload-Length": str(view.length), "Cache-Control": "no-store"})

    @endpoint(hub, tus=True)
    async def tus_patch(request: Request, device_id: int) -> Response:
        upload_id = known_upload_id(request)
        if request.headers.get("content-type", "") != "application/offset+octet-stream":
            raise HubProblem(415, "bad_content_type", "Content-Type 必须是 application/offset+octet-stream")
        offset = parse_uint(request.headers.get("upload-offset"), name="Upload-Offset", code="bad_offset")
        data = await read_body(request, service.MAX_CHUNK_BYTES)
        service.verify_chunk_checksum(request.headers.get("upload-checksum"), data)
        new_offset = await run_in_threadpool(
            lambda: service.write_chunk(store, files_dir, upload_id=upload_id, device_id=device_id,
                                        offset=offset, data=data))
        return Response(status_code=204, headers={**TUS_HEADERS, "Upload-Offset": str(new_offset)})

    @endpoint(hub)
    async def post_cases(request: Request, device_id: int) -> Response:
        body = encoding.decode_body(await read_body(request, MAX_JSON_BODY),
                                    request.headers.get("content-encoding"), MAX_JSON_BODY)
        doc = await run_in_threadpool(parse_json, body)
        items = doc.get("items") if isinstance(doc, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= service.MAX_BATCH_ITEMS:
            raise HubProblem(422, "invalid_batch", f"items 应为 1～{service.MAX_BATCH_ITEMS} 个条目的列表")

        def receive() -> list[dict[str, Any]]:
            return [service.receive_item(store, files_dir, device_id=device_id, item=item).to_json()
                    for item in items]

        return JSONResponse({"results": await run_in_threadpool(receive)})

    @endpoint(hub)
    async def get_changes(request: Request, device_id: int) -> Response:
        since = parse_uint(request.query_params.get("since"), name="since（同步游标）", code="bad_cursor", default=0)
        limit = parse_uint(request.query_params.get("limit"), name="limit", code="bad_limit", minimum=1,
                           maximum=1000, default=100)

        def read() -> dict[str, Any]:
            with store.read() as session:
                return service.changes_since(session, device_id=device_id, since=since, limit=limit)

        return JSONResponse(await run_in_threadpool(read))

    @endpoint(hub, anonymous=True)
    async def post_enrol(request: Request, _device_id: int) -> Response:
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
