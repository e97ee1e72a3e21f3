"""The one byte form of a JSON value that hashes and idempotency keys are computed over, client and hub alike.

Sorted keys, no spaces, UTF-8 (no ``\\u`` escapes). A value JSON cannot carry (a date, a Decimal) is a bug in the
payload and raises ``TypeError``: it is never turned into a string here, because the same payload reaches the
hub as JSON and must hash the same there.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_sha256(obj: Any) -> str:
    """Hex SHA-256 of :func:`canonical_json` — the outbox ``sha256``, the hub's operation digest."""
    return hashlib.sha256(canonical_json(obj)).hexdigest()
