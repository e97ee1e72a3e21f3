"""The hub's OpenAPI document, generated from the code: ``python -m sync.server openapi [--check]``.

Paths and methods come from the app's routes (``build_app``), limits and item kinds from ``service`` and ``app``
constants, and the words for each operation from :data:`OPERATIONS` below, keyed by the route. A route without
words here fails the generation, and a word for a route that no longer exists fails it too, so
``docs/hub-openapi.json`` cannot drift from the code (``tests/sync/test_openapi.py`` regenerates and compares).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.routing import Route

from sync.server import app as hub_app
from sync.server import encoding, service

DOC = Path(__file__).resolve().parents[2] / "docs" / "hub-openapi.json"
ERROR = {"$ref": "#/components/schemas/Error"}
JSON_ERROR = {"description": "Any refusal: JSON {error, message}, the message in Chinese and saying what to do "
                             "(401 unknown_device, 412 tus_version, 413 too_large, 415, 422, 429 upload_quota, "
                             "503 store_unavailable / storage_unavailable with Retry-After, …)",
              "content": {"application/json": {"schema": ERROR}}}
TUS_HEADER = {"name": "Tus-Resumable", "in": "header", "required": True,
              "schema": {"type": "string", "enum": [hub_app.TUS_VERSION]}}
UPLOAD_ID = {"name": "upload_id", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": hub_app.UPLOAD_ID_RE.pattern}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"schema": {"type": "string"}} for name in names}


def _octets() -> dict[str, Any]:
    return {"content": {"application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


def operations() -> dict[tuple[str, str], dict[str, Any]]:
    """What each route does, keyed by (path as routed, method)."""
    chunk = service.MAX_CHUNK_BYTES
    return {
        ("/v1/health", "GET"): {
            "summary": "Probe: the device's id, the tus version, the request encodings the hub reads",
            "responses": {"200": _json({"type": "object", "required": ["status", "device_id", "tus"], "properties": {
                "status": {"type": "string", "enum": ["ok"]}, "device_id": {"type": "integer"},
                "tus": {"type": "string"},
                "content_encoding": {"type": "array", "items": {"type": "string", "enum": list(encoding.SUPPORTED)}}}},
                "The hub is up and knows this device")}},
        ("/v1/enrol", "POST"): {
            "summary": "Exchange a one-time enrolment code for a device token (no Authorization: the code is it)",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["code"], "properties": {
                    "code": {"type": "string", "maxLength": 64}, "name": {"type": "string", "maxLength": 100}}}}}},
            "responses": {"201": _json({"type": "object", "required": ["name", "hall_code", "token"], "properties": {
                "name": {"type": "string"}, "hall_code": {"type": "string"}, "token": {"type": "string"}}},
                "Enrolled: the token (shown once), bound to the code's hall"),
                "403": {**JSON_ERROR, "description": "enrol_unknown / enrol_used / enrol_expired"}}},
        ("/files/", "OPTIONS"): {
            "summary": "tus capabilities",
            "responses": {"204": {"description": "Tus-Version, Tus-Extension, Tus-Checksum-Algorithm, Tus-Max-Size",
                                  "headers": _headers("Tus-Version", "Tus-Extension", "Tus-Checksum-Algorithm",
                                                      "Tus-Max-Size")}}},
        ("/files/", "POST"): {
            "summary": "tus creation (with creation-with-upload: the body is the first chunk)",
            "parameters": [TUS_HEADER,
                           {"name": "Upload-Length", "in": "header", "required": True,
                            "schema": {"type": "integer", "minimum": 0, "maximum": service.MAX_UPLOAD_BYTES}},
                           {"name": "Upload-Metadata", "in": "header", "required": False,
                            "description": "tus key/base64 pairs; attachment_id links the upload to the case",
                            "schema": {"type": "string"}},
                           {"name": "Upload-Checksum", "in": "header", "required": False,
                            "description": "sha1 <base64> of the body", "schema": {"type": "string"}}],
            "requestBody": {"required": False, **_octets()},
            "responses": {"201": {"description": "Created: Location /files/{upload_id}; Upload-Offset = bytes taken",
                                  "headers": _headers("Location", "Tus-Resumable", "Upload-Offset")},
                          "460": {**JSON_ERROR, "description": "checksum_mismatch: nothing created"}}},
        ("/files/{upload_id:str}", "HEAD"): {
            "summary": "tus: the committed offset (resume from it)",
            "parameters": [UPLOAD_ID, TUS_HEADER],
            "responses": {"200": {"description": "Upload-Offset, Upload-Length",
                                  "headers": _headers("Upload-Offset", "Upload-Length", "Tus-Resumable")},
                          "404": {"description": "Unknown upload: create it anew"}}},
        ("/files/{upload_id:str}", "PATCH"): {
            "summary": f"tus: a chunk (at most {chunk // (1024 * 1024)} MiB) at the committed offset",
            "parameters": [UPLOAD_ID, TUS_HEADER,
                           {"name": "Upload-Offset", "in": "header", "required": True,
                            "schema": {"type": "integer", "minimum": 0}},
                           {"name": "Upload-Checksum", "in": "header", "required": False,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, **_octets()},
            "responses": {"204": {"description": "Stored (durable); Upload-Offset is the new offset",
                                  "headers": _headers("Upload-Offset", "Tus-Resumable")},
                          "409": {**JSON_ERROR, "description": "offset_mismatch: Upload-Offset is the hub's"},
                          "460": {**JSON_ERROR, "description": "checksum_mismatch: resend the chunk"}}},
        ("/v1/cases", "POST"): {
            "summary": "A batch of outbox items, each taken once (Idempotency-Key = op_id, unique forever)",
            "description": "Each item in its own transaction: a replay answers the stored result (200 replay); "
                           "the same op_id with other content 422 key_reused; a case whose files are not all "
                           "uploaded and verified 424 retry with `missing`; another hall's item 403 wrong_hall; "
                           "another device's ids 422 id_unavailable. Gzip bodies (Content-Encoding) are read.",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["items"], "properties": {"items": {
                    "type": "array", "minItems": 1, "maxItems": service.MAX_BATCH_ITEMS,
                    "items": {"$ref": "#/components/schemas/Item"}}}}}}},
            "responses": {"200": _json({"type": "object", "required": ["results"], "properties": {"results": {
                "type": "array", "items": {"$ref": "#/components/schemas/ItemResult"}}}}, "Per-item results")}},
        ("/v1/changes", "GET"): {
            "summary": "The change feed after a cursor (results, returns, catalog, calendar, excluded list)",
            "parameters": [{"name": "since", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 0}},
                           {"name": "limit", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/ChangePage"}, "Changes in commit order"),
                          "410": {**JSON_ERROR, "description": "cursor_gone: sync from 0"}}},
    }


def schemas() -> dict[str, Any]:
    return {
        "Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}}},
        "Item": {"type": "object", "required": ["op_id", "case_id", "payload"], "properties": {
            "op_id": {"type": "string", "minLength": 8, "maxLength": 64},
            "case_id": {"type": "string", "minLength": 8, "maxLength": 36},
            "kind": {"type": "string", "enum": list(service.ITEM_KINDS), "default": "case.accept"},
            "payload": {"type": "object", "description": "case.accept: app.cases.payload.case_payload; "
                                                         "case.update: {case_id, case_no, state, event}; "
                                                         "audit.anchor: {head, count, at}; "
                                                         "rating: app.ratings.rating_payload"}}},
        "ItemResult": {"type": "object", "required": ["op_id", "case_id", "status", "outcome"], "properties": {
            "op_id": {"type": "string"}, "case_id": {"type": "string"},
            "status": {"type": "integer", "enum": [200, 201, 403, 409, 422, 424]},
            "outcome": {"type": "string", "enum": ["accepted", "replay", "rejected", "retry"]},
            "error": {"type": "string"}, "message": {"type": "string"},
            "missing": {"type": "array", "items": {"type": "string"}}}},
        "ChangePage": {"type": "object", "required": ["changes", "cursor", "more"], "properties": {
            "changes": {"type": "array", "items": {"type": "object", "required": ["seq", "kind", "data", "at"],
                                                   "properties": {"seq": {"type": "integer"},
                                                                  "kind": {"type": "string"},
                                                                  "data": {"type": "object"},
                                                                  "at": {"type": "string"}}}},
            "cursor": {"type": "string"}, "more": {"type": "boolean"}}},
    }


def _path(route_path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route_path)


def build_spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the app ``build_app`` makes."""
    import tempfile

    from app.store.engine import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/spec.db")  # never opened: only the routes are read
        try:
            routes = [r for r in hub_app.build_app(store, Path(tmp) / "files").routes if isinstance(r, Route)]
        finally:
            store.dispose()
    docs = operations()
    paths: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    for route in routes:
        methods = set(route.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")  # Starlette answers HEAD for every GET route by itself
        for method in sorted(methods):
            key = (route.path, method)
            if key not in docs:
                raise KeyError(f"route {method} {route.path} has no words in sync.server.openapi.operations()")
            seen.add(key)
            op = dict(docs[key])
            op["responses"] = {**op["responses"], "default": JSON_ERROR}
            paths.setdefault(_path(route.path), {})[method.lower()] = op
    stale = set(docs) - seen
    if stale:
        raise KeyError(f"words for routes the app no longer has: {sorted(stale)}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "综窗县级枢纽 (county hub) API", "version": "1.0.0",
                 "description": "Store-and-forward intake of counter items. Files by tus 1.0 (creation, "
                                "creation-with-upload, checksum), outbox items by idempotent batches, results and "
                                "reference data by a change feed. Every request but /v1/enrol needs "
                                "`Authorization: Bearer <device token>`. Generated by `python -m sync.server "
                                "openapi` from sync/server/openapi.py; see docs/sync.md."},
        "servers": [{"url": "https://hub.example.gov.cn"}],
        "security": [{"device": []}],
        "paths": paths,
        "components": {"securitySchemes": {"device": {"type": "http", "scheme": "bearer"}}, "schemas": schemas()},
    }


def render() -> str:
    return json.dumps(build_spec(), ensure_ascii=False, indent=2) + "\n"
