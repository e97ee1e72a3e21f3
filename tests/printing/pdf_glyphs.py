"""Test helper: which glyphs of a TrueType font a reportlab PDF draws, read back from the PDF bytes alone.

The PDF embeds a subset whose glyph numbers differ from the original font's, so glyphs are compared by their
outline data (simple glyphs byte for byte, composite glyphs by their parts) with the original font file's.
"""

from __future__ import annotations

import re
import struct
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    start = body.index(b"stream") + len(b"stream")
    start += 2 if body[start:start + 2] == b"\r\n" else 1
    end = body.rindex(b"endstream")
    raw = body[start:end].rstrip(b"\r\n")
    return zlib.decompress(raw) if b"/FlateDecode" in body[:start] else raw


def _ref(body: bytes, key: bytes) -> int:
    found = re.search(rb"/" + key + rb" (\d+) 0 R", body)
    assert found, key
    return int(found.group(1))


class TrueType:
    """Just enough of a TrueType file: glyph outlines by glyph id and the (3,0)/(1,0) cmap of a subset."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        count = struct.unpack(">H", data[4:6])[0]
        self.tables: dict[bytes, tuple[int, int]] = {}
        for i in range(count):
            tag, _sum, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            self.tables[tag] = (off, length)
        head = self.table(b"head")
        self.long_loca = struct.unpack(">h", head[50:52])[0] == 1

    def table(self, tag: bytes) -> bytes:
        off, length = self.tables[tag]
        return self.data[off:off + length]

    def glyph_bytes(self, gid: int) -> bytes:
        loca, glyf = self.table(b"loca"), self.table(b"glyf")
        if self.long_loca:
            a, b = struct.unpack(">II", loca[4 * gid:4 * gid + 8])
        else:
            a, b = (2 * v for v in struct.unpack(">HH", loca[2 * gid:2 * gid + 4]))
        return glyf[a:b]

    def signature(self, gid: int) -> tuple[object, ...]:
        """The glyph's outline, with a composite's parts replaced by their own signatures."""
        data = self.glyph_bytes(gid)
        if not data or struct.unpack(">h", data[:2])[0] >= 0:
            return ("simple", data)
        parts: list[object] = [data[2:10]]
        pos = 10
        while True:
            flags, component = struct.unpack(">HH", data[pos:pos + 4])
            pos += 4
            size = 4 if flags & 0x0001 else 2
            if flags & 0x0008:
                size += 2
            elif flags & 0x0040:
                size += 4
            elif flags & 0x0080:
                size += 8
            parts.append((flags & ~0x0020, self.signature(component), data[pos:pos + size]))
            pos += size
            if not flags & 0x0020:
                return ("composite", *parts)

    def code_to_glyph(self) -> dict[int, int]:
        """A reportlab subset's cmap: single-byte codes (format 6) to its glyph ids."""
        cmap = self.table(b"cmap")
        count = struct.unpack(">H", cmap[2:4])[0]
        for i in range(count):
            _pid, _eid, off = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
            fmt = struct.unpack(">H", cmap[off:off + 2])[0]
            if fmt == 6:  # trimmed table: first code, count, then one glyph id per code
                first, entries = struct.unpack(">HH", cmap[off + 6:off + 10])
                ids = struct.unpack(f">{entries}H", cmap[off + 10:off + 10 + 2 * entries])
                return {first + c: g for c, g in enumerate(ids) if g}
        raise AssertionError("subset cmap has no format 6 table")


def _string_codes(operand: bytes) -> list[int]:
    """The byte codes of the literal strings in a Tj / TJ operand."""
    codes: list[int] = []
    i = 0
    while i < len(operand):
        if operand[i:i + 1] != b"(":
            i += 1
            continue
        i += 1
        depth = 0
        while True:
            ch = operand[i:i + 1]
            if ch == b"\\":
                nxt = operand[i + 1:i + 2]
                if nxt.isdigit():
                    octal = re.match(rb"[0-7]{1,3}", operand[i + 1:i + 4])
                    assert octal
                    codes.append(int(octal.group(0), 8))
                    i += 1 + len(octal.group(0))
                    continue
                codes.append({b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}.get(nxt, nxt[0]))
                i += 2
                continue
            if ch == b"(":
                depth += 1
            elif ch == b")":
                if depth == 0:
                    i += 1
                    break
                depth -= 1
            codes.append(ch[0])
            i += 1
    return codes


Outline = tuple[object, ...]


def outlines(font_file: bytes, glyph_ids: list[int]) -> list[Outline]:
    """The outlines of ``glyph_ids`` in a font file (fonts hold some glyphs twice under two ids: compare these)."""
    font = TrueType(font_file)
    return [font.signature(g) for g in glyph_ids]


def drawn_outlines(pdf: bytes, base_font: str) -> list[list[Outline]]:
    """For each text-showing operation in the font whose BaseFont ends in ``base_font``, the outlines of the
    glyphs it draws, in order."""
    objects = _objects(pdf)
    # resource name (e.g. F2+0) → code → outline
    fonts: dict[bytes, dict[int, Outline]] = {}
    for body in objects.values():
        found = re.search(rb"/BaseFont /(\S+)", body)
        if not (b"/Type /Font" in body and found and found.group(1).decode().endswith(base_font)):
            continue
        name = re.search(rb"/Name /(\S+)", body)
        assert name
        descriptor = objects[_ref(body, b"FontDescriptor")]
        subset = TrueType(_stream(objects[_ref(descriptor, b"FontFile2")]))
        fonts[name.group(1)] = {code: subset.signature(g)
                                for code, g in subset.code_to_glyph().items()}
    assert fonts, f"no {base_font} font in the PDF"
    runs: list[list[Outline]] = []
    for body in objects.values():
        if b"stream" not in body or b"/Type" in body.split(b"stream")[0]:
            continue
        try:
            content = _stream(body)
        except zlib.error:
            continue
        if b"BT" not in content:
            continue
        current: dict[int, Outline] | None = None
        for m in re.finditer(rb"/(\S+) [\d.]+ Tf|(\[.*?\]\s*TJ|\((?:\\.|[^\\)])*\)\s*Tj)", content, re.S):
            if m.group(1) is not None:
                current = fonts.get(m.group(1))
            elif current is not None:
                runs.append([current[c] for c in _string_codes(m.group(2))])
    return runs
