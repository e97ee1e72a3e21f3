"""Compressed request bodies on the hub: ``Content-Encoding: gzip`` for JSON posts from village links.

A village PC on GPRS pays for every byte; case batches are JSON that gzip shrinks to a third. The limit applies to
the body **after** decompression (a small gzip bomb must not become gigabytes in the hub's memory), so it is the
same limit as an uncompressed body. Separate from the parsers (``sync/server/app.py``) on purpose: one thing here.
"""

from __future__ import annotations

import zlib

from sync.server.service import HubProblem

SUPPORTED = ("gzip",)  # announced by /v1/health as "content_encoding", so a client sends it only to a hub that reads it


def decode_body(body: bytes, encoding: str | None, limit: int) -> bytes:
    """``body`` as sent, decompressed when ``encoding`` says gzip; HubProblem 413 past ``limit`` bytes once
    decompressed, 400 for a corrupt stream, 415 for an encoding the hub does not read."""
    coding = (encoding or "identity").strip().lower()
    if coding in ("", "identity"):
        return body
    if coding != "gzip":
        raise HubProblem(415, "unsupported_encoding", f"不支持的内容编码：{coding}（可用：gzip）")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip header and trailer
    try:
        out = inflater.decompress(body, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise HubProblem(413, "too_large", f"解压后的请求体过大，上限 {limit} 字节")
        out += inflater.flush()
    except zlib.error:
        raise HubProblem(400, "bad_gzip", "请求体的 gzip 压缩数据已损坏") from None
    if len(out) > limit:
        raise HubProblem(413, "too_large", f"解压后的请求体过大，上限 {limit} 字节")
    if not inflater.eof or inflater.unused_data:
        raise HubProblem(400, "bad_gzip", "请求体的 gzip 压缩数据不完整")
    return out
