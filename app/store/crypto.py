"""ID numbers and phones encrypted at rest (AES-256-GCM), with an HMAC blind index so lookups by ID still work.

Why this shape (docs/security.md, "Encryption at rest"):

- **A random-nonce AEAD** (AES-256-GCM from ``cryptography``) for every sealed value: equal ID numbers give
  different ciphertexts, and a value moved to another column fails to open (the column's name is the associated
  data). A sealed value is text, ``zc1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``, so the key that sealed it
  is named in it and rotation can proceed row by row. The empty string stays empty (nothing to hide).
- **A blind index** for the columns looked up by value (an applicant's ID, the 失信/false-pledge list, an
  appointment's ID): HMAC-SHA256 of the normalised number (``app.identity.normalize_id_text``) under a *separate*
  key, kept in its own indexed column. Equal numbers give equal indexes (that is the point, and all that leaks);
  the index key never decrypts anything. A masked number (retention: ``150929********1234``) is not indexed.
- **The key lives apart from the database**: a key file (0600, JSON) outside the data directory, by default
  beside ``settings.toml``; ``[store] key_file`` / ``ZC_STORE_KEY_FILE`` choose another path (a USB key, an
  admin-only folder). The database records a check value sealed with the key, so a missing or wrong key file is
  refused with a clear message instead of a new key silently written over old data.
- **Rotation** (``python -m app key rotate``) adds a key generation, re-seals every value and recomputes every
  index in one transaction; the older generations stay in the file (decrypt only) so older backups stay readable.

The keys reach the column types through the engine's dialect (``bind_keys``), so the counter's store and the
hub's store, in one process, each use their own key; and SQLAlchemy's ``TypeDecorator`` seals on write and opens
on read, so the services keep reading ``case.applicant_id_no`` as text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Text, event, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from app.errors import StoreError
from app.private import open_private, private_dir

PREFIX = "zc1"
KEY_FILE_FORMAT = "zc-data-key/1"
NONCE_BYTES = 12
KEY_BYTES = 32
CHECK_TEXT = "zongchuang data key check"
_DIALECT_ATTR = "_zc_data_keys"


class DataKeyError(StoreError):
    """The data key is missing, wrong, damaged or not loaded: nothing personal can be read or written."""


class SealedValueError(DataKeyError):
    """One stored value does not open with a key the file has (changed in the database by hand, or damaged)."""


@dataclass(frozen=True)
class KeyGeneration:
    id: str
    enc: bytes  # AES-256-GCM key
    index: bytes  # HMAC-SHA256 key for the blind index
    created: str = ""


@dataclass(frozen=True)
class DataKeys:
    """The key generations of one key file; ``active`` seals new values, ``index_id`` computes blind indexes
    (the generation the store's indexes were computed with, recorded in the store)."""

    generations: Mapping[str, KeyGeneration]
    active: str
    index_id: str
    path: Path | None = None

    def seal(self, text: str, *, label: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        gen = self.generations[self.active]
        nonce = os.urandom(NONCE_BYTES)
        blob = nonce + AESGCM(gen.enc).encrypt(nonce, text.encode("utf-8"), label.encode("utf-8"))
        return f"{PREFIX}:{gen.id}:{base64.urlsafe_b64encode(blob).decode('ascii').rstrip('=')}"

    def open(self, token: str, *, label: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        prefix, _, rest = token.partition(":")
        key_id, _, body = rest.partition(":")
        if prefix != PREFIX or not body:
            raise SealedValueError(f"数据库中 {label} 的内容不是加密值（可能被直接改动过）：请从备份恢复，或联系管理员")
        gen = self.generations.get(key_id)
        if gen is None:
            raise DataKeyError(self._unknown_key_message(key_id))
        try:
            blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return AESGCM(gen.enc).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], label.encode("utf-8")).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            raise SealedValueError(f"数据库中 {label} 的加密值无法用密钥 {key_id} 解开（密钥文件不符或数据被改动）："
                               f"请确认密钥文件 {self.path or ''} 是这个数据库的，或从备份恢复") from exc

    def blind_index(self, number: str) -> str:
        """HMAC of the normalised number, "" for an empty or masked one (nothing to look up)."""
        from app.identity import normalize_id_text

        normal = normalize_id_text(number) if number else ""
        if not normal or "*" in normal:
            return ""
        key = self.generations[self.index_id].index
        return hmac.new(key, normal.encode("utf-8"), hashlib.sha256).hexdigest()

    def _unknown_key_message(self, key_id: str) -> str:
        return (f"数据库中的个人信息由密钥 {key_id} 加密，密钥文件 {self.path or ''} 中没有这把密钥：请换回这个数据库"
                f"原来的密钥文件（见 docs/security.md“数据密钥”），不要新建密钥")


# --- the key file --------------------------------------------------------------------------------------


def new_generation(at: dt.datetime | None = None) -> KeyGeneration:
    return KeyGeneration(id=secrets.token_hex(4), enc=secrets.token_bytes(KEY_BYTES),
                         index=secrets.token_bytes(KEY_BYTES), created=at.isoformat() if at else "")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def write_key_file(path: Path, generations: Iterable[KeyGeneration], active: str) -> None:
    """Write the key file durably (temp file 0600, fsync, rename): a crash leaves the old file or the new one."""
    private_dir(path.parent)
    data = {"format": KEY_FILE_FORMAT, "active": active,
            "keys": [{"id": g.id, "enc": _b64(g.enc), "index": _b64(g.index), "created": g.created}
                     for g in generations]}
    tmp = path.with_name(path.name + ".part")
    with os.fdopen(open_private(tmp), "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_key_file(path: Path) -> DataKeys:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != KEY_FILE_FORMAT:
            raise ValueError("format")
        gens = {str(k["id"]): KeyGeneration(id=str(k["id"]), enc=base64.b64decode(k["enc"], validate=True),
                                            index=base64.b64decode(k["index"], validate=True),
                                            created=str(k.get("created", "")))
                for k in raw["keys"]}
        active = str(raw["active"])
        if active not in gens or any(len(g.enc) != KEY_BYTES or len(g.index) != KEY_BYTES for g in gens.values()):
            raise ValueError("keys")
    except OSError as exc:
        raise DataKeyError(f"无法读取数据密钥文件 {path}：{exc.strerror}；请检查文件权限（只允许运行本程序的账户读取）") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DataKeyError(f"数据密钥文件 {path} 已损坏或不是本程序的密钥文件：请用备份的密钥文件替换它"
                           "（见 docs/security.md“数据密钥”），不要删除数据库") from None
    return DataKeys(generations=gens, active=active, index_id=active, path=path)


def create_key_file(path: Path, *, at: dt.datetime | None = None) -> DataKeys:
    gen = new_generation(at)
    write_key_file(path, [gen], gen.id)
    return DataKeys(generations={gen.id: gen}, active=gen.id, index_id=gen.id, path=path)


# --- keys on an engine ------------------------------------------------------------------------------------


def bind_keys(dialect: Dialect, keys: DataKeys) -> None:
    setattr(dialect, _DIALECT_ATTR, keys)


def keys_of(dialect: Dialect) -> DataKeys:
    keys = getattr(dialect, _DIALECT_ATTR, None)
    if keys is None:
        raise DataKeyError("数据密钥未加载，不能读写个人信息：请通过 open_store / open_hub_store 打开数据库")
    return keys


def session_keys(session: Session) -> DataKeys:
    bind = session.get_bind()
    return keys_of(bind.dialect)


def blind_index(session: Session, number: str) -> str:
    """The blind index of ``number`` for lookups in this session's store."""
    return session_keys(session).blind_index(number)


@dataclass(frozen=True)
class KeyRecord:
    probe: str  # CHECK_TEXT sealed with the generation that made the record
    index_key_id: str


def verify_record(keys: DataKeys, record: KeyRecord) -> DataKeys:
    """The keys to use with a store holding ``record``: refuse a key file that is not this store's."""
    key_id = record.probe.split(":")[1] if record.probe.count(":") >= 2 else ""
    if key_id not in keys.generations or record.index_key_id not in keys.generations:
        missing = key_id if key_id not in keys.generations else record.index_key_id
        raise DataKeyError(keys._unknown_key_message(missing))
    if keys.open(record.probe, label="data_key.probe") != CHECK_TEXT:
        raise DataKeyError(f"数据密钥文件 {keys.path} 与数据库不符：请换回这个数据库原来的密钥文件")
    return replace(keys, index_id=record.index_key_id)


def load_keys_for(path: Path, record: KeyRecord | None, *, what: str) -> DataKeys:
    """Read the key file at ``path`` (or make one for a store that has none yet) and check it against ``record``.

    A store that has a record but whose key file is missing is refused — a new key would make its personal data
    unreadable; nothing is written."""
    if not path.exists():
        if record is not None:
            raise DataKeyError(f"找不到数据密钥文件 {path}：{what}中的证件号码和电话是用它加密的，没有它无法读取。"
                               f"请把备份的密钥文件放回这个位置（或在设置 [store] key_file 中指明它的位置）后重新启动；"
                               f"不要新建密钥，数据库未作任何改动")
        return create_key_file(path)
    keys = read_key_file(path)
    return keys if record is None else verify_record(keys, record)


def read_record(engine: Engine, table: str) -> KeyRecord | None:
    """The store's key record, or None when it has none yet (a new store, or one from before encryption)."""
    try:
        with engine.connect() as conn:
            row = conn.execute(text(f"SELECT probe, index_key_id FROM {table} WHERE id = 1")).first()
    except DBAPIError:  # no such table yet
        return None
    return None if row is None else KeyRecord(probe=str(row[0]), index_key_id=str(row[1]))


def record_values(keys: DataKeys) -> dict[str, Any]:
    """The row a migration (or a rotation) writes into the key record table."""
    return {"id": 1, "probe": keys.seal(CHECK_TEXT, label="data_key.probe"), "index_key_id": keys.index_id}


def attach_keys(engine: Engine, path: Path, *, table: str, what: str) -> DataKeys:
    """Load (or, for a store without any yet, create) the key file at ``path`` and bind it to ``engine``."""
    keys = load_keys_for(path, read_record(engine, table), what=what)
    bind_keys(engine.dialect, keys)
    return keys


# --- column types ---------------------------------------------------------------------------------------


class SealedText(TypeDecorator[str]):
    """A text column stored sealed (see the module docstring). Comparing it in SQL is refused: the ciphertext is
    random, so ``==`` could never match — look values up by their blind index column instead."""

    impl = Text
    cache_ok = True

    def __init__(self, label: str, length: int | None = None) -> None:
        super().__init__()
        self.label = label
        self.length = length  # of the clear text: the limit ``app.cases.request.TEXT_LIMITS`` states

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            raise TypeError("a sealed column cannot be compared in SQL: filter on its blind index column")

    comparator_factory = Comparator

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or value == "":
            return value
        return keys_of(dialect).seal(str(value), label=self.label)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or value == "":
            return value
        return keys_of(dialect).open(value, label=self.label)


class SealedJSON(TypeDecorator[Any]):
    """A JSON value (a case's 代办人, an outbox payload) stored sealed as a whole."""

    impl = Text
    cache_ok = True

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keys_of(dialect).seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")), label=self.label)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(keys_of(dialect).open(value, label=self.label))


class SealedAuditJSON(SealedJSON):
    """An audit entry's detail: a value that does not open (edited with plain ``sqlite3``) reads as
    ``{"unreadable": <stored text>}``, so ``audit verify`` names the entry as changed instead of stopping."""

    cache_ok = True

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        try:
            return super().process_result_value(value, dialect)
        except SealedValueError:  # (a missing key is raised as it is: that is not an edited entry)
            return {"unreadable": value}


# --- blind indexes filled in on flush ---------------------------------------------------------------------

# A model declares ``__blind_indexes__ = {"index column attr": "sealed column attr"}``.
IndexMap = Mapping[str, str]


def _fill_indexes(session: Session, _context: object, _instances: object) -> None:
    pending = [obj for obj in (*session.new, *session.dirty) if getattr(type(obj), "__blind_indexes__", None)]
    if not pending:
        return
    keys = session_keys(session)
    for obj in pending:
        mapping: IndexMap = type(obj).__blind_indexes__
        for index_attr, source_attr in mapping.items():
            value = keys.blind_index(getattr(obj, source_attr) or "")
            if getattr(obj, index_attr, None) != value:
                setattr(obj, index_attr, value)


def install() -> None:
    """Fill every blind index any session flushes (idempotent)."""
    if not event.contains(Session, "before_flush", _fill_indexes):
        event.listen(Session, "before_flush", _fill_indexes)


def conn_keys(conn: Connection) -> DataKeys:
    """The keys bound to a migration's connection."""
    return keys_of(conn.dialect)

