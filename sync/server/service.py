"""What the hub does, independent of HTTP: devices, uploads, idempotent case intake, results, the change feed.

Every function takes a session (or store) and returns plain values; the Starlette app and the admin commands
both call these.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.canonical import canonical_sha256
from app.clock import system_now
from app.store.crypto import blind_index
from app.store.engine import Store
from app.vocabulary import DECISION_LABELS
from sync.server.filestore import FileStore, open_file_store
from sync.server.models import (
    AuditAnchor,
    Change,
    Device,
    Enrolment,
    HubCase,
    HubCaseFile,
    HubFalsePledge,
    HubPledgeCheck,
    HubRating,
    Operation,
    Upload,
)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_CHUNK_BYTES = 4 * 1024 * 1024
MAX_BATCH_ITEMS = 50
# Bytes a device may hold in uploads no received case names yet (in progress, or complete and waiting for their
# case): 10 scans of the largest size. Beyond it new uploads get 429 until its cases arrive or the sweep runs.
DEFAULT_UPLOAD_QUOTA = 2 * 1024 * 1024 * 1024
# Uploads no case names after this long are swept (a relay resumes within minutes; a week covers a long outage).
UPLOAD_RETENTION = dt.timedelta(days=7)
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class HubProblem(Exception):
    """An answer other than success: HTTP status, machine code, one Chinese line for people."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- devices ---------------------------------------------------------------------------------------------


HALL_CODE_RE = re.compile(r"[0-9A-Za-z]{1,12}")


def _hall_code(hall_code: str) -> str:
    hall_code = hall_code.strip()
    if hall_code and not HALL_CODE_RE.fullmatch(hall_code):
        raise HubProblem(422, "invalid_hall", f"大厅编码应为 1～12 位字母或数字，得到 {hall_code!r}")
    return hall_code


def add_device(session: Session, name: str, hall_code: str = "") -> str:
    """Register a device and return its token (shown once; only its hash is stored). ``hall_code`` binds it to
    its hall now; empty: the first case the hub accepts from it binds it."""
    name = name.strip()
    if not name or len(name) > 100:
        raise HubProblem(422, "invalid_name", "设备名称不能为空且不超过100字")
    if session.scalars(select(Device).where(Device.name == name)).one_or_none() is not None:
        raise HubProblem(409, "duplicate_device", f"设备名称已存在：{name}")
    token = secrets.token_urlsafe(32)
    session.add(Device(name=name, token_hash=token_hash(token), hall_code=_hall_code(hall_code)))
    session.flush()
    return token


_DEVICE_BY_TOKEN = select(Device.id, Device.name).where(Device.token_hash == bindparam("token_hash"), Device.active)


def device_for_token(session: Session, token: str) -> tuple[int, str] | None:
    # On the connection (Core), not through the ORM: this runs on every request and the ORM's layer was most of
    # its cost.
    row = session.connection().execute(_DEVICE_BY_TOKEN, {"token_hash": token_hash(token)}).first()
    return None if row is None else (int(row[0]), str(row[1]))


def unknown_device() -> HubProblem:
    return HubProblem(401, "unknown_device", "设备令牌无效或已停用，请联系管理员重新登记设备",
                      headers={"WWW-Authenticate": "Bearer"})


def authorised_device(session: Session, token: str) -> int:
    """The active device holding ``token``, read in the caller's own transaction (the one that then does the
    request's work): a device disabled on the hub is refused on its very next request, by every worker, and
    checking it costs one indexed read instead of a transaction of its own."""
    found = device_for_token(session, token)
    if found is None:
        raise unknown_device()
    return found[0]


def _named_device(session: Session, name: str) -> Device:
    row = session.scalars(select(Device).where(Device.name == name)).one_or_none()
    if row is None:
        raise HubProblem(404, "no_device", f"没有名为 {name} 的设备")
    return row


def disable_device(session: Session, name: str) -> None:
    _named_device(session, name).active = False


def bind_device(session: Session, name: str, hall_code: str) -> None:
    """Bind (or move) a device to a hall: from its next request on, it may send cases of that hall only."""
    code = _hall_code(hall_code)
    if not code:
        raise HubProblem(422, "invalid_hall", "请给出设备所属大厅的编码（--hall）")
    _named_device(session, name).hall_code = code


def list_devices(session: Session) -> list[dict[str, Any]]:
    return [
        {"id": d.id, "name": d.name, "hall_code": d.hall_code, "active": d.active,
         "created_at": d.created_at.isoformat()}
        for d in session.scalars(select(Device).order_by(Device.id))
    ]


# --- enrolment ---------------------------------------------------------------------------------------------

# 20 characters of an alphabet without 0/O, 1/I/L (read aloud or typed from paper): ~99 bits, so guessing is
# hopeless even without a rate limit; shown as five groups of four.
ENROL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ENROL_LENGTH = 20
ENROL_VALID = dt.timedelta(hours=72)


def _enrol_hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch not in "- \t")
    return hashlib.sha256(f"enrol:{normal}".encode()).hexdigest()


def create_enrolment(session: Session, hall_code: str, *, name: str = "", valid: dt.timedelta = ENROL_VALID,
                     now: dt.datetime | None = None) -> str:
    """A one-time code for one counter of ``hall_code`` (the admin reads it to the counter's installer); only its
    hash is kept. ``name`` fixes the device's name, else the counter proposes one."""
    code = _hall_code(hall_code)
    if not code:
        raise HubProblem(422, "invalid_hall", "请给出该窗口所属大厅的编码（--hall）")
    name = name.strip()
    if len(name) > 100:
        raise HubProblem(422, "invalid_name", "设备名称不超过100字")
    if name and session.scalars(select(Device).where(Device.name == name)).one_or_none() is not None:
        raise HubProblem(409, "duplicate_device", f"设备名称已存在：{name}")
    if valid <= dt.timedelta(0):
        raise HubProblem(422, "invalid_validity", "注册码有效期应为正数")
    raw = "".join(secrets.choice(ENROL_ALPHABET) for _ in range(ENROL_LENGTH))
    now = now or system_now()
    session.add(Enrolment(code_hash=_enrol_hash(raw), hall_code=code, device_name=name, created_at=now,
                          expires_at=now + valid))
    return "-".join(raw[i:i + 4] for i in range(0, ENROL_LENGTH, 4))


@dataclass(frozen=True)
class Enrolled:
    name: str
    hall_code: str
    token: str


def redeem_enrolment(session: Session, code: str, name: str, *, now: dt.datetime | None = None) -> Enrolled:
    """Exchange a one-time code for a device token bound to the code's hall. The code's row is locked, so two
    counters presenting the same code at once (on two workers) get one token between them."""
    if not isinstance(code, str) or not 1 <= len(code) <= 64:
        raise HubProblem(403, "enrol_unknown", "注册码无效：请核对后重新输入，或向枢纽管理员申请新的注册码")
    row = session.get(Enrolment, _enrol_hash(code), with_for_update=True)
    now = now or system_now()
    if row is None:
        raise HubProblem(403, "enrol_unknown", "注册码无效：请核对后重新输入，或向枢纽管理员申请新的注册码")
    if row.used_at is not None:
        raise HubProblem(403, "enrol_used", "该注册码已使用过（每个注册码只能注册一台窗口电脑），请向枢纽管理员申请新的注册码")
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    if expires <= now:
        raise HubProblem(403, "enrol_expired", f"该注册码已于 {expires:%Y-%m-%d %H:%M} (UTC) 过期，请向枢纽管理员申请新的注册码")
    device_name = row.device_name or (name.strip() if isinstance(name, str) else "")
    if not device_name:
        raise HubProblem(422, "invalid_name", "请给出本窗口电脑的名称（如“四子王旗政务服务中心-3号窗口”）")
    token = add_device(session, device_name, row.hall_code)
    row.used_at = now
    row.device_id = session.scalars(select(Device.id).where(Device.name == device_name)).one()
    return Enrolled(device_name, row.hall_code, token)


def list_enrolments(session: Session) -> list[dict[str, Any]]:
    names = {int(i): str(n) for i, n in session.execute(select(Device.id, Device.name))}
    return [{"hall_code": e.hall_code, "device_name": e.device_name, "created_at": e.created_at.isoformat(),
             "expires_at": e.expires_at.isoformat(), "used_at": e.used_at.isoformat() if e.used_at else "",
             "device": names.get(e.device_id or 0, "")}
            for e in session.scalars(select(Enrolment).order_by(Enrolment.created_at))]


# --- tus uploads -----------------------------------------------------------------------------------------


def parse_upload_metadata(header: str) -> dict[str, str]:
    """``key base64value,key2 base64value2`` (tus 1.0 Upload-Metadata)."""
    meta: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = part.partition(" ")
        if not key or key in meta:
            raise HubProblem(400, "bad_metadata", f"Upload-Metadata 格式错误：键 {key!r} 为空或重复")
        try:
            meta[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (ValueError, UnicodeDecodeError):  # binascii.Error, or a non-ASCII character in the value
            raise HubProblem(400, "bad_metadata", f"Upload-Metadata 中 {key} 的值不是有效的 Base64") from None
    return meta


Files = Path | FileStore  # a local directory (the default back end) or any FileStore


def _unattached(device_id: int | None = None) -> Any:
    """Uploads no received case names (their bytes are not yet, or never will be, part of a case)."""
    query = select(Upload).where(Upload.attached.is_(False),
                                 ~select(HubCaseFile.upload_id).where(HubCaseFile.upload_id == Upload.id).exists())
    return query if device_id is None else query.where(Upload.device_id == device_id)


# Built once: the quota is checked on every upload, and building the statement cost more than running it. It reads
# the device's uploads still waiting for a case (ix_hub_upload_pending), not every upload it ever sent.
_PENDING_BYTES = select(func.coalesce(func.sum(Upload.length), 0)).where(
    Upload.device_id == bindparam("device_id"), Upload.attached.is_(False))


def pending_upload_bytes(session: Session, device_id: int) -> int:
    return int(session.connection().execute(_PENDING_BYTES, {"device_id": device_id}).scalar() or 0)


def create_upload(session: Session, files_dir: Files, *, device_id: int, length: int, meta: dict[str, str],
                  quota: int = DEFAULT_UPLOAD_QUOTA, data: bytes = b"") -> tuple[str, int]:
    """A new upload of ``length`` bytes; ``data``: its first bytes (tus creation-with-upload, checksum already
    verified), stored in the same transaction as the row — one commit per small scan, not two. Returns the
    upload id and its offset. Should storing the bytes fail, nothing is committed (the empty file left behind
    has no row, and the sweep removes it)."""
    if length < 0:
        raise HubProblem(400, "bad_length", "Upload-Length 必须是非负整数")
    if length > MAX_UPLOAD_BYTES:
        raise HubProblem(413, "too_large", f"文件过大：{length} 字节，上限 {MAX_UPLOAD_BYTES} 字节")
    pending = pending_upload_bytes(session, device_id)
    if pending + length > quota:
        raise HubProblem(429, "upload_quota",
                         f"本设备尚未归入办件的上传已达 {pending // (1024 * 1024)} MB（上限 {quota // (1024 * 1024)} MB），"
                         "请先让已上传文件的办件送达枢纽，稍后自动重试", headers={"Retry-After": "600"})
    if len(data) > length:
        raise HubProblem(413, "beyond_length", "数据超出声明的文件长度")
    files = open_file_store(files_dir)
    upload_id = uuid.uuid4().hex
    row = Upload(id=upload_id, device_id=device_id, length=length, meta=meta,
                 attachment_id=meta.get("attachment_id", "")[:36], offset=0,
                 storage=files.create(upload_id))
    if length == 0:
        row.sha256 = hashlib.sha256(b"").hexdigest()
        row.completed_at = system_now()
    session.add(row)
    if data:
        _store_chunk(files, row, 0, data)
    return upload_id, row.offset


@dataclass(frozen=True)
class UploadView:
    id: str
    length: int
    offset: int


def get_upload(session: Session, upload_id: str, device_id: int) -> UploadView:
    row = session.get(Upload, upload_id)
    if row is None or row.device_id != device_id:
        raise HubProblem(404, "no_upload", "上传不存在或已失效，请重新上传该文件")
    return UploadView(row.id, row.length, row.offset)


def verify_chunk_checksum(header: str | None, data: bytes) -> None:
    if not header:
        return
    algo, _, value = header.strip().partition(" ")
    if algo.lower() != "sha1":
        raise HubProblem(400, "bad_checksum_algorithm", f"不支持的校验算法：{algo}（支持 sha1）")
    try:
        expected = base64.b64decode(value.strip(), validate=True)
    except ValueError:  # binascii.Error, or a non-ASCII character in the value
        raise HubProblem(400, "bad_checksum", "Upload-Checksum 的值不是有效的 Base64") from None
    if hashlib.sha1(data).digest() != expected:
        raise HubProblem(460, "checksum_mismatch", "数据块校验失败（传输中损坏），请重发该数据块")


def write_chunk(session: Session, files_dir: Files, *, upload_id: str, device_id: int, offset: int,
                data: bytes) -> int:
    """Append ``data`` at ``offset`` (which must be the committed offset); returns the new offset.

    The caller's transaction holds the upload's row lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN
    IMMEDIATE`` write lock) while the bytes are written, so two requests for the same upload — in two worker
    processes, or two hosts — never write the file at once: the second waits, then sees the new offset and gets
    409. The bytes are durable (fsynced, or stored by the object storage) before the offset is committed, with the
    back end's state (``storage``) in the same commit; anything past the committed offset (a chunk cut off by a
    crash, or a commit that failed) is overwritten on the next write, so stored bytes and offset never disagree.
    """
    row = session.get(Upload, upload_id, with_for_update=True)
    if row is None or row.device_id != device_id:
        raise HubProblem(404, "no_upload", "上传不存在或已失效，请重新上传该文件")
    if offset != row.offset:
        raise HubProblem(409, "offset_mismatch", f"偏移量不一致：服务器为 {row.offset}，请求为 {offset}",
                         headers={"Upload-Offset": str(row.offset)})
    if offset + len(data) > row.length:
        raise HubProblem(413, "beyond_length", "数据超出声明的文件长度")
    _store_chunk(open_file_store(files_dir), row, offset, data)
    return row.offset


def _store_chunk(files: FileStore, row: Upload, offset: int, data: bytes) -> None:
    """Write the bytes (durable when this returns), then move the row's offset and state; the caller commits."""
    row.storage = files.write(row.id, offset=offset, data=data, length=row.length, state=dict(row.storage or {}))
    row.offset = offset + len(data)
    if row.offset == row.length:
        row.sha256 = files.sha256(row.id, row.length)  # read back: what the storage holds
        row.completed_at = system_now()


@dataclass(frozen=True)
class UploadSweep:
    rows: int  # upload rows (and their files) removed: no case names them, older than the retention
    stray_files: int  # files under uploads/ with no row at all (a crash between the file and its row)
    freed_bytes: int

    def to_json(self) -> dict[str, int]:
        return {"rows": self.rows, "stray_files": self.stray_files, "freed_bytes": self.freed_bytes}


def sweep_uploads(store: Store, files_dir: Files, *, older_than: dt.timedelta = UPLOAD_RETENTION,
                  now: dt.datetime | None = None) -> UploadSweep:
    """Remove uploads that no received case names and that were created before ``now - older_than``: the
    re-uploads after a checksum mismatch, the cut creation-with-upload requests, files of cases never sent.
    A file a case names is never touched. The rows go first (committed), then the files."""
    files = open_file_store(files_dir)
    cutoff = (now or system_now()) - older_than
    with store.write() as session:
        doomed = list(session.scalars(_unattached().where(Upload.created_at < cutoff)))
        states = {u.id: dict(u.storage or {}) for u in doomed}
        freed = sum(u.offset for u in doomed)
        for upload in doomed:
            session.delete(upload)
    for upload_id, state in states.items():
        files.delete(upload_id, state)
    stray = 0
    objects = files.objects()
    if objects:
        with store.read() as session:
            known = set(session.scalars(select(Upload.id)))
        for obj in objects:
            if obj.upload_id not in known and obj.modified < cutoff:
                freed += obj.size
                files.delete(obj.upload_id, {})
                stray += 1
    return UploadSweep(len(states), stray, freed)


# --- cases -----------------------------------------------------------------------------------------------


@dataclass
class ItemResult:
    op_id: str
    case_id: str
    status: int  # 201 created, 200 replay, 422 rejected (final), 424/409 retry later
    outcome: str  # accepted | replay | rejected | retry
    message: str = ""
    error: str = ""
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op_id": self.op_id, "case_id": self.case_id, "status": self.status,
                               "outcome": self.outcome}
        if self.message:
            out["message"] = self.message
        if self.error:
            out["error"] = self.error
        if self.missing:
            out["missing"] = self.missing
        return out


def _reject(op_id: str, case_id: str, code: str, message: str) -> ItemResult:
    return ItemResult(op_id, case_id, 422, "rejected", message, code)


def _foreign(op_id: str, case_id: str) -> ItemResult:
    """The one answer to an op id or case id that belongs to another device: it says nothing about that device's
    item (no state, no stored answer). A real client never meets it: its ids are random UUIDs."""
    return _reject(op_id, case_id, "id_unavailable", "该编号不可用，请以新的办件编号和幂等键重新提交")


def _text(obj: dict[str, Any], key: str, where: str, *, max_len: int, required: bool = True) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_len:
        raise HubProblem(422, "invalid_field", f"{where}{key} 缺失或无效（应为不超过{max_len}字的文本）")
    return value


def validate_case_payload(case_id: str, payload: Any) -> list[dict[str, Any]]:
    """Check the fields the hub relies on; returns the attachment list. Raises HubProblem(422)."""
    if not isinstance(payload, dict):
        raise HubProblem(422, "invalid_payload", "payload 应为对象")
    if payload.get("id") != case_id:
        raise HubProblem(422, "invalid_field", "payload.id 与 case_id 不一致")
    _text(payload, "case_no", "payload.", max_len=32)
    _text(payload, "hall_code", "payload.", max_len=12)
    _text(payload, "matter_code", "payload.", max_len=40)
    attachments = payload.get("attachments", [])
    if not isinstance(attachments, list):
        raise HubProblem(422, "invalid_field", "payload.attachments 应为列表")
    for i, att in enumerate(attachments):
        where = f"payload.attachments[{i}]."
        if not isinstance(att, dict):
            raise HubProblem(422, "invalid_field", f"{where[:-1]} 应为对象")
        _text(att, "id", where, max_len=36)
        _text(att, "filename", where, max_len=200)
        if not isinstance(att.get("sha256"), str) or not SHA256_RE.match(att["sha256"]):
            raise HubProblem(422, "invalid_field", f"{where}sha256 应为64位小写十六进制")
        size = att.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0 or size > MAX_UPLOAD_BYTES:
            raise HubProblem(422, "invalid_field", f"{where}size 应为不超过上限的非负整数")
    return attachments


# What a counter's outbox sends: cases and their transitions (核查 findings and false-pledge listings ride in
# ``case.update`` events), 好差评 ratings, audit anchors. Other kinds (帮办代办 help records …) have their own.
ITEM_KINDS = ("case.accept", "case.update", "audit.anchor", "rating", "help.record")


Doomed = list[tuple[str, dict[str, Any]]]  # uploads (id, storage state) whose rows a transaction dropped


@dataclass(frozen=True)
class Received:
    results: list[ItemResult]
    doomed: Doomed  # remove their files once the transaction commits (drop_files)


def receive_items(session: Session, *, device_id: int, items: list[Any]) -> Received:
    """Take a batch's items in the caller's one transaction — one commit (one WAL flush) per batch instead of
    one per item. Each item runs in its own savepoint, so one bad item never spoils the others: its changes are
    rolled back alone and it gets its own answer, exactly as if it had had a transaction of its own."""
    doomed: Doomed = []
    return Received([receive_item(session, device_id=device_id, item=item, doomed=doomed) for item in items], doomed)


def drop_files(files_dir: Files, doomed: Doomed) -> None:
    files = open_file_store(files_dir)
    for upload_id, state in doomed:
        files.delete(upload_id, state)


def receive_item(session: Session, *, device_id: int, item: Any, doomed: Doomed) -> ItemResult:
    """Take one batch item in a savepoint of ``session``'s transaction."""
    if not isinstance(item, dict):
        return _reject("", "", "invalid_item", "批次中的条目应为对象")
    op_id, case_id, kind = item.get("op_id"), item.get("case_id"), item.get("kind", "case.accept")
    if not isinstance(op_id, str) or not 8 <= len(op_id) <= 64:
        return _reject(str(op_id or ""), str(case_id or ""), "invalid_field", "op_id（幂等键）缺失或无效")
    if not isinstance(case_id, str) or not 8 <= len(case_id) <= 36:
        return _reject(op_id, str(case_id or ""), "invalid_field", "case_id 缺失或无效")
    if kind not in ITEM_KINDS:
        return _reject(op_id, case_id, "invalid_field", f"不支持的条目类型：{kind}")
    payload = item.get("payload")
    if kind == "help.record":  # 帮办代办 records (issue 18): their own table, sync.server.assist
        from sync.server.assist import receive_help

        return receive_help(session, device_id=device_id, op_id=op_id, case_id=case_id, payload=payload)
    if kind == "audit.anchor":
        return _anchor(session, device_id=device_id, op_id=op_id, payload=payload, case_id=case_id)
    digest = canonical_sha256(payload)
    for attempt in range(2):
        dropped: Doomed = []
        try:
            with session.begin_nested():
                result = _receive_once(session, device_id=device_id, op_id=op_id, case_id=case_id, kind=kind,
                                       payload=payload, digest=digest, doomed=dropped)
            doomed.extend(dropped)
            return result
        except HubProblem as problem:
            return _reject(op_id, case_id, problem.code, problem.message)
        except IntegrityError:
            # A concurrent request (another worker, the same item sent twice) inserted the same case id or key
            # first and has committed by now (the unique index made us wait for it). Taking the item again (the
            # savepoint is rolled back; the next statement sees that commit) finds that row and answers as a
            # replay; only a third party racing still gets "retry".
            if attempt:
                break
    return ItemResult(op_id, case_id, 409, "retry", "同一办件正在处理中，请稍后重试", "in_flight")


def _receive_once(session: Session, *, device_id: int, op_id: str, case_id: str, kind: str, payload: Any,
                  digest: str, doomed: Doomed) -> ItemResult:
    earlier = session.get(Operation, op_id)
    if earlier is not None and earlier.device_id != device_id:
        # Another device's key: answered exactly as a foreign case id (below), never with its stored
        # answer, so a device cannot probe what others sent.
        return _foreign(op_id, case_id)
    if earlier is not None:
        if earlier.sha256 != digest or earlier.case_id != case_id:
            return _reject(op_id, case_id, "key_reused", "幂等键已用于不同的内容")
        answer = dict(earlier.response)
        answer.update(status=200, outcome="replay")
        return ItemResult(**answer)
    if kind == "rating":
        result = _rating(session, device_id=device_id, op_id=op_id, case_id=case_id, payload=payload)
    elif kind == "case.accept":
        result = _accept(session, device_id=device_id, op_id=op_id, case_id=case_id,
                         payload=payload, digest=digest, doomed=doomed)
    else:
        result = _update(session, device_id=device_id, op_id=op_id, case_id=case_id, payload=payload)
    if result.outcome in ("accepted", "replay"):
        session.add(Operation(op_id=op_id, kind=kind, case_id=case_id, device_id=device_id,
                              sha256=digest, response=result.to_json()))
    return result


def _anchor(session: Session, *, device_id: int, op_id: str, payload: Any, case_id: str) -> ItemResult:
    """Keep a counter's audit-chain head (idempotent by op id; another device's op id is unknown here)."""
    head = payload.get("head") if isinstance(payload, dict) else None
    count = payload.get("count") if isinstance(payload, dict) else None
    at = payload.get("at", "") if isinstance(payload, dict) else ""
    if (not isinstance(head, str) or not (head == "" or SHA256_RE.match(head)) or not isinstance(count, int)
            or isinstance(count, bool) or not 0 <= count < 2**62 or not isinstance(at, str) or len(at) > 40):
        return _reject(op_id, case_id, "invalid_payload", "审计锚点应含 head（64位十六进制）、count（非负整数）与 at")
    try:
        with session.begin_nested():
            return _keep_anchor(session, device_id=device_id, op_id=op_id, case_id=case_id, head=head,
                                count=count, at=at)
    except IntegrityError:  # the same op id from a concurrent request: the retry gets the replay
        return ItemResult(op_id, case_id, 409, "retry", "同一锚点正在处理中，请稍后重试", "in_flight")


def _keep_anchor(session: Session, *, device_id: int, op_id: str, case_id: str, head: str, count: int,
                 at: str) -> ItemResult:
    earlier = session.get(AuditAnchor, op_id)
    if earlier is not None and earlier.device_id != device_id:
        return _foreign(op_id, case_id)
    if earlier is not None:
        if (earlier.head, earlier.count) != (head, count):
            return _reject(op_id, case_id, "key_reused", "幂等键已用于不同的内容")
        return ItemResult(op_id, case_id, 200, "replay", "审计锚点已记录")
    session.add(AuditAnchor(op_id=op_id, device_id=device_id, count=count, head=head, anchored_at=at))
    session.flush()
    return ItemResult(op_id, case_id, 201, "accepted", "审计锚点已记录")


def list_anchors(session: Session, device_name: str | None = None) -> list[dict[str, Any]]:
    names = {int(i): str(n) for i, n in session.execute(select(Device.id, Device.name))}
    query = select(AuditAnchor).order_by(AuditAnchor.device_id, AuditAnchor.count)
    if device_name is not None:
        query = query.where(AuditAnchor.device_id == _named_device(session, device_name).id)
    return [{"device": names.get(a.device_id, str(a.device_id)), "count": a.count, "head": a.head,
             "at": a.anchored_at, "received_at": a.received_at.isoformat()} for a in session.scalars(query)]


def _accept(session: Session, *, device_id: int, op_id: str, case_id: str,
            payload: Any, digest: str, doomed: Doomed) -> ItemResult:
    attachments = validate_case_payload(case_id, payload)
    device = session.get(Device, device_id)
    assert device is not None  # authenticated just now; devices are disabled, never deleted
    if not device.hall_code:
        # Not bound yet: lock the device row, so two workers taking its first cases of two halls at once cannot
        # both bind it (the second waits, then sees the first one's hall).
        device = session.get(Device, device_id, with_for_update=True, populate_existing=True)
        assert device is not None
    if device.hall_code and payload["hall_code"] != device.hall_code:
        return ItemResult(op_id, case_id, 403, "rejected",
                          f"本设备登记在大厅 {device.hall_code}，不能提交大厅 {payload['hall_code']} 的办件；"
                          "设备换了大厅请联系枢纽管理员执行 device bind", "wrong_hall")
    existing = session.get(HubCase, case_id)
    if existing is not None and existing.device_id != device_id:
        return _foreign(op_id, case_id)
    if existing is not None:
        if existing.sha256 != digest:
            return _reject(op_id, case_id, "case_conflict", "该办件已由枢纽接收，且内容与本次不同")
        return ItemResult(op_id, case_id, 200, "replay", "办件已接收")
    missing: list[str] = []
    files: list[HubCaseFile] = []
    for att in attachments:
        upload = session.scalars(
            select(Upload).where(Upload.attachment_id == att["id"], Upload.device_id == device_id,
                                 Upload.completed_at.is_not(None)).order_by(Upload.created_at.desc())
        ).first()
        if upload is None or upload.sha256 != att["sha256"] or upload.length != att["size"]:
            if upload is not None:
                # Complete but not the declared bytes: drop it so the client's HEAD gets 404 and re-uploads.
                doomed.append((upload.id, dict(upload.storage or {})))
                session.delete(upload)
            missing.append(att["id"])
            continue
        upload.attached = True
        files.append(HubCaseFile(attachment_id=att["id"], case_id=case_id, upload_id=upload.id,
                                 material_key=str(att.get("material_key", ""))[:60],
                                 filename=att["filename"], sha256=att["sha256"], size=att["size"],
                                 mime=str(att.get("mime", ""))[:60]))
    if missing:
        return ItemResult(op_id, case_id, 424, "retry", f"有 {len(missing)} 个附件尚未完整上传或校验不符",
                          "files_incomplete", missing)
    applicant = payload.get("applicant") if isinstance(payload.get("applicant"), dict) else {}
    bundle = payload.get("bundle") if isinstance(payload.get("bundle"), dict) else {}
    session.add(HubCase(id=case_id, case_no=payload["case_no"], op_id=op_id, device_id=device_id,
                        hall_code=payload["hall_code"], matter_code=payload["matter_code"],
                        matter_name=str(payload.get("matter_name", ""))[:200],
                        applicant_name=str(applicant.get("name", ""))[:200], payload=payload, sha256=digest,
                        state=str(payload.get("state", "accepted"))[:24],
                        bundle_id=str(bundle.get("id", "") or "")[:36]))
    session.add_all(files)
    if not device.hall_code:
        device.hall_code = payload["hall_code"]  # trust on first use: bound to the hall of its first case
    # No flush here: the item's savepoint flushes these rows with its Operation row (one flush per item), and a
    # unique key another request took first surfaces there as the IntegrityError receive_item answers.
    return ItemResult(op_id, case_id, 201, "accepted", "办件已接收")


def _wrong_hall(op_id: str, case_id: str, device: Device, hall_code: str, what: str) -> ItemResult:
    return ItemResult(op_id, case_id, 403, "rejected",
                      f"本设备登记在大厅 {device.hall_code}，不能提交大厅 {hall_code} 的{what}；"
                      "设备换了大厅请联系枢纽管理员执行 device bind", "wrong_hall")


def _score(payload: dict[str, Any], key: str) -> int:
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise HubProblem(422, "invalid_field", f"payload.{key} 应为 1～5 的整数")
    return value


def _day(payload: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = payload.get(key)
    if value is None and not required:
        return ""
    try:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise HubProblem(422, "invalid_field", f"payload.{key} 应为 YYYY-MM-DD 日期")


def _rating(session: Session, *, device_id: int, op_id: str, case_id: str, payload: Any) -> ItemResult:
    """Keep a 好差评 rating (once: the Operation row of its op id makes a re-send a replay). A case's rating
    needs its case at the hub first (it is keyed by the case, and the relay sends the case before it)."""
    if not isinstance(payload, dict):
        raise HubProblem(422, "invalid_payload", "payload 应为对象")
    hall_code = _text(payload, "hall_code", "payload.", max_len=12)
    rated_case = _text(payload, "case_id", "payload.", max_len=36, required=False)
    window = payload.get("window")
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window < 10000:
        raise HubProblem(422, "invalid_field", "payload.window 应为窗口号（非负整数）")
    scores = {k: _score(payload, k) for k in ("level", "overall", "efficiency", "service", "attitude")}
    device = session.get(Device, device_id)
    assert device is not None
    if device.hall_code and hall_code != device.hall_code:
        return _wrong_hall(op_id, case_id, device, hall_code, "评价")
    if rated_case:
        if rated_case != case_id:
            raise HubProblem(422, "invalid_payload", "payload.case_id 与 case_id 不一致")
        case = session.get(HubCase, case_id)
        if case is None or case.device_id != device_id:
            return ItemResult(op_id, case_id, 424, "retry", "被评价的办件尚未送达枢纽，稍后重试", "case_unknown")
    session.add(HubRating(
        op_id=op_id, device_id=device_id, hall_code=hall_code, case_id=rated_case,
        case_no=_text(payload, "case_no", "payload.", max_len=32, required=False),
        ticket_code=_text(payload, "ticket_code", "payload.", max_len=20, required=False),
        window_number=window, comment=_text(payload, "comment", "payload.", max_len=500, required=False),
        day=_day(payload, "day"), rated_at=_text(payload, "at", "payload.", max_len=40, required=False),
        follow_up_due=_day(payload, "follow_up_due", required=False), **scores))
    return ItemResult(op_id, case_id, 201, "accepted", "评价已接收")


def _keep_check(session: Session, case: HubCase, *, op_id: str, detail: dict[str, Any]) -> None:
    """A 核查 finding (``check_result``): one row per case and material, the later finding winning."""
    check = detail.get("check")
    if not isinstance(check, dict) or check.get("state") not in ("true", "false"):
        return
    key = str(check.get("material_key", ""))[:60]
    row = session.get(HubPledgeCheck, (case.id, key))
    if row is None:
        row = HubPledgeCheck(case_id=case.id, material_key=key)
        session.add(row)
    row.device_id, row.hall_code, row.case_no, row.op_id = case.device_id, case.hall_code, case.case_no, op_id
    row.material_name = str(check.get("material_name", ""))[:200]
    row.method, row.due = str(check.get("method", ""))[:12], str(check.get("due", ""))[:10]
    row.state, row.day = str(check["state"]), str(detail.get("day", ""))[:10]


def _keep_listing(session: Session, case: HubCase, *, op_id: str, listing: dict[str, Any]) -> None:
    """An applicant put on the false-pledge list by this case's revocation (one row per number and case)."""
    number = str(listing.get("id_no", ""))[:32]
    row = session.get(HubFalsePledge, (blind_index(session, number), case.case_no))
    if row is None:
        row = HubFalsePledge(id_no=number, case_no=case.case_no)
        session.add(row)
    row.id_kind, row.hall_code, row.device_id, row.op_id = (str(listing.get("id_kind", ""))[:20], case.hall_code,
                                                            case.device_id, op_id)
    row.reason, row.listed_on = str(listing.get("reason", ""))[:200], str(listing.get("listed_on", ""))[:10]
    row.until = str(listing.get("until") or "")[:10]


def _event_time(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else system_now()
    except ValueError:
        return system_now()


def _update(session: Session, *, device_id: int, op_id: str, case_id: str, payload: Any) -> ItemResult:
    if not isinstance(payload, dict) or payload.get("case_id") != case_id:
        raise HubProblem(422, "invalid_payload", "payload.case_id 与 case_id 不一致")
    state = _text(payload, "state", "payload.", max_len=24)
    case = session.get(HubCase, case_id)
    if case is None or case.device_id != device_id:  # another device's case is unknown to this one
        return ItemResult(op_id, case_id, 424, "retry", "办件尚未送达枢纽，稍后重试", "case_unknown")
    case.state = state
    event: dict[str, Any] = payload["event"] if isinstance(payload.get("event"), dict) else {}
    detail: dict[str, Any] = event["detail"] if isinstance(event.get("detail"), dict) else {}
    decision = detail.get("decision")
    if (event.get("kind") in ("correction", "deemed_accept") and isinstance(decision, str)
            and decision in DECISION_LABELS):
        # 补正 completed at the counter (or §32's five days passed with no notice: accepted as of receipt): the
        # case the hub counts is now accepted, with its deadlines.
        case.payload = {**(case.payload or {}), "decision": detail["decision"], "state": state,
                        **{k: detail.get(k) for k in ("promised_due", "legal_due", "supplement_due")}}
    if event.get("kind") == "approve" and detail.get("instant") and not case.result:
        # 即办件 decided at the window (app.cases.instant): the hub records the window's result as its own.
        case.result, case.result_note = "approved", str(detail.get("note", ""))[:200]
        case.result_at = _event_time(event.get("at"))
    if event.get("kind") == "check_result":
        _keep_check(session, case, op_id=op_id, detail=detail)
    listing = detail.get("listing")
    if isinstance(listing, dict) and listing.get("id_no"):
        # A false pledge found at one hall bars the applicant at every hall: the list syncs both ways.
        _keep_listing(session, case, op_id=op_id, listing=listing)
        publish(session, "excluded", {"upsert": [listing], "remove": []})
    return ItemResult(op_id, case_id, 201, "accepted", "状态已更新")


# --- results and the change feed -------------------------------------------------------------------------


def publish(session: Session, kind: str, data: dict[str, Any], *, device_id: int | None = None) -> int:
    """Append a change. On PostgreSQL an advisory lock serialises writers so ``seq`` grows in commit order
    (a reader can never skip a smaller seq that commits later). SQLite writers are serial already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727003)"))
    row = Change(kind=kind, device_id=device_id, data=data)
    session.add(row)
    session.flush()
    return row.seq


def set_result(session: Session, case_no: str, result: str, note: str = "", *, at: dt.datetime | None = None) -> bool:
    """Record the back office's decision and publish it to the device that sent the case. Returns False when
    the case already had exactly this result (nothing new is published)."""
    if result not in ("approved", "refused"):
        raise HubProblem(422, "invalid_result", f"审批结果应为 approved 或 refused，得到 {result!r}")
    case = _one_case(session, case_no)
    if case.result == result and case.result_note == note:
        return False
    at = at or system_now()
    case.result, case.result_note, case.result_at, case.state = result, note, at, result
    publish(session, "case.result", {"case_id": case.id, "case_no": case.case_no, "result": result,
                                     "note": note, "at": at.isoformat()}, device_id=case.device_id)
    return True


# The counter states in which the back office may still send a case back for 补正 (its deadline runs).
RETURNABLE_STATES = frozenset({"accepted", "forwarded", "awaiting_supplement"})


def _one_case(session: Session, case_no: str) -> HubCase:
    rows = list(session.scalars(select(HubCase).where(HubCase.case_no == case_no)))
    if not rows:
        raise HubProblem(404, "no_case", f"枢纽上没有受理编号为 {case_no} 的办件")
    if len(rows) > 1:
        raise HubProblem(409, "ambiguous_case", f"受理编号 {case_no} 对应多个办件，请联系管理员")
    return rows[0]


def return_case(session: Session, case_no: str, items: list[str], note: str = "", *, day: dt.date,
                at: dt.datetime | None = None) -> int:
    """The back office sends a case back for 补正 (once per case): published as ``case.return`` to the device
    that sent it, whose counter stops the clock from ``day`` (the hall day) and puts the case on its worklist.
    Returns the change's seq."""
    items = [" ".join(i.split()) for i in items if i and i.strip()]
    note = " ".join(note.split())
    if not items and not note:
        raise HubProblem(422, "nothing_to_correct", "请写明需要补正的材料（--item）或补正意见（--note）")
    case = _one_case(session, case_no)
    earlier = [c for c in session.scalars(select(Change).where(Change.kind == "case.return",
                                                               Change.device_id == case.device_id))
               if (c.data or {}).get("case_id") == case.id]
    if earlier:
        raise HubProblem(409, "already_returned",
                         f"办件 {case_no} 已于 {earlier[0].created_at:%Y-%m-%d} 退回补正过一次，同一办件只能退回补正一次"
                         "（行政许可法第三十二条：一次性告知）")
    if case.state not in RETURNABLE_STATES or case.result:
        raise HubProblem(409, "not_returnable", f"办件 {case_no} 当前状态为“{case.state}”，已办结或未在办理中，"
                                                "不能退回补正")
    at = at or system_now()
    return publish(session, "case.return", {"case_id": case.id, "case_no": case.case_no, "items": items,
                                            "note": note, "at": at.isoformat(), "day": day.isoformat()},
                   device_id=case.device_id)


def accept_collected(session: Session, case_no: str, *, day: dt.date, at: dt.datetime | None = None) -> bool:
    """The deciding office 受理 a case a 苏木乡镇/嘎查村 point collected (代收): published to that device, whose
    case then counts its deadlines from ``day``. False when it was already accepted (nothing new published)."""
    case = _one_case(session, case_no)
    if case.state != "collected":
        if (case.payload or {}).get("state") == "collected":
            return False  # accepted before: the state moved on
        raise HubProblem(409, "not_collected", f"办件 {case_no} 不是代收待受理的办件（当前状态 {case.state}）")
    at = at or system_now()
    office = str((case.payload or {}).get("department", ""))
    case.state = "accepted"
    publish(session, "case.office_accept", {"case_id": case.id, "case_no": case.case_no, "day": day.isoformat(),
                                            "office": office, "at": at.isoformat()}, device_id=case.device_id)
    return True


def changes_since(session: Session, *, device_id: int, since: int, limit: int) -> dict[str, Any]:
    head = session.scalar(select(func.max(Change.seq))) or 0
    if since > head:
        raise HubProblem(410, "cursor_gone", "同步游标超出枢纽记录（枢纽数据可能已重建），请从头同步")
    rows = list(session.scalars(
        select(Change).where(Change.seq > since, (Change.device_id.is_(None)) | (Change.device_id == device_id))
        .order_by(Change.seq).limit(limit)
    ))
    cursor = rows[-1].seq if len(rows) == limit else head
    return {
        "changes": [{"seq": r.seq, "kind": r.kind, "data": r.data, "at": r.created_at.isoformat()} for r in rows],
        "cursor": str(cursor),
        "more": len(rows) == limit,
    }


def list_cases(session: Session, files_dir: Files, *, verify: bool = True) -> list[dict[str, Any]]:
    storage = open_file_store(files_dir)
    files: dict[str, list[HubCaseFile]] = {}
    for f in session.scalars(select(HubCaseFile)):
        files.setdefault(f.case_id, []).append(f)
    out = []
    for case in session.scalars(select(HubCase).order_by(HubCase.received_at, HubCase.case_no)):
        entries = []
        for f in sorted(files.get(case.id, []), key=lambda x: x.attachment_id):
            entry: dict[str, Any] = {"attachment_id": f.attachment_id, "material_key": f.material_key,
                                     "filename": f.filename, "size": f.size, "sha256": f.sha256}
            if verify:
                entry["stored_sha256"] = storage.sha256(f.upload_id, f.size) if storage.exists(f.upload_id) else ""
            entries.append(entry)
        out.append({"id": case.id, "case_no": case.case_no, "hall_code": case.hall_code,
                    "matter_code": case.matter_code, "matter_name": case.matter_name, "state": case.state,
                    "result": case.result, "received_at": case.received_at.isoformat(), "files": entries})
    return out
