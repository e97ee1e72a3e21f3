"""Finding a matter as the clerk types: by code, name, pinyin initials, full pinyin or keyword, best first.

Pinyin is computed once when the index is built, so a keystroke is only string scans over precomputed text. The
pinyin of every name and keyword is also kept in a small file (``pinyin_cache``, in the data directory): pypinyin's
dictionaries cost 55 MB of the clerk window's memory and a second of its start, so they are loaded only for text
the file does not know yet (a new catalog), not on every start.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import json
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, cast

from app.catalog.model import Catalog, Matter

log = logging.getLogger(__name__)

# Lower rank = better. A query matches a matter through its best field.
RANK_CODE_EXACT = 0
RANK_CODE_PREFIX = 1
RANK_NAME_EXACT = 2
RANK_NAME_PREFIX = 3
RANK_INITIALS_PREFIX = 4
RANK_PINYIN_PREFIX = 5
RANK_NAME_SUBSTRING = 6
RANK_KEYWORD = 7
RANK_INITIALS_SUBSTRING = 8
RANK_PINYIN_SUBSTRING = 9
RANK_CODE_SUBSTRING = 10
RANK_DEPARTMENT = 11
_NO_MATCH = 99


def normalize_query(text: str) -> str:
    """Full-width letters and digits (Chinese IMEs type them) become ASCII; case and spaces are ignored."""
    return unicodedata.normalize("NFKC", text).strip().lower()


@functools.lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of ``text``; letters and digits are kept, punctuation dropped."""
    from pypinyin import Style, lazy_pinyin  # heavy dictionary import; only when an index is built

    def keep(chunk: str) -> list[str]:
        # Non-Chinese runs: one "syllable" per letter or digit, so "A2" contributes "a2" to the initials too.
        return [c.lower() for c in chunk if c.isalnum()]

    syllables = [s for s in lazy_pinyin(text, style=Style.NORMAL, errors=cast(Any, keep)) if s]
    return "".join(s[0] for s in syllables), "".join(syllables)


def pinyin_of(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of ``text``, computed once per text (the import derives keys from it too)."""
    return _pinyin(text)


@dataclass(frozen=True)
class _Entry:
    matter: Matter
    code: str
    name: str
    initials: str
    pinyin: str
    keywords: tuple[str, ...]  # each keyword as typed, plus its initials and full pinyin
    department: str
    blob: str  # everything above joined, for a cheap first rejection


def _pinyin_version() -> str:
    try:
        return version("pypinyin")
    except PackageNotFoundError:
        return ""


class PinyinCache:
    """(initials, full pinyin) per text, read from and written back to ``path`` (JSON); computed by pypinyin
    only for texts not in the file. The file names the pypinyin version that made it: another version starts
    afresh. A missing or unreadable file is only slower, never wrong."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, tuple[str, str]] = {}
        self.added = 0
        self.stamp = _pinyin_version()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("pypinyin") == self.stamp:
                self.known = {k: (str(v[0]), str(v[1])) for k, v in data["texts"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.known = {}

    def __call__(self, text: str) -> tuple[str, str]:
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = _pinyin(text)
            self.added += 1
        return found

    def save(self) -> None:
        """Write the file if texts were added (atomically: a half-written file is never read)."""
        if self.path is None or not self.added:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"pypinyin": self.stamp, "texts": self.known}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, self.path)
            self.added = 0
        except OSError as exc:  # a read-only data directory: the next start computes the pinyin again
            log.warning("pinyin cache %s not written: %s", self.path, exc)


def _entry(matter: Matter, pinyin: Callable[[str], tuple[str, str]] = _pinyin) -> _Entry:
    name = normalize_query(matter.name)
    initials, full = pinyin(matter.name)
    words: list[str] = []
    for kw in matter.keywords:
        k = normalize_query(kw)
        ki, kf = pinyin(kw)
        words += [k, ki, kf]
    code = normalize_query(matter.code)
    dept = normalize_query(matter.department)
    blob = "\x00".join([code, name, initials, full, *words, dept])
    return _Entry(matter, code, name, initials, full, tuple(words), dept, blob)


def _rank(e: _Entry, term: str) -> tuple[int, int]:
    """(rank, position) of ``term`` in the entry's best-matching field."""
    if term not in e.blob:
        return _NO_MATCH, 0
    if e.code == term:
        return RANK_CODE_EXACT, 0
    if e.code.startswith(term):
        return RANK_CODE_PREFIX, 0
    if e.name == term:
        return RANK_NAME_EXACT, 0
    if e.name.startswith(term):
        return RANK_NAME_PREFIX, 0
    if e.initials.startswith(term):
        return RANK_INITIALS_PREFIX, 0
    if e.pinyin.startswith(term):
        return RANK_PINYIN_PREFIX, 0
    pos = e.name.find(term)
    if pos >= 0:
        return RANK_NAME_SUBSTRING, pos
    for kw in e.keywords:
        if term in kw:
            return RANK_KEYWORD, 0
    pos = e.initials.find(term)
    if pos >= 0:
        return RANK_INITIALS_SUBSTRING, pos
    pos = e.pinyin.find(term)
    if pos >= 0:
        return RANK_PINYIN_SUBSTRING, pos
    pos = e.code.find(term)
    if pos >= 0:
        return RANK_CODE_SUBSTRING, pos
    if term in e.department:
        return RANK_DEPARTMENT, 0
    return _NO_MATCH, 0


class MatterIndex:
    """A search index over one catalog's matters.

    It remembers the last query and its matches to narrow the next keystroke. Both are kept in one tuple that
    is replaced whole, so searches from several threads each see a consistent pair and results never depend on
    what another thread typed.
    """

    def __init__(self, catalog: Catalog | Iterable[Matter], *, pinyin_cache: Path | None = None) -> None:
        matters = catalog.matters if isinstance(catalog, Catalog) else tuple(catalog)
        cache = PinyinCache(pinyin_cache)
        self._entries: tuple[_Entry, ...] = tuple(_entry(m, cache) for m in matters)
        cache.save()
        self._by_code = {e.code: e.matter for e in self._entries}
        # Parallel columns: a tier test is then one tight comprehension instead of a call per matter.
        self._codes = [e.code for e in self._entries]
        self._names = [e.name for e in self._entries]
        self._initials = [e.initials for e in self._entries]
        self._pinyins = [e.pinyin for e in self._entries]
        self._keywords = ["\x00".join(e.keywords) for e in self._entries]
        self._departments = [e.department for e in self._entries]
        self._blobs = [e.blob for e in self._entries]
        self._sorted: dict[str, tuple[list[str], list[int]]] = {}
        for column, values in (("code", self._codes), ("name", self._names), ("initials", self._initials),
                               ("pinyin", self._pinyins)):
            order = sorted(range(len(values)), key=values.__getitem__)
            self._sorted[column] = ([values[i] for i in order], order)
        # The last query and the indices that matched it: typing one more character can only narrow the set.
        self._last: tuple[tuple[str, ...], list[int]] = ((), [])

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, code: str) -> Matter | None:
        return self._by_code.get(normalize_query(code))

    def search(self, query: str, limit: int = 20) -> list[Matter]:
        """Matters matching every space-separated term of ``query``, best first; [] for an empty query."""
        terms = tuple(t for t in normalize_query(query).replace("\x00", "").split() if t)
        if not terms or limit <= 0:
            self._last = ((), [])
            return []
        last, last_hits = self._last
        # Narrow only when each old term is a prefix of the new one at the same place (the clerk typed on).
        if last and len(last) <= len(terms) and all(terms[i].startswith(last[i]) for i in range(len(last))):
            pool: Iterable[int] = last_hits
        else:
            pool = range(len(self._entries))
        blobs = self._blobs
        hits = list(pool)
        for term in terms:  # one tight filter per term beats a generator per matter
            hits = [i for i in hits if term in blobs[i]]
        self._last = (terms, hits)
        if len(terms) == 1:
            found = self._tiers(terms[0], hits, limit)
        else:
            found = self._combined(terms, hits, limit)
        return [self._entries[i].matter for i in found]

    def _prefix_range(self, column: str, term: str) -> list[int]:
        """Indices whose ``column`` starts with ``term``, by binary search on the column sorted at build time."""
        values, order = self._sorted[column]
        lo = bisect.bisect_left(values, term)
        hi = bisect.bisect_left(values, term + "\U0010ffff", lo)
        return order[lo:hi]

    def _tiers(self, term: str, hits: list[int], limit: int) -> list[int]:
        """One term: walk the ranks best first and stop once ``limit`` matters are certain.

        Prefix ranks come from sorted columns (no scan); substring ranks scan only what is left. Every prefix
        match is also a hit (its text is in the blob), so the prefix ranges need no filtering.
        """
        codes, names = self._codes, self._names
        out: list[int] = []
        seen: set[int] = set()

        def take(tier: list[tuple[int, str, int, str, int]]) -> bool:
            need = limit - len(out)
            # Only the best ``need`` of a tier can be shown: a partial selection, not a sort of every match
            # (a digit typed into 1,200 实施编码 matches them all).
            best = heapq.nsmallest(need, tier) if len(tier) > need else sorted(tier)
            for item in best:
                out.append(item[-1])
                seen.add(item[-1])
            return len(out) >= limit

        code_hits = self._prefix_range("code", term)
        if take([(0, codes[i], 0, codes[i], i) for i in code_hits if codes[i] == term]):
            return out[:limit]
        # The range is in code order, which is this tier's order: only its first ``limit`` can be shown. (In a
        # region's list every 实施编码 starts with the region's digits, so "1" alone matches every matter.)
        if take([(0, codes[i], len(names[i]), codes[i], i) for i in code_hits[:limit + 1] if i not in seen]):
            return out[:limit]
        name_hits = self._prefix_range("name", term)
        if take([(0, "", 0, codes[i], i) for i in name_hits if names[i] == term and i not in seen]):
            return out[:limit]
        for column in ("name", "initials", "pinyin"):
            found = name_hits if column == "name" else self._prefix_range(column, term)
            if take([(0, "", len(names[i]), codes[i], i) for i in found if i not in seen]):
                return out[:limit]
        left = [i for i in hits if i not in seen]
        inits, pys, kws, depts = self._initials, self._pinyins, self._keywords, self._departments
        substring_tiers = (
            lambda: [(p, "", len(names[i]), codes[i], i) for i in left if (p := names[i].find(term)) >= 0],
            lambda: [(0, "", len(names[i]), codes[i], i) for i in left if term in kws[i]],
            lambda: [(p, "", len(names[i]), codes[i], i) for i in left if (p := inits[i].find(term)) >= 0],
            lambda: [(p, "", len(names[i]), codes[i], i) for i in left if (p := pys[i].find(term)) >= 0],
            lambda: [(p, "", len(names[i]), codes[i], i) for i in left if (p := codes[i].find(term)) >= 0],
            lambda: [(0, "", len(names[i]), codes[i], i) for i in left if term in depts[i]],
        )
        for tier in substring_tiers:
            if take(tier()):
                break
            left = [i for i in left if i not in seen]
            if not left:
                break
        return out[:limit]

    def _combined(self, terms: tuple[str, ...], hits: list[int], limit: int) -> list[int]:
        """Several terms: the sum of each term's rank orders the matches."""
        scored: list[tuple[int, int, str, int, str, int]] = []
        for i in hits:
            e = self._entries[i]
            ranks = [_rank(e, t) for t in terms]
            if any(r == _NO_MATCH for r, _ in ranks):
                continue
            by_code = ranks[0][0] <= RANK_CODE_PREFIX
            scored.append((sum(r for r, _ in ranks), ranks[0][1], e.code if by_code else "", len(e.name), e.code, i))
        scored.sort()
        return [s[-1] for s in scored[:limit]]
