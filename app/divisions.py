"""Administrative division codes (GB/T 2260) → region names, loaded lazily from ``resources/divisions``.

Codes change over the years (盟 became 市, counties merged), and an ID number keeps the code it was first issued
under, so every code keeps the years it was in use. ``region_name`` answers with the name in use in a given year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from app.paths import resource

DATA_FILE = resource("divisions", "divisions.tsv")

# City-level rows that are placeholders, not names a clerk wants to read in "北京市市辖区东城区".
_PLACEHOLDERS = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位", "自治区直辖县级行政单位"}
)

Status = Literal["active", "retired", "unknown"]


@dataclass(frozen=True)
class DivisionName:
    name: str
    start: int | None  # first year in use, None = since the first edition
    end: int | None  # last year in use, None = still in use

    def in_use(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # full name, e.g. 内蒙古自治区乌兰察布市四子王旗
    status: Status  # active: in use in the year asked; retired: known but not in use then; unknown: not listed
    note: str = ""  # e.g. 已于 2001 年撤销


class DivisionTable:
    """All codes with their names over the years."""

    def __init__(self, rows: dict[str, tuple[DivisionName, ...]]) -> None:
        self._rows = rows
        self._cache: dict[tuple[str, int | None], Region] = {}

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def names(self, code: str) -> tuple[DivisionName, ...]:
        return self._rows.get(code, ())

    def _name_at(self, code: str, year: int | None) -> str | None:
        variants = self._rows.get(code)
        if not variants:
            return None
        if year is not None:
            for variant in variants:
                if variant.in_use(year):
                    return variant.name
        # Not in use that year (or no year asked): the newest name is the one people recognise.
        return max(variants, key=lambda v: v.end if v.end is not None else 10_000).name

    def is_province(self, code2: str) -> bool:
        return f"{code2}0000" in self._rows

    def region(self, code: str, year: int | None = None) -> Region:
        """The full name of a 6-digit code, as used in ``year`` (the birth year for an ID number)."""
        key = (code, year)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._region(code, year)
        if len(self._cache) < 50_000:  # bounded: random input must not grow memory without end
            self._cache[key] = result
        return result

    def _region(self, code: str, year: int | None) -> Region:
        if len(code) != 6 or not code.isdigit() or code not in self._rows:
            return Region(code, "", "unknown")
        province = self._name_at(code[:2] + "0000", year) or ""
        parts = [province]
        city_code = code[:4] + "00"
        if code != code[:2] + "0000":
            city = self._name_at(city_code, year)
            if city and city not in _PLACEHOLDERS and city != province:
                parts.append(city)
            if code != city_code:
                county = self._name_at(code, year) or ""
                if county not in _PLACEHOLDERS or len(parts) == 1:
                    parts.append(county)
        name = "".join(parts)
        variants = self._rows[code]
        if year is None or any(v.in_use(year) for v in variants):
            return Region(code, name, "active")
        last = max((v.end for v in variants if v.end is not None), default=None)
        if last is not None and last < year:
            return Region(code, name, "retired", f"已于 {last} 年停用")
        # Created after that year: ordinary for people first registered later; not a problem.
        return Region(code, name, "active")


def _parse_year(text: str) -> int | None:
    return int(text) if text else None


def load_divisions(path: Path = DATA_FILE) -> DivisionTable:
    rows: dict[str, list[DivisionName]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            code, name, start, end = line.rstrip("\n").split("\t")
            rows.setdefault(code, []).append(DivisionName(name, _parse_year(start), _parse_year(end)))
    return DivisionTable({code: tuple(items) for code, items in rows.items()})


@lru_cache(maxsize=1)
def division_table() -> DivisionTable:
    """The shipped table, read on first use (never at import: ``import app`` must stay fast)."""
    return load_divisions()


def region_name(code: str, year: int | None = None) -> str | None:
    region = division_table().region(code, year)
    return region.name if region.status != "unknown" else None
