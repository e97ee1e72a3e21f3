"""Admin publications on the change feed: catalog files, workday-calendar files and excluded-list updates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sync.server.service import HubProblem, publish

MAX_PUBLISH_BYTES = 5 * 1024 * 1024


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise HubProblem(400, "unreadable", f"无法读取文件 {path}：{exc.strerror}") from None
    if len(data) > MAX_PUBLISH_BYTES:
        raise HubProblem(413, "too_large", f"文件过大：{path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HubProblem(400, "not_utf8", f"文件不是 UTF-8 文本：{path}") from None


def excluded_from_file(path: Path) -> dict[str, Any]:
    """``{"upsert": [{"id_no", "reason"}], "remove": [id_no]}`` from a JSON file of that shape."""
    try:
        doc = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise HubProblem(400, "invalid_json", f"{path} 不是有效的 JSON：第 {exc.lineno} 行") from None
    upsert = doc.get("upsert", []) if isinstance(doc, dict) else None
    remove = doc.get("remove", []) if isinstance(doc, dict) else None
    if not isinstance(upsert, list) or not isinstance(remove, list):
        raise HubProblem(400, "invalid_field", f"{path}：应为 {{\"upsert\": [...], \"remove\": [...]}}")
    for i, row in enumerate(upsert):
        if not isinstance(row, dict) or not isinstance(row.get("id_no"), str) or not row["id_no"].strip():
            raise HubProblem(400, "invalid_field", f"{path}：upsert[{i}].id_no 缺失")
        if not isinstance(row.get("reason", ""), str):
            raise HubProblem(400, "invalid_field", f"{path}：upsert[{i}].reason 应为文本")
    if not all(isinstance(x, str) for x in remove):
        raise HubProblem(400, "invalid_field", f"{path}：remove 应为证件号码列表")
    return {"upsert": [{"id_no": r["id_no"].strip(), "reason": r.get("reason", "")} for r in upsert],
            "remove": [x.strip() for x in remove]}


def publish_files(session: Session, what: str, files: list[Path], *, version: str = "") -> int:
    if what == "excluded":
        if len(files) != 1:
            raise HubProblem(400, "one_file", "失信名单一次发布一个文件")
        return publish(session, "excluded", excluded_from_file(files[0]))
    entries = [{"name": f.name, "content": _read_text(f)} for f in files]
    if len({e["name"] for e in entries}) != len(entries):
        raise HubProblem(400, "duplicate_name", "发布的文件名重复")
    for e in entries:
        if "/" in e["name"] or "\\" in e["name"] or e["name"].startswith("."):
            raise HubProblem(400, "bad_name", f"文件名不合规：{e['name']}")
    if what == "calendar":
        return publish(session, "calendar", {"files": entries})
    digest = hashlib.sha256("".join(e["name"] + e["content"] for e in entries).encode()).hexdigest()
    return publish(session, "catalog", {"version": version or digest[:12], "files": entries})
